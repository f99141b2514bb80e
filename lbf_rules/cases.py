"""Reading cases: single files, folders, JSON Lines and multi-document YAML batches.

Each case is validated against `schemas/case.schema.json` plus the checks a schema cannot
express: a count, an amount or a year written with decimals is refused with the reason (in YAML,
`beboere: 2.000` is the number 2, not 2000); a bound `{over: a, under: b}` needs a < b; and a
category value (an indsatsområde) must be one the facts catalogue names, so a misspelling is an
input error with "mente du", not a substantive "outside this period's areas". A bad case becomes
an InputError that names the file and line; the other cases in a batch are still read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import numbers, schemas
from .errors import InputError
from .safefiles import oserror_text
from .yamlio import Document, iter_documents, pointer

if TYPE_CHECKING:
    from .ruleset import Ruleset

CASE_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl"}
MAX_ERRORS_PER_FILE = 100  # after this many bad cases in one file, the rest of it is not read


@dataclass
class LoadedCase:
    data: dict
    source: str
    line: int


def expand(paths: list[Path]) -> list[Path]:
    """Files to read: each file as given, each folder's case files in sorted order (a FIFO or a
    device among them is kept, to be named as such when it is read)."""
    out: list[Path] = []
    for path in paths:
        try:
            os.stat(path)
        except OSError as exc:
            raise InputError(str(path), oserror_text(exc)) from None
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in CASE_SUFFIXES and not p.is_dir())
            if not found:
                raise InputError(str(path), "mappen indeholder ingen sagsfiler (.yaml, .yml, .json, .jsonl)")
            out.extend(found)
        else:
            out.append(path)
    return out


def read_cases(path: Path, ruleset: Ruleset | None = None) -> Iterator[LoadedCase | InputError]:
    """Every case in one file, or the error that stops a document from being a case.
    Documents are read one at a time; a bad JSON Lines line does not stop the lines after it."""
    seen = False
    try:
        for doc in iter_documents(path):
            seen = True
            if isinstance(doc, InputError):
                yield doc
                continue
            try:
                yield LoadedCase(check_case(doc, ruleset), doc.source, doc.line)
            except InputError as exc:
                yield exc
    except InputError as exc:
        yield exc
        return
    if not seen:
        yield InputError(str(path), "filen indeholder ingen sag")


def _on_stderr(error: InputError) -> None:
    import click

    click.echo(f"fejl: {error.oneline()}", err=True)


class CaseReader:
    """Every valid case under some paths, in order; each bad one handed to `on_error` (by default
    one line on stderr). Commands go on with the other cases and end with exit status 2 when
    `failures` is not zero. After MAX_ERRORS_PER_FILE bad cases in one file, one more error says so
    and the file is left."""

    def __init__(self, paths: list[Path], ruleset: Ruleset | None = None, on_error: Callable[[InputError], None] = _on_stderr):
        self.paths = expand(paths)
        self.ruleset = ruleset
        self.on_error = on_error
        self.failures = 0

    def __iter__(self) -> Iterator[LoadedCase]:
        for path in self.paths:
            errors = 0
            for item in read_cases(path, self.ruleset):
                if not isinstance(item, InputError):
                    yield item
                    continue
                self.failures += 1
                errors += 1
                if errors > MAX_ERRORS_PER_FILE:
                    self.on_error(InputError(str(path), f"over {MAX_ERRORS_PER_FILE} ugyldige sager i filen; resten af filen er ikke læst"))
                    break
                self.on_error(item)


def check_case(doc: Document, ruleset: Ruleset | None = None) -> dict:
    """The case data if it is a valid case, else an InputError naming the line and field.
    With a ruleset, category values are checked against its facts catalogue."""
    if not isinstance(doc.data, dict):
        kind = "en liste" if isinstance(doc.data, list) else "en enkelt værdi"
        raise InputError(doc.source, f"en sag skal være et objekt med felter, ikke {kind}", line=doc.line)
    _check_whole_numbers(doc)
    schemas.validate(doc, "case")
    for name, value in (doc.data.get("kriterier") or {}).items():
        _check_bound(doc, ("kriterier", name), value, whole=False)
    _check_bound(doc, ("beboere",), doc.data.get("beboere"), whole=True)
    if ruleset is not None:
        check_categories(doc, ruleset)
    return doc.data


def _floats_at(data: object, pattern: tuple, path: tuple = ()):
    """(path, value) for every float at a schema path pattern (`*` is any key or index)."""
    if len(pattern) == 1:
        head = pattern[0]
        if head != "*":
            value = data.get(head) if isinstance(data, dict) else None
            if type(value) is float:
                yield path + (head,), value
            return
        items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        yield from ((path + (k,), v) for k, v in items if type(v) is float)
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        for key, value in items:
            yield from _floats_at(value, rest, path + (key,))
    elif isinstance(data, dict) and head in data:
        yield from _floats_at(data[head], rest, path + (head,))


def _check_whole_numbers(doc: Document) -> None:
    """A decimal number where the case schema wants a whole number (a count, an amount, a year):
    JSON Schema accepts 2.0 as an integer, so without this `beboere: 2.000` would be 2 residents."""
    for pattern in schemas.integer_paths("case"):
        for path, value in _floats_at(doc.data, pattern):
            message = numbers.whole_number_problem(value, doc.texts.get(path), _whole_kind(path))
            raise InputError(doc.source, message, line=doc.line_of(path), field=pointer(path))


def _whole_kind(path: tuple) -> str:
    """What a whole-number field holds, by the case format's naming (…_kr, …_aar, historik)."""
    name = str(path[-1]) if not isinstance(path[-1], int) else ""
    if name.endswith("_kr"):
        return "et beløb i hele kroner"
    if name.endswith("_aar"):
        return "et antal år"
    return "et årstal" if path[0] == "historik" else "et antal"


def check_categories(doc: Document, ruleset: Ruleset) -> None:
    """Each item of a list fact with a catalogue of values (the indsatsområder) names a known value."""
    for fact in ruleset.facts.values():
        if fact.item is None:
            continue
        items = doc.data
        for part in fact.field:
            items = items.get(part) if isinstance(items, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(fact.item.field) if isinstance(item, dict) else None
            if value is None or value in fact.item.values:
                continue
            path = fact.field + (i, fact.item.field)
            raise InputError(doc.source, fact.item.unknown(value), line=doc.line_of(path), field=pointer(path))


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
