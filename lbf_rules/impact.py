"""`lbf-rules impact`: what a rule change does to the outcome of every known case.

Each case is evaluated with the rules at the base revision and with the rules in the working
tree (results only, no trace, so 100,000 cases take seconds). The second evaluation runs only
what the change can touch (`Rerun`): a rule version written exactly as at the base, reading the
same parameter values and no derived fact whose result changed, gives the base's result, which
is reused; everything else runs. A case is reported when any
outcome differs (classification, eligibility, priority, condition, overall decision). It is
grouped under the rule version that caused it: a derived fact that changed although none of the
derived facts it reads changed is a root cause; everything downstream is consequence.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from .cases import CaseReader
from .escape import plain
from .evaluator import CaseContext, derive_in
from .ruleset import RulesAt, Ruleset, Version

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


def _same(a: object, b: object) -> bool:
    """Equal results of the same type (True and 1, or 0.5 and Fraction(1, 2), are not the same result)."""
    return a is b or (type(a) is type(b) and a == b)


class Rerun:
    """The head's results for a case given the base's: a head rule version is run only when it may
    decide differently. It may when it is not written exactly as the base's version in force
    (`Version.fingerprint`), reads a parameter whose value at the date (or whether a case may supply
    it) differs, or reads a derived fact whose result changed for this case. Without the same facts
    catalogue, everything runs."""

    def __init__(self, base: Ruleset, head: Ruleset):
        self.base, self.head = base, head
        self.same_facts = base.facts == head.facts and base.fact_fields == head.fact_fields
        self._plans: dict[tuple[int, int], tuple[list[tuple[str, Version, bool]], frozenset[str]]] = {}

    def plan(self, base_at: RulesAt, head_at: RulesAt) -> tuple[list[tuple[str, Version, bool]], frozenset[str]]:
        """(derived fact, head version, reusable) in the head's order, and the derived facts of the
        base that the head lacks (changed for every case). Worked out once per pair of dates' rules."""
        key = (id(base_at), id(head_at))  # a ruleset keeps one RulesAt per period, so the ids stay its own
        found = self._plans.get(key)
        if found is None:
            steps = [(name, version, self._reusable(base_at, head_at, name, version)) for name, _, version in head_at.in_force]
            gone = frozenset(base_at.versions) - frozenset(head_at.versions)
            found = self._plans[key] = (steps, gone)
        return found

    def _reusable(self, base_at: RulesAt, head_at: RulesAt, name: str, version: Version) -> bool:
        old = base_at.versions.get(name)
        if not self.same_facts or old is None or not version.fingerprint or old.fingerprint != version.fingerprint:  # "": unknown
            return False
        used = {p for node in version.body.walk() for p in node.parameters()}
        return all(
            _same(base_at.parameters.get(p), head_at.parameters.get(p))
            and self.base.parameters[p].case_may_supply == self.head.parameters[p].case_may_supply
            for p in used
        )

    def results(self, case: dict, day: dt.date) -> tuple[dict, dict]:
        """The base's results and the head's for one case at one date."""
        base_at, head_at = self.base.at(day), self.head.at(day)
        base_ctx = CaseContext(self.base, base_at, case, day)
        before = derive_in(base_ctx)
        ctx = CaseContext(self.head, head_at, case, day, base_ctx.facts if self.same_facts else None)
        steps, gone = self.plan(base_at, head_at)
        values, after, changed = ctx.values, {}, set(gone)
        for name, version, reusable in steps:
            if reusable and version.reads.isdisjoint(changed):
                after[name] = values[name] = before[name]
                continue
            result = after[name] = values[name] = version.run(ctx)  # type: ignore[misc]
            if name not in before or not _same(result, before[name]):
                changed.add(name)
        return before, after


class CaseChange:
    """What one case gives: None when no outcome differs, else its record and the root causes'
    group keys. Runs in a worker process with `--jobs`, so it returns plain data."""

    def __init__(self, base: Ruleset, head: Ruleset):
        self.base, self.head = base, head
        self.rerun = Rerun(base, head)
        self.names = list(dict.fromkeys(outcome_names(head) + outcome_names(base)))

    def one(self, case: dict) -> tuple[dict, list[tuple[str, str, str, str]]] | None:
        day = dt.date.fromisoformat(case["dato"])
        before, after = self.rerun.results(case, day)
        changed_out = [n for n in self.names if not _same(before.get(n, MISSING), after.get(n, MISSING))]
        if not changed_out:
            return None
        changed = {n for n in set(before) | set(after) if not _same(before.get(n, MISSING), after.get(n, MISSING))}
        roots = sorted(n for n in changed if not (_reads(self.head, n, day) | _reads(self.base, n, day)) & changed)
        keys = []
        for root in roots:
            rule = (self.head if root in self.head.rules else self.base).rules[root]
            version = rule.version_at(day)
            keys.append((rule.id, version.name, version.citation, version.enacted_by) if version else (rule.id, MISSING, "", ""))
        record = {
            "id": case["id"],
            "navn": case.get("navn", ""),
            "dato": case["dato"],
            "aendringer": {n: {"foer": before.get(n, MISSING), "efter": after.get(n, MISSING)} for n in changed_out},
        }
        return record, keys


def compare(base: Ruleset, head: Ruleset, reader: CaseReader, jobs: int = 1) -> tuple[dict[tuple, Group], int]:
    """Groups of changed cases by root-cause rule version, and how many cases were compared.
    The cases are streamed; only the changed ones are kept. `jobs` > 1 spreads the cases over
    worker processes (lbf_rules/batch.py); the groups list the cases in input order either way."""
    from . import batch

    groups: dict[tuple, Group] = {}
    total = 0
    for found in batch.run(CaseChange(base, head), reader, jobs):
        total += 1
        if found is None:
            continue
        record, keys = found
        for rule_id, version_name, citation, enacted_by in keys:
            key = (rule_id, version_name)
            if key not in groups:
                groups[key] = Group(rule_id, version_name, citation, enacted_by)
            groups[key].cases.append(record)
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
