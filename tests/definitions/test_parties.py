"""The parties file: shipped special cases, located problems in a file of one's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from selfassess.constants import REGIONAL_GROUPS
from selfassess.definitions.parties import GROUP_NAMES, load_parties, load_parties_file
from selfassess.errors import DefinitionError
from selfassess.i18n.localizer import Localizer
from selfassess.secretariat.status import status
from selfassess.store import Store


def test_every_regional_group_has_a_name() -> None:
    assert tuple(GROUP_NAMES) == REGIONAL_GROUPS


def test_shipped_parties_special_cases() -> None:
    parties = load_parties()
    assert parties.get("US").groups == ("weog",)
    assert parties.get("TR").groups == ("weog",)
    assert parties.get("IL").groups == ("weog",)
    assert parties.get("EU").groups == ()
    assert parties.get("CM").languages == ("fr", "en")
    assert parties.get("MD").languages == ("en",)
    assert parties.get("TD").languages == ("fr", "ar")
    assert "verify" in parties.source
    assert all(p.note for p in parties.parties if len(p.groups) != 1)
    assert all(p.note for p in parties.parties if p.code in {"US", "TR", "IL", "PS"})


def test_shipped_parties_follow_the_depositary_record() -> None:
    parties = load_parties()
    # UNTC as at 4 May 2024: 192 Parties; these UN Member States were not among them.
    assert len(parties.parties) == 192
    assert not {"CG", "IR", "PG", "SB", "SS", "TV"} & set(parties.codes())
    assert {"SO", "BT", "PW"} <= set(parties.codes())
    assert parties.get("AF").deposited == dt.date(2003, 9, 24)
    assert parties.get("BH").action == "accession"
    assert all(p.action for p in parties.parties if p.deposited)


def test_each_party_counts_in_one_group_so_group_figures_add_up() -> None:
    parties = load_parties()
    counted = [p.code for g in (*REGIONAL_GROUPS, None) for p in parties.in_group(g)]
    assert sorted(counted) == sorted(parties.codes())


def test_editor_facing_names_are_the_un_names() -> None:
    for party in load_parties().parties:
        assert party.name == Localizer("en").country(party.code)


def test_a_party_in_two_groups_or_under_another_name_is_located(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2025-01-01\n"
        "source: mine\n"
        "parties:\n"
        "  - {code: TR, groups: [weog, asia_pacific], languages: [en]}\n"
        "  - {code: MX, name: Russian Federation, groups: [weog], languages: [es]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    assert [p.line for p in info.value.problems] == [4]
    path.write_text(path.read_text().replace(", asia_pacific", ""), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_parties_file(path)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (5, "'Russian Federation' is another country's name; correct it")
    ]


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


def test_status_names_parties_by_their_un_names_and_reports_a_cldr_fallback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "as_of: 2025-01-01\n"
        "source: mine\n"
        "parties:\n"
        "  - {code: TW, groups: [], languages: [zh]}\n"
        "  - {code: RU, groups: [eastern_european], languages: [ru]}\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "store.db") as store:
        report = status(store, load_parties_file(path), loc=Localizer("fr"))
    # In the French collation, whatever the order of the file.
    assert [p.name for p in report.parties] == ["Fédération de Russie", "Taïwan"]
    assert any("TW" in w and "CLDR" in w for w in report.warnings)


def test_a_parties_file_that_cannot_be_read_says_so_in_one_line(tmp_path: Path) -> None:
    """A country code given where a file is expected, or a file not in UTF-8."""
    with pytest.raises(DefinitionError) as info:
        load_parties_file(tmp_path / "MX")
    assert str(info.value.problems[0]).endswith("cannot read this file: No such file or directory")
    latin1 = tmp_path / "parties.yaml"
    latin1.write_bytes("parties:\n  - {code: CI, name: Côte}\n".encode("latin-1"))
    with pytest.raises(DefinitionError) as info:
        load_parties_file(latin1)
    assert info.value.problems[0].line == 2
    assert info.value.problems[0].message == "not UTF-8 text; save the file as UTF-8"
