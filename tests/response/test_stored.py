"""Reading a stored response JSON: what parse --json and merge write, old and new."""

from __future__ import annotations

import json

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected
from selfassess.response.stored import check_answers, read_response_json
from selfassess.scoring import response_with

Q = load_questionnaire()


def stored(**changes: object) -> bytes:
    return json.dumps(response_with(Q, {"wg14_c_status": "fully"}).to_json() | changes).encode()


def test_merge_output_is_a_response() -> None:
    merged = stored(merge={"sources": ["a.xlsx", "b.docx"], "conflicts": [], "answered_by": {}})
    assert read_response_json(merged).answers["wg14_c_status"] == "fully"


def test_problems_without_a_known_code_are_kept_as_unclassified() -> None:
    data = stored(
        problems=[
            {"severity": "warning", "item": None, "location": None, "message": "old"},
            {"severity": "error", "code": "from_a_later_version", "message": "new"},
        ]
    )
    assert [(p.code, p.severity, p.message) for p in read_response_json(data).problems] == [
        ("unclassified", "warning", "old"),
        ("unclassified", "error", "new"),
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"[]", b"\xff", b"[" * 100_000, stored(extra=1), stored(form={"language": "fr"})],
)
def test_anything_else_is_a_one_line_rejection(data: bytes) -> None:
    with pytest.raises(Rejected) as caught:
        read_response_json(data)
    assert "\n" not in str(caught.value)


def test_answers_must_fit_the_questionnaire() -> None:
    result = read_response_json(stored())
    check_answers(result, Q)
    bad = result.model_copy(update={"answers": result.answers | {"wg14_c_status": "x" * 10_000}})
    with pytest.raises(Rejected) as caught:
        check_answers(bad, Q)
    assert len(str(caught.value)) < 300


def test_a_period_in_a_response_is_read_and_a_reversed_one_refused() -> None:
    form = response_with(Q, {}).to_json()["form"]
    good = stored(form=form | {"period": {"start": "2025-01-01", "end": "2026-12-31"}})
    period = read_response_json(good).form.period
    assert period is not None
    assert str(period) == "2025-01-01/2026-12-31"
    bad = stored(form=form | {"period": {"start": "2026-12-31", "end": "2025-01-01"}})
    with pytest.raises(Rejected, match=r"form\.period.*after it ends"):
        read_response_json(bad)
