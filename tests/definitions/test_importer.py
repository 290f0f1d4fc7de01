"""Importing recommendations from resolution texts (``selfassess catalogue import``).

The test that matters most: importing the two COP 12 texts reproduces the
shipped catalogue, hand-checked against the sources, field by field. The UPR
list is checked against a reading made by hand. Small inline texts cover the
other shapes a resolution takes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.definitions import describe
from selfassess.definitions.catalogue import load_catalogue, load_catalogue_file
from selfassess.definitions.importer import (
    catalogue_yaml,
    import_sources,
    read_source,
    similarity,
)
from selfassess.definitions.importer.extract import source_lines
from selfassess.definitions.importer.text import LABEL, read_lines
from selfassess.definitions.model import Catalogue
from selfassess.errors import Rejected, SelfassessError
from tests.definitions.resolution_docx import write_resolution_docx
from tests.support.libreoffice import to_pdf

SHARED = Path(__file__).resolve().parents[3] / "shared"
SOURCES = SHARED / "sources"
UPR = SHARED / "resolutions" / "upr-slovenia-a-hrc-43-15.txt"

needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"source texts not found at {SOURCES}"
)
needs_upr = pytest.mark.skipif(not UPR.is_file(), reason=f"UPR text not found at {UPR}")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one(tmp_path: Path, text: str, name: str = "res.txt") -> Catalogue:
    return import_sources([_write(tmp_path, name, text)], "test").catalogue


# --- the shipped catalogue, reproduced ------------------------------------------


@pytest.fixture(scope="module")
def cop12() -> Catalogue:
    return import_sources(sorted(SOURCES.glob("*.txt")), "ctoc_wgta").catalogue


@needs_sources
def test_cop12_reproduces_the_shipped_catalogue(cop12: Catalogue) -> None:
    shipped = load_catalogue()
    assert [r.ref for r in cop12.recommendations] == [r.ref for r in shipped.recommendations]
    for want, got in zip(shipped.recommendations, cop12.recommendations, strict=True):
        assert (got.addressee, got.modality) == (want.addressee, want.modality), want.ref
        assert [v.source for v in got.versions] == [v.source for v in want.versions], want.ref
        for v_want, v_got in zip(want.versions, got.versions, strict=True):
            assert v_got.text == v_want.text, want.ref
            assert v_got.citation == v_want.citation, want.ref


@needs_sources
def test_cop12_merges_the_twelve_shared_recommendations() -> None:
    result = import_sources(sorted(SOURCES.glob("*.txt")), "ctoc_wgta")
    merged = {m.ref: m.source_ref for m in result.merges}
    assert len(merged) == 12
    assert merged["I(a)"] == "I"  # unlettered in the September text
    assert merged["II(j)"] == "II(a)"  # relettered
    assert all(0.8 <= m.similarity <= 1 for m in result.merges)
    assert sum(len(r.versions) == 2 for r in result.catalogue.recommendations) == 12


@needs_sources
def test_cop12_lists_every_paragraph_not_taken_with_its_reason() -> None:
    result = import_sources(sorted(SOURCES.glob("*.txt")), "ctoc_wgta")
    reasons = " | ".join(s.message for s in result.skipped)
    assert "preamble paragraph: Reaffirming" in reasons
    assert "'Endorses' asks no one to act: 1. Endorses" in reasons
    assert "footnote (read for citations)" in reasons
    assert "page rule ('---')" in reasons
    # The unlettered September recommendation is a doubtful decision, with its line.
    assert [(w.source[:13], w.line) for w in result.warnings] == [("cop12-draft-r", 56)]


@needs_sources
def test_reimport_into_the_shipped_catalogue_keeps_every_id(tmp_path: Path) -> None:
    shipped = load_catalogue()
    result = import_sources(sorted(SOURCES.glob("*.txt")), "ctoc_wgta", shipped)
    assert {c.kind for c in result.changes} == {"unchanged"}
    assert result.catalogue == shipped


@needs_sources
def test_reimport_of_a_revised_text_adds_a_version_and_keeps_the_id(tmp_path: Path) -> None:
    october = SOURCES / "cop12-draft-resolution-technical-assistance-2024-10-11.txt"
    text = october.read_text(encoding="utf-8").replace(
        "enhance the participation of women", "enhance further the participation of women"
    )
    text = text.replace("11 October 2024", "18 October 2024")
    revised = _write(tmp_path, "cop12-adopted.txt", text)
    result = import_sources([revised], "ctoc_wgta", load_catalogue())
    changed = {c.id: c for c in result.changes if c.kind != "unchanged"}
    assert changed["wg15_w"].kind == "new_version"
    w = result.catalogue.get("wg15_w")
    assert w.text.startswith("Parties are encouraged to enhance further")
    assert len(w.versions) == 2
    # Every other recommendation is cited again, in the adopted text, under
    # its old id: nothing was added.
    kinds = [c.kind for c in result.changes]
    assert kinds.count("new_version") == 1
    assert kinds.count("cited") == 34
    assert "added" not in kinds


def test_written_catalogue_loads_back(tmp_path: Path) -> None:
    cat = _one(tmp_path, GA_STYLE)
    path = _write(tmp_path, "out.yaml", catalogue_yaml(cat, ["res.txt"]))
    assert load_catalogue_file(path) == cat


# --- the UPR list -----------------------------------------------------------------


@needs_upr
def test_upr_list_matches_the_hand_made_reading() -> None:
    expected = json.loads(UPR.with_name(UPR.stem + ".expected.json").read_text("utf-8"))
    result = import_sources([UPR], "upr_slovenia")
    reading = result.readings[0]
    assert reading.symbol == expected["symbol"]
    assert reading.date is not None
    assert reading.date.isoformat() == expected["date"]
    recs = result.catalogue.recommendations
    assert [r.ref for r in recs] == [item["label"] for item in expected["items"]]
    for rec, item in zip(recs, expected["items"], strict=True):
        assert rec.text.startswith(item["first_words"]), rec.ref
        assert rec.addressee == item["addressee"]
        # A UPR recommendation is a bare imperative ("Ratify", "Continue efforts").
        assert rec.modality == "recommended"
        assert rec.text.split()[0] == item["modality"].split()[0]
        # Named instruments are found; the hand reading also names uncapitalized
        # programmes and court decisions, which the importer does not look for.
        for name in item["instruments"]:
            if name[0].isupper() and any(w in name for w in ("Convention", "Code", "Programme")):
                assert any(name.startswith(found) or found in name for found in rec.instruments), (
                    rec.ref,
                    name,
                    rec.instruments,
                )
    # 121.2 holds two recommendations under one number: one item.
    assert "(Ukraine); Increase efforts" in result.catalogue.get("rec121_2").text
    # 121.55 goes on after a page break (page number, running header).
    assert "related to the treatment of asylum seekers" in result.catalogue.get("rec121_55").text


# --- other shapes -----------------------------------------------------------------

GA_STYLE = """\
United Nations A/RES/78/999

General Assembly Distr.: General
14 December 2023

Seventy-eighth session
Agenda item 99

Resolution adopted by the General Assembly on 8 December 2023

78/999. Strengthening cooperation against trafficking in cultural property

The General Assembly,

Recalling its resolution 75/196 of 16 December 2020,

Noting with concern the growing involvement of organized criminal groups,

1. Welcomes the work of the Commission on Crime Prevention and Criminal Justice;

2. Urges Member States to ratify the United Nations Convention against Transnational
Organized Crime and to implement article 5 thereof;

3. Encourages Member States to consider establishing specialized units;

4. Requests the United Nations Office on Drugs and Crime to continue to provide
technical assistance to Member States, upon request;

5. Takes note of the report of the Secretary-General;

6. Decides to remain seized of the matter.
"""


def test_general_assembly_style(tmp_path: Path) -> None:
    result = import_sources([_write(tmp_path, "ga.txt", GA_STYLE)], "ga")
    cat = result.catalogue
    assert [(r.ref, r.addressee, r.modality) for r in cat.recommendations] == [
        ("2", "states", "urged"),
        ("3", "states", "encouraged_to_consider"),
        ("4", "unodc", "requested"),
    ]
    two = cat.get("op2")
    assert two.text.startswith("Urges Member States to ratify")
    assert "article 5" in " ".join(two.instruments)
    cit = two.versions[0].citation
    assert cit.resolution == "78/999"
    assert cit.symbol == "A/RES/78/999"
    assert cit.document == "Strengthening cooperation against trafficking in cultural property"
    assert two.topic == "strengthening_cooperation_against"
    assert cit.date is not None
    assert cit.date.isoformat() == "2023-12-14"
    assert cit.annex is None
    assert cit.report is None
    skipped = [s.message for s in result.skipped]
    assert any(m.startswith("'Welcomes' asks no one to act") for m in skipped)
    assert any(m.startswith("'Takes note' asks no one to act") for m in skipped)
    assert any(m.startswith("'Decides' asks no one to act") for m in skipped)
    assert any(m.startswith("preamble paragraph: Noting with concern") for m in skipped)


def test_no_resolution_number_is_invented(tmp_path: Path) -> None:
    text = GA_STYLE.replace("78/999. ", "").replace("A/RES/78/999", "")
    cit = _one(tmp_path, text).recommendations[0].versions[0].citation
    assert cit.resolution is None
    assert cit.symbol is None


CAPITALS = """\
THE COMMISSION,

RECALLING its earlier decisions,

1. URGES all States parties to adopt the measures set out in the annex;

2. CALLS UPON States to share information with the secretariat;

3. NOTES the progress made.
"""


def test_capitals_style(tmp_path: Path) -> None:
    cat = _one(tmp_path, CAPITALS)
    assert [(r.ref, r.addressee, r.modality) for r in cat.recommendations] == [
        ("1", "states_parties", "urged"),
        ("2", "states", "called_upon"),
    ]
    # Verbatim: the capitals stay as printed.
    assert cat.recommendations[0].text.startswith("URGES all States parties")


NESTED = """\
The Conference,

1. Calls upon States parties:

(a) To criminalize the laundering of proceeds of crime;

(b) To establish financial intelligence units that:

(i) Are independent;

(ii) Share information;

(c) To cooperate with one another;

2. Welcomes the following:

(a) The report of the secretariat;
"""


def test_nested_sub_items(tmp_path: Path) -> None:
    result = import_sources([_write(tmp_path, "n.txt", NESTED)], "n")
    cat = result.catalogue
    assert [r.ref for r in cat.recommendations] == ["1 (a)", "1 (b)", "1 (c)"]
    b = cat.get("op1_b")
    # The chapeau goes with each sub-item; the (i), (ii) stay inside (b).
    assert b.text == (
        "Calls upon States parties: To establish financial intelligence units that: "
        "(i) Are independent; (ii) Share information;"
    )
    assert {r.modality for r in cat.recommendations} == {"called_upon"}
    assert {r.addressee for r in cat.recommendations} == {"states_parties"}
    reasons = [s.message for s in result.skipped]
    assert any(m.startswith("chapeau of the sub-items of paragraph 1") for m in reasons)
    assert any(m.startswith("sub-item of paragraph 2 ('Welcomes')") for m in reasons)


PAGE_BREAK = """\
Annex

Annex I

Recommendations on cybercrime

(a) Parties are encouraged to strengthen the capacity of their law enforce-

A/CONF.999/2024/1
12

ment authorities to investigate cybercrime, including through spe-\f
cialized training;¹

¹ See A/CONF.999/2023/5, paras. 4–6.

(b) Parties should consider sharing good practices with the well-
known networks of practitioners, such as the 24/7 well-known network.
"""


def test_page_break_inside_an_item(tmp_path: Path) -> None:
    result = import_sources([_write(tmp_path, "pb.txt", PAGE_BREAK)], "pb")
    a, b = result.catalogue.recommendations
    assert a.ref == "I(a)"
    # Running header, page number, form feed, footnote and its marker out;
    # words hyphenated at the line end mended, real hyphens kept.
    assert a.text == (
        "Parties are encouraged to strengthen the capacity of their law enforcement authorities "
        "to investigate cybercrime, including through specialized training;"
    )
    assert "with the well-known networks" in b.text
    cit = a.versions[0].citation
    assert (cit.report, cit.report_paragraphs) == ("A/CONF.999/2023/5", "4–6")
    assert cit.symbol == "A/CONF.999/2024/1"
    assert a.topic == "cybercrime"
    assert b.modality == "should_consider"


def test_a_skipped_letter_is_a_warning(tmp_path: Path) -> None:
    text = "Annex I\n\n(a) Parties should act;\n\n(c) Parties should act again.\n"
    result = import_sources([_write(tmp_path, "gap.txt", text)], "gap")
    assert any("(c) follows (a)" in w.message for w in result.warnings)


def test_near_miss_between_sources_is_a_warning_not_a_merge(tmp_path: Path) -> None:
    one = _write(
        tmp_path,
        "one.txt",
        "11 October 2024\n\nAnnex I\n\n(a) Parties are encouraged to "
        "provide training to judges and prosecutors on cybercrime cases.\n",
    )
    two = _write(
        tmp_path,
        "two.txt",
        "9 September 2024\n\nAnnex I\n\n(a) Parties are encouraged to "
        "provide equipment to police units working on cybercrime matters.\n",
    )
    result = import_sources([one, two], "near")
    assert len(result.catalogue.recommendations) == 2
    assert not result.merges
    assert any("kept apart" in w.message for w in result.warnings)
    assert 0.6 <= similarity("provide training to judges", "provide training to police") < 0.8


# --- other formats ----------------------------------------------------------------


def test_docx_source(tmp_path: Path) -> None:
    doc = Document()
    doc.add_heading("Draft resolution", level=1)
    doc.add_heading("Countering organized crime at sea", level=1)
    doc.add_paragraph("The Conference of the Parties,")
    doc.add_paragraph().add_run("Mutual legal assistance").bold = True
    doc.add_paragraph("1. Invites States parties to designate a central authority;")
    path = tmp_path / "res.docx"
    doc.save(str(path))
    cat = import_sources([path], "sea").catalogue
    (rec,) = cat.recommendations
    assert (rec.ref, rec.addressee, rec.modality) == ("1", "states_parties", "invited")
    assert rec.topic == "mutual_legal_assistance"  # a paragraph all in bold is a heading
    assert rec.versions[0].citation.document == (
        "Countering organized crime at sea (draft resolution)"
    )


def _pdf(path: Path, pages: list[list[str]]) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_pdf_source_with_an_item_across_pages(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "res.pdf",
        [
            ["Annex I", "", "(a) Parties are encouraged to adopt the measures", "needed to"],
            ["prevent fraud;", "", "(b) UNODC should publish a guide."],
        ],
    )
    cat = import_sources([path], "pdf").catalogue
    assert [r.text for r in cat.recommendations] == [
        "Parties are encouraged to adopt the measures needed to prevent fraud;",
        "UNODC should publish a guide.",
    ]
    assert [r.addressee for r in cat.recommendations] == ["parties", "unodc"]


# --- refusals -----------------------------------------------------------------------


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(Rejected, match="no text layer"):
        read_source(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Rejected, match="empty"):
        read_source(_write(tmp_path, "empty.txt", "  \n\n"))


def test_text_without_operative_items_is_refused(tmp_path: Path) -> None:
    text = "The Conference,\n\nRecalling its resolutions,\n\n1. Welcomes the report.\n"
    with pytest.raises(Rejected, match="no operative items found"):
        read_source(_write(tmp_path, "prose.txt", text))


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("res.doc", b"\xd0\xcf\x11\xe0 old word", "cannot import a '.doc' file"),
        ("res.pdf", b"%PDF-1.4 garbage", "not a readable PDF|no text layer"),
        ("res.docx", b"PK\x03\x04 not really", "damaged or truncated"),
        ("res.txt", b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, name: str, data: bytes, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Rejected, match=match):
        read_source(path)


def test_same_file_name_twice_is_refused(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    with pytest.raises(Rejected, match="share the file name"):
        import_sources([_write(a, "r.txt", GA_STYLE), _write(b, "r.txt", GA_STYLE)], "x")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
def test_any_text_is_read_or_refused_never_crashes(tmp_path: Path, noise: str) -> None:
    text = f"Annex I\n\n(a) Parties should {noise}\n\n{noise}\n"
    try:
        cat = _one(tmp_path, text)
    except SelfassessError:
        return
    for rec in cat.recommendations:
        assert rec.text == rec.text.strip()
        # Nothing a form could not hold: no control characters.
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", rec.text + rec.title)


def test_read_lines_lists_debris_with_reasons() -> None:
    text = read_lines(["Some text", "---", "12", "A/HRC/1/2", "<sup>3</sup> A note."])
    assert [d.reason for d in text.debris] == [
        "page rule ('---')",
        "page number",
        "running header (document symbol)",
        "footnote (read for citations)",
    ]
    assert text.footnotes == {"3": "A note."}


@needs_sources
@pytest.mark.libreoffice
def test_cop12_as_printed_pdfs_reproduce_the_shipped_catalogue(tmp_path: Path) -> None:
    """The same texts laid out and printed to PDF: page breaks, glued footnote markers."""
    pdfs = [
        to_pdf(
            write_resolution_docx(src.read_text("utf-8"), tmp_path / f"{src.stem}.docx"), tmp_path
        )
        for src in sorted(SOURCES.glob("*.txt"))
    ]
    cat = import_sources(pdfs, "ctoc_wgta").catalogue
    shipped = load_catalogue()
    assert [r.ref for r in cat.recommendations] == [r.ref for r in shipped.recommendations]
    for want, got in zip(shipped.recommendations, cat.recommendations, strict=True):
        assert (got.addressee, got.modality) == (want.addressee, want.modality), want.ref
        assert [v.text for v in got.versions] == [v.text for v in want.versions], want.ref
        assert [v.citation for v in got.versions] == [v.citation for v in want.versions]


# --- the command ---------------------------------------------------------------------

runner = CliRunner()


def test_cli_json_is_the_catalogue_contract(tmp_path: Path) -> None:
    source = _write(tmp_path, "ga.txt", GA_STYLE)
    done = runner.invoke(app, ["catalogue", "import", str(source), "--id", "ga", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data == describe.catalogue_json(import_sources([source], "ga").catalogue)
    assert "not taken:" in done.stderr  # the report goes to stderr, never into the JSON


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("The Conference,\n\nRecalling its resolutions,\n", "no operative items found"),
    ],
)
def test_cli_refuses_bad_input_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    source = _write(tmp_path, "bad.txt", content)
    done = runner.invoke(app, ["catalogue", "import", str(source), "--id", "x"])
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in done.output


def test_cli_reimport_needs_the_same_id(tmp_path: Path) -> None:
    source = _write(tmp_path, "ga.txt", GA_STYLE)
    out = tmp_path / "ga.yaml"
    assert (
        runner.invoke(
            app, ["catalogue", "import", str(source), "--id", "ga", "--out", str(out)]
        ).exit_code
        == 0
    )
    again = runner.invoke(
        app, ["catalogue", "import", str(source), "--id", "ga", "--out", str(out)]
    )
    assert again.exit_code == 0
    assert "unchanged: 3 recommendation(s)" in again.stderr
    other = runner.invoke(
        app, ["catalogue", "import", str(source), "--id", "gb", "--out", str(out)]
    )
    assert other.exit_code == 2
    assert "holds the catalogue 'ga'" in other.stderr


@pytest.mark.parametrize("text", [GA_STYLE, CAPITALS, NESTED, PAGE_BREAK])
def test_nothing_is_dropped_silently(tmp_path: Path, text: str) -> None:
    """Every paragraph read ends up in an entry's text or in the list of what was not taken."""
    source = _write(tmp_path, "r.txt", text)
    lines, pdf = source_lines(source)
    paragraphs = read_lines(lines, pdf=pdf).paragraphs
    reading = read_source(source)
    accounted = " ".join([e.text for e in reading.entries] + [s.text for s in reading.skipped])
    for p in paragraphs:
        body = LABEL.sub("", p.text)
        assert body in accounted, p.text


@needs_sources
def test_nothing_is_dropped_silently_from_the_cop12_texts() -> None:
    for source in sorted(SOURCES.glob("*.txt")):
        lines, pdf = source_lines(source)
        paragraphs = read_lines(lines, pdf=pdf).paragraphs
        reading = read_source(source)
        accounted = " ".join([e.text for e in reading.entries] + [s.text for s in reading.skipped])
        assert all(LABEL.sub("", p.text) in accounted for p in paragraphs)


def test_more_text_than_a_resolution_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("selfassess.definitions.importer.extract.MAX_SOURCE_CHARS", 100)
    with pytest.raises(Rejected, match="more text than a resolution holds"):
        read_source(_write(tmp_path, "long.txt", GA_STYLE))
