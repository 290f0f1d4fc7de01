"""Online collection: the XLSForm judged by pyxform and ODK Validate, and submissions read back.

Submissions are written as ODK Central and KoBoToolbox document their
exports (CSV with group paths, select-multiple as one column or one column per
option, OData JSON), then read and compared with what was filled in.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.constants import COUNTRY_SLOT, LANGUAGES
from selfassess.definitions.model import Item, Questionnaire, Section
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected, UsageError
from selfassess.forms import online
from selfassess.forms.online import is_online_export, read_submissions
from selfassess.forms.xlsform import language_column, write_xlsform, xlsform_rows
from selfassess.response.interpret import Answer
from selfassess.response.values import clean_text
from selfassess.secretariat.demo import random_answers
from selfassess.secretariat.parties import load_parties

pyxform = pytest.importorskip("pyxform", reason="pyxform (the XLSForm reference) is a test extra")
from pyxform.xls2xform import convert  # noqa: E402 (after the importorskip that guards it)


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire("ctoc_wgta", "1.0")


@pytest.fixture(scope="module")
def xlsform(q: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsform") / "ctoc_wgta.xlsx"
    write_xlsform(q, path, strict=True)
    return path


def test_pyxform_converts_it_with_no_warnings(xlsform: Path) -> None:
    warnings: list[str] = []
    result = convert(xlsform=str(xlsform), warnings=warnings)
    assert warnings == []
    for lang in LANGUAGES:
        assert f'<translation lang="{language_column(lang)}"' in result.xform
    assert 'default="true()"' in result.xform.split(f'lang="{language_column("en")}"')[1][:40]


@pytest.mark.skipif(
    shutil.which("java") is None, reason="ODK Validate needs Java (default-jre-headless)"
)
def test_odk_validate_accepts_it(xlsform: Path) -> None:
    warnings: list[str] = []
    convert(xlsform=str(xlsform), validate=True, warnings=warnings)
    assert warnings == []


def test_structure_follows_the_definition(q: Questionnaire) -> None:
    book = xlsform_rows(q)
    header = book.survey[0]
    rows = [dict(zip(header, r, strict=True)) for r in book.survey[1:]]
    by_name = {r["name"]: r for r in rows if r["name"]}
    assert book.settings[1][:2] == [q.id, q.version]
    # One group per section, every item once, typed as its answer type.
    assert [r["name"] for r in rows if r["type"] == "begin_group"] == [s.id for s in q.sections]
    kinds = {"choice": "select_one", "multichoice": "select_multiple", "number": "decimal"}
    for item in q.items():
        row = by_name[item.id]
        assert row["type"].split()[0] == kinds.get(item.type, item.type)
        assert row["required"] == ("yes" if item.required else "")
        if item.condition is None:
            assert row["relevant"] == ""
        else:
            assert f"${{{item.condition.item}}}" in row["relevant"]
        if item.type in ("number", "date"):
            assert row["constraint"]
            assert all(row[f"constraint_message::{language_column(lang)}"] for lang in LANGUAGES)
    assert by_name[COUNTRY_SLOT]["required"] == "yes"
    countries = [r[1] for r in book.choices if r[0] == "countries"]
    assert countries == load_parties().codes()


def test_a_form_where_one_name_serves_twice_is_refused() -> None:
    item = Item(id="s", ref="1", type="text", prompt="Why?")
    clash = Questionnaire(
        id="clash",
        version="1",
        title="T",
        catalogue="ctoc_wgta",
        published="2025-01-01",
        choice_lists=(),
        sections=(Section(id="s", title="S", items=(item,)),),
    )
    with pytest.raises(UsageError, match="'s' names two things"):
        xlsform_rows(clash, countries=["MX"])


# --- submissions ------------------------------------------------------------


def _fields(q: Questionnaire) -> list[tuple[str, str]]:
    """(group path, item id) of every question, in form order."""
    out = [(q.sections[0].id, COUNTRY_SLOT)]
    for section in q.sections:
        out.extend((section.id, item.id) for item in section.items)
        for entry in section.recommendations:
            out.extend((section.id, item.id) for item in entry.items)
    return out


def _cell(answer: Answer) -> str:
    if answer is None:
        return ""
    if isinstance(answer, list):
        return " ".join(answer)
    return str(answer)


def _central_csv(q: Questionnaire, filled: list[tuple[str, dict[str, Answer]]]) -> bytes:
    fields = _fields(q)
    header = ["SubmissionDate", "sa_questionnaire", "sa_version"]
    header += [f"{group}-{name}" for group, name in fields]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    header += ["ReviewState", "DeviceID", "Edits", "FormVersion"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        writer.writerow(
            ["2025-03-02T10:00:00.000Z", q.id, q.version]
            + [_cell(values.get(name)) for _, name in fields]
            + [f"uuid:{n}", f"uuid:{n}", "5", "Expert", "", "approved", "", "0", q.version]
        )
    return buf.getvalue().encode("utf-8")


def _kobo_csv(q: Questionnaire, filled: list[tuple[str, dict[str, Answer]]], split: bool) -> bytes:
    """KoBoToolbox's default CSV: ';' separated, '/' group paths, options both ways."""
    header = ["start", "end", "sa_questionnaire", "sa_version"]
    columns: list[tuple[str, str | None]] = []
    for group, name in _fields(q):
        header.append(f"{group}/{name}")
        columns.append((name, None))
        item = q.item(name) if name != COUNTRY_SLOT else None
        if split and item is not None and item.type == "multichoice":
            for ch in q.choices_of(item):
                header.append(f"{group}/{name}/{ch.code}")
                columns.append((name, ch.code))
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "__version__", "_index"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(header)
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        row = ["", "", q.id, q.version]
        for name, option in columns:
            answer = values.get(name)
            if option is None:
                row.append(_cell(answer))
            else:
                row.append("1" if isinstance(answer, list) and option in answer else "0")
        row += [str(n), f"k{n}", "2025-03-02T10:00:00", "", "vabc", str(n)]
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def _odata(q: Questionnaire, filled: list[tuple[str, dict[str, Answer]]]) -> bytes:
    entries: list[dict[str, Any]] = []
    for n, (country, answers) in enumerate(filled, start=1):
        entry: dict[str, Any] = {
            "__id": f"uuid:{n}",
            "__system": {"submissionDate": "2025-03-02T10:00:00.000Z", "reviewState": None},
            "sa_questionnaire": q.id,
            "sa_version": q.version,
            "meta": {"instanceID": f"uuid:{n}"},
        }
        values = {**answers, COUNTRY_SLOT: country}
        for group, name in _fields(q):
            answer = values.get(name)
            shown: Any = " ".join(answer) if isinstance(answer, list) else answer
            entry.setdefault(group, {})[name] = shown
        entries.append(entry)
    doc = {
        "@odata.context": "https://central.example/v1/x.svc/$metadata#Submissions",
        "value": entries,
    }
    return json.dumps(doc).encode()


def _filled(q: Questionnaire, seed: int, count: int = 3) -> list[tuple[str, dict[str, Answer]]]:
    rng = random.Random(seed)
    codes = load_parties().codes()
    return [(rng.choice(codes), random_answers(q, rng)) for _ in range(count)]


def _central_zip(csv_bytes: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ctoc_wgta.csv", csv_bytes)
        zf.writestr("ctoc_wgta-repeat.csv", b"KEY\n")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "channel"),
    [
        ("export.csv", _central_csv, "odk_central"),
        ("export.zip", lambda q, f: _central_zip(_central_csv(q, f)), "odk_central"),
        ("export.csv", lambda q, f: _kobo_csv(q, f, split=False), "kobotoolbox"),
        ("export.csv", lambda q, f: _kobo_csv(q, f, split=True), "kobotoolbox"),
        ("submissions.json", _odata, "odk_central"),
    ],
    ids=["central-csv", "central-zip", "kobo-csv", "kobo-csv-split", "central-odata"],
)
def test_submissions_read_back_exactly(
    q: Questionnaire, name: str, make: Any, channel: str
) -> None:
    filled = _filled(q, seed=len(name))
    data = make(q, filled)
    assert is_online_export(data, name)
    subs = read_submissions(data, name)
    assert len(subs) == len(filled)
    for sub, (country, answers) in zip(subs, filled, strict=True):
        assert sub.result.form.format == channel
        assert sub.result.form.country == country
        assert sub.result.errors == []
        assert sub.result.answers == answers
        assert sub.instance_id


def test_every_answer_type_is_covered(q: Questionnaire) -> None:
    types = {q.item(k).type for _, a in _filled(q, 1) for k, v in a.items() if v is not None}
    assert types == {"choice", "multichoice", "text", "number", "date"}


def test_bad_values_are_located_errors_and_unknown_columns_warnings(q: Questionnaire) -> None:
    filled = _filled(q, seed=7, count=1)
    text = _central_csv(q, filled).decode()
    header, row = text.splitlines()
    multi = next(i for i in q.items() if i.type == "multichoice")
    choice = next(i for i in q.items() if i.type == "choice")
    cols = header.split(",")
    values = next(csv.reader([row]))
    values[cols.index(next(c for c in cols if c.endswith(f"-{multi.id}")))] = "training bogus"
    values[cols.index(next(c for c in cols if c.endswith(f"-{choice.id}")))] = "perhaps"
    cols.append("s_cover-favourite_colour")
    values.append("blue")
    buf = io.StringIO()
    csv.writer(buf).writerows([cols, values])
    (sub,) = read_submissions(buf.getvalue().encode(), "x.csv")
    errors = {p.location: p.message for p in sub.result.errors}
    assert any(f"-{multi.id}" in loc and "'bogus'" in msg for loc, msg in errors.items())
    assert any(f"-{choice.id}" in loc and "'perhaps'" in msg for loc, msg in errors.items())
    assert all(loc.startswith("submission 1 (uuid:1), ") for loc in errors)
    assert any("favourite_colour" in (p.location or "") for p in sub.result.warnings)


def test_a_country_that_is_not_a_party_is_an_error(q: Questionnaire) -> None:
    (sub,) = read_submissions(_central_csv(q, [("TW", {})]), "x.csv")
    assert sub.result.form.country is None
    assert any(COUNTRY_SLOT in (p.location or "") for p in sub.result.errors)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "x.csv"),
        (b"a,b\n1,2\n", "x.csv"),
        (b"\xff\xfe", "x.csv"),
        (b"PK\x03\x04 not a zip", "x.zip"),
        (b'{"value": 3, "@odata.context": ""}', "x.json"),
    ],
    ids=["empty", "no-definition", "not-utf8", "broken-zip", "not-odata"],
)
def test_what_is_not_an_export_is_rejected(data: bytes, name: str) -> None:
    with pytest.raises(Rejected):
        read_submissions(data, name)


def test_an_export_of_too_many_submissions_is_rejected(
    q: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(online, "MAX_SUBMISSIONS", 2)
    with pytest.raises(Rejected, match="more than 2 submissions"):
        read_submissions(_central_csv(q, _filled(q, seed=3, count=3)), "x.csv")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(",;\"'\n\u200f=<>"),
        min_size=1,
        max_size=80,
    )
)
def test_free_text_survives_the_csv(q: Questionnaire, text: str) -> None:
    item = next(i for i in q.items() if i.type == "text" and i.condition is None)
    expected = clean_text(text) or None
    for make, name in ((_central_csv, "c.csv"), (lambda q, f: _kobo_csv(q, f, False), "k.csv")):
        (sub,) = read_submissions(make(q, [("MX", {item.id: text})]), name)
        assert sub.result.answers[item.id] == expected


def test_the_cli_exports_it(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["questionnaire", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    bad = CliRunner().invoke(app, ["questionnaire", "export", "--format", "pdf"])
    assert bad.exit_code == 2
