"""Hostile files, built by code: nothing binary is checked in.

``zip_bytes`` writes a zip archive by hand, so that a test can make its
headers lie (declared sizes, flags, offsets, compression methods) the way an
attacker's tool would; the other builders put OOXML parts in it.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from selfassess.office.excel import destination
from tests.support.zipparts import parts_of

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CT_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p><w:r><w:t>&xxe;</w:t>'
    b"</w:r></w:p></w:body></w:document>"
)


def billion_laughs(levels: int = 10) -> bytes:
    """The classic entity expansion: ten levels of ten references."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{"".join(entities)}]>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol{levels - 1};</w:t>'
        "</w:r></w:p></w:body></w:document>"
    ).encode()


@dataclass
class Entry:
    """One zip member, with every header field a test may want to falsify."""

    name: str
    data: bytes
    method: int = 8  # deflate
    flags: int = 0
    declared_size: int | None = None
    declared_compressed: int | None = None
    crc: int | None = None
    offset: int | None = None
    """Point the central directory at another entry's local header (overlap)."""
    extra: dict[str, int] = field(default_factory=dict)


def _compress(data: bytes, method: int) -> bytes:
    if method == 8:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        return comp.compress(data) + comp.flush()
    if method == 12:
        import bz2  # noqa: PLC0415 (only the one test of an unusual method needs it)

        return bz2.compress(data)
    return data


def zip_bytes(entries: list[Entry], truncate: int | None = None) -> bytes:
    """A zip archive written by hand; every header field comes from ``entries``."""
    out = io.BytesIO()
    central = io.BytesIO()
    offsets: list[int] = []
    for entry in entries:
        name = entry.name.encode()
        body = _compress(entry.data, entry.method)
        crc = entry.crc if entry.crc is not None else zlib.crc32(entry.data)
        size = entry.declared_size if entry.declared_size is not None else len(entry.data)
        csize = entry.declared_compressed if entry.declared_compressed is not None else len(body)
        local_offset = out.tell()
        offsets.append(local_offset)
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                entry.flags | 0x800,
                entry.method,
                0,
                0x21,
                crc,
                csize,
                size,
                len(name),
                0,
            )
            + name
            + body
        )
        header_offset = offsets[entry.offset] if entry.offset is not None else local_offset
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                entry.flags | 0x800,
                entry.method,
                0,
                0x21,
                crc,
                csize,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                header_offset,
            )
            + name
        )
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack(
            "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0
        )
    )
    data = out.getvalue()
    return data[:truncate] if truncate is not None else data


def content_types(overrides: Mapping[str, str], defaults: Mapping[str, str] | None = None) -> bytes:
    items = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
    items |= {"xml": "application/xml"} | dict(defaults or {})
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{CT_NS}">'
        + "".join(f'<Default Extension="{k}" ContentType="{v}"/>' for k, v in items.items())
        + "".join(f'<Override PartName="/{k}" ContentType="{v}"/>' for k, v in overrides.items())
        + "</Types>"
    ).encode()


def relationships(rels: list[tuple[str, str, str | None]]) -> bytes:
    """(type's last segment, target, target mode or None)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{RT}/{kind}" Target="{target}"'
            + (f' TargetMode="{mode}"' if mode else "")
            + "/>"
            for i, (kind, target, mode) in enumerate(rels, 1)
        )
        + "</Relationships>"
    ).encode()


def document_xml(paragraphs: str = "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraphs}</w:body></w:document>'
    ).encode()


def sheet_xml(
    inner: str = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
    "</row></sheetData>",
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{S_NS}" xmlns:r="{RT}">{inner}</worksheet>'
    ).encode()


def docx_parts(document: bytes | None = None) -> dict[str, bytes]:
    """The parts of the smallest valid Word document."""
    return {
        "[Content_Types].xml": content_types({"word/document.xml": CT_DOCX_MAIN}),
        "_rels/.rels": relationships([("officeDocument", "word/document.xml", None)]),
        "word/document.xml": document if document is not None else document_xml(),
    }


def xlsx_parts(sheet: bytes | None = None, main_type: str = CT_XLSX_MAIN) -> dict[str, bytes]:
    """The parts of the smallest valid Excel workbook."""
    return {
        "[Content_Types].xml": content_types(
            {"xl/workbook.xml": main_type, "xl/worksheets/sheet1.xml": CT_SHEET}
        ),
        "_rels/.rels": relationships([("officeDocument", "xl/workbook.xml", None)]),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{S_NS}" xmlns:r="{RT}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": relationships([("worksheet", "worksheets/sheet1.xml", None)]),
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(),
    }


def package(parts: Mapping[str, bytes]) -> bytes:
    return zip_bytes([Entry(name, data) for name, data in parts.items()])


def fake_encrypted_ole() -> bytes:
    """An OLE compound file whose directory names the EncryptedPackage stream,
    as Office writes a password-protected .docx/.xlsx (header and names only)."""
    sector = bytearray(512)
    for i, name in enumerate(("EncryptionInfo", "EncryptedPackage")):
        raw = name.encode("utf-16-le")
        sector[i * 128 : i * 128 + len(raw)] = raw
    return OLE_MAGIC + bytes(504) + bytes(sector)


def fake_ole(stream: str) -> bytes:
    """An old binary Office file (.doc with ``WordDocument``, .xls with ``Workbook``)."""
    return OLE_MAGIC + bytes(504) + stream.encode("utf-16-le") + bytes(100)


def real_encrypted(plain: bytes, password: str = "secret") -> bytes | None:
    """A truly encrypted package (ECMA-376 agile encryption), when msoffcrypto-tool is there."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile  # noqa: PLC0415 (optional test tool)
    except ImportError:
        return None
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


def odf(mimetype: bytes) -> bytes:
    return zip_bytes(
        [Entry("mimetype", mimetype, method=0), Entry("content.xml", b"<office:document/>")]
    )


# --- real generated forms, and what a hostile respondent does to them ---------

KEY = b"secretariat-test-key"


def real_form(
    fmt: str = "xlsx",
    lang: str = "en",
    country: str | None = "MX",
    key: bytes | None = KEY,
    prefill: Mapping[str, object] | None = None,
) -> bytes:
    """A form as the secretariat issues it (signed with ``key``)."""
    import datetime as dt  # noqa: PLC0415 (the hand-made builders above need none of this)

    from selfassess.definitions.questionnaire import load_questionnaire  # noqa: PLC0415
    from selfassess.response.meta import FormMeta, new_form_id  # noqa: PLC0415

    q = load_questionnaire("ctoc_wgta")
    meta = FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        country=country,
        form_id=new_form_id(),
        issued=dt.date(2025, 1, 15),
        deadline=dt.date(2025, 6, 30),
    ).signed(key)
    out = io.BytesIO()
    if fmt == "xlsx":
        from selfassess.forms.xlsx_writer import write_xlsx  # noqa: PLC0415

        write_xlsx(q, meta, out, prefill=prefill)  # type: ignore[arg-type]  # answers as the writer takes them
    else:
        from selfassess.forms.docx_writer import write_docx  # noqa: PLC0415

        write_docx(q, meta, out, prefill=prefill)  # type: ignore[arg-type]  # answers as the writer takes them
    return out.getvalue()


def form_id_of(data: bytes) -> str:
    """The form id in a package's custom document properties."""
    import re  # noqa: PLC0415

    custom = parts_of(data)["docProps/custom.xml"].decode()
    found = re.search(r'name="selfassess\.form_id"[^>]*>\s*<vt:lpwstr[^>]*>([^<]*)<', custom)
    assert found, "no form id"
    return found[1]


def fill_xlsx(data: bytes, cells: Mapping[str, object], formulas: bool = False) -> bytes:
    """Type values into the cells behind slot names, as openpyxl (or a person) would.

    With ``formulas``, strings starting with ``=`` stay formulas (openpyxl's
    default); otherwise every value is stored as typed.
    """
    from openpyxl import load_workbook  # noqa: PLC0415

    wb = load_workbook(io.BytesIO(data))
    for slot, value in cells.items():
        title, ref = destination(wb.defined_names["sa_" + slot.replace(":", "__")]) or ("", "")
        cell = wb[title][ref]
        cell.value = value
        if isinstance(value, str) and not formulas:
            cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_property(data: bytes, key: str, value: str) -> bytes:
    """Change one form metadata value in the custom document properties only."""
    import re  # noqa: PLC0415

    parts = parts_of(data)
    custom = parts["docProps/custom.xml"].decode()
    pattern = rf'(name="selfassess\.{key}"[^>]*>\s*<vt:lpwstr[^>]*>)([^<]*)(<)'
    changed, count = re.subn(pattern, lambda m: m[1] + value + m[3], custom)
    assert count == 1, f"no property {key}"
    parts["docProps/custom.xml"] = changed.encode()
    return package(parts)


def set_meta_everywhere(data: bytes, key: str, value: str) -> bytes:
    """Change one metadata value consistently (properties and, in Excel, the hidden sheet),
    as a careful forger would."""
    out = set_property(data, key, value)
    if b"xl/workbook.xml" not in out:
        return out
    from openpyxl import load_workbook  # noqa: PLC0415

    from selfassess.constants import META_PREFIX, SHEET_META  # noqa: PLC0415

    wb = load_workbook(io.BytesIO(out))
    ws = next(s for s in wb.worksheets if s.title.casefold() == SHEET_META.casefold())
    for row in ws.iter_rows():
        if row[0].value == META_PREFIX + key:
            row[1].value = value
    saved = io.BytesIO()
    wb.save(saved)
    # openpyxl keeps custom properties; write ours again in case it normalised them.
    return set_property(saved.getvalue(), key, value)
