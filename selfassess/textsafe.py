"""Respondents' text in the secretariat's own outputs: always text, never a formula.

openpyxl turns any string that starts with ``=`` into a formula, and a CSV
cell starting with ``= + - @`` (or tab, CR) is run as one by spreadsheet
programs. Every workbook cell and CSV field the package writes from
respondents' data goes through these functions.
"""

from __future__ import annotations

from typing import Any

_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Any, value: str) -> None:
    """Write ``value`` into an openpyxl cell as a plain string.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> set_text(ws["A1"], "=HYPERLINK(\\"http://x\\")")
    >>> ws["A1"].data_type, ws["A1"].value
    ('s', '=HYPERLINK("http://x")')
    """
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_CSV_TRIGGERS):
        cell.quotePrefix = True


def csv_field(value: object) -> str:
    """A CSV field that no spreadsheet program will evaluate.

    >>> csv_field("=1+1"), csv_field("-3"), csv_field("plain")
    ("'=1+1", "'-3", 'plain')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_TRIGGERS) else text
