"""Ranking a portfolio of areas for one funding round, and spreading a yearly frame over it.

The order follows from the decisions alone (no hand-written ranks). The tiers and the shares are
LBF practice (art: praksis), not law: the ranking says what LBF's practice would likely do with the
applications the law and the regulativ allow, and the overall decision of each area is kept beside it.
1. priority tier (fuld bevilling, bevilling, reduceret bevilling, konkret vurdering, ikke prioriteret,
   ikke støtteberettiget, undetermined);
2. the most severe § 61 a status (omdannelsesområde, parallelsamfund, udsat boligområde,
   forebyggelsesområde, none);
3. how many of the four § 61 a, stk. 1 criteria the area meets;
4. the share outside the labour market and education (higher first);
5. the case id, so equal areas always come out in the same order.

An incomplete case is ranked too: a status or a share that is not known ("ikke oplyst") comes
after the known ones within its tier, and the line about why an area stands above the next says so.
Only what the ranking needs is kept of each decision, so a portfolio of 20,000 areas stays small.

With a frame, areas are funded in that order with the tier's share of their yearly application
(practice parameters `fordeling_andel_*_pct`), only when the overall decision is 'kan bevilges'.
The first area that does not fit, and every area after it, falls outside the frame: the order is
strict, a smaller application further down never jumps the queue.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from .danish import danish_number
from .errors import UsageError
from .nodes import Choice

if TYPE_CHECKING:
    from .evaluator import Decision
    from .ruleset import PortfolioOrder, Ruleset

PRACTICE_NOTE = (
    "LBF-praksis (antagelse): rækkefølgen efter prioritetstrin og fordelingens andele bygger på LBF's "
    "principper for fordeling og vores antagelser, ikke på lov; hvert områdes afgørelse efter lov og regulativ "
    "står under begrundelserne"
)
ORDER_TEXT = [
    "prioritetstrin efter LBF-praksis (fuld bevilling, bevilling, reduceret bevilling, konkret vurdering, "
    "ikke prioriteret, ikke støtteberettiget, uafgjort)",
    "mest alvorlige § 61 a-status (omdannelsesområde, parallelsamfund, udsat boligområde, forebyggelsesområde, ingen)",
    "antal opfyldte kriterier i § 61 a, stk. 1",
    "andel uden for arbejdsmarked og uddannelse (højest først)",
    "sagens id",
]


UNKNOWN = "ikke oplyst"


@dataclass
class Ranked:
    order: PortfolioOrder
    case: dict
    tier: str | None
    tier_name: str
    status: str | None
    criteria: int
    labour: float | None
    yearly_kr: int | None
    decision_result: str | None = None  # the overall decision (afgoerelse), if any
    status_known: bool = True  # False when no list status is true and some is undetermined
    share_pct: float = 0.0
    granted_kr: int = 0
    state: str = "ikke_i_fordelingen"
    reasons: list[str] = field(default_factory=list)
    above_next: str = ""

    @property
    def key(self) -> tuple:
        tiers, statuses = self.order.tiers, self.order.statuses
        tier_rank = tiers.index(self.tier) if self.tier in tiers else len(tiers)  # undetermined last
        status_rank = statuses.index(self.status) if self.status in statuses else len(statuses) + (not self.status_known)
        labour = (0, -self.labour) if self.labour is not None else (1, 0)  # unknown after every known share
        return (tier_rank, status_rank, -self.criteria, labour, self.case["id"])

    @property
    def status_text(self) -> str:
        return self.status or ("ikke på en liste" if self.status_known else f"liste {UNKNOWN}")

    @property
    def labour_text(self) -> str:
        return UNKNOWN if self.labour is None else f"{danish_number(self.labour)} %"


def _criteria_met(decision: Decision, fact: str) -> int:
    """How many criteria the area meets: the count of the `mindst k af` group in the rule deriving
    `fact` (the § 61 a, stk. 1 criteria)."""
    from .nodes.group import GroupTrace

    step = decision.step(fact)
    for part in step.condition.parts() if step and step.condition else ():
        if isinstance(part, GroupTrace) and part.node.shows_count:
            return part.true_count
    return 0


def _yearly(case: dict) -> int | None:
    application = case.get("ansoegning") or {}
    grant = (application.get("budget") or {}).get("lbf_tilskud_kr")
    if grant is None:
        return None
    return round(Fraction(grant, application.get("varighed_aar") or 4))  # exact, then to whole kroner


def rank(ruleset: Ruleset, cases, day: dt.date | None) -> list[Ranked]:
    """The areas in rank order; `cases` may be a stream, and only a summary of each is kept."""
    from .evaluator import decide

    order = ruleset.portfolio
    if order is None:
        raise UsageError("regelsættet har ingen rangorden for porteføljer ('portefoelje' i regelsaet.yaml)")
    layout = ruleset.layout
    ranked = []
    for case in cases:
        typed = decide(ruleset, case, day)
        results = typed.results
        priority = layout.single("prioritet")
        tier = results.get(priority) if priority else None
        statuses = [results.get(s) for s in order.statuses if s in results]
        status = next((s for s in order.statuses if results.get(s) is True), None)
        labour = typed.ctx.facts.get(order.share_fact) if typed.ctx else None
        overall = layout.single("afgoerelse")
        decision = typed.to_json(trace=False)
        version = ruleset.rules[priority].version_at(typed.day) if priority and tier else None
        item = Ranked(
            order=order,
            case={k: case[k] for k in ("id", "navn", "kommune", "dato") if k in case},
            tier=tier,
            tier_name=version.body.label(tier) if tier is not None and version and isinstance(version.body, Choice) else "kan ikke afgøres",
            status=status,
            criteria=_criteria_met(typed, order.criteria),
            labour=labour if isinstance(labour, (int, float)) and not isinstance(labour, bool) else None,
            yearly_kr=_yearly(case),
            decision_result=results.get(overall) if overall else None,
            status_known=status is not None or None not in statuses,
        )
        item.reasons = _reasons(decision)
        ranked.append(item)
    ranked.sort(key=lambda r: r.key)
    for above, below in itertools.pairwise(ranked):
        above.above_next = why_above(above, below)
    return ranked


def _reasons(decision: dict) -> list[str]:
    out = []
    if "prioritet" in decision:
        out.append(f"prioritet: {decision['prioritet'].get('vaerdi_navn', 'kan ikke afgøres')}")
    if "afgoerelse" in decision:
        out.append(f"afgørelse: {decision['afgoerelse']['vaerdi_navn']}")
    failed = [e["navn"] for e in decision.get("betingelser", {}).values() if e["resultat"] is False]
    if failed:
        out.append(f"ikke opfyldt: {', '.join(failed)}")
    if decision["mangler"]:
        out.append(f"mangler: {', '.join(decision['felter'][n]['felt'] for n in decision['mangler'])}")  # the case's fields
    return out


def why_above(a: Ranked, b: Ranked) -> str:
    """One Danish sentence: the first ordering key on which A comes before B."""
    ka, kb = a.key, b.key
    name_a, name_b = a.case["navn"], b.case["navn"]
    if ka[0] != kb[0]:
        return f"{name_a} har prioritet '{a.tier_name}', {name_b} '{b.tier_name}'"
    if ka[1] != kb[1]:
        known = "" if b.status_known else f" (en {UNKNOWN} status står efter de kendte)"
        return f"{name_a}: {a.status_text}, {name_b}: {b.status_text}{known}"
    if ka[2] != kb[2]:
        return f"{name_a} opfylder {a.criteria} af kriterierne i § 61 a, stk. 1, {name_b} {b.criteria}"
    if ka[3] != kb[3]:
        known = " (en andel, der ikke er oplyst, står efter de kendte)" if b.labour is None else ""
        return f"{name_a} har {a.labour_text} uden for arbejdsmarked og uddannelse, {name_b} {b.labour_text}{known}"
    return f"{name_a} og {name_b} er lige alvorlige; rækkefølgen følger sagernes id"


def allocate(ruleset: Ruleset, ranked: list[Ranked], frame_kr: int, day_of: dict[str, dt.date]) -> int:
    """Fund areas in rank order within the yearly frame; return what is left."""
    order = ruleset.portfolio
    left = frame_kr
    closed = False
    for item in ranked:
        parameter = order.shares.get(item.tier) if order and item.tier else None
        grantable = order is not None and item.decision_result == order.fundable
        if parameter is None or not grantable or item.yearly_kr is None:
            item.state = "ikke_i_fordelingen"
            continue
        share = ruleset.parameters[parameter].value_at(day_of[item.case["id"]])
        if share is None:  # the share is not known at the date: the area is not funded blindly
            item.state = "ikke_i_fordelingen"
            continue
        item.share_pct = share
        amount = round(item.yearly_kr * share / 100)
        if closed or amount > left:
            closed = True
            item.state = "uden_for_rammen"
            continue
        item.granted_kr = amount
        item.state = "tildelt"
        left -= amount
    return left


def funding_round(ruleset: Ruleset, ranked: list[Ranked], frame_kr: int | None, day: dt.date | None) -> dict:
    """What the round says about itself (date, rules, frame) and, with a frame, how it was spread."""
    days = {r.case["id"]: day or dt.date.fromisoformat(r.case["dato"]) for r in ranked}
    info: dict = {
        "dato": day.isoformat() if day else "sagernes egne datoer",
        "regelsaet": {"version": ruleset.version, "revision": ruleset.revision},
        "ramme_kr": frame_kr,
        "art": "praksis",
    }
    if frame_kr is not None and ruleset.portfolio is not None:
        left = allocate(ruleset, ranked, frame_kr, days)
        at = day or max(days.values(), default=dt.date.today())
        info.update(
            fordelt_kr=frame_kr - left,
            rest_kr=left,
            uden_for_rammen=", ".join(r.case["navn"] for r in ranked if r.state == "uden_for_rammen"),
            andele_pct={tier: ruleset.parameters[p].value_at(at) for tier, p in ruleset.portfolio.shares.items()},
        )
    return info
