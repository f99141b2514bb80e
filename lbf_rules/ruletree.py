"""The files of a rule repository: only regular files, within limits, each read and hashed once.

Why: every file under `rules/` goes into the repository's content hash (its revision), and the YAML
files into the rules. A FIFO there would hang the read, `/dev/zero` or a sparse file would fill
memory, a folder named `x.yaml` is not a rule file, and a symbolic link could pull in any file on
the machine. The scan walks the folder without following links, refuses anything that is not a
regular file or a folder (naming what it is), checks the limits before reading, and reads each
file once in chunks: the revision, each file's sha256 (for receipts and the rule cache) and the
bytes of the YAML files the loader parses come from the same read, so what is parsed is exactly
what was hashed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, RuleError
from .safefiles import CHUNK, not_regular, open_regular, oserror_text

MAX_YAML_BYTES = 1024 * 1024  # one rule or parameter file (the largest today is 7 kB)
MAX_OTHER_BYTES = 10 * 1024 * 1024  # any other file in the folder (hashed, never parsed)
MAX_FILES = 2000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
LIMIT_CODE = "LBF005"


@dataclass
class TreeFile:
    rel: str
    path: Path
    sha256: str
    data: bytes | None  # the content of a YAML file; None for other files


@dataclass
class Tree:
    root: Path
    revision: str
    files: dict[str, TreeFile] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        return {rel: "sha256:" + f.sha256 for rel, f in self.files.items()}

    def yaml_files(self) -> list[TreeFile]:
        return [f for f in self.files.values() if f.data is not None]


def _entries(root: Path, report) -> list[tuple[tuple[str, ...], Path]]:
    """(parts relative to root, path) of every regular file, without following links."""
    found: list[tuple[tuple[str, ...], Path]] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while pending:
        folder, parts = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            report(RuleError(str(folder), f"mappen kan ikke læses: {oserror_text(exc)}", code=LIMIT_CODE))
            continue
        for entry in entries:
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                report(RuleError(entry.path, oserror_text(exc), code=LIMIT_CODE))
                continue
            if stat.S_ISDIR(mode):
                pending.append((Path(entry.path), parts + (entry.name,)))
            elif stat.S_ISREG(mode):
                found.append((parts + (entry.name,), Path(entry.path)))
            else:
                report(
                    RuleError(entry.path, f"{not_regular(mode)}; regelmappen må kun indeholde almindelige filer og mapper", code=LIMIT_CODE)
                )
        if len(found) > MAX_FILES:
            report(RuleError(str(root), f"regelmappen har over {MAX_FILES} filer; højst {MAX_FILES} er tilladt", code=LIMIT_CODE))
            return []
    return sorted(found)


def scan(root: Path, report) -> Tree:
    """Every file under `root`, hashed; problems go to `report` (which raises or collects).

    The revision is the same hash as always: sha256 over each file's relative path and content in
    path order, shortened to 16 hex digits."""
    digest = hashlib.sha256()
    tree = Tree(root, "")
    total = 0
    for parts, path in _entries(root, report):
        rel = "/".join(parts)
        is_yaml = path.suffix.lower() in (".yaml", ".yml")
        limit = MAX_YAML_BYTES if is_yaml else MAX_OTHER_BYTES
        try:
            with open_regular(path, limit, str(path)) as handle:
                file_digest = hashlib.sha256()
                chunks: list[bytes] = []
                size = 0
                digest.update(rel.encode() + b"\0")
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise RuleError(
                            str(path), f"filen er over {limit} byte; højst {limit} byte er tilladt i regelmappen", code=LIMIT_CODE
                        )
                    digest.update(chunk)
                    file_digest.update(chunk)
                    if is_yaml:
                        chunks.append(chunk)
                digest.update(b"\0")
        except RuleError as exc:
            report(exc)
            continue
        except InputError as exc:  # from open_regular: not a regular file, too large, unreadable
            report(RuleError(exc.source, exc.message, code=LIMIT_CODE))
            continue
        total += size
        if total > MAX_TOTAL_BYTES:
            report(
                RuleError(
                    str(root), f"regelmappen fylder over {MAX_TOTAL_BYTES} byte; højst {MAX_TOTAL_BYTES} byte er tilladt", code=LIMIT_CODE
                )
            )
            break
        tree.files[rel] = TreeFile(rel, path, file_digest.hexdigest(), b"".join(chunks) if is_yaml else None)
    tree.revision = "sha256:" + digest.hexdigest()[:16]
    return tree
