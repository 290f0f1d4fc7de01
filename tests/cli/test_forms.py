"""`selfassess generate` with a reporting period and the secretariat's contact
details, and `parse --json` giving the period back."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from selfassess import resources
from selfassess.cli import app
from selfassess.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED

runner = CliRunner()
CONTACT = "name: Office (example)\nemail: wg@example.org\n"


def generate(tmp_path: Path, *extra: str, before: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """``selfassess [before] generate ... [extra]``: one English Excel form to MX."""
    try:
        done = runner.invoke(
            app,
            [
                *before,
                "generate",
                "--format",
                "xlsx",
                "--lang",
                "en",
                "--country",
                "MX",
                "--out",
                str(tmp_path / "out"),
                *extra,
            ],
        )
    finally:
        resources.set_definitions_dir(None)  # --definitions sets it for the process
    return done.exit_code, done.stdout, done.stderr


def test_the_definitions_folders_contact_file_and_the_period_reach_the_form(
    tmp_path: Path,
) -> None:
    (tmp_path / "secretariat.yaml").write_text(CONTACT, encoding="utf-8")
    code, out, err = generate(
        tmp_path, "--period", "2025-01-01:2026-12-31", before=("--definitions", str(tmp_path))
    )
    assert code == EXIT_OK, err
    (path,) = out.split()
    wb = load_workbook(BytesIO(Path(path).read_bytes()))
    shown = [c.value for row in wb.worksheets[0].iter_rows() for c in row if c.value]
    assert "wg@example.org" in shown
    assert "1 January 2025 to 31 December 2026" in shown
    parsed = runner.invoke(app, ["parse", path, "--json"])
    assert json.loads(parsed.stdout)["form"]["period"] == {
        "start": "2025-01-01",
        "end": "2026-12-31",
    }


def test_a_bad_contact_file_is_one_located_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "contact.yaml"
    bad.write_text("name: Office\nemail: not-an-address\nfax: 1\n", encoding="utf-8")
    code, out, err = generate(tmp_path, "--contact", str(bad))
    assert code == EXIT_PROBLEMS
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any(f"{bad}:2" in line and "not an e-mail address" in line for line in lines)
    assert any(f"{bad}:3" in line and "unknown key 'fax'" in line for line in lines)
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    code, out, err = generate(tmp_path, "--period", "2026-12-31:2025-01-01")
    assert code == EXIT_REJECTED
    assert out == ""
    assert "--period" in err
    assert "ends before it starts" in err
    assert not (tmp_path / "out").exists()
