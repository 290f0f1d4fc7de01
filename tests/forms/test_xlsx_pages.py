"""Printed Excel forms: no page break separates a question from its options,
nor a recommendation's heading and text from its first question.

The forms are printed to PDF by LibreOffice Calc and read back with pdftotext,
page by page; references (ASCII) find a question's page in either direction
of writing, and each option label is looked for after its question.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from selfassess.constants import CTX_CHOICE_LABEL, CTX_REC_TITLE
from selfassess.definitions.catalogue import load_catalogue
from selfassess.definitions.model import Item, Questionnaire
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.i18n.localizer import Localizer
from tests.forms.xlsx_fill import generate
from tests.support.libreoffice import to_pdf

pytestmark = pytest.mark.libreoffice


def squeezed(text: str) -> str:
    """Text as pdftotext gives it back, comparable: no spaces, line ends or
    direction marks, canonical letters (not Arabic presentation forms), and no
    lam or alef, whose ligature comes back in either order."""
    plain = unicodedata.normalize("NFKC", text)
    return "".join(
        ch
        for ch in plain
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and ch not in _LAM_ALEF
    )


_LAM_ALEF = frozenset("\u0644\u0627\u0623\u0625\u0622")


def pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.fail(
            "pdftotext (poppler-utils) is not installed; run scripts/install-system-deps.sh"
        )
    done = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    )
    return [squeezed(page) for page in done.stdout.split("\f")]


class Printed:
    """The pages of a printed form as one stream, with the page of each position."""

    def __init__(self, pages: list[str]) -> None:
        self.text = "".join(pages)
        self.starts = []
        at = 0
        for page in pages:
            self.starts.append(at)
            at += len(page)

    def page(self, position: int) -> int:
        return max(n for n, start in enumerate(self.starts) if start <= position)

    def ref(self, ref: str, after: int = 0) -> int:
        """Where the question ``ref`` is first printed (I(c).1 is not I(c).10)."""
        found = re.compile(re.escape(ref) + r"(?![\d])").search(self.text, after)
        assert found is not None, ref
        return found.start()

    def text_after(self, text: str, after: int) -> int | None:
        at = self.text.find(squeezed(text), after)
        return None if at < 0 else at


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    folder = tmp_path_factory.mktemp("xlsx-pages")
    out = {}
    for lang in ("en", "ar"):
        src = folder / f"form-{lang}.xlsx"
        src.write_bytes(generate(lang, "EG"))
        out[lang] = Printed(pdf_pages(to_pdf(src, folder)))
    return out


def multichoice(q: Questionnaire) -> list[Item]:
    return [item for item in q.items() if item.type == "multichoice"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_question_and_its_last_option_print_on_one_page(
    printed: dict[str, Printed], q: Questionnaire, lang: str
) -> None:
    pdf, loc = printed[lang], Localizer(lang)
    checked = 0
    for item in multichoice(q):
        start = pdf.ref(item.ref)
        last = loc.content(CTX_CHOICE_LABEL, q.choices_of(item)[-1].label)
        end = pdf.text_after(last, start)
        if end is None:
            continue  # a label pdftotext cannot give back in one piece
        assert pdf.page(end) == pdf.page(start), f"{item.ref}: options run onto the next page"
        checked += 1
    assert checked >= len(multichoice(q)) - 2


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_recommendation_prints_on_the_page_of_its_first_question(
    printed: dict[str, Printed], q: Questionnaire, lang: str
) -> None:
    pdf, loc = printed[lang], Localizer(lang)
    catalogue = load_catalogue(q.catalogue)
    checked = 0
    for section in q.sections:
        for entry in section.recommendations:
            if not entry.items:
                continue
            page = pdf.page(pdf.ref(entry.items[0].ref))
            # pdftotext gives a row's cells in its own order: the heading's title
            # (its start, which a wrap cannot cut) must be on the first question's page.
            title = squeezed(loc.content(CTX_REC_TITLE, catalogue.get(entry.recommendation).title))
            pages = {pdf.page(m.start()) for m in re.finditer(re.escape(title[:16]), pdf.text)}
            if not pages:
                continue  # a title pdftotext cannot give back in one piece
            assert page in pages, f"{entry.recommendation} is printed apart from its first question"
            checked += 1
    # Titles that mix Arabic and Latin (SHERLOC) come back reordered.
    assert checked >= 0.8 * sum(1 for s in q.sections for e in s.recommendations if e.items)
