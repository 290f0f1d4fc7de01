"""Fill, re-save and convert documents with a real LibreOffice, for tests.

A form is only proven fillable when an editor people use has filled it and the
result still parses. These helpers play that person: they open a .docx or
.xlsx in LibreOffice, enter values the way the user interface would, and save.

LibreOffice's Python binding (``uno``) belongs to the system Python
(/usr/bin/python3), not to the project's interpreter, so each call runs the
scripts in ``uno_scripts/`` as a subprocess with a JSON request on stdin. Each
call starts its own soffice with a fresh temporary profile, and the whole
process group is killed when the call ends or times out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SOFFICE: str | None = shutil.which("soffice")
SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPTS = Path(__file__).parent / "uno_scripts"
# Content controls keep their tags and aliases from 7.5 on; 7.4 strips them.
MIN_VERSION = (7, 5)
TIMEOUT_S = 120.0
# A batch gets more time per file: six full forms filled in one start took over
# 120 s while seven other test runs shared the two cores.
TIMEOUT_PER_JOB_S = 60.0

CALC_FILTER = "Calc MS Excel 2007 XML"
WRITER_FILTER = "MS Word 2007 XML"
FILTERS = {
    ".xlsx": CALC_FILTER,
    ".docx": WRITER_FILTER,
    ".ods": "calc8",
    ".odt": "writer8",
}

Value = str | int | float | bool | dt.date


class LibreOfficeError(RuntimeError):
    """LibreOffice failed, timed out, or could not do what a call asked."""


@cache
def has_uno() -> bool:
    """True when the system Python can import LibreOffice's ``uno`` module."""
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@cache
def version() -> tuple[int, ...] | None:
    """LibreOffice's version as numbers, from ``soffice --version``, or None."""
    if SOFFICE is None:
        return None
    with tempfile.TemporaryDirectory(prefix="selfassess-lo-") as profile:
        try:
            done = _run([SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--version"])
        except LibreOfficeError:
            return None
    match = re.search(r"LibreOffice (\d+(?:\.\d+)+)", done.stdout)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


@cache
def skip_reason() -> str | None:
    """Why LibreOffice tests cannot run here, or None when they can."""
    if SOFFICE is None or not has_uno():
        return (
            "LibreOffice 25.2 with python3-uno is not installed; run scripts/install-system-deps.sh"
        )
    found = version()
    if found is None or found < MIN_VERSION:
        shown = ".".join(map(str, found)) if found else "of unknown version"
        return (
            f"LibreOffice {shown} is too old (content controls need >= 7.5); "
            "run scripts/install-system-deps.sh"
        )
    return None


# A plain marker, so it works both as a decorator and as a module's
# ``pytestmark``; tests/conftest.py skips marked tests with `skip_reason()`,
# checked only when such a test is about to run.
requires_libreoffice = pytest.mark.libreoffice


def _run(
    command: list[str], stdin: str | None = None, timeout: float = TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run a command in its own process group; kill the whole group afterwards."""
    with subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            process.communicate()
            raise LibreOfficeError(
                f"LibreOffice did not finish within {timeout:.0f} s: {' '.join(command)}"
            ) from None
        finally:
            # soffice.bin can outlive its launcher; nothing of this call may survive it.
            _kill_group(process.pid)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _tagged(key: str, value: object) -> dict[str, object]:
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int | float):
        return {"type": "number", "value": value}
    if isinstance(value, dt.datetime):
        raise TypeError(f"{key}: pass a datetime.date, not a datetime")
    if isinstance(value, dt.date):
        return {"type": "date", "value": value.isoformat()}
    if isinstance(value, str):
        return {"type": "str", "value": value}
    raise TypeError(f"{key}: cannot enter a {type(value).__name__} in a form")


@dataclass(frozen=True)
class Timing:
    """Seconds spent starting LibreOffice and on each job of one call."""

    startup: float
    jobs: list[float]


def _run_jobs(jobs: list[dict[str, object]]) -> Timing:
    if SOFFICE is None:
        raise LibreOfficeError("soffice not found; run scripts/install-system-deps.sh")
    with tempfile.TemporaryDirectory(prefix="selfassess-lo-") as profile:
        request = {"soffice": SOFFICE, "profile": profile, "jobs": jobs}
        done = _run(
            [SYSTEM_PYTHON, str(SCRIPTS / "run_jobs.py")],
            stdin=json.dumps(request),
            timeout=TIMEOUT_S + TIMEOUT_PER_JOB_S * len(jobs),
        )
    if done.returncode != 0:
        raise LibreOfficeError(done.stderr.strip() or f"exit status {done.returncode}")
    report = json.loads(done.stdout)
    return Timing(startup=report["startup"], jobs=report["seconds"])


def _filter_for(path: Path) -> str:
    try:
        return FILTERS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: only {', '.join(FILTERS)} can be saved back") from None


def _fill_job(op: str, src: Path, dst: Path, values: Mapping[str, Value]) -> dict[str, object]:
    return {
        "op": op,
        "src": str(Path(src).resolve()),
        "dst": str(Path(dst).resolve()),
        "filter": _filter_for(Path(dst)),
        "values": {key: _tagged(key, value) for key, value in values.items()},
    }


def calc_fill_many(
    files: Iterable[tuple[Path, Path, Mapping[str, Value]]], *, typed: bool = True
) -> Timing:
    """Fill several workbooks in one LibreOffice start; see `calc_fill`."""
    jobs = []
    for src, dst, values in files:
        for key, value in values.items():
            if isinstance(value, bool):
                raise TypeError(f"{key}: a workbook cell takes text, a number or a date")
        jobs.append({**_fill_job("calc_fill", src, dst, values), "typed": typed})
    return _run_jobs(jobs)


def calc_fill(src: Path, dst: Path, values: Mapping[str, Value], *, typed: bool = True) -> Timing:
    """Open ``src`` (.xlsx) in Calc, enter values, save as .xlsx to ``dst``.

    Keys are workbook defined names, each referring to one cell. A str is typed
    into the cell when ``typed`` (Calc then reads "42" as a number, an ISO date
    as a date and "=..." as a formula, as its input line does) or stored as
    text otherwise; an int or float is a number; a date is a date value shown
    as YYYY-MM-DD.
    """
    return calc_fill_many([(src, dst, values)], typed=typed)


def writer_fill_many(files: Iterable[tuple[Path, Path, Mapping[str, Value]]]) -> Timing:
    """Fill several documents in one LibreOffice start; see `writer_fill`."""
    return _run_jobs([_fill_job("writer_fill", src, dst, actions) for src, dst, actions in files])


def writer_fill(src: Path, dst: Path, actions: Mapping[str, Value]) -> Timing:
    """Open ``src`` (.docx) in Writer, fill content controls by tag, save as .docx to ``dst``.

    A str replaces the text of a text control ("\\n" is a line break) or picks
    the drop-down item with that display text; a bool checks or clears a
    checkbox; a date is picked in a date control (its text follows the
    control's date format). Every control with the tag gets the value; a tag
    not in the document raises `LibreOfficeError`.
    """
    return writer_fill_many([(src, dst, actions)])


def resave(src: Path, dst: Path) -> Timing:
    """Open ``src`` and save it untouched to ``dst`` in the format of ``dst``'s suffix."""
    return _run_jobs([_fill_job("resave", src, dst, {})])


def resave_many(files: Iterable[tuple[Path, Path]], *, password: str | None = None) -> Timing:
    """`resave` for several files in one LibreOffice start; with ``password``,
    each is saved encrypted, as File > Save As with "Save with password" does."""
    jobs = [_fill_job("resave", src, dst, {}) for src, dst in files]
    return _run_jobs([{**job, "password": password} if password else job for job in jobs])


def to_pdf(src: Path, outdir: Path) -> Path:
    """Convert a document to PDF in ``outdir`` and return the PDF's path."""
    if SOFFICE is None:
        raise LibreOfficeError("soffice not found; run scripts/install-system-deps.sh")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="selfassess-lo-") as profile:
        done = _run(
            [
                SOFFICE,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(src),
            ]
        )
    pdf = outdir / (Path(src).stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise LibreOfficeError(
            f"{src}: conversion to PDF failed: {(done.stderr or done.stdout).strip()}"
        )
    return pdf
