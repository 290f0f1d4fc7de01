"""Safe opening of untrusted packages, before any parser runs.

Returns come from outside the secretariat. A package is checked as bytes and
as a zip directory first: sizes, member count, compression ratio, member
names, encryption. Then every member is inflated once, in bounded chunks, so
that a header that lies about a size or a checksum is caught; every XML part
is parsed once with a hardened parser (no DTD, no entities, no network, the
libxml2 depth and text limits on), and its content is checked for macros,
embedded objects, external links, DDE fields and cell ranges that would make
openpyxl create millions of cells. Anything unsafe raises
:class:`~selfassess.errors.Rejected` with one clear sentence; anything worth
knowing but harmless becomes a warning on the :class:`Package`.

Every limit is in :class:`Limits`, documented in ``docs/security.md``, and can
be changed by the caller or with ``$SELFASSESS_LIMITS``.
"""

from __future__ import annotations

import io
import math
import os
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, fields, replace

from lxml import etree

from selfassess.constants import LANGUAGES, META_PREFIX, Format, ReturnFormat
from selfassess.errors import Rejected, UsageError
from selfassess.i18n.localizer import N_, Localizer
from selfassess.office import odf
from selfassess.office.excel import cell_ref, range_area
from selfassess.problems import Finding, ProblemCode
from selfassess.safety.text import shown

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MIB = 1024 * 1024
LIMITS_ENV = "SELFASSESS_LIMITS"

#: Fixed by libxml2 while ``huge_tree`` is off (lxml and python-docx keep it off).
XML_MAX_DEPTH = 256
XML_MAX_TEXT_BYTES = 10_000_000

_CHUNK = MIB
#: Characters of a name from the file quoted in a rejection: enough to find it.
_QUOTED = 80
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_BYTES = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
#: Word fields that fetch or run something when the document is opened or updated.
_FIELD = re.compile(
    r"\b(DDEAUTO|DDE|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|LINK|WEBSERVICE)\b", re.I
)
#: Excel functions that fetch or run something (``_xlfn.`` prefixed or not).
_FORMULA_CALL = re.compile(
    r"\b(WEBSERVICE|FILTERXML|CALL|REGISTER|REGISTER\.ID|EXEC|DDE|DDEAUTO|IMPORTXML|"
    r"INCLUDETEXT|INCLUDEPICTURE|IMPORT)\s*\(",
    re.I,
)
_STRING_LITERAL = re.compile(r'"[^"]*"')
#: Elements that hold a formula in any spreadsheet part (cells, names,
#: validations, conditional formats, x14 extensions), in any namespace.
_FORMULA_TAGS = ("{*}f", "{*}definedName", "{*}formula", "{*}formula1", "{*}formula2")
_FIELD_TAGS = ("{*}fldChar", "{*}instrText", "{*}fldSimple")
#: Content that Word imports when it opens the file (altChunk), by content type or name.
_CHUNK_TYPES = ("html", "rtf", "message/rfc822", "multipart/related", "mht", "text/plain")
_CHUNK_NAMES = (".htm", ".html", ".xhtml", ".mht", ".mhtml", ".rtf")
_XML_NAMES = (".xml", ".rels", ".vml")
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_WORD = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class Limits:
    """Bounds on what a return may be. Documented in ``docs/security.md``.

    The defaults leave a wide margin over a real form (a filled ctoc_wgta form
    is well under 1 MiB) and keep a parse within about 1 GiB of memory.
    """

    max_file_bytes: int = 25 * MIB
    """Size of the file as received."""
    max_members: int = 1000
    """Parts in the zip archive."""
    max_member_bytes: int = 64 * MIB
    """Uncompressed size of one part, declared and actual."""
    max_total_bytes: int = 200 * MIB
    """Uncompressed size of all parts together."""
    max_ratio: float = 200.0
    """Uncompressed / compressed size of one part above ``ratio_floor_bytes``."""
    ratio_floor_bytes: int = MIB
    """Parts smaller than this are not held to ``max_ratio``."""
    max_xml_elements: int = 1_000_000
    """XML nodes in all parts together: elements, attributes, text and comments
    (a generated form has 23,000 (xlsx) or 108,000 (docx))."""
    max_range_cells: int = 100_000
    """Cells covered by merged ranges and hyperlink ranges of all sheets
    (openpyxl creates an object for each)."""
    max_sheet_area: int = 500_000
    """Rows x columns of the used range of one sheet (last row and column with a
    cell): openpyxl's row iteration creates every cell of that rectangle."""
    max_grid_span: int = 1000
    """A Word table cell's ``gridSpan`` (Word itself allows 63 columns)."""

    @classmethod
    def parse(cls, spec: str, base: Limits | None = None) -> Limits:
        """Limits from ``"name=value,..."``; names with or without ``max_``,
        sizes with an optional K, M or G suffix.

        >>> Limits.parse("file_bytes=50M, ratio=500").max_file_bytes
        52428800
        """
        base = base or cls()
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, int | float] = {}
        for part in spec.split(","):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            name = name.strip().lower().replace("-", "_")
            if name not in known:
                name = "max_" + name
            if not sep or name not in known:
                raise UsageError(
                    f"unknown limit '{part.strip()}'; use name=value with one of "
                    + ", ".join(known)
                )
            changes[name] = _limit_value(name, value.strip(), known[name].type == "float")
        return replace(base, **changes)  # type: ignore[arg-type]  # values checked per field above

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, changed by ``$SELFASSESS_LIMITS`` when it is set."""
        return cls.parse(os.environ.get(LIMITS_ENV, ""))


def _limit_value(name: str, text: str, is_float: bool) -> int | float:
    scale = {"k": 1024, "m": MIB, "g": 1024 * MIB}.get(text[-1:].lower(), 1)
    digits = text[:-1] if scale != 1 else text
    try:
        number = float(digits) * scale
    except ValueError:
        raise UsageError(f"the limit {name} needs a number, not '{text}'") from None
    # float() takes "inf", "nan" and "1e400": none of them bounds anything.
    if not math.isfinite(number):
        raise UsageError(f"the limit {name} needs a finite number, not '{text}'")
    value = number if is_float else int(number)
    if value <= 0:
        raise UsageError(f"the limit {name} must be positive, not '{text}'")
    return value


@dataclass
class Package:
    """A package that passed the checks."""

    format: ReturnFormat
    data: bytes
    warnings: list[Finding] = field(default_factory=list)
    """Links and fields found and not followed; rendered with the return's problems."""
    xml: dict[str, etree._Element] = field(default_factory=dict)
    """Every part checked as XML, by part name, parsed once by the hardened
    parser: readers take their parts from here and refuse any other."""


class _Checker:
    """One pass over an archive; collects warnings, raises Rejected."""

    def __init__(
        self, archive: zipfile.ZipFile, data: bytes, limits: Limits, ui: Localizer | None
    ) -> None:
        self.archive = archive
        self.data = data
        self.limits = limits
        self.ui_given = ui is not None
        self._ = (ui or Localizer("en")).gettext
        self.warnings: list[Finding] = []
        self.elements = 0
        self.range_cells = 0
        self.xml: dict[str, etree._Element] = {}
        self.sheet_targets: set[str] = set()
        self.sheets_checked: set[str] = set()

    # -- helpers -------------------------------------------------------------

    def reject(self, message: str, **kwargs: object) -> Rejected:
        """A rejection in the user's language, as one safe line: a value quoted
        from the file (a part, sheet or manifest name) is cut to what identifies
        it, and its line breaks, control and bidi characters are escaped."""
        quoted = {k: v[:_QUOTED] if isinstance(v, str) else v for k, v in kwargs.items()}
        return Rejected(shown(" ".join(self._(message).format(**quoted).split())))

    def warn(self, code: ProblemCode, name: str, **params: object) -> None:
        finding = Finding(code, location=name, params={"name": name, **params})
        if finding not in self.warnings:
            self.warnings.append(finding)

    def too_big(self) -> Rejected:
        return self.reject("the file expands to more data than a form can hold (zip bomb?)")

    def damaged(self, name: str) -> Rejected:
        return self.reject("the file is damaged: the part {name} cannot be read", name=name)

    # -- the archive's directory ---------------------------------------------

    def directory(self) -> list[zipfile.ZipInfo]:
        infos = self.archive.infolist()
        if len(infos) > self.limits.max_members:
            raise self.reject(
                "the file has {count} parts, over the limit of {limit}",
                count=len(infos),
                limit=self.limits.max_members,
            )
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe_name(name):
                raise self.reject(
                    "the file is damaged: the part name {name!r} is not allowed in a form",
                    name=name,
                )
            folded = name.casefold()
            if folded in seen:
                raise self.reject("the file is damaged: a part appears twice in the archive")
            seen.add(folded)
            if info.flag_bits & 0x41:
                raise self._encrypted()
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.reject(
                    "the file is damaged: the part {name} uses a compression method "
                    "Office never writes",
                    name=name,
                )
            total += info.file_size
            if info.file_size > self.limits.max_member_bytes or total > self.limits.max_total_bytes:
                raise self.too_big()
            if info.file_size > self.limits.ratio_floor_bytes and info.file_size > (
                self.limits.max_ratio * max(info.compress_size, 1)
            ):
                raise self.reject(
                    "the part {name} is compressed {ratio} times, more than a form can be "
                    "(zip bomb?)",
                    name=name,
                    ratio=info.file_size // max(info.compress_size, 1),
                )
        self._no_overlap(infos)
        return infos

    def _no_overlap(self, infos: list[zipfile.ZipInfo]) -> None:
        """Parts whose data overlap are how the densest zip bombs are made."""
        ordered = sorted(infos, key=lambda i: i.header_offset)
        end_of_data = getattr(self.archive, "start_dir", len(self.data))
        for info, nxt in zip(ordered, [*ordered[1:], None], strict=True):
            limit = nxt.header_offset if nxt is not None else end_of_data
            if info.header_offset + info.compress_size > limit:
                raise self.reject("the file is damaged: parts of the archive overlap (zip bomb?)")

    def _encrypted(self) -> Rejected:
        return self.reject(
            "the file is password-protected (encrypted); remove the password "
            "(or save an unprotected copy) and send it again"
        )

    # -- reading every part --------------------------------------------------

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """All of a part, in bounded chunks; the checksum and sizes verified."""
        chunks: list[bytes] = []
        size = 0
        try:
            with self.archive.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    if size > self.limits.max_member_bytes:
                        raise self.too_big()
                    chunks.append(chunk)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ):
            raise self.damaged(info.filename) from None
        if size != info.file_size:
            raise self.reject(
                "the file is damaged: the part {name} declares {declared} bytes but holds {actual}",
                name=info.filename,
                declared=info.file_size,
                actual=size,
            )
        return b"".join(chunks)

    def parse(self, name: str, body: bytes) -> etree._Element:
        if _has_dtd(body):
            raise self.reject(
                "the part {name} declares a DTD or entities, which forms never do; "
                "the file was altered",
                name=name,
            )
        try:
            root = etree.fromstring(body, xml_parser())
        except etree.XMLSyntaxError as exc:
            if "Excessive depth" in exc.msg:
                raise self.reject(
                    "the part {name} nests elements more than {depth} levels deep, which "
                    "forms never do; the file was altered",
                    name=name,
                    depth=XML_MAX_DEPTH,
                ) from None
            if "Resource limit" in exc.msg or "too long" in exc.msg:
                raise self.reject(
                    "the part {name} holds a text or value of more than {size} bytes, more "
                    "than a form can",
                    name=name,
                    size=XML_MAX_TEXT_BYTES,
                ) from None
            raise self.reject(
                "the file is damaged: the part {name} is not well-formed XML ({reason})",
                name=name,
                reason=_first_line(exc.msg),
            ) from None
        except ValueError:
            raise self.damaged(name) from None
        if root.getroottree().docinfo.internalDTD is not None:
            raise self.reject(
                "the part {name} declares a DTD or entities, which forms never do; "
                "the file was altered",
                name=name,
            )
        # Nodes, not only elements: an attribute costs libxml2 as much as an
        # element, and an element with many attributes would dodge the budget.
        self.elements += int(root.xpath("count(//node()) + count(//@*)"))  # type: ignore[arg-type]  # count() is a float
        if self.elements > self.limits.max_xml_elements:
            raise self.reject(
                "the file holds more than {limit} XML elements, more than a form can (zip bomb?)",
                limit=self.limits.max_xml_elements,
            )
        return root

    # -- content -------------------------------------------------------------

    def content_types(self, root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        """(extension -> type, part name -> type), lower-cased keys."""
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for el in root:
            if not isinstance(el.tag, str):
                continue
            ctype = (el.get("ContentType") or "").strip()
            if el.tag == _CT_NS + "Default":
                defaults[(el.get("Extension") or "").lower()] = ctype
            elif el.tag == _CT_NS + "Override":
                overrides[(el.get("PartName") or "").lstrip("/").lower()] = ctype
        for ctype in [*defaults.values(), *overrides.values()]:
            self.refuse_type(ctype)
        return defaults, overrides

    def refuse_type(self, ctype: str) -> None:
        lowered = ctype.lower()
        if "vbaproject" in lowered or "vbadata" in lowered or "macrosheet" in lowered:
            raise self.reject(
                "the file contains macros; save it as .xlsx or .docx without macros "
                "and send it again"
            )
        if "macroenabled" in lowered:
            raise self.reject(
                "cannot read this file: it is macro-enabled (.xlsm, .docm or .xlsb); "
                "save it as .xlsx or .docx without macros and send it again"
            )
        if "activex" in lowered:
            raise self.reject(
                "the file contains ActiveX controls; remove them and send the form again"
            )
        if "oleobject" in lowered:
            raise self.reject(
                "the file contains embedded OLE objects; remove them and send the form again"
            )

    def refuse_name(self, name: str) -> None:
        lowered = name.lower()
        base = lowered.rsplit("/", 1)[-1]
        if base in ("vbaproject.bin", "vbadata.xml") or "/macrosheets/" in lowered:
            raise self.macros(name)
        if "/activex/" in lowered:
            raise self.reject(
                "the file contains ActiveX controls ({name}); remove them and send the form again",
                name=name,
            )
        if "/embeddings/" in lowered:
            raise self.embedded(name)

    def relationships(self, name: str, root: etree._Element) -> str | None:
        """Flag external targets; return the main document's part name (package rels)."""
        main = None
        for rel in root.iter(_REL_NS + "Relationship"):
            rtype = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if is_external(rel):
                # A hyperlink is only followed when someone clicks it; every
                # other external target (templates, linked images, OLE
                # links, external workbooks) is fetched by Office on opening.
                if rtype.lower() != "hyperlink":
                    self.warn("external_resource", name, kind=rtype[:40])
            elif rtype.lower() == "afchunk":
                self.alt_chunk(name)
            elif rtype.lower() in ("externallink", "externallinkpath"):
                self.external_link(name)
            elif name == "_rels/.rels" and rtype == "officeDocument":
                main = (rel.get("Target") or "").lstrip("/")
            elif rtype == "worksheet":
                self.sheet_targets.add(_target(name, rel.get("Target") or "").lower())
        return main

    def active_content(self, name: str, root: etree._Element) -> None:
        """Fields, formulas, imported chunks and external links that fetch or run
        something, in any part whatever its path or namespace."""
        for code in field_codes(root):
            found = _FIELD.search(code) or (code.startswith(NESTED_FIELD) and code)
            if found:
                self.warn(
                    "active_field",
                    name,
                    kind=found[0].upper() if isinstance(found, re.Match) else "{ { } }",
                )
        for el in root.iter(*_FORMULA_TAGS):
            if active_formula(el.text or ""):
                self.warn("active_formula", name)
                break
        if next(root.iter("{*}altChunk"), None) is not None:
            self.alt_chunk(name)
        if etree.QName(root).localname == "externalLink":
            self.external_link(name)

    def macros(self, name: str) -> Rejected:
        return self.reject(
            "the file contains macros ({name}); save it as .xlsx or .docx without macros "
            "and send it again",
            name=name,
        )

    def embedded(self, name: str) -> Rejected:
        return self.reject(
            "the file contains embedded objects ({name}); remove them and send the form again",
            name=name,
        )

    def alt_chunk(self, name: str) -> None:
        self.warn("alt_chunk", name)

    def external_link(self, name: str) -> None:
        self.warn("external_link", name)

    def grid_spans(self, name: str, root: etree._Element) -> None:
        """Word table cells spanning more columns than python-docx should expand."""
        for el in root.iter(_W + "gridSpan"):
            if not _small_int(el.get(_W + "val"), self.limits.max_grid_span):
                raise self.reject(
                    "the file is damaged: a table cell in {name} spans too many columns",
                    name=name,
                )

    def sheet(self, name: str, root: etree._Element) -> None:
        """Ranges openpyxl expands cell by cell, and formulas that call programs."""
        ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        last_row = last_col = 0
        row_number = 0
        for row in root.iter(ns + "row"):
            row_number = _int(row.get("r"), row_number + 1)
            col_number = 0
            for cell in row.iter(ns + "c"):
                found = cell_ref(cell.get("r") or "")
                col_number = found[1] if found else col_number + 1
                if found:
                    row_number = max(row_number, found[0])
                last_col = max(last_col, col_number)
            last_row = max(last_row, row_number)
        if last_row * last_col > self.limits.max_sheet_area:
            raise self.reject(
                "the sheet {name} uses {rows} rows by {cols} columns, more than a form can "
                "(the limit is {limit} cells); delete what was typed far from the form",
                name=name,
                rows=last_row,
                cols=last_col,
                limit=self.limits.max_sheet_area,
            )
        for tag in ("mergeCell", "hyperlink"):
            for el in root.iter(ns + tag):
                self.range_cells += range_area(el.get("ref") or "")
                if self.range_cells > self.limits.max_range_cells:
                    raise self.reject(
                        "the file is damaged: its merged or linked cell ranges cover more "
                        "than {limit} cells",
                        limit=self.limits.max_range_cells,
                    )

    def run(self) -> Package:
        infos = self.directory()
        names = {i.filename for i in infos}
        if "mimetype" in names:
            return self.run_odf(infos)
        if "[Content_Types].xml" not in names:
            raise self.reject("not a Word (.docx) or Excel (.xlsx) file (no [Content_Types].xml)")
        for info in infos:
            self.refuse_name(info.filename)
        ct_info = self.archive.getinfo("[Content_Types].xml")
        defaults, overrides = self.content_types(self.parse(ct_info.filename, self.read(ct_info)))
        main: str | None = None
        for info in infos:
            if info.is_dir() or info.filename == ct_info.filename:
                continue
            body = self.read(info)
            lowered = info.filename.lower()
            ctype = overrides.get(lowered) or defaults.get(lowered.rsplit(".", 1)[-1], "")
            if lowered.endswith(_CHUNK_NAMES) or any(t in ctype.lower() for t in _CHUNK_TYPES):
                self.alt_chunk(info.filename)
            if "externallink" in ctype.lower():
                self.external_link(info.filename)
            if not (
                lowered.endswith(_XML_NAMES) or ctype.lower().endswith("xml") or _looks_xml(body)
            ):
                continue
            root = self.parse(info.filename, body)
            del body
            self.active_content(info.filename, root)
            self.xml[info.filename] = root
            if lowered.endswith(".rels"):
                main = self.relationships(info.filename, root) or main
            elif lowered.startswith("word/"):
                self.grid_spans(info.filename, root)
            elif lowered.startswith("xl/worksheets/") or "worksheet" in ctype.lower():
                self.sheet(info.filename, root)
                self.sheets_checked.add(lowered)
        # A worksheet is whatever a relationship calls one, wherever it is
        # stored and whatever its declared type: readers follow relationships.
        for name, root in self.xml.items():
            lowered = name.lower()
            if lowered in self.sheet_targets and lowered not in self.sheets_checked:
                self.sheet(name, root)
        return Package(
            format=self.detect(names, main, defaults, overrides),
            data=self.data,
            warnings=self.warnings,
            xml=self.xml,
        )

    # -- OpenDocument -------------------------------------------------------

    def run_odf(self, infos: list[zipfile.ZipInfo]) -> Package:
        """An OpenDocument package: the same limits, parser and content checks as
        OOXML, with ODF's own places for macros, scripts, objects and links."""
        mimetype = self.read(self.archive.getinfo("mimetype")).decode("ascii", "replace").strip()
        fmt: ReturnFormat
        found = [kind for kind, declared in _MIMETYPES.items() if declared == mimetype]
        if found:
            fmt = found[0]
        else:
            raise self.reject(
                N_(
                    "cannot read this file: it is an OpenDocument file of another kind ({kind}); "
                    "send the form as .xlsx (Excel 2007-365) or .docx (Word 2007-365)"
                ),
                kind=mimetype[:60],
            )
        for info in infos:
            self.refuse_odf_name(info.filename)
        try:
            manifest_info = self.archive.getinfo(_MANIFEST)
        except KeyError:
            raise self.reject(
                N_(
                    "the file is damaged: it is an OpenDocument file without its manifest "
                    "({name}); open it in LibreOffice and save it as {kind}"
                ),
                name=_MANIFEST,
                kind=_SAVE_AS[fmt],
            ) from None
        manifest = self.parse(_MANIFEST, self.read(manifest_info))
        self.manifest(manifest, fmt)
        self.xml[_MANIFEST] = manifest
        budget = _ContentBudget(self.limits.max_sheet_area)
        for info in infos:
            if info.is_dir() or info.filename in ("mimetype", _MANIFEST):
                continue
            body = self.read(info)
            if not (info.filename.lower().endswith((".xml", ".rdf")) or _looks_xml(body)):
                continue
            root = self.parse(info.filename, body)
            del body
            self.odf_content(info.filename, root)
            if fmt == "ods":
                for sheet in root.iter(odf.table("table")):
                    self.odf_sheet(sheet, budget)
            self.xml[info.filename] = root
        return Package(format=fmt, data=self.data, warnings=self.warnings, xml=self.xml)

    def refuse_odf_name(self, name: str) -> None:
        """Basic and script libraries are stored as folders; OLE objects as files."""
        top = name.split("/", 1)[0].casefold()
        if top in ("basic", "scripts", "dialogs"):
            raise self.macros(name)
        if "/" not in name and _OLE_OBJECT.match(name):
            raise self.embedded(name)

    def manifest(self, root: etree._Element, fmt: ReturnFormat) -> None:
        """Encrypted parts (a save with a password), and what the manifest says is there."""
        entry_tag = f"{{{odf.MANIFEST_NS}}}file-entry"
        path_attr = f"{{{odf.MANIFEST_NS}}}full-path"
        type_attr = f"{{{odf.MANIFEST_NS}}}media-type"
        encrypted = {
            (entry.get(path_attr) or "").lstrip("/")
            for entry in root.iter(entry_tag)
            if next(entry.iter(f"{{{odf.MANIFEST_NS}}}encryption-data"), None) is not None
        }
        if encrypted:
            if not self.ui_given:
                self.speak(self.odf_language(encrypted))
            raise self.reject(
                N_(
                    "the file was saved with a password (encrypted), so it cannot be read; "
                    "save it again without a password, as {kind}, and send it again"
                ),
                kind=_SAVE_AS[fmt],
            )
        declared = [e.get(type_attr) for e in root.iter(entry_tag) if e.get(path_attr) == "/"]
        if declared != [_MIMETYPES[fmt]]:
            raise self.reject(
                N_(
                    "the file is damaged: its manifest does not declare it as the OpenDocument "
                    "file its mimetype says; the file was altered"
                )
            )
        for entry in root.iter(entry_tag):
            path = entry.get(path_attr) or ""
            self.refuse_odf_name(path.lstrip("/"))
            media = (entry.get(type_attr) or "").lower()
            if "basic" in media or "script" in media:
                raise self.macros(path)
            if "oleobject" in media:
                raise self.embedded(path)

    def speak(self, language: str | None) -> None:
        """Word the rejections that follow in the form's language, when it is known."""
        if language is not None:
            self._ = Localizer(language).gettext

    def odf_language(self, encrypted: set[str]) -> str | None:
        """The form's language from ``meta.xml``, when that part is there in clear."""
        if "meta.xml" in encrypted or "meta.xml" not in self.archive.namelist():
            return None
        meta = self.parse("meta.xml", self.read(self.archive.getinfo("meta.xml")))
        language = odf.user_defined(meta).get(META_PREFIX + "language", "").strip()
        return language if language in LANGUAGES else None

    def odf_content(self, name: str, root: etree._Element) -> None:
        """Scripts and event handlers are refused; links that fetch something and
        DDE are reported, as in OOXML; formulas that call out are reported."""
        for el in root.iter():
            tag = el.tag
            if not isinstance(tag, str):
                continue
            local = tag[tag.find("}") + 1 :]
            if tag in _ODF_SCRIPTS or local == "event-listener":
                raise self.macros(name)
            href = el.get(_XLINK_HREF)
            if href is not None:
                scheme = href.strip().lower()
                if scheme.startswith(_SCRIPT_SCHEMES):
                    raise self.macros(name)
                if local in _LINKED_DATA and _external(href):
                    self.external_link(name)
                elif local in _FETCHED and _external(href):
                    self.warn("external_resource", name, kind=local)
            if local in _DDE:
                self.external_link(name)
            for attr in ("formula", "condition"):
                value = el.get(odf.table(attr)) or el.get(odf.text(attr))
                if value is not None and active_formula(value):
                    self.warn("active_formula", name)

    def odf_sheet(self, sheet: etree._Element, budget: _ContentBudget) -> None:
        """The used area of a sheet, and the cells with content of all sheets
        together, within the limits before a reader places any of them."""
        last_row = last_col = 0
        title = sheet.get(odf.table("name")) or ""
        for cell in odf.grid(sheet):
            last_row = max(last_row, cell.row + cell.rows - 1)
            last_col = max(last_col, cell.col + cell.cols - 1)
            budget.left -= cell.rows * cell.cols
            if last_row * last_col > self.limits.max_sheet_area or budget.left < 0:
                raise self.reject(
                    "the sheet {name} uses {rows} rows by {cols} columns, more than a form can "
                    "(the limit is {limit} cells); delete what was typed far from the form",
                    name=title,
                    rows=last_row,
                    cols=last_col,
                    limit=self.limits.max_sheet_area,
                )

    def detect(
        self,
        names: set[str],
        main: str | None,
        defaults: dict[str, str],
        overrides: dict[str, str],
    ) -> Format:
        main_type = ""
        if main:
            lowered = main.lower()
            main_type = (
                overrides.get(lowered) or defaults.get(lowered.rsplit(".", 1)[-1], "")
            ).lower()
        if "presentationml" in main_type:
            raise self.reject("cannot read this file: it is a PowerPoint presentation, not a form")
        if "wordprocessingml" in main_type:
            return "docx"
        if "spreadsheetml" in main_type:
            return "xlsx"
        all_types = " ".join([*defaults.values(), *overrides.values()])
        if "word/document.xml" in names or "wordprocessingml.document" in all_types:
            return "docx"
        if "xl/workbook.xml" in names or "spreadsheetml.sheet" in all_types:
            return "xlsx"
        raise self.reject("not a Word (.docx) or Excel (.xlsx) file")


@dataclass
class _ContentBudget:
    """Cells with content that the sheets of one workbook may still hold."""

    left: int


_MANIFEST = "META-INF/manifest.xml"
_XLINK_HREF = f"{{{odf.XLINK_NS}}}href"
#: Link schemes that run a macro or script when the link is followed.
_SCRIPT_SCHEMES = ("vnd.sun.star.script:", "macro:", "javascript:", "vbscript:", "basic:")
#: Elements whose link LibreOffice follows on opening or on update (images,
#: objects, linked sections and sheets, templates), as opposed to hyperlinks.
_FETCHED = frozenset(
    {
        "image",
        "object",
        "object-ole",
        "plugin",
        "applet",
        "floating-frame",
        "fill-image",
        "background-image",
        "section-source",
        "template",
        "auto-reload",
    }
)
#: Sheets and ranges linked to another file: an external workbook, as in OOXML.
_LINKED_DATA = frozenset({"table-source", "cell-range-source"})
_MIMETYPES: dict[ReturnFormat, str] = {"ods": odf.MIME_SPREADSHEET, "odt": odf.MIME_TEXT}
#: Elements that hold or call a script: macros, in ODF's own places.
_ODF_SCRIPTS = frozenset((odf.office("script"), odf.text("script"), odf.text("execute-macro")))
_DDE = frozenset({"dde-source", "dde-link", "dde-connection-decl", "dde-connection"})
_OLE_OBJECT = re.compile(r"^Object \d+$", re.IGNORECASE)
_SAVE_AS: dict[ReturnFormat, str] = {
    "ods": ".xlsx (Excel 2007-365)",
    "odt": ".docx (Word 2007-365)",
    "xlsx": ".xlsx (Excel 2007-365)",
    "docx": ".docx (Word 2007-365)",
}


#: A flat (single XML file) OpenDocument names its kind in its root element.
_FLAT_HEAD = 4096
_FLAT_ODF = re.compile(rb"office:mimetype=[\"']application/vnd\.oasis\.opendocument\.(\w+)")
_FLAT_LANGUAGE = re.compile(
    rb"meta:name=[\"']"
    + re.escape(META_PREFIX.encode("ascii"))
    + rb"language[\"'][^>]{0,80}>("
    + b"|".join(x.encode("ascii") for x in LANGUAGES)
    + rb")<"
)


def _external(href: str) -> bool:
    """Whether a link leaves the package: a URL, an absolute or parent path, a share."""
    target = href.strip()
    return (
        target.startswith(("/", "\\", "../", "..\\"))
        or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) is not None
    )


def check_package(
    data: bytes, limits: Limits | None = None, ui: Localizer | None = None
) -> Package:
    """Check an untrusted file; return it with its format, or raise Rejected.

    ``limits`` default to :meth:`Limits.from_env`; ``ui`` is the language of
    a rejection (English by default). Warnings are findings, worded with the
    return's other problems.

    >>> check_package(b"hello")
    Traceback (most recent call last):
    ...
    selfassess.errors.Rejected: not a Word (.docx) or Excel (.xlsx) file
    """
    limits = limits or Limits.from_env()
    _ = (ui or Localizer("en")).gettext
    if len(data) > limits.max_file_bytes:
        raise Rejected(
            _(
                "the file is {size:.1f} MiB, over the limit of {limit:.0f} MiB; "
                "send the form without embedded files"
            ).format(size=len(data) / MIB, limit=limits.max_file_bytes / MIB)
        )
    if data.startswith(OLE_MAGIC):
        if _OLE_ENCRYPTED in data:
            raise Rejected(
                _(
                    "the file is password-protected (encrypted); remove the password "
                    "(or save an unprotected copy) and send it again"
                )
            )
        if _OLE_WORD in data:
            raise Rejected(
                _(
                    "cannot read this file: it is an old Word (.doc) file; open it and save "
                    "it as .docx (Word Document)"
                )
            )
        raise Rejected(
            _(
                "cannot read this file: it is an old Excel (.xls) file; open it and save "
                "it as .xlsx (Excel Workbook)"
            )
        )
    if not data.startswith(ZIP_MAGIC):
        flat = _FLAT_ODF.search(data[:_FLAT_HEAD])
        if flat is not None:
            if ui is None and (lang := _FLAT_LANGUAGE.search(data)) is not None:
                _ = Localizer(lang[1].decode("ascii")).gettext
            raise Rejected(
                _(
                    "cannot read this file: it is a flat OpenDocument file (.fods or .fodt); "
                    "open it in LibreOffice and save it as {kind}"
                ).format(kind=_SAVE_AS["ods" if b"spreadsheet" in flat[0] else "odt"])
            )
        raise Rejected(_("not a Word (.docx) or Excel (.xlsx) file"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError):
        raise Rejected(_("the file is damaged or truncated (not a readable zip archive)")) from None
    with archive:
        return _Checker(archive, data, limits, ui).run()


#: What a field code starts with when its keyword is the result of a nested field.
NESTED_FIELD = "\x00"


def field_codes(root: etree._Element) -> list[str]:
    """Every field code of a Word part, one string per field, nested ones apart.

    A complex field is ``fldChar begin``, ``instrText`` runs (split anywhere,
    even inside a word), ``fldChar separate``, its shown result, ``fldChar
    end``. Each field's code is joined from its own runs only, so that a field
    right before another (``PAGE`` then ``DDEAUTO``) cannot hide it by running
    into it. A field whose code starts with a nested field (Word computes the
    keyword from it, as in ``{ {QUOTE 68 68 69} ... }``) starts with
    :data:`NESTED_FIELD`. Simple fields (``w:fldSimple``) give their ``instr``.
    """
    codes: list[str] = []
    stack: list[list[str]] = []
    loose: list[str] = []
    for el in root.iter(*_FIELD_TAGS):
        local = etree.QName(el).localname
        if local == "fldSimple":
            codes.append(_attr(el, "instr"))
        elif local == "instrText":
            (stack[-1] if stack else loose).append(el.text or "")
        elif (kind := _attr(el, "fldCharType")) == "begin":
            if stack and not "".join(stack[-1]).strip():
                stack[-1].append(NESTED_FIELD)
            stack.append([])
        elif kind == "end" and stack:
            codes.append("".join(stack.pop()).lstrip(" \t"))
    codes += ["".join(part).lstrip(" \t") for part in stack]
    if loose:
        codes.append("".join(loose))
    return codes


def active_formula(formula: str) -> bool:
    """A formula that calls another program (DDE: ``app|topic!item``) or the network.

    >>> active_formula("=SUM(A1:A3)"), active_formula("='cmd'|' /c calc'!A0")
    (False, True)
    >>> active_formula('_xlfn.WEBSERVICE("http://x")'), active_formula('="a|b"')
    (True, False)
    """
    code = _STRING_LITERAL.sub('""', formula)
    return "|" in code or _FORMULA_CALL.search(code) is not None


def _attr(el: etree._Element, local: str) -> str:
    """An attribute by local name, whatever namespace (transitional or strict) it is in."""
    for name, value in el.attrib.items():
        if etree.QName(name).localname == local:
            return str(value)
    return ""


def _unsafe_name(name: str) -> bool:
    """Absolute, parent-relative, drive-letter part names, and names with control,
    format (bidi) or line-separator characters, which would garble messages."""
    return (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in name.split("/")
        or (len(name) > 1 and name[1] == ":")
        or any(unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" for ch in name)
    )


def _decoded(body: bytes) -> str:
    """Text of a part for pattern scans, whatever Unicode encoding its BOM says."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


def is_external(rel: etree._Element) -> bool:
    """Whether a relationship points outside the package (``TargetMode``, in
    whatever case and spacing a hand-made file writes it): such a target is
    never a part, and is reported by the check."""
    return (rel.get("TargetMode") or "").strip().lower() == "external"


def _target(rels_name: str, target: str) -> str:
    """The part a relationship in ``rels_name`` points to (``xl/_rels/workbook.xml.rels``
    holds the relationships of ``xl/workbook.xml``; targets are relative to ``xl/``).

    >>> _target("xl/_rels/workbook.xml.rels", "worksheets/sheet1.xml")
    'xl/worksheets/sheet1.xml'
    >>> _target("xl/_rels/workbook.xml.rels", "/misc/blob.bin")
    'misc/blob.bin'
    """
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return posixpath.normpath(posixpath.join(folder, target))


def _looks_xml(body: bytes) -> bool:
    """Whether a part starts like XML in any Unicode encoding, with or without a
    byte-order mark or white space first (UTF-16/32 without a BOM included)."""
    head = body[:256].replace(b"\x00", b"")
    return head.lstrip(b" \t\r\n\xef\xbb\xbf\xfe\xff").startswith(b"<")


def _has_dtd(body: bytes) -> bool:
    """A DOCTYPE or ENTITY declaration, in UTF-8 or in the UTF-16/32 its BOM says."""
    if b"\x00" in body[:4] or body.startswith((b"\xfe\xff", b"\xff\xfe")):
        return _DTD.search(_decoded(body)) is not None
    return _DTD_BYTES.search(body) is not None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:120] if text.strip() else "syntax error"


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _small_int(text: str | None, limit: int) -> bool:
    try:
        return 0 <= int(text or "1") <= limit
    except ValueError:
        return False


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
    """Parse one untrusted XML part; a DTD or a syntax error is a rejection.

    >>> parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    Traceback (most recent call last):
    ...
    selfassess.errors.Rejected: an XML part declares a DTD or entities, which forms never do
    """
    message = "an XML part declares a DTD or entities, which forms never do"
    if _has_dtd(data):
        raise Rejected(message)
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise Rejected(
            f"the file is damaged: an XML part is not well-formed ({_first_line(exc.msg)})"
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise Rejected(message)
    return root
