"""A form built once per language and format, then written for each country of a round.

The forms of one questionnaire, language and format issued on one day differ
only in the country, the form id and the signature (and the metadata holding
them). Building a form is most of the cost of a round, so a round builds each
(language, format) once with stand-ins for those values, random tokens that no
definition holds, and writes each country's form by replacing the tokens in
the parts of that package and zipping them again. The parts are what building
the form from scratch writes, byte for byte (``tests/forms/test_template.py``).

Replacing a token in serialised XML equals writing the value only for text
that no writer changes on the way (no markup characters, no escapes, no
control characters, no spaces at the ends, nothing a spreadsheet would read
as a formula): :func:`plain` says which, and any other value is built from
scratch. The writers decide one thing by a text's content, whether a Word run
is right to left (it holds Arabic), so the name's stand-in holds Arabic when
the name does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from selfassess.i18n.localizer import Localizer, has_arabic
from selfassess.response.meta import FormMeta, new_form_id

#: Characters that XML escaping or Excel's ``_xHHHH_`` escape would change.
_ESCAPED = frozenset('&<>"_')
_FORMULA_START = frozenset("=+-@")
_ARABIC = "\u0628"
_NOT_ASCII = "\u00e9"


@dataclass(frozen=True)
class StandIns:
    """The template's metadata and the token its country's name is shown as."""

    meta: FormMeta
    country_name: str

    @classmethod
    def like(cls, meta: FormMeta, country_name: str) -> StandIns:
        """Stand-ins for forms like ``meta``: same questionnaire, language and dates.

        The form id is a real one, so its length is too; the signature stand-in
        has the length of an HMAC-SHA256 in hex, and is there only when ``meta``
        is signed. The name's stand-in holds an Arabic letter when the name
        does (a Word run of Arabic is marked right to left), else a Latin letter
        that is not ASCII (see :class:`PackageTemplate`).
        """
        return cls(
            meta=meta.model_copy(
                update={
                    "form_id": new_form_id(),
                    "country": "c" + secrets.token_hex(8) if meta.country else None,
                    "signature": secrets.token_hex(32) if meta.signature else None,
                }
            ),
            country_name="n"
            + secrets.token_hex(8)
            + (_ARABIC if has_arabic(country_name) else _NOT_ASCII),
        )

    def values(self, meta: FormMeta, country_name: str) -> dict[str, str] | None:
        """Each token and the value ``meta``'s form has there; None when a value is
        not plain text (:func:`plain`), or the name differs from its stand-in in
        holding Arabic, and the form must be built from scratch."""
        own = self.meta
        values = {own.form_id: meta.form_id, self.country_name: country_name}
        if own.country is not None:
            values[own.country] = meta.country or ""
        if own.signature is not None:
            values[own.signature] = meta.signature or ""
        if has_arabic(country_name) != has_arabic(self.country_name):
            return None
        if not all(
            value.isascii() for token, value in values.items() if token != self.country_name
        ):
            return None
        return values if all(map(plain, values.values())) else None

    def tokens(self) -> list[str]:
        return [
            t
            for t in (self.meta.form_id, self.country_name, self.meta.country, self.meta.signature)
            if t is not None
        ]

    def localizer(self, lang: str, parties: tuple[str, ...] | None) -> Localizer:
        return _StandInLocalizer(lang, parties=parties, stand_in=self)


@dataclass
class _StandInLocalizer(Localizer):
    """Names the stand-in country by its token; every other country as usual."""

    stand_in: StandIns | None = field(default=None, repr=False)

    def country(self, code: str) -> str:
        if self.stand_in is not None and code == self.stand_in.meta.country:
            return self.stand_in.country_name
        return super().country(code)


def plain(value: str) -> bool:
    """Text every writer stores as it is: letters, marks, digits, inner spaces and
    punctuation other than markup, underscores, quotes and a formula's first sign.

    >>> plain("Côte d’Ivoire"), plain("大不列颠及北爱尔兰联合王国"), plain("a&b"), plain("_x0041_")
    (True, True, False, False)
    """
    return (
        value == value.strip(" ")
        and value[:1] not in _FORMULA_START
        and all(
            ch == " " or (unicodedata.category(ch)[0] in "LMNP" and ch not in _ESCAPED)
            for ch in value
        )
    )


#: openpyxl dates a workbook when it makes it and when it saves it (W3CDTF, UTC).
_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")
_CORE_PART = "docProps/core.xml"


class PackageTemplate:
    """A form's package whose parts hold the stand-ins' tokens.

    A part holds each token as its serialiser wrote it: raw UTF-8, or with
    character references for what is not ASCII (openpyxl's worksheets); the
    name's stand-in is not ASCII, so the form each part uses is found there, and
    the value written the same way.
    """

    def __init__(self, parts: list[tuple[str, bytes]], tokens: list[str], restamp: bool) -> None:
        self.parts = parts
        self.tokens = tokens
        self.restamp = restamp

    @classmethod
    def of(cls, data: bytes, tokens: list[str], *, restamp: bool = False) -> PackageTemplate | None:
        """The template of a form written with stand-ins; None when a token is in none
        of its parts (the writer stored that value in a way that replacing cannot
        reach, so its forms are built from scratch). ``restamp``: the creation and
        save dates of the core properties are set to the time of each writing, as
        openpyxl does."""
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = [(name, zf.read(name)) for name in zf.namelist()]
        found = {t for t in tokens for _, body in parts for form in _forms(t) if form in body}
        if found != set(tokens):
            return None
        return cls(parts, tokens, restamp)

    def write(self, values: Mapping[str, str], out: BinaryIO) -> None:
        """The form with ``values`` in place of the tokens (every value :func:`plain`)."""
        encoded = {
            form: encode(values[token])
            for token in self.tokens
            for form, encode in _encodings(token)
        }
        pattern = re.compile(b"|".join(map(re.escape, encoded)))
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in self.parts:
                written = pattern.sub(lambda m: encoded[m[0]], body)
                if self.restamp and name == _CORE_PART:
                    written = _STAMPS.sub(lambda m: m[1] + stamp + m[2], written)
                zf.writestr(name, written)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _references(text: str) -> bytes:
    return text.encode("ascii", "xmlcharrefreplace")


def _encodings(token: str) -> list[tuple[bytes, Callable[[str], bytes]]]:
    """Each way a part may hold ``token``, and the way to write a value there."""
    return [(encode(token), encode) for encode in (_utf8, _references)]


def _forms(token: str) -> list[bytes]:
    return [form for form, _ in _encodings(token)]
