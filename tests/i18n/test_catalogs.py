"""Catalog maintenance: extraction, merging, compiling, completeness.

Most tests build a small repository in a temporary folder (a Python module,
two versions of a questionnaire, a catalogue) and run the tools on it; the
last ones check the shipped templates and catalogs themselves.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from selfassess.constants import (
    CTX_CATALOGUE_TITLE,
    CTX_CHOICE_HELP,
    CTX_CHOICE_LABEL,
    CTX_ENTRY_NOTE,
    CTX_ITEM_HELP,
    CTX_ITEM_PROMPT,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TEXT,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    CTX_SOURCE_TITLE,
    CTX_TOPIC_TITLE,
    DOMAIN_CONTENT,
    DOMAIN_UI,
    LANGUAGES,
)
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.questionnaire import available, load_questionnaire
from selfassess.errors import DefinitionError, UsageError
from selfassess.i18n import catalogs
from selfassess.i18n.catalogs import DOMAINS, TARGET_LANGUAGES, read_catalog
from selfassess.i18n.localizer import Localizer, fold, po_path

MODULE = '''\
"""Calls the way the package makes them."""

from selfassess.i18n.localizer import N_

HEADING = N_("Instructions")


def render(loc, ui, item):
    _ = ui.gettext
    a = loc.gettext("Deadline: {date}").format(date="x")
    b = ui.gettext(
        "A long message that is "
        "split over two lines."
    )
    # TRANSLATORS: a tick mark in a checkbox cell.
    c = loc.pgettext("tick", "x")
    d = _("Page {n}")
    e = loc.content("item.prompt", item.prompt)  # data, not a message
    f = loc.gettext(item.prompt)  # not a literal: nothing to extract
    return a, b, c, d, e, f
'''

QUESTIONNAIRE = """\
id: tiny
version: "{version}"
title: Tiny questionnaire
catalogue: ctoc_wgta
published: 2025-01-15
choice_lists:
  - id: status
    scored: true
    choices:
      - {{code: fully, label: Fully implemented, score: 1.0,
         help: "At least 20% of the measures."}}
      - {{code: not_applicable, label: Not applicable, score: null}}
templates:
  status:
    - {{id: status, type: choice, choices: status, required: true,
       prompt: "{prompt}"}}
sections:
  - id: fraud
    title: Fraud
    items:
      - {{id: name, type: text, prompt: "Your name", help: "As in your passport."}}
    recommendations:
      - recommendation: wg15_j
        note: "Asked of every Party."
        items:
          - use: status
      - recommendation: wg15_k
        items:
          - use: status
"""

CATALOGUE = """\
id: mini
title: A small catalogue
topics:
  - {id: fraud, title: Organized fraud}
recommendations:
  - id: rec_a
    ref: II(j)
    title: Fraud awareness
    topic: fraud
    addressee: parties
    modality: encouraged
    versions:
      - source: old.txt
        text: "Old wording of the recommendation."
        citation: {document: "Old draft", date: 2024-09-09, annex: I, paragraph: "(a)",
                   report: R/1, report_paragraphs: "3"}
      - source: new.txt
        text: "New wording of the recommendation."
        citation: {document: "New draft", date: 2024-10-11, annex: II, paragraph: "(j)",
                   report: R/2, report_paragraphs: "4-5"}
"""


def make_repo(root: Path, prompt: str = "What is the status?") -> Path:
    (root / "selfassess").mkdir(parents=True, exist_ok=True)
    (root / "selfassess" / "forms.py").write_text(MODULE, encoding="utf-8")
    qdir = root / "questionnaires"
    for sub in ("tiny", "catalogue", "parties"):
        (qdir / sub).mkdir(parents=True, exist_ok=True)
    (qdir / "tiny" / "1.0.yaml").write_text(
        QUESTIONNAIRE.format(version="1.0", prompt=prompt), encoding="utf-8"
    )
    (qdir / "catalogue" / "mini.yaml").write_text(CATALOGUE, encoding="utf-8")
    # Data that is not a questionnaire shares the folder.
    (qdir / "parties" / "parties.yaml").write_text("parties: [{code: MX}]\n", encoding="utf-8")
    return root


def keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, str(m.id)) for m in catalog if m.id}


def message(catalog: Catalog, msgid: str, context: str | None = None) -> Message:
    """The catalog's message, which the test expects to be there."""
    found = catalog.get(msgid, context)
    assert found is not None, f"no message {msgid!r} (context {context!r})"
    return found


# --- extraction -----------------------------------------------------------------


def test_tool_strings_are_found_in_method_calls(tmp_path: Path) -> None:
    catalog = catalogs.ui_template(make_repo(tmp_path))
    assert keys(catalog) == {
        (None, "Instructions"),
        (None, "Deadline: {date}"),
        (None, "A long message that is split over two lines."),
        ("tick", "x"),
        (None, "Page {n}"),
    }
    tick = message(catalog, "x", "tick")
    line = MODULE.splitlines().index('    c = loc.pgettext("tick", "x")') + 1
    assert tick.locations == [("selfassess/forms.py", line)]
    assert tick.auto_comments == ["a tick mark in a checkbox cell."]
    assert "python-brace-format" in message(catalog, "Deadline: {date}").flags


def test_content_of_every_questionnaire_version_and_catalogue(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    (root / "questionnaires" / "tiny" / "1.1.yaml").write_text(
        QUESTIONNAIRE.format(version="1.1", prompt="How far is it implemented?"),
        encoding="utf-8",
    )
    catalog = catalogs.content_template(root)
    assert keys(catalog) == {
        (CTX_QUESTIONNAIRE_TITLE, "Tiny questionnaire"),
        (CTX_CHOICE_LABEL, "Fully implemented"),
        (CTX_CHOICE_HELP, "At least 20% of the measures."),
        (CTX_CHOICE_LABEL, "Not applicable"),
        (CTX_SECTION_TITLE, "Fraud"),
        (CTX_ITEM_PROMPT, "Your name"),
        (CTX_ITEM_HELP, "As in your passport."),
        (CTX_ENTRY_NOTE, "Asked of every Party."),
        (CTX_ITEM_PROMPT, "What is the status?"),
        (CTX_ITEM_PROMPT, "How far is it implemented?"),
        (CTX_CATALOGUE_TITLE, "A small catalogue"),
        (CTX_TOPIC_TITLE, "Organized fraud"),
        (CTX_REC_TITLE, "Fraud awareness"),
        # The forms show the newest wording only.
        (CTX_REC_TEXT, "New wording of the recommendation."),
    }
    # A template used twice is one message, located where the template is written.
    status = message(catalog, "What is the status?", CTX_ITEM_PROMPT)
    line = QUESTIONNAIRE.splitlines().index('       prompt: "{prompt}"}}') + 1
    assert status.locations == [("questionnaires/tiny/1.0.yaml", line)]
    # Content is never formatted: no format flag for msgfmt to check.
    assert not message(catalog, "At least 20% of the measures.", CTX_CHOICE_HELP).flags


def test_recommendation_texts_are_marked_unofficial_with_their_citation(tmp_path: Path) -> None:
    catalog = catalogs.content_template(make_repo(tmp_path))
    text = message(catalog, "New wording of the recommendation.", CTX_REC_TEXT)
    assert text.auto_comments[0] == catalogs.UNOFFICIAL_NOTE
    assert "II(j)" in text.auto_comments[1]
    assert "New draft, 2024-10-11, annex II, paragraph (j)" in text.auto_comments[1]
    assert "UNOFFICIAL" in catalog.header_comment


def test_locations_point_at_the_line_of_the_text() -> None:
    catalog = catalogs.content_template()
    key_of = {
        CTX_QUESTIONNAIRE_TITLE: "title",
        CTX_SECTION_TITLE: "title",
        CTX_ITEM_PROMPT: "prompt",
        CTX_ITEM_HELP: "help",
        CTX_CHOICE_LABEL: "label",
        CTX_CHOICE_HELP: "help",
        CTX_ENTRY_NOTE: "note",
        CTX_REC_TITLE: "title",
        CTX_REC_TEXT: "text",
        CTX_TOPIC_TITLE: "title",
        CTX_CATALOGUE_TITLE: "title",
        CTX_SOURCE_TITLE: "title",
    }
    root = catalogs.locales_root().parent
    for msg in catalog:
        if not msg.id:
            continue
        assert msg.locations, msg.id
        assert msg.context is not None, msg.id  # content messages always carry a context
        for file, line in msg.locations:
            text = (root / file).read_text(encoding="utf-8").splitlines()[line - 1]
            assert f"{key_of[msg.context]}:" in text, (file, line, msg.id)


def test_every_shipped_text_a_form_shows_is_in_the_template() -> None:
    catalog = catalogs.content_template()
    found = keys(catalog)
    for qid, version in available():
        q = load_questionnaire(qid, version)
        wanted = {(CTX_QUESTIONNAIRE_TITLE, q.title)}
        wanted |= {(CTX_SECTION_TITLE, s.title) for s in q.sections}
        wanted |= {(CTX_ITEM_PROMPT, it.prompt) for it in q.items()}
        wanted |= {(CTX_ITEM_HELP, it.help) for it in q.items() if it.help}
        for cl in q.choice_lists:
            wanted |= {(CTX_CHOICE_LABEL, ch.label) for ch in cl.choices}
            wanted |= {(CTX_CHOICE_HELP, ch.help) for ch in cl.choices if ch.help}
        wanted |= {(CTX_ENTRY_NOTE, e.note) for _, e in q.entries() if e.note}
        cat = load_catalogue(q.catalogue)
        wanted |= {(CTX_CATALOGUE_TITLE, cat.title)}
        wanted |= {(CTX_TOPIC_TITLE, t.title) for t in cat.topics}
        wanted |= {(CTX_REC_TITLE, r.title) for r in cat.recommendations}
        wanted |= {(CTX_REC_TEXT, r.text) for r in cat.recommendations}
        assert wanted <= found, wanted - found


def test_extract_writes_templates_and_leaves_unchanged_ones_alone(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    first = catalogs.extract(root)
    assert [(t.domain, t.messages, t.written) for t in first.templates] == [
        (DOMAIN_UI, 5, True),
        (DOMAIN_CONTENT, 13, True),
    ]
    pot = root / "locales" / "questionnaire.pot"
    before = pot.read_bytes()
    second = catalogs.extract(root)
    assert [t.written for t in second.templates] == [False, False]
    assert pot.read_bytes() == before


# --- update, status, compile ----------------------------------------------------


def translate(path: Path, translations: dict[tuple[str | None, str], str]) -> None:
    """Fill msgstr the way a translator's editor does."""
    catalog = read_catalog(path, path.parent.parent.name, path.stem)
    for (context, msgid), text in translations.items():
        message(catalog, msgid, context).string = text
    path.write_bytes(catalogs._po_bytes(catalog))


def test_update_creates_catalogs_then_keeps_translations(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    created = catalogs.update(root)
    assert {(c.lang, c.domain) for c in created.catalogs} == {
        (lang, domain) for lang in TARGET_LANGUAGES for domain in DOMAINS
    }
    assert all(
        c.created and len(c.added) == 13 for c in created.catalogs if c.domain == "questionnaire"
    )
    po = root / "locales" / "fr" / "LC_MESSAGES" / "questionnaire.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in text
    assert "UNOFFICIAL" in text
    translate(
        po,
        {
            (CTX_ITEM_PROMPT, "What is the status?"): "Quel est l'état ?",
            (CTX_SECTION_TITLE, "Fraud"): "Fraude",
            (CTX_ITEM_PROMPT, "Your name"): "Votre nom",
        },
    )
    # The English changes: one prompt reworded, one item removed, one added.
    make_repo(root, prompt="What is the status of implementation?")
    qfile = root / "questionnaires" / "tiny" / "1.0.yaml"
    qfile.write_text(
        qfile.read_text(encoding="utf-8").replace("Your name", "Your e-mail address"),
        encoding="utf-8",
    )
    catalogs.extract(root)
    result = catalogs.update(root, ["fr"], [DOMAIN_CONTENT])
    (fr,) = result.catalogs
    assert not fr.created
    assert fr.written
    assert fr.added == [(CTX_ITEM_PROMPT, "Your e-mail address")]
    assert fr.fuzzy == [(CTX_ITEM_PROMPT, "What is the status of implementation?")]
    assert fr.obsolete == [(CTX_ITEM_PROMPT, "Your name")]
    catalog = read_catalog(po, "fr", DOMAIN_CONTENT)
    assert message(catalog, "Fraud", CTX_SECTION_TITLE).string == "Fraude"
    reworded = message(catalog, "What is the status of implementation?", CTX_ITEM_PROMPT)
    assert reworded.fuzzy
    assert reworded.string == "Quel est l'état ?"
    # The old English, for the translator to compare.
    assert '#| msgid "What is the status?"' in po.read_text(encoding="utf-8")
    # Obsolete translations stay in the file for a translator to reuse.
    assert catalog.obsolete
    again = catalogs.update(root, ["fr"], [DOMAIN_CONTENT])
    assert not again.catalogs[0].written
    assert '#| msgid "What is the status?"' in po.read_text(encoding="utf-8")


def test_status_counts_missing_and_fuzzy(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    catalogs.update(root)
    po = root / "locales" / "es" / "LC_MESSAGES" / "selfassess.po"
    translate(
        po,
        {
            (None, "Instructions"): "Instrucciones",
            (None, "Deadline: {date}"): "Plazo: {date}",
            (None, "Page {n}"): "Página {n}",
            ("tick", "x"): "x",
        },
    )
    catalog = read_catalog(po, "es", DOMAIN_UI)
    message(catalog, "Page {n}").flags.add("fuzzy")
    po.write_bytes(catalogs._po_bytes(catalog))
    result = catalogs.status(root, ["es"], [DOMAIN_UI])
    (es,) = result.catalogs
    assert (es.total, es.translated) == (5, 3)
    assert es.share == pytest.approx(0.6)
    assert es.missing == [(None, "A long message that is split over two lines.")]
    assert es.fuzzy == [(None, "Page {n}")]
    assert not result.complete
    data = result.to_json()
    assert data["complete"] is False
    assert data["catalogs"][0]["fuzzy"] == [{"context": None, "msgid": "Page {n}"}]  # type: ignore[index]  # to_json returns plain JSON


def test_status_of_a_catalog_not_yet_created(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    result = catalogs.status(root, ["ru"], [DOMAIN_UI])
    assert result.catalogs[0].translated == 0
    assert "i18n update" in result.warnings[0]


def test_compile_writes_mo_files_gettext_reads(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    catalogs.update(root)
    po = root / "locales" / "zh" / "LC_MESSAGES" / "selfassess.po"
    translate(po, {("tick", "x"): "✓", (None, "Instructions"): "填表说明"})
    catalog = read_catalog(po, "zh", DOMAIN_UI)
    message(catalog, "Instructions").flags.add("fuzzy")
    po.write_bytes(catalogs._po_bytes(catalog))
    result = catalogs.compile_catalogs(root, ["zh"], [DOMAIN_UI])
    (zh,) = result.catalogs
    assert zh.path == po.with_suffix(".mo")
    assert zh.skipped_fuzzy == 1
    assert "fuzzy" in result.warnings[0]
    with zh.path.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.pgettext("tick", "x") == "✓"
    assert mo.gettext("Instructions") == "Instructions"  # fuzzy: left out


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda root: catalogs.update(root, ["en"]), "source language"),
        (lambda root: catalogs.update(root, ["de"]), "unknown language"),
        (lambda root: catalogs.status(root, None, ["forms"]), "unknown domain"),
        (catalogs.status, "i18n extract"),
    ],
)
def test_usage_errors(tmp_path: Path, call: object, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        call(make_repo(tmp_path))  # type: ignore[operator]  # parametrized callables


# --- GNU gettext ----------------------------------------------------------------

MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(
    MSGFMT is None, reason="GNU gettext's msgfmt is not installed (scripts/install-system-deps.sh)"
)
SHIPPED = [
    *sorted(catalogs.iter_po_files()),
    *(catalogs.pot_path(domain) for domain in DOMAINS),
]


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )


@needs_msgfmt
@pytest.mark.parametrize(
    "path", SHIPPED, ids=[p.relative_to(p.parents[2]).as_posix() for p in SHIPPED]
)
def test_shipped_catalogs_pass_msgfmt_check(path: Path) -> None:
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


@needs_msgfmt
def test_msgfmt_catches_a_lost_placeholder(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    catalogs.update(root, ["ru"], [DOMAIN_UI])
    po = root / "locales" / "ru" / "LC_MESSAGES" / "selfassess.po"
    assert msgfmt_check(po).returncode == 0
    translate(po, {(None, "Deadline: {date}"): "Срок: {datum}"})
    result = msgfmt_check(po)
    assert result.returncode != 0
    assert "argument 'date' doesn't exist" in result.stderr


# --- the shipped catalogs -------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_shipped_template_is_up_to_date(domain: str) -> None:
    """Run 'selfassess i18n extract' and 'update' after changing marked strings or content."""
    build = {DOMAIN_UI: catalogs.ui_template, DOMAIN_CONTENT: catalogs.content_template}
    shipped = read_catalog(catalogs.pot_path(domain), None, domain)
    assert keys(build[domain]()) == keys(shipped)


@pytest.mark.parametrize("lang", TARGET_LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_shipped_catalog_has_every_template_message(lang: str, domain: str) -> None:
    template = read_catalog(catalogs.pot_path(domain), None, domain)
    path = po_path(lang, domain, catalogs.locales_root())
    assert keys(template) <= keys(read_catalog(path, lang, domain))


@pytest.mark.parametrize("lang", TARGET_LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_shipped_catalog_is_complete(lang: str, domain: str) -> None:
    """English is the source; the other five languages are 100% translated, none fuzzy."""
    (result,) = catalogs.status(None, [lang], [domain]).catalogs
    assert result.missing == []
    assert result.fuzzy == []
    assert result.share == 1.0


def test_template_of_the_package_locates_every_message() -> None:
    catalog = catalogs.ui_template()
    assert ("tick", "x") in keys(catalog)
    for msg in catalog:
        if msg.id:
            assert msg.locations
            assert all(file.startswith("selfassess/") and line > 0 for file, line in msg.locations)


def test_po_text_is_the_shape_translators_expect(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    catalogs.update(root, ["ar"], [DOMAIN_CONTENT])
    text = (root / "locales" / "ar" / "LC_MESSAGES" / "questionnaire.po").read_text("utf-8")
    assert f"#. {catalogs.UNOFFICIAL_NOTE}\n" in text
    assert '"Plural-Forms: nplurals=6;' in text
    assert '#, fuzzy\nmsgid ""' not in text


def test_a_broken_catalog_is_located(tmp_path: Path) -> None:
    root = make_repo(tmp_path)
    catalogs.extract(root)
    catalogs.update(root, ["fr"], [DOMAIN_UI])
    po = root / "locales" / "fr" / "LC_MESSAGES" / "selfassess.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    at = lines.index('msgid "Instructions"') + 1
    lines.insert(at, "Instructions en français")
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        catalogs.status(root, ["fr"], [DOMAIN_UI])
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(po), at + 1)
    assert "Instructions en français" in problem.message


@pytest.mark.parametrize(("qid", "version"), available())
def test_translated_choice_labels_read_back_to_one_code(qid: str, version: str) -> None:
    """Answers are read back by label in any of the six languages: no label may mean two codes."""
    q = load_questionnaire(qid, version)
    locs = [Localizer(lang) for lang in LANGUAGES]
    for cl in q.choice_lists:
        meaning: dict[str, set[str]] = {}
        for ch in cl.choices:
            meaning.setdefault(fold(ch.code), set()).add(ch.code)
            for loc in locs:
                label = loc.content(CTX_CHOICE_LABEL, ch.label)
                meaning.setdefault(fold(label), set()).add(ch.code)
        clashes = {label: codes for label, codes in meaning.items() if len(codes) > 1}
        assert not clashes, f"choice list '{cl.id}': labels that mean two choices: {clashes}"


def test_tick_marks_and_blanks_do_not_clash_across_languages() -> None:
    locs = [Localizer(lang) for lang in LANGUAGES]
    ticks = {fold(loc.pgettext("tick", text)) for loc in locs for text in ("Yes", "x")}
    blanks = {fold(loc.pgettext("tick", "No")) for loc in locs}
    assert not ticks & blanks


@needs_msgfmt
def test_long_old_english_of_a_fuzzy_message_stays_valid_po(tmp_path: Path) -> None:
    long_prompt = "What is the status? " + "Please answer with care and in full detail. " * 3
    root = make_repo(tmp_path, prompt=long_prompt.strip())
    catalogs.extract(root)
    catalogs.update(root, ["zh"], [DOMAIN_CONTENT])
    po = root / "locales" / "zh" / "LC_MESSAGES" / "questionnaire.po"
    translate(po, {(CTX_ITEM_PROMPT, long_prompt.strip()): "实施状况如何？"})
    make_repo(root, prompt=long_prompt.replace("care", "great care").strip())
    catalogs.extract(root)
    (result,) = catalogs.update(root, ["zh"], [DOMAIN_CONTENT]).catalogs
    assert len(result.fuzzy) == 1
    assert msgfmt_check(po).returncode == 0, msgfmt_check(po).stderr
    assert f'#| msgid "{long_prompt.strip()}"' in po.read_text(encoding="utf-8")
    (again,) = catalogs.update(root, ["zh"], [DOMAIN_CONTENT]).catalogs
    assert not again.written
