"""Excel rules shared by the form writer, the reader, the reports and the
simulated respondent: cells (:func:`set_text`, the limit :data:`MAX_CELL_CHARS`
counted by :func:`utf16_len`), tab titles, cell references, and printing.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from selfassess.safety.text import looks_like_formula, xml_text

#: Excel's limit on the text of one cell, in UTF-16 code units (an emoji
#: outside the Basic Multilingual Plane takes two).
MAX_CELL_CHARS = 32_767
_ELLIPSIS = "…"

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


def utf16_len(text: str) -> int:
    """Length of ``text`` as Excel counts it.

    >>> utf16_len("abc"), utf16_len("😀")
    (3, 2)
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fits_in_cell(text: str) -> bool:
    """Whether a cell holds ``text`` whole (after :func:`xml_text`, which keeps lengths)."""
    return utf16_len(text) <= MAX_CELL_CHARS


def excel_text(value: str) -> str:
    """``value`` as a cell can hold it: see :func:`xml_text`, and text over
    :data:`MAX_CELL_CHARS` is cut, ending with an ellipsis.

    Only outputs built from stored data (reports) are ever cut; a form's
    prefill that does not fit is refused before anything is written.

    >>> excel_text("a\\x01b") == "a\\ufffdb", len(excel_text("x" * 40_000))
    (True, 32767)
    >>> utf16_len(excel_text("😀" * 20_000)) <= MAX_CELL_CHARS
    True
    """
    text = xml_text(value)
    if fits_in_cell(text):
        return text
    room, cut = MAX_CELL_CHARS - 1, 0
    for cut, ch in enumerate(text):  # noqa: B007 (cut is the index where room runs out)
        room -= 2 if ord(ch) > 0xFFFF else 1
        if room < 0:
            break
    return text[:cut] + _ELLIPSIS


def set_text(cell: Any, value: str) -> None:
    """Write ``value`` into an openpyxl cell as a plain string (see :func:`excel_text`).

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> set_text(ws["A1"], "=HYPERLINK(\\"http://x\\")")
    >>> ws["A1"].data_type, ws["A1"].value
    ('s', '=HYPERLINK("http://x")')
    """
    text = excel_text(value)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def destination(defined_name: Any) -> tuple[str, str] | None:
    """(sheet title, cell) of an openpyxl defined name pointing at one cell.

    The name's formula is read by :func:`name_target`, the rule the reader uses.

    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> destination(DefinedName("sa_x", attr_text="'3. Le Mécanisme d''examen'!$C$5"))
    ("3. Le Mécanisme d'examen", 'C5')
    >>> destination(DefinedName("sa_x", attr_text="#REF!")) is None
    True
    """
    found = name_target(str(defined_name.attr_text or ""))
    return None if found is None else (found[0], coordinate(found[1]))


# --- cell references -----------------------------------------------------------

#: Excel's grid: columns A..XFD, rows 1..1,048,576.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
# ASCII digits only: ``\d`` would also match Arabic-Indic and other digits.
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_NAME_TARGET = re.compile(r"(?:'((?:[^']|'')+)'|([^'!\[\]:]+))!(.+)")

Cell = tuple[int, int]
"""(row, column), both from 1."""


def cell_ref(text: str) -> Cell | None:
    """(row, column) of one A1 reference, or None when Excel has no such cell.

    The one rule for every reference read from a workbook (cell ``r``
    attributes, ranges, defined names). ``$`` marks are allowed; leading
    zeros in the row are read for their value, as Excel's formula bar reads
    ``A01``; anything past column XFD or row 1,048,576 is no cell, however
    the number is written.

    >>> cell_ref("$C$5"), cell_ref("a0000001"), cell_ref("XFD1048576")
    ((5, 3), (1, 1), (1048576, 16384))
    >>> cell_ref("XFE1"), cell_ref("A1048577"), cell_ref("A12345678"), cell_ref("A0")
    (None, None, None, None)
    >>> cell_ref("A١"), cell_ref(" A1")
    (None, None)
    """
    # A return's sheets repeat the same references (every form of a round has
    # the layout of its language): short ones are remembered, a bounded number.
    return _short_ref(text) if len(text) <= _SHORT_REF else _cell_ref(text)


#: ``$XFD$1048576`` and a few leading zeros.
_SHORT_REF = 16


@lru_cache(maxsize=8192)
def _short_ref(text: str) -> Cell | None:
    return _cell_ref(text)


def _cell_ref(text: str) -> Cell | None:
    match = _REF.fullmatch(text)
    if match is None:
        return None
    digits = match[2].lstrip("0")
    if not digits or len(digits) > 7:
        return None
    row, col = int(digits), column_number(match[1])
    if row > MAX_ROW or col > MAX_COLUMN:
        return None
    return row, col


def range_ref(text: str) -> tuple[Cell, Cell] | None:
    """(first, last) corner of ``A1`` or ``A1:C3`` as written, or None.

    >>> range_ref("B2:$A$1"), range_ref("C3"), range_ref("A1:"), range_ref("A1:B2:C3")
    (((2, 2), (1, 1)), ((3, 3), (3, 3)), None, None)
    """
    first, sep, last = text.partition(":")
    start = cell_ref(first)
    end = cell_ref(last) if sep else start
    if start is None or end is None:
        return None
    return start, end


def range_area(text: str) -> int:
    """Cells covered by a space-separated list of ranges; an unreadable part counts 1.

    >>> range_area("A1:C3 E5"), range_area("A1:XFD1048576"), range_area("junk")
    (10, 17179869184, 1)
    """
    total = 0
    for part in text.split():
        found = range_ref(part)
        if found is None:
            total += 1
            continue
        (r1, c1), (r2, c2) = found
        total += (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
    return total


def column_number(letters: str) -> int:
    """1 for A, 16,384 for XFD (any case).

    >>> column_number("A"), column_number("xfd")
    (1, 16384)
    """
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(col: int) -> str:
    """A for 1, XFD for 16,384.

    >>> column_letters(1), column_letters(28), column_letters(16384)
    ('A', 'AB', 'XFD')
    """
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def coordinate(cell: Cell) -> str:
    """``C5`` for (5, 3)."""
    return f"{column_letters(cell[1])}{cell[0]}"


def name_target(formula: str) -> tuple[str, Cell] | None:
    """(sheet title, first cell) a defined name's formula points to, or None.

    Only a plain reference to one sheet is a target: ``'d''examen'!$C$5`` or
    ``Cover!C5:D5`` (its first cell); ``#REF!``, external (``[1]Sheet!A1``),
    3-D (``A:B!C1``), and anything with a function are not.

    >>> name_target("'3. Le Mécanisme d''examen'!$C$5"), name_target("Cover!C5:D5")
    (("3. Le Mécanisme d'examen", (5, 3)), ('Cover', (5, 3)))
    >>> name_target("#REF!"), name_target("Cover!#REF!"), name_target("[1]Cover!A1")
    (None, None, None)
    """
    match = _NAME_TARGET.fullmatch(formula.strip())
    if match is None:
        return None
    title = match[1].replace("''", "'") if match[1] is not None else match[2]
    found = range_ref(match[3])
    return (title, found[0]) if found else None


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
