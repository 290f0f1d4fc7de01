"""Ingest: history, unknown forms, crash safety, concurrent runs, odd input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.safety.package import Limits
from selfassess.scoring import response_with
from selfassess.secretariat.ingest import examine, ingest_paths
from selfassess.store import NewReturn, Store


def response_json(country: str, form_id: str, status: str, issued: dt.date | None = None) -> str:
    q = load_questionnaire()
    r = response_with(q, {"wg14_c_status": status})
    form = r.form.model_copy(update={"country": country, "form_id": form_id, "issued": issued})
    return r.model_copy(update={"form": form}).model_dump_json()


def test_history_newest_issue_then_newest_ingest_is_current(tmp_path: Path) -> None:
    files = {
        "a.json": response_json("MX", "f1", "partially", dt.date(2025, 1, 1)),
        "b.json": response_json("MX", "f2", "fully", dt.date(2026, 1, 1)),
        "c.json": response_json("MX", "f1", "planned", dt.date(2025, 1, 1)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with Store(tmp_path / "s.sqlite") as store:
        result = ingest_paths(store, [tmp_path / n for n in files])
        outcome = {Path(f.path).name: f.result for f in result.files}
        # c.json arrived last but answers the older form: it is superseded at once.
        assert outcome == {"a.json": "accepted", "b.json": "accepted", "c.json": "superseded"}
        (current,) = store.current_returns()
        assert current.filename == "b.json"
        assert {r.filename: r.status for r in store.returns()} == {
            "a.json": "superseded",
            "b.json": "accepted",
            "c.json": "superseded",
        }


def test_unknown_form_id_warns_or_is_rejected_when_strict(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(response_json("MX", "fnotissued", "fully"))
    with Store(tmp_path / "s.sqlite") as store:
        (strict,) = ingest_paths(store, [tmp_path / "a.json"], strict=True).files
        assert strict.result == "rejected"
        assert "did not issue" in (strict.reason or "")
    with Store(tmp_path / "t.sqlite") as store:
        (lenient,) = ingest_paths(store, [tmp_path / "a.json"]).files
        assert lenient.result == "accepted"
        assert any("did not issue" in m for m in lenient.messages)


def test_killed_between_archive_and_rows_finishes_on_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after the blob is archived and before the rows: the rerun records it once."""
    (tmp_path / "a.json").write_text(response_json("MX", "f1", "fully"))
    (tmp_path / "b.json").write_text(response_json("FR", "f2", "fully"))
    real = Store.record_return
    calls = 0

    def crash_on_second(self: Store, new: NewReturn, path: str) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return real(self, new, path)

    monkeypatch.setattr(Store, "record_return", crash_on_second)
    with Store(tmp_path / "s.sqlite") as store, pytest.raises(KeyboardInterrupt):
        ingest_paths(store, [tmp_path])
    monkeypatch.setattr(Store, "record_return", real)
    with Store(tmp_path / "s.sqlite") as store:
        assert len(list(store.archive.rglob("*"))) > 2  # both blobs, written first
        again = ingest_paths(store, [tmp_path])
        assert [f.result for f in again.files] == ["duplicate", "accepted"]
        assert sorted(r.country or "" for r in store.returns()) == ["FR", "MX"]


def test_a_file_recorded_by_another_process_meanwhile_is_a_duplicate(tmp_path: Path) -> None:
    """Two ingests of the same file into one store: the second to commit reports a duplicate."""
    (tmp_path / "a.json").write_text(response_json("MX", "f1", "fully"))
    with Store(tmp_path / "s.sqlite") as first, Store(tmp_path / "s.sqlite") as second:
        real = Store.return_by_sha
        calls = {"n": 0}

        def late_lookup(self: Store, digest: str) -> object:
            # The second store's first lookup runs before the first store records the file.
            calls["n"] += 1
            if self is second and calls["n"] == 1:
                ingest_paths(first, [tmp_path / "a.json"])
                return None
            return real(self, digest)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Store, "return_by_sha", late_lookup)
            (outcome,) = ingest_paths(second, [tmp_path / "a.json"]).files
        assert outcome.result == "duplicate"
        assert len(second.returns()) == 1


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".docx", ".json", ".bin"]))
def test_any_bytes_are_rejected_or_read_never_raise(data: bytes, suffix: str) -> None:
    examined = examine(data, "return" + suffix)
    assert examined.outcome == "rejected"
    assert examined.reason


def test_an_oversized_file_is_rejected_by_name_and_hash_only(tmp_path: Path) -> None:
    (tmp_path / "big.xlsx").write_bytes(b"x" * 100)
    with Store(tmp_path / "s.sqlite") as store:
        (outcome,) = ingest_paths(
            store, [tmp_path / "big.xlsx"], limits=Limits(max_file_bytes=10)
        ).files
        assert outcome.result == "rejected"
        assert "over the limit" in (outcome.reason or "")
        assert outcome.sha256 is not None
        assert not store.blob_path(outcome.sha256).exists()
        (again,) = ingest_paths(
            store, [tmp_path / "big.xlsx"], limits=Limits(max_file_bytes=10)
        ).files
        assert again.result == "duplicate"
