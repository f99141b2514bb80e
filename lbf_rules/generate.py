"""`lbf-rules generate`: a synthetic corpus, dense around every threshold and version date.

Every case field comes from the facts catalogue (rules/fakta.yaml), drawn by its kind: a
percentage or a count near the limits the rules compare it with (the numbers in the comparisons and
the parameter values times their factors at the dates they apply), sometimes given only as a bound;
a yes/no answer; an amount; a number of years; a list whose items take the catalogue's values and
the fields the rules ask of them. Dates come from every version's start and end. So the corpus
follows the rules and the facts when they change, and a new case field needs no change here.
Deterministic for a given seed and rule revision.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from typing import Any

from .nodes import ListCheck
from .ruleset import Fact, Ruleset
from .values import scale

STEPS = [-0.1, -0.01, 0.0, 0.0, 0.01, 0.1]
MISSING = 0.06  # share of facts left out, so undetermined results are common too


def thresholds(ruleset: Ruleset) -> dict[str, list[float]]:
    """Every limit a comparison of each fact can have, at any date a parameter value starts."""
    out: dict[str, set[float]] = defaultdict(set)
    for rule in ruleset.rules.values():
        for version in rule.versions:
            for fact, limit in (pair for node in version.body.walk() for pair in node.limits()):
                if limit.parameter is None:
                    out[fact].add(limit.number)
                    continue
                for _, value, _ in ruleset.parameters[limit.parameter].values:
                    factors = [limit.factor]
                    if limit.factor_parameter:
                        factors = [v for _, v, _ in ruleset.parameters[limit.factor_parameter].values if v is not None]
                    if value is not None:
                        out[fact].update(scale(value, f) for f in factors)
    return {fact: sorted(values) for fact, values in out.items()}


def version_dates(ruleset: Ruleset) -> list[dt.date]:
    dates = {v.valid_from for r in ruleset.rules.values() for v in r.versions}
    dates |= {v.valid_to for r in ruleset.rules.values() for v in r.versions if v.valid_to}
    dates |= {d for p in ruleset.parameters.values() for d, _, _ in p.values}
    return sorted(dates)


class Generator:
    def __init__(self, ruleset: Ruleset, seed: int):
        self.rnd = random.Random(seed)
        self.ruleset = ruleset
        self.limits = thresholds(ruleset)
        self.dates = version_dates(ruleset)
        self.histories = sorted(
            {
                name
                for r in ruleset.rules.values()
                for v in r.versions
                for n in v.body.walk()
                for kind, name in n.watches()
                if kind == "historik"
            }
        )
        self.item_fields = {
            node.name: node.required
            for r in ruleset.rules.values()
            for v in r.versions
            for node in v.body.walk()
            if isinstance(node, ListCheck)
        }

    def near(self, fact: str, low: float, high: float) -> float | dict:
        """A value near one of the fact's limits (three times in four), otherwise anywhere in range;
        sometimes only a bound, as a source gives "over 50 %"."""
        rnd = self.rnd
        if rnd.random() < 0.75 and self.limits.get(fact):
            value = rnd.choice(self.limits[fact]) + rnd.choice(STEPS)
        else:
            value = rnd.uniform(low, high)
        value = round(min(high, max(low, value)), 2)
        if rnd.random() < 0.06:
            return {"over": value} if rnd.random() < 0.5 or value >= high else {"under": value}
        return value

    def count(self, fact: str) -> int | dict:
        rnd = self.rnd
        limits = [int(v) for v in self.limits.get(fact, [1000])]
        value = rnd.choice([*(v + d for v in limits for d in (-1, 0, 1)), rnd.randint(300, 6000)])
        return {"over": value - 1} if rnd.random() < 0.1 else value

    def value(self, name: str, fact: Fact, grant: int) -> Any:
        """A value for one fact, by its kind."""
        rnd = self.rnd
        if fact.kind == "procent":
            parameter = self.ruleset.parameters.get(name)
            if parameter is not None and parameter.case_may_supply:  # a national figure the case may give
                return round(rnd.uniform(0.5, 0.9), 3) if rnd.random() < 0.2 else None
            return self.near(name, 0.0, 100.0)
        if fact.kind == "antal":
            return self.count(name)
        if fact.kind == "kroner":  # the first amount is the grant; others are shares of it around 25 %
            return grant if name == self.first_amount else round(grant * rnd.choice([0.2, 0.3, 1 / 3, 0.34, 0.5]))
        if fact.kind == "aar":
            return rnd.choice([3, 4, 4, 4, 5])
        if fact.kind == "liste":
            return self.items(name, fact)
        return rnd.random() < 0.8  # yes/no

    def items(self, name: str, fact: Fact) -> list[dict]:
        rnd = self.rnd
        values = list(fact.item.values) if fact.item else ["ukendt"]
        field = fact.item.field if fact.item else "omraade"
        return [
            {field: value, **{f: rnd.random() < 0.95 for f in self.item_fields.get(name, [])}}
            for value in rnd.sample(values, min(len(values), rnd.randint(1, 3)))
        ]

    @property
    def first_amount(self) -> str | None:
        return next((n for n, f in self.ruleset.facts.items() if f.kind == "kroner"), None)

    def day(self) -> dt.date:
        rnd = self.rnd
        if rnd.random() < 0.5:
            return rnd.choice(self.dates) + dt.timedelta(days=rnd.choice([-1, 0, 0, 1]))
        return dt.date(2011, 1, 1) + dt.timedelta(days=rnd.randrange(16 * 365))

    def case(self, number: int) -> dict:
        rnd = self.rnd
        day = self.day()
        case: dict = {"id": f"gen-{number:06d}", "navn": f"Genereret område {number}", "dato": day.isoformat()}
        grant = rnd.randrange(2, 20) * 1_000_000
        for name, fact in self.ruleset.facts.items():
            if rnd.random() < MISSING:
                continue
            value = self.value(name, fact, grant)
            if value is None:
                continue
            target = case
            for part in fact.field[:-1]:
                target = target.setdefault(part, {})
            target[fact.field[-1]] = value
        case["historik"] = {name: sorted(rnd.sample(range(day.year - 6, day.year), rnd.randint(0, 6))) for name in self.histories}
        case["kilde"] = {"type": "syntetisk", "note": "lbf-rules generate"}
        return case


def corpus(ruleset: Ruleset, count: int, seed: int):
    generator = Generator(ruleset, seed)
    for number in range(1, count + 1):
        yield generator.case(number)


def write_jsonl(cases, out) -> int:
    n = 0
    for case in cases:
        out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n
