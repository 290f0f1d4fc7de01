"""`selfassess catalogue import` and `selfassess questionnaire init`: from texts to a draft."""

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selfassess.cli.common import handle_errors, note, print_json, say, shown, warn

if TYPE_CHECKING:
    from selfassess.definitions.importer import ImportResult


def _report(result: "ImportResult", *, show_skipped: bool) -> None:
    """What the import did, on stderr: stdout carries the catalogue."""
    for reading in result.readings:
        cites = ", ".join(
            str(part)
            for part in (reading.symbol, reading.resolution, reading.date)
            if part is not None
        )
        note(
            f"{reading.source}: {len(reading.entries)} entries, {len(reading.skipped)} "
            f"paragraphs and lines not taken; {reading.document or '(no title found)'}"
            + (f" ({cites})" if cites else "")
        )
    for m in result.merges:
        note(f"merged: {m.ref} ({m.id}) = {m.source_ref} of {m.source}, similarity {m.similarity}")
    for c in result.changes:
        if c.kind not in ("unchanged", "cited"):
            note(f"{c.kind}: {c.ref} ({c.id}) {c.detail}".rstrip())
    if result.changes:
        cited = sum(1 for c in result.changes if c.kind == "cited")
        unchanged = sum(1 for c in result.changes if c.kind == "unchanged")
        note(
            f"same text, new citation: {cited} recommendation(s); "
            f"unchanged: {unchanged} recommendation(s)"
        )
    if show_skipped:
        for s in result.skipped:
            note(f"not taken: {s}")
    for w in result.warnings:
        warn(w)


@handle_errors
def catalogue_import(
    sources: Annotated[
        list[Path],
        typer.Argument(metavar="SOURCE...", help="Resolution texts: .txt, .md, .docx, .pdf."),
    ],
    catalogue_id: Annotated[
        str, typer.Option("--id", help="Id of the catalogue (lower-case ASCII).")
    ],
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Catalogue YAML to write. If it exists, the texts are imported into it: ids "
            "kept, changed texts added as versions (default: print the YAML).",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the catalogue as 'selfassess catalogue --json' does."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Do not list the paragraphs not taken.")
    ] = False,
) -> None:
    """Import the recommendations of resolution texts into a catalogue.

    Lists on stderr every paragraph not taken, with the reason, every merge of
    two sources with its similarity, and every doubtful decision with its line.

    Example:

        selfassess catalogue import resolution.pdf --id cop13 --out cop13.yaml
    """
    from selfassess.definitions import describe
    from selfassess.definitions.catalogue import load_catalogue_file
    from selfassess.definitions.importer import catalogue_yaml, import_sources
    from selfassess.errors import UsageError

    existing = None
    if out_path is not None and out_path.exists():
        existing = load_catalogue_file(out_path)
        if existing.id != catalogue_id:
            raise UsageError(
                f"{out_path} holds the catalogue '{existing.id}', not '{catalogue_id}'; "
                f"give --id {existing.id} to import into it, or another --out"
            )
    result = import_sources(sources, catalogue_id, existing)
    _report(result, show_skipped=not quiet)
    text = catalogue_yaml(result.catalogue, [p.name for p in sources])
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(text, encoding="utf-8")
        note(
            f"{out_path}: {len(result.catalogue.recommendations)} recommendations, "
            f"{len(result.catalogue.topics)} topics"
        )
    if as_json:
        print_json(describe.catalogue_json(result.catalogue))
    elif out_path is None:
        # Not through rich: a text may hold ':name:' that rich would turn into an emoji.
        sys.stdout.write(text)


@handle_errors
def questionnaire_init(
    catalogue_file: Annotated[
        Path, typer.Argument(metavar="CATALOGUE.yaml", help="An imported catalogue.")
    ],
    questionnaire_id: Annotated[str, typer.Option("--id", help="Id of the new questionnaire.")],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Definitions folder to write into (default: --definitions, else ./definitions).",
        ),
    ] = None,
) -> None:
    """Write a draft questionnaire for a catalogue, ready to review, validate and render.

    Example:

        selfassess questionnaire init cop13.yaml --id cop13 --out definitions
    """
    from selfassess.definitions.draft import write_draft
    from selfassess.resources import definitions_dir

    folder = out_dir or definitions_dir() or Path("definitions")
    result = write_draft(catalogue_file, questionnaire_id, folder, dt.date.today())
    say(
        shown(
            f"{result.path}: draft written and valid: {result.sections} sections, "
            f"{result.scored} scored recommendations, {len(result.unscored)} unscored"
        )
    )
    for rec_id, why in result.unscored:
        say(shown(f"  unscored {rec_id}: {why}"))
    say(shown(f"catalogue: {result.catalogue_path}"))
