"""Three-valued logic, bounds, thresholds and version picking, on the real node classes."""

from __future__ import annotations

import datetime as dt

import pytest

from lbf_rules.evaluator import evaluate
from lbf_rules.nodes import CONDITION_KINDS, Builder
from lbf_rules.values import Bound, compare, scale


class Ctx:
    """A bare evaluation context: facts by name, nothing derived."""

    year = 2020

    def __init__(self, **facts):
        self.values = facts

    def missing(self, name):
        return frozenset({name})

    def parameter(self, name):
        return None, None

    def history(self, name):
        return None


def cmp(name, word, limit):
    return {"fakta": name, word: limit, "begrundelse": f"{name} {word} {limit}"}


class Evaluated:
    """A node built from its rule data, evaluated both ways: the compiled closure (no trace) and the
    typed trace. The two must agree; `evaluate` returns (result, deciding, trace JSON)."""

    def __init__(self, spec):
        self.node = Builder(lambda detail, number=None: "test", lambda path: 1, set(), CONDITION_KINDS).condition(spec, ())

    def evaluate(self, ctx, trace):
        fast = self.node.compile()(ctx)
        typed = self.node.trace(ctx)
        assert fast is typed.result
        return typed.result, typed.deciding, typed.to_json() if trace else None


def node(spec):
    return Evaluated(spec)


def at_least(k, n=4):
    return node({"mindst": k, "af": [cmp(f"f{i}", "overstiger", 10) for i in range(n)], "begrundelse": "k af n"})


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"f0": 11, "f1": 11}, True),  # 2 met, 2 unknown: decided
        ({"f0": 1, "f1": 1, "f2": 1}, False),  # 3 failed of 4: decided
        ({"f0": 11, "f1": 1, "f2": 1}, None),  # 1 met, 1 unknown, needs 2
        ({}, None),
        ({"f0": 11, "f1": 11, "f2": 11, "f3": 11}, True),
        ({"f0": 1, "f1": 1, "f2": 1, "f3": 1}, False),
    ],
)
def test_at_least_k_of_n_is_decided_as_soon_as_known_values_decide_it(values, expected):
    result, deciding, trace = at_least(2).evaluate(Ctx(**values), True)
    assert result is expected
    if expected is None:
        assert deciding == {f"f{i}" for i in range(4)} - set(values)
    else:
        assert deciding == set()
    assert trace["opfyldt"] == sum(1 for v in values.values() if v > 10)


def test_all_any_not_follow_kleene_logic():
    t, f = cmp("a", "overstiger", 0), cmp("b", "overstiger", 100)
    u = cmp("missing", "overstiger", 0)
    ctx = Ctx(a=1, b=1)
    assert node({"alle": [t, u], "begrundelse": "x"}).evaluate(ctx, False)[0] is None
    assert node({"alle": [f, u], "begrundelse": "x"}).evaluate(ctx, False)[0] is False
    assert node({"nogen": [t, u], "begrundelse": "x"}).evaluate(ctx, False)[0] is True
    assert node({"nogen": [f, u], "begrundelse": "x"}).evaluate(ctx, False)[0] is None
    assert node({"ikke": u, "begrundelse": "x"}).evaluate(ctx, False)[:2] == (None, {"missing"})
    assert node({"ikke": f, "begrundelse": "x"}).evaluate(ctx, False)[0] is True


def test_deciding_facts_skip_branches_that_no_longer_matter():
    spec = {"alle": [cmp("a", "overstiger", 0), {"nogen": [cmp("b", "overstiger", 0), cmp("c", "overstiger", 0)], "begrundelse": "x"}], "begrundelse": "y"}
    result, deciding, _ = node(spec).evaluate(Ctx(a=1), False)
    assert (result, deciding) == (None, {"b", "c"})
    result, deciding, _ = node(spec).evaluate(Ctx(a=-1), False)
    assert (result, deciding) == (False, set())


@pytest.mark.parametrize(
    "op, value, limit, expected",
    [
        (">", 40.0, 40, False), (">", 40.1, 40, True), ("≥", 1.98, 1.98, True), ("≥", 1.97, 1.98, False),
        ("<", 55.0, 55, False), ("<", 54.9, 55, True), ("≤", 55.0, 55, True),
    ],
)
def test_operators_at_the_threshold(op, value, limit, expected):
    assert compare(op, value, limit) is expected


@pytest.mark.parametrize(
    "bound, op, limit, expected",
    [
        (Bound(under=50), ">", 50, False),
        (Bound(over=50), ">", 50, True),
        (Bound(over=40), ">", 50, None),
        (Bound(over=60, under=70), "<", 55, False),
        (Bound.from_data({"over": 999}, whole=True), "≥", 1000, True),
        (Bound.from_data({"over": 998}, whole=True), "≥", 1000, None),
        (Bound.from_data({"under": 1000}, whole=True), "≥", 1000, False),
        (Bound(over=50), "≥", 50, True),
        (Bound(under=50), "≤", 50, True),
    ],
)
def test_bounds_decide_only_what_they_can(bound, op, limit, expected):
    assert compare(op, bound, limit) is expected


def test_a_bound_decides_a_comparison_only_as_every_value_inside_it_would():
    """Exhaustive over small bounds and limits near their edges, whole and fractional."""
    import itertools

    checked = 0
    for a, b, which, whole, op, offset in itertools.product(range(5), range(5), ("over", "under", "both"), (True, False), (">", "≥", "<", "≤"), range(-2, 3)):
        data = {"over": min(a, b), "under": max(a, b) + 1} if which == "both" else {which: a}
        limit = (data["over"] if "over" in data and offset <= 0 else data.get("under", a)) + offset
        decided = compare(op, Bound.from_data(data, whole=whole), limit)
        low, high = data.get("over", -5), data.get("under", 25)
        inside = [v for v in range(low + 1, high)] if whole else [low + 1e-9, (low + high) / 2, high - 1e-9]
        if decided is not None:
            checked += 1
            for value in inside:
                assert compare(op, value, limit) is decided, (data, whole, op, limit, value)
    assert checked > 1000


def test_parameter_products_are_exact_decimals():
    assert 3 * 0.7 != 2.1  # the float trap this guards against
    assert scale(0.7, 3) == 2.1
    assert scale(0.66, 3) == 1.98
    assert scale(0.725, 2) == 1.45


def test_version_in_force_is_picked_by_date(ruleset):
    rule = ruleset.rules["parallelsamfund"]
    assert rule.version_at(dt.date(2010, 12, 31)) is None
    assert rule.version_at(dt.date(2011, 1, 1)).name == "2010"
    assert rule.version_at(dt.date(2018, 11, 30)).name == "2013"
    assert rule.version_at(dt.date(2018, 12, 1)).name == "2018"
    assert rule.version_at(dt.date(2021, 11, 29)).name == "2018"
    assert rule.version_at(dt.date(2021, 11, 30)).name == "2021"


def test_derived_facts_are_evaluated_after_what_they_use(ruleset):
    order = list(ruleset.rules)
    assert order.index("boligomraade") < order.index("udsat_boligomraade") < order.index("parallelsamfund") < order.index("omdannelsesomraade")


def test_same_case_same_decision_and_date_option(ruleset):
    case = {"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1200, "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65}}
    assert evaluate(ruleset, case) == evaluate(ruleset, dict(case))
    earlier = evaluate(ruleset, case, dt.date(2015, 12, 1))
    assert earlier["sag"]["dato"] == "2015-12-01"
    assert set(earlier["klassifikation"]) == {"parallelsamfund"}
    assert any("i stedet for sagens dato 2019-12-01" in n for n in earlier["bemaerkninger"])


def test_history_years_not_before_the_case_year_are_ignored_and_noted(ruleset):
    case = {"id": "agervang-2014", "navn": "Agervang", "dato": "2019-12-01", "beboere": 1453,
            "kriterier": {"andel_ikkevestlige_pct": 60, "andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65},
            "historik": {"parallelsamfund": [2016, 2017, 2018, 2019, 2020]}}
    decision = evaluate(ruleset, case)
    assert decision["klassifikation"]["omdannelsesomraade"]["resultat"] is False  # 2015 is missing
    assert any("2019, 2020" in n for n in decision["bemaerkninger"])


def test_case_value_for_a_known_parameter_is_noted_not_used(ruleset):
    case = {"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1200,
            "kriterier": {"andel_doemte_pct": 2.0, "landsgennemsnit_doemte_pct": 0.9}}
    decision = evaluate(ruleset, case)
    step = next(s for s in decision["spor"] if s["udleder"] == "udsat_boligomraade")
    crime = step["betingelse"]["dele"][1]["dele"][1]
    assert crime["graense"] == 1.98 and crime["graense_fra"]["fra"] == "regelsaet" and crime["resultat"] is True
    assert any("0.9" in n for n in decision["bemaerkninger"])
