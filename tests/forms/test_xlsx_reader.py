"""The Excel reader: metadata, rejections, slots through defined names, stray cells."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.workbook.defined_name import DefinedName

from selfassess.constants import (
    COUNTRY_SLOT,
    LANGUAGES,
    META_PREFIX,
    SHEET_META,
    XLSX_META_VALUE_COLUMN,
    XLSX_NAME_PREFIX,
)
from selfassess.definitions.parties import party_codes
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_reader import XlsxReader
from selfassess.forms.xlsx_writer import slot_name, write_xlsx
from selfassess.response.interpret import ParseResult
from selfassess.safety.package import check_package
from tests.forms.xlsx_fill import (
    apply,
    cell_of,
    generate,
    location_of,
    meta,
    open_form,
    save,
    type_into,
)
from tests.support.zipparts import with_parts


def parse(data: bytes) -> ParseResult:
    return parse_form(io.BytesIO(data))


def reader(data: bytes) -> XlsxReader:
    return XlsxReader(check_package(data), party_codes())


@pytest.fixture(scope="module")
def blank_en() -> bytes:
    return generate("en")


@pytest.fixture(scope="module")
def issued_ar() -> bytes:
    return generate("ar", "EG")


# --- metadata ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_meta_of_a_generated_form(lang: str) -> None:
    found = reader(generate(lang, "KE")).meta()
    assert found == meta(lang, "KE")


def test_an_issued_form_has_its_country_and_no_country_cell(issued_ar: bytes) -> None:
    result = parse(issued_ar)
    assert result.form.country == "EG"
    assert XLSX_NAME_PREFIX + COUNTRY_SLOT not in open_form(issued_ar).defined_names
    assert result.errors == []


def test_a_signed_form_keeps_its_signature_valid_after_the_country_is_picked() -> None:
    q = load_questionnaire()
    out = io.BytesIO()
    write_xlsx(q, meta("fr").signed(b"secret"), out)
    data = apply(out.getvalue(), {XLSX_NAME_PREFIX + COUNTRY_SLOT: "Chili"})
    result = parse_form(io.BytesIO(data), key=b"secret")
    assert result.form.signature == "valid"
    assert result.form.country == "CL"


def _without_properties(data: bytes) -> bytes:
    wb = open_form(data)
    wb.custom_doc_props = CustomPropertyList()
    return save(wb)


def _without_meta_sheet(data: bytes) -> bytes:
    wb = open_form(data)
    del wb[SHEET_META]
    return save(wb)


def test_metadata_from_the_hidden_sheet_when_the_properties_are_gone(blank_en: bytes) -> None:
    data = _without_properties(blank_en)
    assert reader(data).meta() == meta("en")
    assert parse(data).errors == []


def test_metadata_from_the_properties_when_the_sheet_is_gone(blank_en: bytes) -> None:
    data = _without_meta_sheet(blank_en)
    assert reader(data).meta() == meta("en")
    assert parse(data).errors == []


def test_metadata_that_differs_between_its_two_copies_is_an_error(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    ws = wb[SHEET_META]
    row = next(r for r in range(1, 20) if ws.cell(r, 1).value == META_PREFIX + "form_id")
    ws.cell(row, XLSX_META_VALUE_COLUMN).value = "fforged"
    result = parse(save(wb))
    (error,) = result.errors
    assert error.code == "metadata_differs"
    assert "form_id" in error.message
    assert error.location == f"{SHEET_META}!B{row}"
    assert result.form.form_id == "ftesten"


def test_a_plain_workbook_is_not_one_of_our_forms() -> None:
    wb = Workbook()
    wb.active["A1"] = "Budget 2025"
    with pytest.raises(Rejected, match="not a selfassess form"):
        parse(save(wb))


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("language", "xx", "selfassess.language"),
        ("issued", "someday", "issued"),
        ("country", "Atlantis", "selfassess.country"),
        ("questionnaire", "", "questionnaire"),
    ],
)
def test_unreadable_metadata_is_a_rejection(key: str, value: str, reason: str) -> None:
    wb = open_form(_without_meta_sheet(generate("en")))
    for prop in wb.custom_doc_props.props:
        if prop.name == META_PREFIX + key:
            prop.value = value
    with pytest.raises(Rejected, match=reason):
        reader(save(wb)).meta()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"version": "9.9"}, "has no version '9.9'"), ({"questionnaire": "nope"}, "unknown")],
)
def test_an_unknown_questionnaire_or_version_is_a_rejection(
    changes: dict[str, str], reason: str
) -> None:
    out = io.BytesIO()
    write_xlsx(load_questionnaire(), meta("en", **changes), out)
    with pytest.raises(Rejected, match=reason):
        parse(out.getvalue())


def test_not_a_workbook_is_a_rejection() -> None:
    with pytest.raises(Rejected, match="not a Word"):
        parse(b"Name,Answer\nstatus,Fully implemented\n")


def test_a_macro_enabled_workbook_is_a_rejection(blank_en: bytes) -> None:
    macro_enabled = with_parts(
        blank_en,
        {
            "[Content_Types].xml": lambda body: body.replace(
                b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
            )
        },
    )
    with pytest.raises(Rejected, match="xlsm"):
        parse(macro_enabled)


def test_a_damaged_workbook_is_a_rejection(blank_en: bytes) -> None:
    damaged = with_parts(blank_en, {"xl/workbook.xml": lambda body: body[: len(body) // 2]})
    with pytest.raises(Rejected):
        parse(damaged)


# --- slots ---------------------------------------------------------------------


def test_every_slot_is_located_at_its_named_cell(blank_en: bytes) -> None:
    result = parse(blank_en)
    wb = open_form(blank_en)
    q = load_questionnaire()
    expected = {}
    for item in q.items():
        if item.type == "multichoice":
            for ch in q.choices_of(item):
                expected[f"{item.id}:{ch.code}"] = location_of(wb, slot_name(item.id, ch.code))
        else:
            expected[item.id] = location_of(wb, slot_name(item.id))
    assert result.locations == expected


def test_slot_names_are_read_whatever_their_case(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    name = slot_name("respondent_name")
    dn = wb.defined_names[name]
    del wb.defined_names[name]
    wb.defined_names[name.upper()] = DefinedName(name.upper(), attr_text=dn.attr_text)
    type_into(cell_of(wb, name.upper()), "Ana")
    assert parse(save(wb)).answers["respondent_name"] == "Ana"


def test_re_ordered_and_renamed_sheets_do_not_matter(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    name = slot_name("wg15_j_status")
    type_into(cell_of(wb, name), "Not known")
    ws = wb[location_of(wb, name).split("!")[0]]
    old = ws.title
    ws.title = "Fraud (renamed)"
    for dn_name, dn in list(wb.defined_names.items()):
        if dn.attr_text.startswith(f"'{old}'!"):
            dn.attr_text = dn.attr_text.replace(f"'{old}'!", f"'{ws.title}'!")
            wb.defined_names[dn_name] = dn
    wb.move_sheet(ws, offset=-3)
    result = parse(save(wb))
    assert result.answers["wg15_j_status"] == "not_known"
    assert result.locations["wg15_j_status"].startswith("Fraud (renamed)!")


def test_a_deleted_answer_row_is_a_warning_and_unanswered(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    name = slot_name("respondent_title")
    wb.defined_names[name].attr_text = "#REF!"
    result = parse(save(wb))
    assert result.answers["respondent_title"] is None
    (warning,) = [p for p in result.warnings if p.code == "cells_lost"]
    assert "respondent_title" in warning.message
    assert result.errors == []


def test_a_blank_form_that_lost_its_country_cell_is_an_error(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    del wb.defined_names[XLSX_NAME_PREFIX + COUNTRY_SLOT]
    (error,) = parse(save(wb)).errors
    assert error.code == "country_cell_gone"


def test_cells_typed_outside_the_slots_are_counted_and_located(blank_en: bytes) -> None:
    wb = open_form(blank_en)
    ws = wb[location_of(wb, slot_name("wg15_j_status")).split("!")[0]]
    ws["F7"] = "see annex"
    ws["G900"] = 12
    extra = wb.create_sheet("Notes")
    extra["A1"] = "Our own notes"
    result = parse(save(wb))
    (warning,) = [p for p in result.warnings if p.code == "stray_cells"]
    assert warning.message.startswith("3 cell(s)")
    assert f"{ws.title}!F7" in warning.message
    assert "Notes!A1" in warning.message
    assert set(result.answers.values()) == {None}


def test_the_printed_form_itself_is_not_counted_as_stray(issued_ar: bytes) -> None:
    assert not [p for p in parse(issued_ar).problems if p.code == "stray_cells"]
