"""`selfassess i18n ...` on a small repository in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.i18n import catalogs
from selfassess.i18n.catalogs import read_catalog
from tests.i18n.test_catalogs import make_repo

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["i18n", *args])
    return result.exit_code, result.stdout, result.stderr


def test_extract_then_update(tmp_path: Path) -> None:
    root = str(make_repo(tmp_path))
    code, out, _ = run("extract", "--root", root)
    assert code == 0
    assert "selfassess.pot: 5 messages (written)" in out
    assert "questionnaire.pot: 13 messages (written)" in out
    code, out, _ = run("extract", "--root", root)
    assert "(unchanged)" in out
    code, out, _ = run("update", "--root", root, "--lang", "fr,ar")
    assert code == 0
    assert "fr/LC_MESSAGES/questionnaire.po: created; 13 new, 0 newly fuzzy, 0 obsolete" in out
    assert "ar/LC_MESSAGES/selfassess.po: created" in out
    assert "zh/" not in out


def test_status_lists_what_is_missing_and_exits_1(tmp_path: Path) -> None:
    root = str(make_repo(tmp_path))
    run("extract", "--root", root)
    run("update", "--root", root)
    code, out, _ = run("status", "--root", root, "--lang", "ru", "--domain", "selfassess")
    assert code == 1
    assert "0/5" in out
    assert "selfassess.po: missing: [tick] x" in out
    code, out, _ = run("status", "--root", root, "--lang", "ru", "--summary")
    assert code == 1
    assert "missing:" not in out
    code, out, _ = run("status", "--root", root, "--json")
    data = json.loads(out)
    assert data["complete"] is False
    assert {(c["language"], c["domain"]) for c in data["catalogs"]} == {
        (lang, domain) for lang in catalogs.TARGET_LANGUAGES for domain in catalogs.DOMAINS
    }


def test_status_of_a_complete_catalog_exits_0_and_compiles(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    run("extract", "--root", str(root))
    run("update", "--root", str(root), "--lang", "es", "--domain", "selfassess")
    po = root / "locales" / "es" / "LC_MESSAGES" / "selfassess.po"
    catalog = read_catalog(po, "es", "selfassess")
    for msg in catalog:
        if msg.id:
            msg.string = f"ES {msg.id}"
    po.write_bytes(catalogs._po_bytes(catalog))
    code, out, _ = run("status", "--root", str(root), "--lang", "es", "--domain", "selfassess")
    assert code == 0, out
    assert "100.0%" in out
    code, out, _ = run("compile", "--root", str(root), "--lang", "es", "--domain", "selfassess")
    assert code == 0
    assert "selfassess.mo: 5 translations" in out
    assert po.with_suffix(".mo").is_file()


def test_english_has_no_catalog(tmp_path: Path) -> None:
    code, _, err = run("update", "--root", str(make_repo(tmp_path)), "--lang", "en")
    assert code == 2
    assert "source language" in err


def test_status_before_extract_says_what_to_run(tmp_path: Path) -> None:
    code, _, err = run("status", "--root", str(make_repo(tmp_path)))
    assert code == 2
    assert "run 'selfassess i18n extract' first" in err
