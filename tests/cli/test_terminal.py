"""What reaches the terminal: a respondent's text, a file name or a message never
steers it. Rich markup in an answer is text, controls and bidi overrides are
shown as escapes, and one printed record stays one line."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfassess.cli import app
from selfassess.cli.common import EXIT_PROBLEMS, EXIT_REJECTED, out, print_json, shown
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.scoring import response_with
from tests.forms.docx_fill import blank_form, control, edit_document, fill_text

runner = CliRunner()


class _Unsafe:
    """Everything a terminal or a reader of a line could be fooled by: controls
    (C0, C1, DEL), format characters (bidi overrides and isolates among them),
    line and paragraph separators, surrogates, private use, unassigned."""

    CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

    def search(self, text: str) -> str | None:
        return next((ch for ch in text if unicodedata.category(ch) in self.CATEGORIES), None)


UNSAFE = _Unsafe()
HOSTILE = [
    "[/red]",
    "[bold red]ALERT[/]",
    "[link=https://evil.example]click[/link]",
    "\x1b[2J\x1b]0;pwned\x07",  # clear screen, set window title
    "\x9b31m",  # C1 CSI
    "zero\u200bwidth\ufeffmarks\U000e0041",
    "ok\nerror: forged line",
    "ok\rforged",
    "\u202egnp.exe",  # right-to-left override
    "\u2066isolated\u2069",
    "line\u2028separator",
    "back\\[slash]",
    ":warning: :red_circle:",
]


def rendered(markup: str) -> str:
    """What the CLI's console prints for ``markup``."""
    with out.capture() as capture:
        out.print(markup)
    return capture.get()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_prints_as_itself_made_visible(text: str) -> None:
    out = rendered(f"[bold]{shown(text)}[/bold]")
    assert not UNSAFE.search(out.rstrip("\n"))
    assert out.count("\n") == 1
    # Markup comes out as written, and each escape stands for the character it names.
    assert ESCAPE.sub(lambda m: codecs.decode(m.group(), "unicode_escape"), out[:-1]) == text


ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|[nrt])")


@given(st.text())
def test_any_text_is_one_safe_line(text: str) -> None:
    out = rendered(shown(text))
    assert not UNSAFE.search(out[:-1])
    assert out.endswith("\n")
    assert out.count("\n") == 1


@given(st.text())
def test_json_output_is_safe_and_the_same_value(text: str) -> None:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        print_json({"answer": text, text: 1})
    out = buffer.getvalue()
    assert json.loads(out) == {"answer": text, text: 1}
    assert not UNSAFE.search(out.replace("\n", ""))


def _assert_safe_lines(stream: str, expected_lines: int | None = None) -> None:
    assert not UNSAFE.search(stream.replace("\n", ""))
    if expected_lines is not None:
        assert len(stream.splitlines()) == expected_lines, stream


def test_merge_conflict_shows_hostile_answers_as_text(tmp_path: Path) -> None:
    q = load_questionnaire()
    names = []
    for n, answer in enumerate(["[/red]\x1b[2J", "\u202eevil\nerror: forged"]):
        result = response_with(q, {"respondent_name": answer})
        form = result.form.model_copy(update={"country": "MX", "form_id": f"f{n}"})
        name = f"part{n}[red]\x1b\n.json"  # a file name cannot hold "/"
        (tmp_path / name).write_text(
            result.model_copy(update={"form": form}).model_dump_json(), encoding="utf-8"
        )
        names.append(str(tmp_path / name))
    out = tmp_path / "merged[bold].json"
    done = runner.invoke(app, ["merge", *names, "--out", str(out)])
    assert done.exit_code == EXIT_PROBLEMS, done.output
    _assert_safe_lines(done.stdout, expected_lines=2)
    conflict = done.stdout.splitlines()[1]
    assert "[/red]\\x1b[2J" in conflict
    assert "\\u202eevil\\nerror: forged" in conflict
    assert "part0[red]\\x1b\\n.json" in conflict
    assert "merged[bold].json" in done.stdout


def test_parse_summary_shows_a_hostile_choice_as_text(tmp_path: Path) -> None:
    # Typed over the drop-down, as an editor may store it; XML cannot hold ESC, but C1 it can.
    hostile = "[/red][link=x]\x9b31m\u202eoui\u0085"
    path = tmp_path / "mexico.docx"
    path.write_bytes(
        edit_document(
            blank_form("en"), lambda root: fill_text(control(root, "wg14_c_status"), hostile)
        )
    )
    done = runner.invoke(app, ["parse", str(path)])
    assert done.exit_code == EXIT_PROBLEMS, done.output
    _assert_safe_lines(done.stdout)
    quoted = [line for line in done.stdout.splitlines() if "[/red][link=x]" in line]
    assert quoted, done.stdout
    assert all("wg14_c_status" in line for line in quoted)
    assert any("[/red][link=x]\\u009b31m\\u202eoui\\u0085" in line for line in quoted), quoted


def test_a_rejected_file_with_a_hostile_name_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\n[red]\x1b]0;t\x07\u202e.docx"
    path.write_bytes(b"not a zip")
    done = runner.invoke(app, ["parse", str(path), str(path)])
    assert done.exit_code == EXIT_REJECTED
    _assert_safe_lines(done.stderr, expected_lines=2)
    assert "evil\\n[red]\\x1b]0;t\\x07\\u202e.docx" in done.stderr


def test_ingest_lists_a_hostile_file_name_on_one_line(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "mx\n[red]\x1b[2J\u202e.json").write_text("{not json", encoding="utf-8")
    done = runner.invoke(app, ["ingest", str(returns), "--store", str(tmp_path / "s.sqlite")])
    assert done.exit_code == EXIT_PROBLEMS, done.output
    _assert_safe_lines(done.stdout, expected_lines=1)
    assert done.stdout.startswith("rejected")
    assert "mx\\n[red]\\x1b[2J\\u202e.json" in done.stdout
