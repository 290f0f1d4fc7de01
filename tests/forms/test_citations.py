"""What forms say about their texts: official or our translation, and their sources."""

from __future__ import annotations

import datetime as dt

import pytest

from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import LocalText, SourceDocument
from selfassess.forms.citations import document_name, shown_text, source_lines, translation_notice
from selfassess.i18n.localizer import Localizer

CAT = load_catalogue()
RECS = list(CAT.recommendations)


def test_both_sources_are_drafts_and_forms_say_so_with_their_dates() -> None:
    assert [d.status for d in CAT.sources] == ["draft", "draft"]
    lines = source_lines(CAT, RECS, Localizer("en"))
    assert lines[0].startswith("I(a)–I(k), II(a)–II(x): “Implementation of the provisions")
    assert lines[0].endswith("(draft resolution of 11 October 2024)")
    assert lines[1].startswith("I(a), II(j)–II(t): “Organized fraud")
    assert lines[1].endswith("(draft resolution of 9 September 2024)")
    fr = source_lines(CAT, RECS, Localizer("fr"))
    assert fr[0].endswith("(projet de résolution du 11 octobre 2024)")


def test_the_sources_block_lists_only_what_the_form_asks() -> None:
    two = [CAT.get("wg14_b"), CAT.get("wg15_k")]
    refs = [line.split(":")[0] for line in source_lines(CAT, two, Localizer("en"))]
    assert refs == ["I(b), II(k)", "II(k)"]  # II(k) is in both documents


def test_english_shows_the_quoted_text_with_no_notice() -> None:
    rec = CAT.get("wg15_f")
    assert shown_text(rec, Localizer("en")) == (rec.text, True)
    assert translation_notice(CAT, RECS, Localizer("en")) is None


@pytest.mark.parametrize("lang", ["ar", "zh", "fr", "ru", "es"])
def test_a_translated_form_names_the_official_documents_in_its_language(lang: str) -> None:
    loc = Localizer(lang)
    notice = translation_notice(CAT, RECS, loc)
    assert notice is not None
    assert loc.content("source.title", CAT.sources[0].title) in notice
    assert "English" not in notice
    assert not loc.missing


def test_an_official_text_is_shown_as_is_and_needs_no_notice() -> None:
    official = [
        rec.model_copy(update={"texts": {"fr": LocalText(text=f"Texte {rec.ref}", official=True)}})
        for rec in RECS
    ]
    loc = Localizer("fr")
    assert shown_text(official[0], loc) == ("Texte I(a)", True)
    assert translation_notice(CAT, official, loc) is None
    last = official[-1].model_copy(update={"texts": {"fr": LocalText(text="Notre texte")}})
    ours = [*official[:-1], last]
    assert translation_notice(CAT, ours, loc) is not None


def test_an_adopted_document_is_named_by_its_symbol() -> None:
    doc = SourceDocument(
        source="x.txt",
        title="Organized fraud",
        date=dt.date(2024, 10, 1),
        status="adopted",
        symbol="12/3",
        adopted=dt.date(2024, 10, 18),
    )
    assert document_name(doc, Localizer("en")) == (
        "“Organized fraud” (resolution 12/3, adopted on 18 October 2024)"
    )
    with pytest.raises(ValueError, match="symbol"):
        SourceDocument(source="x", title="t", date=dt.date(2024, 1, 1), status="adopted")
