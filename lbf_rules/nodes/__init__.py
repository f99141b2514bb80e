"""The kinds of node a rule version is made of, one class each (see `base` for what a kind owns).

Adding a kind: write its class (parse, compile, trace, describe, export, durable, and check where
it reads facts or parameters), list it here, and give it its entry in `schemas/rule.schema.json`.
`tests/test_node_kinds.py` walks this list and fails when a kind lacks one of its methods, when the
schema has no entry for it, or when the browser self-check cannot evaluate it.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import EMPTY, Builder, Head, Node, Outcome, Trace
from .calculation import Calculation
from .choice import Choice, Option, WhenUnknown
from .comparison import NUMERIC, OPERATORS, Comparison, Limit
from .fact_is import FactIs
from .group import All, AnyOf, AtLeast, Group
from .history import History
from .list_check import ListCheck
from .negation import Not

# Conditions (yes/no), in the order a rule document's keys are tried.
CONDITION_KINDS: list[type[Node]] = [All, AnyOf, AtLeast, Not, History, ListCheck, FactIs, Comparison]
# What a rule version's body can be besides a condition: a number or a category.
BODY_KINDS: list[type[Node]] = [Calculation, Choice]
ALL_KINDS: list[type[Node]] = CONDITION_KINDS + BODY_KINDS


def parse_body(
    spec: dict,
    make_citation: Callable[[str | None, int | None], str],
    line_of: Callable[[tuple], int | None],
    path: tuple,
    derived_facts: set[str],
) -> Node:
    """A rule version's body: a condition (yes/no), a calculation (number) or a choice (category)."""
    build = Builder(make_citation, line_of, derived_facts, CONDITION_KINDS)
    for kind in BODY_KINDS:
        if any(key in spec for key in kind.keys):
            return kind.parse(spec, build, path)
    return build.condition(spec["betingelse"], path + ("betingelse",))


__all__ = [
    "ALL_KINDS",
    "BODY_KINDS",
    "CONDITION_KINDS",
    "EMPTY",
    "NUMERIC",
    "OPERATORS",
    "All",
    "AnyOf",
    "AtLeast",
    "Builder",
    "Calculation",
    "Choice",
    "Comparison",
    "FactIs",
    "Group",
    "Head",
    "History",
    "Limit",
    "ListCheck",
    "Node",
    "Not",
    "Option",
    "Outcome",
    "Trace",
    "WhenUnknown",
    "parse_body",
]
