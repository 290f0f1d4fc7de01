"""Time and peak memory of parsing returns that sit just inside the safety limits.

Run: ``python -m benchmarks.bench_limits``. Besides typed cells and long
text, each kind of element an Excel reader could turn into objects
(data validations, cell formats, merged and hyperlink ranges, defined names,
shared strings) is pushed to what the element, size and ratio limits let
through; random digits keep parts from compressing past ``max_ratio``.
Each file is parsed in a fresh child process (``tests/hostile/isolated.py``-style,
no cap here), and the child's wall time and peak resident size are printed; the figures go in
docs/security.md. They show what the default :class:`~selfassess.safety.package.Limits`
let through at worst, against a clean form.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.hostile import corpus
from tests.hostile.corpus import KEY
from tests.support.zipparts import parts_of, with_parts

_CHILD = r"""
import sys, json
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
try:
    r = parse_form(sys.argv[1], key=bytes.fromhex(sys.argv[2]))
    print(json.dumps({"outcome": "parsed", "errors": len(r.errors)}))
except Rejected as exc:
    print(json.dumps({"outcome": "rejected", "message": str(exc)}))
"""


def _sheet_with(rows: int, cols: int) -> bytes:
    """The first section sheet of a real form, with ``rows`` x ``cols`` typed cells below it."""
    data = corpus.real_form("xlsx")
    part = "xl/worksheets/sheet4.xml"
    body = parts_of(data)[part]
    letters = [_letters(c) for c in range(1, cols + 1)]
    extra = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}" t="inlineStr"><is><t>v</t></is></c>' for col in letters)
        + "</row>"
        for r in range(1001, 1001 + rows)
    )
    return with_parts(data, {part: body.replace(b"</sheetData>", extra.encode() + b"</sheetData>")})


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _far_cell() -> bytes:
    data = corpus.real_form("xlsx")
    part = "xl/worksheets/sheet4.xml"
    cell = b'<row r="24999"><c r="T24999" t="inlineStr"><is><t>x</t></is></c></row>'
    body = parts_of(data)[part].replace(b"</sheetData>", cell + b"</sheetData>")
    return with_parts(data, {part: body})


def _long_text_docx() -> bytes:
    data = corpus.real_form("docx")
    body = parts_of(data)["word/document.xml"]
    # Random letters, so that the part does not compress more than real text.
    words = base64.b64encode(os.urandom(7_200_000))
    text = b"<w:p><w:r><w:t>" + words + b"</w:t></w:r></w:p><w:sectPr"
    return with_parts(data, {"word/document.xml": body.replace(b"<w:sectPr", text, 1)})


def _many_paragraphs_docx() -> bytes:
    data = corpus.real_form("docx")
    body = parts_of(data)["word/document.xml"]
    paragraphs = b"".join(
        b"<w:p><w:r><w:t>" + base64.b64encode(os.urandom(9)) + b"</w:t></w:r></w:p>"
        for _ in range(220_000)
    )
    paragraphs += b"<w:sectPr"
    return with_parts(data, {"word/document.xml": body.replace(b"<w:sectPr", paragraphs, 1)})


def _random_digits() -> str:
    return str(int.from_bytes(os.urandom(4), "big"))


def _cover_with(before: bytes, xml: str) -> bytes:
    """The form's cover sheet with ``xml`` put right before ``before``."""
    data = corpus.real_form("xlsx")
    part = "xl/worksheets/sheet2.xml"
    body = parts_of(data)[part]
    assert before in body, before
    return with_parts(data, {part: body.replace(before, xml.encode() + before, 1)})


def _validations(count: int) -> bytes:
    rules = "".join(
        f'<dataValidation type="list" sqref="A1:XFD1048576 B{_random_digits()[:6]}">'
        f'<formula1>"{_random_digits()}"</formula1></dataValidation>'
        for _ in range(count)
    )
    return _cover_with(b"<pageMargins", f"<dataValidations>{rules}</dataValidations>")


def _ranges(tag: str, count: int) -> bytes:
    """``count`` one-cell ranges (merges or links), each cell counted by the range budget."""
    items = "".join(
        f'<{tag} ref="{_letters(1 + n % 16384)}{1 + n // 16384}"/>' for n in range(count)
    )
    return _cover_with(b"<pageMargins", f"<{tag}s>{items}</{tag}s>")


def _cell_formats(count: int) -> bytes:
    data = corpus.real_form("xlsx")
    body = parts_of(data)["xl/styles.xml"]
    xfs = "".join(
        f'<xf numFmtId="{n % 200}" fontId="0" fillId="0" borderId="0" xfId="{_random_digits()}"/>'
        for n in range(count)
    )
    return with_parts(
        data, {"xl/styles.xml": body.replace(b"</cellXfs>", xfs.encode() + b"</cellXfs>", 1)}
    )


def _defined_names(count: int, slots: bool) -> bytes:
    data = corpus.real_form("xlsx")
    body = parts_of(data)["xl/workbook.xml"]
    prefix = "sa_" if slots else "n"
    names = "".join(
        f'<definedName name="{prefix}x{_random_digits()}{n}">Cover!$C${1 + n % 999}</definedName>'
        for n in range(count)
    )
    return with_parts(
        data,
        {"xl/workbook.xml": body.replace(b"</definedNames>", names.encode() + b"</definedNames>")},
    )


def _shared_strings(count: int) -> bytes:
    """``count`` shared strings, a fifth of them used by cells typed far below the form."""
    data = corpus.real_form("xlsx")
    parts = parts_of(data)
    strings = "".join(f"<si><t>{_random_digits()}</t></si>" for _ in range(count))
    sst = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    ).encode()
    part = "xl/worksheets/sheet4.xml"
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{r * 3 % count}</v></c></row>'
        for r in range(1001, 1001 + count // 5)
    )
    body = parts[part].replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return with_parts(
        data, {"xl/sharedStrings.xml": sst, "xl/_rels/workbook.xml.rels": rels, part: body}
    )


CASES: dict[str, Callable[[], bytes]] = {
    "clean form (xlsx)": lambda: corpus.real_form("xlsx"),
    "clean form (docx)": lambda: corpus.real_form("docx"),
    "one cell at T24999 (area 499,980)": _far_cell,
    "100,000 typed cells (5 x 20,000)": lambda: _sheet_with(20_000, 5),
    "150,000 typed cells (5 x 30,000; 0.98M nodes)": lambda: _sheet_with(30_000, 5),
    "160,000 typed cells (rejected: nodes)": lambda: _sheet_with(32_000, 5),
    "9.6 MB of text in one paragraph (docx)": _long_text_docx,
    "220,000 extra paragraphs (docx; 0.99M nodes)": _many_paragraphs_docx,
    "190,000 whole-sheet validations (0.97M nodes)": lambda: _validations(190_000),
    "160,000 cell formats (0.98M nodes)": lambda: _cell_formats(160_000),
    "99,000 merged ranges (range budget)": lambda: _ranges("mergeCell", 99_000),
    "99,000 hyperlink ranges (range budget)": lambda: _ranges("hyperlink", 99_000),
    "320,000 defined names (0.98M nodes)": lambda: _defined_names(320_000, slots=False),
    "320,000 slot names (sa_...; 0.98M nodes)": lambda: _defined_names(320_000, slots=True),
    "200,000 shared strings, 40,000 used (0.9M nodes)": lambda: _shared_strings(200_000),
}


def measure(path: Path) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MiB, outcome) of parsing ``path`` in a
    fresh process. CPU time is what the code spends; wall time also holds what
    other processes on the machine took from it."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), KEY.hex()],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    seconds = time.perf_counter() - start
    result = json.loads(out.decode().strip().splitlines()[-1])
    shown = result["outcome"] if result["outcome"] == "parsed" else result["message"][:60]
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, shown


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'file':50} {'size':>9} {'wall s':>7} {'CPU s':>6} {'peak MiB':>9}  outcome")
        for name, build in CASES.items():
            data = build()
            path = Path(tmp) / "case"
            path.write_bytes(data)
            seconds, cpu, peak, outcome = measure(path)
            print(
                f"{name:50} {len(data) // 1024:>7}Ki {seconds:7.2f} {cpu:6.2f} {peak:9.0f}  "
                f"{outcome}",
                flush=True,
            )


if __name__ == "__main__":
    main()
