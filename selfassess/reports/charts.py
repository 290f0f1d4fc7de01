"""Every chart of the reports, as PNG (matplotlib, Agg).

matplotlib from 3.11 lays text out with libraqm, so Arabic is joined and
runs right to left; earlier versions draw it as unjoined letters in the wrong
order, hence the version floor in pyproject.toml. Fonts come from
:mod:`selfassess.reports.fonts`, applied in an ``rc_context`` around each
chart; each chart is a bare ``Figure`` on the Agg canvas (no pyplot), so no
chart changes matplotlib's global state or depends on its backend.

Rules for every chart: the value axis states its unit, legends stand outside
the plot, labels are shortened at a word boundary with an ellipsis, and the
heat map uses a colour-blind-safe sequential palette (cividis) with a colour
bar in percent and value labels in the colour that reads on each cell.
"""

from __future__ import annotations

import io
import math
import textwrap

from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from selfassess.i18n.localizer import Localizer
from selfassess.reports.country import Chart
from selfassess.reports.fonts import chart_fonts
from selfassess.secretariat.aggregate import TOTAL, AggregateReport

BAR_COLOUR = "#1f5aa6"
MISSING_COLOUR = "#d9d9d9"
HEAT_MAP = "cividis"
WIDE_SCRIPTS = frozenset({"zh"})
#: Pixels across every chart: about 160 dpi at the width it is printed at.
WIDTH_PX = 1000


def short_label(label: str, width: int, lines: int = 2, *, lang: str = "en") -> str:
    """``label`` wrapped to ``lines`` lines of ``width``, the last one cut at a word.

    Chinese has no spaces and each character is twice as wide: it is cut by
    characters at half the width.

    >>> short_label("Implementation of the provisions on technical assistance", 20)
    'Implementation of\\nthe provisions on…'
    >>> short_label("Short", 20)
    'Short'
    """
    if lang in WIDE_SCRIPTS and " " not in label:
        step = max(width // 2, 1)
        chunks = [label[i : i + step] for i in range(0, len(label), step)]
        if len(chunks) > lines:
            chunks = [*chunks[: lines - 1], chunks[lines - 1][:-1] + "…"]
        return "\n".join(chunks)
    wrapped = textwrap.wrap(label, width, break_long_words=False) or [label]
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1 :])
        last = textwrap.shorten(rest, width, placeholder="…")
        if last == "…":  # one word longer than the line: keep its start
            last = rest[: width - 1] + "…"
        wrapped = [*wrapped[: lines - 1], last]
    return "\n".join(wrapped)


def _png(fig: Figure) -> bytes:
    # The constrained layout fits labels in one drawing; bbox_inches="tight"
    # would draw the figure twice.
    buf = io.BytesIO()
    dpi = WIDTH_PX / fig.get_figwidth()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def implementation_png(chart: Chart, lang: str, rtl: bool = False) -> bytes:
    """A horizontal bar per section, 0-100%; sections without data say so.

    No title: the chart stands under a heading that says what it is.
    """
    with chart_fonts(lang).context(lang):
        labels = [short_label(b.label, 34, 3, lang=lang) for b in chart.bars]
        lines = max((label.count("\n") + 1 for label in labels), default=1)
        height = 1.0 + (0.16 * lines + 0.14) * max(len(labels), 1)
        fig = _figure(7.0, height)
        ax = fig.subplots()
        positions = list(range(len(chart.bars)))
        ax.barh(positions, [b.value or 0.0 for b in chart.bars], color=BAR_COLOUR, height=0.6)
        ax.set_yticks(positions, labels, fontsize=9)
        ax.invert_yaxis()  # the first section on top
        ax.set_xlim(0, 1)
        ax.set_xticks([v for v, _ in chart.ticks], [t for _, t in chart.ticks])
        ax.set_xlabel(chart.axis)
        # Values stand past the end of their bar, or inside a bar that fills the
        # axis; an inverted (right-to-left) axis flips which side "past" is.
        outside, inside_ha = ("right", "left") if rtl else ("left", "right")
        for pos, bar in zip(positions, chart.bars, strict=True):
            value = bar.value or 0.0
            inside = value > 0.85
            ax.text(
                value - 0.01 if inside else value + 0.01,
                pos,
                bar.text,
                va="center",
                ha=inside_ha if inside else outside,
                color="white" if inside else "black",
                fontsize=9,
            )
        if rtl:
            # Bars grow from the right and labels stand on the right, as Arabic reads.
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.spines[["top", "right" if not rtl else "left"]].set_visible(False)
        return _png(fig)


def _ink(colour: tuple[float, float, float, float]) -> str:
    """Black or white, whichever reads better on ``colour`` (relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def heatmap_png(report: AggregateReport) -> bytes:
    """Implementation by section (rows) and regional group (columns), in percent.

    A cell resting on too few replies is grey and says so.
    """
    loc = Localizer(report.lang)
    lang = report.lang
    rows = [*report.sections, TOTAL]
    cols = report.groups
    too_few = short_label(report.too_few_text(loc), 12, 2, lang=lang)
    with chart_fonts(lang).context(lang):
        fig = _figure(9.0, 0.55 * len(rows) + 2.2)
        ax = fig.subplots()
        data = [
            [v if (v := report.implementation[s][g].shown) is not None else math.nan for g in cols]
            for s in rows
        ]
        cmap = colormaps[HEAT_MAP].with_extremes(bad=MISSING_COLOUR)
        im = ax.imshow(data, cmap=cmap, vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(
            range(len(cols)),
            [short_label(report.group_names[g], 13, 3, lang=lang) for g in cols],
            fontsize=8,
        )
        ax.xaxis.tick_top()
        ax.set_yticks(
            range(len(rows)),
            [short_label(report.section_names[s], 40, 2, lang=lang) for s in rows],
            fontsize=8,
        )
        ax.tick_params(length=0)
        for i, s in enumerate(rows):
            for j, g in enumerate(cols):
                value = report.implementation[s][g].shown
                if value is None:
                    ax.text(j, i, too_few, ha="center", va="center", fontsize=6, color="black")
                else:
                    ink = _ink(cmap(value))
                    text = loc.percent(value)
                    ax.text(j, i, text, ha="center", va="center", fontsize=9, color=ink)
        bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, format=PercentFormatter(1.0))
        bar.set_label(loc.gettext("Implementation (%)"))
        if report.rtl:
            ax.invert_xaxis()
        return _png(fig)


def ta_chart_png(report: AggregateReport) -> bytes:
    """Weighted demand per kind of assistance, all Parties; nothing below the threshold."""
    loc = Localizer(report.lang)
    lang = report.lang
    kinds = report.kinds
    with chart_fonts(lang).context(lang):
        fig = _figure(8.0, 0.34 * len(kinds) + 1.2)
        ax = fig.subplots()
        values = [0 if report.too_few() else report.ta_by_kind_group[k][TOTAL] for k in kinds]
        positions = list(range(len(kinds)))
        ax.barh(positions, values, color=BAR_COLOUR, height=0.6)
        ax.set_yticks(
            positions,
            [short_label(report.kind_names[k], 45, 2, lang=lang) for k in kinds],
            fontsize=8,
        )
        ax.invert_yaxis()
        ax.set_xlabel(loc.gettext("Weighted demand (points: high priority 3, medium 2, low 1)"))
        top = max(values, default=0)
        for pos, value in zip(positions, values, strict=True):
            text = report.too_few_text(loc) if report.too_few() else loc.number(value)
            ax.text(
                value + top * 0.01,
                pos,
                text,
                va="center",
                ha="left" if not report.rtl else "right",
                fontsize=8,
            )
        ax.set_xlim(0, max(top * 1.12, 1))
        if report.rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.spines[["top", "right" if not report.rtl else "left"]].set_visible(False)
        return _png(fig)


def response_chart_png(report: AggregateReport) -> bytes:
    """Response rate per regional group, in percent."""
    loc = Localizer(report.lang)
    lang = report.lang
    rows = report.response
    with chart_fonts(lang).context(lang):
        fig = _figure(7.0, 0.36 * len(rows) + 1.0)
        ax = fig.subplots()
        positions = list(range(len(rows)))
        rates = [r.rate or 0.0 for r in rows]
        colours = [BAR_COLOUR if r.group != TOTAL else "#0b2f5e" for r in rows]
        ax.barh(positions, rates, color=colours, height=0.6)
        ax.set_yticks(positions, [short_label(r.name, 40, 2, lang=lang) for r in rows], fontsize=8)
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_xlabel(loc.gettext("Response rate (%)"))
        ax.invert_yaxis()
        for pos, rate in zip(positions, rates, strict=True):
            ax.text(
                rate + 0.01,
                pos,
                loc.percent(rate),
                va="center",
                ha="left" if not report.rtl else "right",
                fontsize=8,
            )
        if report.rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.spines[["top", "right" if not report.rtl else "left"]].set_visible(False)
        return _png(fig)


def font_warning(lang: str) -> list[str]:
    """The warning of a missing chart font for ``lang``, as a list to extend warnings."""
    warning = chart_fonts(lang).warning
    return [warning] if warning else []
