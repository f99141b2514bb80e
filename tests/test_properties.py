"""Property-based tests over generated cases (hypothesis).

CI runs a fixed, derandomised profile; `make egenskaber-stor` runs many more examples.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from lbf_rules.nodes import Group
from lbf_rules.evaluator import evaluate
from lbf_rules.ruleset import load_ruleset
from lbf_rules.yamlio import Document
from lbf_rules.cases import check_case
from tests.conftest import ROOT, RULES

settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("stor", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("LBF_HYPOTHESIS", "ci"))

RULESET = load_ruleset(RULES)
DECISION = Draft202012Validator(json.loads((ROOT / "schemas" / "decision.schema.json").read_text()), format_checker=FormatChecker())
SHARES = ["andel_ikkevestlige_pct", "andel_uden_for_arbejdsmarked_pct", "andel_doemte_pct", "andel_kun_grundskole_pct"]
INCOME = "indkomst_ift_region_pct"
# Version dates, so generated dates land on both sides of every one of them.
EDGES = sorted({v.valid_from for r in RULESET.rules.values() for v in r.versions} | {v.valid_to for r in RULESET.rules.values() for v in r.versions if v.valid_to})
LIMITS = [2.7, 1.98, 1.45, 30, 40, 50, 55, 60, 65]

dates = st.one_of(
    st.dates(dt.date(2010, 6, 1), dt.date(2027, 12, 31)),
    st.builds(lambda d, k: d + dt.timedelta(days=k), st.sampled_from(EDGES), st.integers(-1, 0)),
)
numbers = st.one_of(
    st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
    st.builds(lambda t, d: round(min(100, max(0, t + d)), 2), st.sampled_from(LIMITS), st.sampled_from([-0.1, -0.01, 0, 0.01, 0.1])),
)


def bound(values):
    return st.builds(lambda a, b: {"over": min(a, b), "under": max(a, b) + 2}, values, values) | values.map(lambda a: {"over": a}) | values.map(lambda a: {"under": a + 1})


def case_strategy(allow_unknown: bool = True, allow_bounds: bool = True):
    share = numbers
    residents = st.one_of(st.integers(0, 6000), st.sampled_from([999, 1000, 1001]))
    if allow_bounds:
        near = st.builds(lambda t, d: max(0, int(t) + d), st.sampled_from(LIMITS), st.integers(-2, 1))
        share = share | bound(st.integers(0, 98) | near)
        residents = residents | bound(st.integers(500, 2000) | st.integers(996, 1002))
    if allow_unknown:
        share = st.none() | share
        residents = st.none() | residents
    income = st.none() | st.floats(0, 200, allow_nan=False).map(lambda x: round(x, 1)) if allow_unknown else st.floats(0, 200, allow_nan=False).map(lambda x: round(x, 1))
    history = st.lists(st.integers(2008, 2027), unique=True, max_size=8)
    return st.fixed_dictionaries(
        {"id": st.just("gen"), "navn": st.just("Genereret"), "dato": dates.map(dt.date.isoformat), "beboere": residents,
         "kriterier": st.fixed_dictionaries({**{k: share for k in SHARES}, INCOME: income,
                                             "landsgennemsnit_doemte_pct": st.none() | st.sampled_from([0.1, 0.6, 0.7, 0.8])}),
         "afgraenset_2010": (st.none() | st.booleans()) if allow_unknown else st.just(True) | st.booleans(),
         "historik": (st.none() | history) if allow_unknown else history}
    ).map(_drop_none)


def _drop_none(case: dict) -> dict:
    """Unknown facts are left out (the other way of saying unknown than null)."""
    case = {k: v for k, v in case.items() if v is not None}
    case["kriterier"] = {k: v for k, v in case["kriterier"].items() if v is not None}
    if "historik" in case:
        case["historik"] = {"parallelsamfund": case["historik"]}
    return case


def results(decision: dict) -> dict:
    return {k: v["resultat"] for k, v in decision["klassifikation"].items()}


@given(case_strategy())
def test_no_schema_valid_case_crashes_and_every_decision_is_valid(case):
    check_case(Document(case, "generated"))  # the generator only makes valid cases
    decision = evaluate(RULESET, case)
    errors = list(DECISION.iter_errors(decision))
    assert not errors, errors[0]
    entries = [*decision["klassifikation"].values(), *decision.get("betingelser", {}).values()]
    entries += [decision[k] for k in ("stoetteberettiget", "prioritet", "afgoerelse") if k in decision]
    assert bool(decision["mangler"]) == any("mangler" in e for e in entries)
    assert all((e["resultat"] is None) <= ("mangler" in e) for e in entries)


def _fill(rnd: random.Random, value, low=0.0, high=100.0, whole=False):
    """A concrete value consistent with what is known: anything if unknown, inside a bound."""
    if isinstance(value, dict):
        low = value.get("over", low - 1) + 1 if whole else value.get("over", low) + 0.001
        high = value.get("under", high + 1) - 1 if whole else value.get("under", high) - 0.001
    elif value is not None:
        return value
    # Often at an edge of what is known: that is where a wrong bound comparison shows.
    if whole:
        return rnd.choice([int(low), int(high), rnd.randint(int(low), int(high))])
    return rnd.choice([round(low, 3), round(high, 3), round(rnd.uniform(low, high), 3)])


@given(case_strategy(), st.randoms(use_true_random=False))
def test_filling_in_unknown_facts_never_changes_a_decided_result(case, rnd):
    before = results(evaluate(RULESET, case))
    filled = json.loads(json.dumps(case))
    filled["beboere"] = _fill(rnd, case.get("beboere"), 0, 6000, whole=True)
    filled["afgraenset_2010"] = case.get("afgraenset_2010", rnd.choice([True, False]))
    for name in SHARES:
        filled["kriterier"][name] = _fill(rnd, case["kriterier"].get(name))
    filled["kriterier"][INCOME] = _fill(rnd, case["kriterier"].get(INCOME), 0, 200)
    filled["kriterier"]["landsgennemsnit_doemte_pct"] = case["kriterier"].get("landsgennemsnit_doemte_pct") or 0.7
    if "historik" not in case:
        filled["historik"] = {"parallelsamfund": sorted(rnd.sample(range(2008, 2028), rnd.randint(0, 8)))}
    after = results(evaluate(RULESET, filled))
    assert set(after) == set(before)
    assert all(v is not None for v in after.values()), after
    for name, value in before.items():
        if value is not None:
            assert after[name] == value, (name, case, filled)


WORSE = st.sampled_from([*(("kriterier", k, +1) for k in SHARES), ("kriterier", INCOME, -1), (None, "beboere", +1)])


@given(case_strategy(allow_unknown=False, allow_bounds=False), WORSE, st.floats(0.01, 50, allow_nan=False), st.lists(st.integers(2008, 2027), max_size=4))
def test_a_worse_indicator_or_longer_history_never_takes_an_area_off_a_list(case, worse, amount, more_years):
    before = results(evaluate(RULESET, case))
    group, name, sign = worse
    worse_case = json.loads(json.dumps(case))
    target = worse_case["kriterier"] if group else worse_case
    if name == "beboere":
        target[name] = case[name] + int(amount * 10) + 1
    else:
        target[name] = round(min(100 if name != INCOME else 200, max(0, target[name] + sign * amount)), 3)
    worse_case["historik"]["parallelsamfund"] = sorted(set(case["historik"]["parallelsamfund"]) | set(more_years))
    after = results(evaluate(RULESET, worse_case))
    for key, value in before.items():
        if value is True:
            assert after[key] is True, (key, name, case, worse_case)


RAW_VERSIONS = {
    yaml.safe_load(p.read_text(encoding="utf-8"))["udleder"]: [
        (v["version"], dt.date.fromisoformat(v["gyldig_fra"]), dt.date.fromisoformat(v["gyldig_til"]) if "gyldig_til" in v else dt.date.max)
        for v in yaml.safe_load(p.read_text(encoding="utf-8"))["versioner"]
    ]
    for p in RULES.rglob("*.yaml") if p.parent.name not in ("rules", "parametre")
}


@given(dates)
def test_the_version_used_is_the_one_whose_dates_contain_the_case_date(day):
    decision = evaluate(RULESET, {"id": "x", "navn": "X", "dato": day.isoformat()})
    for name, versions in RAW_VERSIONS.items():
        containing = [label for label, start, end in versions if start <= day < end]
        assert len(containing) <= 1
        used = [s["version"] for s in decision["spor"] if s["udleder"] == name]
        assert used == containing, (name, day)


def _shuffled_ruleset(seed: int):
    shuffled = load_ruleset(RULES)
    rnd = random.Random(seed)
    for rule in shuffled.rules.values():
        for version in rule.versions:
            for node in version.body.walk():
                if isinstance(node, Group):
                    rnd.shuffle(node.parts)
            version.run = version.body.compile()  # as loading would have compiled the shuffled data
    return shuffled


SHUFFLED = [_shuffled_ruleset(seed) for seed in range(3)]


@given(case_strategy(), st.randoms(use_true_random=False), st.sampled_from(SHUFFLED))
def test_the_result_does_not_depend_on_the_order_of_keys_or_conditions(case, rnd, shuffled):
    expected = evaluate(RULESET, case)
    items = list(case.items())
    rnd.shuffle(items)
    reordered = dict(items)
    crit = list(case["kriterier"].items())
    rnd.shuffle(crit)
    reordered["kriterier"] = dict(crit)
    assert evaluate(RULESET, reordered) == expected
    other = evaluate(shuffled, case)
    assert results(other) == results(expected)
    assert other["mangler"] == expected["mangler"]



@given(st.integers(0, 10**18), st.lists(st.integers(0, 10**15), min_size=1, max_size=4), st.floats(0, 10**9, allow_nan=False))
def test_a_share_of_whole_amounts_is_the_exact_share_rounded_once(part, others, decimal):
    """The share of a budget computed from whole kroner (int division, the fast path) is the exact
    fraction rounded once to the nearest double, as the Fraction path gives; with a decimal among the
    amounts the Fraction path is taken and agrees with the decimals as written."""
    from fractions import Fraction

    from lbf_rules.nodes.calculation import Calculation
    from lbf_rules.nodes.base import Head
    from lbf_rules.values import exact

    names = [f"b{i}" for i in range(len(others))]
    calc = Calculation(Head(None, "andel", "", None), "a", ["a", *names])
    known = {"a": part, **dict(zip(names, others))}
    total = part + sum(others)
    expected = None if total == 0 else float(Fraction(part * 100, total))
    assert calc.compute(known) == expected
    known[names[0]] = decimal
    total = exact(part) + exact(decimal) + sum(exact(o) for o in others[1:])
    assert calc.compute(known) == (None if total == 0 else float(exact(part) * 100 / total))
