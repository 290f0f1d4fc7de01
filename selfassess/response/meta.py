"""Form metadata and its signature.

Every form carries its questionnaire id and version, language, country (none
for a blank form), a unique form id, issue date, deadline, and, when the
secretariat has configured a key, an HMAC-SHA256 signature over all of these.
The signature proves that the metadata is as the secretariat issued it; it
says nothing about the answers, which the respondent is meant to change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import field_validator

from selfassess.constants import META_KEYS
from selfassess.definitions.model import Model
from selfassess.errors import UsageError

#: ``unverified``: a response JSON, which carries no signed metadata (see docs/security.md).
SignatureStatus = Literal["valid", "invalid", "absent", "unverified"]
KEY_ENV = "SELFASSESS_KEY"


class FormMeta(Model):
    questionnaire: str
    version: str
    language: str
    country: str | None = None
    form_id: str
    issued: dt.date
    deadline: dt.date | None = None
    signature: str | None = None

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    def as_strings(self) -> dict[str, str]:
        """The metadata as stored in a file: every key, '' for none."""
        raw = self.model_dump()
        return {k: "" if raw[k] is None else str(raw[k]) for k in META_KEYS}

    def payload(self) -> bytes:
        """Canonical bytes the signature covers: every key but the signature."""
        strings = self.as_strings()
        return "\n".join(f"{k}={strings[k]}" for k in META_KEYS if k != "signature").encode()

    def signed(self, key: bytes | None) -> FormMeta:
        """A copy carrying the signature for ``key`` (unchanged when no key).

        >>> m = FormMeta(questionnaire="q", version="1", language="fr", form_id="f1",
        ...              issued=dt.date(2025, 1, 1))
        >>> m.signed(b"k").verify(b"k"), m.signed(b"k").verify(b"other"), m.verify(b"k")
        ('valid', 'invalid', 'absent')
        """
        if not key:
            return self
        sig = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return self.model_copy(update={"signature": sig})

    def verify(self, key: bytes | None) -> SignatureStatus:
        """``absent`` when unsigned, or when there is no key to check with
        (the parser then adds a warning saying the signature went unchecked)."""
        if not self.signature or not key:
            return "absent"
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        # Bytes: compare_digest refuses str with non-ASCII characters, and a
        # returned form's signature can hold anything.
        given = self.signature.encode("utf-8", "replace")
        return "valid" if hmac.compare_digest(expected.encode(), given) else "invalid"


def new_form_id() -> str:
    """A unique, lower-case form id, short enough to read over the phone."""
    return "f" + secrets.token_hex(8)


def load_key(key_file: Path | None = None) -> bytes | None:
    """The secretariat's signing key: ``key_file`` first, then ``$SELFASSESS_KEY``."""
    if key_file is not None:
        try:
            data = key_file.read_bytes().strip()
        except OSError as exc:
            raise UsageError(f"cannot read the key file {key_file}: {exc.strerror}") from None
        if not data:
            raise UsageError(f"the key file {key_file} is empty")
        return data
    env = os.environ.get(KEY_ENV, "").strip()
    return env.encode() if env else None
