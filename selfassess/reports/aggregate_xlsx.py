"""The aggregate report as an Excel workbook with native charts.

One sheet per part: response rate (with a bar chart), implementation (table
coloured as a heat-map by a colour scale, with a bar chart of the overall
column), technical-assistance demand (with a stacked bar chart), most
requested assistance, flags, methods, and the confidential annex when asked.
Text from respondents or content goes in through :func:`selfassess.safety.text.set_text`.
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
from selfassess.office.excel import sheet_title
from selfassess.safety.files import output_file
from selfassess.safety.text import set_text
from selfassess.secretariat.aggregate import TOTAL, AggregateReport

_HEADER = PatternFill("solid", fgColor="D9E2F3")
_BOLD = Font(bold=True)


class _Writer:
    def __init__(self, report: AggregateReport) -> None:
        self.report = report
        self.loc = Localizer(report.lang)
        self.wb = Workbook()
        self.used: set[str] = set()
        self.first = True

    def sheet(self, title: str) -> Any:
        if self.first:
            ws = self.wb.active
            ws.title = sheet_title(title, self.used)
            self.first = False
        else:
            ws = self.wb.create_sheet(sheet_title(title, self.used))
        ws.sheet_view.rightToLeft = self.loc.rtl
        # Printed landscape, one page wide: the tables are wider than tall.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return ws

    def text(self, ws: Any, row: int, col: int, value: str, bold: bool = False) -> None:
        cell = ws.cell(row=row, column=col)
        set_text(cell, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = _BOLD

    def header(self, ws: Any, row: int, values: list[str]) -> None:
        for col, value in enumerate(values, start=1):
            self.text(ws, row, col, value, bold=True)
            ws.cell(row=row, column=col).fill = _HEADER

    def widths(self, ws: Any, first: int, others: int, count: int) -> None:
        ws.column_dimensions["A"].width = first
        for col in range(2, count + 1):
            ws.column_dimensions[get_column_letter(col)].width = others


def write_report_xlsx(report: AggregateReport, out: Path | IO[bytes]) -> None:
    w = _Writer(report)
    _ = w.loc.gettext
    r = report

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
        ws.cell(row=i, column=2, value=row.parties)
        ws.cell(row=i, column=3, value=row.in_round)
        ws.cell(row=i, column=4, value=row.returned)
        cell = ws.cell(row=i, column=5, value=row.rate)
        cell.number_format = "0%"
    last = 4 + len(r.response)
    w.widths(ws, 40, 14, 5)
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"  # categories top down, as in the table
    chart.title = _("Response rate")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.legend = None
    chart.add_data(Reference(ws, min_col=5, min_row=4, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
    chart.width, chart.height = 18, 8
    # Beside the table, not below it: wrapped rows grow when the file is opened,
    # and a chart anchored below them would cover them.
    ws.add_chart(chart, "G4")

    # Implementation heat-map.
    ws = w.sheet(_("Implementation"))
    w.text(ws, 1, 1, _("Implementation by section and regional group"), bold=True)
    w.text(ws, 2, 1, _("Mean implementation (0-100%); n = Parties behind each figure."))
    groups = r.groups
    w.header(ws, 4, [_("Section"), *[r.group_names[g] for g in groups]])
    w.header(ws, 4 + len(r.sections) + 4, [_("Section"), *[r.group_names[g] for g in groups]])
    n_row0 = 4 + len(r.sections) + 5
    for i, sid in enumerate([*r.sections, TOTAL]):
        w.text(ws, 5 + i, 1, r.section_names[sid], bold=sid == TOTAL)
        w.text(ws, n_row0 + i, 1, r.section_names[sid], bold=sid == TOTAL)
        for j, g in enumerate(groups, start=2):
            m = r.implementation[sid][g]
            cell = ws.cell(row=5 + i, column=j, value=m.value)
            cell.number_format = "0%"
            ws.cell(row=n_row0 + i, column=j, value=m.n)
    w.text(ws, n_row0 - 2, 1, _("Number of Parties (n)"), bold=True)
    last_row = 5 + len(r.sections)
    area = f"B5:{get_column_letter(len(groups) + 1)}{last_row}"
    ws.conditional_formatting.add(
        area,
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="F8696B",
            mid_type="num",
            mid_value=0.5,
            mid_color="FFEB84",
            end_type="num",
            end_value=1,
            end_color="63BE7B",
        ),
    )
    w.widths(ws, 48, 16, len(groups) + 1)
    ws.freeze_panes = "B5"
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"  # categories top down, as in the table
    chart.title = _("Implementation by section, all Parties")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.legend = None
    total_col = len(groups) + 1
    chart.add_data(
        Reference(ws, min_col=total_col, min_row=4, max_row=last_row - 1), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last_row - 1))
    chart.width, chart.height = 20, 9
    ws.add_chart(chart, f"{get_column_letter(len(groups) + 3)}4")

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
    for i, kind in enumerate(r.kinds, start=5):
        w.text(ws, i, 1, r.kind_names[kind])
        for j, s in enumerate([*section_cols, TOTAL], start=2):
            ws.cell(row=i, column=j, value=r.ta_by_kind_section[kind][s])
    kind_last = 4 + len(r.kinds)
    g_row = kind_last + 3
    w.header(ws, g_row, [_("Kind of assistance"), *[r.group_names[g] for g in groups]])
    for i, kind in enumerate(r.kinds, start=g_row + 1):
        w.text(ws, i, 1, r.kind_names[kind])
        for j, g in enumerate(groups, start=2):
            ws.cell(row=i, column=j, value=r.ta_by_kind_group[kind][g])
    w.widths(ws, 44, 16, max(len(section_cols) + 2, len(groups) + 1))
    chart = BarChart()
    chart.type = "bar"
    chart.x_axis.scaling.orientation = "maxMin"  # categories top down, as in the table
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = _("Weighted demand by kind and regional group")
    g_last = g_row + len(r.kinds)
    chart.add_data(
        Reference(ws, min_col=2, max_col=len(groups), min_row=g_row, max_row=g_last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=g_row + 1, max_row=g_last))
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"{get_column_letter(max(len(section_cols) + 2, len(groups)) + 2)}4")

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
    for i, req in enumerate(r.most_requested, start=4):
        w.text(ws, i, 1, req.ref)
        w.text(ws, i, 2, req.title)
        ws.cell(row=i, column=3, value=req.parties)
        ws.cell(row=i, column=4, value=req.weighted)
        w.text(ws, i, 5, "; ".join(f"{r.kind_names[k]} ({v})" for k, v in req.kinds[:3]))
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 14
    ws.column_dimensions["E"].width = 60

    # Flags.
    ws = w.sheet(_("Flags"))
    w.text(ws, 1, 1, _("Consistency flags"), bold=True)
    w.header(ws, 3, [_("Flag"), _("Flags"), _("Parties concerned")])
    for i, (_code, name, count, parties) in enumerate(r.flags, start=4):
        w.text(ws, i, 1, name)
        ws.cell(row=i, column=2, value=count)
        ws.cell(row=i, column=3, value=parties)
    w.widths(ws, 60, 16, 3)

    # Methods.
    ws = w.sheet(_("Methods"))
    w.text(ws, 1, 1, _("How the figures are computed"), bold=True)
    for i, para in enumerate(r.methods, start=3):
        w.text(ws, i, 1, para)
    for i, warning in enumerate(r.warnings, start=4 + len(r.methods)):
        w.text(ws, i, 1, warning)
    ws.column_dimensions["A"].width = 110

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
                w.text(ws, i, j, statuses.get(rec) or "")
        w.widths(ws, 30, 14, len(r.detail_recommendations) + 1)
        ws.freeze_panes = "B4"
    if isinstance(out, Path):
        with output_file(out) as fh:
            w.wb.save(fh)
    else:
        w.wb.save(out)
