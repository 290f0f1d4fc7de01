"""The questionnaire as an XLSForm, for online collection (ODK Central, KoBoToolbox, Enketo).

The same definition that makes the Word and Excel forms makes the web form:
one group per section, the recommendation texts as notes, ``select_one`` and
``select_multiple`` over the shared choice lists, ``decimal``, ``date`` and
``text``; ``required`` as defined, ``relevant`` for every condition, and the
Excel form's bounds on numbers and dates as constraints. Labels, hints and
messages come in the six languages from the same catalogs as the forms.

Field names are the item ids (the Word tags and Excel names of the offline
forms), so a submission's fields map straight back to items. The XLSForm
``form_id`` is the questionnaire id and its ``version`` the questionnaire
version; two calculated fields carry them into every submission too, because
not every server's export keeps the settings (see :mod:`selfassess.forms.online`).

>>> from selfassess.definitions.questionnaire import load_questionnaire
>>> book = xlsform_rows(load_questionnaire("ctoc_wgta", "1.0"))
>>> book.settings[1][:3]
['ctoc_wgta', '1.0', 'English (en)']
>>> [row[0] for row in book.survey[1:5]]
['calculate', 'calculate', 'begin_group', 'select_one countries']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from selfassess.constants import (
    ANSWER_DATE_MAX,
    ANSWER_DATE_MIN,
    ANSWER_NUMBER_LIMIT,
    COUNTRY_SLOT,
    CTX_CHOICE_LABEL,
    CTX_ITEM_HELP,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TEXT,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    LANGUAGES,
    REIO_PARTIES,
    SOURCE_LANGUAGE,
    XLSFORM_COUNTRY_LIST,
    XLSFORM_QUESTIONNAIRE_FIELD,
    XLSFORM_VERSION_FIELD,
    ContentContext,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Condition, Item, Questionnaire
from selfassess.errors import UsageError
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import set_text
from selfassess.response.interpret import range_hint

#: XLSForm type of each answer type; choice types take the list id after a space.
_TYPES = {
    "choice": "select_one",
    "multichoice": "select_multiple",
    "number": "decimal",
    "date": "date",
    "text": "text",
}
#: Characters ODK's label markdown would take as emphasis or a heading.
_MARKDOWN = re.compile(r"([\\*_#])")
_EXAMPLE_NUMBER = 12.5
_EXAMPLE_DATE = "2025-03-31"


def language_column(lang: str) -> str:
    """XLSForm's language suffix: the language's English name and its code.

    ODK clients take the code in parentheses as the language tag (Arabic is
    then laid out right to left).

    >>> language_column("zh")
    'Chinese (zh)'
    """
    return f"{Localizer(SOURCE_LANGUAGE).language_name(lang)} ({lang})"


@dataclass
class XLSFormBook:
    """The three sheets of an XLSForm, each a list of rows with a header row first."""

    survey: list[list[str]]
    choices: list[list[str]]
    settings: list[list[str]]
    missing: set[tuple[str, str | None, str]] = field(default_factory=set)
    """Translations that fell back to English (domain, context, message)."""


def _escape(text: str) -> str:
    """Text shown literally by ODK clients, whose labels are markdown."""
    return _MARKDOWN.sub(r"\\\1", text)


def relevant(condition: Condition) -> str:
    """The XPath of a condition, the rule ``response.interpret`` applies on parse.

    >>> relevant(Condition(item="focal_point", equals="yes"))
    "${focal_point} = 'yes'"
    >>> relevant(Condition(item="kinds", includes="other"))
    "selected(${kinds}, 'other')"
    """
    if condition.equals is not None:
        return f"${{{condition.item}}} = '{condition.equals}'"
    return f"selected(${{{condition.item}}}, '{condition.includes}')"


def xlsform_rows(
    questionnaire: Questionnaire,
    countries: list[str] | None = None,
    languages: tuple[str, ...] = LANGUAGES,
) -> XLSFormBook:
    """The XLSForm of ``questionnaire``, labelled in ``languages``.

    ``countries`` (ISO codes) are the choices of the country question; the
    Parties of the shipped Parties file by default.
    """
    if countries is None:
        from selfassess.definitions.parties import load_parties  # noqa: PLC0415 (only the default needs the Parties file)

        countries = load_parties().codes()
    locs = [Localizer(lang) for lang in languages]
    cols = [language_column(lang) for lang in languages]
    catalogue = load_catalogue(questionnaire.catalogue)

    def each(text: str | None, ctx: ContentContext | None = None, ui: bool = False) -> list[str]:
        if not text:
            return ["" for _ in locs]
        shown = [
            loc.gettext(text) if ui else loc.content(ctx, text) if ctx else text for loc in locs
        ]
        return [_escape(s) for s in shown]

    header = ["type", "name", "required", "relevant", "constraint", "calculation", "appearance"]
    header += [f"label::{c}" for c in cols] + [f"hint::{c}" for c in cols]
    header += [f"constraint_message::{c}" for c in cols]
    survey: list[list[str]] = [header]
    names: set[str] = set()

    def row(
        kind: str,
        name: str,
        label: list[str] | None = None,
        hint: list[str] | None = None,
        *,
        required: bool = False,
        when: str = "",
        constraint: str = "",
        message: list[str] | None = None,
        calculation: str = "",
        appearance: str = "",
    ) -> None:
        if kind != "end_group":
            if name in names:
                raise UsageError(
                    f"{questionnaire.id} {questionnaire.version}: '{name}' names two things "
                    "(a section, recommendation or item); XLSForm needs unique names"
                )
            names.add(name)
        blank = ["" for _ in locs]
        survey.append(
            [kind, name, "yes" if required else "", when, constraint, calculation, appearance]
            + (label or blank)
            + (hint or blank)
            + (message or blank)
        )

    number_message = [
        loc.gettext("Type a number, digits only, e.g. {example}.").format(
            example=loc.number(_EXAMPLE_NUMBER)
        )
        for loc in locs
    ]
    date_message = [
        loc.gettext("Type the date as YYYY-MM-DD, e.g. {example}.").format(example=_EXAMPLE_DATE)
        for loc in locs
    ]
    limit = f"{ANSWER_NUMBER_LIMIT:d}"

    reio_hidden = " and ".join(f"${{{COUNTRY_SLOT}}} != '{code}'" for code in sorted(REIO_PARTIES))

    def item_row(item: Item) -> None:
        kind = _TYPES[item.type]
        if item.choices:
            kind = f"{kind} {item.choices}"
        label = [f"{item.ref} {p}" for p in each(item.prompt, CTX_ITEM_PROMPT)]
        constraint, message = "", None
        if item.type == "number":
            lower = f"-{limit}" if item.min is None else _xpath_number(item.min)
            upper = limit if item.max is None else _xpath_number(item.max)
            constraint = f". >= {lower} and . <= {upper}"
            ranged = [range_hint(item, loc) for loc in locs]
            message = ranged if any(ranged) else number_message
        elif item.type == "date":
            constraint = (
                f". >= date('{ANSWER_DATE_MIN.isoformat()}') "
                f"and . <= date('{ANSWER_DATE_MAX.isoformat()}')"
            )
            message = date_message
        row(
            kind,
            item.id,
            label,
            each(item.help, CTX_ITEM_HELP),
            required=item.required,
            when=" and ".join(
                part
                for part in (
                    relevant(item.condition) if item.condition else "",
                    # The online form asks the country first: an item a regional
                    # economic integration organization is not asked hides for it.
                    reio_hidden if item.states_only else "",
                )
                if part
            ),
            constraint=constraint,
            message=message,
            appearance="multiline" if item.type == "text" else "",
        )

    # The definition a submission answers, in the submission itself.
    row("calculate", XLSFORM_QUESTIONNAIRE_FIELD, calculation=f"'{questionnaire.id}'")
    row("calculate", XLSFORM_VERSION_FIELD, calculation=f"'{questionnaire.version}'")
    for index, section in enumerate(questionnaire.sections):
        row("begin_group", section.id, each(section.title, CTX_SECTION_TITLE))
        if index == 0:
            row(
                f"select_one {XLSFORM_COUNTRY_LIST}",
                COUNTRY_SLOT,
                each("Country", ui=True),
                required=True,
                appearance="minimal",
            )
        for item in section.items:
            item_row(item)
        for entry in section.recommendations:
            rec = catalogue.get(entry.recommendation)
            title = each(rec.title, CTX_REC_TITLE)
            text = each(rec.text, CTX_REC_TEXT)
            row(
                "note",
                f"{entry.recommendation}_text",
                [f"**{rec.ref} {t}**\n\n{x}" for t, x in zip(title, text, strict=True)],
            )
            for item in entry.items:
                item_row(item)
        row("end_group", "")

    choices: list[list[str]] = [["list_name", "name"] + [f"label::{c}" for c in cols]]
    for cl in questionnaire.choice_lists:
        for ch in cl.choices:
            choices.append([cl.id, ch.code, *each(ch.label, CTX_CHOICE_LABEL)])
    for code in countries:
        choices.append([XLSFORM_COUNTRY_LIST, code, *(_escape(loc.country(code)) for loc in locs)])

    form_title = Localizer(SOURCE_LANGUAGE).content(CTX_QUESTIONNAIRE_TITLE, questionnaire.title)
    settings = [
        ["form_id", "version", "default_language", "form_title"],
        [questionnaire.id, questionnaire.version, language_column(SOURCE_LANGUAGE), form_title],
    ]
    missing = set().union(*(loc.missing for loc in locs))
    return XLSFormBook(survey=survey, choices=choices, settings=settings, missing=missing)


def write_xlsform(
    questionnaire: Questionnaire,
    out: str | Path | IO[bytes],
    countries: list[str] | None = None,
    *,
    strict: bool = False,
) -> XLSFormBook:
    """Write the XLSForm workbook of ``questionnaire`` to a path or binary file.

    With ``strict``, a missing translation is a UsageError instead of an
    English fallback (the forms' ``--strict``).
    """
    from openpyxl import Workbook  # noqa: PLC0415 (openpyxl is slow to import)

    book = xlsform_rows(questionnaire, countries)
    if strict and book.missing:
        raise UsageError(
            f"{len(book.missing)} translation(s) missing for the XLSForm of "
            f"{questionnaire.id} {questionnaire.version}; run 'selfassess i18n status'"
        )
    wb = Workbook()
    for index, (name, rows) in enumerate(
        (("survey", book.survey), ("choices", book.choices), ("settings", book.settings))
    ):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value:
                    set_text(ws.cell(row=r, column=c), value)
    wb.save(out)
    return book


def _xpath_number(value: float) -> str:
    """A bound as an XPath number literal, which has no exponent (1e-05 is 0.00001)."""
    return format(Decimal(repr(value)), "f")
