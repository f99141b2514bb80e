"""Shared fixtures: the real rule repository and the installed command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lbf_rules.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """Keep the rule cache of the test run out of the user's home (subprocesses inherit it)."""
    import tempfile

    os.environ.setdefault("LBF_CACHE_DIR", tempfile.mkdtemp(prefix="lbf-test-cache-"))
CASES = ROOT / "cases"
RULES = ROOT / "rules"


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset(RULES)


def console_script() -> str:
    """The `lbf-rules` script installed next to the running Python (the venv's bin)."""
    script = Path(sys.executable).parent / "lbf-rules"
    if script.exists():
        return str(script)
    found = shutil.which("lbf-rules")
    if not found:
        pytest.fail("the lbf-rules console script is not installed; run 'make test'")
    return found


@pytest.fixture
def run_cli(tmp_path):
    def run(*args: str, stdin: str | None = None, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run outside any rule repository (a temporary folder) unless `cwd` says where to stand."""
        return subprocess.run(
            [console_script(), *map(str, args)],
            capture_output=True,
            text=True,
            input=stdin,
            cwd=cwd or tmp_path,
            env={**os.environ, **(env or {})},
            timeout=60,
        )

    return run


def free_port() -> int:
    """A free TCP port on the loopback address (the servers the tests start listen only there)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(request, timeout: float = 10) -> bytes:
    """The body of an HTTP answer (a URL or a urllib Request), the connection closed after it."""
    import urllib.request

    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def wait_until_serving(proc: subprocess.Popen, port: int, seconds: float = 30) -> dict:
    """GET /sundhed of a `lbf-rules serve` process once it answers; fails with its stderr if it stops."""
    import json
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            return json.loads(http_get(f"http://127.0.0.1:{port}/sundhed", timeout=2))
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"lbf-rules serve stopped: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    pytest.fail("lbf-rules serve did not answer in time")
