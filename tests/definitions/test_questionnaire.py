"""Questionnaire definitions: the default one, and every validation rule.

Broken definitions are written inline as small YAML documents; each test
checks that the problem is reported at the right line with a helpful message.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.questionnaire import available, load_path, load_questionnaire
from selfassess.errors import DefinitionError, UnknownQuestionnaire

BASE = """\
id: tiny
version: "1.0"
title: Tiny
catalogue: ctoc_wgta
published: 2025-01-15
choice_lists:
  - id: status
    scored: true
    choices:
      - {code: fully, label: Fully implemented, score: 1.0}
      - {code: not_applicable, label: Not applicable, score: null}
  - id: yes_no
    choices:
      - {code: "yes", label: "Yes"}
      - {code: "no", label: "No"}
templates:
  status:
    - {id: status, type: choice, choices: status, required: true, role: status,
       prompt: "Status?"}
sections:
  - id: fraud
    title: Fraud
    recommendations:
      - recommendation: wg15_j
        items:
          - use: status
          - {id: serious, type: choice, choices: yes_no, prompt: "Serious?"}
          - {id: since, type: date, prompt: "Since when?",
             condition: {item: serious, equals: "yes"}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_path(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_base_is_valid_and_expanded(tmp_path: Path) -> None:
    q = load_path(write(tmp_path, BASE))
    assert [i.id for i in q.items()] == ["wg15_j_status", "wg15_j_serious", "wg15_j_since"]
    assert [i.ref for i in q.items()] == ["II(j).1", "II(j).2", "II(j).3"]
    condition = q.item("wg15_j_since").condition
    assert condition is not None
    assert condition.item == "wg15_j_serious"
    assert q.item("wg15_j_status").recommendation == "wg15_j"


CASES = {
    # id: (text in BASE, replacement, expected message)
    "unknown-recommendation": (
        "recommendation: wg15_j",
        "recommendation: wg99_z",
        "unknown recommendation 'wg99_z'",
    ),
    "unknown-template": ("- use: status", "- use: statuz", "unknown template 'statuz'"),
    "unknown-choice-list": (
        "choices: yes_no, prompt",
        "choices: yesno, prompt",
        "unknown choice list 'yesno'",
    ),
    "bad-id": ("id: serious,", "id: Serious,", "'wg15_j_Serious' is not a valid id"),
    "score-range": ("score: 1.0}", "score: 1.5}", "score 1.5 is outside [0, 1]"),
    "condition-unknown-item": (
        "{item: serious,",
        "{item: nothing,",
        "condition on unknown item 'wg15_j_nothing'",
    ),
    "condition-impossible": ('equals: "yes"}', 'equals: "maybe"}', "impossible condition: 'maybe'"),
    "unknown-key": ('"Serious?"}', '"Serious?", colour: red}', "unknown key 'colour'"),
    "bad-type": ("type: date,", "type: datum,", "'datum' is not allowed here"),
    # A misspelt role used to validate and silently switch off assistance needs.
    "bad-role": ("role: status,", "role: ta_neded,", "'ta_neded' is not allowed here"),
    "duplicate-choice": (
        '{code: "no", label: "No"}',
        '{code: "yes", label: "Non"}',
        "duplicate choice code 'yes'",
    ),
    "duplicate-label": (
        '{code: "no", label: "No"}',
        '{code: "no", label: " YES "}',
        "duplicate label",
    ),
    "former-label-clash": (
        '{code: "no", label: "No"}',
        '{code: "no", label: "No", former_labels: [" yes"]}',
        "former label ' yes' is a label of",
    ),
    "duplicate-item": ("id: since,", "id: serious,", "duplicate item id 'wg15_j_serious'"),
    "yaml-syntax": ("catalogue: ctoc_wgta", "catalogue: ctoc_wgta: x", "YAML syntax"),
    "missing-field": (
        "    title: Fraud\n",
        "    titel: Fraud\n",
        "the required key 'title' is missing",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_located_problem(tmp_path: Path, case: str) -> None:
    old, new, expected = CASES[case]
    assert old in BASE
    mutated = BASE.replace(old, new, 1)
    line = mutated[: mutated.rindex(new)].count("\n") + 1
    found = problems_of(tmp_path, mutated)
    matching = [p for p in found if expected in p]
    assert matching, found
    # The missing key is reported at its mapping, one line above the misspelt key.
    lines = {line - 1} if case == "missing-field" else {line}
    assert any(f"q.yaml:{n}:" in p for p in matching for n in lines), matching


def test_labels_that_differ_only_by_an_apostrophe_are_duplicates(tmp_path: Path) -> None:
    """The definition check folds labels as the readers do (Word types ’ for ')."""
    text = BASE.replace('label: "Yes"}', 'label: "l\u2019avis"}').replace(
        'label: "No"}', 'label: "L\'AVIS"}'
    )
    assert any("duplicate label" in p for p in problems_of(tmp_path, text))


def test_score_on_unscored_list(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        BASE.replace('{code: "yes", label: "Yes"}', '{code: "yes", label: "Yes", score: 1}'),
    )
    assert any("'yes_no' is not scored" in p for p in found), found


def test_condition_on_wrong_type(tmp_path: Path) -> None:
    found = problems_of(tmp_path, BASE.replace('equals: "yes"', 'includes: "yes"'))
    assert any("'includes' needs a multichoice item" in p for p in found), found


def test_recommendation_asked_twice(tmp_path: Path) -> None:
    doubled = BASE + "      - recommendation: wg15_j\n        items: []\n"
    found = problems_of(tmp_path, doubled)
    assert any("asked twice" in p for p in found), found


def test_yes_and_no_stay_strings(tmp_path: Path) -> None:
    # YAML 1.1 would read unquoted yes/no as booleans; codes must stay codes.
    q = load_path(write(tmp_path, BASE.replace('"yes"', "yes").replace('"no"', "no")))
    assert q.choice_list("yes_no").codes() == ("yes", "no")


# --- the shipped questionnaire ---------------------------------------------


def test_default_questionnaire_covers_the_whole_catalogue() -> None:
    q = load_questionnaire()
    asked = {e.recommendation for _, e in q.entries()}
    assert asked == {r.id for r in load_catalogue().recommendations}


def test_unscored_entries_say_why_and_have_no_status() -> None:
    q = load_questionnaire()
    catalogue = load_catalogue()
    for _, entry in q.entries():
        addressee = catalogue.get(entry.recommendation).addressee
        if addressee == "unodc":
            assert not entry.scored, entry.recommendation
        if not entry.scored:
            assert entry.note, entry.recommendation
            assert all(q.choice_list(i.choices).scored is False for i in entry.items if i.choices)


def test_every_party_entry_has_status_and_assistance_block() -> None:
    q = load_questionnaire()
    for _, entry in q.entries():
        roles = [i.role for i in entry.items]
        if entry.scored:
            assert roles.count("status") == 1, entry.recommendation
            for role in ("measures", "ta_needed", "ta_kinds", "ta_priority", "challenges"):
                assert role in roles, (entry.recommendation, role)


def test_status_scale_is_the_design_scale() -> None:
    scale = {c.code: c.score for c in load_questionnaire().choice_list("status").choices}
    assert scale == {
        "fully": 1.0,
        "largely": 0.75,
        "partially": 0.5,
        "planned": 0.25,
        "not_implemented": 0.0,
        "not_applicable": None,
        "not_known": None,
    }


def test_cover_asks_for_respondent_and_reply_date() -> None:
    q = load_questionnaire()
    ids = {i.id for i in q.sections[0].items}
    assert {"respondent_name", "respondent_institution", "respondent_email", "reply_date"} <= ids


def test_unknown_questionnaire_and_version() -> None:
    with pytest.raises(UnknownQuestionnaire, match="known: ctoc_wgta"):
        load_questionnaire("nope")
    with pytest.raises(UnknownQuestionnaire, match=r"no version '9\.9'"):
        load_questionnaire("ctoc_wgta", "9.9")
    assert ("ctoc_wgta", "1.0") in available()
