"""Respondents' text never becomes a formula, and names built from it never leave the folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from selfassess.errors import UsageError
from selfassess.safety.text import (
    MAX_FILENAME_BYTES,
    safe_filename,
    safe_path,
    xml_text,
)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("ctoc_wgta", "1.0", "MX", "fr"), "ctoc_wgta_1.0_MX_fr"),
        (("../../etc/passwd",), "etc_passwd"),
        (("..\\..\\windows\\system32",), "windows_system32"),
        (("/abs/path",), "abs_path"),
        ((".hidden",), "hidden"),
        (("nul",), "nul_"),
        (("COM1.txt",), "COM1.txt_"),
        (("a\x00b",), "a_b"),
        (("\u202eexe.docx",), "exe.docx"),
        (("ملف", "ar"), "ملف_ar"),
        (("中文表格",), "中文表格"),
        ((), "_"),
        (("...",), "_"),
    ],
)
def test_safe_filename(parts: tuple[str, ...], expected: str) -> None:
    assert safe_filename(*parts) == expected


def test_safe_filename_extension_and_length() -> None:
    assert safe_filename("x", ext=".xlsx") == "x.xlsx"
    assert safe_filename("x", ext="../docx") == "x.docx"
    long = safe_filename("ж" * 500, ext="docx")
    assert long.endswith(".docx")
    assert len(long.removesuffix(".docx").encode()) <= MAX_FILENAME_BYTES


# The folder is shared by every example on purpose: each one removes its file.
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(), max_size=4), st.sampled_from(["", "docx", ".xlsx", "../x", "/"]))
def test_safe_path_never_leaves_the_folder(tmp_path: Path, parts: list[str], ext: str) -> None:
    path = safe_path(tmp_path, *parts, ext=ext)
    assert path.parent == tmp_path
    assert not path.name.startswith(".")
    assert "/" not in path.name
    assert "\\" not in path.name
    path.write_bytes(b"x")  # the file system accepts the name
    path.unlink()


def test_safe_path_refuses_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    assert safe_path(folder, "a", ext="docx") == folder / "a.docx"
    (folder / "a.docx").symlink_to(outside / "a.docx")
    with pytest.raises(UsageError, match="outside"):
        safe_path(folder, "a", ext="docx")


@given(st.text())
def test_xml_text_keeps_length_and_is_always_writable(value: str) -> None:
    """One character replaced by one: positions and Excel lengths do not move."""
    clean = xml_text(value)
    assert len(clean) == len(value)
    etree.fromstring(b"<t/>").text = clean  # lxml refuses any character XML cannot hold
