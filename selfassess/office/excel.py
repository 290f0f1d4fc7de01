"""Excel tab titles: one rule for every workbook the package writes."""

from __future__ import annotations

import math
import re
from typing import Any

#: Excel's limit on a sheet title, and the characters it refuses in one.
MAX_SHEET_TITLE = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """A tab title Excel accepts, unique in ``taken`` whatever the case, cut at a word.

    ``taken`` holds the case-folded titles already used and is updated.

    >>> taken: set[str] = set()
    >>> sheet_title("Crimes: environment", taken), sheet_title("crimes  environment", taken)
    ('Crimes environment', 'crimes environment (2)')
    >>> sheet_title("The Mechanism for the Review of the Implementation", taken)
    'The Mechanism for the Review…'
    """
    clean = " ".join(_FORBIDDEN.sub(" ", text).split()).strip("'")
    if len(clean) > MAX_SHEET_TITLE:
        cut = clean[: MAX_SHEET_TITLE - 1]
        space = cut.rfind(" ")
        clean = (cut[:space] if space > MAX_SHEET_TITLE // 2 else cut).rstrip(" ,.;") + "…"
    title, n = clean or "_", 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = clean[: MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def destination(defined_name: Any) -> tuple[str, str] | None:
    """(sheet title, cell) of an openpyxl defined name pointing at one cell.

    openpyxl strips the quotes around a sheet title in a name's formula but
    leaves a doubled apostrophe doubled (``'d''examen'!$C$5`` gives
    ``d''examen``); the title is unescaped here, and the ``$`` dropped.

    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> destination(DefinedName("sa_x", attr_text="'3. Le Mécanisme d''examen'!$C$5"))
    ("3. Le Mécanisme d'examen", 'C5')
    >>> destination(DefinedName("sa_x", attr_text="#REF!")) is None
    True
    """
    try:
        found = list(defined_name.destinations)
    except (ValueError, TypeError, AttributeError):
        return None
    if not found:
        return None
    title, ref = found[0]
    return str(title).replace("''", "'"), str(ref).replace("$", "")


#: openpyxl's code of A4 paper.
PAPER_A4 = "9"
#: Column widths (characters) that fit an A4 portrait page at 100%; wider goes landscape.
PORTRAIT_WIDTH = 95


def print_setup(
    ws: Any,
    *,
    header: str,
    footer: str,
    title_rows: str | None = None,
    title_cols: str | None = None,
    fit_width: bool = True,
) -> None:
    """A4 printing: landscape when the columns are wider than portrait, repeated
    titles, one page wide (unless ``fit_width`` is false: a table too wide to
    read at one page's width prints across pages, its title columns repeated),
    and a header and footer line.

    ``footer`` may hold Excel's page codes, e.g. ``&P`` and ``&N``; ampersands
    in ``header`` are doubled so they print as such.
    """
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (openpyxl is slow to import; the form reader never prints)

    width = sum(
        (ws.column_dimensions[get_column_letter(n)].width or 13)
        for n in range(1, (ws.max_column or 1) + 1)
    )
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = fit_width
    if fit_width:
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddHeader.center.size = 8
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 8


#: Height of one line of 11-point text, in points.
LINE_HEIGHT = 15


def fit_row_heights(ws: Any, first: int, last: int) -> None:
    """Give rows ``first`` to ``last`` the height their wrapped text needs.

    Excel and LibreOffice grow wrapped rows when they lay a sheet out, but
    place charts from the heights saved in the file: without these, a chart
    anchored below a table covers its last rows. The estimate errs high (a
    character is taken as 1.15 of the column's unit). Rows given a height
    already (a merged note) keep it.
    """
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 (see print_setup)

    for row in ws.iter_rows(min_row=first, max_row=last):
        if ws.row_dimensions[row[0].row].height is not None:
            continue
        height: float = LINE_HEIGHT
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            width = max((ws.column_dimensions[get_column_letter(cell.column)].width or 13) - 1, 1)
            lines = sum(
                max(1, math.ceil(len(part) * 1.15 / width)) for part in cell.value.split("\n")
            )
            line = max(LINE_HEIGHT, (cell.font.size or 11) * 1.4)
            height = max(height, lines * line)
        # Every row, one line too: a row left to the default grows as the
        # program measures its font, and the charts below would not follow.
        ws.row_dimensions[row[0].row].height = height
