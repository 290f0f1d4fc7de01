"""The secretariat commands, run as a separate process (as the SIGKILL test will)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.secretariat.test_ingest import response_json


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfassess", *args], capture_output=True, text=True, check=False
    )


def test_ingest_status_report_json(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mx.json").write_text(response_json("MX", "f1", "fully"))
    (tmp_path / "in" / "note.txt").write_text("x")
    store = str(tmp_path / "s.sqlite")
    done = run("ingest", str(tmp_path / "in"), "--store", store, "--json")
    assert done.returncode == 1, done.stderr  # one file rejected
    data = json.loads(done.stdout)
    assert data["counts"]["accepted"] == 1
    assert data["counts"]["rejected"] == 1
    again = json.loads(run("ingest", str(tmp_path / "in"), "--store", store, "--json").stdout)
    assert again["counts"]["duplicate"] == 2
    status = json.loads(run("status", "--store", store, "--json").stdout)
    mx = next(p for p in status["parties"] if p["country"] == "MX")
    assert mx["returned"] is True
    rep = run("report", "--store", store, "--json", "--out", str(tmp_path / "r"), "--lang", "fr")
    assert rep.returncode == 0, rep.stderr
    figures = json.loads(rep.stdout)
    assert figures["implementation"]["review"]["total"]["n"] == 1
    assert (tmp_path / "r" / "aggregate-fr.xlsx").exists()
    assert (tmp_path / "r" / "aggregate-fr.docx").exists()


def test_merge_exit_status_and_conflicts(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(response_json("MX", "f1", "fully"))
    (tmp_path / "b.json").write_text(response_json("MX", "f1", "planned"))
    files = [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    done = run("merge", *files, "--out", str(tmp_path / "m.json"))
    assert done.returncode == 1
    assert "conflict wg14_c_status" in done.stdout
    merged = json.loads((tmp_path / "m.json").read_text())
    assert merged["merge"]["conflicts"][0]["item"] == "wg14_c_status"


def test_merge_out_is_written_by_the_rule_for_outputs(tmp_path: Path) -> None:
    """A link, a FIFO or a folder where the merged file goes is refused, never written through."""
    (tmp_path / "a.json").write_text(response_json("MX", "f1", "fully"))
    (tmp_path / "b.json").write_text(response_json("MX", "f2", "fully"))
    returns = [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "link.json").symlink_to(victim)
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "folder.json").mkdir()
    for out in ("link.json", "fifo.json", "folder.json"):
        done = run("merge", *returns, "--out", str(tmp_path / out))
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        if out != "folder.json":  # typer refuses a folder before merge runs
            assert "refusing to write" in done.stderr
    assert victim.read_text() == "keep"
    assert (tmp_path / "link.json").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.json",
        "b.json",
        "fifo.json",
        "folder.json",
        "link.json",
        "victim.txt",
    ]


def test_a_bad_parties_file_exits_with_located_problems(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("as_of: 2025-01-01\nsource: x\nparties:\n  - {code: QQ, languages: [en]}\n")
    done = run("status", "--store", str(tmp_path / "s.sqlite"), "--parties", str(bad))
    assert done.returncode == 1
    assert "p.yaml:4" in done.stderr


def test_generate_round_records_the_forms(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    args = ["--country", "MX,CA", "--format", "xlsx", "--store", store]
    deadline = dt.date.today() + dt.timedelta(days=90)
    done = run(
        "generate", "--round", *args, "--deadline", deadline.isoformat(), "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    assert sorted(Path(p).name for p in done.stdout.split()) == [
        "ctoc_wgta-1.1-en-CA.xlsx",
        "ctoc_wgta-1.1-es-MX.xlsx",
        "ctoc_wgta-1.1-fr-CA.xlsx",
    ]
    after = (deadline + dt.timedelta(days=1)).isoformat()
    data = json.loads(run("status", "--store", store, "--json", "--as-of", after).stdout)
    issued = {p["country"]: p for p in data["parties"] if p["forms_issued"]}
    assert {c: p["forms_issued"] for c, p in issued.items()} == {"CA": 2, "MX": 1}
    assert all(p["overdue"] for p in issued.values())
    refused = run("generate", "--prefill", "--store", store, "--out", str(tmp_path))
    assert refused.returncode == 2
    assert "--round" in refused.stderr


def test_report_refuses_a_threshold_below_one(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mx.json").write_text(response_json("MX", "f1", "fully"))
    store = str(tmp_path / "s.sqlite")
    run("ingest", str(tmp_path / "in"), "--store", store)
    done = run("report", "--store", store, "--min-replies", "0", "--out", str(tmp_path / "r"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r").exists()
    # One reply, shown only when the secretariat lowers the threshold to one.
    shown = run(
        "report", "--store", store, "--json", "--min-replies", "1", "--out", str(tmp_path / "r")
    )
    assert json.loads(shown.stdout)["implementation"]["review"]["total"]["value"] is not None
    hidden = run("report", "--store", store, "--json", "--out", str(tmp_path / "r"))
    assert json.loads(hidden.stdout)["implementation"]["review"]["total"]["value"] is None
