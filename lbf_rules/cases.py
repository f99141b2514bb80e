"""Reading cases: single files, folders, JSON Lines and multi-document YAML batches.

Each case is validated against `schemas/case.schema.json` plus the checks a schema cannot
express (a bound `{over: a, under: b}` needs a < b). A bad case becomes an InputError that
names the file and line; the other cases in a batch are still read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import schemas
from .errors import InputError
from .yamlio import Document, load_documents, pointer, stream_jsonl

CASE_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl"}


@dataclass
class LoadedCase:
    data: dict
    source: str
    line: int


def expand(paths: list[Path]) -> list[Path]:
    """Files to read: each file as given, each folder's case files in sorted order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CASE_SUFFIXES)
            if not found:
                raise InputError(str(path), "mappen indeholder ingen sagsfiler (.yaml, .yml, .json, .jsonl)")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(str(path), "filen findes ikke")
    return out


def read_cases(path: Path) -> Iterator[LoadedCase | InputError]:
    """Every case in one file, or the error that stops a document from being a case.
    JSON Lines are read line by line; a bad line does not stop the lines after it."""
    try:
        docs = stream_jsonl(path) if path.suffix.lower() == ".jsonl" else load_documents(path)
        seen = False
        for doc in docs:
            seen = True
            if isinstance(doc, InputError):
                yield doc
                continue
            try:
                yield LoadedCase(check_case(doc), doc.source, doc.line)
            except InputError as exc:
                yield exc
    except InputError as exc:
        yield exc
        return
    if not seen:
        yield InputError(str(path), "filen indeholder ingen sag")


class CaseReader:
    """Every valid case under some paths, in order; each bad one reported as one line on stderr.

    Commands go on with the other cases and end with exit status 2 when `failures` is not zero.
    """

    def __init__(self, paths: list[Path]):
        self.paths = expand(paths)
        self.failures = 0

    def __iter__(self) -> Iterator[LoadedCase]:
        import click

        for path in self.paths:
            for item in read_cases(path):
                if isinstance(item, InputError):
                    self.failures += 1
                    click.echo(f"fejl: {item.oneline()}", err=True)
                else:
                    yield item


def check_case(doc: Document) -> dict:
    """The case data if it is a valid case, else an InputError naming the line and field."""
    if not isinstance(doc.data, dict):
        kind = "en liste" if isinstance(doc.data, list) else "en enkelt værdi"
        raise InputError(doc.source, f"en sag skal være et objekt med felter, ikke {kind}", line=doc.line)
    schemas.validate(doc, "case")
    for name, value in (doc.data.get("kriterier") or {}).items():
        _check_bound(doc, ("kriterier", name), value, whole=False)
    _check_bound(doc, ("beboere",), doc.data.get("beboere"), whole=True)
    return doc.data


def _check_bound(doc: Document, path: tuple, value: object, whole: bool) -> None:
    """A bound must leave room for a value: over < under, and a whole number between them for counts."""
    if not (isinstance(value, dict) and "over" in value and "under" in value):
        return
    low, high = value["over"], value["under"]
    if low >= high:
        problem = f"'over' ({low}) skal være mindre end 'under' ({high})"
    elif whole and high - low < 2:
        problem = f"intet helt tal ligger mellem 'over' ({low}) og 'under' ({high})"
    else:
        return
    raise InputError(doc.source, f"grænsen er tom: {problem}", line=doc.line_of(path), field=pointer(path))
