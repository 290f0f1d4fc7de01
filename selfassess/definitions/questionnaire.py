"""Questionnaire definitions: load, expand templates, validate, find by version.

A definition file is YAML (see ``docs/questionnaire-format.md``). Loading
expands ``use:`` template references and short item ids, validates the result
against :class:`selfassess.definitions.model.Questionnaire`, then checks references. Every
problem is located by file, line and path.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from selfassess.constants import DEFAULT_QUESTIONNAIRE, NON_QUESTIONNAIRE_DIRS
from selfassess.definitions import rules, yamlio
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Catalogue, Item, Questionnaire
from selfassess.errors import DefinitionError, DefinitionProblem, UnknownQuestionnaire
from selfassess.i18n.localizer import fold
from selfassess.resources import questionnaire_dirs, roots

SourceMap = dict[yamlio.Path_, yamlio.Path_]


class _Expansion:
    """Turns the source document into the shape of the Questionnaire model."""

    def __init__(self, data: dict[str, Any], catalogue: Catalogue | None) -> None:
        self.data = data
        self.catalogue = catalogue
        self.source: SourceMap = {}
        self.problems: list[tuple[yamlio.Path_, str]] = []

    def run(self) -> dict[str, Any]:
        out = {k: v for k, v in self.data.items() if k != "templates"}
        templates = self.data.get("templates") or {}
        sections = self.data.get("sections")
        if not isinstance(templates, dict) or not isinstance(sections, list):
            if not isinstance(templates, dict):
                self.problems.append((("templates",), "'templates' must be a mapping"))
            return out
        new_sections = []
        for s, section in enumerate(sections):
            if not isinstance(section, dict):
                new_sections.append(section)
                continue
            sec = dict(section)
            if isinstance(sec.get("items"), list):
                sec["items"] = [
                    {"ref": f"{s + 1}.{n + 1}", **item} if isinstance(item, dict) else item
                    for n, item in enumerate(sec["items"])
                ]
            entries = sec.get("recommendations")
            if isinstance(entries, list):
                sec["recommendations"] = [
                    self._entry(entry, ("sections", s, "recommendations", e), templates)
                    for e, entry in enumerate(entries)
                ]
            new_sections.append(sec)
        out["sections"] = new_sections
        return out

    def _entry(self, entry: Any, where: yamlio.Path_, templates: dict[str, Any]) -> Any:
        if not isinstance(entry, dict) or not isinstance(entry.get("items", []), list):
            return entry
        rec_id = entry.get("recommendation")
        ref = str(rec_id)
        if self.catalogue is not None and isinstance(rec_id, str):
            try:
                ref = self.catalogue.get(rec_id).ref
            except KeyError:
                self.problems.append(
                    (
                        (*where, "recommendation"),
                        f"unknown recommendation '{rec_id}'; use an id from the catalogue "
                        f"'{self.catalogue.id}' (selfassess catalogue)",
                    )
                )
        items: list[Any] = []
        for i, raw in enumerate(entry.get("items", [])):
            src: yamlio.Path_ = (*where, "items", i)
            if isinstance(raw, dict) and "use" in raw:
                name = raw["use"]
                if set(raw) != {"use"}:
                    self.problems.append((src, "a 'use' entry takes no other key"))
                if name not in templates or not isinstance(templates[name], list):
                    self.problems.append(
                        (
                            (*src, "use"),
                            f"unknown template '{name}'; define it under 'templates' or use one "
                            f"of {', '.join(sorted(templates))}",
                        )
                    )
                    continue
                for t, tmpl in enumerate(templates[name]):
                    self.source[(*where, "items", len(items))] = ("templates", name, t)
                    items.append(copy.deepcopy(tmpl))
            else:
                self.source[(*where, "items", len(items))] = src
                items.append(copy.deepcopy(raw))
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("id"), str):
                item["id"] = f"{rec_id}_{item['id']}"
            cond = item.get("condition")
            if isinstance(cond, dict) and isinstance(cond.get("item"), str):
                cond["item"] = f"{rec_id}_{cond['item']}"
            item.setdefault("ref", f"{ref}.{n + 1}")
            item.setdefault("recommendation", rec_id)
        return {**entry, "items": items}


def _check(q: Questionnaire, catalogue: Catalogue | None) -> list[tuple[yamlio.Path_, str]]:
    """Reference and consistency checks that the models cannot express."""
    problems: list[tuple[yamlio.Path_, str]] = []
    lists = {cl.id: cl for cl in q.choice_lists}
    for c, count in Counter(cl.id for cl in q.choice_lists).items():
        if count > 1:
            problems.append((("choice_lists",), f"duplicate choice list id '{c}'"))
    for li, cl in enumerate(q.choice_lists):
        where = ("choice_lists", li)
        codes = Counter(ch.code for ch in cl.choices)
        labels = Counter(fold(ch.label) for ch in cl.choices)
        for ci, ch in enumerate(cl.choices):
            at: yamlio.Path_ = (*where, "choices", ci)
            clash = [f for f in ch.former_labels if labels[fold(f)]]
            if clash:
                problems.append(
                    (
                        (*at, "former_labels"),
                        f"former label '{clash[0]}' is a label of '{cl.id}'; a label reads "
                        "back to one code only",
                    )
                )
            if codes[ch.code] > 1:
                problems.append(((*at, "code"), f"duplicate choice code '{ch.code}' in '{cl.id}'"))
            if labels[fold(ch.label)] > 1:
                problems.append(
                    (
                        (*at, "label"),
                        f"duplicate label '{ch.label}' in '{cl.id}': labels are "
                        "read back to codes, so they must differ",
                    )
                )
            if ch.score is not None and not 0 <= ch.score <= 1:
                problems.append(((*at, "score"), f"score {ch.score} is outside [0, 1]"))
            if ch.score is not None and not cl.scored:
                problems.append(
                    (
                        (*at, "score"),
                        f"'{cl.id}' is not scored; add 'scored: true' to the list "
                        "or remove the score",
                    )
                )
    seen_sections = Counter(s.id for s in q.sections)
    all_items: dict[str, tuple[yamlio.Path_, Item]] = {}
    item_counts: Counter[str] = Counter()
    rec_counts: Counter[str] = Counter()
    for si, section in enumerate(q.sections):
        if seen_sections[section.id] > 1:
            problems.append(((("sections", si, "id")), f"duplicate section id '{section.id}'"))
        located: list[tuple[yamlio.Path_, Item]] = [
            (("sections", si, "items", ii), it) for ii, it in enumerate(section.items)
        ]
        for ei, entry in enumerate(section.recommendations):
            rec_counts[entry.recommendation] += 1
            if rec_counts[entry.recommendation] == 2:
                problems.append(
                    (
                        ("sections", si, "recommendations", ei, "recommendation"),
                        f"recommendation '{entry.recommendation}' is asked twice",
                    )
                )
            located += [
                (("sections", si, "recommendations", ei, "items", ii), it)
                for ii, it in enumerate(entry.items)
            ]
        for at, it in located:
            item_counts[it.id] += 1
            if item_counts[it.id] > 1:
                problems.append(((*at, "id"), f"duplicate item id '{it.id}'"))
            all_items.setdefault(it.id, (at, it))
    for _, (at, it) in all_items.items():
        if it.type in ("choice", "multichoice"):
            if it.choices is None:
                problems.append(((*at,), f"a {it.type} item needs 'choices' (a choice list id)"))
            elif it.choices not in lists:
                problems.append(
                    (
                        (*at, "choices"),
                        f"unknown choice list '{it.choices}'; use one of "
                        + ", ".join(sorted(lists)),
                    )
                )
        elif it.choices is not None:
            problems.append(((*at, "choices"), f"a {it.type} item takes no 'choices'"))
        for key in ("min", "max"):
            bound = getattr(it, key)
            if bound is None:
                continue
            if it.type != "number":
                problems.append(((*at, key), f"a {it.type} item takes no '{key}'"))
            elif not math.isfinite(bound):
                problems.append(((*at, key), f"'{key}' must be a finite number"))
        if it.min is not None and it.max is not None and it.min > it.max:
            problems.append(((*at, "min"), f"min {it.min:g} is greater than max {it.max:g}"))
        cond = it.condition
        if cond is None:
            continue
        target = all_items.get(cond.item)
        if target is None:
            problems.append(
                ((*at, "condition", "item"), f"condition on unknown item '{cond.item}'")
            )
            continue
        t_item = target[1]
        if (cond.equals is None) == (cond.includes is None):
            problems.append(
                ((*at, "condition"), "a condition takes exactly one of 'equals' or 'includes'")
            )
            continue
        wanted_type = "choice" if cond.equals is not None else "multichoice"
        code = cond.equals if cond.equals is not None else cond.includes
        if t_item.type != wanted_type:
            key = "equals" if cond.equals is not None else "includes"
            problems.append(
                (
                    (*at, "condition", key),
                    f"'{key}' needs a {wanted_type} item, and "
                    f"'{cond.item}' is a {t_item.type} item",
                )
            )
        elif t_item.choices in lists and code not in lists[t_item.choices].codes():
            problems.append(
                (
                    (*at, "condition"),
                    f"impossible condition: '{code}' is not a choice of "
                    f"'{cond.item}' ({', '.join(lists[t_item.choices].codes())})",
                )
            )
    return problems


def load_path(path: Path | str, catalogue: Catalogue | None = None) -> Questionnaire:
    """Load and validate one definition file.

    Raises :class:`DefinitionError` listing every problem with its line.
    """
    path = Path(path)
    data, lines = rules.read(path)
    if not isinstance(data, dict):
        raise DefinitionError(
            [DefinitionProblem(str(path), 1, "", "expected a mapping at the top")]
        )
    if catalogue is None and isinstance(data.get("catalogue"), str):
        try:
            catalogue = load_catalogue(data["catalogue"])
        except (DefinitionError, FileNotFoundError):
            raise DefinitionError(
                [
                    DefinitionProblem(
                        str(path),
                        yamlio.line_of(lines, ("catalogue",)),
                        "catalogue",
                        f"unknown catalogue '{data['catalogue']}'",
                    )
                ]
            ) from None
    exp = _Expansion(data, catalogue)
    expanded = exp.run()

    def located(
        found: list[tuple[yamlio.Path_, str]], source: SourceMap
    ) -> list[DefinitionProblem]:
        return [
            DefinitionProblem(
                str(path),
                yamlio.line_of(lines, rules.locate(at, source)),
                yamlio.format_path(at),
                msg,
            )
            for at, msg in found
        ]

    # Expansion problems are already in the file's own coordinates.
    problems = located(exp.problems, {})
    try:
        q = rules.validate(Questionnaire, expanded, str(path), lines, exp.source)
    except DefinitionError as err:
        raise DefinitionError(problems + err.problems) from None
    problems += located(_check(q, catalogue), exp.source)
    if problems:
        raise DefinitionError(problems)
    return q


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


def _registry() -> dict[tuple[str, str], Path]:
    return _registry_of(questionnaire_dirs())


@cache
def _registry_of(folders: tuple[Path, ...]) -> dict[tuple[str, str], Path]:
    """(id, version) -> file; a version in the user's folder hides the shipped one."""
    found: dict[tuple[str, str], Path] = {}
    for folder in reversed(folders):
        for path in sorted(folder.glob("*/*.yaml")):
            if path.parent.name in NON_QUESTIONNAIRE_DIRS:
                continue
            found[(path.parent.name, path.stem)] = path
    return found


def available() -> list[tuple[str, str]]:
    """Every (id, version) on the search path, oldest version first."""
    return sorted(_registry(), key=lambda k: (k[0], version_key(k[1])))


def load_questionnaire(
    questionnaire_id: str = DEFAULT_QUESTIONNAIRE, version: str | None = None
) -> Questionnaire:
    """A questionnaire on the search path; the newest version unless one is named.

    >>> q = load_questionnaire()
    >>> q.id
    'ctoc_wgta'
    """
    versions = [v for (qid, v) in available() if qid == questionnaire_id]
    if not versions:
        known = ", ".join(sorted({qid for qid, _ in available()})) or "none"
        raise UnknownQuestionnaire(f"unknown questionnaire '{questionnaire_id}'; known: {known}")
    if version is None:
        version = versions[-1]
    elif version not in versions:
        raise UnknownQuestionnaire(
            f"questionnaire '{questionnaire_id}' has no version '{version}'; "
            f"known versions: {', '.join(versions)}"
        )
    return _load(questionnaire_id, version, roots())


@cache
def _load(questionnaire_id: str, version: str, searched: tuple[Path, ...]) -> Questionnaire:
    """One definition, loaded once per process whichever way it was asked for.

    ``searched`` (the search path) keys the cache: another definitions folder
    may hold another file, checked against another catalogue.
    """
    del searched
    q = load_path(_registry()[(questionnaire_id, version)])
    if q.key != (questionnaire_id, version):
        raise DefinitionError(
            [
                DefinitionProblem(
                    str(_registry()[(questionnaire_id, version)]),
                    None,
                    "",
                    f"the file declares {q.id} {q.version}; its folder and name say "
                    f"{questionnaire_id} {version}",
                )
            ]
        )
    return q
