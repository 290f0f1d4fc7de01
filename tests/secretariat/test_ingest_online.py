"""Online exports in the store: one return per submission, by instance id, edits supersede."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.secretariat.ingest import ingest_paths
from selfassess.secretariat.status import status
from selfassess.store import Store, sha256
from tests.forms.online_exports import SHAPES, central_csv, filled, kobo_csv, kobo_xlsx
from tests.forms.xlsx_fill import generate


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire("ctoc_wgta", "1.0")


def _edited(data: bytes, instance: str, column: str, value: str, edits: int) -> bytes:
    """The export after the submission ``instance`` was edited on the server."""
    rows = list(csv.reader(io.StringIO(data.decode())))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("meta-instanceID")] == instance:
            row[header.index(column)] = value
            row[header.index("Edits")] = str(edits)
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def test_each_submission_is_a_return_and_nothing_is_recorded_twice(
    q: Questionnaire, tmp_path: Path
) -> None:
    given = filled(q, seed=11)
    export = tmp_path / "central.csv"
    export.write_bytes(central_csv(q, given))
    with Store(tmp_path / "s.sqlite") as store:
        first = ingest_paths(store, [export])
        assert [f.result for f in first.files] == ["accepted"] * 3
        assert [f.form_id for f in first.files] == ["uuid:1", "uuid:2", "uuid:3"]
        # The export as received, and each submission's record, are archived.
        assert store.blob(sha256(export.read_bytes())) == export.read_bytes()
        for outcome in first.files:
            assert outcome.sha256 is not None
            record = json.loads(store.blob(outcome.sha256))
            assert record["server"]["instanceid"] == outcome.form_id
        rows = store.returns()
        assert {r.format for r in rows} == {"odk_central"}
        parsed = rows[0].parse()
        assert parsed["form"]["submission"]["review_state"] == "approved"
        assert parsed["answers"] == given[0][1]
        again = ingest_paths(store, [export])
        assert [f.result for f in again.files] == ["duplicate"] * 3
        assert len(store.returns()) == 3


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_ingested_as_filled(q: Questionnaire, tmp_path: Path, shape: str) -> None:
    name, make, channel = SHAPES[shape]
    given = filled(q, seed=len(shape) + 40)
    (tmp_path / name).write_bytes(make(q, given))
    with Store(tmp_path / "s.sqlite") as store:
        result = ingest_paths(store, [tmp_path / name])
        assert [f.result for f in result.files] == ["accepted"] * len(given), result.to_json()
        stored = {r.form_id: r for r in store.current_returns()}
        for outcome, (country, answers) in zip(result.files, given, strict=True):
            row = stored[outcome.form_id or ""]
            assert (row.country, row.format) == (country, channel)
            assert row.parse()["answers"] == answers
            assert row.parse()["form"]["signature"] == "absent"


def test_an_edit_supersedes_and_an_older_version_never_comes_back(
    q: Questionnaire, tmp_path: Path
) -> None:
    given = filled(q, seed=12)
    original = central_csv(q, given)
    header = original.decode().splitlines()[0].split(",")
    column = next(c for c in header if c.endswith("-respondent_name"))
    edited = _edited(original, "uuid:2", column, "Ministry of Justice (corrected)", 1)
    (tmp_path / "v1.csv").write_bytes(original)
    (tmp_path / "v2.csv").write_bytes(edited)
    (tmp_path / "v1-again.csv").write_bytes(original.replace(b"\r\n", b"\n"))
    with Store(tmp_path / "s.sqlite") as store:
        ingest_paths(store, [tmp_path / "v1.csv"])
        second = ingest_paths(store, [tmp_path / "v2.csv"])
        results = {f.form_id: f.result for f in second.files}
        assert results == {"uuid:1": "duplicate", "uuid:2": "accepted", "uuid:3": "duplicate"}
        (latest,) = [f for f in second.files if f.form_id == "uuid:2"]
        assert latest.superseded
        third = ingest_paths(store, [tmp_path / "v1-again.csv"])
        assert {f.result for f in third.files} == {"duplicate"}
        country = given[1][0]
        current = [r for r in store.current_returns() if r.country == country]
        assert [r.parse()["answers"]["respondent_name"] for r in current] == [
            "Ministry of Justice (corrected)"
        ]


@pytest.mark.parametrize("workers", [0, 2], ids=["in-process", "workers"])
def test_offline_and_online_returns_share_one_store(
    q: Questionnaire, tmp_path: Path, workers: int
) -> None:
    parties = load_parties()
    kobo, central = filled(q, seed=13, count=2), filled(q, seed=14, count=2)
    offline = next(c for c in parties.codes() if c not in {c for c, _ in kobo + central})
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kobo.csv").write_bytes(kobo_csv(q, kobo, split=True))
    (tmp_path / "in" / "kobo.xlsx").write_bytes(kobo_xlsx(q, central, typed=True))
    (tmp_path / "in" / "offline.xlsx").write_bytes(generate("fr", offline))
    with Store(tmp_path / "s.sqlite") as store:
        result = ingest_paths(store, [tmp_path / "in"], workers=workers)
        assert {f.result for f in result.files} == {"accepted"}, result.to_json()
        assert len(result.files) == 5
        by_format = {r.format: r for r in store.returns()}
        assert set(by_format) == {"kobotoolbox", "xlsx"}
        # The export is kept as received; each submission as what was read of it.
        export = (tmp_path / "in" / "kobo.xlsx").read_bytes()
        assert store.blob(sha256(export)) == export
        xlsx = [f for f in result.files if f.path.startswith(str(tmp_path / "in" / "kobo.xlsx#"))]
        assert [f.form_id for f in xlsx] == ["k1", "k2"]
        current = {r.country: r.parse()["answers"] for r in store.current_returns()}
        for country, answers in central:
            assert current[country] == answers
        report = status(store, parties)
        answered = {ps.code for ps in report.parties if ps.returned}
        assert answered >= {c for c, _ in kobo + central} | {offline}
        again = ingest_paths(store, [tmp_path / "in"], workers=workers)
        assert {f.result for f in again.files} == {"duplicate"}


def test_a_broken_export_is_one_rejected_file(tmp_path: Path) -> None:
    (tmp_path / "broken.csv").write_bytes(b"a,b\n1,2\n")
    (tmp_path / "empty.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    with Store(tmp_path / "s.sqlite") as store:
        result = ingest_paths(store, [tmp_path])
        assert [f.result for f in result.files] == ["rejected", "rejected"]
        assert all(f.reason for f in result.files)


def test_an_export_with_no_submissions_is_received_and_said_so(
    q: Questionnaire, tmp_path: Path
) -> None:
    export = tmp_path / "empty.csv"
    export.write_bytes(central_csv(q, []))
    with Store(tmp_path / "s.sqlite") as store:
        result = ingest_paths(store, [export])
        assert result.files == []
        assert result.warnings == [f"{export}: the export holds no submissions"]
        assert store.blob(sha256(export.read_bytes())) == export.read_bytes()
