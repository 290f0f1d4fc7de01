"""The whole round for every Party: generate, fill, ingest, status, report.

Prints the wall time, the CPU time and the peak memory of each step. CPU
time is user + system of this process and of its worker processes (the
getrusage SELF and CHILDREN deltas, children counted once they have been
waited for, which the pools do at the end of each step): unlike wall time it
hardly moves when other work shares the machine, so it is what compares
runs on a shared machine. Memory is the largest resident size of this
process and of any worker. Filling runs in worker processes too
(respondents work in parallel). Not a test; figures go in
docs/secretariat.md.

    python benchmarks/bench_round.py [--parties N] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.respondent import fill_xlsx, random_answers
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.ingest import ingest_paths
from selfassess.secretariat.round import issue_round
from selfassess.secretariat.status import status
from selfassess.store import Store
from tests.forms.docx_fill import fill_answers as fill_docx

T = TypeVar("T")


def _cpu() -> tuple[float, float]:
    """User + system seconds of this process, and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def step(name: str, fn: Callable[[], T]) -> T:
    """Run one step; print its wall and CPU time and the peak resident memory so far.

    Memory is read from the kernel (peak RSS of this process and of the
    largest worker) rather than with tracemalloc: tracing started here is
    inherited by forked workers and slowed them several times over.
    """
    start = time.perf_counter()
    own0, kids0 = _cpu()
    result = fn()
    seconds = time.perf_counter() - start
    own1, kids1 = _cpu()
    own, kids = own1 - own0, kids1 - kids0
    main_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{name:<10} {seconds:8.1f} s wall   CPU {own + kids:7.1f} s "
        f"(main {own:6.1f}, workers {kids:6.1f})   peak RSS main {main_rss:7.1f} MiB   "
        f"largest worker {children:7.1f} MiB",
        flush=True,
    )
    return result


def fill_one(blank: Path, target: Path, fmt: str, lang: str, country: str, seed: int) -> None:
    """A respondent: random valid answers typed into one form (in a worker process)."""
    q = load_questionnaire()
    fill = fill_xlsx if fmt == "xlsx" else fill_docx
    answers = random_answers(q, random.Random(seed), country)
    target.write_bytes(fill(blank.read_bytes(), answers, q, lang))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parties", type=int, default=0, help="first N Parties (default: all)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-round-"))
    q = load_questionnaire()
    parties = load_parties()
    if args.parties:
        parties = parties.select(parties.codes()[: args.parties])
    rng = random.Random(1)
    print(f"{len(parties.parties)} Parties into {out}", flush=True)
    with Store(out / "store.sqlite") as store:
        rnd = step(
            "generate",
            lambda: issue_round(
                store,
                q,
                parties,
                out / "forms",
                formats=["docx", "xlsx"],
                deadline=dt.date(2025, 3, 31),
                issued=dt.date(2025, 2, 1),
            ),
        )
        returns = out / "returns"
        returns.mkdir()

        def fill_all() -> int:
            jobs = [
                (
                    f.path,
                    returns / f.path.name,
                    f.format,
                    f.meta.language,
                    f.meta.country,
                    rng.randrange(2**32),
                )
                for f in rnd.forms
            ]
            with ProcessPoolExecutor() as pool:
                list(pool.map(fill_one, *zip(*jobs, strict=True), chunksize=4))
            return len(jobs)

        print(f"{step('fill', fill_all)} forms", flush=True)
        result = step("ingest", lambda: ingest_paths(store, [returns]))
        print(result.counts(), flush=True)
        step("status", lambda: status(store, parties))

        def report() -> None:
            rep = aggregate(store, parties, country_detail=True)
            write_report_xlsx(rep, out / "aggregate.xlsx")
            write_report_docx(rep, out / "aggregate.docx")

        step("report", report)


if __name__ == "__main__":
    main()
