"""Form metadata and its signature.

Every form carries its questionnaire id and version, language, country (none
for a blank form), a unique form id, issue date, deadline, the reporting period
(optional, and absent from forms issued before it), and, when the secretariat
has configured a key, an HMAC-SHA256 signature over all of these.
The signature proves that the metadata is as the secretariat issued it; it
says nothing about the answers, which the respondent is meant to change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from selfassess.constants import (
    FORM_ID_PATTERN,
    LANGUAGES,
    META_KEYS,
    META_OPTIONAL_KEYS,
    META_PREFIX,
)
from selfassess.definitions.model import Model
from selfassess.errors import Rejected, UsageError
from selfassess.i18n.localizer import find_country
from selfassess.problems import Finding
from selfassess.response.values import iso_date

#: ``unverified``: a response JSON, which carries no signed metadata (see docs/security.md).
SignatureStatus = Literal["valid", "invalid", "absent", "unverified"]
KEY_ENV = "SELFASSESS_KEY"


class Period(Model):
    """The reporting period of a round: the days its questions about "the
    reporting period" cover, first and last included."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError(f"the period starts {self.start} after it ends {self.end}")
        return self

    @classmethod
    def parse(cls, text: str) -> Period:
        """``START/END`` (an ISO 8601 interval, as stored) or ``START:END``;
        ValueError saying what is wrong.

        >>> str(Period.parse(" 2024-01-01:2025-12-31 "))
        '2024-01-01/2025-12-31'
        >>> Period.parse("2025-12-31/2024-01-01")
        Traceback (most recent call last):
        ...
        ValueError: '2025-12-31/2024-01-01' ends before it starts; give START:END with START <= END
        """
        match = re.fullmatch(r"\s*([^/:\s]+)\s*[/:]\s*([^/:\s]+)\s*", text)
        start = iso_date(match[1]) if match else None
        end = iso_date(match[2]) if match else None
        if start is None or end is None:
            raise ValueError(
                f"{text[:_SHOWN]!r} is not a period; write START:END as YYYY-MM-DD:YYYY-MM-DD"
            )
        if start > end:
            raise ValueError(
                f"{text[:_SHOWN]!r} ends before it starts; give START:END with START <= END"
            )
        return cls(start=start, end=end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


class FormMeta(Model):
    questionnaire: str
    version: str
    language: str
    country: str | None = None
    form_id: str
    issued: dt.date
    deadline: dt.date | None = None
    period: Period | None = None
    signature: str | None = None

    @classmethod
    def from_strings(
        cls,
        strings: Mapping[str, str],
        *,
        countries: Collection[str],
        where: Mapping[str, str] | None = None,
        source: str = "the document properties",
    ) -> FormMeta:
        """The metadata of a returned form, from the strings stored in it: the one
        rule for both formats (custom properties, or Excel's hidden sheet).

        ``countries`` are the codes a form may be issued to (the Parties file in
        use); a blank form has none. ``where`` locates each key (a cell), else
        ``source`` is named. Raises :class:`Rejected` with a located message.

        >>> good = {"questionnaire": "q", "version": "1", "language": "fr",
        ...         "country": "MX", "form_id": "f1", "issued": "2025-01-15"}
        >>> FormMeta.from_strings(good, countries={"MX"}).country
        'MX'
        >>> try:  # doctest: +NORMALIZE_WHITESPACE
        ...     FormMeta.from_strings(good | {"country": "Atlantis"}, countries={"MX"})
        ... except Rejected as exc:
        ...     print(exc)
        the form's metadata is unreadable: selfassess.country (the document properties) is
        'Atlantis', not the code of a Party; ask the secretariat for a new form
        """
        clean = {k: strings.get(k, "").strip() for k in META_KEYS}
        missing = [META_PREFIX + k for k in _REQUIRED if not clean[k]]
        if missing:
            raise Rejected(
                f"not one of our forms: its metadata ({source}) lacks {', '.join(missing)}"
            )

        def bad(key: str, rule: str) -> Rejected:
            at = (where or {}).get(key, source)
            shown = clean[key][:_SHOWN]
            return Rejected(
                f"the form's metadata is unreadable: {META_PREFIX}{key} ({at}) is "
                f"{shown!r}, {rule}; ask the secretariat for a new form"
            )

        if clean["language"] not in LANGUAGES:
            raise bad("language", f"not one of {', '.join(LANGUAGES)}")
        if clean["country"] and clean["country"] not in countries:
            raise bad("country", "not the code of a Party")
        if not FORM_ID_PATTERN.fullmatch(clean["form_id"]):
            raise bad("form_id", "not a form id")
        issued = iso_date(clean["issued"])
        if issued is None:
            raise bad("issued", _NOT_A_DATE)
        deadline = iso_date(clean["deadline"]) if clean["deadline"] else None
        if clean["deadline"] and deadline is None:
            raise bad("deadline", _NOT_A_DATE)
        period = None
        if clean["period"]:
            try:
                period = Period.parse(clean["period"])
            except ValueError:
                raise bad("period", "not a period written YYYY-MM-DD/YYYY-MM-DD") from None
        return cls(
            questionnaire=clean["questionnaire"],
            version=clean["version"],
            language=clean["language"],
            country=clean["country"] or None,
            form_id=clean["form_id"],
            issued=issued,
            deadline=deadline,
            period=period,
            signature=clean["signature"] or None,
        )

    def as_strings(self) -> dict[str, str]:
        """The metadata as stored in a file: every key, '' for none."""
        values = {k: getattr(self, k) for k in META_KEYS}
        return {k: "" if v is None else str(v) for k, v in values.items()}

    def payload(self) -> bytes:
        """Canonical bytes the signature covers: every key but the signature, and
        an optional key only when it is set (what forms issued before it signed)."""
        strings = self.as_strings()
        return "\n".join(
            f"{k}={strings[k]}"
            for k in META_KEYS
            if k != "signature" and (strings[k] or k not in META_OPTIONAL_KEYS)
        ).encode()

    def signed(self, key: bytes | None) -> FormMeta:
        """A copy carrying the signature for ``key`` (unchanged when no key).

        >>> m = FormMeta(questionnaire="q", version="1", language="fr", form_id="f1",
        ...              issued=dt.date(2025, 1, 1))
        >>> m.signed(b"k").verify(b"k"), m.signed(b"k").verify(b"other"), m.verify(b"k")
        ('valid', 'invalid', 'absent')
        """
        if not key:
            return self
        sig = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return self.model_copy(update={"signature": sig})

    def verify(self, key: bytes | None) -> SignatureStatus:
        """``absent`` when unsigned, or when there is no key to check with
        (the parser then adds a warning saying the signature went unchecked)."""
        if not self.signature or not key:
            return "absent"
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        # Bytes: compare_digest refuses str with non-ASCII characters, and a
        # returned form's signature can hold anything.
        given = self.signature.encode("utf-8", "replace")
        return "valid" if hmac.compare_digest(expected.encode(), given) else "invalid"


#: Keys a form cannot lack (country, deadline and signature may be empty).
_REQUIRED = ("questionnaire", "version", "language", "form_id", "issued")
#: Characters of a bad value quoted in a rejection: enough to recognise it.
_SHOWN = 40
_NOT_A_DATE = "not a date written YYYY-MM-DD"


def country_from_text(text: str, countries: Collection[str]) -> str | None:
    """The country a respondent gave on a blank form's cover, as its code.

    Whatever :func:`~selfassess.i18n.localizer.find_country` reads (a UN,
    formal or everyday name in any of the six languages, or an ISO code);
    None unless it is one of ``countries`` (the Parties file in use).

    >>> country_from_text(" Mexique ", {"MX"}), country_from_text("mex", {"MX"})
    ('MX', 'MX')
    >>> country_from_text("Atlantis", {"MX"}), country_from_text("Brazil", {"MX"})
    (None, None)
    """
    code = find_country(text)
    return code if code in countries else None


def picked_country(
    meta: FormMeta, text: str, location: str, countries: Collection[str], found: list[Finding]
) -> FormMeta:
    """A blank form's metadata with the country its respondent gave on the cover
    (both formats); a missing or unknown country is added to ``found``."""
    text = text.strip()
    if not text:
        found.append(Finding("country_missing", location=location))
        return meta
    code = country_from_text(text, countries)
    if code is None:
        found.append(Finding("not_a_country", location=location, params={"value": text}))
        return meta
    return meta.model_copy(update={"country": code})


def new_form_id() -> str:
    """A unique, lower-case form id, short enough to read over the phone."""
    return "f" + secrets.token_hex(8)


def load_key(key_file: Path | None = None) -> bytes | None:
    """The secretariat's signing key: ``key_file`` first, then ``$SELFASSESS_KEY``."""
    if key_file is not None:
        try:
            data = key_file.read_bytes().strip()
        except OSError as exc:
            raise UsageError(f"cannot read the key file {key_file}: {exc.strerror}") from None
        if not data:
            raise UsageError(f"the key file {key_file} is empty")
        return data
    env = os.environ.get(KEY_ENV, "").strip()
    return env.encode() if env else None
