"""Submissions collected online with the XLSForm (:mod:`selfassess.forms.xlsform`).

ODK Central and KoBoToolbox export submissions in a few shapes; each is read
here into one :class:`~selfassess.response.interpret.RawForm` per submission,
then interpreted by the same rules as the offline forms' values:

- ODK Central's CSV (``Download → CSV``), alone or in the .zip Central gives:
  group paths joined by ``-`` (``s_cover-form_country``), a select-multiple
  as one space-separated column (and, when asked, one 0/1 column per option,
  ``field/option``), the instance id in ``meta-instanceID`` or ``KEY``, the
  review state in ``ReviewState``, the edit count in ``Edits``;
- KoBoToolbox's CSV: ``;`` or ``,`` separated, group paths joined by ``/`` or
  left out, a select-multiple as one column, one 1/0 column per option
  (``group/field/option``), or both; the instance id in ``_uuid``;
- KoBoToolbox's XLSX: the same table on the first sheet (row 1 the header,
  with ``_uuid`` and ``_submission_time``; repeat groups, which the XLSForm
  has none of, would be further sheets), numbers and dates typed or as text.
  It is a return like any other: read after
  :func:`~selfassess.safety.package.check_package` by the form reader's own
  lxml machinery (:meth:`~selfassess.forms.xlsx_reader.XlsxReader.rows`),
  and told from a form by its content (:func:`is_kobo_workbook`);
- ODK Central's OData JSON (``Submissions`` entity set): groups as nested
  objects, the instance id in ``__id``, the review state in ``__system``.

Every shape becomes rows of (column, text) read by one function
(:func:`_table`), and each row one submission (:func:`_submission`). A field
is found by its last path segment, so group prefixes and bare names are both
understood. Columns that name no item are warnings; a value that is not one
of an item's choices is an error that names it, located as submission and
field. An export whose columns name no question of the form (KoBoToolbox's
labels as headers) is rejected: export with XML values and headers.

>>> from selfassess.definitions.questionnaire import load_questionnaire
>>> q = load_questionnaire("ctoc_wgta", "1.0")
>>> csv = (b"SubmissionDate,s_cover-form_country,s_cover-reply_date,"
...        b"s_cover-sa_questionnaire,s_cover-sa_version,meta-instanceID\\n"
...        b"2025-03-02T10:00:00.000Z,MX,2025-03-01,ctoc_wgta,1.0,uuid:1\\n")
>>> [s.result.form.country for s in read_submissions(csv, "central.csv")]
['MX']
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from selfassess.constants import (
    COUNTRY_SLOT,
    SLOT_SEPARATOR,
    XLSFORM_QUESTIONNAIRE_FIELD,
    XLSFORM_VERSION_FIELD,
)
from selfassess.definitions.model import Item, Questionnaire
from selfassess.definitions.parties import party_codes
from selfassess.errors import Rejected
from selfassess.forms.xlsx_reader import XlsxReader
from selfassess.i18n.localizer import Localizer
from selfassess.problems import Finding
from selfassess.response.interpret import (
    ParseResult,
    RawForm,
    RawScalar,
    RawValue,
    SubmissionInfo,
    interpret,
)
from selfassess.response.meta import FormMeta, country_from_text
from selfassess.response.values import iso_date
from selfassess.safety.package import Limits, check_package

#: Columns of row 1 that mark a KoBoToolbox XLSX export (its metadata fields,
#: written under these names whatever the export's language of headers).
_KOBO_MARKERS = frozenset({"_uuid", "_submission_time"})
#: Columns the servers add that are not questions (compared case-folded, last segment).
_SERVER_COLUMNS = frozenset(
    c.casefold()
    for c in (
        "SubmissionDate",
        "KEY",
        "instanceID",
        "instanceName",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "audit",
    )
)
#: Most submissions read from one export: a round has one per Party and
#: language, and a file within the size limit could otherwise hold millions
#: of tiny rows, each interpreted at full cost.
MAX_SUBMISSIONS = 2_000
_PATH_SEPARATORS = re.compile(r"[-/.]")


@dataclass(frozen=True)
class Submission:
    """One online submission, read and interpreted."""

    result: ParseResult
    """Its response; ``result.form.submission`` says where it stands on the server."""
    record: bytes
    """What was read of it, every field and server column as exported, as JSON:
    what the store archives for this submission (the export file is archived too)."""

    @property
    def instance_id(self) -> str:
        info = self.result.form.submission
        return info.instance_id if info else ""


def is_online_export(data: bytes, name: str) -> bool:
    """Whether ``data`` looks like one of the exports told by their name (.csv, .zip,
    .json); a KoBoToolbox .xlsx is told from a form by :func:`is_kobo_workbook`."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "csv":
        return True
    if suffix == "json":
        return data.lstrip()[:1] == b"{" and b'"value"' in data[:4096] and b"@odata" in data
    if suffix == "zip" and data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" not in names and any(n.endswith(".csv") for n in names)
    return False


def read_submissions(
    data: bytes,
    name: str,
    questionnaire: Questionnaire | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
) -> list[Submission]:
    """Every submission of an export, interpreted; Rejected when it is not one.

    ``questionnaire`` is found from the submissions' own ``sa_questionnaire``
    and ``sa_version`` fields when not given.
    """
    ui = ui or Localizer("en")
    return _read(_rows(data, name, limits or Limits.from_env(), ui), questionnaire, ui)


def is_kobo_workbook(reader: XlsxReader) -> bool:
    """Whether a workbook is a KoBoToolbox export: row 1 of its first sheet names
    ``_uuid`` or ``_submission_time``."""
    first = next(reader.rows(), None)
    return first is not None and _header(first) is not None


def read_workbook(
    reader: XlsxReader, questionnaire: Questionnaire | None = None, ui: Localizer | None = None
) -> list[Submission]:
    """Every submission of a KoBoToolbox XLSX export (see :func:`read_submissions`),
    from a reader of its checked package."""
    ui = ui or Localizer("en")
    return _read(_workbook(reader, ui), questionnaire, ui)


def _read(
    rows: Iterable[Row], questionnaire: Questionnaire | None, ui: Localizer
) -> list[Submission]:
    out: list[Submission] = []
    for index, (fields, meta) in enumerate(rows, start=1):
        if index > MAX_SUBMISSIONS:
            raise Rejected(
                ui.gettext(
                    "the export holds more than {count} submissions; export them in parts"
                ).format(count=MAX_SUBMISSIONS)
            )
        q = questionnaire or _questionnaire_of(fields, index)
        out.append(_submission(q, fields, meta, index, ui))
    return out


# --- the shapes -------------------------------------------------------------

Row = tuple[dict[str, str], dict[str, str]]
"""(question fields by column, server fields by lower-case name)."""


def _rows(data: bytes, name: str, limits: Limits, ui: Localizer) -> Iterator[Row]:
    lowered = name.lower()
    if lowered.endswith(".zip"):
        yield from _central_zip(data, limits, ui)
    elif lowered.endswith(".json"):
        yield from _odata(data, ui)
    elif lowered.endswith(".csv"):
        yield from _csv(data, ui)
    elif lowered.endswith(".xlsx"):
        yield from _workbook(XlsxReader(check_package(data, limits, ui), ()), ui)
    else:
        raise Rejected(
            ui.gettext("not an ODK Central or KoBoToolbox export (.csv, .zip, .json, .xlsx)")
        )


def _central_zip(data: bytes, limits: Limits, ui: Localizer) -> Iterator[Row]:
    """The main CSV of Central's .zip: the one whose name has no repeat-group suffix."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Rejected(ui.gettext("not a readable .zip export")) from None
    with zf:
        csvs = [i for i in zf.infolist() if i.filename.endswith(".csv") and "/" not in i.filename]
        if len(csvs) > limits.max_members or not csvs:
            raise Rejected(ui.gettext("the .zip holds no submissions CSV at its top level"))
        main = min(csvs, key=lambda i: len(i.filename))
        if main.file_size > limits.max_file_bytes:
            raise Rejected(ui.gettext("the submissions CSV in the .zip is larger than the limit"))
        with zf.open(main) as fh:
            # Read at most the limit, whatever the entry declares.
            body = fh.read(limits.max_file_bytes + 1)
        if len(body) > limits.max_file_bytes:
            raise Rejected(ui.gettext("the submissions CSV in the .zip is larger than the limit"))
    yield from _csv(body, ui)


def _csv(data: bytes, ui: Localizer) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected(ui.gettext("the export is not UTF-8 text")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise Rejected(ui.gettext("the export is empty")) from None
    except csv.Error as exc:
        raise Rejected(f"not a readable CSV export: {exc}") from None
    try:
        yield from _table(zip(header, values, strict=False) for values in reader)
    except csv.Error as exc:
        raise Rejected(f"not a readable CSV export: {exc}") from None


def _workbook(reader: XlsxReader, ui: Localizer) -> Iterator[Row]:
    """KoBoToolbox's XLSX: the table of the first sheet, row 1 its header."""
    rows = reader.rows()
    first = next(rows, None)
    header = None if first is None else _header(first)
    if header is None:
        raise Rejected(
            ui.gettext(
                "not a KoBoToolbox export: row 1 of its first sheet has no _uuid or "
                "_submission_time column; download the export again as XLS from "
                "KoBoToolbox"
            )
        )
    # Every column of the header, as the CSV has them: the package check bounds
    # rows x columns of a sheet, so this costs no more than the file could hold.
    for _row, cells in rows:
        texts = {col: _cell_text(value) for col, value in cells}
        yield from _table([[(name, texts.get(col, "")) for col, name in header.items()]])


def _header(first: tuple[int, list[tuple[int, RawScalar]]]) -> dict[int, str] | None:
    """A KoBoToolbox header row (columns by number), or None when row 1 is not one."""
    row, cells = first
    header = {col: str(value).strip() for col, value in cells if isinstance(value, str)}
    return header if row == 1 and _KOBO_MARKERS & set(header.values()) else None


def _cell_text(value: RawScalar) -> str:
    """A cell as KoBoToolbox's CSV writes it: with "Store date and number responses
    as text" off, its XLSX types numbers, dates and 0/1 option columns."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _table(rows: Iterable[Iterable[tuple[str, str]]]) -> Iterator[Row]:
    """Rows of (column, text), from any shape, as (question fields, server fields)."""
    for row in rows:
        pairs = list(row)
        if not any(value.strip() for _column, value in pairs):
            continue
        fields: dict[str, str] = {}
        server: dict[str, str] = {}
        for column, value in pairs:
            last = _last(column)
            if last.casefold() in _SERVER_COLUMNS or last.startswith("_"):
                server[last.casefold().lstrip("_")] = value
            else:
                fields[column] = value
        yield fields, server


def _odata(data: bytes, ui: Localizer) -> Iterator[Row]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Rejected(ui.gettext("not a readable OData JSON export")) from None
    entries = doc.get("value") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise Rejected(ui.gettext("not a readable OData JSON export"))
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        fields: dict[str, str] = {}
        server: dict[str, str] = {}
        system = entry.get("__system")
        if isinstance(system, dict):
            for key in ("reviewState", "edits", "submissionDate"):
                if system.get(key) is not None:
                    server[key.casefold()] = str(system[key])
        if isinstance(entry.get("__id"), str):
            server["instanceid"] = entry["__id"]
        for path, value in _flatten(entry, ""):
            if not path.startswith("__") and _last(path).casefold() not in _SERVER_COLUMNS:
                fields[path] = value
        yield fields, server


def _flatten(obj: dict[str, Any], prefix: str, depth: int = 0) -> Iterable[tuple[str, str]]:
    if depth > 8:
        return
    for key, value in obj.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from _flatten(value, path, depth + 1)
        elif value is None:
            yield path, ""
        elif isinstance(value, bool | int | float | str):
            yield path, str(value).lower() if isinstance(value, bool) else str(value)


def _last(column: str) -> str:
    return _PATH_SEPARATORS.split(column)[-1] if column else column


# --- one submission ---------------------------------------------------------


def _questionnaire_of(fields: dict[str, str], index: int) -> Questionnaire:
    # parse imports this module: its rule is imported when a submission needs it.
    from selfassess.forms.parse import questionnaire_for  # noqa: PLC0415

    by_last = {_last(k): v for k, v in fields.items()}
    qid = by_last.get(XLSFORM_QUESTIONNAIRE_FIELD, "").strip()
    version = by_last.get(XLSFORM_VERSION_FIELD, "").strip()
    if not qid or not version:
        raise Rejected(
            f"submission {index} does not say which questionnaire it answers (no "
            f"{XLSFORM_QUESTIONNAIRE_FIELD} and {XLSFORM_VERSION_FIELD} fields): export the "
            "form made by 'selfassess questionnaire export', or name the questionnaire"
        )
    try:
        return questionnaire_for(qid, version)
    except Rejected as exc:
        raise Rejected(f"submission {index}: {exc}") from None


def _submission(
    q: Questionnaire, fields: dict[str, str], server: dict[str, str], index: int, ui: Localizer
) -> Submission:
    instance = server.get("instanceid") or server.get("uuid") or server.get("key") or ""
    where = f"submission {index}" + (f" ({instance})" if instance else "")
    items = {it.id: it for it in q.items()}
    values: dict[str, RawValue] = {}
    problems: list[Finding] = []
    country = ""
    if fields and not any(_names_a_question(column, items) for column in fields):
        raise Rejected(
            ui.gettext(
                "{where}: no column names a question of {questionnaire} {version}; export "
                "the submissions with XML values and headers, not labels"
            ).format(where=where, questionnaire=q.id, version=q.version)
        )
    for column, text in fields.items():
        location = f"{where}, {column}"
        value = text.strip()
        parts = _PATH_SEPARATORS.split(column)
        name, option = parts[-1], None
        split = items.get(parts[-2]) if len(parts) > 1 else None
        if split is not None and split.type == "multichoice":
            # One 0/1 column per option of a select-multiple: ".../field/option".
            name, option = parts[-2], parts[-1]
        if name == COUNTRY_SLOT:
            country = value
            continue
        if name in (XLSFORM_QUESTIONNAIRE_FIELD, XLSFORM_VERSION_FIELD):
            continue
        item = items.get(name)
        if item is None:
            problems.append(
                Finding("online_unknown_column", location=location, params={"column": column})
            )
            continue
        if item.type == "multichoice":
            codes = q.choices_of(item)
            known = {ch.code for ch in codes}
            if option is not None:
                if option not in known:
                    problems.append(_not_choices(item.ref, [option], location))
                elif value not in ("", "0"):
                    values[f"{item.id}{SLOT_SEPARATOR}{option}"] = RawValue(value, location)
                continue
            picked = value.split()
            unknown = [p for p in picked if p not in known]
            if unknown:
                problems.append(_not_choices(item.ref, unknown, location))
            for code in picked:
                if code in known:
                    values[f"{item.id}{SLOT_SEPARATOR}{code}"] = RawValue(True, location)
            continue
        values[item.id] = RawValue(_typed(item.type, value), location)
    # The forms' own rule: a code in any case, or a Party's name in any language.
    party = country_from_text(country, party_codes())
    if party is None:
        problems.append(
            Finding(
                "online_not_a_party",
                location=f"{where}, {COUNTRY_SLOT}",
                params={"value": country},
            )
        )
    country = party or ""
    submitted = _timestamp(server.get("submissiondate") or server.get("submission_time"))
    today = dt.datetime.now(dt.UTC).date()
    record = json.dumps(
        {"fields": fields, "server": server}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    meta = FormMeta(
        questionnaire=q.id,
        version=q.version,
        language="en",
        country=country or None,
        # Without an instance id, what was read names the submission.
        form_id=instance or "online-" + hashlib.sha256(record).hexdigest()[:16],
        # The store's newest return is the latest issued: a date the export gives
        # is no later than its reading, or a forged one would outrank every form.
        issued=min(submitted.date(), today) if submitted else today,
    )
    channel: Literal["odk_central", "kobotoolbox"] = (
        "kobotoolbox" if "uuid" in server or "submission_time" in server else "odk_central"
    )
    raw = RawForm(meta=meta, format=channel, values=values, problems=problems)
    result = interpret(q, raw, "absent", ui)
    try:
        edits = int(server.get("edits") or 0)
    except ValueError:
        edits = 0
    info = SubmissionInfo(
        instance_id=meta.form_id,
        edits=edits,
        review_state=server.get("reviewstate") or server.get("validation_status") or None,
        submitted=submitted,
    )
    result = result.model_copy(update={"form": result.form.model_copy(update={"submission": info})})
    return Submission(result=result, record=record)


def _names_a_question(column: str, items: dict[str, Item]) -> bool:
    """Whether a column is the country's or an item's (a select-multiple's option too)."""
    parts = _PATH_SEPARATORS.split(column)
    return parts[-1] == COUNTRY_SLOT or any(part in items for part in parts[-2:])


def _not_choices(ref: str, values: list[str], location: str) -> Finding:
    return Finding(
        "online_not_choices", location=location, params={"value": " ".join(values), "ref": ref}
    )


def _typed(kind: str, value: str) -> str | float | dt.date:
    """Servers write numbers and dates in one machine format, whatever the language."""
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    if kind == "date":
        # A date, or a date and time of which the date is the answer.
        return iso_date(value[:10]) or value
    return value


def _timestamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
