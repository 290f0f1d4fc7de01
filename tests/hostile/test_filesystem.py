"""Files from the file system, and batches that one bad file must not stop.

A returns folder holds links to secrets, FIFOs, devices, files whose size
lies, names with line breaks and bidi controls. Nothing but regular files is
read, no link is followed, nothing blocks, at most the limit + 1 bytes are
read, and every file gets its own outcome.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.response.stored import read_response_json
from selfassess.safety.files import read_regular
from selfassess.scoring import response_with
from selfassess.secretariat import ingest
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import Store
from tests.hostile import corpus
from tests.hostile.isolated import ROOT

SECRET_KEY = "do-not-leak-this-key-4b1d"


def a_response(country: str = "MX", form_id: str = "fsample") -> bytes:
    q = load_questionnaire()
    r = response_with(q, {"wg14_c_status": "fully"})
    form = r.form.model_copy(update={"country": country, "form_id": form_id})
    return r.model_copy(update={"form": form}).model_dump_json().encode()


# --- reading one file -------------------------------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_a_link_is_never_followed(tmp_path: Path, target: str) -> None:
    link = tmp_path / "reply.docx"
    link.symlink_to(target)
    with pytest.raises(Rejected, match="symbolic link, not a regular file"):
        parse_form(link)


def test_a_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "reply.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(Rejected, match="named pipe"):
        parse_form(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    with pytest.raises(Rejected, match="device, not a regular file"):
        parse_form(device)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Rejected, match="folder, not a regular file"):
        read_regular(tmp_path, 100)


def test_a_proc_file_whose_size_lies_is_refused() -> None:
    with pytest.raises(Rejected, match="its size says 0"):
        read_regular("/proc/self/status", 1 << 20)


def test_at_most_limit_plus_one_bytes_are_read(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(10 << 30)  # 10 GiB, sparse: nothing is written
    assert len(read_regular(big, 1000)) == 1001
    with pytest.raises(Rejected, match="over the limit"):
        parse_form(big)


def test_a_file_that_changes_while_read_gets_a_clear_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "reply.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"x" * 5000)
    real_fstat = os.fstat
    calls = []

    def growing(fd: int) -> os.stat_result:
        # The second look, after reading, sees the file another process appended to.
        calls.append(fd)
        if len(calls) == 2:
            with path.open("ab") as fh:
                fh.write(b"more")
        return real_fstat(fd)

    monkeypatch.setattr("selfassess.safety.files.os.fstat", growing)
    with pytest.raises(Rejected, match="changed while it was being read"):
        read_regular(path, 1 << 20)


def test_control_characters_in_a_name_cannot_forge_a_line(tmp_path: Path) -> None:
    name = tmp_path / "ok.xlsx\nERROR: forged line\u202egpj.docx"
    name.symlink_to("/etc/passwd")
    with pytest.raises(Rejected) as caught:
        parse_form(name)
    message = str(caught.value)
    assert "\n" not in message
    assert "\u202e" not in message
    assert "\\n" in message
    assert "\\u202e" in message


# --- a returns folder --------------------------------------------------------------


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "good.json").write_bytes(a_response("MX", "fgood"))
    (folder / "passwd.docx").symlink_to("/etc/passwd")
    (folder / "environ.xlsx").symlink_to("/proc/self/environ")
    (folder / "linked-folder").symlink_to("/etc")
    os.mkfifo(folder / "pipe.xlsx")
    (folder / "bad\nname.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "also-good.json").write_bytes(a_response("BR", "fgood2"))
    return folder


def _ingest_cli(folder: Path, store: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"SELFASSESS_KEY": SECRET_KEY, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "selfassess",
            "ingest",
            str(folder),
            "--store",
            str(store),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_a_hostile_returns_folder_leaks_nothing_and_blocks_nothing(
    hostile_folder: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "store" / "s.sqlite"
    done = _ingest_cli(hostile_folder, store_path)
    assert done.returncode == 1, done.stderr  # something was rejected
    outcomes = {Path(f["path"]).name: f for f in json.loads(done.stdout)["files"]}
    assert outcomes["good.json"]["result"] == "accepted"
    assert outcomes["also-good.json"]["result"] == "accepted"
    for name in ("passwd.docx", "environ.xlsx", "linked-folder", "pipe.xlsx"):
        assert outcomes[name]["result"] == "rejected", name
        assert "not a regular file" in outcomes[name]["reason"], name
        assert outcomes[name]["sha256"] is None
    assert outcomes["bad\nname.docx"]["result"] == "rejected"
    secrets = [Path("/etc/passwd").read_bytes()[:64], SECRET_KEY.encode()]
    for blob in (store_path.parent).rglob("*"):
        if blob.is_file():
            content = blob.read_bytes()
            assert not any(s in content for s in secrets), blob


def test_a_rerun_records_nothing_twice(hostile_folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        first = ingest_paths(store, [hostile_folder])
        rows = len(store.returns())
        second = ingest_paths(store, [hostile_folder])
        assert len(store.returns()) == rows
    assert [f.result for f in second.files if f.sha256] == ["duplicate"] * sum(
        1 for f in first.files if f.sha256
    )


# --- one bad file never stops a batch ------------------------------------------------


def test_any_failure_while_examining_one_file_is_that_files_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for country in ("AR", "BR", "CL"):
        (tmp_path / f"{country}.json").write_bytes(a_response(country, f"f{country.lower()}"))
    real_score = ingest.score  # type: ignore[attr-defined]  # patched below: ingest's own name for it

    def failing(result, questionnaire):  # type: ignore[no-untyped-def]
        if result.form.country == "BR":
            raise KeyError("a bug met on one file\nwith a second line")
        return real_score(result, questionnaire)

    monkeypatch.setattr(ingest, "score", failing)
    with Store(tmp_path / "store.sqlite") as store:
        result = ingest_paths(store, sorted(tmp_path.glob("*.json")), workers=0)
        by_name = {Path(f.path).name: f for f in result.files}
        assert by_name["AR.json"].result == "accepted"
        assert by_name["CL.json"].result == "accepted"
        failed = by_name["BR.json"]
        assert failed.result == "rejected"
        assert failed.return_id is not None
        assert "KeyError" in (failed.reason or "")
        assert "\n" not in (failed.reason or "")
        assert store.return_by_sha(failed.sha256 or "") is not None  # kept, with its reason
        again = ingest_paths(store, sorted(tmp_path.glob("*.json")), workers=0)
        assert {f.result for f in again.files} == {"duplicate"}


def test_a_failure_while_recording_one_parse_rejects_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for country in ("AR", "BR"):
        (tmp_path / f"{country}.json").write_bytes(a_response(country, f"f{country.lower()}"))
    real_form = Store.form

    def failing(self: Store, form_id: str):  # type: ignore[no-untyped-def]
        if form_id == "fbr":
            raise ValueError("what this return holds broke the store lookup")
        return real_form(self, form_id)

    monkeypatch.setattr(Store, "form", failing)
    with Store(tmp_path / "store.sqlite") as store:
        result = ingest_paths(store, sorted(tmp_path.glob("*.json")), workers=0)
        by_name = {Path(f.path).name: f.result for f in result.files}
        assert by_name == {"AR.json": "accepted", "BR.json": "rejected"}
        assert len(store.returns()) == 2


def test_values_from_a_file_cannot_forge_a_line_in_a_rejection() -> None:
    forged = corpus.set_meta_everywhere(
        corpus.real_form("docx"), "version", "9.9\nERROR: all returns lost\u202e"
    )
    with pytest.raises(Rejected) as caught:
        parse_form(forged)
    message = str(caught.value)
    assert "\n" not in message
    assert "\u202e" not in message


def test_keys_of_a_response_json_cannot_forge_a_line(tmp_path: Path) -> None:
    data = json.loads(a_response())
    data["answers"] = {"x\nERROR: forged\u2028": [1, {"a": 2}]}
    with pytest.raises(Rejected) as caught:
        read_response_json(json.dumps(data).encode())
    message = str(caught.value)
    assert "\n" not in message
    assert "\u2028" not in message


@pytest.mark.parametrize("kind", ["link-to-passwd", "fifo", "device"])
def test_parse_command_refuses_what_is_not_a_regular_file_in_one_line(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "reply.xlsx"
    if kind == "link-to-passwd":
        path.symlink_to("/etc/passwd")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "selfassess", "parse", str(path), "--json"],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "not a regular file" in done.stderr
    assert "root:" not in done.stdout + done.stderr
