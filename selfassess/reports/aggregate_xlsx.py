"""The aggregate report as an Excel workbook with native charts.

One sheet per part: response rate (with a bar chart), implementation (table
coloured as a heat map by a colour-blind-safe sequential scale, with a bar
chart of the overall column), technical-assistance demand (with a bar
chart), most requested assistance, flags, methods, and the confidential
annex when asked. Charts stand below their tables. Figures resting on too few
replies say so instead of a number. Every sheet prints on A4 with its
header row repeated, a header line and "page X of Y".
Text from respondents or content goes in through :func:`selfassess.office.excel.set_text`.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import fit_row_heights, print_setup, set_text, sheet_title
from selfassess.reports.country import DASH
from selfassess.safety.files import output_file
from selfassess.secretariat.aggregate import TOTAL, AggregateReport

_HEADER = PatternFill("solid", fgColor="D9E2F3")
_BOLD = Font(bold=True)
_PERCENT = "0%"
#: The heat map's scale: light to dark blue, readable with any colour vision.
_SCALE = ("F7FBFF", "6BAED6", "08306B")


class _Writer:
    def __init__(self, report: AggregateReport) -> None:
        self.report = report
        self.loc = Localizer(report.lang)
        self.wb = Workbook()
        self.used: set[str] = set()
        self.first = True
        self.top = Alignment(wrap_text=True, vertical="top", readingOrder=2 if self.loc.rtl else 0)
        self.number = Alignment(horizontal="right", vertical="top")
        _ = self.loc.gettext
        self.footer = _("Page {page} of {pages}").format(page="&P", pages="&N")
        self.header_line = "{title} · {line}".format(
            title=f"{report.questionnaire.id} {report.questionnaire.version}",
            line=_("Aggregate report as of {date}").format(date=self.loc.date(report.as_of)),
        )
        self.too_few = report.too_few_text(self.loc)

    def sheet(self, title: str) -> Any:
        if self.first:
            ws = self.wb.active
            ws.title = sheet_title(title, self.used)
            self.first = False
        else:
            ws = self.wb.create_sheet(sheet_title(title, self.used))
        ws.sheet_view.rightToLeft = self.loc.rtl
        return ws

    def finish(
        self, ws: Any, title_row: int | None, *, confidential: bool = False, fit: bool = True
    ) -> None:
        header = self.header_line
        if confidential:
            header = f"{self.loc.gettext('CONFIDENTIAL')} · {header}"
        print_setup(
            ws,
            header=header,
            footer=self.footer,
            title_rows=f"{title_row}:{title_row}" if title_row else None,
            title_cols="A:A" if not fit else None,
            fit_width=fit,
        )

    def text(self, ws: Any, row: int, col: int, value: str, bold: bool = False) -> None:
        cell = ws.cell(row=row, column=col)
        set_text(cell, value)
        cell.alignment = self.top
        if bold:
            cell.font = _BOLD

    def value(
        self, ws: Any, row: int, col: int, value: float | None, fmt: str | None = None
    ) -> None:
        """A number at the end of its cell; None says the figure rests on too few replies."""
        if value is None:
            self.text(ws, row, col, self.too_few)
            ws.cell(row=row, column=col).alignment = Alignment(
                horizontal="right", vertical="top", wrap_text=True
            )
            return
        cell = ws.cell(row=row, column=col, value=value)
        cell.alignment = self.number
        if fmt:
            cell.number_format = fmt

    def header(self, ws: Any, row: int, values: list[str]) -> None:
        for col, value in enumerate(values, start=1):
            self.text(ws, row, col, value, bold=True)
            ws.cell(row=row, column=col).fill = _HEADER

    def widths(self, ws: Any, first: int, others: int, count: int) -> None:
        ws.column_dimensions["A"].width = first
        for col in range(2, count + 1):
            ws.column_dimensions[get_column_letter(col)].width = others


def _bar_chart(title: str, axis: str, percent: bool) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"  # categories top down, as in the table
    chart.title = title
    chart.y_axis.title = axis
    if percent:
        chart.y_axis.number_format = _PERCENT
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
    chart.legend = None
    # openpyxl 3.1 hides axes unless told otherwise.
    chart.x_axis.delete = chart.y_axis.delete = False
    return chart


def _below(ws: Any, chart: BarChart, row: int) -> None:
    """Anchor ``chart`` two rows below ``row``, at the left of the table.

    The rows above get the heights their text needs first, so that the chart
    stands below them as the file is opened.
    """
    fit_row_heights(ws, 1, row)
    ws.add_chart(chart, f"A{row + 2}")


def write_report_xlsx(report: AggregateReport, out: Path | IO[bytes]) -> None:
    w = _Writer(report)
    _ = w.loc.gettext
    r = report
    groups = r.groups

    # Response rate.
    ws = w.sheet(_("Response rate"))
    w.text(ws, 1, 1, r.title, bold=True)
    w.text(
        ws,
        2,
        1,
        _("As of {date}; {count} current returns counted.").format(
            date=w.loc.date(r.as_of), count=w.loc.number(r.returns_counted)
        ),
    )
    w.header(
        ws,
        4,
        [_("Regional group"), _("Parties"), _("In the round"), _("Returned"), _("Response rate")],
    )
    for i, row in enumerate(r.response, start=5):
        w.text(ws, i, 1, row.name, bold=row.group == TOTAL)
        w.value(ws, i, 2, row.parties)
        w.value(ws, i, 3, row.in_round)
        w.value(ws, i, 4, row.returned)
        w.value(ws, i, 5, row.rate, _PERCENT)
    last = 4 + len(r.response)
    w.widths(ws, 40, 13, 5)
    chart = _bar_chart(_("Response rate"), _("Response rate (%)"), percent=True)
    chart.add_data(Reference(ws, min_col=5, min_row=4, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
    chart.width, chart.height = 18, 8
    _below(ws, chart, last)
    w.finish(ws, 4)

    # Implementation heat map: figures, then the replies behind each column.
    ws = w.sheet(_("Implementation"))
    w.text(ws, 1, 1, _("Implementation by section and regional group"), bold=True)
    w.text(
        ws, 2, 1, _("Mean implementation, from 0% (not implemented) to 100% (fully implemented).")
    )
    w.header(ws, 4, [_("Section"), *[r.group_names[g] for g in groups]])
    rows = [*r.sections, TOTAL]
    for i, sid in enumerate(rows, start=5):
        w.text(ws, i, 1, r.section_names[sid], bold=sid == TOTAL)
        for j, g in enumerate(groups, start=2):
            m = r.implementation[sid][g]
            # A figure is missing only when it rests on too few replies.
            w.value(ws, i, j, m.shown, _PERCENT)
    last_row = 4 + len(rows)
    area = f"B5:{get_column_letter(len(groups) + 1)}{last_row}"
    ws.conditional_formatting.add(
        area,
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color=_SCALE[0],
            mid_type="num",
            mid_value=0.5,
            mid_color=_SCALE[1],
            end_type="num",
            end_value=1,
            end_color=_SCALE[2],
        ),
    )
    w.widths(ws, 44, 15, len(groups) + 1)
    ws.freeze_panes = "B5"
    chart = _bar_chart(
        _("Implementation by section, all Parties"), _("Implementation (%)"), percent=True
    )
    total_col = len(groups) + 1
    if not r.too_few():
        chart.add_data(
            Reference(ws, min_col=total_col, min_row=4, max_row=last_row - 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last_row - 1))
        chart.width, chart.height = 20, 9
        _below(ws, chart, last_row)
    w.finish(ws, 4)

    # Technical-assistance demand.
    ws = w.sheet(_("Assistance demand"))
    w.text(ws, 1, 1, _("Technical-assistance demand, weighted by priority"), bold=True)
    w.text(ws, 2, 1, _("High priority 3, medium 2, low 1, not given 1."))
    section_cols = [s for s in next(iter(r.ta_by_kind_section.values()), {}) if s != TOTAL]
    w.header(
        ws,
        4,
        [_("Kind of assistance"), *[r.section_names.get(s, s) for s in section_cols], _("Total")],
    )
    thematic = not r.too_few()
    for i, kind in enumerate(r.kinds, start=5):
        w.text(ws, i, 1, r.kind_names[kind])
        for j, s in enumerate([*section_cols, TOTAL], start=2):
            w.value(ws, i, j, r.ta_by_kind_section[kind][s] if thematic else None)
    kind_last = 4 + len(r.kinds)
    g_row = kind_last + 3
    w.header(ws, g_row, [_("Kind of assistance"), *[r.group_names[g] for g in groups]])
    for i, kind in enumerate(r.kinds, start=g_row + 1):
        w.text(ws, i, 1, r.kind_names[kind])
        for j, g in enumerate(groups, start=2):
            w.value(ws, i, j, None if r.too_few(g) else r.ta_by_kind_group[kind][g])
    g_last = g_row + len(r.kinds)
    w.widths(ws, 40, 15, max(len(section_cols) + 2, len(groups) + 1))
    if thematic:
        chart = _bar_chart(
            _("Technical-assistance demand, weighted by priority"),
            _("Weighted demand (points: high priority 3, medium 2, low 1)"),
            percent=False,
        )
        chart.add_data(
            Reference(ws, min_col=len(section_cols) + 2, min_row=4, max_row=kind_last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=kind_last))
        chart.width, chart.height = 20, 10
        _below(ws, chart, g_last)
    # Two tables with different headers: no header row would be right on every page.
    w.finish(ws, None)

    # Most requested.
    ws = w.sheet(_("Most requested"))
    w.text(ws, 1, 1, _("Most requested assistance, by recommendation"), bold=True)
    w.header(
        ws,
        3,
        [
            _("Recommendation"),
            _("Title"),
            _("Parties asking"),
            _("Weighted demand"),
            _("Kinds most asked for"),
        ],
    )
    for i, req in enumerate(r.most_requested if thematic else [], start=4):
        w.text(ws, i, 1, req.ref)
        w.text(ws, i, 2, req.title)
        w.value(ws, i, 3, req.parties)
        w.value(ws, i, 4, req.weighted)
        w.text(ws, i, 5, "; ".join(f"{r.kind_names[k]} ({v})" for k, v in req.kinds[:3]))
    if not thematic:
        w.text(ws, 4, 1, w.too_few)
    for col, width in zip("ABCDE", (14, 44, 12, 12, 50), strict=True):
        ws.column_dimensions[col].width = width
    w.finish(ws, 3)

    # Flags.
    ws = w.sheet(_("Flags"))
    w.text(ws, 1, 1, _("Consistency flags"), bold=True)
    w.header(ws, 3, [_("Flag"), _("Flags"), _("Parties concerned")])
    for i, (_code, name, count, parties) in enumerate(r.flags, start=4):
        w.text(ws, i, 1, name)
        w.value(ws, i, 2, count if thematic else None)
        w.value(ws, i, 3, parties if thematic else None)
    w.widths(ws, 60, 14, 3)
    w.finish(ws, 3)

    # Methods.
    ws = w.sheet(_("Methods"))
    w.text(ws, 1, 1, _("How the figures are computed"), bold=True)
    for i, para in enumerate(r.methods, start=3):
        w.text(ws, i, 1, para)
    for i, warning in enumerate(r.warnings, start=4 + len(r.methods)):
        w.text(ws, i, 1, warning)
    ws.column_dimensions["A"].width = 90
    w.finish(ws, None)

    if r.detail is not None:
        ws = w.sheet(_("Annex (confidential)"))
        w.text(
            ws,
            1,
            1,
            _("Confidential annex: status of implementation by country (alphabetical)"),
            bold=True,
        )
        w.header(ws, 3, [_("Country"), *[ref for _id, ref in r.detail_recommendations]])
        for i, (_code, name, statuses) in enumerate(r.detail, start=4):
            w.text(ws, i, 1, name)
            for j, (rec, _ref) in enumerate(r.detail_recommendations, start=2):
                w.text(ws, i, j, statuses.get(rec) or DASH)
        w.widths(ws, 28, 13, len(r.detail_recommendations) + 1)
        ws.freeze_panes = "B4"
        # Too wide for one page at a readable size: printed across pages,
        # the country column and the header row repeated on each.
        w.finish(ws, 3, confidential=True, fit=False)
    if isinstance(out, Path):
        # A link planted where the report goes is refused, never written through.
        with output_file(out) as fh:
            w.wb.save(fh)
    else:
        w.wb.save(out)
