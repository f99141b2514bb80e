"""`lbf-rules impact` lists exactly the cases that flip; `lbf-rules generate` is deterministic and valid."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from lbf_rules.cases import expand, read_cases
from lbf_rules.evaluator import derive
from lbf_rules.generate import corpus
from lbf_rules.impact import Rerun, outcome_names
from lbf_rules.ruleset import load_ruleset
from lbf_rules.schemas import fast_validator, schema
from tests.conftest import CASES, ROOT as ROOT_DIR, RULES

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
CASE_SCHEMA = Draft202012Validator(schema("case"), format_checker=FormatChecker())


def repo_with_changed_threshold(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(RULES, root / "rules")
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "regler"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    path = root / "rules" / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("              overstiger: 40\n", "              overstiger: 41\n", 1), encoding="utf-8")
    return root / "rules"


def flipped_independently(base_rules: Path, head_rules: Path) -> set[str]:
    base, head = load_ruleset(base_rules), load_ruleset(head_rules)
    names = outcome_names(head)
    out = set()
    for path in expand([CASES]):
        for item in read_cases(path):
            b, h = derive(base, item.data), derive(head, item.data)
            if any(b.get(n, "-") != h.get(n, "-") for n in names):
                out.add(item.data["id"])
    return out


def test_impact_lists_exactly_the_cases_that_flip_with_the_rule_that_flipped_them(run_cli, tmp_path):
    rules = repo_with_changed_threshold(tmp_path)
    result = run_cli("impact", "--base", "HEAD", "--regler", rules, "--format", "json", CASES)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    reported = {c["id"] for g in data["grupper"] for c in g["sager"]}
    assert reported == flipped_independently(RULES, rules)
    assert reported == {"syn-v2018-udsat-andel-uden-for-arbejdsmarked-over", "syn-v2021-udsat-andel-uden-for-arbejdsmarked-over"}
    (group,) = data["grupper"]
    assert (group["regel"], group["version"], group["kilde"]) == ("abl.61a.udsat_boligomraade", "2018", "almenboligloven § 61 a, stk. 1")
    change = group["sager"][0]["aendringer"]["udsat_boligomraade"]
    assert change == {"foer": True, "efter": False}


def test_impact_markdown_and_no_change(run_cli, tmp_path):
    rules = repo_with_changed_threshold(tmp_path)
    md = run_cli("impact", "--base", "HEAD", "--regler", rules, CASES).stdout
    assert md.startswith("## Konsekvenser af regelændringen (i forhold til `HEAD`)")
    assert "2 af " in md and "### abl.61a.udsat_boligomraade, version 2018 (2 sager)" in md
    assert "| syn-v2018-udsat-andel-uden-for-arbejdsmarked-over | 2019-12-01 | udsat_boligomraade: ja → nej" in md
    subprocess.run(["git", "-C", str(rules), "checkout", "-q", "--", "."], check=True)
    assert "Ingen af de" in run_cli("impact", "--base", "HEAD", "--regler", rules, CASES).stdout


def _edited_copy(tmp_path: Path, name: str, path: str, old: str, new: str) -> Path:
    root = tmp_path / name
    shutil.copytree(RULES, root)
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_impact_reruns_only_what_a_change_can_touch_and_gets_what_running_everything_gets(tmp_path):
    """The head's results from `Rerun` (reusing the base's result of every rule version written
    alike, reading the same parameter values and no changed result) are exactly the results of
    running every rule, for a threshold, a parameter value, a reworded reason and a changed facts
    catalogue (then nothing is reused), over every shipped case and 3,000 generated ones at their
    own dates."""
    base = load_ruleset(RULES)
    edits = {
        "grænse": ("almenboligloven/61a/udsat_boligomraade.yaml", "              overstiger: 40\n", "              overstiger: 41\n"),
        "parameter": ("parametre/vippen_arbejdsmarked_pct.yaml", "    vaerdi: 30\n", "    vaerdi: 27\n"),
        "ordlyd": ("almenboligloven/61a/parallelsamfund.yaml", "begrundelse: Området er en almen", "begrundelse: Omskrevet, området er en almen"),
        "fakta": ("fakta.yaml", "Hvor mange beboere har boligområdet?", "Hvor mange beboere bor der i boligområdet?"),
    }
    cases = [item.data for path in expand([CASES]) for item in read_cases(path, base)] + list(corpus(base, 3000, seed=11))
    for name, edit in edits.items():
        head = load_ruleset(_edited_copy(tmp_path, name, *edit))
        rerun = Rerun(base, head)
        reused = differs = 0
        for case in cases:
            day = dt.date.fromisoformat(case["dato"])
            before, after = rerun.results(case, day)
            expected_before, expected_after = derive(base, case, day), derive(head, case, day)
            assert list(before.items()) == list(expected_before.items()), (name, case["id"])
            assert [(k, type(v), v) for k, v in after.items()] == [(k, type(v), v) for k, v in expected_after.items()], (name, case["id"])
            differs += before != after
        for steps, _ in rerun._plans.values():
            reused += sum(1 for _, _, reusable in steps if reusable)
        assert (reused > 0) == (name != "fakta"), name  # the fast path was taken, except with another facts catalogue
        assert (differs > 0) == (name in ("grænse", "parameter")), (name, differs)  # and the edits did change results


def test_impact_with_jobs_gives_the_same_report(run_cli, tmp_path):
    rules = repo_with_changed_threshold(tmp_path)
    batch = tmp_path / "sager.jsonl"
    batch.write_text(run_cli("generate", "--antal", "1500", "--seed", "3", cwd=ROOT_DIR).stdout, encoding="utf-8")
    one = run_cli("impact", "--base", "HEAD", "--regler", rules, "--format", "json", batch, CASES)
    two = run_cli("impact", "--base", "HEAD", "--regler", rules, "--format", "json", "--jobs", "2", batch, CASES)
    assert one.returncode == 0 and json.loads(one.stdout)["aendrede_sager"] > 10
    assert (two.stdout, two.stderr, two.returncode) == (one.stdout, one.stderr, one.returncode)


def test_impact_with_an_unknown_base_is_a_clear_error(run_cli, tmp_path):
    rules = repo_with_changed_threshold(tmp_path)
    result = run_cli("impact", "--base", "no-such-ref", "--regler", rules, CASES)
    assert result.returncode == 2 and "'no-such-ref' findes ikke i git-historikken" in result.stderr


def test_generate_is_deterministic_valid_and_dense_around_thresholds(run_cli, tmp_path):
    first = run_cli("generate", "--antal", "300", "--seed", "5").stdout
    assert first == run_cli("generate", "--antal", "300", "--seed", "5").stdout
    assert first != run_cli("generate", "--antal", "300", "--seed", "6").stdout
    cases = [json.loads(line) for line in first.splitlines()]
    assert len(cases) == 300
    for case in cases:
        assert not list(CASE_SCHEMA.iter_errors(case))
    labour = [c["kriterier"].get("andel_uden_for_arbejdsmarked_pct") for c in cases]
    assert sum(1 for v in labour if v in (39.9, 39.99, 40.0, 40.01, 40.1)) >= 10
    assert run_cli("generate", "--antal", "50", "--ud", tmp_path / "c.jsonl").returncode == 0
    assert run_cli("check", "--format", "json", "--uden-spor", tmp_path / "c.jsonl").returncode == 0


def test_fast_validator_agrees_with_jsonschema(run_cli):
    """The compiled fast path may only accept what jsonschema accepts (it decides nothing else)."""
    fast = fast_validator("case")
    samples = [json.loads(line) for line in run_cli("generate", "--antal", "200", "--seed", "9").stdout.splitlines()]
    mutations = [("beboere", -1), ("beboere", "1000"), ("dato", "2019-02-30"), ("dato", "2019-2-3"), ("ukendt", 1),
                 ("kriterier", {"andel_doemte_pct": 101}), ("kriterier", {"andel_doemte_pct": {"over": 1, "x": 2}}),
                 ("historik", {"parallelsamfund": [2017, 2017]}), ("ansoegning", {"varighed_aar": 0}), ("id", "Has Space"),
                 ("dato", "2019-02-29"), ("dato", 20190101), ("navn", ""), ("beboere", 1000.5), ("beboere", True),
                 ("kriterier", {"andel_doemte_pct": None}), ("kriterier", {"andel_doemte_pct": {"over": 5, "under": 4}}),
                 ("problemer", {"vold": "ja"}), ("afgraenset_2010", "true"), ("kriterier", [])]
    for i, case in enumerate(samples):
        key, value = mutations[i % len(mutations)]
        bad = dict(case, **{key: value})
        for doc in (case, bad):
            valid = not list(CASE_SCHEMA.iter_errors(doc))
            assert fast(doc) == valid, (key, value, doc)
