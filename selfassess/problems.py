"""Every problem a return can have: a stable code, its severity and its message.

The catalogue is the contract of the ``code`` field of ``parse --json`` (see
``docs/contracts.md``, which lists it): scripts match on codes, never on
messages, which are translated. Checks find problems as :class:`Finding`
(a code, where, and the values for the message) before the language of the
message is known; :meth:`Finding.render` makes the :class:`Problem` in a
language. A return's problems are in the form's language unless the caller
asks for another, so a French return gets French problems.

>>> from selfassess.i18n.localizer import Localizer
>>> finding = Finding("not_a_number", item="x", location="S!C5", params={"value": "douze",
...     "ref": "I(a).2"})
>>> p = finding.render(Localizer("en"))
>>> p.severity, p.code, p.message
('error', 'not_a_number', "'douze' is not a number for I(a).2; type digits only, e.g. 12 or 3.5.")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, NamedTuple

from selfassess.constants import Severity
from selfassess.definitions.model import Model
from selfassess.i18n.localizer import N_, Localizer

ProblemCode = Literal[
    # Answers (every format).
    "formula_not_answer",
    "not_a_tick",
    "not_a_choice",
    "not_a_number",
    "not_a_date",
    "number_out_of_range",
    "condition_not_met",
    "required_missing",
    "unknown_slots",
    # The country of a blank form.
    "country_missing",
    "not_a_country",
    "country_formula",
    "country_cell_gone",
    # Metadata and signature.
    "metadata_differs",
    "signature_unchecked",
    "signature_invalid",
    "signature_missing",
    "json_unverified",
    # The package: links and fields that were not followed or run.
    "external_resource",
    "active_field",
    "active_formula",
    "alt_chunk",
    "external_link",
    # Excel layout.
    "cells_lost",
    "cell_unnamed",
    "cell_named_twice",
    "stray_cells",
    # Word layout.
    "control_repeated",
    "box_two_faced",
    "date_two_faced",
    "binding_unchecked",
    "binding_differs",
    "layout_recovered",
    "layout_row_missing",
    "layout_row_repeated",
    "layout_no_answer_column",
    "boxes_unreadable",
    # Online (XLSForm) submissions.
    "online_unknown_column",
    "online_not_choices",
    "online_not_a_party",
    # Secretariat: merging and ingesting.
    "merge_conflict",
    "form_not_issued",
    "issued_to_other_country",
    # A problem of a response JSON that carried no code (written before codes).
    "unclassified",
]


class Spec(NamedTuple):
    severity: Severity
    template: str
    """A format string, marked for extraction, translated when rendered."""


CATALOGUE: Final[Mapping[ProblemCode, Spec]] = {
    "formula_not_answer": Spec(
        "error", N_("A formula is not an answer ({ref}); type the answer itself.")
    ),
    "not_a_tick": Spec(
        "error",
        N_(
            "'{value}' is not a tick mark for {ref}; mark the option with {mark} or leave it empty."
        ),
    ),
    "not_a_choice": Spec(
        "error",
        N_("'{value}' is not one of the choices for {ref}; choose one from the list ({choices})."),
    ),
    "not_a_number": Spec(
        "error", N_("'{value}' is not a number for {ref}; type digits only, e.g. 12 or 3.5.")
    ),
    "not_a_date": Spec(
        "error", N_("'{value}' is not a date for {ref}; type it as YYYY-MM-DD, e.g. 2025-03-31.")
    ),
    "number_out_of_range": Spec("error", N_("{value} is out of range for {ref}. {range}")),
    "condition_not_met": Spec(
        "error",
        N_(
            "{ref} is answered, but it applies only when {cond_ref} is '{expected}'; "
            "clear one of the two answers."
        ),
    ),
    "required_missing": Spec("warning", N_("{ref} is required and has no answer.")),
    "unknown_slots": Spec(
        "warning",
        N_("{count} answer slot(s) not in questionnaire {qid} {version} were ignored: {slots}"),
    ),
    "country_missing": Spec(
        "warning", N_("The country is not given; pick it from the list on the cover.")
    ),
    "not_a_country": Spec(
        "error", N_("'{value}' is not a country; pick the country from the list on the cover.")
    ),
    "country_formula": Spec(
        "error",
        N_("A formula is not an answer (the country); pick the country from the list."),
    ),
    "country_cell_gone": Spec(
        "error",
        N_(
            "The form was issued without a country and its country cell is gone; "
            "ask the secretariat for a new form."
        ),
    ),
    "metadata_differs": Spec(
        "error",
        N_(
            "The form's metadata differs between the document properties and "
            "the hidden sheet '{sheet}' ({keys}): the form was altered. The "
            "document properties were used; ask the secretariat for a new form "
            "if these are wrong."
        ),
    ),
    "signature_unchecked": Spec(
        "warning",
        N_(
            "The form is signed, but no key is configured (SELFASSESS_KEY or "
            "--key-file), so the signature was not checked."
        ),
    ),
    "signature_invalid": Spec(
        "error",
        N_(
            "The signature does not match the form's metadata: the questionnaire, "
            "version, language, country, form id or dates were altered, or the form "
            "was not issued with this key."
        ),
    ),
    "signature_missing": Spec(
        "error",
        N_(
            "The form is not signed, but every form issued with the secretariat's key "
            "is: its signature was removed or its metadata replaced, or it was issued "
            "without the key. Check where it came from, and ask for the return on the "
            "form as issued."
        ),
    ),
    "json_unverified": Spec(
        "warning",
        N_(
            "A response .json carries no signature, so its origin and metadata "
            "were not verified; ingest the returned forms themselves where you "
            "can."
        ),
    ),
    "external_resource": Spec(
        "warning",
        N_(
            "{name} links to an external resource ({kind}); the link was not "
            "followed: do not open the original file in Office on a networked "
            "computer"
        ),
    ),
    "active_field": Spec(
        "warning",
        N_("{name} contains a field that fetches or runs something ({kind}); it was not run"),
    ),
    "active_formula": Spec(
        "warning",
        N_(
            "{name} contains a formula that calls another program or the network "
            "(DDE, WEBSERVICE...); it was not run"
        ),
    ),
    "alt_chunk": Spec(
        "warning",
        N_(
            "{name} imports HTML, RTF or MHT content (altChunk) that Word converts on "
            "opening and that can load or run something; it was not read"
        ),
    ),
    "external_link": Spec(
        "warning",
        N_(
            "{name} links to another workbook or program (external link or DDE); "
            "it was not followed"
        ),
    ),
    "cells_lost": Spec(
        "warning",
        N_(
            "{count} answer cell(s) no longer exist (their rows or sheets were "
            "deleted), so they count as unanswered: {slots}"
        ),
    ),
    "cell_unnamed": Spec(
        "error",
        N_(
            "The answer cell of {slot} cannot be found: the workbook has no name {name} "
            "(the form was altered, or saved by an editor that drops names). Enter the "
            "answer in a fresh copy of the form."
        ),
    ),
    "cell_named_twice": Spec(
        "error",
        N_(
            "The answer cell {slot} is named twice, at {first} ('{first_value}') "
            "and at {second} ('{second_value}'), with different contents; {first} "
            "was read. Put the answer in one cell and clear the other."
        ),
    ),
    "stray_cells": Spec(
        "warning",
        N_(
            "{count} cell(s) typed outside the answer cells were ignored (e.g. "
            "{cells}); put every answer in its answer cell."
        ),
    ),
    "control_repeated": Spec(
        "error",
        N_(
            "The control {tag} appears {count} times with different answers "
            "({values}); keep one copy with the right answer."
        ),
    ),
    "box_two_faced": Spec(
        "error",
        N_(
            "The box {tag} is {stored} in the file (w14:checked) but shows {glyph}; "
            "the box was not read. Ask the respondent whether it is ticked."
        ),
    ),
    "date_two_faced": Spec(
        "error",
        N_(
            "The date {tag} is stored as {stored} (w:fullDate) but shows '{shown}'; "
            "the date was not read. Ask the respondent which date is right."
        ),
    ),
    "binding_unchecked": Spec(
        "warning",
        N_(
            "The control {tag} is bound to custom XML (w:dataBinding {xpath}) that "
            "cannot be checked; '{shown}' was read as the form shows it, but Word may "
            "show another value."
        ),
    ),
    "binding_differs": Spec(
        "error",
        N_(
            "The control {tag} shows '{shown}' but is bound to custom XML "
            "(w:dataBinding) that says '{bound}', which Word shows instead; the answer "
            "was not read. Ask the respondent which is right."
        ),
    ),
    "layout_recovered": Spec(
        "warning",
        N_(
            "The form was re-saved by an editor that removed its content controls; "
            "{count} answer slot(s) were read from the table layout instead. Check "
            "them, and ask the respondent to use Microsoft Word or LibreOffice 7.5 "
            "or later next time."
        ),
    ),
    "layout_row_missing": Spec(
        "error",
        N_(
            "The answer to {ref} cannot be read: its content control (tag {tag}) is gone "
            "and its table row is missing. Ask for the answer again, or have it entered "
            "in a fresh copy of the form."
        ),
    ),
    "layout_row_repeated": Spec(
        "error",
        N_(
            "The answer to {ref} cannot be read: its content control (tag {tag}) is gone "
            "and its table row appears {count} times. Ask for the answer again, or have "
            "it entered in a fresh copy of the form."
        ),
    ),
    "layout_no_answer_column": Spec(
        "error",
        N_(
            "The answer to {ref} cannot be read: its content control (tag {tag}) is gone "
            "and its table row has lost its answer column. Ask for the answer again, or "
            "have it entered in a fresh copy of the form."
        ),
    ),
    "boxes_unreadable": Spec(
        "error",
        N_(
            "The boxes of {ref} cannot be read: the editor that saved the form removed "
            "their controls and the options no longer read as ☒ or ☐ followed by the "
            "option. Ask the respondent which options apply."
        ),
    ),
    "online_unknown_column": Spec("warning", N_("column '{column}' names no item; it was ignored")),
    "online_not_choices": Spec(
        "error",
        N_(
            "'{value}' is not one of the choices for {ref}; export the submissions of the form "
            "made by 'selfassess questionnaire export'."
        ),
    ),
    "online_not_a_party": Spec(
        "error",
        N_(
            "'{value}' is not the code of a Party; the country question takes the "
            "codes of the form's country list"
        ),
    ),
    "merge_conflict": Spec(
        "error",
        N_(
            "The returns disagree on {item}: {values}. Ask the country which answer "
            "stands, and correct one return."
        ),
    ),
    "form_not_issued": Spec(
        "warning",
        N_("The store did not issue form {form_id}; accepted, but check where it came from."),
    ),
    "issued_to_other_country": Spec(
        "warning",
        N_("Form {form_id} was issued to {issued} but says {found}; filed under {found}."),
    ),
    "unclassified": Spec("warning", "{message}"),
}


class Problem(Model):
    """One located problem of a return (the ``problems`` of ``parse --json``)."""

    severity: Severity
    code: ProblemCode
    item: str | None = None
    location: str | None = None
    message: str


@dataclass(frozen=True)
class Finding:
    """A problem found, before the language of its message is chosen."""

    code: ProblemCode
    item: str | None = None
    location: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, loc: Localizer) -> Problem:
        """The problem with its message in ``loc``'s language."""
        spec = CATALOGUE[self.code]
        return Problem(
            severity=spec.severity,
            code=self.code,
            item=self.item,
            location=self.location,
            message=loc.gettext(spec.template).format(**self.params),
        )
