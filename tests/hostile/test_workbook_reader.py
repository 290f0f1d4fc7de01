"""The Excel reader against workbooks built to mislead it or to make it allocate.

The reader walks the trees the package check built, so what matters is that
it reads a sheet wherever and however it is stored, refuses what it cannot
trust, reads every cell reference by Excel's rule, and reports a slot whose
name points to two cells that disagree. Each file is built by code from a
real issued form.
"""

from __future__ import annotations

import io

import pytest

from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.response.interpret import ParseResult
from tests.hostile import corpus
from tests.hostile.corpus import KEY
from tests.support.zipparts import parts_of, with_parts

_WORKBOOK = "xl/workbook.xml"
_RELS = "xl/_rels/workbook.xml.rels"
_COVER = "xl/worksheets/sheet2.xml"
_CT = "[Content_Types].xml"


@pytest.fixture(scope="module")
def filled() -> bytes:
    """An issued form with the respondent's name typed in (Cover!C6)."""
    return corpus.real_form("xlsx", prefill={"respondent_name": "Ana Pérez"})


def parse(data: bytes) -> ParseResult:
    return parse_form(io.BytesIO(data), key=KEY)


def _changed(data: bytes, part: str, old: bytes, new: bytes) -> dict[str, bytes | None]:
    body = parts_of(data)[part]
    assert old in body, (part, old)
    return {part: body.replace(old, new)}


def _edit(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    return with_parts(data, _changed(data, part, old, new))


# --- wherever and however a sheet is stored -----------------------------------------


def test_a_sheet_stored_under_another_name_and_content_type_is_still_read(filled: bytes) -> None:
    parts = parts_of(filled)
    moved = {
        _COVER: None,
        "misc/blob.bin": parts[_COVER],
        **_changed(filled, _RELS, b"/xl/worksheets/sheet2.xml", b"/misc/blob.bin"),
        **_changed(
            filled,
            _CT,
            b'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
            b'<Default Extension="bin" ContentType="application/octet-stream"/>',
        ),
    }
    result = parse(with_parts(filled, moved))
    assert result.answers["respondent_name"] == "Ana Pérez"
    assert result.locations["respondent_name"] == "Cover!C6"


def _moved_cover(data: bytes, body: bytes) -> bytes:
    """The cover sheet, holding ``body``, stored as ``misc/blob.bin`` of no XML type."""
    return with_parts(
        data,
        {
            _COVER: None,
            "misc/blob.bin": body,
            **_changed(data, _RELS, b"/xl/worksheets/sheet2.xml", b"/misc/blob.bin"),
        },
    )


def test_a_sheet_stored_under_another_name_gets_the_sheet_checks_too(filled: bytes) -> None:
    body = parts_of(filled)[_COVER]
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    with pytest.raises(Rejected, match="rows by 16384 columns"):
        parse(_moved_cover(filled, body.replace(b"</sheetData>", far)))
    dde = b'<row r="60"><c r="A60"><f>cmd|\'/c calc\'!A1</f></c></row></sheetData>'
    result = parse(_moved_cover(filled, body.replace(b"</sheetData>", dde)))
    assert ("active_formula", "misc/blob.bin") in [(p.code, p.location) for p in result.warnings]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_sheet_in_utf16_or_utf32_without_a_byte_order_mark_is_still_read(
    filled: bytes, encoding: str
) -> None:
    body = parts_of(filled)[_COVER].decode()
    # An XML declaration that names no encoding, and no byte-order mark.
    recoded = ('<?xml version="1.0"?>' + body).encode(encoding)
    result = parse(with_parts(filled, {_COVER: recoded}))
    assert result.answers["respondent_name"] == "Ana Pérez"


def test_a_sheet_in_utf16_after_white_space_is_checked_not_skipped(filled: bytes) -> None:
    # Not XML by the standard (nothing says UTF-16), so not well-formed; but it
    # must be parsed by the check, not passed over as a binary part.
    body = parts_of(filled)[_COVER].decode()
    recoded = ("\n  " + body).encode("utf-16-le")
    with pytest.raises(Rejected, match=r"sheet2\.xml is not well-formed"):
        parse(with_parts(filled, {_COVER: recoded}))


def test_a_sheet_in_a_foreign_namespace_is_refused(filled: bytes) -> None:
    data = _edit(
        filled,
        _COVER,
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
        b'xmlns="urn:example:not-excel"',
    )
    with pytest.raises(Rejected, match="not SpreadsheetML"):
        parse(data)


def test_a_relationship_to_a_part_that_is_not_xml_is_refused(filled: bytes) -> None:
    parts = {
        **_changed(filled, _RELS, b"/xl/worksheets/sheet2.xml", b"/xl/media/image1.png"),
        "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }
    with pytest.raises(Rejected, match="missing or is not XML"):
        parse(with_parts(filled, parts))


# --- cell references ------------------------------------------------------------------


def test_leading_zeros_in_a_reference_point_to_the_same_cell(filled: bytes) -> None:
    data = _edit(filled, _WORKBOOK, b"'Cover'!$C$6<", b"'Cover'!$C$0000006<")
    data = _edit(data, _COVER, b'r="C6"', b'r="C00006"')
    result = parse(data)
    assert result.answers["respondent_name"] == "Ana Pérez"
    assert result.locations["respondent_name"] == "Cover!C6"


@pytest.mark.parametrize("ref", ["$C$10485760", "$XFE$6", "$C$0"])
def test_a_name_pointing_off_the_grid_points_nowhere(filled: bytes, ref: str) -> None:
    data = _edit(filled, _WORKBOOK, b"'Cover'!$C$6<", f"'Cover'!{ref}<".encode())
    result = parse(data)
    assert result.answers["respondent_name"] is None
    assert any(p.code == "cells_lost" and "respondent_name" in p.message for p in result.warnings)


@pytest.mark.parametrize("ref", ["C10485760", "XFE6", "C0", "C٦"])
def test_a_cell_off_the_grid_is_a_rejection(filled: bytes, ref: str) -> None:
    data = _edit(filled, _COVER, b'r="C6"', f'r="{ref}"'.encode())
    with pytest.raises(Rejected, match="not a cell of a worksheet"):
        parse(data)


# --- one slot, two faces ----------------------------------------------------------------


def _second_name(data: bytes, name: bytes, ref: bytes, value: str) -> bytes:
    """Another definition of a slot's name, pointing to Cover!D50 holding ``value``."""
    data = _edit(
        data,
        _WORKBOOK,
        b"</definedNames>",
        b'<definedName name="' + name + b'">' + ref + b"</definedName></definedNames>",
    )
    cell = f'<row r="50"><c r="D50" t="inlineStr"><is><t>{value}</t></is></c></row>'
    return _edit(data, _COVER, b"</sheetData>", cell.encode() + b"</sheetData>")


def test_a_slot_named_twice_in_another_case_with_another_value_is_an_error(
    filled: bytes,
) -> None:
    data = _second_name(filled, b"SA_Respondent_Name", b"Cover!$D$50", "Someone else")
    result = parse(data)
    (error,) = [p for p in result.errors if p.code == "cell_named_twice"]
    assert "Ana Pérez" in error.message
    assert "Someone else" in error.message
    assert "Cover!C6" in error.message
    assert "Cover!D50" in error.message
    assert error.location == "Cover!C6"
    assert result.answers["respondent_name"] == "Ana Pérez"


def test_a_slot_named_twice_with_the_same_value_is_no_problem(filled: bytes) -> None:
    data = _second_name(filled, b"SA_RESPONDENT_NAME", b"Cover!$D$50", "Ana Pérez")
    result = parse(data)
    assert not [p for p in result.problems if p.code == "cell_named_twice"]
    assert result.answers["respondent_name"] == "Ana Pérez"


# --- element kinds the reader never turns into objects --------------------------------


def test_validations_over_the_whole_sheet_cost_nothing_to_read(filled: bytes) -> None:
    rule = '<dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a"</formula1>'
    xml = f'<dataValidations count="2000">{(rule + "</dataValidation>") * 2000}</dataValidations>'
    data = _edit(filled, _COVER, b"<pageMargins", xml.encode() + b"<pageMargins")
    assert parse(data).answers["respondent_name"] == "Ana Pérez"
