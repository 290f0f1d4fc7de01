"""`selfassess i18n extract | update | compile | status`: the gettext catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from selfassess.cli.common import EXIT_PROBLEMS, err, handle_errors, out, print_json
from selfassess.i18n import catalogs
from selfassess.i18n.localizer import parse_languages

i18n_app = typer.Typer(
    help="Maintain the translation catalogs (locales/): extract, update, compile, status.",
    no_args_is_help=True,
)

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="Repository holding selfassess/, questionnaires/ and locales/ (default: this one).",
    ),
]
LangOption = Annotated[
    str,
    typer.Option("--lang", help="Languages, comma-separated, or 'all' (English is the source)."),
]
DomainOption = Annotated[
    list[str] | None,
    typer.Option("--domain", help="selfassess or questionnaire (repeatable; default: both)."),
]


def _targets(lang: str) -> list[str]:
    """The catalog languages in ``lang``; 'all' leaves out the source language."""
    if lang.strip().lower() == "all":
        return list(catalogs.TARGET_LANGUAGES)
    return parse_languages(lang)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        err.print(f"warning: {warning}", markup=False)


@i18n_app.command("extract")
@handle_errors
def extract(root: RootOption = None, domain: DomainOption = None) -> None:
    """Write the templates locales/<domain>.pot from the code and the questionnaire YAML.

    Example:

        selfassess i18n extract
    """
    result = catalogs.extract(root, domain)
    for t in result.templates:
        state = "written" if t.written else "unchanged"
        out.print(f"{t.path}: {t.messages} messages ({state})", markup=False)
    _warn(result.warnings)


@i18n_app.command("update")
@handle_errors
def update(root: RootOption = None, lang: LangOption = "all", domain: DomainOption = None) -> None:
    """Merge the templates into the PO files: translations kept, changed English fuzzy.

    Example:

        selfassess i18n update --lang fr,es
    """
    result = catalogs.update(root, _targets(lang), domain)
    for c in result.catalogs:
        state = "created" if c.created else ("updated" if c.written else "unchanged")
        out.print(
            f"{c.path}: {state}; {len(c.added)} new, {len(c.fuzzy)} newly fuzzy, "
            f"{len(c.obsolete)} obsolete",
            markup=False,
        )
    _warn(result.warnings)


@i18n_app.command("compile")
@handle_errors
def compile_(
    root: RootOption = None, lang: LangOption = "all", domain: DomainOption = None
) -> None:
    """Write a .mo file next to each PO file (fuzzy translations left out).

    Example:

        selfassess i18n compile
    """
    result = catalogs.compile_catalogs(root, _targets(lang), domain)
    for c in result.catalogs:
        out.print(f"{c.path}: {c.messages} translations", markup=False)
    _warn(result.warnings)


@i18n_app.command("status")
@handle_errors
def status(
    root: RootOption = None,
    lang: LangOption = "all",
    domain: DomainOption = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Only the table, not the missing messages.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Share translated per language and domain; list what is missing or fuzzy.

    Exits 1 when a catalog is incomplete.

    Example:

        selfassess i18n status --lang ar --domain questionnaire
    """
    result = catalogs.status(root, _targets(lang), domain)
    if as_json:
        print_json(result.to_json())
    else:
        table = Table("language", "domain", "translated", "fuzzy", "missing", "share")
        for c in result.catalogs:
            table.add_row(
                c.lang,
                c.domain,
                f"{c.translated}/{c.total}",
                str(len(c.fuzzy)),
                str(len(c.missing)),
                f"{c.share:.1%}",
            )
        out.print(table)
        if not summary:
            for c in result.catalogs:
                for label, keys in (("fuzzy", c.fuzzy), ("missing", c.missing)):
                    for context, msgid in keys:
                        where = f"[{context}] " if context else ""
                        out.print(f"{c.path}: {label}: {where}{msgid}", markup=False)
    _warn(result.warnings)
    if not result.complete:
        raise typer.Exit(EXIT_PROBLEMS)
