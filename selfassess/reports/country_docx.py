"""The country report as a Word document.

Laid out by :class:`selfassess.reports.document.ReportDocument`, which holds
the page, direction, font and table rules shared with the aggregate report.
"""

from __future__ import annotations

from typing import BinaryIO

from selfassess.i18n.localizer import Localizer
from selfassess.reports.charts import implementation_png
from selfassess.reports.country import CountryReport
from selfassess.reports.document import ReportDocument

#: The chart's width: narrower than the text, so that it stands on the first page.
_CHART_WIDTH = 8500


def render_docx(report: CountryReport, out: str | BinaryIO) -> None:
    """Write the report as .docx to a path or a binary file object."""
    r = report
    doc = ReportDocument(Localizer(r.lang), f"{r.title} · {r.date}")
    doc.heading(r.title, 0)
    doc.paragraph(r.subtitle)

    doc.heading(r.headings.summary, 1)
    doc.text_table(None, [(row.label, row.value) for row in r.summary])
    doc.paragraph(r.note, size=18)

    doc.heading(r.headings.chart, 1)
    doc.picture(implementation_png(r.chart, r.lang, r.rtl), _CHART_WIDTH)

    doc.heading(r.headings.recommendations, 1)
    for table in r.sections:
        doc.heading(table.title, 2)
        doc.paragraph(r.section_label.format(value=table.implementation), keep_next=True)
        doc.text_table(
            r.table_header,
            [(rec.ref, rec.title, rec.status, rec.gap) for rec in table.rows],
            numeric=(False, False, False, True),
        )
    doc.paragraph(r.dash_note, italic=True, size=18)

    doc.heading(r.headings.needs, 1)
    if r.needs:
        doc.text_table(
            r.needs_header,
            [(need.kind, need.priority, "\n".join(need.recommendations)) for need in r.needs],
        )
    else:
        doc.paragraph(r.no_needs)

    doc.heading(r.headings.questions, 1)
    doc.numbered(r.questions)
    if not r.questions:
        doc.paragraph(r.no_questions)

    doc.heading(r.headings.annex, 1, page_break=True)
    for group in r.annex:
        doc.heading(group.title, 2)
        doc.text_table(r.annex_header, [(a.ref, a.question, a.answer) for a in group.rows])
    doc.save(out)
