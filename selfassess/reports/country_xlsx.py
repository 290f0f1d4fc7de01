"""The country report as an Excel workbook (openpyxl), with a native bar chart.

Every string goes into its cell through :func:`selfassess.office.excel.set_text`,
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

from selfassess.office.excel import fit_row_heights, print_setup, set_text, sheet_title
from selfassess.reports.country import CountryReport

_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_PERCENT = "0%"
# Excel refuses these in sheet names, and names longer than 31 characters.


class _Sheet:
    """Writes rows one after the other, in the report's direction."""

    def __init__(self, ws: Any, report: CountryReport, widths: tuple[int, ...]) -> None:
        self.ws = ws
        self.row = 1
        self.report = report
        self.title_row: int | None = None
        self.align = Alignment(wrap_text=True, vertical="top", readingOrder=2 if report.rtl else 0)
        self.number = Alignment(horizontal="right", vertical="top")
        ws.sheet_view.rightToLeft = report.rtl
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = width

    def finish(self) -> None:
        """A4, one page wide, the header row repeated, header and footer lines."""
        r = self.report
        print_setup(
            self.ws,
            header=f"{r.title} · {r.date}",
            footer=r.page_footer.format(page="&P", pages="&N"),
            title_rows=f"{self.title_row}:{self.title_row}" if self.title_row else None,
        )

    def put(self, col: int, value: str | float | None, *, percent: bool = False) -> Any:
        cell = self.ws.cell(row=self.row, column=col)
        cell.alignment = self.align
        if isinstance(value, str):
            set_text(cell, value)
        elif value is not None:
            cell.value = value
            cell.alignment = self.number
            if percent:
                cell.number_format = _PERCENT
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
        self.title_row = self.row
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
    sheet = _Sheet(ws, r, (44, 60))
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
        # Below the chart's table, which holds only short labels, so that rows
        # growing as they wrap cannot slide under the chart.
        fit_row_heights(ws, 1, sheet.row)
        ws.add_chart(chart, f"A{sheet.row + 1}")

    sheet.finish()
    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.recommendations, taken)), r,
                   (30, 8, 44, 22, 10))  # fmt: skip
    sheet.header(r.chart.category, *r.table_header)
    for table in r.sections:
        for rec in table.rows:
            gap: str | float = rec.gap if rec.gap_value is None else rec.gap_value
            sheet.line(table.title, rec.ref, rec.title, rec.status, gap, percent=True)

    sheet.finish()
    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.needs, taken)), r, (36, 14, 50))
    sheet.header(*r.needs_header)
    for need in r.needs:
        sheet.line(need.kind, need.priority, "\n".join(need.recommendations))
    if not r.needs:
        sheet.line(r.no_needs)

    sheet.finish()
    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.questions, taken)), r, (6, 88))
    for n, question in enumerate(r.questions, 1):
        sheet.line(n, question)
    if not r.questions:
        sheet.line(r.no_questions)

    sheet.finish()
    sheet = _Sheet(wb.create_sheet(sheet_title(r.headings.annex, taken)), r, (24, 8, 44, 40))
    sheet.header(r.chart.category, *r.annex_header)
    for group in r.annex:
        for answer in group.rows:
            sheet.line(group.title, answer.ref, answer.question, answer.answer)

    sheet.finish()
    wb.save(out)
