"""`lbf-rules lint` on one broken rule repository per finding, and on the clean one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import RULES

TESTS = Path(__file__).resolve().parent
FIXTURES = yaml.safe_load((TESTS / "lint_fixtures" / "forventet.yaml").read_text(encoding="utf-8"))
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>LBF\d{3}) (?P<message>.+)$")


def broken_repo(tmp_path: Path, *fixtures: str) -> Path:
    repo = tmp_path / "rules"
    shutil.copytree(RULES, repo)
    (repo / "almenboligloven" / "test").mkdir()
    for i, name in enumerate(fixtures):
        spec = FIXTURES[name]
        target = spec.get("som", "almenboligloven/test/defekt.yaml")
        if i:  # a second fixture goes in a file of its own
            target = target.replace("defekt.yaml", f"defekt{i}.yaml")
        shutil.copy(TESTS / spec["kilde"], repo / target)
    return repo


def findings(result, repo: Path) -> set[str]:
    out = set()
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not file:line:column: code message: {line}"
        rel = Path(match["path"]).resolve().relative_to(repo.resolve()).as_posix()
        out.add(f"{rel}:{match['line']}:{match['code']}")
    return out


def test_the_project_rules_are_clean(run_cli):
    result = run_cli("lint", RULES)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_every_code_has_a_fixture():
    from lbf_rules import lint

    codes = set(re.findall(r"^  (LBF\d{3}) ", lint.__doc__, re.M))
    covered = {name.split("_")[0] for name in FIXTURES}
    assert codes == covered


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_is_found_with_the_right_code_at_the_right_line(run_cli, tmp_path, name):
    repo = broken_repo(tmp_path, name)
    result = run_cli("lint", repo)
    expected = set(FIXTURES[name]["fund"])
    assert findings(result, repo) == expected, result.stdout
    assert result.returncode == (1 if expected else 0)


def test_all_problems_are_reported_not_just_the_first(run_cli, tmp_path):
    repo = broken_repo(tmp_path, "LBF020_ukendt_faktum", "LBF013_dato")
    found = findings(run_cli("lint", repo), repo)
    assert {"almenboligloven/test/defekt.yaml:16:LBF020", "almenboligloven/test/defekt1.yaml:9:LBF013"} <= found


def test_github_format_and_single_file(run_cli, tmp_path):
    repo = broken_repo(tmp_path, "LBF020_ukendt_faktum")
    result = run_cli("lint", "--format", "github", repo)
    assert result.returncode == 1
    assert result.stdout.startswith(f"::error file={repo}/almenboligloven/test/defekt.yaml,line=16,col=1,title=LBF020::LBF020 ukendt faktum 'beboer'")
    other = run_cli("lint", repo / "almenboligloven" / "61a" / "udsat_boligomraade.yaml")
    assert other.returncode == 0 and other.stdout == ""


def test_usage_errors(run_cli, tmp_path):
    assert run_cli("lint", tmp_path / "nope").returncode == 2
    result = run_cli("lint", tmp_path)
    assert result.returncode == 2 and "ligger ikke i en regelmappe" in result.stderr
