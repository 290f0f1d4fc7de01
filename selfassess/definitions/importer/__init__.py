"""From resolution texts to a recommendation catalogue (``selfassess catalogue import``).

:func:`import_sources` reads each source (:mod:`.extract`), cleans its
paragraphs (:mod:`.text`), reads its operative items (:mod:`.reading`), and
merges the sources into one catalogue: the same recommendation found in two
texts is one entry with both versions. Given an existing catalogue, the ids
of recommendations found again are kept and changed texts become new
versions. Nothing is printed: the result lists every merge with its
similarity, every change, every paragraph not taken with its reason, and
every doubtful decision with its line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from selfassess.definitions.importer.extract import source_lines
from selfassess.definitions.importer.reading import Entry, Reading, read, report_in
from selfassess.definitions.importer.text import read_lines
from selfassess.definitions.model import Catalogue, Citation, Recommendation, Topic, Version
from selfassess.definitions.rules import check_id
from selfassess.errors import Rejected

#: Two texts at least this similar (share of words in common, in order) are
#: versions of one recommendation: relettering and small wording changes pass.
MERGE_SIMILARITY = 0.8
#: Below the merge threshold but this similar: reported as a near miss to check.
NEAR_SIMILARITY = 0.6


@dataclass(frozen=True)
class Located:
    """A message about one line of one source."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Merge:
    """A recommendation found in two sources, merged into one entry."""

    id: str
    ref: str
    source: str
    source_ref: str
    similarity: float


@dataclass(frozen=True)
class Change:
    """What a re-import did to one recommendation of the existing catalogue."""

    id: str
    ref: str
    kind: str
    """'added'; 'new_version' (a new wording); 'cited' (a wording seen before, in
    another source: added as a version for its citation); 'unchanged'; 'not_found'."""
    detail: str = ""


@dataclass
class ImportResult:
    catalogue: Catalogue
    readings: list[Reading]
    merges: list[Merge] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    skipped: list[Located] = field(default_factory=list)
    warnings: list[Located] = field(default_factory=list)


#: Words of a text compared when matching versions: enough to tell any two
#: recommendations apart, and a bound on the comparison's quadratic worst case.
COMPARED_WORDS = 600


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:COMPARED_WORDS]


def similarity(a: str, b: str) -> float:
    """Share of words two texts have in common, in order (1.0: the same words)."""
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


class _Index:
    """Which of many texts could be versions of a given one, without comparing every pair.

    Texts are indexed by their word pairs; pairs that most texts share (a
    list's boilerplate) are not looked at. The few texts sharing the most
    pairs with the one asked about are then compared in full, so that the
    work grows with the number of texts, not with its square.
    """

    CANDIDATES = 5

    def __init__(self, texts: list[list[str]]) -> None:
        self.texts = texts
        postings: dict[tuple[str, str], list[int]] = {}
        for i, ws in enumerate(texts):
            for pair in set(itertools.pairwise(ws)):
                postings.setdefault(pair, []).append(i)
        common = max(10, len(texts) // 20)
        self.postings = {k: v for k, v in postings.items() if len(v) <= common}

    def best(self, ws: list[str]) -> list[tuple[float, int]]:
        """(similarity, index) of the closest texts, best first."""
        shared: dict[int, int] = {}
        for pair in set(itertools.pairwise(ws)):
            for i in self.postings.get(pair, ()):
                shared[i] = shared.get(i, 0) + 1
        if not shared and len(self.texts) <= 50:
            shared = dict.fromkeys(range(len(self.texts)), 0)
        top = sorted(shared, key=lambda i: -shared[i])[: self.CANDIDATES]
        scored = [
            (difflib.SequenceMatcher(None, ws, self.texts[i], autojunk=False).ratio(), i)
            for i in top
        ]
        return sorted(scored, key=lambda t: (-t[0], t[1]))


def read_source(path: Path) -> Reading:
    """One source read into entries; Rejected if it holds no operative item."""
    lines, pdf = source_lines(path)
    reading = read(path.name, read_lines(lines, pdf=pdf))
    if not reading.entries:
        raise Rejected(
            f"{path}: no operative items found (no lettered recommendations, no numbered "
            "paragraphs that urge, request, invite, call upon, encourage or recommend); "
            "is this the resolution's text?"
        )
    return reading


def import_sources(
    paths: list[Path], catalogue_id: str, existing: Catalogue | None = None
) -> ImportResult:
    """Read the sources and merge them into one catalogue (into ``existing`` if given).

    The newest source (by the date it gives) sets the order and the refs; an
    older one adds its versions to the recommendations it shares with it.
    """
    check_id(catalogue_id, "--id")
    if not paths:
        raise Rejected("no source given; give one or more .txt, .md, .docx or .pdf files")
    readings = [read_source(p) for p in paths]
    names = [r.source for r in readings]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise Rejected(f"two sources share the file name {doubled[0]}; rename one")
    ordered = sorted(readings, key=lambda r: r.date or dt.date.min, reverse=True)
    builder = _Builder()
    for reading in ordered:
        builder.add(reading)
    result = ImportResult(catalogue=builder.catalogue(catalogue_id, ordered[0]), readings=readings)
    result.merges = builder.merges
    for reading in readings:
        result.skipped += [
            Located(reading.source, s.line, f"{s.reason}: {s.text}") for s in reading.skipped
        ]
        result.warnings += [Located(reading.source, w.line, w.message) for w in reading.warnings]
    result.warnings += builder.warnings
    if existing is not None:
        result.catalogue, result.changes = _into(existing, result.catalogue)
    return result


@dataclass
class _Rec:
    id: str
    ref: str
    entry: Entry
    versions: list[tuple[Reading, Entry]]


class _Builder:
    def __init__(self) -> None:
        self.recs: list[_Rec] = []
        self.merges: list[Merge] = []
        self.warnings: list[Located] = []

    def add(self, reading: Reading) -> None:
        if not self.recs:
            self.recs = [_Rec(e.id, e.ref, e, [(reading, e)]) for e in reading.entries]
            return
        index = _Index([words(r.entry.text) for r in self.recs])
        pairs = [
            (score, e, self.recs[i])
            for e in reading.entries
            for score, i in index.best(words(e.text))
            if score >= NEAR_SIMILARITY
        ]
        pairs.sort(key=lambda t: -t[0])
        taken_entries: set[int] = set()
        taken_recs: set[int] = set()
        for score, e, r in pairs:
            if id(e) in taken_entries or id(r) in taken_recs:
                continue
            if score >= MERGE_SIMILARITY:
                r.versions.append((reading, e))
                self.merges.append(Merge(r.id, r.ref, reading.source, e.ref, round(score, 3)))
                taken_entries.add(id(e))
                taken_recs.add(id(r))
        for score, e, r in pairs:
            if id(e) not in taken_entries and score < MERGE_SIMILARITY:
                self.warnings.append(
                    Located(
                        reading.source,
                        e.line,
                        f"{e.ref} resembles {r.ref} ({score:.2f}) but is below "
                        f"{MERGE_SIMILARITY}: kept apart; merge them by hand if they are one",
                    )
                )
                taken_entries.add(id(e))
        known = {r.id for r in self.recs}
        for e in reading.entries:
            if any(e is v[1] for r in self.recs for v in r.versions):
                continue
            new_id, n = e.id, 2
            while new_id in known:
                new_id, n = f"{e.id}_{n}", n + 1
            known.add(new_id)
            self.recs.append(_Rec(new_id, e.ref, e, [(reading, e)]))

    def catalogue(self, catalogue_id: str, primary: Reading) -> Catalogue:
        topics: dict[str, str] = {}
        for r in self.recs:
            topics.setdefault(r.entry.topic, r.entry.topic_title)
        title = primary.document or catalogue_id
        return Catalogue(
            id=catalogue_id,
            title=title,
            topics=tuple(Topic(id=k, title=v) for k, v in topics.items()),
            recommendations=tuple(
                Recommendation(
                    id=r.id,
                    ref=r.ref,
                    title=r.entry.title,
                    topic=r.entry.topic,
                    addressee=r.entry.addressee,
                    modality=r.entry.modality,
                    instruments=r.entry.instruments,
                    versions=tuple(_version(reading, e) for reading, e in r.versions),
                )
                for r in self.recs
            ),
        )


def _version(reading: Reading, e: Entry) -> Version:
    report = _report(reading, e)
    document = reading.document or reading.source
    if reading.draft:
        document = f"{document} (draft resolution)"
    return Version(
        source=reading.source,
        text=e.text,
        citation=Citation(
            document=document,
            date=reading.date,
            symbol=reading.symbol,
            resolution=reading.resolution,
            annex=e.annex,
            paragraph=e.paragraph,
            report=report[0] if report else None,
            report_paragraphs=(report[1] or None) if report else None,
        ),
    )


def _report(reading: Reading, e: Entry) -> tuple[str, str] | None:
    """The report an item's own footnote names, else the one its annex's introduction names."""
    return report_in(e.footnotes, reading.footnotes) or (
        reading.annex_reports.get(e.annex) if e.annex else None
    )


def _into(existing: Catalogue, imported: Catalogue) -> tuple[Catalogue, list[Change]]:
    """Imported recommendations into an existing catalogue: ids kept, changed texts added."""
    changes: list[Change] = []
    recs = list(existing.recommendations)
    matched: set[int] = set()
    added: list[Recommendation] = []
    flat = [(i, words(v.text)) for i, old in enumerate(recs) for v in old.versions]
    index = _Index([ws for _, ws in flat])
    for new in imported.recommendations:
        best, best_score = None, 0.0
        for v in new.versions:
            for score, k in index.best(words(v.text)):
                i = flat[k][0]
                if i not in matched and score > best_score:
                    best, best_score = i, score
        if best is None or best_score < MERGE_SIMILARITY:
            added.append(new)
            changes.append(Change(new.id, new.ref, "added"))
            continue
        matched.add(best)
        old = recs[best]
        versions = list(old.versions)
        fresh = [
            v
            for v in new.versions
            if not any(o.source == v.source and o.text == v.text for o in versions)
        ]
        if fresh:
            # A wording seen before, now in another document (the adopted text
            # of a draft), is cited again; a wording never seen is a change.
            reworded = [v for v in fresh if not any(o.text == v.text for o in versions)]
            versions += fresh
            changes.append(
                Change(
                    old.id,
                    old.ref,
                    "new_version" if reworded else "cited",
                    ", ".join(f"{v.source} ({best_score:.2f})" for v in reworded or fresh),
                )
            )
            recs[best] = old.model_copy(update={"versions": tuple(versions)})
        else:
            changes.append(Change(old.id, old.ref, "unchanged"))
    for i, old in enumerate(recs):
        if i not in matched:
            changes.append(Change(old.id, old.ref, "not_found", "kept as it was"))
    known = {r.id for r in recs}
    renamed = []
    for new in added:
        new_id, n = new.id, 2
        while new_id in known:
            new_id, n = f"{new.id}_{n}", n + 1
        known.add(new_id)
        renamed.append(new.model_copy(update={"id": new_id}))
    topics = list(existing.topics)
    have = {t.id for t in topics}
    for t in imported.topics:
        if t.id not in have and any(r.topic == t.id for r in renamed):
            topics.append(t)
    return (
        existing.model_copy(
            update={"recommendations": tuple(recs + renamed), "topics": tuple(topics)}
        ),
        changes,
    )


_CATALOGUE_HEADER = """\
# Recommendation catalogue imported by 'selfassess catalogue import' from:
{sources}#
# Review before use: short titles and topics are drafts; check addressees and
# modalities against the texts. Format: docs/questionnaire-format.md.
"""


def catalogue_yaml(catalogue: Catalogue, sources: list[str]) -> str:
    """The catalogue in the format of docs/questionnaire-format.md, with a header saying whence."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    data = plain(catalogue.model_dump(mode="python", exclude_none=True))
    header = _CATALOGUE_HEADER.format(sources="".join(f"#   {s}\n" for s in sources))
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


class _Dumper(yaml.SafeDumper):
    """Writes a shared value (two versions' one date) in full each time, never as an alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True
