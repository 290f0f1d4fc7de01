"""The page layer both Word reports share: pages, headings, tables, pictures.

Built on :class:`selfassess.office.word.WordBuilder`, like the forms. Every
page is A4 with a header line (report title, country or round, date) and a
"page X of Y" footer. Table columns are sized from their content so that no
word breaks inside itself: a table that does not fit the portrait text width
at a readable size goes in a landscape section of its own. The pages of a
confidential part carry CONFIDENTIAL in their header.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import docx
from docx.shared import Twips
from lxml import etree

from selfassess.i18n.localizer import Localizer
from selfassess.office.word import (
    GREY,
    LANDSCAPE_TEXT_WIDTH,
    TEXT_WIDTH,
    WordBuilder,
    column_widths,
)
from selfassess.safety.files import output_file

#: Font sizes (half-points) tried in turn for a table before it goes landscape.
TABLE_SIZES = (18, 16, 15)
CONFIDENTIAL_COLOUR = "C00000"
#: The title's size in half-points.
TITLE_SIZE = 36


class ReportDocument(WordBuilder):
    """A report being written, section after section."""

    def __init__(self, loc: Localizer, header: str) -> None:
        super().__init__(docx.Document(), loc)
        self.header_text = header
        self.landscape = False
        self.confidential = False
        self.defaults(size=20)
        self.page_setup(self.doc.sections[0], self._header())

    def _header(self) -> list[etree._Element]:
        runs = []
        if self.confidential:
            runs.append(
                self.run(
                    self.loc.gettext("CONFIDENTIAL") + "  ",
                    bold=True,
                    size=18,
                    color=CONFIDENTIAL_COLOUR,
                )
            )
        runs.extend(self.runs(self.header_text, size=16, color=GREY))
        return [self.para(runs, after=0)]

    @property
    def width(self) -> int:
        return LANDSCAPE_TEXT_WIDTH if self.landscape else TEXT_WIDTH

    def section(self, *, landscape: bool, confidential: bool | None = None) -> None:
        """Go on in a new section (on a new page) when orientation or marking changes."""
        marking = self.confidential if confidential is None else confidential
        if landscape == self.landscape and marking == self.confidential:
            return
        self.landscape, self.confidential = landscape, marking
        self.page_setup(self.new_section(), self._header(), landscape=landscape)

    # --- blocks -----------------------------------------------------------

    def heading(self, text: str, level: int, *, page_break: bool = False) -> None:
        """A heading; it keeps with what follows."""
        style = "Title" if level == 0 else f"Heading{level}"
        # The Title style's 26 points suit a word or two; report titles are sentences.
        runs = self.runs(text, size=TITLE_SIZE if level == 0 else None)
        self.add(self.para(runs, style=style, keep_next=True, page_break=page_break))

    def paragraph(
        self, text: str, *, italic: bool = False, keep_next: bool = False, size: int | None = None
    ) -> None:
        self.add(self.para(self.runs(text, italic=italic, size=size), keep_next=keep_next))

    def numbered(self, items: Sequence[str]) -> None:
        """A numbered list whose numbers are text, so they stand at the start of
        the line in either direction (automatic numbering in a right-to-left
        paragraph depends on the reader's list settings)."""
        for n, text in enumerate(items, 1):
            number = self.run(f"{self.loc.number(n)}.\t", rtl=self.rtl)
            self.add(self.para([number, *self.runs(text)], keep_lines=True))

    @staticmethod
    def _fit(
        header: Sequence[str] | None, rows: Sequence[Sequence[str]], width: int
    ) -> tuple[list[int], int] | None:
        """Column widths and font size at which every word fits ``width``."""
        head = [header] if header is not None else []
        columns = [list(column) for column in zip(*head, *rows, strict=True)]
        for size in TABLE_SIZES:
            widths = column_widths(columns, width, size / 2, header=len(head))
            if widths is not None:
                return widths, size
        return None

    def orient_for(self, header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> None:
        """Portrait if the table fits it, landscape otherwise: call before its heading."""
        self.section(landscape=self._fit(header, rows, TEXT_WIDTH) is None)

    def text_table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        *,
        numeric: Sequence[bool] = (),
    ) -> None:
        """A table sized from its content on the current page width."""
        fit = self._fit(header, rows, self.width)
        if fit is None:
            # Not even this width holds the longest words: the smallest size, even columns.
            count = len(rows[0]) if header is None else len(header)
            fit = [self.width // count] * count, TABLE_SIZES[-1]
        widths, size = fit
        self.add(self.data_table(header, rows, widths, numeric=numeric, size=size))
        self.add(self.para(after=0))

    def picture(self, png: bytes, width_twips: int | None = None) -> None:
        # python-docx builds the picture's parts and its paragraph, at the end
        # of the body; the paragraph then gets this document's properties.
        width = min(width_twips or TEXT_WIDTH, self.width)
        self.doc.add_picture(io.BytesIO(png), width=Twips(width))
        p = self.sect_pr.getprevious()
        p.insert(0, self.para(align="center", after=120)[0])

    def save(self, out: str | Path | IO[bytes]) -> None:
        if isinstance(out, str | Path):
            # A link planted where the report goes is refused, never written through.
            with output_file(out) as fh:
                self.doc.save(fh)
        else:
            self.doc.save(out)
