"""Suite-wide test configuration."""

from __future__ import annotations

import pytest

from tests.support.ci import unavailable
from tests.support.libreoffice import skip_reason

# Scripts for LibreOffice's own Python: they import ``uno``, which the
# project's interpreter lacks, so doctest collection must not import them.
collect_ignore = ["support/uno_scripts"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is not None:
        reason = skip_reason()
        if reason is not None:
            unavailable(reason)
