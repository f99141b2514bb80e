"""`beregning: {andel: X, af_summen: [X, Y]}`: X as a percentage of X + Y, a derived number (the
local co-financing share of a budget), in decimal arithmetic."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from ..values import exact
from .base import Builder, Checker, Context, Node, Run, TextOut, Trace, Words
from .comparison import NUMERIC


class Kroner(NamedTuple):
    """How the amounts of a share must change to reach a percentage."""

    part: str  # the amount the share is of (lokal medfinansiering)
    more: Decimal  # how much more of it
    other: str | None  # the one other amount in the sum, if there is exactly one
    allowed: Decimal | None  # the most that other amount may be


class CalculationTrace(Trace):
    __slots__ = ("values",)
    node: Calculation

    def __init__(self, node: Calculation, result: Any, deciding: frozenset[str], values: dict[str, Any]):
        super().__init__(node, result, deciding)
        self.values = values

    def to_json(self) -> dict:
        node: Calculation = self.node
        out = node.base_json(self.result)
        out.update(andel=node.part, af_summen=node.of, vaerdier=self.values)
        return out

    def write(self, out: TextOut, depth: int) -> None:
        from ..danish import danish_number, shown

        node: Calculation = self.node
        parts = " + ".join(f"{danish_number(v)} kr." if v is not None else "ikke oplyst" for v in (self.values[n] for n in node.of))
        result = "ikke beregnet" if self.result is None else f"{shown(self.result)} %"
        out.line(depth, "=", f"{node.reason}: {result} (af {parts})", node.citation)

    def in_kroner(self, percent: float) -> Kroner | None:
        """The increase of the part that brings the share to `percent`, and (with one other term)
        the most the other term may be; None when the part is not one of the terms."""
        node: Calculation = self.node
        if node.part not in node.of:
            return None
        values = {k: Decimal(repr(v)) for k, v in self.values.items()}
        part = values[node.part]
        total = sum(values[n] for n in node.of)
        p = Decimal(repr(percent))
        more = (p * total - 100 * part) / (100 - p)
        others = [n for n in node.of if n != node.part]
        if len(others) == 1:
            return Kroner(node.part, more, others[0], part * (100 - p) / p)
        return Kroner(node.part, more, None, None)


class Calculation(Node):
    kind = "beregning"
    keys = ("beregning",)
    counts_in_coverage = False
    result_kind = "procent"
    prepared_by_host = True

    def __init__(self, head, part: str, of: list[str]):
        super().__init__(head)
        self.part = part
        self.of = of

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> Calculation:
        calc = spec["beregning"]
        return cls(build.head(calc, path + ("beregning",)), calc["andel"], calc["af_summen"])

    def inputs(self) -> list[str]:
        return list(dict.fromkeys([self.part, *self.of]))

    def reads(self) -> frozenset[str]:
        return frozenset(self.inputs())

    def check(self, checker: Checker) -> None:
        for name in self.inputs():
            kind = checker.kind_of(self, name)
            if kind is not None and kind not in NUMERIC:
                checker.report(self, f"'{name}' er ikke et tal og kan ikke indgå i en beregning", "LBF022")

    def compute(self, known: dict[str, Any]) -> Any:
        """The exact share, then the nearest double: never rounded so far that 24.9999999 % becomes 25 %.
        Whole numbers (amounts in kroner) divide exactly as they are: Python rounds an int quotient
        correctly, which is what the Fraction gives."""
        part, summed = known[self.part], [known[n] for n in self.of]
        if part.__class__ is int and all(v.__class__ is int for v in summed):
            whole = sum(summed)
            return None if whole == 0 else part * 100 / whole
        total = sum(exact(known[n]) for n in self.of)
        if total == 0:
            return None
        return float(exact(known[self.part]) * 100 / total)

    def compile(self) -> Run:
        inputs = self.inputs()

        def run(ctx: Context) -> float | None:
            known = {name: ctx.values.get(name) for name in inputs}
            if any(v is None for v in known.values()):
                return None
            return self.compute(known)

        return run

    def trace(self, ctx: Context) -> CalculationTrace:
        known = {name: ctx.values.get(name) for name in self.inputs()}
        deciding = frozenset().union(*(ctx.missing(n) for n, v in known.items() if v is None))
        result = None
        if not deciding:
            result = self.compute(known)
            if result is None:
                deciding = frozenset(self.of)
        return CalculationTrace(self, result, deciding, known)

    def describe(self, words: Words) -> str:
        return f"{words.name(self.part)} i procent af {' + '.join(words.name(n) for n in self.of)}"

    def export(self) -> dict:
        out = super().export()
        out.update(andel=self.part, af_summen=self.of)
        return out

    def durable_rules(self, dc: Any, name: str, stratum: dict) -> dict:
        return {}  # prepared by the host in decimal arithmetic (durable-rules has no decimals)
