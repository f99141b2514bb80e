"""`lbf-rules test`: every case with an expected outcome, and coverage in legal terms.

Coverage counts, for every rule version, whether at least one case exercises it, and for every
condition in it, whether some case saw it true and some case saw it false (undetermined is shown
but not required). The percentage is covered items over all items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .ruleset import Ruleset

if TYPE_CHECKING:
    from .evaluator import Decision
    from .ruleset import Layout, Ruleset


def mismatches(case: dict, decision: dict, layout: Layout) -> list[tuple[str, object, object]]:
    """(what, expected, got) for every part of the case's `forventet` the decision does not meet;
    the single sections (støtte, prioritet, afgørelse) are those rules/regelsaet.yaml names."""
    expected = case.get("forventet") or {}
    out = []
    got = {name: entry["resultat"] for name, entry in decision["klassifikation"].items()}
    if "klassifikation" in expected and got != expected["klassifikation"]:
        for name in sorted(set(got) | set(expected["klassifikation"])):
            want, have = expected["klassifikation"].get(name, "findes ikke"), got.get(name, "findes ikke")
            if want != have:
                out.append((name, want, have))
    for name, legal in expected.get("navne", {}).items():
        have = decision["klassifikation"].get(name, {}).get("navn")
        if have != legal:
            out.append((f"{name}.navn", legal, have))
    for key, _ in layout.singles:
        if key in expected:
            have = decision[key]["resultat"] if key in decision else "findes ikke"
            if have != expected[key]:
                out.append((key, expected[key], have))
    for key in expected.get("findes_ikke", []):
        section, _, name = key.partition(".")  # "afgoerelse" or "betingelser.tomgangsleje"
        entry = decision.get(section, {}).get(name) if name else decision.get(section)
        if entry is not None:
            out.append((key, "findes ikke", entry["resultat"]))
    for text in expected.get("bemaerkninger", []):
        if not any(text in note for note in decision["bemaerkninger"]):
            out.append(("bemaerkninger", text, decision["bemaerkninger"]))
    for name, want in expected.get("betingelser", {}).items():
        have = decision.get("betingelser", {}).get(name, {}).get("resultat", "findes ikke")
        if have != want:
            out.append((f"betingelse {name}", want, have))
    if "mangler" in expected:
        lacking = sorted(set().union(*(e.get("mangler", []) for e in decision["klassifikation"].values())))
        if set(lacking) != set(expected["mangler"]):
            out.append(("mangler", sorted(expected["mangler"]), lacking))
    for text in expected.get("aendringer", []):
        if not any(text in c["tekst"] for c in decision.get("aendringer", [])):
            out.append(("aendringer", text, [c["tekst"] for c in decision.get("aendringer", [])]))
    return out


@dataclass
class Coverage:
    """What the cases exercised: rule versions, and each condition's outcomes."""

    versions: dict[tuple[str, str], int] = field(default_factory=dict)
    conditions: dict[tuple[str, str, tuple], set] = field(default_factory=dict)
    reasons: dict[tuple[str, str, tuple], str] = field(default_factory=dict)

    @classmethod
    def for_ruleset(cls, ruleset: Ruleset) -> Coverage:
        cov = cls()
        for rule in ruleset.rules.values():
            for version in rule.versions:
                cov.versions[(rule.id, version.name)] = 0
                for path, node in version.body.paths():
                    if node.counts_in_coverage:
                        cov.conditions[(rule.id, version.name, path)] = set()
                        cov.reasons[(rule.id, version.name, path)] = node.reason
        return cov

    def record(self, decision: Decision) -> None:
        for step in decision.steps():
            key = (step.rule.id, step.version.name)
            self.versions[key] = self.versions.get(key, 0) + 1
            if step.condition is None:
                continue
            for path, trace in step.condition.walk():
                seen = self.conditions.get((*key, path))
                if seen is not None:
                    seen.add(trace.result)

    def percent(self) -> float:
        items = len(self.versions) + 2 * len(self.conditions)
        covered = sum(1 for n in self.versions.values() if n) + sum(len(s & {True, False}) for s in self.conditions.values())
        return 100.0 * covered / items if items else 100.0

    def report(self) -> list[str]:
        lines = ["Dækning (regelversioner brugt af mindst én sag; betingelser set både opfyldt og ikke opfyldt):"]
        by_rule: dict[str, list] = {}
        for (rule, version), count in self.versions.items():
            by_rule.setdefault(rule, []).append((version, count))
        for rule, versions in by_rule.items():
            for version, count in versions:
                conds = {p: s for (r, v, p), s in self.conditions.items() if r == rule and v == version}
                both = sum(1 for s in conds.values() if {True, False} <= s)
                mark = "✓" if count and both == len(conds) else "✗" if not count else "~"
                lines.append(f"  {mark} {rule} version {version}: {count} sager; {both}/{len(conds)} betingelser set sand og falsk")
                for path, seen in conds.items():
                    missing = [w for w, v in (("sand", True), ("falsk", False)) if v not in seen]
                    if count and missing:
                        undetermined = " (set uafgjort)" if None in seen else ""
                        lines.append(f"      mangler {' og '.join(missing)}: {self.reasons[(rule, version, path)]}{undetermined}")
        lines.append(f"Samlet dækning: {self.percent():.1f} %")
        return lines


@dataclass
class Run:
    """`lbf-rules test` over some cases: how many met their expectations, and coverage."""

    coverage: Coverage
    passed: int = 0
    failed: int = 0


def run(ruleset: Ruleset, cases, report: Callable[[str], None]) -> Run:
    """Every case with a `forventet`; each mismatch is reported with the decision's trace, as text."""
    import json

    from .escape import plain
    from .evaluator import decide
    from .render_text import TextRenderer

    renderer = TextRenderer(ruleset)
    result = Run(Coverage.for_ruleset(ruleset))
    for item in cases:
        if "forventet" not in item.data:
            continue
        decision = decide(ruleset, item.data)
        result.coverage.record(decision)
        wrong = mismatches(item.data, decision.to_json(trace=False), ruleset.layout)
        if not wrong:
            result.passed += 1
            continue
        result.failed += 1
        report(f"✗ {item.data['id']} ({plain(item.source)}:{item.line})")
        for what, want, have in wrong:
            report(f"    {what}: forventet {json.dumps(want, ensure_ascii=False)}, fik {json.dumps(have, ensure_ascii=False)}")
        report("    Spor:")
        for line in renderer.render(decision).splitlines():
            report(f"      {line}")
    return result
