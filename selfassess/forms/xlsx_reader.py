"""Read a returned Excel form: metadata, and the raw value of every answer slot.

Slots are found only through the workbook's defined names (``XLSX_NAME_PREFIX``
+ item id, ``+ XLSX_OPTION_JOIN`` + option code), so inserted rows, moved cells,
renamed or re-ordered sheets do not matter. Interpretation (labels to codes,
numbers, dates, conditions) is :func:`selfassess.response.interpret.interpret`'s job.

The reader never builds a workbook model (a return is untrusted: openpyxl
turns validations, formats and ranges a file declares into objects). It
walks the lxml trees :func:`~selfassess.safety.package.check_package` already
built, following relationships from the package root, and touches only the
workbook part, the sheets, the shared strings, the cell formats (which
numbers are dates; which cells the writer formatted) and the custom
properties. Its work is one pass over those trees and its memory one entry
per cell that holds something. A part a relationship points to that was not
checked as XML is a rejection, whatever its name or content type.
Formulas are read as formulas: a cached value can be forged, and a formula
is not an answer.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal

from lxml import etree

from selfassess.constants import (
    COUNTRY_SLOT,
    META_KEYS,
    META_PREFIX,
    SHEET_LISTS,
    SHEET_META,
    SLOT_SEPARATOR,
    XLSX_META_KEY_COLUMN,
    XLSX_META_VALUE_COLUMN,
    XLSX_NAME_PREFIX,
    XLSX_OPTION_JOIN,
)
from selfassess.definitions.model import Questionnaire
from selfassess.errors import Rejected
from selfassess.office.excel import Cell, cell_ref, coordinate, name_target
from selfassess.office.ooxml import internal_relationships, read_custom_properties
from selfassess.problems import Finding
from selfassess.response.interpret import (
    RawForm,
    RawScalar,
    RawValue,
    asked,
    item_slots,
    slot_id,
)
from selfassess.response.meta import FormMeta, picked_country
from selfassess.safety.package import Package

#: How many locations a warning about stray cells names.
_SHOWN = 5
#: SpreadsheetML's namespaces: transitional (what Excel and Calc write) and strict.
_MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_R_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
#: Built-in number formats that show a date or time (ECMA-376 Part 1, 18.8.30).
_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
# A format is a date when a date or time letter remains after quoted text,
# escaped characters and bracketed colours or conditions are taken out
# (the same test as openpyxl's, which Excel-made forms were read with before).
_FORMAT_NOISE = re.compile(r'\[(?!(?:h+|m+|s+)\])[^\]]*\]|"[^"]*"|\\.')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")


#: The value of a slot the questionnaire does not have (never read).
_UNREAD = RawValue(None, "")


def _name_of(slot: str) -> str:
    """The defined name of a slot id, lower case (how names are compared)."""
    item_id, _sep, option = slot.partition(SLOT_SEPARATOR)
    return (XLSX_NAME_PREFIX + item_id + (XLSX_OPTION_JOIN + option if option else "")).lower()


@dataclass(frozen=True)
class HeldCell:
    """What the reader keeps of one cell that holds something."""

    value: RawScalar
    formula: bool
    formatted: bool


@dataclass(eq=False)
class Sheet:
    title: str
    cells: dict[Cell, HeldCell]


@dataclass(frozen=True)
class _Found:
    """The cell a defined name points to."""

    sheet: Sheet
    cell: Cell

    def value(self) -> RawValue:
        held = self.sheet.cells.get(self.cell)
        location = f"{self.sheet.title}!{coordinate(self.cell)}"
        if held is None:
            return RawValue(None, location)
        return RawValue(held.value, location, formula=held.formula)


@dataclass(frozen=True)
class DefinedName:
    """One definition of a name in a workbook: the cell it points to, if any."""

    name: str
    """Lower case (names are compared case-insensitively)."""
    target: tuple[str, Cell] | None
    """(sheet title, cell); None for a definition that points nowhere."""
    scoped: bool
    """Defined for one sheet rather than for the workbook."""


class SheetsReader:
    """What the readers of our workbook forms share, whatever the file format:
    the metadata (properties and the metadata sheet), slots through defined
    names, and every problem about them. A subclass reads its format into
    :class:`Sheet` grids, defined names and document properties.
    """

    format: ClassVar[Literal["xlsx", "ods"]]

    def __init__(self, sheets: list[Sheet], countries: Collection[str]) -> None:
        self.countries = countries
        self._sheets = sheets
        self._meta: FormMeta | None = None
        self._meta_problems: list[Finding] = []

    def _from_properties(self) -> dict[str, str]:
        """Key (without the prefix) -> value of the form's document properties."""
        raise NotImplementedError

    def _defined_names(self) -> Iterator[DefinedName]:
        """Every definition of a name, in the file's order."""
        raise NotImplementedError

    def _sheet(self, title: str) -> Sheet | None:
        """The worksheet of that title, whatever its case (Excel's rule for titles)."""
        folded = title.casefold()
        return next((ws for ws in self._sheets if ws.title.casefold() == folded), None)

    def _from_sheet(self) -> tuple[dict[str, str], dict[str, str]]:
        """(key -> value, key -> location) from the metadata sheet."""
        ws = self._sheet(SHEET_META)
        values: dict[str, str] = {}
        where: dict[str, str] = {}
        if ws is None:
            return values, where
        for (row, col), cell in sorted(ws.cells.items()):
            key = cell.value
            if col != XLSX_META_KEY_COLUMN or not isinstance(key, str):
                continue
            if key.startswith(META_PREFIX):
                name = key[len(META_PREFIX) :]
                value_at = (row, XLSX_META_VALUE_COLUMN)
                found = ws.cells.get(value_at)
                value = None if found is None else found.value
                values[name] = "" if value is None else _meta_text(value)
                where[name] = f"{ws.title}!{coordinate(value_at)}"
        return values, where

    def has_metadata(self) -> bool:
        """Whether the workbook carries form metadata at all (properties or sheet):
        what tells one of our forms from any other workbook."""
        return bool(self._from_properties() or self._from_sheet()[0])

    def rows(self) -> Iterator[tuple[int, list[tuple[int, RawScalar]]]]:
        """(row number, [(column, value), ...]) of the first worksheet's rows that hold
        something, in order; only cells with a value, so the work is bounded by
        what the file holds, not by where it puts it. A formula is its text.

        What an online export (KoBoToolbox's XLSX) is read from: a table, not slots.
        """
        if not self._sheets:
            return
        row_number, cells = 0, list[tuple[int, RawScalar]]()
        for (row, col), cell in sorted(self._sheets[0].cells.items()):
            if cell.value is None or (isinstance(cell.value, str) and not cell.value):
                continue
            if row != row_number and cells:
                yield row_number, cells
                cells = []
            row_number = row
            cells.append((col, cell.value))
        if cells:
            yield row_number, cells

    def meta(self) -> FormMeta:
        """The form's metadata as issued; Rejected when this is not one of our forms.

        The custom document properties are used; the hidden sheet only when
        the properties are gone (some editors drop them). When both are there
        and differ, the form was altered: :meth:`read` reports it as an error.
        """
        if self._meta is not None:
            return self._meta
        props = self._from_properties()
        sheet, where = self._from_sheet()
        if not props and not sheet:  # as has_metadata() says
            raise Rejected(
                "not a selfassess form: the workbook has no form metadata "
                f"(no {META_PREFIX}* document properties and no '{SHEET_META}' sheet)"
            )
        if props and sheet:
            differing = [k for k in META_KEYS if props.get(k, "") != sheet.get(k, "")]
            if differing:
                self._meta_problems.append(
                    Finding(
                        "metadata_differs",
                        location=where.get(differing[0]) or SHEET_META,
                        params={"sheet": SHEET_META, "keys": ", ".join(differing)},
                    )
                )
        self._meta = (
            FormMeta.from_strings(props, countries=self.countries)
            if props
            else FormMeta.from_strings(
                sheet, countries=self.countries, where=where, source=f"the '{SHEET_META}' sheet"
            )
        )
        return self._meta

    def _names(self, wanted: set[str]) -> tuple[dict[str, list[_Found | None]], list[str]]:
        """The slot names in ``wanted`` (lower case, prefix kept) and the cells each
        points to (None for a definition that points nowhere, as after a deleted
        row); and the other slot names, whose cells are never looked at.

        A name may be defined more than once: in another case (Excel treats
        names case-insensitively, a file need not), or for the workbook and a
        sheet. Workbook-level definitions come first, and the first is the
        one read; each other cell is kept, so that :meth:`read` can report
        definitions that disagree.
        """
        found: dict[str, list[_Found | None]] = {}
        unknown: set[str] = set()
        ordered: list[DefinedName] = []
        scoped: list[DefinedName] = []
        for dn in self._defined_names():
            if dn.name in wanted:
                (scoped if dn.scoped else ordered).append(dn)
            elif dn.name.startswith(XLSX_NAME_PREFIX):
                unknown.add(dn.name)
        for dn in [*ordered, *scoped]:
            ws = None if dn.target is None else self._sheet(dn.target[0])
            places = found.setdefault(dn.name, [])
            place = None if ws is None or dn.target is None else _Found(ws, dn.target[1])
            if place not in places:
                places.append(place)
        return found, sorted(unknown)

    def read(self, questionnaire: Questionnaire) -> RawForm:
        meta = self.meta()
        raw = RawForm(meta=meta, format=self.format, problems=list(self._meta_problems))
        slots = {
            _name_of(slot): slot
            for item in questionnaire.items()
            for slot in item_slots(questionnaire, item)
        }
        country = XLSX_NAME_PREFIX + COUNTRY_SLOT
        names, unknown = self._names({*slots, country})
        used: set[tuple[int, Cell]] = set()
        lost: list[str] = []
        for name, places in sorted(names.items()):
            cells = [p for p in places if p is not None]
            if not cells:
                lost.append(name[len(XLSX_NAME_PREFIX) :])
                continue
            used.update((id(p.sheet), p.cell) for p in cells)
            value = cells[0].value()
            self._two_faced(name[len(XLSX_NAME_PREFIX) :], value, cells[1:], raw.problems)
            if name == country:
                raw.meta = self._country(meta, value, raw.problems)
                continue
            raw.values[slots[name]] = value
        for name in unknown:
            # Named for a slot the questionnaire does not have: only its name
            # is passed on, for interpret's warning; its cell is never read.
            item_id, _join, option = name[len(XLSX_NAME_PREFIX) :].partition(XLSX_OPTION_JOIN)
            raw.values.setdefault(slot_id(item_id, option or None), _UNREAD)
        # A form issued to the EU has no cell for an item it does not ask (an
        # older one may, and its answer is read like any other).
        not_asked = {it.id for it in questionnaire.items() if not asked(it, meta.country)}
        for name, slot in sorted(slots.items()):
            if name not in names and slot.partition(SLOT_SEPARATOR)[0] not in not_asked:
                raw.problems.append(
                    Finding(
                        "cell_unnamed",
                        slot.partition(SLOT_SEPARATOR)[0],
                        name,
                        {"slot": slot, "name": name},
                    )
                )
        if lost:
            raw.problems.append(
                Finding("cells_lost", params={"count": len(lost), "slots": ", ".join(lost[:10])})
            )
        if meta.country is None and country not in names:
            raw.problems.append(Finding("country_cell_gone"))
        stray = self._stray_cells(used)
        if stray:
            raw.problems.append(
                Finding(
                    "stray_cells",
                    location=stray[0],
                    params={"count": len(stray), "cells": ", ".join(stray[:_SHOWN])},
                )
            )
        return raw

    def _country(self, meta: FormMeta, value: RawValue, problems: list[Finding]) -> FormMeta:
        """The metadata with the country picked on a blank form."""
        if meta.country is not None:
            return meta
        if value.formula:
            problems.append(Finding("country_formula", location=value.location))
            return meta
        text = "" if value.value is None else str(value.value)
        return picked_country(meta, text, value.location, self.countries, problems)

    def _two_faced(
        self, slot: str, value: RawValue, others: list[_Found], problems: list[Finding]
    ) -> None:
        """An error for each other cell the slot's name points to that says something else."""
        for other in others:
            second = other.value()
            if (second.value, second.formula) == (value.value, value.formula):
                continue
            problems.append(
                Finding(
                    "cell_named_twice",
                    location=value.location,
                    params={
                        "slot": slot,
                        "first": value.location,
                        "first_value": _shown(value.value),
                        "second": second.location,
                        "second_value": _shown(second.value),
                    },
                )
            )

    def _stray_cells(self, used: set[tuple[int, Cell]]) -> list[str]:
        """Cells with content that are neither slots nor part of the printed form.

        Everything the writer puts in a cell is formatted (font, fill, border
        or alignment); a value typed into an empty, unformatted cell is not.
        """
        stray: list[str] = []
        skip = {SHEET_LISTS.casefold(), SHEET_META.casefold()}
        for ws in self._sheets:
            if ws.title.casefold() in skip:
                continue
            for at, cell in sorted(ws.cells.items()):
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if cell.formatted or (id(ws), at) in used:
                    continue
                stray.append(f"{ws.title}!{coordinate(at)}")
        return stray


class XlsxReader(SheetsReader):
    """Reader of our .xlsx forms (see :class:`selfassess.forms.parse.Reader`).

    ``package`` has passed :func:`selfassess.safety.package.check_package`.
    Problems are findings (codes and values); ``parse_form`` words them.
    """

    format = "xlsx"

    def __init__(self, package: Package, countries: Collection[str]) -> None:
        self._parts = package.xml

        self._folded = {name.casefold(): name for name in package.xml}
        main = self._related("", "officeDocument")
        if main is None:
            raise Rejected("not an Excel workbook: it has no workbook part")
        self._workbook_name = main
        self._workbook, self._ns = self._spreadsheet_part(main)
        self._date1904 = any(
            (pr.get("date1904") or "").lower() in ("1", "true")
            for pr in self._workbook.iterchildren(self._ns + "workbookPr")
        )
        sheets = self._sheet_parts()
        self._styles = self._cell_formats(sheets)
        self._strings = self._shared_strings()
        super().__init__(
            [Sheet(title, self._cells(root, ns, part)) for title, part, root, ns in sheets],
            countries,
        )

    def _part(self, name: str) -> etree._Element:
        """The checked tree of a part; a part that was not checked as XML is refused."""
        found = self._folded.get(name.casefold())
        if found is None:
            raise Rejected(
                f"the file is damaged: the part {name[:80]} that the workbook points to is "
                "missing or is not XML"
            )
        return self._parts[found]

    def _spreadsheet_part(self, name: str) -> tuple[etree._Element, str]:
        """(tree, ``{namespace}``) of a SpreadsheetML part; any other root is refused."""
        root = self._part(name)
        ns = _namespace(root)
        if ns not in _MAIN_NS:
            raise Rejected(
                f"the file is damaged: the part {name[:80]} is not SpreadsheetML "
                f"(its root is in the namespace {ns[:80]!r})"
            )
        return root, "{" + ns + "}"

    def _relationships(self, source: str) -> Iterator[tuple[str, str, str]]:
        """(id, type's last segment, target part name) of a part's internal relationships."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found = self._folded.get(rels.casefold())
        if found is None:
            return
        for rid, kind, name in internal_relationships(self._parts[found], folder):
            yield rid, kind.rsplit("/", 1)[-1], name

    def _related(self, source: str, kind: str) -> str | None:
        return next((t for _i, k, t in self._relationships(source) if k == kind), None)

    def _cell_formats(
        self, sheets: list[tuple[str, str, etree._Element, str]]
    ) -> dict[int, tuple[bool, bool]]:
        """(is a date, formatted by the writer) of each cell format a cell uses.

        Only formats some cell uses are looked at: a file may declare many more.
        """
        name = self._related(self._workbook_name, "styles")
        if name is None:
            return {}
        used = {_int(c.get("s")) for _t, _p, root, ns in sheets for c in root.iter(ns + "c")}
        root, ns = self._spreadsheet_part(name)
        picked: dict[int, tuple[int, bool]] = {}
        for xfs in root.iterchildren(ns + "cellXfs"):
            for index, xf in enumerate(xfs.iterchildren(ns + "xf")):
                if index in used:
                    # The ids are 0 for the workbook's defaults; a number format
                    # alone does not count, as Excel and Calc set one on typed dates.
                    formatted = any(
                        _int(xf.get(k)) for k in ("fontId", "fillId", "borderId")
                    ) or any(len(al.attrib) for al in xf.iterchildren(ns + "alignment"))
                    picked[index] = (_int(xf.get("numFmtId")), formatted)
        numbers = {number for number, _formatted in picked.values()}
        dates = numbers & _DATE_FORMAT_IDS
        for numfmts in root.iterchildren(ns + "numFmts"):
            for fmt in numfmts.iterchildren(ns + "numFmt"):
                number = _int(fmt.get("numFmtId"))
                if number in numbers and _is_date_format(fmt.get("formatCode") or ""):
                    dates.add(number)
        return {
            index: (number in dates, formatted) for index, (number, formatted) in picked.items()
        }

    def _shared_strings(self) -> list[str]:
        name = self._related(self._workbook_name, "sharedStrings")
        if name is None:
            return []
        root, ns = self._spreadsheet_part(name)
        return [_text(si, ns) for si in root.iterchildren(ns + "si")]

    def _sheet_parts(self) -> list[tuple[str, str, etree._Element, str]]:
        """(title, part name, tree, ``{namespace}``) of every worksheet, in the
        workbook's order."""
        targets = {
            rid: target
            for rid, kind, target in self._relationships(self._workbook_name)
            if kind == "worksheet"
        }
        sheets: list[tuple[str, str, etree._Element, str]] = []
        for holder in self._workbook.iterchildren(self._ns + "sheets"):
            for entry in holder.iterchildren(self._ns + "sheet"):
                rid = next(
                    (entry.get(f"{{{ns}}}id") for ns in _R_NS if entry.get(f"{{{ns}}}id")), ""
                )
                if rid not in targets:
                    # Chart sheets and dialog sheets hold no cells; a missing
                    # worksheet is a deleted sheet.
                    continue
                part = targets[rid]
                sheets.append((entry.get("name") or "", part, *self._spreadsheet_part(part)))
        return sheets

    def _cells(self, root: etree._Element, ns: str, part: str) -> dict[Cell, HeldCell]:
        cells: dict[Cell, HeldCell] = {}
        row_number = 0
        for data in root.iterchildren(ns + "sheetData"):
            for row in data.iterchildren(ns + "row"):
                row_number = _position(row.get("r"), row_number + 1, part)
                col_number = 0
                for c in row.iterchildren(ns + "c"):
                    ref = c.get("r")
                    if ref is None:
                        col_number += 1
                    else:
                        found = cell_ref(ref)
                        if found is None:
                            raise Rejected(
                                f"the file is damaged: the cell reference {ref[:20]!r} in {part} "
                                "is not a cell of a worksheet"
                            )
                        row_number, col_number = found
                    cell = self._cell(c, ns)
                    if cell is not None:
                        cells[(row_number, col_number)] = cell
        return cells

    def _cell(self, c: etree._Element, ns: str) -> HeldCell | None:
        style = _int(c.get("s"))
        is_date, formatted = self._styles.get(style, (False, False))
        f = c.find(ns + "f")
        if f is not None:
            # A formula's text, as a person would see it in the formula bar.
            return HeldCell("=" + (f.text or ""), True, formatted)
        kind = c.get("t") or "n"
        if kind == "inlineStr":
            inline = c.find(ns + "is")
            value: RawScalar = None if inline is None else decode_xstring(_text(inline, ns))
            return HeldCell(value, False, formatted)
        v = c.find(ns + "v")
        text = None if v is None else v.text
        if text is None:
            return HeldCell(None, False, formatted) if formatted else None
        if kind == "s":
            index = _int(text, -1)
            if not 0 <= index < len(self._strings):
                raise Rejected(
                    "the file is damaged: a cell points to a shared string that is not there"
                )
            value = decode_xstring(self._strings[index])
        elif kind in ("str", "e"):
            value = decode_xstring(text)
        elif kind == "b":
            value = text.strip() in ("1", "true")
        elif kind == "d":
            value = stored_datetime(text)
        else:
            value = self._number(text, is_date)
        return HeldCell(value, False, formatted)

    def _number(self, text: str, is_date: bool) -> RawScalar:
        """A number as Excel stores it, a date when its format shows a date."""
        number = stored_number(text)
        if number is None:
            return text
        # Excel's dates run from serial 0 to 2,958,465 (31 December 9999).
        if not is_date or not 0 <= number < 2_958_466:
            return number
        return _from_serial(float(number), self._date1904)

    def _defined_names(self) -> Iterator[DefinedName]:
        for holder in self._workbook.iterchildren(self._ns + "definedNames"):
            for dn in holder.iterchildren(self._ns + "definedName"):
                yield DefinedName(
                    (dn.get("name") or "").lower(),
                    name_target(dn.text or ""),
                    dn.get("localSheetId") is not None,
                )

    def _from_properties(self) -> dict[str, str]:
        name = self._related("", "custom-properties")
        if name is None:
            return {}
        props = read_custom_properties(self._part(name))
        return {k[len(META_PREFIX) :]: v for k, v in props.items() if k.startswith(META_PREFIX)}


def stored_number(text: str) -> int | float | None:
    """A number as a spreadsheet file stores it (``12``, ``1234.5``, ``1E-3``), or None.

    >>> stored_number("12"), stored_number(" 1234.5"), stored_number("1,5")
    (12, 1234.5, None)
    """
    clean = text.strip()
    try:
        return float(clean) if any(ch in clean for ch in ".eE") or len(clean) > 20 else int(clean)
    except ValueError:
        return None


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_xstring(text: str) -> str:
    r"""Undo the ``_xHHHH_`` escapes of OOXML text that openpyxl leaves in place.

    Excel and Calc store a control character such as the CR of a pasted
    line break as ``_x000D_``, and a literal ``_xHHHH_`` typed by a person
    as ``_x005F_xHHHH_``. openpyxl decodes neither in inline strings and only
    drops ``x005F_`` in shared ones, so both are decoded here, in one pass.

    >>> decode_xstring("one_x000D_\ntwo"), decode_xstring("_x005F_x0041_")
    ('one\r\ntwo', '_x0041_')
    """

    def one(match: re.Match[str]) -> str:
        code = int(match[1], 16)
        if code == 0x5F:
            return "_"
        return chr(code) if code < 0x20 else match[0]

    return _XSTRING_ESCAPE.sub(one, text) if "_x" in text else text


def _namespace(root: etree._Element) -> str:
    tag = root.tag if isinstance(root.tag, str) else ""
    return tag[1 : tag.index("}")] if tag.startswith("{") else ""


def _int(text: str | None, default: int = 0) -> int:
    """A small non-negative integer attribute; anything else is ``default``."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 9:
        return default
    return int(text)


def _position(text: str | None, default: int, part: str) -> int:
    """A row number (``row/@r``) by the rule for cell references."""
    if text is None:
        return default
    found = cell_ref("A" + text)
    if found is None:
        raise Rejected(
            f"the file is damaged: the row number {text[:20]!r} in {part} is not a row of a "
            "worksheet"
        )
    return found[0]


def _text(holder: etree._Element, ns: str) -> str:
    """A string item's text: its ``t`` and rich-text runs, not its phonetic guide."""
    parts: list[str] = []
    for child in holder:
        if child.tag == ns + "t":
            parts.append(child.text or "")
        elif child.tag == ns + "r":
            parts.extend(t.text or "" for t in child.iterchildren(ns + "t"))
    return "".join(parts)


def _is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or a time (its first section).

    >>> _is_date_format("dd/mm/yyyy"), _is_date_format('0.00" days"'), _is_date_format("[Red]0")
    (True, False, False)
    """
    return _DATE_LETTER.search(_FORMAT_NOISE.sub("", code.split(";", maxsplit=1)[0])) is not None


def _from_serial(number: float, date1904: bool) -> RawScalar:
    """The date-time of an Excel serial; a time of day alone stays a number.

    >>> _from_serial(45658.0, False), _from_serial(0.5, False)
    (datetime.datetime(2025, 1, 1, 0, 0), 0.5)
    """
    if 0 <= number < 1:
        return number
    day, fraction = divmod(number, 1)
    # Excel counts a 29 February 1900 that never was; serials before it are a day off.
    if not date1904 and 0 < number < 60:
        day += 1
    epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
    moment = epoch + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))
    return moment


def stored_datetime(text: str) -> RawScalar:
    """An ISO 8601 cell (``t="d"``) as a date-time, or its text when it is not one."""
    try:
        return dt.datetime.fromisoformat(text.strip().removesuffix("Z"))
    except ValueError:
        return text


def _shown(value: RawScalar) -> str:
    """A raw value as a message quotes it: its text, cut short."""
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _meta_text(value: RawScalar) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
