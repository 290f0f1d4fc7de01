"""Number ranges (``min``/``max``): one rule, enforced on every way in and shown on every form."""

from __future__ import annotations

import io
import math
import random
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from selfassess.constants import LANGUAGES
from selfassess.definitions.model import Item
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import DefinitionError
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import complete_answers, random_answers
from selfassess.forms.xlsform import language_column, xlsform_rows
from selfassess.forms.xlsx_writer import slot_name
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import W_NS
from selfassess.response.interpret import ParseResult, answer_fits, in_range, range_hint
from tests.forms.inline import blank_docx, blank_xlsx, definition, fill_docx, fill_xlsx

RANGED = """\
sections:
  - id: data
    title: Data
    recommendations:
      - recommendation: wg14_i
        items:
          - {id: year, type: number, min: 1950, max: 2100, prompt: "In which year?"}
          - {id: share, type: number, min: 0, prompt: "How many?"}
          - {id: cap, type: number, max: 0.5, prompt: "What share?"}
          - {id: free, type: number, prompt: "Any number?"}
"""
YEAR = "wg14_i_year"


def test_the_keys_are_read_and_shown_in_the_definition_json() -> None:
    q = definition(RANGED)
    assert (q.item(YEAR).min, q.item(YEAR).max) == (1950, 2100)
    assert (q.item("wg14_i_share").min, q.item("wg14_i_share").max) == (0, None)


@pytest.mark.parametrize(
    ("keys", "says"),
    [
        ("min: 2100, max: 1950", "min 2100 is greater than max 1950"),
        ("min: .nan", "'min' must be a finite number"),
        ("max: .inf", "'max' must be a finite number"),
    ],
)
def test_a_bad_range_is_a_located_definition_error(keys: str, says: str) -> None:
    text = RANGED.replace("min: 1950, max: 2100", keys)
    with pytest.raises(DefinitionError) as info:
        definition(text)
    found = [str(p) for p in info.value.problems]
    assert any(says in p and "items[0]" in p for p in found), found


def test_only_number_items_take_a_range() -> None:
    text = RANGED.replace("type: number, min: 1950", "type: text, min: 1950")
    with pytest.raises(DefinitionError) as info:
        definition(text)
    assert any("a text item takes no 'min'" in str(p) for p in info.value.problems)


def problems(result: ParseResult, item: str) -> list[tuple[str, str | None]]:
    return [(p.code, p.location) for p in result.problems if p.item == item]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_both_readers_refuse_a_number_out_of_range_with_a_located_error(lang: str) -> None:
    q = definition(RANGED)
    loc = Localizer(lang)
    typed = {YEAR: 20224, "wg14_i_share": -1, "wg14_i_cap": 0.5, "wg14_i_free": -1e9}
    xlsx = parse_form(
        io.BytesIO(fill_xlsx(q, {slot_name(k): v for k, v in typed.items()}, lang)),
        questionnaire=q,
    )
    docx = parse_form(
        io.BytesIO(fill_docx(q, {k: loc.number(v) for k, v in typed.items()}, lang)),
        questionnaire=q,
    )
    for result in (xlsx, docx):
        assert result.answers[YEAR] is None
        assert result.answers["wg14_i_share"] is None
        assert result.answers["wg14_i_cap"] == 0.5  # bounds are inclusive
        assert result.answers["wg14_i_free"] == -1e9
        ((code, where),) = problems(result, YEAR)
        assert code == "number_out_of_range"
        assert where
        (problem,) = [p for p in result.problems if p.item == YEAR]
        assert "20224" in problem.message
        assert range_hint(q.item(YEAR), loc) in problem.message
        assert [c for c, _ in problems(result, "wg14_i_share")] == ["number_out_of_range"]
    assert problems(xlsx, YEAR)[0][1] == xlsx.locations[YEAR]


def test_the_excel_form_validates_the_range_and_says_it() -> None:
    q = definition(RANGED)
    wb = load_workbook(io.BytesIO(blank_xlsx(q, "fr")))
    ((sheet, ref),) = wb.defined_names[slot_name(YEAR)].destinations
    cell = ref.replace("$", "")
    (dv,) = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
    assert (dv.type, dv.operator, dv.errorStyle) == ("decimal", "between", "stop")
    assert (float(dv.formula1), float(dv.formula2)) == (1950, 2100)
    assert dv.error == dv.prompt == "Saisissez un nombre compris entre 1950 et 2100."
    ((_, free),) = wb.defined_names[slot_name("wg14_i_free")].destinations
    (other,) = [
        dv for dv in wb[sheet].data_validations.dataValidation if free.replace("$", "") in dv.sqref
    ]
    assert float(other.formula2) == 1e15


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_word_form_shows_the_range_under_the_question(lang: str) -> None:
    q = definition(RANGED)
    with zipfile.ZipFile(io.BytesIO(blank_docx(q, lang))) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    found = root.xpath("//w:t/text()", namespaces={"w": W_NS})
    assert isinstance(found, list)
    texts = [str(t) for t in found]
    hint = range_hint(q.item(YEAR), Localizer(lang))
    assert "1950" in hint
    assert "2100" in hint
    assert hint in texts
    assert range_hint(q.item("wg14_i_free"), Localizer(lang)) == ""


def test_the_xlsform_constrains_the_range_with_messages_in_six_languages() -> None:
    q = definition(RANGED)
    book = xlsform_rows(q, countries=["MX"])
    header = book.survey[0]
    rows = {r[header.index("name")]: dict(zip(header, r, strict=True)) for r in book.survey[1:]}
    assert rows[YEAR]["constraint"] == ". >= 1950.0 and . <= 2100.0"
    assert rows["wg14_i_share"]["constraint"] == ". >= 0.0 and . <= 1000000000000000"
    for lang in LANGUAGES:
        message = rows[YEAR][f"constraint_message::{language_column(lang)}"]
        assert message == range_hint(q.item(YEAR), Localizer(lang))


def test_questionnaire_1_1_asks_years_in_a_plausible_range() -> None:
    q = load_questionnaire("ctoc_wgta", "1.1")
    years = [i for i in q.items() if i.id.endswith("_year")]
    assert {i.id for i in years} == {
        "wg15_u_focal_point_year",
        "wg14_i_assessment_year",
        "wg15_e_review_year",
    }
    assert all((i.min, i.max) == (1950, 2100) for i in years)
    answers = complete_answers(q)
    assert all(answer_fits(q.item(k), v, q) for k, v in answers.items() if v is not None)


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
)
def test_in_range_and_answer_fits_agree(value: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    q = definition(RANGED)
    item = Item.model_validate(q.item("wg14_i_free").model_dump() | {"min": lo, "max": hi})
    inside = (lo is None or value >= lo) and (hi is None or value <= hi)
    assert in_range(item, value) == inside
    assert answer_fits(item, value, q) == inside
    assert math.isfinite(value)


@pytest.mark.parametrize(
    "bounds", ["min: 1950, max: 2100", "min: 0.2, max: 0.8", "min: 7", "max: -3"]
)
def test_the_simulated_respondent_answers_within_any_range(bounds: str) -> None:
    q = definition(RANGED.replace("min: 1950, max: 2100", bounds))
    for seed in range(20):
        answers = random_answers(q, random.Random(seed))
        assert all(answer_fits(q.item(k), v, q) for k, v in answers.items() if v is not None)
    assert all(
        answer_fits(q.item(k), v, q) for k, v in complete_answers(q).items() if v is not None
    )
