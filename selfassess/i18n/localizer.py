"""Text and locale data in the six UN languages.

Two gettext domains live under ``locales/<lang>/LC_MESSAGES/``:
``selfassess`` (the tool's own strings) and ``questionnaire`` (questionnaire
and catalogue content, each message with a context such as ``item.prompt``).
PO files are the source of truth and are read directly with babel, so a
checkout or a wheel works without a compile step.

Dates, numbers, language names and text direction come from babel's CLDR
data. Country names come from the United Nations short names in
``questionnaires/names/un-short-names.yaml``; CLDR names only for a code that
file lacks, and each such use is recorded in :attr:`Localizer.fallbacks`.

>>> loc = Localizer("fr")
>>> loc.date(dt.date(2025, 3, 31))
'31 mars 2025'
>>> Localizer("ru").date(dt.date(2025, 3, 31))  # CLDR puts a narrow no-break space
'31 марта 2025\\u202fг.'
>>> Localizer("ar").rtl
True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from pydantic import Field, StringConstraints, model_validator

from selfassess.constants import (
    DOMAIN_CONTENT,
    DOMAIN_UI,
    LANGUAGES,
    NOT_COUNTRIES,
    SOURCE_LANGUAGE,
    ContentContext,
    UiContext,
)
from selfassess.definitions import rules
from selfassess.definitions.model import Model
from selfassess.errors import UsageError
from selfassess.resources import locales_dir, locales_dirs, questionnaires_dir

if TYPE_CHECKING:
    import icu

Key = tuple[str | None, str]


# Word and LibreOffice auto-correct a typed apostrophe into a typographic one,
# so a label typed as "droits de l'homme" must match "droits de l’homme".
_APOSTROPHES = {ord(c): "'" for c in "\u2019\u2018\u02bc\u2032\uff07"}


def fold(text: str) -> str:
    """Case-, width-, space- and apostrophe-insensitive form of a label.

    >>> fold("  Fully\u00a0IMPLEMENTED ") == fold("fully implemented")
    True
    >>> fold("Droits de l’homme") == fold("droits de l'homme")
    True
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join(folded.split())


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds Arabic letters (right-to-left runs need them marked).

    >>> has_arabic("المادة 2"), has_arabic("SHERLOC")
    (True, False)
    """
    return bool(_ARABIC_LETTERS.search(text))


def check_language(lang: str) -> str:
    """Return the language code if it is one of the six, else raise UsageError."""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise UsageError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)} (or 'all')")
    return code


def parse_languages(spec: str) -> list[str]:
    """``"all"`` or a comma-separated list of language codes.

    >>> parse_languages("fr, ar")
    ['fr', 'ar']
    >>> parse_languages("all")
    ['ar', 'zh', 'en', 'fr', 'ru', 'es']
    """
    if spec.strip().lower() == "all":
        return list(LANGUAGES)
    found = [check_language(part) for part in spec.split(",") if part.strip()]
    if not found:
        raise UsageError(f"no language given; use one of {', '.join(LANGUAGES)} (or 'all')")
    return found


Alpha2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class CountryName(Model):
    short: dict[str, str] = Field(description="UN short name per language code")
    formal: dict[str, str] = Field(default_factory=dict, description="formal name, where known")
    note: str | None = None

    @model_validator(mode="after")
    def _six_languages(self) -> CountryName:
        for names in (self.short, self.formal):
            unknown = sorted(set(names) - set(LANGUAGES))
            if unknown:
                raise ValueError(f"'{unknown[0]}' is not a language; use {', '.join(LANGUAGES)}")
        missing = [lang for lang in LANGUAGES if not self.short.get(lang, "").strip()]
        if missing:
            raise ValueError(f"the short name in {', '.join(missing)} is missing; add it")
        return self


class CountryNames(Model):
    source: str
    as_of: dt.date
    countries: dict[Alpha2, CountryName]


def names_path() -> Path:
    return questionnaires_dir() / "names" / "un-short-names.yaml"


@cache
def country_names() -> CountryNames:
    """The shipped UN names; a broken file is a DefinitionError located by line."""
    path = names_path()
    data, lines = rules.read(path)
    return rules.validate(CountryNames, data, str(path), lines)


_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"}


def country_key(text: str) -> str:
    """How typed country names are compared: :func:`fold`, then without accents,
    vowel marks or spaces, and with one kind of dash.

    >>> country_key("Cote d’Ivoire ") == country_key("CÔTE D'IVOIRE")
    True
    >>> country_key("Папуа – Новая Гвинея") == country_key("Папуа-Новая Гвинея")
    True
    """
    decomposed = unicodedata.normalize("NFD", fold(text).translate(_DASHES))
    kept = (c for c in decomposed if not unicodedata.combining(c) and not c.isspace())
    return unicodedata.normalize("NFC", "".join(kept)).replace("\u0640", "")


@cache
def _country_index() -> dict[str, str]:
    """Every accepted spelling (as :func:`country_key`) -> alpha-2 code.

    UN short and formal names first, then CLDR's names, then ISO alpha-2 and
    alpha-3 codes; the first claim on a spelling wins.
    """
    index: dict[str, str] = {}
    for code, entry in country_names().countries.items():
        for name in (*entry.short.values(), *entry.formal.values()):
            index.setdefault(country_key(name), code)
    territories = [str(c) for c in Locale.parse("en").territories if _is_country(str(c))]
    for lang in LANGUAGES:
        cldr = Locale.parse(lang).territories
        for code in territories:
            if code in cldr:
                index.setdefault(country_key(str(cldr[code])), code)
    for code in territories:
        index.setdefault(country_key(code), code)
    for alpha3, targets in get_global("territory_aliases").items():
        if len(alpha3) == 3 and alpha3.isalpha() and len(targets) == 1 and _is_country(targets[0]):
            index.setdefault(country_key(alpha3), targets[0])
    return index


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country given by name or code.

    Accepts the UN short name, the formal name where known, the CLDR name (in
    any of the six languages) and the ISO alpha-2 and alpha-3 codes,
    whatever the case, spacing, accents or apostrophe style.

    >>> country_code("mex"), country_code("MX"), country_code("EU")
    ('MX', 'MX', 'EU')
    >>> [country_code(name) for name in ("Russian Federation", " fédération de russie", "大韩民国")]
    ['RU', 'RU', 'KR']
    """
    head = text[:_LONGEST_NAME]
    found = _country_index().get(country_key(head))
    if found is None:
        shown = head.strip()[:60]
        raise UsageError(
            f"unknown country '{shown}'; write its United Nations name in one of the six "
            "languages (e.g. 'Mexico', 'Mexique') or its ISO 3166-1 code (MX or MEX)"
        )
    return found


def find_country(text: str) -> str | None:
    """:func:`country_code`, or None where the text names no country."""
    try:
        return country_code(text)
    except UsageError:
        return None


#: Longer input is not a name in the index; cutting it bounds the work on hostile text.
_LONGEST_NAME = 200


def po_path(lang: str, domain: str, root: Path | None = None) -> Path:
    return (root or locales_dir()) / lang / "LC_MESSAGES" / f"{domain}.po"


def _messages(lang: str, domain: str) -> dict[Key, str]:
    """Translated, non-fuzzy messages of one domain, the user's definitions folder first."""
    return _messages_in(lang, domain, locales_dirs())


def shipped_messages(lang: str, domain: str) -> dict[Key, str]:
    """Translated messages of the shipped catalog alone."""
    return _messages_in(lang, domain, (locales_dir(),))


@cache
def _messages_in(lang: str, domain: str, folders: tuple[Path, ...]) -> dict[Key, str]:
    from babel.messages.pofile import read_po  # noqa: PLC0415 (imported when a catalog is first read, not by every command)

    out: dict[Key, str] = {}
    # The shipped catalog first, so that the user's translations override it.
    for folder in reversed(folders):
        path = po_path(lang, domain, folder)
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=domain)
        for msg in catalog:
            if not msg.id or msg.fuzzy or not isinstance(msg.id, str):
                continue
            if isinstance(msg.string, str) and msg.string:
                out[(msg.context, msg.id)] = msg.string
    return out


@cache
def date_pattern(lang: str) -> str:
    """The CLDR pattern of a printed date in ``lang``, four-digit year.

    CLDR's long format, except English, where the UN puts the day first. Word's
    date pickers take the same pattern (their syntax agrees on ``d``, ``M``,
    ``y`` and quoted literals), so a picked date reads like a printed one.

    >>> date_pattern("en"), date_pattern("zh"), date_pattern("es")
    ('d MMMM yyyy', 'yyyy年M月d日', "d 'de' MMMM 'de' yyyy")
    """
    if check_language(lang) == "en":
        return "d MMMM yyyy"
    pattern = Locale.parse(lang).date_formats["long"].pattern
    return re.sub(r"y+", "yyyy", _BIDI_MARKS.sub("", pattern))


_BIDI_MARKS = re.compile(r"[\u200e\u200f\u061c]")


def parse_printed_date(text: str, lang: str) -> dt.date | None:
    """The date that :meth:`Localizer.date` printed as ``text``; else None.

    Month names are matched folded, as whole words, in their formatting and
    stand-alone forms (a picker may show either); exactly one must be there.
    The numbers are taken in the pattern's order.

    >>> parse_printed_date("1er décembre 2026", "fr"), parse_printed_date("2026年12月1日", "zh")
    (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    >>> parse_printed_date("1 Smarch 2026", "en") is None
    True
    """
    pattern = date_pattern(lang)
    folded = fold(text)
    fields = [f for f in re.findall(r"'[^']*'|d+|M+|y+", pattern) if not f.startswith("'")]
    order = [f[0] for f in fields if not (f.startswith("M") and len(f) >= 3)]
    month = None
    if len(order) == 2:  # a month name
        months = _month_names(lang)
        found = [
            (m, n)
            for name, n in months
            if (m := re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded))
        ]
        if len(found) != 1:
            return None
        match, month = found[0]
        folded = folded[: match.start()] + " " + folded[match.end() :]
    numbers = re.findall(r"\d+", folded)
    if len(numbers) != len(order) or any(len(n) > 4 for n in numbers):
        return None
    parts = dict(zip(order, (int(n) for n in numbers), strict=True))
    try:
        return dt.date(parts["y"], month or parts["M"], parts["d"])
    except ValueError:
        return None


@cache
def _month_names(lang: str) -> tuple[tuple[str, int], ...]:
    locale = Locale.parse(lang)
    names = {
        (fold(name), n)
        for context in ("format", "stand-alone")
        for n, name in locale.months[context]["wide"].items()
    }
    return tuple(sorted(names))


def _collator(lang: str) -> icu.Collator:
    """ICU's collator for the language: CLDR's sort order (pinyin for ``zh``)."""
    import icu  # noqa: PLC0415 (PyICU costs 25 ms to import; only sorting needs it)

    return icu.Collator.createInstance(icu.Locale(lang))


@dataclass
class Localizer:
    """Translations and CLDR formatting for one language.

    A message with no translation falls back to English and is recorded in
    :attr:`missing`, so that callers can report it or refuse to go on.
    """

    lang: str
    missing: set[tuple[str, str | None, str]] = field(default_factory=set)
    parties: tuple[str, ...] | None = None
    """Codes a form's country list offers; ``None``: the Parties of the shipped file."""
    fallbacks: set[str] = field(default_factory=set)
    """Codes that had no UN name and were named from CLDR (or shown as the code)."""

    def __post_init__(self) -> None:
        self.lang = check_language(self.lang)
        self.locale = Locale.parse(self.lang)

    def _lookup(self, domain: str, context: str | None, message: str) -> str:
        if self.lang == SOURCE_LANGUAGE or not message:
            return message
        found = _messages(self.lang, domain).get((context, message))
        if found is None:
            self.missing.add((domain, context, message))
            return message
        return found

    def gettext(self, message: str) -> str:
        """A string of the tool itself."""
        return self._lookup(DOMAIN_UI, None, message)

    _ = gettext

    def pgettext(self, context: UiContext, message: str) -> str:
        """A string of the tool itself, in a context."""
        return self._lookup(DOMAIN_UI, context, message)

    def content(self, context: ContentContext, message: str) -> str:
        """Questionnaire or catalogue content (domain ``questionnaire``)."""
        return self._lookup(DOMAIN_CONTENT, context, message)

    # --- CLDR data ---------------------------------------------------------

    @property
    def rtl(self) -> bool:
        return bool(self.locale.character_order == "right-to-left")

    def date(self, value: dt.date) -> str:
        """A date as UN documents write it: "1 December 2026", "1er décembre 2026".

        Every date a form or report prints comes from here, in the pattern of
        :func:`date_pattern`, so that a language has one style of month name
        (Russian genitive "декабря" everywhere). French adds "1er" on the first
        of the month, which no date pattern can say.
        """
        text = str(format_date(value, date_pattern(self.lang), locale=self.locale))
        if self.lang == "fr" and value.day == 1:
            return "1er" + text.removeprefix("1")
        return text

    def example(self, text: str) -> str:
        """A code-like example ("2025-03-31") as it must read inside running text.

        Its hyphens do not break (a line break would cut it in two), and in a
        right-to-left language it is isolated (LRI ... PDI), so that it reads
        left to right, in one piece, where the sentence puts it.

        >>> Localizer("ar").example("2025-03-31") == "\u20662025\u201103\u201131\u2069"
        True
        """
        return self.isolated(text.replace("-", "\u2011"))

    def isolated(self, text: str) -> str:
        """Left-to-right text (a telephone number) as it must read inside
        right-to-left text: isolated (LRI ... PDI), or else its groups of
        digits would be laid out from right to left. Only for text shown,
        never read back.

        >>> Localizer("ar").isolated("+00 1 2345") == "\u2066+00 1 2345\u2069"
        True
        >>> Localizer("fr").isolated("+00 1 2345")
        '+00 1 2345'
        """
        return f"\u2066{text}\u2069" if self.rtl else text

    def number(self, value: float, *, grouped: bool = True) -> str:
        """A number in the locale; ``grouped=False`` for bounds such as years (2100, not 2,100)."""
        return str(format_decimal(value, locale=self.locale, group_separator=grouped))

    def percent(self, value: float) -> str:
        """A share in [0, 1] as a whole percentage, spaced as the locale spaces it."""
        return str(format_percent(value, locale=self.locale))

    def country(self, code: str) -> str:
        """The country's United Nations short name in this language.

        A code the names file lacks (a non-Party that a secretariat's own
        Parties file adds) gets CLDR's name and is recorded in :attr:`fallbacks`.
        """
        entry = country_names().countries.get(code)
        if entry is not None:
            return entry.short[self.lang]
        self.fallbacks.add(code)
        return str(self.locale.territories.get(code, code))

    def countries(self, codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(code, name) of ``codes`` (default :attr:`parties`), sorted for this language."""
        if codes is None:
            codes = self.parties if self.parties is not None else _shipped_parties()
        names = {code: self.country(code) for code in codes}
        return sorted(names.items(), key=lambda kv: self.sort_key(kv[1]))

    def sort_key(self, text: str) -> bytes:
        """Orders text as this language's dictionaries do (ICU collation).

        French sorts "Égypte" among the E's, Chinese by pinyin, Russian and
        Arabic by their alphabets; a casefold sort would get all of them wrong.
        """
        return bytes(_collator(self.lang).getSortKey(text))

    def language_name(self, code: str) -> str:
        return str(Locale.parse(code).get_display_name(self.locale))


def fallback_warning(loc: Localizer, codes: Iterable[str]) -> str | None:
    """The warning, in ``loc``'s language, for countries that had no UN name; or None."""
    missing = sorted(set(codes))
    if not missing:
        return None
    return loc.gettext(
        "No United Nations name for {codes}; the CLDR name was used. Add the country to "
        "questionnaires/names/un-short-names.yaml."
    ).format(codes=", ".join(missing))


def _shipped_parties() -> tuple[str, ...]:
    # The Parties file is read by the secretariat layer, which imports this
    # module; importing it here at call time keeps the layers' import order.
    from selfassess.definitions.parties import load_parties  # noqa: PLC0415 (see comment)

    return tuple(load_parties().codes())
