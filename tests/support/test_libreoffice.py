"""The LibreOffice harness fills forms the way a person in LibreOffice would.

Small documents are built inline (python-docx plus lxml for the content
controls, openpyxl for workbooks), filled through LibreOffice, and the saved
files are read back with lxml and openpyxl.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from openpyxl.workbook.defined_name import DefinedName

from tests.support.libreoffice import (
    LibreOfficeError,
    _run,
    calc_fill,
    calc_fill_many,
    requires_libreoffice,
    resave,
    to_pdf,
    writer_fill,
    writer_fill_many,
)
from tests.support.xml import child

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}


def el(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """An element from "w:name" with attributes written as w_val="..."."""
    prefix, local = tag.split(":")
    element = etree.Element(f"{{{NS[prefix]}}}{local}")
    for key, value in attrs.items():
        attr_prefix, attr_local = key.split("_", 1)
        element.set(f"{{{NS[attr_prefix]}}}{attr_local}", value)
    element.text = text
    return element


def content_control(
    tag: str, kind: str, placeholder: str, *, block: bool = False, **options: str
) -> etree._Element:
    """A w:sdt showing its placeholder, with the type element of ``kind``."""
    sdt = el("w:sdt")
    pr = etree.SubElement(sdt, f"{{{W}}}sdtPr")
    pr.append(el("w:alias", w_val=f"Answer {tag}"))
    pr.append(el("w:tag", w_val=tag))
    pr.append(el("w:id", w_val=str(100 + len(tag) * 7 + ord(tag[0]))))
    pr.append(el("w:lock", w_val="sdtLocked"))
    pr.append(el("w:showingPlcHdr"))
    if kind == "text":
        pr.append(el("w:text", w_multiLine="1"))
    elif kind == "dropdown":
        items = el("w:dropDownList")
        for display, value in (("Yes", "Y"), ("No", "N"), ("Partly", "P")):
            items.append(el("w:listItem", w_displayText=display, w_value=value))
        pr.append(items)
    elif kind == "date":
        date = el("w:date")
        date.append(el("w:dateFormat", w_val=options.get("date_format", "yyyy-MM-dd")))
        date.append(el("w:lid", w_val=options.get("lid", "en-US")))
        date.append(el("w:storeMappedDataAs", w_val="dateTime"))
        date.append(el("w:calendar", w_val="gregorian"))
        pr.append(date)
    elif kind == "checkbox":
        box = el("w14:checkbox")
        box.append(el("w14:checked", w14_val=options.get("checked", "0")))
        box.append(el("w14:checkedState", w14_val="2612", w14_font="MS Gothic"))
        box.append(el("w14:uncheckedState", w14_val="2610", w14_font="MS Gothic"))
        pr.append(box)
    # kind "rich": no type element, as Word writes rich-text controls.
    content = etree.SubElement(sdt, f"{{{W}}}sdtContent")
    run = el("w:r")
    run.append(el("w:t", placeholder))
    if block:
        paragraph = el("w:p")
        paragraph.append(run)
        content.append(paragraph)
    else:
        content.append(run)
    return sdt


def make_form(path: Path, *, protect: bool = True) -> Path:
    """A form with a control of each type, in body paragraphs and in a table."""
    document = docx.Document()
    document.add_paragraph("A small form")
    document.add_paragraph("Name: ")._p.append(content_control("name", "text", "Your name"))
    body = document.element.body
    body.insert(len(body) - 1, content_control("comment", "rich", "Comments", block=True))
    table = document.add_table(rows=4, cols=2)
    rows = [
        ("Answer", content_control("choice", "dropdown", "Choose an item")),
        ("Since", content_control("since", "date", "Pick a date")),
        ("Le", content_control("le", "date", "Date", date_format="d MMMM yyyy", lid="fr-FR")),
        ("Done", content_control("done", "checkbox", "\u2610")),
    ]
    for row, (label, control) in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
        row.cells[1].paragraphs[0]._p.append(control)
    document.add_paragraph("Agreed: ")._p.append(
        content_control("agreed", "checkbox", "\u2612", checked="1")
    )
    document.add_paragraph("Left alone: ")._p.append(content_control("untouched", "text", "Type"))
    if protect:
        # Forms are protected for filling only; the harness must fill them anyway.
        settings = document.settings.element
        settings.insert(0, el("w:documentProtection", w_edit="forms", w_enforcement="1"))
    document.save(str(path))
    return path


def controls(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found: dict[str, etree._Element] = {}
    for sdt in root.iter(f"{{{W}}}sdt"):
        found[child(sdt, f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val", "")] = sdt
    return found


def text_of(sdt: etree._Element) -> str:
    parts = []
    for node in child(sdt, f"{{{W}}}sdtContent").iter(f"{{{W}}}t", f"{{{W}}}br"):
        parts.append("\n" if node.tag == f"{{{W}}}br" else node.text or "")
    return "".join(parts)


def showing_placeholder(sdt: etree._Element) -> bool:
    return bool(sdt.xpath("w:sdtPr/w:showingPlcHdr", namespaces=NS))


@requires_libreoffice
def test_writer_fill_sets_every_control_type(tmp_path: Path) -> None:
    form = make_form(tmp_path / "form.docx")
    filled = tmp_path / "filled.docx"
    writer_fill(
        form,
        filled,
        {
            "name": "Ана Пример\nсекретарь",
            "comment": "Rich text",
            "choice": "Partly",
            "since": dt.date(2025, 3, 4),
            "le": dt.date(2024, 12, 1),
            "done": True,
            "agreed": False,
        },
    )
    found = controls(filled)
    assert set(found) == {"name", "comment", "choice", "since", "le", "done", "agreed", "untouched"}
    for tag in ("name", "comment", "choice", "since", "le", "done", "agreed"):
        assert not showing_placeholder(found[tag]), tag
        assert found[tag].xpath("w:sdtPr/w:alias/@w:val", namespaces=NS) == [f"Answer {tag}"]
        assert found[tag].xpath("w:sdtPr/w:lock/@w:val", namespaces=NS) == ["sdtLocked"]
    assert text_of(found["name"]) == "Ана Пример\nсекретарь"
    assert text_of(found["comment"]) == "Rich text"
    assert text_of(found["choice"]) == "Partly"
    assert found["choice"].xpath("w:sdtPr/w:dropDownList/w:listItem/@w:value", namespaces=NS) == [
        "Y",
        "N",
        "P",
    ]
    assert found["since"].xpath("w:sdtPr/w:date/@w:fullDate", namespaces=NS) == [
        "2025-03-04T00:00:00Z"
    ]
    assert text_of(found["since"]) == "2025-03-04"
    assert text_of(found["le"]) == "1 décembre 2024"
    assert found["done"].xpath("w:sdtPr/w14:checkbox/w14:checked/@w14:val", namespaces=NS) == ["1"]
    assert text_of(found["done"]) == "\u2612"
    assert found["agreed"].xpath("w:sdtPr/w14:checkbox/w14:checked/@w14:val", namespaces=NS) == [
        "0"
    ]
    assert text_of(found["agreed"]) == "\u2610"
    assert showing_placeholder(found["untouched"])
    assert text_of(found["untouched"]) == "Type"


@requires_libreoffice
def test_writer_fill_rejects_unknown_tag_and_item(tmp_path: Path) -> None:
    form = make_form(tmp_path / "form.docx")
    with pytest.raises(LibreOfficeError, match=r"no content control tagged \['missing'\]"):
        writer_fill(form, tmp_path / "out.docx", {"missing": "x"})
    with pytest.raises(LibreOfficeError, match="'Maybe' is not an item"):
        writer_fill(form, tmp_path / "out.docx", {"choice": "Maybe"})
    with pytest.raises(LibreOfficeError, match="a checkbox takes true/false"):
        writer_fill(form, tmp_path / "out.docx", {"done": "yes"})


@requires_libreoffice
def test_writer_fill_many_fills_each_file(tmp_path: Path) -> None:
    first = make_form(tmp_path / "a.docx", protect=False)
    second = make_form(tmp_path / "b.docx")
    timing = writer_fill_many(
        [
            (first, tmp_path / "a-out.docx", {"name": "First"}),
            (second, tmp_path / "b-out.docx", {"name": "Second"}),
        ]
    )
    assert len(timing.jobs) == 2
    assert text_of(controls(tmp_path / "a-out.docx")["name"]) == "First"
    assert text_of(controls(tmp_path / "b-out.docx")["name"]) == "Second"


@requires_libreoffice
def test_resave_keeps_placeholders(tmp_path: Path) -> None:
    form = make_form(tmp_path / "form.docx")
    resave(form, tmp_path / "again.docx")
    found = controls(tmp_path / "again.docx")
    assert all(showing_placeholder(sdt) for sdt in found.values())
    assert text_of(found["name"]) == "Your name"


def make_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Answers"
    for row, name in enumerate(("A_TEXT", "A_NUMBERLIKE", "A_NUMBER", "A_DATE", "A_RAW"), 1):
        sheet.cell(row, 1, name)
        workbook.defined_names[name] = DefinedName(name, attr_text=f"Answers!$B${row}")
    workbook.save(path)
    return path


@requires_libreoffice
def test_calc_fill_types_values(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "form.xlsx")
    filled = tmp_path / "filled.xlsx"
    calc_fill(
        book,
        filled,
        {
            "A_TEXT": "Ministère de la Justice",
            "A_NUMBERLIKE": "42",
            "A_NUMBER": 78.5,
            "A_DATE": dt.date(2025, 3, 4),
        },
    )
    sheet = openpyxl.load_workbook(filled)["Answers"]
    assert sheet["B1"].value == "Ministère de la Justice"
    assert sheet["B2"].value == 42
    assert sheet["B3"].value == 78.5
    assert sheet["B4"].value == dt.datetime(2025, 3, 4)
    assert sheet["B4"].is_date
    # Calc's Excel export escapes the literal hyphens.
    assert sheet["B4"].number_format.replace("\\", "").upper() == "YYYY-MM-DD"
    names = openpyxl.load_workbook(filled).defined_names
    assert names["A_DATE"].attr_text == "Answers!$B$4"


@requires_libreoffice
def test_calc_fill_untyped_keeps_text(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "form.xlsx")
    calc_fill_many(
        [(book, tmp_path / "raw.xlsx", {"A_RAW": "=1+1", "A_NUMBERLIKE": "007"})], typed=False
    )
    sheet = openpyxl.load_workbook(tmp_path / "raw.xlsx")["Answers"]
    assert sheet["B5"].value == "=1+1"
    assert sheet["B5"].data_type == "s"
    assert sheet["B2"].value == "007"


@requires_libreoffice
def test_calc_fill_rejects_unknown_name(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "form.xlsx")
    with pytest.raises(LibreOfficeError, match="no defined name 'NOPE'"):
        calc_fill(book, tmp_path / "out.xlsx", {"NOPE": 1})


def test_calc_fill_refuses_booleans_and_datetimes(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="A_TEXT"):
        calc_fill(tmp_path / "in.xlsx", tmp_path / "out.xlsx", {"A_TEXT": True})
    with pytest.raises(TypeError, match="datetime"):
        calc_fill(tmp_path / "in.xlsx", tmp_path / "out.xlsx", {"A": dt.datetime(2025, 1, 1)})


@requires_libreoffice
def test_resave_and_pdf(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "form.xlsx")
    resave(book, tmp_path / "again.xlsx")
    assert "A_TEXT" in openpyxl.load_workbook(tmp_path / "again.xlsx").defined_names
    pdf = to_pdf(make_form(tmp_path / "form.docx"), tmp_path / "pdf")
    assert pdf == tmp_path / "pdf" / "form.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_hung_process_group_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    with pytest.raises(LibreOfficeError, match="did not finish within 1 s"):
        _run(["/bin/sh", "-c", f"sleep 300 & echo $! > {pid_file}; wait"], timeout=1)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"the background process {pid} survived the timeout")
