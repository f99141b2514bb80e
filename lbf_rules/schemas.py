"""JSON Schema validation with one Danish message naming the line and field.

jsonschema reports in English and, for `oneOf`, only that no branch matched. Users (legal staff,
caseworkers) need to know which field on which line is wrong and what was expected, in Danish.
"""

from __future__ import annotations

import difflib
import itertools
import json
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from .errors import InputError
from .paths import schemas_dir
from .yamlio import Document, pointer

if TYPE_CHECKING:  # jsonschema is imported only when a document is checked by it (start-up time)
    from jsonschema.exceptions import ValidationError


_TYPE_NAMES = {
    "number": "et tal",
    "integer": "et heltal",
    "string": "en tekst",
    "boolean": "true eller false",
    "null": "null (ukendt)",
    "object": "et objekt med felter",
    "array": "en liste",
}


@cache
def schema(name: str) -> dict:
    """A schema from `schemas/` by file stem, e.g. `case`."""
    return json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


MAX_ERRORS = 20  # schema errors looked at per document: the first ones say what is wrong
MAX_LINT_ERRORS = 100  # per file, for lint


def _frozen(value: object) -> object:
    """A hashable stand-in with JSON Schema's equality (1 == 1.0, but true is not 1)."""
    if isinstance(value, dict):
        return frozenset((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, bool):
        return (bool, value)
    return value


def _unique_items(validator, unique, instance, schema):
    """`uniqueItems` in linear time (jsonschema compares lists of objects pair by pair)."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array") or len(instance) > schema.get("maxItems", len(instance)):
        return  # an array over its maxItems is reported as that, not compared item by item
    if len({_frozen(v) for v in instance}) != len(instance):
        yield ValidationError("non-unique elements")


@cache
def validator(name: str):
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.validators import extend
    from referencing import Registry, Resource

    # Schemas may refer to each other by file name (the receipt embeds a decision).
    registry = Registry().with_resources(
        (f"{p.name}", Resource.from_contents(json.loads(p.read_text(encoding="utf-8")))) for p in schemas_dir().glob("*.schema.json")
    )
    checker = extend(Draft202012Validator, validators={"uniqueItems": _unique_items})
    file, _, fragment = name.partition("#")  # "receipt#/$defs/kvittering": a part of a schema
    root = {"$ref": f"{schema(file)['$id']}#{fragment}"} if fragment else schema(file)
    return checker(root, format_checker=FormatChecker(), registry=registry)


@cache
def integer_paths(name: str) -> tuple[tuple, ...]:
    """Paths (with `*` for any key or index) where the schema wants a whole number and no
    alternative accepts a decimal one: the fields where 2.0 must not pass as 2."""
    root = schema(name)
    kinds: dict[tuple, set[str]] = {}

    def visit(node: object, path: tuple, refs: tuple) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in refs:
            target: object = root
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            visit(target, path, refs + (ref,))
        types = node.get("type")
        for kind in [types] if isinstance(types, str) else types or []:
            if kind in ("integer", "number"):
                kinds.setdefault(path, set()).add(kind)
        for key in ("oneOf", "anyOf", "allOf"):
            for branch in node.get(key, []):
                visit(branch, path, refs)
        for key, sub in (node.get("properties") or {}).items():
            visit(sub, path + (key,), refs)
        for key in ("additionalProperties", "items"):
            if isinstance(node.get(key), dict):
                visit(node[key], path + ("*",), refs)

    visit(root, (), ())
    return tuple(path for path, found in kinds.items() if found == {"integer"})


@cache
def fast_validator(name: str):
    """A compiled validator (jsonschema-rs, in Rust) used only to accept valid documents quickly:
    about 160,000 cases a second against jsonschema's few thousand.

    jsonschema stays the authority: whatever the fast path rejects is validated again by
    jsonschema, which gives the Danish message; `tests/test_impact_generate.py` checks the two
    agree on valid and broken cases. A reference to another schema file (the receipt embeds a
    decision) is resolved from `schemas/`, never fetched.
    """
    import jsonschema_rs

    def local(uri: str) -> dict:
        return schema(uri.rsplit("/", 1)[-1].removesuffix(".schema.json"))

    file, _, fragment = name.partition("#")
    root = {"$ref": f"{schema(file)['$id']}#{fragment}"} if fragment else schema(file)
    return jsonschema_rs.validator_for(root, validate_formats=True, retriever=local).is_valid


FAST = {"case", "receipt#/$defs/kvittering"}  # validated per document in batches: compiled once


def validate(doc: Document, name: str, error_type: type[InputError] = InputError) -> None:
    """Raise `error_type` for the most relevant schema error in `doc`, if any."""
    if name in FAST and fast_validator(name)(doc.data):  # cheaper than importing jsonschema, even for one case
        return
    errors = list(itertools.islice(validator(name).iter_errors(doc.data), MAX_ERRORS))
    if errors:
        raise _as_input_error(doc, _most_relevant(errors), error_type)


def all_errors(doc: Document, name: str, error_type: type[InputError] = InputError) -> list[InputError]:
    """Every schema error in `doc` (for lint), one per place, each with its lint code."""
    out: dict[tuple, InputError] = {}
    for error in itertools.islice(validator(name).iter_errors(doc.data), MAX_LINT_ERRORS):
        found = _as_input_error(doc, _most_relevant([error]), error_type)
        out.setdefault((found.line, found.field), found)
    return list(out.values())


def _as_input_error(doc: Document, error: ValidationError, error_type: type[InputError]) -> InputError:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        path += (_unknown_keys(error)[0],)  # point at the unknown key itself
    field = pointer(path) or None
    code = "LBF010"
    wanted, inst = cast(Any, error.validator_value), cast(Any, error.instance)
    if error.validator == "required" and "begrundelse" in wanted and isinstance(inst, dict) and "begrundelse" not in inst:
        code = "LBF012"
    elif error.validator == "format" and wanted == "date":
        code = "LBF013"
    elif "kilder" in path or (error.validator == "required" and "kilder" in wanted and "kilder" not in (inst or {})):
        code = "LBF011"
    return error_type(doc.source, describe(error), line=doc.line_of(path), field=field, code=code)


def _unknown_keys(error: ValidationError) -> list[str]:
    allowed = set((cast(Any, error.schema).get("properties") or {}).keys())
    return sorted(set(cast(Any, error.instance)) - allowed) or ["?"]


def _most_relevant(errors: list[ValidationError]) -> ValidationError:
    """The deepest error; inside oneOf/anyOf, the branch that failed on more than its type
    (a number out of range says more than "not a string"), or the oneOf itself if all did."""
    error = max(errors, key=lambda e: (len(e.absolute_path), e.validator != "pattern"))
    while error.validator in ("oneOf", "anyOf") and error.context:
        specific = [e for e in error.context if e.validator != "type" or e.relative_path]
        if not specific:
            return error
        error = max(specific, key=lambda e: len(e.relative_path))
    return error


def describe(error: ValidationError) -> str:
    """A Danish sentence for one schema error; a number written as text the way people type it
    ("55 %", "45,2") is refused with the number to write instead, never read silently."""
    message = _describe(error)
    if error.validator in ("type", "oneOf", "anyOf") and isinstance(error.instance, str):
        message += _number_hint(error.instance)
    return message


def _number_hint(text: str) -> str:
    from .numbers import NumberError, parse

    for kind in ("procent", "antal"):
        try:
            value = parse(text, kind)
        except NumberError:
            continue
        return f"; skriv {value} uden anførselstegn og enhed (i YAML er punktum decimaltegn)"
    return ""


def _describe(error: ValidationError) -> str:
    # The stubs type these as "maybe unset"; a reported error always has them.
    v, inst, arg, schema = error.validator, error.instance, cast(Any, error.validator_value), cast(Any, error.schema)
    if v == "type":
        types = [arg] if isinstance(arg, str) else list(arg)
        return f"forventede {_or(_TYPE_NAMES.get(t, t) for t in types)}, fik {_show(inst)}"
    if v in ("oneOf", "anyOf"):
        return _describe_alternatives(error)
    if v == "required":
        missing = [r for r in arg if isinstance(inst, dict) and r not in inst]
        return f"mangler det påkrævede felt '{missing[0] if missing else arg[0]}'"
    if v == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys() - {"$schema"})
        guess = difflib.get_close_matches(_unknown_keys(error)[0], allowed, n=1)
        hint = f"; mente du '{guess[0]}'?" if guess else (f"; tilladte felter: {', '.join(allowed)}" if allowed else "")
        return f"ukendt felt{hint}"
    if v == "propertyNames":
        return f"ukendt nøgle {_show(inst)}"
    if v == "format" and arg == "date":
        return f"{_show(inst)} er ikke en gyldig dato; forventede ÅÅÅÅ-MM-DD"
    if v == "pattern":
        what = schema.get("description") or f"mønsteret {arg}"
        return f"{_show(inst)} har ikke den rigtige form ({what})"
    if v == "enum" and isinstance(inst, str) and isinstance(arg, list):
        guess = difflib.get_close_matches(inst, [a for a in arg if isinstance(a, str)], n=1)
        if guess:
            return f"{_show(inst)} er ikke tilladt; mente du '{guess[0]}'?"
    if v in _SIMPLE:
        return _SIMPLE[v].format(
            value=_show(inst), arg=arg, shown=_show(arg), choices=", ".join(map(_show, arg)) if isinstance(arg, list) else ""
        )
    return error.message


def _describe_alternatives(error: ValidationError) -> str:
    """A oneOf/anyOf that no branch (or more than one) matched."""
    inst, alternatives = error.instance, cast(Any, error.validator_value)
    exclusive = [b["required"][0] for b in alternatives if list(b) == ["required"] and len(b["required"]) == 1]
    if exclusive and len(exclusive) == len(alternatives):
        present = [k for k in exclusive if isinstance(inst, dict) and k in inst]
        return f"må kun have ét af felterne {', '.join(exclusive)}; har {', '.join(present)}"
    types: list[str] = []
    shapes: list[str] = []
    for sub in error.context:
        if sub.validator != "type" or sub.relative_path:
            continue
        wanted: Any = [sub.validator_value] if isinstance(sub.validator_value, str) else sub.validator_value
        for t in wanted:
            if t == "object":
                props = cast(Any, sub.schema).get("properties", {})
                if "parameter" in props:
                    shapes.append("{parameter: navn, gange: tal}")
                elif "over" in props:
                    shapes.append("en grænse som {over: x} / {under: y}")
            elif t not in types:
                types.append(t)
    names = [_TYPE_NAMES.get(t, t) for t in types] + shapes
    if names:
        return f"forventede {_or(names)}, fik {_show(inst)}"
    return f"værdien {_show(inst)} passer ikke til nogen af de tilladte former"


_SIMPLE = {
    "enum": "{value} er ikke tilladt; forventede en af: {choices}",
    "const": "forventede {shown}, fik {value}",
    "minimum": "{value} er mindre end det mindst tilladte ({shown})",
    "maximum": "{value} er større end det højst tilladte ({shown})",
    "exclusiveMinimum": "{value} skal være større end {shown}",
    "format": "{value} er ikke gyldig som {arg}",
    "minLength": "teksten er for kort (mindst {arg} tegn)",
    "maxLength": "teksten er for lang (højst {arg} tegn)",
    "minItems": "listen skal have mindst {arg} element(er)",
    "maxItems": "listen har for mange elementer (højst {arg})",
    "uniqueItems": "listen indeholder den samme værdi flere gange",
    "minProperties": "objektet har ikke de forventede felter",
    "maxProperties": "objektet har ikke de forventede felter",
}


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, (dict, list)):
        return "et objekt" if isinstance(value, dict) else "en liste"
    return str(value)


def _or(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " eller " + items[-1]
