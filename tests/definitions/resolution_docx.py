"""A resolution's Markdown text laid out as a Word document, as the UN's are.

The shared sources are Markdown renderings of UN documents. To test the PDF
path on the same words, each is turned back into a laid-out document: headings
in heading styles, footnote markers as superscript digits, emphasis as
italics, ``---`` as a page break; LibreOffice then prints it to PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK

_RUN = re.compile(r"<sup>(\d+)</sup>|([¹²³])|\*([^*]+)\*|([^*<¹²³]+|[*<])")
_SUPERSCRIPT = {"¹": "1", "²": "2", "³": "3"}


def write_resolution_docx(markdown: str, path: Path) -> Path:
    doc = Document()
    for block in re.split(r"\n\s*\n", markdown):
        text = " ".join(line.strip() for line in block.strip().splitlines())
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
        if not text:
            continue
        if text == "---":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        heading = re.match(r"^(#+)\s+(.*)$", text)
        bold = re.fullmatch(r"\*\*(.+)\*\*", text)
        if heading or bold:
            title = (heading.group(2) if heading else text).replace("**", "").replace("\\", "")
            doc.add_heading(title, level=min(len(heading.group(1)) if heading else 4, 4))
            continue
        paragraph = doc.add_paragraph()
        for m in _RUN.finditer(text.replace("\\*", "*").replace("**", "")):
            sup, sup_char, italic, plain = m.groups()
            if sup or sup_char:
                run = paragraph.add_run(sup or _SUPERSCRIPT[sup_char])
                run.font.superscript = True
            elif italic:
                paragraph.add_run(italic).italic = True
            else:
                paragraph.add_run(plain)
    doc.save(str(path))
    return path
