"""The rule repository as it was at a git revision, extracted into a temporary folder."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .errors import InputError


def git(folder: Path, *args: str) -> str | None:
    """A git command's output in `folder`, or None when git or the repository is not there."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def rules_at(rules_root: Path, revision: str, source: str, keep: list[tempfile.TemporaryDirectory]) -> Path:
    """Extract `rules_root` as it was at `revision` (a commit or any git ref); the temporary
    folder is appended to `keep`, whose owner cleans it up."""
    top = git(rules_root, "rev-parse", "--show-toplevel")
    if top is None:
        raise InputError(source, f"{rules_root} ligger ikke i et git-repositorium, så '{revision}' kan ikke hentes")
    prefix = git(rules_root, "rev-parse", "--show-prefix") or ""
    prefix = prefix.rstrip("/")
    try:
        archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", revision, "--", prefix or "."], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(source, f"kunne ikke køre git ({exc})") from None
    if archive.returncode != 0:
        raise InputError(source, f"'{revision[:40]}' findes ikke i git-historikken her, eller reglerne fandtes ikke dér")
    tmp = tempfile.TemporaryDirectory(prefix="lbf-rules-")
    keep.append(tmp)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp.name, filter="data")
    return Path(tmp.name) / prefix
