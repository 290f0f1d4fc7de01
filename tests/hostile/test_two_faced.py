"""Two-faced Word returns: what a control stores and what it shows differ.

Each case is a real generated form edited the way a hostile (or confused)
respondent's tool would; each must give a located error naming both values,
and the slot is not read: neither face is chosen silently.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from selfassess.constants import COUNTRY_SLOT
from selfassess.forms.parse import parse_form
from selfassess.office.ooxml import w
from selfassess.problems import Problem
from selfassess.response.interpret import ParseResult
from tests.forms.docx_fill import (
    blank_form,
    control,
    edit_document,
    fill_text,
    pick,
    set_date,
    tick,
)
from tests.hostile import corpus
from tests.support.xml import child
from tests.support.zipparts import with_parts

TEXT_ITEM = "wg14_c_measures"
DATE_ITEM = "reply_date"
BOX = "wg14_c_ta_kinds:legal_advice"
ITEM_ID = "{6B1C2F0E-1D7A-4C53-9E43-0D6A1B7C9F11}"
DATA_NS = "urn:example:answers"


def problems_at(result: ParseResult, tag: str) -> list[Problem]:
    return [p for p in result.problems if p.location == f"tag {tag}"]


def the_error(result: ParseResult, tag: str, *values: str) -> Problem:
    errors = [p for p in problems_at(result, tag) if p.severity == "error"]
    assert errors, result.problems
    for value in values:
        assert value in errors[0].message, (value, errors[0].message)
    return errors[0]


def test_two_country_controls_that_disagree_name_both_and_set_no_country() -> None:
    def change(root: etree._Element) -> None:
        first = control(root, COUNTRY_SLOT)
        second = copy.deepcopy(first)
        first.addnext(second)
        fill_text(first, "Mexico")
        fill_text(second, "Brazil")

    result = parse_form(edit_document(blank_form("en", None), change))
    the_error(result, COUNTRY_SLOT, "Mexico", "Brazil")
    assert result.form.country is None


def test_two_country_controls_that_agree_are_read() -> None:
    def change(root: etree._Element) -> None:
        first = control(root, COUNTRY_SLOT)
        second = copy.deepcopy(first)
        first.addnext(second)
        fill_text(first, "Mexico")
        fill_text(second, "Mexico")

    result = parse_form(edit_document(blank_form("en", None), change))
    assert result.form.country == "MX"
    assert problems_at(result, COUNTRY_SLOT) == []


def test_two_answer_controls_for_one_slot_name_both() -> None:
    def change(root: etree._Element) -> None:
        first = control(root, TEXT_ITEM)
        second = copy.deepcopy(first)
        first.addnext(second)
        fill_text(first, "We adopted a law")
        fill_text(second, "Nothing was done")

    result = parse_form(edit_document(blank_form("en"), change))
    the_error(result, TEXT_ITEM, "We adopted a law", "Nothing was done")
    assert result.answers[TEXT_ITEM] is None


@pytest.mark.parametrize("stored", [True, False])
def test_checkbox_flag_against_glyph(stored: bool) -> None:
    def change(root: etree._Element) -> None:
        pick(control(root, "wg14_c_ta_needed"), "Yes")
        tick(control(root, BOX), stored, flag=True, glyph=False)
        child(control(root, BOX), f".//{w('t')}").text = "☐" if stored else "☒"

    result = parse_form(edit_document(blank_form("en"), change))
    the_error(result, BOX, "☒", "☐")
    kinds = result.answers["wg14_c_ta_kinds"]
    assert kinds is None or (isinstance(kinds, list) and "legal_advice" not in kinds)


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_date_full_date_against_text(lang: str) -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, DATE_ITEM)
        set_date(sdt, dt.date(2025, 3, 4), lang)
        set_date(sdt, dt.date(2031, 12, 25), lang, full_date=False)

    result = parse_form(edit_document(blank_form(lang), change))
    the_error(result, DATE_ITEM, "2025-03-04")
    assert result.answers[DATE_ITEM] is None


def test_a_date_whose_faces_agree_is_read() -> None:
    def change(root: etree._Element) -> None:
        set_date(control(root, DATE_ITEM), dt.date(2025, 3, 4), "fr")

    result = parse_form(edit_document(blank_form("fr"), change))
    assert result.answers[DATE_ITEM] == "2025-03-04"
    assert problems_at(result, DATE_ITEM) == []


# --- w:dataBinding --------------------------------------------------------------


def _bound_form(shown: str, stored: str, xpath: str = "/a:answers[1]/a:measures[1]") -> bytes:
    """The text control bound to a custom XML part that says ``stored``."""

    def change(root: etree._Element) -> None:
        sdt = control(root, TEXT_ITEM)
        fill_text(sdt, shown)
        pr = child(sdt, w("sdtPr"))
        binding = pr.makeelement(
            w("dataBinding"),
            {
                w("prefixMappings"): f"xmlns:a='{DATA_NS}'",
                w("xpath"): xpath,
                w("storeItemID"): ITEM_ID,
            },
        )
        # Schema order: after showingPlcHdr, before the type element.
        child(pr, w("tag")).addnext(binding)

    data = edit_document(blank_form("en"), change)
    item = (
        f'<a:answers xmlns:a="{DATA_NS}"><a:measures>{stored}</a:measures></a:answers>'
    ).encode()
    props = (
        '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'customXml" ds:itemID="{ITEM_ID}"><ds:schemaRefs/></ds:datastoreItem>'
    ).encode()
    rels = corpus.relationships([("customXmlProps", "itemProps7.xml", None)])
    # Stored under an unusual path: found by relationship, not by name.
    return with_parts(
        data,
        {
            "extra/answers7.xml": item,
            "extra/itemProps7.xml": props,
            "extra/_rels/answers7.xml.rels": rels,
        },
    )


def test_bound_control_whose_custom_xml_says_otherwise_names_both() -> None:
    result = parse_form(_bound_form("We adopted a law", "Nothing was done"))
    the_error(result, TEXT_ITEM, "We adopted a law", "Nothing was done")
    assert result.answers[TEXT_ITEM] is None


def test_bound_control_that_agrees_is_read() -> None:
    result = parse_form(_bound_form("We adopted a law", "We adopted a law"))
    assert result.answers[TEXT_ITEM] == "We adopted a law"
    assert problems_at(result, TEXT_ITEM) == []


@pytest.mark.parametrize(
    "xpath",
    [
        "//a:measures",
        "/a:answers[1]/a:measures[count(//*)]",
        "/a:other[1]",
        "/a:answers[0]/a:measures[1]",
        "/a:answers[1]/b:measures[1]",
        "/a:answers[1]/@a:x/a:measures",
        "",
    ],
)
def test_binding_that_cannot_be_followed_is_a_warning_naming_the_shown_value(xpath: str) -> None:
    result = parse_form(_bound_form("We adopted a law", "Nothing", xpath))
    (problem,) = problems_at(result, TEXT_ITEM)
    assert problem.severity == "warning"
    assert "We adopted a law" in problem.message


@settings(max_examples=25, deadline=None)
@given(
    xpath=st.text(alphabet="/a:b[]0123456789@*().'\" ", max_size=40),
    mapping=st.text(max_size=40),
)
def test_any_binding_ends_in_a_problem_or_a_value_never_a_crash(xpath: str, mapping: str) -> None:
    data = _bound_form("We adopted a law", "Nothing", xpath)
    data = data.replace(f"xmlns:a='{DATA_NS}'".encode(), _xml_attr(mapping).encode(), 1)
    result = parse_form(data)
    assert result.answers[TEXT_ITEM] in (None, "We adopted a law")


def _xml_attr(text: str) -> str:
    kept = "".join(ch for ch in text if ch.isprintable())
    return kept.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
