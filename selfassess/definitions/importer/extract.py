"""The lines of a source file: text and Markdown, Word, PDF.

A PDF's pages are joined with their page breaks kept as empty lines, so the
reader mends items cut by a page break the same way in every format. Word
headings come out as Markdown headings, so that a topic is found the same way.
"""

from __future__ import annotations

import io
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from pypdf import PageObject, PdfReader

from selfassess.errors import Rejected
from selfassess.safety.package import check_package

#: Largest source read. A resolution's PDF is a few hundred kilobytes; a
#: session's whole report a few megabytes.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: Most text taken from one source, in characters, whatever its pages declare.
MAX_SOURCE_CHARS = 20_000_000
SOURCE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


#: The line that stands for a page break between two pages of a PDF.
PAGE_BREAK = "\f"


def source_lines(path: Path) -> tuple[list[str], bool]:
    """The text lines of one source, and whether they come from a PDF.

    A PDF's pages are separated by a :data:`PAGE_BREAK` line. Rejected with a
    one-line reason if the source has no text.
    """
    suffix = path.suffix.lower()
    if suffix not in SOURCE_SUFFIXES:
        raise Rejected(
            f"{path}: cannot import a '{suffix or 'suffix-less'}' file; "
            f"give a {', '.join(SOURCE_SUFFIXES)} file"
        )
    try:
        if not path.is_file():
            raise Rejected(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise Rejected(
                f"{path}: {size / 2**20:.0f} MiB is over the {MAX_SOURCE_BYTES // 2**20} MiB "
                "a resolution's text can take; give the resolution alone"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise Rejected(f"{path}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise Rejected(f"{path}: the file is empty; give the resolution's text")
    if suffix == ".pdf":
        text = _pdf_text(path, data)
    elif suffix == ".docx":
        text = _docx_text(path, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Rejected(
                f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and import it again"
            ) from None
    if not text.strip():
        raise Rejected(f"{path}: the file holds no text; give the resolution's text")
    if len(text) > MAX_SOURCE_CHARS:
        raise _too_much(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix == ".pdf":
        return text.replace("\f", f"\n{PAGE_BREAK}\n").split("\n"), True
    return text.replace("\f", "\n\n").split("\n"), False


def _too_much(path: Path) -> Rejected:
    return Rejected(f"{path}: more text than a resolution holds; give the resolution alone")


def _pdf_text(path: Path, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Rejected(f"{path}: the PDF is encrypted; give an unprotected copy")
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            text = _page_text(page)
            total += len(text)
            if total > MAX_SOURCE_CHARS:
                raise _too_much(path)
            pages.append(text)
    except Rejected:
        raise
    except Exception as exc:  # pypdf raises many kinds on a malformed file
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise Rejected(f"{path}: not a readable PDF ({reason}); export it again as PDF") from None
    if not "".join(pages).strip():
        raise Rejected(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it or give the text "
            "as .txt or .docx"
        )
    return "\f".join(pages)


@dataclass
class _PdfLine:
    text: str = ""
    y: float | None = None
    bold: bool = True
    """Every piece of text on the line is set in a bold font."""


def _page_text(page: PageObject) -> str:
    """One page's lines, with the layout the text layer alone loses put back.

    pypdf hands each piece of text with its font and position. A blank line
    goes where the gap to the line before is wider than the page's usual line
    spacing (a new paragraph), and a run of lines all in bold is one heading,
    marked as Markdown bold, as a Word heading is.
    """
    lines: list[_PdfLine] = [_PdfLine()]

    def visit(text: str, cm: list[float], tm: list[float], font: object, _size: float) -> None:
        line = lines[-1]
        if text == "\n":
            lines.append(_PdfLine())
            return
        line.text += text
        if text.strip():
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            line.bold = line.bold and "bold" in name.lower()
            # The baseline's height on the page: the text matrix within the
            # current transformation (writers place text with either).
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if line.y is None and y:
                line.y = float(y)

    page.extract_text(visitor_text=visit)
    kept = [line for line in lines if line.text.strip()]
    steps = [
        a.y - b.y
        for a, b in itertools.pairwise(kept)
        if a.y is not None and b.y is not None and a.y > b.y
    ]
    spacing = statistics.median(steps) if steps else None
    out: list[str] = []
    previous: _PdfLine | None = None
    for line in kept:
        gap = (
            spacing is not None
            and previous is not None
            and previous.y is not None
            and line.y is not None
            and previous.y - line.y > 1.3 * spacing
        )
        if previous is not None and previous.bold and line.bold and not gap:
            out[-1] = f"{out[-1][:-2]} {line.text.strip()}**"
        else:
            if gap:
                out.append("")
            out.append(f"**{line.text.strip()}**" if line.bold else line.text.rstrip())
        previous = line
    return "\n".join(out)


def _docx_text(path: Path, data: bytes) -> str:
    # The package checks that guard returns (zip bombs, external parts, DTDs)
    # run before python-docx parses anything, as for a return.
    try:
        check_package(data)
    except Rejected as exc:
        raise Rejected(f"{path}: {exc}") from None
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise Rejected(
            f"{path}: not a readable Word file ({reason}); save it again as .docx"
        ) from None
    lines: list[str] = []
    total = 0
    for paragraph in document.paragraphs:
        text = paragraph.text
        total += len(text)
        if total > MAX_SOURCE_CHARS:
            raise _too_much(path)
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        runs = [run for run in paragraph.runs if run.text.strip()]
        # UN templates name their heading styles their own way ("_ H_1_G"): a
        # paragraph set all in bold is a heading too, as in a PDF.
        bold = bool(runs) and all(run.bold for run in runs)
        if text.strip() and (style.lower().startswith(("heading", "title")) or bold):
            text = f"# {text}"
        lines += [text, ""]
    return "\n".join(lines)
