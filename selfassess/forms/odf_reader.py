"""Read a form that LibreOffice re-saved as OpenDocument (.ods or .odt).

A respondent who answers "Use ODF Format!" when LibreOffice saves sends back
the Excel form as a spreadsheet (.ods) or the Word form as a text (.odt).
LibreOffice keeps what the readers need:

- .ods: the workbook's defined names as ``table:named-range`` (an address such
  as ``$'Cover'.$C$11``), the custom properties as ``meta:user-defined`` in
  ``meta.xml``, and the metadata sheet. The grid is read into the same cells
  the .xlsx reader reads, and :class:`~selfassess.forms.xlsx_reader.SheetsReader`
  finds the slots, the metadata and every problem with them, as for .xlsx.
- .odt: Word's content controls as ``loext:content-control`` with their tags,
  the custom properties as ``meta:user-defined``. The body is rewritten as the
  WordprocessingML elements those controls came from (``w:sdt`` with its tag,
  checkbox, date, placeholder flag), tables and paragraphs kept, and
  :class:`~selfassess.forms.docx_reader.DocxReader` reads it, as for .docx.

Where the answers cannot be found (a producer that drops the controls or the
names, no form metadata), the rejection asks for the form as .xlsx or .docx.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator

from lxml import etree

from selfassess.constants import LANGUAGES, META_KEYS, META_PREFIX, XLSX_NAME_PREFIX, OdfFormat
from selfassess.definitions.model import Questionnaire
from selfassess.errors import Rejected
from selfassess.forms.docx_reader import DocxReader
from selfassess.forms.xlsx_reader import (
    DefinedName,
    HeldCell,
    Sheet,
    SheetsReader,
    stored_datetime,
    stored_number,
)
from selfassess.i18n.localizer import Localizer
from selfassess.office import odf
from selfassess.office.excel import Cell
from selfassess.office.ooxml import w, w14
from selfassess.response.interpret import RawForm, RawScalar
from selfassess.response.meta import FormMeta
from selfassess.safety.package import XML_MAX_TEXT_BYTES, Package

_DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
_DEFAULT_STYLE = "Default"


def _props(package: Package) -> dict[str, str]:
    """The form's metadata from ``meta:user-defined`` properties, without the prefix."""
    meta = package.xml.get("meta.xml")
    if meta is None:
        return {}
    found = odf.user_defined(meta)
    return {
        k[len(META_PREFIX) :]: v
        for k, v in found.items()
        if k.startswith(META_PREFIX) and k[len(META_PREFIX) :] in META_KEYS
    }


def _language(package: Package) -> str:
    """The language to word a rejection in: the form's, else the document's, else English."""
    meta = package.xml.get("meta.xml")
    candidates = [_props(package).get("language", "")]
    if meta is not None:
        candidates += [(el.text or "").strip()[:2] for el in meta.iter(_DC_LANGUAGE)]
    return next((c for c in candidates if c in LANGUAGES), "en")


def _unreadable(package: Package, kind: OdfFormat) -> Rejected:
    _ = Localizer(_language(package)).gettext
    if kind == "ods":
        message = _(
            "cannot read this file: the OpenDocument spreadsheet has lost the form's answer "
            "cells or its metadata; open the form in LibreOffice and save it as .xlsx "
            '(File > Save As, file type "Excel 2007-365"), then send that file'
        )
    else:
        message = _(
            "cannot read this file: the OpenDocument text has lost the form's answer fields "
            "(content controls); open the form in LibreOffice and save it as .docx "
            '(File > Save As, file type "Word 2007-365"), then send that file'
        )
    return Rejected(message)


def _content(package: Package, body: str) -> etree._Element:
    """``office:body``'s spreadsheet or text element of ``content.xml``."""
    content = package.xml.get("content.xml")
    found = None if content is None else content.find(f"{odf.office('body')}/{odf.office(body)}")
    if found is None:
        raise Rejected(f"the file is damaged: its content.xml holds no office:{body}")
    return found


# --- spreadsheets ---------------------------------------------------------------


class _Columns:
    """The default cell style of each column, from the runs of ``table:table-column``."""

    def __init__(self, sheet: etree._Element) -> None:
        self._starts: list[int] = []
        self._styles: list[str] = []
        col = 1
        for column in sheet.iter(odf.table("table-column")):
            self._starts.append(col)
            self._styles.append(column.get(odf.table("default-cell-style-name")) or "")
            col += odf.repeat(column, "number-columns-repeated")

    def style(self, col: int) -> str:
        at = bisect.bisect_right(self._starts, col) - 1
        return self._styles[at] if at >= 0 else ""


class OdsReader(SheetsReader):
    """Reader of an .xlsx form re-saved as .ods (see :class:`selfassess.forms.parse.Reader`)."""

    format = "ods"

    def __init__(self, package: Package, countries: Collection[str]) -> None:
        self._package = package
        self._spreadsheet = _content(package, "spreadsheet")
        self._budget = odf.SpaceBudget(XML_MAX_TEXT_BYTES)
        sheets = [
            Sheet(sheet.get(odf.table("name")) or "", self._cells(sheet))
            for sheet in self._spreadsheet.iterchildren(odf.table("table"))
        ]
        super().__init__(sheets, countries)

    def _cells(self, sheet: etree._Element) -> dict[Cell, HeldCell]:
        """Every cell with content, a repeated one at each place it repeats to
        (check_package bounded those places, in all sheets together)."""
        columns = _Columns(sheet)
        cells: dict[Cell, HeldCell] = {}
        for found in odf.grid(sheet):
            value, formula = self._value(found.element)
            style = found.element.get(odf.table("style-name"))
            for col in range(found.col, found.col + found.cols):
                formatted = (style or columns.style(col)) not in ("", _DEFAULT_STYLE)
                held = HeldCell(value, formula, formatted)
                for row in range(found.row, found.row + found.rows):
                    cells[(row, col)] = held
        return cells

    def _value(self, cell: etree._Element) -> tuple[RawScalar, bool]:
        """(value, whether it is a formula) of one cell, by its ``office:value-type``."""
        formula = cell.get(odf.table("formula"))
        if formula is not None:
            # "of:=SUM([.A1])": shown as the formula bar shows it.
            return "=" + formula.partition(":=")[2] if ":=" in formula else formula, True
        kind = cell.get(odf.office("value-type"))
        if kind in ("float", "percentage", "currency"):
            text = cell.get(odf.office("value")) or ""
            number = stored_number(text)
            return (text if number is None else number), False
        if kind == "date":
            return stored_datetime(cell.get(odf.office("date-value")) or ""), False
        if kind == "boolean":
            return (cell.get(odf.office("boolean-value")) or "").strip() == "true", False
        return odf.cell_text(cell, self._budget), False

    def _from_properties(self) -> dict[str, str]:
        return _props(self._package)

    def _defined_names(self) -> Iterator[DefinedName]:
        """Workbook names first (``office:spreadsheet``'s), then each sheet's own."""
        holders = [(self._spreadsheet, False)] + [
            (sheet, True) for sheet in self._spreadsheet.iterchildren(odf.table("table"))
        ]
        for holder, scoped in holders:
            for names in holder.iterchildren(odf.table("named-expressions")):
                for named in names:
                    name = (named.get(odf.table("name")) or "").lower()
                    if named.tag == odf.table("named-range"):
                        address = named.get(odf.table("cell-range-address")) or ""
                        yield DefinedName(name, odf.cell_address(address), scoped)
                    elif named.tag == odf.table("named-expression"):
                        yield DefinedName(name, None, scoped)

    def meta(self) -> FormMeta:
        try:
            return super().meta()
        except Rejected:
            if self.has_metadata():
                raise
            raise _unreadable(self._package, "ods") from None

    def read(self, questionnaire: Questionnaire) -> RawForm:
        if not any(dn.name.startswith(XLSX_NAME_PREFIX) for dn in self._defined_names()):
            raise _unreadable(self._package, "ods")
        return super().read(questionnaire)


# --- texts ------------------------------------------------------------------------

_INLINE_SKIP = odf.SKIPPED | frozenset(
    (
        odf.text("sequence-decls"),
        odf.text("variable-decls"),
        odf.text("user-field-decls"),
        odf.table("table-columns"),
        odf.table("table-column"),
        odf.table("covered-table-cell"),
        odf.office("forms"),
    )
)
_PARAGRAPHS = frozenset((odf.text("p"), odf.text("h")))
_TRUE = "true"


class _WordTree:
    """An ODF text body rewritten as the WordprocessingML the Word reader reads:
    paragraphs, runs of text, tables, and content controls as ``w:sdt``."""

    def __init__(self) -> None:
        self.budget = odf.SpaceBudget(XML_MAX_TEXT_BYTES)
        self.controls = 0

    def document(self, office_text: etree._Element) -> etree._Element:
        document = etree.Element(w("document"), nsmap={"w": w("")[1:-1], "w14": w14("")[1:-1]})
        self.blocks(office_text, etree.SubElement(document, w("body")))
        return document

    def blocks(self, source: etree._Element, into: etree._Element) -> None:
        for child in source:
            tag = child.tag
            if not isinstance(tag, str) or tag in _INLINE_SKIP:
                continue
            if tag in _PARAGRAPHS:
                p = etree.SubElement(into, w("p"))
                self.inline(child, p)
            elif tag == odf.table("table"):
                self.blocks(child, etree.SubElement(into, w("tbl")))
            elif tag == odf.table("table-row"):
                self.blocks(child, etree.SubElement(into, w("tr")))
            elif tag == odf.table("table-cell"):
                self.blocks(child, etree.SubElement(into, w("tc")))
            else:
                # Lists, sections, header rows, row groups: their content in order.
                self.blocks(child, into)

    def inline(self, source: etree._Element, into: etree._Element) -> None:
        self.run(source.text, into)
        for child in source:
            tag = child.tag
            if isinstance(tag, str) and tag not in _INLINE_SKIP:
                if tag == odf.text("s"):
                    self.run(odf.spaces(child, self.budget), into)
                elif tag == odf.text("tab"):
                    etree.SubElement(etree.SubElement(into, w("r")), w("tab"))
                elif tag == odf.text("line-break"):
                    etree.SubElement(etree.SubElement(into, w("r")), w("br"))
                elif tag == odf.loext("content-control"):
                    self.control(child, into)
                else:
                    self.inline(child, into)
            self.run(child.tail, into)

    @staticmethod
    def run(value: str | None, into: etree._Element) -> None:
        if value:
            t = etree.SubElement(etree.SubElement(into, w("r")), w("t"))
            t.text = value

    def control(self, cc: etree._Element, into: etree._Element) -> None:
        """A ``loext:content-control`` as the ``w:sdt`` LibreOffice made it from."""
        self.controls += 1
        sdt = etree.SubElement(into, w("sdt"))
        pr = etree.SubElement(sdt, w("sdtPr"))
        for attr in ("alias", "tag"):
            value = cc.get(odf.loext(attr))
            if value is not None:
                etree.SubElement(pr, w(attr)).set(w("val"), value)
        if cc.get(odf.loext("showing-place-holder")) == _TRUE:
            etree.SubElement(pr, w("showingPlcHdr"))
        if cc.get(odf.loext("checkbox")) == _TRUE:
            box = etree.SubElement(pr, w14("checkbox"))
            checked = "1" if cc.get(odf.loext("checked")) == _TRUE else "0"
            etree.SubElement(box, w14("checked")).set(w14("val"), checked)
            for attr, state in (
                ("checked-state", "checkedState"),
                ("unchecked-state", "uncheckedState"),
            ):
                glyph = cc.get(odf.loext(attr)) or ""
                if len(glyph) == 1:
                    etree.SubElement(box, w14(state)).set(w14("val"), f"{ord(glyph):04X}")
        elif cc.get(odf.loext("date")) == _TRUE:
            date = etree.SubElement(pr, w("date"))
            current = cc.get(odf.loext("current-date"))
            if current:
                date.set(w("fullDate"), current)
        content = etree.SubElement(sdt, w("sdtContent"))
        self.inline(cc, content)


class OdtReader(DocxReader):
    """Reader of a .docx form re-saved as .odt (see :class:`selfassess.forms.parse.Reader`)."""

    format = "odt"

    def __init__(self, package: Package, countries: Collection[str]) -> None:
        tree = _WordTree()
        document = tree.document(_content(package, "text"))
        if not tree.controls:
            raise _unreadable(package, "odt")
        super().__init__(document, _props(package) or None, countries)
        self._package = package

    def meta(self) -> FormMeta:
        if not _props(self._package):
            raise _unreadable(self._package, "odt")
        return super().meta()
