"""The country report: what one country's reply says, in the country's language.

:func:`build_report` turns a score, the parsed reply, its questionnaire and the
recommendation catalogue into a :class:`CountryReport`: every heading, label
and value already worded and formatted in the report's language, so that the
Word, Excel and Markdown renderers only lay it out and cannot word it
differently. The report shows this country alone and never compares it with
another.
"""

from __future__ import annotations

import datetime as dt

from selfassess.constants import (
    CTX_CHOICE_LABEL,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    FLAG_FULLY_BUT_DRAFTING,
    FLAG_FULLY_BUT_NO,
    FLAG_FULLY_NO_MEASURES,
    ROLE_STATUS,
    ROLE_TA_KINDS,
    ROLE_TA_PRIORITY,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Catalogue, Item, Model, Questionnaire
from selfassess.i18n.localizer import Localizer
from selfassess.response.interpret import Answer, ParseResult
from selfassess.response.values import number_value
from selfassess.safety.text import xml_text
from selfassess.scoring import Flag, Score, TaNeed

#: What stands for a figure that cannot be computed; the report's dash note explains it.
DASH = "—"


class Row(Model):
    """A label and its value (the summary)."""

    label: str
    value: str


class Bar(Model):
    label: str
    value: float | None
    text: str


class Chart(Model):
    """Implementation per section, for a bar chart (matplotlib or Excel)."""

    title: str
    category: str
    axis: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]


class RecommendationRow(Model):
    ref: str
    title: str
    status: str
    gap: str
    gap_value: float | None


class SectionTable(Model):
    title: str
    implementation: str
    rows: list[RecommendationRow]


class NeedRow(Model):
    kind: str
    priority: str
    recommendations: list[str]


class AnswerRow(Model):
    ref: str
    question: str
    answer: str


class AnnexGroup(Model):
    title: str
    rows: list[AnswerRow]


class Headings(Model):
    summary: str
    chart: str
    recommendations: str
    needs: str
    questions: str
    annex: str


class CountryReport(Model):
    lang: str
    rtl: bool
    title: str
    subtitle: str
    date: str
    """The day the report was written, for the page header."""
    page_footer: str
    """"Page {page} of {pages}", translated."""
    headings: Headings
    note: str
    summary: list[Row]
    chart: Chart
    table_header: tuple[str, str, str, str]
    section_label: str
    sections: list[SectionTable]
    needs_header: tuple[str, str, str]
    needs: list[NeedRow]
    no_needs: str
    questions: list[str]
    no_questions: str
    dash_note: str
    """What the dash standing for a missing figure means."""
    annex_header: tuple[str, str, str]
    annex: list[AnnexGroup]


class _Words:
    """Questionnaire and catalogue content in the report's language."""

    def __init__(self, q: Questionnaire, catalogue: Catalogue, loc: Localizer) -> None:
        self.q = q
        self.catalogue = catalogue
        self.loc = loc

    def rec(self, rec_id: str) -> tuple[str, str]:
        """(reference, short title) of a recommendation."""
        try:
            rec = self.catalogue.get(rec_id)
        except KeyError:
            return rec_id, rec_id
        return rec.ref, self.loc.content(CTX_REC_TITLE, rec.title)

    def rec_label(self, rec_id: str) -> str:
        ref, title = self.rec(rec_id)
        return f"{ref} {title}"

    def prompt(self, item: Item) -> str:
        return self.loc.content(CTX_ITEM_PROMPT, item.prompt)

    def choice(self, item: Item, code: str) -> str:
        for ch in self.q.choices_of(item):
            if ch.code == code:
                return self.loc.content(CTX_CHOICE_LABEL, ch.label)
        return code

    def answer(self, item: Item, answer: Answer) -> str:
        """An answer as the respondent gave it, in the report's language."""
        loc = self.loc
        if isinstance(answer, list):
            # One per line: a list joined with "and" is ambiguous when labels hold "and".
            return "\n".join(self.choice(item, c) for c in answer)
        if item.type == "choice" and isinstance(answer, str):
            return self.choice(item, answer)
        if item.type == "date" and isinstance(answer, str):
            return loc.date(dt.date.fromisoformat(answer))
        if isinstance(answer, int | float):
            return loc.number(number_value(float(answer)))
        return xml_text(str(answer))


def build_report(
    score: Score,
    result: ParseResult,
    questionnaire: Questionnaire,
    loc: Localizer,
    catalogue: Catalogue | None = None,
) -> CountryReport:
    """The report of one reply, worded and formatted for ``loc``'s language."""
    q = questionnaire
    words = _Words(q, catalogue or load_catalogue(q.catalogue), loc)
    _ = loc.gettext
    answers = {it.id: None for it in q.items()} | result.answers

    def pct(value: float | None) -> str:
        return DASH if value is None else loc.percent(value)

    country = loc.country(result.form.country) if result.form.country else _("Country not given")
    reply_date = next(
        (
            answers[it.id]
            for s in q.sections
            for it in s.items
            if it.type == "date" and answers[it.id] is not None
        ),
        None,
    )
    summary = [
        Row(label=_("Country"), value=country),
        Row(
            label=_("Date of the reply"),
            value=loc.date(dt.date.fromisoformat(str(reply_date)))
            if reply_date
            else _("Not given"),
        ),
        Row(label=_("Overall implementation"), value=pct(score.overall.implementation)),
        Row(label=_("Overall gap"), value=pct(score.overall.gap)),
        Row(label=_("Coverage (status questions answered)"), value=pct(score.overall.coverage)),
        Row(
            label=_("Questionnaire"),
            value=f"{loc.content(CTX_QUESTIONNAIRE_TITLE, q.title)} ({q.id} {q.version})",
        ),
        Row(label=_("Form"), value=xml_text(result.form.form_id)),
    ]

    sections: list[SectionTable] = []
    bars: list[Bar] = []
    for section in q.sections:
        if not section.recommendations:
            continue
        title = loc.content(CTX_SECTION_TITLE, section.title)
        figures = score.sections.get(section.id)
        if figures is not None:
            bars.append(
                Bar(label=title, value=figures.implementation, text=pct(figures.implementation))
            )
        rows = []
        for entry in section.recommendations:
            ref, rec_title = words.rec(entry.recommendation)
            rec_score = score.recommendations.get(entry.recommendation)
            status_item = next((it for it in entry.items if it.role == ROLE_STATUS), None)
            if rec_score is None:
                status, gap = DASH, _("Not scored")
            else:
                status = (
                    words.choice(status_item, rec_score.status)
                    if status_item and rec_score.status
                    else _("No answer")
                )
                gap = pct(rec_score.gap)
            rows.append(
                RecommendationRow(
                    ref=ref,
                    title=rec_title,
                    status=status,
                    gap=gap,
                    gap_value=rec_score.gap if rec_score else None,
                )
            )
        sections.append(
            SectionTable(
                title=title,
                implementation=pct(figures.implementation) if figures else _("Not scored"),
                rows=rows,
            )
        )

    return CountryReport(
        lang=loc.lang,
        rtl=loc.rtl,
        title=_("Implementation report: {country}").format(country=country),
        subtitle=loc.content(CTX_QUESTIONNAIRE_TITLE, q.title),
        date=loc.date(dt.date.today()),
        page_footer=_("Page {page} of {pages}"),
        headings=Headings(
            summary=_("Summary"),
            chart=_("Implementation by section"),
            recommendations=_("Recommendations"),
            needs=_("Technical assistance needs"),
            questions=_("Questions to clarify"),
            annex=_("Annex: the answers as given"),
        ),
        note=_(
            "This report shows the country's reply alone; it is not compared with any other "
            "country. Implementation is the weighted mean of the statuses given, from 0% (not "
            'implemented) to 100% (fully implemented); the gap is what remains. "Not '
            'applicable" and "not known" are left out of the mean but count as answered in '
            "the coverage. Recommendations addressed to UNODC and requests for voluntary "
            "contributions are not scored."
        ),
        summary=summary,
        chart=Chart(
            title=_("Implementation by section"),
            category=_("Section"),
            axis=_("Implementation (%)"),
            bars=bars,
            ticks=[(v, loc.percent(v)) for v in (0.0, 0.25, 0.5, 0.75, 1.0)],
        ),
        table_header=(_("Reference"), _("Recommendation"), _("Status"), _("Gap")),
        section_label=_("Implementation of the section: {value}"),
        sections=sections,
        needs_header=(_("Kind of assistance"), _("Priority"), _("Recommendations")),
        needs=_needs(score.ta_needs, q, words),
        no_needs=_("No technical assistance needs were reported."),
        questions=[_question(f, q, answers, words) for f in score.flags],
        no_questions=_("The reply raises no question."),
        dash_note=_(
            "A dash (—) stands for a figure that cannot be computed: the status is not "
            "applicable, not known or not given."
        ),
        annex_header=(_("Reference"), _("Question"), _("Answer")),
        annex=_annex(q, answers, words),
    )


def _needs(needs: list[TaNeed], q: Questionnaire, words: _Words) -> list[NeedRow]:
    """One row per kind and priority: kinds in definition order, high priority first."""
    _ = words.loc.gettext
    kinds_item = next((it for it in q.items() if it.role == ROLE_TA_KINDS), None)
    priority_item = next((it for it in q.items() if it.role == ROLE_TA_PRIORITY), None)
    kinds = [ch.code for ch in q.choices_of(kinds_item)] if kinds_item else []
    priority_codes = [ch.code for ch in q.choices_of(priority_item)] if priority_item else []
    priorities: list[str | None] = [*priority_codes, None]
    rows: list[NeedRow] = []
    for kind in [*kinds, None]:
        for priority in priorities:
            recs = [
                words.rec_label(n.recommendation)
                + (f" ({xml_text(n.other)})" if kind == "other" and n.other else "")
                for n in needs
                if n.priority == priority and (kind in n.kinds if kind else not n.kinds)
            ]
            if not recs:
                continue
            rows.append(
                NeedRow(
                    kind=words.choice(kinds_item, kind)
                    if kinds_item and kind
                    else _("Kind not specified"),
                    priority=words.choice(priority_item, priority)
                    if priority_item and priority
                    else _("Priority not given"),
                    recommendations=recs,
                )
            )
    return rows


def _question(flag: Flag, q: Questionnaire, answers: dict[str, Answer], words: _Words) -> str:
    """A flag, worded as a question the secretariat can put to the country."""
    _ = words.loc.gettext
    item = q.item(flag.item)
    where = words.rec_label(flag.recommendation) if flag.recommendation else item.ref
    if flag.code == FLAG_FULLY_BUT_DRAFTING:
        return _(
            "{rec}: the recommendation is reported as fully implemented, yet assistance with "
            "legislative drafting or model legislation is requested ({item_ref}). Which "
            "legislative measures remain to be taken?"
        ).format(rec=where, item_ref=item.ref)
    if flag.code == FLAG_FULLY_NO_MEASURES:
        return _(
            "{rec}: the recommendation is reported as fully implemented, but no legislation, "
            "policy or measure is cited ({item_ref}). Which legislation, policies, institutions "
            "or cases give effect to it?"
        ).format(rec=where, item_ref=item.ref)
    if flag.code == FLAG_FULLY_BUT_NO:
        return _(
            "{rec}: the recommendation is reported as fully implemented, but the answer to "
            "“{question}” ({item_ref}) is “{answer}”. Could you confirm the status of "
            "implementation, or explain?"
        ).format(
            rec=where,
            question=words.prompt(item),
            item_ref=item.ref,
            answer=words.answer(item, answers[item.id]),
        )
    return _("{item_ref} “{question}” has no answer. Could you provide it?").format(
        item_ref=item.ref, question=words.prompt(item)
    )


def _annex(q: Questionnaire, answers: dict[str, Answer], words: _Words) -> list[AnnexGroup]:
    """Every answer given, section by section, in form order."""
    groups = []
    for section in q.sections:
        items = [*section.items, *(it for e in section.recommendations for it in e.items)]
        rows = [
            AnswerRow(
                ref=it.ref, question=words.prompt(it), answer=words.answer(it, answers[it.id])
            )
            for it in items
            if answers[it.id] is not None
        ]
        if rows:
            title = words.loc.content(CTX_SECTION_TITLE, section.title)
            groups.append(AnnexGroup(title=title, rows=rows))
    return groups
