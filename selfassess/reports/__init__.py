"""Reports on scored replies: the country report in Word, Excel or Markdown.

>>> report_format("out/mexico.DOCX")
'docx'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from selfassess.definitions.model import Catalogue, Questionnaire
from selfassess.errors import UsageError
from selfassess.i18n.localizer import Localizer
from selfassess.reports import country_md
from selfassess.reports.country import CountryReport, build_report
from selfassess.response.interpret import ParseResult
from selfassess.safety.files import output_file
from selfassess.scoring import Score

REPORT_FORMATS = ("docx", "xlsx", "md")


@dataclass
class ReportResult:
    format: str
    lang: str
    warnings: list[str] = field(default_factory=list)


def report_format(path: str | Path) -> str:
    """The report format a file name asks for; UsageError for any other."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in REPORT_FORMATS:
        raise UsageError(
            f"cannot write a report as '{Path(path).name}'; "
            f"name the file .{', .'.join(REPORT_FORMATS)}"
        )
    return fmt


def write_country_report(
    score: Score,
    result: ParseResult,
    questionnaire: Questionnaire,
    out: str | Path | BinaryIO,
    *,
    fmt: str | None = None,
    lang: str | None = None,
    catalogue: Catalogue | None = None,
) -> ReportResult:
    """Write the country report of a scored reply to a path or a binary file object.

    ``fmt`` defaults to the file's extension; ``lang`` to the reply's language.
    """
    if fmt is None:
        if not isinstance(out, str | Path):
            raise UsageError("name the report format (docx, xlsx or md) when writing to a stream")
        fmt = report_format(out)
    elif fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown report format '{fmt}'; use one of {', '.join(REPORT_FORMATS)}")
    loc = Localizer(lang or result.form.language)
    report = build_report(score, result, questionnaire, loc, catalogue)
    if isinstance(out, str | Path):
        # A link planted where the report goes is refused, never written through.
        with output_file(out) as fh:
            _render(report, fmt, fh)
    else:
        _render(report, fmt, out)
    outcome = ReportResult(format=fmt, lang=loc.lang)
    if loc.missing:
        outcome.warnings.append(
            f"{len(loc.missing)} text(s) have no {loc.lang} translation and appear in English "
            "(selfassess i18n status)"
        )
    if result.errors:
        outcome.warnings.append(
            f"the reply has {len(result.errors)} error(s); the report shows only the answers "
            "that could be read (selfassess parse FILE)"
        )
    return outcome


def _render(report: CountryReport, fmt: str, target: BinaryIO) -> None:
    if fmt == "md":
        target.write(country_md.render_md(report).encode("utf-8"))
    elif fmt == "docx":
        from selfassess.reports.country_docx import render_docx  # noqa: PLC0415 (python-docx and matplotlib are slow to import)

        render_docx(report, target)
    else:
        from selfassess.reports.country_xlsx import render_xlsx  # noqa: PLC0415 (openpyxl is slow to import)

        render_xlsx(report, target)
