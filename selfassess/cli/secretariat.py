"""`selfassess ingest|status|merge|report|demo|fill`."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli.common import (
    EXIT_PROBLEMS,
    XLSX_DOCX,
    DateOption,
    Formats,
    FormatsOption,
    KeyFile,
    LanguageOption,
    LimitsSpec,
    handle_errors,
    note,
    out,
    print_json,
    progress_bar,
    say,
    shown,
    warn,
)
from selfassess.constants import DEFAULT_STORE, DEMO_SEED, MIN_REPLIES_DEFAULT, SOURCE_LANGUAGE

StoreOpt = Annotated[
    Path,
    typer.Option(
        "--store",
        dir_okay=False,
        help="The store (SQLite database; its archive sits beside it).",
    ),
]
PartiesOpt = Annotated[
    Path | None,
    typer.Option(
        "--parties", dir_okay=False, help="Parties file (default: the shipped UNTOC list)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


@handle_errors
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Returned forms and online exports, or folders of them."),
    ],
    store_path: StoreOpt = Path(DEFAULT_STORE),
    as_json: JsonOpt = False,
    strict: Annotated[
        bool, typer.Option(help="Reject returns of forms the store did not issue.")
    ] = False,
    key_file: KeyFile = None,
    limits: LimitsSpec = None,
) -> None:
    """Ingest returned forms into the store; print one line per file.

    Each file is archived byte for byte, parsed, scored and recorded; the same
    file twice is a duplicate; the newest accepted return of a country is
    current and earlier ones are superseded. Exit 1 when a file was rejected.

    Example:

        selfassess ingest returns/ --store outputs/selfassess.sqlite
    """
    from selfassess.response.meta import load_key
    from selfassess.secretariat.ingest import FileOutcome, ingest_into

    with progress_bar(len(paths)) as bar:
        task = bar.add_task("ingesting", total=None)

        def step(outcome: FileOutcome) -> None:
            bar.advance(task)

        result = ingest_into(
            store_path, paths, key=load_key(key_file), strict=strict, limits=limits, progress=step
        )
    if as_json:
        print_json(result.to_json())
    else:
        for f in result.files:
            detail = f.reason or "; ".join(f.messages)
            problems = (
                f" ({f.errors} errors, {f.warnings} warnings)" if f.errors or f.warnings else ""
            )
            country = f" {f.country}" if f.country else ""
            say(
                shown(
                    f"{f.result:<22} {f.path}{country}{problems}"
                    + (f": {detail}" if detail else "")
                )
            )
        for warning in result.warnings:
            warn(warning)
        counts = ", ".join(f"{n} {k}" for k, n in result.counts().items() if n)
        note(counts or "no returns")
    if any(f.result == "rejected" for f in result.files):
        raise typer.Exit(EXIT_PROBLEMS)


@handle_errors
def status_cmd(
    store_path: StoreOpt = Path(DEFAULT_STORE),
    parties_path: PartiesOpt = None,
    as_json: JsonOpt = False,
    as_of: Annotated[dt.date | None, DateOption(help="Date to judge deadlines.")] = None,
    reminders: Annotated[
        Path | None,
        typer.Option(
            file_okay=False, help="Write reminder e-mails (.eml) for overdue Parties here."
        ),
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(dir_okay=False, help="Focal points CSV: country,name,email,language."),
    ] = None,
    sender: Annotated[str, typer.Option(help="From address of reminders.")] = (
        "secretariat@example.org"
    ),
) -> None:
    """Show, per Party and regional group, what was issued, returned, missing and overdue.

    Example:

        selfassess status --reminders outputs/reminders --contacts focal_points.csv
    """
    from rich.table import Table

    from selfassess.secretariat.status import round_status

    report, written = round_status(
        store_path,
        parties_path,
        as_of=as_of,
        reminders=reminders,
        contacts=contacts,
        sender=sender,
    )
    if as_json:
        data = report.to_json()
        if written is not None:
            data["reminders"] = [str(p) for p in written.written]
        print_json(data)
    else:
        table = Table(
            "Party", "group", "forms", "deadline", "returned", "status", "problems", "overdue"
        )
        for p in report.parties:
            if not p.forms_issued and not p.returned:
                continue
            table.add_row(
                *map(
                    shown,
                    (
                        f"{p.code} {p.name}",
                        ", ".join(p.groups) or "-",
                        p.forms_issued,
                        p.deadline.isoformat() if p.deadline else "-",
                        (p.received or "")[:10] if p.returned else "no",
                        p.return_status or "-",
                        f"{p.errors} E / {p.warnings} W" if p.problems else "-",
                        "OVERDUE" if p.overdue else "",
                    ),
                )
            )
        out.print(table)
        groups = Table("group", "Parties", "issued", "returned", "missing", "overdue", "problems")
        for g in [*report.groups, report.total]:
            groups.add_row(
                *map(
                    shown,
                    (
                        g.name,
                        g.parties,
                        g.issued,
                        g.returned,
                        g.missing,
                        g.overdue,
                        g.open_problems,
                    ),
                )
            )
        out.print(groups)
    for warning in report.warnings + (written.warnings if written else []):
        warn(warning)
    if written is not None and not as_json:
        note(f"{len(written.written)} reminder(s) written to {reminders}")


@handle_errors
def merge(
    files: Annotated[
        list[Path],
        typer.Argument(
            dir_okay=False,
            help="Returns of one country (.docx/.xlsx/.odt/.ods/.json, or online exports of "
            "its submissions).",
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", dir_okay=False, help="Merged response (.json).")
    ],
    key_file: KeyFile = None,
) -> None:
    """Combine partial returns of one country; differing answers are listed as conflicts.

    Exit 1 when there are conflicts (the merged file is written all the same,
    with the conflicting answers empty and listed).

    Example:

        selfassess merge mx-justice.xlsx mx-interior.docx --out mx-merged.json
    """
    from selfassess.response.meta import load_key
    from selfassess.secretariat.merge import merge_to_file

    result = merge_to_file(list(files), out_path, load_key(key_file))
    answered = sum(v is not None for v in result.response.answers.values())
    say(shown(f"{out_path}: {answered} answers from {len(result.sources)} returns"))
    for c in result.conflicts:
        values = "; ".join(f"{v.source}={v.value}" for v in c.values)
        say(shown(f"conflict {c.item}: {values}"))
    if result.conflicts:
        raise typer.Exit(EXIT_PROBLEMS)


@handle_errors
def report(
    store_path: StoreOpt = Path(DEFAULT_STORE),
    parties_path: PartiesOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", file_okay=False, help="Output folder.")] = Path(
        "outputs"
    ),
    fmt: Annotated[Formats, FormatsOption(help="xlsx, docx or xlsx,docx.")] = XLSX_DOCX,
    lang: Annotated[str, LanguageOption(help="Language of the report.")] = SOURCE_LANGUAGE,
    as_json: JsonOpt = False,
    country_detail: Annotated[
        bool,
        typer.Option(help="Add the confidential annex: country x recommendation, alphabetical."),
    ] = False,
    as_of: Annotated[dt.date | None, DateOption(help="Report date.")] = None,
    min_replies: Annotated[
        int,
        typer.Option(
            "--min-replies",
            min=1,
            help="Hide a regional or thematic figure resting on fewer replies than this.",
        ),
    ] = MIN_REPLIES_DEFAULT,
) -> None:
    """Write the aggregate report over all current returns (no ranking of countries).

    Example:

        selfassess report --format xlsx,docx --lang fr --out outputs/reports
    """
    from selfassess.reports.aggregate import write_aggregate_reports

    files = write_aggregate_reports(
        store_path,
        parties_path,
        out_dir,
        formats=fmt,
        lang=lang,
        country_detail=country_detail,
        as_of=as_of,
        min_replies=min_replies,
    )
    if as_json:
        print_json(files.report.to_json())
    else:
        for path in files.paths:
            say(shown(path))
    for warning in files.warnings:
        warn(warning)


@handle_errors
def demo(
    out_dir: Annotated[Path, typer.Option("--out", file_okay=False, help="Output folder.")] = Path(
        "outputs/demo"
    ),
) -> None:
    """Run a whole round with synthetic returns into a fresh store and write the reports.

    Example:

        selfassess demo --out outputs/demo
    """
    from selfassess.secretariat.demo import run_demo

    with progress_bar(None) as bar:
        bar.add_task("running the demo round", total=None)
        result = run_demo(out_dir)
    say(shown(f"store: {result.store}"))
    say(f"forms issued: {result.forms:,}")
    counts = ", ".join(f"{n} {k}" for k, n in result.ingest.counts().items() if n)
    say(shown(f"returns in {result.returns_dir}: {counts}"))
    say(f"reminders: {len(result.reminders)}")
    for path in result.reports:
        say(shown(path))


@handle_errors
def fill(
    form: Annotated[Path, typer.Argument(help="An Excel form written by generate.")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the filled form.")],
    seed: Annotated[int, typer.Option(help="Seed of the random answers.")] = DEMO_SEED,
) -> None:
    """Fill an Excel form with random but valid answers, as the demo's respondents do.

    For trying parse, score and ingest without a real return.

    Example:

        selfassess fill tour/ctoc_wgta-1.1-en-MX.xlsx --out tour/mexico.xlsx
    """
    from selfassess.secretariat.demo import write_filled_form

    say(shown(write_filled_form(form, out_path, seed=seed)))
