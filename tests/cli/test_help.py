"""Every command has help with an example, and is documented in docs/cli.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main

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
