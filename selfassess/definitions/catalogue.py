"""The recommendation catalogue: one entry per recommendation, verbatim texts."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from selfassess.constants import DEFAULT_CATALOGUE, LANGUAGES, SOURCE_LANGUAGE
from selfassess.definitions import rules, yamlio
from selfassess.definitions.model import Catalogue
from selfassess.errors import DefinitionError, DefinitionProblem
from selfassess.resources import catalogue_path, roots


def load_catalogue_file(path: Path) -> Catalogue:
    """Load and check one catalogue file; raise DefinitionError with located problems."""
    data, lines = rules.read(path)
    catalogue = rules.validate(Catalogue, data, str(path), lines)
    problems: list[DefinitionProblem] = []
    topics = {t.id for t in catalogue.topics}
    counts = Counter(r.id for r in catalogue.recommendations)
    sources = {d.source for d in catalogue.sources}
    for i, rec in enumerate(catalogue.recommendations):
        where = ("recommendations", i)
        for j, version in enumerate(rec.versions):
            if sources and version.source not in sources:
                problems.append(
                    _problem(
                        path,
                        lines,
                        (*where, "versions", j, "source"),
                        f"'{version.source}' is not under 'sources'; describe the document there",
                    )
                )
        if (rec.modality == "mixed") != bool(rec.modalities):
            problems.append(
                _problem(
                    path,
                    lines,
                    (*where, "modalities"),
                    "list 'modalities' exactly when 'modality' is mixed",
                )
            )
        for lang in rec.texts:
            if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
                problems.append(
                    _problem(
                        path,
                        lines,
                        (*where, "texts", lang),
                        f"'{lang}' is not a language of translation; use one of "
                        + ", ".join(x for x in LANGUAGES if x != SOURCE_LANGUAGE),
                    )
                )
        if counts[rec.id] > 1:
            problems.append(_problem(path, lines, (*where, "id"), f"duplicate id '{rec.id}'"))
        if rec.topic not in topics:
            problems.append(
                _problem(
                    path,
                    lines,
                    (*where, "topic"),
                    f"unknown topic '{rec.topic}'; declare it under 'topics' or use one of "
                    + ", ".join(sorted(topics)),
                )
            )
    if problems:
        raise DefinitionError(problems)
    return catalogue


def _problem(
    path: Path, lines: dict[yamlio.Path_, int], at: yamlio.Path_, msg: str
) -> DefinitionProblem:
    return DefinitionProblem(str(path), yamlio.line_of(lines, at), yamlio.format_path(at), msg)


def load_catalogue(catalogue_id: str = DEFAULT_CATALOGUE) -> Catalogue:
    """The catalogue with that id: the user's definitions folder first, then the shipped one.

    >>> len(load_catalogue().recommendations)
    35
    """
    return _load_catalogue(catalogue_id, roots())


@cache
def _load_catalogue(catalogue_id: str, searched: tuple[Path, ...]) -> Catalogue:
    # ``searched`` keys the cache: another definitions folder, another catalogue.
    del searched
    return load_catalogue_file(catalogue_path(catalogue_id))
