"""JSON views of the catalogue and of questionnaire definitions (public contracts)."""

from __future__ import annotations

from typing import Any

from selfassess.constants import CTX_CHOICE_LABEL
from selfassess.definitions.model import Catalogue, Item, Questionnaire
from selfassess.i18n.localizer import Localizer


def catalogue_json(catalogue: Catalogue) -> list[dict[str, Any]]:
    """``selfassess catalogue --json``: one object per recommendation."""
    return [
        {
            "id": rec.id,
            "ref": rec.ref,
            "title": rec.title,
            "topic": rec.topic,
            "addressee": rec.addressee,
            "modality": rec.modality,
            "instruments": list(rec.instruments),
            "texts": [v.text for v in rec.versions],
            "sources": [
                v.citation.model_dump(mode="json") | {"file": v.source} for v in rec.versions
            ],
        }
        for rec in catalogue.recommendations
    ]


def item_json(q: Questionnaire, item: Item, loc: Localizer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "ref": item.ref,
        "type": item.type,
        "required": item.required,
        "recommendation": item.recommendation,
        "weight": item.weight,
        "prompt": loc.content("item.prompt", item.prompt),
    }
    if item.help:
        data["help"] = loc.content("item.help", item.help)
    if item.condition:
        data["condition"] = item.condition.model_dump(exclude_none=True)
    data |= {key: getattr(item, key) for key in ("min", "max") if getattr(item, key) is not None}
    if item.states_only:
        data["states_only"] = True
    if item.choices:
        scored = q.choice_list(item.choices).scored
        data["choices"] = [
            {"code": ch.code, "label": loc.content(CTX_CHOICE_LABEL, ch.label)}
            | ({"score": ch.score} if scored else {})
            for ch in q.choices_of(item)
        ]
    return data


def questionnaire_json(q: Questionnaire, loc: Localizer) -> dict[str, Any]:
    """``selfassess questionnaire show ID --json``."""
    return {
        "id": q.id,
        "version": q.version,
        "language": loc.lang,
        "title": loc.content("questionnaire.title", q.title),
        "sections": [
            {
                "id": s.id,
                "title": loc.content("section.title", s.title),
                "recommendations": [
                    {"id": e.recommendation, "weight": e.weight, "scored": e.scored}
                    | ({"note": loc.content("entry.note", e.note)} if e.note else {})
                    for e in s.recommendations
                ],
                "items": [
                    item_json(q, it, loc)
                    for it in (*s.items, *[i for e in s.recommendations for i in e.items])
                ],
            }
            for s in q.sections
        ],
    }
