"""Time and peak memory of generating and parsing the full default Word form.

Run: ``python -m benchmarks.bench_docx [--runs N]``. Prints one line per
language and step; the figures go in docs/word-forms.md. What is measured, and
how, is in benchmarks/forms_common.py.
"""

from __future__ import annotations

from benchmarks.forms_common import main
from selfassess.forms.docx_writer import write_docx

if __name__ == "__main__":
    main("benchmarks.bench_docx", __doc__, write_docx, "docx")
