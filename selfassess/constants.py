"""Every name other tools or files rely on, in one place.

Sheet names, property names, codes and limits are part of the public contract
(see ``docs/contracts.md``): change one and old forms stop parsing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

#: The six official UN languages, in the UN's (English alphabetical) order.
LANGUAGES: Final = ("ar", "zh", "en", "fr", "ru", "es")
SOURCE_LANGUAGE: Final = "en"
#: Languages written right to left.
RTL_LANGUAGES: Final = frozenset({"ar"})

#: Lower-case ASCII, starts with a letter, single underscores between parts.
#: Dots and hyphens are left out so that an id is also a valid Excel name part.
ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ID_RULE: Final = (
    "lower-case ASCII letters and digits, starting with a letter, parts joined by a single '_'"
)
#: Separator between an item id and an option code in a slot id.
SLOT_SEPARATOR: Final = ":"

ANSWER_TYPES: Final = ("choice", "multichoice", "text", "number", "date")

DEFAULT_QUESTIONNAIRE: Final = "ctoc_wgta"
#: Folders under questionnaires/ that hold other data than questionnaire versions.
NON_QUESTIONNAIRE_DIRS: Final = frozenset({"catalogue", "names", "parties"})
DEFAULT_CATALOGUE: Final = "ctoc_wgta"

# gettext domains: the tool's own strings, and questionnaire content.
DOMAIN_UI: Final = "selfassess"
DOMAIN_CONTENT: Final = "questionnaire"

# Form metadata keys, as stored in custom document properties (both formats)
# and in the hidden metadata sheet (Excel).
META_PREFIX: Final = "selfassess."
META_KEYS: Final = (
    "questionnaire",
    "version",
    "language",
    "country",
    "form_id",
    "issued",
    "deadline",
    "signature",
)

# Excel workbook layout.
SHEET_INSTRUCTIONS: Final = "instructions"
SHEET_COVER: Final = "cover"
SHEET_LISTS: Final = "lists"
SHEET_META: Final = "meta"
#: Defined name of an answer slot: prefix + item id, or prefix + item id +
#: ``__`` + option code (ids never contain ``__``). The prefix keeps a name
#: from looking like a cell reference such as ``ab12``.
XLSX_NAME_PREFIX: Final = "sa_"
XLSX_OPTION_JOIN: Final = "__"
#: Defined name of a choice list on the lists sheet.
XLSX_LIST_PREFIX: Final = "list_"
#: Defined names of the one-value tick list and of the country list: the
#: double underscore, which no list id contains, keeps them apart from those.
XLSX_TICK_LIST: Final = "list__tick"
XLSX_COUNTRY_LIST: Final = "list__country"
#: The metadata sheet holds one key per row: META_PREFIX + key in one
#: column, the value, as text, in the next.
XLSX_META_KEY_COLUMN: Final = 1
XLSX_META_VALUE_COLUMN: Final = 2

Format = Literal["docx", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = ("docx", "xlsx")

#: Bounds an answer must keep in every format: the Excel forms' validations
#: and the XLSForm's constraints say the same.
ANSWER_NUMBER_LIMIT: Final = 10**15
ANSWER_DATE_MIN: Final = dt.date(1900, 1, 1)
ANSWER_DATE_MAX: Final = dt.date(2999, 12, 31)

# XLSForm (online collection): the country question's choice list, and the
# calculated fields that carry the questionnaire id and version into every
# submission (field names are item ids, which never start with "sa_").
XLSFORM_COUNTRY_LIST: Final = "countries"
XLSFORM_QUESTIONNAIRE_FIELD: Final = "sa_questionnaire"
XLSFORM_VERSION_FIELD: Final = "sa_version"

# Message contexts of the content domain: where a string appears.
CTX_QUESTIONNAIRE_TITLE: Final = "questionnaire.title"
CTX_SECTION_TITLE: Final = "section.title"
CTX_ITEM_PROMPT: Final = "item.prompt"
CTX_ITEM_HELP: Final = "item.help"
CTX_CHOICE_LABEL: Final = "choice.label"
CTX_CHOICE_HELP: Final = "choice.help"
CTX_ENTRY_NOTE: Final = "entry.note"
CTX_REC_TITLE: Final = "recommendation.title"
CTX_REC_TEXT: Final = "recommendation.text"
CTX_TOPIC_TITLE: Final = "topic.title"
CTX_SOURCE_TITLE: Final = "source.title"
CTX_CATALOGUE_TITLE: Final = "catalogue.title"

#: Territory codes CLDR lists that are not countries a form can be issued to.
#: The second set: codes ISO 3166-1 only reserves (parts of countries); CLDR
#: names Sark (CQ) in English only, so keeping it would make the lists differ.
NOT_COUNTRIES: Final = frozenset(
    {"ZZ", "QO", "EZ", "UN", "XA", "XB", "XK"} | {"AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)

#: Slot of a blank form where the respondent picks the country: the Excel
#: defined name is XLSX_NAME_PREFIX + COUNTRY_SLOT, the Word tag COUNTRY_SLOT.
COUNTRY_SLOT: Final = "form_country"

# What an item is for the scorer (the ``role`` key of a questionnaire item).
ROLE_STATUS: Final = "status"
ROLE_MEASURES: Final = "measures"
ROLE_TA_NEEDED: Final = "ta_needed"
ROLE_TA_KINDS: Final = "ta_kinds"
ROLE_TA_OTHER: Final = "ta_other"
ROLE_TA_PRIORITY: Final = "ta_priority"

# Codes of the consistency flags of ``selfassess score --json``.
FLAG_FULLY_BUT_DRAFTING: Final = "fully_but_drafting"
FLAG_FULLY_NO_MEASURES: Final = "fully_no_measures"
FLAG_FULLY_BUT_NO: Final = "fully_but_no"
FLAG_REQUIRED_MISSING: Final = "required_missing"
FLAG_CODES: Final = (
    FLAG_FULLY_BUT_DRAFTING,
    FLAG_FULLY_NO_MEASURES,
    FLAG_FULLY_BUT_NO,
    FLAG_REQUIRED_MISSING,
)

# Secretariat (docs/secretariat.md): ids in parties files, statuses in the store.
REGIONAL_GROUPS: Final = (
    "african",
    "asia_pacific",
    "eastern_european",
    "latin_american_caribbean",
    "weog",
)
RETURN_STATUSES: Final = ("accepted", "accepted_with_problems", "rejected", "superseded")
#: Weight of a technical-assistance request by its priority in aggregate demand.
TA_PRIORITY_WEIGHTS: Final = {"high": 3, "medium": 2, "low": 1}
#: Weight of a request whose priority was not given.
TA_PRIORITY_DEFAULT_WEIGHT: Final = 1
#: A regional or thematic figure resting on fewer replies is not shown, so
#: that no single State can be read off it (DESIGN.md, principle 3).
MIN_REPLIES_DEFAULT: Final = 3
#: Seed of the demo's random answers, and of `selfassess fill` by default.
DEMO_SEED: Final = 2025
DEFAULT_STORE: Final = "outputs/selfassess.sqlite"
