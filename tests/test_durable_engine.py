"""The durable-rules engine against the evaluator: identical results on every case and on a
generated corpus dense around thresholds and version dates; its pitfalls handled."""

from __future__ import annotations

import json
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lbf_rules.cases import expand, read_cases
from lbf_rules.durable_engine import DurableEngine, EngineError, available
from lbf_rules.evaluator import evaluate, outcomes
from lbf_rules.generate import corpus
from tests.conftest import CASES

pytestmark = pytest.mark.skipif(available() is not None, reason=available() or "")



@pytest.fixture(scope="module")
def engine(ruleset):
    return DurableEngine(ruleset)


def assert_same(ruleset, engine, case):
    expected, got = evaluate(ruleset, case), engine.evaluate(case)
    if outcomes(expected) != outcomes(got):
        pytest.fail(f"disagreement on {case['id']}:\ncase: {json.dumps(case, ensure_ascii=False)}\n"
                    f"evaluator: {json.dumps(expected['spor'], ensure_ascii=False)[:4000]}\n"
                    f"durable: {json.dumps(got['spor'], ensure_ascii=False)}")


def test_identical_on_every_case(ruleset, engine):
    cases = [item.data for path in expand([CASES]) for item in read_cases(path)]
    assert len(cases) > 150
    for case in cases:
        assert_same(ruleset, engine, case)


def test_identical_on_a_generated_corpus(ruleset, engine):
    for case in corpus(ruleset, 3000, seed=11):
        assert_same(ruleset, engine, case)


def test_same_format_and_no_cross_talk_between_cases(ruleset, engine):
    cases = list(corpus(ruleset, 200, seed=4))
    interleaved = [engine.evaluate(c) for c in cases]
    fresh = DurableEngine(ruleset)
    for case, decision in zip(reversed(cases), reversed(interleaved)):
        assert outcomes(fresh.evaluate(case)) == outcomes(decision)
    assert set(interleaved[0]) >= {"sag", "regelsaet", "klassifikation", "mangler", "bemaerkninger", "spor"}
    assert any("durable-rules" in note for note in interleaved[0]["bemaerkninger"])


def test_actions_run_on_the_calling_thread(ruleset, engine):
    seen = set()
    original = engine._action

    def spy(derived, value, rule_name):
        inner = original(derived, value, rule_name)
        return lambda c: (seen.add(threading.get_ident()), inner(c))

    fresh = DurableEngine(ruleset)
    fresh._action = spy
    for case in corpus(ruleset, 50, seed=2):
        fresh.evaluate(case)
    assert seen == {threading.get_ident()}


def test_an_error_inside_an_action_surfaces_as_our_error(ruleset):
    broken = DurableEngine(ruleset)

    def failing(derived, value, rule_name):
        def run(c):
            raise RuntimeError("boom")
        return run

    broken._action = failing
    case = next(corpus(ruleset, 1, seed=1))
    with pytest.raises(EngineError, match="fejl i en handling"):
        broken.evaluate(case)


def test_check_command_with_the_durable_engine(run_cli):
    result = run_cli("check", "--engine", "durable", "--format", "json", CASES / "konstruerede" / "ringparken-2019-med-historik.yaml")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["klassifikation"]["omdannelsesomraade"]["resultat"] is True


def test_receipts_are_refused_with_the_durable_engine(run_cli, tmp_path):
    result = run_cli("check", "--engine", "durable", "--kvittering", tmp_path / "k.json", CASES / "reelle" / "agervang-2014.yaml")
    assert result.returncode == 2 and "kun med standardmotoren" in result.stderr
    assert not (tmp_path / "k.json").exists()


# -- native crashes: the cause fixed, and any other one contained ---------------------------------

EMPTY = {"id": "x", "navn": "X", "dato": "2019-12-01"}


def test_a_case_with_no_facts_survives_many_times(ruleset, engine):
    """A session in which no rule fired used to free uninitialised memory in durable-rules when it
    was deleted (SIGSEGV in text format, SIGABRT "free(): invalid pointer" in JSON)."""
    for day in ("2012-01-01", "2019-12-01", "2022-12-01", "2030-01-01"):
        for _ in range(300):
            decision = engine.evaluate({**EMPTY, "dato": day})
        assert outcomes(decision) == outcomes(evaluate(ruleset, {**EMPTY, "dato": day}))


@pytest.mark.parametrize("fmt", ["tekst", "json"])
def test_check_with_the_durable_engine_on_a_case_with_no_facts(run_cli, tmp_path, fmt):
    (tmp_path / "tom.yaml").write_text("id: x\nnavn: X\ndato: 2019-12-01\n", encoding="utf-8")
    result = run_cli("check", "--engine", "durable", "--format", fmt, "tom.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_native_crash_of_the_engine_process_becomes_one_clear_line(ruleset):
    import signal
    import sys

    from lbf_rules.durable_engine import IsolatedDurable
    from lbf_rules.errors import EngineFailure

    crashing = IsolatedDurable(ruleset, [sys.executable, "-c", f"import os; os.kill(os.getpid(), {int(signal.SIGSEGV)})"])
    with pytest.raises(EngineFailure, match=r"stoppede uventet \(signal SIGSEGV\) under sag 'x'"):
        crashing.evaluate(EMPTY)
    isolated = IsolatedDurable(ruleset)
    try:
        assert outcomes(isolated.evaluate(EMPTY)) == outcomes(evaluate(ruleset, EMPTY))
    finally:
        isolated.close()


def _paths(data, prefix=()):
    """Every leaf path of a case (a list counts as a leaf)."""
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from _paths(value, prefix + (key,))
        else:
            yield prefix + (key,)


def _without(case: dict, drop: set) -> dict:
    def strip(data, prefix):
        out = {}
        for key, value in data.items():
            path = prefix + (key,)
            if path in drop:
                continue
            out[key] = strip(value, path) if isinstance(value, dict) and value else value
        return out

    return strip(case, ())


@given(seed=st.integers(0, 10**6), keep=st.floats(0, 1), choice=st.randoms(use_true_random=False))
@settings(max_examples=int(os.environ.get("LBF_DURABLE_EXAMPLES", "150")), deadline=None, derandomize=True)
def test_cases_with_random_subsets_of_facts_agree_with_the_evaluator(ruleset, engine, seed, keep, choice):
    """A complete generated case with a random part of its facts left out, down to none at all."""
    full = next(corpus(ruleset, 1, seed=seed))
    optional = [p for p in _paths(full) if p[0] not in ("id", "navn", "dato")]
    drop = {p for p in optional if choice.random() > keep}
    case = _without(full, drop)
    assert_same(ruleset, engine, case)
