"""Every command refuses a bad value with exit 2, one line on stderr, no traceback.

The bad values are fed to each command that has the option, with the
command's required arguments filled in, so a value that slipped past its
option's parser would fail later and differently (a missing store, a missing
file): the test checks that the line names the option.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.cli.common import EXIT_REJECTED
from tests.cli.test_help import commands

runner = CliRunner()

BAD_DATES = ["2025-13-01", "2025-02-30", "tomorrow", "", "2025-1-1x", "99999-01-01"]
#: Option -> values its parser must refuse.
BAD_VALUES: dict[str, list[str]] = {
    "--as-of": BAD_DATES,
    "--deadline": BAD_DATES,
    "--period": [
        "2025-12-31:2025-01-01",
        "2025-01-01",
        "2025-01-01:2025-02-30",
        "",
        "a:b",
        "2025-01-01:2025-02-01:2025-03-01",
        "2025-01-01\u202e:2025-02-01",
    ],
    "--lang": ["xx", "fr,xx", ",", "\x1b[31mfr", "[/red]"],
    "--format": ["pdf", "docx,pdf", ",", "xlsx\u202edocx"],
    "--country": ["ZZ", "../../ETC", "MX,Atlantis", ","],
    "--min-replies": ["0", "-1", "three", "1.5"],
    "--limits": [
        "file_bytes=1e400",
        "file_bytes=nan",
        "ratio=inf",
        "members=-1",
        "nope=1",
        "file_bytes",
    ],
}


def leaf(path: str) -> Any:
    return dict(commands())[path]


def required_args(command: Any) -> list[str]:
    """Values for the command's required arguments and options, that parse."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            args.append("missing.xlsx")
        else:
            args += [param.opts[0], "out.json"]
    return args


def options_of(command: Any) -> set[str]:
    return {opt for param in command.params for opt in param.opts}


CASES = [
    (path, option, value)
    for path, command in commands()
    for option in sorted(options_of(command) & set(BAD_VALUES))
    for value in BAD_VALUES[option]
]


def assert_one_line_refusal(done: Any, *, naming: str) -> None:
    assert done.exit_code == EXIT_REJECTED, (done.exit_code, done.output)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert naming in lines[0], lines[0]
    assert "Traceback" not in done.stderr
    assert "╭" not in done.stderr  # no usage box


def test_every_typed_option_is_exercised() -> None:
    covered = {option for _, option, _ in CASES}
    assert covered == set(BAD_VALUES), set(BAD_VALUES) - covered


@pytest.mark.parametrize(("path", "option", "value"), CASES)
def test_bad_value_is_one_line_and_exit_2(
    path: str, option: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # whatever slips through writes nothing into the repository
    command = leaf(path)
    argv = [*path.split()[1:], *required_args(command), f"{option}={value}"]
    done = runner.invoke(app, argv)
    assert_one_line_refusal(done, naming=f"'{option}'")


@pytest.mark.parametrize("path", [p for p, _ in commands()])
def test_unknown_option_is_one_line_and_exit_2(path: str) -> None:
    done = runner.invoke(app, [*path.split()[1:], "--no-such-option"])
    assert_one_line_refusal(done, naming=path.split(" ", 1)[-1])


def test_unknown_command_and_missing_argument() -> None:
    assert_one_line_refusal(runner.invoke(app, ["bogus"]), naming="No such command 'bogus'")
    assert_one_line_refusal(runner.invoke(app, ["parse"]), naming="Missing argument")
    assert_one_line_refusal(runner.invoke(app, ["merge", "a.json"]), naming="'--out'")


def test_no_arguments_still_shows_the_help() -> None:
    done = runner.invoke(app, [])
    assert done.exit_code == EXIT_REJECTED
    assert "Commands" in done.output


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_as_of_is_a_date_or_one_line(text: str) -> None:
    """Free text to a date option: refused in one line, however odd, or taken as a date."""
    done = runner.invoke(app, ["status", "--store", "/nonexistent/s.sqlite", f"--as-of={text}"])
    assert done.exit_code == EXIT_REJECTED
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_as_of_from_a_real_process() -> None:
    """The documented case of issue 11, as a shell runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "selfassess", "status", "--as-of", "2025-13-01"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_REJECTED
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "'--as-of'" in done.stderr
    assert "YYYY-MM-DD" in done.stderr


def test_a_bad_limits_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFASSESS_LIMITS", "file_bytes=inf")
    refused = runner.invoke(app, ["parse", "missing.xlsx", "--limits", "members=10"])
    assert_one_line_refusal(refused, naming="$SELFASSESS_LIMITS")
    without_option = runner.invoke(app, ["parse", "missing.xlsx"])
    assert without_option.exit_code == EXIT_REJECTED
    assert without_option.stderr.count("\n") == 1
    assert "finite number" in without_option.stderr
