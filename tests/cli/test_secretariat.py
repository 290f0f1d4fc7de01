"""`selfassess generate --round` and `status` with reminders: one library call
each (secretariat.round.run_round, secretariat.status.round_status)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED

runner = CliRunner()
#: A round is issued today, so its deadline lies ahead (generate refuses one before it).
DEADLINE = dt.date.today() + dt.timedelta(days=30)
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A round issued to Mexico and Canada (three Excel forms); the store's path."""
    root = tmp_path_factory.mktemp("round")
    store = root / "s.sqlite"
    done = runner.invoke(
        app,
        [
            "generate",
            "--round",
            "--country",
            "mex,CA",
            "--format",
            "xlsx",
            "--deadline",
            DEADLINE.isoformat(),
            "--store",
            str(store),
            "--out",
            str(root / "forms"),
        ],
    )
    assert done.exit_code == EXIT_OK, done.output
    assert len(done.stdout.splitlines()) == 3
    assert "3 forms to 2 Parties" in done.stderr
    return store


def test_status_writes_reminders_for_overdue_parties(issued: Path, tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "country,name,email,language\nMX,Ana Ruiz,ana@example.org,es\nCA,Lee,lee@example.org,\n",
        encoding="utf-8",
    )
    after = (DEADLINE + dt.timedelta(days=1)).isoformat()
    args = ["status", "--store", str(issued), "--as-of", after, "--json"]
    reminders = tmp_path / "reminders"
    done = runner.invoke(app, [*args, "--reminders", str(reminders), "--contacts", str(contacts)])
    assert done.exit_code == EXIT_OK, done.output
    data = json.loads(done.stdout)
    assert sorted(Path(p).name for p in data["reminders"]) == ["CA-1-en.eml", "MX-1-es.eml"]
    assert sorted(p.name for p in reminders.iterdir()) == ["CA-1-en.eml", "MX-1-es.eml"]
    before = (DEADLINE - dt.timedelta(days=1)).isoformat()
    before_deadline = runner.invoke(app, [*args[:-3], "--as-of", before, "--json"])
    assert not any(p["overdue"] for p in json.loads(before_deadline.stdout)["parties"])


def test_reminders_need_contacts(issued: Path, tmp_path: Path) -> None:
    done = runner.invoke(
        app, ["status", "--store", str(issued), "--reminders", str(tmp_path / "r")]
    )
    assert done.exit_code == EXIT_REJECTED
    assert done.stderr.splitlines() == ["error: --reminders and --contacts go together; give both"]
    assert not (tmp_path / "r").exists()


def test_a_hostile_contacts_file_is_reported_line_by_line_as_text(
    issued: Path, tmp_path: Path
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "country,name,email,language\n"
        "MX,Ana,[/red]\x1b]0;pwned\x07,es\n"
        "ZZ,\u202eevil,x@example.org,\n",
        encoding="utf-8",
    )
    done = runner.invoke(
        app,
        [
            "status",
            "--store",
            str(issued),
            "--as-of",
            (DEADLINE + dt.timedelta(days=1)).isoformat(),
            "--reminders",
            str(tmp_path / "r"),
            "--contacts",
            str(contacts),
        ],
    )
    assert done.exit_code == EXIT_PROBLEMS, done.output
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert not UNSAFE.search(done.stderr)
    assert "contacts.csv:2" in lines[0]
    assert "[/red]\\x1b]0;pwned\\x07" in lines[0]
    assert "contacts.csv:3" in lines[1]
