"""Signatures that cannot be stripped or claimed: the policy table of docs/security.md.

With a key configured, only a valid signature passes: a signature removed, a
metadata sheet forged after the properties were deleted, or a form returned
unsigned is an error (exit 1), never ``absent`` with exit 0. A response JSON
never brings its sender's signature status into the store.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfassess.constants import META_PREFIX, SHEET_META
from selfassess.errors import Rejected
from selfassess.forms.parse import SIGNATURE_LOCATION, parse_form
from selfassess.response.interpret import ParseResult
from selfassess.secretariat.ingest import ingest_paths
from selfassess.store import Store
from tests.hostile import corpus
from tests.hostile.corpus import KEY
from tests.support.zipparts import parts_of, with_parts


def signature_problems(result: ParseResult) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in result.problems if p.location == SIGNATURE_LOCATION]


def without_signature_property(data: bytes) -> bytes:
    """The ``selfassess.signature`` property deleted (not emptied), in every place."""
    data = corpus.set_meta_everywhere(data, "signature", "")
    parts = parts_of(data)
    custom = parts["docProps/custom.xml"].decode()
    custom, count = re.subn(
        r'<property[^>]*name="selfassess\.signature".*?</property>', "", custom, flags=re.S
    )
    assert count == 1
    return with_parts(data, {"docProps/custom.xml": custom.encode()})


def forged_meta_sheet(data: bytes) -> bytes:
    """Custom properties deleted, the hidden sheet rewritten for another country, unsigned."""
    wb = load_workbook(io.BytesIO(data))
    ws = next(s for s in wb.worksheets if s.title.casefold() == SHEET_META.casefold())
    for row in ws.iter_rows():
        if row[0].value == META_PREFIX + "country":
            row[1].value = "BR"
        if row[0].value == META_PREFIX + "signature":
            row[1].value = None
    out = io.BytesIO()
    wb.save(out)
    return with_parts(out.getvalue(), {"docProps/custom.xml": None})


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize(
    ("key", "build", "status", "severity"),
    [
        (KEY, corpus.real_form, "valid", None),
        (KEY, lambda fmt: corpus.real_form(fmt, key=b"another key"), "invalid", "error"),
        (KEY, lambda fmt: without_signature_property(corpus.real_form(fmt)), "absent", "error"),
        (KEY, lambda fmt: corpus.real_form(fmt, key=None), "absent", "error"),
        (None, corpus.real_form, "absent", "warning"),
        (None, lambda fmt: corpus.real_form(fmt, key=None), "absent", None),
    ],
    ids=[
        "key-valid",
        "key-other-key",
        "key-stripped",
        "key-unsigned",
        "nokey-signed",
        "nokey-unsigned",
    ],
)
def test_signature_policy(fmt, key, build, status, severity) -> None:  # type: ignore[no-untyped-def]
    result = parse_form(build(fmt), key=key)
    assert result.form.signature == status
    problems = signature_problems(result)
    assert [s for s, _ in problems] == ([severity] if severity else [])


def test_deleted_properties_and_forged_sheet_are_never_absent_and_clean() -> None:
    forged = forged_meta_sheet(corpus.real_form("xlsx", country="MX"))
    try:
        result = parse_form(forged, key=KEY)
    except Rejected:
        return  # refusing the file outright is as good
    assert result.form.signature != "valid"
    assert [s for s, _ in signature_problems(result)] == ["error"]


def test_cli_exit_status_of_a_stripped_signature_is_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner  # noqa: PLC0415 (only this test drives the CLI)

    from selfassess.cli import app  # noqa: PLC0415

    path = tmp_path / "reply.docx"
    path.write_bytes(without_signature_property(corpus.real_form("docx")))
    done = CliRunner().invoke(
        app, ["parse", str(path), "--json"], env={"SELFASSESS_KEY": KEY.decode()}
    )
    assert done.exit_code == 1, done.output
    assert json.loads(done.stdout)["form"]["signature"] == "absent"


# --- response JSON ------------------------------------------------------------------


@pytest.mark.parametrize("key", [KEY, None])
def test_a_response_json_never_carries_its_claimed_signature_into_the_store(
    tmp_path: Path, key: bytes | None
) -> None:
    signed = parse_form(corpus.real_form("xlsx"), key=KEY)
    assert signed.form.signature == "valid"
    # Hand-edited: another country, still claiming a valid signature.
    claimed = signed.model_copy(
        update={"form": signed.form.model_copy(update={"country": "BR", "form_id": "fforged"})}
    )
    (tmp_path / "claimed.json").write_text(claimed.model_dump_json())
    with Store(tmp_path / "s.sqlite") as store:
        (outcome,) = ingest_paths(store, [tmp_path / "claimed.json"], key=key).files
        row = store.return_by_sha(outcome.sha256 or "")
        assert row is not None
        assert row.parse_json is not None
        stored = json.loads(row.parse_json)
    assert stored["form"]["signature"] == "unverified"
    warned = [p for p in stored["problems"] if p["location"] == SIGNATURE_LOCATION]
    assert len(warned) == (1 if key else 0)
