"""Word forms filled by a real LibreOffice Writer 25.2 through UNO, then parsed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from selfassess.constants import COUNTRY_SLOT, LANGUAGES
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.docx_writer import format_picker_date, write_docx
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import W_NS
from tests.forms.docx_fill import blank_form, controls, document, form_meta, full_return
from tests.support.libreoffice import requires_libreoffice, resave, writer_fill_many

pytestmark = requires_libreoffice
Q = load_questionnaire()


def test_every_answer_type_filled_in_writer_comes_back_in_six_languages(tmp_path: Path) -> None:
    jobs = []
    returns = {}
    for lang in LANGUAGES:
        src = tmp_path / f"{lang}.docx"
        src.write_bytes(blank_form(lang))
        returns[lang] = full_return(Q, lang)
        jobs.append((src, tmp_path / f"{lang}-filled.docx", returns[lang].actions))
    writer_fill_many(jobs)
    for lang in LANGUAGES:
        result = parse_form(tmp_path / f"{lang}-filled.docx")
        assert result.errors == [], lang
        assert result.answers == returns[lang].expected, lang
        assert not any(p.code == "layout_recovered" for p in result.warnings), lang
        # Writer shows a picked date as the form prints dates (Russian genitive
        # "декабря ... г.", Arabic يناير ... ديسمبر): the picker's own pattern.
        root = document((tmp_path / f"{lang}-filled.docx").read_bytes())
        for tag, entry in returns[lang].actions.items():
            if isinstance(entry, dt.date):
                (sdt,) = controls(root, tag)
                shown = sdt.xpath("string(w:sdtContent)", namespaces={"w": W_NS})
                assert shown == format_picker_date(entry, lang), (lang, tag)


def test_blank_form_country_picked_in_writer(tmp_path: Path) -> None:
    src = tmp_path / "blank.docx"
    src.write_bytes(blank_form("ar", None))
    name = Localizer("ar").country("EG")
    writer_fill_many([(src, tmp_path / "filled.docx", {COUNTRY_SLOT: name})])
    assert parse_form(tmp_path / "filled.docx").form.country == "EG"


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_resaved_untouched_form_is_unanswered(tmp_path: Path, lang: str) -> None:
    src = tmp_path / "form.docx"
    src.write_bytes(blank_form(lang))
    resave(src, tmp_path / "resaved.docx")
    result = parse_form(io.BytesIO((tmp_path / "resaved.docx").read_bytes()))
    assert result.errors == []
    assert set(result.answers.values()) == {None}
    assert result.form.form_id == f"ftest{lang}"


def test_password_protected_form_is_filled_and_keeps_its_protection(tmp_path: Path) -> None:
    src = tmp_path / "locked.docx"
    write_docx(Q, form_meta(Q, "fr"), src, password="motdepasse")
    filled = tmp_path / "filled.docx"
    writer_fill_many(
        [
            (
                src,
                filled,
                {"respondent_name": "Ministère de la Justice", "reply_date": dt.date(2025, 5, 2)},
            )
        ]
    )
    result = parse_form(filled)
    assert result.answers["respondent_name"] == "Ministère de la Justice"
    assert result.answers["reply_date"] == "2025-05-02"
    settings = zipfile.ZipFile(filled).read("word/settings.xml")
    assert b'w:edit="forms"' in settings
    assert b'w:enforcement="1"' in settings
