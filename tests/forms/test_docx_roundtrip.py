"""Round trips: fill a generated Word form as Word does, parse it, get exactly the answers."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.constants import LANGUAGES
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.parse import parse_form
from selfassess.response.values import clean_text
from tests.forms.docx_fill import blank_form, fill, form_meta, full_return

Q = load_questionnaire()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_answer_type_comes_back_exactly(lang: str) -> None:
    filled = full_return(Q, lang)
    result = parse_form(io.BytesIO(fill(blank_form(lang), filled.actions, lang)))
    assert result.errors == []
    assert result.answers == filled.expected
    assert result.form.language == lang
    assert result.form.country == "MX"
    assert result.form.format == "docx"
    assert result.locations[Q.items()[0].id] == f"tag {Q.items()[0].id}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_untouched_form_is_unanswered(lang: str) -> None:
    result = parse_form(io.BytesIO(blank_form(lang)))
    assert result.errors == []
    assert set(result.answers.values()) == {None}
    required = {i.id for i in Q.items() if i.required and i.condition is None}
    warned = {p.item for p in result.warnings}
    assert required <= warned


@pytest.mark.parametrize("lang", LANGUAGES)
def test_prefilled_form_parses_to_the_prefill(lang: str) -> None:
    prefill = full_return(Q, lang).expected
    out = io.BytesIO()
    write_docx(Q, form_meta(Q, lang), out, prefill=prefill)
    result = parse_form(io.BytesIO(out.getvalue()))
    assert result.errors == []
    assert result.answers == prefill


# XML 1.0 cannot hold control characters or surrogates; Word types neither.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), whitelist_characters="\n\t"),
    max_size=80,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lang=st.sampled_from(LANGUAGES), texts=st.lists(_TEXT, min_size=3, max_size=3))
def test_any_typed_text_comes_back(lang: str, texts: list[str]) -> None:
    tags = ["respondent_name", "respondent_institution", "other_institutions"]
    actions = dict(zip(tags, texts, strict=True))
    result = parse_form(io.BytesIO(fill(blank_form(lang), actions, lang)))
    for tag, text in actions.items():
        assert result.answers[tag] == (clean_text(text) or None)


@pytest.mark.parametrize("lang", ["ar", "en", "zh"])
def test_a_form_of_the_previous_version_still_parses(lang: str) -> None:
    """Forms stay readable: a 1.0 form filled after 1.1 was published reads as 1.0."""
    old = load_questionnaire("ctoc_wgta", "1.0")
    out = io.BytesIO()
    write_docx(old, form_meta(old, lang), out)
    filled = full_return(old, lang)
    result = parse_form(io.BytesIO(fill(out.getvalue(), filled.actions, lang)))
    assert result.form.version == "1.0"
    assert result.errors == []
    assert result.answers == filled.expected
