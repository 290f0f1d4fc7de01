"""What a form tells its respondent about the round, in both formats and the six
languages: the reporting period, the secretariat's contact details, the return
instruction, and never the raw questionnaire id."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import pytest
from lxml import etree
from openpyxl import load_workbook

from selfassess.constants import LANGUAGES, PERIOD_ITEM, Format
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.forms.returning import contact_rows, period_text, return_steps
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import W_NS
from selfassess.response.meta import FormMeta, Period
from tests.forms import inline

KEY = b"r" * 32
Q = load_questionnaire()
ISSUED = dt.date(2026, 12, 1)
DEADLINE = dt.date(2027, 3, 31)
PERIOD = Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
CONTACT = SecretariatContact.model_validate(
    {
        "name": {
            "en": "Secretariat of the Working Group (example)",
            "fr": "Secrétariat du Groupe de travail (exemple)",
            "ar": "أمانة الفريق العامل (مثال)",
        },
        "email": "wg-secretariat@example.org",
        "address": "Example Building\nP.O. Box 000\n0000 Example City",
        "telephone": "+00 1 2345 6789",
    }
)
FORMATS: tuple[Format, ...] = ("docx", "xlsx")
#: Direction marks the writers put around Latin stretches of right-to-left text.
_MARKS = re.compile("[\u200e\u200f\u061c\u2066-\u2069]")


@cache
def forms(tmp: Path, *, contact: bool, period: bool, country: str | None) -> dict[str, bytes]:
    """Every language and format of one kind of form, by ``lang/format``."""
    out = tmp / f"{contact}-{period}-{country}"
    result = generate_forms(
        Q,
        list(LANGUAGES),
        [country],
        list(FORMATS),
        out,
        issued=ISSUED,
        deadline=DEADLINE if contact else None,
        period=PERIOD if period else None,
        contact=CONTACT if contact else None,
        key=KEY,
    )
    return {f"{f.meta.language}/{f.format}": f.path.read_bytes() for f in result.forms}


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("returning")


def visible_text(data: bytes, fmt: str) -> str:
    """Everything a respondent can see in a form, and nothing of its metadata.

    Word: the text of the body, headers and footers, the controls' titles and
    the entries of their drop-downs. Excel: the titles and cells of the
    visible sheets, their headers and footers, and the input and error
    messages of their validations.
    """
    pieces: list[str] = []
    if fmt == "docx":
        with zipfile.ZipFile(BytesIO(data)) as zf:
            for name in zf.namelist():
                if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                    continue
                root = etree.fromstring(zf.read(name))
                for para in root.iter(f"{{{W_NS}}}p"):
                    pieces.append("".join(_strings(para, ".//w:t/text()")))
                pieces += _strings(root, "//w:alias/@w:val | //w:listItem/@w:displayText")
    else:
        wb = load_workbook(BytesIO(data))
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            pieces.append(ws.title)
            pieces += [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
                pieces += [p.text for p in (hf.left, hf.center, hf.right) if p.text]
            for dv in ws.data_validations.dataValidation:
                pieces += [t for t in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error) if t]
    return _MARKS.sub("", "\n".join(pieces))


def _strings(root: etree._Element, path: str) -> list[str]:
    return [str(s) for s in cast("list[Any]", root.xpath(path, namespaces={"w": W_NS}))]


def meta(lang: str, *, deadline: dt.date | None) -> FormMeta:
    return FormMeta(
        questionnaire=Q.id,
        version=Q.version,
        language=lang,
        form_id="f0123456789abcdef",
        issued=ISSUED,
        deadline=deadline,
    )


@pytest.mark.parametrize("country", ["MX", None])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_respondents_see_title_and_version_never_the_questionnaire_id(
    tmp: Path, lang: str, fmt: Format, country: str | None
) -> None:
    data = forms(tmp, contact=True, period=True, country=country)[f"{lang}/{fmt}"]
    text = visible_text(data, fmt)
    assert Q.id.casefold() not in text.casefold()
    assert Q.version in text
    # The check can fail: the id is in the metadata of the very same file.
    with zipfile.ZipFile(BytesIO(data)) as zf:
        assert Q.id in zf.read("docProps/custom.xml").decode()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_period_is_printed_signed_read_back_and_prefilled(
    tmp: Path, lang: str, fmt: Format
) -> None:
    data = forms(tmp, contact=True, period=True, country="MX")[f"{lang}/{fmt}"]
    loc = Localizer(lang)
    shown = period_text(PERIOD, loc)
    text = visible_text(data, fmt)
    assert loc.gettext("Reporting period") in text
    assert shown in text
    assert loc.date(PERIOD.start) in shown
    assert loc.date(PERIOD.end) in shown
    result = parse_form(data, key=KEY)
    assert result.form.period == PERIOD
    assert result.form.signature == "valid"
    assert result.to_json()["form"]["period"] == {"start": "2025-01-01", "end": "2026-12-31"}
    # Prefilled, in the form's language, and not an error of any kind.
    assert result.answers[PERIOD_ITEM] == shown
    assert not result.errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_period_nothing_is_printed_and_the_json_has_no_period(
    tmp: Path, fmt: Format
) -> None:
    data = forms(tmp, contact=False, period=False, country="MX")[f"en/{fmt}"]
    assert "Reporting period" not in visible_text(data, fmt).replace(
        "Reporting period covered by this reply", ""
    )
    result = parse_form(data, key=KEY)
    assert result.form.period is None
    assert "period" not in result.to_json()["form"]
    assert result.answers[PERIOD_ITEM] is None
    assert result.form.signature == "valid"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_contact_details_and_return_instruction_are_printed(
    tmp: Path, lang: str, fmt: Format
) -> None:
    data = forms(tmp, contact=True, period=True, country="MX")[f"{lang}/{fmt}"]
    loc = Localizer(lang)
    text = visible_text(data, fmt)
    rows = contact_rows(CONTACT, loc)
    assert [label for label, _ in rows] == [
        loc.gettext(s) for s in ("Secretariat", "Postal address", "E-mail", "Telephone")
    ]
    for label, value in rows:
        assert label in text
        for line in _MARKS.sub("", value).splitlines():
            assert line in text
    # A telephone number reads left to right, whatever the form's direction.
    assert rows[-1][1] == ("\u2066+00 1 2345 6789\u2069" if loc.rtl else "+00 1 2345 6789")
    # The form's language, else English.
    names = {"fr": "Secrétariat du Groupe de travail (exemple)", "ar": "أمانة الفريق العامل (مثال)"}
    assert rows[0][1] == names.get(lang, "Secretariat of the Working Group (example)")
    assert loc.gettext("Returning the form") in text
    steps = return_steps(fmt, meta(lang, deadline=DEADLINE), CONTACT, loc)
    assert len(steps) == 3
    for step in steps:
        assert _MARKS.sub("", step) in text
    assert (f"\u2066.{fmt}\u2069" if loc.rtl else f".{fmt}") in steps[0]
    assert CONTACT.email in steps[2]
    assert loc.date(DEADLINE) in steps[2]


@pytest.mark.parametrize("country", ["MX", None])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_contact_details_nothing_is_printed_and_the_form_says_whom_to_return_it_to(
    tmp: Path, lang: str, fmt: Format, country: str | None
) -> None:
    data = forms(tmp, contact=False, period=False, country=country)[f"{lang}/{fmt}"]
    loc = Localizer(lang)
    text = visible_text(data, fmt)
    for label in ("Secretariat", "Postal address", "E-mail", "Telephone"):
        assert f"\n{loc.gettext(label)}\n" not in f"\n{text}\n"
    assert CONTACT.email not in text
    steps = return_steps(fmt, meta(lang, deadline=None), None, loc)
    assert steps[-1] == loc.gettext(
        "Send it back to the secretariat that sent it to you, through the channel by which "
        "you received it, by the date given in the covering letter."
    )
    for step in steps:
        assert _MARKS.sub("", step) in text


def test_the_four_return_lines_differ_by_contact_and_deadline() -> None:
    loc = Localizer("fr")
    lines = {
        return_steps("docx", meta("fr", deadline=d), c, loc)[-1]
        for d in (None, DEADLINE)
        for c in (None, CONTACT)
    }
    assert len(lines) == 4
    assert sum("31 mars 2027" in line for line in lines) == 2
    assert sum(CONTACT.email in line for line in lines) == 2


HOSTILE_NAMES = ['=HYPERLINK("http://x","click")', "<w:t>x</w:t> & ]]>", "@SUM(A1)", "+1+1"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_contact_text_is_printed_as_text_never_as_markup_or_a_formula(name: str) -> None:
    q = inline.definition()
    contact = SecretariatContact.model_validate({"name": name, "email": "a@example.org"})
    docx_out, xlsx_out = BytesIO(), BytesIO()
    write_docx(q, inline.meta(q), docx_out, contact=contact)
    write_xlsx(q, inline.meta(q), xlsx_out, contact=contact)
    assert name in visible_text(docx_out.getvalue(), "docx").split("\n")
    wb = load_workbook(xlsx_out)
    (cell,) = [c for row in wb.worksheets[0].iter_rows() for c in row if c.value == name]
    assert cell.data_type == "s"
    parsed = parse_form(xlsx_out.getvalue(), questionnaire=q)
    assert parsed.errors == []
