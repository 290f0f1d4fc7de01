"""A small round, end to end: generate, fill, ingest, status, merge, prefill, report.

Ten Parties, both formats, six languages. Every figure of the aggregate
report is checked against a value computed here, by hand, from the fills.
"""

from __future__ import annotations

import datetime as dt
import email
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from selfassess.constants import Format
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import fill_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.response.interpret import Answer, applies, in_range
from selfassess.secretariat.aggregate import TOTAL, AggregateReport, aggregate
from selfassess.secretariat.ingest import IngestResult, ingest_paths
from selfassess.secretariat.merge import merge_files
from selfassess.secretariat.round import RoundResult, issue_round
from selfassess.secretariat.status import StatusReport, load_contacts, status, write_reminders
from selfassess.store import Store
from tests.forms import docx_fill

ISSUED = dt.date(2025, 1, 15)
DEADLINE = dt.date(2025, 3, 31)
AS_OF = dt.date(2025, 4, 15)
CODES = ["MX", "FR", "CA", "CN", "RU", "EG", "SN", "JP", "TR", "US"]
SCORES = {
    "fully": 1.0,
    "largely": 0.75,
    "partially": 0.5,
    "planned": 0.25,
    "not_implemented": 0.0,
    "not_applicable": None,
}
SECTIONS = ("review", "data", "environment", "fraud")
# Status per scored section, and technical assistance: rec -> (kinds, priority).
Fill = tuple[dict[str, str], dict[str, tuple[list[str], str | None]]]
FILLS: dict[str, Fill] = {
    "MX": (
        dict(zip(SECTIONS, ["fully", "largely", "partially", "planned"], strict=True)),
        {"wg15_j": (["legal_advice", "training"], "high")},
    ),
    "FR": (dict.fromkeys(SECTIONS, "largely"), {"wg14_c": (["training"], "low")}),
    "CA_first": (dict.fromkeys(SECTIONS, "not_implemented"), {"wg14_c": (["equipment"], "high")}),
    "CA": (
        dict(zip(SECTIONS, ["partially", "fully", "not_applicable", "largely"], strict=True)),
        {"wg15_j": (["training"], "medium")},
    ),
    "CN": (dict.fromkeys(SECTIONS, "planned"), {"wg15_a": (["equipment"], "medium")}),
    "RU": (dict(zip(SECTIONS, ["fully", "fully", "planned", "partially"], strict=True)), {}),
    "EG": (dict.fromkeys(SECTIONS, "partially"), {"wg15_j": (["training"], None)}),
    "TR": (dict.fromkeys(SECTIONS, "largely"), {"wg14_h": (["data"], "high")}),
    "US": (
        dict(zip(SECTIONS, ["not_implemented", "planned", "fully", "fully"], strict=True)),
        {},
    ),
    "JP": (dict.fromkeys(SECTIONS, "fully"), {"wg15_k": (["training", "cooperation"], "low")}),
}
# Groups as in the shipped parties file: each Party in one (TR and US with WEOG).
GROUPS = {
    "MX": ["latin_american_caribbean"],
    "FR": ["weog"],
    "CA": ["weog"],
    "CN": ["asia_pacific"],
    "RU": ["eastern_european"],
    "EG": ["african"],
    "SN": ["african"],
    "JP": ["asia_pacific"],
    "TR": ["weog"],
    "US": ["weog"],
}
RETURNED = ["MX", "FR", "CA", "CN", "RU", "EG", "JP", "TR", "US"]


def answers_for(q: Questionnaire, key: str) -> dict[str, Answer]:
    """Every item that applies answered: statuses and assistance from FILLS, 'yes' to facts."""
    statuses, ta = FILLS[key]
    section_of = {e.recommendation: s.id for s, e in q.entries()}
    out: dict[str, Answer] = {}
    for item in q.items():
        out[item.id] = None
        if applies(item, out) is not True:
            continue
        rec = item.recommendation
        codes = [c.code for c in q.choices_of(item)]
        if item.role == "status":
            out[item.id] = statuses[section_of[rec or ""]]
        elif item.role == "ta_needed":
            out[item.id] = "yes" if rec in ta else "no"
        elif item.role == "ta_kinds":
            out[item.id] = ta[rec or ""][0]
        elif item.role == "ta_priority":
            out[item.id] = ta[rec or ""][1]
        elif item.type == "choice":
            out[item.id] = "yes" if "yes" in codes else codes[0]
        elif item.type == "multichoice":
            out[item.id] = [codes[0]]
        elif item.type == "number":
            # A thousand, or a number its range takes (the years of 1.1).
            out[item.id] = 1000 if in_range(item, 1000) else item.min
        elif item.type == "date":
            out[item.id] = "2025-03-01"
        else:
            out[item.id] = f"Text for {item.ref}"
    return out


@dataclass
class Round:
    tmp: Path
    q: Questionnaire
    store: Path
    issued: RoundResult
    ingest1: IngestResult
    ingest2: IngestResult
    merged: dict[str, Any]
    status: StatusReport
    report: AggregateReport
    answers: dict[str, dict[str, Answer]]


@pytest.fixture(scope="module")
def rnd(tmp_path_factory: pytest.TempPathFactory) -> Round:
    tmp = tmp_path_factory.mktemp("round")
    q = load_questionnaire()
    parties = load_parties().select(CODES)
    store_path = tmp / "store.sqlite"
    returns = tmp / "returns"
    later = tmp / "later"
    returns.mkdir()
    later.mkdir()
    with Store(store_path) as store:
        issued = issue_round(
            store,
            q,
            parties,
            tmp / "forms",
            formats=["docx", "xlsx"],
            deadline=DEADLINE,
            issued=ISSUED,
        )
        forms = {(f.meta.country, f.meta.language, f.format): f for f in issued.forms}
        answers = {key: answers_for(q, key) for key in FILLS}

        def put(folder: Path, name: str, key: str, country: str, lang: str, fmt: Format) -> Path:
            blank = forms[(country, lang, fmt)].path.read_bytes()
            fill = fill_xlsx if fmt == "xlsx" else docx_fill.fill_answers
            path = folder / name
            path.write_bytes(fill(blank, answers[key], q, lang))
            return path

        put(returns, "mx.xlsx", "MX", "MX", "es", "xlsx")
        put(returns, "fr.docx", "FR", "FR", "fr", "docx")
        put(returns, "ca-first.xlsx", "CA_first", "CA", "en", "xlsx")
        put(returns, "cn.docx", "CN", "CN", "zh", "docx")
        put(returns, "ru.xlsx", "RU", "RU", "ru", "xlsx")
        put(returns, "eg.docx", "EG", "EG", "ar", "docx")
        put(returns, "tr.xlsx", "TR", "TR", "en", "xlsx")
        put(returns, "us.docx", "US", "US", "en", "docx")
        (returns / "zz-mx-copy.xlsx").write_bytes((returns / "mx.xlsx").read_bytes())
        (returns / "notes.txt").write_text("Our reply follows by post.", encoding="utf-8")
        (returns / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
        ingest1 = ingest_paths(store, [returns])
        # Later: Canada corrects its reply on its French form; Japan replies in two parts.
        put(later, "ca-corrected.xlsx", "CA", "CA", "fr", "xlsx")
        full_jp = answers["JP"]
        section_of_item = {
            it.id: s.id
            for s in q.sections
            for it in [*s.items, *(i for e in s.recommendations for i in e.items)]
        }
        part1 = {
            k: (v if section_of_item[k] in ("respondent", "sherloc", "review") else None)
            for k, v in full_jp.items()
        }
        part2 = {
            k: (v if section_of_item[k] not in ("respondent", "sherloc", "review") else None)
            for k, v in full_jp.items()
        }
        part2["respondent_title"] = "Director, Ministry of Justice"
        part1["respondent_title"] = "Deputy Director"
        answers["JP_part1"], answers["JP_part2"] = part1, part2
        jp1 = put(tmp, "jp-justice.xlsx", "JP_part1", "JP", "en", "xlsx")
        jp2 = put(tmp, "jp-police.docx", "JP_part2", "JP", "en", "docx")
        merged = merge_files([jp1, jp2])
        (later / "jp-merged.json").write_text(json.dumps(merged.to_json()), encoding="utf-8")
        ingest2 = ingest_paths(store, [later])
        st = status(store, parties, as_of=AS_OF)
        report = aggregate(store, parties, as_of=AS_OF, country_detail=True)
    return Round(
        tmp, q, store_path, issued, ingest1, ingest2, merged.to_json(), st, report, answers
    )


def test_round_issues_every_party_in_its_languages(rnd: Round) -> None:
    langs = {(f.meta.country, f.meta.language) for f in rnd.issued.forms}
    assert ("CA", "en") in langs
    assert ("CA", "fr") in langs
    assert ("EG", "ar") in langs
    assert ("CN", "zh") in langs
    assert len(rnd.issued.forms) == 2 * 11  # 10 Parties, Canada in two languages
    with Store(rnd.store) as store:
        assert len(store.forms(rnd.issued.round.id)) == 22
        assert {f.deadline for f in store.forms()} == {DEADLINE}


def test_ingest_outcomes(rnd: Round) -> None:
    results = {Path(f.path).name: f for f in rnd.ingest1.files}
    assert results["mx.xlsx"].result == "accepted"
    assert results["zz-mx-copy.xlsx"].result == "duplicate"
    assert results["zz-mx-copy.xlsx"].return_id == results["mx.xlsx"].return_id
    assert results["notes.txt"].result == "rejected"
    assert "not a form" in (results["notes.txt"].reason or "")
    assert results["broken.xlsx"].result == "rejected"
    for name in ("fr.docx", "cn.docx", "ru.xlsx", "eg.docx", "tr.xlsx", "us.docx"):
        assert results[name].result == "accepted", (name, results[name])
        assert results[name].errors == 0
    later = {Path(f.path).name: f for f in rnd.ingest2.files}
    first_ca = results["ca-first.xlsx"].return_id
    assert later["ca-corrected.xlsx"].superseded == (first_ca,)
    assert later["jp-merged.json"].result == "accepted_with_problems"  # the conflict
    with Store(rnd.store) as store:
        rows = {r.filename: r for r in store.returns()}
        assert rows["ca-first.xlsx"].status == "superseded"
        assert rows["notes.txt"].status == "rejected"
        # Originals are kept byte for byte, rejected ones too.
        assert store.blob(rows["notes.txt"].sha256) == b"Our reply follows by post."
        kept = store.blob(rows["fr.docx"].sha256)
        assert kept == (rnd.tmp / "returns" / "fr.docx").read_bytes()
        assert sorted(r.country or "" for r in store.current_returns()) == sorted(RETURNED)


def test_ingest_again_is_all_duplicates(rnd: Round) -> None:
    with Store(rnd.store) as store:
        before = len(store.returns())
        again = ingest_paths(store, [rnd.tmp / "returns"])
        assert {f.result for f in again.files} == {"duplicate"}
        assert len(store.returns()) == before


def test_parsed_answers_are_the_fills(rnd: Round) -> None:
    with Store(rnd.store) as store:
        current = {r.country: r for r in store.current_returns()}
    for key in ("MX", "FR", "CA", "CN", "RU", "EG", "TR", "US"):
        got = current[key].parse()["answers"]
        assert got == rnd.answers[key], key


def test_merge_lists_conflicts_with_sources(rnd: Round) -> None:
    conflicts = rnd.merged["merge"]["conflicts"]
    assert [c["item"] for c in conflicts] == ["respondent_title"]
    values = {v["source"]: v["value"] for v in conflicts[0]["values"]}
    assert values == {
        "jp-justice.xlsx": "Deputy Director",
        "jp-police.docx": "Director, Ministry of Justice",
    }
    assert rnd.merged["answers"]["respondent_title"] is None
    expected = dict(rnd.answers["JP"], respondent_title=None)
    assert rnd.merged["answers"] == expected


def test_status(rnd: Round) -> None:
    st = rnd.status
    by = {p.code: p for p in st.parties}
    assert [c for c in CODES if by[c].returned] == RETURNED
    assert by["SN"].missing
    assert by["SN"].overdue
    assert by["SN"].deadline == DEADLINE
    assert not by["MX"].overdue
    assert by["CA"].returns == 2
    assert by["CA"].forms_issued == 4
    assert by["JP"].errors == 1  # the merge conflict stays open
    groups = {g.group: g for g in st.groups}
    assert (groups["african"].parties, groups["african"].returned) == (2, 1)
    assert groups["african"].overdue == 1
    assert groups["asia_pacific"].returned == 2  # CN and JP
    assert groups["weog"].returned == 4  # FR, CA, TR and US
    assert None not in groups  # every Party here has its group
    assert sum(g.parties for g in st.groups) == st.total.parties
    assert (st.total.parties, st.total.returned, st.total.missing) == (10, 9, 1)


def test_reminders_in_the_partys_language(rnd: Round) -> None:
    contacts = load_contacts(
        b"country,name,email,language\nSEN,Awa Diop,awa@example.org,\nMX,Ana,ana@example.org,es\n"
    )
    result = write_reminders(rnd.status, contacts, rnd.tmp / "reminders", questionnaire=rnd.q)
    assert [p.name for p in result.written] == ["SN-1-fr.eml"]
    msg = email.message_from_bytes(result.written[0].read_bytes())
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode("utf-8")
    assert msg["To"] == "Awa Diop <awa@example.org>"
    assert Localizer("fr").date(DEADLINE) in body


def _mean(values: list[float | None]) -> tuple[float | None, int]:
    found = [v for v in values if v is not None]
    return (sum(found) / len(found) if found else None, len(found))


def test_report_figures_equal_hand_computed(rnd: Round) -> None:
    r = rnd.report
    q = rnd.q
    current = set(RETURNED)
    members: dict[str, list[str]] = {}
    for c in CODES:
        for g in GROUPS[c]:
            members.setdefault(g, []).append(c)
    members[TOTAL] = CODES

    # Response rate.
    rates = {row.group: (row.in_round, row.returned, row.rate) for row in r.response}
    assert rates[TOTAL] == (10, 9, 0.9)
    assert rates["african"] == (2, 1, 0.5)
    assert rates["asia_pacific"] == (2, 2, 1.0)
    assert rates["weog"] == (4, 4, 1.0)
    assert "none" not in rates

    # Implementation: a Party's section figure is its one status score there.
    for sid in SECTIONS:
        for g, codes in members.items():
            hand = _mean([SCORES[FILLS[c][0][sid]] for c in codes if c in current])
            got = r.implementation[sid][g]
            assert (got.value, got.n) == pytest.approx(hand), (sid, g)
    # Overall is over recommendations: sections weigh by their scored recommendations
    # whose status applies (II(u)'s does not where a focal point exists).

    def overall(key: str) -> float | None:
        answers = rnd.answers[key]
        n_rated = {
            s.id: sum(
                1
                for e in s.recommendations
                if e.scored
                and any(answers[i.id] is not None for i in e.items if i.role == "status")
            )
            for s in q.sections
        }
        scored = [(n_rated[s], SCORES[FILLS[key][0][s]]) for s in SECTIONS]
        pairs = [(n, v) for n, v in scored if v is not None]
        return sum(n * v for n, v in pairs) / sum(n for n, _ in pairs)

    hand_total = _mean([overall(c) for c in RETURNED])
    assert r.implementation[TOTAL][TOTAL].value == pytest.approx(hand_total[0])
    assert r.implementation[TOTAL][TOTAL].n == 9
    # Canada's corrected reply counts, its first one does not: environment is
    # "not applicable", so WEOG's environment mean is over FR, TR and US only.
    assert r.implementation["environment"]["weog"].n == 3
    assert r.implementation["environment"]["weog"].value == pytest.approx((0.75 + 0.75 + 1) / 3)

    # Assistance demand, weighted high 3, medium 2, low 1, not given 1.
    by_group = r.ta_by_kind_group
    assert by_group["training"] == {
        "african": 1,  # EG, no priority
        "asia_pacific": 1,  # JP low
        "eastern_european": 0,
        "latin_american_caribbean": 3,  # MX high
        "weog": 1 + 2,  # FR low, CA medium
        TOTAL: 8,
    }
    assert by_group["legal_advice"][TOTAL] == 3
    assert by_group["equipment"] == dict(
        dict.fromkeys(by_group["equipment"], 0), asia_pacific=2, total=2
    )  # CN; Canada's superseded request is not counted
    assert (by_group["data"]["weog"], by_group["data"]["asia_pacific"]) == (3, 0)  # TR: WEOG
    assert by_group["data"][TOTAL] == 3
    assert by_group["cooperation"][TOTAL] == 1
    assert r.ta_by_kind_section["training"] == {
        "review": 1,
        "data": 0,
        "environment": 0,
        "fraud": 3 + 2 + 1 + 1,
        TOTAL: 8,
    }
    assert [(m.recommendation, m.parties, m.weighted) for m in r.most_requested] == [
        ("wg15_j", 3, 6 + 2 + 1),
        ("wg14_h", 1, 3),
        ("wg15_a", 1, 2),
        ("wg15_k", 1, 2),
        ("wg14_c", 1, 1),
    ]
    # No flag: 'yes' to every factual question, measures cited, no drafting asked with
    # 'fully implemented', nothing required left empty.
    assert all(count == 0 for _c, _n, count, _p in r.flags)

    # The confidential annex: alphabetical, statuses as labels.
    assert r.detail is not None
    names = [name for _c, name, _s in r.detail]
    assert names == sorted(names, key=str.casefold)
    ca = next(s for c, _n, s in r.detail if c == "CA")
    assert ca["wg14_h"] == "Fully implemented"
    assert ca["wg15_a"] == "Not applicable"


def test_prefill_carries_current_answers(rnd: Round) -> None:
    with Store(rnd.store) as store:
        result = issue_round(
            store,
            rnd.q,
            load_parties().select(["MX"]),
            rnd.tmp / "round2",
            formats=["xlsx"],
            deadline=dt.date(2026, 3, 31),
            issued=ISSUED,
            prefill=True,
        )
    assert result.prefilled == ["MX"]
    (form,) = result.forms
    parsed = parse_form(form.path)
    assert parsed.answers == rnd.answers["MX"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_report_files(rnd: Round, lang: str) -> None:
    with Store(rnd.store) as store:
        report = aggregate(
            store,
            load_parties().select(CODES),
            as_of=AS_OF,
            lang=lang,
            country_detail=True,
            round_id=rnd.issued.round.id,
        )
    xlsx = rnd.tmp / f"report-{lang}.xlsx"
    write_report_xlsx(report, xlsx)
    wb = load_workbook(xlsx)
    sheets = wb.sheetnames
    assert len(sheets) == 7
    response = wb[sheets[0]]
    rows = {response.cell(row=i, column=1).value: i for i in range(5, response.max_row + 1)}
    total_row = rows[report.group_names[TOTAL]]
    assert response.cell(row=total_row, column=5).value == pytest.approx(0.9)
    assert response._charts
    assert wb[sheets[1]]._charts
    assert wb[sheets[1]].conditional_formatting
    assert wb[sheets[0]].sheet_view.rightToLeft is (lang == "ar")
    docx = rnd.tmp / f"report-{lang}.docx"
    write_report_docx(report, docx)
    doc = Document(str(docx))
    assert len(doc.inline_shapes) == 3
    table_text = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert Localizer(lang).percent(0.9) in table_text
