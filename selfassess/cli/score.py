"""`selfassess score`: where a country stands, and the country report."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfassess.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    KeyFile,
    LanguageOption,
    handle_errors,
    out,
    print_json,
    say,
    shown,
    warn,
)

if TYPE_CHECKING:
    from selfassess.i18n.localizer import Localizer
    from selfassess.scoring import Score


def _percent(value: float | None, loc: "Localizer") -> str:
    return "-" if value is None else loc.percent(value)


def _table(s: "Score", qid: str, version: str, loc: "Localizer") -> None:
    from rich.table import Table

    from selfassess.definitions.catalogue import load_catalogue
    from selfassess.definitions.questionnaire import load_questionnaire

    q = load_questionnaire(qid, version)
    catalogue = load_catalogue(q.catalogue)
    overall = s.overall
    say(
        f"[bold]overall[/bold] implementation {shown(_percent(overall.implementation, loc))}, "
        f"gap {shown(_percent(overall.gap, loc))}, "
        f"coverage {shown(_percent(overall.coverage, loc))}"
    )
    table = Table("section", "recommendation", "status", "implementation", "gap")
    for section in q.sections:
        if section.id not in s.sections:
            continue
        figures = s.sections[section.id]
        table.add_row(
            f"[bold]{shown(section.id)}[/bold]",
            "",
            "",
            shown(_percent(figures.implementation, loc)),
            shown(_percent(figures.gap, loc)),
        )
        for entry in section.recommendations:
            rec = s.recommendations.get(entry.recommendation)
            if rec is None:
                continue
            ref = catalogue.get(entry.recommendation).ref
            table.add_row(
                "",
                shown(f"{ref} {entry.recommendation}"),
                shown(rec.status or "-"),
                shown(_percent(rec.implementation, loc)),
                shown(_percent(rec.gap, loc)),
            )
    out.print(table)
    if s.ta_needs:
        needs = Table("recommendation", "priority", "kinds", title="technical assistance needs")
        for need in s.ta_needs:
            needs.add_row(
                *map(
                    shown, (need.recommendation, need.priority or "-", ", ".join(need.kinds) or "-")
                )
            )
        out.print(needs)
    for flag in s.flags:
        say(shown(f"flag {flag.code} {flag.item}: {flag.message}"))


@handle_errors
def score_command(
    file: Annotated[
        Path,
        typer.Argument(
            dir_okay=False, help="A completed .docx/.xlsx form, or the JSON of `parse --json`."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="Write the country report: PATH.docx, PATH.xlsx or PATH.md."),
    ] = None,
    lang: Annotated[
        str | None, LanguageOption(help="Language of the report (default: the reply's).")
    ] = None,
    key_file: KeyFile = None,
) -> None:
    """Score a reply: implementation and gap per recommendation, section and overall,
    coverage, assistance needs and consistency flags; optionally write the country report.

    Exit status: 0 scored, 1 scored from a reply with errors (the score uses the
    answers that could be read), 2 rejected.

    Example:

        selfassess score returns/mexico.xlsx --out reports/mexico.docx
    """
    from selfassess.forms.parse import load_response
    from selfassess.i18n.localizer import Localizer
    from selfassess.reports import report_format
    from selfassess.reports.reply import score_reply
    from selfassess.response.meta import load_key

    if out_path is not None:
        report_format(out_path)  # refused before any work
    reply = score_reply(load_response(file, key=load_key(key_file)), report=out_path, lang=lang)
    if as_json:
        print_json(reply.score.to_json())
    if reply.report is not None:
        for warning in reply.report.warnings:
            warn(warning)
        if not as_json:
            say(shown(out_path))
    elif not as_json:
        q = reply.questionnaire
        _table(reply.score, q.id, q.version, Localizer(lang or reply.response.form.language))
    raise typer.Exit(EXIT_PROBLEMS if reply.response.errors else EXIT_OK)
