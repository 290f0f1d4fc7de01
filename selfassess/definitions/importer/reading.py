"""What a resolution's paragraphs ask, and of whom: one source read into entries.

Entries are operative items that ask someone to do or to consider something:
lettered recommendations of an annex, numbered operative paragraphs whose
verb asks (urges, invites, requests, calls upon, encourages, recommends, in
any case), items of a list such as a Universal Periodic Review's 121.1 to
121.58, and the sub-items (a), (b)... of an operative chapeau. Everything else
is listed in :attr:`Reading.skipped` with the reason, and every doubtful
decision is a warning with its line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from selfassess.definitions.importer.text import (
    LABEL,
    META_LINE,
    SYMBOL,
    Paragraph,
    Text,
    annex_of,
    is_roman,
)
from selfassess.definitions.model import Addressee, Modality

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(_MONTHS)})\s+(\d{{4}})\b")
_RESOLUTION_TITLE = re.compile(r"^(\d{1,3}/\d{1,4})\.\s+(.+)$")

#: Opening verbs of numbered paragraphs that ask someone to act, and their modality.
_ASKING: dict[str, Modality] = {
    "strongly urges": "urged",
    "urges": "urged",
    "calls upon": "called_upon",
    "calls on": "called_upon",
    "strongly encourages": "strongly_encouraged",
    "encourages": "encouraged",
    "invites": "invited",
    "requests": "requested",
    "recommends": "recommended",
    "appeals to": "called_upon",
}
#: Opening verbs that ask no one to act: the paragraph is never an entry.
_NOT_ASKING = (
    "welcomes",
    "takes note",
    "notes",
    "endorses",
    "recognizes",
    "reaffirms",
    "recalls",
    "acknowledges",
    "expresses",
    "emphasizes",
    "stresses",
    "decides",
    "affirms",
    "commends",
    "adopts",
    "approves",
    "underlines",
    "appreciates",
    "condemns",
    "deplores",
    "declares",
    "reiterates",
    "notes with",
)
_ADVERBS = re.compile(r"^(?:also|further|again|once again|moreover|furthermore)\s+", re.I)

#: Modal clauses inside a recommendation: "Parties are encouraged", "UNODC should".
_MODAL = re.compile(
    r"\b(?:(?:are|is)\s+(?:also\s+|further\s+)?(?P<passive>strongly encouraged|encouraged|urged"
    r"|strongly urged|invited|requested|called upon|to)\b|(?P<should>should)\b"
    r"|(?P<may>may)\s+(?:also\s+)?(?:wish|consider)\b|(?P<shall>shall)\b)",
    re.IGNORECASE,
)
# "encouraged to fully consider" asks for a full consideration, not to consider
# doing something (II(s)): only a bare "to consider" is encouraged_to_consider.
_TO_CONSIDER = re.compile(r"^(?:,[^,;]{0,120},)?\s*to\s+consider\b", re.IGNORECASE)
_SHOULD_CONSIDER = re.compile(r"^\s*consider\b", re.IGNORECASE)
_SHOULD_ENDEAVOUR = re.compile(r"^\s*endeavou?r\b", re.IGNORECASE)

#: Who a clause addresses, longest names first.
_SUBJECT_NAMES: tuple[tuple[str, Addressee], ...] = (
    (r"States? parties", "states_parties"),
    (r"Parties", "parties"),
    (r"Member States", "states"),
    (r"(?:all )?States", "states"),
    (r"Governments?", "states"),
    (r"United Nations Office on Drugs and Crime|UNODC|the Office", "unodc"),
    (r"Secretary-General|secretariat", "secretariat"),
    (
        r"the Working Group|the Conference|the Commission|the Council|donors|organizations"
        r"|agencies|entities|stakeholders|the Committee|the Board",
        "other",
    ),
)
_SUBJECTS = tuple(
    (re.compile(rf"\b{pattern}\b", re.IGNORECASE), who) for pattern, who in _SUBJECT_NAMES
)

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "to",
        "for",
        "and",
        "or",
        "with",
        "by",
        "at",
        "from",
        "its",
        "their",
        "that",
        "as",
        "concerning",
        "pertaining",
        "matters",
        "relating",
        "including",
    ]
)


@dataclass
class Entry:
    """One operative item of one source."""

    ref: str
    id: str
    line: int
    text: str
    annex: str | None
    paragraph: str
    topic: str
    topic_title: str
    addressee: Addressee
    modality: Modality
    instruments: tuple[str, ...]
    footnotes: list[str]
    title: str


@dataclass
class Skipped:
    line: int
    reason: str
    text: str


@dataclass
class Warning_:
    line: int
    message: str


@dataclass
class Reading:
    """One source read: its document data, its entries, what was left out."""

    source: str
    document: str | None
    draft: bool
    date: dt.date | None
    symbol: str | None
    resolution: str | None
    entries: list[Entry]
    skipped: list[Skipped]
    warnings: list[Warning_]
    footnotes: dict[str, str]
    annex_reports: dict[str, tuple[str, str] | None] = field(default_factory=dict)


def verb_of(text: str) -> str:
    """The opening words of a paragraph, lower case, without 'also' and the like."""
    return _ADVERBS.sub("", text.strip().lower())


def _opening(text: str) -> tuple[str, Modality | None] | None:
    """The opening verb and its modality; (verb, None) for a verb that asks nothing."""
    lower = verb_of(text)
    for verb, modality in _ASKING.items():
        if lower.startswith(verb + " ") or lower.startswith(verb + ","):
            return verb, modality
    for verb in _NOT_ASKING:
        if lower.startswith(verb + " ") or lower.startswith(verb + ","):
            return verb, None
    return None


def addressees(text: str) -> set[Addressee]:
    """Who the modal clauses of a text address ('Parties are encouraged', 'UNODC should')."""
    found: set[Addressee] = set()
    start = 0
    for m in _MODAL.finditer(text):
        window = text[start : m.start()]
        start = m.end()
        sentence = re.split(r"[.;:]\s", window)[-1]
        tail = sentence.rsplit(",", 1)[-1]
        who = _subjects(tail) or _subjects(sentence)
        found |= who
    return found


def _subjects(text: str) -> set[Addressee]:
    found: set[Addressee] = set()
    rest = text
    for pattern, who in _SUBJECTS:
        if pattern.search(rest):
            found.add(who)
            rest = pattern.sub(" ", rest)
    return found


def modality_of(text: str) -> Modality | None:
    """How a text asks: the modality of its modal clauses, ``mixed`` when they differ.

    >>> modality_of("Parties should endeavour to reply.")
    'should_endeavour'
    >>> modality_of("Parties are urged to name focal points. Until then, parties are to act.")
    'mixed'
    >>> modality_of("Parties should consider X and should adopt Y.")
    'mixed'
    """
    found = modalities_of(text)
    # "may consider" after a firmer clause only suggests a means: it does not
    # make the request mixed (I(i): "should consider ...; may consider ...").
    firm = [m for m in found if m != "may_wish"] or found
    if not firm:
        return None
    return firm[0] if len(firm) == 1 else "mixed"


def modalities_of(text: str) -> list[Modality]:
    """The modality of every modal clause of a text, each once, in order."""
    found: list[Modality] = []
    for m in _MODAL.finditer(text):
        modality = _modality(m, text[m.end() :])
        if modality not in found:
            found.append(modality)
    return found


def _modality(m: re.Match[str], after: str) -> Modality:
    if m.group("should"):
        if _SHOULD_ENDEAVOUR.match(after):
            return "should_endeavour"
        return "should_consider" if _SHOULD_CONSIDER.match(after) else "should"
    if m.group("may"):
        return "may_wish"
    if m.group("shall"):
        return "shall"
    passive = " ".join(m.group("passive").lower().split())
    if passive == "to":
        return "are_to"
    if passive in {"encouraged"}:
        return "encouraged_to_consider" if _TO_CONSIDER.match(after) else "encouraged"
    table: dict[str, Modality] = {
        "strongly encouraged": "strongly_encouraged",
        "urged": "urged",
        "strongly urged": "urged",
        "invited": "invited",
        "requested": "requested",
        "called upon": "called_upon",
    }
    return table[passive]


def _addressee(found: set[Addressee]) -> Addressee | None:
    if not found:
        return None
    return found.pop() if len(found) == 1 else "mixed"


_INSTRUMENT_WORD = re.compile(
    r"^(?:Conventions?|Protocols?|Covenant|Charter|Treaty|Code|Programme|Law|Act|Plan|Strategy)$"
)
_CONNECTORS = frozenset(["of", "the", "against", "on", "for", "and", "to", "in", "their", "from"])


def instruments(text: str) -> tuple[str, ...]:
    """Articles, paragraphs, resolutions and named conventions a text refers to."""
    found: list[str] = []
    patterns = (
        r"\barticles?\s+\d+(?:\s*\([a-z0-9]\))?(?:(?:,\s*|\s+and\s+)\d+(?:\s*\([a-z0-9]\))?)*"
        r"(?:\s+of\s+the\s+[A-Z][\w ]*?(?:Convention|Protocol))?",
        r"\bresolutions?\s+\d+/\d+(?:(?:,\s*|\s+and\s+)\d+/\d+)*",
        r"\bparagraph\s+\d+\s+of\s+the\s+procedures and rules[\w ]*?Mechanism",
    )
    for pattern in patterns:
        found.extend(" ".join(m.group(0).split()) for m in re.finditer(pattern, text))
    words = text.replace(",", " , ").replace(";", " ; ").split()
    for i, word in enumerate(words):
        if not _INSTRUMENT_WORD.match(word):
            continue
        lo = i
        # Leftwards a name stops at "the": "Ratify the International Convention ...".
        while lo > 0 and (words[lo - 1][:1].isupper() or words[lo - 1] in _CONNECTORS - {"the"}):
            lo -= 1
        hi = i
        while hi + 1 < len(words) and (words[hi + 1][:1].isupper() or words[hi + 1] in _CONNECTORS):
            if words[hi + 1] == "and" and hi + 2 < len(words) and words[hi + 2] == "the":
                break
            hi += 1
        while lo < i and words[lo] in _CONNECTORS:
            lo += 1
        while hi > i and words[hi] in _CONNECTORS:
            hi -= 1
        name = [w.strip("“”\"'’") for w in words[lo : hi + 1]]
        if sum(1 for w in name if w[:1].isupper()) >= 2 and name[0] != "Conference":
            found.append(" ".join(name))
    return tuple(dict.fromkeys(found))


def slug(title: str, limit: int = 3) -> str:
    """A lower-case ASCII id from a heading's first significant words."""
    text = re.sub(
        r"^(?:recommendations?|general recommendations)\s+(?:on|concerning|relating to)\s+",
        "",
        title.strip(),
        flags=re.IGNORECASE,
    )
    text = re.split(r"\s+adopted by\s+", text, maxsplit=1)[0]
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_) if w and w not in _STOP]
    out = "_".join(words[:limit]) or "general"
    return out if out[0].isalpha() else f"t_{out}"


class _Reader:
    def __init__(self, source: str, text: Text) -> None:
        self.source = source
        self.text = text
        self.entries: list[Entry] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[Warning_] = []
        self.annex: str | None = None
        self.annex_reports: dict[str, tuple[str, str] | None] = {}
        self.topic = ("general", "General")
        self.ids: set[str] = set()
        self.meta: dict[str, tuple[int, str]] = {}
        self.front_headings: list[Paragraph] = []
        self.body_started = False
        self.unlettered = 0

    # --- document data ---------------------------------------------------------

    def document(self) -> tuple[str | None, bool]:
        if "title" in self.meta:
            return self.meta["title"][1], False
        draft = False
        title: str | None = None
        after_draft = False
        for p in self.front_headings:
            if p.text.lower().startswith("draft resolution"):
                draft = True
                after_draft = True
                continue
            m = _RESOLUTION_TITLE.match(p.text)
            if m:
                return m.group(2), draft
            if after_draft:
                return p.text, True
            title = p.text
        return title, draft

    def resolution(self) -> str | None:
        for p in self.front_headings:
            m = _RESOLUTION_TITLE.match(p.text)
            if m:
                return m.group(1)
        return None

    def date(self) -> dt.date | None:
        candidates = [(line, text) for line, text in self.meta.values()]
        candidates += [(p.line, p.text) for p in self.front_headings]
        for line, text in sorted(candidates):
            m = _DATE.search(text)
            if m:
                try:
                    return dt.date(int(m.group(3)), _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
                except ValueError:
                    self.warnings.append(Warning_(line, f"'{m.group(0)}' is not a date; ignored"))
        return None

    # --- paragraphs ------------------------------------------------------------

    def run(self) -> None:
        paragraphs = self.text.paragraphs
        i = 0
        previous_letter: str | None = None
        while i < len(paragraphs):
            p = paragraphs[i]
            i += 1
            if p.heading:
                self.heading(p)
                previous_letter = None
                continue
            label = LABEL.match(p.text)
            if label is None:
                self.unlabelled(p)
                continue
            body = p.text[label.end() :]
            self.body_started = True
            letter = label.group("paren")
            if letter:
                if self.annex is None or is_roman(letter, previous_letter):
                    self.skip(p, "a lettered item with no operative chapeau before it", warn=True)
                    continue
                previous_letter = letter
                text, i = self.nested(body, paragraphs, i, letter)
                self.annex_item(p, letter, text)
                continue
            number = label.group("number") or label.group("dotted")
            if number is None:  # a part heading such as "II." is marked a heading
                continue
            if (
                label.group("number")
                and body.endswith(":")
                and i < len(paragraphs)
                and paragraphs[i].text.startswith(f"{number}.")
            ):
                self.skip(p, f"chapeau of the list {number}.1, {number}.2…")
                continue
            children, i = self.children(paragraphs, i)
            if label.group("dotted"):
                self.list_item(p, number, body)
                for child in children:
                    self.skip(child, f"sub-item of {number}: read with it", warn=True)
            else:
                self.numbered(p, number, body, children)

    def nested(
        self, text: str, paragraphs: list[Paragraph], i: int, letter: str
    ) -> tuple[str, int]:
        """An item's text with its roman sub-items (i), (ii)... when it ends in a colon."""
        if not text.endswith(":"):
            return text, i
        while i < len(paragraphs):
            m = LABEL.match(paragraphs[i].text)
            if not m or not m.group("paren") or not is_roman(m.group("paren"), letter):
                break
            text = f"{text} {paragraphs[i].text}"
            i += 1
        return text, i

    def children(self, paragraphs: list[Paragraph], i: int) -> tuple[list[Paragraph], int]:
        """The lettered sub-items following a numbered paragraph, their own (i), (ii) inside."""
        out: list[Paragraph] = []
        letter: str | None = None
        while i < len(paragraphs):
            m = LABEL.match(paragraphs[i].text)
            if not m or not m.group("paren"):
                break
            label = m.group("paren")
            if out and letter is not None and is_roman(label, letter):
                last = out[-1]
                out[-1] = Paragraph(last.line, f"{last.text} {paragraphs[i].text}")
            else:
                out.append(paragraphs[i])
                letter = label
            i += 1
        return out, i

    def heading(self, p: Paragraph) -> None:
        m = META_LINE.match(p.text)
        if m and not self.body_started:
            self.meta[m.group(1).lower()] = (p.line, m.group(2).strip())
            self.skip(p, f"metadata line ('{m.group(1).lower()}:')")
            return
        annex = annex_of(p.text)
        if annex is not None:
            self.annex = annex
            self.annex_reports.setdefault(annex, None)
            self.body_started = True
            self.skip(p, f"heading (opens annex {annex})")
            return
        if not self.body_started:
            self.front_headings.append(p)
        numbered = _RESOLUTION_TITLE.match(p.text)
        title = numbered.group(2) if numbered else p.text
        self.topic = (slug(title), title)
        self.skip(p, "heading")

    def unlabelled(self, p: Paragraph) -> None:
        first = p.text.split(" ", 1)[0].strip(",")
        if first.lower().endswith("ing") and p.text.rstrip().endswith(","):
            self.body_started = True
            self.skip(p, "preamble paragraph")
            return
        if self.annex is not None:
            modality = modality_of(p.text[:400])
            who = addressees(p.text[:400])
            if modality is not None and who and who != {"other"}:
                self.unlettered += 1
                self.warnings.append(
                    Warning_(p.line, "an unlettered recommendation in an annex: taken as an entry")
                )
                self.add(
                    p,
                    ref=self.annex,
                    id_=f"{_annex_id(self.annex)}_u{self.unlettered}",
                    paragraph="(unlettered)",
                    text=p.text,
                    modality=modality,
                    who=who,
                )
                return
            if p.footnotes:
                report = report_in(p.footnotes, self.text.footnotes)
                if report:
                    self.annex_reports[self.annex] = report
        self.skip(p, "narrative paragraph")

    def numbered(self, p: Paragraph, number: str, body: str, children: list[Paragraph]) -> None:
        opening = _opening(body)
        if opening is None:
            if body.split(" ", 1)[0].lower().endswith("ing") and body.rstrip().endswith(","):
                self.skip(p, "preamble paragraph (numbered)")
            else:
                self.skip(p, "a numbered paragraph whose opening asks no one to act", warn=True)
            for child in children:
                self.skip(child, f"sub-item of paragraph {number}, which is not an entry")
            return
        verb, modality = opening
        if modality is None:
            self.skip(p, f"'{verb.capitalize()}' asks no one to act")
            for child in children:
                self.skip(child, f"sub-item of paragraph {number} ('{verb.capitalize()}')")
            return
        obj, _, tail = verb_of(body)[len(verb) :].partition(" to ")
        who = _subjects(obj)
        if modality == "encouraged" and re.match(r"(?:\w+ly\s+)?consider\b", tail):
            modality = "encouraged_to_consider"
        title = title_of(tail) if tail else None
        if not children:
            self.add(
                p,
                ref=number,
                id_=f"op{number}",
                paragraph=number,
                text=body,
                modality=modality,
                who=who,
                title=title,
            )
            return
        self.skip(p, f"chapeau of the sub-items of paragraph {number} (each one an entry)")
        for child in children:
            m = LABEL.match(child.text)
            assert m is not None  # children() takes labelled paragraphs only
            letter = m.group("paren")
            self.add(
                child,
                ref=f"{number} ({letter})",
                id_=f"op{number}_{letter}",
                paragraph=f"{number} ({letter})",
                text=f"{body} {child.text[m.end() :]}",
                modality=modality,
                who=who,
                title=title_of(child.text[m.end() :]),
            )

    def list_item(self, p: Paragraph, number: str, body: str) -> None:
        """An item of a numbered recommendation list (121.3): the State addressed acts."""
        modality = modality_of(body[:200]) or "recommended"
        who = addressees(body[:200]) or {"states"}
        self.add(
            p,
            ref=number,
            id_="rec" + number.replace(".", "_"),
            paragraph=number,
            text=body,
            modality=modality,
            who=who,
        )

    def annex_item(self, p: Paragraph, letter: str, text: str) -> None:
        assert self.annex is not None
        modality = modality_of(text)
        if modality is None:
            self.warnings.append(
                Warning_(
                    p.line,
                    f"{self.annex}({letter}): no modality recognized; "
                    "set to 'recommended', check it",
                )
            )
        self.add(
            p,
            ref=f"{self.annex}({letter})",
            id_=f"{_annex_id(self.annex)}_{letter}",
            paragraph=letter,
            text=text,
            modality=modality or "recommended",
            who=addressees(text),
        )

    def add(
        self,
        p: Paragraph,
        *,
        ref: str,
        id_: str,
        paragraph: str,
        text: str,
        modality: Modality,
        who: set[Addressee],
        title: str | None = None,
    ) -> None:
        addressee = _addressee(set(who))
        if addressee is None:
            self.warnings.append(
                Warning_(p.line, f"{ref}: no addressee recognized; set to 'other', check it")
            )
            addressee = "other"
        base, n = id_, 2
        while id_ in self.ids:
            self.warnings.append(Warning_(p.line, f"{ref}: a second item with this label"))
            id_, n = f"{base}_{n}", n + 1
        self.ids.add(id_)
        self.entries.append(
            Entry(
                ref=ref,
                id=id_,
                line=p.line,
                text=text.strip(),
                annex=self.annex,
                paragraph=paragraph,
                topic=self.topic[0],
                topic_title=self.topic[1],
                addressee=addressee,
                modality=modality,
                instruments=instruments(text),
                footnotes=list(p.footnotes),
                title=title or title_of(text),
            )
        )

    def skip(self, p: Paragraph, reason: str, warn: bool = False) -> None:
        self.skipped.append(Skipped(p.line, reason, p.text))
        if warn:
            self.warnings.append(Warning_(p.line, f"not taken: {reason}: '{_short(p.text)}'"))

    def check_sequence(self) -> None:
        """Warn where the letters of an annex skip one: an item may have been missed."""
        by_annex: dict[str | None, list[Entry]] = {}
        for e in self.entries:
            if e.paragraph.isalpha() and len(e.paragraph) == 1:
                by_annex.setdefault(e.annex, []).append(e)
        for annex, entries in by_annex.items():
            for before, after in itertools.pairwise(entries):
                if ord(after.paragraph) != ord(before.paragraph) + 1:
                    self.warnings.append(
                        Warning_(
                            after.line,
                            f"annex {annex}: ({after.paragraph}) follows ({before.paragraph}); "
                            "check that no item was missed",
                        )
                    )


def report_in(numbers: list[str], footnotes: dict[str, str]) -> tuple[str, str] | None:
    """The report symbol and paragraphs the first footnote naming one gives.

    >>> report_in(["2"], {"2": "See CTOC/COP/WG.2/2023/4, paras. 7–9."})
    ('CTOC/COP/WG.2/2023/4', '7–9')
    """
    for number in numbers:
        note = footnotes.get(number, "")
        symbol = SYMBOL.search(note)
        if symbol:
            paras = re.search(r"paras?\.\s*(\d+(?:\s*(?:[–,-]|and)\s*\d+)*)", note)
            return symbol.group(0), (paras.group(1) if paras else "")
    return None


_ASIDE = re.compile(
    r"^(?:in accordance with|as appropriate|where appropriate|when appropriate|in appropriate"
    r"|consistent with|subject to|inter alia|if applicable|within their|as a matter)",
    re.IGNORECASE,
)


def title_of(text: str) -> str:
    """A draft short title: what the text asks, in its first words (an editor shortens it).

    >>> title_of("Parties are encouraged to consider, as appropriate, treating crimes as predicate")
    'Treating crimes as predicate'
    """
    m = _MODAL.search(text[:400])
    rest = text[m.end() :] if m else text
    for _ in range(6):
        before = rest
        rest = re.sub(
            r"^[\s,]*(?:to\s+)?(?:(?:\w+ly\s+)?consider\b)?[\s,:]*(?:\([a-z]{1,2}\)\s*)?", "", rest
        )
        if _ASIDE.match(rest):
            rest = rest.split(",", 1)[1] if "," in rest else ""
        if rest == before:
            break
    clause = re.split(r"[;:.]\s|[;:]$|\.$|\s\(", rest, maxsplit=1)[0].split()
    shown = clause[:8]
    title = " ".join(shown).strip(" ,")
    if not title:
        return _short(text)
    title = title[0].upper() + title[1:]
    return title + ("…" if len(clause) > len(shown) else "")


def _annex_id(annex: str) -> str:
    """The id prefix of an annex's items: 'ii' for annex II, 'annex3' for annex 3."""
    return annex.lower() if annex[0].isalpha() else f"annex{annex}"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def read(source: str, text: Text) -> Reading:
    """Read one source's clean paragraphs into entries."""
    reader = _Reader(source, text)
    reader.run()
    reader.check_sequence()
    document, draft = reader.document()
    masthead = [m.group(0) for p in reader.front_headings if (m := SYMBOL.search(p.text))]
    symbol = (
        reader.meta.get("symbol", (0, ""))[1]
        or next(iter(text.running_symbols), None)
        or next(iter(masthead), None)
    )
    return Reading(
        source=source,
        document=document,
        draft=draft,
        date=reader.date(),
        symbol=symbol,
        resolution=reader.resolution(),
        entries=reader.entries,
        skipped=reader.skipped + [Skipped(d.line, d.reason, d.text) for d in text.debris],
        warnings=reader.warnings,
        footnotes=text.footnotes,
        annex_reports=reader.annex_reports,
    )
