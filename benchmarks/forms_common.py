"""What the form benchmarks share: a complete return, timing, and memory.

Each benchmark generates the default questionnaire with the simulated
respondent's complete answers prefilled (selfassess.forms.respondent), so that
parsing reads a complete return. Time is the median of
several warm runs. Memory is the peak of Python allocations (tracemalloc,
which misses lxml's C trees) during one more run, and, measured in a fresh
process (Linux only), how far the resident size rose above its level before
one cold step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import complete_answers
from selfassess.response.meta import FormMeta

LANGS = ("en", "ar")
Writer = Callable[..., None]
Step = Callable[[], object]


def bench_meta(q: Questionnaire, lang: str) -> FormMeta:
    return FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        form_id="fbenchmark",
        issued=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )


def write_return(write: Writer, lang: str) -> bytes:
    """The complete return in ``lang``, as bytes."""
    q = load_questionnaire()
    out = io.BytesIO()
    write(q, bench_meta(q, lang), out, prefill=complete_answers(q))
    return out.getvalue()


def measure(step: Step, runs: int) -> tuple[float, float]:
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


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def child(write: Writer, step_name: str, lang: str, path: str) -> None:
    """In a fresh process: how far the resident size rises during one cold step.

    Only the questionnaire and the catalogue are loaded beforehand, as the CLI
    would; the parse step reads the return the parent wrote at ``path``.
    """
    q = load_questionnaire()
    load_catalogue(q.catalogue)
    meta, prefill = bench_meta(q, lang), complete_answers(q)
    blob = Path(path).read_bytes()
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current resident size
    except OSError:
        print("n/a")
        return
    before = _status_kib("VmRSS")
    if step_name == "generate":
        write(q, meta, io.BytesIO(), prefill=prefill)
    else:
        parse_form(io.BytesIO(blob))
    peak = _status_kib("VmHWM")
    if before is None or peak is None:
        print("n/a")
        return
    print(f"{(peak - before) / 1024:.1f} MiB (peak resident size {peak / 1024:.0f} MiB)")


def main(
    module: str,
    doc: str | None,
    write: Writer,
    ext: str,
    after: Callable[[int], None] | None = None,
) -> None:
    """The command line of one form benchmark (``python -m MODULE [--runs N]``)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(write, *args.child)
        return
    q = load_questionnaire()
    print(f"{len(q.items())} items, median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGS:
            blob = write_return(write, lang)
            path = Path(tmp) / f"{lang}.{ext}"
            path.write_bytes(blob)
            parse_form(io.BytesIO(blob))  # warm the caches

            def generate(lang: str = lang) -> None:
                write(q, bench_meta(q, lang), io.BytesIO(), prefill=complete_answers(q))

            def parse(blob: bytes = blob) -> None:
                parse_form(io.BytesIO(blob))

            for name, step in (("generate", generate), ("parse", parse)):
                seconds, peak = measure(step, args.runs)
                growth = subprocess.run(
                    [sys.executable, "-m", module, "--child", name, lang, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
                print(
                    f"{lang} {name}: {seconds * 1000:.0f} ms, Python peak {peak:.1f} MiB, "
                    f"resident growth {growth}"
                )
    if after:
        after(args.runs)
