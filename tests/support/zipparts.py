"""Read and rewrite the parts of a .docx or .xlsx package: the one helper every test uses.

A test that damages, edits or extends a real form goes through ``with_parts``
(or ``edit_xml`` for one XML part), so every rewritten package is written the
same way: the other parts byte for byte, in their order, with their zip
entries' names, dates and compression. Hand-made hostile zips (broken headers,
lying sizes) are built by ``tests/hostile/corpus.py`` instead.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping

from lxml import etree

#: What to do with a part: new bytes, a function of the old bytes, or None to remove it.
Change = bytes | Callable[[bytes], bytes] | None


def parts_of(data: bytes) -> dict[str, bytes]:
    """Every part of a package, by name, in the package's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def read_xml(data: bytes, name: str) -> etree._Element:
    """A part parsed as XML (the package is ours: no hostile-input guard here)."""
    return etree.fromstring(read_part(data, name))


def xml_bytes(root: etree._Element) -> bytes:
    """An XML part serialised as Office writes it."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def with_parts(data: bytes, changes: Mapping[str, Change]) -> bytes:
    """A copy of a package with parts replaced, transformed, removed (None) or added.

    A callable is applied to the existing part (a KeyError when there is none);
    new parts go at the end, in the order given.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        present = set(src.namelist())
        for info in src.infolist():
            body = src.read(info)
            if info.filename in changes:
                change = changes[info.filename]
                if change is None:
                    continue
                body = change(body) if callable(change) else change
            dst.writestr(info, body)
        for name, change in changes.items():
            if name in present or change is None:
                continue
            if callable(change):
                raise KeyError(f"no part {name} to transform")
            dst.writestr(name, change)
    return out.getvalue()


def edit_xml(data: bytes, name: str, change: Callable[[etree._Element], None]) -> bytes:
    """A copy of a package with ``change`` applied, in place, to the XML part ``name``."""

    def edited(body: bytes) -> bytes:
        root = etree.fromstring(body)
        change(root)
        return xml_bytes(root)

    return with_parts(data, {name: edited})
