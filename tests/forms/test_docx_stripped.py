"""Returns re-saved by an editor that strips content controls (LibreOffice 7.4, ONLYOFFICE)."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Mapping

import pytest
from lxml import etree

from selfassess.constants import COUNTRY_SLOT, LANGUAGES
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import w
from tests.forms.docx_fill import (
    Action,
    apply,
    blank_form,
    edit_document,
    full_return,
    strip_controls,
)
from tests.support.xml import child, parent

Q = load_questionnaire()


def _filled_then_stripped(
    lang: str,
    actions: Mapping[str, Action],
    *,
    more: Callable[[etree._Element], None] | None = None,
) -> bytes:
    def change(root: etree._Element) -> None:
        apply(root, actions, lang)
        strip_controls(root)
        if more:
            more(root)

    return edit_document(blank_form(lang), change)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_answer_is_recovered_from_the_layout(lang: str) -> None:
    filled = full_return(Q, lang)
    result = parse_form(io.BytesIO(_filled_then_stripped(lang, filled.actions)))
    assert result.errors == []
    assert result.answers == filled.expected
    assert any(p.code == "layout_recovered" for p in result.warnings)
    item = Q.items()[0]
    assert result.locations[item.id] == f"table row {item.ref}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_stripped_placeholders_are_not_answers(lang: str) -> None:
    result = parse_form(io.BytesIO(_filled_then_stripped(lang, {})))
    assert result.errors == []
    assert set(result.answers.values()) == {None}


def test_a_missing_row_is_a_located_error() -> None:
    item = Q.item("wg14_c_measures")

    def drop_row(root: etree._Element) -> None:
        for tr in root.iter(w("tr")):
            if "".join(map(str, tr[1].itertext())).strip() == item.ref:
                parent(tr).remove(tr)
                return
        raise AssertionError("row not found")

    result = parse_form(io.BytesIO(_filled_then_stripped("en", {}, more=drop_row)))
    errors = [p for p in result.errors if p.item == item.id]
    assert len(errors) == 1
    assert errors[0].location == f"table row {item.ref}"
    assert errors[0].code == "layout_row_missing"


def test_a_duplicated_row_is_ambiguous_not_guessed() -> None:
    item = Q.item("wg14_c_status")

    def duplicate(root: etree._Element) -> None:
        for tr in root.iter(w("tr")):
            if "".join(map(str, tr[1].itertext())).strip() == item.ref:
                tr.addnext(copy.deepcopy(tr))
                return

    result = parse_form(
        io.BytesIO(_filled_then_stripped("en", {item.id: "Fully implemented"}, more=duplicate))
    )
    assert result.answers[item.id] is None
    assert [p.item for p in result.errors] == [item.id]
    assert result.errors[0].code == "layout_row_repeated"
    assert "2" in result.errors[0].message


def test_boxes_that_lost_their_glyph_are_an_error() -> None:
    # The first multiple-choice item of the form, so the first box spoiled is its own.
    item = next(it for it in Q.items() if it.type == "multichoice")
    assert item.condition is None

    def spoil(root: etree._Element) -> None:
        for t in root.iter(w("t")):
            if t.text == "\u2610":
                t.text = "[ ]"
                break

    result = parse_form(io.BytesIO(_filled_then_stripped("en", {}, more=spoil)))
    assert result.answers[item.id] is None
    errors = [p for p in result.errors if p.item == item.id]
    assert len(errors) == 1
    assert errors[0].location == f"table row {item.ref}"


def test_some_controls_kept_others_stripped() -> None:
    filled = full_return(Q, "fr")

    def change(root: etree._Element) -> None:
        apply(root, filled.actions, "fr")
        tagged = list(root.iter(w("sdt")))
        for sdt in tagged[: len(tagged) // 2]:
            pr = child(sdt, w("sdtPr"))
            pr.remove(child(pr, w("tag")))

    result = parse_form(io.BytesIO(edit_document(blank_form("fr"), change)))
    assert result.errors == []
    assert result.answers == filled.expected
    assert any(p.code == "layout_recovered" for p in result.warnings)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_blank_form_country_read_from_the_cover_row(lang: str) -> None:
    name = Localizer(lang).country("KE")

    def change(root: etree._Element) -> None:
        apply(root, {COUNTRY_SLOT: name}, lang)
        strip_controls(root)

    data = edit_document(blank_form(lang, None), change)
    assert parse_form(io.BytesIO(data)).form.country == "KE"
