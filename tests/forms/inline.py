"""Form tests on small inline definitions: the one harness (as pyxform's tests do).

A test that is about how forms are written or read, not about the shipped
300-item questionnaire, states the few items it needs as YAML, and this
harness takes them through the real pipeline: the definition loader, the
writers, a person's filling (``tests/forms/docx_fill.py`` for Word,
``tests/forms/xlsx_fill.py`` for Excel) and ``parse_form``. A change to the
shipped questionnaire cannot break such a test, and a tiny form is fast.

    q = definition('''
        sections:
          - id: fraud
            title: Fraud
            recommendations:
              - recommendation: wg15_j
                items:
                  - {id: measures, type: text, prompt: "Measures?"}
    ''')
    result = parse_form(fill_docx(q, {"wg15_j_measures": "Law 12"}), questionnaire=q)

``definition`` adds the header (id, version, catalogue) and the choice lists
of ``CHOICE_LISTS`` unless the text gives its own.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import textwrap
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from selfassess.definitions.model import Questionnaire
from selfassess.definitions.questionnaire import load_path
from selfassess.forms.docx_writer import write_docx
from selfassess.forms.xlsx_writer import write_xlsx
from selfassess.response.meta import FormMeta
from tests.forms import docx_fill, xlsx_fill
from tests.support.libreoffice import Value

HEADER = """\
id: inline
version: "1.0"
title: Inline test questionnaire
catalogue: ctoc_wgta
published: 2025-01-15
"""

CHOICE_LISTS = """\
choice_lists:
  - id: status
    scored: true
    choices:
      - {code: fully, label: Fully implemented, score: 1.0}
      - {code: largely, label: Largely implemented, score: 0.75}
      - {code: partially, label: Partially implemented, score: 0.5}
      - {code: not_implemented, label: Not implemented, score: 0.0}
      - {code: not_applicable, label: Not applicable, score: null}
  - id: yes_no
    choices:
      - {code: "yes", label: "Yes"}
      - {code: "no", label: "No"}
  - id: ta_kinds
    choices:
      - {code: legal_advice, label: Legal advice and legislative drafting}
      - {code: training, label: Training and capacity-building of practitioners}
      - {code: other, label: Other}
"""

#: One item of every answer type, a condition and a multiple choice, under one
#: recommendation: enough for most reading and writing rules.
EVERY_TYPE = """\
sections:
  - id: respondent
    title: Respondent
    items:
      - {id: reply_date, type: date, required: true, prompt: "Date of the reply"}
  - id: fraud
    title: Organized fraud
    recommendations:
      - recommendation: wg15_j
        items:
          - {id: status, type: choice, choices: status, required: true, role: status,
             prompt: "What is the status of implementation?"}
          - {id: measures, type: text, role: measures, prompt: "Which measures?"}
          - {id: penalty_years, type: number, prompt: "Maximum penalty, in years?"}
          - {id: ta_needed, type: choice, choices: yes_no, role: ta_needed,
             prompt: "Is assistance needed?"}
          - {id: ta_kinds, type: multichoice, choices: ta_kinds, role: ta_kinds,
             condition: {item: ta_needed, equals: "yes"}, prompt: "Which kinds?"}
"""

ISSUED = dt.date(2025, 2, 1)
DEADLINE = dt.date(2025, 6, 30)


@cache
def definition(text: str = EVERY_TYPE) -> Questionnaire:
    """A questionnaire from inline YAML, loaded and validated as a shipped one is."""
    body = textwrap.dedent(text)
    if not body.startswith("id:"):
        body = HEADER + ("" if "choice_lists:" in body else CHOICE_LISTS) + body
    with tempfile.TemporaryDirectory(prefix="selfassess-inline-") as folder:
        path = Path(folder) / "inline.yaml"
        path.write_text(body, encoding="utf-8")
        return load_path(path)


def meta(q: Questionnaire, lang: str = "en", country: str | None = "MX") -> FormMeta:
    return FormMeta(
        questionnaire=q.id,
        version=q.version,
        language=lang,
        country=country,
        form_id=f"finline{lang}",
        issued=ISSUED,
        deadline=DEADLINE,
    )


def blank_docx(q: Questionnaire, lang: str = "en", country: str | None = "MX") -> bytes:
    out = io.BytesIO()
    write_docx(q, meta(q, lang, country), out)
    return out.getvalue()


def blank_xlsx(q: Questionnaire, lang: str = "en", country: str | None = "MX") -> bytes:
    out = io.BytesIO()
    write_xlsx(q, meta(q, lang, country), out)
    return out.getvalue()


def fill_docx(q: Questionnaire, actions: Mapping[str, docx_fill.Action], lang: str = "en") -> bytes:
    """A Word form of ``q`` filled by tag, as Word does (``docx_fill.fill``)."""
    return docx_fill.fill(blank_docx(q, lang), actions, lang)


def fill_xlsx(q: Questionnaire, typed: Mapping[str, Value], lang: str = "en") -> bytes:
    """An Excel form of ``q`` typed into by defined name, as a person does (``xlsx_fill``)."""
    return xlsx_fill.apply(blank_xlsx(q, lang), typed)
