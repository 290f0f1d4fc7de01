"""Text and locale data in the six UN languages.

Two gettext domains live under ``locales/<lang>/LC_MESSAGES/``:
``selfassess`` (the tool's own strings) and ``questionnaire`` (questionnaire
and catalogue content, each message with a context such as ``item.prompt``).
PO files are the source of truth and are read directly with babel, so a
checkout or a wheel works without a compile step.

Dates, numbers, country and language names and text direction come from
babel's CLDR data, never from hand-written tables.

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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from selfassess.constants import (
    DOMAIN_CONTENT,
    DOMAIN_UI,
    LANGUAGES,
    NOT_COUNTRIES,
    SOURCE_LANGUAGE,
)
from selfassess.errors import UsageError
from selfassess.resources import locales_dir, locales_dirs

if TYPE_CHECKING:
    import icu

Key = tuple[str | None, str]


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


def country_code(code: str) -> str:
    """An ISO 3166-1 alpha-2 code from alpha-2 or alpha-3 input.

    >>> country_code("mex"), country_code("MX"), country_code("EU")
    ('MX', 'MX', 'EU')
    """
    raw = code.strip().upper()
    if len(raw) == 3 and raw.isalpha():
        alias = get_global("territory_aliases").get(raw)
        raw = alias[0] if alias else raw
    if len(raw) != 2 or raw in NOT_COUNTRIES or raw not in Locale.parse("en").territories:
        raise UsageError(f"unknown country '{code}'; use an ISO 3166-1 code such as MX or MEX")
    return raw


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

    def pgettext(self, context: str, message: str) -> str:
        """A string of the tool itself, in a context."""
        return self._lookup(DOMAIN_UI, context, message)

    def content(self, context: str, message: str) -> str:
        """Questionnaire or catalogue content (domain ``questionnaire``)."""
        return self._lookup(DOMAIN_CONTENT, context, message)

    # --- CLDR data ---------------------------------------------------------

    @property
    def rtl(self) -> bool:
        return bool(self.locale.character_order == "right-to-left")

    def date(self, value: dt.date) -> str:
        return str(format_date(value, "long", locale=self.locale))

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.locale))

    def percent(self, value: float) -> str:
        """A share in [0, 1] as a whole percentage, spaced as the locale spaces it."""
        return str(format_percent(value, locale=self.locale))

    def country(self, code: str) -> str:
        """The country's name in this language, from CLDR."""
        return str(self.locale.territories.get(code, code))

    def countries(self) -> list[tuple[str, str]]:
        """(code, name) of every country, sorted for this language's readers."""
        names = {
            code: name
            for code, name in self.locale.territories.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        }
        return sorted(names.items(), key=lambda kv: self.sort_key(kv[1]))

    def sort_key(self, text: str) -> bytes:
        """Orders text as this language's dictionaries do (ICU collation).

        French sorts "Égypte" among the E's, Chinese by pinyin, Russian and
        Arabic by their alphabets; a casefold sort would get all of them wrong.
        """
        return bytes(_collator(self.lang).getSortKey(text))

    def language_name(self, code: str) -> str:
        return str(Locale.parse(code).get_display_name(self.locale))
