"""Strict loading of YAML and JSON documents, keeping the line of every field.

Why not `yaml.safe_load`: it follows YAML 1.1 (`no` becomes false, `2019-13-45` a date error
deep inside PyYAML, `010` an octal number), silently keeps the last of two duplicate keys and
forgets where a value came from. Here a document is composed into nodes (which runs no code)
and walked by hand with YAML 1.2 core scalars: only true/false are booleans, dates stay strings
for the JSON Schema to check, `.nan`/`.inf` are not numbers, tags, aliases and duplicate keys
are errors. Every value's position is recorded so schema errors can name the line.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_BYTES = 10 * 1024 * 1024
MAX_BATCH_BYTES = 1024 * 1024 * 1024  # JSON Lines batches (corpora for impact reports) may be large
# libyaml's parser when PyYAML was built with it (the wheels are); the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)$")

@dataclass
class Document:
    """One loaded document with the 1-based line of each path inside it."""

    data: Any
    source: str
    line: int = 1
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path: tuple) -> int | None:
        """The line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return self.line
            path = path[:-1]


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text, refusing binary, oversized and non-UTF-8 input."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(source, f"kan ikke læse filen ({exc.strerror})") from None
    if size > max_bytes:
        raise InputError(source, f"filen er {size} byte; højst {max_bytes} byte er tilladt")
    return decode(path.read_bytes(), source)


def decode(raw: bytes, source: str) -> str:
    """Bytes (a file, a request body) as UTF-8 text, refusing binary, UTF-16 and non-UTF-8 input."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "filen er gemt som UTF-16; gem den som UTF-8")
    if b"\x00" in raw:
        raise InputError(source, "filen er binær (indeholder NUL-bytes); forventede YAML eller JSON-tekst")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(source, "filen er ikke gyldig UTF-8", line=line) from None


def load_documents(path: Path, max_bytes: int = MAX_BYTES) -> list[Document]:
    """All documents in a YAML, JSON or JSON Lines file (by its ending)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        docs = list(stream_jsonl(path))
        for doc in docs:
            if isinstance(doc, InputError):
                raise doc
        return docs
    return parse_text(read_text(path, max_bytes), str(path), suffix)


def parse_text(text: str, source: str, suffix: str) -> list[Document]:
    """The documents in YAML text, or in JSON text when `suffix` is `.json`."""
    if suffix == ".json":
        return [_load_json(text, source, 1)]
    return _load_yaml(text, source)


def load_one(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Exactly one document (rule, parameter and receipt files)."""
    docs = load_documents(path, max_bytes)
    if len(docs) != 1:
        raise InputError(str(path), f"forventede ét YAML-dokument, fandt {len(docs)}")
    return docs[0]


def _load_json(text: str, source: str, line: int) -> Document:
    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                raise InputError(source, f"nøglen '{key}' står to gange", line=line)
            out[key] = value
        return out

    def no_constant(name: str) -> Any:
        raise InputError(source, f"'{name}' er ikke et tal her", line=line)

    def finite(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise InputError(source, f"'{text}' er ikke et endeligt tal", line=line)
        return value

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant, parse_float=finite)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"ugyldig JSON: {exc.msg}", line=line + exc.lineno - 1) from None
    except RecursionError:
        raise InputError(source, "JSON er for dybt indlejret", line=line) from None
    return Document(data=data, source=source, line=line)


def iter_jsonl_lines(lines, source: str):
    """Documents (or the error of a bad line) from JSON Lines, one line at a time."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            try:
                yield _load_json(raw, source, number)
            except InputError as exc:
                yield exc


def stream_jsonl(path: Path):
    """A large JSON Lines batch read line by line, so 100,000 cases never sit in memory at once;
    the same checks as read_text, per line."""
    source = str(path)
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(source, f"kan ikke læse filen ({exc.strerror})") from None
    if size > MAX_BATCH_BYTES:
        raise InputError(source, f"filen er {size} byte; højst {MAX_BATCH_BYTES} byte er tilladt")

    def lines():
        with handle:
            for number, raw in enumerate(handle, start=1):
                yield decode_jsonl_line(raw, number, source)

    return iter_jsonl_lines(lines(), source)


def parse_json_line(raw: bytes, number: int, source: str) -> Document:
    """One line of a JSON Lines batch received whole (the HTTP service), with its line number."""
    return _load_json(decode_jsonl_line(raw, number, source), source, number)


def decode_jsonl_line(raw: bytes, number: int, source: str) -> str:
    """One line of a JSON Lines batch as text, with the same checks as read_text."""
    if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "filen er gemt som UTF-16; gem den som UTF-8")
    if b"\x00" in raw:
        raise InputError(source, "filen er binær (indeholder NUL-bytes); forventede YAML eller JSON-tekst")
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(source, "filen er ikke gyldig UTF-8", line=number) from None


def _screen_events(text: str, source: str) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is built.

    This is what keeps a "billion laughs" file or a file of 100,000 nested brackets cheap:
    the parser streams events without recursion, and we stop at the first offending one.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(source, "YAML-aliaser (*navn) er ikke tilladt; skriv værdien ud", line=event.start_mark.line + 1, code="LBF001")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(source, f"for dyb indlejring (højst {MAX_DEPTH} niveauer)", line=event.start_mark.line + 1, code="LBF001")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _load_yaml(text: str, source: str) -> list[Document]:
    try:
        _screen_events(text, source)
        nodes = list(yaml.compose_all(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "ukendt fejl"
        raise InputError(source, f"ugyldig YAML: {problem}", line=mark.line + 1 if mark else None, code="LBF001",
                         column=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"ugyldig YAML: {exc}") from None
    except RecursionError:
        raise InputError(source, "YAML er for dybt indlejret") from None
    docs = []
    for node in nodes:
        if node is None:
            continue
        walker = _Walker(source)
        data = walker.walk(node, (), 0)
        docs.append(Document(data=data, source=source, line=node.start_mark.line + 1, lines=walker.lines))
    return docs


class _Walker:
    """Turns a composed node tree into plain data, recording the line of every path."""

    def __init__(self, source: str):
        self.source = source
        self.lines: dict[tuple, int] = {}
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str, code: str = "LBF001") -> InputError:
        return InputError(self.source, message, line=node.start_mark.line + 1, code=code, column=node.start_mark.column + 1)

    def walk(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"for dyb indlejring (højst {MAX_DEPTH} niveauer)")
        if id(node) in self.seen:
            raise self.fail(node, "YAML-aliaser (*navn) er ikke tilladt; skriv værdien ud")
        self.seen.add(id(node))
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    raise self.fail(key_node, "en nøgle skal være en enkel tekst")
                key = key_node.value
                if key == "<<":
                    raise self.fail(key_node, "YAML-fletning ('<<') er ikke tilladt")
                if key in out:
                    raise self.fail(key_node, f"nøglen '{key}' står to gange", code="LBF002")
                out[key] = self.walk(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.style in ("'", '"', "|", ">"):  # quoted or block scalar: always text
            if node.tag != "tag:yaml.org,2002:str":
                raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
        value = node.value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return value


# Tags PyYAML's resolver gives plain scalars; we re-resolve them ourselves (YAML 1.2 core).
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
    "tag:yaml.org,2002:merge",
}


def pointer(path: tuple) -> str:
    """A path as the dotted field name users see: `kriterier.andel_doemte_pct`, `versioner[2].gyldig_fra`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
