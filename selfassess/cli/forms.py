"""`selfassess generate` and `selfassess parse`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_REJECTED,
    KeyFile,
    LimitsSpec,
    err,
    handle_errors,
    load_limits,
    out,
    print_json,
    progress_bar,
)
from selfassess.cli.secretariat import run_round
from selfassess.constants import DEFAULT_QUESTIONNAIRE, DEFAULT_STORE
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import Rejected, UsageError
from selfassess.forms.generate import generate_forms, parse_formats
from selfassess.forms.parse import parse_form
from selfassess.i18n.localizer import country_code, parse_languages
from selfassess.response.interpret import ParseResult
from selfassess.response.meta import load_key
from selfassess.secretariat.parties import load_parties


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date; write it as YYYY-MM-DD") from None


@handle_errors
def generate(
    fmt: Annotated[str, typer.Option("--format", help="docx, xlsx or docx,xlsx.")] = "docx,xlsx",
    questionnaire: Annotated[str, typer.Option(help="Questionnaire id.")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    lang: Annotated[str, typer.Option(help="Languages: ar,zh,en,fr,ru,es or all.")] = "all",
    country: Annotated[
        str | None, typer.Option(help="Issue to these countries (ISO codes, comma-separated).")
    ] = None,
    deadline: Annotated[str | None, typer.Option(help="Deadline, YYYY-MM-DD.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs"),
    strict: Annotated[
        bool, typer.Option(help="Refuse to write a form with missing translations.")
    ] = False,
    password: Annotated[
        str | None, typer.Option(help="Password for sheet/document protection (optional).")
    ] = None,
    key_file: KeyFile = None,
    round_: Annotated[
        bool,
        typer.Option(
            "--round",
            help="Issue a round: every Party of --parties (or of --country) in its own "
            "languages (--lang is not used), recorded in --store.",
        ),
    ] = False,
    parties: Annotated[
        Path | None,
        typer.Option(
            help="Parties file: who --round issues to, and the country list of a blank "
            "form (default: the shipped UNTOC list)."
        ),
    ] = None,
    store: Annotated[Path, typer.Option(help="Store that records a --round.")] = Path(
        DEFAULT_STORE
    ),
    prefill: Annotated[
        bool,
        typer.Option(help="With --round: fill in each country's current answers from the store."),
    ] = False,
) -> None:
    """Generate fillable forms and print the path of every file written.

    With no options: the default questionnaire, blank, in all six languages,
    as Word and Excel, into outputs/.

    Example:

        selfassess generate --format xlsx --lang fr,es --country MX,SN --deadline 2027-03-31
        selfassess generate --round --deadline 2027-03-31 --out outputs/round1
    """
    q = load_questionnaire(questionnaire, version)
    languages = parse_languages(lang)
    countries: list[str | None] = (
        [country_code(c) for c in country.split(",") if c.strip()] if country else [None]
    )
    formats = parse_formats(fmt)
    if prefill and not round_:
        raise UsageError("--prefill works with --round; add --round")
    if round_:
        run_round(
            q,
            formats,
            out_dir,
            store_path=store,
            parties_path=parties,
            countries=country.split(",") if country else None,
            deadline=parse_date_option(deadline, "--deadline"),
            key=load_key(key_file),
            strict=strict,
            password=password,
            prefill=prefill,
        )
        return
    total = len(languages) * len(countries) * len(formats)
    with progress_bar(total) as bar:
        task = bar.add_task("generating", total=total)

        def step(path: Path) -> None:
            out.print(str(path), markup=False)
            bar.advance(task)

        result = generate_forms(
            q,
            languages,
            countries,
            formats,
            out_dir,
            deadline=parse_date_option(deadline, "--deadline"),
            key=load_key(key_file),
            strict=strict,
            password=password,
            progress=step,
            parties=load_parties(parties).codes() if parties else None,
        )
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)


def _summary(path: Path, result: ParseResult) -> None:
    form = result.form
    answered = sum(1 for v in result.answers.values() if v is not None)
    country = form.country or "-"
    out.print(
        f"[bold]{path}[/bold]: {form.questionnaire} {form.version}, {form.format}, "
        f"language {form.language}, country {country}, signature {form.signature}"
    )
    out.print(f"  {answered} of {len(result.answers)} items answered")
    for p in result.problems:
        where = " ".join(x for x in (p.item, f"({p.location})" if p.location else None) if x)
        style = "red" if p.severity == "error" else "yellow"
        out.print(f"  [{style}]{p.severity}[/{style}] {where}: {p.message}".replace(" : ", ": "))
    if not result.problems:
        out.print("  no problems")


def parse(
    files: Annotated[list[Path], typer.Argument(help="Completed .docx or .xlsx forms.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the parse contract as JSON.")
    ] = False,
    key_file: KeyFile = None,
    limits: LimitsSpec = None,
) -> None:
    """Read completed forms back: answers, where each was found, and every problem.

    Exit status: 0 parsed without errors (warnings allowed), 1 parsed with
    errors, 2 rejected (not a readable, safe form of a known questionnaire).

    Example:

        selfassess parse returns/mexico.xlsx --json
    """
    status = EXIT_OK
    results: list[dict[str, object]] = []
    try:
        key = load_key(key_file)
        bounds = load_limits(limits)
    except UsageError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_REJECTED) from None
    for path in files:
        try:
            result = parse_form(path, key=key, limits=bounds)
        except Rejected as exc:
            prefix = f"{path}: " if len(files) > 1 else ""
            err.print(f"error: {prefix}{exc}", markup=False)
            status = max(status, EXIT_REJECTED)
            continue
        if result.errors:
            status = max(status, EXIT_PROBLEMS)
        if as_json:
            results.append(result.to_json())
        else:
            _summary(path, result)
    if as_json and results:
        print_json(results[0] if len(files) == 1 else results)
    raise typer.Exit(status)
