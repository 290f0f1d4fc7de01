"""The Localizer: CLDR data, collation, codes, and the fallback to English."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from babel.core import get_global

from selfassess.constants import DOMAIN_CONTENT, DOMAIN_UI, LANGUAGES
from selfassess.definitions.parties import load_parties
from selfassess.errors import UsageError
from selfassess.i18n.localizer import Localizer, check_language, country_code, parse_languages

# Pairs of country codes in the order a reader of the language expects them.
# Each list fails with a code-point or casefold sort: accented capitals sort
# after Z, hanzi by code point are not in pinyin order, and the hamza forms
# of alef are separate blocks of code points.
EXPECTED_ORDER = {
    # Côte d'Ivoire < Croatia < Türkiye < Turkmenistan: accents count last
    "en": ["CI", "HR", "TR", "TM"],
    # Égypte < Espagne < Estonie < États-Unis < Éthiopie: accents count last
    "fr": ["EG", "ES", "EE", "US", "ET"],
    # Belarús < Bélgica < Belice
    "es": ["BY", "BE", "BZ"],
    # pinyin: afuhan < aodaliya < baieluosi < bilishi < bingdao < riben < zhongguo
    "zh": ["AF", "AU", "BY", "BE", "IS", "JP", "CN"],
    # Австралия < Азербайджан < Албания < Эфиопия < Япония
    "ru": ["AU", "AZ", "AL", "ET", "JP"],
    # آيسلندا < إثيوبيا < أذربيجان: alef with madda, hamza below and hamza above are one letter
    "ar": ["IS", "ET", "AZ", "BE", "BY"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_countries_sorted_by_the_languages_collation(lang: str) -> None:
    codes = [code for code, _ in Localizer(lang).countries()]
    positions = [codes.index(code) for code in EXPECTED_ORDER[lang]]
    assert positions == sorted(positions), [Localizer(lang).country(c) for c in codes[:10]]


def test_russian_and_arabic_lists_start_with_their_alphabets() -> None:
    ru = [name for _, name in Localizer("ru").countries()]
    assert ru[0] == "Австралия"
    assert ru[-1] == "Япония"
    ar = [name for _, name in Localizer("ar").countries()]
    assert all(unicodedata.name(name[0]).startswith("ARABIC") for name in ar)
    assert unicodedata.name(ar[0][0]).startswith("ARABIC LETTER ALEF")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_country_list_is_the_parties_and_nothing_else(lang: str) -> None:
    got = Localizer(lang).countries()
    codes = [code for code, _ in got]
    assert sorted(codes) == sorted(load_parties().codes())
    assert {"EU", "VA", "PS", "CK", "NU"} <= set(codes)
    # CLDR territories that are not Parties: Taiwan, Western Sahara, Hong Kong, Antarctica.
    assert not {"TW", "EH", "HK", "AQ", "XK"} & set(codes)
    names = [name for _, name in got]
    assert len(names) == len(set(names))
    assert all(name and name not in codes for name in names)


def test_a_country_list_of_ones_own_and_its_cldr_fallback_is_recorded() -> None:
    loc = Localizer("fr", parties=("MX", "TW"))
    assert dict(loc.countries()) == {"MX": "Mexique", "TW": "Taïwan"}
    assert loc.fallbacks == {"TW"}
    assert Localizer("fr").country("RU") == "Fédération de Russie"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_names_are_in_the_language(lang: str) -> None:
    expected = {
        "ar": "المكسيك",
        "zh": "墨西哥",
        "en": "Mexico",
        "fr": "Mexique",
        "ru": "Мексика",
        "es": "México",
    }
    assert Localizer(lang).country("MX") == expected[lang]


def _alpha3() -> list[tuple[str, str]]:
    aliases = get_global("territory_aliases")
    return sorted(
        (alpha3, targets[0])
        for alpha3, targets in aliases.items()
        if len(alpha3) == 3 and alpha3.isalpha() and len(targets) == 1
    )


def test_every_country_has_an_alpha3_code_that_maps_back() -> None:
    codes = {code for code, _ in Localizer("en").countries()}
    mapped = {alpha2 for alpha3, alpha2 in _alpha3() if alpha2 in codes}
    assert mapped == codes
    for alpha3, alpha2 in _alpha3():
        if alpha2 in codes:
            assert country_code(alpha3.lower()) == alpha2


@pytest.mark.parametrize(
    ("given", "expected"),
    [("MX", "MX"), ("mex", "MX"), (" gbr ", "GB"), ("fr", "FR"), ("CHN", "CN"), ("EU", "EU")],
)
def test_country_code_accepts_alpha2_and_alpha3(given: str, expected: str) -> None:
    assert country_code(given) == expected


@pytest.mark.parametrize(
    "given", ["", "X", "XX", "ZZ", "XK", "EA", "CQ", "ABCD", "12", "Atlantis", "Mexico City"]
)
def test_country_code_rejects_what_is_not_a_country(given: str) -> None:
    with pytest.raises(UsageError, match=r"United Nations name .* ISO 3166-1 code"):
        country_code(given)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ar", "31 مارس 2025"),
        ("zh", "2025年3月31日"),
        ("en", "31 March 2025"),
        ("fr", "31 mars 2025"),
        ("ru", "31 марта 2025\u202fг."),
        ("es", "31 de marzo de 2025"),
    ],
)
def test_dates(lang: str, expected: str) -> None:
    assert Localizer(lang).date(dt.date(2025, 3, 31)) == expected


def test_the_first_of_the_month_in_un_style() -> None:
    first = dt.date(2026, 12, 1)
    assert Localizer("en").date(first) == "1 December 2026"
    assert Localizer("fr").date(first) == "1er décembre 2026"
    assert Localizer("fr").date(dt.date(2026, 12, 11)) == "11 décembre 2026"


@pytest.mark.parametrize(
    ("lang", "number", "percent"),
    [
        ("ar", "1,234,567.5", "76%"),
        ("zh", "1,234,567.5", "76%"),
        ("en", "1,234,567.5", "76%"),
        ("fr", "1\u202f234\u202f567,5", "76\u00a0%"),
        ("ru", "1\u00a0234\u00a0567,5", "76\u00a0%"),
        ("es", "1.234.567,5", "76\u00a0%"),
    ],
)
def test_numbers_and_percentages(lang: str, number: str, percent: str) -> None:
    loc = Localizer(lang)
    assert loc.number(1234567.5) == number
    assert loc.percent(0.755) == percent


@pytest.mark.parametrize(
    ("lang", "own", "chinese"),
    [
        ("ar", "العربية", "الصينية"),
        ("zh", "中文", "中文"),
        ("en", "English", "Chinese"),
        ("fr", "français", "chinois"),
        ("ru", "русский", "китайский"),
        ("es", "español", "chino"),
    ],
)
def test_language_names(lang: str, own: str, chinese: str) -> None:
    loc = Localizer(lang)
    assert loc.language_name(lang) == own
    assert loc.language_name("zh") == chinese


@pytest.mark.parametrize("lang", LANGUAGES)
def test_direction(lang: str) -> None:
    assert Localizer(lang).rtl is (lang == "ar")


@pytest.mark.parametrize("lang", [lg for lg in LANGUAGES if lg != "en"])
def test_missing_translation_falls_back_to_english_and_is_reported(lang: str) -> None:
    loc = Localizer(lang)
    message = "A message no catalog has, 7f3a"
    assert loc.gettext(message) == message
    assert loc.pgettext("tick", message) == message
    assert loc.content("item.prompt", message) == message
    assert loc.missing == {
        (DOMAIN_UI, None, message),
        (DOMAIN_UI, "tick", message),
        (DOMAIN_CONTENT, "item.prompt", message),
    }


def test_english_is_the_source_and_never_missing() -> None:
    loc = Localizer("en")
    assert loc.gettext("Anything") == "Anything"
    assert loc.content("item.prompt", "Anything") == "Anything"
    assert loc.missing == set()


@pytest.mark.parametrize(
    ("given", "expected"), [("FR", "fr"), ("zh_CN", "zh"), ("ar-EG", "ar"), (" es ", "es")]
)
def test_check_language(given: str, expected: str) -> None:
    assert check_language(given) == expected


@pytest.mark.parametrize("given", ["de", "", "english", "all,fr"])
def test_check_language_rejects(given: str) -> None:
    with pytest.raises(UsageError, match="use one of ar, zh, en, fr, ru, es"):
        parse_languages(given)


def test_a_date_example_is_isolated_in_arabic_and_never_broken() -> None:
    assert Localizer("ar").example("2025-03-31") == "\u20662025\u201103\u201131\u2069"
    assert Localizer("fr").example("2025-03-31") == "2025\u201103\u201131"
