"""The normalised shape between the two form formats and everything after them.

Readers (``forms/xlsx_reader``, ``forms/docx_reader``) only find raw values:
what sits in each answer slot, and where. :func:`interpret` then does the
interpretation once for both formats: labels to codes, numbers, dates,
conditions, required answers; every problem is located.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from selfassess.constants import (
    CTX_CHOICE_LABEL,
    LANGUAGES,
    REIO_PARTIES,
    SLOT_SEPARATOR,
    Channel,
    ResponseFormat,
    ReturnFormat,
)
from selfassess.definitions.model import Item, Model, Questionnaire
from selfassess.errors import UsageError
from selfassess.i18n.localizer import N_, Localizer, fold
from selfassess.problems import Finding, Problem, ProblemCode
from selfassess.response.meta import FormMeta, Period, SignatureStatus
from selfassess.response.values import (
    clean_text,
    iso_date,
    number_value,
    parse_date_text,
    parse_number,
)
from selfassess.safety.text import xml_text

Answer = str | int | float | list[str] | None
RawScalar = str | int | float | bool | dt.date | dt.datetime | None


class SubmissionInfo(Model):
    """Where an online submission stands on its server (ODK Central, KoBoToolbox)."""

    instance_id: str
    edits: int = 0
    """How often it was edited on the server; a higher count supersedes a lower one."""
    review_state: str | None = None
    submitted: dt.datetime | None = None


class FormInfo(Model):
    questionnaire: str
    version: str
    language: str
    country: str | None
    form_id: str
    format: ResponseFormat
    signature: SignatureStatus
    issued: dt.date | None = None
    deadline: dt.date | None = None
    period: Period | None = None
    """The reporting period the form was issued with; only forms issued with one."""
    submission: SubmissionInfo | None = None
    """Only for a submission collected online."""


class ParseResult(Model):
    """A parsed return: the contract of ``selfassess parse --json``."""

    form: FormInfo
    answers: dict[str, Answer]
    locations: dict[str, str]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        for key in ("issued", "deadline"):
            data["form"].pop(key, None)
        for key in ("period", "submission"):
            if data["form"][key] is None:
                del data["form"][key]
        return data


@dataclass(frozen=True)
class RawValue:
    """What a reader found in one answer slot."""

    value: RawScalar
    location: str
    formula: bool = False
    """The slot held a formula: never an answer, whatever its cached value."""


@dataclass
class RawForm:
    """What a reader returns: metadata, raw slot values, reader-level problems."""

    meta: FormMeta
    format: ReturnFormat | Channel
    values: dict[str, RawValue] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)


def slot_id(item_id: str, option: str | None = None) -> str:
    """``wg15_j_ta_kinds:training`` for an option, the item id otherwise."""
    return f"{item_id}{SLOT_SEPARATOR}{option}" if option else item_id


def item_slots(questionnaire: Questionnaire, item: Item) -> list[str]:
    """The slot ids of an item: one per option of a multiple choice, else the item id."""
    if item.type == "multichoice":
        return [slot_id(item.id, ch.code) for ch in questionnaire.choices_of(item)]
    return [item.id]


class _Labels:
    """Every way a respondent may write a choice: any language's label, or the code.

    The code comes first, then the form's language, then the others in the
    order of ``LANGUAGES``; a language's table is built (and its catalog
    read) only when an answer matched none before it, so a return answered
    in its own language never reads another language's catalog.
    """

    def __init__(self, questionnaire: Questionnaire, lang: str) -> None:
        self.questionnaire = questionnaire
        self.order = [lang, *(other for other in LANGUAGES if other != lang)]
        self.codes = {
            cl.id: {fold(ch.code): ch.code for ch in cl.choices}
            for cl in questionnaire.choice_lists
        }
        # Labels forms showed before a translation was corrected: read after
        # every current label, so a current label always wins.
        self.former = {
            cl.id: {fold(f): ch.code for ch in cl.choices for f in ch.former_labels}
            for cl in questionnaire.choice_lists
        }
        # Cyrillic "х" (U+0445) looks like "x" and is what a Russian keyboard
        # types; refusing it would ask the respondent to type what they typed.
        self.ticks = {fold(t) for t in ("x", "х", "✓", "✔", "☒", "☑", "true", "1")}
        self.blanks = {fold(t) for t in ("☐", "false", "0", "-")}
        self._tables: dict[str, _LanguageLabels] = {}

    def _table(self, lang: str) -> _LanguageLabels:
        table = self._tables.get(lang)
        if table is None:
            table = self._tables[lang] = _LanguageLabels(self.questionnaire, Localizer(lang))
        return table

    def choice(self, list_id: str, folded: str) -> str | None:
        """The code of a folded label or code in the choice list ``list_id``."""
        found = self.codes.get(list_id, {}).get(folded)
        for lang in self.order:
            if found is not None:
                break
            found = self._table(lang).choices.get(list_id, {}).get(folded)
        return found if found is not None else self.former.get(list_id, {}).get(folded)

    def tick(self, folded: str) -> bool | None:
        """True for a tick mark, False for a blank one, None for anything else."""
        if folded in self.ticks:
            return True
        if folded in self.blanks:
            return False
        for lang in self.order:
            table = self._table(lang)
            if folded in table.ticks:
                return True
            if folded in table.blanks:
                return False
        return None


class _LanguageLabels:
    """One language's choice labels and tick words, folded."""

    def __init__(self, questionnaire: Questionnaire, loc: Localizer) -> None:
        self.choices = {
            cl.id: {
                fold(loc.content(CTX_CHOICE_LABEL, ch.label)): ch.code
                for ch in reversed(cl.choices)
            }
            for cl in questionnaire.choice_lists
        }
        self.ticks = {fold(loc.pgettext("tick", "Yes")), fold(loc.pgettext("tick", "x"))}
        self.blanks = {fold(loc.pgettext("tick", "No"))}


def interpret(
    questionnaire: Questionnaire,
    raw: RawForm,
    signature: SignatureStatus,
    ui: Localizer | None = None,
) -> ParseResult:
    """Turn raw slot values into answers, with every problem located.

    ``ui`` is the language of the problem messages: the form's by default, so
    that a French return gets French problems.
    """
    labels = _Labels(questionnaire, raw.meta.language)
    lang = raw.meta.language
    answers: dict[str, Answer] = {}
    locations: dict[str, str] = {}
    found = list(raw.problems)
    form_loc = Localizer(lang)
    loc = ui or form_loc

    def problem(code: ProblemCode, item: Item | None, where: str | None, **params: object) -> None:
        found.append(Finding(code, item.id if item else None, where, params))

    def allowed(item: Item) -> str:
        return ", ".join(
            form_loc.content(CTX_CHOICE_LABEL, ch.label) for ch in questionnaire.choices_of(item)
        )

    known_slots: set[str] = set()
    for item in questionnaire.items():
        slots = item_slots(questionnaire, item)
        known_slots.update(slots)
        for s in slots:
            if s in raw.values:
                locations[s] = raw.values[s].location
        answers[item.id] = None
        if item.type == "multichoice":
            picked: list[str] = []
            for ch in questionnaire.choices_of(item):
                rv = raw.values.get(slot_id(item.id, ch.code))
                if rv is None or _blank(rv.value):
                    continue
                if rv.formula:
                    problem("formula_not_answer", item, rv.location, ref=item.ref)
                    continue
                tick = _tick(rv.value, labels)
                if tick is None:
                    problem(
                        "not_a_tick",
                        item,
                        rv.location,
                        value=rv.value,
                        ref=item.ref,
                        mark=form_loc.pgettext("tick", "x"),
                    )
                elif tick:
                    picked.append(ch.code)
            answers[item.id] = picked or None
            continue
        rv = raw.values.get(item.id)
        if rv is None or _blank(rv.value):
            continue
        if rv.formula:
            problem("formula_not_answer", item, rv.location, ref=item.ref)
            continue
        value, code = _convert(item, rv.value, lang, labels, questionnaire)
        if code is None and isinstance(value, int | float) and not in_range(item, value):
            problem(
                "number_out_of_range",
                item,
                rv.location,
                value=loc.number(value, grouped=False),
                ref=item.ref,
                range=range_hint(item, loc),
            )
            value = None
        elif code is not None:
            shown = rv.value.isoformat() if isinstance(rv.value, dt.date) else rv.value
            problem(code, item, rv.location, value=shown, ref=item.ref, choices=allowed(item))
        answers[item.id] = value

    for item in questionnaire.items():
        applies_now = applies(item, answers)
        where = locations.get(item.id) or next(
            (loc for s, loc in locations.items() if s.startswith(item.id + SLOT_SEPARATOR)), None
        )
        if answers[item.id] is not None and applies_now is False and item.condition is not None:
            cond_item = questionnaire.item(item.condition.item)
            problem(
                "condition_not_met",
                item,
                where,
                ref=item.ref,
                cond_ref=cond_item.ref,
                expected=_label(
                    questionnaire,
                    cond_item,
                    item.condition.equals or item.condition.includes or "",
                    form_loc,
                ),
            )
        if (
            item.required
            and answers[item.id] is None
            and applies_now is not False
            and asked(item, raw.meta.country)
        ):
            problem("required_missing", item, where, ref=item.ref)

    extra = sorted(set(raw.values) - known_slots)
    if extra:
        problem(
            "unknown_slots",
            None,
            None,
            count=len(extra),
            qid=questionnaire.id,
            version=questionnaire.version,
            slots=", ".join(extra[:10]),
        )

    meta = raw.meta
    return ParseResult(
        form=FormInfo(
            questionnaire=meta.questionnaire,
            version=meta.version,
            language=meta.language,
            country=meta.country,
            form_id=meta.form_id,
            format=raw.format,
            signature=signature,
            issued=meta.issued,
            deadline=meta.deadline,
            period=meta.period,
        ),
        answers=answers,
        locations=locations,
        problems=[f.render(loc) for f in found],
    )


def _blank(value: RawScalar) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tick(value: RawScalar, labels: _Labels) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if value in (0, 1) else None
    return labels.tick(fold(str(value)))


def _label(q: Questionnaire, item: Item, code: str, loc: Localizer) -> str:
    for ch in q.choices_of(item):
        if ch.code == code:
            return loc.content(CTX_CHOICE_LABEL, ch.label)
    return code


def applies(item: Item, answers: Mapping[str, Answer]) -> bool | None:
    """Whether ``item`` applies given ``answers``: the one rule for conditions.

    True or False when its condition is decided, None when the item the
    condition looks at is unanswered (the parser then neither requires nor
    refuses an answer; a simulated respondent leaves the item alone).
    """
    cond = item.condition
    if cond is None:
        return True
    given = answers.get(cond.item)
    if given is None:
        return None
    if cond.equals is not None:
        return given == cond.equals
    return isinstance(given, list) and cond.includes in given


def _convert(
    item: Item, value: RawScalar, lang: str, labels: _Labels, q: Questionnaire
) -> tuple[Answer, ProblemCode | None]:
    """(answer, None) or (None, the problem's code)."""
    if item.type == "choice":
        if isinstance(value, bool | dt.date):
            return None, "not_a_choice"
        text = str(number_value(value)) if isinstance(value, float) else str(value)
        code = labels.choice(item.choices or "", fold(text))
        return (code, None) if code else (None, "not_a_choice")
    if item.type == "number":
        if isinstance(value, bool | dt.date) or value is None:
            return None, "not_a_number"
        if isinstance(value, int | float):
            return (
                (number_value(float(value)), None)
                if math.isfinite(value)
                else (None, "not_a_number")
            )
        parsed = parse_number(value, lang)
        return (number_value(parsed), None) if parsed is not None else (None, "not_a_number")
    if item.type == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), None
        if isinstance(value, dt.date):
            return value.isoformat(), None
        if isinstance(value, str):
            parsed_date = parse_date_text(value, lang)
            return (parsed_date.isoformat(), None) if parsed_date else (None, "not_a_date")
        return None, "not_a_date"
    # text
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10], None
    if isinstance(value, float):
        return str(number_value(value)), None
    # XML-illegal characters cannot come from a form, but can from an online
    # export: replaced, so that every channel's answers fit any form again.
    return clean_text(xml_text(str(value))) or None, None


#: What a form shows instead of the answer field of an item it does not ask.
NOT_ASKED = N_("Not applicable to a regional economic integration organization.")


def asked(item: Item, country: str | None) -> bool:
    """Whether a form issued to ``country`` asks ``item``: the one rule for items
    that a regional economic integration organization is not asked.

    A blank form (no country) asks everything, so whoever fills it may answer.
    """
    return not (item.states_only and country in REIO_PARTIES)


def in_range(item: Item, value: float) -> bool:
    """Whether a number lies within the item's ``min`` and ``max``: the one range rule."""
    return (item.min is None or value >= item.min) and (item.max is None or value <= item.max)


def range_hint(item: Item, loc: Localizer) -> str:
    """What to type in a number item with a range, in ``loc``'s language; "" without one.

    Forms show it (Word under the question, Excel in the cell's validation,
    XLSForm as the constraint message) and the range problem ends with it.
    """
    lo = None if item.min is None else loc.number(item.min, grouped=False)
    hi = None if item.max is None else loc.number(item.max, grouped=False)
    if lo is not None and hi is not None:
        return loc.gettext("Type a number from {min} to {max}.").format(min=lo, max=hi)
    if lo is not None:
        return loc.gettext("Type a number of {min} or more.").format(min=lo)
    if hi is not None:
        return loc.gettext("Type a number of {max} or less.").format(max=hi)
    return ""


def answer_fits(item: Item, answer: Answer, questionnaire: Questionnaire) -> bool:
    """Whether a non-null answer has the shape :class:`ParseResult` gives ``item``.

    A choice code of the item's list; a non-empty list of its codes; a finite
    number within the item's range; an ISO date; a string. For answers that come from elsewhere than
    :func:`interpret` (JSON, prefills).
    """
    codes = {ch.code for ch in questionnaire.choices_of(item)}
    if item.type == "choice":
        return isinstance(answer, str) and answer in codes
    if item.type == "multichoice":
        return isinstance(answer, list) and bool(answer) and set(answer) <= codes
    if item.type == "number":
        return (
            isinstance(answer, int | float)
            and not isinstance(answer, bool)
            and math.isfinite(answer)
            and in_range(item, answer)
        )
    if item.type == "date":
        return isinstance(answer, str) and iso_date(answer) is not None
    return isinstance(answer, str)


def form_can_carry(answer: Answer) -> bool:
    """Whether a form can hold ``answer``: no character XML cannot (a response
    JSON may hold them; no form, and so no respondent, can)."""
    return not isinstance(answer, str) or xml_text(answer) == answer


def check_prefill(questionnaire: Questionnaire, prefill: Mapping[str, Answer]) -> dict[str, Answer]:
    """The non-null answers of a prefill, each checked with :func:`answer_fits`.

    A prefill is written into a form as if a respondent had given it, so an
    answer no respondent could give is refused with a UsageError naming it.
    """
    out: dict[str, Answer] = {}
    for item_id, answer in prefill.items():
        try:
            item = questionnaire.item(item_id)
        except KeyError:
            raise UsageError(
                f"prefill: no item '{item_id}' in {questionnaire.id} {questionnaire.version}"
            ) from None
        if answer is None:
            continue
        if not answer_fits(item, answer, questionnaire):
            raise UsageError(
                f"prefill: {answer!r} is not a valid {item.type} answer for {item.ref} ({item_id})"
            )
        if not form_can_carry(answer):
            raise UsageError(
                f"prefill: the answer for {item.ref} ({item_id}) holds characters no form "
                "can carry (control characters); remove them"
            )
        out[item_id] = answer
    return out
