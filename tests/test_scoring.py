"""The default scoring, against values computed by hand.

The questionnaire below is small enough to score on paper:

- section ``one``: I(c) (entry weight 2) has two scored items, the status
  (item weight 1) and ``legal`` (item weight 3), a measures item, a required
  yes/no question and the assistance block; I(f) (weight 1) has a status and
  the assistance block;
- section ``two``: I(h) has a status only; I(a) is a request for contributions
  (``scored: false``) whose required item uses the scored list on purpose, to
  show it never counts.

Four scored items in all: I(c) status and legal, I(f) status, I(h) status.
"""

from __future__ import annotations

import doctest
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import selfassess.scoring
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_path
from selfassess.errors import Rejected
from selfassess.response.interpret import Answer
from selfassess.scoring import Figures, response_with, score

DEFINITION = """\
id: demo
version: "1"
title: Demo
catalogue: ctoc_wgta
published: 2025-01-15
choice_lists:
  - id: status
    scored: true
    choices:
      - {code: fully, label: Fully implemented, score: 1.0}
      - {code: largely, label: Largely implemented, score: 0.75}
      - {code: partially, label: Partially implemented, score: 0.5}
      - {code: not_implemented, label: Not implemented, score: 0.0}
      - {code: not_applicable, label: Not applicable, score: null}
      - {code: not_known, label: Not known, score: null}
  - id: yes_no
    choices:
      - {code: "yes", label: "Yes"}
      - {code: "no", label: "No"}
  - id: ta_kinds
    choices:
      - {code: legal_advice, label: Legal advice and legislative drafting}
      - {code: model_legislation, label: Model legislation and legal guides}
      - {code: training, label: Training}
      - {code: other, label: Other}
  - id: priority
    choices:
      - {code: high, label: High}
      - {code: medium, label: Medium}
      - {code: low, label: Low}
templates:
  status:
    - {id: status, type: choice, choices: status, required: true, role: status,
       prompt: "Status?"}
  ta:
    - {id: ta_needed, type: choice, choices: yes_no, required: true, role: ta_needed,
       prompt: "Assistance needed?"}
    - {id: ta_kinds, type: multichoice, choices: ta_kinds, role: ta_kinds,
       condition: {item: ta_needed, equals: "yes"}, prompt: "Kinds?"}
    - {id: ta_other, type: text, role: ta_other,
       condition: {item: ta_kinds, includes: other}, prompt: "Other?"}
    - {id: ta_priority, type: choice, choices: priority, role: ta_priority,
       condition: {item: ta_needed, equals: "yes"}, prompt: "Priority?"}
sections:
  - id: respondent
    title: Respondent
    items:
      - {id: reply_date, type: date, required: true, prompt: "Date of the reply"}
  - id: one
    title: One
    recommendations:
      - recommendation: wg14_c
        weight: 2
        items:
          - use: status
          - {id: legal, type: choice, choices: status, weight: 3, prompt: "Legal framework?"}
          - {id: measures, type: text, role: measures, prompt: "Measures?"}
          - {id: exists, type: choice, choices: yes_no, required: true, prompt: "Exists?"}
          - {id: optional, type: choice, choices: yes_no, prompt: "Optional fact?"}
          - use: ta
      - recommendation: wg14_f
        items:
          - use: status
          - use: ta
  - id: two
    title: Two
    recommendations:
      - recommendation: wg14_h
        items:
          - use: status
      - recommendation: wg14_a
        scored: false
        items:
          - {id: contribution, type: choice, choices: status, required: true,
             prompt: "Contribution?"}
"""


@pytest.fixture(scope="module")
def q(tmp_path_factory: pytest.TempPathFactory) -> Questionnaire:
    path = tmp_path_factory.mktemp("q") / "demo.yaml"
    path.write_text(textwrap.dedent(DEFINITION), encoding="utf-8")
    return load_path(path)


#: A complete, consistent reply: nothing to flag.
CLEAN: dict[str, Answer] = {
    "reply_date": "2025-03-01",
    "wg14_c_status": "largely",
    "wg14_c_legal": "partially",
    "wg14_c_measures": "Act 12 of 2020",
    "wg14_c_exists": "yes",
    "wg14_c_ta_needed": "no",
    "wg14_f_status": "fully",
    "wg14_f_ta_needed": "no",
    "wg14_h_status": "not_implemented",
    "wg14_a_contribution": "not_implemented",
}


def run(q: Questionnaire, **changes: Answer) -> dict[str, Any]:
    return score(response_with(q, CLEAN | changes), q).to_json()


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(selfassess.scoring).failed == 0


def test_mixed_weights(q: Questionnaire) -> None:
    s = run(q)
    # I(c): (1 x 0.75 + 3 x 0.5) / 4; I(f): 1.0; I(h): 0.0.
    assert s["recommendations"]["wg14_c"] == {
        "implementation": 0.5625,
        "gap": 0.4375,
        "status": "largely",
    }
    assert s["recommendations"]["wg14_f"]["implementation"] == 1.0
    assert s["recommendations"]["wg14_h"] == {
        "implementation": 0.0,
        "gap": 1.0,
        "status": "not_implemented",
    }
    # Section one: (2 x 0.5625 + 1 x 1.0) / 3; section two: I(h) alone.
    assert s["sections"]["one"]["implementation"] == pytest.approx(2.125 / 3)
    assert s["sections"]["two"] == {"implementation": 0.0, "gap": 1.0, "coverage": 1.0}
    # Overall over the three recommendations, not the two sections: 2.125 / 4.
    assert s["overall"] == {"implementation": 0.53125, "gap": 0.46875, "coverage": 1.0}
    assert s["flags"] == []


def test_empty_form(q: Questionnaire) -> None:
    s = score(response_with(q, {}), q).to_json()
    assert s["overall"] == {"implementation": None, "gap": None, "coverage": 0.0}
    assert s["sections"] == {
        "one": {"implementation": None, "gap": None, "coverage": 0.0},
        "two": {"implementation": None, "gap": None, "coverage": 0.0},
    }
    assert s["recommendations"]["wg14_c"] == {"implementation": None, "gap": None, "status": None}
    assert s["ta_needs"] == []
    assert [(f["item"], f["code"]) for f in s["flags"]] == [
        ("reply_date", "required_missing"),
        ("wg14_c_status", "required_missing"),
        ("wg14_c_exists", "required_missing"),
        ("wg14_c_ta_needed", "required_missing"),
        ("wg14_f_status", "required_missing"),
        ("wg14_f_ta_needed", "required_missing"),
        ("wg14_h_status", "required_missing"),
        ("wg14_a_contribution", "required_missing"),
    ]


def test_all_not_applicable(q: Questionnaire) -> None:
    na = "not_applicable"
    s = run(q, wg14_c_status=na, wg14_c_legal=na, wg14_f_status=na, wg14_h_status=na)
    assert s["overall"] == {"implementation": None, "gap": None, "coverage": 1.0}
    assert all(sec["implementation"] is None for sec in s["sections"].values())
    assert s["recommendations"]["wg14_f"] == {"implementation": None, "gap": None, "status": na}


def test_coverage_counts_not_known_as_answered(q: Questionnaire) -> None:
    s = run(
        q,
        wg14_c_status="not_known",
        wg14_c_legal=None,
        wg14_f_status="partially",
        wg14_h_status=None,
    )
    # Answered: I(c) status (not known) and I(f) status, of four scored items.
    assert s["overall"] == {"implementation": 0.5, "gap": 0.5, "coverage": 0.5}
    # Section one has three of them, two answered.
    assert s["sections"]["one"] == {"implementation": 0.5, "gap": 0.5, "coverage": 2 / 3}
    assert s["sections"]["two"]["coverage"] == 0.0
    assert s["recommendations"]["wg14_c"]["implementation"] is None


@pytest.mark.parametrize("answer", ["fully", "not_implemented", None])
def test_unscored_entries_never_count(q: Questionnaire, answer: Answer) -> None:
    s = run(q, wg14_a_contribution=answer)
    assert "wg14_a" not in s["recommendations"]
    assert s["sections"]["two"] == {"implementation": 0.0, "gap": 1.0, "coverage": 1.0}
    assert s["overall"]["coverage"] == 1.0


def test_a_section_of_unscored_entries_only_is_left_out(tmp_path: Path) -> None:
    text = DEFINITION.replace(
        "      - recommendation: wg14_h\n        items:\n          - use: status\n", ""
    )
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    q2 = load_path(path)
    assert set(score(response_with(q2, {}), q2).sections) == {"one"}


def test_a_status_its_condition_rules_out_counts_nowhere(tmp_path: Path) -> None:
    # As II(u) in 1.1: the status is asked only where the thing is not yet done.
    path = tmp_path / "q.yaml"
    path.write_text(
        DEFINITION.replace(
            "      - recommendation: wg14_h\n        items:\n          - use: status\n",
            "      - recommendation: wg14_h\n        items:\n"
            "          - {id: done, type: choice, choices: yes_no, prompt: 'Done?'}\n"
            "          - {id: status, type: choice, choices: status, required: true,\n"
            "             role: status, condition: {item: done, equals: 'no'},\n"
            "             prompt: 'Status?'}\n",
        ),
        encoding="utf-8",
    )
    qc = load_path(path)
    done = score(response_with(qc, CLEAN | {"wg14_h_status": None, "wg14_h_done": "yes"}), qc)
    assert done.sections["two"] == Figures(implementation=None, gap=None, coverage=None)
    assert done.overall.coverage == 1.0
    assert done.flags == []
    # Not done: the status is asked, and its absence counts.
    not_done = score(response_with(qc, CLEAN | {"wg14_h_status": None, "wg14_h_done": "no"}), qc)
    assert not_done.sections["two"].coverage == 0.0
    assert [f.code for f in not_done.flags] == ["required_missing"]


def test_weight_zero_counts_for_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(DEFINITION.replace("weight: 2", "weight: 0"), encoding="utf-8")
    q0 = load_path(path)
    s = score(response_with(q0, CLEAN), q0)
    # I(c) weighs nothing: (1 x 1.0 + 1 x 0.0) / 2 over I(f) and I(h).
    assert s.overall == Figures(implementation=0.5, gap=0.5, coverage=1.0)
    assert s.sections["one"].implementation == 1.0


# --- assistance needs --------------------------------------------------------


def test_ta_needs_high_priority_first_ties_in_questionnaire_order(q: Questionnaire) -> None:
    s = run(
        q,
        wg14_c_ta_needed="yes",
        wg14_c_ta_kinds=["other", "training"],
        wg14_c_ta_other="Translators",
        wg14_c_ta_priority="low",
        wg14_f_ta_needed="yes",
        wg14_f_ta_priority="high",
    )
    assert s["ta_needs"] == [
        {"recommendation": "wg14_f", "kinds": [], "other": None, "priority": "high"},
        # Kinds in definition order, whatever order the JSON gave.
        {
            "recommendation": "wg14_c",
            "kinds": ["training", "other"],
            "other": "Translators",
            "priority": "low",
        },
    ]


def test_ta_needs_without_priority_come_last(q: Questionnaire) -> None:
    s = run(q, wg14_c_ta_needed="yes", wg14_f_ta_needed="yes", wg14_f_ta_priority="low")
    assert [(n["recommendation"], n["priority"]) for n in s["ta_needs"]] == [
        ("wg14_f", "low"),
        ("wg14_c", None),
    ]


def test_ta_kinds_given_without_saying_yes_still_count(q: Questionnaire) -> None:
    s = run(q, wg14_c_ta_needed=None, wg14_c_ta_kinds=["training"])
    assert [n["recommendation"] for n in s["ta_needs"]] == ["wg14_c"]
    s = run(q, wg14_c_ta_needed="no")
    assert s["ta_needs"] == []


# --- flags, one by one -------------------------------------------------------


def flags(s: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(f["item"], f["recommendation"], f["code"]) for f in s["flags"]]


FULLY = {"wg14_c_status": "fully"}


def test_fully_but_legislative_drafting(q: Questionnaire) -> None:
    for kind in ("legal_advice", "model_legislation"):
        s = run(q, **FULLY, wg14_c_ta_needed="yes", wg14_c_ta_kinds=[kind])
        assert flags(s) == [("wg14_c_ta_kinds", "wg14_c", "fully_but_drafting")]
        assert kind in s["flags"][0]["message"]
    # Training alone is no contradiction; nor is drafting for a partial status.
    assert run(q, **FULLY, wg14_c_ta_needed="yes", wg14_c_ta_kinds=["training"])["flags"] == []
    assert run(q, wg14_c_ta_needed="yes", wg14_c_ta_kinds=["legal_advice"])["flags"] == []


def test_fully_without_measures(q: Questionnaire) -> None:
    s = run(q, **FULLY, wg14_c_measures=None)
    assert flags(s) == [("wg14_c_measures", "wg14_c", "fully_no_measures")]
    # I(f) is fully implemented in CLEAN too, but has no measures item to leave empty.
    assert run(q, wg14_c_measures=None)["flags"] == []


def test_fully_but_a_required_fact_says_no(q: Questionnaire) -> None:
    s = run(q, **FULLY, wg14_c_exists="no")
    assert flags(s) == [("wg14_c_exists", "wg14_c", "fully_but_no")]
    assert "I(c).4" in s["flags"][0]["message"]
    # "No" to an optional question, or to a required one under a partial status: no flag.
    assert run(q, **FULLY, wg14_c_optional="no")["flags"] == []
    assert run(q, wg14_c_exists="no")["flags"] == []


def test_required_answer_missing(q: Questionnaire) -> None:
    s = run(q, wg14_c_exists=None)
    assert flags(s) == [("wg14_c_exists", "wg14_c", "required_missing")]
    assert flags(run(q, reply_date=None)) == [("reply_date", None, "required_missing")]


def test_required_answer_ruled_out_by_its_condition_is_not_missing(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        DEFINITION.replace(
            'condition: {item: ta_needed, equals: "yes"}, prompt: "Priority?"',
            'condition: {item: ta_needed, equals: "yes"}, prompt: "Priority?", required: true',
        ),
        encoding="utf-8",
    )
    q2 = load_path(path)
    assert score(response_with(q2, CLEAN), q2).flags == []
    s = score(response_with(q2, CLEAN | {"wg14_c_ta_needed": "yes"}), q2)
    assert [(f.item, f.code) for f in s.flags] == [("wg14_c_ta_priority", "required_missing")]


def test_flag_messages_follow_the_ui_language(q: Questionnaire) -> None:
    from selfassess.i18n.localizer import Localizer  # noqa: PLC0415 (only this test needs it)

    ui = Localizer("fr")
    s = score(response_with(q, CLEAN | {"wg14_c_exists": None}), q, ui)
    assert s.flags[0].message
    # Untranslated strings fall back to English and are recorded, never lost.
    assert all(m[0] == "selfassess" for m in ui.missing)


# --- answers that do not fit ---------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("wg14_c_status", "mostly"),
        ("wg14_c_status", 1),
        ("wg14_c_ta_kinds", ["training", "cake"]),
        ("wg14_c_ta_kinds", []),
        ("reply_date", "31/03/2025"),
        ("reply_date", "20250331"),
        ("reply_date", "2025-02-30"),
        ("wg14_c_measures", 12),
    ],
)
def test_answers_that_do_not_fit_are_rejected(q: Questionnaire, item: str, value: Any) -> None:
    result = response_with(q, CLEAN).model_copy(
        update={"answers": response_with(q, CLEAN).answers | {item: value}}
    )
    with pytest.raises(Rejected, match=item):
        score(result, q)


def test_unknown_items_and_other_questionnaires_are_rejected(q: Questionnaire) -> None:
    result = response_with(q, CLEAN)
    with pytest.raises(Rejected, match="unknown item 'nope'"):
        score(result.model_copy(update={"answers": result.answers | {"nope": "x"}}), q)
    other = result.model_copy(update={"form": result.form.model_copy(update={"version": "2"})})
    with pytest.raises(Rejected, match="demo 2, not demo 1"):
        score(other, q)


def test_missing_answer_keys_count_as_unanswered(q: Questionnaire) -> None:
    result = response_with(q, CLEAN)
    partial = result.model_copy(update={"answers": {"wg14_c_status": "fully"}})
    s = score(partial, q)
    assert s.recommendations["wg14_c"].implementation == 1.0
    assert s.overall.coverage == 0.25


STATUS_CODES = ["fully", "largely", "partially", "not_implemented", "not_applicable", "not_known"]


@settings(max_examples=60, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            k: st.none() | st.sampled_from(STATUS_CODES)
            for k in ("wg14_c_status", "wg14_c_legal", "wg14_f_status", "wg14_h_status")
        }
    )
)
def test_figures_stay_in_range(q: Questionnaire, answers: dict[str, Answer]) -> None:
    s = score(response_with(q, answers), q)
    for fig in [s.overall, *s.sections.values()]:
        assert fig.coverage is not None
        assert 0 <= fig.coverage <= 1
        if fig.implementation is None:
            assert fig.gap is None
        else:
            assert 0 <= fig.implementation <= 1
            assert fig.gap == pytest.approx(1 - fig.implementation)


def test_scoring_does_not_import_the_parse_stack() -> None:
    """Scoring works on responses, whatever they were read from."""
    code = "import sys, selfassess.scoring; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "selfassess.forms" not in loaded
    assert "selfassess.safety.package" not in loaded
