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
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from . import numbers
from .errors import InputError
from .numbers import NumberError
from .safefiles import open_regular, read_bytes

MAX_BYTES = 10 * 1024 * 1024
MAX_BATCH_BYTES = 1024 * 1024 * 1024  # JSON Lines batches (corpora for impact reports) may be large
MAX_LINE_BYTES = MAX_BYTES  # one line of a JSON Lines batch is one case: the limit of a case file
MAX_DOCUMENTS = 1000  # documents in one YAML file; larger batches are JSON Lines, read line by line
MAX_NODES = 100_000  # values in one YAML document (a real case has a few hundred)
# libyaml's parser when PyYAML was built with it (the wheels are); the pure-Python one otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)$")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON text with no run of 16 digits and points and no exponent has only numbers of at most 15
# digits, which the plain parser reads exactly; anything else goes through numbers.literal.
_LONG_NUMBER = re.compile(r"[0-9][0-9.]{15,}|[0-9][eE]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
SURROGATE_MESSAGE = "teksten indeholder et enkelt surrogattegn (fx \\ud800), som ikke er gyldig Unicode"


@dataclass
class Document:
    """One loaded document with the 1-based line of each path inside it."""

    data: Any
    source: str
    line: int = 1
    lines: dict[tuple, int] = field(default_factory=dict)
    texts: dict[tuple, str] = field(default_factory=dict)  # how each decimal number was written (YAML)

    def line_of(self, path: tuple) -> int | None:
        """The line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return self.line
            path = path[:-1]


def decode(raw: bytes, source: str) -> str:
    """Bytes as UTF-8 text, refusing binary, UTF-16 and other encodings."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "filen er gemt som UTF-16; gem den som UTF-8")
    if b"\x00" in raw:
        raise InputError(source, "filen er binær (indeholder NUL-bytes); forventede YAML eller JSON-tekst")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(source, "filen er ikke gyldig UTF-8", line=line) from None


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a regular file as UTF-8 text, refusing binary, oversized and non-UTF-8 input."""
    return decode(read_bytes(path, max_bytes), str(path))


def iter_documents(path: Path, max_bytes: int = MAX_BYTES):
    """The documents of a YAML, JSON or JSON Lines file (by its ending), one at a time; a JSON
    Lines file yields the error of a bad line in its place and goes on."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from stream_jsonl(path)
        return
    text = read_text(path, max_bytes)
    if suffix == ".json":
        yield parse_json(text, str(path), 1)
        return
    yield from parse_yaml(text, str(path))


def load_documents(path: Path, max_bytes: int = MAX_BYTES) -> list[Document]:
    """All documents in a file; the first error stops."""
    docs = []
    for doc in iter_documents(path, max_bytes):
        if isinstance(doc, InputError):
            raise doc
        docs.append(doc)
    return docs


def load_one(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Exactly one document (rule, parameter and receipt files)."""
    docs = load_documents(path, max_bytes)
    return one_document(docs, str(path))


def one_document(docs: list[Document], source: str) -> Document:
    if len(docs) != 1:
        raise InputError(source, f"forventede ét YAML-dokument, fandt {len(docs)}")
    return docs[0]


class _Refused:
    """Stands in for a number the JSON parser could not read exactly, until its field is known."""

    def __init__(self, error: NumberError):
        self.error = error


def _find(data: Any, wanted: Callable[[Any], bool], path: tuple = ()) -> tuple | None:
    """The path of the first value (in document order) for which `wanted` is true."""
    if wanted(data):
        return path
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(key, str) and wanted(key):
            return path + (key,)
        found = _find(value, wanted, path + (key,))
        if found is not None:
            return found
    return None


def parse_json(text: str, source: str, line: int) -> Document:
    """One JSON document, every number exactly as written, no key twice, no lone surrogate."""
    if not _LONG_NUMBER.search(text) and "\\u" not in text:
        data = _compact(text)
        if data is not _NOT_COMPACT:
            return Document(data=data, source=source, line=line)
    refused: list[_Refused] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                raise InputError(source, f"nøglen '{key}' står to gange", line=line)
            out[key] = value
        return out

    def no_constant(name: str) -> Any:
        raise InputError(source, f"'{name}' er ikke et tal her", line=line)

    def exact(parse: Callable[[str], Any]) -> Callable[[str], Any]:
        def number(token: str) -> Any:
            try:
                return parse(token)
            except NumberError as exc:
                refused.append(_Refused(exc))
                return refused[-1]

        return number

    hooks: dict[str, Any] = (
        {"parse_float": exact(numbers.decimal_literal), "parse_int": exact(numbers.integer_literal)} if _LONG_NUMBER.search(text) else {}
    )
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant, **hooks)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"ugyldig JSON: {exc.msg}", line=line + exc.lineno - 1) from None
    except RecursionError:
        raise InputError(source, "JSON er for dybt indlejret", line=line) from None
    if refused:
        path = _find(data, lambda v: v is refused[0])
        raise InputError(source, refused[0].error.message, line=line, field=pointer(path) if path else None)
    if _SURROGATE_ESCAPE.search(text):
        path = _find(data, lambda v: isinstance(v, str) and _SURROGATE.search(v) is not None)
        if path is not None:
            raise InputError(source, SURROGATE_MESSAGE, line=line, field=pointer(path) or None)
    return Document(data=data, source=source, line=line)


_NOT_COMPACT = object()


def _compact(text: str) -> Any:
    """orjson's reading of JSON that a program wrote compactly (the JSON Lines of a batch), used only
    when writing it back gives exactly the text: then no key was repeated (the text would be
    longer), no number was rounded and no constant such as NaN was read. Anything else is read by
    the standard library with every check (`parse_json`). Numbers reach here only when short
    enough to be exact, and text only without \\u escapes (which the slow path checks)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return _NOT_COMPACT
    try:
        return data if orjson.dumps(data) == text.encode("utf-8") else _NOT_COMPACT
    except (TypeError, UnicodeEncodeError):
        return _NOT_COMPACT


def parse_text(text: str, source: str, suffix: str) -> list[Document]:
    """The documents in YAML text, or in JSON text when `suffix` is `.json` (a request body)."""
    if suffix == ".json":
        return [parse_json(text, source, 1)]
    return list(parse_yaml(text, source))


def decode_jsonl_line(raw: bytes, number: int, source: str) -> str:
    """One line of a JSON Lines batch as text, with the checks a file gets (NUL bytes, UTF-8)."""
    if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "filen er gemt som UTF-16; gem den som UTF-8")
    if b"\x00" in raw:
        raise InputError(source, "linjen er binær (indeholder NUL-bytes); forventede en sag i JSON", line=number)
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(source, "linjen er ikke gyldig UTF-8", line=number) from None


def parse_json_line(raw: bytes, number: int, source: str) -> Document:
    """One line of a JSON Lines batch received whole (the HTTP service), with its line number."""
    return parse_json(decode_jsonl_line(raw, number, source), source, number)


def stream_jsonl(path: Path):
    """A large JSON Lines batch read line by line, so 100,000 cases never sit in memory at once.
    Each line is limited like a case file; a bad line (too long, not UTF-8, NUL bytes, bad JSON)
    yields its own error and the lines after it are still read."""
    for item in stream_jsonl_lines(path):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield parse_json(*item)
        except InputError as exc:
            yield exc


def stream_jsonl_lines(path: Path) -> Iterator[tuple[str, str, int] | InputError]:
    """(text, source, line number) of every non-empty line of a JSON Lines batch, before the JSON
    is read (`parse_json`), or the error of a line that is not text at all."""
    source = str(path)
    with open_regular(path, MAX_BATCH_BYTES, source) as handle:
        number = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (rest := handle.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                    pass
                yield InputError(source, f"linjen er over {MAX_LINE_BYTES} byte; en sag må højst fylde {MAX_LINE_BYTES} byte", line=number)
                continue
            if number == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield InputError(source, "filen er gemt som UTF-16; gem den som UTF-8")
                return
            try:
                text = decode_jsonl_line(raw, number, source)
            except InputError as exc:
                yield exc
                continue
            if text.strip():
                yield text, source, number


def _line(event: Any) -> int | None:
    """The 1-based line of a parser event (PyYAML gives every event a mark)."""
    return event.start_mark.line + 1 if event.start_mark is not None else None


def screen(text: str, source: str, max_nodes: int) -> None:
    """Refuse aliases, deep nesting, too many values or too many documents from the event stream,
    before anything is built.

    This is what keeps a "billion laughs" file, a file of 100,000 nested brackets or a million
    tiny documents cheap: the parser streams events without recursion, and we stop at the first
    offending one.
    """
    depth = nodes = documents = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise InputError(source, "YAML-aliaser (*navn) er ikke tilladt; skriv værdien ud", line=_line(event), code="LBF001")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.ScalarEvent)):
            nodes += 1
            if nodes > max_nodes:
                raise InputError(
                    source, f"dokumentet har over {max_nodes} værdier; højst {max_nodes} er tilladt", line=_line(event), code="LBF005"
                )
            if not isinstance(event, yaml.ScalarEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(source, f"for dyb indlejring (højst {MAX_DEPTH} niveauer)", line=_line(event), code="LBF001")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            nodes = 0
            documents += 1
            if documents > MAX_DOCUMENTS:
                raise InputError(
                    source,
                    f"filen har over {MAX_DOCUMENTS} YAML-dokumenter; brug JSON Lines (.jsonl) til store batches",
                    line=_line(event),
                    code="LBF005",
                )


def parse_yaml(text: str, source: str, max_nodes: int = MAX_NODES):
    """The documents of a YAML text, one at a time (a trailing empty document after `---` is not one)."""
    try:
        screen(text, source, max_nodes)
        nodes = yaml.compose_all(text, Loader=_LOADER)
        for node in nodes:
            if node is None or (isinstance(node, yaml.ScalarNode) and node.value == "" and node.style in (None, "")):
                continue
            walker = _Walker(source)
            data = walker.walk(node, (), 0)
            yield Document(data=data, source=source, line=node.start_mark.line + 1, lines=walker.lines, texts=walker.texts)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "ukendt fejl"
        if "maximum nesting depth" in problem:  # the C parser of newer PyYAML wheels stops deep nesting before `screen` sees it
            problem = f"for dyb indlejring (højst {MAX_DEPTH} niveauer)"
            raise InputError(source, problem, line=mark.line + 1 if mark else None, code="LBF001") from None
        raise InputError(
            source,
            f"ugyldig YAML: {problem}",
            line=mark.line + 1 if mark else None,
            code="LBF001",
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise InputError(
            source, f"ugyldig YAML: tegnet U+{exc.character:04X} er et kontroltegn, som ikke er tilladt i YAML", line=line, code="LBF001"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"ugyldig YAML: {exc}") from None
    except RecursionError:
        raise InputError(source, "YAML er for dybt indlejret") from None


class _Walker:
    """Turns a composed node tree into plain data, recording the line of every path."""

    def __init__(self, source: str):
        self.source = source
        self.lines: dict[tuple, int] = {}
        self.texts: dict[tuple, str] = {}
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
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def scalar(self, node: yaml.ScalarNode, path: tuple) -> Any:
        if node.style in ("'", '"', "|", ">"):  # quoted or block scalar: always text
            if node.tag != "tag:yaml.org,2002:str":
                raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
            if _SURROGATE.search(node.value):
                raise InputError(self.source, SURROGATE_MESSAGE, line=node.start_mark.line + 1, field=pointer(path) or None)
            return node.value
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"YAML-tagget '{node.tag}' er ikke tilladt")
        value = node.value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value) or _FLOAT.match(value):
            try:
                number = numbers.literal(value)
            except NumberError as exc:
                raise InputError(
                    self.source,
                    exc.message,
                    line=node.start_mark.line + 1,
                    field=pointer(path) or None,
                    code="LBF001",
                    column=node.start_mark.column + 1,
                ) from None
            if isinstance(number, float):
                self.texts[path] = value
            return number
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
