"""From a source's lines to clean paragraphs: page-break debris out, page breaks mended.

A source is read as lines (a text file's lines, a PDF page's lines, a Word
paragraph each). Debris is told apart line by line, paragraphs are assembled,
and an item cut by a page break is joined again. Every line that is not
text ends up in :attr:`Text.debris` with its reason, so nothing is dropped
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Superscript digits, as footnote markers come out of PDF and Markdown.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: A UN document symbol standing alone (running header): at least two slashes.
SYMBOL = re.compile(r"\b(?:[A-Z][A-Za-z]*\.?\d*)(?:/[A-Za-z0-9.]+){2,}\b")
_SYMBOL_LINE = re.compile(rf"^{SYMBOL.pattern}$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,4}(?:\s*-)?$|^(?:page|Page)\s+\d{1,4}(?:\s+of\s+\d+)?$")
_JOB_NUMBER = re.compile(r"^(?:GE|V|E|A|N)\.?\d{2}-\d{4,6}\s*(?:\([A-Z]\))?.*$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_FOOTNOTE_SUP = re.compile(rf"^(?:<sup>(\d{{1,3}})</sup>|([{_SUP_CHARS}]{{1,3}}))\s*(\S.*)$")
_FOOTNOTE_STAR = re.compile(r"^\\?\*{1,3}\s+(\S.*)$")
#: A footnote as PDF text gives it: a small number, then a document symbol or "See".
_FOOTNOTE_PLAIN = re.compile(rf"^(\d{{1,2}})\s+((?:See\s+)?{SYMBOL.pattern}.*)$")
_SUP_MARKER = re.compile(rf"<sup>(\d{{1,3}})</sup>|(?<=[\w,.;:”’)])([{_SUP_CHARS}]{{1,3}})")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEADING_HASH = re.compile(r"^#{1,6}\s+")
#: A label that starts a new paragraph even without a blank line before it.
LABEL = re.compile(
    r"^(?:(?P<dotted>\d{1,4}(?:\.\d{1,4})+)\.?|(?P<number>\d{1,4})\.|\((?P<paren>[a-z]{1,5})\)"
    r"|(?P<part>[IVX]{1,6})\.)\s+"
)
_ANNEX = re.compile(r"^annex\s+([IVXLC]+|\d{1,2})\b\.?\s*$", re.IGNORECASE)
_TERMINAL = ".;:,!?"
#: Metadata lines some prepared texts carry at the top: ``# title: ...``.
META_LINE = re.compile(r"^(title|source|cut|symbol|date|note):\s*(.*)$", re.IGNORECASE)


@dataclass
class Paragraph:
    """One paragraph of clean text, with the source line it starts on."""

    line: int
    text: str
    heading: bool = False
    footnotes: list[str] = field(default_factory=list)
    """Numbers of the footnote markers it carried."""
    joined_across_break: bool = False


@dataclass
class Debris:
    line: int
    text: str
    reason: str


@dataclass
class Text:
    paragraphs: list[Paragraph]
    footnotes: dict[str, str]
    debris: list[Debris]
    running_symbols: list[str]


@dataclass
class _Line:
    no: int
    text: str
    heading: bool
    footnotes: list[str]


def _strip_markup(text: str, markers: list[str]) -> tuple[str, bool]:
    """Markdown emphasis, links, heading marks and footnote markers out; whether a heading."""
    heading = bool(_HEADING_HASH.match(text))
    text = _HEADING_HASH.sub("", text)
    bare = text.strip()
    if bare.startswith("**") and bare.endswith("**") and len(bare) > 4 and "**" not in bare[2:-2]:
        heading = True

    def marker(m: re.Match[str]) -> str:
        markers.append(m.group(1) or m.group(2).translate(_SUPERSCRIPTS))
        return ""

    text = _SUP_MARKER.sub(marker, text)
    text = _LINK.sub(r"\1", text)
    text = text.replace("\\*", "").replace("*", "").replace("\\", "")
    return " ".join(text.split()), heading


def _classify(raw: str) -> tuple[str, str, str] | None:
    """(kind, key, text) of a debris or footnote line; None for text."""
    s = raw.strip()
    if _RULE.match(s):
        return ("debris", "", "page rule ('---')")
    if _PAGE_NUMBER.match(s):
        return ("debris", "", "page number")
    if _SYMBOL_LINE.match(s):
        return ("symbol", s, "running header (document symbol)")
    if _JOB_NUMBER.match(s) and len(s) < 40:
        return ("debris", "", "document job number")
    m = _FOOTNOTE_SUP.match(s)
    if m:
        return ("footnote", m.group(1) or m.group(2).translate(_SUPERSCRIPTS), m.group(3))
    m = _FOOTNOTE_STAR.match(s)
    if m and not s.rstrip().endswith("*"):
        return ("footnote", "*", m.group(1))
    m = _FOOTNOTE_PLAIN.match(s)
    if m:
        return ("footnote", m.group(1), m.group(2))
    return None


def read_lines(lines: list[str]) -> Text:
    """Clean paragraphs from the lines of one source (line numbers count from 1)."""
    debris: list[Debris] = []
    footnotes: dict[str, str] = {}
    symbols: list[str] = []
    # Each block is a run of text lines; a None entry is a blank line or debris.
    stream: list[_Line | None] = []
    for no, raw in enumerate(lines, start=1):
        if not raw.strip():
            stream.append(None)
            continue
        kind = _classify(raw)
        if kind is not None:
            what, key, text = kind
            if what == "footnote":
                clean, _ = _strip_markup(text, [])
                footnotes[key] = clean
                debris.append(Debris(no, raw.strip(), "footnote (read for citations)"))
            else:
                if what == "symbol":
                    symbols.append(key)
                debris.append(Debris(no, raw.strip(), text))
            stream.append(None)
            continue
        markers: list[str] = []
        text, heading = _strip_markup(raw, markers)
        if not text:
            stream.append(None)
            continue
        stream.append(_Line(no, text, heading, markers))
    hyphenated = _hyphenated_words(stream)
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    gap = False
    for entry in stream:
        if entry is None:
            gap = True
            continue
        starts_new = (
            current is None
            or entry.heading
            or current.heading
            or bool(LABEL.match(entry.text))
            or bool(_ANNEX.match(entry.text))
        )
        if current is not None and gap and not starts_new:
            # A blank line or debris between two runs of text: a new paragraph,
            # unless the text before stops mid-sentence and goes on in lower case
            # (an item cut by a page break or a footnote).
            starts_new = not (current.text[-1] not in _TERMINAL and entry.text[0].islower())
            if not starts_new:
                current.joined_across_break = True
        if starts_new or current is None:
            current = Paragraph(entry.no, entry.text, entry.heading, list(entry.footnotes))
            paragraphs.append(current)
        else:
            current.text = _join(current.text, entry.text, hyphenated)
            current.footnotes.extend(entry.footnotes)
        gap = False
    return Text(_mark_headings(paragraphs), footnotes, debris, symbols)


def _hyphenated_words(stream: list[_Line | None]) -> set[str]:
    """Words printed with a hyphen inside a line: a line-end hyphen in them is kept."""
    words: set[str] = set()
    for entry in stream:
        if entry is not None:
            words.update(w.lower() for w in re.findall(r"\w+-\w+", entry.text))
    return words


def _join(before: str, after: str, hyphenated: set[str]) -> str:
    """Two pieces of one paragraph; a word hyphenated at the line end is mended."""
    m = re.search(r"(\w+)-$", before)
    if m and after[:1].islower():
        first = re.match(r"\w+", after)
        rest = first.group(0) if first else ""
        if f"{m.group(1)}-{rest}".lower() in hyphenated:
            return before + after
        return before[:-1] + after
    return f"{before} {after}"


def _mark_headings(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Plain-text headings: short unlabelled lines that end without punctuation."""
    for p in paragraphs:
        if p.heading:
            continue
        roman = LABEL.match(p.text)
        if (roman and roman.group("part")) or (
            not LABEL.match(p.text)
            and p.text[-1] not in _TERMINAL
            and not p.text[0].islower()
            and len(p.text) < 300
        ):
            p.heading = True
    return paragraphs


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def is_roman(label: str, previous_letter: str | None) -> bool:
    """Whether '(i)' is a roman sub-item or the letter after '(h)'.

    >>> is_roman("i", "h"), is_roman("i", "b"), is_roman("ii", None)
    (False, True, True)
    """
    if label not in _ROMAN:
        return False
    if len(label) == 1 and previous_letter is not None:
        return ord(label) != ord(previous_letter) + 1
    return len(label) > 1 or (previous_letter is None and label == "i")


def annex_of(heading: str) -> str | None:
    """The annex a heading opens ('I', 'II', '3'), or None."""
    m = _ANNEX.match(heading)
    return m.group(1).upper() if m else None
