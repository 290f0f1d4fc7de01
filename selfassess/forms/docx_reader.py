"""Reading returned Word forms: raw answers from content controls, or from the layout.

The reader only finds what sits in each answer slot; :func:`selfassess.response.interpret.interpret`
turns it into answers. Every ``w:sdt`` of the body is read, at any level:

- a checkbox by ``w14:checked``, its glyph only when the flag is missing;
- a control showing its placeholder (``w:showingPlcHdr``), or holding the
  placeholder text of any of the six languages, is unanswered;
- a date picker by ``w:fullDate``, else its text;
- anything else by its text (display text of a drop-down, typed text or number).

Editors that strip content controls (LibreOffice before 7.5, ONLYOFFICE) leave
the answer in the third cell of the table row whose first cell holds the item's
reference; items whose controls are gone are read from there, with a warning,
or get a located error when that is not unambiguous. The rules are in
``docs/word-forms.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from typing import ClassVar, Literal

from lxml import etree

from selfassess.constants import (
    COUNTRY_SLOT,
    CTX_CHOICE_LABEL,
    LANGUAGES,
    META_KEYS,
    META_PREFIX,
)
from selfassess.definitions.model import Item, Questionnaire
from selfassess.errors import Rejected
from selfassess.i18n.localizer import Localizer, fold
from selfassess.office.ooxml import (
    CHECKED_GLYPH,
    UNCHECKED_GLYPH,
    content_text,
    custom_xml_stores,
    open_word_package,
    placeholders,
    read_custom_properties,
    store_key,
    w,
    w14,
)
from selfassess.problems import CATALOGUE, Finding, ProblemCode
from selfassess.response.interpret import RawForm, RawScalar, RawValue, asked, slot_id
from selfassess.response.meta import FormMeta, picked_country
from selfassess.response.values import parse_date_text
from selfassess.safety.package import Package
from selfassess.safety.text import shown

_TRUE = frozenset({"1", "true", "on"})


@cache
def _placeholder_texts() -> frozenset[str]:
    """Every placeholder text of every language, folded."""
    return frozenset(
        fold(text) for lang in LANGUAGES for text in placeholders(Localizer(lang)).values()
    )


def _is_placeholder(text: str) -> bool:
    return fold(text) in _placeholder_texts()


def _checkbox_flag(checkbox: etree._Element) -> bool | None:
    """What ``w14:checked`` says (absent ``val`` means ticked); None without the flag."""
    checked = checkbox.find(w14("checked"))
    if checked is None:
        return None
    val = checked.get(w14("val"))
    return val is None or val.strip().lower() in _TRUE


def _glyph_state(checkbox: etree._Element, text: str) -> bool | None:
    """What the box shows: ticked, not ticked, or None when it shows neither glyph."""
    on, off = {CHECKED_GLYPH}, {UNCHECKED_GLYPH}
    for state, into in (("checkedState", on), ("uncheckedState", off)):
        glyph = checkbox.find(w14(state))
        code = glyph.get(w14("val")) if glyph is not None else None
        if code:
            with contextlib.suppress(ValueError, OverflowError):
                into.add(chr(int(code, 16)))
    return True if text in on else False if text in off else None


def _checkbox_value(checkbox: etree._Element, content: etree._Element | None) -> RawScalar:
    flag = _checkbox_flag(checkbox)
    if flag is not None:
        return flag
    text = content_text(content, nested=True).strip() if content is not None else ""
    shown = _glyph_state(checkbox, text)
    return text or None if shown is None else shown


def control_value(sdt: etree._Element) -> RawScalar:
    """The raw value of one content control (None when unanswered)."""
    pr = sdt.find(w("sdtPr"))
    content = sdt.find(w("sdtContent"))
    if pr is None:
        pr = etree.Element(w("sdtPr"))
    checkbox = pr.find(w14("checkbox"))
    if checkbox is not None:
        return _checkbox_value(checkbox, content)
    if pr.find(w("showingPlcHdr")) is not None:
        return None
    date = pr.find(w("date"))
    full = date.get(w("fullDate")) if date is not None else None
    if full:
        try:
            return dt.date.fromisoformat(full.strip()[:10])
        except ValueError:
            pass
    text = content_text(content) if content is not None else ""
    return None if _is_placeholder(text) else text


def _tag(sdt: etree._Element) -> str | None:
    tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
    value = tag.get(w("val")) if tag is not None else None
    return value.strip() if value else None


def _cells(tr: etree._Element) -> list[etree._Element]:
    """The cells of a row, also those an editor wrapped in a cell-level control."""
    cells: list[etree._Element] = []
    for child in tr:
        if child.tag == w("tc"):
            cells.append(child)
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                cells.extend(content.iterchildren(w("tc")))
    return cells


class DocxReader:
    """Reader of a checked .docx (see :class:`selfassess.forms.parse.Reader`).

    Problems are findings (codes and values); ``parse_form`` words them.
    """

    format: ClassVar[Literal["docx", "odt"]] = "docx"

    def __init__(
        self,
        document: etree._Element,
        properties: dict[str, str] | None,
        countries: Collection[str],
        data: bytes | None = None,
    ) -> None:
        """``document`` is the main document part; ``properties`` the form's
        metadata (keys without the prefix), None when the file has none;
        ``data`` the package, for the custom XML that controls may be bound to."""
        self.countries = countries
        self._data = data
        self._stores: dict[str, etree._Element] | None = None
        self._binding_budget = _BINDING_BUDGET
        self._document = document
        self._properties = properties
        self._rows: dict[str, list[list[etree._Element]]] | None = None

    @classmethod
    def from_docx(cls, package: Package, countries: Collection[str]) -> DocxReader:
        """The reader of a checked .docx package, from the trees the package check
        parsed: the document is parsed once."""
        parts = open_word_package(package.xml)
        properties = None
        if parts.custom is not None:
            props = read_custom_properties(parts.custom)
            properties = {k: props[META_PREFIX + k] for k in META_KEYS if META_PREFIX + k in props}
        return cls(parts.document, properties, countries, package.data)

    # --- metadata -----------------------------------------------------------

    def meta(self) -> FormMeta:
        if self._properties is None:
            raise Rejected("not one of our forms: it has no selfassess document properties")
        return FormMeta.from_strings(self._properties, countries=self.countries)

    # --- answers ------------------------------------------------------------

    def read(self, questionnaire: Questionnaire) -> RawForm:
        meta = self.meta()
        raw = RawForm(meta=meta, format=self.format)
        controls: dict[str, list[etree._Element]] = defaultdict(list)
        for sdt in self._document.iter(w("sdt")):
            tag = _tag(sdt)
            if tag:
                controls[tag].append(sdt)
        for tag, sdts in controls.items():
            if tag == COUNTRY_SLOT:
                continue
            readable, value = self._one_value(tag, sdts, meta.language, raw)
            if readable:
                raw.values[tag] = RawValue(value, f"tag {tag}")
        recovered = 0
        for item in questionnaire.items():
            slots = _slots(questionnaire, item)
            if all(s in raw.values or s in controls for s in slots) or not asked(
                item, meta.country
            ):
                # An item the form does not ask has no control to miss.
                continue
            for s in slots:
                raw.values.pop(s, None)
            recovered += self._from_layout(questionnaire, item, raw)
        if recovered:
            raw.problems.append(Finding("layout_recovered", params={"count": recovered}))
        if not meta.country:
            raw.meta = self._country(meta, controls.get(COUNTRY_SLOT, []), raw)
        return raw

    def _country(self, meta: FormMeta, sdts: list[etree._Element], raw: RawForm) -> FormMeta:
        """A blank form: the country the respondent picked on the cover."""
        location = f"tag {COUNTRY_SLOT}"
        value: RawScalar = None
        if sdts:
            readable, value = self._one_value(COUNTRY_SLOT, sdts, meta.language, raw)
            if not readable:
                return meta
        else:
            label = Localizer(meta.language).gettext("Country")
            rows = self.rows().get(label, [])
            if len(rows) == 1 and len(rows[0]) >= 2:
                text = content_text(rows[0][1], nested=True).strip()
                value = None if _is_placeholder(text) else text
                location = f"table row {label}"
        text = "" if value is None else str(value)
        return picked_country(meta, text, location, self.countries, raw.problems)

    # --- two-faced controls ---------------------------------------------------

    def _one_value(
        self, tag: str, sdts: list[etree._Element], lang: str, raw: RawForm
    ) -> tuple[bool, RawScalar]:
        """(True, the value) of a slot's controls; (False, None) after adding the
        problem that names both values when controls disagree with each other, or
        one's stored and shown values differ. Never resolved silently."""
        item = None if tag == COUNTRY_SLOT else tag.split(":", maxsplit=1)[0]
        faces = [p for sdt in sdts if (p := self._faces(tag, sdt, lang)) is not None]
        for code, params in faces:
            raw.problems.append(Finding(code, item, f"tag {tag}", {"tag": tag, **params}))
        if any(CATALOGUE[code].severity == "error" for code, _ in faces):
            return False, None
        found = {_key(v): v for v in (control_value(s) for s in sdts)}
        if len(found) > 1:
            raw.problems.append(
                Finding(
                    "control_repeated",
                    item,
                    f"tag {tag}",
                    {
                        "tag": tag,
                        "count": len(sdts),
                        "values": "; ".join(shown(str(v)) for v in found.values()),
                    },
                )
            )
            return False, None
        return True, next(iter(found.values()))

    def _faces(
        self, tag: str, sdt: etree._Element, lang: str
    ) -> tuple[ProblemCode, dict[str, object]] | None:
        """A problem (code, values) when what a control stores disagrees with what it shows."""
        pr = sdt.find(w("sdtPr"))
        if pr is None:
            return None
        content = sdt.find(w("sdtContent"))
        text = content_text(content, nested=True).strip() if content is not None else ""
        checkbox = pr.find(w14("checkbox"))
        flag = _checkbox_flag(checkbox) if checkbox is not None else None
        if checkbox is not None and flag is not None:
            glyph = _glyph_state(checkbox, text)
            if glyph is not None and glyph != flag:
                return "box_two_faced", {"stored": _glyph(flag), "glyph": _glyph(glyph)}
        date = pr.find(w("date"))
        full = date.get(w("fullDate")) if date is not None else None
        stored = _iso_date(full)
        if (
            stored is not None
            and text
            and pr.find(w("showingPlcHdr")) is None
            and not _is_placeholder(text)
            and parse_date_text(text, lang) != stored
        ):
            return "date_two_faced", {"stored": stored.isoformat(), "shown": shown(text)}
        binding = pr.find(w("dataBinding"))
        if binding is None:
            return None
        value = control_value(sdt)
        cached = _shown_value(value)
        bound = self._bound(binding)
        if bound is None:
            return "binding_unchecked", {
                "xpath": shown(_attr(binding, "xpath")[:120]),
                "shown": cached,
            }
        if not _same_bound(value, bound):
            return "binding_differs", {"shown": cached, "bound": shown(bound[:200])}
        return None

    def _bound(self, binding: etree._Element) -> str | None:
        """The text a ``w:dataBinding`` points to, or None when it cannot be found
        by a plain path (``/p:a[1]/p:b[2]`` or ``.../@attr``) within the budget."""
        if self._stores is None:
            self._stores = {} if self._data is None else custom_xml_stores(self._data)
        root = self._stores.get(store_key(_attr(binding, "storeItemID")))
        steps = _attr(binding, "xpath").strip().split("/")
        if root is None or len(steps) < 2 or steps[0]:
            return None
        prefixes = dict(_PREFIX_MAPPING.findall(_attr(binding, "prefixMappings")))
        nodes: list[etree._Element] = [root]
        node: etree._Element | None = None
        for i, step in enumerate(steps[1:]):
            if step.startswith("@") and i == len(steps) - 2 and node is not None:
                name = _qualified(step[1:], prefixes)
                value = node.get(name) if name else None
                return None if value is None else str(value)
            match = _STEP.match(step)
            name = _qualified(match[1], prefixes) if match else None
            if match is None or name is None:
                return None
            wanted = int(match[2] or 1)
            self._binding_budget -= len(nodes)
            if self._binding_budget < 0 or wanted < 1:
                return None
            same = [n for n in nodes if isinstance(n.tag, str) and n.tag == name]
            if len(same) < wanted:
                return None
            node = same[wanted - 1]
            nodes = list(node)
        return None if node is None else "".join(map(str, node.itertext()))[:_BOUND_CHARS]

    # --- the fallback: reading by layout --------------------------------------

    def rows(self) -> dict[str, list[list[etree._Element]]]:
        """Table rows by the text of their first cell, each as its list of cells."""
        if self._rows is None:
            rows: dict[str, list[list[etree._Element]]] = defaultdict(list)
            for tr in self._document.iter(w("tr")):
                cells = _cells(tr)
                if cells:
                    rows[content_text(cells[0], nested=True).strip()].append(cells)
            self._rows = rows
        return self._rows

    def _from_layout(self, q: Questionnaire, item: Item, raw: RawForm) -> int:
        """Read one item from its table row; return how many slots were read."""
        location = f"table row {item.ref}"
        rows = self.rows().get(item.ref, [])

        def error(code: ProblemCode, **params: object) -> int:
            raw.problems.append(Finding(code, item.id, location, {"ref": item.ref, **params}))
            return 0

        if not rows:
            return error("layout_row_missing", tag=item.id)
        if len(rows) > 1:
            return error("layout_row_repeated", tag=item.id, count=len(rows))
        if len(rows[0]) < 3:
            return error("layout_no_answer_column", tag=item.id)
        cell = rows[0][2]
        if item.type != "multichoice":
            raw.values[item.id] = RawValue(_cell_value(cell), location)
            return 1
        ticks = _read_boxes(q, item, cell)
        if ticks is None:
            return error("boxes_unreadable")
        for code, ticked in ticks.items():
            raw.values[slot_id(item.id, code)] = RawValue(ticked, location)
        return len(ticks)


#: Children visited in all to follow data bindings (an attacker picks the paths).
_BINDING_BUDGET = 1_000_000
_BOUND_CHARS = 100_000
_STEP = re.compile(r"^((?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*)(?:\[(\d{1,6})\])?$")
_PREFIX_MAPPING = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=\s*['\"]([^'\"]*)['\"]")


def _qualified(name: str, prefixes: dict[str, str]) -> str | None:
    prefix, _, local = name.rpartition(":")
    if not prefix:
        return local
    return f"{{{prefixes[prefix]}}}{local}" if prefix in prefixes else None


def _attr(el: etree._Element, local: str) -> str:
    return str(el.get(w(local)) or "")


def _glyph(ticked: bool) -> str:
    return CHECKED_GLYPH if ticked else UNCHECKED_GLYPH


def _iso_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None


def _shown_value(value: RawScalar) -> str:
    if isinstance(value, bool):
        return _glyph(value)
    return "" if value is None else shown(str(value))[:200]


def _same_bound(value: RawScalar, bound: str) -> bool:
    """Whether a control's value is what its custom XML says (Word's mapping)."""
    text = bound.strip()
    if isinstance(value, bool):
        return text.lower() in ({"true", "1"} if value else {"false", "0", ""})
    if isinstance(value, dt.date):
        return _iso_date(text) == value
    return fold("" if value is None else str(value)) == fold(text)


def _slots(q: Questionnaire, item: Item) -> list[str]:
    if item.type == "multichoice":
        return [slot_id(item.id, ch.code) for ch in q.choices_of(item)]
    return [item.id]


def _key(value: RawScalar) -> str:
    return f"{type(value).__name__}:{value}"


def _cell_value(cell: etree._Element) -> RawScalar:
    """The answer in a stripped answer cell; a surviving untagged control helps."""
    sdts = list(cell.iter(w("sdt")))
    if len(sdts) == 1:
        return control_value(sdts[0])
    text = content_text(cell, nested=True)
    return None if _is_placeholder(text) else text


def _read_boxes(q: Questionnaire, item: Item, cell: etree._Element) -> dict[str, bool] | None:
    """Option code -> ticked, from paragraphs reading '☒ label' / '☐ label'.

    None unless every option is found exactly once and nothing else is there.
    """
    labels: dict[str, str] = {}
    for lang in LANGUAGES:
        loc = Localizer(lang)
        for ch in q.choices_of(item):
            labels.setdefault(fold(loc.content(CTX_CHOICE_LABEL, ch.label)), ch.code)
    for ch in q.choices_of(item):
        labels.setdefault(fold(ch.code), ch.code)
    found: dict[str, bool] = {}
    for p in cell.iter(w("p")):
        text = content_text(p, nested=True).strip()
        if not text:
            continue
        box = p.find(f".//{w14('checkbox')}")
        glyph, label = text[0], text[1:]
        ticked: RawScalar
        if box is not None:
            ticked = _checkbox_value(box, None) if box.find(w14("checked")) is not None else None
        else:
            ticked = None
        if ticked is None:
            ticked = {CHECKED_GLYPH: True, UNCHECKED_GLYPH: False}.get(glyph)
        code = labels.get(fold(label))
        if ticked is None or code is None or code in found or not isinstance(ticked, bool):
            return None
        found[code] = ticked
    if set(found) != {ch.code for ch in q.choices_of(item)}:
        return None
    return found
