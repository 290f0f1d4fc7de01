"""Time and peak memory of generating and parsing the full default Excel form.

Run: ``python -m benchmarks.bench_xlsx [--runs N]``. Prints one line per
language and step, then how openpyxl's full and read-only modes compare on
the same return; the figures go in docs/excel-forms.md. What is measured,
and how, is in benchmarks/forms_common.py.

Generating writes the default questionnaire (every item, a blank country
drop-down) with every answer prefilled, so that parsing reads a complete
return. Memory is the peak of Python allocations (tracemalloc) during the
step, and, measured in a fresh process (Linux only), how far the resident size
rose above its level before the step.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from benchmarks.forms_common import main, measure, write_return
from selfassess.constants import XLSX_NAME_PREFIX
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.office.excel import destination


def _modes(runs: int) -> None:
    """Load the return and read every slot through its name, in each openpyxl mode."""
    blob = write_return(write_xlsx, "en")
    for read_only in (False, True):

        def read(read_only: bool = read_only) -> int:
            wb = load_workbook(io.BytesIO(blob), read_only=read_only, keep_links=False)
            seen = 0
            for name, dn in wb.defined_names.items():
                if name.startswith(XLSX_NAME_PREFIX):
                    found = destination(dn)
                    seen += found is not None and wb[found[0]][found[1]].value is not None
            return seen

        seconds, peak = measure(read, max(1, runs // 2))
        mode = "read_only" if read_only else "full"
        print(
            f"openpyxl {mode}: {seconds * 1000:.0f} ms to load and read "
            f"{read()} answered slots by name, Python peak {peak:.1f} MiB"
        )


if __name__ == "__main__":
    main("benchmarks.bench_xlsx", __doc__, write_xlsx, "xlsx", after=_modes)
