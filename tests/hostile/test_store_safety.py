"""The store survives SIGKILL at any point of an ingest, and two ingests at once.

An ingest of 20 files (real Word and Excel forms, JSON responses, a duplicate,
an unreadable file, two returns of one country) runs in a child process that
is killed with SIGKILL, again and again, at random points. After every kill
the store must be consistent; a final run must finish it with nothing lost
and nothing recorded twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.scoring import response_with
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import FormRow, Store
from tests.hostile import corpus
from tests.hostile.corpus import KEY

ROOT = Path(__file__).resolve().parents[2]
KILLS = 15

_CHILD = r"""
import sys
from selfassess.secretariat.ingest import ingest_paths
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import FormRow, Store
store_path, key, workers, *paths = sys.argv[1:]
with Store(store_path) as store:
    print("ready", flush=True)
    ingest_paths(store, paths, key=bytes.fromhex(key), workers=int(workers),
                 progress=lambda o: print(o.result, flush=True))
print("done", flush=True)
"""


def response(country: str, form_id: str, status: str, issued: dt.date) -> str:
    q = load_questionnaire()
    r = response_with(q, {"wg14_c_status": status})
    form = r.form.model_copy(update={"country": country, "form_id": form_id, "issued": issued})
    return r.model_copy(update={"form": form}).model_dump_json()


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 files: 4 real forms, 13 JSON responses, a duplicate, a rejected file, a later return."""
    folder = tmp_path_factory.mktemp("returns")
    forms = [("xlsx", "en", "MX"), ("docx", "fr", "FR"), ("xlsx", "ar", "EG"), ("docx", "es", "AR")]
    for fmt, lang, country in forms:
        (folder / f"{country}.{fmt}").write_bytes(corpus.real_form(fmt, lang, country))
    countries = ["BR", "CA", "CN", "DE", "IN", "JP", "KE", "NG", "PE", "RU", "SE", "TH", "ZA"]
    statuses = ["fully", "largely", "partially", "not_implemented"]
    for i, country in enumerate(countries):
        text = response(country, f"f{i:016x}", statuses[i % 4], dt.date(2025, 1, 1))
        (folder / f"{country}.json").write_text(text)
    (folder / "copy-of-BR.json").write_bytes((folder / "BR.json").read_bytes())
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    later = response("CA", "f00000000000000ff", "fully", dt.date(2025, 6, 1))
    (folder / "CA-later.json").write_text(later)
    assert len(list(folder.iterdir())) == 20
    return folder


def digests(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def start_ingest(store: Path, folder: Path, workers: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(store), KEY.hex(), str(workers), str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its worker processes die with it
    )


def check_consistent(store_path: Path, inputs: set[str]) -> list[sqlite3.Row]:
    """What must hold after any kill; returns the rows of the returns table."""
    conn = sqlite3.connect(store_path)
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute("SELECT * FROM returns").fetchall()
        shas = [r["sha256"] for r in rows]
        assert len(shas) == len(set(shas)), "a return recorded twice"
        assert set(shas) <= inputs
        archive = Path(str(store_path) + ".archive")
        for sha in shas:
            blob = archive / sha[:2] / sha[2:]
            assert blob.is_file(), f"row without its original file: {sha}"
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
        for blob in archive.rglob("*"):
            if blob.is_file() and not blob.name.startswith(".tmp-"):
                # A blob under its final name is always whole.
                assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.parent.name + blob.name
        current = conn.execute(
            "SELECT country, COUNT(*) FROM returns WHERE is_current GROUP BY country"
        ).fetchall()
        assert all(n == 1 for _, n in current), "two current returns for one country"
        receipts = {r[0] for r in conn.execute("SELECT sha256 FROM receipts")}
        assert set(shas) <= receipts, "a return without its receipt"
        return rows
    finally:
        conn.close()


def check_complete(store_path: Path, folder: Path) -> None:
    rows = check_consistent(store_path, digests(folder))
    assert {r["sha256"] for r in rows} == digests(folder), "a file was lost"
    by_country: dict[str, list[sqlite3.Row]] = {}
    for r in rows:
        if r["country"]:
            by_country.setdefault(r["country"], []).append(r)
    assert len(by_country) == 17
    assert len(by_country["CA"]) == 2
    current_ca = [r for r in by_country["CA"] if r["is_current"]]
    assert [r["form_id"] for r in current_ca] == ["f00000000000000ff"]
    assert all(sum(r["is_current"] for r in rs) == 1 for rs in by_country.values())
    assert [r["outcome"] for r in rows if r["country"] is None] == ["rejected"]


def killed_run(store: Path, folder: Path, after: float, workers: int) -> bool:
    """Start an ingest, SIGKILL it ``after`` seconds past its start-up; True if it was killed."""
    child = start_ingest(store, folder, workers)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(after)
    killed = child.poll() is None
    if killed:
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    return killed


def trial(store: Path, folder: Path, after: float, workers: int) -> tuple[bool, int]:
    """Kill an ingest into a fresh store; check it; re-run; check nothing is lost or doubled."""
    killed = killed_run(store, folder, after, workers)
    recorded = len(check_consistent(store, digests(folder)))
    rerun = start_ingest(store, folder)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-2000:]
    check_complete(store, folder)
    return killed, recorded


@pytest.mark.slow
def test_ingest_killed_at_random_points(tmp_path: Path, returns: Path) -> None:
    # How long a whole ingest takes once started, to spread the kills over it.
    calibration = start_ingest(tmp_path / "calibration.sqlite", returns)
    assert calibration.stdout is not None
    assert calibration.stdout.readline().strip() == "ready"
    began = time.monotonic()
    calibration.communicate(timeout=300)
    duration = time.monotonic() - began
    rng = random.Random(8)
    plan = [
        (tmp_path / f"store-{n}.sqlite", rng.uniform(0, duration), 2 if n % 5 == 4 else 0)
        for n in range(KILLS)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda p: trial(p[0], returns, p[1], p[2]), plan))
    killed = [recorded for was_killed, recorded in outcomes if was_killed]
    # Most kills landed mid-ingest, some with part of the files recorded.
    assert len(killed) >= KILLS // 2, outcomes
    assert any(0 < n < len(digests(returns)) for n in killed), outcomes


@pytest.mark.slow
def test_ingest_killed_then_run_again_reports_duplicates(tmp_path: Path, returns: Path) -> None:
    store = tmp_path / "store.sqlite"
    killed_run(store, returns, 0.5, 0)
    done = start_ingest(store, returns)
    done.communicate(timeout=300)
    again = start_ingest(store, returns)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert out.split()[1:-1] == ["duplicate"] * 20
    check_complete(store, returns)


@pytest.mark.slow
def test_two_ingests_at_once_end_consistent(tmp_path: Path, returns: Path) -> None:
    store = tmp_path / "store.sqlite"
    Store(store).close()  # created before, as the secretariat's store would be
    children = [start_ingest(store, returns), start_ingest(store, returns)]
    results = [child.communicate(timeout=300) for child in children]
    for child, (_out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err[-2000:]
    check_complete(store, returns)
    outcomes = [line for out, _ in results for line in out.split() if line not in ("ready", "done")]
    # Each file is recorded once by one of the two; the other reports a duplicate.
    assert outcomes.count("duplicate") >= 20 - 1


def test_form_returned_as_another_countrys_is_flagged_without_a_key(tmp_path: Path) -> None:
    """No key configured: the store still knows which country the form was issued to."""
    data = corpus.real_form("xlsx", country="MX", key=None)
    form_id = corpus.form_id_of(data)
    (tmp_path / "return.xlsx").write_bytes(corpus.set_meta_everywhere(data, "country", "BR"))
    issued = dt.date(2025, 1, 15)
    with Store(tmp_path / "s.sqlite") as store:
        store.add_round(
            "r1",
            "ctoc_wgta",
            "1.0",
            issued,
            None,
            [FormRow(form_id, None, "MX", "en", "xlsx", "ctoc_wgta", "1.0", issued, None, "x")],
        )
        (outcome,) = ingest_paths(store, [tmp_path / "return.xlsx"]).files
    assert outcome.country == "BR"
    assert any("issued to MX" in m and "BR" in m for m in outcome.messages)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"form": ' * 50_000, b"\xff\xfe{", b"null", b'{"form": {}}', b"1e999999"],
    ids=["deep-array", "deep-object", "not-utf8", "null", "empty-form", "huge-number"],
)
def test_hostile_json_return_is_rejected_not_a_crash(tmp_path: Path, body: bytes) -> None:
    (tmp_path / "merged.json").write_bytes(body)
    with Store(tmp_path / "s.sqlite") as store:
        (outcome,) = ingest_paths(store, [tmp_path / "merged.json"]).files
    assert outcome.result == "rejected"
    assert outcome.reason
    assert "\n" not in outcome.reason
