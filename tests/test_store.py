"""The store: migrations, transactions, the content-addressed archive."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from selfassess.errors import UsageError
from selfassess.response.meta import Period
from selfassess.store import MIGRATIONS, Store


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


def test_a_store_made_before_the_period_column_opens_and_keeps_its_rounds(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO schema_version VALUES (1, 'before')")
    conn.execute(
        "INSERT INTO rounds (label, questionnaire, version, issued, deadline, created_at)"
        " VALUES ('r1', 'ctoc_wgta', '1.0', '2025-01-15', '2025-06-30', 'then')"
    )
    conn.commit()
    conn.close()
    period = Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        (old,) = store.rounds()
        assert (old.label, old.deadline, old.period) == ("r1", dt.date(2025, 6, 30), None)
        store.add_round("r2", "ctoc_wgta", "1.1", dt.date(2026, 12, 1), None, [], period=period)
    with Store(path) as store:
        assert [r.period for r in store.rounds()] == [None, period]
        stored = store.conn.execute("SELECT period FROM rounds WHERE label = 'r2'").fetchone()
        assert stored[0] == "2025-01-01/2026-12-31"
