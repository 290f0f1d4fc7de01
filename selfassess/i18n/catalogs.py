"""Maintaining the gettext catalogs: extract, update, compile, status.

Two domains (see ``docs/i18n.md``):

- ``selfassess``: the tool's own strings, extracted with babel from the Python
  sources (``gettext``, ``pgettext`` with the context first, ``N_`` and ``_``;
  babel also finds method calls such as ``loc.gettext("...")``);
- ``questionnaire``: questionnaire and catalogue content, read from every
  definition file through the same loader the forms use (templates expanded),
  each message under one of the ``CTX_*`` contexts.

The templates are ``locales/<domain>.pot``; the catalogs
``locales/<lang>/LC_MESSAGES/<domain>.po`` for every language but English,
which is the source. Functions here never print: they return results that the
CLI (:mod:`selfassess.cli.i18n`) shows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from selfassess import __version__
from selfassess.constants import (
    CTX_CATALOGUE_TITLE,
    CTX_CHOICE_HELP,
    CTX_CHOICE_LABEL,
    CTX_ENTRY_NOTE,
    CTX_ITEM_HELP,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TEXT,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    CTX_SOURCE_TITLE,
    CTX_TOPIC_TITLE,
    DOMAIN_CONTENT,
    DOMAIN_UI,
    LANGUAGES,
    SOURCE_LANGUAGE,
)
from selfassess.definitions import yamlio
from selfassess.definitions.catalogue import load_catalogue_file
from selfassess.definitions.model import Catalogue, Questionnaire
from selfassess.definitions.questionnaire import load_path
from selfassess.errors import DefinitionError, DefinitionProblem, UsageError
from selfassess.i18n.localizer import check_language, po_path, shipped_messages
from selfassess.resources import data_root, definitions_dir

_PACKAGE = Path(__file__).resolve().parent.parent
DOMAINS = (DOMAIN_UI, DOMAIN_CONTENT)
#: Languages that have catalogs: all but the source language.
TARGET_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)

#: How the tool's own strings are marked in the code. ``pgettext`` takes the
#: context first; ``content`` is left out on purpose: its argument is data.
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "gettext": None,
    "_": None,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    # The package check's rejections (safety/package.py), translated when raised.
    "reject": None,
}

UNOFFICIAL_NOTE = (
    "Unofficial translation: the authoritative text is the English original "
    "of the resolution (see citation)."
)
LABEL_NOTE = (
    "Answers are read back by their label: keep the labels of one list different from each other."
)
_HEADER = {
    DOMAIN_UI: (
        "# Messages of the selfassess tool (forms, instructions, reports, problems).\n"
        "# Translations of the tool's own text; not official United Nations translations.\n"
    ),
    DOMAIN_CONTENT: (
        "# Questionnaire and catalogue content of selfassess.\n"
        "# The translations of recommendation texts here are UNOFFICIAL: the authoritative\n"
        "# text of each recommendation is the English original of the resolution cited in\n"
        "# the comment above it. Other content is translated for the self-assessment forms.\n"
    ),
}
# Not an e-mail address: catalogs are maintained in the repository.
_BUGS = "https://github.com/selfassess/selfassess/issues"
#: Flags babel guesses from ``%`` and ``{`` in a string. Content is never
#: formatted, so on content they would make msgfmt check a translation of
#: "20% of" for a ``% o`` directive.
_FORMAT_FLAGS = frozenset({"python-format", "python-brace-format"})

Key = tuple[str | None, str]
_NO_WRAP = 1_000_000


# --- results ------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateResult:
    """One template written (or found unchanged) by :func:`extract`."""

    domain: str
    path: Path
    messages: int
    written: bool


@dataclass(frozen=True)
class ExtractResult:
    templates: list[TemplateResult]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UpdateResult:
    """What :func:`update` did to one catalog."""

    lang: str
    domain: str
    path: Path
    created: bool
    written: bool
    added: list[Key]
    fuzzy: list[Key]
    obsolete: list[Key]


@dataclass(frozen=True)
class UpdateResults:
    catalogs: list[UpdateResult]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CompileResult:
    lang: str
    domain: str
    path: Path
    messages: int
    skipped_fuzzy: int


@dataclass(frozen=True)
class CompileResults:
    catalogs: list[CompileResult]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogStatus:
    """How complete one catalog is against its template."""

    lang: str
    domain: str
    path: Path
    total: int
    translated: int
    missing: list[Key]
    fuzzy: list[Key]

    @property
    def share(self) -> float:
        """Translated and not fuzzy, over the template's messages (1.0 when empty)."""
        return self.translated / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not self.missing and not self.fuzzy


@dataclass(frozen=True)
class StatusResult:
    catalogs: list[CatalogStatus]
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(c.complete for c in self.catalogs)

    def to_json(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "catalogs": [
                {
                    "language": c.lang,
                    "domain": c.domain,
                    "path": str(c.path),
                    "total": c.total,
                    "translated": c.translated,
                    "share": round(c.share, 4),
                    "missing": [{"context": ctx, "msgid": mid} for ctx, mid in c.missing],
                    "fuzzy": [{"context": ctx, "msgid": mid} for ctx, mid in c.fuzzy],
                }
                for c in self.catalogs
            ],
            "warnings": self.warnings,
        }


# --- paths ----------------------------------------------------------------------


def locales_root(root: Path | None = None) -> Path:
    return (root or data_root()) / "locales"


def pot_path(domain: str, root: Path | None = None) -> Path:
    return locales_root(root) / f"{domain}.pot"


def _languages(languages: Iterable[str] | None) -> list[str]:
    if languages is None:
        return list(TARGET_LANGUAGES)
    out = []
    for lang in languages:
        code = check_language(lang)
        if code == SOURCE_LANGUAGE:
            raise UsageError(
                f"'{SOURCE_LANGUAGE}' is the source language and has no catalog; "
                f"use one of {', '.join(TARGET_LANGUAGES)}"
            )
        out.append(code)
    return out


def _root(root: Path | None) -> Path | None:
    """The folder worked on: ``root``, else the user's definitions folder, else the shipped data."""
    return root or definitions_dir()


def _is_definitions_folder(root: Path | None) -> bool:
    """A user's definitions folder: content only; the tool's own strings ship translated."""
    return root is not None and root.resolve() != data_root() and not (root / "selfassess").is_dir()


def _domains(domains: Iterable[str] | None, root: Path | None = None) -> list[str]:
    own = _is_definitions_folder(root)
    if domains is None:
        return [DOMAIN_CONTENT] if own else list(DOMAINS)
    out = []
    for domain in domains:
        if domain not in DOMAINS:
            raise UsageError(f"unknown domain '{domain}'; use one of {', '.join(DOMAINS)}")
        if own and domain == DOMAIN_UI:
            raise UsageError(
                f"{root} is a definitions folder: only the '{DOMAIN_CONTENT}' domain lives "
                f"there (the tool's own strings ship translated)"
            )
        out.append(domain)
    return out


def _key(msg: Message) -> Key:
    return (msg.context, msg.id if isinstance(msg.id, str) else msg.id[0])


# --- templates ------------------------------------------------------------------


def _new_template(domain: str) -> Catalog:
    return Catalog(
        domain=domain,
        project="selfassess",
        version=__version__,
        msgid_bugs_address=_BUGS,
        copyright_holder="selfassess contributors",
        header_comment=_HEADER[domain],
        fuzzy=False,
    )


def ui_template(root: Path | None = None) -> Catalog:
    """The ``selfassess`` domain: every marked string in the package's Python sources."""
    package = root / "selfassess" if root else _PACKAGE
    catalog = _new_template(DOMAIN_UI)
    extracted = extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in extracted:
        location = (Path("selfassess", filename).as_posix(), lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


class _Lines:
    """Where each string value is written in one YAML file, by key name."""

    def __init__(self, path: Path, root: Path) -> None:
        data, lines = yamlio.load_path(path)
        try:
            self.name = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            self.name = path.as_posix()
        self.found: dict[tuple[str, str], list[int]] = {}
        self.is_questionnaire = isinstance(data, dict) and "sections" in data
        self.catalogue_id = str(data.get("catalogue")) if isinstance(data, dict) else ""
        self._walk(data, (), lines)

    def _walk(self, node: object, at: yamlio.Path_, lines: dict[yamlio.Path_, int]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*at, str(key))
                if isinstance(value, str) and here in lines:
                    self.found.setdefault((str(key), value), []).append(lines[here])
                self._walk(value, here, lines)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self._walk(value, (*at, i), lines)

    def at(self, key: str, text: str) -> list[tuple[str, int]]:
        return [(self.name, line) for line in self.found.get((key, text), [])]


class _Content:
    def __init__(self) -> None:
        self.catalog = _new_template(DOMAIN_CONTENT)

    def add(
        self,
        context: str,
        text: str | None,
        locations: list[tuple[str, int]],
        comments: Iterable[str] = (),
    ) -> None:
        if not text:
            return
        existing = self.catalog.get(text, context)
        if existing is not None:
            existing.locations = list(dict.fromkeys([*existing.locations, *locations]))
            existing.auto_comments = list(dict.fromkeys([*existing.auto_comments, *comments]))
            return
        self.catalog.add(text, None, locations, auto_comments=list(comments), context=context)

    def questionnaire(self, q: Questionnaire, lines: _Lines) -> None:
        self.add(CTX_QUESTIONNAIRE_TITLE, q.title, lines.at("title", q.title))
        for cl in q.choice_lists:
            for ch in cl.choices:
                self.add(CTX_CHOICE_LABEL, ch.label, lines.at("label", ch.label), [LABEL_NOTE])
                if ch.help:
                    self.add(CTX_CHOICE_HELP, ch.help, lines.at("help", ch.help))
        for section in q.sections:
            self.add(CTX_SECTION_TITLE, section.title, lines.at("title", section.title))
            items = list(section.items)
            for entry in section.recommendations:
                if entry.note:
                    self.add(CTX_ENTRY_NOTE, entry.note, lines.at("note", entry.note))
                items.extend(entry.items)
            for item in items:
                self.add(CTX_ITEM_PROMPT, item.prompt, lines.at("prompt", item.prompt))
                if item.help:
                    self.add(CTX_ITEM_HELP, item.help, lines.at("help", item.help))

    def catalogue(self, cat: Catalogue, lines: _Lines) -> None:
        self.add(CTX_CATALOGUE_TITLE, cat.title, lines.at("title", cat.title))
        for doc in cat.sources:
            self.add(
                CTX_SOURCE_TITLE,
                doc.title,
                lines.at("title", doc.title),
                [f"Title of the document {doc.source}, as the United Nations translates it."],
            )
        for topic in cat.topics:
            self.add(CTX_TOPIC_TITLE, topic.title, lines.at("title", topic.title))
        for rec in cat.recommendations:
            self.add(
                CTX_REC_TITLE,
                rec.title,
                lines.at("title", rec.title),
                [f"Short title of recommendation {rec.ref} ({rec.id})."],
            )
            newest = rec.newest
            self.add(
                CTX_REC_TEXT,
                newest.text,
                lines.at("text", newest.text),
                [
                    UNOFFICIAL_NOTE,
                    f"Recommendation {rec.ref} ({rec.id}): {newest.citation.describe()}",
                ],
            )


def content_template(root: Path | None = None) -> Catalog:
    """The ``questionnaire`` domain: every shipped questionnaire version and catalogue.

    Raises :class:`selfassess.errors.DefinitionError` if a definition is invalid:
    a catalog of a definition that does not load would be wrong.
    """
    base = root or data_root()
    qdir = base / "questionnaires"
    content = _Content()
    # The folder's own catalogues check its questionnaires, whatever the search path.
    own = {p: load_catalogue_file(p) for p in sorted((qdir / "catalogue").glob("*.yaml"))}
    by_id = {cat.id: cat for cat in own.values()}
    for path in sorted(qdir.glob("*/*.yaml")):
        lines = _Lines(path, base)
        # Other data shares the folder (the parties file): a questionnaire
        # definition is the file that declares sections.
        if path.parent.name == "catalogue" or not lines.is_questionnaire:
            continue
        content.questionnaire(load_path(path, by_id.get(lines.catalogue_id)), lines)
    for path, cat in own.items():
        content.catalogue(cat, _Lines(path, base))
    _strip_format_flags(content.catalog)
    return content.catalog


def _strip_format_flags(catalog: Catalog) -> None:
    if catalog.domain != DOMAIN_CONTENT:
        return
    for msg in catalog:
        msg.flags -= _FORMAT_FLAGS
    for msg in catalog.obsolete.values():
        msg.flags -= _FORMAT_FLAGS


def _po_bytes(catalog: Catalog) -> bytes:
    _strip_format_flags(catalog)
    for msg in catalog:
        # babel writes the old English as a comment, one line per line of it:
        # an id spanning lines would come out as broken PO.
        if any("\n" in previous for previous in msg.previous_id):
            msg.previous_id = []
    buf = io.BytesIO()
    # babel wraps comments, the "#| msgid" line included, at the width given
    # (76 for 0), which cuts the old English mid-string: never wrap.
    write_po(buf, catalog, width=_NO_WRAP, include_previous=True)
    return buf.getvalue()


def _without_dates(data: bytes) -> bytes:
    """PO bytes without the lines that change on every run."""
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def extract(root: Path | None = None, domains: Iterable[str] | None = None) -> ExtractResult:
    """Write ``locales/<domain>.pot`` from the code and the questionnaire YAML.

    A template whose messages have not changed is left alone, so that its
    creation date (and the repository) does not churn.
    """
    root = _root(root)
    out: list[TemplateResult] = []
    warnings: list[str] = []
    builders = {DOMAIN_UI: ui_template, DOMAIN_CONTENT: content_template}
    for domain in _domains(domains, root):
        template = builders[domain](root)
        path = pot_path(domain, root)
        written = _write_if_changed(path, _po_bytes(template))
        out.append(TemplateResult(domain, path, len(template), written))
        if not len(template):
            warnings.append(f"{path}: no messages found for the domain '{domain}'")
    return ExtractResult(out, warnings)


# --- catalogs -------------------------------------------------------------------


def read_catalog(source: Path | io.BufferedIOBase, lang: str | None, domain: str) -> Catalog:
    """A PO or POT file (path or binary file object) as a babel Catalog."""
    name = str(source) if isinstance(source, Path) else getattr(source, "name", "<catalog>")
    try:
        if isinstance(source, Path):
            with source.open("rb") as fh:
                catalog = read_po(fh, locale=lang, domain=domain, abort_invalid=True)
        else:
            catalog = read_po(source, locale=lang, domain=domain, abort_invalid=True)
    except PoFileError as exc:
        # babel counts lines from 0.
        raise DefinitionError(
            [
                DefinitionProblem(
                    name,
                    exc.lineno + 1,
                    "",
                    f"not valid PO syntax ({str(exc).rsplit(' on ', 1)[0]}): "
                    f"'{exc.line}'; correct it (msgfmt --check shows the problem too)",
                )
            ]
        ) from None
    _strip_format_flags(catalog)
    _restore_previous(catalog)
    return catalog


def _restore_previous(catalog: Catalog) -> None:
    """Read ``#| msgid`` lines back as the previous English of a fuzzy message.

    babel writes them but reads them as translator comments ("| msgid ..."),
    which would pile up as junk on every update.
    """
    for msg in [*catalog, *catalog.obsolete.values()]:
        previous = [c[1:].strip() for c in msg.user_comments if c.startswith("|")]
        if not previous:
            continue
        msg.user_comments = [c for c in msg.user_comments if not c.startswith("|")]
        ids: list[str] = []
        in_id = False
        for line in previous:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgid", "msgid_plural"):
                ids.append(unescape(rest))
                in_id = True
            elif keyword == "msgctxt":
                in_id = False
            elif line.startswith('"') and in_id:
                ids[-1] += unescape(line)
        msg.previous_id = ids


def _read_template(domain: str, root: Path | None) -> Catalog:
    path = pot_path(domain, root)
    if not path.exists():
        raise UsageError(f"{path} does not exist; run 'selfassess i18n extract' first")
    return read_catalog(path, None, domain)


def _new_catalog(lang: str, domain: str, template: Catalog) -> Catalog:
    name = Locale.parse(lang).english_name
    catalog = Catalog(
        locale=lang,
        domain=domain,
        project=template.project,
        version=template.version,
        msgid_bugs_address=_BUGS,
        copyright_holder="selfassess contributors",
        header_comment=_HEADER[domain],
        last_translator="selfassess translators",
        language_team=f"{name} <{_BUGS}>",
        creation_date=template.creation_date,
        revision_date=dt.datetime.now(dt.UTC),
        fuzzy=False,
    )
    return catalog


def update(
    root: Path | None = None,
    languages: Iterable[str] | None = None,
    domains: Iterable[str] | None = None,
) -> UpdateResults:
    """Merge the templates into every PO file, creating those that are missing.

    Translations are kept; a message whose English changed slightly keeps its
    old translation marked fuzzy (with the old English as ``#| msgid``);
    messages gone from the template are kept as obsolete (``#~``) entries.
    """
    root = _root(root)
    out: list[UpdateResult] = []
    doms = _domains(domains, root)
    langs = _languages(languages)
    for domain in doms:
        template = _read_template(domain, root)
        for lang in langs:
            path = po_path(lang, domain, locales_root(root))
            created = not path.exists()
            catalog = (
                _new_catalog(lang, domain, template)
                if created
                else read_catalog(path, lang, domain)
            )
            before = {_key(m): bool(m.fuzzy) for m in catalog if m.id}
            previous = {_key(m): m.previous_id for m in catalog if m.id and m.previous_id}
            catalog.update(template, update_header_comment=True)
            if _is_definitions_folder(root):
                # A message the shipped catalogs already translate (the shared
                # questions, a verbatim text shipped before) starts translated.
                # The draft's own wording is marked in the code and translated
                # with the tool's strings (selfassess.definitions.draft).
                shipped = shipped_messages(lang, domain)
                tool = shipped_messages(lang, DOMAIN_UI)
                for msg in catalog:
                    if msg.id and not msg.string and not msg.fuzzy:
                        key = _key(msg)
                        msg.string = shipped.get(key) or tool.get((None, key[1]), "")
            # babel drops the old English of a message that was already fuzzy.
            for msg in catalog:
                if msg.id and msg.fuzzy and not msg.previous_id:
                    msg.previous_id = previous.get(_key(msg), [])
            fuzzy = [
                _key(m)
                for m in catalog
                if m.id and m.fuzzy and m.string and not before.get(_key(m), False)
            ]
            added = [
                _key(m) for m in catalog if m.id and _key(m) not in before and _key(m) not in fuzzy
            ]
            obsolete = [_key(m) for m in catalog.obsolete.values() if _key(m) in before]
            written = _write_if_changed(path, _po_bytes(catalog))
            out.append(UpdateResult(lang, domain, path, created, written, added, fuzzy, obsolete))
    return UpdateResults(out)


def compile_catalogs(
    root: Path | None = None,
    languages: Iterable[str] | None = None,
    domains: Iterable[str] | None = None,
) -> CompileResults:
    """Write ``<domain>.mo`` next to every PO file (fuzzy entries left out).

    The tool itself reads the PO files; the MO files are for other gettext
    users (and for checking that the catalogs compile).
    """
    root = _root(root)
    out: list[CompileResult] = []
    warnings: list[str] = []
    for domain in _domains(domains, root):
        for lang in _languages(languages):
            path = po_path(lang, domain, locales_root(root))
            if not path.exists():
                warnings.append(f"{path} does not exist; run 'selfassess i18n update' first")
                continue
            catalog = read_catalog(path, lang, domain)
            fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
            buf = io.BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            mo = path.with_suffix(".mo")
            mo.write_bytes(buf.getvalue())
            translated = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
            out.append(CompileResult(lang, domain, mo, translated, fuzzy))
            if fuzzy:
                warnings.append(
                    f"{path}: {fuzzy} fuzzy message(s) left out of {mo.name}; review them"
                )
    return CompileResults(out, warnings)


def catalog_status(
    catalog: Catalog, template: Catalog, lang: str, domain: str, path: Path
) -> CatalogStatus:
    """Completeness of one catalog against its template."""
    wanted = [_key(m) for m in template if m.id]
    have: dict[Key, Message] = {_key(m): m for m in catalog if m.id}
    missing: list[Key] = []
    fuzzy: list[Key] = []
    for key in wanted:
        msg = have.get(key)
        if msg is None or not _translated(msg):
            missing.append(key)
        elif msg.fuzzy:
            fuzzy.append(key)
    translated = len(wanted) - len(missing) - len(fuzzy)
    return CatalogStatus(lang, domain, path, len(wanted), translated, missing, fuzzy)


def _translated(msg: Message) -> bool:
    if isinstance(msg.string, str | None):
        return bool(msg.string)
    return all(msg.string)


def status(
    root: Path | None = None,
    languages: Iterable[str] | None = None,
    domains: Iterable[str] | None = None,
) -> StatusResult:
    """Share translated per language and domain, with what is missing or fuzzy.

    Measured against the templates, so a PO file that has not been updated
    since the last extraction shows the new messages as missing.
    """
    root = _root(root)
    out: list[CatalogStatus] = []
    warnings: list[str] = []
    for domain in _domains(domains, root):
        template = _read_template(domain, root)
        for lang in _languages(languages):
            path = po_path(lang, domain, locales_root(root))
            if path.exists():
                catalog = read_catalog(path, lang, domain)
            else:
                warnings.append(f"{path} does not exist; run 'selfassess i18n update'")
                catalog = Catalog(locale=lang, domain=domain)
            out.append(catalog_status(catalog, template, lang, domain, path))
    return StatusResult(out, warnings)


def iter_po_files(root: Path | None = None) -> Iterator[Path]:
    """Every catalog of the target languages that exists."""
    for lang in TARGET_LANGUAGES:
        for domain in DOMAINS:
            path = po_path(lang, domain, locales_root(root))
            if path.exists():
                yield path
