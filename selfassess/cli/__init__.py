"""The ``selfassess`` command line: a thin layer over the library.

Each command parses its arguments, makes one library call, prints, and maps
exceptions to exit statuses: 0 done, 1 done with problems found, 2 rejected
(bad input, unreadable or unsafe file), with one line on stderr.
"""

from __future__ import annotations

import typer

from selfassess.cli import definitions, forms
from selfassess.cli.i18n import i18n_app
from selfassess.cli.score import score_command
from selfassess.cli.secretariat import demo, ingest, merge, report, status_cmd

app = typer.Typer(
    name="selfassess",
    help="Self-assessment questionnaires from UN resolutions: generate, parse, score, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("catalogue")(definitions.catalogue)
app.add_typer(definitions.questionnaire_app, name="questionnaire")
app.command("generate")(forms.generate)
app.command("parse")(forms.parse)
app.add_typer(i18n_app, name="i18n")
app.command("score")(score_command)
app.command("ingest")(ingest)
app.command("status")(status_cmd)
app.command("merge")(merge)
app.command("report")(report)
app.command("demo")(demo)


def main() -> None:
    app()
