"""Reading cases: single files, folders, JSON Lines and multi-document YAML batches.

Each case is validated against `schemas/case.schema.json` plus the checks a schema cannot
express: a count, an amount or a year written with decimals is refused with the reason (in YAML,
`beboere: 2.000` is the number 2, not 2000); a bound `{over: a, under: b}` needs a < b; and a
category value (an indsatsområde) must be one the facts catalogue names, so a misspelling is an
input error with "mente du", not a substantive "outside this period's areas". A bad case becomes
an InputError that names the file and line; the other cases in a batch are still read.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import numbers, schemas
from .errors import InputError
from .safefiles import oserror_text
from .yamlio import Document, iter_documents, parse_json, pointer, stream_jsonl_lines

if TYPE_CHECKING:
    from .ruleset import Ruleset

CASE_SUFFIXES = {".yaml", ".yml", ".json", ".jsonl"}
MAX_ERRORS_PER_FILE = 100  # after this many bad cases in one file, the rest of it is not read


@dataclass
class LoadedCase:
    data: dict
    source: str
    line: int


@dataclass
class Refused:
    """A bad case found while reading, passed on in its place with `defer`, so that it is reported
    in input order with the errors found where the other cases are read."""

    error: InputError
    source: str

    def load(self, ruleset: Ruleset | None) -> InputError:
        return self.error


@dataclass
class Unread:
    """A line of a JSON Lines batch not yet read as a case: `load` does that where it is used (a
    worker process with `--jobs`), with exactly the checks `read_cases` makes."""

    text: str
    source: str
    line: int

    def load(self, ruleset: Ruleset | None) -> LoadedCase | InputError:
        try:
            return LoadedCase(check_case(parse_json(self.text, self.source, self.line), ruleset), self.source, self.line)
        except InputError as exc:
            return exc


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
    for item in _documents(path, iter_documents):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield LoadedCase(check_case(item, ruleset), item.source, item.line)
        except InputError as exc:
            yield exc


def unread_cases(path: Path) -> Iterator[Unread | InputError]:
    """The lines of a JSON Lines batch as `Unread` cases, read and checked where they are used."""
    for item in _documents(path, stream_jsonl_lines):
        yield item if isinstance(item, InputError) else Unread(*item)


def _documents(path: Path, read: Callable[[Path], Iterator[Any]]) -> Iterator[Any]:
    """What `read` gives of one file, an error that stops it, or that it holds no case."""
    seen = False
    try:
        for item in read(path):
            seen = True
            yield item
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
    and the file is left.

    With `defer`, JSON Lines lines come as `Unread` and bad cases as `Refused`; whoever loads them
    reports each error through `failed` in input order (lbf_rules/batch.py), so the messages, their
    order and the limit are the same."""

    def __init__(self, paths: list[Path], ruleset: Ruleset | None = None, on_error: Callable[[InputError], None] = _on_stderr):
        self.paths = expand(paths)
        self.ruleset = ruleset
        self.on_error = on_error
        self.failures = 0
        self.defer = False
        self._errors: dict[str, int] = {}  # bad cases so far, by file
        self.left: set[str] = set()  # files left after too many bad cases: nothing more of them counts

    def __iter__(self) -> Iterator[LoadedCase]:
        for path in self.paths:
            source = str(path)
            deferred = self.defer and path.suffix.lower() == ".jsonl"
            for item in unread_cases(path) if deferred else read_cases(path, self.ruleset):
                if source in self.left:
                    break
                if not isinstance(item, InputError):
                    yield item  # type: ignore[misc]  # an Unread only with `defer`
                elif self.defer:
                    yield Refused(item, source)  # type: ignore[misc]
                else:
                    self.failed(item, source)

    def failed(self, error: InputError, source: str) -> None:
        """Report a bad case of the file `source`, or once that the file is left."""
        if source in self.left:
            return
        self.failures += 1
        errors = self._errors[source] = self._errors.get(source, 0) + 1
        if errors > MAX_ERRORS_PER_FILE:
            self.left.add(source)
            self.on_error(InputError(source, f"over {MAX_ERRORS_PER_FILE} ugyldige sager i filen; resten af filen er ikke læst"))
            return
        self.on_error(error)


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


def _any_float(data: object, trie: dict) -> bool:
    """Whether any float lies where a path of the trie (`_integer_trie`) ends: one walk over the
    case for all the paths at once, so a case without such a float is passed quickly."""
    for key, sub in trie.items():
        if key is _END:
            continue
        values: Iterable[object]
        if key == "*":
            values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
        else:
            value = data.get(key) if isinstance(data, dict) else None
            values = () if value is None else (value,)
        for value in values:
            if (value.__class__ is float and _END in sub) or (value.__class__ in (dict, list) and _any_float(value, sub)):
                return True
    return False


_END = object()  # marks where a path of the trie ends


@functools.cache
def _integer_trie() -> dict:
    trie: dict = {}
    for pattern in schemas.integer_paths("case"):
        node = trie
        for part in pattern:
            node = node.setdefault(part, {})
        node[_END] = True
    return trie


def _check_whole_numbers(doc: Document) -> None:
    """A decimal number where the case schema wants a whole number (a count, an amount, a year):
    JSON Schema accepts 2.0 as an integer, so without this `beboere: 2.000` would be 2 residents.
    The first such number in the schema's order is reported."""
    if not _any_float(doc.data, _integer_trie()):
        return
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
