"""Online exports written as ODK Central and KoBoToolbox document them, for tests.

ODK Central: CSV with group paths joined by ``-`` (alone or in its .zip), and
OData JSON; KoBoToolbox: ``;``-separated CSV with ``/`` group paths and, when
asked, one 1/0 column per option of a select-multiple.
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from typing import Any

from selfassess.constants import COUNTRY_SLOT
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import load_parties
from selfassess.forms.respondent import random_answers
from selfassess.response.interpret import Answer

Filled = list[tuple[str, dict[str, Answer]]]
"""(country, answers) of each submission."""


def fields_of(q: Questionnaire) -> list[tuple[str, str]]:
    """(group path, item id) of every question, in form order."""
    out = [(q.sections[0].id, COUNTRY_SLOT)]
    for section in q.sections:
        out.extend((section.id, item.id) for item in section.items)
        for entry in section.recommendations:
            out.extend((section.id, item.id) for item in entry.items)
    return out


def cell_text(answer: Answer) -> str:
    if answer is None:
        return ""
    if isinstance(answer, list):
        return " ".join(answer)
    return str(answer)


def central_csv(q: Questionnaire, filled: Filled) -> bytes:
    fields = fields_of(q)
    header = ["SubmissionDate", "sa_questionnaire", "sa_version"]
    header += [f"{group}-{name}" for group, name in fields]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    header += ["ReviewState", "DeviceID", "Edits", "FormVersion"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        writer.writerow(
            ["2025-03-02T10:00:00.000Z", q.id, q.version]
            + [cell_text(values.get(name)) for _, name in fields]
            + [f"uuid:{n}", f"uuid:{n}", "5", "Expert", "", "approved", "", "0", q.version]
        )
    return buf.getvalue().encode("utf-8")


def kobo_csv(q: Questionnaire, filled: Filled, split: bool) -> bytes:
    """KoBoToolbox's default CSV: ';' separated, '/' group paths, options both ways."""
    header = ["start", "end", "sa_questionnaire", "sa_version"]
    columns: list[tuple[str, str | None]] = []
    for group, name in fields_of(q):
        header.append(f"{group}/{name}")
        columns.append((name, None))
        item = q.item(name) if name != COUNTRY_SLOT else None
        if split and item is not None and item.type == "multichoice":
            for ch in q.choices_of(item):
                header.append(f"{group}/{name}/{ch.code}")
                columns.append((name, ch.code))
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "__version__", "_index"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(header)
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        row = ["", "", q.id, q.version]
        for name, option in columns:
            answer = values.get(name)
            if option is None:
                row.append(cell_text(answer))
            else:
                row.append("1" if isinstance(answer, list) and option in answer else "0")
        row += [str(n), f"k{n}", "2025-03-02T10:00:00", "", "vabc", str(n)]
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def odata(q: Questionnaire, filled: Filled) -> bytes:
    entries: list[dict[str, Any]] = []
    for n, (country, answers) in enumerate(filled, start=1):
        entry: dict[str, Any] = {
            "__id": f"uuid:{n}",
            "__system": {"submissionDate": "2025-03-02T10:00:00.000Z", "reviewState": None},
            "sa_questionnaire": q.id,
            "sa_version": q.version,
            "meta": {"instanceID": f"uuid:{n}"},
        }
        values = {**answers, COUNTRY_SLOT: country}
        for group, name in fields_of(q):
            answer = values.get(name)
            shown: Any = " ".join(answer) if isinstance(answer, list) else answer
            entry.setdefault(group, {})[name] = shown
        entries.append(entry)
    doc = {
        "@odata.context": "https://central.example/v1/x.svc/$metadata#Submissions",
        "value": entries,
    }
    return json.dumps(doc).encode()


def filled(q: Questionnaire, seed: int, count: int = 3) -> Filled:
    rng = random.Random(seed)
    codes = load_parties().codes()
    return [(rng.choice(codes), random_answers(q, rng)) for _ in range(count)]


def central_zip(csv_bytes: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ctoc_wgta.csv", csv_bytes)
        zf.writestr("ctoc_wgta-repeat.csv", b"KEY\n")
    return buf.getvalue()
