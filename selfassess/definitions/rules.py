"""Shared machinery for loading YAML definitions into models with located errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from selfassess.constants import ID_PATTERN, ID_RULE
from selfassess.definitions import yamlio
from selfassess.errors import DefinitionError, DefinitionProblem, UsageError

M = TypeVar("M", bound=BaseModel)


def _friendly(err: Any) -> str:
    kind = err["type"]
    loc = err["loc"]
    key = loc[-1] if loc else ""
    value = err.get("input")
    if kind == "extra_forbidden":
        return f"unknown key '{key}'; remove it or correct its spelling"
    if kind == "missing":
        return f"the required key '{key}' is missing; add it"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a valid id: use {ID_RULE}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"'{value}' is not allowed here; use one of {expected}"
    return f"{err['msg']} (got {value!r})" if not isinstance(value, dict | list) else err["msg"]


def check_id(value: str, what: str) -> str:
    """An id given on the command line, or UsageError saying the rule.

    >>> check_id("cop13", "--id")
    'cop13'
    """
    if not ID_PATTERN.match(value):
        raise UsageError(f"{what} '{value}' is not a valid id: use {ID_RULE}")
    return value


def read(path: Path) -> tuple[Any, dict[yamlio.Path_, int]]:
    """Read a YAML file, turning syntax errors into a located DefinitionError."""
    try:
        return yamlio.load_path(path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise DefinitionError(
            [DefinitionProblem(str(path), line, "", f"YAML syntax: {exc.problem}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        # A raw control character: refused before parsing, so it has no mark;
        # its position is an index into the text just read.
        text = path.read_text(encoding="utf-8")
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise DefinitionError(
            [
                DefinitionProblem(
                    str(path),
                    text.count("\n", 0, exc.position) + 1,
                    "",
                    f"the character {shown} is not allowed in a YAML file; remove it",
                )
            ]
        ) from None
    except OSError as exc:
        # strerror, not str(exc): "[Errno 2] ... 'MX'" repeats the path and says less.
        message = f"cannot read this file: {exc.strerror or exc}"
        raise DefinitionError([DefinitionProblem(str(path), None, "", message)]) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise DefinitionError([DefinitionProblem(str(path), line, "", message)]) from None


def validate(
    model: type[M],
    data: Any,
    file: str,
    lines: dict[yamlio.Path_, int],
    source_path: dict[yamlio.Path_, yamlio.Path_] | None = None,
) -> M:
    """Validate ``data`` as ``model``; locate every pydantic error in the file.

    ``source_path`` maps a path prefix of ``data`` to the path in the file it
    came from (for data expanded from templates).
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = tuple(err["loc"])
            src = locate(path, source_path or {})
            problems.append(
                DefinitionProblem(
                    file, yamlio.line_of(lines, src), yamlio.format_path(path), _friendly(err)
                )
            )
        raise DefinitionError(problems) from None


def locate(path: yamlio.Path_, source_path: dict[yamlio.Path_, yamlio.Path_]) -> yamlio.Path_:
    """Translate a path in expanded data back to the path in the source file."""
    for n in range(len(path), 0, -1):
        if path[:n] in source_path:
            return source_path[path[:n]] + path[n:]
    return path
