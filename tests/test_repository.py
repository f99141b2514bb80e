"""The repository around the workflow: schema hints resolve, CI and pre-commit run the real commands."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, console_script

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
    assert "bash .github/impact.sh" in commands  # the impact step's script (tested below)
    script = (ROOT / ".github" / "impact.sh").read_text(encoding="utf-8")
    assert '"$bin" impact --base "$base"' in script and "GITHUB_STEP_SUMMARY" in script


def test_ci_workflow_runs_on_githubs_runners():
    """Actions pinned by version, the venv cached by the hash of pyproject.toml, the runner's own browser."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["tjek"]
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+\.\d+\.\d+", u) for u in uses), uses
    cache = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".venv" and "hashFiles('pyproject.toml')" in cache["with"]["key"]
    assert job["env"]["LBF_BROWSER"] == "/usr/bin/google-chrome"
    assert "apt-get" not in "\n".join(step.get("run", "") for step in job["steps"])


def fake_lbf_rules(folder: Path, impact_status: int) -> Path:
    """A stand-in for lbf-rules whose impact command ends with a given status (to exercise the script)."""
    path = folder / "lbf-rules"
    path.write_text(f"#!/bin/sh\nif [ \"$1\" = impact ]; then echo '# Rapport'; echo 'noget gik galt 100%' >&2; exit {impact_status}; fi\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("status", [70, 2])
def test_the_impact_step_fails_the_job_on_an_error(tmp_path, status):
    summary = tmp_path / "summary.md"
    env = {**os.environ, "LBF_RULES_BIN": str(fake_lbf_rules(tmp_path, status)), "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(["bash", str(ROOT / ".github" / "impact.sh"), "origin/main"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == status
    assert "::error title=Konsekvensrapport::" in done.stdout and "100%25" in done.stdout
    assert ("intern fejl" in done.stdout) == (status == 70)
    assert summary.read_text(encoding="utf-8") == "# Rapport\n"


def test_the_impact_step_writes_the_report_to_the_summary(tmp_path):
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=60)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "LBF_RULES_BIN": console_script(), "GITHUB_STEP_SUMMARY": str(summary), "LBF_IMPACT_ANTAL": "300"}
    done = subprocess.run(["bash", str(ROOT / ".github" / "impact.sh"), "HEAD"], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout and "Ingen af de" in summary.read_text(encoding="utf-8")


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
