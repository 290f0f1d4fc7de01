"""Merging partial returns of one country."""

from __future__ import annotations

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.scoring import response_with
from selfassess.secretariat.merge import merge_responses


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
