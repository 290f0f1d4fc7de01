"""What a test needs from the machine, missing: a skip on a workstation, a failure in CI.

CI (``.ci/run``, which sets ``CI=true`` as every CI service does) installs
everything the suite needs (``scripts/install-system-deps.sh`` and the test
extra); a check that skips there has silently stopped running.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """Whether the suite runs in CI: ``CI`` set to anything but empty, 0 or false."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test for ``reason``, or fail it in CI."""
    if in_ci():
        pytest.fail(f"{reason}; CI must have it (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip(reason)
