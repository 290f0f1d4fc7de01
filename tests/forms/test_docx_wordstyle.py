"""Returns saved by Word: split runs, proofing marks, bookmarks, tracked changes, glyphs.

On the inline definition of ``tests/forms/inline.py``: these are reading rules,
not facts about the shipped questionnaire.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from lxml import etree

from selfassess.constants import LANGUAGES
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import w, w14
from tests.forms.docx_fill import (
    control,
    edit_document,
    pick,
    set_content,
    set_date,
    tick,
    word_runs,
)
from tests.forms.inline import blank_docx, definition
from tests.support.xml import child

Q = definition()
TEXT_ITEM = "wg15_j_measures"
CHOICE_ITEM = "wg15_j_status"
NEEDED_ITEM = "wg15_j_ta_needed"
KINDS_ITEM = "wg15_j_ta_kinds"
DATE_ITEM = "reply_date"


def blank_form(lang: str) -> bytes:
    return blank_docx(Q, lang)


def _parse(data: bytes) -> dict[str, object]:
    result = parse_form(io.BytesIO(data), questionnaire=Q)
    assert [p for p in result.errors if p.item in (TEXT_ITEM, CHOICE_ITEM)] == []
    return dict(result.answers)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_split_by_rsid_proofing_bookmarks_and_revisions(lang: str) -> None:
    typed = "Law 12 of 2023\non organized fraud, article 5 and the national strategy"

    def change(root: etree._Element) -> None:
        sdt = control(root, TEXT_ITEM)
        set_content(sdt, word_runs(typed, sdt.find(f"{w('sdtPr')}/{w('rPr')}")))

    answers = _parse(edit_document(blank_form(lang), change))
    # Deleted and moved-away text is not part of the answer.
    assert answers[TEXT_ITEM] == typed


def test_nested_control_text_is_not_part_of_the_answer() -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, TEXT_ITEM)
        set_content(sdt, word_runs("outer text", None))
        inner = control(root, "wg15_j_penalty_years")
        child(sdt, w("sdtContent")).append(inner)

    answers = _parse(edit_document(blank_form("en"), change))
    assert answers[TEXT_ITEM] == "outer text"


@pytest.mark.parametrize("last_value", [True, False])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_drop_down_with_or_without_last_value(lang: str, last_value: bool) -> None:
    label = Localizer(lang).content("choice.label", "Partially implemented")
    data = edit_document(
        blank_form(lang),
        lambda root: pick(control(root, CHOICE_ITEM), label, last_value=last_value),
    )
    assert _parse(data)[CHOICE_ITEM] == "partially"


def test_drop_down_display_text_split_into_runs() -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, CHOICE_ITEM)
        set_content(sdt, word_runs("Largely implemented", None))

    assert _parse(edit_document(blank_form("en"), change))[CHOICE_ITEM] == "largely"


@pytest.mark.parametrize(
    ("flag", "glyph", "checked", "expected"),
    [
        # Word: flag and glyph both set.
        (True, True, True, ["legal_advice"]),
        # Only the glyph was swapped (no w14:checked): the glyph decides.
        (False, True, True, ["legal_advice"]),
        # The flag was cleared and the glyph left as it was (unticked): they agree.
        (True, False, False, None),
    ],
)
def test_checkbox_flag_first_glyph_as_fallback(
    flag: bool, glyph: bool, checked: bool, expected: list[str] | None
) -> None:
    def change(root: etree._Element) -> None:
        pick(control(root, NEEDED_ITEM), "Yes")
        tick(control(root, f"{KINDS_ITEM}:legal_advice"), checked, flag=flag, glyph=glyph)

    assert _parse(edit_document(blank_form("en"), change))[KINDS_ITEM] == expected


def test_checkbox_flag_that_disagrees_with_its_glyph_is_an_error_naming_both() -> None:
    """Ticked in w14:checked, ☐ on screen: neither is taken; the box is reported."""
    slot = f"{KINDS_ITEM}:legal_advice"

    def change(root: etree._Element) -> None:
        pick(control(root, NEEDED_ITEM), "Yes")
        tick(control(root, slot), True, flag=True, glyph=False)

    result = parse_form(edit_document(blank_form("en"), change), questionnaire=Q)
    problems = [p for p in result.problems if p.location == f"tag {slot}"]
    assert [p.severity for p in problems] == ["error"]
    assert "☒" in problems[0].message
    assert "☐" in problems[0].message


def test_checked_flag_without_value_means_checked() -> None:
    def change(root: etree._Element) -> None:
        pick(control(root, NEEDED_ITEM), "Yes")
        box = control(root, f"{KINDS_ITEM}:training")
        child(box, f".//{w14('checked')}").attrib.clear()
        child(box, f".//{w('t')}").text = "☒"  # what Word shows for it

    assert _parse(edit_document(blank_form("en"), change))[KINDS_ITEM] == ["training"]


def test_placeholder_text_without_its_flag_is_unanswered() -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, TEXT_ITEM)
        placeholder = child(sdt, f".//{w('t')}").text or ""
        set_content(sdt, word_runs(placeholder, None))

    assert _parse(edit_document(blank_form("fr"), change))[TEXT_ITEM] is None


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("text", ["soon", "5/5/2031"])
def test_date_whose_text_disagrees_with_full_date_is_an_error_naming_both(
    lang: str, text: str
) -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, DATE_ITEM)
        set_date(sdt, dt.date(2025, 3, 4), lang)
        child(sdt, f".//{w('t')}").text = text

    result = parse_form(edit_document(blank_form(lang), change), questionnaire=Q)
    assert result.answers[DATE_ITEM] is None
    problems = [p for p in result.problems if p.location == f"tag {DATE_ITEM}"]
    assert [p.severity for p in problems][:1] == ["error"]
    assert "2025-03-04" in problems[0].message
    assert text in problems[0].message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_date_without_full_date_is_read_from_its_text(lang: str) -> None:
    def change(root: etree._Element) -> None:
        set_date(control(root, DATE_ITEM), dt.date(2025, 3, 4), lang, full_date=False)

    assert _parse(edit_document(blank_form(lang), change))[DATE_ITEM] == "2025-03-04"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_emptied_control_showing_its_placeholder_again_is_unanswered(lang: str) -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, TEXT_ITEM)
        set_content(sdt, word_runs("Cliquez ou appuyez ici pour entrer du texte.", None))
        child(sdt, f"{w('sdtPr')}/{w('lock')}").addnext(sdt.makeelement(w("showingPlcHdr")))

    assert _parse(edit_document(blank_form(lang), change))[TEXT_ITEM] is None
