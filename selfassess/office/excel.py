"""Excel tab titles: one rule for every workbook the package writes."""

from __future__ import annotations

import re
from typing import Any

#: Excel's limit on a sheet title, and the characters it refuses in one.
MAX_SHEET_TITLE = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """A tab title Excel accepts, unique in ``taken`` whatever the case, cut at a word.

    ``taken`` holds the case-folded titles already used and is updated.

    >>> taken: set[str] = set()
    >>> sheet_title("Crimes: environment", taken), sheet_title("crimes  environment", taken)
    ('Crimes environment', 'crimes environment (2)')
    >>> sheet_title("The Mechanism for the Review of the Implementation", taken)
    'The Mechanism for the Review…'
    """
    clean = " ".join(_FORBIDDEN.sub(" ", text).split()).strip("'")
    if len(clean) > MAX_SHEET_TITLE:
        cut = clean[: MAX_SHEET_TITLE - 1]
        space = cut.rfind(" ")
        clean = (cut[:space] if space > MAX_SHEET_TITLE // 2 else cut).rstrip(" ,.;") + "…"
    title, n = clean or "_", 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = clean[: MAX_SHEET_TITLE - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def destination(defined_name: Any) -> tuple[str, str] | None:
    """(sheet title, cell) of an openpyxl defined name pointing at one cell.

    openpyxl strips the quotes around a sheet title in a name's formula but
    leaves a doubled apostrophe doubled (``'d''examen'!$C$5`` gives
    ``d''examen``); the title is unescaped here, and the ``$`` dropped.

    >>> from openpyxl.workbook.defined_name import DefinedName
    >>> destination(DefinedName("sa_x", attr_text="'3. Le Mécanisme d''examen'!$C$5"))
    ("3. Le Mécanisme d'examen", 'C5')
    >>> destination(DefinedName("sa_x", attr_text="#REF!")) is None
    True
    """
    try:
        found = list(defined_name.destinations)
    except (ValueError, TypeError, AttributeError):
        return None
    if not found:
        return None
    title, ref = found[0]
    return str(title).replace("''", "'"), str(ref).replace("$", "")
