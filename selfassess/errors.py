"""Exceptions the library raises and the CLI maps to exit codes.

The library never prints or exits: it raises one of these, whose ``str()`` is
a complete, user-facing sentence (located, saying what to do).
"""

from __future__ import annotations

from dataclasses import dataclass


class SelfassessError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class DefinitionProblem:
    """One located problem in a catalogue or questionnaire definition."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DefinitionError(SelfassessError):
    """A catalogue or questionnaire definition is invalid."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Rejected(SelfassessError):
    """A file is not a readable, safe form of a known questionnaire version."""


class UnknownQuestionnaire(SelfassessError):
    """No questionnaire definition with that id (and version)."""


class UsageError(SelfassessError):
    """Arguments that cannot be acted on (bad language code, country, date...)."""
