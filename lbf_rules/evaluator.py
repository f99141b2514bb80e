"""The evaluator: one case, one date, the rule versions in force then, a decision with its trace.

Pure and deterministic: the output depends only on the case, the date and the rule repository
(whose content hash is in the decision). Derived facts are evaluated in dependency order, each
by the version of its rule in force at the date, through the closure the version was compiled
into once (`Version.run`); a rule with no version in force simply does not exist at that date.

The typed trace (`Decision.step`) is built only when something asks for it: the JSON `spor`, the
text output, the nearest changes, coverage, or the facts that would decide an undetermined result.
It is built from the same case and date, so it always agrees with the results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .nodes import EMPTY, Choice, Outcome, Trace
from .ruleset import Rule, RulesAt, Ruleset, Version
from .values import Bound

DECISION_FORMAT = "lbf-rules-afgoerelse/3"  # schemas/decision.schema.json; see its description for what changed


class CaseContext:
    """What the rules of one case see: its facts, derived results, parameters, lists and history."""

    __slots__ = ("ruleset", "at", "day", "year", "facts", "values", "parameters", "history_data", "deciding")

    def __init__(self, ruleset: Ruleset, at: RulesAt, case: dict, day: dt.date, facts: dict[str, Any] | None = None):
        self.ruleset = ruleset
        self.at = at
        self.day = day
        self.year = day.year
        self.facts = case_facts(ruleset, case) if facts is None else facts  # given: read by an equal facts catalogue
        self.values: dict[str, Any] = dict(self.facts)  # and each derived result once evaluated
        self.parameters = at.parameters
        self.history_data = case.get("historik") or {}
        self.deciding: dict[str, frozenset[str]] = {}  # derived fact → what would decide it (worked out when asked)

    def missing(self, name: str) -> frozenset[str]:
        """For a case fact, itself; for a derived fact, the facts that would decide its rule (none
        once decided), worked out from its trace the first time anyone asks."""
        found = self.deciding.get(name)
        if found is None:
            version = self.at.versions.get(name)
            if version is None or name not in self.values:
                return frozenset((name,))
            body = version.body
            found = self.deciding[name] = body.deciding(self) if body.undecided(self.values[name]) else EMPTY
        return found

    def items(self, name: str) -> list[dict] | None:
        value = self.facts.get(name)
        return value if isinstance(value, list) else None

    def parameter(self, name: str) -> tuple[float | None, str | None]:
        value = self.parameters[name]
        if value is not None:
            return value, "regelsaet"
        supplied = self._supplied(name)
        return (supplied, "sag") if supplied is not None else (None, None)

    def _supplied(self, name: str) -> Any:
        """A parameter's value as the case gives it (only for parameters a case may supply)."""
        if not self.ruleset.parameters[name].case_may_supply:
            return None
        value = self.facts.get(name)
        return None if isinstance(value, Bound) else value

    def history(self, name: str) -> list[int] | None:
        years = self.history_data.get(name)
        if years is None:
            return None
        return [y for y in years if y < self.year]

    def notes(self, watched: tuple[tuple[str, str], ...]) -> list[str]:
        """Notes on case data the rules set aside: a parameter the rules know better, history years
        that are not before the case's year. In the order the rules read them."""
        out = []
        for kind, name in watched:
            if kind == "parameter":
                known, supplied = self.parameters[name], self._supplied(name)
                if known is not None and supplied is not None and supplied != known:
                    out.append(
                        f"Sagen oplyser {name} = {supplied}, men regelsættet kender værdien {known} "
                        f"pr. {self.day.isoformat()}; regelsættets værdi er brugt."
                    )
            else:
                later = sorted(y for y in self.history_data.get(name) or [] if y >= self.year)
                if later:
                    out.append(
                        f"historik.{name} nævner år ({', '.join(map(str, later))}), der ikke ligger før "
                        f"vurderingsåret {self.year}; de indgår ikke."
                    )
        return out


def case_facts(ruleset: Ruleset, case: dict) -> dict[str, Any]:
    """The case's facts by name, read from the fields the facts catalogue names (a bound such as
    `{over: 50}` becomes a Bound). Facts are grouped by their top field, so an absent part of the
    case (no `ansoegning`) is skipped at once."""
    out: dict[str, Any] = {}
    for top, members in ruleset.fact_fields:
        section = case.get(top)
        if section is None:
            continue
        for name, rest, whole in members:
            value = section
            for part in rest:
                value = value.get(part) if value.__class__ is dict else None
            if value is None:
                continue
            out[name] = Bound.from_data(value, whole) if value.__class__ is dict else value
    return out


@dataclass(slots=True)
class Step:
    """One rule's part of the trace: the version used, its result and its condition's trace."""

    rule: Rule
    version: Version
    result: Any
    deciding: frozenset[str]
    condition: Trace | None  # None when the engine keeps no trace (the durable engine)

    def to_json(self) -> dict:
        step = self.version.step_json.copy()
        step["resultat"] = self.result
        if self.condition is not None:
            step["betingelse"] = self.condition.to_json()
        if self.deciding:
            step["mangler"] = sorted(self.deciding)
        return step


class Decision:
    """One case's decision: the result of every rule in force, notes, and the trace on demand."""

    def __init__(
        self,
        ruleset: Ruleset,
        case: dict,
        day: dt.date,
        results: dict[str, Any],
        notes: list[str],
        unreported: set[str] | frozenset[str],
        ctx: CaseContext | None,
    ):
        self.ruleset = ruleset
        self.case = case
        self.day = day
        self.results = results
        self.notes = notes
        self.unreported = unreported
        self.ctx = ctx  # None: no trace can be built (the durable engine)
        self.versions = {name: (rule, version) for name, rule, version in ruleset.in_force(day)}
        self._steps: dict[str, Step] = {}

    def step(self, name: str) -> Step | None:
        """The typed trace of the rule deriving `name`, built the first time it is asked for."""
        found = self._steps.get(name)
        if found is None and name in self.results:
            rule, version = self.versions[name]
            condition = None if self.ctx is None else version.body.trace(self.ctx)
            found = self._steps[name] = Step(rule, version, self.results[name], self.missing(name), condition)
        return found

    def missing(self, name: str) -> frozenset[str]:
        """The facts that would decide the derived fact `name` (none when decided or unknowable)."""
        if self.ctx is None:
            return EMPTY
        return self.ctx.missing(name)

    def outcome(self, name: str) -> Outcome:
        return Outcome(self.results[name], self.missing(name))

    def steps(self) -> list[Step]:
        return [self.step(name) for name in self.results]  # type: ignore[misc]

    @property
    def has_trace(self) -> bool:
        return self.ctx is not None

    def to_json(self, trace: bool = True) -> dict:
        """The decision document (schemas/decision.schema.json); `spor` only with `trace`."""
        ruleset = self.ruleset
        entries = {name: _entry(ruleset, *self.versions[name], self.outcome(name)) for name in self.results}
        layout = ruleset.layout
        classification = {n: entries[n] for n in layout.classifications if n in entries}
        decision: dict[str, Any] = {
            "format": DECISION_FORMAT,
            "sag": _case_header(self.case, self.day),
            "regelsaet": {"navn": ruleset.name, "version": ruleset.version, "revision": ruleset.revision},
            "klassifikation": classification,
        }
        reported = list(classification.values())
        singles = [(key, name) for key, name in layout.singles if name in entries]
        for key, name in singles:
            decision[key] = entries[name]
            reported.append(entries[name])
        conditions = {layout.condition_key(n): entries[n] for n in layout.conditions if n in entries}
        if conditions:
            decision["betingelser"] = conditions
            reported.extend(conditions.values())
        notes = ruleset.period_notes(self.day) + self.notes  # known periods without rules are said first
        if not classification and not singles:
            notes.append(f"Ingen af reglerne gælder pr. {self.day.isoformat()}.")
        missing = set().union(*(e.get("mangler", []) for e in reported)) if reported else set()
        lacking, unreported = sort_facts(ruleset, missing), sort_facts(ruleset, self.unreported)
        decision.update(
            mangler=lacking,
            ikke_oplyst=unreported,
            felter={name: ruleset.field_of(name) for name in sort_facts(ruleset, set(lacking) | set(unreported))},
            bemaerkninger=notes,
        )
        if trace:
            decision["spor"] = [step.to_json() for step in self.steps()]
        if self.has_trace:
            from .changes import nearest_changes

            changes = nearest_changes(self)
            if changes:
                decision["aendringer"] = changes
        return decision


def decide(ruleset: Ruleset, case: dict, day: dt.date | None = None, trace: bool = False) -> Decision:
    """The decision for one (schema-valid) case, at `day` or else at the case's own date.

    Without `trace` each rule runs as its compiled closure and a trace is built later only where
    one is asked for; with it, every rule's trace is built as it is evaluated.
    """
    case_day = dt.date.fromisoformat(case["dato"])
    day = day or case_day
    at = ruleset.at(day)
    ctx = CaseContext(ruleset, at, case, day)
    results: dict[str, Any] = {}
    steps: dict[str, Step] = {}
    values, deciding = ctx.values, ctx.deciding
    for name, rule, version in at.in_force:
        if trace:
            condition = version.body.trace(ctx)
            result = results[name] = values[name] = condition.result
            found = deciding[name] = condition.deciding if version.body.undecided(result) else EMPTY
            steps[name] = Step(rule, version, result, found, condition)
        else:
            results[name] = values[name] = version.run(ctx)  # type: ignore[misc]
    notes = ([date_note(day, case_day)] if day != case_day else []) + ctx.notes(at.watched)
    decision = Decision(ruleset, case, day, results, notes, at.case_reads - ctx.facts.keys(), ctx)
    decision._steps = steps
    return decision


def evaluate(ruleset: Ruleset, case: dict, day: dt.date | None = None, trace: bool = True) -> dict:
    """The decision document for one (schema-valid) case; `trace` adds the full `spor`."""
    return decide(ruleset, case, day, trace).to_json(trace)


def derive(ruleset: Ruleset, case: dict, day: dt.date | None = None) -> dict[str, Any]:
    """Only the derived results (fact name → value), for bulk work such as impact reports."""
    day = day or dt.date.fromisoformat(case["dato"])
    return derive_in(CaseContext(ruleset, ruleset.at(day), case, day))


def derive_in(ctx: CaseContext) -> dict[str, Any]:
    """The derived results of the rules in force in `ctx`, in dependency order."""
    values = ctx.values
    out = {}
    for name, _, version in ctx.at.in_force:
        out[name] = values[name] = version.run(ctx)  # type: ignore[misc]
    return out


def outcomes(decision: dict) -> dict[str, Any]:
    """Every result a decision reports, flat (`klassifikation.parallelsamfund`, `afgoerelse`, ...):
    for comparing engines, runs and versions. A section is an entry (it names its rule) or a group
    of entries."""
    out = {}
    for key, value in decision.items():
        if isinstance(value, dict) and "regel" in value:
            out[key] = value["resultat"]
        elif isinstance(value, dict) and value and all(isinstance(e, dict) and "regel" in e for e in value.values()):
            out.update({f"{key}.{name}": entry["resultat"] for name, entry in value.items()})
    return out


def date_note(day: dt.date, case_day: dt.date) -> str:
    return f"Vurderet pr. {day.isoformat()} i stedet for sagens dato {case_day.isoformat()}."


def case_hash(case: dict) -> str:
    """A hash of the case's content (key order does not matter), so a decision names what it decided."""
    import hashlib

    from .jsonout import canonical

    return "sha256:" + hashlib.sha256(canonical(case)).hexdigest()


def _case_header(case: dict, day: dt.date) -> dict:
    sag = {"id": case["id"], "navn": case["navn"], "dato": day.isoformat()}
    if case.get("kommune"):
        sag["kommune"] = case["kommune"]
    sag["hash"] = case_hash(case)
    return sag


def sort_facts(ruleset: Ruleset, names: set[str] | frozenset[str]) -> list[str]:
    """Fact names in the catalogue's order (the order of the case format), history last."""
    rank = ruleset.fact_rank
    return sorted(names, key=lambda n: (rank.get(n.split(".")[0], len(rank)), n))


def _entry(ruleset: Ruleset, rule: Rule, version: Version, outcome: Outcome) -> dict:
    result, deciding = outcome
    entry = version.entry_json.copy()
    entry["resultat"] = result
    if isinstance(version.body, Choice) and result is not None:
        entry["vaerdi_navn"] = version.body.label(result)
    if rule.kind != "lov":
        entry["art"] = rule.kind
    if deciding:
        entry["mangler"] = sort_facts(ruleset, deciding)
    return entry
