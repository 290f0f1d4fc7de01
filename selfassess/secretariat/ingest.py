"""Ingest returns into the store: archive, parse, score, record, keep the history.

Crash safety: for each file the original bytes go into the content-addressed
archive first (idempotent: a blob is written once, atomically), then the
rows (the return, its receipt and the country's new history) in one
transaction. A run killed at any point leaves either no row for a file, and
the next run records it, or its complete rows, and the next run reports it as
a duplicate. Nothing is lost or recorded twice.

Parsing runs in worker processes when there are enough files to pay for them;
the store is written by the calling process alone, in input order.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from selfassess.constants import Outcome, ReturnStatus
from selfassess.errors import Rejected, UsageError
from selfassess.forms.online import Submission, is_online_export, read_submissions
from selfassess.forms.parse import JSON_SUFFIX, load_response, questionnaire_for, read_return
from selfassess.i18n.localizer import Localizer
from selfassess.problems import Finding
from selfassess.response.interpret import ParseResult
from selfassess.safety.files import kind_of, not_regular, read_regular
from selfassess.safety.package import Limits
from selfassess.safety.text import shown
from selfassess.scoring import score
from selfassess.store import NewReturn, ReturnRow, Store, sha256

Result = ReturnStatus | Literal["duplicate"]
#: File name endings ingest tries to read; anything else is rejected with its reason.
READABLE = (".docx", ".xlsx", ".odt", ".ods", ".json", ".csv", ".zip")
#: Below this many files, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 8


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file."""

    path: str
    sha256: str | None
    """None when the file was not read (a link, a FIFO, a device...)."""
    result: Result
    return_id: int | None
    country: str | None = None
    form_id: str | None = None
    reason: str | None = None
    errors: int = 0
    warnings: int = 0
    superseded: tuple[int, ...] = ()
    """Ids of the earlier returns this one superseded."""
    messages: tuple[str, ...] = ()
    """Warnings of ingest itself (e.g. a form id the store did not issue)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "result": self.result,
            "return_id": self.return_id,
            "country": self.country,
            "form_id": self.form_id,
            "reason": self.reason,
            "errors": self.errors,
            "warnings": self.warnings,
            "superseded": list(self.superseded),
            "messages": list(self.messages),
        }


@dataclass
class IngestResult:
    files: list[FileOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(
            ("accepted", "accepted_with_problems", "duplicate", "rejected", "superseded"), 0
        )
        for f in self.files:
            out[f.result] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [f.to_json() for f in self.files],
            "counts": self.counts(),
            "warnings": self.warnings,
        }


def is_lock_file(path: Path) -> bool:
    """Office and LibreOffice owner/lock files and hidden files: never returns."""
    return path.name.startswith((".", "~$"))


def collect(paths: Iterable[Path | str], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named, and every entry under folders named (recursively), each once, sorted.

    Links are never followed inside a folder: a link, a FIFO or a device found
    there is listed like a file, so that ingest reports it as not read. A
    folder named on the command line is walked even when its name is a link
    (the secretariat chose it). Entries that are hidden or lock files
    (:func:`is_lock_file`), or that are in ``exclude`` (the store's own
    files), are left out.
    """
    skip = {_where(p) for p in exclude}

    def walk(folder: Path) -> Iterator[Path]:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                if is_lock_file(path) or _where(path) in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    yield from walk(path)
                else:
                    yield path

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(walk(path))
        elif os.path.lexists(path):
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {shown(str(path))}")
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = _where(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _where(path: Path) -> Path:
    """The absolute path of an entry, its folder resolved but not the entry itself."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


@dataclass(frozen=True)
class _Examined:
    """A file parsed and scored (or rejected) by a worker."""

    outcome: Outcome
    reason: str | None = None
    parse_json: str | None = None
    score_json: str | None = None
    submissions: tuple[Submission, ...] | None = None
    """The file is an online export told by its content (KoBoToolbox's .xlsx):
    its submissions, each recorded as a return of its own."""


def examine(
    data: bytes,
    name: str,
    key: bytes | None = None,
    lang: str = "en",
    limits: Limits | None = None,
) -> _Examined:
    """Parse and score one file's bytes; never raises, whatever the bytes."""
    try:
        result = _parse(data, name, key, Localizer(lang), limits)
        if isinstance(result, list):
            return _Examined("accepted", submissions=tuple(result))
        questionnaire = questionnaire_for(result.form.questionnaire, result.form.version)
        scored = score(result, questionnaire)
    except Rejected as exc:
        return _Examined("rejected", reason=str(exc))
    except Exception as exc:  # one file's failure, whatever it is, must not stop the batch
        return _Examined("rejected", reason=failure_reason(exc))
    outcome: Literal["accepted", "accepted_with_problems"] = (
        "accepted_with_problems" if result.errors else "accepted"
    )
    return _Examined(
        outcome,
        parse_json=result.model_dump_json(),
        score_json=json.dumps(scored.to_json(), ensure_ascii=False),
    )


def failure_reason(exc: BaseException) -> str:
    """The reason recorded for a file whose examination failed unexpectedly."""
    detail = shown(" ".join(str(exc).split()))[:200]
    return (
        f"the file could not be examined ({type(exc).__name__}: {detail}); it is kept in "
        "the archive: read it by hand, and report the failure to the developers"
    )


def _parse(
    data: bytes, name: str, key: bytes | None, ui: Localizer, limits: Limits | None = None
) -> ParseResult | list[Submission]:
    suffix = Path(name).suffix.lower()
    if suffix not in READABLE:
        raise Rejected(
            ui.gettext(
                "'{kind}' is not a form; send the completed .docx or .xlsx form "
                "(or a merged response .json)"
            ).format(kind=suffix or name)
        )
    # A return's problems are in its own language (problems.py), whatever ui's.
    if suffix == JSON_SUFFIX:
        return load_response(data, name=name, key=key, limits=limits)
    return read_return(data, name, key, limits)


def ingest_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    key: bytes | None = None,
    strict: bool = False,
    limits: Limits | None = None,
    workers: int | None = None,
    progress: Callable[[FileOutcome], None] | None = None,
    ui: Localizer | None = None,
) -> IngestResult:
    """Ingest files and folders into ``store``; see the module docstring.

    ``strict`` rejects a return whose form id the store did not issue
    (otherwise it is accepted with a warning). ``workers`` is the number of
    parsing processes (default: one per core, none for a few files).
    """
    ui = ui or Localizer("en")
    files = collect(paths, exclude=store.own_files())
    limits = limits or Limits.from_env()
    result = IngestResult()
    if workers is None:
        workers = (os.cpu_count() or 1) if len(files) >= MIN_FILES_FOR_WORKERS else 0
    pool: Executor | None = ProcessPoolExecutor(workers) if workers > 1 else None
    pending: deque[tuple[Path, str, int, Future[_Examined] | _Examined]] = deque()
    in_batch: set[str] = set()

    def finish(path: Path, digest: str, size: int, examined: _Examined) -> None:
        if examined.submissions is not None:
            exported(path, _record_submissions(store, path, digest, examined.submissions, ui))
            return
        try:
            outcome = _record(store, path, digest, size, examined, strict, ui)
        except sqlite3.IntegrityError:
            # Another process ingesting into the same store recorded this file
            # since it was looked up: a duplicate, not a failure.
            if store.return_by_sha(digest) is None:
                raise
            outcome = _duplicate(store, path, digest, ui)
        except Exception as exc:  # what one file's parse holds must not stop the batch
            if examined.outcome == "rejected":
                raise  # recording a bare rejection failed: the store itself is at fault
            failed = _Examined("rejected", reason=failure_reason(exc))
            outcome = _record(store, path, digest, size, failed, strict, ui)
        result.files.append(outcome)
        if progress:
            progress(outcome)

    def done(outcome: FileOutcome) -> None:
        result.files.append(outcome)
        if progress:
            progress(outcome)

    def exported(path: Path, outcomes: list[FileOutcome]) -> None:
        # An export is recorded as received even when it holds no submission:
        # say so, or the file would leave no line at all.
        if not outcomes:
            result.warnings.append(
                ui.gettext("{file}: the export holds no submissions").format(file=shown(str(path)))
            )
        for outcome in outcomes:
            done(outcome)

    try:
        for path in files:
            kind = kind_of(path)
            try:
                if kind is not None:
                    raise Rejected(not_regular(shown(str(path)), kind))
                data = read_regular(path, limits.max_file_bytes)
            except Rejected as exc:
                _drain(pending, finish, keep=0)
                done(FileOutcome(str(path), None, "rejected", None, reason=str(exc)))
                continue
            digest = sha256(data)
            if len(data) > limits.max_file_bytes:
                _drain(pending, finish, keep=0)
                done(_too_large(store, path, digest, limits, ui))
                continue
            if is_online_export(data, path.name):
                _drain(pending, finish, keep=0)
                exported(path, _ingest_export(store, path, data, digest, limits, ui))
                continue
            if store.return_by_sha(digest) is not None or digest in in_batch:
                _drain(pending, finish, keep=0)
                done(_duplicate(store, path, digest, ui))
                continue
            in_batch.add(digest)
            store.put_blob(data)
            job: Future[_Examined] | _Examined = (
                # The worker parses exactly the bytes that were archived.
                pool.submit(examine, data, str(path), key, ui.lang, limits)
                if pool
                else examine(data, str(path), key, ui.lang, limits)
            )
            pending.append((path, digest, len(data), job))
            _drain(pending, finish, keep=2 * max(workers, 1))
        _drain(pending, finish, keep=0)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    return result


def _drain(
    pending: deque[tuple[Path, str, int, Future[_Examined] | _Examined]],
    finish: Callable[[Path, str, int, _Examined], None],
    keep: int,
) -> None:
    """Record finished jobs in input order until at most ``keep`` are pending."""
    while len(pending) > keep:
        path, digest, size, job = pending.popleft()
        try:
            examined = job.result() if isinstance(job, Future) else job
        except Exception as exc:  # a worker that died on one file rejects that file only
            examined = _Examined("rejected", reason=failure_reason(exc))
        finish(path, digest, size, examined)


def _ingest_export(
    store: Store, path: Path, data: bytes, digest: str, limits: Limits, ui: Localizer
) -> list[FileOutcome]:
    """Each submission of an online export is a return of its own.

    The export is archived as received; each submission's record (what was read
    of it) is archived and recorded like a returned form. A submission whose
    instance was already received with as many or more edits is a duplicate; one
    with more edits supersedes the earlier version.
    """
    try:
        submissions = read_submissions(data, path.name, limits=limits, ui=ui)
    except Exception as exc:  # one file's failure, whatever it is, must not stop the batch
        reason = str(exc) if isinstance(exc, Rejected) else failure_reason(exc)
        if store.return_by_sha(digest) is not None:
            return [_duplicate(store, path, digest, ui)]
        store.put_blob(data)
        row, _ = store.record_return(
            NewReturn(
                sha256=digest, filename=path.name, size=len(data), outcome="rejected", reason=reason
            ),
            str(path),
        )
        return [FileOutcome(str(path), digest, "rejected", row.id, reason=reason)]
    store.put_blob(data)
    return _record_submissions(store, path, digest, submissions, ui)


def _record_submissions(
    store: Store, path: Path, digest: str, submissions: Iterable[Submission], ui: Localizer
) -> list[FileOutcome]:
    """Record an export (archived already) as received, and each submission as a
    return: a duplicate when its instance was received with as many edits or more."""
    store.record_receipt(digest, str(path), "export")
    outcomes: list[FileOutcome] = []
    for sub in submissions:
        where = Path(f"{path}#{sub.instance_id}")
        body = sha256(sub.record)
        earlier = _received_version(store, sub)
        if store.return_by_sha(body) is not None:
            outcomes.append(_duplicate(store, where, body, ui))
            continue
        if earlier is not None:
            store.record_receipt(body, str(where), "duplicate")
            outcomes.append(
                FileOutcome(
                    path=str(where),
                    sha256=body,
                    result="duplicate",
                    return_id=earlier.id,
                    country=earlier.country,
                    form_id=earlier.form_id,
                    reason=ui.gettext(
                        "submission {instance} was already received with as many or more "
                        "edits (return {id})"
                    ).format(instance=shown(sub.instance_id), id=earlier.id),
                )
            )
            continue
        store.put_blob(sub.record)
        try:
            scored = score(
                sub.result,
                questionnaire_for(sub.result.form.questionnaire, sub.result.form.version),
            )
            examined = _Examined(
                "accepted_with_problems" if sub.result.errors else "accepted",
                parse_json=sub.result.model_dump_json(),
                score_json=json.dumps(scored.to_json(), ensure_ascii=False),
            )
        except Exception as exc:  # one submission's failure must not stop the others
            examined = _Examined(
                "rejected", reason=str(exc) if isinstance(exc, Rejected) else failure_reason(exc)
            )
        outcomes.append(_record(store, where, body, len(sub.record), examined, False, ui))
    return outcomes


def _received_version(store: Store, sub: Submission) -> ReturnRow | None:
    """An accepted return of the same instance with as many edits or more, if any."""
    info = sub.result.form.submission
    if info is None or not sub.instance_id:
        return None
    for row in store.returns(sub.result.form.country):
        if row.form_id != sub.instance_id or row.outcome == "rejected":
            continue
        stored = row.parse().get("form", {}).get("submission") or {}
        if int(stored.get("edits") or 0) >= info.edits:
            return row
    return None


def _duplicate(store: Store, path: Path, digest: str, ui: Localizer) -> FileOutcome:
    first = store.return_by_sha(digest)
    store.record_receipt(digest, str(path), "duplicate")
    return FileOutcome(
        path=str(path),
        sha256=digest,
        result="duplicate",
        return_id=first.id if first else None,
        country=first.country if first else None,
        form_id=first.form_id if first else None,
        reason=ui.gettext("already received as {name}").format(name=shown(first.filename))
        if first
        else ui.gettext("given twice in this run"),
    )


def _too_large(store: Store, path: Path, digest: str, limits: Limits, ui: Localizer) -> FileOutcome:
    """Record an oversized file by name and the hash of its first limit + 1 bytes
    (all that is ever read of it); its bytes are not kept."""
    if store.return_by_sha(digest) is not None:
        return _duplicate(store, path, digest, ui)
    reason = ui.gettext(
        "The file is over the limit of {size} MiB and was not kept; ask for the form "
        "without embedded files."
    ).format(size=ui.number(limits.max_file_bytes // (1024 * 1024)))
    row, _ = store.record_return(
        NewReturn(
            sha256=digest,
            filename=path.name,
            size=path.lstat().st_size,
            outcome="rejected",
            reason=reason,
        ),
        str(path),
    )
    return FileOutcome(str(path), digest, "rejected", row.id, reason=reason)


def _record(
    store: Store,
    path: Path,
    digest: str,
    size: int,
    examined: _Examined,
    strict: bool,
    ui: Localizer,
) -> FileOutcome:
    if examined.outcome == "rejected" or examined.parse_json is None:
        row, _ = store.record_return(
            NewReturn(
                sha256=digest,
                filename=path.name,
                size=size,
                outcome="rejected",
                reason=examined.reason,
            ),
            str(path),
        )
        return FileOutcome(str(path), digest, "rejected", row.id, reason=examined.reason)
    parsed = ParseResult.model_validate_json(examined.parse_json)
    info = parsed.form
    findings: list[Finding] = []
    # An online submission names no issued form: its server authenticated the submitter.
    issued_form = None if info.submission else store.form(info.form_id)
    outcome: Outcome = examined.outcome
    reason = None
    if issued_form is None and info.submission is None:
        if strict:
            reason = ui.gettext(
                "The store did not issue form {form_id}; with --strict only issued forms are "
                "accepted. Check the file's origin, or ingest it without --strict."
            ).format(form_id=info.form_id)
            outcome = "rejected"
        else:
            findings.append(Finding("form_not_issued", params={"form_id": info.form_id}))
    elif (
        issued_form is not None
        and issued_form.country
        and info.country
        and issued_form.country != info.country
    ):
        findings.append(
            Finding(
                "issued_to_other_country",
                params={
                    "form_id": info.form_id,
                    "issued": issued_form.country,
                    "found": info.country,
                },
            )
        )
    # Stored with the return's problems, in its language; shown to the secretariat in ui's.
    form_loc = Localizer(info.language)
    problems = list(parsed.problems) + [f.render(form_loc) for f in findings]
    messages = [f.render(ui).message for f in findings]
    errors = sum(p.severity == "error" for p in problems)
    new = NewReturn(
        sha256=digest,
        filename=path.name,
        size=size,
        outcome=outcome,
        reason=reason,
        form_id=info.form_id,
        country=info.country,
        language=info.language,
        format=info.format,
        questionnaire=info.questionnaire,
        version=info.version,
        parse_json=examined.parse_json,
    )
    if outcome != "rejected":
        # Only an accepted return counts problems, carries a score and dates its issue.
        new = replace(
            new,
            issued=info.issued or (issued_form.issued if issued_form else None),
            errors=errors,
            warnings=len(problems) - errors,
            problems_json=json.dumps(
                [p.model_dump(mode="json") for p in problems], ensure_ascii=False
            ),
            score_json=examined.score_json,
        )
    row, superseded = store.record_return(new, str(path))
    shown: Result = "superseded" if row.status == "superseded" else row.outcome
    return FileOutcome(
        path=str(path),
        sha256=digest,
        result=shown,
        return_id=row.id,
        country=row.country,
        form_id=row.form_id,
        reason=row.reason,
        errors=row.errors,
        warnings=row.warnings,
        superseded=tuple(superseded),
        messages=tuple(messages),
    )


def ingest_into(
    store_path: Path,
    paths: Iterable[Path | str],
    *,
    key: bytes | None = None,
    strict: bool = False,
    limits: Limits | None = None,
    progress: Callable[[FileOutcome], None] | None = None,
) -> IngestResult:
    """``selfassess ingest``: :func:`ingest_paths` into the store at ``store_path``
    (created when missing). The limits are read before the store is opened, so
    a bad ``$SELFASSESS_LIMITS`` changes nothing."""
    limits = limits or Limits.from_env()
    with Store(store_path) as store:
        return ingest_paths(store, paths, key=key, strict=strict, limits=limits, progress=progress)
