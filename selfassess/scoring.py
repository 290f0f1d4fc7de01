"""The default scoring: implementation and gap, coverage, assistance needs, flags.

The rules (``shared/DESIGN.md``, "Scoring"), all in this module:

1. A **scored item** is a single-choice item whose choice list is ``scored``.
   Its answer's ``score`` is in [0, 1], or ``None`` for an answer that says
   nothing about implementation (not applicable, not known).
2. **Recommendation implementation** is the mean of its answered scored items
   with a non-null score, weighted by item ``weight``; ``None`` when there are
   none. **Gap** = 1 - implementation.
3. **Section and overall implementation** is the mean over recommendations
   with a non-null implementation, weighted by the recommendation entry's
   ``weight``. Overall is taken over recommendations, not over sections, so
   a section with many recommendations counts for more.
4. **Coverage** = scored items with any answer (not applicable and not known
   included) / scored items, unweighted.
5. Entries with ``scored: false`` (recommendations addressed to UNODC,
   requests for voluntary contributions) are left out of rules 2 to 4: they
   appear in neither ``sections`` nor ``recommendations`` and are never a gap.
   Their assistance needs and missing answers are still reported.
6. A weighted mean whose weights add up to 0 is ``None``.

Assistance needs: every entry whose ``ta_needed`` item is "yes" (or is
unanswered while kinds or a priority were given), with the kinds in definition
order, the "other" text and the priority; high priority first, then medium,
low, none, ties in questionnaire order.

Flags (consistency findings to clarify with the country), for scored entries
whose status answer has score 1 ("fully implemented"):

- ``fully_but_drafting``: legal advice and legislative drafting, or model
  legislation, is among the kinds of assistance asked for;
- ``fully_no_measures``: the measures item (legislation, policies, cases) is
  empty;
- ``fully_but_no``: a required factual yes/no question of the entry (no role,
  choice list ``yes_no``, ``yes_no_unknown`` or ``yes_partly_no_unknown``) is
  answered "no". The factual
  questions ask whether what the recommendation calls for exists (a focal
  point, fraud as a serious crime...), so "no" beside "fully implemented"
  needs explaining;

and for every item:

- ``required_missing``: a required item has no answer, unless its condition
  rules it out.

A worked example. One section, two recommendations: ``a`` of weight 3, ``b``
of weight 1, and ``c``, a request for contributions, unscored.

>>> from selfassess.definitions.model import (Choice, ChoiceList, Item, Questionnaire,
...     RecommendationEntry, Section)
>>> status = ChoiceList(id="status", scored=True, choices=(
...     Choice(code="fully", label="Fully implemented", score=1.0),
...     Choice(code="partially", label="Partially implemented", score=0.5),
...     Choice(code="not_known", label="Not known", score=None)))
>>> def rec(rec_id, weight=1.0, scored=True):
...     item = Item(id=f"{rec_id}_status", ref=f"{rec_id}.1", type="choice",
...                 prompt="Status?", choices="status", role="status", required=True)
...     return RecommendationEntry(recommendation=rec_id, weight=weight,
...                                scored=scored, items=(item,))
>>> q = Questionnaire(id="demo", version="1", title="Demo", catalogue="demo",
...     published="2025-01-01", choice_lists=(status,),
...     sections=(Section(id="s", title="S", recommendations=(
...         rec("a", weight=3), rec("b"), rec("c", scored=False))),))

``a`` is fully implemented (1.0), ``b`` partially (0.5): the section stands at
(3 x 1.0 + 1 x 0.5) / 4 = 0.875, a gap of 0.125. Both scored items are
answered: coverage 2 / 2. ``c`` is unanswered but counts nowhere, except as
a missing required answer.

>>> result = response_with(q, {"a_status": "fully", "b_status": "partially"})
>>> s = score(result, q)
>>> s.overall
Figures(implementation=0.875, gap=0.125, coverage=1.0)
>>> s.recommendations["b"]
RecommendationScore(implementation=0.5, gap=0.5, status='partially')
>>> sorted(s.recommendations), [f.item for f in s.flags]
(['a', 'b'], ['c_status'])

"Not known" says nothing about implementation: ``b`` drops out of the means
but still counts as answered.

>>> s = score(response_with(q, {"a_status": "partially", "b_status": "not_known"}), q)
>>> s.overall
Figures(implementation=0.5, gap=0.5, coverage=1.0)
>>> s.recommendations["b"]
RecommendationScore(implementation=None, gap=None, status='not_known')

An empty form has no implementation and no coverage to speak of:

>>> score(response_with(q, {}), q).overall
Figures(implementation=None, gap=None, coverage=0.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from selfassess.constants import (
    FLAG_FULLY_BUT_DRAFTING,
    FLAG_FULLY_BUT_NO,
    FLAG_FULLY_NO_MEASURES,
    FLAG_REQUIRED_MISSING,
    ROLE_MEASURES,
    ROLE_STATUS,
    ROLE_TA_KINDS,
    ROLE_TA_NEEDED,
    ROLE_TA_OTHER,
    ROLE_TA_PRIORITY,
    FlagCode,
)
from selfassess.definitions.model import Item, Model, Questionnaire, RecommendationEntry
from selfassess.i18n.localizer import Localizer
from selfassess.response.interpret import Answer, FormInfo, ParseResult, applies, asked
from selfassess.response.stored import check_answers

#: Kinds of assistance that mean the law is not yet as the recommendation asks.
DRAFTING_KINDS = ("legal_advice", "model_legislation")
#: Choice lists of factual yes/no questions, and the answer that contradicts
#: "fully implemented" when such a question is required.
YES_NO_LISTS = ("yes_no", "yes_no_unknown", "yes_partly_no_unknown")
NO = "no"
YES = "yes"


class Figures(Model):
    """Implementation, gap and coverage of a section or of the whole form."""

    implementation: float | None
    gap: float | None
    coverage: float | None


class RecommendationScore(Model):
    implementation: float | None
    gap: float | None
    status: str | None = Field(description="the code of the status answer")


class TaNeed(Model):
    recommendation: str
    kinds: list[str]
    other: str | None
    priority: str | None


class Flag(Model):
    item: str
    recommendation: str | None
    code: FlagCode
    message: str


class Score(Model):
    """The result of :func:`score`; :meth:`to_json` is ``selfassess score --json``."""

    overall: Figures
    sections: dict[str, Figures]
    recommendations: dict[str, RecommendationScore]
    ta_needs: list[TaNeed]
    flags: list[Flag]

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    """Mean of the non-null values, weighted; ``None`` when the weights add up to 0.

    >>> weighted_mean([(3, 1.0), (1, 0.5), (2, None)])
    0.875
    >>> weighted_mean([(1, None)]) is None, weighted_mean([(0, 1.0)]) is None
    (True, True)
    """
    total = weight_sum = 0.0
    for weight, value in pairs:
        if value is not None:
            total += weight * value
            weight_sum += weight
    return total / weight_sum if weight_sum > 0 else None


def _figures(implementation: float | None, coverage: float | None) -> Figures:
    gap = None if implementation is None else 1 - implementation
    return Figures(implementation=implementation, gap=gap, coverage=coverage)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def is_scored(item: Item, q: Questionnaire) -> bool:
    """A single-choice item whose choice list is scored (rule 1)."""
    return item.type == "choice" and item.choices is not None and q.choice_list(item.choices).scored


def choice_score(item: Item, code: str, q: Questionnaire) -> float | None:
    return next((ch.score for ch in q.choices_of(item) if ch.code == code), None)


def _with_role(entry: RecommendationEntry, role: str) -> Item | None:
    return next((it for it in entry.items if it.role == role), None)


class _Scorer:
    def __init__(self, result: ParseResult, q: Questionnaire, ui: Localizer) -> None:
        self.q = q
        self.answers: dict[str, Answer] = {it.id: None for it in q.items()} | result.answers
        self.country = result.form.country
        self._ = ui.gettext
        self.flags: list[Flag] = []

    def recommendation(self, entry: RecommendationEntry) -> tuple[RecommendationScore, int, int]:
        """The score of one scored entry, its scored items, and those answered."""
        # An item its condition rules out is not asked (II(u)'s status where a
        # focal point exists), nor one the Party's form does not ask (the EU's
        # states_only items): it counts neither in implementation nor coverage.
        scored = [
            it
            for it in entry.items
            if is_scored(it, self.q)
            and applies(it, self.answers) is not False
            and asked(it, self.country)
        ]
        answered = [it for it in scored if self.answers[it.id] is not None]
        implementation = weighted_mean(
            (it.weight, choice_score(it, str(self.answers[it.id]), self.q)) for it in answered
        )
        status_item = _with_role(entry, ROLE_STATUS)
        status = self.answers[status_item.id] if status_item else None
        rec = RecommendationScore(
            implementation=implementation,
            gap=None if implementation is None else 1 - implementation,
            status=status if isinstance(status, str) else None,
        )
        return rec, len(scored), len(answered)

    def ta_need(self, entry: RecommendationEntry) -> tuple[int, TaNeed] | None:
        """The entry's assistance need, after its priority's rank (high first, none last)."""
        needed, kinds_item, other, priority = (
            _with_role(entry, role)
            for role in (ROLE_TA_NEEDED, ROLE_TA_KINDS, ROLE_TA_OTHER, ROLE_TA_PRIORITY)
        )
        if needed is None:
            return None
        picked = self.answers[kinds_item.id] if kinds_item else None
        kinds = (
            [ch.code for ch in self.q.choices_of(kinds_item) if ch.code in picked]
            if kinds_item and isinstance(picked, list)
            else []
        )
        pri = self.answers[priority.id] if priority else None
        other_text = self.answers[other.id] if other else None
        answer = self.answers[needed.id]
        if answer != YES and not (answer is None and (kinds or pri is not None)):
            return None
        ranks = [ch.code for ch in self.q.choices_of(priority)] if priority else []
        rank = ranks.index(pri) if isinstance(pri, str) else len(ranks)
        return rank, TaNeed(
            recommendation=entry.recommendation,
            kinds=kinds,
            other=other_text if isinstance(other_text, str) else None,
            priority=pri if isinstance(pri, str) else None,
        )

    def flag(self, item: Item, code: FlagCode, message: str) -> None:
        self.flags.append(
            Flag(item=item.id, recommendation=item.recommendation, code=code, message=message)
        )

    def consistency(self, entry: RecommendationEntry) -> None:
        """Flags of a scored entry marked fully implemented."""
        status_item = _with_role(entry, ROLE_STATUS)
        status = self.answers[status_item.id] if status_item else None
        if status_item is None or not isinstance(status, str):
            return
        if choice_score(status_item, status, self.q) != 1:
            return
        _ = self._
        ref = status_item.ref
        kinds_item = _with_role(entry, ROLE_TA_KINDS)
        kinds = self.answers[kinds_item.id] if kinds_item else None
        drafting = [k for k in DRAFTING_KINDS if isinstance(kinds, list) and k in kinds]
        if kinds_item and drafting:
            self.flag(
                kinds_item,
                FLAG_FULLY_BUT_DRAFTING,
                _(
                    "{ref} says fully implemented, yet {kinds_ref} asks for assistance "
                    "with legislation ({kinds})."
                ).format(ref=ref, kinds_ref=kinds_item.ref, kinds=", ".join(drafting)),
            )
        measures = _with_role(entry, ROLE_MEASURES)
        if measures is not None and self.answers[measures.id] is None:
            self.flag(
                measures,
                FLAG_FULLY_NO_MEASURES,
                _(
                    "{ref} says fully implemented, but {measures_ref} cites no "
                    "legislation, policy or measure."
                ).format(ref=ref, measures_ref=measures.ref),
            )
        for item in entry.items:
            if (
                item.role is None
                and item.required
                and item.type == "choice"
                and item.choices in YES_NO_LISTS
                and self.answers[item.id] == NO
            ):
                self.flag(
                    item,
                    FLAG_FULLY_BUT_NO,
                    _("{ref} says fully implemented, but {item_ref} is answered 'no'.").format(
                        ref=ref, item_ref=item.ref
                    ),
                )

    def missing(self, items: Iterable[Item]) -> None:
        for item in items:
            if (
                item.required
                and self.answers[item.id] is None
                and applies(item, self.answers) is not False
                and asked(item, self.country)
            ):
                self.flag(
                    item,
                    FLAG_REQUIRED_MISSING,
                    self._("{ref} is required and has no answer.").format(ref=item.ref),
                )


def score(result: ParseResult, questionnaire: Questionnaire, ui: Localizer | None = None) -> Score:
    """Score a parsed response against its questionnaire.

    ``ui`` is the language of the flag messages (English by default). Raises
    :class:`Rejected` when the answers do not fit the questionnaire.
    """
    check_answers(result, questionnaire)
    q = questionnaire
    scorer = _Scorer(result, q, ui or Localizer("en"))
    sections: dict[str, Figures] = {}
    recommendations: dict[str, RecommendationScore] = {}
    weighted: list[tuple[float, float | None]] = []
    needs: list[tuple[int, TaNeed]] = []
    total_items = total_answered = 0
    for section in q.sections:
        scorer.missing(section.items)
        section_weighted: list[tuple[float, float | None]] = []
        section_items = section_answered = 0
        for entry in section.recommendations:
            need = scorer.ta_need(entry)
            if need is not None:
                needs.append(need)
            if entry.scored:
                rec, n_items, n_answered = scorer.recommendation(entry)
                recommendations[entry.recommendation] = rec
                section_weighted.append((entry.weight, rec.implementation))
                section_items += n_items
                section_answered += n_answered
                scorer.consistency(entry)
            scorer.missing(entry.items)
        if any(entry.scored for entry in section.recommendations):
            sections[section.id] = _figures(
                weighted_mean(section_weighted), _ratio(section_answered, section_items)
            )
        weighted += section_weighted
        total_items += section_items
        total_answered += section_answered
    return Score(
        overall=_figures(weighted_mean(weighted), _ratio(total_answered, total_items)),
        sections=sections,
        recommendations=recommendations,
        # sorted() is stable: ties stay in questionnaire order.
        ta_needs=[need for _, need in sorted(needs, key=lambda n: n[0])],
        flags=scorer.flags,
    )


def response_with(q: Questionnaire, answers: dict[str, Answer]) -> ParseResult:
    """A response to ``q`` with these answers, as if parsed from a form (for examples and tests)."""
    return ParseResult(
        form=FormInfo(
            questionnaire=q.id,
            version=q.version,
            language="en",
            country=None,
            form_id="demo",
            format="json",
            signature="absent",
        ),
        answers={it.id: None for it in q.items()} | answers,
        locations={},
        problems=[],
    )
