"""OpenDocument returns built by hand: the grid as LibreOffice compresses it, and
hostile packages (macros, scripts, DTDs, links, encryption, bombs), each refused
or reported as its OOXML counterpart is."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name
from selfassess.safety.package import Limits, check_package
from tests.forms.inline import blank_xlsx, definition

Q = definition()
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)
SPREADSHEET = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "application/vnd.oasis.opendocument.text"


def meta_xml(lang: str = "en", extra: str = "") -> bytes:
    values = {
        "questionnaire": Q.id,
        "version": Q.version,
        "language": lang,
        "country": "MX",
        "form_id": "fodf",
        "issued": "2025-02-01",
        "deadline": "2025-06-30",
        "signature": "",
    }
    props = "".join(
        f'<meta:user-defined meta:name="selfassess.{k}">{v}</meta:user-defined>'
        for k, v in values.items()
    )
    return (
        f"<office:document-meta {NS}><office:meta>{props}{extra}</office:meta>"
        "</office:document-meta>"
    ).encode()


def manifest(mimetype: str, entries: str = "") -> bytes:
    return (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        f"{entries}</manifest:manifest>"
    ).encode()


def package(
    mimetype: str,
    content: bytes,
    *,
    meta: bytes | None = None,
    manifest_xml: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest_xml or manifest(mimetype))
        z.writestr("meta.xml", meta or meta_xml())
        z.writestr("content.xml", content)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def named(name: str, address: str) -> str:
    return f'<table:named-range table:name="{name}" table:cell-range-address="{address}"/>'


#: The writer's columns carry its cell style; the rest of the sheet is Default.
COLUMNS = (
    '<table:table-column table:default-cell-style-name="ce1" table:number-columns-repeated="6"/>'
    '<table:table-column table:default-cell-style-name="Default" '
    'table:number-columns-repeated="16378"/>'
)


def ods_content(rows: str, names: str, sheet: str = "Réponses d'un État") -> bytes:
    quoted = sheet.replace("'", "''")
    names = names.replace("SHEET", f"'{quoted}'")
    return (
        f"<office:document-content {NS}><office:body><office:spreadsheet>"
        f'<table:table table:name="{sheet}">{COLUMNS}{rows}</table:table>'
        f"<table:named-expressions>{names}</table:named-expressions>"
        "</office:spreadsheet></office:body></office:document-content>"
    ).encode()


#: A grid as Calc writes it: runs of empty rows and cells, a merged cell and
#: its covered cell, text split into spans, runs of spaces and paragraphs.
ROWS = (
    '<table:table-row table:number-rows-repeated="2"><table:table-cell '
    'table:number-columns-repeated="16384"/></table:table-row>'
    "<table:table-row>"
    '<table:table-cell table:number-columns-spanned="2" office:value-type="string">'
    "<text:p>1.1</text:p></table:table-cell><table:covered-table-cell/>"
    '<table:table-cell office:value-type="string"><text:p>Law <text:span>12</text:span>'
    '<text:s text:c="3"/>art.<text:tab/>5</text:p><text:p>Decree 7</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="996"><table:table-cell/></table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="float" office:value="1234.5"/></table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="date" office:date-value="2025-08-11">'
    "<text:p>11/08/2025</text:p></table:table-cell></table:table-row>"
    '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="string"><text:p>Largely implemented</text:p>'
    "</table:table-cell></table:table-row>"
    '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
    '<table:table-cell office:value-type="string"><text:p>Yes</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    "</table:table-row>"
)
NAMES = "".join(
    named(slot_name(*slot), f"$SHEET.${col}${row}")
    for slot, col, row in [
        (("wg15_j_measures",), "C", 3),
        (("wg15_j_penalty_years",), "C", 1000),
        (("reply_date",), "C", 1001),
        (("wg15_j_status",), "C", 1002),
        (("wg15_j_ta_needed",), "C", 1003),
        (("wg15_j_ta_kinds", "training"), "D", 1003),
        (("wg15_j_ta_kinds", "legal_advice"), "E", 1003),
        (("wg15_j_ta_kinds", "other"), "F", 1003),
    ]
)


def test_a_hand_built_ods_is_read_through_its_named_ranges() -> None:
    result = parse_form(package(SPREADSHEET, ods_content(ROWS, NAMES)), questionnaire=Q)
    assert result.answers == {
        "reply_date": "2025-08-11",
        "wg15_j_status": "largely",
        "wg15_j_measures": "Law 12   art.\t5\nDecree 7",
        "wg15_j_penalty_years": 1234.5,
        "wg15_j_ta_needed": "yes",
        "wg15_j_ta_kinds": ["training"],
    }
    assert result.form.format == "ods"
    assert result.problems == []
    assert result.locations["wg15_j_measures"] == "Réponses d'un État!C3"


def test_a_value_typed_far_from_the_form_is_a_stray_cell() -> None:
    far = (
        '<table:table-row><table:table-cell table:number-columns-repeated="25"/>'
        '<table:table-cell office:value-type="string"><text:p>note</text:p></table:table-cell>'
        "</table:table-row>"
    )
    result = parse_form(package(SPREADSHEET, ods_content(ROWS + far, NAMES)), questionnaire=Q)
    assert [(p.code, p.location) for p in result.warnings] == [
        ("stray_cells", "Réponses d'un État!Z1004")
    ]


def test_a_missing_name_is_the_same_located_error_in_an_xlsx() -> None:
    """The slot rules are one implementation (SheetsReader) for .xlsx and .ods."""
    source = zipfile.ZipFile(io.BytesIO(blank_xlsx(Q)))
    workbook = source.read("xl/workbook.xml")
    name = slot_name("wg15_j_measures").encode()
    start = workbook.index(b'<definedName name="' + name + b'"')
    end = workbook.index(b"</definedName>", start) + len(b"</definedName>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            z.writestr(
                info,
                workbook[:start] + workbook[end:] if info.filename == "xl/workbook.xml" else data,
            )
    result = parse_form(out.getvalue(), questionnaire=Q)
    assert [(p.code, p.item, p.location) for p in result.errors] == [
        ("cell_unnamed", "wg15_j_measures", slot_name("wg15_j_measures"))
    ]


def test_a_name_pointing_to_two_cells_that_disagree_is_a_located_error() -> None:
    # The same name defined for the sheet too, on another cell with another value.
    content = ods_content(ROWS, NAMES).replace(
        b"</table:table>",
        b"<table:named-expressions>"
        + named(slot_name("wg15_j_measures"), "$'R\u00e9ponses d''un \u00c9tat'.$C$1000").encode()
        + b"</table:named-expressions></table:table>",
    )
    result = parse_form(package(SPREADSHEET, content), questionnaire=Q)
    [error] = result.errors
    assert (error.code, error.location) == ("cell_named_twice", "Réponses d'un État!C3")
    assert "C1000" in error.message


def test_an_ods_without_our_names_asks_for_an_xlsx_in_the_forms_language() -> None:
    data = package(SPREADSHEET, ods_content(ROWS, ""), meta=meta_xml("fr"))
    with pytest.raises(Rejected, match=r"\.xlsx") as caught:
        parse_form(data, questionnaire=Q)
    assert "Excel 2007-365" in str(caught.value)
    assert "cannot read" not in str(caught.value)  # French, not English


def odt_content(body: str) -> bytes:
    return (
        f"<office:document-content {NS}><office:body><office:text>{body}</office:text>"
        "</office:body></office:document-content>"
    ).encode()


def control(tag: str, inner: str, attrs: str = 'loext:plain-text="true"') -> str:
    return f'<loext:content-control {attrs} loext:tag="{tag}">{inner}</loext:content-control>'


def test_a_hand_built_odt_is_read_through_its_controls() -> None:
    body = (
        "<text:p>"
        + control("wg15_j_measures", "<text:span>Law<text:s/>12</text:span><text:line-break/>x")
        + control(
            "reply_date",
            "8/11/2025",
            'loext:date="true" loext:current-date="2025-08-11T00:00:00Z"',
        )
        + control("wg15_j_status", "Fully implemented", 'loext:dropdown="true"')
        + control("wg15_j_penalty_years", "Type a number", 'loext:showing-place-holder="true"')
        + control("wg15_j_ta_needed", "Yes", 'loext:dropdown="true"')
        + "".join(
            control(
                f"wg15_j_ta_kinds:{code}",
                "\u2612" if ticked else "\u2610",
                'loext:checkbox="true" loext:checked-state="\u2612" '
                'loext:unchecked-state="\u2610"' + (' loext:checked="true"' if ticked else ""),
            )
            for code, ticked in [("legal_advice", True), ("training", False), ("other", False)]
        )
        + "</text:p>"
    )
    result = parse_form(package(TEXT, odt_content(body)), questionnaire=Q)
    assert result.answers == {
        "reply_date": "2025-08-11",
        "wg15_j_status": "fully",
        "wg15_j_measures": "Law 12\nx",
        "wg15_j_penalty_years": None,
        "wg15_j_ta_needed": "yes",
        "wg15_j_ta_kinds": ["legal_advice"],
    }
    assert result.form.format == "odt"
    assert result.errors == []


def test_an_odt_whose_controls_are_gone_asks_for_a_docx_in_the_forms_language() -> None:
    data = package(TEXT, odt_content("<text:p>1.1 Law 12</text:p>"), meta=meta_xml("ar"))
    with pytest.raises(Rejected, match=r"\.docx") as caught:
        parse_form(data, questionnaire=Q)
    assert "Word 2007-365" in str(caught.value)
    assert "cannot read" not in str(caught.value)


# --- hostile packages -----------------------------------------------------------

PLAIN = odt_content("<text:p>hello</text:p>")


def refusal(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(Rejected) as caught:
        check_package(data, limits)
    return str(caught.value)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"Basic/Standard/Module1.xml": b"<a/>"}, "macros (Basic/Standard/Module1.xml)"),
        ({"Scripts/python/run.py": b"import os"}, "macros (Scripts/python/run.py)"),
        ({"Object 1": b"\xd0\xcf\x11\xe0 ole"}, "embedded objects (Object 1)"),
    ],
    ids=["basic", "scripts", "ole"],
)
def test_macro_folders_and_ole_objects_are_refused(extra: dict[str, bytes], expected: str) -> None:
    assert expected in refusal(package(TEXT, PLAIN, extra=extra))


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ("application/vnd.sun.star.basic", "macros (Standard/)"),
        ("application/vnd.sun.star.oleobject", "embedded objects (Standard/)"),
    ],
)
def test_manifest_entries_of_macros_and_objects_are_refused(media: str, expected: str) -> None:
    entry = f'<manifest:file-entry manifest:full-path="Standard/" manifest:media-type="{media}"/>'
    assert expected in refusal(package(TEXT, PLAIN, manifest_xml=manifest(TEXT, entry)))


def test_a_name_quoted_from_the_file_is_one_short_safe_line() -> None:
    """A manifest entry can hold anything: the rejection quoting it is still one
    line, its bidi characters escaped, its breaks made spaces and its length cut."""
    forged = "Basic/\u202e\nerror: forged" + "x" * 5000
    entry = f'<manifest:file-entry manifest:full-path="{forged}" manifest:media-type="text/xml"/>'
    message = refusal(package(TEXT, PLAIN, manifest_xml=manifest(TEXT, entry)))
    assert "\n" not in message
    assert "\u202e" not in message
    assert "macros (Basic/\\u202e error: forged" in message
    assert len(message) < 300


@pytest.mark.parametrize(
    "body",
    [
        "<office:scripts><office:script/></office:scripts><office:body/>",
        "<office:body><office:text><text:p><office:event-listeners><script:event-listener/>"
        "</office:event-listeners></text:p></office:text></office:body>",
        '<office:body><office:text><text:p><text:a xlink:href="vnd.sun.star.script:Lib.M.run">'
        "x</text:a></text:p></office:text></office:body>",
        '<office:body><office:text><text:p><text:execute-macro text:name="Standard.M.run">'
        "click</text:execute-macro></text:p></office:text></office:body>",
    ],
    ids=["office-script", "event-listener", "script-link", "execute-macro"],
)
def test_scripts_and_event_handlers_are_refused(body: str) -> None:
    content = f"<office:document-content {NS}>{body}</office:document-content>".encode()
    assert "macros (content.xml)" in refusal(package(TEXT, content))


def test_an_empty_scripts_element_as_libreoffice_writes_it_is_accepted() -> None:
    content = PLAIN.replace(b"<office:body>", b"<office:scripts/><office:body>")
    assert check_package(package(TEXT, content)).format == "odt"


DTD = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]>'


@pytest.mark.parametrize("part", ["content.xml", "META-INF/manifest.xml", "meta.xml"])
def test_a_dtd_in_any_part_is_refused(part: str) -> None:
    data = package(
        TEXT,
        DTD + PLAIN if part == "content.xml" else PLAIN,
        manifest_xml=DTD + manifest(TEXT) if part == "META-INF/manifest.xml" else None,
        meta=DTD + meta_xml() if part == "meta.xml" else None,
    )
    assert f"the part {part} declares a DTD" in refusal(data)


def test_the_zip_limits_apply_to_odf_too() -> None:
    extra = {f"Pictures/{n}.png": b"png" for n in range(10)}
    assert "over the limit of 8" in refusal(
        package(TEXT, PLAIN, extra=extra), Limits(max_members=8)
    )


def test_external_links_and_dde_are_reported_not_followed() -> None:
    body = (
        '<text:p><draw:frame><draw:image xlink:href="http://attacker.example/x.png"/>'
        '</draw:frame><draw:frame><draw:image xlink:href="Pictures/ok.png"/></draw:frame>'
        '<text:a xlink:href="https://www.unodc.org">a hyperlink is only followed on a click'
        "</text:a></text:p><text:dde-connection-decls><text:dde-connection-decl/>"
        "</text:dde-connection-decls>"
    )
    checked = check_package(package(TEXT, odt_content(body)))
    assert sorted((f.code, f.location) for f in checked.warnings) == [
        ("external_link", "content.xml"),
        ("external_resource", "content.xml"),
    ]


def test_a_sheet_linked_to_another_file_is_an_external_link() -> None:
    content = ods_content(ROWS, NAMES).replace(
        b"</table:table>",
        b'<table:table-source xlink:href="file:///C:/other.ods" table:table-name="S"/>'
        b"</table:table>",
    )
    checked = check_package(package(SPREADSHEET, content))
    assert [(f.code, f.location) for f in checked.warnings] == [("external_link", "content.xml")]


def test_a_manifest_that_names_another_kind_of_file_is_refused() -> None:
    data = package(SPREADSHEET, ods_content(ROWS, NAMES), manifest_xml=manifest(TEXT))
    assert "manifest does not declare" in refusal(data)


def test_a_formula_that_calls_out_is_reported() -> None:
    rows = (
        '<table:table-row><table:table-cell table:formula="of:=WEBSERVICE(&quot;http://x&quot;)"'
        ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    checked = check_package(package(SPREADSHEET, ods_content(rows, "")))
    assert [f.code for f in checked.warnings] == ["active_formula"]


def test_a_password_protected_save_asks_for_a_copy_without_password_in_the_forms_language() -> None:
    entries = (
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
        "</manifest:file-entry>"
    )
    data = package(
        SPREADSHEET,
        b"\x93\x1f binary, encrypted",
        manifest_xml=manifest(SPREADSHEET, entries),
        meta=meta_xml("fr"),
    )
    message = refusal(data)
    assert ".xlsx" in message
    assert "password" not in message  # in French: the form's language
    assert "encrypted" in refusal(
        package(SPREADSHEET, b"x", manifest_xml=manifest(SPREADSHEET, entries), meta=b"<x/>")
    )


def test_a_zip_bomb_is_refused() -> None:
    bomb = PLAIN.replace(b"hello", b" " * (4 * 1024 * 1024))
    assert "zip bomb" in refusal(package(TEXT, bomb))


def test_a_repeated_cell_cannot_make_the_reader_fill_a_sheet() -> None:
    rows = (
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    assert "more than a form can" in refusal(package(SPREADSHEET, ods_content(rows, "")))


def test_a_flat_opendocument_file_asks_for_xlsx_or_docx() -> None:
    flat = (
        f'<?xml version="1.0"?><office:document {NS} '
        f'office:mimetype="{SPREADSHEET}"><office:meta>'
        '<meta:user-defined meta:name="selfassess.language">en</meta:user-defined>'
        "</office:meta></office:document>"
    ).encode()
    assert "flat OpenDocument" in refusal(flat)
    assert ".xlsx" in refusal(flat)


def test_another_kind_of_opendocument_is_refused() -> None:
    mimetype = "application/vnd.oasis.opendocument.presentation"
    assert "presentation" in refusal(package(mimetype, PLAIN, manifest_xml=manifest(mimetype)))


@pytest.mark.parametrize("mimetype", [SPREADSHEET, TEXT])
def test_a_package_without_its_body_is_refused_not_read_as_empty(mimetype: str) -> None:
    content = f"<office:document-content {NS}><office:body/></office:document-content>"
    with pytest.raises(Rejected, match="damaged"):
        parse_form(package(mimetype, content.encode()), questionnaire=Q)


def test_a_missing_manifest_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", TEXT)
        z.writestr("content.xml", PLAIN)
    assert "manifest" in refusal(out.getvalue())


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=0, max_value=10**9))
def test_any_text_and_any_run_of_spaces_is_read_as_text_within_bounds(
    typed: str, spaces: int
) -> None:
    from xml.sax.saxutils import escape  # noqa: PLC0415 (only this test needs it)

    clean = "".join(ch for ch in typed if ch in "\t\n\r" or ord(ch) >= 0x20)
    clean = "".join(
        ch for ch in clean if not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff"
    )
    cell = (
        '<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        f'<table:table-cell office:value-type="string"><text:p>{escape(clean)}'
        f'<text:s text:c="{spaces}"/>.</text:p></table:table-cell></table:table-row>'
    )
    content = ods_content(cell, named(slot_name("wg15_j_measures"), "$SHEET.$C$1"))
    result = parse_form(package(SPREADSHEET, content), questionnaire=Q)
    answer = result.answers["wg15_j_measures"]
    assert isinstance(answer, str)
    assert answer.endswith(".")
    # A run of spaces is bounded by what a cell can hold, not by what the file says.
    assert len(answer) <= len(clean) + 32_768
