"""`fakta: X, overstiger: 40` and the law's other verbs: a fact compared with a number or a dated
parameter (times a factor). Bounds like `{over: 50}` decide it only when they are on one side."""

from __future__ import annotations

import operator
from typing import Any

from ..values import Bound, compare, scale
from .base import EMPTY, Builder, Checker, Context, Node, Plan, Planner, Run, TextOut, Trace, Words

# The law's own verbs and the operator each means.
OPERATORS = {
    "overstiger": ">",
    "udgoer_mindst": "≥",
    "udgoer_mindre_end": "<",
    "udgoer_hoejst": "≤",
}
_PLAIN = {">": operator.gt, "≥": operator.ge, "<": operator.lt, "≤": operator.le}
_NEGATED = {">": "≤", "≥": "<", "<": "≥", "≤": ">"}
_DURABLE = {">": "$gt", "≥": "$gte", "<": "$lt", "≤": "$lte"}
NUMERIC = {"procent", "antal", "kroner", "aar"}


class Limit:
    """The right-hand side of a comparison: a number, or a dated parameter times a factor (itself a
    number or a parameter)."""

    __slots__ = ("number", "parameter", "factor", "factor_parameter")

    def __init__(self, spec: float | dict):
        self.number: float | None
        if isinstance(spec, dict):
            self.number = None
            self.parameter: str | None = spec["parameter"]
            factor = spec.get("gange", 1)
            self.factor_parameter: str | None = factor["parameter"] if isinstance(factor, dict) else None
            self.factor: float = 1 if isinstance(factor, dict) else factor
        else:
            self.number = spec
            self.parameter = None
            self.factor_parameter = None
            self.factor = 1

    def parameters(self) -> list[str]:
        return [p for p in (self.parameter, self.factor_parameter) if p]

    def resolve(self, ctx: Context) -> tuple[float | None, frozenset[str], dict | None]:
        """(limit, parameters that are missing, where it came from) at the case's date."""
        if self.parameter is None:
            return self.number, EMPTY, None
        value, origin = ctx.parameter(self.parameter)
        factor: float | None = self.factor
        if self.factor_parameter:
            factor, _ = ctx.parameter(self.factor_parameter)
        info = {"parameter": self.parameter, "vaerdi": value, "gange": factor, "fra": origin}
        if value is None or factor is None:
            missing = [p for p, v in ((self.parameter, value), (self.factor_parameter, factor)) if p and v is None]
            return None, frozenset(missing), info
        return scale(value, factor), EMPTY, info

    def value(self, ctx: Context) -> float | None:
        """Only the limit (the fast path)."""
        if self.parameter is None:
            return self.number
        value = ctx.parameter(self.parameter)[0]
        factor = ctx.parameter(self.factor_parameter)[0] if self.factor_parameter else self.factor
        if value is None or factor is None:
            return None
        return scale(value, factor) if factor != 1 else value


class ComparisonTrace(Trace):
    __slots__ = ("value", "limit", "limit_info")
    node: Comparison

    def __init__(self, node: Comparison, result: Any, deciding: frozenset[str], value: Any, limit: float | None, limit_info: dict | None):
        self.node = node
        self.result = result
        self.deciding = deciding
        self.value = value
        self.limit = limit
        self.limit_info = limit_info

    def to_json(self) -> dict:
        out = self.node.template.copy()
        out["resultat"] = self.result
        out["vaerdi"] = self.value.as_data() if self.value.__class__ is Bound else self.value
        out["graense"] = self.limit
        if self.limit_info:
            out["graense_fra"] = self.limit_info
        return out

    def text(self, out: TextOut) -> str:
        node: Comparison = self.node
        return f": {out.value(node.fact, self.value, self.limit)} (krav: {node.op} {out.limit(self)})"

    def make_true(self, planner: Planner) -> Plan | None:
        if self.result is not False:
            return super().make_true(planner)
        from decimal import Decimal

        from ..danish import OPERATOR_WORDS, danish_number, shown

        node: Comparison = self.node
        value, limit = self.value, self.limit
        if not isinstance(value, (int, float)) or limit is None:
            return None
        unit = planner.unit(node.fact)
        gap = float(abs(Decimal(repr(limit)) - Decimal(repr(value))))  # exact: 25 - 24.9999999 is 0.0000001
        points = " procentpoint" if unit == " %" else ""
        text = (
            f"{planner.label(node.fact)} er {shown(value, limit)}{unit}; kravet er "
            f"{OPERATOR_WORDS[node.op]} {danish_number(limit)}{unit} ({shown(gap, 0)}{points} fra grænsen)"
        )
        money = planner.in_kroner(node.fact, limit)
        if money:
            text += f": {money}"
        return gap / max(abs(limit), 1.0), [text]


class Comparison(Node):
    kind = "sammenligning"
    keys = tuple(OPERATORS)

    def __init__(self, head, fact: str, word: str, limit: Limit):
        super().__init__(head)
        self.fact = fact
        self.word = word
        self.op = OPERATORS[word]
        self.limit = limit
        self.template = dict(self.base_json(None), fakta=fact, vaerdi=None, operator=self.op, ord=word, graense=None)

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> Comparison:
        word = next(w for w in OPERATORS if w in spec)
        return cls(build.head(spec, path), spec["fakta"], word, Limit(spec[word]))

    def reads(self) -> frozenset[str]:
        return frozenset({self.fact})

    def parameters(self) -> tuple[str, ...]:
        return tuple(self.limit.parameters())

    def limits(self) -> tuple[tuple[str, Limit], ...]:
        return ((self.fact, self.limit),)

    def check(self, checker: Checker) -> None:
        kind = checker.kind_of(self, self.fact)
        if kind is None:
            return
        if kind not in NUMERIC:
            what, hint = ("sand/falsk", "er: true") if kind == "sandhedsvaerdi" else ("en kategori", "er: <værdi>")
            checker.report(self, f"'{self.fact}' er {what} og kan ikke sammenlignes med et tal; brug '{hint}'", "LBF022")
            return
        param = checker.parameter(self, self.limit.parameter) if self.limit.parameter else None
        if param is not None and param.unit != kind:
            checker.report(self, f"'{self.fact}' ({kind}) sammenlignes med parameteren '{param.id}' ({param.unit})", "LBF022")
        if self.limit.factor_parameter:
            checker.parameter(self, self.limit.factor_parameter)

    def compile(self) -> Run:
        fact, op, plain = self.fact, self.op, _PLAIN[self.op]
        limit = self.limit.number
        if limit is not None:

            def run(ctx: Context) -> bool | None:
                value = ctx.values.get(fact)
                if value is None:
                    return None
                if value.__class__ is Bound:
                    return compare(op, value, limit)
                return plain(value, limit)

            return run
        limit_of = self.limit.value

        def run_parameter(ctx: Context) -> bool | None:
            value = ctx.values.get(fact)
            if value is None:
                return None
            limit = limit_of(ctx)
            if limit is None:
                return None
            if value.__class__ is Bound:
                return compare(op, value, limit)
            return plain(value, limit)

        return run_parameter

    def trace(self, ctx: Context) -> ComparisonTrace:
        value = ctx.values.get(self.fact)
        limit, limit_missing, limit_info = self.limit.resolve(ctx)
        if value is None or limit is None:
            result = None
            deciding = limit_missing | (ctx.missing(self.fact) if value is None else EMPTY)
        else:
            result = compare(self.op, value, limit)
            deciding = frozenset({self.fact}) if result is None else EMPTY
        return ComparisonTrace(self, result, deciding, value, limit, limit_info)

    def describe(self, words: Words) -> str:
        from ..danish import OPERATOR_WORDS, danish_number

        unit = words.unit(self.fact)
        limit = self.limit
        head = f"{words.name(self.fact)} {OPERATOR_WORDS[self.op]}"
        if limit.number is not None:
            return f"{head} {danish_number(limit.number)}{unit}"
        parameter = limit.parameter
        assert parameter is not None  # a limit is a number or a parameter (Limit.__init__)
        value = words.parameter_value(parameter)
        factor = words.parameter_value(limit.factor_parameter) if limit.factor_parameter else limit.factor
        times = "" if factor == 1 else f"{danish_number(factor) if factor is not None else words.name(limit.factor_parameter or '')} × "
        now = "ukendt på datoen" if value is None or factor is None else f"{danish_number(scale(value, factor))}{unit} på datoen"
        return f"{head} {times}{words.name(parameter)} ({now})"

    def export(self) -> dict:
        out = super().export()
        limit = self.limit
        out.update(
            fakta=self.fact,
            op=self.op,
            graense=limit.number,
            parameter=limit.parameter,
            gange=limit.factor,
            gange_parameter=limit.factor_parameter,
        )
        return out

    def durable(self, dc: Any, want: bool) -> dict | None:
        if dc.limit(self) is None:
            return None  # the limit is unknown at this date: never certain
        return dc.leaf(self, want)

    def durable_leaf(self, dc: Any, want: bool) -> dict | None:
        """The pattern of the comparison's own rules (one stratum before its users)."""
        limit = dc.limit(self)
        if limit is None:
            return None
        f = dc.field(self.fact)
        op = self.op if want else _NEGATED[self.op]
        word = _DURABLE[op]
        lo, hi, lo_s, hi_s = f"{f}__lo", f"{f}__hi", f"{f}__lo_strict", f"{f}__hi_strict"
        if op in (">", "≥"):
            sure = {"$gte": {lo: limit}} if op == "≥" else {"$or": [{"$gt": {lo: limit}}, {"$and": [{lo: limit}, {lo_s: True}]}]}
            bound_field = lo
        else:
            sure = {"$lte": {hi: limit}} if op == "≤" else {"$or": [{"$lt": {hi: limit}}, {"$and": [{hi: limit}, {hi_s: True}]}]}
            bound_field = hi
        if isinstance(limit, dict):
            # A case-supplied threshold is another field of the fact. durable-rules matches a
            # comparison with a missing field or referenced field both ways, so both must exist.
            need = {"$ex": {limit["$m"]: 1}}
            return {"$or": [{"$and": [need, {"$ex": {f: 1}}, {word: {f: limit}}]}, {"$and": [need, {"$ex": {bound_field: 1}}, sure]}]}
        return {"$or": [{word: {f: limit}}, sure]}
