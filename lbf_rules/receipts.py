"""Decision receipts: enough to show years later exactly which rules produced a decision.

A receipt holds the case itself and its hash, the rulebook version, the content hash of the rule
repository and of each rule file, the git commit the rules were at (and whether `rules/` had
uncommitted changes), the rule versions that decided it, the evaluation time and the decision.
The decision itself stays free of time and git data so that it is reproducible byte for byte.

Replay finds the same rules again: the working tree if its content hash still matches, otherwise
the recorded commit via `git archive`, checked against the recorded hash before it is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .errors import InputError
from .gitrules import git, rules_at
from .evaluator import case_hash, evaluate
from .ruleset import Ruleset, load_ruleset, revision

FORMAT = "lbf-rules-kvittering/1"
MAX_RECEIPT_BYTES = 512 * 1024 * 1024  # a receipt for a large batch is far bigger than a case


def git_state(rules_root: Path) -> dict | None:
    """The commit the rule folder is at, its path in the repository and whether it has changes."""
    commit = git(rules_root, "rev-parse", "HEAD")
    if commit is None:
        return None
    prefix = git(rules_root, "rev-parse", "--show-prefix") or ""
    changes = git(rules_root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    return {"commit": commit, "sti": prefix.rstrip("/"), "aendret": bool(changes)}


def file_hashes(rules_root: Path) -> dict[str, str]:
    return {
        p.relative_to(rules_root).as_posix(): "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(rules_root.rglob("*"))
        if p.is_file()
    }


def make_receipt(ruleset: Ruleset, case: dict, decision: dict, day: dt.date | None, git: dict | None) -> dict:
    return {
        "tidspunkt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "regelsaet": {
            "navn": ruleset.name,
            "version": ruleset.version,
            "revision": ruleset.revision,
            "git": git,
            "filer": file_hashes(ruleset.root),
        },
        "sag": case,
        "sag_hash": case_hash(case),
        "vurderingsdato": day.isoformat() if day else None,
        "afgoerende_versioner": [{"regel": s["regel"], "version": s["version"]} for s in decision.get("spor", [])],
        "afgoerelse": decision,
    }


def write_atomically(path: Path, receipts: list[dict]) -> None:
    """Write the receipts file so that a reader sees the old file or the whole new one, never half."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(path), "mappen til kvitteringen findes ikke")
    data = json.dumps({"format": FORMAT, "kvitteringer": receipts}, ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_receipts(path: Path) -> list[dict]:
    from . import schemas
    from .yamlio import load_one

    doc = load_one(path, MAX_RECEIPT_BYTES)
    schemas.validate(doc, "receipt")
    return doc.data["kvitteringer"]


class Replay:
    """Re-evaluates receipts with the rules they name; caches rule repositories by revision."""

    def __init__(self, rules_root: Path):
        self.rules_root = rules_root
        self._cache: dict[str, tuple[Ruleset, str]] = {}
        self._tmp: list[tempfile.TemporaryDirectory] = []

    def close(self) -> None:
        for tmp in self._tmp:
            tmp.cleanup()

    def rules_for(self, receipt: dict, source: str) -> tuple[Ruleset, str]:
        wanted = receipt["regelsaet"]["revision"]
        if wanted in self._cache:
            return self._cache[wanted]
        if self.rules_root.is_dir() and revision(self.rules_root) == wanted:
            found = (load_ruleset(self.rules_root), "arbejdsmappen")
        else:
            found = self._from_git(receipt, wanted, source)
        self._cache[wanted] = found
        return found

    def _from_git(self, receipt: dict, wanted: str, source: str) -> tuple[Ruleset, str]:
        recorded = receipt["regelsaet"].get("git")
        if not recorded:
            raise InputError(source, f"reglerne med revision {wanted} findes ikke i arbejdsmappen, og kvitteringen nævner ingen git-commit")
        commit = recorded["commit"]
        root = rules_at(self.rules_root, commit, source, self._tmp)
        if revision(root) != wanted:
            note = " (reglerne havde ændringer, der ikke var committet, da kvitteringen blev skrevet)" if recorded.get("aendret") else ""
            raise InputError(source, f"reglerne i commit {commit[:12]} har ikke revisionen {wanted}{note}")
        return load_ruleset(root), f"git-commit {commit[:12]}"

    def check(self, receipt: dict, source: str) -> tuple[bool, str, list[str]]:
        """(identical?, where the rules came from, differences)."""
        if case_hash(receipt["sag"]) != receipt["sag_hash"]:
            raise InputError(source, "sagens hash passer ikke med sagen i kvitteringen (kvitteringen er ændret)")
        ruleset, origin = self.rules_for(receipt, source)
        day = dt.date.fromisoformat(receipt["vurderingsdato"]) if receipt["vurderingsdato"] else None
        again = evaluate(ruleset, receipt["sag"], day, trace="spor" in receipt["afgoerelse"])
        return again == receipt["afgoerelse"], origin, differences(receipt["afgoerelse"], again)


def differences(before: dict, after: dict) -> list[str]:
    """Readable differences between two decisions, most important first."""
    out = []
    names = list(dict.fromkeys([*before.get("klassifikation", {}), *after.get("klassifikation", {})]))
    for name in names:
        old = before.get("klassifikation", {}).get(name, {}).get("resultat", "findes ikke")
        new = after.get("klassifikation", {}).get(name, {}).get("resultat", "findes ikke")
        if old != new:
            out.append(f"{name}: {json.dumps(old)} → {json.dumps(new)}")
    for key in ("mangler", "regelsaet", "bemaerkninger", "spor"):
        if before.get(key) != after.get(key):
            out.append(f"{key} er ændret")
    return out
