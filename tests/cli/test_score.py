"""`selfassess score`: JSON and forms in, a score or a report out, clean exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.problems import Problem
from selfassess.scoring import response_with, score
from tests.forms.xlsx_fill import apply, generate
from tests.reports.test_country import ANSWERS, EXPECTED_OVERALL, typed_answers

runner = CliRunner()


@pytest.fixture
def reply(tmp_path: Path) -> Path:
    """The JSON that `selfassess parse --json` prints, for a reply in French."""
    q = load_questionnaire()
    result = response_with(q, ANSWERS)
    result = result.model_copy(
        update={"form": result.form.model_copy(update={"language": "fr", "country": "SN"})}
    )
    path = tmp_path / "reply.json"
    path.write_text(json.dumps(result.to_json()), encoding="utf-8")
    return path


def test_json_out_is_the_score(reply: Path) -> None:
    done = runner.invoke(app, ["score", str(reply), "--json"])
    assert done.exit_code == EXIT_OK, done.output
    data = json.loads(done.stdout)
    q = load_questionnaire()
    assert data == score(response_with(q, ANSWERS), q).to_json()
    assert data["overall"] == pytest.approx(EXPECTED_OVERALL)
    assert set(data) == {"overall", "sections", "recommendations", "ta_needs", "flags"}


def test_table_without_options(reply: Path) -> None:
    done = runner.invoke(app, ["score", str(reply)])
    assert done.exit_code == EXIT_OK, done.output
    assert "overall implementation 58" in done.stdout
    assert "I(c) wg14_c" in done.stdout
    assert "fully_but_no wg15_k_legal_persons_liable" in done.stdout


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "md"])
def test_report_defaults_to_the_reply_language(reply: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "reports" / f"senegal.{fmt}"
    done = runner.invoke(app, ["score", str(reply), "--out", str(out)])
    assert done.exit_code == EXIT_OK, done.output
    assert out.exists()
    assert str(out) in done.stdout
    if fmt == "md":
        assert "Sénégal" in out.read_text(encoding="utf-8")
    elif fmt == "docx":
        assert any("Sénégal" in p.text for p in docx.Document(str(out)).paragraphs)
    else:
        assert load_workbook(out).worksheets[0].sheet_view.rightToLeft is not True


def test_lang_option(reply: Path, tmp_path: Path) -> None:
    out = tmp_path / "senegal.xlsx"
    done = runner.invoke(app, ["score", str(reply), "--out", str(out), "--lang", "ar"])
    assert done.exit_code == EXIT_OK, done.output
    assert load_workbook(out).worksheets[0].sheet_view.rightToLeft is True


def test_real_form(tmp_path: Path) -> None:
    q = load_questionnaire()
    form = tmp_path / "mexico.xlsx"
    form.write_bytes(apply(generate("es", "MX"), typed_answers(q, "es")))
    done = runner.invoke(app, ["score", str(form), "--json"])
    assert done.exit_code == EXIT_OK, done.output
    assert json.loads(done.stdout)["overall"] == pytest.approx(EXPECTED_OVERALL)


def test_reply_with_errors_exits_1(tmp_path: Path) -> None:
    q = load_questionnaire()
    result = response_with(q, ANSWERS)
    bad = Problem(
        severity="error", code="not_a_choice", item="wg14_c_status", location="x!A1", message="bad"
    )
    path = tmp_path / "reply.json"
    path.write_text(json.dumps(result.model_copy(update={"problems": [bad]}).to_json()))
    done = runner.invoke(app, ["score", str(path), "--json"])
    assert done.exit_code == EXIT_PROBLEMS
    assert json.loads(done.stdout)["overall"] == pytest.approx(EXPECTED_OVERALL)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a response JSON (of 'selfassess parse --json'"),
        ('{"form": 1}', "form: Input should be"),
        ("[]", "not a response JSON (of 'selfassess parse --json'"),
    ],
)
def test_bad_json_is_rejected_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "reply.json"
    path.write_text(content, encoding="utf-8")
    done = runner.invoke(app, ["score", str(path)])
    assert done.exit_code == EXIT_REJECTED
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.output


def test_answers_that_do_not_fit_are_rejected(reply: Path) -> None:
    data = json.loads(reply.read_text())
    data["answers"]["wg14_c_status"] = "mostly"
    reply.write_text(json.dumps(data))
    done = runner.invoke(app, ["score", str(reply)])
    assert done.exit_code == EXIT_REJECTED
    assert "I(c).1" in done.stderr


def test_unknown_questionnaire_version_is_rejected(reply: Path) -> None:
    data = json.loads(reply.read_text())
    data["form"]["version"] = "9.9"
    reply.write_text(json.dumps(data))
    done = runner.invoke(app, ["score", str(reply)])
    assert done.exit_code == EXIT_REJECTED
    assert "9.9" in done.stderr


def test_unknown_report_format_is_refused_before_any_work(reply: Path, tmp_path: Path) -> None:
    done = runner.invoke(app, ["score", str(reply), "--out", str(tmp_path / "r.pdf")])
    assert done.exit_code == EXIT_REJECTED
    assert ".docx, .xlsx, .md" in done.stderr


def test_not_a_form(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    done = runner.invoke(app, ["score", str(path)])
    assert done.exit_code == EXIT_REJECTED
    assert "not a Word (.docx) or Excel (.xlsx) file" in done.stderr


def test_empty_key_file(reply: Path, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("")
    done = runner.invoke(app, ["score", str(reply), "--key-file", str(key)])
    assert done.exit_code == EXIT_REJECTED
    assert "empty" in done.stderr


def test_score_takes_the_output_of_merge(tmp_path: Path) -> None:
    """score, ingest and merge read a response JSON with one reader: merge's
    own output used to be refused ("merge: Extra inputs are not permitted")."""
    q = load_questionnaire()
    parts = {
        "justice.json": {k: v for k, v in ANSWERS.items() if k.startswith("wg14")},
        "interior.json": {k: v for k, v in ANSWERS.items() if not k.startswith("wg14")},
    }
    for name, answers in parts.items():
        (tmp_path / name).write_text(json.dumps(response_with(q, answers).to_json()))
    merged = tmp_path / "merged.json"
    done = runner.invoke(app, ["merge", *(str(tmp_path / n) for n in parts), "--out", str(merged)])
    assert done.exit_code == EXIT_OK, done.output
    assert "merge" in json.loads(merged.read_text())
    done = runner.invoke(app, ["score", str(merged), "--json"])
    assert done.exit_code == EXIT_OK, done.output
    assert json.loads(done.stdout) == score(response_with(q, ANSWERS), q).to_json()
    again = tmp_path / "again.json"
    done = runner.invoke(
        app, ["merge", str(merged), str(tmp_path / "justice.json"), "--out", str(again)]
    )
    assert done.exit_code == EXIT_OK, done.output


def test_a_response_json_whose_answers_do_not_fit_is_rejected_everywhere(tmp_path: Path) -> None:
    q = load_questionnaire()
    data = response_with(q, {}).to_json()
    data["answers"]["wg14_c_status"] = "maybe"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(response_with(q, {}).to_json()))
    for args in (
        ["score", str(bad)],
        ["merge", str(bad), str(good), "--out", str(tmp_path / "m.json")],
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == EXIT_REJECTED, done.output
        assert "wg14_c_status" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
