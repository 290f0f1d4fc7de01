"""Write a fillable Excel (.xlsx) form of a questionnaire in one language.

Layout (see ``docs/excel-forms.md``): an instructions sheet, a cover sheet
with the country and the respondent's details, one sheet per section, and two
very hidden sheets: the choice lists behind defined names, and the form
metadata. Every answer slot is one unlocked cell that a workbook defined name
points to (``XLSX_NAME_PREFIX`` + item id, ``+ XLSX_OPTION_JOIN`` + option code
for each option of a multiple choice); the reader finds answers only through
these names, so tab titles may be translated and rows inserted.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from selfassess.constants import (
    COUNTRY_SLOT,
    CTX_CHOICE_HELP,
    CTX_CHOICE_LABEL,
    CTX_ENTRY_NOTE,
    CTX_ITEM_HELP,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    META_PREFIX,
    SHEET_LISTS,
    SHEET_META,
    XLSX_COUNTRY_LIST,
    XLSX_LIST_PREFIX,
    XLSX_META_KEY_COLUMN,
    XLSX_META_VALUE_COLUMN,
    XLSX_NAME_PREFIX,
    XLSX_OPTION_JOIN,
    XLSX_TICK_LIST,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.model import Item, Questionnaire, RecommendationEntry, Section
from selfassess.errors import UsageError
from selfassess.forms.citations import shown_text, source_lines, translation_notice
from selfassess.forms.returning import contact_rows, period_text, return_steps
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import MAX_CELL_CHARS, fits_in_cell, set_text, sheet_title
from selfassess.response.interpret import NOT_ASKED, Answer, asked, check_prefill, range_hint
from selfassess.response.meta import FormMeta

#: Excel's limits on validation titles and messages.
_MAX_TITLE = 32
_MAX_MESSAGE = 255

# Section sheets: reference, text, answer, guidance (character widths).
_COL_REF, _COL_TEXT, _COL_ANSWER, _COL_GUIDE = 1, 2, 3, 4
_WIDTHS = {_COL_REF: 11, _COL_TEXT: 62, _COL_ANSWER: 36, _COL_GUIDE: 40}
_HEADER_ROWS = 2
# Instructions sheet: a label column and a text column.
_INSTR_WIDTHS = (30, 100)

#: Faces that carry the script; other editors substitute metric-compatible ones.
_FONT_NAMES = {"ar": "Arial", "zh": "Microsoft YaHei"}
_DEFAULT_FONT = "Calibri"

_ANSWER_FILL = PatternFill("solid", fgColor="FFFFF8DC")
_BAND_FILL = PatternFill("solid", fgColor="FFDCE6F1")
_HEADER_FILL = PatternFill("solid", fgColor="FF1F4E79")
_REQUIRED_EMPTY_FILL = PatternFill("solid", fgColor="FFF8CBAD", bgColor="FFF8CBAD")
_THIN = Side(style="thin", color="FF8EA9C1")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)

#: Number formats of answer cells: text stays text whatever is typed (a text
#: answer "1e5" or "0012" is not turned into a number), dates show as ISO.
_FMT_TEXT = "@"
_FMT_DATE = "yyyy-mm-dd"
_FMT_NUMBER = "General"
_EXAMPLE_DATE = dt.date(2025, 3, 31)
_EXAMPLE_NUMBER = 1234.5

#: Printed height between the top and bottom margins that new_sheet sets (A4
#: landscape, 0.75 in each), less a margin for rounding, in points.
_PAGE_HEIGHT = 595.3 - 2 * 0.75 * 72 - 12
#: Height of a line of text per point of font size: Excel's wrapped rows
#: (about 14.3 pt a line of Calibri or Arial 11), more for CJK (Microsoft
#: YaHei's taller lines). Calc prints lines at about 1.1 (its fit-to-width
#: scale included); the slack is in _lines, which counts lines high.
_LINE_HEIGHT = {"zh": 1.6}
_DEFAULT_LINE_HEIGHT = 1.3
#: Column-width characters a character of text takes at most, by language; 1.0 else.
_WIDTH_FACTOR = {"ru": 1.2}


def write_xlsx(
    questionnaire: Questionnaire,
    meta: FormMeta,
    out: Path | BinaryIO,
    loc: Localizer | None = None,
    *,
    password: str | None = None,
    prefill: Mapping[str, Answer] | None = None,
    contact: SecretariatContact | None = None,
) -> None:
    """Write the form of ``questionnaire`` described by ``meta`` to ``out``.

    ``loc`` (default: the form's language) translates every string; strings
    with no translation are in ``loc.missing`` afterwards. ``password``
    protects the sheets and the workbook structure (protection is on in any
    case). ``prefill`` maps item ids to answers in the shape of
    :class:`~selfassess.response.interpret.ParseResult` answers; they are written as a
    person would type them, so that parsing the untouched form gives them back.
    ``contact``: the secretariat's details, printed on the instructions sheet when given.
    """
    loc = loc or Localizer(meta.language)
    if loc.lang != meta.language:
        raise UsageError(
            f"the form's language is '{meta.language}' but its strings are in '{loc.lang}'"
        )
    values = _check_prefill(questionnaire, prefill or {})
    workbook = _Builder(questionnaire, meta, loc, password, values, contact).build()
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)


def slot_name(item_id: str, option: str | None = None) -> str:
    """The defined name of an answer slot (the public contract).

    >>> slot_name("wg15_j_status"), slot_name("wg15_j_ta_kinds", "training")
    ('sa_wg15_j_status', 'sa_wg15_j_ta_kinds__training')
    """
    return XLSX_NAME_PREFIX + item_id + (XLSX_OPTION_JOIN + option if option else "")


# --- prefill -----------------------------------------------------------------


def _check_prefill(q: Questionnaire, prefill: Mapping[str, Answer]) -> dict[str, Answer]:
    """The checked prefill; text must also fit in one cell as it is written.

    Refused rather than cut: a prefill is the country's own earlier answer,
    and a form that silently shortens it would lose it on the next return.
    """
    values = check_prefill(q, prefill)
    for item_id, answer in values.items():
        if isinstance(answer, str) and not fits_in_cell(_escaped(answer)):
            raise UsageError(
                f"prefill: the answer for {item_id} is longer than the {MAX_CELL_CHARS} "
                "UTF-16 units an Excel cell holds; shorten it in the store's return"
            )
    return values


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- building ------------------------------------------------------------------


@dataclass
class _Slot:
    name: str
    sheet: Worksheet
    coordinate: str


class _Builder:
    def __init__(
        self,
        q: Questionnaire,
        meta: FormMeta,
        loc: Localizer,
        password: str | None,
        prefill: dict[str, Answer],
        contact: SecretariatContact | None,
    ) -> None:
        self.q = q
        self.contact = contact
        self.meta = meta
        self.loc = loc
        self.password = password or None
        self.prefill = prefill
        self.catalogue = load_catalogue(q.catalogue)
        self.wb = Workbook()
        self.slots: list[_Slot] = []
        # One validation per kind per sheet, and the cells it covers.
        self.validations: dict[str, dict[str, tuple[DataValidation, list[str]]]] = {}
        self.tick = loc.pgettext("tick", "x")
        self.taken_titles = {SHEET_LISTS.casefold(), SHEET_META.casefold()}
        font_name = _FONT_NAMES.get(loc.lang, _DEFAULT_FONT)
        self.style_cache: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}
        self.restyle_cache: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        #: Estimated printed height of each row, and the blocks of rows kept on one page, by sheet.
        self.heights: dict[str, dict[int, float]] = {}
        self.blocks: dict[str, list[tuple[int, int]]] = {}
        self.font = Font(name=font_name, size=11)
        self.bold = Font(name=font_name, size=11, bold=True)
        self.title_font = Font(name=font_name, size=14, bold=True, color="FF1F4E79")
        self.header_font = Font(name=font_name, size=11, bold=True, color="FFFFFFFF")
        self.guide_font = Font(name=font_name, size=10, italic=True, color="FF404040")

    # --- cells -----------------------------------------------------------

    def align(self, *, horizontal: str | None = None, indent: int = 0) -> Alignment:
        """Wrapped, top-aligned; right to left in a right-to-left form.

        No horizontal alignment on text: 'general' follows the reading order,
        where an explicit 'left' would put Arabic flush with the wrong edge.
        Every cell of an Arabic form reads right to left, references and ids
        included (they stay one left-to-right run inside it); only a string
        still untranslated shows its final punctuation on the wrong side.
        """
        return Alignment(
            horizontal=horizontal,
            vertical="top",
            wrap_text=True,
            indent=indent,
            readingOrder=2 if self.loc.rtl else 0,
        )

    def put(
        self,
        ws: Worksheet,
        row: int,
        col: int,
        text: str,
        font: Font | None = None,
        fill: PatternFill | None = None,
        indent: int = 0,
        sized_as: str | None = None,
    ) -> None:
        """``sized_as``: the text the row's printed height is estimated for, when
        it is not ``text`` itself."""
        cell = ws.cell(row=row, column=col)
        _put_text(cell, text)
        font = font or self.font
        self.grow(ws, row, col, text if sized_as is None else sized_as, font, indent)

        def style() -> None:
            cell.font = font
            cell.alignment = self.align(indent=indent)
            if fill is not None:
                cell.fill = fill

        self.styled(cell, ("text", font, fill, indent), style)

    def grow(
        self, ws: Worksheet, row: int, col: int, text: str, font: Font, indent: int = 0
    ) -> None:
        """Note the printed height ``text`` needs in a cell: rows fit their text when
        opened (no height is written), so page breaks are placed by these estimates."""
        width = ws.column_dimensions[get_column_letter(col)].width - 1 - indent
        size = float(font.sz or 11)
        lines = _lines(text, width, size / 11, self.loc.lang) if text else 1
        need = lines * size * _LINE_HEIGHT.get(self.loc.lang, _DEFAULT_LINE_HEIGHT)
        heights = self.heights.setdefault(ws.title, {})
        heights[row] = max(heights.get(row, 0.0), need)

    def keep_together(self, ws: Worksheet, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` print on one page (a question and its options)."""
        self.blocks.setdefault(ws.title, []).append((first, last))

    def page_breaks(self, ws: Worksheet) -> None:
        """Manual row breaks, so that no block of :meth:`keep_together` straddles pages.

        Excel and Calc have no "keep rows together"; they honour manual breaks,
        also with the sheet fitted to one page wide (which only shrinks rows,
        so the estimate stays on the safe side). A block taller than a page
        starts a page and is split where it must be.
        """
        heights = self.heights.get(ws.title, {})
        default = 11 * _LINE_HEIGHT.get(self.loc.lang, _DEFAULT_LINE_HEIGHT)

        def height(row: int) -> float:
            return ws.row_dimensions[row].height or heights.get(row, default)

        room = _PAGE_HEIGHT - sum(height(r) for r in range(1, _HEADER_ROWS + 1))
        used = 0.0
        row = _HEADER_ROWS + 1
        for first, last in sorted(self.blocks.get(ws.title, [])):
            used += sum(height(r) for r in range(row, first))
            block = sum(height(r) for r in range(first, last + 1))
            if used + block > room and used > 0:
                ws.row_breaks.append(Break(id=first - 1))
                used = 0.0
            # A block longer than a page runs on; what is left of it on its last page counts.
            used = (used + block) % room if used + block > room else used + block
            row = last + 1

    def band(self, ws: Worksheet, row: int, fill: PatternFill) -> None:
        for col in _WIDTHS:
            self.restyle(ws.cell(row=row, column=col), "fill", fill)

    def validate(self, ws: Worksheet, key: str, make: Any, cell: Any) -> None:
        """Put ``cell`` under the sheet's validation of kind ``key`` (made by ``make()``).

        The cells are gathered and each validation given its whole range once
        (:meth:`close_validations`): ``DataValidation.add`` rebuilds the range
        on every call, which is quadratic in the cells of a sheet.
        """
        per_sheet = self.validations.setdefault(ws.title, {})
        if key not in per_sheet:
            dv: DataValidation = make()
            ws.add_data_validation(dv)
            per_sheet[key] = (dv, [])
        per_sheet[key][1].append(cell.coordinate)

    def close_validations(self) -> None:
        for per_sheet in self.validations.values():
            for dv, cells in per_sheet.values():
                dv.sqref = MultiCellRange(" ".join(cells))

    def list_validation(self, list_name: str, error_title: str, error: str) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=list_name,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=error_title[:_MAX_TITLE],
            error=error[:_MAX_MESSAGE],
        )

    def answer_cell(self, ws: Worksheet, row: int, *, centred: bool = False) -> Any:
        cell = ws.cell(row=row, column=_COL_ANSWER)

        def style() -> None:
            cell.protection = Protection(locked=False)
            cell.fill = _ANSWER_FILL
            cell.border = _BOX
            cell.font = self.font
            cell.alignment = self.align(horizontal="center" if centred else None)

        self.styled(cell, ("answer", centred), style)
        return cell

    def styled(self, cell: Any, key: tuple[Any, ...], style: Callable[[], None]) -> None:
        """Give ``cell`` the style ``style()`` sets, computing each style once.

        Every style assignment makes openpyxl hash the style objects into the
        workbook's tables, which was 40% of the time of a form. The first cell
        of each kind is styled normally; later ones copy its style indexes
        (openpyxl's ``StyleArray``, pinned by the openpyxl version range). Keys
        hold the style objects themselves, so ids are never reused.
        """
        ident = tuple(id(part) for part in key)
        cached = self.style_cache.get(ident)
        if cached is None:
            style()
            self.style_cache[ident] = (key, copy.copy(cell._style))
        else:
            cell._style = copy.copy(cached[1])

    def restyle(self, cell: Any, attribute: str, value: Any) -> None:
        """Set one style attribute of ``cell`` through the cache.

        The same change to the same style gives the same style indexes, so it
        is computed once (see :meth:`styled`); the cache holds ``value`` so
        that its id is never reused.
        """
        # A cell openpyxl has not styled yet has no style array.
        current = tuple(cell._style) if cell._style is not None else ()
        ident = (current, attribute, value if isinstance(value, str) else id(value))
        cached = self.restyle_cache.get(ident)
        if cached is None:
            setattr(cell, attribute, value)
            self.restyle_cache[ident] = (value, copy.copy(cell._style))
        else:
            cell._style = copy.copy(cached[1])

    def add_slot(self, name: str, ws: Worksheet, row: int, col: int = _COL_ANSWER) -> None:
        coordinate = f"{get_column_letter(col)}{row}"
        self.slots.append(_Slot(name, ws, coordinate))

    # --- sheets ----------------------------------------------------------

    def new_sheet(self, title: str) -> Worksheet:
        ws = self.wb.create_sheet(sheet_title(title, self.taken_titles))
        ws.sheet_view.rightToLeft = self.loc.rtl
        ws.sheet_view.showGridLines = False
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.footer = 0.3
        ws.oddFooter.center.text = "&P / &N"
        return ws

    def protect(self, ws: Worksheet) -> None:
        ws.protection.sheet = True
        # Respondents may resize rows and columns to read long answers.
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
        if self.password:
            ws.protection.password = self.password

    def title_row(self, ws: Worksheet, text: str, last_col: int, width: float) -> None:
        self.put(ws, 1, 1, text, self.title_font)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        # Neither Excel nor Calc fits a merged row's height to its text.
        ws.row_dimensions[1].height = 20 * _lines(text, width, 1.35, self.loc.lang) + 6

    def header_row(self, ws: Worksheet, labels: list[str]) -> None:
        for col, label in enumerate(labels, start=1):
            self.put(ws, 2, col, label, self.header_font, _HEADER_FILL)
        ws.freeze_panes = ws.cell(row=_HEADER_ROWS + 1, column=1)
        ws.print_title_rows = f"1:{_HEADER_ROWS}"

    def section_sheet(self, title: str, heading: str) -> Worksheet:
        _ = self.loc.gettext
        ws = self.new_sheet(title)
        for col, width in _WIDTHS.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        self.title_row(ws, heading, len(_WIDTHS), sum(_WIDTHS.values()))
        self.header_row(
            ws, [_("Ref."), _("Recommendation and question"), _("Answer"), _("Guidance")]
        )
        return ws

    # --- content ---------------------------------------------------------

    def build(self) -> Workbook:
        _ = self.loc.gettext
        loc = self.loc
        self.wb.remove(self.wb.active)
        cover_sections = [s for s in self.q.sections if not s.recommendations]
        other_sections = [s for s in self.q.sections if s.recommendations]
        numbers = {s.id: n for n, s in enumerate(self.q.sections, start=1)}

        instructions = self.new_sheet(_("Instructions"))
        cover = self.section_sheet(_("Cover"), loc.content(CTX_QUESTIONNAIRE_TITLE, self.q.title))
        row = self.country_row(cover, _HEADER_ROWS + 1)
        for section in cover_sections:
            top = row + 1
            row = self.section_heading(cover, top, numbers[section.id], section)
            row = self.with_first_item(cover, top, row, section.items)
        self.page_breaks(cover)
        self.protect(cover)

        section_sheets: list[tuple[str, Section]] = []
        for section in other_sections:
            heading = f"{loc.number(numbers[section.id])}. " + loc.content(
                CTX_SECTION_TITLE, section.title
            )
            ws = self.section_sheet(heading, heading)
            section_sheets.append((ws.title, section))
            row = _HEADER_ROWS + 1
            row = self.items(ws, row, section.items)
            for entry in section.recommendations:
                row = self.entry(ws, row, entry)
            self.page_breaks(ws)
            self.protect(ws)

        self.instructions(instructions, cover.title, section_sheets)
        self.lists_sheet()
        self.meta_sheet()
        self.close_validations()
        self.names()
        self.properties()
        self.wb.active = 0
        # The hidden lists and metadata stay hidden in Excel; Calc drops this on saving.
        self.wb.security = WorkbookProtection(lockStructure=True)
        if self.password:
            self.wb.security.workbookPassword = self.password
        return self.wb

    def country_row(self, ws: Worksheet, row: int) -> int:
        _ = self.loc.gettext
        self.put(ws, row, _COL_TEXT, _("Country"), self.bold)
        if self.meta.country:
            name = self.loc.country(self.meta.country)
            # Sized as the longest Party name: a round writes every country's form
            # from one built with a stand-in name (forms/template.py), so the page
            # breaks must not depend on the name.
            longest = max([name, *(n for _, n in self.loc.countries())], key=len)
            self.put(ws, row, _COL_ANSWER, name, self.bold, sized_as=longest)
            self.restyle(ws.cell(row=row, column=_COL_ANSWER), "border", _BOX)
            self.put(
                ws, row, _COL_GUIDE, _("The form was issued to this country."), self.guide_font
            )
            return row + 1
        self.answer_cell(ws, row)
        self.validate(
            ws,
            "country",
            lambda: self.list_validation(
                XLSX_COUNTRY_LIST,
                _("Not a country"),
                _("Pick your country from the drop-down list of the cell."),
            ),
            ws.cell(row=row, column=_COL_ANSWER),
        )
        self.add_slot(XLSX_NAME_PREFIX + COUNTRY_SLOT, ws, row)
        self.put(ws, row, _COL_GUIDE, _("Pick your country from the list."), self.guide_font)
        self.required_empty(ws, f"{get_column_letter(_COL_ANSWER)}{row}")
        return row + 1

    def section_heading(self, ws: Worksheet, row: int, number: int, section: Section) -> int:
        text = f"{self.loc.number(number)}. " + self.loc.content(CTX_SECTION_TITLE, section.title)
        self.put(ws, row, _COL_REF, "", self.bold, _BAND_FILL)
        self.band(ws, row, _BAND_FILL)
        self.put(ws, row, _COL_TEXT, text, self.bold, _BAND_FILL)
        return row + 1

    def entry(self, ws: Worksheet, row: int, entry: RecommendationEntry) -> int:
        rec = self.catalogue.get(entry.recommendation)
        first = row
        self.band(ws, row, _BAND_FILL)
        self.put(ws, row, _COL_REF, rec.ref, self.bold, _BAND_FILL)
        self.put(
            ws, row, _COL_TEXT, self.loc.content(CTX_REC_TITLE, rec.title), self.bold, _BAND_FILL
        )
        if entry.note:
            self.put(
                ws,
                row,
                _COL_GUIDE,
                self.loc.content(CTX_ENTRY_NOTE, entry.note),
                self.guide_font,
                _BAND_FILL,
            )
        row += 1
        self.band(ws, row, _BAND_FILL)
        self.put(ws, row, _COL_TEXT, shown_text(rec, self.loc)[0], fill=_BAND_FILL)
        return self.with_first_item(ws, first, row + 1, entry.items)

    def with_first_item(self, ws: Worksheet, first: int, row: int, items: tuple[Item, ...]) -> int:
        """Write ``items`` from ``row``; the heading above (from ``first``) keeps with the first."""
        blocks = self.blocks.setdefault(ws.title, [])
        known = len(blocks)
        end = self.items(ws, row, items)
        if len(blocks) > known:
            blocks[known] = (first, blocks[known][1])
        else:
            self.keep_together(ws, first, row - 1)
        return end

    def items(self, ws: Worksheet, row: int, items: tuple[Item, ...]) -> int:
        for item in items:
            row = self.item(ws, row, item)
        return row

    def guidance(self, item: Item) -> str:
        _ = self.loc.gettext
        parts: list[str] = []
        if item.required:
            parts.append(_("Required."))
        hint = {
            "choice": _("Pick one answer from the list."),
            "multichoice": _("Mark each option that applies with {tick}.").format(tick=self.tick),
            "number": _("A number, e.g. {example}.").format(
                example=self.loc.number(_EXAMPLE_NUMBER)
            ),
            "date": _("A date, as YYYY-MM-DD."),
            "text": "",
        }[item.type]
        if hint:
            parts.append(hint)
        if item.help:
            parts.append(self.loc.content(CTX_ITEM_HELP, item.help))
        if range_hint(item, self.loc):
            parts.append(range_hint(item, self.loc))
        if item.condition is not None:
            cond_item = self.q.item(item.condition.item)
            code = item.condition.equals or item.condition.includes or ""
            label = next(
                (
                    self.loc.content(CTX_CHOICE_LABEL, ch.label)
                    for ch in self.q.choices_of(cond_item)
                    if ch.code == code
                ),
                code,
            )
            if item.condition.equals is not None:
                parts.append(
                    _("Answer only if the answer to {ref} is '{answer}'.").format(
                        ref=cond_item.ref, answer=label
                    )
                )
            else:
                parts.append(
                    _("Answer only if '{answer}' is marked under {ref}.").format(
                        ref=cond_item.ref, answer=label
                    )
                )
        return " ".join(parts)

    def item(self, ws: Worksheet, row: int, item: Item) -> int:
        last = self.item_rows(ws, row, item)
        self.keep_together(ws, row, last)
        return last + 1

    def item_rows(self, ws: Worksheet, row: int, item: Item) -> int:
        """Write an item from ``row`` on; the last row it takes."""
        _ = self.loc.gettext
        self.put(ws, row, _COL_REF, item.ref)
        self.put(ws, row, _COL_TEXT, self.loc.content(CTX_ITEM_PROMPT, item.prompt))
        is_asked = asked(item, self.meta.country)
        if is_asked:
            self.put(ws, row, _COL_GUIDE, self.guidance(item), self.guide_font)
        else:
            # No answer cell and no slot: the item is not asked of this Party.
            self.put(ws, row, _COL_ANSWER, _(NOT_ASKED), self.guide_font)
        for col in _WIDTHS:
            self.restyle(ws.cell(row=row, column=col), "border", _UNDERLINE)
        if not is_asked:
            return row
        answer = self.prefill.get(item.id)
        if item.type == "multichoice":
            picked = answer if isinstance(answer, list) else []
            for ch in self.q.choices_of(item):
                row += 1
                self.put(ws, row, _COL_TEXT, self.loc.content(CTX_CHOICE_LABEL, ch.label), indent=2)
                cell = self.answer_cell(ws, row, centred=True)
                self.restyle(cell, "number_format", _FMT_TEXT)
                if ch.code in picked:
                    _put_text(cell, self.tick)
                self.validate(
                    ws,
                    "tick",
                    lambda: self.list_validation(
                        XLSX_TICK_LIST,
                        _("Not a tick mark"),
                        _("Type {tick} to mark this option, or leave the cell empty.").format(
                            tick=self.tick
                        ),
                    ),
                    cell,
                )
                self.add_slot(slot_name(item.id, ch.code), ws, row)
            return row
        cell = self.answer_cell(ws, row)
        self.add_slot(slot_name(item.id), ws, row)
        if item.required:
            self.required_empty(ws, cell.coordinate)
        if item.type == "choice":
            self.validate(
                ws,
                f"list:{item.choices}",
                lambda: self.list_validation(
                    XLSX_LIST_PREFIX + (item.choices or ""),
                    _("Not one of the answers"),
                    _("Pick one answer from the drop-down list of the cell."),
                ),
                cell,
            )
            self.restyle(cell, "number_format", _FMT_TEXT)
            if isinstance(answer, str):
                _put_text(cell, self.choice_label(item, answer))
                self.grow(ws, row, _COL_ANSWER, self.choice_label(item, answer), self.font)
        elif item.type == "number":
            self.validate(
                ws, f"number:{item.min}:{item.max}", lambda: self.number_validation(item), cell
            )
            self.restyle(cell, "number_format", _FMT_NUMBER)
            if isinstance(answer, int | float):
                cell.value = answer
        elif item.type == "date":
            self.validate(ws, "date", self.date_validation, cell)
            self.restyle(cell, "number_format", _FMT_DATE)
            if isinstance(answer, str):
                cell.value = _iso_date(answer)
                self.restyle(cell, "number_format", _FMT_DATE)
        else:
            self.restyle(cell, "number_format", _FMT_TEXT)
            if isinstance(answer, str):
                _put_text(cell, answer)
                self.grow(ws, row, _COL_ANSWER, answer, self.font)
        return row

    def choice_label(self, item: Item, code: str) -> str:
        for ch in self.q.choices_of(item):
            if ch.code == code:
                return self.loc.content(CTX_CHOICE_LABEL, ch.label)
        raise KeyError(code)

    def number_validation(self, item: Item) -> DataValidation:
        """Digits only, within the item's range where it has one (Excel's limits else)."""
        _ = self.loc.gettext
        message = range_hint(item, self.loc) or _(
            "Type a number, digits only, e.g. {example}."
        ).format(example=self.loc.number(_EXAMPLE_NUMBER))
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15" if item.min is None else repr(item.min),
            formula2="1E+15" if item.max is None else repr(item.max),
            allow_blank=True,
            showInputMessage=True,
            promptTitle=_("Number")[:_MAX_TITLE],
            prompt=message[:_MAX_MESSAGE],
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_("Not a number")[:_MAX_TITLE],
            error=message[:_MAX_MESSAGE],
        )

    def date_validation(self) -> DataValidation:
        _ = self.loc.gettext
        message = _("Type the date as YYYY-MM-DD, e.g. {example}.").format(
            example=self.loc.example(_EXAMPLE_DATE.isoformat())
        )
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2999,12,31)",
            allow_blank=True,
            showInputMessage=True,
            promptTitle=_("Date")[:_MAX_TITLE],
            prompt=message[:_MAX_MESSAGE],
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_("Not a date")[:_MAX_TITLE],
            error=message[:_MAX_MESSAGE],
        )

    def required_empty(self, ws: Worksheet, coordinate: str) -> None:
        """Shade a required answer cell while it is empty."""
        ws.conditional_formatting.add(
            coordinate,
            FormulaRule(formula=[f"LEN(TRIM({coordinate}))=0"], fill=_REQUIRED_EMPTY_FILL),
        )

    def instructions(
        self, ws: Worksheet, cover_title: str, sections: list[tuple[str, Section]]
    ) -> None:
        _ = self.loc.gettext
        loc = self.loc
        meta = self.meta
        for col, width in enumerate(_INSTR_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        self.title_row(
            ws, loc.content(CTX_QUESTIONNAIRE_TITLE, self.q.title), 2, sum(_INSTR_WIDTHS)
        )
        row = 3
        recs = [
            self.catalogue.get(e.recommendation) for _t, s in sections for e in s.recommendations
        ]
        notice = translation_notice(self.catalogue, recs, loc)
        if notice:
            self.put(ws, row, 1, notice, self.bold)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            ws.row_dimensions[row].height = (
                16 * _lines(ws.cell(row=row, column=1).value, sum(_INSTR_WIDTHS), 1.1, loc.lang) + 4
            )
            row += 2
        deadline = loc.date(meta.deadline) if meta.deadline else _("See the covering letter.")
        facts = [
            (
                _("Country"),
                loc.country(meta.country)
                if meta.country
                else _("To be picked on the sheet '{sheet}'.").format(sheet=cover_title),
            ),
            (_("Deadline"), deadline),
        ]
        if meta.period:
            facts.append((_("Reporting period"), period_text(meta.period, loc)))
        facts += [
            (_("Language"), loc.language_name(meta.language)),
            (_("Issued"), loc.date(meta.issued)),
            (_("Version"), self.q.version),
            (_("Form id"), meta.form_id),
            *contact_rows(self.contact, loc),
        ]
        for label, value in facts:
            self.put(ws, row, 1, label, self.bold)
            self.put(ws, row, 2, value)
            row += 1

        row = self.instr_heading(ws, row + 1, _("How to answer"))
        steps = [
            _("Give the respondent's details on the sheet '{sheet}'.").format(sheet=cover_title)
            + ("" if meta.country else " " + _("Pick your country there from the drop-down list.")),
            _(
                "Each section sheet shows the recommendations, each followed by its "
                "questions. Type or pick each answer in its answer cell, in the column "
                "'{column}'; the other cells are locked."
            ).format(column=_("Answer")),
            _("Where the answer is a choice, pick one from the drop-down list of the cell."),
            _(
                "Where several options may apply, mark each option that applies with {tick} "
                "and leave the others empty."
            ).format(tick=self.tick),
            _(
                "Type numbers as digits without units (e.g. {number}) and dates as "
                "YYYY-MM-DD (e.g. {date})."
            ).format(
                number=loc.number(_EXAMPLE_NUMBER), date=loc.example(_EXAMPLE_DATE.isoformat())
            ),
            _(
                "Some questions apply only after a given answer to an earlier question, "
                "as their guidance says; leave them empty otherwise."
            ),
            _("Answer cells shaded in orange are required and still empty."),
            _(
                "Type answers as values, not formulas. Do not move or delete answer cells, "
                "and keep the workbook in the .xlsx format."
            ),
        ]
        for n, step in enumerate(steps, start=1):
            self.put(ws, row, 1, loc.number(n), self.bold)
            self.put(ws, row, 2, step)
            row += 1

        row = self.instr_heading(ws, row + 1, _("Returning the form"))
        for n, step in enumerate(return_steps("xlsx", meta, self.contact, loc), start=1):
            self.put(ws, row, 1, loc.number(n), self.bold)
            self.put(ws, row, 2, step)
            row += 1

        sources = source_lines(self.catalogue, recs, loc)
        if sources:
            row = self.instr_heading(ws, row + 1, _("Sources"))
            for line in sources:
                self.put(ws, row, 2, line)
                row += 1

        for cl in self.q.choice_lists:
            if not cl.scored:
                continue
            row = self.instr_heading(ws, row + 1, _("Implementation status scale"))
            for ch in cl.choices:
                self.put(ws, row, 1, loc.content(CTX_CHOICE_LABEL, ch.label), self.bold)
                self.put(ws, row, 2, loc.content(CTX_CHOICE_HELP, ch.help) if ch.help else "")
                row += 1

        row = self.instr_heading(ws, row + 1, _("Sheets"))
        for title, section in [(cover_title, None), *sections]:
            self.put(ws, row, 1, title, self.bold)
            self.put(
                ws,
                row,
                2,
                loc.content(CTX_SECTION_TITLE, section.title)
                if section
                else _("The country and the respondent's details."),
            )
            row += 1
        ws.print_title_rows = "1:1"
        self.protect(ws)

    def instr_heading(self, ws: Worksheet, row: int, text: str) -> int:
        self.put(ws, row, 1, text, self.header_font, _HEADER_FILL)
        self.restyle(ws.cell(row=row, column=2), "fill", _HEADER_FILL)
        return row + 1

    def lists_sheet(self) -> None:
        ws = self.wb.create_sheet(SHEET_LISTS)
        ws.sheet_state = "veryHidden"
        columns: list[tuple[str, list[str]]] = [
            (
                XLSX_LIST_PREFIX + cl.id,
                [self.loc.content(CTX_CHOICE_LABEL, c.label) for c in cl.choices],
            )
            for cl in self.q.choice_lists
        ]
        columns.append((XLSX_TICK_LIST, [self.tick]))
        columns.append((XLSX_COUNTRY_LIST, [name for _, name in self.loc.countries()]))
        for col, (name, labels) in enumerate(columns, start=1):
            letter = get_column_letter(col)
            _put_text(ws.cell(row=1, column=col), name)
            for r, label in enumerate(labels, start=2):
                _put_text(ws.cell(row=r, column=col), label)
            ref = f"{quote_sheetname(SHEET_LISTS)}!${letter}$2:${letter}${len(labels) + 1}"
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.protect(ws)

    def meta_sheet(self) -> None:
        ws = self.wb.create_sheet(SHEET_META)
        ws.sheet_state = "veryHidden"
        for row, (key, value) in enumerate(self.meta.as_strings().items(), start=1):
            _put_text(ws.cell(row=row, column=XLSX_META_KEY_COLUMN), META_PREFIX + key)
            cell = ws.cell(row=row, column=XLSX_META_VALUE_COLUMN)
            self.restyle(cell, "number_format", _FMT_TEXT)
            if value:
                _put_text(cell, value)
        self.protect(ws)

    def names(self) -> None:
        for slot in self.slots:
            ref = f"{quote_sheetname(slot.sheet.title)}!{_absolute(slot.coordinate)}"
            self.wb.defined_names[slot.name] = DefinedName(slot.name, attr_text=ref)

    def properties(self) -> None:
        props = self.wb.properties
        props.title = self.loc.content(CTX_QUESTIONNAIRE_TITLE, self.q.title)
        props.language = self.meta.language
        props.creator = "selfassess"
        props.identifier = self.meta.form_id
        for key, value in self.meta.as_strings().items():
            self.wb.custom_doc_props.append(StringProperty(name=META_PREFIX + key, value=value))


def _absolute(coordinate: str) -> str:
    """``C12`` -> ``$C$12``."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", coordinate)
    if match is None:
        raise ValueError(coordinate)
    return f"${match[1]}${match[2]}"


_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _put_text(cell: Any, text: str) -> None:
    """Write text as Excel would: a literal ``_xHHHH_`` escaped as ``_x005F_xHHHH_``.

    openpyxl writes strings as they are, and Excel and Calc would then show
    ``_x0041_`` as "A"; the reader decodes the escape (``decode_xstring``).
    """
    set_text(cell, _escaped(text))


def _escaped(text: str) -> str:
    return _LITERAL_ESCAPE.sub("_x005F_", text)


#: Characters two columns wide: CJK and everything after it.
_WIDE = re.compile("[\u2e81-\U0010ffff]")


def _lines(text: str, width: float, scale: float, lang: str) -> int:
    """Lines ``text`` takes in a cell ``width`` characters wide, at ``scale`` x 11 pt.

    Never fewer than Calc shows (measured on the forms of the six languages:
    Cyrillic runs wider than the digit widths a column is measured in).
    """
    factor = _WIDTH_FACTOR.get(lang, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        chars = len(paragraph)
        if lang == "zh":  # a CJK character takes two columns
            chars += len(_WIDE.findall(paragraph))
        lines += max(1, math.ceil(chars * scale * factor / width))
    return lines
