"""Respondents' text in the secretariat's own outputs: always text, never a formula or a path.

openpyxl turns any string that starts with ``=`` into a formula, and a CSV
cell starting with ``= + - @`` (or tab, CR, LF) is run as one by spreadsheet
programs. Every workbook cell and CSV field the package writes from
respondents' data goes through these functions. File names built from
metadata or answers go through :func:`safe_filename` and :func:`safe_path`,
so that none can leave the output folder or hide its real extension.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from selfassess.errors import UsageError

#: Excel's limit on the characters of one cell (UTF-16 code units).
EXCEL_MAX_CELL_CHARS = 32_767
#: Longest file name written, in UTF-8 bytes, leaving room under the usual 255.
MAX_FILENAME_BYTES = 150

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Characters XML 1.0 (and so openpyxl) cannot hold; tab, LF and CR are fine.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_ELLIPSIS = "…"


def excel_text(value: str) -> str:
    """``value`` as a cell can hold it: characters XML forbids become U+FFFD, and
    text over Excel's 32,767-character limit is cut, ending with an ellipsis.

    >>> excel_text("a\\x01b"), len(excel_text("x" * 40_000))
    ('a\\ufffdb', 32767)
    """
    text = _ILLEGAL.sub("\ufffd", value)
    if _utf16_len(text) <= EXCEL_MAX_CELL_CHARS:
        return text
    cut = EXCEL_MAX_CELL_CHARS - 1
    while _utf16_len(text[:cut]) > EXCEL_MAX_CELL_CHARS - 1:
        cut -= 1
    return text[:cut] + _ELLIPSIS


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def set_text(cell: Any, value: str) -> None:
    """Write ``value`` into an openpyxl cell as a plain string (see :func:`excel_text`).

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> set_text(ws["A1"], "=HYPERLINK(\\"http://x\\")")
    >>> ws["A1"].data_type, ws["A1"].value
    ('s', '=HYPERLINK("http://x")')
    """
    text = excel_text(value)
    cell.value = text
    cell.data_type = "s"
    if _looks_like_formula(text):
        cell.quotePrefix = True


def _looks_like_formula(text: str) -> bool:
    return text.startswith(_TRIGGERS) or text.lstrip(" \u00a0\u3000").startswith(_TRIGGERS)


def csv_field(value: object) -> str:
    """A CSV field that no spreadsheet program will evaluate.

    Text that starts (even after spaces) with ``= + - @``, their full-width
    forms, tab, CR or LF gets a leading apostrophe. Numbers stay numbers.

    >>> csv_field("=1+1"), csv_field("-3"), csv_field("plain"), csv_field(-3)
    ("'=1+1", "'-3", 'plain', '-3')
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if _looks_like_formula(text) else text


def safe_filename(*parts: object, ext: str = "", max_bytes: int = MAX_FILENAME_BYTES) -> str:
    """A file name from untrusted parts (country, form id, answers...), safe on any system.

    Letters and digits of any script are kept, with ``-`` and ``.``; every
    other character (separators, controls, bidi overrides, spaces) becomes
    ``_``. The name never starts with a dot, is never a Windows device name,
    and is at most ``max_bytes`` UTF-8 bytes before ``ext``.

    >>> safe_filename("ctoc_wgta", "../../etc/passwd", ext=".xlsx")
    'ctoc_wgta_etc_passwd.xlsx'
    >>> safe_filename("CON"), safe_filename(""), safe_filename("رسالة", "fr")
    ('CON_', '_', 'رسالة_fr')
    """
    raw = "_".join(unicodedata.normalize("NFC", str(p)) for p in parts if str(p))
    kept = "".join(ch if ch in "-." or unicodedata.category(ch)[0] in "LN" else "_" for ch in raw)
    segments = (re.sub(r"\.{2,}", ".", seg).strip(".-") for seg in kept.split("_"))
    name = "_".join(seg for seg in segments if seg)
    while len(name.encode()) > max_bytes:
        name = name[:-1]
    name = name.rstrip("._-") or "_"
    if name.split(".")[0].casefold() in _WINDOWS_RESERVED:
        name += "_"
    suffix = safe_filename(ext.lstrip(".")) if ext.strip(". ") else ""
    return f"{name}.{suffix}" if suffix else name


def safe_path(folder: Path, *parts: object, ext: str = "") -> Path:
    """``folder / safe_filename(...)``, checked to stay inside ``folder``.

    >>> safe_path(Path("out"), "..", "x", ext="docx").name
    'x.docx'
    """
    path = folder / safe_filename(*parts, ext=ext)
    if path.resolve().parent != folder.resolve():
        raise UsageError(f"refusing to write {path}: it is outside {folder}")
    return path


def shown(text: str) -> str:
    r"""``text`` for a message or a result: every control, format (bidi) and line or
    paragraph separator character written as its escape, so that a file name
    or an answer can neither start a new line nor reorder one.

    >>> shown("ok.xlsx\nERROR forged\u202egpj.exe")
    'ok.xlsx\\nERROR forged\\u202egpj.exe'
    """
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"):
        return ch
    if ch.isascii():
        return repr(ch)[1:-1]
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
