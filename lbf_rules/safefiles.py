"""Files at the boundary: read only regular files, bounded; write only where the user asked, atomically.

Why: a path from the command line, a case folder, the rule folder or the cache may name a FIFO
(opening it for reading blocks until someone writes), a device (`/dev/zero` never ends), a huge
sparse file, a folder, or a symbolic link to any of them. Every read here opens without blocking,
checks on the open descriptor that it is a regular file within the size limit, and reads at most
that much. Every write goes to a temporary file in the target's folder and replaces the target in
one step, so a reader sees the old file or the whole new one, never half, and an interrupted run
leaves the old file as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, UsageError
from .escape import plain

CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in Danish."""
    if stat.S_ISDIR(mode):
        return "en mappe"
    if stat.S_ISFIFO(mode):
        return "et navngivet rør (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhed"
    if stat.S_ISSOCK(mode):
        return "en sokkel"
    if stat.S_ISLNK(mode):
        return "et symbolsk link"
    return "ikke en almindelig fil"


def not_regular(mode: int) -> str:
    return f"er ikke en almindelig fil, men {kind_of(mode)}"


_READ_ERRORS = {
    errno.ENOENT: "filen findes ikke",
    errno.EACCES: "ingen adgang til filen (tilladelse nægtet)",
    errno.EPERM: "ingen adgang til filen (tilladelse nægtet)",
    errno.EISDIR: "er en mappe, ikke en fil",
    errno.ELOOP: "symbolske links i ring",
    errno.ENAMETOOLONG: "stien er for lang",
}
_WRITE_ERRORS = {
    errno.EACCES: "ingen skriveadgang",
    errno.EPERM: "ingen skriveadgang",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "der er ikke mere plads på disken",
    errno.EDQUOT: "der er ikke mere plads på disken",
    errno.ENOENT: "mappen findes ikke eller tillader ikke nye filer",
}


def oserror_text(exc: OSError) -> str:
    """An OSError from opening or reading a file, as a short Danish message."""
    return _READ_ERRORS.get(exc.errno or 0, f"kan ikke læse filen ({exc.strerror or exc})")


def write_error_text(exc: OSError) -> str:
    """An OSError from creating or writing a file, in Danish."""
    return _WRITE_ERRORS.get(exc.errno or 0, f"skrivefejl ({exc.strerror or exc})")


def too_large(size: int, limit: int) -> str:
    return f"filen er {size} byte; højst {limit} byte er tilladt"


@contextmanager
def open_regular(path: Path | str, max_bytes: int, source: str | None = None) -> Iterator[BinaryIO]:
    """An open binary file, only if `path` is a regular file of at most `max_bytes` bytes."""
    source = source or str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(source, oserror_text(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(source, not_regular(info.st_mode))
        if info.st_size > max_bytes:
            raise InputError(source, too_large(info.st_size, max_bytes))
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bytes(path: Path | str, max_bytes: int, source: str | None = None) -> bytes:
    """The whole content of a regular file of at most `max_bytes` bytes (checked while reading too,
    so a file that grows after it was opened is still refused)."""
    source = source or str(path)
    with open_regular(path, max_bytes, source) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(source, oserror_text(exc)) from None
    if len(data) > max_bytes:
        raise InputError(source, f"filen er over {max_bytes} byte; højst {max_bytes} byte er tilladt")
    return data


def sha256_file(path: Path | str, max_bytes: int, source: str | None = None) -> tuple[str, int]:
    """(hex sha256, size) of a regular file, read in chunks."""
    source = source or str(path)
    digest = hashlib.sha256()
    size = 0
    with open_regular(path, max_bytes, source) as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise InputError(source, f"filen er over {max_bytes} byte; højst {max_bytes} byte er tilladt")
            digest.update(chunk)
    return digest.hexdigest(), size


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_target(path: Path, inputs: list[Path], what: str) -> None:
    """Refuse an output path before any work is done: it must be a regular file or a new file in an
    existing, writable folder, not a symbolic link and not one of the inputs."""
    source = plain(path, 300)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"{source}: {what} kan ikke skrives: {oserror_text(exc)}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise UsageError(f"{source}: {what} skrives ikke gennem et symbolsk link; angiv selve filen")
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(f"{source}: {what} kan ikke skrives: stien {not_regular(info.st_mode)}")
        for item in inputs:
            try:
                if same_file(info, os.stat(item)):
                    raise UsageError(f"{source}: {what} må ikke overskrive en af inputfilerne")
            except OSError:
                continue
    if not folder.is_dir():
        raise UsageError(f"{source}: mappen til {what} findes ikke")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{source}: der er ikke skriveadgang til mappen til {what}")


class AtomicWriter:
    """Write a text file atomically: `with AtomicWriter(path) as out: out.write(...)`.

    The temporary file gets the permissions a newly created file would get; it replaces the target
    only when the block ends without an error (Ctrl-C included), and is removed otherwise."""

    def __init__(self, path: Path):
        self.path = path
        self.folder = path.parent if str(path.parent) else Path(".")

    def __enter__(self):
        try:
            import tempfile  # here, not at start-up: most runs write nothing

            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.folder)
        except OSError as exc:
            raise UsageError(f"{plain(self.path, 300)}: kan ikke skrives: {write_error_text(exc)}") from None
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        self.handle = os.fdopen(fd, "w", encoding="utf-8")
        return self.handle

    def __exit__(self, kind, value, tb) -> None:
        try:
            if kind is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
            self.handle.close()
            if kind is None:
                os.replace(self.tmp, self.path)
        except OSError as exc:
            raise UsageError(
                f"{plain(self.path, 300)}: kunne ikke skrives færdig: {write_error_text(exc)}; en eventuel tidligere fil er uændret"
            ) from None
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)
