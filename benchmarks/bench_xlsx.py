"""Time and peak memory of generating and parsing the full default Excel form.

Run: ``python -m benchmarks.bench_xlsx [--runs N]``. Prints one line per
language and step, then how openpyxl's full and read-only modes compare on
the same return; the figures go in docs/excel-forms.md.

Generating writes the default questionnaire (every item, a blank country
drop-down) with every answer prefilled, so that parsing reads a complete
return. Memory is the peak of Python allocations (tracemalloc) during the
step, and, measured in a fresh process (Linux only), how far the resident size
rose above its level before the step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

from openpyxl import load_workbook

from selfassess.constants import XLSX_NAME_PREFIX
from selfassess.forms.meta import FormMeta
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.parse import parse_form
from selfassess.questionnaire import load_questionnaire
from selfassess.response import Answer
from selfassess.sheets import destination

LANGS = ("en", "ar")


def _answers() -> dict[str, Answer]:
    q = load_questionnaire()
    out: dict[str, Answer] = {}
    for n, item in enumerate(q.items()):
        codes = [c.code for c in q.choices_of(item)]
        out[item.id] = {
            "choice": codes[0] if codes else None,
            "multichoice": codes[::2] or None,
            "number": 1234.5 + n,
            "date": (dt.date(2025, 1, 1) + dt.timedelta(days=n)).isoformat(),
            "text": f"Answer to {item.ref}: legislation, policies and cases.",
        }[item.type]
    return out


def _meta(lang: str) -> FormMeta:
    q = load_questionnaire()
    return FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        form_id="fbenchmark",
        issued=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )


def _blob(lang: str) -> bytes:
    out = io.BytesIO()
    write_xlsx(load_questionnaire(), _meta(lang), out, prefill=_answers())
    return out.getvalue()


def _steps(lang: str) -> tuple[Callable[[], object], Callable[[], object]]:
    """(generate, parse) of the full form in ``lang``, caches warmed."""
    q = load_questionnaire()
    meta, prefill = _meta(lang), _answers()
    blob = _blob(lang)
    parse_form(io.BytesIO(blob))

    def generate() -> None:
        write_xlsx(q, meta, io.BytesIO(), prefill=prefill)

    def parse() -> None:
        parse_form(io.BytesIO(blob))

    return generate, parse


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def child(step_name: str, lang: str) -> None:
    """In a fresh process: how far the resident size rises during one step (Linux)."""
    generate, parse = _steps(lang)
    step = generate if step_name == "generate" else parse
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current resident size
    except OSError:
        print("n/a")
        return
    before = _status_kib("VmRSS")
    step()
    peak = _status_kib("VmHWM")
    if before is None or peak is None:
        print("n/a")
        return
    print(f"{(peak - before) / 1024:.1f} MiB (peak resident size {peak / 1024:.0f} MiB)")


def _rss_growth(step_name: str, lang: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_xlsx", "--child", step_name, lang],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _measure(step: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median seconds, peak MiB of Python allocations)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def _modes(blob: bytes, runs: int) -> None:
    """Load the return and read every slot through its name, in each openpyxl mode."""
    for read_only in (False, True):

        def read(read_only: bool = read_only) -> int:
            wb = load_workbook(io.BytesIO(blob), read_only=read_only, keep_links=False)
            seen = 0
            for name, dn in wb.defined_names.items():
                if name.startswith(XLSX_NAME_PREFIX):
                    found = destination(dn)
                    seen += found is not None and wb[found[0]][found[1]].value is not None
            return seen

        seconds, peak = _measure(read, runs)
        mode = "read_only" if read_only else "full"
        print(
            f"openpyxl {mode}: {seconds * 1000:.0f} ms to load and read "
            f"{read()} answered slots by name, Python peak {peak:.1f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("STEP", "LANG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    q = load_questionnaire()
    print(f"{len(q.items())} items, median of {args.runs} runs")
    for lang in LANGS:
        generate, parse = _steps(lang)
        for name, step in (("generate", generate), ("parse", parse)):
            seconds, peak = _measure(step, args.runs)
            print(
                f"{lang} {name}: {seconds * 1000:.0f} ms, Python peak {peak:.1f} MiB, "
                f"resident growth {_rss_growth(name, lang)}"
            )
    _modes(_blob("en"), max(1, args.runs // 2))


if __name__ == "__main__":
    main()
