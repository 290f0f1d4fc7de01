"""`selfassess ingest|status|merge|report|demo|fill`, and `selfassess generate --round`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from selfassess.cli.common import (
    EXIT_PROBLEMS,
    KeyFile,
    LimitsSpec,
    err,
    handle_errors,
    load_limits,
    out,
    print_json,
    progress_bar,
)
from selfassess.constants import DEFAULT_STORE, MIN_REPLIES_DEFAULT
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.generate import Format
from selfassess.i18n.localizer import Localizer, check_language
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.response.meta import load_key
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.demo import DEMO_SEED, fill_form, run_demo
from selfassess.secretariat.ingest import FileOutcome, ingest_paths
from selfassess.secretariat.merge import merge_files
from selfassess.secretariat.parties import load_parties
from selfassess.secretariat.round import issue_round
from selfassess.secretariat.status import load_contacts, status, write_reminders
from selfassess.store import Store

StoreOpt = Annotated[
    Path, typer.Option("--store", help="The store (SQLite database; its archive sits beside it).")
]
PartiesOpt = Annotated[
    Path | None,
    typer.Option("--parties", help="Parties file (default: the shipped UNTOC list)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def run_round(
    questionnaire: Questionnaire,
    formats: list[Format],
    out_dir: Path,
    *,
    store_path: Path,
    parties_path: Path | None,
    countries: list[str] | None,
    deadline: dt.date | None,
    key: bytes | None,
    strict: bool,
    password: str | None,
    prefill: bool,
) -> None:
    """`selfassess generate --round`: every Party's forms, recorded in the store."""
    parties = load_parties(parties_path)
    if countries:
        parties = parties.select(countries)
    total = sum(len(p.languages) for p in parties.parties) * len(formats)
    with Store(store_path) as store, progress_bar(total) as bar:
        task = bar.add_task("issuing", total=total)
        result = issue_round(
            store,
            questionnaire,
            parties,
            out_dir,
            formats=formats,
            deadline=deadline,
            key=key,
            strict=strict,
            password=password,
            prefill=prefill,
            progress=lambda done, _total: bar.update(task, completed=done),
        )
    for form in result.forms:
        out.print(str(form.path), markup=False)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    err.print(
        f"round {result.round.id} ({result.round.label}): {len(result.forms)} forms to "
        f"{len(parties.parties)} Parties recorded in {store_path}"
        + (f"; {len(result.prefilled)} prefilled" if prefill else ""),
        markup=False,
    )


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Returned forms, or folders of them.")],
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
    key = load_key(key_file)
    load_limits(limits)  # a bad --limits is refused before the store is opened
    with Store(store_path) as store:
        total = len(paths)
        with progress_bar(total) as bar:
            task = bar.add_task("ingesting", total=None)

            def step(outcome: FileOutcome) -> None:
                bar.advance(task)

            result = ingest_paths(
                store, paths, key=key, strict=strict, limits=load_limits(limits), progress=step
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
            out.print(
                f"{f.result:<22} {f.path}{country}{problems}" + (f": {detail}" if detail else ""),
                markup=False,
            )
        counts = ", ".join(f"{n} {k}" for k, n in result.counts().items() if n)
        err.print(counts or "no files", markup=False)
    if any(f.result == "rejected" for f in result.files):
        raise typer.Exit(EXIT_PROBLEMS)


@handle_errors
def status_cmd(
    store_path: StoreOpt = Path(DEFAULT_STORE),
    parties_path: PartiesOpt = None,
    as_json: JsonOpt = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date to judge deadlines, YYYY-MM-DD.")
    ] = None,
    reminders: Annotated[
        Path | None, typer.Option(help="Write reminder e-mails (.eml) for overdue Parties here.")
    ] = None,
    contacts: Annotated[
        Path | None, typer.Option(help="Focal points CSV: country,name,email,language.")
    ] = None,
    sender: Annotated[str, typer.Option(help="From address of reminders.")] = (
        "secretariat@example.org"
    ),
) -> None:
    """Show, per Party and regional group, what was issued, returned, missing and overdue.

    Example:

        selfassess status --reminders outputs/reminders --contacts focal_points.csv
    """
    if (reminders is None) != (contacts is None):
        raise UsageError("--reminders and --contacts go together; give both")
    day = dt.date.fromisoformat(as_of) if as_of else None
    parties = load_parties(parties_path)
    with Store(store_path, create=False) as store:
        report = status(store, parties, as_of=day)
        q = (
            load_questionnaire(report.round.questionnaire, report.round.version)
            if report.round
            else None
        )
    written = None
    if reminders is not None and contacts is not None:
        written = write_reminders(
            report, load_contacts(contacts), reminders, sender=sender, questionnaire=q
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
                f"{p.code} {p.name}",
                ", ".join(p.groups) or "-",
                str(p.forms_issued),
                p.deadline.isoformat() if p.deadline else "-",
                (p.received or "")[:10] if p.returned else "no",
                p.return_status or "-",
                f"{p.errors} E / {p.warnings} W" if p.problems else "-",
                "OVERDUE" if p.overdue else "",
            )
        out.print(table)
        groups = Table("group", "Parties", "issued", "returned", "missing", "overdue", "problems")
        for g in [*report.groups, report.total]:
            groups.add_row(
                g.name,
                *map(str, (g.parties, g.issued, g.returned, g.missing, g.overdue, g.open_problems)),
            )
        out.print(groups)
    for warning in report.warnings + (written.warnings if written else []):
        err.print(f"warning: {warning}", markup=False)
    if written is not None and not as_json:
        err.print(f"{len(written.written)} reminder(s) written to {reminders}", markup=False)


@handle_errors
def merge(
    files: Annotated[
        list[Path], typer.Argument(help="Returns of one country (.docx/.xlsx/.json).")
    ],
    out_path: Annotated[Path, typer.Option("--out", help="Merged response (.json).")],
    key_file: KeyFile = None,
) -> None:
    """Combine partial returns of one country; differing answers are listed as conflicts.

    Exit 1 when there are conflicts (the merged file is written all the same,
    with the conflicting answers empty and listed).

    Example:

        selfassess merge mx-justice.xlsx mx-interior.docx --out mx-merged.json
    """
    result = merge_files(list(files), load_key(key_file))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(
        json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    answered = sum(v is not None for v in result.response.answers.values())
    out.print(f"{out_path}: {answered} answers from {len(result.sources)} returns", markup=False)
    for c in result.conflicts:
        values = "; ".join(f"{v.source}={v.value}" for v in c.values)
        out.print(f"conflict {c.item}: {values}", markup=False)
    if result.conflicts:
        raise typer.Exit(EXIT_PROBLEMS)


@handle_errors
def report(
    store_path: StoreOpt = Path(DEFAULT_STORE),
    parties_path: PartiesOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs"),
    fmt: Annotated[str, typer.Option("--format", help="xlsx, docx or xlsx,docx.")] = "xlsx,docx",
    lang: Annotated[str, typer.Option(help="Language of the report.")] = "en",
    as_json: JsonOpt = False,
    country_detail: Annotated[
        bool,
        typer.Option(help="Add the confidential annex: country x recommendation, alphabetical."),
    ] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Report date, YYYY-MM-DD.")] = None,
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
    language = check_language(lang)
    formats = [f.strip().lower() for f in fmt.split(",") if f.strip()]
    for f in formats:
        if f not in ("xlsx", "docx"):
            raise UsageError(f"unknown format '{f}'; use xlsx or docx")
    parties = load_parties(parties_path)
    with Store(store_path, create=False) as store:
        rep = aggregate(
            store,
            parties,
            lang=language,
            country_detail=country_detail,
            as_of=dt.date.fromisoformat(as_of) if as_of else None,
            min_replies=min_replies,
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "-confidential" if country_detail else ""
    font_warnings: list[str] = []
    for f in formats:
        path = out_dir / f"aggregate-{language}{suffix}.{f}"
        if f == "xlsx":
            write_report_xlsx(rep, path)
        else:
            font_warnings = write_report_docx(rep, path)
        if not as_json:
            out.print(str(path), markup=False)
    if as_json:
        print_json(rep.to_json())
    for warning in rep.warnings + font_warnings:
        err.print(f"warning: {warning}", markup=False)


@handle_errors
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("outputs/demo"),
) -> None:
    """Run a whole round with synthetic returns into a fresh store and write the reports.

    Example:

        selfassess demo --out outputs/demo
    """
    loc = Localizer("en")
    with progress_bar(3) as bar:
        bar.add_task("running the demo round", total=None)
        result = run_demo(out_dir)
    out.print(f"store: {result.store}", markup=False)
    out.print(f"forms issued: {loc.number(result.forms)}", markup=False)
    counts = ", ".join(f"{n} {k}" for k, n in result.ingest.counts().items() if n)
    out.print(f"returns in {result.returns_dir}: {counts}", markup=False)
    out.print(f"reminders: {len(result.reminders)}", markup=False)
    for path in result.reports:
        out.print(str(path), markup=False)


@handle_errors
def fill(
    form: Annotated[Path, typer.Argument(help="An Excel form written by generate.")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the filled form.")],
    seed: Annotated[int, typer.Option(help="Seed of the random answers.")] = DEMO_SEED,
) -> None:
    """Fill an Excel form with random but valid answers, as the demo's respondents do.

    For trying parse, score and ingest without a real return.

    Example:

        selfassess fill tour/ctoc_wgta-1.0-en-MX.xlsx --out tour/mexico.xlsx
    """
    filled = fill_form(form, seed=seed)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_bytes(filled)
    except OSError as exc:
        raise UsageError(
            f"{out_path}: cannot write it ({exc.strerror}); choose another --out"
        ) from None
    out.print(str(out_path), markup=False)
