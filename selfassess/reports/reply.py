"""One reply scored and, when asked, its country report written: ``selfassess score``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.reports import ReportResult, report_format, write_country_report
from selfassess.response.interpret import ParseResult
from selfassess.scoring import Score, score


@dataclass
class ScoredReply:
    response: ParseResult
    questionnaire: Questionnaire
    score: Score
    report: ReportResult | None = None
    """The country report, when one was written."""


def score_reply(
    response: ParseResult,
    *,
    report: Path | None = None,
    lang: str | None = None,
) -> ScoredReply:
    """Score a reply (read by :func:`selfassess.forms.parse.load_response`: the
    reports do not import the forms layer); with ``report``, write the country
    report there (.docx, .xlsx or .md, checked before any work) in ``lang``
    (default: the reply's language)."""
    if report is not None:
        report_format(report)
    q = load_questionnaire(response.form.questionnaire, response.form.version)
    scored = score(response, q)
    written = None
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        written = write_country_report(scored, response, q, report, lang=lang)
    return ScoredReply(response, q, scored, written)
