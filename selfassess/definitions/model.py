"""Pydantic models of the catalogue and of questionnaire definitions.

All models derive from :class:`Model`, which forbids unknown keys so that a
typo in a YAML file is an error rather than a silently ignored field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from selfassess.constants import ID_PATTERN, AnswerType, Role

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
#: Who a recommendation asks to act: Parties (States parties), States (Member
#: States), UNODC, the secretariat (or Secretary-General), another body, or mixed.
#: ``states_parties``: the text says "States parties", which leaves out the
#: European Union (a Party, not a State).
Addressee = Literal["parties", "states_parties", "states", "unodc", "secretariat", "other", "mixed"]
#: How strongly it asks. "requested" to "shall" come from texts other than the
#: Working Group's: "Requests", "Calls upon", a list's bare imperatives
#: ("Ratify ..."), and "shall". ``mixed`` when a paragraph has several verbs,
#: listed in ``Recommendation.modalities``.
Modality = Literal[
    "urged",
    "are_to",
    "strongly_encouraged",
    "should",
    "should_endeavour",
    "should_consider",
    "encouraged",
    "encouraged_to_consider",
    "may_wish",
    "invited",
    "requested",
    "called_upon",
    "recommended",
    "shall",
    "mixed",
]
#: A source document's standing: a draft, a resolution adopted under its own
#: symbol, or a draft whose text was not adopted as a resolution of its own.
DocumentStatus = Literal["draft", "adopted", "not_adopted_separately"]


class Model(BaseModel):
    """Base of every model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- catalogue -------------------------------------------------------------


class Citation(Model):
    """Where one version of a recommendation is published.

    Only ``document`` and ``paragraph`` are always known; the others are
    ``None`` where the text does not give them (an importer never invents a
    resolution number or a date).
    """

    document: str
    date: dt.date | None = None
    symbol: str | None = Field(default=None, description="document symbol, e.g. A/HRC/43/15")
    resolution: str | None = Field(default=None, description="resolution number, e.g. 78/123")
    annex: str | None = None
    paragraph: str
    report: str | None = None
    report_paragraphs: str | None = None

    def describe(self) -> str:
        """One line for translators and reviewers: every part the citation has."""
        parts = [self.document]
        parts += [
            p for p in (self.symbol, self.resolution and f"resolution {self.resolution}") if p
        ]
        if self.date:
            parts.append(self.date.isoformat())
        if self.annex:
            parts.append(f"annex {self.annex}")
        text = ", ".join([*parts, f"paragraph {self.paragraph}"])
        if self.report:
            text += f"; report {self.report}"
            if self.report_paragraphs:
                text += f", paragraphs {self.report_paragraphs}"
        return text + "."


class Version(Model):
    """One published wording of a recommendation, verbatim."""

    source: str = Field(description="file name under shared/sources")
    text: str
    citation: Citation


class LocalText(Model):
    """A recommendation's text in one language other than the source's."""

    text: str
    official: bool = Field(
        default=False, description="the official UN text (else the secretariat's translation)"
    )


class SourceDocument(Model):
    """A document recommendations are taken from, and its standing."""

    source: str = Field(description="file name under shared/sources, as in Version.source")
    title: str
    date: dt.date = Field(description="date of the text the catalogue quotes")
    status: DocumentStatus
    symbol: str | None = Field(default=None, description="document or resolution symbol")
    adopted: dt.date | None = None
    official_texts: str | None = Field(
        default=None, description="where the official texts in the six languages are"
    )
    note: str | None = None

    @model_validator(mode="after")
    def _adoption_is_complete(self) -> SourceDocument:
        if self.status == "adopted" and (self.symbol is None or self.adopted is None):
            raise ValueError("an adopted document needs its 'symbol' and 'adopted' date")
        if self.status != "adopted" and self.adopted is not None:
            raise ValueError("'adopted' is only for status: adopted")
        return self


class Recommendation(Model):
    id: Id
    ref: str = Field(description="human reference, e.g. 'II(j)'")
    title: str = Field(description="short title, for tables and reports")
    topic: Id
    addressee: Addressee
    modality: Modality
    modalities: tuple[Modality, ...] = Field(
        default=(), description="with modality: mixed, the verbs in the order of the text"
    )
    note: str | None = Field(default=None, description="for editors: a decision on the text")
    instruments: tuple[str, ...] = ()
    versions: tuple[Version, ...] = Field(min_length=1)
    texts: dict[str, LocalText] = Field(
        default_factory=dict, description="the text in other languages, by language code"
    )

    @property
    def text(self) -> str:
        """The text of the most recent version."""
        return self.newest.text

    @property
    def newest(self) -> Version:
        """The most recent version (the one forms show); undated versions count as oldest."""
        return max(self.versions, key=lambda v: v.citation.date or dt.date.min)


class Topic(Model):
    id: Id
    title: str


class Catalogue(Model):
    id: Id
    title: str
    sources: tuple[SourceDocument, ...] = ()
    topics: tuple[Topic, ...]
    recommendations: tuple[Recommendation, ...]

    def source(self, name: str) -> SourceDocument | None:
        return next((d for d in self.sources if d.source == name), None)

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
    former_labels: tuple[str, ...] = Field(
        default=(),
        description="translations forms of this version showed before a correction; still read",
    )


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
    min: float | None = Field(default=None, description="least number a number item takes")
    max: float | None = Field(default=None, description="greatest number a number item takes")
    states_only: bool = Field(
        default=False,
        description="not asked of a regional economic integration organization (the EU)",
    )
    role: Role | None = Field(
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
