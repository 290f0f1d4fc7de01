"""`selfassess demo`: the whole cycle in one call, on a small sample."""

from __future__ import annotations

import json
from pathlib import Path

from selfassess.secretariat.demo import run_demo


def test_demo_round_writes_the_reports(tmp_path: Path) -> None:
    result = run_demo(tmp_path, per_group=1)
    counts = result.ingest.counts()
    assert counts["duplicate"] == 1
    assert counts["rejected"] == 1
    assert counts["accepted"] >= 2
    names = {p.name for p in result.reports}
    assert {"aggregate-en.xlsx", "aggregate-en.docx", "aggregate-fr.json", "status.json"} <= names
    figures = json.loads((tmp_path / "reports" / "aggregate-en.json").read_text())
    total = figures["response_rate"][-1]
    assert total["group"] == "total"
    assert total["returned"] == counts["accepted"] + counts["accepted_with_problems"] - 1
    assert figures["country_detail"]["confidential"] is True
