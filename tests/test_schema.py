"""Every form and report is valid ECMA-376, as checked by ../shared/ooxml/validate.py.

The validator applies markup compatibility as an Office 2006 consumer would,
validates every part against the transitional schemas, then checks rules that
Word and Excel enforce but schemas cannot express (its README). A finding of
severity ``error`` is what Word or Excel may refuse or repair: none is allowed.
It lives beside the repository (``<repo>/../shared/ooxml``, as in CI); where it
is absent these tests are skipped and say so.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfassess.constants import LANGUAGES
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from selfassess.reports import write_country_report
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.scoring import score
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.demo import DEMO_AS_OF, run_demo, sample_parties
from selfassess.store import Store

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = ROOT.parent / "shared" / "ooxml" / "validate.py"


@pytest.fixture(autouse=True)
def _validator() -> None:
    # A skip even in CI, unlike Java or LibreOffice: the validator lives in
    # ../shared, beside the repository, which no install script can provide.
    if not VALIDATOR.is_file():
        pytest.skip(f"the OOXML validator is not at {VALIDATOR}; schema validity not checked")


def schema_errors(paths: list[Path], tmp_path: Path) -> list[str]:
    """Every error the validator finds in ``paths``, one located line each."""
    report = tmp_path / "validation.json"
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), "--json", str(report), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    checked = json.loads(report.read_text(encoding="utf-8"))
    assert len(checked) == len(paths)
    return [
        f"{Path(entry['file']).name} {f['part']}:{f['line']} {f['path']}: {f['msg']}"
        for entry in checked
        for f in entry["findings"]
        if f["severity"] == "error"
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_are_schema_valid(lang: str, tmp_path: Path) -> None:
    written = generate_forms(
        load_questionnaire(),
        [lang],
        [None, "MX"],
        ["docx", "xlsx"],
        tmp_path / "forms",
        deadline=dt.date(2025, 3, 31),
        issued=dt.date(2025, 1, 15),
        key=b"schema-test-key",
        password="secret",
    )
    paths = [form.path for form in written.forms]
    assert len(paths) == 4
    assert schema_errors(paths, tmp_path) == []


@pytest.fixture(scope="module")
def demo_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's store, and one of its accepted returns."""
    out = tmp_path_factory.mktemp("demo")
    result = run_demo(out)
    returned = sorted(result.returns_dir.glob("*-en.xlsx"))
    assert returned
    return result.store, returned[0]


@pytest.mark.xdist_group("schema-reports")
def test_country_reports_are_schema_valid(demo_round: tuple[Path, Path], tmp_path: Path) -> None:
    _, returned = demo_round
    result = parse_form(returned)
    q = load_questionnaire(result.form.questionnaire, result.form.version)
    scored = score(result, q)
    paths = []
    for lang in LANGUAGES:
        for fmt in ("docx", "xlsx"):
            path = tmp_path / f"country-{lang}.{fmt}"
            write_country_report(scored, result, q, path, lang=lang)
            paths.append(path)
    assert schema_errors(paths, tmp_path) == []


@pytest.mark.xdist_group("schema-reports")
def test_aggregate_reports_are_schema_valid(demo_round: tuple[Path, Path], tmp_path: Path) -> None:
    store_path, _ = demo_round
    parties = sample_parties(load_parties())
    paths = []
    with Store(store_path) as store:
        for lang in LANGUAGES:
            report = aggregate(store, parties, lang=lang, as_of=DEMO_AS_OF, country_detail=True)
            for fmt, writer in (("docx", write_report_docx), ("xlsx", write_report_xlsx)):
                path = tmp_path / f"aggregate-{lang}.{fmt}"
                writer(report, path)
                paths.append(path)
    assert schema_errors(paths, tmp_path) == []
