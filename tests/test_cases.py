"""Every case in cases/ against the outcome it states, with the real rule files."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

import pytest

from lbf_rules.casetest import mismatches
from lbf_rules.cases import expand, read_cases
from lbf_rules.errors import InputError
from lbf_rules.evaluator import evaluate
from tests import synthetic_cases
from tests.conftest import CASES, ROOT

DECISION = Draft202012Validator(json.loads((ROOT / "schemas" / "decision.schema.json").read_text()), format_checker=FormatChecker())


def all_cases():
    out = []
    for path in expand([CASES]):
        for item in read_cases(path):
            out.append(pytest.param(item, id=str(path.relative_to(CASES))))
    return out


CASE_PARAMS = all_cases()


def test_there_are_real_and_synthetic_cases():
    kinds = [p.values[0].data["kilde"]["type"] for p in CASE_PARAMS if not isinstance(p.values[0], InputError)]
    assert kinds.count("reel") >= 10
    assert kinds.count("syntetisk") >= 100


@pytest.mark.parametrize("item", CASE_PARAMS)
def test_case_gives_its_expected_outcome(item, ruleset):
    assert not isinstance(item, InputError), item.oneline()
    case = item.data
    assert "forventet" in case, "every case file states its expected outcome"
    decision = evaluate(ruleset, case)
    errors = list(DECISION.iter_errors(decision))
    assert not errors, errors[0]
    wrong = mismatches(case, decision, ruleset.layout)
    assert not wrong, wrong


@pytest.mark.parametrize("item", [p for p in CASE_PARAMS if p.values[0].data.get("kilde", {}).get("type") in ("reel", "konstrueret")])
def test_real_case_expectation_agrees_with_the_published_list(item):
    """A real (or constructed) case may be undetermined for missing data, but never contradict the published list."""
    case = item.data
    assert case["kilde"].get("url"), "a real case names its source"
    expected = case["forventet"]["klassifikation"]
    for name, published in case["offentliggjort"].items():
        assert expected.get(name) in (published, None), f"{name}: expected {expected.get(name)}, published {published}"


def test_real_and_constructed_cases_reach_the_published_statuses_and_are_kept_apart():
    """Real rows reach what their sources allow. No published row since 1 December 2018 gives the number
    of residents, nor the history an omdannelsesområde needs, so only the constructed case (residents and
    history inferred from the outcome) reaches those statuses, and it is never counted or listed as real."""
    reached: dict[str, set] = {"reel": set(), "konstrueret": set()}
    for p in CASE_PARAMS:
        case = p.values[0].data
        kind = case.get("kilde", {}).get("type")
        folder = Path(p.id).parts[0]
        assert (folder == "reelle") == (kind == "reel"), p.id
        assert (folder == "konstruerede") == (kind == "konstrueret"), p.id
        if kind in reached:
            for name, value in case["forventet"]["klassifikation"].items():
                if value is not None and value == case["offentliggjort"].get(name):
                    reached[kind].add((name, value))
    assert {("parallelsamfund", True), ("parallelsamfund", False)} <= reached["reel"]
    assert {("udsat_boligomraade", True), ("omdannelsesomraade", True)} <= reached["konstrueret"]


def test_funding_case_files_are_what_the_generator_writes():
    from tests import funding_cases

    written = {p.relative_to(funding_cases.ROOT): p.read_text(encoding="utf-8") for folder in ("stoette", "portefoelje") for p in (funding_cases.ROOT / folder).glob("*.yaml")}
    assert written == funding_cases.files(), "run 'python -m tests.funding_cases' and commit the result"


def test_every_tier_condition_and_outcome_is_reached_by_a_case(ruleset):
    reached: dict[str, set] = {"prioritet": set(), "afgoerelse": set()}
    conditions: dict[str, set] = {}
    for p in CASE_PARAMS:
        decision = evaluate(ruleset, p.values[0].data)
        for key in reached:
            if key in decision:
                reached[key].add(decision[key]["resultat"])
        for name, entry in decision.get("betingelser", {}).items():
            conditions.setdefault(name, set()).add(entry["resultat"])
    assert reached["prioritet"] >= {"fuld_bevilling", "bevilling", "reduceret_bevilling", "konkret_vurdering", "ikke_prioriteret", "ikke_stoetteberettiget", None}
    assert reached["afgoerelse"] >= {"kan_bevilges", "kan_ikke_bevilges", "kan_ikke_bevilges_som_ansoegt", "kraever_konkret_vurdering", "kan_ikke_afgoeres"}
    for name, seen in conditions.items():
        assert seen >= {True, False, None}, (name, seen)


def test_synthetic_case_files_are_what_the_generator_writes():
    written = {p.relative_to(synthetic_cases.OUT): p.read_text(encoding="utf-8") for p in synthetic_cases.OUT.rglob("*.yaml")}
    assert written == synthetic_cases.files(), "run 'python -m tests.synthetic_cases' and commit the result"


def test_synthetic_thresholds_cover_every_operator_position():
    names = {Path(k).stem for k in synthetic_cases.files()}
    for where in ("under", "paa", "over"):
        assert any(n.endswith(f"-{where}") for n in names)
    assert {"v2010-beboere-999", "v2010-beboere-1000", "v2010-beboere-1001"} <= names
