"""The README's tour runs as shown, and its set-up commands are what CI runs.

Every ``console`` block of README.md is executed from an empty folder: each
``$ command`` runs through bash, and every output line the README shows must
appear in the command's standard output, in order. A ``...`` line stands for
any number of lines left out; without one at the start (or end) of a block the
output must start (or end) with the shown line. A command exits 0, unless the
next one is ``echo $?``, whose shown output is the expected status.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ELLIPSIS = "..."
PROMPT = "$ "


@dataclass
class Step:
    command: str
    shown: list[str] = field(default_factory=list)


def fenced_blocks(text: str, lang: str) -> list[list[str]]:
    """The lines of every fenced code block of language ``lang``."""
    pattern = re.compile(rf"^```{lang}\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    return [m.group(1).splitlines() for m in pattern.finditer(text)]


def steps(block: list[str]) -> list[Step]:
    """A console block as commands, each with the output lines shown after it."""
    out: list[Step] = []
    for line in block:
        if line.startswith(PROMPT):
            out.append(Step(line[len(PROMPT) :]))
        else:
            assert out, f"output before any command in a console block: {line!r}"
            out[-1].shown.append(line.rstrip())
    return out


def shows(shown: list[str], actual: list[str]) -> str | None:
    """Why ``actual`` does not show what the README shows, or None when it does."""
    if not shown:
        return None if not actual else f"printed {actual[:3]}... where the README shows nothing"
    wanted = [line for line in shown if line.strip() != ELLIPSIS]
    if shown[0].strip() != ELLIPSIS and (not actual or actual[0] != wanted[0]):
        return f"first line is {actual[0] if actual else None!r}, not {wanted[0]!r}"
    if shown[-1].strip() != ELLIPSIS and (not actual or actual[-1] != wanted[-1]):
        return f"last line is {actual[-1] if actual else None!r}, not {wanted[-1]!r}"
    position = 0
    for line in wanted:
        try:
            position = actual.index(line, position) + 1
        except ValueError:
            return f"{line!r} is not printed (after line {position})"
    return None


def as_run_here(command: str) -> str:
    """The command, with ``selfassess`` run by this interpreter from this checkout.

    The installed console script may belong to another checkout; ``python -m``
    with PYTHONPATH set to this repository runs the code under test.
    """
    words = shlex.split(command)
    if words and words[0] == "selfassess":
        return shlex.join([sys.executable, "-m", "selfassess", *words[1:]])
    return command


def test_readme_has_console_blocks() -> None:
    blocks = fenced_blocks(README.read_text(encoding="utf-8"), "console")
    assert len(blocks) >= 5
    assert all(steps(block) for block in blocks)


def test_tour_runs_as_shown(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "NO_COLOR": "1"}
    status: int | None = None
    for block in fenced_blocks(README.read_text(encoding="utf-8"), "console"):
        block_steps = steps(block)
        for i, step in enumerate(block_steps):
            if step.command == "echo $?":
                assert [str(status)] == step.shown, f"the README says {step.shown}, not {status}"
                continue
            done = subprocess.run(
                ["bash", "-c", as_run_here(step.command)],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
            status = done.returncode
            checked = i + 1 < len(block_steps) and block_steps[i + 1].command == "echo $?"
            assert checked or status == 0, f"$ {step.command}\nexit {status}\n{done.stderr}"
            why = shows(step.shown, done.stdout.rstrip("\n").splitlines())
            assert why is None, f"$ {step.command}: {why}\n{done.stdout}{done.stderr}"


def test_ci_runs_the_readme_setup_commands_verbatim() -> None:
    (block,) = fenced_blocks(README.read_text(encoding="utf-8"), "sh")
    commands = [line for line in block if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci, f".ci/run does not run the README's command: {command}"


@pytest.mark.parametrize(
    ("shown", "actual", "ok"),
    [
        (["a", "...", "c"], ["a", "b", "c"], True),
        (["a", "c"], ["a", "b", "c"], True),
        (["a", "c", "b"], ["a", "b", "c"], False),
        (["...", "b"], ["a", "b", "c"], False),
        (["...", "b", "..."], ["a", "b", "c"], True),
        (["b", "..."], ["a", "b", "c"], False),
        ([], [], True),
        ([], ["a"], False),
        (["a"], [], False),
    ],
)
def test_matching_rule(shown: list[str], actual: list[str], ok: bool) -> None:
    assert (shows(shown, actual) is None) is ok
