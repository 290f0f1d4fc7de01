"""The inline-definition harness takes a small definition through the real pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name
from selfassess.i18n.localizer import Localizer
from tests.forms.inline import blank_docx, definition, fill_docx, fill_xlsx

EXPECTED = {
    "reply_date": "2025-03-04",
    "wg15_j_status": "partially",
    "wg15_j_measures": "Law 12 of 2023",
    "wg15_j_penalty_years": 12,
    "wg15_j_ta_needed": "yes",
    "wg15_j_ta_kinds": ["training"],
}


def test_the_inline_definition_is_small_and_loaded_as_a_shipped_one() -> None:
    q = definition()
    assert q.key == ("inline", "1.0")
    assert [i.id for i in q.items()] == list(EXPECTED)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_word_round_trip(lang: str) -> None:
    q = definition()
    loc = Localizer(lang)
    data = fill_docx(
        q,
        {
            "reply_date": dt.date(2025, 3, 4),
            "wg15_j_status": loc.content("choice.label", "Partially implemented"),
            "wg15_j_measures": "Law 12 of 2023",
            "wg15_j_penalty_years": "12",
            "wg15_j_ta_needed": loc.content("choice.label", "Yes"),
            "wg15_j_ta_kinds:training": True,
        },
        lang,
    )
    result = parse_form(data, questionnaire=q)
    assert result.errors == []
    assert dict(result.answers) == EXPECTED


def test_excel_round_trip() -> None:
    q = definition()
    data = fill_xlsx(
        q,
        {
            slot_name("reply_date"): dt.date(2025, 3, 4),
            slot_name("wg15_j_status"): "Partially implemented",
            slot_name("wg15_j_measures"): "Law 12 of 2023",
            slot_name("wg15_j_penalty_years"): 12,
            slot_name("wg15_j_ta_needed"): "Yes",
            slot_name("wg15_j_ta_kinds", "training"): "x",
        },
    )
    result = parse_form(data, questionnaire=q)
    assert result.errors == []
    assert dict(result.answers) == EXPECTED


def test_a_form_read_against_another_definition_is_rejected() -> None:
    with pytest.raises(Rejected, match=r"a form of inline 1\.0, not of ctoc_wgta"):
        parse_form(blank_docx(definition()), questionnaire=load_questionnaire())


def test_a_form_of_an_unshipped_definition_is_unknown_without_it() -> None:
    with pytest.raises(Rejected, match="not a form of a known questionnaire"):
        parse_form(blank_docx(definition()))
