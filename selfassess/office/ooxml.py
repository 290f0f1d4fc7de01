"""Low-level WordprocessingML shared by the Word writer, the reader and the tests.

Namespaces, the custom document properties part (python-docx 1.2 has no API
for it), the package parts a reader needs, and the reading rules for the text
of a content control (see ``docs/word-forms.md``). Nothing here imports
python-docx, so that reading a return stays light.
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from selfassess.errors import Rejected
from selfassess.i18n.localizer import Localizer
from selfassess.safety.package import is_external, parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

RT_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
RT_CUSTOM_XML_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
RT_CUSTOM_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CT_CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PART = "/docProps/custom.xml"
#: The format id every custom property carries (FMTID_UserDefinedProperties).
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

CHECKED_GLYPH = "\u2612"  # ☒
UNCHECKED_GLYPH = "\u2610"  # ☐


def w(tag: str) -> str:
    """Clark name of a ``w:`` element or attribute."""
    return f"{{{W_NS}}}{tag}"


def w14(tag: str) -> str:
    return f"{{{W14_NS}}}{tag}"


# --- markup from text ------------------------------------------------------

# Not xml.sax.saxutils: it imports urllib.request, http.client and email
# (about 30 ms at every start) for these two tables.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def escape(text: str) -> str:
    """``text`` as XML character data."""
    return text.translate(_TEXT_ESCAPES)


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value, whitespace kept as written."""
    return f'"{text.translate(_ATTR_ESCAPES)}"'


# --- custom document properties --------------------------------------------


def custom_properties_xml(props: Mapping[str, str]) -> bytes:
    """The ``docProps/custom.xml`` part holding ``props`` as text properties."""
    rows = "".join(
        f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{rows}</Properties>'
    ).encode()


def read_custom_properties(root: etree._Element) -> dict[str, str]:
    """Name -> text of every custom property (non-text values as their text)."""
    out: dict[str, str] = {}
    for prop in root.iterchildren(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name is None:
            continue
        value = next(iter(prop), None)
        out[name] = "" if value is None else "".join(str(t) for t in value.itertext())
    return out


# --- reading a package -----------------------------------------------------


@dataclass
class WordPackage:
    """The parts of a checked .docx a reader needs, parsed safely."""

    document: etree._Element
    custom: etree._Element | None


def internal_relationships(root: etree._Element, base: str) -> Iterator[tuple[str, str, str]]:
    """(id, type, part name) of each relationship of a ``.rels`` part that points
    into the package; ``base`` is the folder its targets are relative to."""
    for rel in root.iterchildren(f"{{{PKG_REL_NS}}}Relationship"):
        target = rel.get("Target")
        if not target or is_external(rel):
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        yield rel.get("Id") or "", rel.get("Type") or "", posixpath.normpath(name)


def _rel_targets(root: etree._Element, base: str) -> dict[str, str]:
    """Relationship type -> part name (first of each type), internal targets only."""
    found: dict[str, str] = {}
    for _id, kind, name in internal_relationships(root, base):
        if kind:
            found.setdefault(kind, name)
    return found


def _archive_rel_targets(archive: zipfile.ZipFile, rels_name: str, base: str) -> dict[str, str]:
    try:
        root = parse_xml(archive.read(rels_name))
    except KeyError:
        return {}
    return _rel_targets(root, base)


def open_word_package(xml: Mapping[str, etree._Element]) -> WordPackage:
    """The main document and the custom properties of a checked .docx, from the
    trees the package check parsed (:attr:`selfassess.safety.package.Package.xml`)."""
    package_rels = xml.get("_rels/.rels")
    rels = {} if package_rels is None else _rel_targets(package_rels, "")
    document = xml.get(rels.get(RT_OFFICE_DOCUMENT, "word/document.xml"))
    if document is None:
        raise Rejected("not a Word document: it has no main document part")
    return WordPackage(
        document=document, custom=xml.get(rels.get(RT_CUSTOM_PROPERTIES, CUSTOM_PART.lstrip("/")))
    )


def custom_xml_stores(data: bytes) -> dict[str, etree._Element]:
    """The custom XML parts of a checked package by their ``itemID`` (upper case,
    no braces), wherever they are stored: an item is the source of a relationship
    to its properties part, which names the id that ``w:dataBinding`` refers to."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    stores: dict[str, etree._Element] = {}
    for rels_name in sorted(n for n in names if n.endswith(".rels")):
        folder, _, rels_file = rels_name.rpartition("/")
        if not folder.endswith("_rels"):
            continue
        base = folder[: -len("_rels")].rstrip("/")
        item = posixpath.join(base, rels_file[: -len(".rels")])
        props = _archive_rel_targets(archive, rels_name, base).get(RT_CUSTOM_XML_PROPS)
        if item not in names or props not in names:
            continue
        item_id = _store_id(parse_xml(archive.read(props)))
        if item_id:
            stores.setdefault(item_id, parse_xml(archive.read(item)))
    return stores


def _store_id(props: etree._Element) -> str:
    for name, value in props.attrib.items():
        if etree.QName(name).localname == "itemID":
            return store_key(str(value))
    return ""


def store_key(item_id: str) -> str:
    """A custom XML item id as compared: upper case, no braces or spaces."""
    return item_id.strip().strip("{}").upper()


# --- the text of a control -------------------------------------------------

#: Subtrees that hold no current text: deleted or moved-away revisions, field
#: instructions, alternative content meant for older readers.
_SKIP = frozenset(
    {
        w("del"),
        w("moveFrom"),
        w("instrText"),
        w("delInstrText"),
        w("rPr"),
        w("pPr"),
        w("sdtPr"),
        w("sdtEndPr"),
        f"{{{MC_NS}}}Fallback",
    }
)


def content_text(element: etree._Element, *, nested: bool = False) -> str:
    """The text a reader sees in ``element`` (a ``w:sdtContent``, cell, paragraph).

    Every ``w:t`` in document order, ``w:tab`` as a tab, ``w:br``/``w:cr`` and
    paragraph ends as newlines; deleted and moved-away text is skipped, and so
    are nested controls unless ``nested``. NFC-normalised, not trimmed.
    """
    parts: list[str] = []
    paragraphs = 0
    for kind, text in _walk(element, nested):
        if kind == "p":
            if paragraphs:
                parts.append("\n")
            paragraphs += 1
        else:
            parts.append(text)
    return unicodedata.normalize("NFC", "".join(parts))


def _walk(element: etree._Element, nested: bool) -> Iterator[tuple[str, str]]:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("t"):
            yield "t", child.text or ""
        elif tag == w("tab"):
            yield "t", "\t"
        elif tag in (w("br"), w("cr")):
            yield "t", "\n"
        elif tag == w("noBreakHyphen"):
            yield "t", "-"
        elif tag == w("sdt") and not nested:
            continue
        else:
            if tag == w("p"):
                yield "p", ""
            yield from _walk(child, nested)


# --- editing restriction password ------------------------------------------------

# Word's legacy password key (ECMA-376 Part 4, 2.15.1.28; [MS-OFFCRYPTO] 2.3.7.1),
# which Word hashes again with a salt and a spin count for w:documentProtection.
_INITIAL_CODE = (
    0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E,
    0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3,
)  # fmt: skip
_ENCRYPTION_MATRIX = (
    (0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09),
    (0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF),
    (0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0),
    (0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40),
    (0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5),
    (0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A),
    (0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9),
    (0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0),
    (0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC),
    (0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10),
    (0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168),
    (0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C),
    (0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD),
    (0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC),
    (0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4),
)
#: Algorithm ids of w:cryptAlgorithmSid ([MS-OFFCRYPTO] ALG_ID low byte).
HASH_SIDS = {"sha1": 4, "sha512": 14}


def _legacy_key(password: str) -> int:
    """The 32-bit key of Word 97's password verifier, from at most 15 characters."""
    data = [(ord(c) & 0xFF) or ((ord(c) >> 8) & 0xFF) for c in password[:15]]
    high = _INITIAL_CODE[len(data) - 1]
    for i, byte in enumerate(data):
        row = _ENCRYPTION_MATRIX[15 - len(data) + i]
        for bit in range(7):
            if byte & (1 << bit):
                high ^= row[bit]
    low = 0
    for byte in reversed(data):
        low = (((low >> 14) & 1) | ((low << 1) & 0x7FFF)) ^ byte
    low = (((low >> 14) & 1) | ((low << 1) & 0x7FFF)) ^ len(data) ^ 0xCE4B
    return ((high << 16) | low) & 0xFFFFFFFF


def protection_hash(
    password: str, salt: bytes, spin_count: int = 100_000, algorithm: str = "sha512"
) -> str:
    """``w:hash`` of ``w:documentProtection`` for ``password``, base64.

    The legacy key's bytes, little-endian, as upper-case hex in UTF-16LE, are
    hashed after the salt, then re-hashed ``spin_count`` times with the
    iteration number appended (little-endian, 4 bytes).

    >>> import base64
    >>> salt = base64.b64decode("uq81pJRRGFIY5U+E9gt8tA==")
    >>> protection_hash("test", salt, 10_000, "sha1")  # PHPWord's test vector
    'QiDOcpia1YzSVJPiKPwWebl9p/0='
    """
    if not password:
        raise ValueError("an empty password has no hash")
    key = _legacy_key(password).to_bytes(4, "little").hex().upper().encode("utf-16-le")
    digest = hashlib.new(algorithm, salt + key).digest()
    for n in range(spin_count):
        digest = hashlib.new(algorithm, digest + n.to_bytes(4, "little")).digest()
    return base64.b64encode(digest).decode("ascii")


# --- placeholders ----------------------------------------------------------

#: The number shown in the number placeholder, formatted in the form's locale.
PLACEHOLDER_NUMBER_EXAMPLE = 1234.5


def placeholders(loc: Localizer) -> dict[str, str]:
    """Placeholder text of each kind of control, in ``loc``'s language."""
    return {
        "text": loc.gettext("Click or tap here to enter text."),
        "choice": loc.gettext("Choose an item."),
        "date": loc.gettext("Click or tap to enter a date."),
        "number": loc.gettext("Type a number, e.g. {example}.").format(
            example=loc.number(PLACEHOLDER_NUMBER_EXAMPLE)
        ),
    }
