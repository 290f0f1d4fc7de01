"""Form metadata signatures: what they cover, and how the key is found."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfassess.constants import LANGUAGES, META_KEYS
from selfassess.errors import Rejected, UsageError
from selfassess.response.meta import KEY_ENV, FormMeta, load_key, new_form_id

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


def test_covered_keys_are_the_contract() -> None:
    assert [k for k in META_KEYS if k != "signature"] == [
        line.split("=")[0] for line in meta().payload().decode().split("\n")
    ]


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
