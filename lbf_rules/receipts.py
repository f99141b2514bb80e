"""Decision receipts: enough to show years later exactly which rules produced a decision.

A receipt holds the case itself and its hash, the rulebook version, the content hash of the rule
repository and of each rule file, the git commit the rules were at (and whether `rules/` had
uncommitted changes), the rule versions that decided it, the evaluation time and the decision.
The decision itself stays free of time and git data so that it is reproducible byte for byte.

The receipts file is one JSON document with one receipt per line, so that a batch is written and
replayed one receipt at a time (memory stays flat however many cases there are); a file laid out
otherwise (pretty-printed by hand) is read whole, within a smaller limit.

Replay finds the same rules again: the working tree if its content hash still matches, otherwise
the recorded commit via `git archive`, checked against the recorded hash before it is used. It
believes nothing it has not checked: the embedded case must be a valid case whose hash matches;
the rule set's name and version, every file hash, the deciding rule versions and (where git can
tell) the recorded commit must match the rules found; the time must be a real past time.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .evaluator import case_hash, evaluate
from .gitrules import git, resolve_commit, rules_at
from .ruleset import Ruleset, load_ruleset, revision
from .safefiles import AtomicWriter, open_regular
from .yamlio import Document

FORMAT = "lbf-rules-kvittering/1"
HEADER = json.dumps({"format": FORMAT, "kvitteringer": []}, separators=(",", ":"))[:-2]  # '{"format":...,"kvitteringer":['
MAX_RECEIPTS_BYTES = 512 * 1024 * 1024  # a file of receipts for a large batch, read line by line
MAX_RECEIPT_BYTES = 16 * 1024 * 1024  # one receipt: a case (at most 10 MB) and its decision
MAX_WHOLE_BYTES = 32 * 1024 * 1024  # a receipts file not laid out one per line is read whole
CLOCK_SKEW = dt.timedelta(minutes=5)


def git_state(rules_root: Path) -> dict | None:
    """The commit the rule folder is at, its path in the repository and whether it has changes."""
    commit = git(rules_root, "rev-parse", "HEAD")
    if commit is None:
        return None
    prefix = git(rules_root, "rev-parse", "--show-prefix") or ""
    changes = git(rules_root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    return {"commit": commit, "sti": prefix.rstrip("/"), "aendret": bool(changes)}


def deciding_versions(ruleset: Ruleset, day: dt.date) -> list[dict]:
    return [{"regel": rule.id, "version": version.name} for _, rule, version in ruleset.in_force(day)]


def make_receipt(ruleset: Ruleset, case: dict, decision: dict, day: dt.date | None, git: dict | None) -> dict:
    return {
        "tidspunkt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "regelsaet": {
            "navn": ruleset.name,
            "version": ruleset.version,
            "revision": ruleset.revision,
            "git": git,
            "filer": ruleset.files,
        },
        "sag": case,
        "sag_hash": case_hash(case),
        "vurderingsdato": day.isoformat() if day else None,
        "afgoerende_versioner": deciding_versions(ruleset, dt.date.fromisoformat(decision["sag"]["dato"])),
        "afgoerelse": decision,
    }


class ReceiptWriter:
    """Writes receipts one per line as they are made, into a temporary file that replaces the
    target only when the run is complete (a reader sees the old file or the whole new one)."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._atomic = AtomicWriter(path)
        self._out: Any = None  # the open temporary file, while writing

    def __enter__(self) -> ReceiptWriter:
        self._out = self._atomic.__enter__()
        self._out.write(HEADER + "\n")
        return self

    def add(self, receipt: dict) -> None:
        if self.count:
            self._out.write(",\n")
        self._out.write(json.dumps(receipt, ensure_ascii=False, separators=(",", ":")))
        self.count += 1

    def __exit__(self, kind, value, tb) -> None:
        """Replace the target only with a complete file of at least one receipt."""
        if kind is None and self.count:
            self._out.write("\n]}\n")
            self._atomic.__exit__(None, None, None)
        else:
            self._atomic.__exit__(kind or RuntimeError, value, tb)  # not complete: the target stays as it was


def read_receipts(path: Path) -> Iterator[tuple[int, dict]]:
    """(line, receipt) for every receipt in the file, each validated against the receipt schema."""
    from . import schemas
    from .yamlio import load_one, parse_json

    source = str(path)
    with open_regular(path, MAX_RECEIPTS_BYTES, source) as handle:
        first = handle.readline(len(HEADER) + 2)
        if first.rstrip(b"\r\n") != HEADER.encode():
            handle.close()
            doc = load_one(path, MAX_WHOLE_BYTES)
            schemas.validate(doc, "receipt")
            for receipt in doc.data["kvitteringer"]:
                yield doc.line, receipt
            return
        number = 1
        seen = 0
        while raw := handle.readline(MAX_RECEIPT_BYTES + 1):
            number += 1
            if len(raw) > MAX_RECEIPT_BYTES:
                raise InputError(source, f"kvitteringen er over {MAX_RECEIPT_BYTES} byte", line=number)
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise InputError(source, "filen er ikke gyldig UTF-8", line=number) from None
            if text == "]}":
                if not seen:
                    raise InputError(source, "filen indeholder ingen kvitteringer", line=number)
                return
            doc = parse_json(text.removesuffix(","), source, number)
            schemas.validate(doc, "receipt#/$defs/kvittering")
            seen += 1
            yield number, doc.data
        raise InputError(source, "filen slutter, før listen af kvitteringer er afsluttet (']}' mangler)", line=number)


class Replay:
    """Re-evaluates receipts with the rules they name; caches rule repositories by revision."""

    def __init__(self, rules_root: Path):
        self.rules_root = rules_root
        self._cache: dict[str, tuple[Ruleset, str]] = {}
        self._commits: dict[str, str | None] = {}
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
        self._commits[commit] = wanted
        return load_ruleset(root), f"git-commit {commit[:12]}"

    def _commit_revision(self, commit: str, source: str) -> str | None:
        """The revision of the rules at a commit, or None when git cannot tell here."""
        if commit not in self._commits:
            self._commits[commit] = None
            if resolve_commit(self.rules_root, commit) is not None:
                try:
                    self._commits[commit] = revision(rules_at(self.rules_root, commit, source, self._tmp))
                except InputError:
                    pass
        return self._commits[commit]

    def check(self, receipt: dict, source: str, line: int = 1) -> tuple[bool, str, list[str]]:
        """(identical?, where the rules came from, differences). Raises InputError when the receipt
        cannot be used at all (a changed case, an invalid case, a time that is not a real time)."""
        from .cases import check_case

        if case_hash(receipt["sag"]) != receipt["sag_hash"]:
            raise InputError(source, "sagens hash passer ikke med sagen i kvitteringen (kvitteringen er ændret)", line=line)
        moment = _moment(receipt["tidspunkt"], source, line)
        ruleset, origin = self.rules_for(receipt, source)
        try:
            check_case(Document(receipt["sag"], source, line), ruleset)
        except InputError as exc:
            raise InputError(
                source,
                f"sagen i kvitteringen er ikke en gyldig sag: {exc.message}",
                line=line,
                field="sag." + exc.field if exc.field else "sag",
            ) from None
        day = dt.date.fromisoformat(receipt["vurderingsdato"]) if receipt["vurderingsdato"] else None
        again = evaluate(ruleset, receipt["sag"], day, trace="spor" in receipt["afgoerelse"])
        diffs = self.asserted(receipt, ruleset, again, source)
        diffs += differences(receipt["afgoerelse"], again)
        return not diffs, f"{origin}, afgjort {moment}", diffs

    def asserted(self, receipt: dict, ruleset: Ruleset, again: dict, source: str) -> list[str]:
        """What the receipt says about the rules that does not hold for the rules found."""
        out = []
        recorded = receipt["regelsaet"]
        if recorded["navn"] != ruleset.name or recorded["version"] != ruleset.version:
            out.append("regelsættets navn eller version passer ikke med reglerne")
        if recorded["filer"] != ruleset.files:
            wrong = sorted(
                set(recorded["filer"]) ^ set(ruleset.files) | {f for f in recorded["filer"] if ruleset.files.get(f) != recorded["filer"][f]}
            )
            out.append(f"filernes hashes passer ikke med reglerne ({', '.join(wrong[:3])}{', …' if len(wrong) > 3 else ''})")
        if receipt["afgoerende_versioner"] != deciding_versions(ruleset, dt.date.fromisoformat(again["sag"]["dato"])):
            out.append("de afgørende regelversioner passer ikke med reglerne")
        if recorded["git"] and not recorded["git"]["aendret"]:
            found = self._commit_revision(recorded["git"]["commit"], source)
            if found is not None and found != ruleset.revision:
                out.append(f"reglerne i git-commit {recorded['git']['commit'][:12]} har ikke revisionen {ruleset.revision}")
            elif found is None:
                out.append(f"git-commit {recorded['git']['commit'][:12]} findes ikke i git-historikken her")
        return out


def _moment(text: str, source: str, line: int) -> str:
    """The receipt's time, if it is a real UTC time that has already happened."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(source, "tidspunktet er ikke et tidspunkt med tidszone (ÅÅÅÅ-MM-DDTtt:mm:ss+00:00)", line=line, field="tidspunkt")
    if moment > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
        raise InputError(source, "tidspunktet ligger i fremtiden", line=line, field="tidspunkt")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


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
    if not out and before != after:
        out.append("afgørelsen er ændret")
    return out
