"""One evaluator contract for Python and JavaScript.

1. tests/conformance/betingelser.yaml: hand-written vectors (a node as in a rule file, the case's
   facts, the expected result and missing facts) that both the Python node kinds and the browser
   self-check's evaluator (docs/assets/selvtjek.js, run under node) must pass.
2. The same generated corpus the durable engine is checked on, decided by both: every result and
   every missing fact must agree.
3. The export the self-check evaluates matches its schema (schemas/export.schema.json).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
import yaml
from jsonschema import Draft202012Validator

from lbf_rules.evaluator import evaluate, outcomes
from lbf_rules.export import export
from lbf_rules.generate import corpus
from lbf_rules.nodes import CONDITION_KINDS, Builder, parse_body
from lbf_rules.ruleset import load_ruleset
from lbf_rules.values import Bound
from tests.conftest import ROOT, RULES

VECTORS = yaml.safe_load((ROOT / "tests" / "conformance" / "betingelser.yaml").read_text(encoding="utf-8"))
SELVTJEK = ROOT / "docs" / "assets" / "selvtjek.js"
HARNESS = ROOT / "tests" / "conformance" / "selvtjek_node.js"
RULESET = load_ruleset(RULES)


def node_js(payload: dict):
    node = shutil.which("node")
    assert node, "node is needed to run the self-check's evaluator (Debian: apt-get install nodejs)"
    done = subprocess.run([node, str(HARNESS), str(SELVTJEK)], input=json.dumps(payload), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class Ctx:
    """The evaluation context of one vector: facts by name, dated parameters, history."""

    def __init__(self, vector: dict):
        self.year = vector.get("aar", 2022)
        self.day = dt.date(self.year, 6, 1)
        kinds = VECTORS["typer"]
        self.values = {name: Bound.from_data(v, kinds[name] == "antal") if isinstance(v, dict) else v for name, v in vector.get("fakta", {}).items()}
        self.params = vector.get("parametre", {})
        self.histories = vector.get("historik", {})

    def missing(self, name: str) -> frozenset[str]:
        return frozenset({name})

    def parameter(self, name: str):
        spec = self.params[name]
        if spec["vaerdi"] is not None:
            return spec["vaerdi"], "regelsaet"
        supplied = self.values.get(name) if spec.get("kan_oplyses_i_sag") else None
        return (supplied, "sag") if supplied is not None and not isinstance(supplied, Bound) else (None, None)

    def history(self, name: str):
        years = self.histories.get(name)
        return None if years is None else [y for y in years if y < self.year]

    def items(self, name: str):
        value = self.values.get(name)
        return value if isinstance(value, list) else None


def build(vector: dict):
    cite = lambda detail=None, number=None: "kilde"  # noqa: E731
    if "krop" in vector:
        return parse_body(vector["krop"], cite, lambda path: 1, (), set())
    return Builder(cite, lambda path: 1, set(), CONDITION_KINDS).condition(vector["knude"], ())


@pytest.mark.parametrize("vector", VECTORS["eksempler"], ids=[v["navn"] for v in VECTORS["eksempler"]])
def test_the_python_node_kinds_meet_every_vector(vector):
    node, ctx, want = build(vector), Ctx(vector), vector["forventet"]
    trace = node.trace(ctx)
    assert node.compile()(ctx) == trace.result == want["resultat"]
    assert sorted(trace.deciding) == sorted(want["mangler"])


def test_the_browser_self_check_meets_every_vector():
    kinds = VECTORS["typer"]
    payload = []
    for vector in VECTORS["eksempler"]:
        parameters = {name: {"vaerdier": [["0001-01-01", spec["vaerdi"]]], "kan_oplyses_i_sag": spec.get("kan_oplyses_i_sag", False)}
                      for name, spec in vector.get("parametre", {}).items()}
        payload.append({
            "rules": {"fakta": {name: {"felt": [name], "type": kind} for name, kind in kinds.items()}, "parametre": parameters},
            "sag": {**vector.get("fakta", {}), "historik": vector.get("historik", {})},
            "dato": f"{vector.get('aar', 2022)}-06-01",
            "knude": build(vector).export(),
        })
    results = node_js({"vectors": payload})
    for vector, got in zip(VECTORS["eksempler"], results):
        want = vector["forventet"]
        assert (got["r"], sorted(got["d"])) == (want["resultat"], sorted(want["mangler"])), vector["navn"]


def test_both_evaluators_decide_a_generated_corpus_alike():
    """The corpus the durable engine is checked on, dense around every threshold and date."""
    cases = list(corpus(RULESET, 2000, seed=11))
    browser = node_js({"rules": export(RULESET), "cases": cases})
    disagreements = []
    for case, theirs in zip(cases, browser):
        ours = evaluate(RULESET, case, trace=False)
        if outcomes(theirs) != outcomes(ours) or set(theirs["mangler"]) != set(ours["mangler"]):
            disagreements.append(case["id"])
    assert not disagreements, f"{len(disagreements)} sager afgøres forskelligt, fx {disagreements[:5]}"


def test_the_export_matches_its_schema():
    schema = json.loads((ROOT / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(json.dumps(export(RULESET)))))
    assert not errors, errors[0]
