"""Peak memory of ``status`` and of the aggregate report, against stored returns.

A store is filled with N returns, spread over every Party in turn (so beyond
the first 194 they are resubmissions that supersede each other), each the
real parse and score of one blank Excel form (its parse keeps the location
of every answer, about 33 KB). Then, in a fresh process per step, the peak
Python heap (tracemalloc) of ``status`` and of ``aggregate`` with the
country annex is printed (the second run of the step, so that what any
run loads once does not count). Flat means the same peak at 200 and at 2,000
returns. Not a test; figures go in docs/performance.md.

    python benchmarks/bench_memory.py [--returns 200 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.response.meta import FormMeta
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.ingest import examine
from selfassess.secretariat.status import status
from selfassess.store import NewReturn, Store

AS_OF = dt.date(2026, 12, 1)


def build(path: Path, count: int) -> None:
    """A store of ``count`` accepted returns, the Parties in turn."""
    q = load_questionnaire()
    codes = load_parties().codes()
    form = path.parent / "form.xlsx"
    meta = FormMeta(
        questionnaire=q.id,
        version=q.version,
        language="en",
        country=codes[0],
        form_id="bench-memory",
        issued=AS_OF,
    )
    write_xlsx(q, meta, form)
    examined = examine(form.read_bytes(), form.name)
    with Store(path) as store:
        for n in range(count):
            store.record_return(
                NewReturn(
                    sha256=f"{n:064x}",
                    filename=f"return-{n}.xlsx",
                    size=form.stat().st_size,
                    outcome=examined.outcome,
                    country=codes[n % len(codes)],
                    language="en",
                    format="xlsx",
                    questionnaire=q.id,
                    version=q.version,
                    issued=AS_OF,
                    parse_json=examined.parse_json,
                    score_json=examined.score_json,
                ),
                f"archive/return-{n}.xlsx",
            )


def measure(path: str, step: str) -> None:
    """In a fresh process: the peak heap of one step, in MiB."""
    parties = load_parties()
    with Store(path, create=False) as store:

        def run() -> None:
            if step == "status":
                status(store, parties, as_of=AS_OF)
            else:
                aggregate(store, parties, country_detail=True, as_of=AS_OF)

        # Once untraced, so that what any run loads once (catalogs, CLDR data,
        # the definition) does not count: what is left is what the returns cost.
        run()
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
    print(f"{peak / 2**20:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--returns", type=int, nargs="+", default=[200, 2000])
    args = ap.parse_args()
    print("returns | status peak heap | report figures peak heap")
    print("--- | --- | ---")
    for count in args.returns:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
            path = Path(tmp) / "store.sqlite"
            build(path, count)
            peaks = [
                subprocess.run(
                    [sys.executable, __file__, "--measure", str(path), step],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                for step in ("status", "report")
            ]
        print(f"{count} | {peaks[0]} MiB | {peaks[1]} MiB", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
