"""What every command shares: consoles, error mapping, JSON output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from selfassess.errors import DefinitionError, Rejected, SelfassessError, UsageError
from selfassess.safety.package import LIMITS_ENV, Limits

P = ParamSpec("P")
R = TypeVar("R")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_REJECTED = 2


KeyFile = Annotated[
    Path | None,
    typer.Option(help="File holding the secretariat's signing key (default: $SELFASSESS_KEY)."),
]
LimitsSpec = Annotated[
    str | None,
    typer.Option(
        "--limits",
        help=f"Limits on returned files, e.g. 'file_bytes=60M,members=3000' (default: ${LIMITS_ENV}"
        " or the built-in limits; see docs/security.md).",
    ),
]


def load_limits(spec: str | None) -> Limits:
    """``--limits`` over ``$SELFASSESS_LIMITS`` over the defaults."""
    return Limits.parse(spec or "", Limits.from_env())


def progress_bar(total: int) -> Progress:
    """A bar on stderr that disappears when done; none for fewer than three steps."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=total < 3,
    )


def fail(message: str, code: int = EXIT_REJECTED) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    err.print(f"error: {message}", markup=False)
    return typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's exceptions into one clean line and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except DefinitionError as exc:
            for problem in exc.problems:
                err.print(str(problem), markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except (Rejected, UsageError) as exc:
            raise fail(str(exc), EXIT_REJECTED) from None
        except SelfassessError as exc:
            raise fail(str(exc), EXIT_REJECTED) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None

    return wrapper


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
