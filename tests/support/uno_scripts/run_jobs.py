"""Entry point: run a list of fill/resave jobs in one LibreOffice start.

Reads a JSON request on stdin::

    {"soffice": "/usr/bin/soffice", "profile": "/tmp/...",
     "jobs": [{"op": "calc_fill" | "writer_fill" | "resave",
               "src": "...", "dst": "...", "filter": "...",
               "values": {"KEY": {"type": "str|number|date|bool", "value": ...}},
               "typed": true}]}

and writes {"seconds": [per job], "startup": s} to stdout. Any failure is
one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import calc
import writer
from office import JobError, Office


def run_job(office: Office, job: dict[str, Any]) -> None:
    doc = office.load(job["src"])
    try:
        if job["op"] == "calc_fill":
            calc.fill(doc, job["values"], job.get("typed", True))
        elif job["op"] == "writer_fill":
            writer.fill(doc, job["values"])
        elif job["op"] != "resave":
            raise JobError(f"unknown operation {job['op']!r}")
        office.store(doc, job["dst"], job["filter"], job.get("password"))
    finally:
        doc.close(True)


def run(request: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    office = Office(request["soffice"], request["profile"])
    report: dict[str, Any] = {"startup": time.monotonic() - started, "seconds": []}
    try:
        for job in request["jobs"]:
            began = time.monotonic()
            try:
                run_job(office, job)
            except JobError as error:
                raise JobError(f"{job['src']}: {error}") from None
            report["seconds"].append(time.monotonic() - began)
    finally:
        office.close()
    return report


def main() -> int:
    try:
        report = run(json.load(sys.stdin))
    except JobError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    except Exception as error:  # UNO raises its own exception types; report any of them
        sys.stderr.write(f"LibreOffice failed: {error!r}\n")
        return 2
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
