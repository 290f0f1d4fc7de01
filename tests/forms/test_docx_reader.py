"""The Word reader: metadata, rejections, control values, the country of a blank form."""

from __future__ import annotations

import copy
import io

import docx
import pytest
from lxml import etree

from selfassess.constants import COUNTRY_SLOT, LANGUAGES, META_PREFIX
from selfassess.definitions.parties import party_codes
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.forms.docx_reader import DocxReader, control_value
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import (
    CUSTOM_PART,
    W_NS,
    custom_properties_xml,
    read_custom_properties,
    w,
)
from selfassess.safety.package import check_package
from tests.forms.docx_fill import blank_form, control, edit_document, fill, fill_text, pick
from tests.support.xml import child
from tests.support.zipparts import read_part, read_xml, with_parts

Q = load_questionnaire()


def _with_props(**changes: str) -> bytes:
    data = blank_form("en")
    props = {k.removeprefix(META_PREFIX): v for k, v in _props(data).items()}
    props.update(changes)
    body = custom_properties_xml({META_PREFIX + k: v for k, v in props.items()})
    return with_parts(data, {CUSTOM_PART.lstrip("/"): body})


def _props(data: bytes) -> dict[str, str]:
    root = read_xml(data, "docProps/custom.xml")
    return read_custom_properties(root)


def test_metadata_from_custom_properties() -> None:
    meta = DocxReader.from_docx(check_package(blank_form("ru")), party_codes()).meta()
    assert (meta.questionnaire, meta.version, meta.language) == (Q.id, Q.version, "ru")
    assert meta.country == "MX"
    assert meta.form_id == "ftestru"
    assert meta.deadline is not None


def test_a_plain_word_document_is_not_one_of_our_forms() -> None:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Dear colleague, here is our reply.")
    document.save(out)
    with pytest.raises(Rejected, match="not one of our forms"):
        parse_form(io.BytesIO(out.getvalue()))


def test_form_without_its_properties_part_is_rejected() -> None:
    data = with_parts(blank_form("en"), {"docProps/custom.xml": None})
    with pytest.raises(Rejected, match="not one of our forms"):
        parse_form(io.BytesIO(data))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"version": "9.9"}, "not a form of a known questionnaire version"),
        ({"questionnaire": "nope"}, "not a form of a known questionnaire version"),
        ({"language": "de"}, "selfassess.language"),
        ({"issued": "yesterday"}, "selfassess.issued"),
        ({"form_id": ""}, "not one of our forms"),
    ],
)
def test_unknown_or_broken_metadata_is_rejected(changes: dict[str, str], reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        parse_form(io.BytesIO(_with_props(**changes)))


def test_macro_enabled_document_is_rejected_with_what_to_do() -> None:
    data = blank_form("en")
    types = read_part(data, "[Content_Types].xml")
    docm = types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    with pytest.raises(Rejected, match=r"\.docm"):
        parse_form(io.BytesIO(with_parts(data, {"[Content_Types].xml": docm})))


def test_duplicated_control_with_different_answers_is_an_error() -> None:
    def change(root: etree._Element) -> None:
        sdt = control(root, "respondent_name")
        twin = copy.deepcopy(sdt)
        sdt.addnext(twin)
        fill_text(sdt, "A. Person")
        fill_text(twin, "B. Person")

    result = parse_form(io.BytesIO(edit_document(blank_form("en"), change)))
    assert result.answers["respondent_name"] is None
    [error] = [p for p in result.errors if p.item == "respondent_name"]
    assert error.location == "tag respondent_name"
    assert "A. Person" in error.message
    assert "B. Person" in error.message


def test_unknown_tags_are_counted_in_a_warning() -> None:
    def change(root: etree._Element) -> None:
        tag = child(control(root, "respondent_name"), f"{w('sdtPr')}/{w('tag')}")
        tag.set(w("val"), "my_own_field")

    result = parse_form(io.BytesIO(edit_document(blank_form("en"), change)))
    assert any(p.code == "unknown_slots" and "my_own_field" in p.message for p in result.warnings)


def test_a_value_outside_the_list_is_a_located_error() -> None:
    def change(root: etree._Element) -> None:
        fill_text(control(root, "wg14_c_status"), "Peut-être")

    result = parse_form(io.BytesIO(edit_document(blank_form("en"), change)))
    [error] = [p for p in result.errors if p.item == "wg14_c_status"]
    assert error.location == "tag wg14_c_status"
    assert "Peut-être" in error.message


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("written_in", ["ar", "zh", "en", "fr", "ru", "es"])
def test_blank_form_country_by_name_in_any_language(lang: str, written_in: str) -> None:
    data = blank_form(lang, None)
    name = Localizer(written_in).country("CI")

    def change(root: etree._Element) -> None:
        fill_text(control(root, COUNTRY_SLOT), name)

    result = parse_form(io.BytesIO(edit_document(data, change)))
    assert result.form.country == "CI"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("KEN", "KE"),
        ("ke", "KE"),
        ("Kenya", "KE"),
        ("Russian Federation", "RU"),
        ("North Korea", "KP"),
        ("Democratic People’s Republic of Korea", "KP"),
    ],
)
def test_blank_form_country_by_code(typed: str, code: str) -> None:
    data = edit_document(
        blank_form("en", None), lambda root: fill_text(control(root, COUNTRY_SLOT), typed)
    )
    assert parse_form(io.BytesIO(data)).form.country == code


def test_blank_form_country_picked_from_the_list() -> None:
    data = fill(blank_form("es", None), {COUNTRY_SLOT: Localizer("es").country("PE")}, "es")
    result = parse_form(io.BytesIO(data))
    assert result.form.country == "PE"
    assert result.form.signature == "absent"


def test_blank_form_unreadable_country_is_an_error_not_a_guess() -> None:
    data = edit_document(
        blank_form("en", None), lambda root: fill_text(control(root, COUNTRY_SLOT), "Atlantis")
    )
    result = parse_form(io.BytesIO(data))
    assert result.form.country is None
    [error] = result.errors
    assert error.location == f"tag {COUNTRY_SLOT}"
    assert "Atlantis" in error.message


def test_blank_form_without_a_country_warns() -> None:
    result = parse_form(io.BytesIO(blank_form("en", None)))
    assert result.form.country is None
    assert "country_missing" in [p.code for p in result.warnings]


def test_issued_form_country_is_not_read_from_the_document() -> None:
    data = fill(blank_form("en"), {"respondent_name": "X"}, "en")
    assert parse_form(io.BytesIO(data)).form.country == "MX"


def test_control_value_of_a_bare_control() -> None:
    sdt = etree.fromstring(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:r><w:t>hello</w:t></w:r></w:sdtContent></w:sdt>'
    )
    assert control_value(sdt) == "hello"


def test_picked_label_is_read_back_to_its_code() -> None:
    data = edit_document(
        blank_form("fr"),
        lambda root: pick(
            control(root, "wg14_c_status"),
            Localizer("fr").content("choice.label", "Fully implemented"),
        ),
    )
    assert parse_form(io.BytesIO(data)).answers["wg14_c_status"] == "fully"
