"""Read a returned Excel form: metadata, and the raw value of every answer slot.

Slots are found only through the workbook's defined names (``XLSX_NAME_PREFIX``
+ item id, ``+ XLSX_OPTION_JOIN`` + option code), so inserted rows, moved cells,
renamed or re-ordered sheets do not matter. Interpretation (labels to codes,
numbers, dates, conditions) is :func:`selfassess.response.interpret.interpret`'s job.

The workbook is loaded in full mode, not ``read_only``: read-only mode cannot
see protection or validations and gives cells only by streaming rows, and a
whole form still loads in well under a second (``docs/excel-forms.md``).
Formulas are loaded as formulas (never ``data_only``): a cached value can be
forged, and a formula is not an answer.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from selfassess.constants import (
    COUNTRY_SLOT,
    LANGUAGES,
    META_KEYS,
    META_PREFIX,
    SHEET_LISTS,
    SHEET_META,
    XLSX_META_KEY_COLUMN,
    XLSX_META_VALUE_COLUMN,
    XLSX_NAME_PREFIX,
    XLSX_OPTION_JOIN,
)
from selfassess.definitions.model import Questionnaire
from selfassess.errors import Rejected, UsageError
from selfassess.i18n.localizer import Localizer, check_language, country_code
from selfassess.office.excel import destination
from selfassess.response.interpret import Problem, RawForm, RawScalar, RawValue, slot_id
from selfassess.response.meta import FormMeta
from selfassess.response.values import fold

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?[A-Za-z]{1,3}\$?\d+)?$")
#: How many locations a warning about stray cells names.
_SHOWN = 5


@dataclass(frozen=True)
class _Found:
    """A defined name resolved to one cell, or to nothing (a deleted row)."""

    sheet: Worksheet | None
    coordinate: str | None


class XlsxReader:
    """Reader of our .xlsx forms (see :class:`selfassess.forms.parse.Reader`).

    ``data`` has already passed :func:`selfassess.safety.package.check_package`.
    Messages are in ``ui``'s language (English by default).
    """

    def __init__(self, data: bytes, ui: Localizer | None = None) -> None:
        self.ui = ui or Localizer("en")
        try:
            with warnings.catch_warnings():
                # openpyxl warns about parts it drops (x14 validations, slicers).
                warnings.simplefilter("ignore")
                self.wb: Workbook = load_workbook(
                    io.BytesIO(data), data_only=False, keep_links=False, rich_text=False
                )
        # openpyxl raises almost any exception on a damaged part; each is a rejection.
        except Exception as exc:
            raise Rejected(f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None
        self._meta: FormMeta | None = None
        self._meta_problems: list[Problem] = []

    # --- metadata ----------------------------------------------------------

    def _from_properties(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for prop in self.wb.custom_doc_props.props:
            name = str(prop.name or "")
            if name.startswith(META_PREFIX):
                found[name[len(META_PREFIX) :]] = (
                    "" if prop.value is None else _meta_text(prop.value)
                )
        return found

    def _meta_sheet(self) -> Worksheet | None:
        for ws in self.wb.worksheets:
            if ws.title.casefold() == SHEET_META.casefold():
                return ws
        return None

    def _from_sheet(self) -> tuple[dict[str, str], dict[str, str]]:
        """(key -> value, key -> location) from the metadata sheet."""
        ws = self._meta_sheet()
        values: dict[str, str] = {}
        where: dict[str, str] = {}
        if ws is None:
            return values, where
        for row in ws.iter_rows(min_col=XLSX_META_KEY_COLUMN, max_col=XLSX_META_VALUE_COLUMN):
            key_cell, value_cell = row[0], row[-1]
            key = key_cell.value
            if isinstance(key, str) and key.startswith(META_PREFIX):
                name = key[len(META_PREFIX) :]
                value = value_cell.value
                values[name] = "" if value is None else _meta_text(value)
                where[name] = f"{ws.title}!{value_cell.coordinate}"
        return values, where

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
        if not props and not sheet:
            raise Rejected(
                "not a selfassess form: the workbook has no form metadata "
                f"(no {META_PREFIX}* document properties and no '{SHEET_META}' sheet)"
            )
        chosen = props or sheet
        if props and sheet:
            differing = [k for k in META_KEYS if props.get(k, "") != sheet.get(k, "")]
            if differing:
                _ = self.ui.gettext
                self._meta_problems.append(
                    Problem(
                        severity="error",
                        location=where.get(differing[0]) or SHEET_META,
                        message=_(
                            "The form's metadata differs between the document properties and "
                            "the hidden sheet '{sheet}' ({keys}): the form was altered. The "
                            "document properties were used; ask the secretariat for a new form "
                            "if these are wrong."
                        ).format(sheet=SHEET_META, keys=", ".join(differing)),
                    )
                )
        self._meta = _parse_meta(chosen)
        return self._meta

    # --- slots -------------------------------------------------------------

    def _names(self) -> dict[str, _Found]:
        """Every slot name of the workbook (lower case, prefix kept) and its cell."""
        found: dict[str, _Found] = {}
        scoped = [(name, dn) for ws in self.wb.worksheets for name, dn in ws.defined_names.items()]
        # Workbook-level names win over sheet-level ones of the same name.
        for name, dn in [*scoped, *self.wb.defined_names.items()]:
            key = name.lower()
            if not key.startswith(XLSX_NAME_PREFIX):
                continue
            found[key] = self._resolve(dn)
        return found

    def _resolve(self, dn: Any) -> _Found:
        found = destination(dn)
        if found is None:
            return _Found(None, None)
        title, ref = found
        match = _CELL.match(str(ref))
        if title not in self.wb.sheetnames or match is None:
            return _Found(None, None)
        return _Found(self.wb[title], f"{match[1].upper()}{match[2]}")

    def read(self, questionnaire: Questionnaire) -> RawForm:
        _ = self.ui.gettext
        meta = self.meta()
        raw = RawForm(meta=meta, format="xlsx", problems=list(self._meta_problems))
        names = self._names()
        used: set[tuple[str, str]] = set()
        lost: list[str] = []
        for name, found in sorted(names.items()):
            rest = name[len(XLSX_NAME_PREFIX) :]
            item_id, _join, option = rest.partition(XLSX_OPTION_JOIN)
            if found.sheet is None or found.coordinate is None:
                lost.append(rest)
                continue
            used.add((found.sheet.title, found.coordinate))
            cell = found.sheet[found.coordinate]
            location = f"{found.sheet.title}!{found.coordinate}"
            value = RawValue(_raw(cell.value), location, formula=_is_formula(cell))
            if rest == COUNTRY_SLOT:
                raw.meta = self._country(meta, value, raw.problems)
                continue
            raw.values[slot_id(item_id, option or None)] = value
        if lost:
            raw.problems.append(
                Problem(
                    severity="warning",
                    message=_(
                        "{count} answer cell(s) no longer exist (their rows or sheets were "
                        "deleted), so they count as unanswered: {slots}"
                    ).format(count=len(lost), slots=", ".join(lost[:10])),
                )
            )
        if meta.country is None and XLSX_NAME_PREFIX + COUNTRY_SLOT not in names:
            raw.problems.append(
                Problem(
                    severity="error",
                    message=_(
                        "The form was issued without a country and its country cell is gone; "
                        "ask the secretariat for a new form."
                    ),
                )
            )
        stray = self._stray_cells(used)
        if stray:
            raw.problems.append(
                Problem(
                    severity="warning",
                    location=stray[0],
                    message=_(
                        "{count} cell(s) typed outside the answer cells were ignored (e.g. "
                        "{cells}); put every answer in its answer cell."
                    ).format(count=len(stray), cells=", ".join(stray[:_SHOWN])),
                )
            )
        return raw

    def _country(self, meta: FormMeta, value: RawValue, problems: list[Problem]) -> FormMeta:
        """The metadata with the country picked on a blank form."""
        _ = self.ui.gettext
        if meta.country is not None:
            return meta
        text = value.value
        if value.formula:
            problems.append(
                Problem(
                    severity="error",
                    location=value.location,
                    message=_(
                        "A formula is not an answer (the country); pick the country from the list."
                    ),
                )
            )
            return meta
        if text is None or (isinstance(text, str) and not text.strip()):
            problems.append(
                Problem(
                    severity="warning",
                    location=value.location,
                    message=_("The country is not given; pick it from the list on the cover."),
                )
            )
            return meta
        code = _country_code(str(text))
        if code is None:
            problems.append(
                Problem(
                    severity="error",
                    location=value.location,
                    message=_(
                        "'{value}' is not a country; pick the country from the list on the cover."
                    ).format(value=text),
                )
            )
            return meta
        return meta.model_copy(update={"country": code})

    def _stray_cells(self, used: set[tuple[str, str]]) -> list[str]:
        """Cells with content that are neither slots nor part of the printed form.

        Everything the writer puts in a cell is formatted (font, fill, border
        or alignment); a value typed into an empty, unformatted cell is not.
        """
        stray: list[str] = []
        skip = {SHEET_LISTS.casefold(), SHEET_META.casefold()}
        for ws in self.wb.worksheets:
            if ws.title.casefold() in skip:
                continue
            # The cells the file holds, not every cell of the used range
            # (iter_rows would create each one).
            for cell in sorted(ws._cells.values(), key=lambda c: (c.row, c.column)):
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if (ws.title, cell.coordinate) in used or _formatted(cell):
                    continue
                stray.append(f"{ws.title}!{cell.coordinate}")
        return stray


def _formatted(cell: Any) -> bool:
    # The style array's ids are 0 for the workbook's defaults; a number
    # format alone does not count, as Excel and Calc set one on typed dates.
    # openpyxl exposes these ids only on the cell's private style array.
    style = cell._style
    return bool(style.fontId or style.fillId or style.borderId or style.alignmentId)


def _is_formula(cell: Any) -> bool:
    return cell.data_type == "f" or isinstance(cell.value, ArrayFormula | DataTableFormula)


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


def _raw(value: Any) -> RawScalar:
    """A cell value as one of the raw scalar types; anything else as its text."""
    if isinstance(value, str):
        return decode_xstring(value)
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, ArrayFormula):
        return str(value.text or "")
    return str(value)


def _meta_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _parse_meta(strings: dict[str, str]) -> FormMeta:
    data: dict[str, Any] = {k: (strings.get(k, "").strip() or None) for k in META_KEYS}
    try:
        if data["language"] is not None:
            data["language"] = check_language(data["language"])
        if data["country"] is not None:
            data["country"] = country_code(data["country"])
        return FormMeta.model_validate(data)
    except UsageError as exc:
        raise Rejected(f"the form's metadata is unreadable: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Rejected(
            f"the form's metadata is unreadable: {META_PREFIX}{where}: {first['msg']}"
        ) from None


@cache
def _country_names() -> dict[str, str]:
    """Folded country name, in any of the six languages -> alpha-2 code."""
    table: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in Localizer(lang).countries():
            table.setdefault(fold(name), code)
    return table


def _country_code(text: str) -> str | None:
    """A country name in any UN language, or an ISO alpha-2/alpha-3 code."""
    clean = unicodedata.normalize("NFC", text).strip()
    found = _country_names().get(fold(clean))
    if found:
        return found
    if clean.isascii() and len(clean) in (2, 3):
        try:
            return country_code(clean)
        except UsageError:
            return None
    return None
