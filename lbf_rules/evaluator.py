"""The evaluator: one case, one date, the rule versions in force then, a decision with its trace.

Pure and deterministic: the output depends only on the case, the date and the rule repository
(whose content hash is in the decision). Derived facts are evaluated in dependency order, each
by the version of its rule in force at the date; a rule with no version in force simply does
not exist at that date and its part of the decision is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conditions import EMPTY, Bound, Choice
from .ruleset import Rule, Ruleset, Version

SINGLE_SECTIONS = ("stoetteberettiget", "prioritet", "afgoerelse")
DECISION_FORMAT = "lbf-rules-afgoerelse/2"  # schemas/decision.schema.json; see its description for what changed


class CaseContext:
    """What the rules of one case see: its facts, derived results, parameters, lists and history."""

    def __init__(self, ruleset: Ruleset, case: dict, day: dt.date):
        self.ruleset = ruleset
        self.day = day
        self.year = day.year
        self.facts = case_facts(ruleset, case)
        self.history_data = case.get("historik") or {}
        self.derived: dict[str, tuple[Any, frozenset[str]]] = {}
        self.notes: list[str] = []
        self._noted: set[str] = set()

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        if name in self.derived:
            return self.derived[name]
        value = self.facts.get(name)
        return value, (frozenset({name}) if value is None else EMPTY)

    def items(self, name: str) -> list[dict] | None:
        value = self.facts.get(name)
        return value if isinstance(value, list) else None

    def parameter(self, name: str) -> tuple[float | None, str | None]:
        param = self.ruleset.parameters[name]
        value = param.value_at(self.day)
        from_case = self.facts.get(name) if param.case_may_supply else None
        if isinstance(from_case, Bound):
            from_case = None
        if value is not None:
            if from_case is not None and from_case != value and name not in self._noted:
                self._noted.add(name)
                self.notes.append(
                    f"Sagen oplyser {name} = {from_case}, men regelsættet kender værdien {value} "
                    f"pr. {self.day.isoformat()}; regelsættets værdi er brugt."
                )
            return value, "regelsaet"
        if from_case is not None:
            return from_case, "sag"
        return None, None

    def history(self, name: str) -> list[int] | None:
        years = self.history_data.get(name)
        if years is None:
            return None
        later = sorted(y for y in years if y >= self.year)
        if later and name not in self._noted:
            self._noted.add(name)
            self.notes.append(
                f"historik.{name} nævner år ({', '.join(map(str, later))}), der ikke ligger før "
                f"vurderingsåret {self.year}; de indgår ikke."
            )
        return [y for y in years if y < self.year]


def case_facts(ruleset: Ruleset, case: dict) -> dict[str, Any]:
    """The case's facts by name, read from the fields the facts catalogue names."""
    out: dict[str, Any] = {}
    for name, fact in ruleset.facts.items():
        value: Any = case
        for part in fact.field:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = Bound.from_data(value, whole=fact.kind == "antal")
        if value is not None:
            out[name] = value
    return out


def outcomes(decision: dict) -> dict[str, Any]:
    """Every result a decision reports, flat: for comparing engines, runs and versions."""
    out = {f"klassifikation.{k}": v["resultat"] for k, v in decision["klassifikation"].items()}
    out.update({k: decision[k]["resultat"] for k in SINGLE_SECTIONS if k in decision})
    out.update({f"betingelse.{k}": v["resultat"] for k, v in decision.get("betingelser", {}).items()})
    return out


def derive(ruleset: Ruleset, case: dict, day: dt.date | None = None) -> dict[str, Any]:
    """Only the derived results (fact name → value), for bulk work such as impact reports."""
    day = day or dt.date.fromisoformat(case["dato"])
    ctx = CaseContext(ruleset, case, day)
    for name, _, version in ruleset.in_force(day):
        result, deciding, _ = version.body.evaluate(ctx, False)
        ctx.derived[name] = (result, deciding)
    return {name: value for name, (value, _) in ctx.derived.items()}


def evaluate(ruleset: Ruleset, case: dict, day: dt.date | None = None, trace: bool = True) -> dict:
    """The decision for one (schema-valid) case, at `day` or else at the case's own date."""
    case_day = dt.date.fromisoformat(case["dato"])
    day = day or case_day
    ctx = CaseContext(ruleset, case, day)
    if day != case_day:
        ctx.notes.append(date_note(day, case_day))

    results: dict[str, tuple[Any, frozenset]] = {}
    steps: list[dict] = []
    unreported: set[str] = set()
    for name, rule, version in ruleset.in_force(day):
        result, deciding, tree = version.body.evaluate(ctx, trace)
        ctx.derived[name] = results[name] = (result, deciding)
        unreported |= {f for f in version.reads if f in ruleset.facts and f not in ctx.facts}
        if trace:
            steps.append(_step(rule, version, result, deciding, tree))
    return assemble(ruleset, case, day, results, steps if trace else None, ctx.notes, unreported)


def assemble(ruleset: Ruleset, case: dict, day: dt.date, results: dict[str, tuple[Any, frozenset]],
             steps: list[dict] | None, notes: list[str], unreported: set[str]) -> dict:
    """The decision document from derived results (shared by both engines)."""
    versions = {name: (rule, version) for name, rule, version in ruleset.in_force(day)}
    entries = {name: _entry(ruleset, *versions[name], result, deciding) for name, (result, deciding) in results.items()}
    sections = ruleset.sections
    classification = {n: entries[n] for n in sections["klassifikationer"] if n in entries}
    notes = ruleset.period_notes(day) + notes  # known periods without rules are said first, never left silent
    decision: dict[str, Any] = {"format": DECISION_FORMAT, "sag": _case_header(case, day), "regelsaet": {"navn": ruleset.name, "version": ruleset.version, "revision": ruleset.revision}}
    decision["klassifikation"] = classification
    reported = list(classification.values())
    for key in SINGLE_SECTIONS:
        name = sections.get(key)
        if name in entries:
            decision[key] = entries[name]
            reported.append(entries[name])
    if sections.get("betingelser"):
        conditions = {n.removeprefix("betingelse_"): entries[n] for n in sections["betingelser"] if n in entries}
        if conditions:
            decision["betingelser"] = conditions
            reported.extend(conditions.values())
    if not classification and not any(k in decision for k in SINGLE_SECTIONS):
        notes.append(f"Ingen af reglerne gælder pr. {day.isoformat()}.")
    missing = set().union(*(e.get("mangler", []) for e in reported)) if reported else set()
    decision.update(
        mangler=sort_facts(ruleset, missing),
        ikke_oplyst=sort_facts(ruleset, unreported),
        bemaerkninger=notes,
    )
    if steps is not None:
        decision["spor"] = steps
        if any(step.get("betingelse") for step in steps):
            from .changes import nearest_changes

            changes = nearest_changes(decision, units(ruleset))
            if changes:
                decision["aendringer"] = changes
    return decision


def units(ruleset: Ruleset) -> dict[str, str]:
    """' %' for percentages (case facts and derived shares), for the texts about changes."""
    out = {name: " %" for name, fact in ruleset.facts.items() if fact.kind == "procent"}
    out.update({name: " %" for name, rule in ruleset.rules.items() if rule.result_kind == "procent"})
    return out


def date_note(day: dt.date, case_day: dt.date) -> str:
    return f"Vurderet pr. {day.isoformat()} i stedet for sagens dato {case_day.isoformat()}."


def case_hash(case: dict) -> str:
    """A hash of the case's content (key order does not matter), so a decision names what it decided."""
    import hashlib
    import json

    text = json.dumps(case, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _case_header(case: dict, day: dt.date) -> dict:
    sag = {"id": case["id"], "navn": case["navn"], "dato": day.isoformat()}
    if case.get("kommune"):
        sag["kommune"] = case["kommune"]
    sag["hash"] = case_hash(case)
    return sag


def sort_facts(ruleset: Ruleset, names: set[str] | frozenset[str]) -> list[str]:
    """Fact names in the catalogue's order (the order of the case format), history last."""
    rank = {name: i for i, name in enumerate(ruleset.facts)}
    return sorted(names, key=lambda n: (rank.get(n.split(".")[0], len(rank)), n))


def _entry(ruleset: Ruleset, rule: Rule, version: Version, result: Any, deciding: frozenset) -> dict:
    entry = {
        "resultat": result,
        "navn": version.legal_name,
        "regel": rule.id,
        "version": version.name,
        "kilde": version.citation,
        "hjemmel": version.enacted_by,
        "url": version.sources[0].url,
    }
    if isinstance(version.body, Choice) and result is not None:
        entry["vaerdi_navn"] = version.body.label(result)
    if rule.kind != "lov":
        entry["art"] = rule.kind
    if deciding:
        entry["mangler"] = sort_facts(ruleset, deciding)
    return entry


def _step(rule: Rule, version: Version, result: Any, deciding: frozenset, tree: dict | None) -> dict:
    step = {
        "regel": rule.id,
        "udleder": rule.derives,
        "art": rule.kind,
        "version": version.name,
        "navn": version.legal_name,
        "gyldig_fra": version.valid_from.isoformat(),
        "gyldig_til": version.valid_to.isoformat() if version.valid_to else None,
        "hjemmel": version.enacted_by,
        "kilde": version.citation,
        "resultat": result,
        "betingelse": tree,
    }
    if deciding:
        step["mangler"] = sorted(deciding)
    return step
