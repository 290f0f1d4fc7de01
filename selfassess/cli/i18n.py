"""`selfassess i18n extract | update | compile | status`: the gettext catalogs."""

from pathlib import Path
from typing import Annotated

import typer

from selfassess.cli.common import (
    ALL_LANGUAGES,
    EXIT_PROBLEMS,
    Languages,
    handle_errors,
    out,
    parse_languages,
    print_json,
    say,
    shown,
    warn,
)
from selfassess.constants import DOMAIN_CONTENT, DOMAIN_UI

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


def _targets(text: str) -> Languages:
    """The catalog languages in ``text``; 'all' leaves out the source language."""
    if text.strip().lower() == "all":
        from selfassess.i18n.catalogs import TARGET_LANGUAGES

        return Languages(list(TARGET_LANGUAGES))
    return parse_languages(text)


LangOption = Annotated[
    Languages,
    typer.Option(
        "--lang",
        parser=_targets,
        metavar="LANGS",
        help="Languages, comma-separated, or 'all' (English is the source).",
    ),
]
DomainOption = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        help=f"{DOMAIN_UI} or {DOMAIN_CONTENT} (repeatable; default: both).",
    ),
]


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        warn(warning)


@i18n_app.command("extract")
@handle_errors
def extract(root: RootOption = None, domain: DomainOption = None) -> None:
    """Write the templates locales/<domain>.pot from the code and the questionnaire YAML.

    Example:

        selfassess i18n extract
    """
    from selfassess.i18n import catalogs

    result = catalogs.extract(root, domain)
    for t in result.templates:
        state = "written" if t.written else "unchanged"
        say(f"{shown(t.path)}: {t.messages} messages ({state})")
    _warn(result.warnings)


@i18n_app.command("update")
@handle_errors
def update(
    root: RootOption = None,
    lang: LangOption = ALL_LANGUAGES,
    domain: DomainOption = None,
) -> None:
    """Merge the templates into the PO files: translations kept, changed English fuzzy.

    Example:

        selfassess i18n update --lang fr,es
    """
    from selfassess.i18n import catalogs

    result = catalogs.update(root, lang, domain)
    for c in result.catalogs:
        state = "created" if c.created else ("updated" if c.written else "unchanged")
        say(
            f"{shown(c.path)}: {state}; {len(c.added)} new, {len(c.fuzzy)} newly fuzzy, "
            f"{len(c.obsolete)} obsolete"
        )
    _warn(result.warnings)


@i18n_app.command("compile")
@handle_errors
def compile_(
    root: RootOption = None,
    lang: LangOption = ALL_LANGUAGES,
    domain: DomainOption = None,
) -> None:
    """Write a .mo file next to each PO file (fuzzy translations left out).

    Example:

        selfassess i18n compile
    """
    from selfassess.i18n import catalogs

    result = catalogs.compile_catalogs(root, lang, domain)
    for c in result.catalogs:
        say(f"{shown(c.path)}: {c.messages} translations")
    _warn(result.warnings)


@i18n_app.command("status")
@handle_errors
def status(
    root: RootOption = None,
    lang: LangOption = ALL_LANGUAGES,
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
    from rich.table import Table

    from selfassess.i18n import catalogs

    result = catalogs.status(root, lang, domain)
    if as_json:
        print_json(result.to_json())
    else:
        table = Table("language", "domain", "translated", "fuzzy", "missing", "share")
        for c in result.catalogs:
            table.add_row(
                *map(
                    shown,
                    (
                        c.lang,
                        c.domain,
                        f"{c.translated}/{c.total}",
                        len(c.fuzzy),
                        len(c.missing),
                        f"{c.share:.1%}",
                    ),
                )
            )
        out.print(table)
        if not summary:
            for c in result.catalogs:
                for label, keys in (("fuzzy", c.fuzzy), ("missing", c.missing)):
                    for context, msgid in keys:
                        where = f"[{context}] " if context else ""
                        say(shown(f"{c.path}: {label}: {where}{msgid}"))
    _warn(result.warnings)
    if not result.complete:
        raise typer.Exit(EXIT_PROBLEMS)
