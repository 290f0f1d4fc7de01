"""The one set of WordprocessingML helpers for the Word forms and reports.

Runs, paragraphs and tables are built with lxml straight into python-docx's
tree (python-docx's table API is slow and cannot express what follows);
python-docx keeps the package, the styles, the sections and their header and
footer parts. Everything that depends on the language lives here once
(``shared/notes/ooxml.md``, "Right-to-left and Chinese in Word"):

- Arabic: paragraphs ``w:bidi`` with no ``w:jc`` (in a bidi paragraph a
  ``jc`` means the other side), runs ``w:rtl`` with a complex-script font,
  ``w:szCs`` and ``w:lang w:bidi``, bold and italic doubled by ``w:bCs`` and
  ``w:iCs``, tables ``w:bidiVisual``, sections ``w:bidi``, each in its
  parent's schema order; Latin stretches of Arabic text in runs of their own,
  closed by a left-to-right mark, so that "I(c)" keeps its parentheses.
- Chinese: an East Asian font with ``w:hint="eastAsia"`` and ``w:lang
  w:eastAsia``, also in the document defaults and the theme's font language
  (python-docx's template says ja-JP, which gives Chinese a Japanese face).
- A4 pages, a header line and a "page X of Y" footer with PAGE and NUMPAGES
  fields placed where the translation puts them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree

from selfassess.i18n.localizer import Localizer, has_arabic
from selfassess.office.ooxml import W14_NS, W_NS, escape
from selfassess.safety.text import xml_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

XML_NS = "http://www.w3.org/XML/1998/namespace"
_NS = {"w": W_NS, "w14": W14_NS, "xml": XML_NS}

#: Fonts for complex-script (Arabic) and East Asian (Chinese) text. Noto is
#: free and ships with most Linux desktops; where it is missing, Word and
#: LibreOffice substitute an installed face of the same script (see the docs).
ARABIC_FONT = "Noto Naskh Arabic"
CJK_FONT = "Noto Sans CJK SC"
#: Word language tags of the six languages (proofing and the date picker).
LANGUAGE_TAGS = {
    "ar": "ar-SA",
    "zh": "zh-CN",
    "en": "en-US",
    "fr": "fr-FR",
    "ru": "ru-RU",
    "es": "es-ES",
}
GREY = "595959"
HEADER_FILL = "D9E2F3"
#: A4 in twentieths of a point, 2 cm margins.
A4 = (11906, 16838)
MARGIN = 1134
TEXT_WIDTH = A4[0] - 2 * MARGIN
LANDSCAPE_TEXT_WIDTH = A4[1] - 2 * MARGIN
#: Left and right cell margins of every table.
CELL_MARGIN = 85
LRM = "\u200e"

# A stretch of Latin text inside Arabic: from a Latin letter, digit or opening
# bracket to the last Latin letter, digit or closing bracket before Arabic.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LATIN_STRETCH = re.compile(
    rf"[A-Za-z\u00c0-\u024f0-9(\[][^{_ARABIC}\n]*?[A-Za-z\u00c0-\u024f0-9)\]]"
    rf"(?=[^A-Za-z\u00c0-\u024f0-9)\]]*(?:[{_ARABIC}\n]|$))"
    rf"|[A-Za-z\u00c0-\u024f]"
)


@cache
def qn(name: str) -> str:
    """Clark name of a ``prefix:name`` (w, w14, xml)."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def E(
    tag: str, attrs: Mapping[str, str] | None = None, *children: etree._Element
) -> etree._Element:
    """An element from ``prefix:name`` tags and attributes.

    A copy of a template made once per tag and attributes: a form has some
    18,000 elements of a few hundred kinds, and copying one costs a third of
    making it (names resolved, attributes set, a document made for it).
    """
    element = copy.copy(_template(tag, tuple(attrs.items()) if attrs else ()))
    element.extend(children)
    return element


@lru_cache(maxsize=4096)
def _template(tag: str, attrs: tuple[tuple[str, str], ...]) -> etree._Element:
    """The element ``E`` copies; bounded, since attribute values can come from text."""
    return etree.Element(qn(tag), {qn(k): v for k, v in attrs})


def append_text(run: etree._Element, text: str) -> None:
    """Text into a run: tabs and newlines become ``w:tab`` and ``w:br``, and
    characters XML cannot hold U+FFFD (:func:`~selfassess.safety.text.xml_text`)."""
    for n, line in enumerate(xml_text(text).split("\n")):
        if n:
            run.append(E("w:br"))
        for m, chunk in enumerate(line.split("\t")):
            if m:
                run.append(E("w:tab"))
            if chunk:
                t = E("w:t")
                t.text = chunk
                if chunk != chunk.strip():
                    t.set(qn("xml:space"), "preserve")
                run.append(t)


def _text_markup(text: str) -> str:
    """The run content of ``text`` as markup: what :func:`append_text` builds."""
    out = []
    for n, line in enumerate(xml_text(text).split("\n")):
        if n:
            out.append("<w:br/>")
        for m, chunk in enumerate(line.split("\t")):
            if m:
                out.append("<w:tab/>")
            if chunk:
                space = ' xml:space="preserve"' if chunk != chunk.strip() else ""
                out.append(f"<w:t{space}>{escape(chunk)}</w:t>")
    return "".join(out)


def _unbalanced(text: str) -> bool:
    return text.count("(") + text.count("[") < text.count(")") + text.count("]")


def bidi_pieces(text: str) -> list[tuple[str, bool]]:
    """(text, right-to-left) pieces of a text shown in a right-to-left paragraph.

    Latin stretches stand apart and end with a left-to-right mark (and begin
    with one when they open with a bracket after Arabic), so that parentheses
    and final digits stay with the Latin text instead of taking the
    paragraph's direction.

    >>> bidi_pieces("التوصية I(c) من القرار")
    [('التوصية ', True), ('I(c)\\u200e', False), (' من القرار', True)]
    >>> bidi_pieces("انظر (CTOC/COP/WG.2/2023/4)")
    [('انظر ', True), ('\\u200e(CTOC/COP/WG.2/2023/4)\\u200e', False)]
    >>> bidi_pieces("(الفقرة 18)")
    [('(الفقرة ', True), ('18\\u200e', False), (')', True)]
    """
    pieces: list[tuple[str, bool]] = []
    end = 0
    for match in _LATIN_STRETCH.finditer(text):
        start, stop = match.span()
        # A closing bracket whose opening one is in the Arabic text stays Arabic.
        while stop - start > 1 and text[stop - 1] in ")]" and _unbalanced(text[start:stop]):
            stop -= 1
        start = max(start, end)  # the previous stretch may have given back its bracket
        if start > end:
            pieces.append((text[end:start], True))
        stretch = text[start:stop]
        # An opening bracket between Arabic and Latin would take the Arabic side.
        opening = LRM if start and not stretch[0].isalnum() else ""
        pieces.append((opening + stretch + LRM, False))
        end = stop
    if end < len(text):
        pieces.append((text[end:], True))
    return pieces


@lru_cache(maxsize=65536)
def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """An upper bound of the width of ``text`` in twips at ``size_pt``.

    Wide enough for the widest of the faces the documents name: Chinese
    characters are one em, other letters 0.6 em (0.65 bold).
    """
    em = size_pt * 20
    latin = 0.65 if bold else 0.6
    return int(sum(em if "\u2e80" <= ch <= "\uffef" else em * latin for ch in text))


def min_width(texts: Sequence[str], size_pt: float, *, header: int = 1) -> int:
    """The narrowest column (twips) that holds the longest word of ``texts``."""
    longest = 0
    for n, text in enumerate(texts):
        for word in text.split():
            longest = max(longest, text_width(word, size_pt, bold=n < header))
    return longest + 2 * CELL_MARGIN + 20


def column_widths(
    columns: Sequence[Sequence[str]], total: int, size_pt: float, *, header: int = 1
) -> list[int] | None:
    """Widths (twips) that hold the longest word of each column, or None.

    ``columns`` holds each column's texts, header first (``header`` rows set
    in bold). Each column gets its longest word plus the cell margins; what
    is left of ``total`` is shared in proportion to the text each column
    holds, so no word is ever broken inside itself. None when the longest
    words alone do not fit.
    """
    minimum = [min_width(texts, size_pt, header=header) for texts in columns]
    weight = [max((len(t) for t in texts), default=1) or 1 for texts in columns]
    spare = total - sum(minimum)
    if spare < 0:
        return None
    widths = [m + spare * w // sum(weight) for m, w in zip(minimum, weight, strict=True)]
    widths[0] += total - sum(widths)
    return widths


class WordBuilder:
    """Language-aware lxml building blocks on a python-docx document."""

    def __init__(self, document: DocxDocument, loc: Localizer) -> None:
        self.doc = document
        self.loc = loc
        self.lang = loc.lang
        self.rtl = loc.rtl
        self.body = document.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self._rpr_cache: dict[tuple[object, ...], etree._Element] = {}
        self._ppr_cache: dict[tuple[object, ...], etree._Element] = {}
        self._markup_cache: dict[tuple[object, ...], str] = {}

    # --- runs and paragraphs ----------------------------------------------

    def rpr(
        self,
        *,
        rtl: bool,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        size: int | None = None,
        color: str | None = None,
        fonts: Mapping[str, str] | None = None,
    ) -> etree._Element:
        """Run properties in schema order, with the language's fonts and tags.

        ``size`` in half-points; Arabic is sized by ``w:szCs``, one step larger.
        Built once per combination and copied: tables of a few thousand cells
        use a handful.
        """
        key = (rtl, style, bold, italic, size, color, tuple(sorted((fonts or {}).items())))
        cached = self._rpr_cache.get(key)
        if cached is None:
            cached = self._rpr_cache[key] = self._new_rpr(
                rtl=rtl, style=style, bold=bold, italic=italic, size=size, color=color, fonts=fonts
            )
        return copy.copy(cached)  # lxml's copy is of the whole subtree

    def _new_rpr(
        self,
        *,
        rtl: bool,
        style: str | None,
        bold: bool,
        italic: bool,
        size: int | None,
        color: str | None,
        fonts: Mapping[str, str] | None,
    ) -> etree._Element:
        rpr = E("w:rPr")
        if style:
            rpr.append(E("w:rStyle", {"w:val": style}))
        font_attrs = dict(fonts or {})
        if self.lang == "ar":
            font_attrs.setdefault("w:cs", ARABIC_FONT)
        elif self.lang == "zh":
            font_attrs.setdefault("w:eastAsia", CJK_FONT)
            font_attrs.setdefault("w:hint", "eastAsia")
        if font_attrs:
            rpr.append(E("w:rFonts", font_attrs))
        if bold:
            rpr.extend([E("w:b"), E("w:bCs")])
        if italic:
            rpr.extend([E("w:i"), E("w:iCs")])
        if color:
            rpr.append(E("w:color", {"w:val": color}))
        if size:
            rpr.append(E("w:sz", {"w:val": str(size)}))
            rpr.append(E("w:szCs", {"w:val": str(size + 2 if self.rtl else size)}))
        if rtl:
            rpr.append(E("w:rtl"))
        rpr.append(E("w:lang", self.lang_attrs()))
        return rpr

    def lang_attrs(self) -> dict[str, str]:
        tag = LANGUAGE_TAGS[self.lang]
        attrs = {"w:val": "en-US" if self.lang in ("ar", "zh") else tag}
        if self.lang == "ar":
            attrs["w:bidi"] = tag
        if self.lang == "zh":
            attrs["w:eastAsia"] = tag
        return attrs

    def run(
        self,
        text: str,
        *,
        rtl: bool | None = None,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        size: int | None = None,
        color: str | None = None,
        fonts: Mapping[str, str] | None = None,
    ) -> etree._Element:
        """One run of ``text`` as given; right to left when it holds Arabic."""
        if rtl is None:
            rtl = self.rtl and has_arabic(text)
        rpr = self.rpr(
            rtl=rtl, style=style, bold=bold, italic=italic, size=size, color=color, fonts=fonts
        )
        r = E("w:r", None, rpr)
        append_text(r, text)
        return r

    def runs(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: int | None = None,
        color: str | None = None,
    ) -> list[etree._Element]:
        """Runs of display text: in a right-to-left document, Latin stretches isolated.

        Only for text that is shown, never read back: the marks are part of it.
        """
        return [
            self.run(piece, rtl=rtl, bold=bold, italic=italic, size=size, color=color)
            for piece, rtl in self._pieces(text)
        ]

    def _pieces(self, text: str) -> list[tuple[str, bool]]:
        """(text, right-to-left) pieces of display text in this document's direction."""
        if not self.rtl:
            return [(text, False)]
        if has_arabic(text):
            return bidi_pieces(text)
        if _LATIN.search(text):
            # Latin text alone in a right-to-left paragraph (a name, an answer
            # in English): a closing mark keeps its final punctuation at its
            # end. No opening one: LibreOffice then sets the paragraph flush left.
            return [(text + LRM, False)]
        return [(text, False)]

    def para(
        self,
        runs: Iterable[etree._Element] = (),
        *,
        style: str | None = None,
        keep_next: bool = False,
        keep_lines: bool = False,
        page_break: bool = False,
        after: int | None = None,
        align: str | None = None,
    ) -> etree._Element:
        """A paragraph; ``align`` "center", or "right" (numbers; a right-to-left
        paragraph is on the right already)."""
        key = (style, keep_next, keep_lines, page_break, after, align)
        ppr = self._ppr_cache.get(key)
        if ppr is None:
            ppr = self._ppr_cache[key] = self._new_ppr(*key)
        p = E("w:p", None, copy.copy(ppr))
        p.extend(runs)
        return p

    def _new_ppr(
        self,
        style: str | None,
        keep_next: bool,
        keep_lines: bool,
        page_break: bool,
        after: int | None,
        align: str | None,
    ) -> etree._Element:
        ppr = E("w:pPr")
        if style:
            ppr.append(E("w:pStyle", {"w:val": style}))
        if keep_next:
            ppr.append(E("w:keepNext"))
        if keep_lines:
            ppr.append(E("w:keepLines"))
        if page_break:
            ppr.append(E("w:pageBreakBefore"))
        if self.rtl:
            # Start alignment comes from bidi itself; a w:jc would mean "end".
            ppr.append(E("w:bidi"))
        if after is not None:
            ppr.append(E("w:spacing", {"w:before": "0", "w:after": str(after)}))
        if align == "center":
            ppr.append(E("w:jc", {"w:val": "center"}))
        elif align == "right" and not self.rtl:
            # A bidi paragraph already starts on the right, and a w:jc in it is
            # read as start or end by one program and as left or right by another.
            ppr.append(E("w:jc", {"w:val": "right"}))
        return ppr

    def text_para(
        self,
        text: str,
        *,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        size: int | None = None,
        color: str | None = None,
        page_break: bool = False,
        keep_next: bool = False,
        after: int | None = None,
    ) -> etree._Element:
        run = self.run(text, bold=bold, italic=italic, size=size, color=color)
        return self.para(
            [run], style=style, page_break=page_break, keep_next=keep_next, after=after
        )

    def add(self, element: etree._Element) -> None:
        """Append to the body, before the last section's properties."""
        self.sect_pr.addprevious(element)

    # --- tables -----------------------------------------------------------

    def table(self, widths: Sequence[int]) -> etree._Element:
        tbl_pr = E("w:tblPr")
        if self.rtl:
            tbl_pr.append(E("w:bidiVisual"))
        tbl_pr.append(E("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}))
        borders = E("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(
                E(
                    f"w:{side}",
                    {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "A6A6A6"},
                )
            )
        tbl_pr.append(borders)
        tbl_pr.append(E("w:tblLayout", {"w:type": "fixed"}))
        margins = E("w:tblCellMar")
        for side, size in (
            ("top", "40"),
            ("left", str(CELL_MARGIN)),
            ("bottom", "40"),
            ("right", str(CELL_MARGIN)),
        ):
            margins.append(E(f"w:{side}", {"w:w": size, "w:type": "dxa"}))
        tbl_pr.append(margins)
        tbl_pr.append(E("w:tblLook", {"w:val": "04A0", "w:firstRow": "1", "w:noVBand": "1"}))
        grid = E("w:tblGrid", None, *(E("w:gridCol", {"w:w": str(x)}) for x in widths))
        return E("w:tbl", None, tbl_pr, grid)

    def row(
        self,
        tbl: etree._Element,
        widths: Sequence[int],
        cells: Iterable[list[etree._Element]],
        *,
        header: bool = False,
    ) -> None:
        """A row that is never split across pages; a header row repeats on each page."""
        tr_pr = E("w:trPr", None, E("w:cantSplit"))
        if header:
            tr_pr.append(E("w:tblHeader"))
        tr = E("w:tr", None, tr_pr)
        for width, paragraphs in zip(widths, cells, strict=True):
            tc_pr = E("w:tcPr", None, E("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
            if header:
                tc_pr.append(
                    E("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": HEADER_FILL})
                )
            tr.append(E("w:tc", None, tc_pr, *(paragraphs or [self.para(after=0)])))
        tbl.append(tr)

    def data_table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[int],
        *,
        numeric: Sequence[bool] = (),
        size: int = 18,
    ) -> etree._Element:
        """A table of text: the header (if any) repeats and keeps with the first row.

        Cells of ``numeric`` columns stand on the right of their cell.
        """
        # The rows are written as markup and parsed at once: for a table of a
        # few thousand cells that is several times faster than building each
        # element, and the properties come from the same cached elements.
        tbl = self.table(widths)
        ends = [bool(n) for n in numeric] + [False] * (len(widths) - len(numeric))
        markup: list[str] = []
        if header is not None:
            markup.append(self._row_markup(header, widths, ends, size, header=True))
        markup.extend(self._row_markup(values, widths, ends, size) for values in rows)
        fragment = etree.fromstring(f'<w:tbl xmlns:w="{W_NS}">{"".join(markup)}</w:tbl>')
        tbl.extend(list(fragment))
        return tbl

    def _markup(self, element: etree._Element) -> str:
        """An element's markup without its namespace declaration (it goes in a w: fragment)."""
        return etree.tostring(element, encoding="unicode").replace(f' xmlns:w="{W_NS}"', "")

    def _row_markup(
        self,
        values: Sequence[str],
        widths: Sequence[int],
        ends: Sequence[bool],
        size: int,
        *,
        header: bool = False,
    ) -> str:
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
        cells = []
        for text, width, end in zip(values, widths, ends, strict=True):
            ppr = self._ppr_markup(keep_next=header, align="right" if end and not header else None)
            runs = "".join(
                f"<w:r>{self._rpr_markup(rtl, header, size)}{_text_markup(piece)}</w:r>"
                for piece, rtl in self._pieces(text)
            )
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                f"<w:p>{ppr}{runs}</w:p></w:tc>"
            )
        head = "<w:tblHeader/>" if header else ""
        return f"<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>{''.join(cells)}</w:tr>"

    def _rpr_markup(self, rtl: bool, bold: bool, size: int) -> str:
        key = ("markup", rtl, bold, size)
        found = self._markup_cache.get(key)
        if found is None:
            found = self._markup_cache[key] = self._markup(self.rpr(rtl=rtl, bold=bold, size=size))
        return found

    def _ppr_markup(self, *, keep_next: bool, align: str | None) -> str:
        key = ("ppr", keep_next, align)
        found = self._markup_cache.get(key)
        if found is None:
            found = self._markup_cache[key] = self._markup(
                self.para(after=0, keep_next=keep_next, align=align)[0]
            )
        return found

    # --- page -------------------------------------------------------------

    def fld_char(self, kind: str) -> etree._Element:
        return E("w:r", None, E("w:fldChar", {"w:fldCharType": kind}))

    def page_x_of_y(self, size: int = 16) -> list[etree._Element]:
        """ "Page X of Y" with PAGE and NUMPAGES fields where the translation puts them."""
        text = self.loc.gettext("Page {page} of {pages}")
        runs: list[etree._Element] = []
        for part in re.split(r"(\{page\}|\{pages\})", text):
            if part in ("{page}", "{pages}"):
                code = " PAGE " if part == "{page}" else " NUMPAGES "
                runs.append(self.fld_char("begin"))
                instr = self.run("", size=size, color=GREY)
                instr.append(E("w:instrText", {"xml:space": "preserve"}))
                instr[-1].text = code
                runs.append(instr)
                runs.append(self.fld_char("separate"))
                runs.append(self.run("1", size=size, color=GREY))
                runs.append(self.fld_char("end"))
            elif part:
                runs.append(self.run(part, size=size, color=GREY))
        return runs

    def page_setup(
        self,
        section: Any,
        header: Sequence[etree._Element],
        *,
        landscape: bool = False,
    ) -> None:
        """A4 with 2 cm margins, ``header`` paragraphs on top, "page X of Y" below.

        ``section`` is a python-docx section; its header and footer are its own.
        """
        from docx.enum.section import WD_ORIENT  # noqa: PLC0415 (python-docx is slow to import; readers never need it)
        from docx.shared import Twips  # noqa: PLC0415 (as above)

        width, height = (A4[1], A4[0]) if landscape else A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(width), Twips(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Twips(MARGIN))
        section.header_distance = section.footer_distance = Twips(567)
        sect_pr = section._sectPr
        if self.rtl and sect_pr.find(qn("w:bidi")) is None:
            sect_pr.find(qn("w:docGrid")).addprevious(E("w:bidi"))
        for part, content in (
            (section.header, list(header)),
            (section.footer, [self.para(self.page_x_of_y(), after=0, align="center")]),
        ):
            part.is_linked_to_previous = False
            element = part._element
            for child in list(element):
                element.remove(child)
            element.extend(content)

    def new_section(self) -> Any:
        """End the current section here and start one on a new page; its python-docx section.

        What is added afterwards belongs to the new section.
        """
        section = self.doc.add_section()
        self.sect_pr = self.body.find(qn("w:sectPr"))
        return section

    # --- defaults ---------------------------------------------------------

    def defaults(self, size: int = 20) -> None:
        """Document defaults: the language's fonts, tags and size; settings' font languages."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        fonts = rpr.find(qn("w:rFonts"))
        if self.lang == "ar":
            fonts.set(qn("w:cs"), ARABIC_FONT)
        elif self.lang == "zh":
            fonts.set(qn("w:eastAsia"), CJK_FONT)
            fonts.set(qn("w:hint"), "eastAsia")
        rpr.find(qn("w:sz")).set(qn("w:val"), str(size))
        rpr.find(qn("w:szCs")).set(qn("w:val"), str(size + 2 if self.rtl else size))
        lang = rpr.find(qn("w:lang"))
        for key, value in self.lang_attrs().items():
            lang.set(qn(key), value)
        settings = self.doc.settings.element
        # python-docx's template omits the zoom's required percentage.
        zoom = settings.find(qn("w:zoom"))
        if zoom is not None and zoom.get(qn("w:percent")) is None:
            zoom.set(qn("w:percent"), "100")
        font_lang = settings.find(qn("w:themeFontLang"))
        font_lang.set(qn("w:val"), "en-US")
        # The template says ja-JP, which gives Chinese text a Japanese face.
        font_lang.set(qn("w:eastAsia"), LANGUAGE_TAGS["zh"])
        font_lang.set(qn("w:bidi"), LANGUAGE_TAGS["ar"])
