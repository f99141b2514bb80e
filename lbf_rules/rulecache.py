"""A cache of the validated rule documents that can never change a decision.

Why a cache: validating ~30 rule files against their schemas is most of a caseworker's
`lbf-rules check` (about 350 ms against 10 ms from the cache). Why it cannot lie: a cache is input
like any other, in a folder someone else may control, so an entry is used only when all of this holds:

- the folder is the user's own (created with mode 0700; not used at all when it belongs to another
  user or is writable by group or others);
- the entry and the key are regular files of the user's, within a size limit (a FIFO, a device or
  a link to one is never opened for reading);
- the entry carries an HMAC-SHA256 of its content under a random key only the user can read
  (`noegle`, mode 0600), so a planted, copied or damaged entry does not verify;
- the entry lists the sha256 of every rule file it was made from, and they are exactly the hashes
  of the files just read for this run.

Anything else is a miss: the rules are validated again, silently; a cache problem never stops a
run. The entry holds plain JSON (documents and line numbers), never code or pickles, and is written
only after a load that found no problem. `LBF_NO_CACHE=1` turns it off; `LBF_CACHE_DIR` moves it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path

from .ruletree import Tree
from .safefiles import read_bytes
from .yamlio import Document

FORMAT = 2
KEY_NAME = "noegle"
KEY_BYTES = 32
MAX_ENTRY_BYTES = 32 * 1024 * 1024


def cache_dir() -> Path | None:
    if os.environ.get("LBF_NO_CACHE"):
        return None
    if os.environ.get("LBF_CACHE_DIR"):
        return Path(os.environ["LBF_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lbf-rules"


def _own(info: os.stat_result, private: bool) -> bool:
    """Owned by this user and not writable (private: not even readable) by anyone else."""
    mask = 0o077 if private else 0o022
    return info.st_uid == os.getuid() and not info.st_mode & mask


def trusted_dir(create: bool) -> Path | None:
    """The cache folder, if it is this user's own; created with mode 0700 when asked."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    return folder if stat.S_ISDIR(info.st_mode) and _own(info, private=False) else None


def _read_own(path: Path, limit: int, private: bool) -> bytes | None:
    """The content of a regular file of this user's (never through a link), or None."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or not _own(info, private):
            return None
        return read_bytes(path, limit)
    except Exception:  # noqa: BLE001 - missing, unreadable, not regular, too large: a miss
        return None


def _key(folder: Path, create: bool) -> bytes | None:
    path = folder / KEY_NAME
    key = _read_own(path, KEY_BYTES, private=True)
    if key is not None or not create:
        return key if key is not None and len(key) == KEY_BYTES else None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(os.urandom(KEY_BYTES))
    except OSError:
        pass  # another run made it first, or the folder is read-only
    key = _read_own(path, KEY_BYTES, private=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def _entry(folder: Path, revision: str) -> Path:
    return folder / f"regler-{revision.replace(':', '-')}.json"


def _mac(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def load(tree: Tree) -> dict[str, Document] | None:
    """The cached documents by path relative to the rule folder, or None (no entry, or one that
    does not verify against the key and the files just read)."""
    try:
        return _load(tree)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss, never an error
        return None


def _load(tree: Tree) -> dict[str, Document] | None:
    folder = trusted_dir(create=False)
    key = _key(folder, create=False) if folder else None
    if folder is None or key is None:
        return None
    raw = _read_own(_entry(folder, tree.revision), MAX_ENTRY_BYTES, private=False)
    if raw is None:
        return None
    header, _, payload = raw.partition(b"\n")
    head = json.loads(header)
    if head.get("format") != FORMAT or not hmac.compare_digest(str(head.get("mac")), _mac(key, payload)):
        return None
    data = json.loads(payload)
    expected = {f.rel: f.sha256 for f in tree.yaml_files()}
    if data["revision"] != tree.revision or data["filer"] != expected or set(data["dokumenter"]) - set(expected):
        return None
    return {
        rel: Document(doc["data"], str(tree.root / rel), int(doc["line"]), {tuple(p): int(line) for p, line in doc["lines"]})
        for rel, doc in data["dokumenter"].items()
    }


def save(tree: Tree, docs: dict[str, Document]) -> None:
    """Store the documents, bound to the hashes of the files they came from; any failure to write
    (read-only home, full disk, a folder that is not the user's) is ignored."""
    folder = trusted_dir(create=True)
    key = _key(folder, create=True) if folder else None
    if folder is None or key is None:
        return
    payload = json.dumps(
        {
            "revision": tree.revision,
            "filer": {f.rel: f.sha256 for f in tree.yaml_files()},
            "dokumenter": {
                rel: {"data": d.data, "line": d.line, "lines": [[list(k), v] for k, v in d.lines.items()]} for rel, d in docs.items()
            },
        },
        ensure_ascii=False,
    ).encode("utf-8")
    header = json.dumps({"format": FORMAT, "mac": _mac(key, payload)}).encode()
    try:
        import tempfile  # only when an entry is written

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".regler-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(header + b"\n" + payload)
            os.replace(tmp, _entry(folder, tree.revision))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
