"""Generate, fill as a person would, parse: the answers come back exactly."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.constants import COUNTRY_SLOT, LANGUAGES, SHEET_LISTS, SHEET_META, XLSX_NAME_PREFIX
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name, write_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import MAX_CELL_CHARS
from selfassess.response.interpret import ParseResult
from selfassess.response.values import clean_text
from tests.forms.docx_fill import full_return
from tests.forms.xlsx_fill import (
    apply,
    cell_of,
    generate,
    insert_rows,
    location_of,
    meta,
    open_form,
    person_fill,
    save,
    type_into,
)


def parse(data: bytes) -> ParseResult:
    return parse_form(io.BytesIO(data))


@cache
def blank(lang: str) -> bytes:
    return generate(lang)


@pytest.mark.parametrize("variant", ["native", "typed"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_slot_filled_as_a_person_would_comes_back_exactly(lang: str, variant: str) -> None:
    fill = person_fill(lang, variant)
    wb = open_form(blank(lang))
    for name, value in fill.typed.items():
        type_into(cell_of(wb, name), value)
    if variant == "typed":
        # Rows inserted above the slots of every visible sheet, after typing.
        for ws in wb.worksheets:
            if ws.title not in (SHEET_LISTS, SHEET_META):
                insert_rows(wb, ws.title, 3, 2)
    result = parse(save(wb))
    assert result.answers == fill.expected
    assert result.form.country == fill.country
    assert result.problems == []
    q = load_questionnaire()
    assert set(result.answers) == {it.id for it in q.items()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inserted_rows_move_the_reading_with_the_names(lang: str) -> None:
    wb = open_form(blank(lang))
    name = slot_name("respondent_name")
    before = location_of(wb, name)
    cover = before.split("!")[0]
    insert_rows(wb, cover, 3, 4)
    type_into(cell_of(wb, name), "Ana Pérez")
    result = parse(save(wb))
    assert result.answers["respondent_name"] == "Ana Pérez"
    assert result.locations["respondent_name"] == location_of(wb, name) != before


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_untouched_prefilled_form_gives_back_the_prefill(lang: str) -> None:
    prefill = person_fill(lang, "native").expected
    result = parse(generate(lang, "FR", prefill=prefill))
    assert result.answers == prefill
    assert result.form.country == "FR"
    assert result.errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_untouched_blank_form_is_all_unanswered(lang: str) -> None:
    result = parse(blank(lang))
    assert set(result.answers.values()) == {None}
    assert result.errors == []
    assert result.form.country is None
    country = next(p for p in result.warnings if p.item is None)
    wb = open_form(blank(lang))
    assert country.location == location_of(wb, XLSX_NAME_PREFIX + COUNTRY_SLOT)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Mexique", "MX"),
        ("墨西哥", "MX"),
        ("mex", "MX"),
        ("BR", "BR"),
        ("  méxico ", "MX"),
        ("Russian Federation", "RU"),
        ("RUSSIA", "RU"),
        ("République-Unie de Tanzanie", "TZ"),
        ("Cote d’Ivoire", "CI"),
        ("大韩民国", "KR"),
        ("الاتحاد الروسي", "RU"),
    ],
)
def test_the_country_picked_on_a_blank_form_in_any_language_or_code(typed: str, code: str) -> None:
    data = apply(blank("fr"), {XLSX_NAME_PREFIX + COUNTRY_SLOT: typed})
    result = parse(data)
    assert result.form.country == code
    assert result.errors == []


def test_an_unreadable_country_is_a_located_error_not_a_guess() -> None:
    data = apply(blank("es"), {XLSX_NAME_PREFIX + COUNTRY_SLOT: "Atlantis"})
    result = parse(data)
    assert result.form.country is None
    (error,) = result.errors
    assert error.code == "not_a_country"
    assert "Atlantis" in error.message
    assert error.location == location_of(open_form(data), XLSX_NAME_PREFIX + COUNTRY_SLOT)


# --- free text -----------------------------------------------------------------

# Any printable character, plus what pasting brings: line breaks, tabs,
# direction marks, formula triggers, and Excel's own escape syntax.
_PIECES = st.characters(
    blacklist_categories=("Cc", "Cs", "Cn"), blacklist_characters="\ufeff"
) | st.sampled_from(
    ["\n", "\r\n", "\t", "\u200f", "\u200e", "\u061c", "=", "+", "-", "@", " ", "_x0041_", "_x"]
)
_TEXT = st.lists(_PIECES, max_size=300).map("".join)
_TEXT_ITEMS = [it.id for it in load_questionnaire().items() if it.type == "text"]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(texts=st.lists(_TEXT, min_size=1, max_size=len(_TEXT_ITEMS)))
def test_any_printable_text_comes_back_nfc_trimmed(texts: list[str]) -> None:
    typed = {slot_name(item_id): text for item_id, text in zip(_TEXT_ITEMS, texts, strict=False)}
    result = parse(apply(blank("ar"), typed))
    for item_id, text in zip(_TEXT_ITEMS, texts, strict=False):
        assert result.answers[item_id] == (clean_text(text) or None)
    assert result.errors == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_longest_text_a_cell_holds_comes_back_whole(lang: str) -> None:
    text = ("=" + "قانون 法律 law, " * 3000)[:MAX_CELL_CHARS]
    result = parse(apply(blank(lang), {slot_name("other_institutions"): text}))
    assert result.answers["other_institutions"] == clean_text(text)
    assert len(text) == MAX_CELL_CHARS


# --- bad values: each a located error that says what to do -----------------------


def _one_error(data: bytes, item_id: str, name: str, code: str) -> str:
    result = parse(data)
    errors = [p for p in result.errors if p.item == item_id]
    assert len(errors) == 1, result.errors
    assert errors[0].location == location_of(open_form(data), name)
    assert errors[0].code == code
    return errors[0].message


def test_a_pasted_value_that_is_not_a_choice_names_the_allowed_answers() -> None:
    name = slot_name("wg15_j_status")
    message = _one_error(
        apply(blank("fr"), {name: "Peut-être"}), "wg15_j_status", name, "not_a_choice"
    )
    assert "Peut-être" in message
    assert "II(j).1" in message
    assert "is not one of the choices" not in message  # a French return gets French problems
    french = Localizer("fr")
    assert french.content("choice.label", "Fully implemented") in message
    assert french.content("choice.label", "Not known") in message


@pytest.mark.parametrize("typed", ["12 years", "about 5", "1.2.3"])
def test_text_in_a_number_slot_is_not_a_number(typed: str) -> None:
    name = slot_name("wg15_x_commitment_years")
    data = apply(blank("en"), {name: typed})
    message = _one_error(data, "wg15_x_commitment_years", name, "not_a_number")
    assert f"'{typed}'" in message


def test_blank_is_not_zero() -> None:
    data = apply(blank("en"), {slot_name("wg15_x_commitment_years"): "   "})
    assert parse(data).answers["wg15_x_commitment_years"] is None


@pytest.mark.parametrize("typed", ["next week", "31/31/2025", "2025-02-30"])
def test_text_in_a_date_slot_is_not_a_date(typed: str) -> None:
    name = slot_name("reply_date")
    message = _one_error(apply(blank("en"), {name: typed}), "reply_date", name, "not_a_date")
    assert f"'{typed}'" in message
    assert "YYYY-MM-DD" in message


def test_a_label_with_an_autocorrected_apostrophe_is_read() -> None:
    # The French label is "À l'étude"; an editor's auto-correct types ’.
    data = apply(blank("fr"), {slot_name("wg14_a_contribution"): "à l’étude"})
    assert parse(data).answers["wg14_a_contribution"] == "under_consideration"


def test_a_date_typed_in_the_forms_locale_is_read() -> None:
    data = apply(blank("fr"), {slot_name("reply_date"): "31/03/2025"})
    assert parse(data).answers["reply_date"] == "2025-03-31"


def test_a_mark_that_is_not_a_tick_is_an_error() -> None:
    name = slot_name("wg15_j_ta_kinds", "training")
    data = apply(blank("en"), {slot_name("wg15_j_ta_needed"): "Yes", name: "maybe"})
    message = _one_error(data, "wg15_j_ta_kinds", name, "not_a_tick")
    assert "'maybe'" in message


@pytest.mark.parametrize("mark", ["x", "X", "х", "Х", "✔", "☒", "Да", "oui"])
def test_tick_marks_a_person_types_are_ticks(mark: str) -> None:
    # The Cyrillic "х" is what a Russian keyboard gives for the Latin "x".
    data = apply(
        blank("ru"),
        {
            slot_name("wg15_j_ta_needed"): "Да",
            slot_name("wg15_j_ta_kinds", "training"): mark,
        },
    )
    result = parse(data)
    assert result.answers["wg15_j_ta_kinds"] == ["training"]
    assert not [p for p in result.errors if p.item == "wg15_j_ta_kinds"]


@pytest.mark.parametrize(
    ("name", "item_id"),
    [
        (slot_name("wg15_j_status"), "wg15_j_status"),
        (slot_name("respondent_name"), "respondent_name"),
        (slot_name("wg15_j_ta_kinds", "training"), "wg15_j_ta_kinds"),
        (slot_name("reply_date"), "reply_date"),
    ],
)
def test_a_formula_in_a_slot_is_not_an_answer(name: str, item_id: str) -> None:
    wb = open_form(blank("ru"))
    cell_of(wb, name).value = '="Fully implemented"'
    data = save(wb)
    result = parse(data)
    assert result.answers[item_id] is None
    assert _one_error(data, item_id, name, "formula_not_answer")


def test_an_array_formula_in_a_slot_is_not_an_answer() -> None:
    from openpyxl.worksheet.formula import ArrayFormula  # noqa: PLC0415 (only this test needs it)

    name = slot_name("wg15_x_commitment_years")
    wb = open_form(blank("en"))
    cell = cell_of(wb, name)
    cell.value = ArrayFormula(cell.coordinate, "=SUM(1,2)")
    data = save(wb)
    assert _one_error(data, "wg15_x_commitment_years", name, "formula_not_answer")


def test_an_answer_against_its_condition_is_an_error() -> None:
    name = slot_name("wg15_j_ta_kinds", "training")
    data = apply(blank("en"), {slot_name("wg15_j_ta_needed"): "No", name: "x"})
    result = parse(data)
    (error,) = [p for p in result.errors if p.item == "wg15_j_ta_kinds"]
    assert error.code == "condition_not_met"
    assert "'Yes'" in error.message
    # A multiple choice is located at its first option's cell.
    first = slot_name("wg15_j_ta_kinds", "legal_advice")
    assert error.location == location_of(open_form(data), first)
    assert result.answers["wg15_j_ta_kinds"] == ["training"]


def test_a_required_answer_left_empty_is_a_located_warning() -> None:
    result = parse(blank("en"))
    (warning,) = [p for p in result.problems if p.item == "wg15_j_status"]
    assert warning.severity == "warning"
    assert warning.code == "required_missing"
    assert warning.location == location_of(open_form(blank("en")), slot_name("wg15_j_status"))


def test_excel_dates_and_datetimes_are_both_dates() -> None:
    data = apply(
        blank("en"),
        {
            slot_name("reply_date"): dt.date(2025, 2, 3),
            slot_name("wg15_u_expected_nomination"): dt.datetime(2024, 5, 6, 14, 30),
            slot_name("wg15_u_focal_point"): "No",
        },
    )
    result = parse(data)
    assert result.answers["reply_date"] == "2025-02-03"
    assert result.answers["wg15_u_expected_nomination"] == "2024-05-06"


def test_labels_in_every_language_are_read_in_every_form() -> None:
    typed = {slot_name("wg15_j_status"): Localizer("zh").content("choice.label", "Not known")}
    assert parse(apply(blank("es"), typed)).answers["wg15_j_status"] == "not_known"


@pytest.mark.parametrize("lang", ["ar", "fr", "ru"])
def test_a_form_of_the_previous_version_still_parses(lang: str) -> None:
    """Forms stay readable: a 1.0 workbook answered in full reads as 1.0."""
    old = load_questionnaire("ctoc_wgta", "1.0")
    answers = full_return(old, lang).expected
    out = io.BytesIO()
    write_xlsx(old, meta(lang).model_copy(update={"version": "1.0"}), out, prefill=answers)
    result = parse(out.getvalue())
    assert result.form.version == "1.0"
    assert result.errors == []
    assert result.answers == answers


@pytest.mark.parametrize(
    ("lang", "item", "typed", "code"),
    [
        ("es", "wg14_g_replies_on_time", "Siempre a tiempo", "all_on_time"),
        ("es", "wg14_g_replies_on_time", "Todas a tiempo", "all_on_time"),
        ("fr", "wg15_j_status", "Inconnu", "not_known"),
        ("fr", "wg15_j_status", "Information non disponible", "not_known"),
    ],
)
def test_a_label_from_before_a_translation_was_corrected_still_reads(
    lang: str, item: str, typed: str, code: str
) -> None:
    """Only 1.0 forms went out with the old labels; 1.1 was issued corrected."""
    old = load_questionnaire("ctoc_wgta", "1.0")
    out = io.BytesIO()
    write_xlsx(old, meta(lang).model_copy(update={"version": "1.0"}), out)
    result = parse(apply(out.getvalue(), {slot_name(item): typed}))
    assert result.answers[item] == code
    assert not [p for p in result.errors if p.item == item]
