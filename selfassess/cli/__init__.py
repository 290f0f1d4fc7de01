"""The ``selfassess`` command line: a thin layer over the library.

Each command parses its arguments, makes one library call, prints, and maps
exceptions to exit statuses: 0 done, 1 done with problems found, 2 rejected
(bad input, unreadable or unsafe file), with one line on stderr.

Importing this package loads typer, Rich and the command modules only; each
command imports the library it calls when it runs.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli import definitions, forms, importing
from selfassess.cli.common import App, handle_errors
from selfassess.cli.i18n import i18n_app
from selfassess.cli.score import score_command
from selfassess.cli.secretariat import demo, fill, ingest, merge, report, status_cmd
from selfassess.resources import DEFINITIONS_ENV, set_definitions_dir

app = typer.Typer(
    name="selfassess",
    cls=App,
    help="Self-assessment questionnaires from UN resolutions: generate, parse, score, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
catalogue_app = typer.Typer(help="List the catalogue, or import one from resolution texts.")
catalogue_app.callback(invoke_without_command=True)(definitions.catalogue)
catalogue_app.command("import")(importing.catalogue_import)
app.add_typer(catalogue_app, name="catalogue")
definitions.questionnaire_app.command("init")(importing.questionnaire_init)
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
app.command("fill")(fill)


@app.callback()
@handle_errors
def root(
    definitions_dir: Annotated[
        Path | None,
        typer.Option(
            "--definitions",
            file_okay=False,
            help="Folder of your own catalogues, questionnaires, PO files and Parties file, "
            f"searched before the shipped ones (default: ${DEFINITIONS_ENV}).",
        ),
    ] = None,
) -> None:
    """Self-assessment questionnaires from UN resolutions: generate, parse, score, report."""
    set_definitions_dir(definitions_dir)


#: pydantic reads the entry points of every installed distribution at the first
#: validation, looking for plugins: about 13 ms of every command that loads a
#: definition (docs/performance.md). Set for the command line only, and only
#: when the user has not set it: a library must not change its host's settings.
PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"


def main() -> None:
    os.environ.setdefault(PLUGINS_ENV, "__all__")
    app()
