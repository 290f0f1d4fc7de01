"""A form built once per language and format, then written for each country of a round.

The forms of one questionnaire, language and format issued on one day differ
only in the country, the form id and the signature (and the metadata holding
them). Building a form is most of the cost of a round, so a round builds each
(language, format) once with stand-ins for those values, random tokens that no
definition holds, and writes each country's form by putting its values where
the tokens are in the built document, then saving it. The result is what
building the form from scratch writes, part by part
(``tests/forms/test_template.py``).

The writers find the tokens (:class:`Slot`); this module makes the stand-ins
and says which values may replace a token: only text that every writer stores
as it is (no markup characters, no escapes, no control characters), so that
substituting it equals writing it.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from selfassess.i18n.localizer import Localizer, has_arabic
from selfassess.response.meta import FormMeta, new_form_id

#: Characters that XML escaping, Excel's ``_xHHHH_`` escape or the writers' own
#: cleaning would change: a value holding one is built from scratch.
_ESCAPED = frozenset('&<>"_')
_ARABIC = "\u0628"


@dataclass(frozen=True)
class Slot:
    """One place of the built document that holds a token: its template text and its setter."""

    text: str
    put: Callable[[str], None]


class Template(Protocol):
    def write(self, values: Mapping[str, str], out: BinaryIO) -> None: ...


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
        does: a Word run of Arabic is marked right to left.
        """
        return cls(
            meta=meta.model_copy(
                update={
                    "form_id": new_form_id(),
                    "country": "c" + secrets.token_hex(8) if meta.country else None,
                    "signature": secrets.token_hex(32) if meta.signature else None,
                }
            ),
            country_name="n" + secrets.token_hex(8) + (_ARABIC if has_arabic(country_name) else ""),
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
    """Text a writer stores unchanged: letters, marks, digits, spaces and punctuation
    other than markup, underscores and quotes.

    >>> plain("Côte d’Ivoire"), plain("大不列颠及北爱尔兰联合王国"), plain("a&b"), plain("_x0041_")
    (True, True, False, False)
    """
    return all(
        ch == " " or (unicodedata.category(ch)[0] in "LMNP" and ch not in _ESCAPED) for ch in value
    )


def substitute(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every token replaced by its value, in one pass."""
    pattern = re.compile("|".join(map(re.escape, values)))
    return pattern.sub(lambda m: values[m[0]], text)


def holds(text: str, tokens: Collection[str]) -> bool:
    return any(token in text for token in tokens)


def put_all(slots: list[Slot], values: Mapping[str, str]) -> None:
    """Every slot given its text with the tokens replaced by ``values``."""
    for slot in slots:
        slot.put(substitute(slot.text, values))


def leftover(data: bytes, tokens: Collection[str]) -> bool:
    """Whether any part of the package ``data`` still holds a token (a place the
    writer's template does not know: the form must then be built from scratch)."""
    needles = [token.encode() for token in tokens]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            part = zf.read(name)
            if any(needle in part for needle in needles):
                return True
    return False
