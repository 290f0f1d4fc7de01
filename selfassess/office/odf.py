"""OpenDocument parts, as LibreOffice writes them when a respondent picks "Use ODF format".

Only what reading a returned form needs: the user-defined metadata of
``meta.xml``, named ranges and the cells they point to in a spreadsheet
(``table:number-rows-repeated`` and ``…-columns-repeated`` counted, never
expanded, so a declared million repeats costs nothing), and the content
controls of a text document (``loext:content-control``, which keeps the tags,
placeholder flags, checkbox states and picked dates of the Word form).

>>> cell_address("$'3. Le Mécanisme d''examen'.$C$5")
("3. Le Mécanisme d'examen", 'C5')
>>> cell_address("$Cover.$C$11:.$C$12") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
}
MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
}


def _q(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


_ADDRESS = re.compile(r"^\$?(?:'((?:[^']|'')+)'|([^.']+))\.\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_ROW_CONTAINERS = frozenset(
    _q("table", n) for n in ("table-header-rows", "table-rows", "table-row-group")
)
#: Notes and comments are not what a reader sees in the cell or control.
_NOT_TEXT = frozenset({_q("text", "note"), _q("office", "annotation")})
_CONTROL = _q("loext", "content-control")
_CELLS = frozenset({_q("table", "table-cell"), _q("table", "covered-table-cell")})


def cell_address(address: str) -> tuple[str, str] | None:
    """(sheet, cell) of an ODF range address naming one cell, or None."""
    match = _ADDRESS.match(address.strip())
    if match is None:
        return None
    sheet = match[1].replace("''", "'") if match[1] is not None else match[2]
    return sheet, f"{match[3].upper()}{int(match[4])}"


def column_index(letters: str) -> int:
    """1-based column number of ``letters`` (``A`` is 1, ``AA`` 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def user_defined(meta_root: etree._Element) -> dict[str, str]:
    """``meta:user-defined`` properties of ``meta.xml``: name -> text."""
    found: dict[str, str] = {}
    for el in meta_root.iter(_q("meta", "user-defined")):
        name = el.get(_q("meta", "name"))
        if name is not None:
            found.setdefault(name, "".join(str(t) for t in el.itertext()))
    return found


def named_ranges(content_root: etree._Element) -> dict[str, str]:
    """Named range -> its cell range address, from ``table:named-expressions``."""
    found: dict[str, str] = {}
    for el in content_root.iter(_q("table", "named-range")):
        name, address = el.get(_q("table", "name")), el.get(_q("table", "cell-range-address"))
        if name and address is not None:
            found.setdefault(name, address)
    return found


@dataclass(frozen=True)
class Cell:
    """A spreadsheet cell's value as the reader needs it."""

    value: str | float | bool | dt.date | None
    formula: bool = False


def _rows(container: etree._Element) -> Iterator[tuple[int, etree._Element]]:
    """(repeat count, row) of every row, through header rows and row groups."""
    for child in container:
        if child.tag == _q("table", "table-row"):
            yield _repeat(child, "number-rows-repeated"), child
        elif child.tag in _ROW_CONTAINERS:
            yield from _rows(child)


def _repeat(el: etree._Element, attr: str) -> int:
    text = el.get(_q("table", attr), "1")
    return int(text) if text.isdigit() and len(text) <= 7 else 1


def find_cells(
    content_root: etree._Element, wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], Cell]:
    """The cells named in ``wanted`` ((sheet, "C5") pairs): one pass, repeats counted.

    Work is bounded by the elements present, whatever the repeat counts say.
    """
    by_sheet: dict[str, dict[int, dict[int, str]]] = {}
    for sheet, ref in wanted:
        match = re.match(r"([A-Z]+)([0-9]+)$", ref)
        if match:
            row_targets = by_sheet.setdefault(sheet, {}).setdefault(int(match[2]), {})
            row_targets[column_index(match[1])] = ref
    found: dict[tuple[str, str], Cell] = {}
    for table in content_root.iter(_q("table", "table")):
        sheet = table.get(_q("table", "name"), "")
        targets = by_sheet.get(sheet)
        if not targets or any(
            (sheet, ref) in found for row in targets.values() for ref in row.values()
        ):
            # A second table of the same name is not read: the first one is the form's.
            continue
        last = max(targets)
        row = 1
        for count, tr in _rows(table):
            for r in [r for r in targets if row <= r < row + count]:
                col = 1
                for cell in tr:
                    if cell.tag not in _CELLS:
                        continue
                    span = _repeat(cell, "number-columns-repeated")
                    for c, ref in targets[r].items():
                        if col <= c < col + span:
                            found[(sheet, ref)] = _cell(cell)
                    col += span
            row += count
            if row > last:
                break
    return found


def _cell(cell: etree._Element) -> Cell:
    kind = cell.get(_q("office", "value-type"))
    formula = cell.get(_q("table", "formula")) is not None
    value: str | float | bool | dt.date | None
    if kind in ("float", "percentage", "currency"):
        try:
            value = float(cell.get(_q("office", "value"), ""))
        except ValueError:
            value = paragraphs_text(cell)
    elif kind == "date":
        text = cell.get(_q("office", "date-value"), "")
        try:
            value = dt.date.fromisoformat(text[:10])
        except ValueError:
            value = paragraphs_text(cell)
    elif kind == "boolean":
        value = cell.get(_q("office", "boolean-value"), "").strip().lower() == "true"
    elif kind is None:
        value = paragraphs_text(cell) or None
    else:
        value = cell.get(_q("office", "string-value")) or paragraphs_text(cell)
    return Cell(value, formula)


def paragraphs_text(element: etree._Element, *, controls: bool = True) -> str:
    """The text a reader sees: paragraphs joined by newlines, ``text:s`` as spaces,
    tabs and line breaks as such; nested content controls left out unless ``controls``.
    NFC-normalised, not trimmed."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == _q("text", "s"):
                count = child.get(_q("text", "c"), "1")
                parts.append(" " * (int(count) if count.isdigit() and len(count) < 5 else 1))
            elif tag == _q("text", "tab"):
                parts.append("\t")
            elif tag == _q("text", "line-break"):
                parts.append("\n")
            elif tag in (_q("text", "note"), _q("office", "annotation")) or (
                tag == _q("loext", "content-control") and not controls
            ):
                pass
            else:
                if tag in (_q("text", "p"), _q("text", "h")) and parts:
                    parts.append("\n")
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return unicodedata.normalize("NFC", "".join(parts))


@dataclass(frozen=True)
class Control:
    """A content control of a text document, as the reader needs it."""

    tag: str
    value: str | bool | dt.date | None
    """None when it shows its placeholder; a bool for a checkbox; the picked
    date of a date control; otherwise its text."""


def content_controls(content_root: etree._Element) -> Iterator[Control]:
    """Every tagged ``loext:content-control``, at any depth, in document order."""
    for el in content_root.iter(_q("loext", "content-control")):
        tag = (el.get(_q("loext", "tag")) or "").strip()
        if not tag:
            continue
        yield Control(tag, _control_value(el))


def _control_value(el: etree._Element) -> str | bool | dt.date | None:
    def flag(name: str) -> bool:
        return (el.get(_q("loext", name)) or "").strip().lower() == "true"

    if flag("checkbox"):
        return flag("checked")
    if flag("showing-place-holder"):
        return None
    if flag("date"):
        picked = el.get(_q("loext", "current-date")) or ""
        try:
            return dt.date.fromisoformat(picked.strip()[:10])
        except ValueError:
            pass
    return paragraphs_text(el, controls=False)
