"""The European Union's forms: items marked ``states_only`` are not asked of a
regional economic integration organization, on every form and in every rule."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfassess.constants import LANGUAGES, REIO_PARTIES
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import (
    complete_answers,
    excel_entries,
    random_answers,
    word_entries,
)
from selfassess.forms.xlsform import xlsform_rows
from selfassess.forms.xlsx_writer import slot_name
from selfassess.i18n.localizer import Localizer
from selfassess.response.interpret import NOT_ASKED, asked
from selfassess.scoring import score
from selfassess.secretariat.round import carry_over
from tests.forms import docx_fill, xlsx_fill
from tests.forms.inline import blank_docx, blank_xlsx, definition

REIO = """\
sections:
  - id: fraud
    title: Fraud
    recommendations:
      - recommendation: wg15_k
        items:
          - {id: status, type: choice, choices: status, required: true, role: status,
             prompt: "What is the status of implementation?"}
          - {id: liable, type: choice, choices: yes_no, required: true, states_only: true,
             prompt: "Can legal persons be held liable?"}
          - {id: kinds, type: multichoice, choices: ta_kinds, states_only: true,
             prompt: "Which kinds?"}
      - recommendation: wg15_j
        items:
          - {id: status, type: choice, choices: status, required: true, role: status,
             states_only: true, prompt: "What is the status of implementation?"}
"""
NOT_FOR_EU = ("wg15_k_liable", "wg15_k_kinds", "wg15_j_status")


def test_the_rule() -> None:
    q = definition(REIO)
    assert {"EU"} == REIO_PARTIES
    for item_id in NOT_FOR_EU:
        item = q.item(item_id)
        assert not asked(item, "EU")
        assert asked(item, "FR")
        assert asked(item, None)  # a blank form asks everything
    assert asked(q.item("wg15_k_status"), "EU")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_eu_form_shows_not_applicable_instead_of_an_answer_field(lang: str) -> None:
    q = definition(REIO)
    note = Localizer(lang).gettext(NOT_ASKED)
    root = docx_fill.document(blank_docx(q, lang, "EU"))
    tags = set(docx_fill.tagged(root))
    assert "wg15_k_status" in tags
    assert not {t for t in tags if t.split(":")[0] in NOT_FOR_EU}
    assert "".join(map(str, root.itertext())).count(note) == len(NOT_FOR_EU)
    wb = load_workbook(io.BytesIO(blank_xlsx(q, lang, "EU")))
    names = set(wb.defined_names)
    assert slot_name("wg15_k_status") in names
    assert not {n for n in names if any(n.startswith(slot_name(i)) for i in NOT_FOR_EU)}
    shown = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert shown.count(note) == len(NOT_FOR_EU)
    # Another Party's form asks them all.
    assert {"wg15_k_liable", "wg15_j_status"} <= set(
        docx_fill.tagged(docx_fill.document(blank_docx(q, lang, "FR")))
    )


def test_an_eu_return_in_either_format_reads_without_them() -> None:
    q = definition(REIO)
    answers = complete_answers(q, "EU")
    assert all(answers[i] is None for i in NOT_FOR_EU)
    assert answers["wg15_k_status"] is not None
    word = docx_fill.fill(blank_docx(q, "fr", "EU"), word_entries(q, answers, "fr"), "fr")
    excel = xlsx_fill.apply(blank_xlsx(q, "fr", "EU"), excel_entries(q, answers, "fr"))
    for data in (word, excel):
        result = parse_form(io.BytesIO(data), questionnaire=q)
        assert result.problems == [], result.problems
        assert result.answers == answers
        figures = score(result, q)
        # II(j)'s only scored item is not asked: it counts nowhere.
        assert figures.recommendations["wg15_j"].implementation is None
        assert figures.overall.coverage == 1.0
        assert not figures.flags


def test_a_blank_form_picked_by_the_eu_may_still_answer_them() -> None:
    q = definition(REIO)
    answers = complete_answers(q)
    data = docx_fill.fill(
        blank_docx(q, "en", None),
        {**word_entries(q, answers, "en"), "form_country": "European Union"},
        "en",
    )
    result = parse_form(io.BytesIO(data), questionnaire=q)
    assert result.form.country == "EU"
    assert result.answers["wg15_k_liable"] == answers["wg15_k_liable"]
    assert not [p for p in result.problems if p.severity == "error"]


def test_the_simulated_respondent_and_carried_answers_leave_them_out() -> None:
    q = definition(REIO)
    for seed in range(5):
        answers = random_answers(q, random.Random(seed), "EU")
        assert all(answers[i] is None for i in NOT_FOR_EU)
    full = complete_answers(q)
    kept, dropped = carry_over(full, q, "EU")
    assert not set(NOT_FOR_EU) & set(kept)
    assert set(NOT_FOR_EU) <= set(dropped)
    assert carry_over(full, q, "FR")[1] == []


def test_the_xlsform_hides_them_for_the_eu() -> None:
    q = definition(REIO)
    book = xlsform_rows(q, countries=["EU", "FR"])
    header = book.survey[0]
    rows = {r[header.index("name")]: dict(zip(header, r, strict=True)) for r in book.survey[1:]}
    assert rows["wg15_k_liable"]["relevant"] == "${form_country} != 'EU'"
    assert rows["wg15_k_status"]["relevant"] == ""


def test_questionnaire_1_1_marks_the_items_the_changelog_lists() -> None:
    q = load_questionnaire("ctoc_wgta", "1.1")
    marked = {i.id for i in q.items() if i.states_only}
    assert marked == {
        "wg15_a_predicate_offence", "wg15_a_predicate_which",
        "wg15_c_cites_offence", "wg15_c_basel_offence",
        "wg15_h_investigators", "wg15_h_prosecutors", "wg15_h_courts",
        "wg15_j_penalty_basic_fraud", "wg15_j_penalty_aggravated_fraud",
        "wg15_j_penalty_computer_fraud",
        "wg15_k_legal_persons_liable", "wg15_k_liability_kinds", "wg15_k_monetary_sanctions",
        "wg15_l_special_techniques",
    }  # fmt: skip
    # Never a status: what the EU answers about implementation still counts.
    assert not any(q.item(i).role == "status" for i in marked)


def test_forms_written_from_a_template_still_leave_them_out_for_the_eu(tmp_path: Path) -> None:
    q = definition(REIO)
    result = generate_forms(q, ["es"], ["FR", "EU", "MX"], ["docx", "xlsx"], tmp_path, reuse=True)
    for form in result.forms:
        blank = parse_form(form.path, questionnaire=q)
        assert not [p for p in blank.problems if p.severity == "error"], form.path.name
        if form.format == "xlsx":
            names = set(load_workbook(form.path).defined_names)
            has = slot_name("wg15_k_liable") in names
        else:
            has = "wg15_k_liable" in docx_fill.tagged(docx_fill.document(form.path.read_bytes()))
        assert has == (form.meta.country != "EU"), form.path.name
