"""Time of importing a 100-page resolution PDF (``selfassess catalogue import``).

Run: ``python -m benchmarks.bench_import [--pages N] [--runs N]``. The PDF is
made here (fpdf2): a preamble, then annexes of lettered recommendations with
footnotes and items cut by page breaks, as UN documents are laid out. Printed:
the median time of reading the text layer alone (pypdf, the floor), of the
whole import of that PDF, and of importing it together with a revised copy
(every recommendation matched across the two), each with its ratio to the
floor. The figures go in docs/new-resolution.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader

from selfassess.definitions.importer import import_sources

LETTERS = "abcdefghijklmnopqrstuvwxyz"
VERBS = ("are encouraged to", "should consider", "are urged to", "may wish to", "are invited to")
TOPICS = ("cybercrime", "trafficking in firearms", "money-laundering", "corruption", "migrants")


def recommendation(n: int, revised: bool) -> str:
    verb = VERBS[n % len(VERBS)]
    topic = TOPICS[n % len(TOPICS)]
    extra = " and to report on progress made" if revised and n % 3 == 0 else ""
    return (
        f"Parties {verb} strengthen their national frameworks against {topic}, including "
        f"through measure number {n} on specialized training, data collection and "
        f"international cooperation, in accordance with article {n % 40 + 1} of the "
        f"Convention and their domestic law{extra};"
    )


def make_pdf(path: Path, pages: int, revised: bool = False) -> int:
    """A resolution of about ``pages`` pages; returns the number of recommendations."""
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    for line in (
        "Distr.: General",
        "9 September 2024" if not revised else "11 October 2024",
        "",
        "Draft resolution",
        "",
        "Strengthening the implementation of the Convention",
        "",
        "The Conference of the Parties,",
        "",
    ):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    for i in range(5):
        pdf.multi_cell(
            0,
            5,
            f"Recalling its resolution {i + 1}/1 on the review of the "
            "implementation of the Convention and the Protocols thereto,",
        )
        pdf.ln(3)
    n = 0
    annex = 0
    while pdf.page_no() < pages:
        annex += 1
        pdf.ln(3)
        pdf.cell(0, 5, f"Annex {annex}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.cell(0, 5, f"Recommendations on topic {annex}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for letter in LETTERS:
            pdf.multi_cell(0, 5, f"({letter}) {recommendation(n, revised)}")
            pdf.ln(3)
            n += 1
            if pdf.page_no() >= pages:
                break
    pdf.output(str(path))
    return n


def median_time(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_import", description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "draft.pdf"
        second = Path(tmp) / "revised.pdf"
        count = make_pdf(first, args.pages)
        make_pdf(second, args.pages, revised=True)
        pages = len(PdfReader(first).pages)

        def extract() -> object:
            return [p.extract_text() for p in PdfReader(first).pages]

        floor = median_time(extract, args.runs)
        one = median_time(lambda: import_sources([first], "bench"), args.runs)
        two = median_time(lambda: import_sources([first, second], "bench"), args.runs)
        result = import_sources([first, second], "bench")
        found = len(result.catalogue.recommendations)
        print(
            f"{pages} pages, {count} recommendations; imported {found}, "
            f"{len(result.merges)} merged across the two sources"
        )
        print(f"text layer alone (pypdf): {floor:.2f} s")
        print(f"import of one PDF:        {one:.2f} s ({one / floor:.2f} x the text layer)")
        print(f"import of two, merged:    {two:.2f} s ({two / floor:.2f} x the text layer)")


if __name__ == "__main__":
    main()
