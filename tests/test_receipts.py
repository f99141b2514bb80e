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


# -- replay believes nothing it has not checked ----------------------------------------------------

def _receipt(run_cli, rules, tmp_path) -> dict:
    assert run_cli("check", "--regler", rules, "--kvittering", tmp_path / "k.json", AGERVANG).returncode == 0
    return json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))


def _write(tmp_path, data) -> None:
    (tmp_path / "k.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _rehash(receipt: dict) -> None:
    from lbf_rules.evaluator import case_hash

    receipt["sag_hash"] = case_hash(receipt["sag"])


FORGED = [
    ("versioner", lambda r: r["afgoerende_versioner"].__setitem__(0, {"regel": "abl.61a.boligomraade", "version": "1999"}),
     "de afgørende regelversioner passer ikke med reglerne"),
    ("filhash", lambda r: r["regelsaet"]["filer"].__setitem__(GHETTO, "sha256:" + "0" * 64),
     "filernes hashes passer ikke med reglerne (almenboligloven/61a/parallelsamfund.yaml)"),
    ("ekstra fil", lambda r: r["regelsaet"]["filer"].__setitem__("ekstra.yaml", "sha256:" + "0" * 64),
     "filernes hashes passer ikke med reglerne (ekstra.yaml)"),
    ("version", lambda r: r["regelsaet"].__setitem__("version", "1999.1"), "regelsættets navn eller version passer ikke med reglerne"),
    ("commit", lambda r: r["regelsaet"]["git"].__setitem__("commit", "0" * 40), "git-commit 000000000000 findes ikke i git-historikken her"),
]


@pytest.mark.parametrize("what, forge, difference", FORGED, ids=[f[0] for f in FORGED])
def test_replay_checks_every_field_the_receipt_asserts(run_cli, repo, tmp_path, what, forge, difference):
    data = _receipt(run_cli, repo / "rules", tmp_path)
    forge(data["kvitteringer"][0])
    _write(tmp_path, data)
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 1, result.stderr
    assert "✗ agervang-2014: AFVIGER" in result.stdout and difference in result.stdout


BAD_TIMES = [("i morgen", "2999-01-01T00:00:00+00:00", "tidspunktet ligger i fremtiden"),
             ("uden tidszone", "2020-01-01T00:00:00", "tidspunktet er ikke et tidspunkt med tidszone (ÅÅÅÅ-MM-DDTtt:mm:ss+00:00)"),
             ("tekst", "i går\n✓ alt er fint", "tidspunktet er ikke et tidspunkt med tidszone (ÅÅÅÅ-MM-DDTtt:mm:ss+00:00)")]


@pytest.mark.parametrize("what, moment, message", BAD_TIMES, ids=[b[0] for b in BAD_TIMES])
def test_a_time_that_is_not_a_real_past_time_is_refused(run_cli, repo, tmp_path, what, moment, message):
    data = _receipt(run_cli, repo / "rules", tmp_path)
    data["kvitteringer"][0]["tidspunkt"] = moment
    _write(tmp_path, data)
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"fejl: {tmp_path / 'k.json'}: kvittering 1:1: felt 'tidspunkt': {message}"]


BAD_CASES = [
    ("uden dato", lambda c: c.pop("dato"), "felt 'sag': sagen i kvitteringen er ikke en gyldig sag: mangler det påkrævede felt 'dato'"),
    ("tekst i beboere", lambda c: c.__setitem__("beboere", "mange"),
     "felt 'sag.beboere': sagen i kvitteringen er ikke en gyldig sag: forventede et heltal, null (ukendt) eller en grænse som {over: x} / {under: y}, fik 'mange'"),
    ("negativ andel", lambda c: c["kriterier"].__setitem__("andel_doemte_pct", -1),
     "felt 'sag.kriterier.andel_doemte_pct': sagen i kvitteringen er ikke en gyldig sag: -1 er mindre end det mindst tilladte (0)"),
    ("decimal i beboere", lambda c: c.__setitem__("beboere", 1453.0),
     "felt 'sag.beboere': sagen i kvitteringen er ikke en gyldig sag: '1453.0' er skrevet med decimaler, men feltet er et antal: skriv 1453"),
]


@pytest.mark.parametrize("what, change, message", BAD_CASES, ids=[b[0] for b in BAD_CASES])
def test_an_embedded_case_that_breaks_the_case_schema_is_refused_even_with_a_matching_hash(run_cli, repo, tmp_path, what, change, message):
    data = _receipt(run_cli, repo / "rules", tmp_path)
    change(data["kvitteringer"][0]["sag"])
    _rehash(data["kvitteringer"][0])
    _write(tmp_path, data)
    result = run_cli("replay", "--regler", repo / "rules", tmp_path / "k.json")
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip().splitlines() == [f"fejl: {tmp_path / 'k.json'}: kvittering 1:1: {message}"]


def test_a_huge_embedded_case_is_refused_by_the_per_receipt_limit(run_cli, tmp_path):
    """The receipts file is written one receipt per line; each line is limited (16 MB), so a 150 MB
    embedded case is refused without being parsed."""
    from tests.test_bad_input import run_bounded

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    data = _receipt(run_cli, rules, tmp_path)
    head, rest = (tmp_path / "k.json").read_text(encoding="utf-8").split("\n", 1)
    receipt = json.dumps(data["kvitteringer"][0], ensure_ascii=False, separators=(",", ":"))
    huge = receipt.replace('"navn":"Agervang"', '"navn":"' + "x" * 150_000_000 + '"', 1)
    (tmp_path / "k.json").write_text(f"{head}\n{huge}\n]}}\n", encoding="utf-8")
    result = run_bounded(["replay", "--regler", rules, tmp_path / "k.json"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"fejl: {tmp_path / 'k.json'}:2: kvitteringen er over 16777216 byte"]


def test_a_batch_receipt_is_written_one_receipt_per_line_and_replayed(run_cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    assert run_cli("check", "--format", "json", "--regler", rules, "--kvittering", tmp_path / "k.json", CASES / "reelle").returncode == 0
    lines = (tmp_path / "k.json").read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"format":"lbf-rules-kvittering/1","kvitteringer":[' and lines[-1] == "]}"
    assert len(lines) == 2 + len(list((CASES / "reelle").glob("*.yaml")))
    assert len(json.loads("\n".join(lines))["kvitteringer"]) == len(lines) - 2  # still one JSON document
    result = run_cli("replay", "--regler", rules, tmp_path / "k.json")
    assert result.returncode == 0 and result.stdout.count("✓") == len(lines) - 2


def test_git_variables_of_the_environment_do_not_change_the_recorded_commit(run_cli, repo, tmp_path):
    other = tmp_path / "andet"
    git(tmp_path, "init", "-q", str(other))
    git(other, "commit", "-q", "--allow-empty", "-m", "andet")
    result = run_cli("check", "--regler", repo / "rules", "--kvittering", tmp_path / "k.json", AGERVANG,
                     env={"GIT_DIR": str(other / ".git"), "GIT_WORK_TREE": str(other)})
    assert result.returncode == 0, result.stderr
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert json.loads((tmp_path / "k.json").read_text())["kvitteringer"][0]["regelsaet"]["git"]["commit"] == head
