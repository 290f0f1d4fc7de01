"""Respondents' text in the secretariat's own outputs: always text, never a formula or a path.

Text written into any XML part goes through :func:`xml_text`; a cell
starting with ``= + - @`` (or tab, CR, LF) is run as a formula by
spreadsheet programs, which :func:`looks_like_formula` recognises for
:func:`selfassess.office.excel.set_text`. File names built from metadata or
answers go through :func:`safe_filename` and :func:`safe_path`, so that none
can leave the output folder or hide its real extension; text quoted in a
message goes through :func:`shown`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from selfassess.errors import UsageError

#: Longest file name written, in UTF-8 bytes, leaving room under the usual 255.
MAX_FILENAME_BYTES = 150

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Characters XML 1.0 (and so openpyxl) cannot hold; tab, LF and CR are fine.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def xml_text(text: str) -> str:
    r"""``text`` with every character XML 1.0 cannot hold replaced by U+FFFD.

    The one policy for Word and Excel outputs: such characters (C0 controls
    other than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF) cannot be
    written at all, and a visible replacement shows that something was there
    rather than silently shortening what the respondent wrote.

    >>> xml_text("a\x00b\x0bc\ttab\ud800") == "a\ufffdb\ufffdc\ttab\ufffd"
    True
    """
    return _ILLEGAL.sub("\ufffd", text)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would run ``text`` as a formula (or a DDE call)."""
    return text.startswith(_TRIGGERS) or text.lstrip(" \u00a0\u3000").startswith(_TRIGGERS)


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
