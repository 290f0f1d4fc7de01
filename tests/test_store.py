"""The store: migrations, transactions, the content-addressed archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from selfassess.errors import UsageError
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
