"""Reading typed values: numbers, dates, labels and tick marks, in any of the six languages.

Respondents type numbers as text ("1 234,5" in a French form), dates in their
own format, and labels in their own language. These functions turn such text
into values, or return ``None`` when it cannot be read unambiguously.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from babel.dates import parse_date
from babel.numbers import NumberFormatError, parse_decimal

from selfassess.constants import LANGUAGES
from selfassess.i18n.localizer import parse_printed_date

# Arabic-Indic and Extended (Persian) digits, and the Arabic separators.
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS |= {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS |= {ord("−"): "-"}
#: The Arabic decimal and group separators mean the same in every locale.
_ARABIC_SEPARATORS = {ord("٫"): ".", ord("٬"): None}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u200f\u200e\u061c']+")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def clean_text(text: str) -> str:
    """NFC, trimmed: how text answers are returned."""
    return unicodedata.normalize("NFC", text).strip()


def parse_number(text: str, lang: str) -> float | None:
    """A number typed as text, in the form's locale first, then any UN locale.

    >>> parse_number("1 234,5", "fr"), parse_number("1,234.5", "en"), parse_number("12.345", "es")
    (1234.5, 1234.5, 12345.0)
    >>> parse_number("١٢٣٫٥", "ar"), parse_number("12 years", "en")
    (123.5, None)
    """
    raw = unicodedata.normalize("NFKC", text).translate(_DIGITS).strip()
    if not raw:
        return None
    compact = _SPACES.sub("", raw)
    if "٫" in compact or "٬" in compact:
        plain = compact.translate(_ARABIC_SEPARATORS)
        return _finite(float(plain)) if _PLAIN.match(plain) else None
    # The form's own convention comes before plain digits: "12.345" is
    # twelve thousand in a Spanish form.
    value = _parse_in(raw, compact, lang)
    if value is None and _PLAIN.match(compact):
        value = float(compact)
    for other in LANGUAGES:
        if value is not None:
            break
        if other != lang:
            value = _parse_in(raw, compact, other)
    return None if value is None else _finite(value)


def _parse_in(raw: str, compact: str, locale: str) -> float | None:
    for candidate in (raw, compact):
        try:
            return float(parse_decimal(candidate, locale=locale, strict=True))
        except (NumberFormatError, ValueError):
            continue
    return None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def number_value(value: float) -> int | float:
    """Whole numbers as ``int``, so JSON shows ``12`` rather than ``12.0``."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def iso_date(text: str) -> dt.date | None:
    """The date ``text`` writes as YYYY-MM-DD, exactly; else None.

    The shape of a date answer and of the dates in form metadata
    (``fromisoformat`` alone also takes "20250314" and week dates).

    >>> iso_date("2025-03-14"), iso_date("20250314"), iso_date("2025-02-30")
    (datetime.date(2025, 3, 14), None, None)
    """
    if len(text) != 10 or text[4::3] != "--" or not text.isascii():
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")


def parse_date_text(text: str, lang: str) -> dt.date | None:
    """A date typed as text: ISO first, then as the form prints dates, then the form's locale.

    >>> parse_date_text("2025-03-31", "en"), parse_date_text("31/03/2025", "fr")
    (datetime.date(2025, 3, 31), datetime.date(2025, 3, 31))
    >>> parse_date_text("31 марта 2025 г.", "ru")
    datetime.date(2025, 3, 31)
    """
    raw = unicodedata.normalize("NFKC", text).translate(_DIGITS).strip()
    if not raw:
        return None
    m = _ISO.match(raw)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if not re.search(r"\d{4}", raw):
            return None  # two-digit years are ambiguous
        return parse_printed_date(raw, lang) or parse_date(raw, locale=lang)
    # OverflowError: a year or month of more digits than a C long takes (fuzzing).
    except (ValueError, IndexError, OverflowError):
        return None
