"""The aggregate report for every Party: figures, Word and Excel.

A store of one synthetic reply per Party (random valid answers, ingested as
response JSON, so no form is written or filled) is built in a temporary
folder; then the aggregate figures and the two report files, with the
confidential annex, are timed: the median of warm runs, as wall time and as
CPU time of this process (the CPU time is steadier on a shared machine). The
floor is the time to save python-docx's empty document in the same run, so
that figures from machines of different speeds compare as ratios. Not a
test; figures go in docs/secretariat.md.

    python benchmarks/bench_reports.py [--parties N] [--runs R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx

from selfassess.definitions.parties import Parties, load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.respondent import random_answers
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.scoring import response_with
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import Store

AS_OF = dt.date(2026, 12, 1)


def build_store(folder: Path, parties: Parties) -> Path:
    q = load_questionnaire()
    rng = random.Random(1)
    replies = folder / "replies"
    replies.mkdir()
    for code in parties.codes():
        reply = response_with(q, random_answers(q, rng))
        form = reply.form.model_copy(update={"country": code, "form_id": f"f{code.lower()}"})
        path = replies / f"{code}.json"
        path.write_text(reply.model_copy(update={"form": form}).model_dump_json())
    with Store(folder / "store.sqlite") as store:
        ingest_paths(store, [replies])
    return folder / "store.sqlite"


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` warm runs."""
    fn()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parties", type=int, default=0, help="first N Parties (default: all)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lang", default="en")
    args = ap.parse_args()
    parties = load_parties()
    if args.parties:
        parties = parties.select(parties.codes()[: args.parties])
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        store_path = build_store(Path(tmp), parties)
        with Store(store_path) as store:

            def figures() -> object:
                return aggregate(store, parties, lang=args.lang, country_detail=True, as_of=AS_OF)

            report = aggregate(store, parties, lang=args.lang, country_detail=True, as_of=AS_OF)
            steps = {
                "floor (empty .docx)": lambda: docx.Document().save(io.BytesIO()),
                "aggregate figures": figures,
                "aggregate .docx": lambda: write_report_docx(report, io.BytesIO()),
                "aggregate .xlsx": lambda: write_report_xlsx(report, io.BytesIO()),
            }
            print(
                f"{len(parties.parties)} Parties, {args.lang}, with the annex; "
                f"medians of {args.runs}"
            )
            floor = None
            for name, fn in steps.items():
                wall, cpu = timed(fn, args.runs)
                floor = floor or cpu
                print(
                    f"{name:<22} wall {wall:6.3f} s   CPU {cpu:6.3f} s   {cpu / floor:6.1f} x floor"
                )


if __name__ == "__main__":
    main()
