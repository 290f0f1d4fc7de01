"""Fill Word forms with lxml as Word does, with the simulated respondent's answers.

``fill(data, actions)`` takes the same actions as the LibreOffice harness's
``writer_fill`` (tag -> str typed or display text picked, bool ticked,
datetime.date picked). The Word-style helpers then reshape the filled content
the way Word saves it: runs split by rsid, proofing marks, bookmarks, tracked
changes. ``strip_controls`` does to a form what LibreOffice 7.4 does.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from lxml import etree

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.docx_writer import format_picker_date, write_docx
from selfassess.forms.respondent import WordEntry, complete_answers, word_entries
from selfassess.office.ooxml import CHECKED_GLYPH, UNCHECKED_GLYPH, w, w14
from selfassess.response.interpret import Answer
from selfassess.response.meta import FormMeta
from tests.support.xml import child, parent
from tests.support.zipparts import edit_xml, read_xml

Action = WordEntry
DOCUMENT = "word/document.xml"
_rsids = (f"00{n:06X}" for n in itertools.count(0xA1B2C3))


# --- the document part -------------------------------------------------------


def edit_document(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """A copy of the package with ``change`` applied to word/document.xml."""
    return edit_xml(data, DOCUMENT, change)


def document(data: bytes) -> etree._Element:
    return read_xml(data, DOCUMENT)


def controls(root: etree._Element, tag: str) -> list[etree._Element]:
    return tagged(root).get(tag, [])


def tagged(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Every content control by its tag, in document order: one walk of the document."""
    index: dict[str, list[etree._Element]] = {}
    for sdt in root.iter(w("sdt")):
        tag = sdt.find(f"{w('sdtPr')}/{w('tag')}")
        if tag is not None:
            index.setdefault(tag.get(w("val"), ""), []).append(sdt)
    return index


def control(root: etree._Element, tag: str) -> etree._Element:
    found = controls(root, tag)
    assert len(found) == 1, f"{len(found)} controls tagged {tag}"
    return found[0]


def _el(tag: str, **attrs: str) -> etree._Element:
    return etree.Element(w(tag), {w(k): v for k, v in attrs.items()})


def text_runs(text: str, rpr: etree._Element | None) -> list[etree._Element]:
    """One run per line, as Word types it: w:t, w:tab, w:br."""
    run = _el("r")
    if rpr is not None:
        run.append(_copy_rpr(rpr))
    for n, line in enumerate(text.split("\n")):
        if n:
            run.append(_el("br"))
        for m, chunk in enumerate(line.split("\t")):
            if m:
                run.append(_el("tab"))
            if chunk:
                t = _el("t")
                t.text = chunk
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
    return [run]


def _copy_rpr(rpr: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(rpr))
    for style in copy.findall(w("rStyle")):
        copy.remove(style)
    return copy


def set_content(sdt: etree._Element, runs: list[etree._Element]) -> None:
    """Replace what the control shows and clear its placeholder flag, as Word does."""
    pr = child(sdt, w("sdtPr"))
    flag = pr.find(w("showingPlcHdr"))
    if flag is not None:
        pr.remove(flag)
    content = child(sdt, w("sdtContent"))
    for old in list(content):
        content.remove(old)
    content.extend(runs)


def fill_text(sdt: etree._Element, text: str) -> None:
    set_content(sdt, text_runs(text, sdt.find(f"{w('sdtPr')}/{w('rPr')}")))


def pick(sdt: etree._Element, display: str, *, last_value: bool = False) -> None:
    ddl = child(sdt, f"{w('sdtPr')}/{w('dropDownList')}")
    items = {i.get(w("displayText")): i.get(w("value")) for i in ddl.iter(w("listItem"))}
    assert display in items, f"{display!r} is not in the list"
    if last_value:
        ddl.set(w("lastValue"), items[display] or "")
    fill_text(sdt, display)


def tick(sdt: etree._Element, checked: bool, *, flag: bool = True, glyph: bool = True) -> None:
    box = child(sdt, f"{w('sdtPr')}/{w14('checkbox')}")
    state = child(box, w14("checked"))
    if flag:
        state.set(w14("val"), "1" if checked else "0")
    else:
        box.remove(state)
    if glyph:
        t = child(sdt, f"{w('sdtContent')}//{w('t')}")
        t.text = CHECKED_GLYPH if checked else UNCHECKED_GLYPH


def set_date(sdt: etree._Element, value: dt.date, lang: str, *, full_date: bool = True) -> None:
    date = child(sdt, f"{w('sdtPr')}/{w('date')}")
    if full_date:
        date.set(w("fullDate"), f"{value.isoformat()}T00:00:00Z")
    fill_text(sdt, format_picker_date(value, lang))


def apply(root: etree._Element, actions: Mapping[str, Action], lang: str) -> None:
    index = tagged(root)  # a full form has about 400 tags: one walk, not one per tag
    for tag, value in actions.items():
        for sdt in index.get(tag, []):
            pr = child(sdt, w("sdtPr"))
            if isinstance(value, bool):
                tick(sdt, value)
            elif isinstance(value, dt.date):
                set_date(sdt, value, lang)
            elif pr.find(w("dropDownList")) is not None:
                pick(sdt, value)
            else:
                fill_text(sdt, value)


def fill(data: bytes, actions: Mapping[str, Action], lang: str) -> bytes:
    """Fill controls by tag as Word does (the LibreOffice harness's action shape)."""
    return edit_document(data, lambda root: apply(root, actions, lang))


def fill_answers(data: bytes, answers: Mapping[str, Answer], q: Questionnaire, lang: str) -> bytes:
    """Enter the simulated respondent's ``answers`` as Word does."""
    return fill(data, word_entries(q, dict(answers), lang), lang)


# --- Word's way of saving typed text -----------------------------------------


def word_runs(text: str, rpr: etree._Element | None) -> list[etree._Element]:
    """Text as Word saves it after editing: runs split by rsid, proofing marks
    and a bookmark between words, a tracked insertion, and tracked deletions
    and moves that are no longer part of the text."""
    words = text.split(" ")
    out: list[etree._Element] = []
    for n, word in enumerate(words):
        piece = word if n == len(words) - 1 else word + " "
        if n % 3 == 1:
            out.append(_el("proofErr", type="spellStart"))
        if n == 1:
            out.append(_el("bookmarkStart", id="7", name="_Hlk1"))
        runs = text_runs(piece, rpr) if piece else []
        for run in runs:
            run.set(w("rsidR"), next(_rsids))
        if n % 4 == 2:
            ins = _el("ins", id=str(100 + n), author="Respondent", date="2025-03-01T10:00:00Z")
            ins.extend(runs)
            out.append(ins)
        else:
            out.extend(runs)
        if n % 3 == 1:
            out.append(_el("proofErr", type="spellEnd"))
        if n == 1:
            out.append(_el("bookmarkEnd", id="7"))
        if n == 0:
            out.append(_deleted("del", "removed words "))
            out.append(_deleted("moveFrom", "moved away "))
    return out


def _deleted(kind: str, text: str) -> etree._Element:
    wrapper = _el(kind, id="900", author="Respondent", date="2025-03-01T10:00:00Z")
    run = _el("r")
    deleted = _el("delText")
    deleted.text = text
    run.append(deleted)
    wrapper.append(run)
    return wrapper


# --- what LibreOffice 7.4 does -------------------------------------------------


def strip_controls(root: etree._Element) -> None:
    """Unwrap every content control, keeping its content, and drop the tags."""
    for sdt in list(root.iter(w("sdt"))):
        holder = parent(sdt)
        content = sdt.find(w("sdtContent"))
        index = holder.index(sdt)
        for kept in reversed(list(content) if content is not None else []):
            holder.insert(index, kept)
        holder.remove(sdt)


# --- a complete return -----------------------------------------------------------


@dataclass
class Return:
    """What a respondent enters, and what parsing must give back."""

    actions: dict[str, Action]
    expected: dict[str, Answer]


def full_return(q: Questionnaire, lang: str) -> Return:
    """The simulated respondent's complete return, as entries in the Word form."""
    answers = complete_answers(q)
    return Return(word_entries(q, answers, lang), answers)


# --- forms to fill -----------------------------------------------------------------

ISSUED = dt.date(2025, 2, 1)
DEADLINE = dt.date(2025, 6, 30)


def form_meta(q: Questionnaire, lang: str, country: str | None = "MX") -> FormMeta:
    return FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        country=country,
        form_id=f"ftest{lang}",
        issued=ISSUED,
        deadline=DEADLINE,
    )


@cache
def blank_form(lang: str, country: str | None = "MX") -> bytes:
    """The default questionnaire as a Word form (cached: tests only read it)."""
    q = load_questionnaire()
    out = io.BytesIO()
    write_docx(q, form_meta(q, lang, country), out)
    return out.getvalue()
