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
    ["impact", "--base", "HEAD", "--format", "json"],
]


def test_every_output_format_of_every_command_is_run_here():
    """A format added to a command's FORMATS registry is run over every case folder without
    further ado: this fails until it is listed above."""
    from lbf_rules import batch, impact, render_portfolio

    for command, registry in (("check", batch.FORMATS), ("prioriter", render_portfolio.FORMATS), ("impact", impact.FORMATS)):
        listed = {c[c.index("--format") + 1] if "--format" in c else None for c in COMMANDS if c[0] == command}
        default = {"check": "tekst", "prioriter": "tekst", "impact": "markdown"}[command]
        assert set(registry) == {default if f is None else f for f in listed}, command


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
