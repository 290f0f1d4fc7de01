"""The country report as a Word document (python-docx).

The document is built with python-docx's API, then every paragraph, run,
table and the section get the language's direction, fonts and tags in one
pass (``shared/notes/ooxml.md``, "Right-to-left and Chinese in Word"):
Arabic paragraphs are ``w:bidi`` with no ``w:jc``, its runs ``w:rtl`` with a
complex-script font and ``w:lang w:bidi``; Chinese runs name an East Asian
font and ``w:lang w:eastAsia``.
"""

from __future__ import annotations

import io
import re
from typing import BinaryIO

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_DIRECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from selfassess.forms.docx_writer import ARABIC_FONT, CJK_FONT, LANGUAGE_TAGS
from selfassess.i18n.localizer import has_arabic
from selfassess.reports.charts import implementation_png
from selfassess.reports.country import CountryReport

_TEXT_WIDTH_CM = 17.0
_GRID = "Table Grid"
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Successors of the elements inserted below, in their parents' schema order.
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_AFTER_RFONTS = (
    "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
    "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_AFTER_JC = (
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_SECT_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _table(doc: Document, header: tuple[str, ...], widths: tuple[float, ...]) -> Table:
    table: Table = doc.add_table(rows=1, cols=len(header))
    table.style = _GRID
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    # Repeat the header row on every page.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _widths(table, widths)
    return table


def _widths(table: Table, widths: tuple[float, ...]) -> None:
    # Fixed widths in the grid as well as the cells: LibreOffice reads the grid.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _add_row(table: Table, values: tuple[str, ...], widths: tuple[float, ...]) -> None:
    cells = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
    for cell, (value, width) in zip(cells, zip(values, widths, strict=True), strict=True):
        cell.width = Cm(width)
        lines = value.split("\n")
        para = cell.paragraphs[0]
        for i, line in enumerate(lines):
            run = para.add_run(line)
            if i < len(lines) - 1:
                run.add_break()


def _script(doc: Document, lang: str, rtl: bool) -> None:
    """Direction, fonts and language tags on every paragraph, run, table and section.

    In a right-to-left report, a paragraph with Arabic letters is ``w:bidi``;
    one with Latin letters and no Arabic (an answer typed in English, a name,
    an e-mail address) stays left to right, so that its punctuation stays
    where its writer put it, and is aligned to the right like the rest.
    """
    tag = LANGUAGE_TAGS[lang]
    body = doc.element.body
    for p in body.iter(qn("w:p")):
        if not rtl:
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        ppr = p.get_or_add_pPr()
        for jc in ppr.findall(qn("w:jc")):
            ppr.remove(jc)
        if has_arabic(text) or not _LATIN.search(text):
            ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
        else:
            jc = ppr.insert_element_before(OxmlElement("w:jc"), *_AFTER_JC)
            jc.set(qn("w:val"), "right")
    for r in body.iter(qn("w:r")):
        rpr = r.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.insert_element_before(OxmlElement("w:rFonts"), *_AFTER_RFONTS)
        if lang == "ar":
            fonts.set(qn("w:cs"), ARABIC_FONT)
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if has_arabic(text):
                rpr.insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)
        elif lang == "zh":
            fonts.set(qn("w:eastAsia"), CJK_FONT)
            fonts.set(qn("w:hint"), "eastAsia")
        language = rpr.insert_element_before(OxmlElement("w:lang"), *_AFTER_LANG)
        language.set(qn("w:val"), "en-US" if lang in ("ar", "zh") else tag)
        if lang == "ar":
            language.set(qn("w:bidi"), tag)
        if lang == "zh":
            language.set(qn("w:eastAsia"), tag)
    if rtl:
        for table in doc.tables:
            table.table_direction = WD_TABLE_DIRECTION.RTL
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.insert_element_before(OxmlElement("w:bidi"), *_AFTER_SECT_BIDI)


def render_docx(report: CountryReport, out: str | BinaryIO) -> None:
    """Write the report as .docx to a path or a binary file object."""
    r = report
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.size = Pt(10)
    # Style objects, not names: python-docx looks a name up anew on every use.
    styles = {name: doc.styles[name] for name in ("Title", "Heading 1", "Heading 2", "List Number")}

    def heading(text: str, level: int) -> Paragraph:
        return doc.add_paragraph(text, styles["Title" if level == 0 else f"Heading {level}"])

    heading(r.title, 0)
    doc.add_paragraph(r.subtitle)

    heading(r.headings.summary, 1)
    widths2 = (6.0, _TEXT_WIDTH_CM - 6.0)
    summary = doc.add_table(rows=0, cols=2)
    summary.style = _GRID
    for row in r.summary:
        _add_row(summary, (row.label, row.value), widths2)
    _widths(summary, widths2)
    doc.add_paragraph(r.note).paragraph_format.space_before = Pt(8)

    heading(r.headings.chart, 1)
    png = implementation_png(r.chart, r.lang, r.rtl)
    doc.add_picture(io.BytesIO(png), width=Cm(16))

    heading(r.headings.recommendations, 1)
    widths4 = (2.2, 8.6, 3.8, 2.4)
    for table_data in r.sections:
        heading(table_data.title, 2)
        doc.add_paragraph(r.section_label.format(value=table_data.implementation))
        table = _table(doc, r.table_header, widths4)
        for rec in table_data.rows:
            _add_row(table, (rec.ref, rec.title, rec.status, rec.gap), widths4)

    heading(r.headings.needs, 1)
    if r.needs:
        widths3 = (5.0, 2.5, _TEXT_WIDTH_CM - 7.5)
        table = _table(doc, r.needs_header, widths3)
        for need in r.needs:
            _add_row(table, (need.kind, need.priority, "\n".join(need.recommendations)), widths3)
    else:
        doc.add_paragraph(r.no_needs)

    heading(r.headings.questions, 1)
    for question in r.questions:
        doc.add_paragraph(question, styles["List Number"])
    if not r.questions:
        doc.add_paragraph(r.no_questions)

    heading(r.headings.annex, 1).paragraph_format.page_break_before = True
    widths_annex = (2.2, 8.0, _TEXT_WIDTH_CM - 10.2)
    for group in r.annex:
        heading(group.title, 2)
        table = _table(doc, r.annex_header, widths_annex)
        for answer in group.rows:
            _add_row(table, (answer.ref, answer.question, answer.answer), widths_annex)

    _script(doc, r.lang, r.rtl)
    doc.save(out)
