"""The Parties a round is issued to: ISO code, UN regional group, form languages.

The shipped file (``questionnaires/parties/untoc_parties.yaml``) follows the
depositary's record as far as the authors had it, and says how far; the
secretariat can pass its own, checked by the same rules, with every problem
located by line.

>>> parties = load_parties()
>>> parties.get("TR").groups, parties.get("US").groups, parties.get("CA").languages
(('weog',), ('weog',), ('en', 'fr'))
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from selfassess.constants import Language, RegionalGroup
from selfassess.definitions import rules, yamlio
from selfassess.definitions.model import Model
from selfassess.errors import DefinitionError, DefinitionProblem, UsageError
from selfassess.i18n.localizer import N_, Localizer, country_code, find_country
from selfassess.resources import parties_path

#: How a Party became one, as the depositary records it.
Action = Literal["ratification", "acceptance", "approval", "accession", "succession"]

#: Names of the regional groups, translated where they are shown.
GROUP_NAMES: dict[RegionalGroup, str] = {
    "african": N_("African States"),
    "asia_pacific": N_("Asia-Pacific States"),
    "eastern_european": N_("Eastern European States"),
    "latin_american_caribbean": N_("Latin American and Caribbean States"),
    "weog": N_("Western European and other States"),
}
NO_GROUP = N_("No regional group")


class Party(Model):
    code: str = Field(description="ISO 3166-1 alpha-2 (EU for the European Union)")
    name: str | None = Field(default=None, description="UN name, for people editing the file")
    groups: tuple[RegionalGroup, ...] = Field(
        default=(),
        max_length=1,
        description="the one regional group the Party is counted in, so group figures add up",
    )
    languages: tuple[Language, ...] = Field(min_length=1)
    deposited: dt.date | None = Field(default=None, description="deposit of the instrument")
    action: Action | None = None
    note: str | None = None


class Parties(Model):
    as_of: dt.date
    source: str
    parties: tuple[Party, ...] = Field(min_length=1)

    def get(self, code: str) -> Party:
        for party in self.parties:
            if party.code == code:
                return party
        raise KeyError(code)

    def codes(self) -> list[str]:
        return [p.code for p in self.parties]

    def in_group(self, group: str | None) -> list[Party]:
        """Parties of a group; ``None`` gives the Parties in no group."""
        if group is None:
            return [p for p in self.parties if not p.groups]
        return [p for p in self.parties if group in p.groups]

    def select(self, codes: list[str]) -> Parties:
        """The same file restricted to ``codes`` (any order); unknown codes are an error."""
        wanted = [country_code(c) for c in codes]
        unknown = [c for c in wanted if c not in self.codes()]
        if unknown:
            raise UsageError(
                f"not in the parties file: {', '.join(unknown)}; add them to the file or "
                "leave them out"
            )
        return self.model_copy(
            update={"parties": tuple(p for p in self.parties if p.code in wanted)}
        )


def group_name(group: RegionalGroup | None, loc: Localizer) -> str:
    return loc.gettext(GROUP_NAMES[group]) if group else loc.gettext(NO_GROUP)


def default_parties_path() -> Path:
    return parties_path()


def load_parties_file(path: Path | str) -> Parties:
    """Load and check a parties file; DefinitionError lists every problem with its line."""
    path = Path(path)
    data, lines = rules.read(path)
    parties = rules.validate(Parties, data, str(path), lines)
    problems: list[DefinitionProblem] = []

    def add(at: yamlio.Path_, message: str) -> None:
        problems.append(
            DefinitionProblem(str(path), yamlio.line_of(lines, at), yamlio.format_path(at), message)
        )

    counts = Counter(p.code for p in parties.parties)
    for i, party in enumerate(parties.parties):
        where: yamlio.Path_ = ("parties", i)
        try:
            canonical = country_code(party.code)
        except UsageError:
            add((*where, "code"), f"'{party.code}' is not an ISO 3166-1 alpha-2 code; use e.g. MX")
        else:
            if canonical != party.code:
                add((*where, "code"), f"write the code as '{canonical}'")
        if party.name and find_country(party.name) not in (party.code, None):
            add((*where, "name"), f"'{party.name}' is another country's name; correct it")
        if counts[party.code] > 1:
            add((*where, "code"), f"'{party.code}' is listed {counts[party.code]} times; keep one")
        for field_name, values in (("groups", party.groups), ("languages", party.languages)):
            repeated = [v for v, n in Counter(values).items() if n > 1]
            if repeated:
                add((*where, field_name), f"'{repeated[0]}' is listed twice; keep one")
    if problems:
        raise DefinitionError(problems)
    return parties


@cache
def load_parties(path: Path | None = None) -> Parties:
    """The parties file at ``path``, or the shipped one."""
    return load_parties_file(path or default_parties_path())


@cache
def party_codes() -> frozenset[str]:
    """The codes of the shipped Parties: what a returned form's country may be."""
    return frozenset(load_parties().codes())
