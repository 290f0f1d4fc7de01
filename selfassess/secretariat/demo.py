"""A whole round in one call, with synthetic returns: what ``selfassess demo`` runs.

It issues forms to a sample of Parties from every regional group, fills most
of the Excel forms with random but valid answers (as a person would type
them: labels in the form's language, tick marks), adds a corrected second
return from one Party, a copy of one return and a file that is not a form,
ingests the lot into a fresh store, and writes the status, reminders and the
aggregate reports. The respondent is :mod:`selfassess.forms.respondent`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfassess.constants import DEMO_SEED
from selfassess.definitions.parties import Parties, load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.forms.parse import Source, parse_form, read_source
from selfassess.forms.respondent import fill_xlsx, random_answers
from selfassess.reports.aggregate_docx import write_report_docx
from selfassess.reports.aggregate_xlsx import write_report_xlsx
from selfassess.safety.files import output_file
from selfassess.secretariat.aggregate import aggregate
from selfassess.secretariat.ingest import IngestResult, ingest_paths
from selfassess.secretariat.round import issue_round
from selfassess.secretariat.status import load_contacts, status, write_reminders
from selfassess.store import Store

#: Parties per regional group in the demo round.
DEMO_PER_GROUP = 4
DEMO_ISSUED = dt.date(2025, 2, 3)
DEMO_DEADLINE = dt.date(2025, 4, 30)
DEMO_AS_OF = dt.date(2025, 5, 15)


def fill_form(source: Source, *, seed: int = DEMO_SEED) -> bytes:
    """An Excel form filled as the demo's respondents fill theirs, to try the tools on.

    ``source`` is a path, bytes or a binary file object, read within the file
    size limit. Rejected when it is not a safe form of a known questionnaire; a
    Word form is a UsageError (only Excel forms are filled).
    """
    data = read_source(source)
    form = parse_form(data).form
    if form.format != "xlsx":
        raise UsageError("only Excel forms can be filled; generate one with --format xlsx")
    q = load_questionnaire(form.questionnaire, form.version)
    answers = random_answers(q, random.Random(seed), form.country)
    return fill_xlsx(data, answers, q, form.language)


def write_filled_form(source: str | Path, out: str | Path, *, seed: int = DEMO_SEED) -> Path:
    """Fill an Excel form (:func:`fill_form`) and write it to ``out``; a link planted
    at ``out`` is refused, never written through."""
    data = fill_form(source, seed=seed)
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with output_file(target) as fh:
            fh.write(data)
    except OSError as exc:
        raise UsageError(
            f"{target}: cannot write it ({exc.strerror}); choose another --out"
        ) from None
    return target


def sample_parties(parties: Parties, per_group: int = DEMO_PER_GROUP) -> Parties:
    """The first ``per_group`` Parties of each group (file order), and those in no group."""
    chosen: list[str] = []
    for group in ("african", "asia_pacific", "eastern_european", "latin_american_caribbean"):
        chosen += [p.code for p in parties.in_group(group)[:per_group]]
    chosen += [p.code for p in parties.in_group("weog") if p.code in ("CA", "FR", "TR")]
    chosen += [p.code for p in parties.in_group(None) if p.code in ("US", "EU")]
    return parties.select(list(dict.fromkeys(chosen)))


@dataclass
class DemoResult:
    store: Path
    forms: int
    returns_dir: Path
    ingest: IngestResult
    reports: list[Path] = field(default_factory=list)
    reminders: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_demo(
    out_dir: Path, *, seed: int = DEMO_SEED, per_group: int = DEMO_PER_GROUP
) -> DemoResult:
    """Run the demo round into ``out_dir`` (its demo files are replaced)."""
    rng = random.Random(seed)
    q = load_questionnaire()
    parties = sample_parties(load_parties(), per_group)
    for name in ("forms", "returns", "reports", "reminders"):
        shutil.rmtree(out_dir / name, ignore_errors=True)
    store_path = out_dir / "demo.sqlite"
    for path in [store_path, *(out_dir / f"demo.sqlite{s}" for s in ("-wal", "-shm"))]:
        path.unlink(missing_ok=True)
    shutil.rmtree(out_dir / "demo.sqlite.archive", ignore_errors=True)
    returns = out_dir / "returns"
    returns.mkdir(parents=True)
    with Store(store_path) as store:
        rnd = issue_round(
            store,
            q,
            parties,
            out_dir / "forms",
            formats=["docx", "xlsx"],
            deadline=DEMO_DEADLINE,
            issued=DEMO_ISSUED,
            label="Demo round",
        )
        first_xlsx: dict[str, Any] = {}
        for form in rnd.forms:
            if form.format == "xlsx" and form.meta.country:
                first_xlsx.setdefault(form.meta.country, form)
        answered = [c for c in first_xlsx if rng.random() < 0.75]
        for code in answered:
            form = first_xlsx[code]
            answers = random_answers(q, rng, code)
            data = fill_xlsx(form.path.read_bytes(), answers, q, form.meta.language)
            (returns / f"{code}-{form.meta.language}.xlsx").write_bytes(data)
        if answered:
            code = answered[0]
            form = first_xlsx[code]
            (returns / f"{code}-copy.xlsx").write_bytes(
                (returns / f"{code}-{form.meta.language}.xlsx").read_bytes()
            )
            corrected = fill_xlsx(
                form.path.read_bytes(), random_answers(q, rng, code), q, form.meta.language
            )
            (returns / "zz-later").mkdir()
            (returns / "zz-later" / f"{code}-corrected.xlsx").write_bytes(corrected)
        (returns / "scan-of-reply.pdf").write_bytes(b"%PDF-1.4 not a form\n")
        ingested = ingest_paths(store, [returns])
        st = status(store, parties, as_of=DEMO_AS_OF)
        contacts_csv = "country,name,email,language\n" + "".join(
            f"{p.code},Focal point {p.code},focal.{p.code.lower()}@example.org,\n"
            for p in parties.parties
        )
        reminders = write_reminders(
            st, load_contacts(contacts_csv.encode()), out_dir / "reminders", questionnaire=q
        )
        reports = out_dir / "reports"
        reports.mkdir()
        written: list[Path] = []
        (reports / "status.json").write_text(
            json.dumps(st.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        written.append(reports / "status.json")
        for lang in ("en", "fr"):
            report = aggregate(store, parties, lang=lang, as_of=DEMO_AS_OF, country_detail=True)
            for ext, writer in (("xlsx", write_report_xlsx), ("docx", write_report_docx)):
                path = reports / f"aggregate-{lang}.{ext}"
                writer(report, path)
                written.append(path)
            path = reports / f"aggregate-{lang}.json"
            path.write_text(
                json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            written.append(path)
    return DemoResult(
        store=store_path,
        forms=len(rnd.forms),
        returns_dir=returns,
        ingest=ingested,
        reports=written,
        reminders=reminders.written,
        warnings=rnd.warnings + reminders.warnings,
    )
