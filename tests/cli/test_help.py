"""Every command has help with an example, and docs/cli.md lists each of its options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from selfassess.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def commands() -> list[tuple[str, Any]]:
    """(command line, command) of every leaf command.

    Typer vendors its own click, so groups are recognised by their ``commands``.
    """
    found: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: str) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}")
        else:
            found.append((path, cmd))

    walk(typer.main.get_command(app), "selfassess")
    return found


def with_options() -> list[tuple[str, Any]]:
    """Every leaf command, and every group that takes options of its own (the root's
    ``--definitions``, ``catalogue``'s ``--id``)."""
    found: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: str) -> None:
        if not hasattr(cmd, "commands") or options(cmd):
            found.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "selfassess")
    return found


@pytest.mark.parametrize(("path", "command"), commands(), ids=[p for p, _ in commands()])
def test_command_has_help_with_example(path: str, command: Any) -> None:
    assert command.help, f"{path} has no help"
    assert "Example:" in command.help, f"{path}: its help shows no example"
    assert f"\n        {path}" in command.help or f"    {path}" in command.help, (
        f"{path}: the example does not show the command itself"
    )


@pytest.mark.parametrize("path", [p for p, _ in commands()])
def test_command_is_documented(path: str) -> None:
    assert f"`{path}" in DOCS.read_text(encoding="utf-8"), f"{path} is not in docs/cli.md"


def sections() -> dict[str, str]:
    """docs/cli.md: the text under each ``### `selfassess ...``` heading, by command."""
    found: dict[str, str] = {}
    paths = [p for p, _ in with_options()]
    for chunk in DOCS.read_text(encoding="utf-8").split("\n### ")[1:]:
        heading, _, body = chunk.partition("\n")
        body = body.split("\n## ")[0]
        named = [p for p in paths if heading.startswith((f"`{p}`", f"`{p} "))]
        assert named, f"docs/cli.md: heading {heading!r} names no command"
        # `selfassess catalogue import ...` also starts like `selfassess catalogue`.
        found[max(named, key=len)] = body
    return found


def options(command: Any) -> set[str]:
    """The command's options as written on a command line (``--no-x`` forms left out)."""
    return {o for p in command.params if p.param_type_name == "option" for o in p.opts} - {"--help"}


@pytest.mark.parametrize(("path", "command"), with_options(), ids=[p for p, _ in with_options()])
def test_docs_list_exactly_the_options(path: str, command: Any) -> None:
    body = sections()[path]
    documented = set(re.findall(r"`(--[a-z][a-z-]*)", body))
    assert options(command) - documented == set(), f"{path}: options missing from docs/cli.md"
    # The root's options (--definitions) are everyone's to mention.
    mentioned = documented - options(typer.main.get_command(app))
    assert mentioned - options(command) == set(), f"{path}: docs/cli.md lists no such options"


@pytest.mark.parametrize(("path", "command"), with_options(), ids=[p for p, _ in with_options()])
def test_help_shows_every_option(path: str, command: Any) -> None:
    """What the docs are checked against is what `--help` prints."""
    done = CliRunner().invoke(app, [*path.split()[1:], "--help"], terminal_width=200)
    assert done.exit_code == 0, done.output
    for option in options(command):
        assert option in done.stdout, f"{path} --help does not show {option}"
