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
#: A footnote at the foot of a PDF page: a small number (or asterisk), then text.
_PDF_FOOTNOTE = re.compile(r"^(\d{1,2}|\*)\s+(\S.*)$")
#: A footnote number a PDF glues to the word or punctuation before it.
_GLUED = re.compile(r"(?<=[A-Za-z,.;:”’)])(\d{1,2})(?=[\s,.;:]|$)")
_SUP_MARKER = re.compile(rf"<sup>(\d{{1,3}})</sup>|(?<=[\w,.;:”’)])([{_SUP_CHARS}]{{1,3}})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
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
    # Control characters (a PDF's stray NULs, a pasted BEL) cannot go into a
    # Word or Excel form; whitespace ones become spaces with the rest.
    text = _CONTROL.sub(" ", text)
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


def _page_footnotes(lines: list[str]) -> set[int]:
    """Indexes of the footnote lines at the foot of each page of a PDF's text.

    Read upwards from each page break past page numbers and running headers:
    lines that open with a small number (or an asterisk) are footnotes, up to
    the first line that does not.
    """
    found: set[int] = set()
    ends = [i for i, line in enumerate(lines) if line == "\f"] + [len(lines)]
    for end in ends:
        i = end - 1
        while i >= 0 and lines[i] != "\f":
            s = lines[i].strip()
            kind = _classify(s) if s else ("debris", "", "")
            if kind is not None and kind[0] != "footnote":
                i -= 1
                continue
            if kind is not None or _PDF_FOOTNOTE.match(s):
                found.add(i)
                i -= 1
                continue
            break
    return found


def read_lines(lines: list[str], pdf: bool = False) -> Text:
    """Clean paragraphs from the lines of one source (line numbers count from 1).

    ``pdf``: the lines come from a PDF's text layer, pages separated by a
    form-feed line: footnotes sit at the foot of a page and their markers are
    glued to the word before. If the layout gave no blank lines between
    paragraphs, a paragraph ends where a line stops short of the margin and
    the next one opens with a capital or a label.
    """
    blank = sum(1 for line in lines if not line.strip())
    dense = pdf and blank < 0.02 * len(lines)
    debris: list[Debris] = []
    footnotes: dict[str, str] = {}
    symbols: list[str] = []
    at_foot = _page_footnotes(lines) if pdf else set()
    # Each block is a run of text lines; a None entry is a blank line or debris.
    stream: list[_Line | None] = []
    for no, raw in enumerate(lines, start=1):
        if not raw.strip() or raw == "\f":
            stream.append(None)
            continue
        if no - 1 in at_foot and _classify(raw) is None:
            m = _PDF_FOOTNOTE.match(raw.strip())
            assert m is not None  # _page_footnotes took it for matching
            footnotes[m.group(1)] = " ".join(m.group(2).split())
            debris.append(Debris(no, raw.strip(), "footnote (read for citations)"))
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
    if pdf:
        _unglue_markers(stream, footnotes)
    if dense:
        stream = _split_dense(stream)
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
            or bool(_ANNEX.match(current.text))
        )
        if current is not None and gap and not starts_new:
            # A blank line or debris between two runs of text: a new paragraph,
            # unless the text before goes on after a page break or a footnote.
            starts_new = not _goes_on(current.text, entry.text)
        if starts_new or current is None:
            current = Paragraph(entry.no, entry.text, entry.heading, list(entry.footnotes))
            paragraphs.append(current)
        else:
            current.text = _join(current.text, entry.text, hyphenated)
            current.footnotes.extend(entry.footnotes)
        gap = False
    return Text(_mark_headings(paragraphs), footnotes, debris, symbols)


def _goes_on(before: str, after: str) -> bool:
    """Whether a paragraph cut by a blank line, a page break or a footnote goes on in ``after``.

    It does when it stopped mid-sentence and the text goes on in lower case, or,
    for a labelled item, with anything but a new label: a page break can fall
    before a capital ("the Sharing | Electronic Resources") or a number.
    """
    end = before[-1]
    if end in ".;:!?":
        return False
    if after[0].islower():
        return True
    return end != "," and bool(LABEL.match(before)) and not LABEL.match(after)


def _unglue_markers(stream: list[_Line | None], footnotes: dict[str, str]) -> None:
    """Footnote markers a PDF glues to the word before ("recommendations2 for")."""

    for line in stream:
        if line is None:
            continue
        found = line.footnotes

        def marker(m: re.Match[str], found: list[str] = found) -> str:
            if m.group(1) in footnotes:
                found.append(m.group(1))
                return ""
            return m.group(0)

        line.text = _GLUED.sub(marker, line.text)


def _split_dense(stream: list[_Line | None]) -> list[_Line | None]:
    """Blank lines where a PDF's paragraph ends: a line short of the margin, then a capital."""
    lengths = sorted(len(line.text) for line in stream if line is not None)
    if not lengths:
        return stream
    margin = lengths[int(len(lengths) * 0.9)]
    out: list[_Line | None] = []
    previous: _Line | None = None
    for line in stream:
        if (
            line is not None
            and previous is not None
            and len(previous.text) < 0.8 * margin
            and (line.text[0].isupper() or line.text[0] == "(" or line.text[0].isdigit())
        ):
            out.append(None)
        out.append(line)
        previous = line
    return out


def _hyphenated_words(stream: list[_Line | None]) -> tuple[set[str], set[str]]:
    """Compounds printed with a hyphen inside a line, and every word printed whole."""
    hyphenated: set[str] = set()
    whole: set[str] = set()
    for entry in stream:
        if entry is not None:
            hyphenated.update(w.lower() for w in re.findall(r"\w+-\w+", entry.text))
            whole.update(w.lower() for w in re.findall(r"\w+", entry.text))
    return hyphenated, whole


#: First parts of compounds written with a hyphen ("non-governmental", "money-laundering"):
#: a line-end hyphen after one of them is the compound's, not a word broken in two.
_COMPOUND_HEADS = frozenset(
    {
        *("non", "anti", "co", "cross", "multi", "self", "well", "inter", "intra", "counter"),
        *("pre", "post", "semi", "socio", "cyber", "ex", "extra", "long", "short", "high"),
        *("low", "full", "part", "one", "two", "three", "four", "five", "decision", "case"),
        *("law", "money", "child", "state", "gender", "age", "human", "peace", "rule"),
        *("follow", "build", "capacity"),
    }
)


def _join(before: str, after: str, words: tuple[set[str], set[str]]) -> str:
    """Two pieces of one paragraph; a word hyphenated at the line end is mended.

    The hyphen stays where the document writes the compound with a hyphen
    elsewhere, or where it follows a usual compound head; it goes where the
    document writes the word whole elsewhere, and otherwise.
    """
    hyphenated, whole = words
    m = re.search(r"(\w+)-$", before)
    first = re.match(r"\w+", after)
    if m and first and after[:1].islower():
        head, tail = m.group(1), first.group(0)
        if f"{head}-{tail}".lower() in hyphenated:
            return before + after
        if f"{head}{tail}".lower() not in whole and head.lower() in _COMPOUND_HEADS:
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
