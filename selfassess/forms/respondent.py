"""The simulated respondent: the answers and the typing that ``demo``, the
tests and the benchmarks fill forms with.

Answers have the shape :class:`~selfassess.response.interpret.ParseResult`
gives back, and respect the questionnaire's conditions (one rule:
:func:`~selfassess.response.interpret.applies`), so parsing a filled form
returns them. What is typed is what a person types: a choice's label in the
form's language, the form's tick mark, numbers in the form's locale in Word.
The Word-style editing itself (split runs, proofing marks, tracked changes)
is the tests' own simulation (``tests/forms/docx_fill.py``), given the
:func:`word_entries` made here.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from typing import Any

from openpyxl import load_workbook

from selfassess.constants import CTX_CHOICE_LABEL, XLSX_NAME_PREFIX, XLSX_OPTION_JOIN
from selfassess.definitions.model import Item, Questionnaire
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import destination, set_text
from selfassess.response.interpret import Answer, applies, asked, in_range, slot_id

#: The day random dates start from (a round's issue date).
FIRST_DAY = dt.date(2025, 2, 3)
#: What a Word entry is: a label or text typed, a box ticked or not, a date picked.
WordEntry = str | bool | dt.date


def random_answers(
    q: Questionnaire, rng: random.Random, country: str | None = None
) -> dict[str, Answer]:
    """Valid answers to every item that applies and that a form issued to
    ``country`` asks, about nine in ten answered."""
    answers: dict[str, Answer] = {}
    for item in q.items():
        answers[item.id] = None
        if (
            applies(item, answers) is not True
            or not asked(item, country)
            or (not item.required and rng.random() < 0.1)
        ):
            continue
        codes = [c.code for c in q.choices_of(item)]
        if item.type == "choice":
            answers[item.id] = rng.choice(codes)
        elif item.type == "multichoice":
            answers[item.id] = [c for c in codes if rng.random() < 0.3] or [codes[0]]
        elif item.type == "number":
            answers[item.id] = _in_range(item, rng.randint(0, 500) * 1000)
        elif item.type == "date":
            answers[item.id] = (FIRST_DAY + dt.timedelta(days=rng.randint(1, 80))).isoformat()
        else:
            answers[item.id] = f"Answer {rng.randint(1, 999)} to {item.ref}"
    return answers


def _in_range(item: Item, value: int | float) -> int | float:
    """``value`` when the item's range takes it; else a number in the range drawn
    from it, so that the answers of a seed stay what they were before ranges."""
    if in_range(item, value):
        return value
    lo = None if item.min is None else math.ceil(item.min)
    hi = None if item.max is None else math.floor(item.max)
    if lo is not None and hi is not None:
        # A range that holds no whole number (0.2 to 0.8) still holds its minimum.
        return lo + int(value) % (hi - lo + 1) if lo <= hi else item.min or 0
    if lo is not None:
        return lo + abs(int(value))
    return (hi or 0) - abs(int(value))


def complete_answers(q: Questionnaire, country: str | None = None) -> dict[str, Answer]:
    """An answer to every item a respondent (of a form issued to ``country``) may
    answer, the same every time.

    Choices rotate through each list so that every label is used; a choice
    that other items depend on gets the value that opens most of them, and a
    multiple choice ticks every option a dependent needs.
    """
    wanted: dict[str, list[str]] = {}
    for item in q.items():
        if item.condition is not None:
            code = item.condition.equals or item.condition.includes
            wanted.setdefault(item.condition.item, []).append(code or "")
    answers: dict[str, Answer] = {}
    for n, item in enumerate(q.items()):
        answers[item.id] = None
        if applies(item, answers) is not True or not asked(item, country):
            continue
        choices = q.choices_of(item)
        if item.type == "choice":
            need = wanted.get(item.id)
            answers[item.id] = max(need, key=need.count) if need else choices[n % len(choices)].code
        elif item.type == "multichoice":
            ticked = [
                c.code
                for i, c in enumerate(choices)
                if (i + n) % 2 == 0 or c.code in wanted.get(item.id, [])
            ]
            answers[item.id] = ticked or None
        elif item.type == "number":
            answers[item.id] = _in_range(item, [12, 1234.5, 0, 2500000][n % 4])
        elif item.type == "date":
            answers[item.id] = (dt.date(2025, 1, 1) + dt.timedelta(days=37 * n % 365)).isoformat()
        else:
            answers[item.id] = f"{item.ref} answer\nsecond line\twith a tab"
    return answers


def _label(q: Questionnaire, item: Item, code: str, loc: Localizer) -> str:
    return loc.content(
        CTX_CHOICE_LABEL, next(c.label for c in q.choices_of(item) if c.code == code)
    )


def excel_entries(q: Questionnaire, answers: dict[str, Answer], lang: str) -> dict[str, Any]:
    """Defined name of each slot -> what a person types into its cell."""
    loc = Localizer(lang)
    typed: dict[str, Any] = {}
    for item in q.items():
        value = answers.get(item.id)
        if value is None:
            continue
        name = XLSX_NAME_PREFIX + item.id
        if item.type == "multichoice" and isinstance(value, list):
            for code in value:
                typed[name + XLSX_OPTION_JOIN + code] = loc.pgettext("tick", "x")
        elif item.type == "choice":
            typed[name] = _label(q, item, str(value), loc)
        elif item.type == "date":
            typed[name] = dt.date.fromisoformat(str(value))
        else:
            typed[name] = value
    return typed


def word_entries(q: Questionnaire, answers: dict[str, Answer], lang: str) -> dict[str, WordEntry]:
    """Slot id -> what a person enters in its control: a label picked, a box
    ticked or cleared, a number typed in the form's locale, a date picked."""
    loc = Localizer(lang)
    entries: dict[str, WordEntry] = {}
    for item in q.items():
        value = answers.get(item.id)
        if value is None:
            continue
        if item.type == "multichoice":
            for c in q.choices_of(item):
                entries[slot_id(item.id, c.code)] = isinstance(value, list) and c.code in value
        elif item.type == "choice":
            entries[item.id] = _label(q, item, str(value), loc)
        elif item.type == "date":
            entries[item.id] = dt.date.fromisoformat(str(value))
        elif item.type == "number":
            entries[item.id] = loc.number(float(str(value)))
        else:
            entries[item.id] = str(value)
    return entries


def fill_xlsx(data: bytes, answers: dict[str, Answer], q: Questionnaire, lang: str) -> bytes:
    """Type ``answers`` into an Excel form through its defined names, as a person would."""
    wb = load_workbook(io.BytesIO(data))
    for name, value in excel_entries(q, answers, lang).items():
        found = destination(wb.defined_names[name])
        if found is None:
            raise ValueError(f"the form has no cell for {name}")
        cell = wb[found[0]][found[1]]
        if isinstance(value, str):
            set_text(cell, value)
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
