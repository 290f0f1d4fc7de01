"""The CLI's --definitions is a process-wide setting: no test leaves it set for the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfassess.resources import set_definitions_dir


@pytest.fixture(autouse=True)
def _no_definitions_left_set() -> Iterator[None]:
    yield
    set_definitions_dir(None)
