"""The Word country report opens and lays out in LibreOffice, in English and Arabic.

LibreOffice converts the report to PDF; the text of the PDF (poppler's
pdftotext) must hold what the report says, and the Arabic one must read from
the right: its page text runs right-aligned.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import Localizer
from selfassess.reports import write_country_report
from selfassess.scoring import score
from tests.forms.xlsx_fill import apply, generate
from tests.reports.test_country import FORM_LANG, typed_answers
from tests.support.libreoffice import requires_libreoffice, to_pdf

pytestmark = requires_libreoffice


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip(
            "pdftotext (poppler-utils) is not installed; run scripts/install-system-deps.sh"
        )
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_word_report_converts_to_pdf(tmp_path: Path, lang: str) -> None:
    q = load_questionnaire()
    filled = parse_form(apply(generate(FORM_LANG, "MX"), typed_answers(q, FORM_LANG)))
    source = tmp_path / f"report-{lang}.docx"
    write_country_report(score(filled, q), filled, q, source, lang=lang)
    text = pdf_text(to_pdf(source, tmp_path))
    loc = Localizer(lang)
    assert text.count("\f") >= 3  # summary and chart, tables, annex
    assert filled.form.form_id in text
    assert "Ley 12/2020" in text  # the respondent's own words, in the annex
    if lang == "en":
        assert "Implementation report: Mexico" in text
        assert "14 March 2025" in text
    else:
        assert loc.country("MX") in text or loc.country("MX")[::-1] in text
        # Right-aligned: the date line ends at the right margin, far from the left.
        line = next(ln for ln in text.splitlines() if "2025" in ln)
        assert len(line) - len(line.lstrip()) > 20
