"""Form metadata: one rule for Word and Excel, wherever the metadata is stored."""

from __future__ import annotations

import io

import pytest

from selfassess.constants import META_PREFIX, SHEET_META, XLSX_META_VALUE_COLUMN
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from tests.forms.docx_fill import blank_form
from tests.forms.test_docx_reader import _with_props
from tests.forms.xlsx_fill import generate, open_form, save

BAD = [
    ("country", "Atlantis"),
    ("country", "ZZ"),
    ("country", "../../ETC"),
    ("country", "mx"),  # the writer writes codes as they are: a changed case is a changed form
    ("country", "AQ"),  # a territory, not a Party
    ("language", "de"),
    ("language", "FR"),
    ("form_id", "../../etc/passwd"),
    ("form_id", "F" * 70),
    ("issued", "yesterday"),
    ("issued", "20250314"),
    ("deadline", "2025-02-30"),
]


def _xlsx_with(key: str, value: str, *, sheet_only: bool = False) -> bytes:
    wb = open_form(generate("en", "MX"))
    if sheet_only:
        wb.custom_doc_props.props.clear()
    for prop in wb.custom_doc_props.props:
        if prop.name == META_PREFIX + key:
            prop.value = value
    ws = wb[SHEET_META]
    for row in ws.iter_rows():
        if row[0].value == META_PREFIX + key:
            row[XLSX_META_VALUE_COLUMN - 1].value = value
    return save(wb)


def _rejection(data: bytes) -> str:
    with pytest.raises(Rejected) as caught:
        parse_form(io.BytesIO(data))
    return str(caught.value)


@pytest.mark.parametrize(("key", "value"), BAD)
def test_word_and_excel_reject_bad_metadata_alike(key: str, value: str) -> None:
    word = _rejection(_with_props(**{key: value}))
    excel = _rejection(_xlsx_with(key, value))
    assert word == excel
    assert f"{META_PREFIX}{key} (the document properties)" in word
    assert "\n" not in word


@pytest.mark.parametrize(("key", "value"), BAD[:3])
def test_the_hidden_sheet_is_held_to_the_same_rule_and_located(key: str, value: str) -> None:
    message = _rejection(_xlsx_with(key, value, sheet_only=True))
    assert f"{META_PREFIX}{key} ({SHEET_META}!B" in message


def test_a_blank_form_has_no_country_and_parses() -> None:
    for data in (blank_form("fr", None), generate("fr")):
        assert parse_form(io.BytesIO(data)).form.country is None


@pytest.mark.parametrize("key", ["questionnaire", "version", "language", "form_id", "issued"])
def test_a_required_key_missing_is_not_one_of_our_forms(key: str) -> None:
    assert _rejection(_with_props(**{key: ""})).startswith("not one of our forms")
    assert _rejection(_xlsx_with(key, "")).startswith("not one of our forms")


def test_a_party_of_another_parties_file_is_accepted_when_that_file_is_in_use() -> None:
    data = _with_props(country="AQ")
    assert parse_form(io.BytesIO(data), countries={"AQ"}).form.country == "AQ"
