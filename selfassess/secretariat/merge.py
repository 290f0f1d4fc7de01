"""Combine partial returns of one country (several agencies each filled a part).

An item answered in one source only takes that answer. An item answered the
same way everywhere it is answered takes that answer. An item answered
differently is a *conflict*: its merged answer is left empty, and the
conflict lists every source with its value and location, as an error problem
of the merged response, so nothing is silently overwritten. The merged
response has the shape of ``selfassess parse --json`` (the same keys) plus a ``merge`` key,
and ``selfassess ingest`` accepts it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfassess.errors import Rejected, UsageError
from selfassess.forms.parse import JSON_SUFFIX, load_response, parse_returns
from selfassess.i18n.localizer import Localizer
from selfassess.problems import Finding, Problem
from selfassess.response.interpret import Answer, FormInfo, ParseResult
from selfassess.safety.files import write_output


@dataclass(frozen=True)
class SourceValue:
    source: str
    value: Answer
    location: str | None


@dataclass(frozen=True)
class Conflict:
    item: str
    values: tuple[SourceValue, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "values": [
                {"source": v.source, "value": v.value, "location": v.location} for v in self.values
            ],
        }


@dataclass
class MergeResult:
    response: ParseResult
    sources: list[str]
    conflicts: list[Conflict] = field(default_factory=list)
    answered_by: dict[str, list[str]] = field(default_factory=dict)
    """Item id -> the sources that gave its (agreed) answer."""
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = self.response.to_json()
        data["merge"] = {
            "sources": self.sources,
            "conflicts": [c.to_json() for c in self.conflicts],
            "answered_by": self.answered_by,
        }
        return data


def merge_responses(
    named: list[tuple[str, ParseResult]], ui: Localizer | None = None
) -> MergeResult:
    """Merge parsed responses, each with the name of its source (a file name).

    Conflicts are problems in ``ui``'s language, by default the returns'.
    """
    if len(named) < 2:
        raise UsageError("merge needs at least two returns of the same country")
    first = named[0][1].form
    ui = ui or Localizer(first.language)
    for name, result in named[1:]:
        info = result.form
        if (info.questionnaire, info.version) != (first.questionnaire, first.version):
            raise UsageError(
                f"{name} answers {info.questionnaire} {info.version} and {named[0][0]} answers "
                f"{first.questionnaire} {first.version}; merge returns of one version only"
            )
        if info.country != first.country:
            raise UsageError(
                f"{name} is from {info.country or 'no country'} and {named[0][0]} from "
                f"{first.country or 'no country'}; merge returns of one country only"
            )
    answers: dict[str, Answer] = {}
    locations: dict[str, str] = {}
    problems: list[Problem] = []
    conflicts: list[Conflict] = []
    answered_by: dict[str, list[str]] = {}
    for item_id in named[0][1].answers:
        given = [
            SourceValue(name, r.answers.get(item_id), _location(r, item_id))
            for name, r in named
            if r.answers.get(item_id) is not None
        ]
        answers[item_id] = None
        if not given:
            continue
        distinct = {_key(v.value) for v in given}
        if len(distinct) == 1:
            answers[item_id] = given[0].value
            answered_by[item_id] = [v.source for v in given]
            if given[0].location:
                locations[item_id] = given[0].location
            continue
        conflicts.append(Conflict(item_id, tuple(given)))
        problems.append(
            Finding(
                "merge_conflict",
                item=item_id,
                params={
                    "item": item_id,
                    "values": "; ".join(f"{v.source}: {_shown(v.value)}" for v in given),
                },
            ).render(ui)
        )
    for name, r in named:
        problems.extend(
            p.model_copy(update={"message": f"{name}: {p.message}"}) for p in r.problems
        )
    # The merged reply answers the form of its newest source: that form's id
    # lets ingest find its issue date in the store, so the reply made from
    # the country's returns supersedes them rather than the other way round
    # (an id no store issued has no date, and sorts as the oldest).
    newest = max((r.form for _, r in named), key=lambda f: f.issued or dt.date.min)
    merged = ParseResult(
        form=FormInfo(
            questionnaire=first.questionnaire,
            version=first.version,
            language=first.language,
            country=first.country,
            form_id=newest.form_id,
            format="json",
            signature="absent",
            issued=newest.issued,
            deadline=newest.deadline,
            period=newest.period,
        ),
        answers=answers,
        locations=locations,
        problems=problems,
    )
    return MergeResult(merged, [n for n, _ in named], conflicts, answered_by)


def merge_files(
    paths: list[Path | str], key: bytes | None = None, ui: Localizer | None = None
) -> MergeResult:
    """The returns in ``paths`` merged: forms, response JSONs, and online exports,
    each submission of which is a return named ``FILE#INSTANCE-ID``."""
    named: list[tuple[str, ParseResult]] = []
    for p in paths:
        name = Path(p).name
        try:
            if Path(p).suffix.lower() == JSON_SUFFIX:
                named.append((name, load_response(p, key=key)))
                continue
            for result in parse_returns(p, key):
                info = result.form.submission
                named.append((f"{name}#{info.instance_id}" if info else name, result))
        except Rejected as exc:
            raise Rejected(f"{p}: {exc}") from None
    return merge_responses(named, ui)


def _location(result: ParseResult, item_id: str) -> str | None:
    if item_id in result.locations:
        return result.locations[item_id]
    prefix = item_id + ":"
    return next((loc for slot, loc in result.locations.items() if slot.startswith(prefix)), None)


def _key(value: Answer) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _shown(value: Answer) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def merge_to_file(
    paths: list[Path | str], out: Path, key: bytes | None = None, ui: Localizer | None = None
) -> MergeResult:
    """``selfassess merge``: :func:`merge_files`, written to ``out`` as JSON."""
    result = merge_files(paths, key, ui)
    out.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_output(out, body.encode("utf-8"))
    return result
