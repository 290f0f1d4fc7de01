"""The command line switches pydantic's plugin discovery off; the library never does.

The switch is the environment variable ``PYDANTIC_DISABLE_PLUGINS`` (read at
the first validation): the CLI sets it for its own process when the user has
not, and a user's own value wins (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from pathlib import Path

import pytest

from selfassess.cli import PLUGINS_ENV, main
from selfassess.forms.generate import generate_forms
from selfassess.forms.parse import parse_form
from tests.forms.inline import blank_xlsx, definition


def _run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> None:
    monkeypatch.setattr(sys, "argv", ["selfassess", *argv])
    with pytest.raises(SystemExit):
        main()


def test_the_cli_disables_plugins_when_the_user_has_not_said(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    _run_cli(monkeypatch, "--help")
    assert os.environ[PLUGINS_ENV] == "__all__"


@pytest.mark.parametrize("users", ["", "0", "logfire"])
def test_the_users_own_setting_wins(monkeypatch: pytest.MonkeyPatch, users: str) -> None:
    monkeypatch.setenv(PLUGINS_ENV, users)
    _run_cli(monkeypatch, "--help")
    assert os.environ[PLUGINS_ENV] == users


def test_the_library_leaves_its_hosts_environment_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    q = definition()
    generate_forms(q, ["en"], ["MX"], ["docx", "xlsx"], tmp_path, issued=dt.date(2025, 2, 1))
    parse_form(io.BytesIO(blank_xlsx(q)), questionnaire=q)
    assert PLUGINS_ENV not in os.environ
