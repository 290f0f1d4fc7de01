"""The fonts of every chart: the project's chosen files, registered with matplotlib.

matplotlib looks fonts up in a cache built once per machine; a cache built
before the Noto fonts were installed does not know them, and Chinese labels
turn into boxes. So the files are registered by path
(``fontManager.addfont``) before each use, and only families whose files
exist are named: matplotlib then never searches for a missing family and
logs no "findfont" line. The families go to each chart through an
``rc_context``, so matplotlib's global settings are never changed.

A script whose font file is missing gives one warning naming the Debian
package to install; its labels fall back to DejaVu Sans (matplotlib's own).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matplotlib import font_manager, rc_context

from selfassess.office.word import ARABIC_FONT, CJK_FONT

#: matplotlib's bundled face: Latin, Cyrillic, digits and signs in every chart.
BASE_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class ScriptFont:
    family: str
    files: tuple[str, ...]
    package: str


#: The face each script needs (the one the Word documents name), its files as
#: Debian installs them, and the package.
SCRIPT_FONTS = {
    "ar": ScriptFont(
        ARABIC_FONT,
        (
            "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
        ),
        "fonts-noto-core",
    ),
    "zh": ScriptFont(
        CJK_FONT,
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        ),
        "fonts-noto-cjk",
    ),
}


@cache
def _register(font: ScriptFont) -> bool:
    """Add the font's files to matplotlib's font list (once); whether any exists."""
    found = [path for path in font.files if Path(path).is_file()]
    for path in found:
        font_manager.fontManager.addfont(path)
    return bool(found)


@dataclass(frozen=True)
class ChartFonts:
    families: tuple[str, ...]
    """Families in fallback order, for ``font.family`` in an ``rc_context``."""
    warning: str | None
    """Why labels of this language may show as boxes, and what to install."""

    def context(self, lang: str) -> AbstractContextManager[None]:
        """The settings of a chart in ``lang``, for the time of a ``with`` block."""
        return rc_context({"font.family": list(self.families), "text.language": lang})


def chart_fonts(lang: str) -> ChartFonts:
    """The families a chart in ``lang`` uses, registering their files first.

    The language's own script font comes first (DejaVu Sans has Arabic
    letters of its own, in another style), then DejaVu Sans for Latin letters
    and digits, glyph by glyph. A chart holds text of its report's language
    only, so no other script's font is searched.
    """
    font = SCRIPT_FONTS.get(lang)
    if font is None:
        return ChartFonts((BASE_FAMILY,), None)
    if _register(font):
        return ChartFonts((font.family, BASE_FAMILY), None)
    return ChartFonts(
        (BASE_FAMILY,),
        f"the {font.family} font is not installed, so {lang} chart labels may show "
        f"as boxes; install the Debian package {font.package}",
    )
