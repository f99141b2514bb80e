"""A cache of the validated rule documents, keyed by the content hash of the rule repository.

Why: validating ~30 rule files against their schemas is most of a caseworker's `lbf-rules check`.
The cache holds plain JSON (the documents' data and line numbers), never code or pickles, and is
written only after a load that found no problem. Any change to any file under rules/ changes the
hash, so a stale entry is never used. `LBF_NO_CACHE=1` turns it off; `LBF_CACHE_DIR` moves it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .yamlio import Document

FORMAT = 1


def cache_dir() -> Path | None:
    if os.environ.get("LBF_NO_CACHE"):
        return None
    if os.environ.get("LBF_CACHE_DIR"):
        return Path(os.environ["LBF_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lbf-rules"


def _file(revision: str) -> Path | None:
    folder = cache_dir()
    return folder / f"regler-{revision.replace(':', '-')}.json" if folder else None


def load(root: Path, revision: str) -> dict[str, Document] | None:
    """The cached documents by path relative to `root`, or None (no cache, unreadable, other format)."""
    path = _file(revision)
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("revision") != revision:
        return None
    return {
        rel: Document(doc["data"], str(root / rel), doc["line"], {tuple(p): line for p, line in doc["lines"]})
        for rel, doc in data["dokumenter"].items()
    }


def save(root: Path, revision: str, docs: dict[Path, Document]) -> None:
    """Store the documents; any failure to write (read-only home, full disk) is ignored."""
    path = _file(revision)
    if path is None:
        return
    payload = {
        "format": FORMAT,
        "revision": revision,
        "dokumenter": {
            Path(p).relative_to(root).as_posix(): {"data": d.data, "line": d.line, "lines": [[list(k), v] for k, v in d.lines.items()]}
            for p, d in docs.items()
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".regler-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
