"""Every command over every shipped case folder: `cases/` whole and each folder in it.

Real portfolios are incomplete (an unknown labour share once crashed `prioriter` with exit 70), so
nothing here may end in an internal error (exit 70) or a native crash (a signal); every run must
succeed, since every shipped case is valid and meets its expectations.
"""

from __future__ import annotations

import pytest

from lbf_rules.durable_engine import available
from tests.conftest import CASES, ROOT

FOLDERS = [CASES, *sorted(p for p in CASES.rglob("*") if p.is_dir())]
COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["check", "--format", "json", "--uden-spor"],
    ["prioriter"],
    ["prioriter", "--format", "markdown"],
    ["prioriter", "--format", "csv"],
    ["prioriter", "--format", "json", "--ramme", "140.000.000"],
    ["test"],
    ["impact", "--base", "HEAD"],
]


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.relative_to(CASES.parent).as_posix() for p in FOLDERS])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_succeeds_on_every_case_folder(run_cli, command, folder):
    result = run_cli(*command, folder, cwd=ROOT)  # in the rule repository, as a user works
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stderr.count("\n") <= 1 and "intern fejl" not in result.stderr
    assert result.stdout


@pytest.mark.skipif(available() is not None, reason=available() or "")
def test_the_durable_engine_on_the_whole_case_folder(run_cli):
    result = run_cli("check", "--engine", "durable", "--format", "json", CASES)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len([p for p in CASES.rglob("*.yaml")])
