"""The parties file: shipped special cases, located problems in a file of one's own."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from selfassess.constants import REGIONAL_GROUPS
from selfassess.errors import DefinitionError
from selfassess.secretariat.parties import GroupId, load_parties, load_parties_file


def test_group_ids_match_the_constants() -> None:
    assert get_args(GroupId) == REGIONAL_GROUPS


def test_shipped_parties_special_cases() -> None:
    parties = load_parties()
    assert parties.get("US").groups == ()
    assert parties.get("TR").groups == ("weog", "asia_pacific")
    assert parties.get("IL").groups == ("weog",)
    assert parties.get("EU").groups == ()
    assert parties.get("CM").languages == ("fr", "en")
    assert "verify" in parties.source
    assert all(p.note for p in parties.parties if len(p.groups) != 1)


def test_a_bad_parties_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2025-01-01\n"
        "source: mine\n"
        "parties:\n"
        "  - {code: MX, groups: [latin_american_caribbean], languages: [es]}\n"
        "  - {code: XX, groups: [weog], languages: [en]}\n"
        "  - {code: MX, groups: [weog], languages: [en]}\n"
        "  - {code: FR, groups: [europe], languages: [fr]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    text = str(info.value)
    assert "p.yaml:7" in text
    assert "europe" in text
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path.with_name("q.yaml"))
    path.write_text(path.read_text().replace("europe", "weog"), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    lines = [(p.line, p.message) for p in info.value.problems]
    assert (5, "'XX' is not an ISO 3166-1 alpha-2 code; use e.g. MX") in lines
    assert any(line == 6 and "listed 2 times" in msg for line, msg in lines)
