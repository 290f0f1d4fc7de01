"""A missing tool skips a test on a workstation and fails it in CI."""

from __future__ import annotations

import pytest

from tests.support.ci import in_ci, unavailable


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", False), ("0", False), ("false", False), ("true", True), ("1", True), ("yes", True)],
)
def test_ci_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        unavailable("no tool")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no tool"):
        unavailable("no tool")
