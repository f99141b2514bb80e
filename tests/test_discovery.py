"""Rule discovery like git's, on two real clones of this repository and the installed command line.

A lawyer with two clones (or a CI job with one shared install) must always work on the rules of
the clone they stand in; an explicit --regler / LBF_RULES_DIR wins; lint, test and impact never
fall back to the rules packaged with the tool.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from lbf_rules.paths import find_repository
from lbf_rules.ruleset import revision
from tests.conftest import CASES, ROOT

AGERVANG = CASES / "reelle" / "agervang-2014.yaml"
BROKEN = "rules/almenboligloven/61b/forebyggelsesomraade.yaml"


def clone(target) -> None:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, capture_output=True, timeout=60)


@pytest.fixture
def clones(tmp_path):
    """Clone A (as committed) and clone B with a duplicate key added to one rule file."""
    a, b = tmp_path / "a", tmp_path / "b"
    clone(a)
    clone(b)
    path = b / BROKEN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("titel:", "titel: Dobbelt\ntitel:", 1), encoding="utf-8")
    return a, b


def test_lint_in_clone_b_finds_the_broken_rule_of_clone_b(run_cli, clones):
    a, b = clones
    result = run_cli("lint", cwd=b)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{b / BROKEN}:" in result.stdout and "LBF002" in result.stdout
    assert str(a) not in result.stdout + result.stderr
    # from a folder deep inside clone B too, and clone A stays clean
    assert run_cli("lint", cwd=b / "rules" / "lbf" / "praksis").returncode == 1
    clean = run_cli("lint", cwd=a)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_check_uses_the_rules_of_the_clone_you_stand_in(run_cli, clones):
    a, _ = clones
    rule = a / "rules" / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    rule.write_text(rule.read_text(encoding="utf-8") + "# ændret i klon A\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", AGERVANG, cwd=a / "cases")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["regelsaet"]["revision"] == revision(a / "rules") != revision(ROOT / "rules")
    text = run_cli("check", AGERVANG, cwd=a)
    assert not text.stdout.startswith("Regler:")  # the repository you stand in needs no note


def test_explicit_rules_win_over_the_repository_you_stand_in(run_cli, clones):
    a, b = clones
    # --regler: the broken clone B is not read at all
    result = run_cli("check", "--regler", a / "rules", AGERVANG, cwd=b)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Regler: {a / 'rules'} (fra --regler)"
    # LBF_RULES_DIR: said on stdout in text, on stderr beside JSON
    env = {"LBF_RULES_DIR": str(a / "rules")}
    text = run_cli("check", AGERVANG, cwd=b, env=env)
    assert text.returncode == 0 and text.stdout.splitlines()[0] == f"Regler: {a / 'rules'} (fra LBF_RULES_DIR)"
    js = run_cli("check", "--format", "json", AGERVANG, cwd=b, env=env)
    assert json.loads(js.stdout)["regelsaet"]["revision"] == revision(a / "rules")
    assert js.stderr.strip() == f"Regler: {a / 'rules'} (fra LBF_RULES_DIR)"
    assert run_cli("lint", cwd=b, env=env).returncode == 0
    assert run_cli("lint", "--regler", b / "rules", cwd=a).returncode == 1


def test_outside_a_repository_check_and_explain_use_the_packaged_rules_and_say_so(run_cli, tmp_path):
    result = run_cli("check", AGERVANG)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("Regler: ") and "de regler, der følger med lbf-rules" in first
    explained = run_cli("explain", "abl.61a.udsat_boligomraade")
    assert explained.returncode == 0 and explained.stdout.startswith("Regler: ")
    js = run_cli("check", "--format", "json", AGERVANG)
    assert js.stderr == "" and json.loads(js.stdout)["regelsaet"]["revision"] == revision(ROOT / "rules")


@pytest.mark.parametrize("args", [["lint"], ["test"], ["impact", "--base", "HEAD"]])
def test_lint_test_and_impact_refuse_to_run_outside_a_repository(run_cli, args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert f"'lbf-rules {args[0]}' skal køres i et regelrepositorium" in result.stderr
    assert "rules/regelsaet.yaml" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_test_in_a_clone_runs_that_clones_cases(run_cli, clones):
    a, _ = clones
    case = a / "cases" / "reelle" / "agervang-2014.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("    parallelsamfund: true\n  navne", "    parallelsamfund: false\n  navne"), encoding="utf-8")
    result = run_cli("test", cwd=a)
    assert result.returncode == 1
    assert f"✗ agervang-2014 ({case}:" in result.stdout


def test_version_names_package_rule_set_revision_and_origin(run_cli, clones):
    _, b = clones
    lines = run_cli("--version", cwd=b / "rules").stdout.splitlines()
    assert lines[0].startswith("lbf-rules 0.")
    version = yaml.safe_load((b / "rules" / "regelsaet.yaml").read_text(encoding="utf-8"))["version"]
    assert lines[1] == f"regelsæt: {version}, revision {revision(b / 'rules')}"
    assert lines[2] == f"regler fra: {b / 'rules'} (regelrepositoriet, du står i)"
    outside = run_cli("--version").stdout.splitlines()
    assert "de regler, der følger med lbf-rules" in outside[2]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_repository_owned_by_someone_else_is_not_used(run_cli, tmp_path):
    """Like git's safe.directory: rules planted in a shared parent folder are refused, not used."""
    planted = tmp_path / "shared"
    clone(planted)
    os.chown(planted / "rules", 65534, 65534)
    work = planted / "cases"
    result = run_cli("check", AGERVANG, cwd=work)
    assert result.returncode == 2
    assert "tilhører en anden bruger (uid 65534)" in result.stderr and "--regler" in result.stderr
    assert run_cli("check", "--regler", planted / "rules", AGERVANG, cwd=work).returncode == 0
    with pytest.raises(Exception, match="tilhører en anden bruger"):
        find_repository(work)
