"""Every name other tools or files rely on, in one place.

Sheet names, property names, codes and limits are part of the public contract
(see ``docs/contracts.md``): change one and old forms stop parsing.

Each closed set of codes is a ``Literal`` type, the source, and where code
needs the values it takes them with ``get_args`` (``Literal[*TUPLE]`` does
not type-check), so the two can never differ.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal, get_args

#: The six official UN languages, in the UN's (English alphabetical) order.
Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
SOURCE_LANGUAGE: Final = "en"

#: Lower-case ASCII, starts with a letter, single underscores between parts.
#: Dots and hyphens are left out so that an id is also a valid Excel name part.
ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ID_RULE: Final = (
    "lower-case ASCII letters and digits, starting with a letter, parts joined by a single '_'"
)
#: A form id: what :func:`selfassess.response.meta.new_form_id` makes ("f" and
#: 16 hex digits) and any id the secretariat chooses within this rule. It
#: appears in file names and the store, so it holds no separators or dots.
FORM_ID_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
#: Separator between an item id and an option code in a slot id.
SLOT_SEPARATOR: Final = ":"

AnswerType = Literal["choice", "multichoice", "text", "number", "date"]

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
    "period",
    "signature",
)
#: Metadata keys a form issued before them does not have: the signature covers
#: each only when it is non-empty, so those forms still verify.
META_OPTIONAL_KEYS: Final = frozenset({"period"})

# Excel workbook layout.
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

#: Formats of a form; a response may also be JSON (``parse --json``, ``merge``).
Format = Literal["docx", "xlsx"]
FORMATS: Final[tuple[Format, ...]] = get_args(Format)
#: Servers an online (XLSForm) submission comes from.
Channel = Literal["odk_central", "kobotoolbox"]
#: A form re-saved by LibreOffice in OpenDocument format ("Use ODF format"):
#: the .xlsx form as a spreadsheet, the .docx form as a text.
OdfFormat = Literal["ods", "odt"]
#: Formats of a returned form: what ``check_package`` recognises.
ReturnFormat = Format | OdfFormat
ResponseFormat = ReturnFormat | Channel | Literal["json"]

#: Severity of a problem in a return.
Severity = Literal["error", "warning"]

# Message contexts of the tool's own domain: the one-word tick marks and
# yes/no of a multiple choice, which need a context to be translated alone.
# Written as literals where used, since extraction reads only literals.
UiContext = Literal["tick"]

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
ContentContext = Literal[
    "questionnaire.title",
    "section.title",
    "item.prompt",
    "item.help",
    "choice.label",
    "choice.help",
    "entry.note",
    "recommendation.title",
    "recommendation.text",
    "topic.title",
    "catalogue.title",
    "source.title",
]
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

#: Parties that are regional economic integration organizations (art. 36 of the
#: Convention), not States: their forms do not ask the items marked ``states_only``.
REIO_PARTIES: Final = frozenset({"EU"})

#: Slot of a blank form where the respondent picks the country: the Excel
#: defined name is XLSX_NAME_PREFIX + COUNTRY_SLOT, the Word tag COUNTRY_SLOT.
COUNTRY_SLOT: Final = "form_country"
#: A text item with this id is prefilled with the round's reporting period,
#: written in the form's language; the respondent may correct it.
PERIOD_ITEM: Final = "reporting_period"

# What an item is for the scorer (the ``role`` key of a questionnaire item);
# ``challenges`` marks the free text on obstacles, which nothing scores.
Role = Literal[
    "status", "measures", "ta_needed", "ta_kinds", "ta_other", "ta_priority", "challenges"
]
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
FlagCode = Literal["fully_but_drafting", "fully_no_measures", "fully_but_no", "required_missing"]

# Secretariat (docs/secretariat.md): ids in parties files, statuses in the store.
RegionalGroup = Literal[
    "african", "asia_pacific", "eastern_european", "latin_american_caribbean", "weog"
]
REGIONAL_GROUPS: Final[tuple[RegionalGroup, ...]] = get_args(RegionalGroup)
#: What ingesting a return decided, and its status in the store (a later
#: return of the same country supersedes it).
Outcome = Literal["accepted", "accepted_with_problems", "rejected"]
ReturnStatus = Outcome | Literal["superseded"]
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
