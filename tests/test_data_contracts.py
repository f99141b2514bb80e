"""The facts catalogue (rules/fakta.yaml) and the case schema (schemas/case.schema.json) describe the
same fields. A typo in a fact's `felt` would otherwise make the fact silently count as missing, and a
schema field no fact names would be accepted from a case and never read."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, RULES
from lbf_rules.ruleset import load_ruleset

SCHEMA = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
RULESET = load_ruleset(RULES)
# Fields of a case that are about the case, not facts the rules read.
ABOUT_THE_CASE = {"$schema", "id", "navn", "kommune", "dato", "beskrivelse", "kilde", "offentliggjort", "forventet", "historik"}
TYPES = {  # the JSON types a fact of each kind may take in a case (null: not known)
    "procent": {"number", "null", "object"},
    "antal": {"integer", "null", "object"},
    "kroner": {"integer", "null"},
    "aar": {"integer", "null"},
    "sandhedsvaerdi": {"boolean", "null"},
    "liste": {"array", "null"},
}


def resolve(node: dict) -> dict:
    while "$ref" in node:
        target = SCHEMA
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def types_of(node: dict) -> set[str]:
    node = resolve(node)
    found: set[str] = set()
    kind = node.get("type")
    found |= set(kind) if isinstance(kind, list) else {kind} if kind else set()
    for key in ("oneOf", "anyOf"):
        for branch in node.get(key, []):
            found |= types_of(branch)
    return found


def field(path: tuple[str, ...]) -> dict | None:
    node = SCHEMA
    for part in path:
        node = resolve(node).get("properties", {}).get(part)
        if node is None:
            return None
    return node


def leaves(node: dict, path: tuple = ()) -> list[tuple[str, ...]]:
    node = resolve(node)
    properties = node.get("properties")
    if not properties:
        return [path]
    out = []
    for name, sub in properties.items():
        if not path and name in ABOUT_THE_CASE:
            continue
        out += leaves(sub, path + (name,))
    return out


@pytest.mark.parametrize("name", sorted(RULESET.facts))
def test_every_fact_names_a_field_of_the_case_schema_of_its_kind(name):
    fact = RULESET.facts[name]
    node = field(fact.field)
    assert node is not None, f"fakta.yaml: '{name}' har felt '{'.'.join(fact.field)}', som sagens skema ikke har"
    assert types_of(node) and types_of(node) <= TYPES[fact.kind], (name, types_of(node), fact.kind)


def test_every_field_of_the_case_schema_is_a_fact():
    named = {fact.field for fact in RULESET.facts.values()}
    # a list's items are the list fact's; a bound ({over, under}) is the value of its fact
    unread = [p for p in leaves(SCHEMA) if not any(p[: len(f)] == f for f in named)]
    assert not unread, f"felter i sagens skema, som intet faktum læser: {['.'.join(p) for p in unread]}"
