"""The one rule for cell references: exactly Excel's grid, however a reference is written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfassess.office.excel import (
    MAX_COLUMN,
    MAX_ROW,
    cell_ref,
    column_letters,
    column_number,
    coordinate,
    name_target,
    range_area,
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
