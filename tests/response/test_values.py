"""Numbers typed in any of the six languages' conventions are read back."""

from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from selfassess.constants import LANGUAGES
from selfassess.i18n.localizer import Localizer
from selfassess.response.values import parse_number

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Amounts a questionnaire asks for: counts, sums of money, shares; six
# significant digits survive formatting without rounding.
amounts = st.decimals(
    min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False
).map(float)


@pytest.mark.parametrize("lang", LANGUAGES)
@given(value=amounts)
def test_number_formatted_by_cldr_reads_back(lang: str, value: float) -> None:
    text = format_decimal(value, locale=lang, decimal_quantization=False)
    assert parse_number(text, lang) == pytest.approx(value, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("lang", LANGUAGES)
@given(value=st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_number_with_grouping_reads_back(lang: str, value: int) -> None:
    # Grouped thousands are where the locales disagree most ("12.345" in Spanish).
    assert parse_number(Localizer(lang).number(value), lang) == value


@pytest.mark.parametrize("lang", LANGUAGES)
@given(value=amounts)
def test_arabic_indic_digits(lang: str, value: float) -> None:
    text = format_decimal(value, locale="en", decimal_quantization=False, group_separator=False)
    arabic = text.translate(ARABIC_INDIC).replace(".", "٫")
    assert parse_number(arabic, lang) == pytest.approx(value, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("12.345", "es", 12345),
        ("12.345", "en", 12.345),
        ("1 234,5", "fr", 1234.5),
        ("1\u202f234,5", "fr", 1234.5),
        ("1\u00a0234,5", "ru", 1234.5),
        ("1 234,5", "ru", 1234.5),
        ("1,234.5", "zh", 1234.5),
        ("١٬٢٣٤٫٥", "ar", 1234.5),
        ("۱۲۳", "ar", 123),
        ("\u061c-12", "ar", -12),
        ("1,5", "en", 1.5),  # a French habit in an English form
        ("0.5", "es", 0.5),  # not a valid Spanish grouping: read as plain digits
        ("2e3", "fr", 2000),
    ],
)
def test_conventions(text: str, lang: str, expected: float) -> None:
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("text", ["", "  ", "abc", "12 years", "1e400", "nan", "1,2,3.4.5"])
def test_not_a_number(lang: str, text: str) -> None:
    assert parse_number(text, lang) is None


@pytest.mark.parametrize("lang", LANGUAGES)
@given(text=st.text(max_size=30))
def test_any_text_gives_a_finite_number_or_none(lang: str, text: str) -> None:
    value = parse_number(text, lang)
    assert value is None or math.isfinite(value)
