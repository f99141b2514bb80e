"""The bad-input corpus: every broken case and rule file ends with exit 2 and one exact line.

Each run is a real `lbf-rules` process with a memory limit and a timeout, in a folder of its
own; afterwards the folder must hold exactly the files it held before, unchanged.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import CASES, RULES, console_script

CORPUS = Path(__file__).resolve().parent / "bad_input"
EXPECTED = yaml.safe_load((CORPUS / "forventet.yaml").read_text(encoding="utf-8"))
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space: far above a normal run (~60 MB)
TIME_LIMIT = 20


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_bounded(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([console_script(), *args], cwd=cwd, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory)


def assert_one_clean_line(result: subprocess.CompletedProcess, exit_code: int, message: str) -> None:
    assert result.returncode == exit_code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines() == [message]


def test_the_corpus_is_large_and_fully_specified():
    case_files = {p.name for p in (CORPUS / "sager").iterdir()}
    rule_files = {p.name for p in (CORPUS / "regler").iterdir()}
    assert case_files == set(EXPECTED["sager"]) and rule_files == set(EXPECTED["regler"])
    assert len(case_files) + len(rule_files) + len(GENERATED) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED["sager"]))
def test_bad_case_file(name, tmp_path):
    shutil.copy(CORPUS / "sager" / name, tmp_path / name)
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--format", "json", name], tmp_path)
    expected = EXPECTED["sager"][name]
    assert_one_clean_line(result, expected["exit"], expected["besked"])
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", sorted(EXPECTED["regler"]))
def test_bad_rule_file(name, tmp_path):
    rules = tmp_path / "regler"
    shutil.copytree(RULES, rules)
    (rules / "almenboligloven" / "test").mkdir()
    shutil.copy(CORPUS / "regler" / name, rules / "almenboligloven" / "test" / "defekt.yaml")
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--regler", str(rules), str(CASES / "reelle" / "agervang-2014.yaml")], tmp_path)
    expected = EXPECTED["regler"][name]
    assert_one_clean_line(result, expected["exit"], expected["besked"].replace("{regler}", str(rules)))
    assert snapshot(tmp_path) == before


def _laughs() -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, 12):
        prev, cur = chr(96 + i), chr(97 + i)
        text += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


# Files too big or too silly to commit, made at test time: (name, content, expected line).
GENERATED = [
    ("stor.yaml", lambda: "id: x\nnavn: X\ndato: 2019-12-01\nbeskrivelse: '" + "x" * (11 * 1024 * 1024) + "'\n",
     "fejl: stor.yaml: filen er 11534383 byte; højst 10485760 byte er tilladt"),
    ("dyb.yaml", lambda: "id: x\nnavn: X\ndato: 2019-12-01\nbeskrivelse: " + "[" * 100_000 + "]" * 100_000 + "\n",
     "fejl: dyb.yaml:4: for dyb indlejring (højst 64 niveauer)"),
    ("dyb.json", lambda: '{"id": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "fejl: dyb.json:1: JSON er for dybt indlejret"),
    ("latter.yaml", _laughs, "fejl: latter.yaml:2: YAML-aliaser (*navn) er ikke tilladt; skriv værdien ud"),
    ("mange_dokumenter.yaml", lambda: "id: x\nnavn: X\ndato: 2019-12-01\n---\n" * 2 + "- nej\n",
     "fejl: mange_dokumenter.yaml:9: en sag skal være et objekt med felter, ikke en liste"),
]


@pytest.mark.parametrize("name, make, message", GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_hostile_file(name, make, message, tmp_path):
    (tmp_path / name).write_text(make(), encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--format", "json", name], tmp_path)
    assert_one_clean_line(result, 2, message)
    assert snapshot(tmp_path) == before
