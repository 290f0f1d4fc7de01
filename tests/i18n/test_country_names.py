"""The UN names of the Parties: the data file, display, and reading them back."""

from __future__ import annotations

import pytest
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st

from selfassess.constants import LANGUAGES
from selfassess.definitions.parties import load_parties
from selfassess.errors import UsageError
from selfassess.i18n.localizer import Localizer, country_code, country_names

NAMES = country_names().countries
PARTIES = load_parties().codes()

# Names a reader of UN documents expects, and CLDR's everyday names do not give.
UN_NAMES = [
    ("en", "BO", "Bolivia (Plurinational State of)"),
    ("en", "KR", "Republic of Korea"),
    ("en", "KP", "Democratic People's Republic of Korea"),
    ("en", "TR", "Türkiye"),
    ("en", "NL", "Netherlands (Kingdom of the)"),
    ("en", "GB", "United Kingdom of Great Britain and Northern Ireland"),
    ("en", "VA", "Holy See"),
    ("en", "PS", "State of Palestine"),
    ("en", "CD", "Democratic Republic of the Congo"),
    ("en", "VN", "Viet Nam"),
    ("fr", "RU", "Fédération de Russie"),
    ("fr", "BO", "Bolivie (État plurinational de)"),
    ("es", "TZ", "República Unida de Tanzanía"),
    ("ru", "RU", "Российская Федерация"),
    ("zh", "KR", "大韩民国"),
    ("ar", "RU", "الاتحاد الروسي"),
]


def test_the_names_file_records_its_source_and_date() -> None:
    names = country_names()
    assert "UNTERM" in names.source
    assert names.as_of.year >= 2026


def test_every_party_has_a_un_name_in_every_language() -> None:
    assert set(PARTIES) <= set(NAMES)
    for lang in LANGUAGES:
        shown = [NAMES[code].short[lang] for code in PARTIES]
        assert len(shown) == len(set(shown)), lang
        assert all(name == name.strip() and name for name in shown)


@pytest.mark.parametrize(("lang", "code", "name"), UN_NAMES)
def test_un_names_are_shown(lang: str, code: str, name: str) -> None:
    assert Localizer(lang).country(code) == name
    assert Localizer(lang).fallbacks == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_party_is_shown_under_cldr_s_everyday_name(lang: str) -> None:
    everyday = {"en": ["Russia", "North Korea", "Palestinian Territories", "Vatican City"]}
    shown = {name for _, name in Localizer(lang).countries()}
    assert not shown & set(everyday.get(lang, []))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_party_s_names_map_back_in_every_language(lang: str) -> None:
    cldr = Locale.parse(lang).territories
    for code in PARTIES:
        entry = NAMES[code]
        spellings = [entry.short[lang], *entry.formal.values()]
        if code in cldr:
            spellings.append(str(cldr[code]))
        for name in spellings:
            assert country_code(name) == code, name
            assert country_code(f"  {name.upper()} ") == code, name
            assert country_code(name.lower().replace("'", "\u2019")) == code, name


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Russian Federation", "RU"),
        ("russian  federation", "RU"),
        ("Russia", "RU"),
        ("Cote d’Ivoire", "CI"),
        ("DEMOCRATIC PEOPLE’S REPUBLIC OF KOREA", "KP"),
        ("Bolivia(Plurinational State of)", "BO"),
        ("Папуа - Новая Гвинея", "PG"),
        ("Republic of Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("tur", "TR"),
        ("vn", "VN"),
    ],
)
def test_typed_names_are_read_whatever_the_case_spacing_or_apostrophe(
    typed: str, code: str
) -> None:
    assert country_code(typed) == code


@given(st.text(max_size=300))
def test_anything_else_is_a_clear_error(text: str) -> None:
    try:
        code = country_code(text)
    except UsageError as exc:
        message = str(exc)
    else:
        assert code in {str(c) for c in Locale.parse("en").territories}
        return
    assert "ISO 3166-1" in message
    assert len(message) < 300
