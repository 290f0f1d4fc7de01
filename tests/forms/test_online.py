"""Online collection: the XLSForm judged by pyxform and ODK Validate, and submissions read back.

Submissions are written as ODK Central and KoBoToolbox document their
exports (CSV with group paths, select-multiple as one column or one column per
option, OData JSON), then read and compared with what was filled in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.constants import COUNTRY_SLOT, LANGUAGES
from selfassess.definitions.model import Item, Questionnaire, Section
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected, UsageError
from selfassess.forms import online
from selfassess.forms.online import read_submissions
from selfassess.forms.parse import read_return
from selfassess.forms.xlsform import language_column, write_xlsform, xlsform_rows
from selfassess.response.interpret import check_prefill
from selfassess.response.values import clean_text
from selfassess.secretariat.round import carry_over
from tests.forms.online_exports import (
    KOBO_META,
    SHAPES,
    central_csv,
    fields_of,
    filled,
    kobo_csv,
    kobo_xlsx,
)
from tests.forms.xlsx_fill import generate
from tests.support.ci import unavailable


@pytest.fixture(scope="module")
def convert() -> Any:
    """pyxform's converter, the XLSForm reference (a test extra)."""
    try:
        from pyxform.xls2xform import convert  # noqa: PLC0415 (only these tests need it)
    except ImportError:
        unavailable("pyxform (the XLSForm reference) is not installed: pip install -e '.[test]'")
    return convert


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire("ctoc_wgta", "1.0")


@pytest.fixture(scope="module")
def xlsform(q: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsform") / "ctoc_wgta.xlsx"
    write_xlsform(q, path, strict=True)
    return path


def test_pyxform_converts_it_with_no_warnings(xlsform: Path, convert: Any) -> None:
    warnings: list[str] = []
    result = convert(xlsform=str(xlsform), warnings=warnings)
    assert warnings == []
    for lang in LANGUAGES:
        assert f'<translation lang="{language_column(lang)}"' in result.xform
    assert 'default="true()"' in result.xform.split(f'lang="{language_column("en")}"')[1][:40]


def test_odk_validate_accepts_it_in_six_languages(xlsform: Path, convert: Any) -> None:
    if shutil.which("java") is None:
        unavailable("ODK Validate needs Java (default-jre-headless)")
    warnings: list[str] = []
    # pyxform raises ODKValidateError when Validate rejects the XForm.
    result = convert(xlsform=str(xlsform), validate=True, warnings=warnings)
    assert warnings == []
    for lang in LANGUAGES:
        assert f'<translation lang="{language_column(lang)}"' in result.xform


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


@pytest.mark.parametrize("shape", SHAPES)
def test_submissions_read_back_exactly(q: Questionnaire, shape: str) -> None:
    name, make, channel = SHAPES[shape]
    given = filled(q, seed=len(shape))
    data = make(q, given)
    # What parse and ingest do with the file: an export, by its name or its content.
    subs = read_return(data, name)
    assert isinstance(subs, list)
    assert len(subs) == len(given)
    for sub, (country, answers) in zip(subs, given, strict=True):
        assert sub.result.form.format == channel
        assert sub.result.form.country == country
        assert sub.result.errors == []
        assert sub.result.answers == answers
        assert sub.instance_id


def test_every_answer_type_is_covered(q: Questionnaire) -> None:
    # The exports are filled in from the web form's questions: every item, and the country.
    assert {name for _, name in fields_of(q)} == {i.id for i in q.items()} | {COUNTRY_SLOT}
    types = {q.item(k).type for _, a in filled(q, 1) for k, v in a.items() if v is not None}
    assert types == {"choice", "multichoice", "text", "number", "date"}


def test_bad_values_are_located_errors_and_unknown_columns_warnings(q: Questionnaire) -> None:
    given = filled(q, seed=7, count=1)
    text = central_csv(q, given).decode()
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
    errors = {p.location or "": p.message for p in sub.result.errors}
    assert any(f"-{multi.id}" in loc and "'bogus'" in msg for loc, msg in errors.items())
    assert any(f"-{choice.id}" in loc and "'perhaps'" in msg for loc, msg in errors.items())
    assert all(loc.startswith("submission 1 (uuid:1), ") for loc in errors)
    assert any("favourite_colour" in (p.location or "") for p in sub.result.warnings)


def test_a_country_that_is_not_a_party_is_an_error(q: Questionnaire) -> None:
    (sub,) = read_submissions(central_csv(q, [("TW", {})]), "x.csv")
    assert sub.result.form.country is None
    assert any(COUNTRY_SLOT in (p.location or "") for p in sub.result.errors)


@pytest.mark.parametrize("given", ["mx", " MX ", "Mexique", "México"])
def test_a_country_is_read_by_the_forms_rule(q: Questionnaire, given: str) -> None:
    """A code in any case or a Party's name is filed under its code, as on a form."""
    (sub,) = read_submissions(central_csv(q, [(given, {})]), "x.csv")
    assert sub.result.form.country == "MX"
    assert not any(COUNTRY_SLOT in (p.location or "") for p in sub.result.errors)


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
        read_submissions(central_csv(q, filled(q, seed=3, count=3)), "x.csv")


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
def test_free_text_survives_the_export(q: Questionnaire, text: str) -> None:
    item = next(i for i in q.items() if i.type == "text" and i.condition is None)
    expected = clean_text(text) or None
    for make, name in (
        (central_csv, "c.csv"),
        (lambda q, f: kobo_csv(q, f, False), "k.csv"),
        (kobo_xlsx, "k.xlsx"),
    ):
        (sub,) = read_submissions(make(q, [("MX", {item.id: text})]), name)
        assert sub.result.answers[item.id] == expected


def test_the_cli_exports_it(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(app, ["questionnaire", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    bad = CliRunner().invoke(app, ["questionnaire", "export", "--format", "pdf"])
    assert bad.exit_code == 2


def test_parse_reads_every_submission_of_an_export(q: Questionnaire, tmp_path: Path) -> None:
    given = filled(q, seed=21)
    export = tmp_path / "central.csv"
    export.write_bytes(central_csv(q, given))
    result = CliRunner().invoke(app, ["parse", str(export), "--json"])
    assert result.exit_code == 0, result.output
    responses = json.loads(result.stdout)
    assert [r["form"]["country"] for r in responses] == [c for c, _ in given]
    assert [r["answers"] for r in responses] == [a for _, a in given]
    assert {r["form"]["submission"]["instance_id"] for r in responses} == {
        "uuid:1",
        "uuid:2",
        "uuid:3",
    }
    shown = CliRunner().invoke(app, ["parse", str(export)])
    assert f"{export}#uuid:2" in shown.stdout
    (tmp_path / "broken.csv").write_bytes(b"a,b\n1,2\n")
    bad = CliRunner().invoke(app, ["parse", str(tmp_path / "broken.csv")])
    assert bad.exit_code == 2
    assert len(bad.stderr.strip().splitlines()) == 1


def _one_of_each(q: Questionnaire) -> dict[str, Any]:
    """An answer of every type, with what a spreadsheet could bend: decimals, a
    formula-like and a multi-line text, one option of a select-multiple."""
    first = {
        kind: next(i for i in q.items() if i.type == kind and i.condition is None)
        for kind in ("choice", "multichoice", "text", "number", "date")
    }
    return {
        first["choice"].id: q.choices_of(first["choice"])[1].code,
        first["multichoice"].id: [q.choices_of(first["multichoice"])[-1].code],
        first["text"].id: "=1+1 \u0627\u0644\u0639\u062f\u0644\nsecond line",
        first["number"].id: 1234.5,
        first["date"].id: "2024-12-31",
    }


@pytest.mark.parametrize("typed", [False, True], ids=["as-text", "typed"])
def test_kobo_xlsx_keeps_decimals_dates_and_odd_text(q: Questionnaire, typed: bool) -> None:
    answers = _one_of_each(q)
    (sub,) = read_submissions(kobo_xlsx(q, [("FR", answers)], typed=typed), "kobo.xlsx")
    assert sub.result.errors == []
    assert {k: sub.result.answers[k] for k in answers} == answers
    assert sub.result.form.format == "kobotoolbox"
    assert sub.instance_id == "k1"
    assert sub.result.form.submission is not None
    assert sub.result.form.submission.review_state == "validation_status_approved"


def test_an_xlsx_is_a_form_or_a_kobo_export_by_its_content(q: Questionnaire) -> None:
    form = read_return(generate("fr", "MX"), "reply.xlsx")
    assert not isinstance(form, list)
    assert form.form.format == "xlsx"
    assert form.form.country == "MX"
    export = read_return(kobo_xlsx(q, filled(q, seed=4, count=2)), "reply.xlsx")
    assert isinstance(export, list)
    assert len(export) == 2
    # The XLSForm itself is a workbook, but neither.
    buf = io.BytesIO()
    write_xlsform(q, buf)
    with pytest.raises(Rejected, match="neither a selfassess form"):
        read_return(buf.getvalue(), "ctoc_wgta.xlsx")


def test_a_kobo_xlsx_with_labels_as_headers_is_rejected_with_what_to_do(
    q: Questionnaire,
) -> None:
    def label(column: str) -> str:
        if column.startswith("_") or column in ("start", "end", "sa_questionnaire", "sa_version"):
            return column
        return "Label: " + column.rsplit("/", 1)[-1].replace("_", " ").title()

    data = kobo_xlsx(q, filled(q, seed=5, count=1), headers=label)
    with pytest.raises(Rejected, match="XML values and headers"):
        read_return(data, "kobo.xlsx")


def _workbook(cells: list[tuple[int, int, Any]]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet()
    for row, col, value in cells:
        sheet.write(row, col, value)
    book.close()
    return buf.getvalue()


def test_a_hostile_kobo_xlsx_is_bounded_and_its_problems_located(q: Questionnaire) -> None:
    """A cell at the grid's far corner is refused by the package check (the area a
    sheet may use); a formula is text, and a country that is one is an error."""
    header = ["sa_questionnaire", "sa_version", "s_cover/form_country", *KOBO_META]
    cells: list[tuple[int, int, Any]] = [(0, col, name) for col, name in enumerate(header)]
    cells += [(1, 0, q.id), (1, 1, q.version), (1, 2, '=HYPERLINK("http://x","MX")')]
    cells += [(1, 4, "k1"), (3, 30, "stray"), (3, 0, q.id), (3, 1, q.version)]
    subs = read_return(_workbook(cells), "kobo.xlsx")
    assert isinstance(subs, list)
    assert [s.result.form.country for s in subs] == [None, None]
    assert all(any(COUNTRY_SLOT in (p.location or "") for p in s.result.errors) for s in subs)
    far = [*cells, (1_048_575, 16_383, "2025-01-01")]
    with pytest.raises(Rejected, match="1048576 rows by 16384 columns"):
        read_return(_workbook(far), "kobo.xlsx")


@pytest.mark.parametrize(
    "cells",
    [
        [(1, 0, "_uuid"), (1, 1, "_submission_time"), (2, 0, "k1")],
        [(0, 0, "uuid"), (1, 0, "k1")],
        [],
    ],
    ids=["header-on-row-2", "no-marker", "empty"],
)
def test_a_workbook_that_is_neither_is_rejected_in_one_line(
    cells: list[tuple[int, int, Any]],
) -> None:
    with pytest.raises(Rejected, match="neither a selfassess form") as caught:
        read_return(_workbook(cells), "book.xlsx")
    assert "\n" not in str(caught.value)


def test_parse_reads_a_kobo_xlsx_and_refuses_a_workbook_that_is_neither(
    q: Questionnaire, tmp_path: Path
) -> None:
    given = filled(q, seed=22, count=2)
    export = tmp_path / "kobo.xlsx"
    export.write_bytes(kobo_xlsx(q, given, typed=True))
    result = CliRunner().invoke(app, ["parse", str(export), "--json"])
    assert result.exit_code == 0, result.output
    responses = json.loads(result.stdout)
    assert [r["form"]["format"] for r in responses] == ["kobotoolbox"] * 2
    assert [r["answers"] for r in responses] == [a for _, a in given]
    other = tmp_path / "book.xlsx"
    other.write_bytes(_workbook([(0, 0, "name"), (1, 0, "x")]))
    bad = CliRunner().invoke(app, ["parse", str(other)])
    assert bad.exit_code == 2
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "neither a selfassess form" in bad.stderr


_CELL = (
    st.text(st.characters(codec="utf-8"), max_size=40)
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 12), _CELL), max_size=40))
def test_any_cells_under_a_kobo_header_are_read_or_rejected_in_one_line(
    cells: list[tuple[int, int, Any]],
) -> None:
    q = load_questionnaire("ctoc_wgta", "1.0")
    header = ["sa_questionnaire", "sa_version", "s_cover/form_country", "s_cover/reply_date"]
    grid = [(0, col, name) for col, name in enumerate([*header, *KOBO_META])]
    grid += [(1, 0, q.id), (1, 1, q.version), *cells]
    try:
        subs = read_return(_workbook(grid), "kobo.xlsx")
    except Rejected as exc:
        reason = str(exc)
    else:
        assert isinstance(subs, list)
        for sub in subs:
            assert set(sub.result.answers) == {i.id for i in q.items()}
        return
    assert "\n" not in reason


def test_a_character_no_form_can_carry_is_replaced_and_the_answer_fits_a_form(
    q: Questionnaire,
) -> None:
    """An export can hold control characters a form cannot: read as U+FFFD, so the
    answer can be carried into the next round's form (carry_over, check_prefill)."""
    (sub,) = read_submissions(central_csv(q, [("MX", {"respondent_name": "a\x01b"})]), "x.csv")
    answer = sub.result.answers["respondent_name"]
    assert answer == "a\ufffdb"
    assert check_prefill(q, {"respondent_name": answer}) == {"respondent_name": answer}
    # A response JSON may hold them: carried over, such an answer is dropped.
    kept, dropped = carry_over({"respondent_name": "a\x01b"}, q)
    assert kept == {}
    assert dropped == ["respondent_name"]
    with pytest.raises(UsageError, match="no form can carry"):
        check_prefill(q, {"respondent_name": "a\x01b"})


def test_a_submission_of_an_unknown_questionnaire_is_rejected_as_a_form_would_be() -> None:
    data = b"SubmissionDate,sa_questionnaire,sa_version,meta-instanceID\n2025-01-01,nosuch,1.0,u\n"
    with pytest.raises(Rejected, match=r"^submission 1: not a form of a known questionnaire"):
        read_submissions(data, "x.csv")


def test_a_submission_dated_in_the_future_is_dated_no_later_than_its_reading(
    q: Questionnaire,
) -> None:
    """The store makes the latest issued return current: a forged date must not
    outrank every form issued after the export was read."""
    data = central_csv(q, [("MX", {})]).replace(
        b"2025-03-02T10:00:00.000Z", b"9999-12-31T00:00:00Z"
    )
    (sub,) = read_submissions(data, "x.csv")
    assert sub.result.form.issued == dt.datetime.now(dt.UTC).date()
    (real,) = read_submissions(central_csv(q, [("MX", {})]), "x.csv")
    assert real.result.form.issued == dt.date(2025, 3, 2)
