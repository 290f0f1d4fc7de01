"""The implementation chart of a country report, as a PNG (matplotlib, Agg).

matplotlib from 3.11 lays text out with libraqm, so Arabic is joined and
runs right to left; earlier versions draw it as unjoined letters in the wrong
order, hence the version floor in pyproject.toml. Chinese needs a CJK face:
the font list falls back from one face to the next for each glyph.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from selfassess.reports.country import Chart

#: Faces tried in order for each glyph; fonts-noto-core and fonts-noto-cjk
#: provide the Noto ones (scripts/install-system-deps.sh).
FONTS = {
    "ar": ["Noto Sans Arabic", "DejaVu Sans"],
    "zh": ["Noto Sans CJK SC", "DejaVu Sans"],
}
DEFAULT_FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans Arabic"]
BAR_COLOUR = "#1f5aa6"
WIDE_SCRIPTS = frozenset({"zh"})


def _wrap(label: str, lang: str) -> str:
    # Chinese has no spaces and each character is twice as wide: wrap by characters.
    if lang in WIDE_SCRIPTS and " " not in label:
        return "\n".join(label[i : i + 16] for i in range(0, len(label), 16))
    return "\n".join(textwrap.wrap(label, 34)) or label


def implementation_png(chart: Chart, lang: str, rtl: bool = False, dpi: int = 150) -> bytes:
    """A horizontal bar per section, 0-100%; sections without data say so.

    No title: the chart stands under a heading that says what it is.
    """
    # A bare Figure on the Agg canvas: no pyplot, so no global figure state and
    # no GUI backend, whatever the environment's matplotlib settings.
    with rc_context({"font.family": FONTS.get(lang, DEFAULT_FONTS), "text.language": lang}):
        labels = [_wrap(b.label, lang) for b in chart.bars]
        # Bars are evenly spaced: each needs room for the longest wrapped label.
        lines = max((label.count("\n") + 1 for label in labels), default=1)
        height = 1.3 + (0.2 * lines + 0.2) * max(len(labels), 1)
        fig = Figure(figsize=(7.5, height))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        positions = list(range(len(chart.bars)))
        ax.barh(positions, [b.value or 0.0 for b in chart.bars], color=BAR_COLOUR, height=0.6)
        ax.set_yticks(positions, labels)
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
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
