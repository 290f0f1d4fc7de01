"""The aggregate report as a Word document with matplotlib figures."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from selfassess.i18n.localizer import Localizer
from selfassess.safety.files import output_file
from selfassess.secretariat.aggregate import TOTAL, AggregateReport

#: Fonts matplotlib needs for Arabic and Chinese labels (Noto, see the docs);
#: the first installed one of each list is used, DejaVu Sans otherwise.
FIGURE_FONTS = {
    "ar": ["Noto Sans Arabic", "Noto Naskh Arabic"],
    "zh": ["Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP"],
}


TEXT_WIDTH_CM = 16.0
#: Recommendations per table in the confidential annex.
ANNEX_COLUMNS = 6


def _pct(loc: Localizer, value: float | None) -> str:
    return loc.percent(value) if value is not None else "–"


def _figure(lang: str) -> Any:
    import matplotlib  # noqa: PLC0415 (slow to import; only reports need it)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 (after choosing the backend)

    # A list of families, DejaVu first for Latin digits and names: matplotlib
    # falls back along it glyph by glyph (a generic "sans-serif" would not).
    plt.rcParams["font.family"] = ["DejaVu Sans", *FIGURE_FONTS.get(lang, [])]
    return plt


def _png(fig: Any) -> io.BytesIO:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    buf.seek(0)
    return buf


def heatmap_png(report: AggregateReport) -> io.BytesIO:
    plt = _figure(report.lang)
    loc = Localizer(report.lang)
    rows = [*report.sections, TOTAL]
    cols = report.groups
    data = [
        [
            report.implementation[s][g].value
            if report.implementation[s][g].value is not None
            else float("nan")
            for g in cols
        ]
        for s in rows
    ]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 2))
    im = ax.imshow(data, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(
        [report.group_names[g] for g in cols],
        rotation=30,
        ha="right",
        fontsize=8,
    )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([report.section_names[s][:55] for s in rows], fontsize=8)
    for i, s in enumerate(rows):
        for j, g in enumerate(cols):
            m = report.implementation[s][g]
            if m.value is not None:
                ax.text(j, i, _pct(loc, m.value), ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, fraction=0.03)
    buf = _png(fig)
    plt.close(fig)
    return buf


def ta_chart_png(report: AggregateReport) -> io.BytesIO:
    plt = _figure(report.lang)
    groups = [g for g in report.groups if g != TOTAL]
    kinds = report.kinds
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(kinds) + 1.5))
    left = [0] * len(kinds)
    for g in groups:
        values = [report.ta_by_kind_group[k][g] for k in kinds]
        ax.barh(
            range(len(kinds)),
            values,
            left=left,
            label=report.group_names[g],
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(kinds)))
    ax.set_yticklabels([report.kind_names[k][:50] for k in kinds], fontsize=8)
    ax.invert_yaxis()
    ax.legend(fontsize=7, loc="lower right")
    buf = _png(fig)
    plt.close(fig)
    return buf


def response_chart_png(report: AggregateReport) -> io.BytesIO:
    plt = _figure(report.lang)
    rows = report.response
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.2))
    ax.barh(range(len(rows)), [(r.rate or 0) * 100 for r in rows], color="#4472C4")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.name for r in rows], fontsize=8)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    buf = _png(fig)
    plt.close(fig)
    return buf


class _Doc:
    def __init__(self, report: AggregateReport) -> None:
        self.report = report
        self.loc = Localizer(report.lang)
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.size = Pt(10)
        if self.loc.rtl:
            self.doc.sections[0]._sectPr.append(OxmlElement("w:bidi"))

    def _rtl(self, paragraph: Any) -> Any:
        if self.loc.rtl:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.insert(0, OxmlElement("w:bidi"))
            for run in paragraph.runs:
                run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        if self.report.lang == "zh":
            for run in paragraph.runs:
                fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
                fonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
        return paragraph

    def heading(self, text: str, level: int = 1) -> None:
        self._rtl(self.doc.add_heading(text, level))

    def para(self, text: str, italic: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.italic = italic
        self._rtl(p)

    def table(self, header: list[str], rows: list[list[str]], first_cm: float = 5.0) -> None:
        """A table on the 16 cm text width: the first column ``first_cm``, the rest shared."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        table.autofit = False
        if self.loc.rtl:
            table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            self._rtl(cell.paragraphs[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
                self._rtl(cell.paragraphs[0])
        others = Cm((TEXT_WIDTH_CM - first_cm) / max(len(header) - 1, 1))
        # The grid (what LibreOffice lays out by) and every cell (what Word does).
        for n, column in enumerate(table.columns):
            column.width = Cm(first_cm) if n == 0 else others
        for row in table.rows:
            for n, cell in enumerate(row.cells):
                cell.width = Cm(first_cm) if n == 0 else others
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(8)

    def picture(self, png: io.BytesIO) -> None:
        self.doc.add_picture(png, width=Cm(TEXT_WIDTH_CM))


def write_report_docx(report: AggregateReport, out: Path | IO[bytes]) -> None:
    d = _Doc(report)
    loc = d.loc
    _ = loc.gettext
    r = report
    d.heading(r.title, 0)
    d.para(
        _("Aggregate report as of {date}; {count} current returns counted.").format(
            date=loc.date(r.as_of), count=loc.number(r.returns_counted)
        )
    )
    d.para(
        _(
            "This report shows regional and thematic figures only; it does not rank "
            "States. Per-country figures go to each country's own report."
        ),
        italic=True,
    )

    d.heading(_("Response rate"))
    d.table(
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
    )
    d.picture(response_chart_png(r))

    d.heading(_("Implementation by section and regional group"))
    d.para(_("Mean implementation; n = Parties behind each figure."))
    d.table(
        [_("Section"), *[r.group_names[g] for g in r.groups]],
        [
            [
                r.section_names[s],
                *[
                    f"{_pct(loc, r.implementation[s][g].value)} "
                    f"(n={loc.number(r.implementation[s][g].n)})"
                    for g in r.groups
                ],
            ]
            for s in [*r.sections, TOTAL]
        ],
    )
    d.picture(heatmap_png(r))

    d.heading(_("Technical-assistance demand, weighted by priority"))
    d.para(_("High priority 3, medium 2, low 1, not given 1."))
    section_cols = [s for s in next(iter(r.ta_by_kind_section.values()), {}) if s != TOTAL]
    d.table(
        [_("Kind of assistance"), *[r.section_names.get(s, s) for s in section_cols], _("Total")],
        [
            [
                r.kind_names[k],
                *[loc.number(r.ta_by_kind_section[k][s]) for s in [*section_cols, TOTAL]],
            ]
            for k in r.kinds
        ],
    )
    d.para("")
    d.table(
        [_("Kind of assistance"), *[r.group_names[g] for g in r.groups]],
        [
            [r.kind_names[k], *[loc.number(r.ta_by_kind_group[k][g]) for g in r.groups]]
            for k in r.kinds
        ],
    )
    d.picture(ta_chart_png(r))

    d.heading(_("Most requested assistance, by recommendation"))
    d.table(
        [_("Recommendation"), _("Title"), _("Parties asking"), _("Weighted demand")],
        [
            [req.ref, req.title, loc.number(req.parties), loc.number(req.weighted)]
            for req in r.most_requested
        ],
        first_cm=2.5,
    )

    d.heading(_("Consistency flags"))
    d.table(
        [_("Flag"), _("Flags"), _("Parties concerned")],
        [[name, loc.number(count), loc.number(p)] for _c, name, count, p in r.flags],
        first_cm=10.0,
    )

    d.heading(_("How the figures are computed"))
    for para in r.methods:
        d.para(para)
    for warning in r.warnings:
        d.para(warning, italic=True)

    if r.detail is not None:
        d.doc.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        d.heading(_("Confidential annex: status of implementation by country (alphabetical)"))
        recs = r.detail_recommendations
        # A page holds about six status columns; the matrix is cut into such tables.
        for start in range(0, len(recs), ANNEX_COLUMNS):
            chunk = recs[start : start + ANNEX_COLUMNS]
            d.table(
                [_("Country"), *[ref for _id, ref in chunk]],
                [
                    [name, *[statuses.get(rec) or "–" for rec, _ref in chunk]]
                    for _code, name, statuses in r.detail
                ],
                first_cm=3.5,
            )
            d.para("")
    if isinstance(out, Path):
        with output_file(out) as fh:
            d.doc.save(fh)
    else:
        d.doc.save(out)
