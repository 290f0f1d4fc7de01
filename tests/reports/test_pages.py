"""Reports fit to publish: valid files, print-ready pages, and no State readable off a figure.

Every report (country .docx/.xlsx/.md; aggregate .docx/.xlsx with and
without the confidential annex) is written in the six languages from a
real reply and a small store of returns, then checked: against the ECMA-376
schemas with the validator in ``../shared/ooxml`` (skipped, with the reason
shown, where it is absent), and by structure, one rule at a time.
"""

from __future__ import annotations

import ast
import datetime as dt
import doctest
import importlib
import io
import json
import logging
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import matplotlib
import pytest
from lxml import etree
from openpyxl import load_workbook

from selfassess.constants import LANGUAGES
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import Parties, load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import random_answers
from selfassess.i18n.localizer import Localizer
from selfassess.office.word import A4, LRM, bidi_pieces
from selfassess.reports import fonts, write_country_report
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.reports.charts import heatmap_png, implementation_png, short_label
from selfassess.reports.country import build_report
from selfassess.scoring import response_with, score
from selfassess.secretariat.aggregate import TOO_FEW, TOTAL, AggregateReport, aggregate
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import Store
from tests.forms.xlsx_fill import apply, generate
from tests.reports.test_country import FORM_LANG, typed_answers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
VALIDATOR = Path(__file__).resolve().parents[3] / "shared" / "ooxml" / "validate.py"
AS_OF = dt.date(2026, 12, 1)
#: Replies per regional group in the store: some groups below the threshold of 3.
REPLIES = {"weog": 4, "latin_american_caribbean": 3, "african": 1, "asia_pacific": 2}
PACKAGE = Path(__file__).resolve().parents[2] / "selfassess"


# --- the reports ---------------------------------------------------------------


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="module")
def country_files(q: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The country report of a real reply, in every format and language."""
    out = tmp_path_factory.mktemp("country")
    filled = parse_form(io.BytesIO(apply(generate(FORM_LANG, "MX"), typed_answers(q, FORM_LANG))))
    scored = score(filled, q)
    files = {}
    for lang in LANGUAGES:
        for fmt in ("docx", "xlsx", "md"):
            path = out / f"country-{lang}.{fmt}"
            write_country_report(scored, filled, q, path, lang=lang)
            files[f"{lang}.{fmt}"] = path
    return files


def _parties() -> Parties:
    every = load_parties()
    codes: list[str] = []
    for group, count in REPLIES.items():
        codes += [p.code for p in every.in_group(group) if len(p.groups) == 1][:count]
    return every.select(codes)


@pytest.fixture(scope="module")
def store(q: Questionnaire, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one current return per Party of ``_parties()``."""
    tmp = tmp_path_factory.mktemp("store")
    (tmp / "in").mkdir()
    rng = random.Random(5)
    for code in _parties().codes():
        reply = response_with(q, random_answers(q, rng))
        form = reply.form.model_copy(update={"country": code, "form_id": f"f{code.lower()}"})
        (tmp / "in" / f"{code}.json").write_text(
            reply.model_copy(update={"form": form}).model_dump_json()
        )
    with Store(tmp / "store.sqlite") as s:
        assert ingest_paths(s, [tmp / "in"]).counts()["accepted"] == len(_parties().codes())
    return tmp / "store.sqlite"


def _aggregate(store: Path, lang: str, detail: bool, min_replies: int = 3) -> AggregateReport:
    with Store(store) as s:
        return aggregate(
            s, _parties(), lang=lang, country_detail=detail, as_of=AS_OF, min_replies=min_replies
        )


@pytest.fixture(scope="module")
def aggregate_files(store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("aggregate")
    files = {}
    for lang in LANGUAGES:
        for detail in (False, True):
            report = _aggregate(store, lang, detail)
            name = f"{lang}{'-annex' if detail else ''}"
            write_report_docx(report, out / f"{name}.docx")
            write_report_xlsx(report, out / f"{name}.xlsx")
            files[f"{name}.docx"] = out / f"{name}.docx"
            files[f"{name}.xlsx"] = out / f"{name}.xlsx"
    return files


# --- valid against ECMA-376 ------------------------------------------------------


def test_every_report_is_valid_in_every_language(
    country_files: dict[str, Path], aggregate_files: dict[str, Path], tmp_path: Path
) -> None:
    if not VALIDATOR.is_file():
        pytest.skip(f"the OOXML validator is not at {VALIDATOR} (../shared/ooxml of the repo)")
    paths = [p for p in [*country_files.values(), *aggregate_files.values()] if p.suffix != ".md"]
    assert len(paths) == 6 * 2 + 6 * 4
    report = tmp_path / "validation.json"
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, paths), "--json", str(report)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert report.exists(), done.stderr
    errors = [
        (Path(f["file"]).parent.name + "/" + Path(f["file"]).name, x["part"], x["msg"])
        for f in json.loads(report.read_text())
        for x in f["findings"]
        if x["severity"] == "error"
    ]
    assert errors == []


# --- Word pages ----------------------------------------------------------------------


def _val(element: etree._Element | None, name: str) -> str:
    """The ``w:`` attribute ``name`` of an element that must be there."""
    assert element is not None
    value = element.get(f"{W}{name}")
    assert value is not None, name
    return value


def _parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {
            n: etree.fromstring(z.read(n))
            for n in z.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        }


def _section_headers(path: Path) -> list[str]:
    """The text of each section's default header, in document order."""
    with zipfile.ZipFile(path) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {str(r.get("Id")): str(r.get("Target")) for r in rels}
        body = etree.fromstring(z.read("word/document.xml"))
        texts = []
        current = ""
        for sect in body.iter(f"{W}sectPr"):
            ref = sect.find(f"{W}headerReference[@{W}type='default']")
            if ref is not None:
                header = etree.fromstring(z.read("word/" + targets[str(ref.get(f"{R}id"))]))
                current = "".join(str(t) for t in header.itertext())
            texts.append(current)
        return texts


@pytest.mark.parametrize(
    "name", ["country:en", "country:ar", "aggregate:en-annex", "aggregate:ar-annex"]
)
def test_word_pages(
    name: str, country_files: dict[str, Path], aggregate_files: dict[str, Path]
) -> None:
    kind, key = name.split(":")
    path = (country_files if kind == "country" else aggregate_files)[f"{key}.docx"]
    parts = _parts(path)
    body = parts["word/document.xml"]
    # A4 in every section, portrait or landscape.
    sizes = [(int(_val(s, "w")), int(_val(s, "h"))) for s in body.iter(f"{W}pgSz")]
    assert sizes
    assert all(tuple(sorted(size)) == tuple(sorted(A4)) for size in sizes)
    # "Page X of Y" in every footer.
    footers = [e for n, e in parts.items() if n.startswith("word/footer")]
    assert footers
    for footer in footers:
        codes = [(t.text or "").strip() for t in footer.iter(f"{W}instrText")]
        assert codes == ["PAGE", "NUMPAGES"]
    tables = list(body.iter(f"{W}tbl"))
    assert tables
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        # Rows never split across pages.
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        # A header row repeats, and keeps with the first row of the table.
        if rows[0].find(f"{W}trPr/{W}tblHeader") is not None:
            assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in rows[0].iter(f"{W}p"))
        # Fixed widths that add up to the table's width.
        grid = [int(_val(c, "w")) for c in tbl.iter(f"{W}gridCol")]
        assert sum(grid) == int(_val(tbl.find(f"{W}tblPr/{W}tblW"), "w"))
    # Headings keep with what follows.
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").startswith("Heading"):
            assert p.find(f"{W}pPr/{W}keepNext") is not None


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_the_confidential_annex_is_marked_on_every_page_it_is_on(
    lang: str, aggregate_files: dict[str, Path]
) -> None:
    mark = Localizer(lang).gettext("CONFIDENTIAL")
    headers = _section_headers(aggregate_files[f"{lang}-annex.docx"])
    # The annex is the last section; no page before it is marked.
    assert mark in headers[-1]
    assert not any(mark in h for h in headers[:-1])
    assert not any(mark in h for h in _section_headers(aggregate_files[f"{lang}.docx"]))
    # A landscape section of its own.
    body = _parts(aggregate_files[f"{lang}-annex.docx"])["word/document.xml"]
    assert _val(body.find(f"{W}body/{W}sectPr/{W}pgSz"), "orient") == "landscape"


def test_arabic_runs(country_files: dict[str, Path]) -> None:
    body = _parts(country_files["ar.docx"])["word/document.xml"]
    for r in body.iter(f"{W}r"):
        rpr = r.find(f"{W}rPr")
        if rpr is None:
            continue
        # Complex-script bold and italic always go with bold and italic.
        assert (rpr.find(f"{W}b") is None) == (rpr.find(f"{W}bCs") is None)
        assert (rpr.find(f"{W}i") is None) == (rpr.find(f"{W}iCs") is None)
        text = "".join(t.text or "" for t in r.iter(f"{W}t"))
        # A Latin reference in Arabic text is a left-to-right run closed by a mark.
        if re.fullmatch(r"[IV]+\([a-x]\)\S*", text.rstrip(LRM)) and LRM in text:
            assert rpr.find(f"{W}rtl") is None
    # Numbers of the questions to clarify are text at the start of the line, not a list.
    assert body.find(f".//{W}numPr") is None


def test_latin_is_isolated_in_arabic_text() -> None:
    assert bidi_pieces("انظر I(c) (الفقرة 18)") == [
        ("انظر ", True),
        ("I(c)" + LRM, False),
        (" (الفقرة ", True),
        ("18" + LRM, False),
        (")", True),  # its opening bracket is in the Arabic text
    ]
    assert bidi_pieces("انظر (WG.2/2023/4)")[1] == (LRM + "(WG.2/2023/4)" + LRM, False)
    assert bidi_pieces("مرحبا") == [("مرحبا", True)]


# --- workbooks ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["country-en", "country-ar", "aggregate-en-annex"])
def test_workbook_pages(
    name: str, country_files: dict[str, Path], aggregate_files: dict[str, Path]
) -> None:
    kind, key = name.split("-", 1)
    path = (country_files if kind == "country" else aggregate_files)[f"{key}.xlsx"]
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize in ("9", 9), ws.title
        assert "&P" in ws.oddFooter.center.text
        assert "&N" in ws.oddFooter.center.text
        assert ws.oddHeader.center.text
        wide = sum(ws.column_dimensions[c].width or 13 for c in ws.column_dimensions) > 95
        if wide:
            assert ws.page_setup.orientation == "landscape", ws.title
        for chart in ws._charts:
            # Below the tables: anchored under the last row of data before it.
            anchor_row = chart.anchor._from.row + 1
            assert all(
                ws.cell(row=r, column=c).value is None
                for r in range(anchor_row, ws.max_row + 1)
                for c in range(1, 4)
            ), ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.alignment.horizontal == "right", (ws.title, cell.coordinate)
    if kind == "aggregate":
        annex = wb.worksheets[-1]
        # 27 columns are not squeezed onto one page: printed across, names repeated.
        assert not annex.sheet_properties.pageSetUpPr.fitToPage
        assert annex.print_title_cols == "$A:$A"
        assert Localizer("en").gettext("CONFIDENTIAL") in annex.oddHeader.center.text
    else:
        assert all(ws.print_title_rows for ws in wb.worksheets[1:2])


def test_markdown_has_no_empty_header_row(country_files: dict[str, Path]) -> None:
    for lang in LANGUAGES:
        text = country_files[f"{lang}.md"].read_text(encoding="utf-8")
        assert not re.search(r"^\|\s*\|\s*\|$", text, re.MULTILINE)
        assert "| |" not in text


# --- figures that protect each State ------------------------------------------------


def test_figures_below_the_threshold_are_not_shown(store: Path) -> None:
    report = _aggregate(store, "en", detail=False)
    assert report.replies["african"] == 1
    assert report.replies["weog"] == 4
    assert report.too_few("african")
    assert report.too_few("asia_pacific")
    assert not report.too_few("weog")
    assert not report.too_few(TOTAL)
    for sid in [*report.sections, TOTAL]:
        assert report.implementation[sid]["african"].shown is None
    assert report.implementation[TOTAL]["african"].value is not None  # kept, not shown
    data = report.to_json()
    assert data["implementation"]["review"]["african"]["value"] is None
    assert data["implementation"]["review"]["african"]["suppressed"] is True
    assert all(row["african"] is None for row in data["ta_demand"]["by_kind_and_group"].values())
    assert any("fewer than 3 replies" in m for m in report.methods)
    # One threshold for all: with 1, every figure is shown; below 1 is no threshold.
    everything = _aggregate(store, "en", detail=False, min_replies=1)
    assert everything.implementation[TOTAL]["african"].shown is not None
    with pytest.raises(UsageError, match="at least 1"):
        _aggregate(store, "en", detail=False, min_replies=0)


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_reports_say_fewer_than_n_and_never_n_1(
    lang: str, aggregate_files: dict[str, Path]
) -> None:
    loc = Localizer(lang)
    too_few = loc.gettext(TOO_FEW).format(n=loc.number(3))
    with zipfile.ZipFile(aggregate_files[f"{lang}.docx"]) as z:
        text = "".join(str(t) for t in etree.fromstring(z.read("word/document.xml")).itertext())
    assert too_few in text
    assert not re.search(r"n\s*=\s*[12]\b", text)
    wb = load_workbook(aggregate_files[f"{lang}.xlsx"])
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert too_few in cells
    assert not any(re.search(r"n\s*=\s*[12]\b", c) for c in cells)


def test_a_hidden_figure_cannot_be_worked_out_from_the_others(store: Path) -> None:
    # With a threshold of 2, Africa (1 reply) alone would be hidden, and its
    # demand would be the total less the other groups: the smallest shown group
    # (Asia-Pacific, 2 replies) is hidden with it.
    report = _aggregate(store, "en", detail=False, min_replies=2)
    assert report.too_few("african")
    assert report.too_few("asia_pacific")
    assert not report.too_few("latin_american_caribbean")
    overall = report.implementation[TOTAL]
    assert overall["african"].suppressed
    assert overall["asia_pacific"].suppressed
    assert not overall["weog"].suppressed


def test_a_suppressed_cell_of_the_heat_map_has_no_value(store: Path) -> None:
    report = _aggregate(store, "en", detail=False)
    # The chart is drawn from what may be shown only: changing a hidden value changes nothing.
    before = heatmap_png(report)
    report.implementation["review"]["african"].value = 0.123
    assert heatmap_png(report) == before


# --- charts and fonts ------------------------------------------------------------------


def test_charts_leave_matplotlib_global_state_alone(
    q: Questionnaire, caplog: pytest.LogCaptureFixture
) -> None:
    before = dict(matplotlib.rcParams)
    reply = response_with(q, {"wg14_c_status": "fully"})
    report = build_report(score(reply, q), reply, q, Localizer("zh"))
    with caplog.at_level(logging.DEBUG, logger="matplotlib"):
        implementation_png(report.chart, "zh")
    assert dict(matplotlib.rcParams) == before
    assert not [
        r for r in caplog.records if "findfont" in r.getMessage() and r.levelno >= logging.INFO
    ]


def test_a_missing_script_font_gives_one_warning_naming_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = fonts.ScriptFont("Noto Naskh Arabic", ("/nonexistent/Naskh.ttf",), "fonts-noto-core")
    monkeypatch.setitem(fonts.SCRIPT_FONTS, "ar", missing)
    chosen = fonts.chart_fonts("ar")
    assert chosen.warning is not None
    assert "fonts-noto-core" in chosen.warning
    assert "Noto Naskh Arabic" not in chosen.families  # never looked up, so never logged
    assert fonts.chart_fonts("en").warning is None


def test_the_installed_fonts_are_registered_first_for_their_script() -> None:
    for lang, font in fonts.SCRIPT_FONTS.items():
        if any(Path(f).is_file() for f in font.files):
            assert fonts.chart_fonts(lang).families[0] == font.family


def test_labels_are_shortened_at_a_word_boundary() -> None:
    label = "Latin American and Caribbean States and a very long name besides"
    short = short_label(label, 20, 2)
    assert short.endswith("…")
    for line in short.split("\n"):
        assert line.rstrip("…") == "" or label.find(line.rstrip("…")) >= 0
        assert all(word in label.split() for word in line.rstrip("…").split())


# --- the reports do not import the form writer --------------------------------------


def test_reports_do_not_import_the_form_writer() -> None:
    for path in (PACKAGE / "reports").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        assert not any(m.startswith("selfassess.forms") for m in imported), path.name


@pytest.mark.parametrize(
    "module",
    [
        "selfassess.office.word",
        "selfassess.reports.charts",
        "selfassess.secretariat.aggregate",
        "selfassess.office.excel",
    ],
)
def test_module_examples_hold(module: str) -> None:
    assert doctest.testmod(importlib.import_module(module)).failed == 0


def test_a_font_cache_built_before_the_fonts_were_installed_does_not_matter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fonts are registered by file, so a cache that lacks them is completed."""
    from matplotlib import font_manager  # noqa: PLC0415 (only this test)
    from matplotlib.font_manager import FontProperties  # noqa: PLC0415 (only this test)

    font = fonts.SCRIPT_FONTS["zh"]
    if not any(Path(f).is_file() for f in font.files):
        pytest.skip(f"{font.family} is not installed ({font.package})")
    stale = [f for f in font_manager.fontManager.ttflist if "Noto" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    # matplotlib memoises lookups; cleared so that they see the stale list.
    font_manager.fontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]  # private, untyped
    fonts._register.cache_clear()
    try:
        chosen = fonts.chart_fonts("zh")
        found = font_manager.findfont(FontProperties(family=font.family), fallback_to_default=False)
    finally:
        fonts._register.cache_clear()
        font_manager.fontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]  # as above
    assert chosen.warning is None
    assert found in font.files
