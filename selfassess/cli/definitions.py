"""`selfassess catalogue` and `selfassess questionnaire ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from selfassess.cli.common import err, handle_errors, out, print_json
from selfassess.constants import DEFAULT_CATALOGUE, DEFAULT_QUESTIONNAIRE
from selfassess.definitions import describe
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.questionnaire import available, load_path, load_questionnaire
from selfassess.errors import UsageError
from selfassess.i18n.localizer import Localizer

questionnaire_app = typer.Typer(
    help="List, show and validate questionnaire definitions.", no_args_is_help=True
)


@handle_errors
def catalogue(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalogue as JSON.")] = False,
    catalogue_id: Annotated[
        str, typer.Option("--id", help="Catalogue id (searched in --definitions first).")
    ] = DEFAULT_CATALOGUE,
) -> None:
    """List the recommendations of the catalogue; 'catalogue import' makes a new one.

    Example:

        selfassess catalogue --json
    """
    if ctx.invoked_subcommand is not None:
        return
    cat = load_catalogue(catalogue_id)
    if as_json:
        print_json(describe.catalogue_json(cat))
        return
    table = Table("id", "ref", "topic", "addressee", "title", title=cat.title)
    for rec in cat.recommendations:
        table.add_row(rec.id, rec.ref, rec.topic, rec.addressee, rec.title)
    out.print(table)


@questionnaire_app.command("list")
@handle_errors
def list_questionnaires() -> None:
    """List every questionnaire and version (--definitions first, then shipped), oldest first.

    Example:

        selfassess questionnaire list
    """
    table = Table("id", "version", "published", "items", "title")
    for qid, version in available():
        q = load_questionnaire(qid, version)
        table.add_row(q.id, q.version, q.published.isoformat(), str(len(q.items())), q.title)
    out.print(table)


@questionnaire_app.command("show")
@handle_errors
def show(
    questionnaire_id: Annotated[str, typer.Argument(metavar="ID")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the labels.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print the definition as JSON.")] = False,
) -> None:
    """Show a questionnaire with its labels in one language.

    Example:

        selfassess questionnaire show ctoc_wgta --lang fr --json
    """
    q = load_questionnaire(questionnaire_id, version)
    data = describe.questionnaire_json(q, Localizer(lang))
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{data['title']}[/bold] ({q.id} {q.version})")
    for section in data["sections"]:
        out.print(f"\n[bold]{section['title']}[/bold] [dim]({section['id']})[/dim]")
        for item in section["items"]:
            req = "*" if item["required"] else " "
            out.print(f"  {item['ref']:<10}{req} {item['type']:<11} {item['prompt']}", markup=False)


@questionnaire_app.command("validate")
@handle_errors
def validate(path: Annotated[Path, typer.Argument(help="A questionnaire YAML file.")]) -> None:
    """Check a questionnaire definition; exit 1 listing each problem with its line.

    Example:

        selfassess questionnaire validate questionnaires/ctoc_wgta/1.0.yaml
    """
    q = load_path(path)
    out.print(f"{path}: valid ({q.id} {q.version}, {len(q.items())} items)", markup=False)


@questionnaire_app.command("export")
@handle_errors
def export(
    questionnaire_id: Annotated[str, typer.Argument(metavar="ID")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Export format: xlsform (ODK Central, KoBoToolbox).")
    ] = "xlsform",
    out_path: Annotated[Path, typer.Option("--out", help="The XLSForm workbook to write.")] = Path(
        "outputs/xlsform.xlsx"
    ),
    strict: Annotated[
        bool, typer.Option(help="Refuse to write when a translation is missing.")
    ] = False,
) -> None:
    """Export a questionnaire for online collection, as an XLSForm in the six languages.

    Upload the workbook to ODK Central or KoBoToolbox; bring the submissions
    back with `selfassess parse` or `selfassess ingest` (docs/online.md).

    Example:

        selfassess questionnaire export ctoc_wgta --format xlsform --out ctoc_wgta.xlsx
    """
    if fmt != "xlsform":
        raise UsageError(f"--format '{fmt}' is not an export format; use xlsform")
    from selfassess.forms.xlsform import write_xlsform  # noqa: PLC0415 (openpyxl is slow to import)

    q = load_questionnaire(questionnaire_id, version)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    book = write_xlsform(q, out_path, strict=strict)
    if book.missing:
        err.print(
            f"warning: {len(book.missing)} translation(s) missing; English shown instead "
            "(selfassess i18n status)",
            markup=False,
        )
    out.print(str(out_path), markup=False)
