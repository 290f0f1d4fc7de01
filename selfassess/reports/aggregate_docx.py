"""The aggregate report as a Word document with matplotlib figures.

Laid out by :class:`selfassess.reports.document.ReportDocument`, like the
country report. A figure resting on fewer replies than the report's
threshold says so instead of showing a value; the confidential annex is a
landscape section of its own, marked CONFIDENTIAL on every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from selfassess.i18n.localizer import Localizer
from selfassess.office.word import LANDSCAPE_TEXT_WIDTH, min_width
from selfassess.reports.charts import font_warning, heatmap_png, response_chart_png, ta_chart_png
from selfassess.reports.country import DASH
from selfassess.reports.document import TABLE_SIZES, ReportDocument
from selfassess.secretariat.aggregate import TOTAL, AggregateReport, Mean


def _pct(loc: Localizer, value: float | None) -> str:
    return loc.percent(value) if value is not None else DASH


def write_report_docx(report: AggregateReport, out: Path | IO[bytes]) -> list[str]:
    """Write the report; the warnings (a missing chart font) are returned."""
    r = report
    loc = Localizer(r.lang)
    _ = loc.gettext
    round_line = _("Aggregate report as of {date}").format(date=loc.date(r.as_of))
    doc = ReportDocument(loc, f"{r.questionnaire.id} {r.questionnaire.version} · {round_line}")
    too_few = r.too_few_text(loc)

    def figure(m: Mean) -> str:
        return too_few if m.suppressed else _pct(loc, m.value)

    def count(group: str, value: int) -> str:
        return too_few if r.too_few(group) else loc.number(value)

    doc.heading(r.title, 0)
    doc.paragraph(
        _("Aggregate report as of {date}; {count} current returns counted.").format(
            date=loc.date(r.as_of), count=loc.number(r.returns_counted)
        )
    )
    doc.paragraph(
        _(
            "This report shows regional and thematic figures only; it does not rank "
            "States. Per-country figures go to each country's own report."
        ),
        italic=True,
    )

    doc.heading(_("Response rate"), 1)
    doc.text_table(
        [_("Regional group"), _("Parties"), _("In the round"), _("Returned"), _("Response rate")],
        [
            [
                row.name,
                loc.number(row.parties),
                loc.number(row.in_round),
                loc.number(row.returned),
                _pct(loc, row.rate),
            ]
            for row in r.response
        ],
        numeric=(False, True, True, True, True),
    )
    doc.picture(response_chart_png(r), 8000)

    groups = [r.group_names[g] for g in r.groups]
    header = [_("Section"), *groups]
    rows = [
        [r.section_names[s], *[figure(r.implementation[s][g]) for g in r.groups]]
        for s in [*r.sections, TOTAL]
    ]
    doc.orient_for(header, rows)
    doc.heading(_("Implementation by section and regional group"), 1)
    doc.paragraph(
        _("Mean implementation, from 0% (not implemented) to 100% (fully implemented)."),
        keep_next=True,
    )
    doc.text_table(header, rows, numeric=(False, *[True] * len(groups)))
    doc.picture(heatmap_png(r))

    section_cols = [s for s in next(iter(r.ta_by_kind_section.values()), {}) if s != TOTAL]
    header = [
        _("Kind of assistance"),
        *[r.section_names.get(s, s) for s in section_cols],
        _("Total"),
    ]
    rows = [
        [
            r.kind_names[k],
            *[count(TOTAL, r.ta_by_kind_section[k][s]) for s in [*section_cols, TOTAL]],
        ]
        for k in r.kinds
    ]
    doc.orient_for(header, rows)
    doc.heading(_("Technical-assistance demand, weighted by priority"), 1)
    doc.paragraph(_("High priority 3, medium 2, low 1, not given 1."), keep_next=True)
    doc.text_table(header, rows, numeric=(False, *[True] * (len(section_cols) + 1)))
    header = [_("Kind of assistance"), *groups]
    rows = [
        [r.kind_names[k], *[count(g, r.ta_by_kind_group[k][g]) for g in r.groups]] for k in r.kinds
    ]
    doc.orient_for(header, rows)
    doc.text_table(header, rows, numeric=(False, *[True] * len(groups)))
    doc.picture(ta_chart_png(r), 8500)

    header = [_("Recommendation"), _("Title"), _("Parties asking"), _("Weighted demand")]
    rows = [
        [req.ref, req.title, count(TOTAL, req.parties), count(TOTAL, req.weighted)]
        for req in r.most_requested
    ]
    doc.orient_for(header, rows)
    doc.heading(_("Most requested assistance, by recommendation"), 1)
    doc.text_table(header, rows, numeric=(False, False, True, True))

    doc.heading(_("Consistency flags"), 1)
    doc.text_table(
        [_("Flag"), _("Flags"), _("Parties concerned")],
        [[name, count(TOTAL, n), count(TOTAL, p)] for _c, name, n, p in r.flags],
        numeric=(False, True, True),
    )

    doc.heading(_("How the figures are computed"), 1)
    for para in r.methods:
        doc.paragraph(para)
    for warning in r.warnings:
        doc.paragraph(warning, italic=True)

    if r.detail is not None:
        doc.section(landscape=True, confidential=True)
        doc.heading(_("Confidential annex: status of implementation by country (alphabetical)"), 1)
        for chunk in _annex_chunks(r, loc):
            doc.text_table(
                [_("Country"), *[ref for _id, ref in chunk]],
                [
                    [name, *[statuses.get(rec) or DASH for rec, _ref in chunk]]
                    for _code, name, statuses in r.detail
                ],
            )
    doc.save(out)
    return font_warning(r.lang)


def _annex_chunks(report: AggregateReport, loc: Localizer) -> list[list[tuple[str, str]]]:
    """The annex's recommendation columns, cut into tables as wide as a landscape page.

    Each table takes as many columns as fit beside the country names, every
    column as wide as its longest word at the smallest table size.
    """
    detail = report.detail or []
    size = TABLE_SIZES[-1] / 2
    room = LANDSCAPE_TEXT_WIDTH - min_width(
        [loc.gettext("Country"), *(n for _c, n, _s in detail)], size
    )
    chunks: list[list[tuple[str, str]]] = [[]]
    used = 0
    for rec, ref in report.detail_recommendations:
        width = min_width([ref, *((s.get(rec) or DASH) for _c, _n, s in detail)], size)
        if chunks[-1] and used + width > room:
            chunks.append([])
            used = 0
        chunks[-1].append((rec, ref))
        used += width
    return [c for c in chunks if c]
