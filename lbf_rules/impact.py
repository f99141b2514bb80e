"""`lbf-rules impact`: what a rule change does to the outcome of every known case.

Each case is evaluated with the rules at the base revision and with the rules in the working
tree (results only, no trace, so 100,000 cases take seconds). A case is reported when any
outcome differs (classification, eligibility, priority, condition, overall decision). It is
grouped under the rule version that caused it: a derived fact that changed although none of the
derived facts it reads changed is a root cause; everything downstream is consequence.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .escape import plain
from .evaluator import derive
from .ruleset import Ruleset

MISSING = "findes ikke"


def outcome_names(ruleset: Ruleset) -> list[str]:
    return list(ruleset.layout.order)


@dataclass
class Group:
    rule: str
    version: str
    citation: str
    enacted_by: str
    cases: list[dict] = field(default_factory=list)


def _reads(ruleset: Ruleset, name: str, day: dt.date) -> frozenset[str]:
    rule = ruleset.rules.get(name)
    version = rule.version_at(day) if rule else None
    return version.reads if version else frozenset()


def compare(base: Ruleset, head: Ruleset, cases) -> tuple[dict[tuple, Group], int]:
    """Groups of changed cases by root-cause rule version, and how many cases were compared.
    `cases` may be a stream; only the changed ones are kept."""
    names = list(dict.fromkeys(outcome_names(head) + outcome_names(base)))
    groups: dict[tuple, Group] = {}
    total = 0
    for case in cases:
        total += 1
        day = dt.date.fromisoformat(case["dato"])
        before, after = derive(base, case, day), derive(head, case, day)
        changed_out = [n for n in names if before.get(n, MISSING) != after.get(n, MISSING)]
        if not changed_out:
            continue
        changed = {n for n in set(before) | set(after) if before.get(n, MISSING) != after.get(n, MISSING)}
        roots = [n for n in changed if not (_reads(head, n, day) | _reads(base, n, day)) & changed]
        for root in sorted(roots):
            ruleset = head if root in head.rules else base
            rule = ruleset.rules[root]
            version = rule.version_at(day)
            key = (rule.id, version.name if version else MISSING)
            if key not in groups:
                groups[key] = Group(rule.id, key[1], version.citation if version else "", version.enacted_by if version else "")
            groups[key].cases.append(
                {
                    "id": case["id"],
                    "navn": case.get("navn", ""),
                    "dato": case["dato"],
                    "aendringer": {n: {"foer": before.get(n, MISSING), "efter": after.get(n, MISSING)} for n in changed_out},
                }
            )
    return groups, total


def _show(value) -> str:
    return {True: "ja", False: "nej", None: "uafgjort"}.get(value, str(value)) if not isinstance(value, str) else value


def markdown(groups: dict[tuple, Group], total: int, base_ref: str, limit: int = 50) -> str:
    changed = len({c["id"] for g in groups.values() for c in g.cases})
    shown_ref = plain(base_ref, 100).replace("`", "'")
    lines = [
        f"## Konsekvenser af regelændringen (i forhold til `{shown_ref}`)",
        "",
        f"{changed} af {total} sager får et andet udfald." if changed else f"Ingen af de {total} sager får et andet udfald.",
        "",
    ]
    for group in sorted(groups.values(), key=lambda g: (-len(g.cases), g.rule)):
        lines.append(f"### {group.rule}, version {group.version} ({len(group.cases)} sager)")
        lines.append(f"{group.citation} · {group.enacted_by}".strip(" ·"))
        lines.append("")
        lines.append("| Sag | Dato | Ændring |")
        lines.append("|---|---|---|")
        for case in group.cases[:limit]:
            change = "; ".join(f"{n}: {_show(v['foer'])} → {_show(v['efter'])}" for n, v in case["aendringer"].items())
            lines.append(f"| {case['id']} | {case['dato']} | {change} |")
        if len(group.cases) > limit:
            lines.append(f"| … | | {len(group.cases) - limit} sager mere |")
        lines.append("")
    return "\n".join(lines)


def to_json(groups: dict[tuple, Group], total: int, base_ref: str) -> str:
    data = {
        "base": base_ref,
        "sager": total,
        "aendrede_sager": len({c["id"] for g in groups.values() for c in g.cases}),
        "grupper": [
            {"regel": g.rule, "version": g.version, "kilde": g.citation, "hjemmel": g.enacted_by, "sager": g.cases}
            for g in sorted(groups.values(), key=lambda g: (-len(g.cases), g.rule))
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


FORMATS = {"markdown": markdown, "json": to_json}  # the output formats of `lbf-rules impact`
