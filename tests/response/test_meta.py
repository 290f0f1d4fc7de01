"""Form metadata signatures: what they cover, and how the key is found."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfassess.constants import LANGUAGES, META_KEYS, META_OPTIONAL_KEYS
from selfassess.errors import Rejected, UsageError
from selfassess.response.meta import KEY_ENV, FormMeta, Period, load_key, new_form_id

KEY = b"k" * 32


def meta(**changes: object) -> FormMeta:
    base = FormMeta(
        questionnaire="ctoc_wgta",
        version="1.0",
        language="fr",
        country="MX",
        form_id="f0123456789abcdef",
        issued=dt.date(2025, 1, 15),
        deadline=dt.date(2025, 6, 30),
    )
    return base.model_copy(update=changes)


def test_signature_is_hmac_sha256_over_the_documented_payload() -> None:
    signed = meta().signed(KEY)
    payload = (
        b"questionnaire=ctoc_wgta\nversion=1.0\nlanguage=fr\ncountry=MX\n"
        b"form_id=f0123456789abcdef\nissued=2025-01-15\ndeadline=2025-06-30"
    )
    assert signed.signature == hmac.new(KEY, payload, hashlib.sha256).hexdigest()
    assert signed.verify(KEY) == "valid"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("questionnaire", "other_q"),
        ("version", "2.0"),
        ("language", "en"),
        ("country", "BR"),
        ("country", None),
        ("form_id", "f0000000000000000"),
        ("issued", dt.date(2025, 1, 16)),
        ("deadline", None),
        ("deadline", dt.date(2026, 6, 30)),
    ],
)
def test_every_covered_value_invalidates_the_signature(key: str, value: object) -> None:
    tampered = meta().signed(KEY).model_copy(update={key: value})
    assert tampered.verify(KEY) == "invalid"


def test_a_blank_form_signed_then_given_a_country_is_invalid() -> None:
    blank = meta(country=None).signed(KEY)
    assert blank.verify(KEY) == "valid"
    assert blank.model_copy(update={"country": "MX"}).verify(KEY) == "invalid"


def test_other_key_no_key_no_signature() -> None:
    signed = meta().signed(KEY)
    assert signed.verify(b"another key") == "invalid"
    assert signed.verify(None) == "absent"
    assert meta().verify(KEY) == "absent"
    assert meta().signed(None).signature is None


@given(st.text(min_size=1))
def test_any_forged_signature_text_is_invalid_never_an_exception(forged: str) -> None:
    assert meta(signature=forged).verify(KEY) == "invalid"


def test_signature_must_match_exactly() -> None:
    signed = meta().signed(KEY)
    assert signed.signature is not None
    for forged in (signed.signature.upper(), signed.signature[:-1], signed.signature + "0"):
        assert signed.model_copy(update={"signature": forged}).verify(KEY) == "invalid"


PERIOD = Period(start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31))


def test_covered_keys_are_the_contract() -> None:
    def covered(m: FormMeta) -> list[str]:
        return [line.split("=")[0] for line in m.payload().decode().split("\n")]

    assert covered(meta(period=PERIOD)) == [k for k in META_KEYS if k != "signature"]
    assert covered(meta()) == [
        k for k in META_KEYS if k != "signature" and k not in META_OPTIONAL_KEYS
    ]


def test_a_form_signed_before_the_period_key_still_verifies() -> None:
    """A 1.0 or 1.1 form issued before the key existed: its stored strings lack
    ``period``, and its signature was made over the old payload."""
    old_payload = (
        b"questionnaire=ctoc_wgta\nversion=1.0\nlanguage=fr\ncountry=MX\n"
        b"form_id=f0123456789abcdef\nissued=2025-01-15\ndeadline=2025-06-30"
    )
    strings = {
        "questionnaire": "ctoc_wgta",
        "version": "1.0",
        "language": "fr",
        "country": "MX",
        "form_id": "f0123456789abcdef",
        "issued": "2025-01-15",
        "deadline": "2025-06-30",
        "signature": hmac.new(KEY, old_payload, hashlib.sha256).hexdigest(),
    }
    read = FormMeta.from_strings(strings, countries={"MX"})
    assert read.period is None
    assert read.verify(KEY) == "valid"
    # An empty period value (a new workbook's meta sheet row of an unset key) is the same.
    assert FormMeta.from_strings(strings | {"period": " "}, countries={"MX"}).verify(KEY) == "valid"
    # Adding a period to such a form is tampering.
    added = FormMeta.from_strings(strings | {"period": "2024-01-01/2025-12-31"}, countries={"MX"})
    assert added.verify(KEY) == "invalid"


@pytest.mark.parametrize(
    "value",
    [None, Period(start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))],
)
def test_a_tampered_period_is_invalid(value: Period | None) -> None:
    signed = meta(period=PERIOD).signed(KEY)
    assert signed.verify(KEY) == "valid"
    assert signed.model_copy(update={"period": value}).verify(KEY) == "invalid"


def test_the_period_is_stored_as_an_iso_interval_and_read_back() -> None:
    strings = meta(period=PERIOD).signed(KEY).as_strings()
    assert strings["period"] == "2024-01-01/2025-12-31"
    read = FormMeta.from_strings(strings, countries={"MX"})
    assert read.period == PERIOD
    assert read.verify(KEY) == "valid"


@pytest.mark.parametrize(
    "text", ["2025", "2024-01-01", "2024-01-01/2025-13-01", "2025-12-31/2024-01-01", "a/b/c"]
)
def test_an_unreadable_period_is_a_located_rejection(text: str) -> None:
    strings = meta().as_strings() | {"period": text}
    with pytest.raises(Rejected, match=r"selfassess\.period \(meta!B9\) is .*new form"):
        FormMeta.from_strings(strings, countries={"MX"}, where={"period": "meta!B9"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-01:2025-12-31", PERIOD),
        (" 2024-01-01 / 2025-12-31 ", PERIOD),
        ("2025-05-05:2025-05-05", Period(start=dt.date(2025, 5, 5), end=dt.date(2025, 5, 5))),
    ],
)
def test_period_syntax(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-12-31:2024-01-01", "ends before it starts"),
        ("2024-01-01", "not a period"),
        ("2024-02-30:2024-03-01", "not a period"),
        ("2024-01-01:2024-02-01:2024-03-01", "not a period"),
    ],
)
def test_bad_periods_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        Period.parse(text)


@given(st.text(max_size=60))
def test_any_period_text_parses_or_says_why(text: str) -> None:
    try:
        period: Period | str = Period.parse(text)
    except ValueError as exc:
        period = str(exc)
    if isinstance(period, str):
        assert "START:END" in period
    else:
        assert period.start <= period.end
        assert Period.parse(str(period)) == period


def test_load_key_from_file_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    assert load_key() is None
    monkeypatch.setenv(KEY_ENV, "  from-env \n")
    assert load_key() == b"from-env"
    key_file = tmp_path / "key"
    key_file.write_bytes(b"from-file\n")
    assert load_key(key_file) == b"from-file"
    key_file.write_bytes(b"  \n")
    with pytest.raises(UsageError, match="empty"):
        load_key(key_file)
    with pytest.raises(UsageError, match="cannot read"):
        load_key(tmp_path / "missing")


def test_form_ids_are_unique_and_lower_case() -> None:
    ids = {new_form_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i == i.lower() and len(i) == 17 and i.startswith("f") for i in ids)


@given(st.dictionaries(st.sampled_from(META_KEYS), st.text(max_size=300)))
def test_metadata_from_any_strings_is_metadata_or_one_line_rejection(
    strings: dict[str, str],
) -> None:
    message = ""
    try:
        found = FormMeta.from_strings(strings, countries={"MX"})
    except Rejected as exc:
        message = str(exc)
    if message:
        assert len(message.splitlines()) == 1
        assert len(message) < 700  # a bad value is quoted, cut at 40 characters
    else:
        assert found.language in LANGUAGES
        assert found.country in (None, "MX")
