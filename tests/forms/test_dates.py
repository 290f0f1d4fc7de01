"""Dates on forms and reports: one pattern per language, one style of month name.

Every printed date comes from ``Localizer.date``; Word's date pickers take its
pattern (``date_pattern``), so a picked date reads like the cover's deadline.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from babel import Locale
from babel.dates import format_date
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from selfassess.constants import LANGUAGES
from selfassess.definitions.model import Questionnaire
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name, write_xlsx
from selfassess.i18n.localizer import Localizer, date_pattern, fold, parse_printed_date
from selfassess.office.ooxml import W_NS
from selfassess.reports.country import build_report
from selfassess.reports.country_md import render_md
from selfassess.response.values import parse_date_text
from selfassess.scoring import score
from tests.forms.inline import DEADLINE, ISSUED, definition, meta

NS = {"w": W_NS}
REPLY = dt.date(2025, 5, 1)
EVERY_DAY = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in range(365)]

#: Arabic's other set of Gregorian month names (Levant, Iraq), which UN Arabic
#: documents pair with the set CLDR uses; a form uses CLDR's alone.
LEVANTINE = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
)  # fmt: skip


def docx_form(q: Questionnaire, lang: str) -> bytes:
    out = io.BytesIO()
    write_docx(q, meta(q, lang), out, prefill={"reply_date": REPLY.isoformat()})
    return out.getvalue()


def xlsx_form(q: Questionnaire, lang: str) -> bytes:
    out = io.BytesIO()
    write_xlsx(q, meta(q, lang), out, prefill={"reply_date": REPLY.isoformat()})
    return out.getvalue()


def document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def strings(root: etree._Element, path: str) -> list[str]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [str(s) for s in found]


def docx_text(data: bytes) -> str:
    return "\n".join(strings(document(data), "//w:t/text()"))


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    )


def month_names(lang: str) -> tuple[set[str], set[str]]:
    """(the names printed dates use, every other name of a month in ``lang``)."""
    months = Locale.parse(lang).months
    every = {
        fold(name)
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for name in months[context][width].values()
    }
    if lang == "ar":
        every |= {fold(name) for name in LEVANTINE}
    printed = [fold(Localizer(lang).date(dt.date(2025, n, 15))) for n in range(1, 13)]
    used = {name for name in every if any(name in date for date in printed)}
    return used, every - used


def found(names: set[str], text: str, lang: str) -> set[str]:
    folded = fold(text)
    if lang == "zh":  # no spaces between words
        return {n for n in names if n in folded}
    return {n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_date_picker_shows_dates_as_the_form_prints_them(lang: str) -> None:
    q = definition()
    data = docx_form(q, lang)
    root = document(data)
    loc = Localizer(lang)
    (fmt,) = set(strings(root, "//w:sdtPr/w:date/w:dateFormat/@w:val"))
    assert fmt == date_pattern(lang)
    for day in EVERY_DAY:
        picked = str(format_date(day, fmt, locale=lang))
        printed = loc.date(day)
        if lang == "fr" and day.day == 1:
            # No Word date picture says "1er": the picker shows "1 janvier 2025".
            assert printed == "1er" + picked.removeprefix("1")
        else:
            assert picked == printed
        assert parse_printed_date(picked, lang) == day
    text = docx_text(data)
    assert loc.date(ISSUED) in text
    assert loc.date(DEADLINE) in text
    # The prefilled answer shows in the picker's pattern and reads back as itself.
    shown = strings(root, "//w:sdt[w:sdtPr/w:tag/@w:val='reply_date']/w:sdtContent//w:t/text()")
    assert shown == [format_date(REPLY, fmt, locale=lang)]
    result = parse_form(io.BytesIO(data), questionnaire=q)
    assert result.answers["reply_date"] == REPLY.isoformat()
    assert not [p for p in result.problems if p.item == "reply_date"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_and_reports_use_one_style_of_month_name(lang: str) -> None:
    q = definition()
    loc = Localizer(lang)
    used, others = month_names(lang)
    docx_data, xlsx_data = docx_form(q, lang), xlsx_form(q, lang)
    result = parse_form(io.BytesIO(docx_data), questionnaire=q)
    report = render_md(build_report(score(result, q), result, q, loc))
    texts = {"docx": docx_text(docx_data), "xlsx": xlsx_text(xlsx_data), "report": report}
    for where, text in texts.items():
        assert not found(others, text, lang), where
    assert found(used, texts["docx"], lang)
    assert loc.date(DEADLINE) in texts["xlsx"]
    assert loc.date(REPLY) in report
    # Excel's date cells show what the respondent types, ISO, with no month name.
    wb = load_workbook(io.BytesIO(xlsx_data))
    name = wb.defined_names[slot_name("reply_date")]
    ((sheet, ref),) = name.destinations
    assert wb[sheet][ref.replace("$", "")].number_format == "yyyy-mm-dd"


@given(st.sampled_from(LANGUAGES), st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_a_printed_date_reads_back_in_every_language(lang: str, day: dt.date) -> None:
    assert parse_printed_date(Localizer(lang).date(day), lang) == day
    assert parse_date_text(Localizer(lang).date(day), lang) == day


@given(st.sampled_from(LANGUAGES), st.text(max_size=300))
def test_odd_text_is_no_date_or_a_real_one(lang: str, text: str) -> None:
    found = parse_printed_date(text, lang)
    assert found is None or isinstance(found, dt.date)
    assert parse_printed_date("31 " + text + " 2025", lang) in (
        None,
        *(dt.date(2025, m, 31) for m in (1, 3, 5, 7, 8, 10, 12)),
    )
