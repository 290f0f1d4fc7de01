"""Forms filled in LibreOffice and saved as OpenDocument (.ods, .odt) read back exactly."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from selfassess.constants import COUNTRY_SLOT
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.forms.parse import SIGNATURE_LOCATION, parse_form, parse_returns
from selfassess.i18n.localizer import Localizer
from selfassess.secretariat.ingest import ingest_into
from tests.forms.docx_fill import blank_form, full_return
from tests.forms.xlsx_fill import filled_in_calc, person_fill
from tests.hostile import corpus
from tests.support.libreoffice import resave_many, writer_fill_many

pytestmark = pytest.mark.libreoffice

LANGS = ("en", "ar", "zh")
Q = load_questionnaire()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("odf-lo")


@pytest.fixture(scope="module")
def spreadsheets(folder: Path) -> dict[str, Path]:
    """Every slot of the Excel form filled in Calc and saved as .ods."""
    return filled_in_calc(folder, LANGS, ".ods")


@pytest.fixture(scope="module")
def texts(folder: Path) -> dict[str, Path]:
    """Every control of the Word form filled in Writer and saved as .odt, one Writer start."""
    jobs = []
    out = {}
    for lang in LANGS:
        src = folder / f"blank-{lang}.docx"
        src.write_bytes(blank_form(lang))
        out[lang] = folder / f"filled-{lang}.odt"
        jobs.append((src, out[lang], full_return(Q, lang).actions))
    # A blank form: the respondent picks the country on the cover.
    blank = folder / "blank-country.docx"
    blank.write_bytes(blank_form("ar", None))
    out["blank"] = folder / "blank-country.odt"
    jobs.append((blank, out["blank"], {COUNTRY_SLOT: Localizer("ar").country("EG")}))
    writer_fill_many(jobs)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_a_form_filled_in_calc_and_saved_as_ods_gives_back_every_value(
    spreadsheets: dict[str, Path], lang: str
) -> None:
    path = spreadsheets[lang]
    assert zipfile.ZipFile(path).read("mimetype").endswith(b"spreadsheet")
    result = parse_form(path)
    fill = person_fill(lang, "native")
    # A Calc cell holds a line break as LF only.
    expected = {
        k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in fill.expected.items()
    }
    assert result.answers == expected
    assert result.form.format == "ods"
    assert result.form.language == lang
    assert result.form.country == fill.country
    assert result.problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_form_filled_in_writer_and_saved_as_odt_gives_back_every_value(
    texts: dict[str, Path], lang: str
) -> None:
    path = texts[lang]
    assert zipfile.ZipFile(path).read("mimetype").endswith(b"text")
    result = parse_form(path)
    assert result.answers == full_return(Q, lang).expected
    assert result.form.format == "odt"
    assert result.form.language == lang
    assert result.problems == []


def test_the_country_picked_on_a_blank_form_saved_as_odt_is_read(texts: dict[str, Path]) -> None:
    result = parse_form(texts["blank"])
    assert result.form.country == "EG"
    assert result.errors == []


def test_every_answer_type_is_covered() -> None:
    """The fills above hold a value of every answer type, as the brief of the round trip says."""
    kinds = {item.type for item in Q.items()}
    filled = person_fill("en", "native").expected
    answered = {item.type for item in Q.items() if filled.get(item.id) not in (None, [])}
    assert answered == kinds
    odt = full_return(Q, "en").expected
    assert {item.type for item in Q.items() if odt.get(item.id) not in (None, [])} == kinds


def test_a_duplicated_control_in_an_odt_is_a_located_error(
    texts: dict[str, Path], folder: Path
) -> None:
    source = texts["en"]
    content = zipfile.ZipFile(source).read("content.xml")
    start = content.index(b'loext:tag="respondent_name"')
    end = content.index(b"</loext:content-control>", start) + len(b"</loext:content-control>")
    twin = (
        b'<loext:content-control loext:tag="respondent_name">Someone else</loext:content-control>'
    )
    changed = content[:end] + twin + content[end:]
    copy = folder / "twice.odt"
    _rewrite(source, copy, {"content.xml": changed})
    result = parse_form(copy)
    codes = [(p.code, p.item, p.location) for p in result.errors]
    assert ("control_repeated", "respondent_name", "tag respondent_name") in codes
    assert result.answers["respondent_name"] is None


def test_a_missing_named_range_in_an_ods_is_a_located_error(
    spreadsheets: dict[str, Path], folder: Path
) -> None:
    source = spreadsheets["en"]
    content = zipfile.ZipFile(source).read("content.xml")
    start = content.index(b'<table:named-range table:name="sa_respondent_name"')
    end = content.index(b"/>", start) + 2
    copy = folder / "unnamed.ods"
    _rewrite(source, copy, {"content.xml": content[:start] + content[end:]})
    result = parse_form(copy)
    assert [(p.code, p.item, p.location) for p in result.errors] == [
        ("cell_unnamed", "respondent_name", "sa_respondent_name")
    ]


def test_ingest_takes_odf_returns_from_a_returns_folder(
    spreadsheets: dict[str, Path], texts: dict[str, Path], tmp_path: Path
) -> None:
    returns = tmp_path / "returns" / "mexico"
    returns.mkdir(parents=True)
    shutil.copy(spreadsheets["zh"], returns / "reply.ods")
    shutil.copy(texts["ar"], returns / "reply.odt")
    [result] = parse_returns(returns / "reply.ods")
    assert result.form.format == "ods"
    outcome = ingest_into(tmp_path / "store.sqlite", [tmp_path / "returns"])
    assert [(Path(f.path).name, f.result, f.errors) for f in outcome.files] == [
        ("reply.ods", "accepted", 0),
        ("reply.odt", "accepted", 0),
    ]


def test_signed_forms_resaved_as_odf_keep_a_valid_signature(folder: Path) -> None:
    pairs = []
    for fmt, odf_suffix, lang, country in [
        ("xlsx", ".ods", "fr", None),
        ("docx", ".odt", "ar", "EG"),
    ]:
        src = folder / f"signed-{lang}.{fmt}"
        src.write_bytes(corpus.real_form(fmt, lang, country))
        pairs.append((src, src.with_suffix(odf_suffix)))
    resave_many(pairs)
    for _src, dst in pairs:
        result = parse_form(dst, key=corpus.KEY)
        assert result.form.signature == "valid", dst.name
        assert result.errors == [], dst.name
        # Another key: the signature no longer matches, an error located at the metadata.
        other = parse_form(dst, key=b"another key")
        assert [(p.code, p.location) for p in other.errors] == [
            ("signature_invalid", SIGNATURE_LOCATION)
        ]


def test_a_form_saved_with_a_password_asks_for_a_copy_without_one(folder: Path) -> None:
    pairs = []
    for fmt, odf_suffix in [("xlsx", ".ods"), ("docx", ".odt")]:
        src = folder / f"locked.{fmt}"
        src.write_bytes(corpus.real_form(fmt, "zh"))
        pairs.append((src, src.with_suffix(odf_suffix)))
    resave_many(pairs, password="secret")
    for (src, dst), save_as in zip(pairs, [".xlsx", ".docx"], strict=True):
        # LibreOffice 25.2 encrypts the whole package: meta.xml is not readable.
        assert "encrypted-package" in zipfile.ZipFile(dst).namelist(), src.name
        with pytest.raises(Rejected, match=rf"without a password, as \{save_as}"):
            parse_form(dst)


def _rewrite(source: Path, target: Path, parts: dict[str, bytes]) -> None:
    """A copy of an ODF package with some parts replaced, ``mimetype`` first and stored."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = parts.get(info.filename, old.read(info))
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, data, compress_type=method)
