"""The Excel writer: the structure of a generated workbook, checked cell by cell."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openpyxl.workbook.workbook import Workbook

from selfassess.constants import (
    COUNTRY_SLOT,
    LANGUAGES,
    META_KEYS,
    META_PREFIX,
    SHEET_LISTS,
    SHEET_META,
    XLSX_COUNTRY_LIST,
    XLSX_LIST_PREFIX,
    XLSX_NAME_PREFIX,
    XLSX_TICK_LIST,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.citations import source_lines, translation_notice
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name, write_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import MAX_CELL_CHARS
from selfassess.response.interpret import Answer
from tests.forms.xlsx_fill import DEADLINE, cell_of, generate, meta, open_form


@cache
def workbook(lang: str, country: str | None = None) -> Workbook:
    return open_form(generate(lang, country))


def visible(wb: Workbook) -> list[Any]:
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def texts(ws: Any) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def all_slot_names() -> list[str]:
    q = load_questionnaire()
    names = []
    for item in q.items():
        if item.type == "multichoice":
            names += [slot_name(item.id, ch.code) for ch in q.choices_of(item)]
        else:
            names.append(slot_name(item.id))
    return names


def validation_of(ws: Any, coordinate: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, coordinate
    return found[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheets_first_the_instructions_then_cover_and_sections_then_hidden_data(
    lang: str,
) -> None:
    wb = workbook(lang)
    q = load_questionnaire()
    loc = Localizer(lang)
    shown = visible(wb)
    assert wb.active is wb.worksheets[0] is shown[0]
    assert len(shown) == 2 + sum(1 for s in q.sections if s.recommendations)
    assert {ws.title: ws.sheet_state for ws in wb.worksheets if ws not in shown} == {
        SHEET_LISTS: "veryHidden",
        SHEET_META: "veryHidden",
    }
    assert shown[0].title == loc.gettext("Instructions")
    assert shown[1].title == loc.gettext("Cover")
    assert all(len(ws.title) <= 31 for ws in shown)
    assert wb.security.lockStructure


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_slot_has_a_defined_name_on_an_unlocked_cell_and_nothing_else_is_unlocked(
    lang: str,
) -> None:
    wb = workbook(lang)
    names = [*all_slot_names(), XLSX_NAME_PREFIX + COUNTRY_SLOT]
    slots = set()
    for name in names:
        assert "=" not in wb.defined_names[name].attr_text
        cell = cell_of(wb, name)
        assert cell.protection.locked is False, name
        slots.add((cell.parent.title, cell.coordinate))
    assert len(slots) == len(names)
    for ws in visible(wb):
        assert ws.protection.sheet
        for row in ws.iter_rows():
            for cell in row:
                if (ws.title, cell.coordinate) not in slots:
                    assert cell.protection.locked is not False, (ws.title, cell.coordinate)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_choice_lists_live_on_the_hidden_sheet_behind_names(lang: str) -> None:
    wb = workbook(lang)
    q = load_questionnaire()
    loc = Localizer(lang)
    lists = wb[SHEET_LISTS]
    for cl in q.choice_lists:
        ((title, ref),) = list(wb.defined_names[XLSX_LIST_PREFIX + cl.id].destinations)
        assert title == SHEET_LISTS
        labels = [c.value for row in lists[ref.replace("$", "")] for c in row]
        assert labels == [loc.content("choice.label", ch.label) for ch in cl.choices]
    for item in q.items():
        if item.type != "choice":
            continue
        cell = cell_of(wb, slot_name(item.id))
        dv = validation_of(cell.parent, cell.coordinate)
        assert dv.type == "list"
        assert dv.formula1 == XLSX_LIST_PREFIX + (item.choices or "")
        assert dv.showDropDown is not True  # openpyxl's flag *hides* the arrow
    for ws in visible(wb):
        for dv in ws.data_validations.dataValidation:
            assert not (dv.formula1 or "").startswith('"'), "an inline list"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_multiple_choice_has_one_tick_cell_per_option_with_its_label_beside(lang: str) -> None:
    wb = workbook(lang)
    loc = Localizer(lang)
    q = load_questionnaire()
    item = q.item("wg15_j_ta_kinds")
    ((_, tick_ref),) = list(wb.defined_names[XLSX_TICK_LIST].destinations)
    assert wb[SHEET_LISTS][tick_ref.replace("$", "").split(":")[0]].value == loc.pgettext(
        "tick", "x"
    )
    rows = []
    for ch in q.choices_of(item):
        cell = cell_of(wb, slot_name(item.id, ch.code))
        rows.append(cell.row)
        beside = cell.parent.cell(row=cell.row, column=cell.column - 1).value
        assert beside == loc.content("choice.label", ch.label)
        dv = validation_of(cell.parent, cell.coordinate)
        assert (dv.type, dv.formula1) == ("list", XLSX_TICK_LIST)
    assert rows == list(range(rows[0], rows[0] + len(rows)))


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_manual_row_breaks_never_fall_inside_a_question_or_after_a_heading(lang: str) -> None:
    wb = workbook(lang)
    q = load_questionnaire()
    breaks: dict[str, set[int]] = {ws.title: {b.id for b in ws.row_breaks.brk} for ws in wb}
    assert sum(len(b) for b in breaks.values()) > 10
    for item in q.items():
        if item.type == "multichoice":
            first = cell_of(wb, slot_name(item.id, q.choices_of(item)[0].code))
            last = cell_of(wb, slot_name(item.id, q.choices_of(item)[-1].code))
            # A break id r falls after row r: none from the question's row to its last option.
            inside = breaks[first.parent.title] & set(range(first.row - 1, last.row))
            assert not inside, f"{item.ref}: a page break between the question and its options"
    for section in q.sections:
        for entry in section.recommendations:
            if entry.items and entry.items[0].type != "multichoice":
                cell = cell_of(wb, slot_name(entry.items[0].id))
                # Heading row and text row stand just above the first question.
                assert not breaks[cell.parent.title] & {cell.row - 2, cell.row - 1}, (
                    entry.recommendation
                )


def test_numbers_and_dates_have_input_and_error_messages() -> None:
    wb = workbook("fr")
    for name, kind in [
        (slot_name("wg15_x_commitment_years"), "decimal"),
        (slot_name("reply_date"), "date"),
    ]:
        cell = cell_of(wb, name)
        dv = validation_of(cell.parent, cell.coordinate)
        assert dv.type == kind
        assert dv.showInputMessage
        assert dv.showErrorMessage
        assert dv.prompt
        assert dv.error
    number = cell_of(wb, slot_name("wg15_x_commitment_years"))
    assert Localizer("fr").number(1234.5) in validation_of(number.parent, number.coordinate).prompt
    assert cell_of(wb, slot_name("reply_date")).number_format == "yyyy-mm-dd"
    assert cell_of(wb, slot_name("respondent_name")).number_format == "@"


def test_required_answers_are_shaded_while_empty() -> None:
    wb = workbook("en")
    q = load_questionnaire()
    for item in q.items():
        cell = cell_of(wb, slot_name(item.id)) if item.type != "multichoice" else None
        if cell is None:
            continue
        rules = [
            rule.formula[0]
            for cf in cell.parent.conditional_formatting
            if cell.coordinate in cf.sqref
            for rule in cf.rules
        ]
        assert rules == ([f"LEN(TRIM({cell.coordinate}))=0"] if item.required else [])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_view_and_print_setup(lang: str) -> None:
    wb = workbook(lang)
    for ws in visible(wb)[1:]:
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$1:$2"
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert bool(ws.sheet_view.rightToLeft) is (lang == "ar")


def test_arabic_sheets_run_right_to_left_and_text_reads_right_to_left() -> None:
    wb = open_form(generate("ar", "EG", prefill={"respondent_name": "Ana"}))
    for ws in visible(wb):
        assert ws.sheet_view.rightToLeft
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) or cell.protection.locked is False:
                    assert cell.alignment.readingOrder == 2, cell.value
                    assert cell.alignment.horizontal in (None, "general", "center")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_wraps(lang: str) -> None:
    for ws in visible(workbook(lang)):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.alignment.wrap_text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_instructions_give_the_status_scale_deadline_and_notice(lang: str) -> None:
    wb = workbook(lang)
    loc = Localizer(lang)
    shown = texts(visible(wb)[0])
    status = load_questionnaire().choice_list("status")
    for ch in status.choices:
        assert loc.content("choice.label", ch.label) in shown
        assert loc.content("choice.help", ch.help or "") in shown
    assert loc.date(DEADLINE) in shown
    cat = load_catalogue()
    recs = [
        cat.get(e.recommendation) for s in load_questionnaire().sections for e in s.recommendations
    ]
    notice = translation_notice(cat, recs, loc)
    assert (notice is not None) is (lang != "en")
    assert notice is None or notice in shown
    assert set(source_lines(cat, recs, loc)) <= set(shown)


class Bracketing(Localizer):
    """Marks every string it translates, so that a string that bypassed it shows."""

    def _lookup(self, domain: str, context: str | None, message: str) -> str:
        return f"⟦{message}⟧" if message else message


def test_every_string_goes_through_the_localizer() -> None:
    q = load_questionnaire()
    out = io.BytesIO()
    write_xlsx(q, meta("fr", "MX"), out, Bracketing("fr"))
    wb = open_form(out.getvalue())
    loc = Localizer("fr")
    data = {it.ref for it in q.items()} | {r.ref for r in load_catalogue().recommendations}
    data |= {loc.country("MX"), loc.language_name("fr"), "ftestfr", q.version}
    data |= {loc.date(d) for d in (DEADLINE, meta("fr").issued)}
    for ws in visible(wb):
        assert "⟦" in ws.title
        for text in texts(ws):
            assert "⟦" in text or text in data or text.isdigit(), text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_issued_form_shows_its_country_locked(lang: str) -> None:
    wb = workbook(lang, "MX")
    name = Localizer(lang).country("MX")
    cover = visible(wb)[1]
    (cell,) = [c for row in cover.iter_rows() for c in row if c.value == name]
    assert cell.protection.locked is not False
    assert XLSX_NAME_PREFIX + COUNTRY_SLOT not in wb.defined_names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_blank_form_has_a_country_drop_down_in_its_language(lang: str) -> None:
    wb = workbook(lang)
    loc = Localizer(lang)
    cell = cell_of(wb, XLSX_NAME_PREFIX + COUNTRY_SLOT)
    dv = validation_of(cell.parent, cell.coordinate)
    assert (dv.type, dv.formula1) == ("list", XLSX_COUNTRY_LIST)
    ((_, ref),) = list(wb.defined_names[XLSX_COUNTRY_LIST].destinations)
    names = [c.value for row in wb[SHEET_LISTS][ref.replace("$", "")] for c in row]
    assert names == [name for _, name in loc.countries()]
    assert sorted(code for code, _ in loc.countries()) == sorted(load_parties().codes())


def test_a_blank_form_offers_the_parties_of_the_file_in_use(tmp_path: Path) -> None:
    result = generate_forms(
        load_questionnaire(), ["en"], [None], ["xlsx"], tmp_path, parties=["MX", "TW", "FR"]
    )
    wb = open_form(result.forms[0].path.read_bytes())
    ((_, ref),) = list(wb.defined_names[XLSX_COUNTRY_LIST].destinations)
    names = [c.value for row in wb[SHEET_LISTS][ref.replace("$", "")] for c in row]
    assert names == ["France", "Mexico", "Taiwan"]
    assert any("TW" in w and "CLDR" in w for w in result.warnings)


def test_generate_refuses_a_deadline_before_the_issue_date(tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=r"deadline 2026-11-30 is before the issue date 2026-12-01"
    ):
        generate_forms(
            load_questionnaire(),
            ["en"],
            [None],
            ["xlsx"],
            tmp_path / "out",
            issued=dt.date(2026, 12, 1),
            deadline=dt.date(2026, 11, 30),
        )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_respondents_see_no_raw_questionnaire_id(lang: str) -> None:
    q = load_questionnaire()
    for ws in visible(workbook(lang, "MX")):
        assert not any(q.id in text for text in texts(ws)), ws.title


@pytest.mark.parametrize("lang", LANGUAGES)
def test_metadata_in_properties_and_on_the_hidden_sheet(lang: str) -> None:
    wb = workbook(lang, "KE")
    expected = {META_PREFIX + k: v for k, v in meta(lang, "KE").as_strings().items()}
    props = {p.name: p.value or "" for p in wb.custom_doc_props.props}
    assert props == expected
    rows = {r[0].value: r[1].value or "" for r in wb[SHEET_META].iter_rows(max_col=2)}
    assert rows == expected
    assert len(rows) == len(META_KEYS)


def test_recommendation_texts_come_from_the_catalogue() -> None:
    wb = workbook("en")
    shown = {t for ws in visible(wb) for t in texts(ws)}
    for rec_id in ("wg14_a", "wg15_j", "wg15_x"):
        assert load_catalogue().get(rec_id).text in shown


def test_a_password_protects_sheets_and_structure(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "form.xlsx"
    write_xlsx(load_questionnaire(), meta("en"), out, password="s3cret")
    wb = open_form(out.read_bytes())
    assert all(ws.protection.password for ws in wb.worksheets)
    assert wb.security.workbookPassword


def test_prefill_writes_what_a_person_would_see() -> None:
    prefill: dict[str, Answer] = {
        "wg15_j_status": "largely",
        "wg15_j_ta_kinds": ["training", "other"],
        "respondent_name": "=Ana",
        "reply_date": "2025-02-03",
        "wg15_x_commitment_years": 1500,
    }
    out = io.BytesIO()
    write_xlsx(load_questionnaire(), meta("es"), out, prefill=prefill)
    wb = open_form(out.getvalue())
    loc = Localizer("es")
    assert cell_of(wb, slot_name("wg15_j_status")).value == loc.content(
        "choice.label", "Largely implemented"
    )
    ticks = {
        code: cell_of(wb, slot_name("wg15_j_ta_kinds", code)).value
        for code in ("training", "other", "data")
    }
    assert ticks == {
        "training": loc.pgettext("tick", "x"),
        "other": loc.pgettext("tick", "x"),
        "data": None,
    }
    name = cell_of(wb, slot_name("respondent_name"))
    assert (name.value, name.data_type) == ("=Ana", "s")
    assert cell_of(wb, slot_name("reply_date")).value.date().isoformat() == "2025-02-03"
    assert cell_of(wb, slot_name("wg15_x_commitment_years")).value == 1500


@pytest.mark.parametrize(
    "prefill",
    [
        {"nope": "x"},
        {"wg15_j_status": "maybe"},
        {"wg15_j_ta_kinds": ["training", "nope"]},
        {"reply_date": "31/03/2025"},
        {"wg15_x_commitment_years": "12"},
        {"respondent_name": "x" * 40_000},
        # 20,000 code points but 40,000 UTF-16 units: used to pass and come back cut.
        {"respondent_name": "😀" * 20_000},
        {"respondent_name": "_x0041_" * 4_700},  # fits only before Excel's escaping
        {"respondent_name": "a\x01b"},
    ],
)
def test_a_prefill_that_does_not_fit_is_a_usage_error(prefill: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="prefill"):
        write_xlsx(load_questionnaire(), meta("en"), io.BytesIO(), prefill=prefill)


def test_a_prefill_at_the_cell_limit_comes_back_whole() -> None:
    text = "😀" * (MAX_CELL_CHARS // 2) + "x"
    out = io.BytesIO()
    write_xlsx(load_questionnaire(), meta("en"), out, prefill={"respondent_name": text})
    assert parse_form(out.getvalue()).answers["respondent_name"] == text


def test_the_localizer_must_speak_the_forms_language() -> None:
    with pytest.raises(UsageError, match="language"):
        write_xlsx(load_questionnaire(), meta("en"), io.BytesIO(), Localizer("fr"))
