"""Parse a returned form: safe opening, format detection, reading, interpretation.

>>> import io
>>> parse_form(io.BytesIO(b"not a form"))
Traceback (most recent call last):
...
selfassess.errors.Rejected: not a Word (.docx) or Excel (.xlsx) file
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import party_codes
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import DefinitionError, Rejected, UnknownQuestionnaire
from selfassess.i18n.localizer import Localizer
from selfassess.problems import Finding
from selfassess.response.interpret import ParseResult, RawForm, interpret
from selfassess.response.meta import FormMeta
from selfassess.response.stored import check_answers, read_response_json
from selfassess.safety.files import read_regular
from selfassess.safety.package import MIB, Limits, Package, check_package
from selfassess.safety.text import shown

if TYPE_CHECKING:
    from selfassess.forms.online import Submission

Source = str | Path | BinaryIO | bytes
JSON_SUFFIX = ".json"
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


def open_reader(package: Package, countries: Collection[str]) -> Reader:
    if package.format == "xlsx":
        from selfassess.forms.xlsx_reader import XlsxReader  # noqa: PLC0415 (load one reader only)

        return XlsxReader(package, countries)
    if package.format == "ods":
        from selfassess.forms.odf_reader import OdsReader  # noqa: PLC0415 (load one reader only)

        return OdsReader(package, countries)
    if package.format == "odt":
        from selfassess.forms.odf_reader import OdtReader  # noqa: PLC0415 (load one reader only)

        return OdtReader(package, countries)
    from selfassess.forms.docx_reader import DocxReader  # noqa: PLC0415 (python-docx is slow to import; load one reader only)

    return DocxReader.from_docx(package, countries)


def questionnaire_for(questionnaire: str, version: str) -> Questionnaire:
    """The definition a form or response was made from; Rejected when it is unknown."""
    try:
        return load_questionnaire(questionnaire, version)
    except UnknownQuestionnaire as exc:
        raise Rejected(f"not a form of a known questionnaire version: {exc}") from None
    except DefinitionError as exc:
        raise Rejected(f"the definition of {questionnaire} {version} is broken: {exc}") from None


def parse_form(
    source: Source,
    key: bytes | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
    questionnaire: Questionnaire | None = None,
    countries: Collection[str] | None = None,
) -> ParseResult:
    """Parse a completed .docx or .xlsx form, or one LibreOffice saved as .odt or .ods
    (a path, bytes or a binary file object).

    Problems are in ``ui``'s language, by default the form's; a rejection is
    in ``ui``'s language, by default English (the form's is not known yet).

    Raises :class:`Rejected` when the file is not a readable, safe form of a
    known questionnaire version. Otherwise every problem, however bad, is in
    the result's ``problems``. ``questionnaire`` reads the form against a
    definition that is not shipped (a draft, a test's), instead of the shipped
    one the form names; the form must name its id and version. ``countries``
    are the codes a form's country may be (default: the Parties of the
    shipped Parties file).
    """
    package = check_package(read_source(source, limits), limits, ui)
    try:
        reader = open_reader(package, party_codes() if countries is None else countries)
    except Rejected as exc:
        raise one_line(exc) from None
    return _parse_package(package, reader, key, ui, questionnaire)


def _parse_package(
    package: Package,
    reader: Reader,
    key: bytes | None,
    ui: Localizer | None,
    questionnaire: Questionnaire | None = None,
) -> ParseResult:
    try:
        meta = reader.meta()
        if questionnaire is None:
            questionnaire = questionnaire_for(meta.questionnaire, meta.version)
        elif questionnaire.key != (meta.questionnaire, meta.version):
            raise Rejected(
                f"a form of {meta.questionnaire} {meta.version}, "
                f"not of {questionnaire.id} {questionnaire.version}"
            )
        raw = reader.read(questionnaire)
    except Rejected as exc:
        raise one_line(exc) from None
    raw.problems.extend(package.warnings)
    signature = meta.verify(key)
    problem = signature_problem(meta, signature, key)
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
    online export (see :func:`read_return`)."""
    found = read_return(read_source(source, limits), Path(source).name, key, limits, ui)
    return [s.result for s in found] if isinstance(found, list) else [found]


def read_return(
    data: bytes,
    name: str,
    key: bytes | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
) -> ParseResult | list[Submission]:
    """A completed form, or each submission of an online export: what ``parse`` and
    ``ingest`` take.

    ODK Central's CSV, .zip and OData JSON and KoBoToolbox's CSV are told by
    their name. An .xlsx is told by its content: one of our forms carries form
    metadata; KoBoToolbox's export names ``_uuid`` or ``_submission_time`` in
    row 1 of its first sheet; anything else is rejected. Online submissions
    carry no signature (their server authenticated the submitter), so ``key``
    applies to forms only. Raises :class:`Rejected` in one line.
    """
    from selfassess.forms.online import (  # noqa: PLC0415 (only exports need it)
        is_kobo_workbook,
        is_online_export,
        read_submissions,
        read_workbook,
    )
    from selfassess.forms.xlsx_reader import XlsxReader  # noqa: PLC0415 (see open_reader)

    if is_online_export(data, name):
        try:
            return read_submissions(data, name, limits=limits, ui=ui)
        except Rejected as exc:
            raise one_line(exc) from None
    package = check_package(data, limits, ui)
    try:
        reader = open_reader(package, party_codes())
        if isinstance(reader, XlsxReader) and not reader.has_metadata():
            if not is_kobo_workbook(reader):
                raise Rejected(
                    (ui or Localizer("en")).gettext(
                        "neither a selfassess form (it has no form metadata) nor a "
                        "KoBoToolbox export (row 1 of its first sheet has no _uuid or "
                        "_submission_time column); send the completed form, or the "
                        "export as KoBoToolbox gives it"
                    )
                )
            return read_workbook(reader, ui=ui)
    except Rejected as exc:
        raise one_line(exc) from None
    return _parse_package(package, reader, key, ui)


def one_line(exc: Rejected) -> Rejected:
    """A rejection as one line (the CLI's contract): readers quote messages of
    libraries, which may span several, and values from the file, whose control
    and bidi characters could forge or reorder a line."""
    return Rejected(shown(" ".join(str(exc).split())))


def signature_problem(meta: FormMeta, signature: str, key: bytes | None) -> Finding | None:
    """The signature policy (docs/security.md): with a key, only a valid signature
    passes; an unsigned form is an error too, for a signature is stripped or a
    metadata sheet forged as easily as it is altered."""
    if not key:
        return (
            Finding("signature_unchecked", location=SIGNATURE_LOCATION) if meta.signature else None
        )
    if signature == "invalid":
        return Finding("signature_invalid", location=SIGNATURE_LOCATION)
    if signature == "absent":
        return Finding("signature_missing", location=SIGNATURE_LOCATION)
    return None


def load_response(
    source: Source,
    *,
    name: str | None = None,
    key: bytes | None = None,
    limits: Limits | None = None,
    ui: Localizer | None = None,
) -> ParseResult:
    """A response from a completed form, or from a response JSON (``parse --json``,
    ``merge``): what ``score``, ``ingest`` and ``merge`` take.

    ``name`` (default: the path) decides: a name ending in ``.json`` is read
    as JSON, and its answers are checked against its questionnaire; anything
    else is parsed as a form. A response JSON's signature status is
    ``unverified``; with a key configured, a warning says so. Raises
    :class:`Rejected` in one line.
    """
    if name is None and isinstance(source, str | Path):
        name = str(source)
    if name is None or Path(name).suffix.lower() != JSON_SUFFIX:
        return parse_form(source, key, limits, ui)
    limit = (limits or Limits.from_env()).max_file_bytes
    data = read_source(source, limits)
    if len(data) > limit:
        raise Rejected(f"the response JSON is over the limit of {limit / MIB:.0f} MiB")
    result = read_response_json(data)
    check_answers(result, questionnaire_for(result.form.questionnaire, result.form.version))
    if not key:
        return result
    unverified = Finding("json_unverified", location=SIGNATURE_LOCATION)
    loc = ui or Localizer(result.form.language)
    return result.model_copy(update={"problems": [*result.problems, unverified.render(loc)]})
