"""The simulated respondent: valid answers that a filled form gives back."""

from __future__ import annotations

import io
import random

import pytest

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.parse import parse_form
from selfassess.forms.respondent import complete_answers, fill_xlsx, random_answers
from selfassess.response.interpret import answer_fits, applies
from tests.forms.docx_fill import blank_form, fill_answers
from tests.forms.xlsx_fill import generate

Q = load_questionnaire()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_answers_fit_and_respect_the_conditions(seed: int) -> None:
    for answers in (random_answers(Q, random.Random(seed)), complete_answers(Q)):
        assert set(answers) == {it.id for it in Q.items()}
        for item in Q.items():
            given = answers[item.id]
            if given is not None:
                assert answer_fits(item, given, Q), item.id
                assert applies(item, answers) is True, item.id


def test_complete_answers_answer_every_item_that_applies() -> None:
    answers = complete_answers(Q)
    assert all(answers[it.id] is not None for it in Q.items() if applies(it, answers))


@pytest.mark.parametrize(("fmt", "lang"), [("xlsx", "fr"), ("docx", "ar")])
def test_a_filled_form_gives_the_answers_back(fmt: str, lang: str) -> None:
    answers = random_answers(Q, random.Random(7))
    if fmt == "xlsx":
        data = fill_xlsx(generate(lang, "MX"), answers, Q, lang)
    else:
        data = fill_answers(blank_form(lang), answers, Q, lang)
    result = parse_form(io.BytesIO(data))
    assert result.errors == []
    assert result.answers == answers
