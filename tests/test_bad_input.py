"""The bad-input corpus: every broken or hostile input ends with its exact exit status and line.

Each run is a real `lbf-rules` process with a limit on its address space and a timeout, in a
folder of its own; its peak memory (resident set, measured by the kernel) must stay under the
contract's 400 MB, and afterwards the folder must hold exactly the files it held before, unchanged
(nothing written but what the user asked for).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import CASES, RULES, console_script

CORPUS = Path(__file__).resolve().parent / "bad_input"
EXPECTED = yaml.safe_load((CORPUS / "forventet.yaml").read_text(encoding="utf-8"))
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space: a hard stop far above a normal run (~60 MB resident)
PEAK_RSS_MB = 400  # the contract: at most 400 MB for any input within the size limits
TIME_LIMIT = 20  # the contract says 10 s; twice that on a shared machine, as a bound, not a speed target
AGERVANG = CASES / "reelle" / "agervang-2014.yaml"


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file under `folder` by its sha256 (FIFOs and devices are left alone)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            out[str(path.relative_to(folder))] = digest.hexdigest()
    return out


class Bounded(subprocess.CompletedProcess):
    peak_mb: float
    seconds: float


# Runs the command as its own child and reports "exit-status peak-kB" on a pipe. The child is forked
# from this small launcher, not from the test process, so the kernel's peak (ru_maxrss) is the
# command's own and not the size of the test run that started it.
LAUNCHER = """
import os, resource, sys
limit, report = int(sys.argv[1]), int(sys.argv[2])
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.argv[3], sys.argv[3:])
_, status, usage = os.wait4(pid, 0)
os.write(report, f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}".encode())
"""


def run_bounded(args: list[str], cwd: Path, env: dict | None = None) -> Bounded:
    """`lbf-rules ARGS` in `cwd` under the address-space limit, killed after TIME_LIMIT, with its
    peak resident memory as the kernel measured it."""
    import sys

    started = time.monotonic()
    read_end, write_end = os.pipe()
    command = [sys.executable, "-c", LAUNCHER, str(MEMORY_LIMIT), str(write_end), console_script(), *map(str, args)]
    proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            pass_fds=(write_end,), start_new_session=True, env={**os.environ, **(env or {})})
    os.close(write_end)
    try:
        out, err = proc.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
        proc.communicate()
        os.close(read_end)
        pytest.fail(f"{args}: still running after {TIME_LIMIT} s")
    with os.fdopen(read_end, "rb") as report:
        code, peak_kb = map(int, report.read().split())
    result = Bounded(command, code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    result.peak_mb = peak_kb / 1024
    result.seconds = time.monotonic() - started
    assert result.peak_mb < PEAK_RSS_MB, f"{args}: {result.peak_mb:.0f} MB"
    return result


def assert_clean_lines(result: subprocess.CompletedProcess, exit_code: int, messages: list[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines() == messages
    assert result.returncode == exit_code, result.stderr


def assert_one_clean_line(result: subprocess.CompletedProcess, exit_code: int, message: str) -> None:
    assert_clean_lines(result, exit_code, [message])


def test_the_corpus_is_large_and_fully_specified():
    case_files = {p.name for p in (CORPUS / "sager").iterdir()}
    rule_files = {p.name for p in (CORPUS / "regler").iterdir()}
    assert case_files == set(EXPECTED["sager"]) and rule_files == set(EXPECTED["regler"])
    assert len(case_files) + len(rule_files) + len(GENERATED) >= 90


@pytest.mark.parametrize("name", sorted(EXPECTED["sager"]))
def test_bad_case_file(name, tmp_path):
    shutil.copy(CORPUS / "sager" / name, tmp_path / name)
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--format", "json", name], tmp_path)
    expected = EXPECTED["sager"][name]
    assert_one_clean_line(result, expected["exit"], expected["besked"])
    assert len(result.stdout.splitlines()) == expected.get("afgoerelser", 0)  # the valid lines around a bad one
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", sorted(EXPECTED["regler"]))
def test_bad_rule_file(name, tmp_path):
    rules = tmp_path / "regler"
    shutil.copytree(RULES, rules)
    (rules / "almenboligloven" / "test").mkdir()
    shutil.copy(CORPUS / "regler" / name, rules / "almenboligloven" / "test" / "defekt.yaml")
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--regler", str(rules), str(AGERVANG)], tmp_path)
    expected = EXPECTED["regler"][name]
    assert_one_clean_line(result, expected["exit"], expected["besked"].replace("{regler}", str(rules)))
    assert snapshot(tmp_path) == before


def _laughs() -> str:
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, 12):
        prev, cur = chr(96 + i), chr(97 + i)
        text += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


HEAD = "id: x\nnavn: X\ndato: 2019-12-01\n"
MANY_DIGITS = "har 5000 betydende cifre; højst 15 kan sammenlignes præcist, så tallet afvises i stedet for at blive afrundet"
# Files too big or too silly to commit, made at test time: (name, content, expected lines).
GENERATED = [
    ("stor.yaml", lambda: HEAD + "beskrivelse: '" + "x" * (11 * 1024 * 1024) + "'\n",
     ["fejl: stor.yaml: filen er 11534383 byte; højst 10485760 byte er tilladt"]),
    ("dyb.yaml", lambda: HEAD + "beskrivelse: " + "[" * 100_000 + "]" * 100_000 + "\n",
     ["fejl: dyb.yaml:4: for dyb indlejring (højst 64 niveauer)"]),
    ("dyb.json", lambda: '{"id": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}",
     ["fejl: dyb.json:1: JSON er for dybt indlejret"]),
    ("latter.yaml", _laughs, ["fejl: latter.yaml:2: YAML-aliaser (*navn) er ikke tilladt; skriv værdien ud"]),
    ("mange_dokumenter.yaml", lambda: (HEAD + "---\n") * 2 + "- nej\n",
     ["fejl: mange_dokumenter.yaml:9: en sag skal være et objekt med felter, ikke en liste"]),
    # 1 MB with 500,000 bad items: refused while the events stream, before anything is built
    ("500000_fejl.yaml", lambda: HEAD + "historik:\n  parallelsamfund: [" + ",".join(["x"] * 500_000) + "]\n",
     ["fejl: 500000_fejl.yaml:5: dokumentet har over 100000 værdier; højst 100000 er tilladt"]),
    # 10 MB with 2,000,000 bad items as JSON: the list is over its maxItems; the first errors are enough
    ("2000000_fejl.json", lambda: json.dumps({"id": "x", "navn": "X", "dato": "2019-12-01", "historik": {"parallelsamfund": ["x"] * 2_000_000}}),
     ["fejl: 2000000_fejl.json:1: felt 'historik.parallelsamfund[0]': forventede et heltal, fik 'x'"]),
    ("100000_objekter.json", lambda: json.dumps({"id": "x", "navn": "X", "dato": "2019-12-01", "historik": {"parallelsamfund": [{"a": i} for i in range(100_000)]}}),
     ["fejl: 100000_objekter.json:1: felt 'historik.parallelsamfund[0]': forventede et heltal, fik et objekt"]),
    # 9.5 MB of documents: YAML is for people; batches are JSON Lines
    ("9_5_mb_dokumenter.yaml", lambda: (HEAD + "beboere: 1200\n---\n") * (9_500_000 // 48),
     ["fejl: 9_5_mb_dokumenter.yaml:5000: filen har over 1000 YAML-dokumenter; brug JSON Lines (.jsonl) til store batches"]),
    ("9_5_mb_tomme_dokumenter.yaml", lambda: "---\n{}\n" * (9_500_000 // 7),
     ["fejl: 9_5_mb_tomme_dokumenter.yaml:2001: filen har over 1000 YAML-dokumenter; brug JSON Lines (.jsonl) til store batches"]),
    # a megabyte-long field name is shortened in the one error line
    ("langt_feltnavn.json", lambda: '{"id": "x", "navn": "X", "dato": "2019-12-01", "' + "k" * 1_000_000 + '": 1}',
     ["fejl: langt_feltnavn.json:1: felt '" + "k" * 119 + "…': ukendt felt; tilladte felter: afgraenset_2010, ansoegning, beboere, beskrivelse, "
      "dato, forventet, historik, i_tilknytning_til_udsat_omraade, id, kilde, kommune, kriterier, navn, offentliggjort, problemer, udviklingsplan"]),
    ("lang_vaerdi.json", lambda: '{"id": "x", "navn": "' + "\\u001b[31m" * 200_000 + '", "dato": "2019-12-01"}',
     ["fejl: lang_vaerdi.json:1: felt 'navn': teksten er for lang (højst 200 tegn)"]),
    ("heltal_5000_cifre.jsonl", lambda: '{"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": ' + "9" * 5000 + "}\n",
     [f"fejl: heltal_5000_cifre.jsonl:1: felt 'beboere': '{'9' * 39}…' {MANY_DIGITS}"]),
    # one 300 MB line in a JSON Lines batch: refused by the per-line limit, read past in chunks,
    # and the valid lines around it are still evaluated
    ("300_mb_linje.jsonl", lambda: '{"id": "a", "navn": "A", "dato": "2019-12-01"}\n{"id": "b", "navn": "' + "x" * 300_000_000
     + '", "dato": "2019-12-01"}\n{"id": "c", "navn": "C", "dato": "2019-12-01"}\n',
     ["fejl: 300_mb_linje.jsonl:2: linjen er over 10485760 byte; en sag må højst fylde 10485760 byte"]),
]


@pytest.mark.parametrize("name, make, messages", GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_hostile_file(name, make, messages, tmp_path):
    (tmp_path / name).write_text(make(), encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_bounded(["check", "--format", "json", name], tmp_path)
    assert_clean_lines(result, 2, messages)
    assert snapshot(tmp_path) == before
    if name == "300_mb_linje.jsonl":
        assert [json.loads(d)["sag"]["id"] for d in result.stdout.splitlines()] == ["a", "c"]


def test_a_million_bad_lines_stop_after_the_first_hundred(tmp_path):
    (tmp_path / "tomme.jsonl").write_text("{}\n" * 1_000_000, encoding="utf-8")
    result = run_bounded(["check", "--format", "json", "tomme.jsonl"], tmp_path)
    lines = [f"fejl: tomme.jsonl:{n}: mangler det påkrævede felt 'id'" for n in range(1, 101)]
    assert_clean_lines(result, 2, lines + ["fejl: tomme.jsonl: over 100 ugyldige sager i filen; resten af filen er ikke læst"])


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(600 * 1024 * 1024)


SPECIAL_CASE_FILES = [
    ("fifo.yaml", _fifo, "fejl: fifo.yaml: er ikke en almindelig fil, men et navngivet rør (FIFO)"),
    ("nul.yaml", _zero, "fejl: nul.yaml: er ikke en almindelig fil, men en enhed"),
    ("tynd.yaml", _sparse, "fejl: tynd.yaml: filen er 629145600 byte; højst 10485760 byte er tilladt"),
    ("findes-ikke.yaml", lambda p: None, "fejl: findes-ikke.yaml: filen findes ikke"),
    ("brudt-link.yaml", lambda p: p.symlink_to("intet"), "fejl: brudt-link.yaml: filen findes ikke"),
]


@pytest.mark.parametrize("name, make, message", SPECIAL_CASE_FILES, ids=[s[0] for s in SPECIAL_CASE_FILES])
def test_a_case_path_that_is_not_a_regular_file_is_named_as_such(name, make, message, tmp_path):
    make(tmp_path / name)
    result = run_bounded(["check", name], tmp_path)
    assert_one_clean_line(result, 2, message)


def test_a_fifo_inside_a_case_folder_is_named_and_the_other_cases_are_evaluated(tmp_path):
    folder = tmp_path / "sager"
    folder.mkdir()
    shutil.copy(AGERVANG, folder / "a.yaml")
    os.mkfifo(folder / "b.yaml")
    result = run_bounded(["check", "--format", "json", "sager"], tmp_path)
    assert_one_clean_line(result, 2, "fejl: sager/b.yaml: er ikke en almindelig fil, men et navngivet rør (FIFO)")
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.skipif(os.getuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_case_file_is_named_as_such(tmp_path):
    shutil.copy(AGERVANG, tmp_path / "laast.yaml")
    os.chmod(tmp_path / "laast.yaml", 0)
    result = run_bounded(["check", "laast.yaml"], tmp_path)
    assert_one_clean_line(result, 2, "fejl: laast.yaml: ingen adgang til filen (tilladelse nægtet)")


def test_a_file_name_with_a_newline_cannot_forge_a_second_line(tmp_path):
    name = "ny\nfejl: alt er fint.yaml"
    (tmp_path / name).write_text(HEAD + "beboere: mange\n", encoding="utf-8")
    result = run_bounded(["check", name], tmp_path)
    assert_one_clean_line(result, 2, "fejl: ny\\nfejl: alt er fint.yaml:4: felt 'beboere': forventede et heltal, null (ukendt) "
                          "eller en grænse som {over: x} / {under: y}, fik 'mange'")


def _sixty_thousand_conditions(path: Path) -> None:
    conditions = "".join(f"        - {{fakta: beboere, overstiger: {i}, begrundelse: Betingelse nr {i}}}\n" for i in range(60_000))
    text = (CORPUS / "regler" / "ukendt_faktum.yaml").read_text(encoding="utf-8").split("    betingelse:")[0]
    path.write_text(text + "    betingelse:\n      begrundelse: Alle betingelserne\n      alle:\n" + conditions, encoding="utf-8")


def _folder(path: Path) -> None:
    path.mkdir()


SPECIAL_RULE_FILES = [
    ("fifo", _fifo, "er ikke en almindelig fil, men et navngivet rør (FIFO); regelmappen må kun indeholde almindelige filer og mapper"),
    ("link til /dev/zero", _zero, "er ikke en almindelig fil, men et symbolsk link; regelmappen må kun indeholde almindelige filer og mapper"),
    ("600 MB tynd fil", _sparse, "filen er 629145600 byte; højst 1048576 byte er tilladt"),
    ("60.000 betingelser", _sixty_thousand_conditions, "filen er 4778162 byte; højst 1048576 byte er tilladt"),
]


@pytest.mark.parametrize("name, make, message", SPECIAL_RULE_FILES, ids=[s[0] for s in SPECIAL_RULE_FILES])
def test_the_rule_folder_reads_only_regular_files_within_its_limits(name, make, message, tmp_path):
    rules = tmp_path / "regler"
    shutil.copytree(RULES, rules)
    (rules / "almenboligloven" / "test").mkdir()
    target = rules / "almenboligloven" / "test" / "x.yaml"
    make(target)
    result = run_bounded(["check", "--regler", rules, AGERVANG], tmp_path)
    assert_one_clean_line(result, 2, f"fejl: {target}: {message}")
    lint = run_bounded(["lint", rules], tmp_path)
    assert lint.returncode == 1 and f"{target}:1:1: LBF005 {message}" in lint.stdout.splitlines()


def test_a_folder_named_like_a_rule_file_is_just_a_folder(tmp_path):
    rules = tmp_path / "regler"
    shutil.copytree(RULES, rules)
    (rules / "almenboligloven" / "x.yaml").mkdir()
    result = run_bounded(["check", "--regler", rules, AGERVANG], tmp_path)
    assert result.returncode == 0 and "Ghettoområde: JA" in result.stdout


# Arguments: (arguments, exit status, the one line on stderr). {tmp} is the test's folder.
ARGUMENTS = [
    (["prioriter", "--ramme", "140000000.00", CASES / "portefoelje"], 2,
     "fejl: ugyldig værdi for '--ramme': '140000000.00' ligner et tal med decimalpunktum; et beløb skal være et helt tal, og punktum "
     "bruges kun som tusindtalsskilletegn (fx 140.000.000)"),
    (["prioriter", "--ramme", "1.5", CASES / "portefoelje"], 2,
     "fejl: ugyldig værdi for '--ramme': '1.5' ligner et tal med decimalpunktum; et beløb skal være et helt tal, og punktum "
     "bruges kun som tusindtalsskilletegn (fx 140.000.000)"),
    (["prioriter", "--ramme", "²", CASES / "portefoelje"], 2,
     "fejl: ugyldig værdi for '--ramme': '²' er ikke et beløb (skriv fx 140000000 eller 140.000.000)"),
    (["prioriter", "--ramme", "9" * 5000, CASES / "portefoelje"], 2,
     f"fejl: ugyldig værdi for '--ramme': '{'9' * 39}…' {MANY_DIGITS}"),
    (["test", "--threshold", "nan"], 2, "fejl: ugyldig værdi for '--threshold' / '--graense': 'nan' er ikke en procent (skriv fx 45,2 eller 45,2 %)"),
    (["test", "--threshold", "101"], 2, "fejl: ugyldig værdi for '--threshold' / '--graense': '101' ligger uden for 0-100"),
    (["test", "--threshold", "-1"], 2, "fejl: ugyldig værdi for '--threshold' / '--graense': '-1' er negativt; en procent kan ikke være negativ"),
    (["check", "--kvittering", "same.yaml", "same.yaml"], 2, "fejl: same.yaml: kvitteringen må ikke overskrive en af inputfilerne"),
    (["check", "--kvittering", "/dev/null", "same.yaml"], 2, "fejl: /dev/null: kvitteringen kan ikke skrives: stien er ikke en almindelig fil, men en enhed"),
    (["check", "--kvittering", "fifo", "same.yaml"], 2, "fejl: fifo: kvitteringen kan ikke skrives: stien er ikke en almindelig fil, men et navngivet rør (FIFO)"),
    (["check", "--kvittering", "link.json", "same.yaml"], 2, "fejl: link.json: kvitteringen skrives ikke gennem et symbolsk link; angiv selve filen"),
    (["check", "--kvittering", "mangler/k.json", "same.yaml"], 2, "fejl: mangler/k.json: mappen til kvitteringen findes ikke"),
    (["check", "--kvittering", "/proc/k.json", "same.yaml"], 2, "fejl: /proc/k.json: kan ikke skrives: mappen findes ikke eller tillader ikke nye filer"),
    (["check", "--kvittering", RULES / "k.json", "same.yaml"], 2, f"fejl: {RULES / 'k.json'}: kvitteringen må ikke skrives i regelmappen"),
    (["generate", "--antal", "5", "--ud", "fifo"], 2, "fejl: fifo: korpusset kan ikke skrives: stien er ikke en almindelig fil, men et navngivet rør (FIFO)"),
    (["impact", "--base=--output=FILE", "--regler", RULES, "same.yaml"], 2,
     "fejl: --base --output=FILE: '--output=FILE' findes ikke i git-historikken her som en commit (forventede fx main, HEAD eller et commit-id)"),
    (["explain", "x\n\x1b[2Jfejl: alt er fint"], 2, "fejl: ukendt regel 'x\\n\\x1b[2Jfejl: alt er fint' Se alle regler med 'lbf-rules regler'."),
]


@pytest.mark.parametrize("args, exit_code, message", ARGUMENTS, ids=[" ".join(map(str, a[:3]))[:60] for a in ARGUMENTS])
def test_bad_arguments_are_refused_before_any_work(args, exit_code, message, tmp_path):
    shutil.copy(AGERVANG, tmp_path / "same.yaml")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.json").symlink_to("/dev/null")
    (tmp_path / "FILE").write_text("uændret\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run_bounded(args, tmp_path)
    hint = ["Se 'lbf-rules --help'."] if message.startswith("fejl: ugyldig værdi for") else []  # click's usage errors
    assert_clean_lines(result, exit_code, [message, *hint])
    assert result.stdout == ""  # refused before any case was evaluated
    assert snapshot(tmp_path) == before
