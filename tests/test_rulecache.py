"""The cache of validated rule documents: same decisions, invalidated by any change, never trusted blindly."""

from __future__ import annotations

import json
import shutil

from lbf_rules import rulecache
from lbf_rules.evaluator import evaluate
from lbf_rules.ruleset import load_ruleset, revision
from tests.conftest import CASES, RULES

CASE = {"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1200, "afgraenset_2010": True, "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65, "andel_doemte_pct": 0.5, "indkomst_ift_region_pct": 80}}


def test_a_warm_load_gives_the_same_decisions(tmp_path, monkeypatch):
    monkeypatch.setenv("LBF_CACHE_DIR", str(tmp_path / "cache"))
    cold = load_ruleset(RULES)
    assert rulecache.load(RULES, cold.revision) is not None
    warm = load_ruleset(RULES)
    assert evaluate(warm, CASE) == evaluate(cold, CASE)


def test_a_changed_rule_file_is_never_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LBF_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    before = evaluate(load_ruleset(rules), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"]
    path = rules / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("overstiger: 40\n", "overstiger: 50\n", 1), encoding="utf-8")
    after = evaluate(load_ruleset(rules), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"]
    assert (before, after) == (True, False)


def test_a_corrupt_or_foreign_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("LBF_CACHE_DIR", str(tmp_path / "cache"))
    load_ruleset(RULES)
    (cache_file,) = (tmp_path / "cache").glob("regler-*.json")
    cache_file.write_text("{not json", encoding="utf-8")
    assert evaluate(load_ruleset(RULES), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"] is True
    data = json.loads(cache_file.read_text(encoding="utf-8"))  # rewritten after the fresh load
    data["revision"] = "sha256:0000000000000000"
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    assert rulecache.load(RULES, revision(RULES)) is None


def test_an_unwritable_cache_and_no_cache_both_work(tmp_path, monkeypatch, run_cli):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    monkeypatch.setenv("LBF_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    assert evaluate(load_ruleset(RULES), CASE)["klassifikation"]["udsat_boligomraade"]["resultat"] is True
    result = run_cli("check", CASES / "reelle" / "agervang-2014.yaml", env={"LBF_NO_CACHE": "1"})
    assert result.returncode == 0 and "Ghettoområde: JA" in result.stdout
