"""Parse a returned form: safe opening, format detection, reading, interpretation.

>>> import io
>>> parse_form(io.BytesIO(b"not a form"))
Traceback (most recent call last):
...
selfassess.errors.Rejected: not a Word (.docx) or Excel (.xlsx) file
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Protocol

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import DefinitionError, Rejected, UnknownQuestionnaire
from selfassess.i18n.localizer import Localizer
from selfassess.response.interpret import ParseResult, Problem, RawForm, interpret
from selfassess.response.meta import FormMeta
from selfassess.safety.files import read_regular
from selfassess.safety.package import Limits, Package, check_package
from selfassess.safety.text import shown

Source = str | Path | BinaryIO | bytes
#: Where a signature problem is located: the metadata the signature covers.
SIGNATURE_LOCATION = "metadata: selfassess.signature"


class Reader(Protocol):
    """What each format's reader provides. It is given a checked package."""

    def meta(self) -> FormMeta:
        """The form's metadata; raise Rejected when it is not one of our forms."""

    def read(self, questionnaire: Questionnaire) -> RawForm:
        """Raw values of every answer slot found."""


def read_source(source: Source, limits: Limits | None = None) -> bytes:
    """The bytes of a path or file object, never more than the file-size limit plus one.

    A path must name a regular file; a link is not followed (see
    :func:`selfassess.safety.files.read_regular`).
    """
    limit = (limits or Limits.from_env()).max_file_bytes
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return read_regular(source, limit)
    return source.read(limit + 1)


def open_reader(package: Package, ui: Localizer | None = None) -> Reader:
    if package.format == "xlsx":
        from selfassess.forms.xlsx_reader import XlsxReader  # noqa: PLC0415 (load one reader only)

        return XlsxReader(package, ui)
    from selfassess.forms.docx_reader import DocxReader  # noqa: PLC0415 (python-docx is slow to import; load one reader only)

    return DocxReader(package.data, ui)


def questionnaire_for(meta: FormMeta) -> Questionnaire:
    """The definition a form was made from; Rejected when it is unknown."""
    try:
        return load_questionnaire(meta.questionnaire, meta.version)
    except UnknownQuestionnaire as exc:
        raise Rejected(f"not a form of a known questionnaire version: {exc}") from None
    except DefinitionError as exc:
        raise Rejected(
            f"the definition of {meta.questionnaire} {meta.version} is broken: {exc}"
        ) from None


def parse_form(
    source: Source,
    key: bytes | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
    questionnaire: Questionnaire | None = None,
) -> ParseResult:
    """Parse a completed .docx or .xlsx form (a path, bytes or a binary file object).

    Raises :class:`Rejected` when the file is not a readable, safe form of a
    known questionnaire version. Otherwise every problem, however bad, is in
    the result's ``problems``. ``questionnaire`` reads the form against a
    definition that is not shipped (a draft, a test's), instead of the shipped
    one the form names; the form must name its id and version.
    """
    ui = ui or Localizer("en")
    package = check_package(read_source(source, limits), limits, ui)
    try:
        reader = open_reader(package, ui)
        meta = reader.meta()
        if questionnaire is None:
            questionnaire = questionnaire_for(meta)
        elif questionnaire.key != (meta.questionnaire, meta.version):
            raise Rejected(
                f"a form of {meta.questionnaire} {meta.version}, "
                f"not of {questionnaire.id} {questionnaire.version}"
            )
        raw = reader.read(questionnaire)
    except Rejected as exc:
        # A rejection is one line (the CLI's contract); readers quote messages of
        # openpyxl and others, which may span several, and values from the file,
        # whose control and bidi characters could forge or reorder a line.
        raise Rejected(shown(" ".join(str(exc).split()))) from None
    for warning in package.warnings:
        raw.problems.append(Problem(severity="warning", message=warning))
    signature = meta.verify(key)
    problem = signature_problem(meta, signature, key, ui)
    if problem is not None:
        raw.problems.append(problem)
    return interpret(questionnaire, raw, signature, ui)


def parse_returns(
    source: str | Path,
    key: bytes | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
) -> list[ParseResult]:
    """Every response in a file: one for a completed form, one per submission of an
    online export (ODK Central's CSV, .zip or OData JSON; KoBoToolbox's CSV).

    Online submissions carry no signature (their server authenticated the
    submitter), so ``key`` applies to forms only.
    """
    from selfassess.forms.online import is_online_export, read_submissions  # noqa: PLC0415 (only exports need it)

    data = read_source(source, limits)
    if is_online_export(data, Path(source).name):
        try:
            return [
                s.result for s in read_submissions(data, Path(source).name, limits=limits, ui=ui)
            ]
        except Rejected as exc:
            raise Rejected(shown(" ".join(str(exc).split()))) from None
    return [parse_form(data, key, limits, ui)]


def signature_problem(
    meta: FormMeta, signature: str, key: bytes | None, ui: Localizer
) -> Problem | None:
    """The signature policy (docs/security.md): with a key, only a valid signature
    passes; an unsigned form is an error too, for a signature is stripped or a
    metadata sheet forged as easily as it is altered."""
    _ = ui.gettext
    if not key:
        if not meta.signature:
            return None
        return Problem(
            severity="warning",
            location=SIGNATURE_LOCATION,
            message=_(
                "The form is signed, but no key is configured (SELFASSESS_KEY or "
                "--key-file), so the signature was not checked."
            ),
        )
    if signature == "invalid":
        return Problem(
            severity="error",
            location=SIGNATURE_LOCATION,
            message=_(
                "The signature does not match the form's metadata: the questionnaire, "
                "version, language, country, form id or dates were altered, or the form "
                "was not issued with this key."
            ),
        )
    if signature == "absent":
        return Problem(
            severity="error",
            location=SIGNATURE_LOCATION,
            message=_(
                "The form is not signed, but every form issued with the secretariat's key "
                "is: its signature was removed or its metadata replaced, or it was issued "
                "without the key. Check where it came from, and ask for the return on the "
                "form as issued."
            ),
        )
    return None
