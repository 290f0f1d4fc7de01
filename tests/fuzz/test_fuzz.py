"""Fuzzing ``parse_form`` with real generated forms as seeds.

Every mutated file must end in a :class:`~selfassess.response.interpret.ParseResult` or
a :class:`~selfassess.errors.Rejected` with one line: no other exception.

The CI run is short (``SELFASSESS_FUZZ_EXAMPLES`` examples per test, 8 by
default). The long run is ``scripts/fuzz-long.sh`` (docs/security.md), which
sets a larger number and caps the process's memory.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
from functools import cache
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from selfassess.constants import META_KEYS
from selfassess.errors import Rejected
from selfassess.forms.parse import parse_form
from selfassess.office.excel import destination
from selfassess.response.interpret import ParseResult
from tests.hostile import corpus
from tests.hostile.corpus import KEY, Entry
from tests.support.zipparts import parts_of

EXAMPLES = int(os.environ.get("SELFASSESS_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 8,  # the CI run is the same every time; the long run explores
)
FORMATS = st.sampled_from(["xlsx", "docx"])
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Text a respondent (or an attacker) may type: every plane, controls,
# direction marks, and the lengths at which things break.
_ODD = st.sampled_from(
    [
        "",
        " ",
        "\u200f\u202eevil\u202c",
        "\u061c١٢٣٫٥",
        "=1+1",
        "@SUM(A1)",
        "\x00\x01\x1f",
        "\ufeff",
        "\ud7ff\ue000\ufffd",
        "نعم",
        "是",
        "Да",
        "x" * 32_767,
        "y" * 32_768,
        "NaN",
        "inf",
        "-0",
        "1e309",
        "31/02/2025",
        "0000-00-00",
    ]
)
TEXT = st.one_of(_ODD, st.text(max_size=300))
VALUES = st.one_of(
    TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
)


@cache
def seed(fmt: str, lang: str = "en") -> bytes:
    """A real form, issued and signed, with some answers in it."""
    prefill = {
        "respondent_name": "Ana María",
        "wg15_x_commitment_years": 1250,
        "reply_date": "2025-03-31",
    }
    return corpus.real_form(fmt, lang=lang, prefill=prefill)


@cache
def seed_parts(fmt: str, lang: str = "en") -> dict[str, bytes]:
    return parts_of(seed(fmt, lang))


def outcome(data: bytes) -> str:
    """``parsed`` or ``rejected``; any other ending fails the test."""
    try:
        result = parse_form(data, key=KEY)
    except Rejected as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        event("rejected")
        return "rejected"
    assert isinstance(result, ParseResult)
    json.dumps(result.to_json(), ensure_ascii=False)
    event("parsed with errors" if result.errors else "parsed")
    return "parsed"


def is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


@FUZZ
@given(FORMATS, st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_byte_flips(fmt: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(seed(fmt))
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    outcome(bytes(data))


@FUZZ
@given(FORMATS, st.data())
def test_byte_flips_inside_parts(fmt: str, data: st.DataObject) -> None:
    """Flips in the inflated XML, repackaged with a valid checksum."""
    parts = dict(seed_parts(fmt))
    name = data.draw(st.sampled_from(sorted(n for n in parts if is_xml(n))))
    body = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 6))):
        body[data.draw(st.integers(0, len(body) - 1))] = data.draw(st.integers(0, 255))
    parts[name] = bytes(body)
    outcome(corpus.package(parts))


@FUZZ
@given(FORMATS, st.data())
def test_members_removed_duplicated_renamed(fmt: str, data: st.DataObject) -> None:
    parts = seed_parts(fmt)
    entries = [Entry(n, b) for n, b in parts.items()]
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(entries) - 1))
        action = data.draw(st.sampled_from(["remove", "duplicate", "rename", "swap"]))
        if action == "remove" and len(entries) > 1:
            entries.pop(index)
        elif action == "duplicate":
            entries.append(Entry(entries[index].name, entries[index].data))
        elif action == "rename":
            new = data.draw(
                st.one_of(
                    st.sampled_from(sorted(parts)),
                    st.text(min_size=1, max_size=30),
                    st.just(entries[index].name.upper()),
                )
            )
            entries[index] = Entry(new, entries[index].data)
        else:
            other = data.draw(st.integers(0, len(entries) - 1))
            entries[index], entries[other] = (
                Entry(entries[index].name, entries[other].data),
                Entry(entries[other].name, entries[index].data),
            )
    event(f"zip of {len(entries)} entries")
    outcome(corpus.zip_bytes(entries))


def _mutate_xml(root: etree._Element, data: st.DataObject) -> None:
    elements = list(root.iter())
    target = elements[data.draw(st.integers(0, len(elements) - 1))]
    action = data.draw(st.sampled_from(["drop", "attribute", "text", "huge", "deep", "clone"]))
    event(f"xml {action}")
    if action == "drop" and target is not root:
        parent = target.getparent()
        if parent is not None:
            parent.remove(target)
    elif action == "attribute" and target.attrib:
        attr = data.draw(st.sampled_from(sorted(target.attrib)))
        target.set(attr, data.draw(st.one_of(_xml_text(), st.sampled_from(["", "-1", "1e999"]))))
    elif action == "text":
        target.text = data.draw(_xml_text())
    elif action == "huge":
        target.text = "x" * data.draw(st.sampled_from([100_000, 2_000_000, 10_000_001]))
    elif action == "deep":
        levels = data.draw(st.sampled_from([10, 100, 255, 300, 5000]))
        inner = target
        for _ in range(levels):
            wrapper = etree.SubElement(inner, target.tag if isinstance(target.tag, str) else "x")
            inner = wrapper
    elif action == "clone" and target is not root:
        parent = target.getparent()
        if parent is not None:
            for _ in range(data.draw(st.integers(1, 50))):
                parent.append(copy.deepcopy(target))


def _xml_text() -> st.SearchStrategy[str]:
    """Text XML 1.0 can carry (the rest is a well-formedness error, tested by byte flips)."""
    return st.one_of(
        _ODD.map(lambda t: "".join(c for c in t if c >= " " or c in "\t\n\r")),
        st.text(
            alphabet=st.characters(
                blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"
            ),
            max_size=200,
        ),
    )


@FUZZ
@given(FORMATS, st.data())
def test_xml_mutations(fmt: str, data: st.DataObject) -> None:
    parts = dict(seed_parts(fmt))
    for _ in range(data.draw(st.integers(1, 3))):
        name = data.draw(st.sampled_from(sorted(n for n in parts if is_xml(n))))
        # An earlier round may have made the part huge or deep on purpose,
        # even past what a huge_tree parser takes: leave that part as it is.
        try:
            root = etree.fromstring(parts[name], etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError:
            continue
        _mutate_xml(root, data)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    outcome(corpus.package(parts))


@FUZZ
@given(FORMATS, st.sampled_from(META_KEYS), _xml_text())
def test_metadata_altered(fmt: str, key: str, value: str) -> None:
    data = corpus.set_property(seed(fmt), key, escape(value))
    if outcome(data) == "rejected":
        return
    original = parse_form(seed(fmt), key=KEY).form
    altered = parse_form(data, key=KEY).form
    fields = {"signature", "format"}
    if altered.model_dump(exclude=fields) != original.model_dump(exclude=fields) or (
        key == "signature" and value.strip()
    ):
        assert altered.signature == "invalid"


@FUZZ
@given(st.data())
def test_values_of_every_type_in_excel(data: st.DataObject) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415 (only the Excel tests need it)

    wb = load_workbook(io.BytesIO(seed("xlsx", data.draw(st.sampled_from(["en", "ar", "zh"])))))
    names = sorted(n for n in wb.defined_names if n.startswith("sa_"))
    for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=12)):
        title, ref = destination(wb.defined_names[name]) or ("", "")
        cell = wb[title][ref]
        value = data.draw(VALUES)
        if isinstance(value, str):
            # openpyxl refuses XML-illegal characters; Excel writes them escaped.
            value = "".join(c if c >= " " or c in "\t\n\r" else f"_x{ord(c):04X}_" for c in value)
        cell.value = value
    out = io.BytesIO()
    wb.save(out)
    outcome(out.getvalue())


@FUZZ
@given(st.data())
def test_values_of_every_type_in_word(data: st.DataObject) -> None:
    lang = data.draw(st.sampled_from(["en", "ar", "ru"]))
    parts = dict(seed_parts("docx", lang))
    root = etree.fromstring(parts["word/document.xml"])
    w = f"{{{W_NS}}}"
    controls = list(root.iter(w + "sdt"))
    for _ in range(data.draw(st.integers(1, 12))):
        sdt = controls[data.draw(st.integers(0, len(controls) - 1))]
        texts = list(sdt.iter(w + "t"))
        if not texts:
            continue
        value = data.draw(st.one_of(_xml_text(), VALUES.map(str).map(_xml_safe)))
        texts[0].text = value
        for extra in texts[1:]:
            extra.text = ""
        for flag in sdt.iter(w + "showingPlcHdr"):
            flag.getparent().remove(flag)  # type: ignore[union-attr]  # a flag always has a parent
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    outcome(corpus.package(parts))


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if (c >= " " or c in "\t\n\r") and not "\ud800" <= c <= "\udfff")


def test_seeds_parse_cleanly() -> None:
    for fmt in ("xlsx", "docx"):
        result = parse_form(seed(fmt), key=KEY)
        assert result.errors == []
        assert result.form.signature == "valid"
        assert result.answers["respondent_name"] == "Ana María"
