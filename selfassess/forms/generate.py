"""Generate forms: one file per questionnaire, language, country and format.

>>> import tempfile
>>> from selfassess.definitions.questionnaire import load_questionnaire
>>> with tempfile.TemporaryDirectory() as tmp:
...     q = load_questionnaire("ctoc_wgta", "1.0")
...     result = generate_forms(q, ["fr"], [None], ["xlsx"], Path(tmp), issued=dt.date(2025, 1, 15))
...     [f.path.name for f in result.forms]
['ctoc_wgta-1.0-fr.xlsx']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from selfassess.constants import FORMATS, PERIOD_ITEM, SOURCE_LANGUAGE, Format
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.model import Questionnaire
from selfassess.errors import UsageError
from selfassess.forms.returning import period_text
from selfassess.forms.template import PackageTemplate, StandIns
from selfassess.i18n.localizer import Localizer, fallback_warning, has_arabic
from selfassess.resources import roots
from selfassess.response.interpret import Answer, asked
from selfassess.response.meta import FormMeta, Period, new_form_id
from selfassess.safety.files import output_file
from selfassess.safety.text import safe_filename

Progress = Callable[[Path], None]


class Writer(Protocol):
    """``write_docx`` and ``write_xlsx``."""

    def __call__(
        self,
        questionnaire: Questionnaire,
        meta: FormMeta,
        out: Path | BinaryIO,
        loc: Localizer | None = None,
        *,
        password: str | None = None,
        prefill: Mapping[str, Answer] | None = None,
        contact: SecretariatContact | None = None,
    ) -> None: ...


Prefill = Callable[[str | None], Mapping[str, Answer] | None]


@dataclass(frozen=True)
class IssuedForm:
    path: Path
    format: Format
    meta: FormMeta


@dataclass
class GenerateResult:
    forms: list[IssuedForm] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: dict[str, set[tuple[str, str | None, str]]] = field(default_factory=dict)
    """Per language, the messages that had no translation (English was used)."""


def parse_formats(spec: str) -> list[Format]:
    """``"docx,xlsx"`` -> ``["docx", "xlsx"]``; unknown formats are a UsageError."""
    out: list[Format] = []
    for part in spec.split(","):
        name = part.strip().lower().lstrip(".")
        if name == "docx":
            out.append("docx")
        elif name == "xlsx":
            out.append("xlsx")
        elif name:
            raise UsageError(f"unknown format '{part.strip()}'; use {' or '.join(FORMATS)}")
    if not out:
        raise UsageError(f"no format given; use {' or '.join(FORMATS)}")
    return out


def form_filename(meta: FormMeta, fmt: str) -> str:
    """``<questionnaire>-<version>-<lang>[-<country>].<ext>``, never leaving its folder.

    >>> form_filename(FormMeta(questionnaire="q", version="../2", language="fr",
    ...               country="MX", form_id="f1", issued=dt.date(2025, 1, 1)), "docx")
    'q_2-fr-MX.docx'
    """
    parts = [meta.questionnaire, meta.version, meta.language]
    if meta.country:
        parts.append(meta.country)
    return safe_filename("-".join(parts), ext=fmt)


def generate_forms(
    questionnaire: Questionnaire,
    languages: list[str],
    countries: list[str | None],
    formats: list[Format],
    out_dir: Path,
    *,
    deadline: dt.date | None = None,
    issued: dt.date | None = None,
    period: Period | None = None,
    contact: SecretariatContact | None = None,
    key: bytes | None = None,
    strict: bool = False,
    password: str | None = None,
    prefill: Prefill | None = None,
    progress: Progress | None = None,
    parties: Sequence[str] | None = None,
    reuse: bool = False,
) -> GenerateResult:
    """Write forms for every language x country x format into ``out_dir``.

    ``countries`` holds ISO alpha-2 codes, or ``None`` for a blank form, whose
    country list offers ``parties`` (default: the Parties of the shipped file).
    A country with no UN name is named from CLDR, with a warning.
    ``period`` is printed on every form, kept in its metadata, and written,
    in the form's language, into the questionnaire's ``reporting_period``
    text item if it has one; ``contact`` is printed on every form.
    With ``strict``, a language with missing translations raises UsageError
    before any file of that language is written.

    With several countries, or ``reuse`` (a round's worker, called once per
    country), each language and format's form is built once and the others
    written from it (:mod:`selfassess.forms.template`); the files are the same.
    A single form is built directly: a template would only add to its cost.
    """
    from selfassess.forms.docx_writer import write_docx  # noqa: PLC0415 (python-docx is slow to import; load writers only when generating)
    from selfassess.forms.xlsx_writer import write_xlsx  # noqa: PLC0415 (same, openpyxl)

    writers: dict[str, Writer] = {"docx": write_docx, "xlsx": write_xlsx}
    issued = issued or dt.date.today()
    if deadline is not None and deadline < issued:
        raise UsageError(
            f"the deadline {deadline.isoformat()} is before the issue date "
            f"{issued.isoformat()}; give a later --deadline"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    templated = reuse or len(countries) > 1
    digest = hashlib.sha256(questionnaire.model_dump_json().encode()).hexdigest()
    result = GenerateResult()
    fallbacks: set[str] = set()
    asks_all = {c: all(asked(it, c) for it in questionnaire.items()) for c in countries}
    for lang in languages:
        if strict:
            check_complete(questionnaire, lang, deadline, period, contact)
        for country in countries:
            for fmt in formats:
                meta = FormMeta(
                    questionnaire=questionnaire.id,
                    version=questionnaire.version,
                    language=lang,
                    country=country,
                    form_id=new_form_id(),
                    issued=issued,
                    deadline=deadline,
                    period=period,
                ).signed(key)
                path = out_dir / form_filename(meta, fmt)
                offered = None if parties is None else tuple(parties)
                loc = Localizer(lang, parties=offered)
                own = prefill(country) if prefill else None
                fixed = _fixed_answers(questionnaire, period, loc)
                # The round's period, not the one a carried-over answer gave.
                answers = {**(own or {}), **fixed}
                # Forms with their own answers, a password or items their country
                # is not asked (the EU's) differ in more than the stand-ins; the
                # period's answer is the same in every form of a language.
                data = (
                    None
                    if own or password or not templated or not asks_all[country]
                    else _from_template(
                        questionnaire, digest, meta, fmt, loc, offered, writers[fmt], fixed, contact
                    )
                )
                # A link planted in the output folder is refused, never written through.
                with output_file(path) as fh:
                    if data is not None:
                        fh.write(data)
                    else:
                        writers[fmt](
                            questionnaire,
                            meta,
                            fh,
                            loc,
                            password=password,
                            prefill=answers,
                            contact=contact,
                        )
                result.forms.append(IssuedForm(path=path, format=fmt, meta=meta))
                if loc.missing:
                    result.missing.setdefault(lang, set()).update(loc.missing)
                fallbacks.update(loc.fallbacks)
                if progress:
                    progress(path)
    unnamed = fallback_warning(Localizer(SOURCE_LANGUAGE), fallbacks)
    if unnamed:
        result.warnings.append(unnamed)
    for lang, missing in sorted(result.missing.items()):
        result.warnings.append(
            f"{lang}: {len(missing)} message(s) have no translation; English was used "
            "(selfassess i18n status)"
        )
    return result


#: Templates a process keeps: a worker of a round, given the Parties in order of
#: language, needs the two formats of one or two languages at a time.
TEMPLATES_KEPT = 4


@dataclass
class _Reuse:
    stand_ins: StandIns
    template: PackageTemplate | None
    """None: this language and format's forms are built from scratch."""
    loc: Localizer
    """What the template's build found missing or named from CLDR, reported for each form."""


_templates: OrderedDict[tuple[object, ...], _Reuse] = OrderedDict()


def _from_template(
    questionnaire: Questionnaire,
    digest: str,
    meta: FormMeta,
    fmt: Format,
    loc: Localizer,
    parties: tuple[str, ...] | None,
    writer: Writer,
    fixed: Mapping[str, Answer],
    contact: SecretariatContact | None,
) -> bytes | None:
    """The form of ``meta`` written from this process's template for its language and
    format (:mod:`selfassess.forms.template`), or None when it must be built from scratch.
    ``fixed`` are the answers every form of the language has (the period's).
    """
    name = loc.country(meta.country) if meta.country else ""
    key = (
        has_arabic(name),
        fmt,
        meta.language,
        digest,
        roots(),
        parties,
        meta.issued,
        meta.deadline,
        meta.period,
        contact.model_dump_json() if contact else None,
        meta.country is None,
        meta.signature is None,
    )
    reuse = _templates.get(key)
    if reuse is None:
        stand_ins = StandIns.like(meta, name)
        tloc = stand_ins.localizer(meta.language, parties)
        built = io.BytesIO()
        writer(questionnaire, stand_ins.meta, built, tloc, prefill=fixed, contact=contact)
        # openpyxl stamps the time of writing; python-docx keeps its template's dates.
        template = PackageTemplate.of(built.getvalue(), stand_ins.tokens(), restamp=fmt == "xlsx")
        reuse = _templates[key] = _Reuse(stand_ins, template, tloc)
        while len(_templates) > TEMPLATES_KEPT:
            _templates.popitem(last=False)
    _templates.move_to_end(key)
    values = reuse.stand_ins.values(meta, name)
    if values is None or reuse.template is None:
        return None
    out = io.BytesIO()
    reuse.template.write(values, out)
    loc.missing.update(reuse.loc.missing)
    loc.fallbacks.update(reuse.loc.fallbacks)
    return out.getvalue()


def _fixed_answers(
    questionnaire: Questionnaire, period: Period | None, loc: Localizer
) -> dict[str, Answer]:
    """The period, in the form's language, as the answer of the questionnaire's
    ``reporting_period`` text item; nothing without either."""
    if period is None or not any(
        item.id == PERIOD_ITEM and item.type == "text" for item in questionnaire.items()
    ):
        return {}
    return {PERIOD_ITEM: period_text(period, loc)}


def check_complete(
    questionnaire: Questionnaire,
    lang: str,
    deadline: dt.date | None,
    period: Period | None,
    contact: SecretariatContact | None,
) -> None:
    """Render the form once in memory, with what the issued ones print, to learn
    which messages are missing: a UsageError naming some of them (``--strict``)."""
    from selfassess.forms.docx_writer import write_docx  # noqa: PLC0415 (see generate_forms)
    from selfassess.forms.xlsx_writer import write_xlsx  # noqa: PLC0415 (see generate_forms)

    loc = Localizer(lang)
    meta = FormMeta(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        language=lang,
        form_id="fstrictcheck",
        issued=dt.date.today(),
        deadline=deadline,
        period=period,
    )
    write_docx(questionnaire, meta, io.BytesIO(), loc, contact=contact)
    write_xlsx(questionnaire, meta, io.BytesIO(), loc, contact=contact)
    if loc.missing:
        sample = sorted(msg for _, _, msg in loc.missing)[:3]
        raise UsageError(
            f"--strict: {len(loc.missing)} message(s) have no {lang} translation "
            f"(e.g. {'; '.join(repr(s[:60]) for s in sample)}); run 'selfassess i18n status'"
        )
