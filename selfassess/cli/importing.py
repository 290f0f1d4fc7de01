"""`selfassess catalogue import` and `selfassess questionnaire init`: from texts to a draft."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli.common import err, handle_errors, out, print_json
from selfassess.definitions import describe
from selfassess.definitions.catalogue import load_catalogue_file
from selfassess.definitions.draft import write_draft
from selfassess.definitions.importer import ImportResult, catalogue_yaml, import_sources
from selfassess.errors import UsageError
from selfassess.resources import definitions_dir


def _report(result: ImportResult, *, show_skipped: bool) -> None:
    """What the import did, on stderr: stdout carries the catalogue."""
    for reading in result.readings:
        cites = ", ".join(
            str(part)
            for part in (reading.symbol, reading.resolution, reading.date)
            if part is not None
        )
        err.print(
            f"{reading.source}: {len(reading.entries)} entries, {len(reading.skipped)} "
            f"paragraphs and lines not taken; {reading.document or '(no title found)'}"
            + (f" ({cites})" if cites else ""),
            markup=False,
        )
    for m in result.merges:
        err.print(
            f"merged: {m.ref} ({m.id}) = {m.source_ref} of {m.source}, similarity {m.similarity}",
            markup=False,
        )
    for c in result.changes:
        if c.kind not in ("unchanged", "cited"):
            err.print(f"{c.kind}: {c.ref} ({c.id}) {c.detail}".rstrip(), markup=False)
    if result.changes:
        cited = sum(1 for c in result.changes if c.kind == "cited")
        unchanged = sum(1 for c in result.changes if c.kind == "unchanged")
        err.print(
            f"same text, new citation: {cited} recommendation(s); "
            f"unchanged: {unchanged} recommendation(s)",
            markup=False,
        )
    if show_skipped:
        for s in result.skipped:
            err.print(f"not taken: {s}", markup=False)
    for w in result.warnings:
        err.print(f"warning: {w}", markup=False)


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
        err.print(
            f"{out_path}: {len(result.catalogue.recommendations)} recommendations, "
            f"{len(result.catalogue.topics)} topics",
            markup=False,
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
    folder = out_dir or definitions_dir() or Path("definitions")
    result = write_draft(catalogue_file, questionnaire_id, folder, dt.date.today())
    out.print(
        f"{result.path}: draft written and valid: {result.sections} sections, "
        f"{result.scored} scored recommendations, {len(result.unscored)} unscored",
        markup=False,
    )
    for rec_id, why in result.unscored:
        out.print(f"  unscored {rec_id}: {why}", markup=False)
    out.print(f"catalogue: {result.catalogue_path}", markup=False)
