"""Issue a round: every Party's forms in its language(s), recorded in the store.

Forms are written by worker processes, one country per task, when there are
enough countries to pay for starting them; the store is written once, in one
transaction, when every form is on disk.

With ``prefill``, each country's form carries the answers of its current
return in the store, for every item of the new questionnaire with the same id
whose answer still fits it (a choice code still in the list, and so on) and
that the new version's conditions do not rule out, so experts update their
answers rather than start again (docs/questionnaire-changelog.md, "Carrying
answers over").
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from selfassess.constants import Format
from selfassess.definitions.contact import SecretariatContact
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import Parties, load_parties
from selfassess.forms.generate import GenerateResult, IssuedForm, check_complete, generate_forms
from selfassess.response.interpret import Answer, answer_fits, applies, asked, form_can_carry
from selfassess.response.meta import Period
from selfassess.store import FormRow, Round, Store

#: Below this many countries, worker processes cost more than they save.
MIN_COUNTRIES_FOR_WORKERS = 4


@dataclass
class RoundResult:
    round: Round
    forms: list[IssuedForm]
    parties: list[str]
    """Codes of the Parties the round was issued to."""
    prefilled: list[str] = field(default_factory=list)
    """Countries whose forms carry answers from the store."""
    warnings: list[str] = field(default_factory=list)


class StorePrefill:
    """Answers per country, as the ``prefill`` callable of generate_forms (picklable)."""

    def __init__(self, answers: Mapping[str, Mapping[str, Answer]]) -> None:
        self.answers = dict(answers)

    def __call__(self, country: str | None) -> Mapping[str, Answer] | None:
        return self.answers.get(country) if country else None


def carry_over(
    answers: Mapping[str, Answer], questionnaire: Questionnaire, country: str | None = None
) -> tuple[dict[str, Answer], list[str]]:
    """The answers that carry over to ``questionnaire``, and the item ids dropped.

    An item carries over when the new version has an item of the same id (ids
    never change meaning: a changed question gets a new id), the form issued to
    ``country`` asks it, the answer fits it, and the answers carried with it do
    not rule it out by its condition in the new version (the parser would call
    that a contradiction).
    """
    items = {it.id: it for it in questionnaire.items()}
    kept: dict[str, Answer] = {}
    dropped: list[str] = []
    for item_id, value in answers.items():
        if value is None:
            continue
        item = items.get(item_id)
        if (
            item is not None
            and asked(item, country)
            and answer_fits(item, value, questionnaire)
            and form_can_carry(value)
        ):
            kept[item_id] = value
        else:
            dropped.append(item_id)
    # In definition order, so a condition on a dropped answer is decided first.
    for item in questionnaire.items():
        if item.id in kept and applies(item, kept) is False:
            del kept[item.id]
            dropped.append(item.id)
    return kept, dropped


def prefill_from_store(
    store: Store, questionnaire: Questionnaire, countries: list[str]
) -> tuple[StorePrefill, list[str]]:
    """Each country's current answers that carry over, and warnings for what does not."""
    wanted = set(countries)
    answers: dict[str, dict[str, Answer]] = {}
    warnings: list[str] = []
    for row in store.current_returns(locations=False):
        if row.country not in wanted or row.questionnaire != questionnaire.id:
            continue
        kept, dropped = carry_over(row.parse().get("answers", {}), questionnaire, row.country)
        answers[row.country] = kept
        if dropped:
            warnings.append(
                f"{row.country}: {len(dropped)} answer(s) of {row.questionnaire} "
                f"{row.version} do not fit {questionnaire.id} {questionnaire.version} and were "
                f"not carried over: {', '.join(dropped[:5])}"
            )
    return StorePrefill(answers), warnings


def _generate_one(
    questionnaire: Questionnaire,
    languages: list[str],
    country: str,
    formats: list[Format],
    out_dir: Path,
    deadline: dt.date | None,
    issued: dt.date,
    period: Period | None,
    contact: SecretariatContact | None,
    key: bytes | None,
    password: str | None,
    prefill: StorePrefill | None,
) -> GenerateResult:
    return generate_forms(
        questionnaire,
        languages,
        [country],
        formats,
        out_dir,
        deadline=deadline,
        issued=issued,
        period=period,
        contact=contact,
        key=key,
        password=password,
        prefill=prefill,
        reuse=True,
    )


def issue_round(
    store: Store,
    questionnaire: Questionnaire,
    parties: Parties,
    out_dir: Path,
    *,
    formats: list[Format],
    deadline: dt.date | None = None,
    issued: dt.date | None = None,
    period: Period | None = None,
    contact: SecretariatContact | None = None,
    label: str | None = None,
    key: bytes | None = None,
    strict: bool = False,
    password: str | None = None,
    prefill: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RoundResult:
    """Write every Party's forms into ``out_dir`` and record the round in ``store``.

    ``progress(done, total)`` is called after each country, counting forms.
    ``period`` (the reporting period) and ``contact`` (the secretariat's
    details) are printed on every form; the period is recorded with the round.
    """
    issued = issued or dt.date.today()
    codes = parties.codes()
    warnings: list[str] = []
    filler: StorePrefill | None = None
    if prefill:
        filler, warnings = prefill_from_store(store, questionnaire, codes)
    total = sum(len(p.languages) for p in parties.parties) * len(formats)
    if workers is None:
        workers = (os.cpu_count() or 1) if len(codes) >= MIN_COUNTRIES_FOR_WORKERS else 0
    done = 0
    jobs = [
        (
            questionnaire,
            [str(lang) for lang in p.languages],
            p.code,
            formats,
            out_dir,
            deadline,
            issued,
            period,
            contact,
            key,
            password,
            # Each task carries its own country's answers only.
            StorePrefill({p.code: filler.answers[p.code]})
            if filler and p.code in filler.answers
            else None,
        )
        for p in parties.parties
    ]
    if strict:
        # Once per language, before any form is written; not in every country's task.
        for lang in sorted({str(lang) for p in parties.parties for lang in p.languages}):
            check_complete(questionnaire, lang, deadline, period, contact)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Countries of one language in turn, so that each process writes their forms
    # from the template it built for that language (forms/template.py); the
    # round still lists them in the Parties' order.
    order = sorted(range(len(jobs)), key=lambda i: (jobs[i][1], i))
    results: dict[int, GenerateResult] = {}
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            futures = [(i, pool.submit(_generate_one, *jobs[i])) for i in order]
            for i, fut in futures:
                results[i] = fut.result()
                done += len(results[i].forms)
                if progress:
                    progress(done, total)
    else:
        for i in order:
            results[i] = _generate_one(*jobs[i])
            done += len(results[i].forms)
            if progress:
                progress(done, total)
    in_order = [results[i] for i in range(len(jobs))]
    forms = [f for r in in_order for f in r.forms]
    for r in in_order:
        warnings.extend(w for w in r.warnings if w not in warnings)
    rnd = store.add_round(
        label or f"{questionnaire.id} {questionnaire.version} {issued.isoformat()}",
        questionnaire.id,
        questionnaire.version,
        issued,
        deadline,
        [
            FormRow(
                form_id=f.meta.form_id,
                round_id=None,
                country=f.meta.country,
                language=f.meta.language,
                format=f.format,
                questionnaire=f.meta.questionnaire,
                version=f.meta.version,
                issued=f.meta.issued,
                deadline=f.meta.deadline,
                path=str(f.path),
            )
            for f in forms
        ],
        period=period,
    )
    prefilled = sorted(filler.answers) if filler else []
    return RoundResult(rnd, forms, codes, prefilled, warnings)


def run_round(
    store_path: Path,
    questionnaire: Questionnaire,
    out_dir: Path,
    *,
    formats: list[Format],
    parties_path: Path | None = None,
    countries: list[str] | None = None,
    deadline: dt.date | None = None,
    period: Period | None = None,
    contact: SecretariatContact | None = None,
    key: bytes | None = None,
    strict: bool = False,
    password: str | None = None,
    prefill: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RoundResult:
    """``selfassess generate --round``: :func:`issue_round` to the Parties of
    ``parties_path`` (default: the shipped list), or to ``countries`` among
    them, recorded in the store at ``store_path``."""
    parties = load_parties(parties_path)
    if countries:
        parties = parties.select(countries)
    with Store(store_path) as store:
        return issue_round(
            store,
            questionnaire,
            parties,
            out_dir,
            formats=formats,
            deadline=deadline,
            period=period,
            contact=contact,
            key=key,
            strict=strict,
            password=password,
            prefill=prefill,
            progress=progress,
        )
