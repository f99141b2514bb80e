"""`lbf-rules test`: mismatches are reported with the trace; coverage and its threshold."""

from __future__ import annotations

import shutil

from lbf_rules.casetest import mismatches
from lbf_rules.ruleset import Layout
from tests.conftest import CASES, ROOT

LAYOUT = Layout.of({"klassifikationer": ["parallelsamfund"], "stoetteberettiget": "stoetteberettiget", "prioritet": "prioritet",
                    "betingelser": ["betingelse_varighed"], "afgoerelse": "afgoerelse"})


def test_mismatches_name_every_part_that_differs():
    decision = {"klassifikation": {"parallelsamfund": {"resultat": True, "navn": "Ghettoområde"}},
                "prioritet": {"resultat": "bevilling"}, "betingelser": {"varighed": {"resultat": False}}, "aendringer": []}
    case = {"forventet": {"klassifikation": {"parallelsamfund": False}, "navne": {"parallelsamfund": "Parallelsamfund"},
                          "prioritet": "fuld_bevilling", "betingelser": {"varighed": True}, "findes_ikke": ["prioritet"],
                          "aendringer": ["noget"]}}
    found = {what for what, _, _ in mismatches(case, decision, LAYOUT)}
    assert found == {"parallelsamfund", "parallelsamfund.navn", "prioritet", "betingelse varighed", "aendringer"}
    assert mismatches({"forventet": {"klassifikation": {"parallelsamfund": True}}}, decision, LAYOUT) == []


def test_all_project_cases_pass_with_full_coverage(run_cli):
    result = run_cli("test", "--coverage", "--threshold", "100", cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Samlet dækning: 100.0 %" in result.stdout
    assert result.stdout.rstrip().endswith(" passed, 0 failed")


def test_a_wrong_expectation_is_reported_with_the_trace(run_cli, tmp_path):
    shutil.copy(CASES / "reelle" / "agervang-2014.yaml", tmp_path / "agervang.yaml")
    path = tmp_path / "agervang.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    parallelsamfund: true\n  navne", "    parallelsamfund: false\n  navne"), encoding="utf-8")
    result = run_cli("test", path, cwd=ROOT)
    assert result.returncode == 1
    assert "✗ agervang-2014" in result.stdout
    assert "parallelsamfund: forventet false, fik true" in result.stdout
    assert "✓ Ghettoområde: JA" in result.stdout  # the trace
    assert "0 passed, 1 failed" in result.stdout


def test_low_coverage_fails_the_threshold(run_cli):
    result = run_cli("test", "--coverage", "--threshold", "90", CASES / "reelle", cwd=ROOT)
    assert result.returncode == 1
    assert "under grænsen 90 %" in result.stderr
    assert "✗ lbf.regulativ.varighed version 2019-26: 0 sager" in result.stdout  # no real case is from 2020 on
