"""Low-level WordprocessingML shared by the Word writer, the reader and the tests.

Namespaces, the custom document properties part (python-docx 1.2 has no API
for it), the package parts a reader needs, and the reading rules for the text
of a content control (see ``docs/word-forms.md``). Nothing here imports
python-docx, so that reading a return stays light.
"""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from selfassess.errors import Rejected
from selfassess.i18n import Localizer
from selfassess.safety import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

RT_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
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


def _rel_targets(archive: zipfile.ZipFile, rels_name: str, base: str) -> dict[str, str]:
    """Relationship type -> part name (first of each type), internal targets only."""
    try:
        root = parse_xml(archive.read(rels_name))
    except KeyError:
        return {}
    found: dict[str, str] = {}
    for rel in root.iterchildren(f"{{{PKG_REL_NS}}}Relationship"):
        target, kind = rel.get("Target"), rel.get("Type")
        if not target or not kind or rel.get("TargetMode") == "External":
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        found.setdefault(kind, posixpath.normpath(name))
    return found


def open_word_package(data: bytes) -> WordPackage:
    """Parse the main document and the custom properties of a checked .docx."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    rels = _rel_targets(archive, "_rels/.rels", "")
    names = set(archive.namelist())
    main = rels.get(RT_OFFICE_DOCUMENT, "word/document.xml")
    if main not in names:
        raise Rejected("not a Word document: it has no main document part")
    custom_name = rels.get(RT_CUSTOM_PROPERTIES, CUSTOM_PART.lstrip("/"))
    custom = parse_xml(archive.read(custom_name)) if custom_name in names else None
    return WordPackage(document=parse_xml(archive.read(main)), custom=custom)


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
