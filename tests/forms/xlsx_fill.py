"""Filling generated Excel forms the way people and Excel do, for the xlsx tests.

A fill opens the generated workbook with openpyxl and writes what Excel would
store after a person typed: text as shared strings, numbers as numbers, dates
as date serials with a date format, and, when rows are inserted, defined names
moved down as Excel moves them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, quote_sheetname
from openpyxl.workbook.workbook import Workbook

from selfassess.constants import COUNTRY_SLOT, LANGUAGES, XLSX_NAME_PREFIX
from selfassess.definitions.model import Item
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.respondent import complete_answers, excel_entries
from selfassess.forms.xlsx_writer import slot_name, write_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import destination
from selfassess.response.interpret import Answer
from selfassess.response.meta import FormMeta
from selfassess.response.values import clean_text
from tests.support.libreoffice import Value, calc_fill_many
from tests.support.zipparts import parts_of, with_parts, xml_bytes

ISSUED = dt.date(2025, 1, 20)
DEADLINE = dt.date(2025, 3, 31)


def meta(lang: str, country: str | None = None, **changes: Any) -> FormMeta:
    q = load_questionnaire()
    data: dict[str, Any] = {
        "questionnaire": q.id,
        "version": q.version,
        "language": lang,
        "country": country,
        "form_id": f"ftest{lang}",
        "issued": ISSUED,
        "deadline": DEADLINE,
    }
    data.update(changes)
    return FormMeta(**data)


def generate(
    lang: str, country: str | None = None, *, prefill: Mapping[str, Answer] | None = None
) -> bytes:
    out = io.BytesIO()
    write_xlsx(load_questionnaire(), meta(lang, country), out, prefill=prefill)
    return out.getvalue()


def open_form(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def save(wb: Workbook) -> bytes:
    """The workbook as Excel would save it: every string in the shared-string table."""
    out = io.BytesIO()
    wb.save(out)
    return shared_strings(out.getvalue())


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def excel_escape(text: str) -> str:
    """Text as Excel stores it: a literal ``_xHHHH_`` and control characters escaped."""
    text = _LITERAL.sub("_x005F_", text)
    return _CONTROL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def shared_strings(data: bytes) -> bytes:
    """Move openpyxl's inline strings into a shared-string table, as Excel writes them."""
    table: dict[str, int] = {}
    parts: dict[str, bytes] = {}
    for name, original in parts_of(data).items():
        parts[name] = original
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            root = etree.fromstring(original)
            for cell in root.iter(f"{{{_MAIN}}}c"):
                if cell.get("t") != "inlineStr":
                    continue
                text = "".join(map(str, cell.itertext()))
                for child in list(cell):
                    cell.remove(child)
                cell.set("t", "s")
                value = etree.SubElement(cell, f"{{{_MAIN}}}v")
                value.text = str(table.setdefault(text, len(table)))
            parts[name] = xml_bytes(root)
    sst = etree.Element(f"{{{_MAIN}}}sst", count=str(len(table)), uniqueCount=str(len(table)))
    for text in table:
        t = etree.SubElement(etree.SubElement(sst, f"{{{_MAIN}}}si"), f"{{{_MAIN}}}t")
        t.text = excel_escape(text)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    parts["xl/sharedStrings.xml"] = xml_bytes(sst)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CONTENT}"/>'
        "</Types>".encode(),
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSst" Type="{_SST_TYPE}" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    return with_parts(data, parts)


def cell_of(wb: Workbook, name: str) -> Any:
    """The cell a workbook defined name points to."""
    found = destination(wb.defined_names[name])
    assert found is not None, name
    return wb[found[0]][found[1]]


def location_of(wb: Workbook, name: str) -> str:
    found = destination(wb.defined_names[name])
    assert found is not None, name
    return f"{found[0]}!{found[1]}"


def type_into(cell: Any, value: Value) -> None:
    """Store ``value`` as Excel stores what a person typed into ``cell``."""
    if isinstance(value, str):
        # openpyxl escapes a literal "_xHHHH_" as Excel does ("_x005F_xHHHH_").
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.value = dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


def insert_rows(wb: Workbook, title: str, idx: int, amount: int) -> None:
    """Insert rows as Excel does: cells and the defined names pointing below move down."""
    ws = wb[title]
    ws.insert_rows(idx, amount)
    for name, dn in list(wb.defined_names.items()):
        found = destination(dn)
        if found is None or found[0] != title or ":" in found[1]:
            continue
        col, row = coordinate_from_string(found[1])
        if row >= idx:
            dn.attr_text = f"{quote_sheetname(title)}!${col}${row + amount}"
            wb.defined_names[name] = dn


@dataclass
class Fill:
    """What to type into each slot (by defined name) and the answers expected back."""

    typed: dict[str, Value] = field(default_factory=dict)
    expected: dict[str, Answer] = field(default_factory=dict)
    country: str | None = None


def _other(lang: str) -> str:
    return LANGUAGES[(LANGUAGES.index(lang) + 1) % len(LANGUAGES)]


def _text_for(item: Item, n: int, lang: str) -> str:
    samples = [
        f"Answer {n} to {item.ref}",
        "=SUM(A1:A3) is how we count",
        "Ley 1234/2020, art. 5\nDecreto 77",
        "Línea uno\r\nLínea dos, pegada desde Word",
        "قانون رقم ٥ لسنة ٢٠١٩\u200f",
        "《刑法》第一百二十条",
        "  Министерство юстиции  ",
        "Cafe\u0301 — Ministère",
        "+33 1 23 45 67 89",
        "0012",
        "@home _x0041_ literal",
    ]
    return samples[n % len(samples)] + ("" if n < len(samples) else f" #{n} {lang}")


def person_fill(lang: str, variant: str) -> Fill:
    """The simulated respondent's complete return, typed as a person would.

    ``native``: labels in the form's language, numbers as numbers, real dates.
    ``typed``: labels in another language with odd case and spacing, numbers
    typed as text in the form's locale, dates typed as text. Text answers are
    awkward text (formula-like, several lines, scripts, padding) in both.
    """
    q = load_questionnaire()
    loc = Localizer(lang)
    other = Localizer(_other(lang))
    answers = complete_answers(q)
    fill = Fill(expected=dict(answers), country="MX")
    if variant == "native":
        fill.typed = excel_entries(q, answers, lang)
    for n, item in enumerate(q.items()):
        value = answers[item.id]
        if value is None:
            continue
        if item.type == "text":
            text = _text_for(item, n, lang)
            fill.typed[slot_name(item.id)] = text
            fill.expected[item.id] = clean_text(text)
        elif variant == "native":
            continue
        elif item.type == "multichoice" and isinstance(value, list):
            tick = loc.pgettext("tick", "x")
            for k, code in enumerate(value):
                fill.typed[slot_name(item.id, code)] = tick if k % 2 else f" {tick.upper()} "
        elif item.type == "choice":
            label = next(ch.label for ch in q.choices_of(item) if ch.code == value)
            shown = other.content("choice.label", label)
            fill.typed[slot_name(item.id)] = "  " + shown.upper().replace(" ", "\u00a0 ")
        elif item.type == "number" and isinstance(value, int | float):
            fill.typed[slot_name(item.id)] = loc.number(value)
        else:
            assert not isinstance(value, list), item.id  # lists are multiple choices
            fill.typed[slot_name(item.id)] = value
    fill.typed[XLSX_NAME_PREFIX + COUNTRY_SLOT] = (
        loc.country("MX") if variant == "native" else other.country("MX").upper()
    )
    return fill


def apply(data: bytes, typed: Mapping[str, Value]) -> bytes:
    wb = open_form(data)
    for name, value in typed.items():
        type_into(cell_of(wb, name), value)
    return save(wb)


def filled_in_calc(folder: Path, langs: Sequence[str], suffix: str) -> dict[str, Path]:
    """Every slot of the blank Excel form filled in Calc, one file per language,
    saved as ``suffix`` (.xlsx or .ods); one Calc start for all of them."""
    jobs = []
    out = {}
    for lang in langs:
        src = folder / f"blank-{lang}.xlsx"
        src.write_bytes(generate(lang))
        out[lang] = folder / f"filled-{lang}{suffix}"
        # Strings stored as typed into the form's text-formatted cells.
        jobs.append((src, out[lang], person_fill(lang, "native").typed))
    calc_fill_many(jobs, typed=False)
    return out
