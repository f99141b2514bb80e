"""The repository around the workflow: schema hints resolve, CI and pre-commit run the real commands."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

HINT = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)
EXPECTED = {"rules/regelsaet.yaml": "ruleset", "rules/fakta.yaml": "facts", "rules/aabne_spoergsmaal.yaml": "open-points"}


def expected_schema(rel: str) -> str:
    if rel in EXPECTED:
        return EXPECTED[rel]
    if rel.startswith("rules/parametre/"):
        return "parameter"
    if rel.startswith("rules/"):
        return "rule"
    return "case"


@pytest.mark.parametrize("path", sorted(p for folder in ("rules", "cases") for p in (ROOT / folder).rglob("*.yaml")), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rule_and_case_file_points_editors_at_its_schema(path):
    match = HINT.search(path.read_text(encoding="utf-8"))
    assert match, "missing '# yaml-language-server: $schema=...' line"
    target = (path.parent / match.group(1)).resolve()
    assert target == (ROOT / "schemas" / f"{expected_schema(str(path.relative_to(ROOT)))}.schema.json").resolve()


def test_ci_workflow_runs_lint_tests_and_impact():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    commands = "\n".join(step.get("run", "") for step in workflow["jobs"]["tjek"]["steps"])
    assert "lbf-rules lint --format github" in commands
    assert "make test" in commands
    assert "lbf-rules impact --base" in commands and "GITHUB_STEP_SUMMARY" in commands


def test_pre_commit_runs_lint_and_test():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert any("lbf-rules lint" in e for e in entries) and any("lbf-rules test --coverage" in e for e in entries)


def test_contributing_and_pr_template_are_for_legal_staff():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for step in ("gyldig_til", "gyldig_fra", "hjemmel", "begrundelse", "lbf-rules lint", "impact"):
        assert step in guide
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "Juridisk hjemmel" in template and "Berørte perioder" in template
