"""What every command shares: the app, consoles, safe text, typed options, error mapping.

Command modules import only this module, typer, the constants and the
standard library at start-up; the library is imported inside each command, so that
``selfassess --help`` loads no format library, no secretariat module and no
numpy (tests/cli/test_startup.py).
"""

import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NewType, ParamSpec, TypeVar, cast

import typer
from rich.console import Console
from rich.markup import escape
from typer import _click
from typer.core import TyperGroup

from selfassess.constants import FORMATS, LANGUAGES, Format

if TYPE_CHECKING:
    from rich.progress import Progress

P = ParamSpec("P")
R = TypeVar("R")

# No highlighting and no emoji codes: ":warning:" in an answer prints as itself.
out = Console(highlight=False, emoji=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_REJECTED = 2
EXIT_INTERRUPTED = 130


def shown(value: object) -> str:
    """``value`` as text safe to print with Rich markup on: every control, format
    (bidi) and line or paragraph separator character written as its escape
    (``\\x1b``, ``\\u202e``, ``\\n``) by :func:`selfassess.safety.text.shown`,
    the rule the library's own messages follow, and markup such as ``[/red]``
    escaped so that it prints as itself.

    Every answer, path, file name and message that reaches the terminal goes
    through this function; the rest of a printed line is our own markup.
    """
    from selfassess.safety.text import shown as visible

    return escape(visible(str(value)))


def say(line: str) -> None:
    """One line on stdout; ``line`` is our markup around :func:`shown` values."""
    out.print(line)


def warn(message: object) -> None:
    err.print(f"warning: {shown(message)}")


def note(message: object) -> None:
    """A line for the user on stderr, beside the results on stdout."""
    err.print(shown(message))


def fail(message: object, code: int = EXIT_REJECTED) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    err.print(f"error: {shown(message)}")
    return typer.Exit(code)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's exceptions into one clean line and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from selfassess.errors import DefinitionError, SelfassessError

        try:
            return fn(*args, **kwargs)
        except DefinitionError as exc:
            # One located line per problem: the file is ours, not the user's input.
            for problem in exc.problems:
                err.print(shown(problem))
            raise typer.Exit(EXIT_PROBLEMS) from None
        except SelfassessError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None

    return wrapper


def print_json(data: Any) -> None:
    """JSON on stdout. The characters :func:`shown` escapes are written as JSON
    escapes (``\\u202e``): the same JSON value, and nothing for a terminal to act on.
    The layout's own newlines stay; ``json`` already escapes those in strings."""
    import json

    from selfassess.safety.text import shown as visible

    def safe(line: str) -> str:
        if line.isprintable():  # the common case, checked in C
            return line
        return "".join(ch if visible(ch) == ch else json.dumps(ch)[1:-1] for ch in line)

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n".join(map(safe, text.split("\n"))) + "\n")


def progress_bar(total: int | None) -> "Progress":
    """A bar on stderr that disappears when done; none for fewer than three steps
    (``None``: not known yet)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=total is not None and total < 3,
    )


# --- Typed options ---------------------------------------------------------
# Each parser turns one option's text into its value or raises BadParameter,
# which App.main prints as one line with exit 2. Parsers import the library
# rule they apply when they run, so that --help stays light. A default is
# written as on the command line (cast to the parsed type for mypy): click
# passes it through the parser like a typed value, and --help shows it.

Languages = NewType("Languages", list[str])
Countries = NewType("Countries", list[str])
Formats = NewType("Formats", list[Format])

ALL_LANGUAGES = cast(Languages, "all")
DOCX_XLSX = cast(Formats, "docx,xlsx")
XLSX_DOCX = cast(Formats, "xlsx,docx")


T = TypeVar("T")


def _apply(rule: Callable[[str], T], text: str) -> T:
    """The library's rule for a value, its UsageError as click's BadParameter."""
    from selfassess.errors import UsageError

    try:
        return rule(text)
    except UsageError as exc:
        raise typer.BadParameter(str(exc)) from None


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def parse_period(text: str) -> Any:  # a Period: naming it here would load pydantic at start-up
    from selfassess.response.meta import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def parse_language(text: str) -> str:
    from selfassess.i18n.localizer import check_language

    return _apply(check_language, text)


def parse_languages(text: str) -> Languages:
    from selfassess.i18n.localizer import parse_languages as languages

    return Languages(_apply(languages, text))


def parse_countries(text: str) -> Countries:
    from selfassess.i18n.localizer import country_code

    codes = [_apply(country_code, part) for part in text.split(",") if part.strip()]
    if not codes:
        raise typer.BadParameter("no country given; write ISO codes such as MX,SN")
    return Countries(codes)


def parse_formats(text: str) -> Formats:
    from selfassess.forms.generate import parse_formats as formats

    return Formats(_apply(formats, text))


def parse_limits(text: str) -> Any:  # a Limits: naming it here would import lxml at start-up
    from selfassess.errors import UsageError
    from selfassess.safety.package import LIMITS_ENV, Limits

    try:
        base = Limits.from_env()
    except UsageError as exc:
        raise typer.BadParameter(f"${LIMITS_ENV}, which --limits changes: {exc}") from None
    return _apply(lambda spec: Limits.parse(spec, base), text)


DateOption = functools.partial(typer.Option, parser=parse_date, metavar="YYYY-MM-DD")
LanguageOption = functools.partial(
    typer.Option, parser=parse_language, metavar="|".join(LANGUAGES).upper()
)
LanguagesOption = functools.partial(typer.Option, parser=parse_languages, metavar="LANGS")
CountriesOption = functools.partial(typer.Option, parser=parse_countries, metavar="CODES")
FormatsOption = functools.partial(
    typer.Option, "--format", parser=parse_formats, metavar=",".join(FORMATS).upper()
)

KeyFile = Annotated[
    Path | None,
    typer.Option(
        dir_okay=False,
        help="File holding the secretariat's signing key (default: $SELFASSESS_KEY).",
    ),
]
PeriodSpec = Annotated[
    Any,
    typer.Option(
        "--period",
        parser=parse_period,
        metavar="START:END",
        help="Reporting period, YYYY-MM-DD:YYYY-MM-DD: printed on the forms, kept in their "
        "metadata and written into the reporting-period question.",
    ),
]
ContactFile = Annotated[
    Path | None,
    typer.Option(
        "--contact",
        dir_okay=False,
        help="The secretariat's contact details to print on the forms (default: "
        "secretariat.yaml in the --definitions folder, if there is one).",
    ),
]
LimitsSpec = Annotated[
    Any,
    typer.Option(
        "--limits",
        parser=parse_limits,
        metavar="SPEC",
        help="Limits on returned files, e.g. 'file_bytes=60M,members=3000' (default: "
        "$SELFASSESS_LIMITS or the built-in limits; see docs/security.md).",
    ),
]


class App(TyperGroup):
    """The root group: a usage error is one line on stderr and exit 2.

    Click would print a usage box of several lines; a script reading stderr,
    and a person, want the one line that says what to fix.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except _click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # the whole help, as before: nothing was asked yet
            code = exc.exit_code
        except _click.exceptions.ClickException as exc:
            ctx = exc.ctx if isinstance(exc, _click.exceptions.UsageError) else None
            where = shown(ctx.command_path if ctx else self.name or "selfassess")
            message = shown(exc.format_message().rstrip("."))
            err.print(f"error: {where}: {message}; see '{where} --help'")
            code = EXIT_REJECTED
        except typer.Abort:
            err.print("error: interrupted")
            code = EXIT_INTERRUPTED
        else:
            code = rv if isinstance(rv, int) else EXIT_OK
        if not standalone_mode:
            return code
        sys.exit(code)
