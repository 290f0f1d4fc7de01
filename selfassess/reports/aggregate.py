"""The aggregate report of ``selfassess report``: figures from the store, written as files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from selfassess.constants import MIN_REPLIES_DEFAULT, Format
from selfassess.definitions.parties import load_parties
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.secretariat.aggregate import AggregateReport, aggregate
from selfassess.store import Store


@dataclass
class AggregateFiles:
    report: AggregateReport
    paths: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The report's own, then the writers' (a missing chart font)."""


def write_aggregate_reports(
    store_path: Path,
    parties_path: Path | None,
    out_dir: Path,
    *,
    formats: list[Format],
    lang: str,
    country_detail: bool = False,
    as_of: dt.date | None = None,
    min_replies: int = MIN_REPLIES_DEFAULT,
) -> AggregateFiles:
    """Aggregate the store's current returns and write ``aggregate-LANG[-confidential].FMT``
    into ``out_dir`` in each format."""
    parties = load_parties(parties_path)
    with Store(store_path, create=False) as store:
        report = aggregate(
            store,
            parties,
            lang=lang,
            country_detail=country_detail,
            as_of=as_of,
            min_replies=min_replies,
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "-confidential" if country_detail else ""
    files = AggregateFiles(report, warnings=list(report.warnings))
    for fmt in formats:
        path = out_dir / f"aggregate-{lang}{suffix}.{fmt}"
        if fmt == "xlsx":
            write_report_xlsx(report, path)
        else:
            files.warnings.extend(write_report_docx(report, path))
        files.paths.append(path)
    return files
