"""The aggregate report of ``selfassess report``: figures from the store, written as files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from selfassess.constants import Format
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.secretariat.aggregate import AggregateReport, aggregate
from selfassess.secretariat.parties import load_parties
from selfassess.store import Store


def write_aggregate_reports(
    store_path: Path,
    parties_path: Path | None,
    out_dir: Path,
    *,
    formats: list[Format],
    lang: str,
    country_detail: bool = False,
    as_of: dt.date | None = None,
) -> tuple[AggregateReport, list[Path]]:
    """Aggregate the store's current returns and write ``aggregate-LANG[-confidential].FMT``
    into ``out_dir`` in each format; the figures and the paths written."""
    parties = load_parties(parties_path)
    with Store(store_path, create=False) as store:
        report = aggregate(store, parties, lang=lang, country_detail=country_detail, as_of=as_of)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "-confidential" if country_detail else ""
    paths = []
    for fmt in formats:
        path = out_dir / f"aggregate-{lang}{suffix}.{fmt}"
        (write_report_xlsx if fmt == "xlsx" else write_report_docx)(report, path)
        paths.append(path)
    return report, paths
