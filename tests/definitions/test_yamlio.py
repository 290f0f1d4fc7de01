"""YAML loading: libyaml's speed, the pure loader's data and line maps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from selfassess.constants import DEFAULT_QUESTIONNAIRE
from selfassess.definitions import yamlio
from selfassess.definitions.questionnaire import available, load_questionnaire
from selfassess.resources import questionnaires_dir

SHIPPED = sorted(questionnaires_dir().glob("*/*.yaml"))


class _PureLoader(yaml.SafeLoader):
    """PyYAML's own parser with the same resolvers: the reference for libyaml's."""


_PureLoader.yaml_implicit_resolvers = yamlio._Loader.yaml_implicit_resolvers


def test_libyaml_is_used_when_present() -> None:
    assert issubclass(yamlio._Loader, yaml.CSafeLoader) == yaml.__with_libyaml__


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_gives_the_pure_loaders_data_and_lines(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlio.load(text)
    monkeypatch.setattr(yamlio, "_Loader", _PureLoader)
    assert fast == yamlio.load(text)


def test_a_syntax_error_is_located_by_libyaml_too() -> None:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yamlio.load("a: 1\nb: [2,\nc: 3\n")
    assert caught.value.problem_mark is not None
    assert caught.value.problem_mark.line + 1 >= 2


def test_one_definition_is_loaded_once_however_it_is_asked_for() -> None:
    qid = DEFAULT_QUESTIONNAIRE
    newest = [v for q, v in available() if q == qid][-1]
    assert load_questionnaire() is load_questionnaire(qid) is load_questionnaire(qid, newest)
