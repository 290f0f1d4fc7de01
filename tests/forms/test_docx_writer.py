"""The structure of generated Word forms, checked with XPath on the saved parts."""

from __future__ import annotations

import base64
import io
import zipfile
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
from lxml import etree

from selfassess.constants import (
    COUNTRY_SLOT,
    DOMAIN_CONTENT,
    LANGUAGES,
    META_KEYS,
    META_PREFIX,
    ContentContext,
    UiContext,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.citations import source_lines, translation_notice
from selfassess.forms.docx_writer import word_date_format, write_docx
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.office.ooxml import W14_NS, W_NS, protection_hash, read_custom_properties
from selfassess.office.word import ARABIC_FONT, CJK_FONT, LANGUAGE_TAGS
from selfassess.response.interpret import Answer
from tests.forms.docx_fill import DEADLINE, blank_form, control, form_meta, tagged
from tests.support.xml import parent
from tests.support.zipparts import read_part, read_xml

Q = load_questionnaire()
NS = {"w": W_NS, "w14": W14_NS}
SDTPR_ORDER = [
    "rPr", "alias", "tag", "id", "lock", "placeholder", "temporary", "showingPlcHdr",
    "dataBinding", "label", "tabIndex",
]  # fmt: skip


@cache
def part(lang: str, name: str, country: str | None = "MX") -> etree._Element:
    return read_xml(blank_form(lang, country), name)


def doc(lang: str, country: str | None = "MX") -> etree._Element:
    return part(lang, "word/document.xml", country)


def xp(root: etree._Element, path: str) -> Any:
    """An XPath result: a list of nodes or strings, or a string or number for string() etc."""
    return root.xpath(path, namespaces=NS)


def test_every_slot_has_exactly_one_control_tagged_with_its_id() -> None:
    root = doc("en")
    tags = [str(t) for t in xp(root, "//w:sdt/w:sdtPr/w:tag/@w:val")]
    expected = []
    for item in Q.items():
        if item.type == "multichoice":
            expected += [f"{item.id}:{c.code}" for c in Q.choices_of(item)]
        else:
            expected.append(item.id)
    assert sorted(tags) == sorted(expected)


def test_control_settings_follow_the_schema_and_lock_without_temporary() -> None:
    root = doc("en")
    ids = set()
    for pr in xp(root, "//w:sdtPr"):
        names = [etree.QName(c).localname for c in pr]
        known = [n for n in names if n in SDTPR_ORDER]
        assert known == sorted(known, key=SDTPR_ORDER.index)
        assert names[: len(known)] == known, "the type element comes last"
        assert len(names) == len(known) + 1
        assert "temporary" not in names
        assert xp(pr, "w:lock/@w:val") == ["sdtLocked"]
        ids.add(xp(pr, "w:id/@w:val")[0])
    assert len(ids) == len(xp(root, "//w:sdtPr"))


def test_controls_are_inline_in_the_answer_cell_of_a_row_that_starts_with_the_ref() -> None:
    controls = tagged(doc("en"))
    for item in Q.items():
        tag = f"{item.id}:{Q.choices_of(item)[0].code}" if item.type == "multichoice" else item.id
        (sdt,) = controls[tag]
        assert etree.QName(parent(sdt)).localname == "p"
        cell = parent(parent(sdt))
        row = parent(cell)
        cells = xp(row, "w:tc")
        assert cells.index(cell) == 2
        assert "".join(xp(cells[0], ".//w:t/text()")) == item.ref


@pytest.mark.parametrize("lang", LANGUAGES)
def test_control_types_per_answer_type(lang: str) -> None:
    controls = tagged(doc(lang))
    loc = Localizer(lang)
    for item in Q.items():
        if item.type == "multichoice":
            for ch in Q.choices_of(item):
                (sdt,) = controls[f"{item.id}:{ch.code}"]
                assert xp(sdt, "w:sdtPr/w14:checkbox/w14:checked/@w14:val") == ["0"]
                assert xp(sdt, "string(w:sdtContent)") == "☐"
                label = loc.content("choice.label", ch.label)
                assert "".join(xp(parent(sdt), ".//w:t/text()")) == f"☐ {label}"
            continue
        (sdt,) = controls[item.id]
        assert xp(sdt, "w:sdtPr/w:showingPlcHdr"), item.id
        assert xp(sdt, "w:sdtContent/w:r/w:rPr/w:rStyle/@w:val") == ["PlaceholderText"]
        if item.type == "choice":
            items = xp(sdt, "w:sdtPr/w:dropDownList/w:listItem")
            values = [i.get(f"{{{W_NS}}}value") for i in items]
            shown = [i.get(f"{{{W_NS}}}displayText") for i in items]
            assert values == ["", *(c.code for c in Q.choices_of(item))]
            assert len(set(shown)) == len(shown)
        elif item.type == "date":
            assert xp(sdt, "w:sdtPr/w:date/w:dateFormat/@w:val") == [word_date_format(lang)]
            assert xp(sdt, "w:sdtPr/w:date/w:lid/@w:val") == [LANGUAGE_TAGS[lang]]
            assert not xp(sdt, "w:sdtPr/w:date/@w:fullDate")
        else:
            assert xp(sdt, "w:sdtPr/w:text/@w:multiLine") == ["1"]


def test_placeholder_style_is_defined_grey() -> None:
    styles = part("en", "word/styles.xml")
    [style] = xp(styles, '//w:style[@w:styleId="PlaceholderText"]')
    assert style.get(f"{{{W_NS}}}type") == "character"
    assert xp(style, "w:rPr/w:color/@w:val") == ["808080"]


def test_protection_is_filling_in_forms_in_schema_order() -> None:
    settings = part("en", "word/settings.xml")
    [prot] = xp(settings, "w:documentProtection")
    assert prot.get(f"{{{W_NS}}}edit") == "forms"
    assert prot.get(f"{{{W_NS}}}enforcement") == "1"
    assert not prot.get(f"{{{W_NS}}}hash")
    assert etree.QName(prot.getnext()).localname == "defaultTabStop"
    assert xp(settings, "w:themeFontLang/@w:eastAsia") == ["zh-CN"]


def test_a4_with_margins_header_and_page_x_of_y() -> None:
    root = doc("en")
    [size] = xp(root, "//w:body/w:sectPr/w:pgSz")
    assert (size.get(f"{{{W_NS}}}w"), size.get(f"{{{W_NS}}}h")) == ("11906", "16838")
    assert xp(root, "//w:body/w:sectPr/w:pgMar/@w:left") == ["1134"]
    header = part("en", "word/header1.xml")
    text = "".join(xp(header, "//w:t/text()"))
    for shown in (Q.version, "ftesten", "English"):
        assert shown in text
    assert Q.id not in text
    footer = part("en", "word/footer1.xml")
    assert [s.strip() for s in xp(footer, "//w:instrText/text()")] == ["PAGE", "NUMPAGES"]


def test_headings_for_sections_and_recommendations() -> None:
    root = doc("en")
    catalogue = load_catalogue(Q.catalogue)
    h1 = [
        "".join(xp(p, ".//w:t/text()")) for p in xp(root, '//w:p[w:pPr/w:pStyle/@w:val="Heading1"]')
    ]
    assert h1 == [s.title for s in Q.sections[:1]] + ["Instructions"] + [
        s.title for s in Q.sections[1:]
    ]
    h2 = [
        "".join(xp(p, ".//w:t/text()")) for p in xp(root, '//w:p[w:pPr/w:pStyle/@w:val="Heading2"]')
    ]
    expected = [
        f"{catalogue.get(e.recommendation).ref} {catalogue.get(e.recommendation).title}"
        for _, e in Q.entries()
    ]
    assert h2 == ["Sources", "Implementation status", "Returning the form", *expected]
    quotes = [
        "".join(xp(p, ".//w:t/text()"))
        for p in xp(root, '//w:p[w:pPr/w:pStyle/@w:val="RecommendationText"]')
    ]
    assert quotes == [catalogue.get(e.recommendation).text for _, e in Q.entries()]


def test_cover_shows_an_issued_country_and_the_deadline() -> None:
    root = doc("fr")
    text = "".join(xp(root, "//w:t/text()"))
    loc = Localizer("fr")
    assert loc.country("MX") in text
    assert loc.date(DEADLINE) in text
    assert not xp(root, f'//w:sdt[w:sdtPr/w:tag/@w:val="{COUNTRY_SLOT}"]')


def test_blank_form_has_a_country_drop_down() -> None:
    sdt = control(doc("ru", None), COUNTRY_SLOT)
    values = [str(v) for v in xp(sdt, "w:sdtPr/w:dropDownList/w:listItem/@w:value")]
    shown = [str(v) for v in xp(sdt, "w:sdtPr/w:dropDownList/w:listItem/@w:displayText")]
    assert sorted(v for v in values if v) == sorted(load_parties().codes())  # "" = not chosen
    assert len(set(shown)) == len(shown)
    assert Localizer("ru").country("KE") in shown
    assert "Российская Федерация" in shown


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_respondents_see_no_raw_questionnaire_id(lang: str) -> None:
    for name in ("word/document.xml", "word/header1.xml"):
        assert Q.id not in "".join(xp(part(lang, name), "//w:t/text()")), name


def test_instructions_explain_the_status_scale() -> None:
    text = "".join(xp(doc("en"), "//w:t/text()"))
    for choice in Q.choice_list("status").choices:
        assert choice.label in text
        assert choice.help is not None
        assert choice.help in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_unofficial_translation_notice_outside_english_and_sources_everywhere(lang: str) -> None:
    loc = Localizer(lang)
    cat = load_catalogue()
    recs = [cat.get(e.recommendation) for s in Q.sections for e in s.recommendations]
    text = "".join(xp(doc(lang), "//w:t/text()"))
    notice = translation_notice(cat, recs, loc)
    assert (notice is not None) == (lang != "en")
    if notice:
        assert notice in text
        assert loc.content("source.title", cat.sources[0].title) in notice
    for line in source_lines(cat, recs, loc):
        assert line in text
    assert "II(j)–II(t)" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_metadata_in_custom_properties(lang: str) -> None:
    props = read_custom_properties(part(lang, "docProps/custom.xml"))
    assert set(props) == {META_PREFIX + k for k in META_KEYS}
    assert props[META_PREFIX + "language"] == lang
    assert props[META_PREFIX + "questionnaire"] == Q.id
    types = read_part(blank_form(lang), "[Content_Types].xml")
    assert b"custom-properties+xml" in types


def test_arabic_is_right_to_left_everywhere() -> None:
    root = doc("ar")
    paragraphs = xp(root, "//w:body//w:p")
    assert all(xp(p, "w:pPr/w:bidi") for p in paragraphs)
    assert not xp(root, "//w:jc")
    assert xp(root, "//w:body/w:sectPr/w:bidi")
    assert all(xp(t, "w:tblPr/w:bidiVisual") for t in xp(root, "//w:tbl"))
    for pr in xp(root, "//w:sdt[not(w:sdtPr/w14:checkbox)]/w:sdtPr/w:rPr"):
        assert xp(pr, "w:rtl")
        assert xp(pr, "w:rFonts/@w:cs") == [ARABIC_FONT]
        assert xp(pr, "w:lang/@w:bidi") == ["ar-SA"]
    arabic_runs = [
        r
        for r in xp(root, "//w:r")
        if any("\u0600" <= c <= "\u06ff" for c in "".join(xp(r, "w:t/text()")))
    ]
    assert arabic_runs
    for r in arabic_runs:
        assert xp(r, "w:rPr/w:rtl")
        assert xp(r, "w:rPr/w:rFonts/@w:cs") == [ARABIC_FONT]


def test_chinese_runs_have_an_east_asian_font_and_language() -> None:
    root = doc("zh")
    runs = xp(root, "//w:r[w:t]")
    for r in runs:
        fonts = xp(r, "w:rPr/w:rFonts")[0]
        if fonts.get(f"{{{W_NS}}}ascii") == "MS Gothic":
            continue
        assert fonts.get(f"{{{W_NS}}}eastAsia") == CJK_FONT
        assert fonts.get(f"{{{W_NS}}}hint") == "eastAsia"
        assert xp(r, "w:rPr/w:lang/@w:eastAsia") == ["zh-CN"]
    styles = part("zh", "word/styles.xml")
    assert xp(styles, "//w:docDefaults//w:rFonts/@w:eastAsia") == [CJK_FONT]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_untranslated_strings_are_reported(lang: str) -> None:
    loc = Localizer(lang)
    write_docx(Q, form_meta(Q, lang), io.BytesIO(), loc)
    if lang == "en":
        assert loc.missing == set()
    fresh = Localizer(lang)
    for domain, context, message in loc.missing:
        if domain == DOMAIN_CONTENT:
            shown = fresh.content(cast("ContentContext", context), message)
        elif context:
            shown = fresh.pgettext(cast("UiContext", context), message)
        else:
            shown = fresh.gettext(message)
        assert shown == message, "reported as missing but translated"


@pytest.mark.parametrize(
    "prefill",
    [
        {"nope": "x"},
        {"wg14_c_status": "perhaps"},
        {"wg14_c_ta_kinds": ["training", "nope"]},
        {"wg15_x_commitment_years": "12"},
        {"reply_date": "31/12/2025"},
        {"respondent_name": "a\x0bb"},  # lxml used to raise ValueError on it
    ],
)
def test_impossible_prefill_is_refused(prefill: dict[str, Answer]) -> None:
    with pytest.raises(UsageError, match="prefill"):
        write_docx(Q, form_meta(Q, "en"), io.BytesIO(), prefill=prefill)


def test_password_sets_words_hash_and_the_form_still_parses() -> None:
    out = io.BytesIO()
    write_docx(Q, form_meta(Q, "en"), out, password="s3cret-ministère")
    settings = read_xml(out.getvalue(), "word/settings.xml")
    [prot] = xp(settings, "w:documentProtection")
    attr = {etree.QName(k).localname: v for k, v in prot.attrib.items()}
    assert attr["edit"] == "forms"
    assert attr["cryptAlgorithmSid"] == "14"
    assert attr["cryptSpinCount"] == "100000"
    salt = base64.b64decode(attr["salt"])
    assert len(salt) == 16
    assert attr["hash"] == protection_hash("s3cret-ministère", salt, 100_000)
    assert parse_form(io.BytesIO(out.getvalue())).errors == []


def test_writes_to_a_path(tmp_path: Path) -> None:
    out = tmp_path / "form.docx"
    write_docx(Q, form_meta(Q, "es"), out)
    assert zipfile.ZipFile(out).read("docProps/custom.xml")


def test_a_recommendation_s_heading_and_text_keep_with_its_question_table() -> None:
    body = doc("fr")
    headings = xp(body, '//w:body/w:p[w:pPr/w:pStyle/@w:val="Heading2"][w:pPr/w:keepNext]')
    recs = [e for s in Q.sections for e in s.recommendations]
    assert len(headings) == len(recs)
    for heading in headings:
        nxt = heading.getnext()
        while nxt is not None and nxt.tag == f"{{{W_NS}}}p":
            assert xp(nxt, "w:pPr/w:keepNext"), "".join(xp(nxt, ".//w:t/text()"))[:60]
            nxt = nxt.getnext()
        assert nxt is not None
        assert nxt.tag == f"{{{W_NS}}}tbl"
        # Word keeps a row with the next when a paragraph of it keeps with the
        # next: the repeated header row stays with the first question, and no
        # row is split between pages.
        header, first, *_ = xp(nxt, "w:tr")
        assert xp(header, "w:trPr/w:tblHeader")
        assert all(xp(p, "w:pPr/w:keepNext") for p in xp(header, ".//w:p"))
        assert not xp(first, "w:trPr/w:tblHeader")
        assert all(xp(row, "w:trPr/w:cantSplit") for row in xp(nxt, "w:tr"))
