"""What would change the outcome: the nearest changes of facts that turn a 'no' into a 'yes'.

Worked out from the evaluated trace, never written by hand: for a decided-false condition it picks
the cheapest set of changes (every false part of `alle`, the cheapest part of `nogen`, the k - t
cheapest parts of `mindst k`), following derived facts into the rules that decide them. A share
computed from a budget (lokal medfinansiering) is translated into kroner.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .render_text import danish_number, shown

BETTER_TIERS = ["fuld_bevilling", "bevilling", "reduceret_bevilling"]


def label(name: str) -> str:
    """`andel_uden_for_arbejdsmarked_pct` → 'andel uden for arbejdsmarked'."""
    for suffix in ("_pct", "_kr", "_aar"):
        name = name.removesuffix(suffix)
    return name.replace("_", " ")


class Planner:
    def __init__(self, decision: dict, units: dict[str, str]):
        self.steps = {s["udleder"]: s for s in decision.get("spor", [])}
        self.units = units  # fact name → " %" or ""

    def make_true(self, node: dict) -> tuple[float, list[str]] | None:
        """(cost, changes) to make a false node true; None when no change of facts would."""
        if node is None or node.get("resultat") is not False:
            return (0.0, []) if node is not None and node.get("resultat") is True else None
        kind = node["type"]
        if kind == "sammenligning":
            return self.comparison(node)
        if kind == "fakta":
            if node.get("afledt"):
                step = self.steps.get(node["fakta"])
                if step is None or not isinstance(node["forventet"], bool) or node["forventet"] is not True:
                    return None
                return self.make_true(step["betingelse"])
            wanted = "ja" if node["forventet"] else "nej"
            return 1.0, [f"{label(node['fakta'])} skal være {wanted}"]
        if kind == "liste":
            parts = []
            if node.get("antal") == 0:
                parts.append("mindst én aktivitet inden for indsatsområderne skal beskrives")
            if node["uden_for"]:
                parts.append(f"aktiviteter uden for periodens indsatsområder ({', '.join(node['uden_for'])}) skal flyttes eller udgå")
            if node["mangler_felter"]:
                parts.append(f"mangler for: {', '.join(node['mangler_felter'])}")
            return 1.0, parts
        if kind == "historik":
            return 5.0, [f"området skulle have været {label(node['historik'])} i {', '.join(map(str, node['manglende_aar']))}"]
        if kind in ("alle", "nogen", "mindst"):
            options = [self.make_true(part) for part in node["dele"]]
            falses = [o for part, o in zip(node["dele"], options) if part["resultat"] is False]
            if kind == "alle":
                if any(o is None for o in falses):
                    return None
                return sum(c for c, _ in falses), [t for _, ts in falses for t in ts]
            need = 1 if kind == "nogen" else node["mindst"] - node["opfyldt"]
            usable = sorted((o for o in falses if o is not None), key=lambda o: o[0])
            if len(usable) < need:
                return None
            chosen = usable[:need]
            return sum(c for c, _ in chosen), [t for _, ts in chosen for t in ts]
        return None

    def comparison(self, node: dict) -> tuple[float, list[str]] | None:
        value, limit, op = node["vaerdi"], node["graense"], node["operator"]
        if not isinstance(value, (int, float)) or limit is None:
            return None
        unit = self.units.get(node["fakta"], "")
        gap = float(abs(Decimal(repr(limit)) - Decimal(repr(value))))  # exact: 25 - 24.9999999 is 0.0000001
        points = " procentpoint" if unit == " %" else ""
        need = {">": "over", "≥": "mindst", "<": "under", "≤": "højst"}[op]
        text = f"{label(node['fakta'])} er {shown(value, limit)}{unit}; kravet er {need} {danish_number(limit)}{unit} ({shown(gap, 0)}{points} fra grænsen)"
        money = self.in_kroner(node["fakta"], limit)
        if money:
            text += f": {money}"
        return gap / max(abs(limit), 1.0), [text]

    def in_kroner(self, fact: str, percent: float) -> str | None:
        """For a share computed as part / sum × 100: the kroner that bring it to `percent`."""
        step = self.steps.get(fact)
        calc = step["betingelse"] if step else None
        if not calc or calc.get("type") != "beregning" or calc["andel"] not in calc["af_summen"]:
            return None
        values = {k: Decimal(repr(v)) for k, v in calc["vaerdier"].items()}
        part = values[calc["andel"]]
        total = sum(values[n] for n in calc["af_summen"])
        p = Decimal(repr(percent))
        more = (p * total - 100 * part) / (100 - p)
        others = [n for n in calc["af_summen"] if n != calc["andel"]]
        text = f"{label(calc['andel'])} skal øges med mindst {danish_number(math.ceil(more))} kr."
        if len(others) == 1:
            allowed = part * (100 - p) / p
            text += f", eller {label(others[0])} må højst være {danish_number(math.floor(allowed))} kr."
        return text


def nearest_changes(decision: dict, units: dict[str, str]) -> list[dict]:
    """The changes that would improve a negative outcome, nearest first."""
    planner = Planner(decision, units)
    out: list[dict] = []

    def add(goal: str, node: dict | None) -> None:
        plan = planner.make_true(node) if node else None
        if plan and plan[1]:
            out.append({"maal": goal, "tekst": "; ".join(plan[1]), "trin": plan[1]})

    eligible = decision.get("stoetteberettiget")
    if eligible and eligible["resultat"] is False:
        add("stoetteberettiget", planner.steps["stoetteberettiget"]["betingelse"])
    priority = decision.get("prioritet")
    if priority and priority["resultat"] in ("ikke_prioriteret", "konkret_vurdering", "reduceret_bevilling", "bevilling"):
        tried = {o["vaerdi"]: o for o in planner.steps["prioritet"]["betingelse"]["valg"]}
        current = priority["resultat"]
        better = BETTER_TIERS[: BETTER_TIERS.index(current)] if current in BETTER_TIERS else BETTER_TIERS
        for tier in reversed(better):  # the nearest better tier first
            option = tried.get(tier)
            if option and option["resultat"] is False:
                add(f"prioritet: {tier}", option["betingelse"])
    for name, entry in decision.get("betingelser", {}).items():
        if entry["resultat"] is False:
            add(f"betingelse: {name}", planner.steps[f"betingelse_{name}"]["betingelse"])
    return out
