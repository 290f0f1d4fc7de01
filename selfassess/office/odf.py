"""OpenDocument (ODF) helpers shared by the package checks and the readers.

LibreOffice saves our forms as OpenDocument when a respondent picks "Use ODF
Format" on saving. A spreadsheet compresses its grid: a run of equal rows or
cells is one element with ``table:number-rows-repeated`` or
``table:number-columns-repeated`` (an empty sheet is a row of 16,384 empty
cells repeated a million times), and a cell's text is in ``text:p``
paragraphs with ``text:s`` runs of spaces. The functions here walk that grid
without expanding the empty runs, and take text out of those paragraphs with
every expansion bounded by what was read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from selfassess.office.excel import cell_ref

OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
XLINK_NS = "http://www.w3.org/1999/xlink"
LOEXT_NS = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"

MIME_SPREADSHEET = "application/vnd.oasis.opendocument.spreadsheet"
MIME_TEXT = "application/vnd.oasis.opendocument.text"

#: A run of spaces (``text:s text:c``) counts at most this many: a cell holds
#: at most 32,767 characters in either office suite.
MAX_SPACES = 32_767
#: Repeat counts beyond a sheet's size (1,048,576 rows, 16,384 columns) mean nothing.
_MAX_REPEAT = 1_048_576


def office(local: str) -> str:
    return f"{{{OFFICE_NS}}}{local}"


def table(local: str) -> str:
    return f"{{{TABLE_NS}}}{local}"


def text(local: str) -> str:
    return f"{{{TEXT_NS}}}{local}"


def loext(local: str) -> str:
    return f"{{{LOEXT_NS}}}{local}"


def repeat(el: etree._Element, attr: str) -> int:
    """A repeat count (1 when absent or not a small positive number)."""
    value = el.get(table(attr)) or ""
    if not value.isascii() or not value.isdigit() or len(value) > 7:
        return 1
    return min(max(int(value), 1), _MAX_REPEAT)


def holds_content(cell: etree._Element) -> bool:
    """Whether a cell has a value, a formula or text (an empty styled cell does not)."""
    return (
        cell.get(office("value-type")) is not None
        or cell.get(table("formula")) is not None
        or cell.find(text("p")) is not None
    )


@dataclass(frozen=True)
class GridCell:
    """One cell element of a sheet with content, where its run starts and how far it runs."""

    row: int
    col: int
    rows: int
    cols: int
    element: etree._Element


_ROW_HOLDERS = frozenset(
    table(name) for name in ("table-header-rows", "table-rows", "table-row-group")
)
_CELLS = frozenset((table("table-cell"), table("covered-table-cell")))


def _rows(holder: etree._Element) -> Iterator[etree._Element]:
    """The rows of a sheet in order, inside row groups and header rows too."""
    for child in holder:
        if child.tag == table("table-row"):
            yield child
        elif child.tag in _ROW_HOLDERS:
            yield from _rows(child)


def grid(sheet: etree._Element) -> Iterator[GridCell]:
    """Every cell of a ``table:table`` that holds content, with its 1-based position.

    Covered cells (under a merged cell) take their place in the grid; repeat
    counts move the position on without anything being expanded.
    """
    row = 1
    for tr in _rows(sheet):
        rows = repeat(tr, "number-rows-repeated")
        col = 1
        for cell in tr:
            if cell.tag not in _CELLS:
                continue
            cols = repeat(cell, "number-columns-repeated")
            if holds_content(cell):
                yield GridCell(row, col, rows, cols, cell)
            col += cols
        row += rows


class SpaceBudget:
    """Spaces that ``text:s`` runs may still expand to, over one whole file."""

    def __init__(self, total: int) -> None:
        self.left = total

    def take(self, count: int) -> int:
        granted = max(0, min(count, MAX_SPACES, self.left))
        self.left -= granted
        return granted


def spaces(s: etree._Element, budget: SpaceBudget) -> str:
    """The spaces a ``text:s`` stands for (``text:c``, default 1), within the budget."""
    count = s.get(text("c")) or "1"
    wanted = int(count) if count.isascii() and count.isdigit() and len(count) < 7 else 1
    return " " * budget.take(wanted)


def paragraph_text(p: etree._Element, budget: SpaceBudget) -> str:
    """The text of a ``text:p`` or ``text:h``, as an office suite shows it: spans,
    links and fields by their text, ``text:s`` as spaces, ``text:tab`` as a tab,
    ``text:line-break`` as a newline; notes and annotations left out."""
    parts: list[str] = [p.text or ""]
    for child in p:
        tag = child.tag
        if isinstance(tag, str) and tag not in SKIPPED:
            if tag == text("s"):
                parts.append(spaces(child, budget))
            elif tag == text("tab"):
                parts.append("\t")
            elif tag == text("line-break"):
                parts.append("\n")
            else:
                parts.append(paragraph_text(child, budget))
        parts.append(child.tail or "")
    return "".join(parts)


#: What text content never is: notes, comments, tracked changes, bookmarks.
SKIPPED = frozenset(
    (
        office("annotation"),
        office("annotation-end"),
        text("note"),
        text("tracked-changes"),
        text("bookmark"),
        text("bookmark-start"),
        text("bookmark-end"),
        text("soft-page-break"),
    )
)


def cell_text(cell: etree._Element, budget: SpaceBudget) -> str:
    """A spreadsheet cell's text: its paragraphs joined by newlines, NFC."""
    paragraphs = [paragraph_text(p, budget) for p in cell.iterchildren(text("p"))]
    return unicodedata.normalize("NFC", "\n".join(paragraphs))


_ADDRESS = re.compile(r"^\$?(?:'((?:[^']|'')+)'|([^.'$:]+))\.\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def cell_address(address: str) -> tuple[str, tuple[int, int]] | None:
    """(sheet, (row, column)) of an ODF cell address such as ``$'Sheet 1'.$C$11``;
    None for a range, a missing sheet name or anything else.

    >>> cell_address("$'It''s'.$C$11"), cell_address("$Cover.$A$1:.$B$2")
    (("It's", (11, 3)), None)
    """
    match = _ADDRESS.match(address.strip())
    if match is None:
        return None
    quoted, bare, letters, digits = match.groups()
    found = cell_ref(f"{letters}{digits}")
    if found is None:
        return None
    sheet = quoted.replace("''", "'") if quoted is not None else bare
    return sheet, found


def user_defined(meta: etree._Element) -> dict[str, str]:
    """Name -> text of every user-defined document property (``meta:user-defined``)."""
    out: dict[str, str] = {}
    for prop in meta.iter(f"{{{META_NS}}}user-defined"):
        name = prop.get(f"{{{META_NS}}}name")
        if name is not None and name not in out:
            out[name] = "".join(str(t) for t in prop.itertext())
    return out
