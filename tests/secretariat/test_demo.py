"""`selfassess demo`: the whole cycle in one call, on a small sample; and `selfassess fill`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfassess.constants import Format
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected, UsageError
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.secretariat.demo import fill_form, run_demo


def test_demo_round_writes_the_reports(tmp_path: Path) -> None:
    result = run_demo(tmp_path, per_group=1)
    counts = result.ingest.counts()
    assert counts["duplicate"] == 1
    assert counts["rejected"] == 1
    assert counts["accepted"] >= 2
    names = {p.name for p in result.reports}
    assert {"aggregate-en.xlsx", "aggregate-en.docx", "aggregate-fr.json", "status.json"} <= names
    figures = json.loads((tmp_path / "reports" / "aggregate-en.json").read_text())
    total = figures["response_rate"][-1]
    assert total["group"] == "total"
    assert total["returned"] == counts["accepted"] + counts["accepted_with_problems"] - 1
    assert figures["country_detail"]["confidential"] is True


def _issued_form(tmp_path: Path, fmt: Format) -> Path:
    written = generate_forms(load_questionnaire(), ["fr"], ["SN"], [fmt], tmp_path)
    return written.forms[0].path


def test_fill_answers_an_excel_form_as_the_demo_respondents_do(tmp_path: Path) -> None:
    form = _issued_form(tmp_path, "xlsx")
    filled = fill_form(form.read_bytes(), seed=7)
    result = parse_form(filled)
    assert (result.form.country, result.form.language) == ("SN", "fr")
    assert result.errors == []
    assert sum(a is not None for a in result.answers.values()) > 100
    assert fill_form(form.read_bytes(), seed=7) != fill_form(form.read_bytes(), seed=8)


def test_fill_refuses_word_forms_and_non_forms(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="only Excel forms"):
        fill_form(_issued_form(tmp_path, "docx").read_bytes())
    with pytest.raises(Rejected):
        fill_form(b"not a form")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["missing.xlsx", "--out", "x.xlsx"], "cannot read missing.xlsx"),
        (["form.xlsx", "--out", "."], "it is a folder"),
        (["form.docx", "--out", "x.xlsx"], "only Excel forms"),
        (["form.docx", "--out", "x.xlsx", "--seed", "many"], "seed"),
    ],
)
def test_fill_command_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], says: str
) -> None:
    (tmp_path / "form.docx").write_bytes(_issued_form(tmp_path, "docx").read_bytes())
    (tmp_path / "form.xlsx").write_bytes(_issued_form(tmp_path, "xlsx").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "selfassess", "fill", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.xlsx").exists()
