"""Merging partial returns of one country."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.response.interpret import Answer
from selfassess.scoring import response_with
from selfassess.secretariat.merge import merge_files, merge_responses
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
