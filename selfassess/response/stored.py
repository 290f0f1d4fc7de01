"""A response stored as JSON: what ``parse --json`` prints and ``merge`` writes.

One reader for every command that takes such a file (``score``, ``ingest``,
``merge``), so that each accepts what the others write. The JSON is
untrusted: its shape is checked here, and :func:`check_answers` checks that
its answers are answers the parser could have given.
"""

from __future__ import annotations

import json
from typing import Final

from pydantic import ValidationError

from selfassess.definitions.model import Questionnaire
from selfassess.errors import Rejected
from selfassess.problems import CATALOGUE
from selfassess.response.interpret import ParseResult, answer_fits
from selfassess.safety.text import shown

#: The key ``merge`` adds beside the parse contract; it describes how the
#: answers were combined and is not part of the response itself.
MERGE_KEY = "merge"
UNCLASSIFIED: Final = "unclassified"
#: Characters of an untrusted value quoted in a rejection: enough to find it.
_SHOWN = 80
_NOT_ONE = "not a response JSON (of 'selfassess parse --json' or 'selfassess merge')"


def read_response_json(data: bytes) -> ParseResult:
    """The response in ``data``, the JSON of ``parse --json`` or of ``merge``.

    Its ``signature`` is the sender's claim, never kept: a response JSON holds
    no signed metadata, so its status is ``unverified``. Raises
    :class:`Rejected`, in one line, when it is not one.

    >>> read_response_json(b'[]')
    Traceback (most recent call last):
    ...
    selfassess.errors.Rejected: not a response JSON (...): expected an object with form, ...
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Rejected(shown(f"{_NOT_ONE}: {' '.join(str(exc).split())}")) from None
    except RecursionError:
        # json recurses once per nesting level; a response is a few levels deep.
        raise Rejected(f"{_NOT_ONE}: nested too deeply") from None
    if not isinstance(raw, dict):
        raise Rejected(f"{_NOT_ONE}: expected an object with form, answers, locations, problems")
    raw.pop(MERGE_KEY, None)
    problems = raw.get("problems")
    if isinstance(problems, list):
        # Written before problems had codes, or by a version with codes this one
        # does not know: kept, with the code that says so.
        for p in problems:
            if isinstance(p, dict) and p.get("code") not in CATALOGUE:
                p["code"] = UNCLASSIFIED
    try:
        result = ParseResult.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise Rejected(
            shown(f"{_NOT_ONE}: {where}: {first['msg']} ({exc.error_count()} problem(s))")
        ) from None
    return result.model_copy(
        update={"form": result.form.model_copy(update={"signature": "unverified"})}
    )


def check_answers(result: ParseResult, questionnaire: Questionnaire) -> None:
    """Raise :class:`Rejected` when the answers do not fit the questionnaire.

    A result of :func:`selfassess.forms.parse.parse_form` always fits; JSON
    written by hand or by another tool may not.
    """
    form = result.form
    if (form.questionnaire, form.version) != questionnaire.key:
        raise Rejected(
            f"the response is for {form.questionnaire} {form.version}, not "
            f"{questionnaire.id} {questionnaire.version}"
        )
    items = {it.id: it for it in questionnaire.items()}
    for item_id, answer in result.answers.items():
        item = items.get(item_id)
        if item is None:
            raise Rejected(
                f"answer for unknown item {shown(item_id[:_SHOWN])!r}: not in {questionnaire.id} "
                f"{questionnaire.version}; remove it"
            )
        if answer is not None and not answer_fits(item, answer, questionnaire):
            raise Rejected(
                f"the answer to {item.ref} ({item_id}) is {shown(repr(answer)[:_SHOWN])}, which is "
                f"not a valid {item.type} answer; correct it or set it to null"
            )
