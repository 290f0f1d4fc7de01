"""The problem catalogue: stable codes, every message translated, in the return's language."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path
from typing import get_args

import pytest

from selfassess.constants import LANGUAGES, SOURCE_LANGUAGE
from selfassess.forms.parse import parse_form
from selfassess.forms.xlsx_writer import slot_name
from selfassess.i18n.localizer import Localizer
from selfassess.problems import CATALOGUE, Finding, ProblemCode
from selfassess.response.stored import UNCLASSIFIED
from tests.forms.xlsx_fill import apply, generate

#: Codes whose message is not ours to translate.
UNTRANSLATED = {UNCLASSIFIED}
TRANSLATED = [c for c in get_args(ProblemCode) if c not in UNTRANSLATED]


def sample(code: ProblemCode) -> Finding:
    """The code's finding with a value for every field of its message."""
    fields = {f for _, f, _, _ in string.Formatter().parse(CATALOGUE[code].template) if f}
    return Finding(code, params={f: f"<{f}>" for f in fields})


def shaped_as(message: str, code: ProblemCode, lang: str) -> bool:
    """Whether ``message`` is the code's template in ``lang``, whatever its values."""
    template = Localizer(lang).gettext(CATALOGUE[code].template)
    pattern = "".join(
        re.escape(text) + ("(.*)" if field is not None else "")
        for text, field, _, _ in string.Formatter().parse(template)
    )
    return re.fullmatch(pattern, message, re.DOTALL) is not None


def test_every_code_is_catalogued_once_and_is_snake_case() -> None:
    assert tuple(CATALOGUE) == get_args(ProblemCode)
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", code) for code in CATALOGUE)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: ProblemCode, lang: str) -> None:
    loc = Localizer(lang)
    problem = sample(code).render(loc)
    assert loc.missing == set(), f"{code} has no {lang} translation"
    assert problem.message != sample(code).render(Localizer(SOURCE_LANGUAGE)).message
    assert (problem.code, problem.severity) == (code, CATALOGUE[code].severity)
    # Every value the English message shows, the translation shows too.
    assert all(f"<{f}>" in problem.message for f in sample(code).params)


def test_a_french_return_gets_french_problems() -> None:
    """The three most common problems used to reach French returns in English."""
    data = apply(
        generate("fr"),
        {
            slot_name("wg15_j_status"): "Peut-être",
            slot_name("wg15_x_commitment_years"): "douze",
            slot_name("reply_date"): "hier",
            slot_name("wg14_c_ta_kinds", "training"): "oui oui",
        },
    )
    result = parse_form(io.BytesIO(data))
    by_code = {p.code: p for p in result.problems}
    for code in ("not_a_choice", "not_a_number", "not_a_date", "not_a_tick", "required_missing"):
        assert shaped_as(by_code[code].message, code, "fr"), by_code[code]
        assert not shaped_as(by_code[code].message, code, "en"), by_code[code]


def test_the_caller_may_ask_for_another_language() -> None:
    data = apply(generate("fr"), {slot_name("wg15_x_commitment_years"): "douze"})
    result = parse_form(io.BytesIO(data), ui=Localizer("en"))
    (problem,) = [p for p in result.errors if p.code == "not_a_number"]
    assert problem.message.startswith("'douze' is not a number")


def test_the_contract_lists_every_code_with_its_severity() -> None:
    text = (Path(__file__).parent.parent / "docs" / "contracts.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([a-z ]+) \|", text, re.MULTILINE))
    assert rows == {
        code: "as it was" if code in UNTRANSLATED else spec.severity
        for code, spec in CATALOGUE.items()
    }
