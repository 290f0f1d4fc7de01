"""The secretariat's store: an embedded SQLite database and a content-addressed archive.

The database keeps every round, every issued form and every return (its parse,
problems, score and status); the archive beside it (``<store>.archive/``)
keeps the original bytes of every return under its SHA-256, written once to a
temporary file and moved into place, never rewritten. The database runs in
WAL mode with a busy timeout, so a second process waits rather than fails;
every write is one transaction.

Schema changes are new entries appended to :data:`MIGRATIONS`, never edits of
old ones: a store records its version and is brought up to date on opening.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     with Store(Path(tmp) / "s.sqlite") as store:
...         sha = store.put_blob(b"hello")
...         store.blob(sha), store.schema_version()
(b'hello', 2)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from selfassess.constants import Outcome, ReturnStatus
from selfassess.errors import UsageError
from selfassess.response.meta import Period

#: Schema migrations, applied in order; entry n brings a store to version n + 1.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        questionnaire TEXT NOT NULL,
        version TEXT NOT NULL,
        issued TEXT NOT NULL,
        deadline TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE forms (
        form_id TEXT PRIMARY KEY,
        round_id INTEGER REFERENCES rounds(id),
        country TEXT,
        language TEXT NOT NULL,
        format TEXT NOT NULL,
        questionnaire TEXT NOT NULL,
        version TEXT NOT NULL,
        issued TEXT NOT NULL,
        deadline TEXT,
        path TEXT NOT NULL
    );
    CREATE INDEX forms_country ON forms(country);
    CREATE TABLE returns (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'accepted_with_problems', 'rejected')),
        reason TEXT,
        form_id TEXT,
        known_form INTEGER NOT NULL DEFAULT 0,
        country TEXT,
        language TEXT,
        format TEXT,
        questionnaire TEXT,
        version TEXT,
        issued TEXT,
        errors INTEGER NOT NULL DEFAULT 0,
        warnings INTEGER NOT NULL DEFAULT 0,
        parse_json TEXT,
        problems_json TEXT,
        score_json TEXT,
        is_current INTEGER NOT NULL DEFAULT 0,
        superseded_by INTEGER REFERENCES returns(id)
    );
    CREATE INDEX returns_country ON returns(country);
    CREATE TABLE receipts (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        received_at TEXT NOT NULL,
        result TEXT NOT NULL
    );
    """,
    # The reporting period set when the round was issued (ISO 8601 START/END);
    # NULL for rounds issued before it, which set none.
    """
    ALTER TABLE rounds ADD COLUMN period TEXT;
    """,
)


#: Columns of ``returns`` but the parse and the score.
_LIGHT_COLUMNS = (
    "id", "sha256", "filename", "size", "received_at", "outcome", "reason", "form_id",
    "known_form", "country", "language", "format", "questionnaire", "version", "issued",
    "errors", "warnings", "problems_json", "is_current", "superseded_by",
)  # fmt: skip


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Round:
    id: int
    label: str
    questionnaire: str
    version: str
    issued: dt.date
    deadline: dt.date | None
    period: Period | None = None


@dataclass(frozen=True)
class FormRow:
    form_id: str
    round_id: int | None
    country: str | None
    language: str
    format: str
    questionnaire: str
    version: str
    issued: dt.date
    deadline: dt.date | None
    path: str


@dataclass(frozen=True)
class ReturnRow:
    id: int
    sha256: str
    filename: str
    size: int
    received_at: str
    outcome: Outcome
    reason: str | None
    form_id: str | None
    known_form: bool
    country: str | None
    language: str | None
    format: str | None
    questionnaire: str | None
    version: str | None
    issued: dt.date | None
    errors: int
    warnings: int
    parse_json: str | None
    problems_json: str | None
    score_json: str | None
    is_current: bool
    superseded_by: int | None

    @property
    def status(self) -> ReturnStatus:
        if self.outcome != "rejected" and not self.is_current and self.superseded_by:
            return "superseded"
        return self.outcome

    def parse(self) -> dict[str, Any]:
        return dict(json.loads(self.parse_json)) if self.parse_json else {}

    def score(self) -> dict[str, Any]:
        return dict(json.loads(self.score_json)) if self.score_json else {}

    def problems(self) -> list[dict[str, Any]]:
        return list(json.loads(self.problems_json)) if self.problems_json else []


@dataclass(frozen=True)
class NewReturn:
    """What ingest has learnt of a file, ready to be recorded in one transaction."""

    sha256: str
    filename: str
    size: int
    outcome: Outcome
    reason: str | None = None
    form_id: str | None = None
    country: str | None = None
    language: str | None = None
    format: str | None = None
    questionnaire: str | None = None
    version: str | None = None
    issued: dt.date | None = None
    errors: int = 0
    warnings: int = 0
    parse_json: str | None = None
    problems_json: str | None = None
    score_json: str | None = None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Store:
    """One store: open it with ``with Store(path) as store:``."""

    def __init__(self, path: Path | str, *, timeout: float = 60.0, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise UsageError(
                f"no store at {self.path}; issue a round (selfassess generate --round) or "
                "ingest returns first, or give --store"
            )
        self.archive = Path(str(self.path) + ".archive")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise UsageError(f"cannot open the store {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def own_files(self) -> list[Path]:
        """The database, its WAL and shared-memory files, and the archive."""
        base = str(self.path)
        return [self.path, Path(base + "-wal"), Path(base + "-shm"), self.archive]

    # --- schema ------------------------------------------------------------

    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if row is None:
            return 0
        found = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        return int(found or 0)

    def migrate(self) -> None:
        """Apply pending migrations, each in its own transaction."""
        with self.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise UsageError(
                f"the store {self.path} has schema version {current}, newer than this "
                f"selfassess knows ({len(MIGRATIONS)}); upgrade selfassess"
            )
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                # Another process may have migrated while this one waited for the lock.
                if self.schema_version() >= number:
                    continue
                for statement in script.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (number, now()),
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- archive -----------------------------------------------------------

    def blob_path(self, digest: str) -> Path:
        return self.archive / digest[:2] / digest[2:]

    def put_blob(self, data: bytes) -> str:
        """Keep ``data`` under its SHA-256; an existing blob is never rewritten."""
        digest = sha256(data)
        target = self.blob_path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def blob(self, digest: str) -> bytes:
        return self.blob_path(digest).read_bytes()

    # --- rounds and forms --------------------------------------------------

    def add_round(
        self,
        label: str,
        questionnaire: str,
        version: str,
        issued: dt.date,
        deadline: dt.date | None,
        forms: list[FormRow],
        *,
        period: Period | None = None,
    ) -> Round:
        """Record a round, its reporting period and its issued forms in one transaction."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO rounds (label, questionnaire, version, issued, deadline, period,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    label,
                    questionnaire,
                    version,
                    issued.isoformat(),
                    deadline.isoformat() if deadline else None,
                    str(period) if period else None,
                    now(),
                ),
            )
            round_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO forms (form_id, round_id, country, language, format, questionnaire,"
                " version, issued, deadline, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        f.form_id,
                        round_id,
                        f.country,
                        f.language,
                        f.format,
                        f.questionnaire,
                        f.version,
                        f.issued.isoformat(),
                        f.deadline.isoformat() if f.deadline else None,
                        f.path,
                    )
                    for f in forms
                ],
            )
        return Round(round_id, label, questionnaire, version, issued, deadline, period)

    def rounds(self) -> list[Round]:
        return [
            Round(
                r["id"],
                r["label"],
                r["questionnaire"],
                r["version"],
                dt.date.fromisoformat(r["issued"]),
                _date(r["deadline"]),
                Period.parse(r["period"]) if r["period"] else None,
            )
            for r in self.conn.execute("SELECT * FROM rounds ORDER BY id")
        ]

    def latest_round(self) -> Round | None:
        found = self.rounds()
        return found[-1] if found else None

    def forms(self, round_id: int | None = None) -> list[FormRow]:
        sql = "SELECT * FROM forms"
        args: tuple[Any, ...] = ()
        if round_id is not None:
            sql += " WHERE round_id = ?"
            args = (round_id,)
        return [self._form(r) for r in self.conn.execute(sql + " ORDER BY country, form_id", args)]

    def form(self, form_id: str) -> FormRow | None:
        row = self.conn.execute("SELECT * FROM forms WHERE form_id = ?", (form_id,)).fetchone()
        return self._form(row) if row else None

    @staticmethod
    def _form(r: sqlite3.Row) -> FormRow:
        return FormRow(
            r["form_id"],
            r["round_id"],
            r["country"],
            r["language"],
            r["format"],
            r["questionnaire"],
            r["version"],
            dt.date.fromisoformat(r["issued"]),
            _date(r["deadline"]),
            r["path"],
        )

    # --- returns -----------------------------------------------------------

    def return_by_sha(self, digest: str) -> ReturnRow | None:
        row = self.conn.execute("SELECT * FROM returns WHERE sha256 = ?", (digest,)).fetchone()
        return self._return(row) if row else None

    def returns(self, country: str | None = None, *, documents: bool = True) -> list[ReturnRow]:
        """Every return, oldest first (see :meth:`iter_returns`)."""
        return list(self.iter_returns(country, documents=documents))

    def iter_returns(
        self, country: str | None = None, *, documents: bool = True
    ) -> Iterator[ReturnRow]:
        """Every return, oldest first, one row at a time; without ``documents``, the
        parse and score are left out (None), so that going over many returns stays
        light."""
        columns = "*" if documents else ", ".join(_LIGHT_COLUMNS)
        sql = f"SELECT {columns} FROM returns"
        args: tuple[str, ...] = ()
        if country is not None:
            sql, args = sql + " WHERE country = ?", (country,)
        for r in self.conn.execute(sql + " ORDER BY id", args):
            yield self._return(r)

    def current_returns(self, *, locations: bool = True) -> list[ReturnRow]:
        """The current return of every country, in country-code order.

        Without ``locations``, the parse leaves out where each answer was read
        (about 33 KB of a 300-item form's parse), for callers that need only
        the answers; SQLite drops it, so it is never read into Python.
        """
        parse = (
            "parse_json" if locations else "json_remove(parse_json, '$.locations') AS parse_json"
        )
        columns = ", ".join([*_LIGHT_COLUMNS, parse, "score_json"])
        return [
            self._return(r)
            for r in self.conn.execute(
                f"SELECT {columns} FROM returns WHERE is_current = 1 ORDER BY country, id"
            )
        ]

    def receipts(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM receipts ORDER BY id")]

    def record_receipt(self, digest: str, path: str, result: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO receipts (sha256, path, received_at, result) VALUES (?, ?, ?, ?)",
                (digest, path, now(), result),
            )

    def record_return(self, new: NewReturn, path: str) -> tuple[ReturnRow, list[int]]:
        """Insert a return, its receipt and the country's new history in one transaction.

        Returns the row and the ids of the returns it superseded. The blob must
        already be in the archive (crash safety: archive first, then rows).
        """
        with self.transaction() as conn:
            known = (
                new.form_id is not None
                and conn.execute("SELECT 1 FROM forms WHERE form_id = ?", (new.form_id,)).fetchone()
                is not None
            )
            received = now()
            cur = conn.execute(
                "INSERT INTO returns (sha256, filename, size, received_at, outcome, reason,"
                " form_id, known_form, country, language, format, questionnaire, version,"
                " issued, errors, warnings, parse_json, problems_json, score_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.sha256,
                    new.filename,
                    new.size,
                    received,
                    new.outcome,
                    new.reason,
                    new.form_id,
                    int(known),
                    new.country,
                    new.language,
                    new.format,
                    new.questionnaire,
                    new.version,
                    new.issued.isoformat() if new.issued else None,
                    new.errors,
                    new.warnings,
                    new.parse_json,
                    new.problems_json,
                    new.score_json,
                ),
            )
            rid = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO receipts (sha256, path, received_at, result) VALUES (?, ?, ?, ?)",
                (new.sha256, path, received, new.outcome),
            )
            superseded: list[int] = []
            if new.outcome != "rejected" and new.country:
                superseded = self._rehistory(conn, new.country)
        row = self.conn.execute("SELECT * FROM returns WHERE id = ?", (rid,)).fetchone()
        return self._return(row), superseded

    @staticmethod
    def _rehistory(conn: sqlite3.Connection, country: str) -> list[int]:
        """Make the newest accepted return of ``country`` current; mark the others superseded.

        Newest = the latest issue date of the form, then the latest ingested.
        Returns the ids newly superseded.
        """
        rows = conn.execute(
            "SELECT id, is_current FROM returns WHERE country = ? AND outcome != 'rejected'"
            " ORDER BY COALESCE(issued, '') DESC, id DESC",
            (country,),
        ).fetchall()
        newest = rows[0]["id"]
        newly = [r["id"] for r in rows[1:] if r["is_current"]]
        conn.execute(
            "UPDATE returns SET is_current = (id = ?),"
            " superseded_by = CASE WHEN id = ? THEN NULL ELSE ? END"
            " WHERE country = ? AND outcome != 'rejected'",
            (newest, newest, newest, country),
        )
        return newly

    @staticmethod
    def _return(r: sqlite3.Row) -> ReturnRow:
        keys = set(r.keys())
        return ReturnRow(
            id=r["id"],
            sha256=r["sha256"],
            filename=r["filename"],
            size=r["size"],
            received_at=r["received_at"],
            outcome=r["outcome"],
            reason=r["reason"],
            form_id=r["form_id"],
            known_form=bool(r["known_form"]),
            country=r["country"],
            language=r["language"],
            format=r["format"],
            questionnaire=r["questionnaire"],
            version=r["version"],
            issued=_date(r["issued"]),
            errors=r["errors"],
            warnings=r["warnings"],
            parse_json=r["parse_json"] if "parse_json" in keys else None,
            problems_json=r["problems_json"],
            score_json=r["score_json"] if "score_json" in keys else None,
            is_current=bool(r["is_current"]),
            superseded_by=r["superseded_by"],
        )
