"""The aggregate report: figures over the current returns of every Party.

How each figure is computed (also printed in the report's methods note):

- **Response rate**: Parties that returned / Parties in the round (issued a
  form, or returned one), overall and per regional group. A Party in two
  groups counts in both, so group figures are not additive; a Party in no
  group appears under "No regional group".
- **Implementation** per section (and overall): the unweighted mean, over the
  Parties of the group with a figure for that section, of each Party's
  section implementation as scored by :mod:`selfassess.scoring` (itself a
  weighted mean of recommendations). ``n`` is the number of Parties behind
  each mean.
- **Technical-assistance demand**: every (Party, recommendation, kind) that a
  Party asked for counts with the weight of its priority: high 3, medium 2,
  low 1, not given 1 (constants.TA_PRIORITY_WEIGHTS). A request with no kind
  ticked counts under "Kind not specified". Summed by kind and section, and by
  kind and regional group.
- **Most requested assistance**: recommendations by weighted demand, with the
  number of Parties asking, ties in questionnaire order. Recommendations are
  ranked, never countries.
- **Flags**: consistency findings of the scoring, counted by kind, with the
  number of Parties concerned.
- **Suppression**: a figure resting on fewer than ``min_replies`` replies
  (default 3) is kept in the data but never shown: :attr:`Mean.shown` and
  :meth:`AggregateReport.too_few` say so to every renderer, and ``to_json``
  gives ``null`` for it. A regional figure rests on the replies of its group,
  a thematic one (by section or kind, all Parties) on all replies.

No figure ranks or names a country outside the confidential annex
(``country_detail``), which lists countries alphabetically.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from selfassess.constants import (
    CTX_CHOICE_LABEL,
    CTX_QUESTIONNAIRE_TITLE,
    CTX_REC_TITLE,
    CTX_SECTION_TITLE,
    MIN_REPLIES_DEFAULT,
    ROLE_STATUS,
    ROLE_TA_KINDS,
    TA_PRIORITY_DEFAULT_WEIGHT,
    TA_PRIORITY_WEIGHTS,
)
from selfassess.definitions.model import Questionnaire, Section
from selfassess.definitions.parties import Parties, group_name
from selfassess.definitions.questionnaire import load_questionnaire
from selfassess.errors import UsageError
from selfassess.i18n.localizer import N_, Localizer
from selfassess.secretariat.status import GROUP_KEYS, status
from selfassess.store import ReturnRow, Store

UNSPECIFIED_KIND = "unspecified"
TOTAL = "total"
#: How many recommendations "most requested assistance" lists.
TOP_REQUESTED = 10

FLAG_NAMES = {
    "fully_but_drafting": N_("Fully implemented, yet legislative drafting or model laws asked for"),
    "fully_no_measures": N_("Fully implemented, with no measure cited"),
    "fully_but_no": N_("Fully implemented, yet a factual question answered 'no'"),
    "required_missing": N_("Required answer missing"),
}

METHODS = (
    N_(
        "Response rate: Parties that returned a form, divided by the Parties in the round "
        "(issued a form, or returned one). A Party in two regional groups counts in both, "
        "so group figures do not add up to the total."
    ),
    N_(
        "Implementation: for each section, the unweighted mean over the Parties that "
        "answered of each Party's implementation score for that section (0 = not "
        "implemented, 1 = fully implemented; 'not applicable' and 'not known' are left "
        "out)."
    ),
    N_(
        "Technical-assistance demand: each kind of assistance a Party asked for under a "
        "recommendation counts with the weight of its priority: high 3, medium 2, low 1, "
        "priority not given 1. A request with no kind ticked counts as 'kind not specified'."
    ),
    N_(
        "Most requested assistance: recommendations ordered by weighted demand. "
        "Recommendations are ordered, never countries: following the review mechanism of "
        "the Convention, this report does not rank States."
    ),
    N_(
        "Only the current return of each Party is counted: the newest accepted one. "
        "Earlier returns are kept in the store as superseded; rejected files are not counted."
    ),
    N_(
        "A dash (—) stands for a figure that cannot be computed: no Party of the group is "
        "in the round or, in the confidential annex, no status was given."
    ),
)


#: The methods note's statement of the suppression rule.
SUPPRESSION_NOTE = N_(
    "To protect each State, a regional or thematic figure resting on fewer than {n} "
    'replies is not shown; the table says "fewer than {n} replies" instead. Figures of '
    "single countries appear only in each country's own report and, when requested, in "
    "the confidential annex."
)
#: What a table or chart shows instead of a suppressed figure.
TOO_FEW = N_("fewer than {n} replies")


@dataclass
class Mean:
    value: float | None
    n: int
    suppressed: bool = False
    """Not to be shown: too few replies, or it would give away a figure that is hidden."""

    @property
    def shown(self) -> float | None:
        """The figure a report may show: None when suppressed or when nothing answered."""
        return None if self.suppressed else self.value

    def to_json(self) -> dict[str, Any]:
        return {"value": self.shown, "n": self.n, "suppressed": self.suppressed}


def mean(values: list[float]) -> Mean:
    return Mean(sum(values) / len(values) if values else None, len(values))


def hidden_groups(replies: dict[str, int], min_replies: int) -> set[str]:
    """The columns of a row of group figures that must not be shown.

    A group with fewer than ``min_replies`` replies is hidden. So that a
    hidden figure cannot be worked out from the total and the other groups
    (by subtraction of sums, or of means times replies), the shown group with
    the fewest replies is hidden as well, and so on, until the hidden groups
    hold at least ``min_replies`` replies together or none at all. Everything
    is hidden when the total itself rests on too few replies.

    >>> hidden_groups({"a": 1, "b": 5, "c": 9, "total": 15}, 3) == {"a", "b"}
    True
    >>> hidden_groups({"a": 0, "b": 5, "total": 5}, 3)
    {'a'}
    >>> sorted(hidden_groups({"a": 1, "total": 2}, 3))
    ['a', 'total']
    """
    if replies.get(TOTAL, 0) < min_replies:
        return set(replies)
    hidden = {g for g, n in replies.items() if g != TOTAL and n < min_replies}
    shown = sorted((n, g) for g, n in replies.items() if g != TOTAL and g not in hidden)
    while shown and 0 < sum(replies[g] for g in hidden) < min_replies:
        hidden.add(shown.pop(0)[1])
    return hidden


@dataclass
class ResponseRow:
    group: str
    name: str
    parties: int
    in_round: int
    returned: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.in_round if self.in_round else None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "parties": self.parties,
            "in_round": self.in_round,
            "returned": self.returned,
            "rate": self.rate,
        }


@dataclass
class Requested:
    recommendation: str
    ref: str
    title: str
    section: str
    parties: int
    weighted: int
    kinds: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "ref": self.ref,
            "title": self.title,
            "section": self.section,
            "parties": self.parties,
            "weighted": self.weighted,
            "kinds": [{"kind": k, "weighted": w} for k, w in self.kinds],
        }


@dataclass
class AggregateReport:
    lang: str
    questionnaire: Questionnaire
    as_of: dt.date
    title: str
    groups: list[str]
    """Column keys: group ids in UN order, ``none`` if any Party is in no group, ``total``."""
    group_names: dict[str, str]
    sections: list[str]
    section_names: dict[str, str]
    kinds: list[str]
    kind_names: dict[str, str]
    response: list[ResponseRow]
    implementation: dict[str, dict[str, Mean]]
    """section id (or ``total``) -> group key -> mean."""
    ta_by_kind_section: dict[str, dict[str, int]]
    ta_by_kind_group: dict[str, dict[str, int]]
    ta_requests: dict[str, int]
    """Kind -> unweighted number of (Party, recommendation) requests."""
    most_requested: list[Requested]
    flags: list[tuple[str, str, int, int]]
    """(code, name, flags, Parties concerned)."""
    methods: list[str]
    returns_counted: int
    replies: dict[str, int] = field(default_factory=dict)
    """Group key (and ``total``) -> current returns counted in it."""
    min_replies: int = MIN_REPLIES_DEFAULT
    detail: list[tuple[str, str, dict[str, str | None]]] | None = None
    """Confidential annex: (country code, name, recommendation id -> status label)."""
    detail_recommendations: list[tuple[str, str]] = field(default_factory=list)
    """(recommendation id, ref) columns of the annex."""
    warnings: list[str] = field(default_factory=list)

    @property
    def rtl(self) -> bool:
        return Localizer(self.lang).rtl

    def too_few(self, group: str = TOTAL) -> bool:
        """Whether figures over ``group`` (all Parties by default) must not be shown.

        For a group, by :func:`hidden_groups` over the replies of every group.
        """
        return group in hidden_groups(self.replies, self.min_replies)

    def too_few_text(self, loc: Localizer) -> str:
        """What stands in a table or chart instead of a suppressed figure."""
        return loc.gettext(TOO_FEW).format(n=loc.number(self.min_replies))

    def to_json(self) -> dict[str, Any]:
        def by_group(row: dict[str, int]) -> dict[str, int | None]:
            return {g: None if self.too_few(g) else v for g, v in row.items()}

        thematic = not self.too_few()
        data: dict[str, Any] = {
            "language": self.lang,
            "questionnaire": {"id": self.questionnaire.id, "version": self.questionnaire.version},
            "as_of": self.as_of.isoformat(),
            "returns_counted": self.returns_counted,
            "min_replies": self.min_replies,
            "replies": self.replies,
            "response_rate": [r.to_json() for r in self.response],
            "implementation": {
                s: {g: m.to_json() for g, m in row.items()}
                for s, row in self.implementation.items()
            },
            "ta_demand": {
                "weights": {**TA_PRIORITY_WEIGHTS, "not_given": TA_PRIORITY_DEFAULT_WEIGHT},
                "by_kind_and_section": self.ta_by_kind_section if thematic else None,
                "by_kind_and_group": {k: by_group(v) for k, v in self.ta_by_kind_group.items()},
                "requests_by_kind": self.ta_requests if thematic else None,
            },
            "most_requested": [r.to_json() for r in self.most_requested] if thematic else None,
            "flags": [{"code": c, "name": n, "count": k, "parties": p} for c, n, k, p in self.flags]
            if thematic
            else None,
            "methods": self.methods,
            "warnings": self.warnings,
        }
        if self.detail is not None:
            data["country_detail"] = {
                "confidential": True,
                "recommendations": [r for r, _ in self.detail_recommendations],
                "countries": [
                    {"country": code, "name": name, "status": statuses}
                    for code, name, statuses in self.detail
                ],
            }
        return data


def aggregate(
    store: Store,
    parties: Parties,
    *,
    questionnaire: Questionnaire | None = None,
    lang: str = "en",
    country_detail: bool = False,
    as_of: dt.date | None = None,
    round_id: int | None = None,
    min_replies: int = MIN_REPLIES_DEFAULT,
) -> AggregateReport:
    """Figures over the current returns of the Parties in ``parties``.

    The response rate is that of round ``round_id`` (default: the latest).
    Figures resting on fewer than ``min_replies`` replies are marked, not shown.
    """
    if min_replies < 1:
        raise UsageError(f"--min-replies must be at least 1, not {min_replies}")
    loc = Localizer(lang)
    _ = loc.gettext
    as_of = as_of or dt.date.today()
    rnd = store.latest_round()
    if questionnaire is None:
        questionnaire = (
            load_questionnaire(rnd.questionnaire, rnd.version) if rnd else load_questionnaire()
        )
    q = questionnaire
    st = status(store, parties, as_of=as_of, round_id=round_id, loc=loc)
    warnings = list(st.warnings)
    party_codes = set(parties.codes())
    current: list[ReturnRow] = []
    for row in store.current_returns(locations=False):
        if row.country not in party_codes:
            continue
        if row.questionnaire != q.id:
            warnings.append(
                _("{country}: the current return answers {qid}, not {wanted}; left out.").format(
                    country=row.country, qid=row.questionnaire, wanted=q.id
                )
            )
            continue
        current.append(row)

    # Columns: the five groups in UN order, "none" when used, then the total.
    group_names: dict[str, str] = {
        g or "none": group_name(g, loc) for g in GROUP_KEYS if parties.in_group(g)
    }
    group_keys = list(group_names)
    groups_of: dict[str, list[str]] = {p.code: list(p.groups) or ["none"] for p in parties.parties}
    columns = [*group_keys, TOTAL]
    group_names[TOTAL] = _("All Parties")

    # Response rate, from the status of the latest round.
    response = []
    for key in columns:
        if key == TOTAL:
            members = st.parties
        else:
            members = [p for p in st.parties if key in groups_of[p.code]]
        in_round = sum(1 for p in members if p.forms_issued or p.returned)
        returned = sum(1 for p in members if p.returned)
        response.append(ResponseRow(key, group_names[key], len(members), in_round, returned))

    # Implementation per section and group.
    scored_sections = [s for s in q.sections if any(e.scored for e in s.recommendations)]
    sections = [s.id for s in scored_sections]
    section_names = {
        s.id: loc.content(CTX_SECTION_TITLE, s.title) for s in q.sections if s.recommendations
    }
    section_names[TOTAL] = _("Overall")
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in current:
        sc = row.score()
        assert row.country is not None  # current returns always have a country
        keys = [*groups_of[row.country], TOTAL]
        for sid in sections:
            value = (sc.get("sections", {}).get(sid) or {}).get("implementation")
            if value is not None:
                for g in keys:
                    values[sid][g].append(float(value))
        overall = (sc.get("overall") or {}).get("implementation")
        if overall is not None:
            for g in keys:
                values[TOTAL][g].append(float(overall))
    implementation = {sid: {g: mean(values[sid][g]) for g in columns} for sid in [*sections, TOTAL]}
    for row_means in implementation.values():
        for g in hidden_groups({g: m.n for g, m in row_means.items()}, min_replies):
            row_means[g].suppressed = True
    replies = dict.fromkeys(columns, 0)
    for row in current:
        assert row.country is not None
        for g in [*groups_of[row.country], TOTAL]:
            replies[g] += 1

    # Technical-assistance demand.
    kinds_list = _ta_kinds(q)
    kinds = [c for c, _l in kinds_list] + [UNSPECIFIED_KIND]
    kind_names = {c: loc.content(CTX_CHOICE_LABEL, label) for c, label in kinds_list}
    kind_names[UNSPECIFIED_KIND] = _("Kind not specified")
    section_of = {e.recommendation: s.id for s, e in q.entries()}
    by_kind_section: dict[str, dict[str, int]] = {
        k: dict.fromkeys([s.id for s in q.sections if _asks_ta(s)] + [TOTAL], 0) for k in kinds
    }
    by_kind_group: dict[str, dict[str, int]] = {k: dict.fromkeys(columns, 0) for k in kinds}
    requests: Counter[str] = Counter()
    rec_parties: dict[str, set[str]] = defaultdict(set)
    rec_weight: Counter[str] = Counter()
    rec_kinds: dict[str, Counter[str]] = defaultdict(Counter)
    flag_counts: Counter[str] = Counter()
    flag_parties: dict[str, set[str]] = defaultdict(set)
    for row in current:
        assert row.country is not None
        sc = row.score()
        for need in sc.get("ta_needs", []):
            rec = need["recommendation"]
            section = section_of.get(rec)
            if section is None:
                continue
            weight = TA_PRIORITY_WEIGHTS.get(need.get("priority") or "", TA_PRIORITY_DEFAULT_WEIGHT)
            for kind in need.get("kinds") or [UNSPECIFIED_KIND]:
                if kind not in by_kind_section:
                    continue
                by_kind_section[kind][section] += weight
                by_kind_section[kind][TOTAL] += weight
                for g in [*groups_of[row.country], TOTAL]:
                    by_kind_group[kind][g] += weight
                requests[kind] += 1
                rec_weight[rec] += weight
                rec_kinds[rec][kind] += weight
            rec_parties[rec].add(row.country)
        for flag in sc.get("flags", []):
            flag_counts[flag["code"]] += 1
            flag_parties[flag["code"]].add(row.country)
    order = {e.recommendation: n for n, (_s, e) in enumerate(q.entries())}
    catalogue = _catalogue(q)
    most = sorted(rec_weight, key=lambda r: (-rec_weight[r], order.get(r, 0)))[:TOP_REQUESTED]
    most_requested = [
        Requested(
            recommendation=r,
            ref=catalogue.get(r, (r, r))[0],
            title=loc.content(CTX_REC_TITLE, catalogue.get(r, (r, r))[1]),
            section=section_of[r],
            parties=len(rec_parties[r]),
            weighted=rec_weight[r],
            kinds=sorted(rec_kinds[r].items(), key=lambda kv: (-kv[1], kinds.index(kv[0]))),
        )
        for r in most
    ]
    flags = [
        (code, _(FLAG_NAMES.get(code, code)), flag_counts[code], len(flag_parties[code]))
        for code in [*FLAG_NAMES, *sorted(set(flag_counts) - set(FLAG_NAMES))]
        if flag_counts[code] or code in FLAG_NAMES
    ]

    report = AggregateReport(
        lang=loc.lang,
        questionnaire=q,
        as_of=as_of,
        title=loc.content(CTX_QUESTIONNAIRE_TITLE, q.title),
        groups=columns,
        group_names=group_names,
        sections=sections,
        section_names=section_names,
        kinds=kinds,
        kind_names=kind_names,
        response=response,
        implementation=implementation,
        ta_by_kind_section=by_kind_section,
        ta_by_kind_group=by_kind_group,
        ta_requests={k: requests[k] for k in kinds},
        most_requested=most_requested,
        flags=flags,
        methods=[
            *(_(m) for m in METHODS),
            _(SUPPRESSION_NOTE).format(n=loc.number(min_replies)),
        ],
        returns_counted=len(current),
        warnings=warnings,
        replies=replies,
        min_replies=min_replies,
    )
    if country_detail:
        _add_detail(report, q, current, loc, catalogue)
    return report


def _asks_ta(section: Section) -> bool:
    return any(it.role == ROLE_TA_KINDS for e in section.recommendations for it in e.items)


def _ta_kinds(q: Questionnaire) -> list[tuple[str, str]]:
    """(code, English label) of the choice list of the ta_kinds items."""
    for item in q.items():
        if item.role == ROLE_TA_KINDS and item.choices:
            return [(c.code, c.label) for c in q.choices_of(item)]
    return []


def _catalogue(q: Questionnaire) -> dict[str, tuple[str, str]]:
    from selfassess.definitions.catalogue import load_catalogue  # noqa: PLC0415 (only the report needs refs)

    return {r.id: (r.ref, r.title) for r in load_catalogue(q.catalogue).recommendations}


def _add_detail(
    report: AggregateReport,
    q: Questionnaire,
    current: list[ReturnRow],
    loc: Localizer,
    catalogue: dict[str, tuple[str, str]],
) -> None:
    """Country x recommendation status matrix, countries in this language's alphabetical order."""
    entries = [e for _s, e in q.entries() if e.scored]
    status_item = {
        e.recommendation: next((it for it in e.items if it.role == ROLE_STATUS), None)
        for e in entries
    }
    rows = []
    for row in current:
        assert row.country is not None
        answers = row.parse().get("answers", {})
        statuses: dict[str, str | None] = {}
        for e in entries:
            item = status_item[e.recommendation]
            code = answers.get(item.id) if item else None
            label = next(
                (
                    loc.content(CTX_CHOICE_LABEL, ch.label)
                    for ch in (q.choices_of(item) if item else ())
                    if ch.code == code
                ),
                None,
            )
            statuses[e.recommendation] = label
        rows.append((row.country, loc.country(row.country), statuses))
    report.detail = sorted(rows, key=lambda r: loc.sort_key(r[1]))
    report.detail_recommendations = [
        (e.recommendation, catalogue.get(e.recommendation, (e.recommendation, ""))[0])
        for e in entries
    ]
