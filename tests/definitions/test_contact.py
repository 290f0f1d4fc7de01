"""The secretariat's contact file: found in the definitions folder, checked with
every problem located by line, texts once or per language."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from selfassess import resources
from selfassess.definitions.contact import (
    MAX_ADDRESS_LINES,
    MAX_NAME,
    SecretariatContact,
    load_contact,
)
from selfassess.errors import DefinitionError

GOOD = """\
name:
  en: Secretariat (example)
  fr: Secrétariat (exemple)
email: wg@example.org
address: |
  Example Building
  0000 Example City
telephone: "+00 1 2345 6789"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secretariat.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_texts_per_language_fall_back_to_english(tmp_path: Path) -> None:
    contact = load_contact(write(tmp_path, GOOD))
    assert contact is not None
    assert contact.text("name", "fr") == "Secrétariat (exemple)"
    assert contact.text("name", "zh") == "Secretariat (example)"
    # Given once: the same in every language, its lines kept.
    assert contact.text("address", "ar") == "Example Building\n0000 Example City"
    assert contact.telephone == "+00 1 2345 6789"


def test_without_english_the_first_language_given_is_used() -> None:
    contact = SecretariatContact.model_validate(
        {"name": {"es": "Secretaría", "fr": "Secrétariat"}, "email": "a@example.org"}
    )
    assert contact.text("name", "ru") == "Secrétariat"  # fr comes before es in LANGUAGES
    assert contact.text("address", "ru") is None


def test_found_in_the_definitions_folder_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(resources.DEFINITIONS_ENV, raising=False)
    resources.set_definitions_dir(None)
    assert resources.contact_path() is None
    assert load_contact() is None  # nothing is shipped
    write(tmp_path, GOOD)
    try:
        resources.set_definitions_dir(tmp_path)
        contact = load_contact()
    finally:
        resources.set_definitions_dir(None)
    assert contact is not None
    assert contact.email == "wg@example.org"


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (GOOD.replace("wg@example.org", "wg at example.org"), 4, "not an e-mail address"),
        (GOOD.replace("wg@example.org", "wg@example"), 4, "not an e-mail address"),
        (GOOD.replace('"+00 1 2345 6789"', "call us"), 8, "not a telephone number"),
        (GOOD + "fax: 123\n", 9, "unknown key 'fax'"),
        (GOOD.replace("  fr: Secrétariat (exemple)", "  xx: Secrétariat"), 3, "xx"),
        (GOOD.replace("  fr: Secrétariat (exemple)", '  fr: "Sec\\u202eret"'), 3, "U+202E"),
        (GOOD.replace("  fr: Secrétariat (exemple)", '  fr: "Sec\\u0007"'), 3, "U+0007"),
        (GOOD.replace("  fr: Secrétariat (exemple)", '  fr: "  "'), 3, "is empty"),
        (GOOD.replace("  fr: Secrétariat (exemple)", '  fr: "a\\nb"'), 3, "lines"),
        (GOOD.replace("  fr: Secrétariat (exemple)", '  fr: "Sec\\uFFFE"'), 3, "cannot hold"),
        # Raw control characters: PyYAML's reader refuses them before parsing.
        (GOOD.replace("Example Building", "Example\x07Building"), 6, "U+0007"),
        (GOOD.replace("Example Building", "Example\ufffeBuilding"), 6, "U+FFFE"),
        (GOOD.replace("email: wg@example.org\n", ""), None, "'email' is missing"),
        ("name: Office\nemail: a@example.org\naddress: ''\n", 3, "is empty"),
        ("name: Office\nemail: a@example.org\naddress: {}\n", 3, "at least 1"),
    ],
)
def test_problems_are_located(tmp_path: Path, text: str, line: int | None, says: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_contact(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert says in problem.message
    if line is not None:
        assert problem.line == line


def test_a_missing_file_given_by_option_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match=r"secretariat\.yaml"):
        load_contact(tmp_path / "secretariat.yaml")


def test_bounds() -> None:
    with pytest.raises(ValidationError, match=f"keep it to {MAX_NAME}"):
        SecretariatContact.model_validate({"name": "x" * (MAX_NAME + 1), "email": "a@b.org"})
    lines = "\n".join(["line"] * (MAX_ADDRESS_LINES + 1))
    with pytest.raises(ValidationError, match=f"keep it to {MAX_ADDRESS_LINES}"):
        SecretariatContact.model_validate({"name": "n", "email": "a@b.org", "address": lines})


@given(st.text(max_size=80))
def test_any_name_is_accepted_clean_or_refused_with_a_reason(text: str) -> None:
    try:
        name = SecretariatContact.model_validate({"name": text, "email": "a@b.org"}).text(
            "name", "en"
        )
    except ValidationError as exc:
        refused = {str(e["loc"][0]) for e in exc.errors()}
        name = None
    else:
        refused = set()
    if name is None:
        assert refused == {"name"}
    else:
        assert name == name.strip()
        assert name
        assert not any(ord(ch) < 0x20 or 0x202A <= ord(ch) <= 0x202E for ch in name)
