"""Pydantic models of the catalogue and of questionnaire definitions.

All models derive from :class:`Model`, which forbids unknown keys so that a
typo in a YAML file is an error rather than a silently ignored field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from selfassess.constants import ID_PATTERN

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
AnswerType = Literal["choice", "multichoice", "text", "number", "date"]
Addressee = Literal["parties", "states", "unodc", "mixed"]
Modality = Literal[
    "urged",
    "strongly_encouraged",
    "should",
    "should_consider",
    "encouraged",
    "encouraged_to_consider",
    "may_wish",
    "invited",
]


class Model(BaseModel):
    """Base of every model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- catalogue -------------------------------------------------------------


class Citation(Model):
    """Where one version of a recommendation is published."""

    document: str
    date: dt.date
    annex: str
    paragraph: str
    report: str
    report_paragraphs: str


class Version(Model):
    """One published wording of a recommendation, verbatim."""

    source: str = Field(description="file name under shared/sources")
    text: str
    citation: Citation


class Recommendation(Model):
    id: Id
    ref: str = Field(description="human reference, e.g. 'II(j)'")
    title: str = Field(description="short title, for tables and reports")
    topic: Id
    addressee: Addressee
    modality: Modality
    instruments: tuple[str, ...] = ()
    versions: tuple[Version, ...] = Field(min_length=1)

    @property
    def text(self) -> str:
        """The text of the most recent version."""
        return max(self.versions, key=lambda v: v.citation.date).text


class Topic(Model):
    id: Id
    title: str


class Catalogue(Model):
    id: Id
    title: str
    topics: tuple[Topic, ...]
    recommendations: tuple[Recommendation, ...]

    def get(self, rec_id: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.id == rec_id:
                return rec
        raise KeyError(rec_id)


# --- questionnaire ---------------------------------------------------------


class Choice(Model):
    code: Id
    label: str
    help: str | None = None
    score: float | None = None
    """Implementation score in [0, 1]; ``None`` for an answer that says
    nothing about implementation (not applicable, not known)."""


class ChoiceList(Model):
    id: Id
    scored: bool = False
    choices: tuple[Choice, ...] = Field(min_length=1)

    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.choices)


class Condition(Model):
    """The item applies only when another item's answer matches."""

    item: Id
    equals: str | None = None
    includes: str | None = None


class Item(Model):
    id: Id
    ref: str = Field(description="human reference, e.g. 'II(j).3'")
    type: AnswerType
    prompt: str
    help: str | None = None
    recommendation: Id | None = None
    required: bool = False
    weight: float = Field(default=1.0, ge=0)
    choices: Id | None = Field(default=None, description="choice list id")
    condition: Condition | None = None
    role: str | None = Field(
        default=None,
        description="what the item is for the scorer: status, measures, ta_needed, ...",
    )


class RecommendationEntry(Model):
    """A recommendation as the questionnaire asks it."""

    recommendation: Id
    weight: float = Field(default=1.0, ge=0)
    scored: bool = True
    """False for recommendations addressed to UNODC and for requests for
    voluntary contributions: never counted as a Party's gap."""
    note: str | None = None
    items: tuple[Item, ...] = ()


class Section(Model):
    id: Id
    title: str
    recommendations: tuple[RecommendationEntry, ...] = ()
    items: tuple[Item, ...] = ()
    """Items not tied to a recommendation (the cover's respondent details)."""


class Questionnaire(Model):
    id: Id
    version: str
    title: str
    catalogue: Id
    published: dt.date
    choice_lists: tuple[ChoiceList, ...]
    sections: tuple[Section, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def items(self) -> list[Item]:
        """Every item in form order."""
        out: list[Item] = []
        for section in self.sections:
            out.extend(section.items)
            for entry in section.recommendations:
                out.extend(entry.items)
        return out

    def item(self, item_id: str) -> Item:
        for it in self.items():
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def choice_list(self, list_id: str) -> ChoiceList:
        for cl in self.choice_lists:
            if cl.id == list_id:
                return cl
        raise KeyError(list_id)

    def choices_of(self, item: Item) -> tuple[Choice, ...]:
        return self.choice_list(item.choices).choices if item.choices else ()

    def entries(self) -> list[tuple[Section, RecommendationEntry]]:
        return [(s, e) for s in self.sections for e in s.recommendations]
