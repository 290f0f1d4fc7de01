"""Time and peak memory of generating and parsing the full default Word form.

Run: ``python -m benchmarks.bench_docx [--runs N]``. Prints one line per
language and step; the figures go in docs/word-forms.md.

Generating writes the default questionnaire (every item, a blank country
drop-down) with every answer prefilled, so that parsing reads a complete
return. Memory is the peak of Python allocations (tracemalloc) during the step,
which misses lxml's C trees, and, measured in a fresh process (Linux only), how
far the resident size rose above its level before the step.
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

from selfassess.catalogue import load_catalogue
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.meta import FormMeta
from selfassess.parse import parse_form
from selfassess.questionnaire import load_questionnaire
from selfassess.response import Answer

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


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _form(lang: str) -> tuple[FormMeta, dict[str, Answer]]:
    q = load_questionnaire()
    meta = FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        form_id="fbenchmark",
        issued=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )
    return meta, _answers()


def _steps(lang: str) -> tuple[Callable[[], object], Callable[[], object], bytes]:
    """(generate, parse) of the full form in ``lang``, caches warmed."""
    q = load_questionnaire()
    meta, prefill = _form(lang)
    out = io.BytesIO()
    write_docx(q, meta, out, prefill=prefill)
    blob = out.getvalue()
    parse_form(io.BytesIO(blob))

    def generate() -> None:
        write_docx(q, meta, io.BytesIO(), prefill=prefill)

    def parse() -> None:
        parse_form(io.BytesIO(blob))

    return generate, parse, blob


def child(step_name: str, lang: str, path: str) -> None:
    """In a fresh process: how far the resident size rises during one cold step.

    Only the questionnaire and the catalogue are loaded beforehand, as the CLI
    would; the parse step reads the form written by the parent at ``path``.
    """
    q = load_questionnaire()
    load_catalogue(q.catalogue)
    meta, prefill = _form(lang)
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
        write_docx(q, meta, io.BytesIO(), prefill=prefill)
    else:
        parse_form(io.BytesIO(blob))
    peak = _status_kib("VmHWM")
    print("n/a" if before is None or peak is None else f"{(peak - before) / 1024:.1f} MiB")


def _rss_growth(step_name: str, lang: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_docx", "--child", step_name, lang, str(path)],
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    q = load_questionnaire()
    print(f"{len(q.items())} items, median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGS:
            generate, parse, blob = _steps(lang)
            path = Path(tmp) / f"{lang}.docx"
            path.write_bytes(blob)
            for name, step in (("generate", generate), ("parse", parse)):
                seconds, peak = _measure(step, args.runs)
                print(
                    f"{lang} {name}: {seconds * 1000:.0f} ms, Python peak {peak:.1f} MiB, "
                    f"resident growth {_rss_growth(name, lang, path)}"
                )


if __name__ == "__main__":
    main()
