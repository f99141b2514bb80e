"""The built package, installed the way a user outside the checkout installs it.

Builds an sdist and a wheel from it with `python -m build` (as pipx and PyPI users get it), installs
the wheel with the `serve` extra into a fresh venv in a temporary folder, and runs check, explain,
serve and lint from folders outside the checkout. Needs only PyPI (build isolation and the
dependencies); bounded by a timeout on every step. About a minute, most of it pip.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from lbf_rules.paths import package_version
from lbf_rules.ruleset import revision
from tests.conftest import CASES, ROOT, RULES, free_port, http_get, wait_until_serving

AGERVANG = CASES / "reelle" / "agervang-2014.yaml"


def run(*args, cwd: Path, timeout: int = 120, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args))} -> {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `bin` folder of a fresh venv with the wheel (and its serve extra) installed."""
    tmp = tmp_path_factory.mktemp("hjul")
    source = tmp / "kilde"  # a clean copy of the committed and uncommitted sources, so the build writes nothing in the checkout
    files = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout.split("\0")
    for name in files:
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    run(sys.executable, "-m", "build", "--outdir", tmp / "dist", source, cwd=tmp, timeout=300)
    (wheel,) = (tmp / "dist").glob("lbf_rules-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "lbf_rules/data/rules/regelsaet.yaml" in names and "lbf_rules/data/schemas/case.schema.json" in names
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"{wheel}[serve]", cwd=tmp, timeout=600)
    return venv / "bin"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder outside any rule repository, with a copy of one case."""
    (tmp_path / "sag.yaml").write_bytes(AGERVANG.read_bytes())
    return tmp_path


def test_version_names_the_packaged_rules(installed, outside):
    lines = run(installed / "lbf-rules", "--version", cwd=outside).stdout.splitlines()
    assert lines[0] == f"lbf-rules {package_version()}"
    assert lines[1].endswith(f"revision {revision(RULES)}")  # the packaged rules are the repository's, file for file
    assert "site-packages/lbf_rules/data/rules" in lines[2] and f"de regler, der følger med lbf-rules {package_version()}" in lines[2]


def test_check_and_explain_work_with_the_packaged_rules(installed, outside, run_cli):
    text = run(installed / "lbf-rules", "check", "sag.yaml", cwd=outside).stdout
    assert text.startswith("Regler: ") and "✓ Ghettoområde: JA" in text
    packaged = run(installed / "lbf-rules", "check", "--format", "json", "sag.yaml", cwd=outside).stdout
    assert packaged == run_cli("check", "--format", "json", AGERVANG, cwd=ROOT).stdout
    explained = run(installed / "lbf-rules", "explain", "abl.61a.udsat_boligomraade", "--dato", "2019-12-01", cwd=outside).stdout
    assert "Gældende pr. 1. december 2019: version 2018" in explained


def test_lint_from_a_clone_uses_that_clone_whichever_install_runs_it(installed, tmp_path):
    outside = run(installed / "lbf-rules", "lint", cwd=tmp_path, check=False)
    assert outside.returncode == 2 and "skal køres i et regelrepositorium" in outside.stderr
    clone = tmp_path / "klon"
    run("git", "clone", "-q", ROOT, clone, cwd=tmp_path)
    rule = clone / "rules" / "almenboligloven" / "61b" / "forebyggelsesomraade.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("titel:", "titel: x\ntitel:", 1), encoding="utf-8")
    result = run(installed / "lbf-rules", "lint", cwd=clone / "cases", check=False)
    assert result.returncode == 1 and f"{rule}:" in result.stdout and "LBF002" in result.stdout


def test_serve_works_from_the_wheel(installed, outside):
    port = free_port()
    proc = subprocess.Popen([installed / "lbf-rules", "serve", "--port", str(port)], cwd=outside,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        health = wait_until_serving(proc, port)
        assert health["regler_fra"] == "pakken" and health["regelsaet"]["revision"] == revision(RULES)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/vurdering", data=(outside / "sag.yaml").read_bytes(),
                                         headers={"Content-Type": "application/yaml"}, method="POST")
        decided = http_get(request).decode()
        assert decided == run(installed / "lbf-rules", "check", "--format", "json", "sag.yaml", cwd=outside).stdout
        schema = http_get(f"http://127.0.0.1:{port}/v1/skemaer/decision")
        assert schema == (ROOT / "schemas" / "decision.schema.json").read_bytes()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
