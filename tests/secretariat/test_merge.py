"""Merging partial returns of one country."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.response.interpret import Answer
from selfassess.response.meta import Period
from selfassess.scoring import response_with
from selfassess.secretariat.demo import fill_form
from selfassess.secretariat.ingest import ingest_paths
from selfassess.secretariat.merge import merge_files, merge_responses
from selfassess.secretariat.round import issue_round
from selfassess.store import Store
from tests.forms.online_exports import kobo_xlsx


def test_merge_conflicts_are_never_overwritten() -> None:
    q = load_questionnaire()
    a = response_with(q, {"wg14_c_status": "fully", "respondent_name": "A"})
    b = response_with(q, {"wg14_c_status": "partially", "wg14_f_status": "planned"})
    merged = merge_responses([("a.xlsx", a), ("b.docx", b)])
    assert [c.item for c in merged.conflicts] == ["wg14_c_status"]
    assert merged.response.answers["wg14_c_status"] is None
    assert merged.response.answers["wg14_f_status"] == "planned"
    assert merged.response.answers["respondent_name"] == "A"
    assert merged.answered_by["wg14_f_status"] == ["b.docx"]
    assert merged.response.errors[0].item == "wg14_c_status"


def test_online_submissions_merge_like_any_return(tmp_path: Path) -> None:
    q = load_questionnaire()
    offline = response_with(q, {"wg14_c_status": "fully", "respondent_name": "A"})
    form = offline.form.model_copy(update={"country": "MX"})
    (tmp_path / "justice.json").write_text(
        offline.model_copy(update={"form": form}).model_dump_json()
    )
    online: dict[str, Answer] = {"wg14_c_status": "partially", "wg14_f_status": "planned"}
    (tmp_path / "kobo.xlsx").write_bytes(kobo_xlsx(q, [("MX", online)]))
    merged = merge_files([tmp_path / "justice.json", tmp_path / "kobo.xlsx"])
    assert merged.sources == ["justice.json", "kobo.xlsx#k1"]
    assert [c.item for c in merged.conflicts] == ["wg14_c_status"]
    assert merged.response.answers["wg14_f_status"] == "planned"
    assert merged.response.answers["respondent_name"] == "A"
    (tmp_path / "two.xlsx").write_bytes(kobo_xlsx(q, [("MX", online), ("FR", online)]))
    with pytest.raises(UsageError, match="one country only"):
        merge_files([tmp_path / "two.xlsx"])


def test_a_merged_reply_supersedes_the_returns_it_was_made_from(tmp_path: Path) -> None:
    """Two returns of forms issued in two rounds, merged and ingested: the merged
    reply answers the newer form, so it is the country's current reply."""
    q = load_questionnaire()
    parties = load_parties().select(["MX"])
    store = Store(tmp_path / "store.sqlite")
    returns = []
    for n, issued in enumerate([dt.date(2025, 1, 15), dt.date(2025, 6, 2)]):
        out = tmp_path / f"round{n}"
        done = issue_round(store, q, parties, out, formats=["xlsx"], issued=issued, workers=1)
        (form,) = done.forms
        returns.append(tmp_path / f"mx{n}.xlsx")
        returns[-1].write_bytes(fill_form(form.path, seed=n))
    newer_form = form.meta.form_id
    ingest_paths(store, returns, workers=1)
    merged = merge_files(list(returns))
    assert merged.response.form.form_id == newer_form
    target = tmp_path / "mx-merged.json"
    target.write_text(json.dumps(merged.to_json()), encoding="utf-8")
    (outcome,) = ingest_paths(store, [target], workers=1).files
    assert outcome.result == "accepted_with_problems"  # its conflicts stay open
    current = [r for r in store.returns("MX") if r.is_current]
    assert [r.filename for r in current] == ["mx-merged.json"]


def test_a_merged_response_keeps_the_reporting_period_of_the_form_it_answers() -> None:
    q = load_questionnaire()
    period = Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    parts = [response_with(q, {"wg14_c_status": "fully"}), response_with(q, {})]
    dated = [
        r.model_copy(update={"form": r.form.model_copy(update={"period": period})}) for r in parts
    ]
    merged = merge_responses([("a.xlsx", dated[0]), ("b.docx", dated[1])])
    assert merged.response.form.period == period
    assert merged.response.to_json()["form"]["period"] == {
        "start": "2025-01-01",
        "end": "2026-12-31",
    }
