"""Safe opening of untrusted packages, before any parser runs.

Returns come from outside the secretariat. A package is checked as bytes and
as a zip directory first: sizes, member count, compression ratio, DTDs and
entity declarations, macro and embedded-object content, encryption. Anything
unsafe raises :class:`~selfassess.errors.Rejected` with one clear sentence.
Every limit is in :class:`Limits` and can be changed by the caller.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from selfassess.errors import Rejected

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']')
_FIELD = re.compile(rb"\b(DDEAUTO|DDE|INCLUDETEXT|INCLUDEPICTURE|INCLUDE)\b")
_UNSAFE_CONTENT = (
    (b"macroEnabled", "it is macro-enabled"),
    (b"vbaProject", "it contains macros (vbaProject)"),
    (b"activeX", "it contains ActiveX controls"),
    (b"oleObject", "it contains embedded OLE objects"),
)
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on what a return may be. Documented in ``docs/security.md``."""

    max_file_bytes: int = 25 * MIB
    max_members: int = 2000
    max_member_bytes: int = 100 * MIB
    max_total_bytes: int = 250 * MIB
    max_ratio: float = 200.0
    """Uncompressed / compressed size of one member; real XML stays far below."""


@dataclass
class Package:
    """A package that passed the checks."""

    format: Literal["docx", "xlsx"]
    data: bytes
    warnings: list[str] = field(default_factory=list)


def _what_to_do(kind: str) -> str:
    return {
        "xls": "it is an old Excel (.xls) file; open it and save it as .xlsx (Excel Workbook)",
        "doc": "it is an old Word (.doc) file; open it and save it as .docx (Word Document)",
        "ods": "it is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel 2007-365)",
        "odt": "it is an OpenDocument text (.odt); save it as .docx (Word 2007-365)",
        "xlsm": "it is a macro-enabled workbook (.xlsm); save it as .xlsx without macros",
        "docm": "it is a macro-enabled document (.docm); save it as .docx without macros",
    }[kind]


def check_package(data: bytes, limits: Limits | None = None) -> Package:
    """Check an untrusted file; return it with its format, or raise Rejected.

    >>> check_package(b"hello")
    Traceback (most recent call last):
    ...
    selfassess.errors.Rejected: not a Word (.docx) or Excel (.xlsx) file
    """
    limits = limits or Limits()
    if len(data) > limits.max_file_bytes:
        raise Rejected(
            f"the file is {len(data) / MIB:.1f} MiB, over the limit of "
            f"{limits.max_file_bytes / MIB:.0f} MiB; send the form without embedded files"
        )
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise Rejected(
                "the file is password-protected (encrypted); remove the password and send it again"
            )
        kind = "doc" if b"W\x00o\x00r\x00d\x00D\x00o\x00c" in data else "xls"
        raise Rejected(f"cannot read this file: {_what_to_do(kind)}")
    if not data.startswith(ZIP_MAGIC):
        raise Rejected("not a Word (.docx) or Excel (.xlsx) file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise Rejected("the file is damaged or truncated (not a readable zip archive)") from None
    return _check_members(archive, infos, data, limits)


def _check_members(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], data: bytes, limits: Limits
) -> Package:
    if len(infos) > limits.max_members:
        raise Rejected(f"the file has {len(infos)} parts, over the limit of {limits.max_members}")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise Rejected("the file is damaged: a part appears twice in the archive")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Rejected(
                "the file is password-protected (encrypted); remove the password and send it again"
            )
        total += info.file_size
        if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise Rejected("the file expands to more data than a form can hold (zip bomb?)")
        if info.file_size > MIB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Rejected(
                f"the part {info.filename} is compressed "
                f"{info.file_size // max(info.compress_size, 1)} times, "
                "more than a form can be (zip bomb?)"
            )
    if "mimetype" in names:
        mimetype = _read(archive, "mimetype", limits)
        kind = "ods" if b"spreadsheet" in mimetype else "odt"
        raise Rejected(f"cannot read this file: {_what_to_do(kind)}")
    if "[Content_Types].xml" not in names:
        raise Rejected("not a Word (.docx) or Excel (.xlsx) file (no [Content_Types].xml)")
    content_types = _read(archive, "[Content_Types].xml", limits)
    fmt: Literal["docx", "xlsx"]
    if "word/document.xml" in names or b"wordprocessingml.document" in content_types:
        fmt = "docx"
    elif "xl/workbook.xml" in names or b"spreadsheetml.sheet" in content_types:
        fmt = "xlsx"
    else:
        raise Rejected("not a Word (.docx) or Excel (.xlsx) file")
    if b"macroEnabled" in content_types:
        raise Rejected(f"cannot read this file: {_what_to_do('docm' if fmt == 'docx' else 'xlsm')}")
    warnings: list[str] = []
    for info in infos:
        lowered = info.filename.lower()
        if lowered.endswith("vbaproject.bin"):
            raise Rejected(
                "the file contains macros (vbaProject.bin); "
                "save it as .xlsx or .docx without macros"
            )
        if "/activex/" in lowered or "/embeddings/" in lowered:
            raise Rejected(
                f"the file contains embedded objects ({info.filename}); "
                "remove them and send the form again"
            )
        if not lowered.endswith((".xml", ".rels", ".vml")):
            continue
        body = _read(archive, info.filename, limits)
        if _DTD.search(body):
            raise Rejected(
                f"the part {info.filename} declares a DTD or entities, which forms never do; "
                "the file was altered"
            )
        for marker, reason in _UNSAFE_CONTENT:
            if info.filename == "[Content_Types].xml" and marker in body:
                raise Rejected(f"cannot accept the file: {reason}")
        if _EXTERNAL.search(body):
            warnings.append(
                f"{info.filename} links to an external resource; the link was not followed"
            )
        if lowered.startswith("word/") and b"instrText" in body and _FIELD.search(body):
            warnings.append(f"{info.filename} contains a DDE or INCLUDE field; it was not run")
    return Package(format=fmt, data=data, warnings=warnings)


def _read(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """Read one member, never more than the limit, whatever its header claims."""
    try:
        with archive.open(name) as fh:
            body = fh.read(limits.max_member_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise Rejected(f"the file is damaged: the part {name} cannot be read") from None
    if len(body) > limits.max_member_bytes:
        raise Rejected("the file expands to more data than a form can hold (zip bomb?)")
    return body


def xml_parser() -> etree.XMLParser:
    """An lxml parser for untrusted parts: no DTD, entities, network or huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse one untrusted XML part; a DTD or a syntax error is a rejection."""
    if _DTD.search(data):
        raise Rejected("an XML part declares a DTD or entities, which forms never do")
    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise Rejected(f"the file is damaged: an XML part is not well-formed ({exc.msg})") from None
