"""Forms written from a template (``forms/template.py``) are the forms built from scratch."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from selfassess.constants import PERIOD_ITEM
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms import generate
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.generate import IssuedForm, generate_forms
from selfassess.forms.returning import period_text
from selfassess.forms.template import StandIns, plain
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.i18n.localizer import Localizer
from selfassess.response.interpret import Answer
from selfassess.response.meta import Period
from tests.forms.inline import DEADLINE, ISSUED, definition, meta

#: openpyxl dates the workbook when it is made and when it is saved: the only
#: bytes in which two builds of the same form differ.
_STAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")

#: Côte d'Ivoire's apostrophe, the longest name, and MX prefilled (built from scratch).
COUNTRIES: list[str | None] = ["CI", "GB", "MX"]
PREFILL: dict[str, Mapping[str, Answer]] = {"MX": {"wg15_j_measures": "Law 12 of 2024"}}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: _STAMPS.sub(b"", zf.read(name)) for name in zf.namelist()}


def scratch(form: IssuedForm, prefill: Mapping[str, Answer] | None = None) -> bytes:
    """The form built from scratch, as ``generate_forms`` built it before templates."""
    out = io.BytesIO()
    writer = write_docx if form.format == "docx" else write_xlsx
    writer(definition(), form.meta, out, Localizer(form.meta.language), prefill=prefill)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
@pytest.mark.parametrize("key", [None, b"secret"])
def test_forms_from_a_template_equal_forms_built_from_scratch(
    tmp_path: Path, lang: str, key: bytes | None
) -> None:
    q = definition()
    generate._templates.clear()  # this process's templates: built here, from these stand-ins
    result = generate_forms(
        q,
        [lang],
        COUNTRIES,
        ["docx", "xlsx"],
        tmp_path,
        issued=ISSUED,
        deadline=DEADLINE,
        key=key,
        prefill=lambda country: PREFILL.get(country or ""),
    )
    assert len(result.forms) == len(COUNTRIES) * 2
    for form in result.forms:
        built = scratch(form, PREFILL.get(form.meta.country or ""))
        written = parts(form.path.read_bytes())
        assert list(written) == list(parts(built)), form.path.name
        for name, data in parts(built).items():
            assert written[name] == data, (form.path.name, name)
    # Both formats went through a template.
    reused = list(generate._templates.values())
    assert len(reused) == 2

    assert all(r.template is not None for r in reused)


def test_a_blank_form_from_a_template_equals_one_built_from_scratch(tmp_path: Path) -> None:
    q = definition()
    generate._templates.clear()
    result = generate_forms(
        q, ["en", "zh"], [None], ["docx", "xlsx"], tmp_path, issued=ISSUED, reuse=True
    )
    assert len(generate._templates) == 4
    for form in result.forms:
        assert parts(form.path.read_bytes()) == parts(scratch(form)), form.path.name


def test_a_single_form_is_built_directly(tmp_path: Path) -> None:
    generate._templates.clear()
    generate_forms(definition(), ["fr"], ["MX"], ["docx", "xlsx"], tmp_path, issued=ISSUED)
    assert not generate._templates


def test_values_that_writing_would_change_are_built_from_scratch() -> None:
    form = meta(definition(), "fr", "MX")
    stand_ins = StandIns.like(form, "Mexique")
    assert stand_ins.values(form, "Mexique") is not None
    for name in ("A&B", "<b>", 'say "x"', "_x0041_", "tab\there", "=1+1", " Mexique", "-1"):
        assert not plain(name)
        assert stand_ins.values(form, name) is None


#: Letters, marks, digits, punctuation and spaces of every script: mostly plain.
_NAMES = st.text(st.characters(categories=["L", "M", "N", "P", "Zs"]), max_size=40)


@given(st.one_of(_NAMES, st.text(max_size=40)))
def test_plain_text_is_serialised_as_itself(text: str) -> None:
    """What the templates rely on: lxml writes plain text, in an element or an
    attribute, as its UTF-8 bytes, or as character references where it writes ASCII."""
    if not plain(text):
        return
    el = etree.Element("t", a=text)
    el.text = text
    for encoding, value in (("utf-8", text.encode()), ("ascii", _references(text))):
        written = etree.tostring(el, encoding=encoding)
        assert isinstance(written, bytes)
        assert written.endswith(b'<t a="' + value + b'">' + value + b"</t>")


def _references(text: str) -> bytes:
    return text.encode("ascii", "xmlcharrefreplace")


def test_forms_with_a_period_and_contact_details_from_a_template_equal_scratch(
    tmp_path: Path,
) -> None:
    """The period's answer (1.1's ``reporting_period``) is the same in every form
    of a language, so it is in the template; the forms are still the ones built
    from scratch."""
    q = load_questionnaire("ctoc_wgta", "1.1")
    period = Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    contact = SecretariatContact.model_validate(
        {
            "name": {"en": "Office", "ar": "المكتب"},
            "email": "wg@example.org",
            "telephone": "+1 234 5678",
        }
    )
    generate._templates.clear()
    result = generate_forms(
        q,
        ["ar"],
        ["EG", "MA"],
        ["docx", "xlsx"],
        tmp_path,
        issued=ISSUED,
        deadline=DEADLINE,
        period=period,
        contact=contact,
        key=b"secret",
    )
    reused = list(generate._templates.values())
    assert len(reused) == 2  # one per format: the period did not force a build per form
    assert all(r.template is not None for r in reused)
    for form in result.forms:
        out = io.BytesIO()
        writer = write_docx if form.format == "docx" else write_xlsx
        writer(
            q,
            form.meta,
            out,
            Localizer("ar"),
            prefill={PERIOD_ITEM: period_text(period, Localizer("ar"))},
            contact=contact,
        )
        assert parts(form.path.read_bytes()) == parts(out.getvalue()), form.path.name


def test_page_breaks_do_not_depend_on_the_countrys_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's breaks come from estimated row heights, the cover's country row
    among them: on pages short enough to break the cover, GB's long name must
    break the template's form where it breaks GB's form built from scratch."""
    from selfassess.forms import xlsx_writer  # noqa: PLC0415 (the module patched)

    monkeypatch.setattr(xlsx_writer, "_PAGE_HEIGHT", 140.0)
    generate._templates.clear()
    q = load_questionnaire()  # its cover: the inline definition's is too short to break
    result = generate_forms(q, ["ru"], ["MX", "GB"], ["xlsx"], tmp_path, issued=ISSUED)
    for form in result.forms:
        built = io.BytesIO()
        write_xlsx(q, form.meta, built, Localizer("ru"))
        assert parts(form.path.read_bytes()) == parts(built.getvalue()), form.path.name
