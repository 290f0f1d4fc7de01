"""The recommendation catalogue quotes its sources word for word.

States answer the questionnaire about the text the Conference of the Parties
endorsed: a paraphrase, a dropped clause or a paragraph lost at a page break
would change what they are asked. The source texts are Markdown renderings of
the UN documents, so both sides are compared after removing only layout
(emphasis, footnotes, page rules, line breaks), never words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from selfassess.constants import ID_PATTERN
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Recommendation, Version

# The resolution texts are not in the repository: they sit in shared/sources
# beside it (as in CI, which has shared/ next to its clone), or wherever
# SELFASSESS_SOURCES says.
SOURCES = Path(
    os.environ.get("SELFASSESS_SOURCES")
    or Path(__file__).resolve().parents[2].parent / "shared" / "sources"
)

needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(),
    reason=f"the resolution texts are not at {SOURCES}, so the catalogue is not checked "
    "word for word against them: put shared/ beside the repository, or set "
    "SELFASSESS_SOURCES to a copy of shared/sources",
)

EXPECTED_IDS = [f"wg14_{c}" for c in "abcdefghijk"] + [
    f"wg15_{c}" for c in "abcdefghijklmnopqrstuvwx"
]
# Published first in the September draft on organized fraud and SHERLOC, then
# again in the October draft that sets out all 35.
TWO_VERSIONS = {"wg14_a"} | {f"wg15_{c}" for c in "jklmnopqrst"}

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A footnote line starts with its marker: <sup>2</sup>, ², or an escaped \*.
_FOOTNOTE_LINE = re.compile(rf"^\s*(?:<sup>\d|[{_SUPERSCRIPT_DIGITS}]|\\\*)")
_SUP_MARKER = re.compile(r"<sup>.*?</sup>")
_ANNEX_HEADING = re.compile(r"\bAnnex ([IVX]+)\b")
_LEADING_LETTER = re.compile(r"^\([a-z]{1,3}\)\s")


def normalise(text: str) -> str:
    """Remove layout, keep every word.

    >>> normalise("ensure the\\n\\n---\\n\\n<sup>2</sup> CTOC/COP/WG.2/2023/4.\\n\\neffectiveness")
    'ensure the effectiveness'
    >>> normalise("*Reaffirming* that the Convention,<sup>1</sup> as a  \\nglobal instrument")
    'Reaffirming that the Convention, as a global instrument'
    """
    lines = [
        line
        for line in text.splitlines()
        if not _FOOTNOTE_LINE.match(line) and line.strip() != "---"
    ]
    joined = _SUP_MARKER.sub("", "\n".join(lines))
    joined = re.sub(f"[{_SUPERSCRIPT_DIGITS}]", "", joined)
    joined = joined.replace("\\*", "").replace("*", "")
    return " ".join(joined.split())


def _source(name: str) -> str:
    return normalise((SOURCES / name).read_text(encoding="utf-8"))


def _versions() -> list[tuple[Recommendation, Version]]:
    return [(rec, v) for rec in load_catalogue().recommendations for v in rec.versions]


def test_ids_refs_and_order_follow_the_october_resolution() -> None:
    recs = load_catalogue().recommendations
    assert [r.id for r in recs] == EXPECTED_IDS
    for rec in recs:
        assert ID_PATTERN.match(rec.id), rec.id
        meeting, letter = rec.id.split("_")
        annex = {"wg14": "I", "wg15": "II"}[meeting]
        assert rec.ref == f"{annex}({letter})", rec.id


def test_topics() -> None:
    catalogue = load_catalogue()
    assert [t.id for t in catalogue.topics] == ["sherloc", "review", "data", "environment", "fraud"]
    by_ref = {r.ref: r.topic for r in catalogue.recommendations}
    assert by_ref["I(a)"] == "sherloc"
    assert {by_ref[f"I({c})"] for c in "bcdefg"} == {"review"}
    assert {by_ref[f"I({c})"] for c in "hijk"} == {"data"}
    assert {by_ref[f"II({c})"] for c in "abcdefghi"} == {"environment"}
    assert {by_ref[f"II({c})"] for c in "jklmnopqrst"} == {"fraud"}
    assert {by_ref[f"II({c})"] for c in "uvwx"} == {"review"}


def test_recommendations_published_twice_carry_both_wordings() -> None:
    recs = load_catalogue().recommendations
    assert {r.id for r in recs if len(r.versions) == 2} == TWO_VERSIONS
    assert all(len(r.versions) <= 2 for r in recs)
    for rec in recs:
        sources = [v.source for v in rec.versions]
        assert len(set(sources)) == len(sources), f"{rec.id}: two versions from one source"


def test_addressees_that_are_not_the_parties() -> None:
    # Recommendations to UNODC are never a Party's gap; the scorer relies on this.
    catalogue = load_catalogue()
    assert catalogue.get("wg15_q").addressee == "unodc"
    assert catalogue.get("wg15_v").addressee == "unodc"
    assert catalogue.get("wg15_t").addressee == "mixed"


@needs_sources
@pytest.mark.parametrize(
    ("rec", "version"),
    [pytest.param(r, v, id=f"{r.id}-{v.citation.date}") for r, v in _versions()],
)
def test_text_is_verbatim_from_its_source(rec: Recommendation, version: Version) -> None:
    path = SOURCES / version.source
    assert path.is_file(), f"{rec.ref}: no source file {version.source}"
    source = _source(version.source)
    text = normalise(version.text)
    paragraph = version.citation.paragraph
    # Prefixing the letter also checks that the citation names the right paragraph.
    quoted = f"({paragraph}) {text}" if re.fullmatch(r"[a-z]", paragraph) else text
    where = f"{rec.ref} ({rec.id}), {version.source}, annex {version.citation.annex}({paragraph})"
    assert quoted in source, f"{where}: text not found word for word"
    annex = _ANNEX_HEADING.findall(source[: source.index(quoted)])
    assert annex, f"{where}: text stands before any annex"
    assert annex[-1] == version.citation.annex, f"{where}: text stands in annex {annex[-1]}"
    assert version.citation.date is not None, f"{where}: no date"
    assert version.citation.date.isoformat() in version.source, f"{where}: date differs"


def test_texts_carry_no_layout_debris() -> None:
    debris: dict[str, Callable[[str], bool]] = {
        "*": lambda t: "*" in t,
        "<sup>": lambda t: "<sup>" in t,
        "---": lambda t: "---" in t,
        "superscript digit": lambda t: any(c in t for c in _SUPERSCRIPT_DIGITS),
        "double space": lambda t: "  " in t,
        "line break": lambda t: "\n" in t or "\r" in t,
        "outer whitespace": lambda t: t != t.strip(),
        "leading (x)": lambda t: bool(_LEADING_LETTER.match(t)),
    }
    found = [
        f"{rec.id} ({v.citation.date}): {name}"
        for rec, v in _versions()
        for name, has in debris.items()
        if has(v.text)
    ]
    assert not found, "\n".join(found)
