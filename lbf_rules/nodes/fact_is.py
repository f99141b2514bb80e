"""`fakta: X, er: true` (a yes/no fact of the case or a derived one) or `er: fuld_bevilling` (a
derived category)."""

from __future__ import annotations

from typing import Any

from ..escape import plain
from .base import EMPTY, Builder, Checker, Context, Node, Plan, Planner, Run, TextOut, Trace, Words
from .comparison import NUMERIC


class FactTrace(Trace):
    __slots__ = ("value",)
    node: FactIs

    def __init__(self, node: FactIs, result: Any, deciding: frozenset[str], value: Any):
        self.node = node
        self.result = result
        self.deciding = deciding
        self.value = value

    def to_json(self) -> dict:
        out = self.node.template.copy()
        out["resultat"] = self.result
        out["vaerdi"] = self.value
        return out

    def write(self, out: TextOut, depth: int) -> None:
        node: FactIs = self.node
        mark = {True: "✓", False: "✗", None: "?"}[self.result]
        if not node.is_derived:
            given = self.value
            shown = "ikke oplyst" if given is None else ("ja" if given else "nej") if isinstance(given, bool) else plain(given, 80)
            question = out.question(node.fact) if node.expected is False else None
            if question:  # a negative statement as the question and its answer, never a double negative
                out.line(depth, mark, f"{question} {shown}", node.citation)
            else:
                out.line(depth, mark, f"{node.reason} ({shown if given is None else 'oplyst: ' + shown})", node.citation)
            return
        question = out.question(node.fact) if node.expected is False and isinstance(self.value, bool) else None
        text = f"{question} {'ja' if self.value else 'nej'}" if question else node.reason  # no double negative
        out.derived(depth, mark, text, node.citation, node.fact)

    def make_true(self, planner: Planner) -> Plan | None:
        if self.result is not False:
            return super().make_true(planner)
        node: FactIs = self.node
        if node.is_derived:
            return planner.derived_plan(node.fact) if node.expected is True else None
        wanted = "ja" if node.expected else "nej"
        return 1.0, [f"{planner.label(node.fact)} skal være {wanted}"]


class FactIs(Node):
    kind = "fakta"
    keys = ("er",)

    def __init__(self, head, fact: str, expected: bool | str, derived: bool):
        super().__init__(head)
        self.fact = fact
        self.expected = expected
        self.is_derived = derived
        self.template = dict(self.base_json(None), fakta=fact, vaerdi=None, forventet=expected, afledt=derived)

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> FactIs:
        return cls(build.head(spec, path), spec["fakta"], spec["er"], spec["fakta"] in build.derived_facts)

    def reads(self) -> frozenset[str]:
        return frozenset({self.fact})

    def check(self, checker: Checker) -> None:
        kind = checker.kind_of(self, self.fact)
        if kind in NUMERIC or kind == "liste":
            checker.report(self, f"'{self.fact}' er et tal ({kind}); sammenlign med fx 'overstiger' i stedet for 'er'", "LBF022")
        elif kind == "sandhedsvaerdi" and not isinstance(self.expected, bool):
            checker.report(self, f"'{self.fact}' er sand/falsk; skriv 'er: true' eller 'er: false'", "LBF022")
        elif kind == "kategori":
            values = checker.category_values(self.fact)
            if self.expected not in values:
                checker.report(self, f"'{self.expected}' er ikke en mulig værdi af '{self.fact}' ({', '.join(sorted(values))})", "LBF022")

    def compile(self) -> Run:
        fact, expected = self.fact, self.expected

        def run(ctx: Context) -> bool | None:
            value = ctx.values.get(fact)
            return None if value is None else value == expected

        return run

    def trace(self, ctx: Context) -> FactTrace:
        value = ctx.values.get(self.fact)
        if value is None:
            return FactTrace(self, None, ctx.missing(self.fact), None)
        return FactTrace(self, value == self.expected, EMPTY, value)

    def describe(self, words: Words) -> str:
        wanted = ("ja" if self.expected else "nej") if isinstance(self.expected, bool) else words.name(str(self.expected))
        return f"{words.name(self.fact)} er {wanted}"

    def export(self) -> dict:
        out = super().export()
        out.update(fakta=self.fact, er=self.expected)
        return out

    def durable(self, dc: Any, want: bool) -> dict:
        f = dc.field(self.fact)
        if want:
            return {f: self.expected}
        if isinstance(self.expected, bool):
            return {f: not self.expected}
        return {"$and": [{"$ex": {f: 1}}, {"$neq": {f: self.expected}}]}
