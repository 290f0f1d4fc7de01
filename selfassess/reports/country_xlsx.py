"""The country report as an Excel workbook (openpyxl), with a native bar chart.

Every string goes into its cell through :func:`selfassess.safety.text.set_text`,
so that a respondent's answer starting with ``=`` stays text. Gaps and
implementation are numbers with a percent format, so they can be sorted and
filtered; "no data" and "not scored" stay words.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfassess.office.excel import sheet_title
from selfassess.reports.country import CountryReport
from selfassess.safety.text import set_text

_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_PERCENT = "0%"
# Excel refuses these in sheet names, and names longer than 31 characters.


class _Sheet:
    """Writes rows one after the other, in the report's direction."""

    def __init__(self, ws: Any, rtl: bool, widths: tuple[int, ...]) -> None:
        self.ws = ws
        self.row = 1
        self.align = Alignment(wrap_text=True, vertical="top", readingOrder=2 if rtl else 0)
        ws.sheet_view.rightToLeft = rtl
        # Printed one page wide, as many pages long as it takes.
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width

    def put(self, col: int, value: str | float | None, *, percent: bool = False) -> Any:
        cell = self.ws.cell(row=self.row, column=col)
        if isinstance(value, str):
            set_text(cell, value)
        elif value is not None:
            cell.value = value
            if percent:
                cell.number_format = _PERCENT
        cell.alignment = self.align
        return cell

    def line(self, *values: str | float | None, bold: bool = False, percent: bool = False) -> None:
        for col, value in enumerate(values, 1):
            cell = self.put(col, value, percent=percent)
            if bold:
                cell.font = Font(bold=True)
        self.row += 1

    def header(self, *values: str) -> None:
        for col, value in enumerate(values, 1):
            cell = self.put(col, value)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
        self.row += 1

    def title(self, text: str, size: int = 14) -> None:
        self.put(1, text).font = Font(bold=True, size=size)
        self.row += 1


def render_xlsx(report: CountryReport, out: str | BinaryIO) -> None:
    """Write the report as .xlsx to a path or a binary file object."""
    r = report
    wb = Workbook()
    taken: set[str] = set()

    ws = wb.active
    ws.title = sheet_title(r.headings.summary, taken)
    sheet = _Sheet(ws, r.rtl, (44, 60))
    sheet.title(r.title)
    sheet.line(r.subtitle)
    sheet.row += 1
    for row in r.summary:
        sheet.line(row.label, row.value)
    sheet.row += 1
    ws.merge_cells(start_row=sheet.row, start_column=1, end_row=sheet.row, end_column=2)
    ws.row_dimensions[sheet.row].height = 90
    sheet.line(r.note)
    sheet.row += 1
    sheet.title(r.headings.chart, size=12)
    first = sheet.row
    sheet.line(r.chart.category, r.chart.axis, bold=True)
    for bar in r.chart.bars:
        sheet.line(bar.label, bar.value, percent=True)
    if r.chart.bars:
        chart = BarChart()
        chart.type = "bar"
        chart.title = r.chart.title
        chart.legend = None
        chart.add_data(
            Reference(ws, min_col=2, min_row=first, max_row=sheet.row - 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=first + 1, max_row=sheet.row - 1))
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.y_axis.number_format = _PERCENT
        chart.y_axis.title = r.chart.axis
        # openpyxl 3.1 hides axes unless told otherwise.
        chart.x_axis.delete = chart.y_axis.delete = False
        # The first section on top, the percentages still at the bottom (the
        # value axis crosses at the last category); in Arabic the bars grow
        # from the right.
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"
        if r.rtl:
            chart.y_axis.scaling.orientation = "maxMin"
        chart.width, chart.height = 18, 3 + 1.6 * len(r.chart.bars)
        # Beside the summary rather than below it: rows that wrap grow when the
        # file is opened, and LibreOffice places a chart anchored below them as
        # if they had not, over the figures.
        ws.add_chart(chart, "D2")

    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.recommendations, taken)), r.rtl,
                   (40, 10, 50, 26, 12))  # fmt: skip
    sheet.header(r.chart.category, *r.table_header)
    for table in r.sections:
        for rec in table.rows:
            gap: str | float = rec.gap if rec.gap_value is None else rec.gap_value
            sheet.line(table.title, rec.ref, rec.title, rec.status, gap, percent=True)

    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.needs, taken)), r.rtl, (44, 16, 70))
    sheet.header(*r.needs_header)
    for need in r.needs:
        sheet.line(need.kind, need.priority, "\n".join(need.recommendations))
    if not r.needs:
        sheet.line(r.no_needs)

    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.questions, taken)), r.rtl, (6, 110))
    for n, question in enumerate(r.questions, 1):
        sheet.line(n, question)
    if not r.questions:
        sheet.line(r.no_questions)

    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.annex, taken)), r.rtl, (30, 10, 60, 50))
    sheet.header(r.chart.category, *r.annex_header)
    for group in r.annex:
        for answer in group.rows:
            sheet.line(group.title, answer.ref, answer.question, answer.answer)

    wb.save(out)
