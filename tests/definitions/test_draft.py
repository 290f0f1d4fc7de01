"""From an imported catalogue to forms in six languages, in a definitions folder.

``questionnaire init`` writes a draft that validates and renders; the folder
it writes is searched before the shipped data by every command; ``i18n``
works on it; ``--strict`` refuses until its translations are complete.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.constants import LANGUAGES, ROLE_MEASURES, ROLE_STATUS, ROLE_TA_NEEDED
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.draft import NOTE_CONTRIBUTION, NOTE_UNODC, write_draft
from selfassess.definitions.parties import default_parties_path
from selfassess.definitions.questionnaire import available, load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.i18n import catalogs, localizer
from selfassess.resources import DEFINITIONS_ENV

runner = CliRunner()

RESOLUTION = """\
Resolution adopted by the Conference on 8 December 2023

12/3. Countering organized crime at sea

The Conference of the Parties,

Recalling its earlier resolutions,

Prevention

1. Urges States parties to establish maritime crime units;

2. Encourages States parties to provide voluntary contributions to UNODC for that purpose;

Cooperation

3. Requests the United Nations Office on Drugs and Crime to publish a model agreement;

4. Invites States parties to share information with one another and with UNODC;
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A definitions folder with the imported catalogue and its draft, on the search path."""
    source = tmp_path / "sea.txt"
    source.write_text(RESOLUTION, encoding="utf-8")
    catalogue = tmp_path / "sea.yaml"
    result = runner.invoke(
        app, ["catalogue", "import", str(source), "--id", "sea", "--out", str(catalogue)]
    )
    assert result.exit_code == 0, result.output
    defs = tmp_path / "defs"
    result = runner.invoke(
        app, ["questionnaire", "init", str(catalogue), "--id", "sea_q", "--out", str(defs)]
    )
    assert result.exit_code == 0, result.output
    monkeypatch.setenv(DEFINITIONS_ENV, str(defs))
    return defs


def test_draft_has_a_section_per_topic_and_the_standard_questions(folder: Path) -> None:
    q = load_questionnaire("sea_q")
    assert q.version == "0.1"
    assert [s.id for s in q.sections] == ["respondent", "prevention", "cooperation"]
    entries = {e.recommendation: e for _, e in q.entries()}
    scored = entries["op1"]
    assert scored.scored
    roles = [it.role for it in scored.items]
    assert roles[:3] == [ROLE_STATUS, ROLE_MEASURES, ROLE_TA_NEEDED]
    assert "challenges" in roles
    # A request for money and a request to UNODC: unscored, with the reason.
    assert (entries["op2"].scored, entries["op2"].note) == (False, NOTE_CONTRIBUTION)
    assert (entries["op3"].scored, entries["op3"].note) == (False, NOTE_UNODC)
    # "States parties ... with one another and with UNODC": mixed, scored for the Parties.
    assert entries["op4"].scored
    # The shipped questionnaire is still there, after the user's.
    assert ("ctoc_wgta", "1.0") in available()
    assert load_catalogue("sea").get("op1").addressee == "states_parties"


def test_draft_renders_in_six_languages_and_reads_back(folder: Path, tmp_path: Path) -> None:
    q = load_questionnaire("sea_q")
    out = tmp_path / "forms"
    result = generate_forms(q, list(LANGUAGES), [None], ["docx", "xlsx"], out)
    assert len(result.forms) == 12
    # The tool's own strings and the shared questions are translated; the new
    # content (titles, texts) falls back to English and is reported.
    assert set(result.missing) == set(LANGUAGES) - {"en"}
    missing_fr = {msg for _, _, msg in result.missing["fr"]}
    assert "Countering organized crime at sea" not in missing_fr  # not shown on the form
    assert "What is the status of implementation of this recommendation in your country?" not in (
        missing_fr
    )
    assert any("establish maritime crime units" in m for m in missing_fr)
    for form in result.forms:
        parsed = parse_form(form.path)
        assert (parsed.form.questionnaire, parsed.form.version) == ("sea_q", "0.1")
        assert set(parsed.answers) == {it.id for it in q.items()}


def test_i18n_on_the_folder_and_strict(folder: Path, tmp_path: Path) -> None:
    extracted = catalogs.extract()
    assert [t.domain for t in extracted.templates] == ["questionnaire"]
    assert extracted.templates[0].path == folder.resolve() / "locales" / "questionnaire.pot"
    catalogs.update()
    status = catalogs.status(languages=["fr"])
    (fr,) = status.catalogs
    missing = {mid for _, mid in fr.missing}
    # Shipped translations carried over; only the new content is missing.
    assert "What is the status of implementation of this recommendation in your country?" not in (
        missing
    )
    assert "Has your country cooperated in the work this recommendation asks for?" not in missing
    assert any("maritime crime units" in m for m in missing)
    q = load_questionnaire("sea_q")
    result = runner.invoke(
        app,
        [
            "generate",
            "--questionnaire",
            "sea_q",
            "--lang",
            "fr",
            "--format",
            "xlsx",
            "--strict",
            "--out",
            str(tmp_path / "strict"),
        ],
    )
    assert result.exit_code == 2
    assert "--strict" in result.output
    # A translator completes the French catalog: the form renders.
    po = folder / "locales" / "fr" / "LC_MESSAGES" / "questionnaire.po"
    catalog = catalogs.read_catalog(po, "fr", "questionnaire")
    for msg in catalog:
        if msg.id and not msg.string:
            msg.string = f"FR {msg.id}"
    po.write_bytes(catalogs._po_bytes(catalog))
    localizer._messages_in.cache_clear()  # the PO file changed within this process
    assert catalogs.status(languages=["fr"]).catalogs[0].complete
    generated = generate_forms(q, ["fr"], [None], ["xlsx"], tmp_path / "ok", strict=True)
    assert len(generated.forms) == 1


def test_definitions_option_and_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEFINITIONS_ENV, raising=False)
    result = runner.invoke(app, ["--definitions", str(tmp_path / "nowhere"), "catalogue"])
    assert result.exit_code == 2
    assert "no such folder" in result.output
    # A Parties file in the folder is used before the shipped one.
    defs = tmp_path / "defs"
    parties = defs / "questionnaires" / "parties" / "untoc_parties.yaml"
    parties.parent.mkdir(parents=True)
    parties.write_text("{}", encoding="utf-8")
    monkeypatch.setenv(DEFINITIONS_ENV, str(defs))
    assert default_parties_path() == parties.resolve()


def test_init_refuses_to_overwrite_a_draft(folder: Path) -> None:
    catalogue = folder / "questionnaires" / "catalogue" / "sea.yaml"
    with pytest.raises(UsageError, match="exists"):
        write_draft(catalogue, "sea_q", folder, dt.date(2025, 1, 1))


def test_parse_and_score_find_the_form_through_the_definitions_folder(
    folder: Path, tmp_path: Path
) -> None:
    q = load_questionnaire("sea_q")
    (form,) = generate_forms(q, ["es"], ["MX"], ["xlsx"], tmp_path / "f").forms
    found = runner.invoke(app, ["--definitions", str(folder), "parse", str(form.path), "--json"])
    assert found.exit_code in (0, 1), found.output
    assert json.loads(found.stdout)["form"]["questionnaire"] == "sea_q"
    scored = runner.invoke(app, ["--definitions", str(folder), "score", str(form.path)])
    assert scored.exit_code in (0, 1), scored.output


def test_without_the_folder_the_form_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "sea.txt"
    source.write_text(RESOLUTION, encoding="utf-8")
    catalogue = tmp_path / "sea.yaml"
    runner.invoke(app, ["catalogue", "import", str(source), "--id", "sea", "--out", str(catalogue)])
    defs = tmp_path / "defs"
    write_draft(catalogue, "sea_q", defs, dt.date(2025, 1, 1))
    monkeypatch.setenv(DEFINITIONS_ENV, str(defs))
    (form,) = generate_forms(
        load_questionnaire("sea_q"), ["en"], [None], ["docx"], tmp_path / "f"
    ).forms
    monkeypatch.delenv(DEFINITIONS_ENV)
    unknown = runner.invoke(app, ["parse", str(form.path)])
    assert unknown.exit_code == 2
    assert "not a form of a known questionnaire version" in unknown.stderr


@pytest.mark.parametrize("bad", ["../escape", "COP13", "cop-13", ""])
def test_ids_from_the_command_line_are_checked(tmp_path: Path, bad: str) -> None:
    source = tmp_path / "sea.txt"
    source.write_text(RESOLUTION, encoding="utf-8")
    done = runner.invoke(app, ["catalogue", "import", str(source), "--id", bad])
    assert done.exit_code == 2
    assert "is not a valid id" in done.stderr
    catalogue = tmp_path / "sea.yaml"
    runner.invoke(app, ["catalogue", "import", str(source), "--id", "sea", "--out", str(catalogue)])
    init = runner.invoke(
        app, ["questionnaire", "init", str(catalogue), "--id", bad, "--out", str(tmp_path / "d")]
    )
    assert init.exit_code == 2
    assert "is not a valid id" in init.stderr
    assert not (tmp_path / "escape").exists()


def test_init_never_overwrites_a_reviewed_catalogue(folder: Path, tmp_path: Path) -> None:
    copy = folder / "questionnaires" / "catalogue" / "sea.yaml"
    reviewed = copy.read_text("utf-8").replace("title: Establish", "title: Reviewed, establish")
    copy.write_text(reviewed, encoding="utf-8")
    with pytest.raises(UsageError, match="exists and differs"):
        write_draft(tmp_path / "sea.yaml", "sea_q2", folder, dt.date(2025, 1, 1))
    assert copy.read_text("utf-8") == reviewed
    # The folder's own copy drafts a second questionnaire.
    result = write_draft(copy, "sea_q2", folder, dt.date(2025, 1, 1))
    assert result.path.is_file()
