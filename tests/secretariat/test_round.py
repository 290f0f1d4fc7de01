"""Issuing a round: what prefill carries over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from selfassess.constants import PERIOD_ITEM
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.response.meta import Period
from selfassess.secretariat.ingest import ingest_paths
from selfassess.secretariat.round import carry_over, issue_round
from selfassess.store import Store
from tests.forms.docx_fill import form_meta, full_return
from tests.forms.inline import definition


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


def test_a_full_1_0_return_carries_over_to_1_1_only_where_the_question_is_the_same() -> None:
    old = load_questionnaire("ctoc_wgta", "1.0")
    new = load_questionnaire("ctoc_wgta", "1.1")
    answers = full_return(old, "en").expected
    kept, dropped = carry_over(answers, new)
    # Same questions (some with more choices in 1.1): carried.
    for item_id in ("wg15_u_focal_point", "wg15_c_cites_offence", "wg14_h_data_collection"):
        assert item_id in kept
    # Changed or moved questions have new ids in 1.1: never carried.
    for item_id in (
        "wg14_f_focal_point",  # asked once, under II(u)
        "wg15_j_serious_crime",  # now a penalty band per offence
        "wg15_o_training",  # "in 2024" is now "during the reporting period"
        "wg15_b_victims",  # split into three groups
        "wg15_q_shared_sherloc",  # moved to II(r)
        "wg14_i_assessment_date",  # now a year
        "wg14_a_amount_usd",  # no longer asked
    ):
        assert item_id not in kept
        assert item_id not in {it.id for it in new.items()}
    assert set(kept) | set(dropped) == {k for k, v in answers.items() if v is not None}


def test_an_answer_its_new_condition_rules_out_is_not_carried() -> None:
    # 1.0 asked II(u).3 whatever the focal point; 1.1 asks the status only
    # where there is none, so a "yes" rules the carried status out.
    new = load_questionnaire("ctoc_wgta", "1.1")
    kept, dropped = carry_over({"wg15_u_focal_point": "yes", "wg15_u_status": "fully"}, new)
    assert kept == {"wg15_u_focal_point": "yes"}
    assert dropped == ["wg15_u_status"]
    kept, _ = carry_over({"wg15_u_focal_point": "no", "wg15_u_status": "planned"}, new)
    assert kept == {"wg15_u_focal_point": "no", "wg15_u_status": "planned"}


def test_a_1_1_round_prefilled_from_a_1_0_return_parses_without_errors(tmp_path: Path) -> None:
    old = load_questionnaire("ctoc_wgta", "1.0")
    new = load_questionnaire("ctoc_wgta", "1.1")
    answers = full_return(old, "es").expected
    returned = tmp_path / "returns" / "mx.xlsx"
    returned.parent.mkdir()
    with returned.open("wb") as out:
        write_xlsx(old, form_meta(old, "es", "MX"), out, prefill=answers)
    with Store(tmp_path / "s.sqlite") as store:
        ingested = ingest_paths(store, [returned.parent], workers=0)
        assert [f.result for f in ingested.files] == ["accepted"]
        result = issue_round(
            store,
            new,
            load_parties().select(["MX"]),
            tmp_path / "round",
            formats=["xlsx", "docx"],
            prefill=True,
        )
    assert result.prefilled == ["MX"]
    kept, dropped = carry_over(answers, new)
    assert any("do not fit" in w for w in result.warnings)
    assert dropped
    for form in result.forms:
        parsed = parse_form(form.path)
        assert parsed.form.version == "1.1"
        assert parsed.errors == []
        assert {k: v for k, v in parsed.answers.items() if v is not None} == kept


def test_carry_over_uses_the_parsers_rule_for_what_fits() -> None:
    """Prefill and parsing agree: what the parser would never return is not carried."""
    q = load_questionnaire()
    kept, dropped = carry_over(
        {"reply_date": "20250314", "wg15_x_commitment_years": float("nan"), "wg14_c_ta_kinds": []},
        q,
    )
    assert kept == {}
    assert sorted(dropped) == ["reply_date", "wg14_c_ta_kinds", "wg15_x_commitment_years"]


def test_a_round_prints_and_records_its_period_which_replaces_a_carried_answer(
    tmp_path: Path,
) -> None:
    q = load_questionnaire("ctoc_wgta", "1.1")
    returned = tmp_path / "returns" / "sn.xlsx"
    returned.parent.mkdir()
    with returned.open("wb") as out:
        write_xlsx(q, form_meta(q, "fr", "SN"), out, prefill={PERIOD_ITEM: "2023"})
    period = Period(start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31))
    contact = SecretariatContact.model_validate({"name": "Office", "email": "wg@example.org"})
    with Store(tmp_path / "s.sqlite") as store:
        assert [f.result for f in ingest_paths(store, [returned.parent], workers=0).files] == [
            "accepted"
        ]
        result = issue_round(
            store,
            q,
            load_parties().select(["SN"]),
            tmp_path / "round",
            formats=["xlsx", "docx"],
            period=period,
            contact=contact,
            prefill=True,
            workers=0,
        )
        assert store.rounds()[-1].period == period
    assert result.prefilled == ["SN"]
    for form in result.forms:
        parsed = parse_form(form.path)
        assert parsed.form.period == period
        assert parsed.answers[PERIOD_ITEM] == "du 1er janvier 2025 au 31 décembre 2026"


def test_a_strict_round_checks_each_language_once_before_writing_anything(
    tmp_path: Path,
) -> None:
    """An untranslated definition: the round is refused before any form exists."""
    q = definition()
    parties = load_parties().select(["MX", "FR", "SN"])
    with Store(tmp_path / "s.sqlite") as store:
        with pytest.raises(UsageError, match="translation"):
            issue_round(store, q, parties, tmp_path / "forms", formats=["xlsx"], strict=True)
        assert not (tmp_path / "forms").exists()
        assert store.rounds() == []
