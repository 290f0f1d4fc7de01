"""What a form says about its texts: which document each reference is from,
and whether the text shown is official or the secretariat's translation.

One implementation for both formats: the Word and Excel writers print the
same notice and the same "Sources" lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from selfassess.constants import CTX_REC_TEXT, CTX_SOURCE_TITLE, SOURCE_LANGUAGE
from selfassess.definitions.model import Catalogue, Recommendation, SourceDocument
from selfassess.i18n.localizer import Localizer


def shown_text(rec: Recommendation, loc: Localizer) -> tuple[str, bool]:
    """The recommendation's text in ``loc``'s language, and whether it is official.

    The source language shows the quoted text itself; another language shows
    the stored text for it, or else the translation from the PO files.
    """
    stored = rec.texts.get(loc.lang)
    if stored is not None:
        return stored.text, stored.official
    if loc.lang == SOURCE_LANGUAGE:
        return rec.text, True
    return loc.content(CTX_REC_TEXT, rec.text), False


def document_name(doc: SourceDocument, loc: Localizer) -> str:
    """The document's title and standing, e.g. '"…" (draft resolution of 11 October 2024)'."""
    title = loc.content(CTX_SOURCE_TITLE, doc.title)
    if doc.status == "adopted" and doc.adopted is not None:
        standing = loc.gettext("resolution {symbol}, adopted on {date}").format(
            symbol=doc.symbol, date=loc.date(doc.adopted)
        )
    elif doc.status == "not_adopted_separately":
        standing = loc.gettext("draft of {date}, not adopted as a resolution of its own").format(
            date=loc.date(doc.date)
        )
    else:
        standing = loc.gettext("draft resolution of {date}").format(date=loc.date(doc.date))
    return loc.gettext("“{title}” ({standing})").format(title=title, standing=standing)


def _shown_documents(catalogue: Catalogue, recs: Iterable[Recommendation]) -> list[SourceDocument]:
    names = dict.fromkeys(rec.newest.source for rec in recs)
    return [doc for doc in catalogue.sources if doc.source in names]


def translation_notice(
    catalogue: Catalogue, recs: list[Recommendation], loc: Localizer
) -> str | None:
    """The notice, in the form's language, where a text shown is our translation."""
    translated = [rec for rec in recs if not shown_text(rec, loc)[1]]
    if not translated:
        return None
    docs = _shown_documents(catalogue, translated)
    if not docs:
        return loc.gettext(
            "The texts of the recommendations in this form are an unofficial translation by "
            "the secretariat."
        )
    return loc.gettext(
        "The texts of the recommendations in this form are an unofficial translation by the "
        "secretariat. The official texts are those of {documents}, issued in the six official "
        "languages of the United Nations."
    ).format(documents=loc.gettext("; ").join(document_name(d, loc) for d in docs))


def source_lines(catalogue: Catalogue, recs: list[Recommendation], loc: Localizer) -> list[str]:
    """One line per source document: the references it holds, then the document.

    >>> from selfassess.definitions.catalogue import load_catalogue
    >>> cat = load_catalogue()
    >>> source_lines(cat, list(cat.recommendations), Localizer("en"))[1][:30]
    'I(a), II(j)–II(t): “Organized '
    """
    shown = {rec.id for rec in recs}
    lines = []
    for doc in catalogue.sources:
        held = [
            rec
            for rec in catalogue.recommendations
            if rec.id in shown and any(v.source == doc.source for v in rec.versions)
        ]
        if held:
            refs = _ranges([rec.ref for rec in held])
            if loc.rtl:
                # Latin references in right-to-left text: marks keep "I(a)–I(k), II(a)"
                # in reading order and the colon on their left.
                refs = f"{_LRM}{refs}{_LRM}"
            lines.append(f"{refs}: {document_name(doc, loc)}")
    return lines


_LRM = "\u200e"


def _ranges(refs: list[str]) -> str:
    """Runs of consecutive references of one annex as first–last.

    >>> _ranges(["I(a)", "I(b)", "I(c)", "II(a)", "II(c)", "II(d)"])
    'I(a)–I(c), II(a), II(c)–II(d)'
    """
    runs: list[list[str]] = []
    for ref in refs:
        annex, _, letter = ref.partition("(")
        last_annex, _, last_letter = runs[-1][-1].partition("(") if runs else ("", "", "")
        follows = len(letter) == len(last_letter) == 2 and ord(letter[0]) == ord(last_letter[0]) + 1
        if annex == last_annex and follows:
            runs[-1].append(ref)
        else:
            runs.append([ref])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)
