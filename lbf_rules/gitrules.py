"""The rule repository as it was at a git revision, extracted into a temporary folder.

git is run with a clean environment pointed at the rule repository: `GIT_DIR`, `GIT_WORK_TREE` and
the other `GIT_*` variables of the caller's environment would make it read another repository (a
receipt would then record another repository's commit). A revision from the command line is
resolved as a commit first, after `--end-of-options`, so a value such as `--output=FILE` is never
taken as an option; anything that does not resolve to a commit is refused.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .errors import InputError


def _environment() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "SYSTEMROOT", "TMPDIR")}
    return {**keep, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


def _run(folder: Path | str, args: list[str], timeout: int) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=timeout, env=_environment(), stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def git(folder: Path, *args: str) -> str | None:
    """A git command's output in `folder`, or None when git or the repository is not there."""
    done = _run(folder, list(args), 30)
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip()


def resolve_commit(folder: Path, revision: str) -> str | None:
    """The full commit id a revision (a commit, branch, tag or other ref) names, or None."""
    if not revision or revision.startswith("-") or "\0" in revision:
        return None
    found = git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return found if found and all(c in "0123456789abcdef" for c in found) else None


def rules_at(rules_root: Path, revision: str, source: str, keep: list[tempfile.TemporaryDirectory]) -> Path:
    """Extract `rules_root` as it was at `revision` (a commit or any git ref); the temporary
    folder is appended to `keep`, whose owner cleans it up."""
    from .escape import plain

    top = git(rules_root, "rev-parse", "--show-toplevel")
    if top is None:
        raise InputError(source, f"{rules_root} ligger ikke i et git-repositorium, så '{plain(revision, 60)}' kan ikke hentes")
    commit = resolve_commit(rules_root, revision)
    if commit is None:
        raise InputError(
            source, f"'{plain(revision, 60)}' findes ikke i git-historikken her som en commit (forventede fx main, HEAD eller et commit-id)"
        )
    prefix = (git(rules_root, "rev-parse", "--show-prefix") or "").rstrip("/")
    archive = _run(top, ["archive", "--format=tar", commit, "--", prefix or "."], 60)
    if archive is None:
        raise InputError(source, "kunne ikke køre git")
    if archive.returncode != 0:
        raise InputError(source, f"reglerne fandtes ikke i commit {commit[:12]}")
    tmp = tempfile.TemporaryDirectory(prefix="lbf-rules-")
    keep.append(tmp)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp.name, filter="data")
    return Path(tmp.name) / prefix
