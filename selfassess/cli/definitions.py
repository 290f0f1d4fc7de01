"""`selfassess catalogue` and `selfassess questionnaire ...`."""

from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli.common import LanguageOption, handle_errors, out, print_json, say, shown, warn
from selfassess.constants import DEFAULT_CATALOGUE, DEFAULT_QUESTIONNAIRE, SOURCE_LANGUAGE

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
    from rich.table import Table

    from selfassess.definitions import describe
    from selfassess.definitions.catalogue import load_catalogue

    cat = load_catalogue(catalogue_id)
    if as_json:
        print_json(describe.catalogue_json(cat))
        return
    table = Table("id", "ref", "topic", "addressee", "title", title=shown(cat.title))
    for rec in cat.recommendations:
        table.add_row(*map(shown, (rec.id, rec.ref, rec.topic, rec.addressee, rec.title)))
    out.print(table)


@questionnaire_app.command("list")
@handle_errors
def list_questionnaires() -> None:
    """List every questionnaire and version (--definitions first, then shipped), oldest first.

    Example:

        selfassess questionnaire list
    """
    from rich.table import Table

    from selfassess.definitions.questionnaire import available, load_questionnaire

    table = Table("id", "version", "published", "items", "title")
    for qid, version in available():
        q = load_questionnaire(qid, version)
        table.add_row(
            *map(shown, (q.id, q.version, q.published.isoformat(), len(q.items()), q.title))
        )
    out.print(table)


@questionnaire_app.command("show")
@handle_errors
def show(
    questionnaire_id: Annotated[str, typer.Argument(metavar="ID")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    lang: Annotated[str, LanguageOption(help="Language of the labels.")] = SOURCE_LANGUAGE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the definition as JSON.")] = False,
) -> None:
    """Show a questionnaire with its labels in one language.

    Example:

        selfassess questionnaire show ctoc_wgta --lang fr --json
    """
    from selfassess.definitions.describe import questionnaire_json
    from selfassess.definitions.questionnaire import load_questionnaire
    from selfassess.i18n.localizer import Localizer

    data = questionnaire_json(load_questionnaire(questionnaire_id, version), Localizer(lang))
    if as_json:
        print_json(data)
        return
    say(f"[bold]{shown(data['title'])}[/bold] ({shown(data['id'])} {shown(data['version'])})")
    for section in data["sections"]:
        say(f"\n[bold]{shown(section['title'])}[/bold] [dim]({shown(section['id'])})[/dim]")
        for item in section["items"]:
            req = "*" if item["required"] else " "
            say(shown(f"  {item['ref']:<10}{req} {item['type']:<11} {item['prompt']}"))


@questionnaire_app.command("validate")
@handle_errors
def validate(
    path: Annotated[Path, typer.Argument(dir_okay=False, help="A questionnaire YAML file.")],
) -> None:
    """Check a questionnaire definition; exit 1 listing each problem with its line.

    Example:

        selfassess questionnaire validate questionnaires/ctoc_wgta/1.0.yaml
    """
    from selfassess.definitions.questionnaire import load_path

    q = load_path(path)
    say(f"{shown(path)}: valid ({shown(q.id)} {shown(q.version)}, {len(q.items())} items)")


def _export_format(text: str) -> str:
    if text.strip().lower() != "xlsform":
        raise typer.BadParameter(f"'{text}' is not an export format; use xlsform")
    return "xlsform"


@questionnaire_app.command("export")
@handle_errors
def export(
    questionnaire_id: Annotated[str, typer.Argument(metavar="ID")] = DEFAULT_QUESTIONNAIRE,
    version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            parser=_export_format,
            metavar="XLSFORM",
            help="Export format: xlsform (ODK Central, KoBoToolbox).",
        ),
    ] = "xlsform",
    out_path: Annotated[
        Path, typer.Option("--out", dir_okay=False, help="The XLSForm workbook to write.")
    ] = Path("outputs/xlsform.xlsx"),
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
    from selfassess.definitions.questionnaire import load_questionnaire
    from selfassess.forms.xlsform import write_xlsform

    q = load_questionnaire(questionnaire_id, version)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    book = write_xlsform(q, out_path, strict=strict)
    if book.missing:
        warn(
            f"{len(book.missing)} translation(s) missing; English shown instead "
            "(selfassess i18n status)"
        )
    say(shown(out_path))
