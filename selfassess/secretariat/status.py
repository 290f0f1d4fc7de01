"""Where a round stands: per Party and per regional group; reminders to overdue Parties.

A Party has *returned* when the store holds an accepted return (with or
without problems) of a form issued to it in the round, or of a form the store
did not issue, received on or after the round's issue date. It is *missing*
when it was issued forms and has not returned, and *overdue* when it is
missing after the deadline. *Open problems* are the errors and warnings of
its current return.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from selfassess.constants import CTX_QUESTIONNAIRE_TITLE, REGIONAL_GROUPS, RegionalGroup
from selfassess.definitions.model import Questionnaire
from selfassess.definitions.parties import Parties, group_name, load_parties
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import DefinitionError, DefinitionProblem, UsageError
from selfassess.i18n.localizer import Localizer, check_language, country_code, fallback_warning
from selfassess.safety.files import write_output
from selfassess.safety.text import safe_path, shown
from selfassess.store import ReturnRow, Round, Store

#: The regional groups in UN order, then the Parties in none.
GROUP_KEYS: tuple[RegionalGroup | None, ...] = (*REGIONAL_GROUPS, None)


@dataclass
class PartyStatus:
    code: str
    name: str
    groups: tuple[str, ...]
    languages: tuple[str, ...]
    forms_issued: int = 0
    issued: dt.date | None = None
    deadline: dt.date | None = None
    returned: bool = False
    received: str | None = None
    """When the current return was received (UTC, ISO)."""
    return_status: str | None = None
    returns: int = 0
    """Accepted returns in the round (older ones superseded)."""
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    overdue: bool = False

    @property
    def missing(self) -> bool:
        return self.forms_issued > 0 and not self.returned

    @property
    def errors(self) -> int:
        return sum(p.get("severity") == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.code,
            "name": self.name,
            "groups": list(self.groups),
            "languages": list(self.languages),
            "forms_issued": self.forms_issued,
            "issued": self.issued.isoformat() if self.issued else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "returned": self.returned,
            "missing": self.missing,
            "overdue": self.overdue,
            "received": self.received,
            "return_status": self.return_status,
            "returns": self.returns,
            "rejected": self.rejected,
            "open_problems": {"errors": self.errors, "warnings": self.warnings},
            "problems": self.problems,
        }


@dataclass
class GroupStatus:
    group: str | None
    name: str
    parties: int = 0
    issued: int = 0
    returned: int = 0
    missing: int = 0
    overdue: int = 0
    open_problems: int = 0

    def add(self, p: PartyStatus) -> None:
        self.parties += 1
        self.issued += p.forms_issued > 0
        self.returned += p.returned
        self.missing += p.missing
        self.overdue += p.overdue
        self.open_problems += len(p.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "parties": self.parties,
            "issued": self.issued,
            "returned": self.returned,
            "missing": self.missing,
            "overdue": self.overdue,
            "open_problems": self.open_problems,
        }


@dataclass
class StatusReport:
    as_of: dt.date
    round: Round | None
    parties: list[PartyStatus]
    groups: list[GroupStatus]
    total: GroupStatus
    others: list[str] = field(default_factory=list)
    """Countries with returns that are not in the parties file."""
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        r = self.round
        return {
            "as_of": self.as_of.isoformat(),
            "round": None
            if r is None
            else {
                "id": r.id,
                "label": r.label,
                "questionnaire": r.questionnaire,
                "version": r.version,
                "issued": r.issued.isoformat(),
                "deadline": r.deadline.isoformat() if r.deadline else None,
            },
            "parties": [p.to_json() for p in self.parties],
            "groups": [g.to_json() for g in self.groups],
            "total": self.total.to_json(),
            "others": self.others,
            "warnings": self.warnings,
        }


def _counts_for_round(row: ReturnRow, round_forms: set[str], rnd: Round | None) -> bool:
    if rnd is None or (row.form_id is not None and row.form_id in round_forms):
        return True
    return not row.known_form and row.received_at[:10] >= rnd.issued.isoformat()


@dataclass
class _Tally:
    """One country's returns counted for a round, met one by one, oldest first."""

    rejected: int = 0
    accepted: int = 0
    #: The current return; if the current return is from another round, this
    #: round's newest accepted one.
    current: ReturnRow | None = None

    def add(self, row: ReturnRow) -> None:
        if row.outcome == "rejected":
            self.rejected += 1
            return
        self.accepted += 1
        if self.current is None or not self.current.is_current:
            self.current = row


def status(
    store: Store,
    parties: Parties,
    *,
    as_of: dt.date | None = None,
    round_id: int | None = None,
    loc: Localizer | None = None,
) -> StatusReport:
    """Status of a round (the latest unless ``round_id``) for every Party in ``parties``."""
    loc = loc or Localizer("en")
    as_of = as_of or dt.date.today()
    rounds = {r.id: r for r in store.rounds()}
    if round_id is not None and round_id not in rounds:
        raise UsageError(
            f"no round {round_id} in the store; rounds: {', '.join(map(str, rounds)) or 'none'}"
        )
    rnd = rounds[round_id] if round_id is not None else store.latest_round()
    forms = store.forms(rnd.id) if rnd else store.forms()
    round_forms = {f.form_id for f in forms}
    # One pass over the returns, keeping per country only the counts and the
    # return that stands for it, so that memory does not grow with the store.
    by_country: dict[str, _Tally] = {}
    for row in store.iter_returns(documents=False):
        if row.country:
            tally = by_country.setdefault(row.country, _Tally())
            if _counts_for_round(row, round_forms, rnd):
                tally.add(row)
    out: list[PartyStatus] = []
    for party in parties.parties:
        ps = PartyStatus(party.code, loc.country(party.code), party.groups, party.languages)
        mine = [f for f in forms if f.country == party.code]
        ps.forms_issued = len(mine)
        if mine:
            ps.issued = min(f.issued for f in mine)
            deadlines = [f.deadline for f in mine if f.deadline]
            ps.deadline = max(deadlines) if deadlines else None
        tally = by_country.get(party.code, _Tally())
        ps.rejected = tally.rejected
        ps.returns = tally.accepted
        current = tally.current
        if current is not None:
            ps.returned = True
            ps.received = current.received_at
            ps.return_status = current.status
            ps.problems = current.problems()
        ps.overdue = ps.missing and ps.deadline is not None and ps.deadline < as_of
        out.append(ps)
    # Listed by name as the reader's language sorts it, never by any figure.
    out.sort(key=lambda ps: loc.sort_key(ps.name))
    groups = []
    for key in GROUP_KEYS:
        g = GroupStatus(key, group_name(key, loc))
        for ps in out:
            if (key in ps.groups) if key else not ps.groups:
                g.add(ps)
        if g.parties:
            groups.append(g)
    total = GroupStatus("total", loc.gettext("All Parties"))
    for ps in out:
        total.add(ps)
    known = set(parties.codes())
    others = sorted(c for c in by_country if c not in known)
    warnings = []
    if others:
        warnings.append(
            loc.gettext(
                "Returns from countries not in the parties file were left out: {codes}"
            ).format(codes=", ".join(others))
        )
    unnamed = fallback_warning(loc, loc.fallbacks)
    if unnamed:
        warnings.append(unnamed)
    return StatusReport(as_of, rnd, out, groups, total, others, warnings)


# --- reminders ----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    country: str
    name: str
    email: str
    language: str | None


CONTACT_HEADER = ("country", "name", "email", "language")


def load_contacts(source: Path | str | bytes) -> dict[str, list[Contact]]:
    """Focal points from a CSV file with the header ``country,name,email,language``.

    ``language`` may be empty (the Party's first form language is used). Every
    problem is located by line.

    >>> load_contacts(b"country,name,email,language\\nMEX,Ana Ruiz,ana@example.org,es\\n")
    {'MX': [Contact(country='MX', name='Ana Ruiz', email='ana@example.org', language='es')]}
    """
    label = "<contacts>" if isinstance(source, bytes) else str(source)
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the contacts file {label}: {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(h.strip().lower() for h in reader.fieldnames or ())
    if not set(CONTACT_HEADER[:3]) <= set(header):
        raise DefinitionError(
            [
                DefinitionProblem(
                    label,
                    1,
                    "",
                    f"the first line must name the columns {','.join(CONTACT_HEADER)}",
                )
            ]
        )
    out: dict[str, list[Contact]] = {}
    problems: list[DefinitionProblem] = []
    for line_no, row in enumerate(reader, start=2):
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        try:
            code = country_code(cells.get("country", ""))
            lang = check_language(cells["language"]) if cells.get("language") else None
        except UsageError as exc:
            problems.append(DefinitionProblem(label, line_no, "", str(exc)))
            continue
        email = cells.get("email", "")
        try:
            mail_address("", email)
        except UsageError as exc:
            problems.append(DefinitionProblem(label, line_no, "email", str(exc)))
            continue
        out.setdefault(code, []).append(Contact(code, cells.get("name", ""), email, lang))
    if problems:
        raise DefinitionError(problems)
    return out


def mail_address(name: str, email: str) -> Address:
    r"""One recipient, built so that nothing in ``name`` or ``email`` adds another
    recipient or a header: ``email`` must be exactly one plain ASCII address
    (UsageError otherwise); in ``name``, line breaks, tabs, control and bidi
    characters become spaces, and the rest (commas, quotes, angle brackets,
    non-ASCII) is quoted or encoded by :class:`email.headerregistry.Address`.

    >>> str(mail_address('Ruiz, Ana <x@evil.org>\r\nBcc: y@evil.org', "ana@example.org"))
    '"Ruiz, Ana <x@evil.org> Bcc: y@evil.org" <ana@example.org>'
    """
    shown_email = shown(email)
    problem = UsageError(
        f"'{shown_email}' is not one e-mail address; write one address such as "
        "name@ministry.gov (ASCII; an internationalised domain in its xn-- form)"
    )
    if not email.isascii() or not email.isprintable():
        raise problem
    try:
        address = Address(addr_spec=email)
    except (ValueError, IndexError, HeaderParseError):
        raise problem from None
    if address.addr_spec != email or not address.username or "." not in address.domain:
        raise problem
    clean = "".join(ch if ch.isprintable() else " " for ch in name)
    return Address(display_name=" ".join(clean.split()), addr_spec=email)


def sender_address(sender: str) -> Address:
    """The From address: ``name@domain`` or ``Display Name <name@domain>``.

    >>> str(sender_address("UNODC secretariat <wgta@un.org>"))
    'UNODC secretariat <wgta@un.org>'
    """
    name, sep, rest = sender.rpartition("<")
    if sep and rest.endswith(">"):
        return mail_address(name.strip().strip('"'), rest[:-1].strip())
    return mail_address("", sender.strip())


def reminder(
    party: PartyStatus, contact: Contact, sender: str, questionnaire: Questionnaire | None = None
) -> EmailMessage:
    """A reminder to one focal point, in the contact's language (else the Party's first)."""
    lang = contact.language or party.languages[0]
    loc = Localizer(lang)
    _ = loc.gettext
    msg = EmailMessage()
    msg["From"] = sender_address(sender)
    msg["To"] = mail_address(contact.name, contact.email)
    msg["Subject"] = _("Reminder: self-assessment questionnaire due on {date}").format(
        date=loc.date(party.deadline) if party.deadline else "-"
    )
    msg["Message-ID"] = make_msgid(domain="selfassess.invalid")
    title = (
        loc.content(CTX_QUESTIONNAIRE_TITLE, questionnaire.title)
        if questionnaire
        else _("the self-assessment questionnaire")
    )
    greeting = (
        _("Dear {name},").format(name=contact.name) if contact.name else _("Dear focal point,")
    )
    body = [
        greeting,
        "",
        _(
            "The secretariat has not yet received the reply of {country} to {title}, "
            "which was due on {date}."
        ).format(
            country=loc.country(party.code),
            title=title,
            date=loc.date(party.deadline) if party.deadline else "-",
        ),
        "",
        _(
            "Please complete the form sent to you and return it to the secretariat. If you "
            "have already sent it, please accept our thanks and disregard this message."
        ),
        "",
        _("With kind regards,"),
        _("The secretariat"),
    ]
    msg.set_content("\n".join(body), charset="utf-8")
    # After set_content, which replaces the content headers.
    msg["Content-Language"] = lang
    return msg


@dataclass
class RemindersResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def write_reminders(
    report: StatusReport,
    contacts: dict[str, list[Contact]],
    out_dir: Path,
    *,
    sender: str = "secretariat@example.org",
    questionnaire: Questionnaire | None = None,
) -> RemindersResult:
    """One .eml per contact of every overdue Party: ``<country>-<n>-<lang>.eml``.

    Each file is written by :func:`selfassess.safety.files.output_file`: a link
    or anything but a regular file in its place is refused, never written through.
    """
    sender_address(sender)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RemindersResult()
    for party in report.parties:
        if not party.overdue:
            continue
        found = contacts.get(party.code, [])
        if not found:
            result.warnings.append(
                f"{party.code}: overdue, but no contact in the focal-points file; add one"
            )
            continue
        for n, contact in enumerate(found, start=1):
            msg = reminder(party, contact, sender, questionnaire)
            path = safe_path(out_dir, f"{party.code}-{n}-{msg['Content-Language']}", ext="eml")
            write_output(path, msg.as_bytes())
            result.written.append(path)
    return result


def round_status(
    store_path: Path,
    parties_path: Path | None = None,
    *,
    as_of: dt.date | None = None,
    reminders: Path | None = None,
    contacts: Path | None = None,
    sender: str = "secretariat@example.org",
) -> tuple[StatusReport, RemindersResult | None]:
    """``selfassess status``: the status of the store's latest round and, when
    ``reminders`` and ``contacts`` are given, the reminders written there."""
    if (reminders is None) != (contacts is None):
        raise UsageError("--reminders and --contacts go together; give both")
    parties = load_parties(parties_path)
    with Store(store_path, create=False) as store:
        report = status(store, parties, as_of=as_of)
    if reminders is None or contacts is None:
        return report, None
    q = (
        load_questionnaire(report.round.questionnaire, report.round.version)
        if report.round
        else None
    )
    return report, write_reminders(
        report, load_contacts(contacts), reminders, sender=sender, questionnaire=q
    )
