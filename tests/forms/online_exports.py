"""Online exports written as ODK Central and KoBoToolbox document them, for tests.

ODK Central: CSV with group paths joined by ``-`` (alone or in its .zip), and
OData JSON; KoBoToolbox: ``;``-separated CSV with ``/`` group paths and, when
asked, one 1/0 column per option of a select-multiple; and its XLSX, as
KoBoToolbox's exporter (formpack) writes it with XlsxWriter: one sheet named
after the form (repeat groups, which the XLSForm has none of, would be more
sheets), row 1 the header of XML names, the select-multiple as one column and
one 0/1 column per option ("both", the default), the submission's metadata
(``_id``, ``_uuid``, ``_submission_time``, ``_validation_status``...) last, and
numbers and dates either as text (the default) or typed ("Store date and
number responses as text" off).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import zipfile
from collections.abc import Callable
from typing import Any

import xlsxwriter

from selfassess.constants import COUNTRY_SLOT
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import load_parties
from selfassess.forms.respondent import random_answers
from selfassess.forms.xlsform import XLSFormBook, xlsform_rows
from selfassess.response.interpret import Answer

Filled = list[tuple[str, dict[str, Answer]]]
"""(country, answers) of each submission."""


#: XLSForm question types a submission has a column for.
_ANSWERED = ("select_one", "select_multiple", "decimal", "date", "text")


_BOOKS: dict[tuple[str, str], XLSFormBook] = {}


def _book(q: Questionnaire) -> XLSFormBook:
    if q.key not in _BOOKS:
        _BOOKS[q.key] = xlsform_rows(q)
    return _BOOKS[q.key]


def _questions(q: Questionnaire) -> list[tuple[str, str, str]]:
    """(group path, field name, type with its list) of the web form's questions."""
    book = _book(q)
    header = book.survey[0]
    groups: list[str] = []
    out: list[tuple[str, str, str]] = []
    for row in book.survey[1:]:
        kind, name = row[header.index("type")], row[header.index("name")]
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            groups.pop()
        elif kind.split(" ")[0] in _ANSWERED:
            out.append(("/".join(groups), name, kind))
    return out


def fields_of(q: Questionnaire) -> list[tuple[str, str]]:
    """(group path, field name) of every question of the XLSForm made from ``q``, in
    form order: the exports are filled in from the web form, not the definition."""
    return [(group, name) for group, name, _kind in _questions(q)]


def kind_of(q: Questionnaire, name: str) -> str:
    """The XLSForm type of a field, without its list."""
    return next(kind for _g, n, kind in _questions(q) if n == name).split(" ")[0]


def options_of(q: Questionnaire, name: str) -> list[str]:
    """The option names of a select-multiple field of the web form, in its order;
    none for any other field."""
    kind = next(kind for _g, n, kind in _questions(q) if n == name)
    base, _, choices = kind.partition(" ")
    if base != "select_multiple":
        return []
    return [r[1] for r in _book(q).choices[1:] if r[0] == choices]


def cell_text(answer: Answer) -> str:
    if answer is None:
        return ""
    if isinstance(answer, list):
        return " ".join(answer)
    return str(answer)


def central_csv(q: Questionnaire, filled: Filled, split: bool = False) -> bytes:
    """Central's CSV; ``split`` as with "Split select multiple choices into columns"
    (one 0/1 column ``group-field/option`` per option, after the field's own)."""
    columns: list[tuple[str, str | None]] = []
    header = ["SubmissionDate", "sa_questionnaire", "sa_version"]
    for group, name in fields_of(q):
        header.append(f"{group.replace('/', '-')}-{name}")
        columns.append((name, None))
        for code in options_of(q, name) if split else []:
            header.append(f"{group.replace('/', '-')}-{name}/{code}")
            columns.append((name, code))
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "Status"]
    header += ["ReviewState", "DeviceID", "Edits", "FormVersion"]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        row = ["2025-03-02T10:00:00.000Z", q.id, q.version]
        for name, option in columns:
            answer = values.get(name)
            if option is None:
                row.append(cell_text(answer))
            else:
                row.append("" if answer is None else str(int(option in cell_text(answer).split())))
        row += [f"uuid:{n}", f"uuid:{n}", "5", "Expert", "", "approved", "", "0", q.version]
        writer.writerow(row)
    return buf.getvalue().encode("utf-8")


def kobo_csv(q: Questionnaire, filled: Filled, split: bool) -> bytes:
    """KoBoToolbox's default CSV: ';' separated, '/' group paths, options both ways."""
    header = ["start", "end", "sa_questionnaire", "sa_version"]
    columns: list[tuple[str, str | None]] = []
    for group, name in fields_of(q):
        header.append(f"{group}/{name}")
        columns.append((name, None))
        for code in options_of(q, name) if split else []:
            header.append(f"{group}/{name}/{code}")
            columns.append((name, code))
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


#: The metadata columns KoBoToolbox adds after the questions, in its order.
KOBO_META = (
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
)


def kobo_xlsx(
    q: Questionnaire,
    filled: Filled,
    typed: bool = False,
    headers: Callable[[str], str] | None = None,
) -> bytes:
    """KoBoToolbox's XLSX export of ``filled``; ``typed`` as with "Store date and
    number responses as text" off; ``headers`` renames columns (labels as headers)."""
    header: list[str] = ["start", "end", "sa_questionnaire", "sa_version"]
    columns: list[tuple[str, str | None]] = []
    for group, name in fields_of(q):
        header.append(f"{group}/{name}")
        columns.append((name, None))
        for code in options_of(q, name):
            header.append(f"{group}/{name}/{code}")
            columns.append((name, code))
    header += KOBO_META
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {"constant_memory": True, "default_date_format": "yyyy-mm-dd", "remove_timezone": True},
    )
    # formpack names the sheet after the form, cut to Excel's 31 characters.
    sheet = book.add_worksheet(q.title.replace("/", "_")[:28] + "...")
    sheet.write_row(0, 0, [headers(h) if headers else h for h in header])
    zero, one = (0, 1) if typed else ("0", "1")
    for n, (country, answers) in enumerate(filled, start=1):
        values = {**answers, COUNTRY_SLOT: country}
        row: list[Any] = ["", "", q.id, q.version]
        for name, option in columns:
            answer = values.get(name)
            if option is not None:
                # formpack leaves the option columns empty when the question was not answered.
                row.append(
                    "" if answer is None else one if option in cell_text(answer).split() else zero
                )
            elif answer is None:
                row.append("")
            elif isinstance(answer, list):
                row.append(" ".join(answer))
            elif typed and kind_of(q, name) == "date":
                row.append(dt.date.fromisoformat(str(answer)))
            elif typed and isinstance(answer, int | float):
                row.append(answer)
            else:
                row.append(cell_text(answer))
        submitted = dt.datetime(2025, 3, 2, 10) + dt.timedelta(seconds=n)
        row += [
            n if typed else str(n),
            f"k{n}",
            submitted if typed else submitted.isoformat(),
            "validation_status_approved",
            "",
            "submitted_via_web",
            "",
            "vabc",
            "",
            n if typed else str(n),
        ]
        for col, value in enumerate(row):
            # formpack writes each cell with write(), which types it as XlsxWriter does.
            sheet.write(n, col, value)
    book.close()
    return buf.getvalue()


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


Shape = tuple[str, Callable[[Questionnaire, Filled], bytes], str]
"""(file name, how the server writes the export, the channel it names)."""

#: Every shape of export read, by test id.
SHAPES: dict[str, Shape] = {
    "central-csv": ("export.csv", central_csv, "odk_central"),
    "central-csv-split": ("export.csv", lambda q, f: central_csv(q, f, split=True), "odk_central"),
    "central-zip": ("export.zip", lambda q, f: central_zip(central_csv(q, f)), "odk_central"),
    "central-odata": ("submissions.json", odata, "odk_central"),
    "kobo-csv": ("export.csv", lambda q, f: kobo_csv(q, f, split=False), "kobotoolbox"),
    "kobo-csv-split": ("export.csv", lambda q, f: kobo_csv(q, f, split=True), "kobotoolbox"),
    "kobo-xlsx-text": ("export.xlsx", lambda q, f: kobo_xlsx(q, f, typed=False), "kobotoolbox"),
    "kobo-xlsx-typed": ("export.xlsx", lambda q, f: kobo_xlsx(q, f, typed=True), "kobotoolbox"),
}
