"""The secretariat's contact details, printed on the forms it issues.

The secretariat writes them once, in ``secretariat.yaml`` at the top of its
definitions folder (``--definitions DIR``), or passes a file with
``generate --contact``. Nothing is shipped: a form issued without the file
names no office and says to return it to whoever sent it. Each text may be
given once or per language (the form's language, else English, else the first
given in the order of the six languages).

>>> c = SecretariatContact.model_validate({"name": {"en": "Office", "fr": "Bureau"},
...                                        "email": "wg@example.org"})
>>> c.text("name", "fr"), c.text("name", "ru"), c.text("address", "fr")
('Bureau', 'Office', None)
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from selfassess.constants import LANGUAGES, SOURCE_LANGUAGE, Language
from selfassess.definitions import rules
from selfassess.definitions.model import Model
from selfassess.resources import contact_path
from selfassess.safety.text import xml_text

#: Bounds on what is printed on every cover: enough for any office.
MAX_NAME = 200
MAX_ADDRESS = 500
MAX_ADDRESS_LINES = 8
MAX_EMAIL = 254
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_TELEPHONE = re.compile(r"\+?[0-9][0-9 ()./-]{3,38}")
#: Embeddings, overrides and isolates would reorder the rest of the cover line.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

TextField = Literal["name", "address"]


def _checked_text(text: str, *, limit: int, lines: int) -> str:
    text = text.strip()
    if not text:
        raise ValueError("is empty; write the text or remove the key")
    if len(text) > limit:
        raise ValueError(f"is {len(text)} characters long; keep it to {limit}")
    if text.count("\n") >= lines:
        raise ValueError(f"has {text.count(chr(10)) + 1} lines; keep it to {lines}")
    bad = next(
        (
            ch
            for ch in text
            if ch in _BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch != "\n")
        ),
        None,
    )
    if bad is not None:
        raise ValueError(f"holds the control character U+{ord(bad):04X}; remove it")
    if xml_text(text) != text:
        raise ValueError("holds a character Word and Excel cannot hold; remove it")
    return "\n".join(line.strip() for line in text.splitlines())


def _name(text: str) -> str:
    return _checked_text(text, limit=MAX_NAME, lines=1)


def _address(text: str) -> str:
    return _checked_text(text, limit=MAX_ADDRESS, lines=MAX_ADDRESS_LINES)


Name = Annotated[str, AfterValidator(_name)]
Address = Annotated[str, AfterValidator(_address)]


def _per_language(value: Any, check: Any) -> Any:
    """A text given once stands for every language (checked here, so that its
    error is located at the key rather than at a language it was copied to)."""
    if isinstance(value, str):
        text = check(value)
        return dict.fromkeys(LANGUAGES, text)
    return value


class SecretariatContact(Model):
    """What ``secretariat.yaml`` holds (docs/secretariat.md)."""

    name: dict[Language, Name] = Field(min_length=1, description="the office, e.g. its full name")
    email: str = Field(max_length=MAX_EMAIL)
    address: dict[Language, Address] | None = Field(default=None, min_length=1)
    telephone: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name_once(cls, value: Any) -> Any:
        return _per_language(value, _name)

    @field_validator("address", mode="before")
    @classmethod
    def _address_once(cls, value: Any) -> Any:
        return _per_language(value, _address)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not _EMAIL.fullmatch(value):
            raise ValueError(
                f"{value[:60]!r} is not an e-mail address; write e.g. name@example.org"
            )
        return value

    @field_validator("telephone")
    @classmethod
    def _telephone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not _TELEPHONE.fullmatch(value):
            raise ValueError(
                f"{value[:60]!r} is not a telephone number; write digits, spaces and "
                "+ ( ) . / - only, e.g. +43 1 26060 0"
            )
        return value

    def text(self, field: TextField, lang: str) -> str | None:
        """The text in ``lang``, else in English, else the first one given."""
        texts: dict[Language, str] | None = getattr(self, field)
        if not texts:
            return None
        for candidate in (lang, SOURCE_LANGUAGE, *LANGUAGES):
            if candidate in texts:
                return texts[candidate]
        return None


def load_contact(path: Path | None = None) -> SecretariatContact | None:
    """The contact details in ``path``, else in the definitions folder's
    ``secretariat.yaml``; None when there is none. A bad file raises
    DefinitionError with every problem located by line."""
    path = path or contact_path()
    if path is None:
        return None
    data, lines = rules.read(path)
    return rules.validate(SecretariatContact, data, str(path), lines)
