"""Outputs that cannot be hijacked: the Markdown report, reminder e-mails, output folders.

Respondents' text in the Markdown report stays text (no link, image, HTML or
autolink, rendered with a real CommonMark parser). A contacts file cannot add
a recipient or a header to a reminder (judged with Python's own e-mail
parser). A link planted in an output folder is refused, never written through.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import DefinitionError, UsageError
from selfassess.forms.generate import generate_forms
from selfassess.i18n.localizer import Localizer
from selfassess.reports import write_country_report
from selfassess.reports.country import build_report
from selfassess.reports.country_md import escape, render_md
from selfassess.safety.files import output_file, write_output
from selfassess.scoring import response_with, score
from selfassess.secretariat.status import (
    Contact,
    GroupStatus,
    PartyStatus,
    StatusReport,
    load_contacts,
    mail_address,
    write_reminders,
)

markdown_it = pytest.importorskip("markdown_it")

HOSTILE_TEXT = [
    "[click](javascript:alert(1))",
    "![x](http://attacker.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<http://attacker.example>",
    "see https://attacker.example/login or www.attacker.example",
    "write to phish@attacker.example",
    "mailto:phish@attacker.example",
    "&lt;b&gt; &#x3C;i&#x3E;",
    "[ref]: http://attacker.example",
    "# heading\n- list\n> quote\n1. item",
    "    indented code",
    "a | b | c",
    "`code` *em* __strong__ ~~del~~",
    "line\u2028sep\rcr",
]
ALLOWED_TAGS = {
    "p",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "div",
    "ol",
    "li",
}
# What GitHub's autolink extension links without markup.
AUTOLINK = re.compile(r"(?<!\\)(?:[a-z][a-z0-9+.-]*:(?=//)|\bwww\.|[\w.+-]@[\w-])", re.I)
TEXT_ITEM = "wg14_c_measures"


def rendered(md: str) -> str:
    return str(markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md))


def assert_inert(md: str) -> None:
    html = rendered(md)
    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", html)}
    assert tags <= ALLOWED_TAGS, (tags - ALLOWED_TAGS, md)
    assert AUTOLINK.search(md) is None, md


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_stays_text_in_a_cell_and_a_paragraph(text: str) -> None:
    assert_inert(f"| a |\n|---|\n| {escape(text)} |\n\n{escape(text)}\n\n1. {escape(text)}\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_stays_text(text: str) -> None:
    assert_inert(f"| a |\n|---|\n| {escape(text)} |\n\n{escape(text)}\n\n1. {escape(text)}\n")


def test_the_country_report_shows_hostile_answers_as_text() -> None:
    q = load_questionnaire()
    reply = response_with(q, {TEXT_ITEM: " ".join(HOSTILE_TEXT)})
    report = build_report(score(reply, q), reply, q, Localizer("en"))
    md = render_md(report)
    assert "attacker" in md, "the answer is not in the report: the test would prove nothing"
    assert_inert(md)


# --- reminder e-mails -----------------------------------------------------------------

HOSTILE_NAMES = [
    "Ruiz, Ana",
    'Ana "the boss" Ruiz',
    "Ana <boss@attacker.example>",
    "Ana\r\nBcc: spy@attacker.example",
    "Ana\nCc: spy@attacker.example",
    "Ana\tRuiz",
    "Ана Руис, министерство",
    "آنا\u2028Bcc: spy@attacker.example",
    "\u202eanA",
    "=?utf-8?q?spy=40attacker.example?=",
]
EXPECTED_HEADERS = {
    "from",
    "to",
    "subject",
    "message-id",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
    "content-language",
}


def overdue(code: str = "MX") -> StatusReport:
    party = PartyStatus(
        code, code, (), ("es",), forms_issued=1, deadline=dt.date(2025, 6, 30), overdue=True
    )
    total = GroupStatus("total", "All")
    total.add(party)
    return StatusReport(dt.date(2025, 7, 1), None, [party], [], total)


def contacts_file(names: list[str]) -> bytes:
    lines = ["country,name,email,language"]
    for n, name in enumerate(names):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"MX,{quoted},focal{n}@example.org,es")
    return ("\n".join(lines) + "\n").encode()


def test_reminders_have_exactly_one_recipient_and_no_extra_header(tmp_path: Path) -> None:
    contacts = load_contacts(contacts_file(HOSTILE_NAMES))
    written = write_reminders(overdue(), contacts, tmp_path).written
    assert len(written) == len(HOSTILE_NAMES)
    for n, path in enumerate(sorted(written, key=lambda p: int(p.name.split("-")[1]))):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert {k.lower() for k in msg} == EXPECTED_HEADERS, path
        (address,) = msg["To"].addresses
        assert address.addr_spec == f"focal{n}@example.org"
        assert not msg.defects


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_display_name_gives_one_recipient(name: str) -> None:
    from email.message import EmailMessage  # noqa: PLC0415

    msg = EmailMessage()
    msg["To"] = mail_address(name, "focal@example.org")
    msg.set_content("x")
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert {k.lower() for k in parsed} == {
        "to",
        "content-type",
        "content-transfer-encoding",
        "mime-version",
    }
    (address,) = parsed["To"].addresses
    assert address.addr_spec == "focal@example.org"


@pytest.mark.parametrize(
    "address",
    [
        "a@b.org, c@d.org",
        "a@b.org;c@d.org",
        "Ana <a@b.org>",
        "a b@c.org",
        "a@b.org\r\nBcc: x@y.org",
        "a(comment)@b.org",
        "a@b@c.org",
        "ä@b.org",
        "a@localhost",
        "a@",
        "@b.org",
        "",
    ],
)
def test_an_invalid_address_is_refused_with_its_line(address: str) -> None:
    quoted = '"' + address.replace('"', '""') + '"'
    data = f"country,name,email,language\nMX,Ana,ok@example.org,es\nMX,Bo,{quoted},es\n"
    with pytest.raises(DefinitionError) as caught:
        load_contacts(data.encode())
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "\n" not in problem.message
    assert "\r" not in problem.message


# --- output folders ---------------------------------------------------------------------


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    target = tmp_path / "victim.txt"
    target.write_bytes(b"precious")
    return target


def test_output_file_refuses_a_planted_link_and_writes_nothing(
    tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        write_output(out / "report.md", b"hijacked")
    assert victim.read_bytes() == b"precious"
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]  # no temporary left


def test_output_file_replaces_a_regular_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    write_output(path, b"new")

    def fail_midway() -> None:
        with output_file(path) as fh:
            fh.write(b"half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_midway()
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_generate_refuses_a_planted_link(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "forms"
    out.mkdir()
    q = load_questionnaire()
    (out / f"{q.id}-{q.version}-en-MX.docx").symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        generate_forms(q, ["en"], ["MX"], ["docx"], out)
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_a_report_refuses_a_planted_link(tmp_path: Path, victim: Path, fmt: str) -> None:
    q = load_questionnaire()
    reply = response_with(q, {TEXT_ITEM: "x"})
    (tmp_path / f"mx.{fmt}").symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        write_country_report(score(reply, q), reply, q, tmp_path / f"mx.{fmt}")
    assert victim.read_bytes() == b"precious"


def test_reminders_refuse_a_planted_link(tmp_path: Path, victim: Path) -> None:
    (tmp_path / "MX-1-es.eml").symlink_to(victim)
    contacts = {"MX": [Contact("MX", "Ana", "ana@example.org", "es")]}
    with pytest.raises(UsageError, match="symbolic link"):
        write_reminders(overdue(), contacts, tmp_path)
    assert victim.read_bytes() == b"precious"
