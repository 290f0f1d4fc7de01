"""The store: migrations, transactions, the archive, history; ingest's crash safety."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.constants import REGIONAL_GROUPS
from selfassess.errors import DefinitionError, UsageError
from selfassess.questionnaire import load_questionnaire
from selfassess.safety import Limits
from selfassess.scoring import response_with
from selfassess.secretariat.ingest import examine, ingest_paths
from selfassess.secretariat.merge import merge_responses
from selfassess.secretariat.parties import GroupId, load_parties, load_parties_file
from selfassess.secretariat.round import carry_over
from selfassess.secretariat.status import load_contacts
from selfassess.secretariat.store import MIGRATIONS, NewReturn, Store


def response_json(country: str, form_id: str, status: str, issued: dt.date | None = None) -> str:
    q = load_questionnaire()
    r = response_with(q, {"wg14_c_status": status})
    form = r.form.model_copy(update={"country": country, "form_id": form_id, "issued": issued})
    return r.model_copy(update={"form": form}).model_dump_json()


def test_migrations_bring_a_store_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as store:  # opening again applies nothing twice
        rows = store.conn.execute("SELECT version FROM schema_version").fetchall()
        assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    conn.commit()
    conn.close()
    with pytest.raises(UsageError, match="newer"):
        Store(path)


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:

        def insert_then_fail() -> None:
            with store.transaction() as conn:
                conn.execute(
                    "INSERT INTO receipts (sha256, path, received_at, result)"
                    " VALUES ('a', 'b', 'c', 'd')"
                )
                raise RuntimeError("crash between statements")

        with pytest.raises(RuntimeError):
            insert_then_fail()
        assert store.receipts() == []


def test_archive_is_content_addressed_and_never_rewritten(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        digest = store.put_blob(b"original")
        path = store.blob_path(digest)
        assert path.parent.name == digest[:2]
        assert path.name == digest[2:]
        mtime = path.stat().st_mtime_ns
        assert store.put_blob(b"original") == digest
        assert path.stat().st_mtime_ns == mtime
        assert not list(path.parent.glob(".tmp-*"))


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


def test_merge_conflicts_are_never_overwritten() -> None:
    q = load_questionnaire()
    a = response_with(q, {"wg14_c_status": "fully", "respondent_name": "A"})
    b = response_with(q, {"wg14_c_status": "partially", "wg14_f_status": "planned"})
    merged = merge_responses([("a.xlsx", a), ("b.docx", b)])
    assert [c.item for c in merged.conflicts] == ["wg14_c_status"]
    assert merged.response.answers["wg14_c_status"] is None
    assert merged.response.answers["wg14_f_status"] == "planned"
    assert merged.response.answers["respondent_name"] == "A"
    assert merged.answered_by["wg14_f_status"] == ["b.docx"]
    assert merged.response.errors[0].item == "wg14_c_status"


def test_group_ids_match_the_constants() -> None:
    assert get_args(GroupId) == REGIONAL_GROUPS


def test_shipped_parties_special_cases() -> None:
    parties = load_parties()
    assert parties.get("US").groups == ()
    assert parties.get("TR").groups == ("weog", "asia_pacific")
    assert parties.get("IL").groups == ("weog",)
    assert parties.get("EU").groups == ()
    assert parties.get("CM").languages == ("fr", "en")
    assert "verify" in parties.source
    assert all(p.note for p in parties.parties if len(p.groups) != 1)


def test_a_bad_parties_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2025-01-01\n"
        "source: mine\n"
        "parties:\n"
        "  - {code: MX, groups: [latin_american_caribbean], languages: [es]}\n"
        "  - {code: XX, groups: [weog], languages: [en]}\n"
        "  - {code: MX, groups: [weog], languages: [en]}\n"
        "  - {code: FR, groups: [europe], languages: [fr]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    text = str(info.value)
    assert "p.yaml:7" in text
    assert "europe" in text
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path.with_name("q.yaml"))
    path.write_text(path.read_text().replace("europe", "weog"), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    lines = [(p.line, p.message) for p in info.value.problems]
    assert (5, "'XX' is not an ISO 3166-1 alpha-2 code; use e.g. MX") in lines
    assert any(line == 6 and "listed 2 times" in msg for line, msg in lines)


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


def test_carry_over_keeps_only_answers_that_fit() -> None:
    q = load_questionnaire()
    kept, dropped = carry_over(
        {
            "wg14_c_status": "fully",
            "wg14_c_ta_kinds": ["training", "gone"],
            "wg14_c_ta_needed": "yes",
            "respondent_name": "Ana",
            "reply_date": "not a date",
            "removed_item": "x",
            "wg14_a_amount_usd": 1000,
        },
        q,
    )
    assert kept == {
        "wg14_c_status": "fully",
        "wg14_c_ta_needed": "yes",
        "respondent_name": "Ana",
        "wg14_a_amount_usd": 1000,
    }
    assert sorted(dropped) == ["removed_item", "reply_date", "wg14_c_ta_kinds"]


def test_an_oversized_file_is_rejected_by_name_and_hash_only(tmp_path: Path) -> None:
    (tmp_path / "big.xlsx").write_bytes(b"x" * 100)
    with Store(tmp_path / "s.sqlite") as store:
        (outcome,) = ingest_paths(
            store, [tmp_path / "big.xlsx"], limits=Limits(max_file_bytes=10)
        ).files
        assert outcome.result == "rejected"
        assert "over the limit" in (outcome.reason or "")
        assert not store.blob_path(outcome.sha256).exists()
        (again,) = ingest_paths(
            store, [tmp_path / "big.xlsx"], limits=Limits(max_file_bytes=10)
        ).files
        assert again.result == "duplicate"


def test_contacts_problems_are_located() -> None:
    bad = (
        b"country,name,email,language\n"
        b"MX,Ana,ana@example.org,es\n"
        b"ZZZ,Bo,bo@example.org,\n"
        b"FR,Cy,not an address,fr\n"
        b"CA,Di,di@example.org,de\n"
    )
    with pytest.raises(DefinitionError) as info:
        load_contacts(bad)
    assert [p.line for p in info.value.problems] == [3, 4, 5]
    with pytest.raises(DefinitionError, match="first line"):
        load_contacts(b"pays,nom\nMX,Ana\n")
