"""What would change the outcome: the nearest changes of facts that turn a 'no' into a 'yes'.

Worked out from the typed trace, never written by hand: each trace kind knows how to become true
(`Trace.make_true`: every false part of `alle`, the cheapest part of `nogen`, the k - t cheapest
parts of `mindst k`, derived facts followed into the rules that decide them); this module only
says which results to improve. A share computed from a budget (lokal medfinansiering) is
translated into kroner.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .danish import danish_number

if TYPE_CHECKING:
    from .evaluator import Decision
    from .nodes import Trace
    from .nodes.base import Plan


def label(name: str) -> str:
    """`andel_uden_for_arbejdsmarked_pct` → 'andel uden for arbejdsmarked'."""
    for suffix in ("_pct", "_kr", "_aar"):
        name = name.removesuffix(suffix)
    return name.replace("_", " ")


class TracePlanner:
    """What the trace kinds ask while planning: derived facts' traces, units, labels, kroner."""

    def __init__(self, decision: Decision):
        self.decision = decision
        self.kinds = decision.ruleset.kinds
        self.plans: dict[str, Plan | None] = {}

    def derived(self, fact: str) -> Trace | None:
        step = self.decision.step(fact)
        return step.condition if step else None

    def derived_plan(self, fact: str) -> Plan | None:
        if fact not in self.plans:
            trace = self.derived(fact)
            self.plans[fact] = trace.make_true(self) if trace is not None else None
        return self.plans[fact]

    def unit(self, fact: str) -> str:
        return " %" if self.kinds.get(fact) == "procent" else ""

    def label(self, name: str) -> str:
        return label(name)

    def in_kroner(self, fact: str, percent: float) -> str | None:
        """For a share computed as part / sum × 100: the kroner that bring it to `percent`."""
        trace = self.derived(fact)
        found = trace.in_kroner(percent) if trace is not None else None
        if found is None:
            return None
        text = f"{label(found.part)} skal øges med mindst {danish_number(math.ceil(found.more))} kr."
        if found.other is not None and found.allowed is not None:
            text += f", eller {label(found.other)} må højst være {danish_number(math.floor(found.allowed))} kr."
        return text


def nearest_changes(decision: Decision) -> list[dict]:
    """The changes that would improve a negative outcome, nearest first."""
    planner = TracePlanner(decision)
    ruleset = decision.ruleset
    layout, order = ruleset.layout, ruleset.portfolio
    results = decision.results
    out: list[dict] = []

    def add(goal: str, name: str, trace: Trace | None) -> None:
        plan = trace.make_true(planner) if trace is not None else None
        if plan and plan[1]:  # art: the kind of rule the goal belongs to (praksis for a priority tier)
            steps = list(plan[1])  # a plan may be shared by several goals (`derived_plan`)
            out.append({"maal": goal, "art": decision.ruleset.rules[name].kind, "tekst": "; ".join(steps), "trin": steps})

    for key, name in layout.singles:  # a yes/no section that is no: what would make it yes
        if name in results and results[name] is False:
            add(key, name, planner.derived(name))
    priority = layout.single("prioritet")
    current = results.get(priority) if priority else None
    if order is not None and isinstance(current, str):  # the funded tiers above the one reached, nearest first
        choice = planner.derived(priority)  # type: ignore[arg-type]
        for tier in order.better_funded(current):
            tried = choice.option(tier) if choice is not None else None  # type: ignore[attr-defined]
            if tried and tried.result is False:
                add(f"prioritet: {tier}", priority, tried.condition)  # type: ignore[arg-type]
    for name in layout.conditions:
        if name in results and results[name] is False:
            add(f"betingelse: {layout.condition_key(name)}", name, planner.derived(name))
    return out
