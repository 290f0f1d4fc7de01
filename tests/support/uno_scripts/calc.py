"""Fill cells of a workbook, found by defined name, as a person would in Calc."""

from __future__ import annotations

import datetime as dt
from typing import Any

import uno
from office import JobError

ISO_DATE_FORMAT = "YYYY-MM-DD"


def _cell(doc: Any, name: str) -> Any:
    ranges = doc.NamedRanges
    if not ranges.hasByName(name):
        known = ", ".join(sorted(ranges.ElementNames)) or "none"
        raise JobError(f"no defined name {name!r} in the workbook (defined names: {known})")
    referred = ranges.getByName(name).getReferredCells()
    if referred is None:
        raise JobError(f"defined name {name!r} does not refer to cells")
    address = referred.RangeAddress
    if address.StartColumn != address.EndColumn or address.StartRow != address.EndRow:
        raise JobError(f"defined name {name!r} refers to a range, not to one cell")
    return referred.getCellByPosition(0, 0)


def _date_format(doc: Any) -> int:
    formats = doc.NumberFormats
    locale = uno.createUnoStruct("com.sun.star.lang.Locale")
    key = formats.queryKey(ISO_DATE_FORMAT, locale, False)
    if key == -1:
        key = formats.addNew(ISO_DATE_FORMAT, locale)
    return int(key)


def fill(doc: Any, values: dict[str, dict[str, Any]], typed: bool) -> None:
    null_date = doc.NullDate
    epoch = dt.date(null_date.Year, null_date.Month, null_date.Day)
    for name, tagged in values.items():
        cell = _cell(doc, name)
        kind, value = tagged["type"], tagged["value"]
        if kind == "str":
            # setFormula parses the text the way the input line does (numbers,
            # ISO dates, a leading "=" makes a formula); setString never does.
            if typed:
                cell.setFormula(value)
            else:
                cell.setString(value)
        elif kind == "number":
            cell.setValue(value)
        elif kind == "date":
            cell.setValue((dt.date.fromisoformat(value) - epoch).days)
            cell.NumberFormat = _date_format(doc)
        else:
            raise JobError(f"{name}: cannot put a value of type {kind!r} in a cell")
