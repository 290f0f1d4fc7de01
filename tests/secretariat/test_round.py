"""Issuing a round: what prefill carries over."""

from __future__ import annotations

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.secretariat.round import carry_over


def test_carry_over_keeps_only_answers_that_fit() -> None:
    q = load_questionnaire()
    kept, dropped = carry_over(
        {
            "wg14_c_status": "fully",
            "wg14_c_ta_kinds": ["training", "gone"],
            "wg14_c_ta_needed": "yes",
            "respondent_name": "Ana",
            "reply_date": "not a date",
            "removed_item": "x",
            "wg14_a_amount_usd": 1000,
        },
        q,
    )
    assert kept == {
        "wg14_c_status": "fully",
        "wg14_c_ta_needed": "yes",
        "respondent_name": "Ana",
    }
    # 1.1 no longer asks for amounts.
    assert sorted(dropped) == ["removed_item", "reply_date", "wg14_a_amount_usd", "wg14_c_ta_kinds"]
