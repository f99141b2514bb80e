"""Receipts: written atomically, replayed with exactly the rules they name, even from git history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import CASES, RULES

AGERVANG = CASES / "reelle" / "agervang-2014.yaml"
GHETTO = "almenboligloven/61a/parallelsamfund.yaml"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def repo(tmp_path):
    """A git repository holding a copy of the rule repository, committed."""
    root = tmp_path / "repo"
    shutil.copytree(RULES, root / "rules")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "regler")
    return root


def raise_ghetto_bar(repo, commit=True):
    """2013-rules: 'mindst 3 af 5' becomes 'mindst 5 af 5': Agervang (4 met, income unknown) is no longer decided."""
    path = repo / "rules" / GHETTO
    text = path.read_text(encoding="utf-8")
    assert "        - mindst: 3\n" in text
    path.write_text(text.replace("        - mindst: 3\n", "        - mindst: 5\n", 1), encoding="utf-8")
    if commit:
        git(repo, "commit", "-qam", "skærpet")


def ghetto(run_cli, rules):
    out = run_cli("check", "--format", "json", "--regler", rules, AGERVANG)
    return json.loads(out.stdout)["klassifikation"]["parallelsamfund"]["resultat"]


def test_receipt_holds_what_is_needed_to_reproduce(run_cli, repo, tmp_path):
    result = run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG)
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    (receipt,) = data["kvitteringer"]
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert data["format"] == "lbf-rules-kvittering/1"
    assert receipt["regelsaet"]["git"] == {"commit": head, "sti": "rules", "aendret": False}
    assert receipt["regelsaet"]["version"] == "2026.2" and receipt["regelsaet"]["revision"].startswith("sha256:")
    assert GHETTO in receipt["regelsaet"]["filer"]
    assert receipt["sag"]["id"] == "agervang-2014" and receipt["sag_hash"].startswith("sha256:")
    assert {"regel": "abl.61a.parallelsamfund", "version": "2013"} in receipt["afgoerende_versioner"]
    assert receipt["afgoerelse"]["klassifikation"]["parallelsamfund"]["resultat"] is True
    assert receipt["tidspunkt"].endswith("+00:00")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".k.json")] == []  # no temp file left


def test_replay_after_a_committed_rule_change_uses_the_old_rules_from_git(run_cli, repo, tmp_path):
    assert run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    raise_ghetto_bar(repo)
    assert ghetto(run_cli, repo / "rules") is None  # the working tree now decides differently
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 0, result.stderr
    assert "✓ agervang-2014: identisk afgørelse" in result.stdout and "fra git-commit" in result.stdout


def test_replay_reports_a_decision_that_differs(run_cli, repo, tmp_path):
    assert run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    data["kvitteringer"][0]["afgoerelse"]["klassifikation"]["parallelsamfund"]["resultat"] = False
    (tmp_path / "k.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 1
    assert "✗ agervang-2014: AFVIGER" in result.stdout and "parallelsamfund: false → true" in result.stdout


def test_rules_changed_without_a_commit_cannot_be_recovered_later(run_cli, repo, tmp_path):
    raise_ghetto_bar(repo, commit=False)
    assert run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    git(repo, "checkout", "-q", "--", ".")
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 2
    assert "ikke var committet" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_changed_case_in_the_receipt_is_detected(run_cli, repo, tmp_path):
    assert run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    data = json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))
    data["kvitteringer"][0]["sag"]["beboere"] = 999
    (tmp_path / "k.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 2 and "hash passer ikke" in result.stderr


def test_without_git_a_moved_repository_cannot_be_replayed(run_cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    assert run_cli("check", "--regler", rules, "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    assert json.loads((tmp_path / "k.json").read_text())["kvitteringer"][0]["regelsaet"]["git"] is None
    assert run_cli("replay", "--regler", rules, tmp_path / "k.json").returncode == 0
    raise_ghetto_bar(tmp_path, commit=False)
    result = run_cli("replay", "--regler", rules, tmp_path / "k.json")
    assert result.returncode == 2 and "ingen git-commit" in result.stderr


def test_receipt_into_a_missing_folder_is_refused_and_nothing_is_written(run_cli, tmp_path):
    result = run_cli("check", "--kvittering", tmp_path / "nope" / "k.json", AGERVANG)
    assert result.returncode == 2 and "mappen til kvitteringen findes ikke" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_a_broken_receipt_file_gets_one_clear_line(run_cli, tmp_path):
    (tmp_path / "k.json").write_text('{"format": "lbf-rules-kvittering/1", "kvitteringer": [{"sag": {}}]}', encoding="utf-8")
    result = run_cli("replay", tmp_path / "k.json")
    assert result.returncode == 2
    assert "k.json:1: felt 'kvitteringer[0]': mangler det påkrævede felt" in result.stderr
