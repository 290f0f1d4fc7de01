"""Scores and country reports from a real Excel form, filled by its defined names.

The form is generated in Spanish for Mexico, filled with openpyxl as a person
would type (labels in Spanish, a real date), parsed back, scored and reported.
The figures below are computed by hand from the answers in ``ANSWERS``.
"""

from __future__ import annotations

import datetime as dt
import doctest
import io
import zipfile
from types import ModuleType

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

import selfassess.reports
import selfassess.reports.country
import selfassess.reports.country_md
from selfassess.constants import CTX_CHOICE_LABEL, LANGUAGES
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name
from selfassess.i18n.localizer import Localizer
from selfassess.office.excel import MAX_SHEET_TITLE, sheet_title
from selfassess.reports import write_country_report
from selfassess.reports.country import DASH, CountryReport, build_report
from selfassess.reports.country_md import render_md
from selfassess.response.interpret import Answer, ParseResult
from selfassess.safety.text import xml_text
from selfassess.scoring import Score, response_with, score
from tests.forms.xlsx_fill import apply, generate
from tests.support.libreoffice import Value

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORM_LANG = "es"
MEASURES = "=SUM(A1) | Ley 12/2020, *art.* 3"

#: What the respondent answered; every other item is left blank.
ANSWERS: dict[str, Answer] = {
    "respondent_name": "María José Pérez",
    "reply_date": "2025-03-14",
    # Review Mechanism: 1.0, 0.75, n/a, 0.5, not known -> (1 + 0.75 + 0.5) / 3 = 0.75; 5 of 5.
    "wg14_c_status": "fully",
    "wg14_c_measures": MEASURES,
    "wg14_c_ta_needed": "yes",
    "wg14_c_ta_kinds": ["legal_advice", "training"],
    "wg14_c_ta_priority": "high",
    "wg14_f_status": "largely",
    "wg14_g_status": "not_applicable",
    "wg15_u_focal_point": "no",
    "wg15_u_status": "partially",
    "wg15_u_ta_needed": "yes",
    "wg15_u_ta_kinds": ["other"],
    "wg15_u_ta_other": "Traductores jurados",
    "wg15_u_ta_priority": "low",
    "wg15_w_status": "not_known",
    # Data: I(h) planned 0.25, I(i) and I(j) blank -> 0.25; 1 of 3.
    "wg14_h_status": "planned",
    # Environment: II(a) not implemented, eight blank -> 0.0; 1 of 9.
    "wg15_a_status": "not_implemented",
    # Fraud: II(k) fully implemented, but legal persons cannot be liable -> 1.0; 1 of 9.
    "wg15_k_status": "fully",
    "wg15_k_legal_persons_liable": "no",
    # Unscored: never counted.
    "wg14_a_contribution": "not_planned",
}

# Overall over the six recommendations with a status that counts:
# (1 + 0.75 + 0.5 + 0.25 + 0 + 1) / 6; coverage 8 answered of 26 scored items.
EXPECTED_OVERALL = {"implementation": 3.5 / 6, "gap": 1 - 3.5 / 6, "coverage": 8 / 26}
EXPECTED_SECTIONS = {
    "review": {"implementation": 0.75, "gap": 0.25, "coverage": 1.0},
    "data": {"implementation": 0.25, "gap": 0.75, "coverage": 1 / 3},
    "environment": {"implementation": 0.0, "gap": 1.0, "coverage": 1 / 9},
    "fraud": {"implementation": 1.0, "gap": 0.0, "coverage": 1 / 9},
}


def typed_answers(q: Questionnaire, lang: str) -> dict[str, Value]:
    """ANSWERS as a person types them into the form: labels, ticks, a real date."""
    loc = Localizer(lang)
    typed: dict[str, Value] = {}
    for item_id, answer in ANSWERS.items():
        item = q.item(item_id)
        if isinstance(answer, list):
            for code in answer:
                typed[slot_name(item_id, code)] = loc.pgettext("tick", "x")
        elif item.type == "choice":
            label = next(ch.label for ch in q.choices_of(item) if ch.code == answer)
            typed[slot_name(item_id)] = loc.content(CTX_CHOICE_LABEL, label)
        elif item.type == "date":
            typed[slot_name(item_id)] = dt.date.fromisoformat(str(answer))
        else:
            assert answer is not None, item_id
            typed[slot_name(item_id)] = answer
    return typed


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="module")
def filled(q: Questionnaire) -> ParseResult:
    data = apply(generate(FORM_LANG, "MX"), typed_answers(q, FORM_LANG))
    return parse_form(io.BytesIO(data))


@pytest.fixture(scope="module")
def scored(filled: ParseResult, q: Questionnaire) -> Score:
    return score(filled, q)


@pytest.mark.parametrize(
    "module",
    [selfassess.reports, selfassess.reports.country, selfassess.reports.country_md],
    ids=lambda m: m.__name__,
)
def test_module_examples_hold(module: ModuleType) -> None:
    assert doctest.testmod(module).failed == 0


# --- the score of a filled form ---------------------------------------------


def test_the_filled_form_reads_back_as_answered(filled: ParseResult) -> None:
    assert filled.errors == []
    assert {k: v for k, v in filled.answers.items() if v is not None} == ANSWERS


def test_score_of_a_filled_form_equals_the_hand_computed_values(scored: Score) -> None:
    s = scored.to_json()
    assert s["overall"] == pytest.approx(EXPECTED_OVERALL)
    assert set(s["sections"]) == set(EXPECTED_SECTIONS)
    for section, figures in EXPECTED_SECTIONS.items():
        assert s["sections"][section] == pytest.approx(figures), section
    assert s["recommendations"]["wg14_g"] == {
        "implementation": None,
        "gap": None,
        "status": "not_applicable",
    }
    assert "wg14_a" not in s["recommendations"]
    assert s["ta_needs"] == [
        {
            "recommendation": "wg14_c",
            "kinds": ["legal_advice", "training"],
            "other": None,
            "priority": "high",
        },
        {
            "recommendation": "wg15_u",
            "kinds": ["other"],
            "other": "Traductores jurados",
            "priority": "low",
        },
    ]
    findings = {(f["item"], f["code"]) for f in s["flags"] if f["code"] != "required_missing"}
    assert findings == {
        ("wg14_c_ta_kinds", "fully_but_drafting"),
        ("wg15_k_measures", "fully_no_measures"),
        ("wg15_k_legal_persons_liable", "fully_but_no"),
    }
    missing = {f["item"] for f in s["flags"] if f["code"] == "required_missing"}
    assert {"respondent_institution", "wg14_f_ta_needed", "wg15_x_contribution"} <= missing
    assert missing.isdisjoint(ANSWERS)


# --- the report model ---------------------------------------------------------


@pytest.fixture(scope="module")
def report_en(scored: Score, filled: ParseResult, q: Questionnaire) -> CountryReport:
    return build_report(scored, filled, q, Localizer("en"))


def test_summary(report_en: CountryReport) -> None:
    summary = {row.label: row.value for row in report_en.summary}
    assert summary["Country"] == "Mexico"
    assert summary["Date of the reply"] == "14 March 2025"
    assert summary["Overall implementation"] == "58%"
    assert summary["Coverage (status questions answered)"] == "31%"
    assert report_en.title == "Implementation report: Mexico"


def test_chart_has_one_bar_per_scored_section(report_en: CountryReport) -> None:
    bars = [(b.label, b.value) for b in report_en.chart.bars]
    assert [value for _, value in bars] == [0.75, 0.25, 0.0, 1.0]
    assert [label for label, _ in bars] == [
        "The Mechanism for the Review of the Implementation of the Convention and the Protocols "
        "thereto",
        "Data collection, threat assessments and strategies on organized crime",
        "Crimes that affect the environment",
        "Organized fraud",
    ]


def test_section_tables(report_en: CountryReport) -> None:
    review = report_en.sections[1]
    assert review.implementation == "75%"
    rows = {row.ref: (row.status, row.gap) for row in review.rows}
    assert rows["I(c)"] == ("Fully implemented", "0%")
    assert rows["I(f)"] == ("Largely implemented", "25%")
    # Not applicable: a dash, which the report's dash note explains.
    assert rows["I(g)"] == ("Not applicable", DASH)
    assert "not applicable" in report_en.dash_note
    assert rows["I(b)"] == (DASH, "Not scored")
    assert report_en.sections[0].implementation == "Not scored"  # SHERLOC: I(a) only


def test_needs_grouped_by_kind_then_priority(report_en: CountryReport) -> None:
    assert [(n.kind, n.priority, n.recommendations) for n in report_en.needs] == [
        (
            "Legal advice and legislative drafting",
            "High",
            ["I(c) Multilingualism and translation in country reviews"],
        ),
        (
            "Training and capacity-building of practitioners",
            "High",
            ["I(c) Multilingualism and translation in country reviews"],
        ),
        (
            "Other (please specify)",
            "Low",
            ["II(u) Focal points for the Review Mechanism (para. 18) (Traductores jurados)"],
        ),
    ]


def test_flags_are_worded_as_questions(report_en: CountryReport) -> None:
    questions = report_en.questions
    assert all(q.endswith("?") for q in questions)
    drafting = next(q for q in questions if "legislative drafting" in q)
    assert drafting.startswith("I(c) Multilingualism")
    no = next(q for q in questions if "“No”" in q)
    assert "II(k).3" in no
    assert "Can legal persons be held liable" in no
    assert any(q.startswith("1.3 “Institution") for q in questions)


def test_annex_has_every_answer_as_given(report_en: CountryReport) -> None:
    rows = {row.ref: row.answer for group in report_en.annex for row in group.rows}
    assert len(rows) == len(ANSWERS)
    assert rows["1.7"] == "14 March 2025"
    assert rows["I(c).2"] == MEASURES
    assert (
        rows["I(c).9"]
        == "Legal advice and legislative drafting\nTraining and capacity-building of practitioners"
    )
    assert rows["I(a).1"] == "Not planned"


def test_no_needs_and_no_questions_are_said(q: Questionnaire) -> None:
    result = response_with(q, {})
    empty = Score.model_validate(score(result, q).to_json() | {"flags": [], "ta_needs": []})
    report = build_report(empty, result, q, Localizer("en"))
    assert report.needs == []
    assert report.questions == []
    text = render_md(report)
    assert report.no_needs in text
    assert report.no_questions in text
    assert "Country not given" in report.title


# --- the three formats, in the six languages -------------------------------------


@pytest.fixture(scope="module")
def files(scored: Score, filled: ParseResult, q: Questionnaire) -> dict[tuple[str, str], bytes]:
    out: dict[tuple[str, str], bytes] = {}
    for lang in LANGUAGES:
        for fmt in ("docx", "xlsx", "md"):
            buf = io.BytesIO()
            write_country_report(scored, filled, q, buf, fmt=fmt, lang=lang)
            out[(lang, fmt)] = buf.getvalue()
    return out


def headings(lang: str) -> list[str]:
    _ = Localizer(lang).gettext
    return [_("Summary"), _("Implementation by section"), _("Recommendations"),
            _("Technical assistance needs"), _("Questions to clarify"),
            _("Annex: the answers as given")]  # fmt: skip


def attr(element: etree._Element, path: str, name: str) -> str | None:
    found = element.find(path)
    assert found is not None, path
    return found.get(name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_report(files: dict[tuple[str, str], bytes], lang: str) -> None:
    data = files[(lang, "docx")]
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for heading in headings(lang):
        assert heading in texts
    assert len(document.inline_shapes) == 1  # the chart
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
        body = etree.fromstring(z.read("word/document.xml"))
    # Summary, 5 sections of recommendations, needs, and 6 annex tables (respondent too).
    assert len(document.tables) == 1 + 5 + 1 + 6
    # Without the left-to-right marks that keep Latin text whole in Arabic.
    cells = [
        c.text.replace("\u200e", "") for t in document.tables for row in t.rows for c in row.cells
    ]
    assert MEASURES in cells
    # Runs of text (a picture or a field mark has no language).
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None]
    if lang == "ar":
        assert body.find(f"{W}body/{W}sectPr/{W}bidi") is not None
        assert all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in body.iter(f"{W}tbl"))
        for p in body.iter(f"{W}p"):
            text = "".join(str(t) for t in p.itertext())
            if any("\u0600" <= ch <= "\u06ff" for ch in text):
                assert p.find(f"{W}pPr/{W}bidi") is not None, text
                assert p.find(f"{W}pPr/{W}jc") is None, text
        assert all(attr(r, f"{W}rPr/{W}lang", f"{W}bidi") == "ar-SA" for r in runs)
    elif lang == "zh":
        for r in runs:
            assert attr(r, f"{W}rPr/{W}rFonts", f"{W}eastAsia")
            assert attr(r, f"{W}rPr/{W}rFonts", f"{W}hint") == "eastAsia"
            assert attr(r, f"{W}rPr/{W}lang", f"{W}eastAsia") == "zh-CN"
    else:
        assert body.find(f".//{W}bidi") is None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_report(files: dict[tuple[str, str], bytes], lang: str) -> None:
    wb = load_workbook(io.BytesIO(files[(lang, "xlsx")]))
    names = [h for h in headings(lang) if h != headings(lang)[1]]
    # Sheets are named after the headings, by the one rule for tab titles.
    taken: set[str] = set()
    assert wb.sheetnames == [sheet_title(h, taken) for h in names]
    assert all(len(name) <= MAX_SHEET_TITLE for name in wb.sheetnames)
    summary = wb.worksheets[0]
    assert len(summary._charts) == 1
    assert summary.sheet_view.rightToLeft is (lang == "ar")
    # The chart's data: section implementation as numbers with a percent format.
    values = [c.value for c in summary["B"] if c.number_format == "0%"]
    assert values == pytest.approx([0.75, 0.25, 0.0, 1.0])
    recs = wb.worksheets[1]
    gaps = {row[1].value: row[4] for row in recs.iter_rows(min_row=2)}
    assert gaps["I(f)"].value == 0.25
    assert gaps["I(f)"].number_format == "0%"
    annex = wb.worksheets[-1]
    cell = next(c for row in annex.iter_rows() for c in row if c.value == MEASURES)
    assert cell.data_type == "s"  # a respondent's "=SUM(...)" stays text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_md_report(files: dict[tuple[str, str], bytes], lang: str) -> None:
    text = files[(lang, "md")].decode("utf-8")
    for heading in headings(lang):
        assert f"## {heading}" in text
    # The respondent's pipes, emphasis and formula sign cannot break the table.
    assert r"=SUM(A1) \| Ley 12/2020, \*art.\* 3" in text
    assert text.startswith('<div dir="rtl" lang="ar">') is (lang == "ar")


def test_report_language_defaults_to_the_reply(
    scored: Score, filled: ParseResult, q: Questionnaire
) -> None:
    buf = io.BytesIO()
    outcome = write_country_report(scored, filled, q, buf, fmt="md")
    assert outcome.lang == FORM_LANG
    assert Localizer(FORM_LANG).country("MX") in buf.getvalue().decode()


def test_a_stream_needs_a_format(scored: Score, filled: ParseResult, q: Questionnaire) -> None:
    from selfassess.errors import UsageError  # noqa: PLC0415 (only this test)

    with pytest.raises(UsageError, match="name the report format"):
        write_country_report(scored, filled, q, io.BytesIO())
    with pytest.raises(UsageError, match=r"report\.pdf"):
        write_country_report(scored, filled, q, "report.pdf")


@settings(max_examples=8, deadline=None)
@given(text=st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_any_respondent_text_is_written_in_every_format(text: str) -> None:
    q = load_questionnaire()
    result = response_with(q, {"wg14_c_status": "fully", "wg14_c_measures": text})
    s = score(result, q)
    outputs: dict[str, bytes] = {}
    for fmt in ("md", "xlsx", "docx"):
        buf = io.BytesIO()
        write_country_report(s, result, q, buf, fmt=fmt, lang="ar")
        outputs[fmt] = buf.getvalue()
    report = build_report(s, result, q, Localizer("ar"))
    shown = next(r.answer for g in report.annex for r in g.rows if r.ref == "I(c).2")
    assert shown == xml_text(text)
    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    # Text of control characters only is nothing, and an empty cell is None.
    assert (shown or None) in [row[3].value for row in wb.worksheets[-1].iter_rows(min_row=2)]
    cells = [c.text for t in docx.Document(io.BytesIO(outputs["docx"])).tables
             for row in t.rows for c in row.cells]  # fmt: skip
    # Word keeps the text, whatever line breaks and tabs become in it; in
    # Arabic, a left-to-right mark closes each Latin stretch.
    mark = "\u200e"
    assert any(
        " ".join(shown.replace(mark, "").split()) == " ".join(c.replace(mark, "").split())
        for c in cells
    )
