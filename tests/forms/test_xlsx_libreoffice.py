"""Forms filled and saved by a real LibreOffice Calc parse to exactly what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfassess.constants import COUNTRY_SLOT, XLSX_NAME_PREFIX
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name
from tests.forms.xlsx_fill import filled_in_calc, generate, person_fill
from tests.support.libreoffice import calc_fill, resave, to_pdf

pytestmark = pytest.mark.libreoffice

FILLED_LANGS = ("fr", "ar", "zh")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xlsx-lo")


@pytest.fixture(scope="module")
def filled(folder: Path) -> dict[str, Path]:
    """Every slot of a blank form filled in Calc, in three languages."""
    return filled_in_calc(folder, FILLED_LANGS, ".xlsx")


@pytest.mark.parametrize("lang", FILLED_LANGS)
def test_a_form_filled_in_calc_gives_back_every_value_typed(
    filled: dict[str, Path], lang: str
) -> None:
    result = parse_form(filled[lang])
    fill = person_fill(lang, "native")
    # A Calc cell holds a line break as LF only: it stores a pasted CR LF as LF.
    expected = {
        k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in fill.expected.items()
    }
    assert result.answers == expected
    assert result.form.country == fill.country
    assert result.problems == []


def test_values_typed_on_calcs_input_line_are_read(folder: Path) -> None:
    # The harness enters strings with setFormula, which, unlike typing in
    # Calc's window, ignores a cell's text format: "0012" would become 12 here.
    src = folder / "blank-fr-typed.xlsx"
    dst = folder / "typed-fr.xlsx"
    src.write_bytes(generate("fr"))
    calc_fill(
        src,
        dst,
        {
            XLSX_NAME_PREFIX + COUNTRY_SLOT: "Mexique",
            slot_name("respondent_name"): "Ana Pérez",
            slot_name("reply_date"): "2025-02-03",
            slot_name("wg14_a_contribution"): "Provided",
            slot_name("wg15_x_commitment_years"): "1 234,5",
            slot_name("wg14_b_contribution"): "provided",
            slot_name("wg15_j_ta_needed"): "Yes",
            slot_name("wg15_j_ta_kinds", "training"): "x",
        },
        typed=True,
    )
    result = parse_form(dst)
    answers = {k: v for k, v in result.answers.items() if v is not None}
    assert answers == {
        "respondent_name": "Ana Pérez",
        "reply_date": "2025-02-03",
        "wg14_a_contribution": "provided",
        "wg15_x_commitment_years": 1234.5,
        "wg14_b_contribution": "provided",
        "wg15_j_ta_needed": "yes",
        "wg15_j_ta_kinds": ["training"],
    }
    assert result.form.country == "MX"
    assert result.errors == []


@pytest.mark.parametrize("country", [None, "EG"])
def test_a_form_merely_resaved_by_calc_is_all_unanswered_without_errors(
    folder: Path, country: str | None
) -> None:
    src = folder / f"resave-{country}.xlsx"
    dst = folder / f"resaved-{country}.xlsx"
    src.write_bytes(generate("ar", country))
    resave(src, dst)
    result = parse_form(dst)
    assert set(result.answers.values()) == {None}
    assert result.errors == []
    assert result.form.country == country
    assert all(
        p.code == "required_missing" or (country is None and p.code == "country_missing")
        for p in result.warnings
    ), result.warnings


def test_calc_prints_the_form(folder: Path) -> None:
    src = folder / "print-zh.xlsx"
    src.write_bytes(generate("zh", "CN"))
    pdf = to_pdf(src, folder)
    assert pdf.read_bytes().startswith(b"%PDF")
