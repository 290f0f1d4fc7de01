"""`selfassess generate` and `selfassess parse`."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfassess.cli.common import (
    ALL_LANGUAGES,
    DOCX_XLSX,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_REJECTED,
    ContactFile,
    Countries,
    CountriesOption,
    DateOption,
    Formats,
    FormatsOption,
    KeyFile,
    Languages,
    LanguagesOption,
    LimitsSpec,
    PeriodSpec,
    err,
    handle_errors,
    note,
    print_json,
    progress_bar,
    say,
    shown,
    warn,
)
from selfassess.constants import DEFAULT_QUESTIONNAIRE, DEFAULT_STORE
from selfassess.errors import UsageError

if TYPE_CHECKING:
    from selfassess.response.interpret import ParseResult


@handle_errors
def generate(
    fmt: Annotated[Formats, FormatsOption(help="docx, xlsx or docx,xlsx.")] = DOCX_XLSX,
    questionnaire: Annotated[str, typer.Option(help="Questionnaire id.")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    lang: Annotated[
        Languages, LanguagesOption(help="Languages: ar,zh,en,fr,ru,es or all.")
    ] = ALL_LANGUAGES,
    country: Annotated[
        Countries | None,
        CountriesOption(help="Issue to these countries (ISO codes, comma-separated)."),
    ] = None,
    deadline: Annotated[dt.date | None, DateOption(help="Deadline, YYYY-MM-DD.")] = None,
    period: PeriodSpec = None,
    contact_file: ContactFile = None,
    out_dir: Annotated[Path, typer.Option("--out", file_okay=False, help="Output folder.")] = Path(
        "outputs"
    ),
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
            dir_okay=False,
            help="Parties file: who --round issues to, and the country list of a blank "
            "form (default: the shipped UNTOC list).",
        ),
    ] = None,
    store: Annotated[
        Path, typer.Option(dir_okay=False, help="Store that records a --round.")
    ] = Path(DEFAULT_STORE),
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
        selfassess generate --round --deadline 2027-03-31 --period 2025-01-01:2026-12-31 \
            --out outputs/round1
    """
    from selfassess.definitions.contact import load_contact
    from selfassess.definitions.questionnaire import load_questionnaire
    from selfassess.response.meta import load_key

    if prefill and not round_:
        raise UsageError("--prefill works with --round; add --round")
    q = load_questionnaire(questionnaire, version)
    key = load_key(key_file)
    contact = load_contact(contact_file)
    if round_:
        from selfassess.secretariat.round import run_round

        with progress_bar(None) as bar:
            task = bar.add_task("issuing", total=None)
            issued = run_round(
                store,
                q,
                out_dir,
                formats=fmt,
                parties_path=parties,
                countries=country,
                deadline=deadline,
                period=period,
                contact=contact,
                key=key,
                strict=strict,
                password=password,
                prefill=prefill,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        for form in issued.forms:
            say(shown(form.path))
        for warning in issued.warnings:
            warn(warning)
        note(
            f"round {issued.round.id} ({issued.round.label}): {len(issued.forms)} forms to "
            f"{len(issued.parties)} Parties recorded in {store}"
            + (f"; {len(issued.prefilled)} prefilled" if prefill else "")
        )
        return

    from selfassess.definitions.parties import load_parties
    from selfassess.forms.generate import generate_forms

    countries: list[str | None] = list(country) if country else [None]
    total = len(lang) * len(countries) * len(fmt)
    with progress_bar(total) as bar:
        task = bar.add_task("generating", total=total)

        def step(path: Path) -> None:
            say(shown(path))
            bar.advance(task)

        result = generate_forms(
            q,
            lang,
            countries,
            fmt,
            out_dir,
            deadline=deadline,
            period=period,
            contact=contact,
            key=key,
            strict=strict,
            password=password,
            progress=step,
            parties=load_parties(parties).codes() if parties else None,
        )
    for warning in result.warnings:
        warn(warning)


def _summary(path: Path, result: "ParseResult") -> None:
    form = result.form
    answered = sum(1 for v in result.answers.values() if v is not None)
    name = f"{path}#{form.submission.instance_id}" if form.submission else str(path)
    say(
        f"[bold]{shown(name)}[/bold]: {shown(form.questionnaire)} {shown(form.version)}, "
        f"{shown(form.format)}, language {shown(form.language)}, "
        f"country {shown(form.country or '-')}, signature {shown(form.signature)}"
    )
    say(f"  {answered} of {len(result.answers)} items answered")
    for p in result.problems:
        where = " ".join(x for x in (p.item, f"({p.location})" if p.location else None) if x)
        style = "red" if p.severity == "error" else "yellow"
        text = f" {where}: {p.message}" if where else f": {p.message}"
        say(f"  [{style}]{p.severity}[/{style}]{shown(text)}")
    if not result.problems:
        say("  no problems")


@handle_errors
def parse(
    files: Annotated[
        list[Path],
        typer.Argument(
            dir_okay=False,
            help="Completed .docx or .xlsx forms (or .odt/.ods saved by LibreOffice), or online "
            "exports (.csv, .zip, OData .json, KoBoToolbox .xlsx).",
        ),
    ],
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
    from selfassess.errors import Rejected
    from selfassess.forms.parse import parse_returns
    from selfassess.response.meta import load_key

    key = load_key(key_file)
    status = EXIT_OK
    results: list[dict[str, object]] = []
    for path in files:
        try:
            parsed = parse_returns(path, key=key, limits=limits)
        except Rejected as exc:
            prefix = f"{path}: " if len(files) > 1 else ""
            err.print(f"error: {shown(prefix)}{shown(exc)}")
            status = max(status, EXIT_REJECTED)
            continue
        for result in parsed:
            if result.errors:
                status = max(status, EXIT_PROBLEMS)
            if as_json:
                results.append(result.to_json())
            else:
                _summary(path, result)
    if as_json and results:
        print_json(results[0] if len(results) == 1 and len(files) == 1 else results)
    raise typer.Exit(status)
