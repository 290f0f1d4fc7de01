"""What a form tells its respondent about the round: the reporting period, who
the secretariat is, and how to send the form back.

Both writers print these same texts (the Word cover and instructions, the
Excel instructions sheet), so a Word and an Excel form of one round say the
same thing in the same words.

>>> import datetime as dt
>>> loc = Localizer("en")
>>> meta = FormMeta(questionnaire="q", version="1", language="en", form_id="f1",
...                 issued=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 31))
>>> return_steps("xlsx", meta, None, loc)[-1]  # doctest: +ELLIPSIS
'Send it back to the secretariat that sent it to you, ... by 31 March 2026.'
"""

from __future__ import annotations

from selfassess.constants import Format
from selfassess.definitions.contact import SecretariatContact
from selfassess.i18n.localizer import Localizer
from selfassess.response.meta import FormMeta, Period

#: Per format: the application named in the instructions (a product name,
#: never translated) and the file extension the parser reads.
_APPLICATIONS: dict[Format, tuple[str, str]] = {
    "docx": ("Microsoft Word", ".docx"),
    "xlsx": ("Microsoft Excel", ".xlsx"),
}


def period_text(period: Period, loc: Localizer) -> str:
    """The reporting period as the form's language writes it."""
    return loc.gettext("{start} to {end}").format(
        start=loc.date(period.start), end=loc.date(period.end)
    )


def contact_rows(contact: SecretariatContact | None, loc: Localizer) -> list[tuple[str, str]]:
    """(label, value) of each detail the secretariat configured; none without a file.

    An address keeps its line breaks: each writer prints one line per line.
    """
    if contact is None:
        return []
    rows = [(loc.gettext("Secretariat"), contact.text("name", loc.lang) or "")]
    address = contact.text("address", loc.lang)
    if address:
        rows.append((loc.gettext("Postal address"), address))
    rows.append((loc.gettext("E-mail"), contact.email))
    if contact.telephone:
        rows.append((loc.gettext("Telephone"), loc.isolated(contact.telephone)))
    return rows


def return_steps(
    fmt: Format, meta: FormMeta, contact: SecretariatContact | None, loc: Localizer
) -> list[str]:
    """How to send the form back: what, with which software, to whom, by when.

    What the parser needs decides the first two: the file itself (a PDF, a
    scan or a copy into another file cannot be read back; its name does not
    matter, the form id is inside it), in the format it was issued in. The
    .odt or .ods LibreOffice writes on "Use ODF Format!" is read too, but only
    the issued format keeps the controls, lists and protection that Word and
    Excel users (the other agencies filling a part, the secretariat) rely on.
    """
    application, extension = _APPLICATIONS[fmt]
    # Its leading dot would move to its end inside Arabic text (an Excel cell
    # has no runs to keep it apart).
    extension = loc.isolated(extension)
    _ = loc.gettext
    steps = [
        _(
            "Send back this file itself, completed and saved in its own format ({extension}): "
            "not as a PDF, a scan or a printout, and not copied into another file, since the "
            "answers are read from this file. Its name may be changed."
        ).format(extension=extension),
        _(
            "You can fill it in with {application} or LibreOffice. When LibreOffice asks in "
            "which format to save, keep the current format ({extension}), not the ODF format."
        ).format(application=application, extension=extension),
    ]
    deadline = loc.date(meta.deadline) if meta.deadline else None
    if contact is not None:
        who = {"name": contact.text("name", loc.lang), "email": contact.email}
        if deadline:
            steps.append(
                _("Send it by e-mail to {email} ({name}) by {deadline}.").format(
                    deadline=deadline, **who
                )
            )
        else:
            steps.append(
                _(
                    "Send it by e-mail to {email} ({name}) by the date given in the "
                    "covering letter."
                ).format(**who)
            )
    elif deadline:
        steps.append(
            _(
                "Send it back to the secretariat that sent it to you, through the channel "
                "by which you received it, by {deadline}."
            ).format(deadline=deadline)
        )
    else:
        steps.append(
            _(
                "Send it back to the secretariat that sent it to you, through the channel "
                "by which you received it, by the date given in the covering letter."
            )
        )
    return steps
