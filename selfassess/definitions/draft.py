"""A draft questionnaire from a catalogue (``selfassess questionnaire init``).

The draft is the start of an editor's work, not the end: it asks what every
questionnaire asks (implementation status, measures, technical assistance,
challenges and good practices) and leaves the factual questions to be added
by hand. Its choice lists, templates and cover items are those of the shipped
questionnaire, taken from its definition file, so that the draft's common
questions are worded, and translated, exactly as the shipped ones.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfassess.constants import DEFAULT_QUESTIONNAIRE
from selfassess.definitions import yamlio
from selfassess.definitions.catalogue import load_catalogue_file
from selfassess.definitions.model import Catalogue, Recommendation
from selfassess.definitions.questionnaire import load_path, version_key
from selfassess.definitions.rules import check_id
from selfassess.errors import UsageError
from selfassess.i18n.localizer import N_
from selfassess.resources import questionnaires_dir

DRAFT_VERSION = "0.1"
#: The shipped choice lists and templates a draft uses.
_LISTS = ("status", "yes_no", "yes_no_unknown", "ta_kinds", "priority", "contribution")
_TEMPLATES = ("status", "measures", "ta", "challenges")
_COVER_SECTION = "respondent"
#: What a request for money looks like in the words right after its verb.
_CONTRIBUTION = re.compile(
    r"\b(?:extrabudgetary resources|voluntary contributions|financial resources"
    r"|provid(?:e|ing) resources|funding)\b",
    re.IGNORECASE,
)
_MODAL = re.compile(r"\b(?:encouraged|urged|invited|requested|should|may wish|called upon)\b")

# The draft's wording is questionnaire content once written, but it is the
# tool's own: marked here, translated with the tool's strings, and copied into
# a definitions folder's catalogs by 'i18n update'. The first two notes are the
# shipped questionnaire's own wording.
NOTE_CONTRIBUTION = N_("A request for voluntary contributions; never scored as a Party's gap.")
NOTE_UNODC = N_("Addressed to UNODC; not a Party's gap.")
NOTE_OTHER = N_("Addressed to another body; not a Party's gap.")
NOTE_MIXED = N_("Also addressed to UNODC or another body; only what it asks of Parties is scored.")
PROMPT_CONTRIBUTION = N_(
    "Has your country provided, or does it plan to provide, the resources or contributions "
    "this recommendation asks for?"
)
PROMPT_AMOUNT = N_(
    "What amount has your country provided for this purpose, in United States dollars?"
)
HELP_AMOUNT = N_(
    "An approximate amount is enough. Report each contribution under one recommendation only."
)
PROMPT_COOPERATION = N_("Has your country cooperated in the work this recommendation asks for?")
PROMPT_SUGGESTIONS = N_("What needs or suggestions does your country have for this work?")


@dataclass
class DraftResult:
    path: Path
    catalogue_path: Path
    sections: int
    scored: int
    unscored: list[tuple[str, str]] = field(default_factory=list)
    """(recommendation id, why it is not scored)."""


def is_contribution(rec: Recommendation) -> bool:
    """Whether what a recommendation asks first is money (resources, contributions)."""
    text = rec.text
    m = _MODAL.search(text)
    start = m.end() if m else 0
    return bool(_CONTRIBUTION.search(text[start : start + 150]))


def _starter() -> dict[str, Any]:
    """The shipped questionnaire's definition, as written (templates unexpanded)."""
    # The shipped file itself: a definitions folder may hold its own versions.
    shipped = questionnaires_dir() / DEFAULT_QUESTIONNAIRE
    path = max(shipped.glob("*.yaml"), key=lambda p: version_key(p.stem))
    data, _ = yamlio.load_path(path)
    return dict(data)


#: Addressees a Party answers for: its status is asked and scored.
PARTY_ADDRESSEES = frozenset({"parties", "states_parties", "states", "mixed"})


def _entry(rec: Recommendation) -> tuple[dict[str, Any], str | None]:
    """One recommendation's block of questions; the reason when it is not scored."""
    if rec.addressee in PARTY_ADDRESSEES and not is_contribution(rec):
        entry: dict[str, Any] = {"recommendation": rec.id}
        if rec.addressee == "mixed":
            entry["note"] = NOTE_MIXED
        entry["items"] = [{"use": name} for name in _TEMPLATES]
        return entry, None
    if rec.addressee in PARTY_ADDRESSEES:
        note = NOTE_CONTRIBUTION
        items: list[dict[str, Any]] = [
            {
                "id": "contribution",
                "type": "choice",
                "choices": "contribution",
                "required": True,
                "prompt": PROMPT_CONTRIBUTION,
            },
            {
                "id": "amount_usd",
                "type": "number",
                "condition": {"item": "contribution", "equals": "provided"},
                "prompt": PROMPT_AMOUNT,
                "help": HELP_AMOUNT,
            },
        ]
    else:
        note = NOTE_UNODC if rec.addressee in ("unodc", "secretariat") else NOTE_OTHER
        items = [
            {
                "id": "cooperation",
                "type": "choice",
                "choices": "yes_no_unknown",
                "required": True,
                "prompt": PROMPT_COOPERATION,
            },
            {
                "id": "suggestions",
                "type": "text",
                "prompt": PROMPT_SUGGESTIONS,
            },
        ]
    return {"recommendation": rec.id, "scored": False, "note": note, "items": items}, note


def draft(
    catalogue: Catalogue, questionnaire_id: str, today: dt.date
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The draft definition as data, and the unscored recommendations with the reason."""
    starter = _starter()
    lists = {cl["id"]: cl for cl in starter["choice_lists"]}
    cover = next(s for s in starter["sections"] if s["id"] == _COVER_SECTION)
    unscored: list[tuple[str, str]] = []
    sections: list[dict[str, Any]] = [cover]
    for topic in catalogue.topics:
        entries = []
        for rec in catalogue.recommendations:
            if rec.topic != topic.id:
                continue
            entry, why = _entry(rec)
            entries.append(entry)
            if why:
                unscored.append((rec.id, why))
        if entries:
            section_id = topic.id if topic.id != _COVER_SECTION else f"{topic.id}_topic"
            sections.append({"id": section_id, "title": topic.title, "recommendations": entries})
    data = {
        "id": questionnaire_id,
        "version": DRAFT_VERSION,
        "title": f"Self-assessment of the implementation of: {catalogue.title}",
        "catalogue": catalogue.id,
        "published": today,
        "choice_lists": [lists[name] for name in _LISTS],
        "templates": {name: starter["templates"][name] for name in _TEMPLATES},
        "sections": sections,
    }
    return data, unscored


_HEADER = """\
# DRAFT questionnaire written by 'selfassess questionnaire init' from the catalogue
# {catalogue}. Review it before publishing: add the factual questions each
# recommendation calls for (see questionnaires/ctoc_wgta/ in the shipped data),
# check the scored/unscored decisions and notes, set 'published' and 'version'.
# Format: docs/questionnaire-format.md.
"""


def write_draft(
    catalogue_file: Path, questionnaire_id: str, out_dir: Path, today: dt.date | None = None
) -> DraftResult:
    """Write ``out_dir/questionnaires/ID/0.1.yaml`` (and the catalogue beside it) and check it.

    ``out_dir`` becomes a definitions folder (``--definitions``): the catalogue
    is copied to ``questionnaires/catalogue/`` unless it is already there.
    """
    check_id(questionnaire_id, "--id")
    catalogue = load_catalogue_file(catalogue_file)
    target = out_dir / "questionnaires" / questionnaire_id / f"{DRAFT_VERSION}.yaml"
    if target.exists():
        raise UsageError(
            f"{target} exists; edit it, or give another --id or --out to start a new draft"
        )
    data, unscored = draft(catalogue, questionnaire_id, today or dt.date.today())
    cat_target = out_dir / "questionnaires" / "catalogue" / f"{catalogue.id}.yaml"
    cat_target.parent.mkdir(parents=True, exist_ok=True)
    if not cat_target.exists():
        shutil.copyfile(catalogue_file, cat_target)
    elif cat_target.read_bytes() != catalogue_file.read_bytes():
        # The folder's copy may hold an editor's review: never overwrite it.
        raise UsageError(
            f"{cat_target} exists and differs from {catalogue_file}; import into it "
            f"(selfassess catalogue import ... --out {cat_target}) or remove it first"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    text = _HEADER.format(catalogue=catalogue.id) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )
    target.write_text(text, encoding="utf-8")
    load_path(target, catalogue)
    return DraftResult(
        path=target,
        catalogue_path=cat_target,
        sections=len(data["sections"]),
        scored=sum(
            1
            for s in data["sections"]
            for e in s.get("recommendations", [])
            if e.get("scored", True)
        ),
        unscored=unscored,
    )
