"""Condition nodes: three-valued evaluation of the declarative conditions in rule files.

Every node returns (result, deciding, trace):
- result is True, False or None (undetermined because facts are missing);
- deciding is the set of missing facts that would decide an undetermined node (empty when the
  node is decided: once known values decide it, unknown ones no longer matter);
- trace is a dict for the decision's `spor` (None when the caller does not want a trace).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

EMPTY: frozenset[str] = frozenset()

# The law's own verbs, the operator they mean, and how the trace shows them.
OPERATORS = {
    "overstiger": ">",
    "udgoer_mindst": "≥",
    "udgoer_mindre_end": "<",
    "udgoer_hoejst": "≤",
}


@dataclass(frozen=True)
class Bound:
    """A value known only within bounds, e.g. `{over: 50}` (the source says "over 50 %").

    Bounds are strict unless marked inclusive: a whole count "over 999" is at least 1000.
    """

    over: float | None = None
    under: float | None = None
    over_inclusive: bool = False
    under_inclusive: bool = False

    @classmethod
    def from_data(cls, data: dict, whole: bool) -> "Bound":
        """`{over: a, under: b}` from a case; for whole counts the bounds become inclusive integers."""
        over, under = data.get("over"), data.get("under")
        if whole:
            return cls(None if over is None else over + 1, None if under is None else under - 1, True, True)
        return cls(over, under)

    def as_data(self) -> dict:
        out = {}
        if self.over is not None:
            out["mindst" if self.over_inclusive else "over"] = self.over
        if self.under is not None:
            out["hoejst" if self.under_inclusive else "under"] = self.under
        return out


def compare(op: str, value: float | Bound, limit: float) -> bool | None:
    """Compare a value (or bounds on it) with a limit; None when the bounds do not decide it."""
    if not isinstance(value, Bound):
        if op == ">":
            return value > limit
        if op == "≥":
            return value >= limit
        if op == "<":
            return value < limit
        return value <= limit
    lo, hi = value.over, value.under
    surely_ge = lo is not None and lo >= limit
    surely_gt = lo is not None and (lo > limit or lo == limit and not value.over_inclusive)
    surely_le = hi is not None and hi <= limit
    surely_lt = hi is not None and (hi < limit or hi == limit and not value.under_inclusive)
    yes, no = {
        ">": (surely_gt, surely_le),
        "≥": (surely_ge, surely_lt),
        "<": (surely_lt, surely_ge),
        "≤": (surely_le, surely_gt),
    }[op]
    return True if yes else False if no else None


def scale(value: float, factor: float) -> float:
    """value × factor in decimal arithmetic, so 3 × 0.66 is exactly the 1.98 written in a case."""
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


class Context(Protocol):
    """What a node may ask while evaluating one case at one date."""

    year: int

    def fact(self, name: str) -> Any: ...
    def derived(self, name: str) -> tuple[bool | None, frozenset[str], dict | None]: ...
    def parameter(self, name: str) -> tuple[float | None, str | None]: ...
    def history(self, name: str) -> list[int] | None: ...


Outcome = tuple  # (bool | None, frozenset[str], dict | None)


class Node:
    """Common fields of every condition: its reason text, citation and place in the rule file."""

    kind = "node"

    def __init__(self, spec: dict, citation: str, line: int | None):
        self.id: str | None = spec.get("id")
        self.reason: str = spec["begrundelse"]
        self.citation = citation
        self.line = line

    def base_trace(self, result: bool | None) -> dict:
        out = {"type": self.kind, "resultat": result, "begrundelse": self.reason, "kilde": self.citation}
        if self.id:
            out["id"] = self.id
        return out

    def children(self) -> list["Node"]:
        return []

    def walk(self):
        yield self
        for child in self.children():
            yield from child.walk()

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


class Limit:
    """The right-hand side of a comparison: a number or a dated parameter times a factor."""

    def __init__(self, spec: float | dict):
        if isinstance(spec, dict):
            self.number = None
            self.parameter: str | None = spec["parameter"]
            self.factor: float = spec.get("gange", 1)
        else:
            self.number = spec
            self.parameter = None
            self.factor = 1

    def resolve(self, ctx: Context) -> tuple[float | None, frozenset[str], dict | None]:
        if self.parameter is None:
            return self.number, EMPTY, None
        value, origin = ctx.parameter(self.parameter)
        info = {"parameter": self.parameter, "vaerdi": value, "gange": self.factor, "fra": origin}
        if value is None:
            return None, frozenset({self.parameter}), info
        return scale(value, self.factor), EMPTY, info


class Comparison(Node):
    kind = "sammenligning"

    def __init__(self, spec: dict, citation: str, line: int | None):
        super().__init__(spec, citation, line)
        self.fact: str = spec["fakta"]
        self.word = next(w for w in OPERATORS if w in spec)
        self.op = OPERATORS[self.word]
        self.limit = Limit(spec[self.word])

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        value = ctx.fact(self.fact)
        limit, limit_missing, limit_info = self.limit.resolve(ctx)
        if value is None or limit is None:
            result = None
            deciding = limit_missing | (frozenset({self.fact}) if value is None else EMPTY)
        else:
            result = compare(self.op, value, limit)
            deciding = frozenset({self.fact}) if result is None else EMPTY
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        out.update(
            fakta=self.fact,
            vaerdi=value.as_data() if isinstance(value, Bound) else value,
            operator=self.op,
            ord=self.word,
            graense=limit,
        )
        if limit_info:
            out["graense_fra"] = limit_info
        return result, deciding, out


class FactIs(Node):
    """`fakta: X, er: true`: a yes/no fact, usually one another rule derives."""

    kind = "fakta"

    def __init__(self, spec: dict, citation: str, line: int | None, derived: bool):
        super().__init__(spec, citation, line)
        self.fact: str = spec["fakta"]
        self.expected: bool = spec["er"]
        self.is_derived = derived

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        if self.is_derived:
            value, deciding, _ = ctx.derived(self.fact)
        else:
            value = ctx.fact(self.fact)
            deciding = frozenset({self.fact}) if value is None else EMPTY
        result = None if value is None else value == self.expected
        if not trace:
            return result, deciding if result is None else EMPTY, None
        out = self.base_trace(result)
        out.update(fakta=self.fact, vaerdi=value, forventet=self.expected, afledt=self.is_derived)
        return result, deciding if result is None else EMPTY, out


class History(Node):
    """`historik: X, foregaaende_aar: N`: the case's history holds each of the N years before its year."""

    kind = "historik"

    def __init__(self, spec: dict, citation: str, line: int | None):
        super().__init__(spec, citation, line)
        self.name: str = spec["historik"]
        self.years: int = spec["foregaaende_aar"]

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        required = [ctx.year - i for i in range(self.years, 0, -1)]
        known = ctx.history(self.name)
        if known is None:
            result, missing_years = None, required
            deciding = frozenset({f"historik.{self.name}"})
        else:
            missing_years = [y for y in required if y not in known]
            result, deciding = not missing_years, EMPTY
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        out.update(historik=self.name, kraevede_aar=required, manglende_aar=missing_years if known is not None else None)
        return result, deciding, out


class Composite(Node):
    """all / any / at least k of n / not, over child conditions."""

    def __init__(self, spec: dict, citation: str, line: int | None, kind: str, parts: list[Node], k: int):
        super().__init__(spec, citation, line)
        self.kind = kind
        self.parts = parts
        self.k = k  # how many parts must hold

    def children(self) -> list[Node]:
        return self.parts

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        outcomes = [p.evaluate(ctx, trace) for p in self.parts]
        true = sum(1 for r, _, _ in outcomes if r is True)
        unknown = sum(1 for r, _, _ in outcomes if r is None)
        if self.kind == "ikke":
            inner = outcomes[0][0]
            result = None if inner is None else not inner
        elif true >= self.k:
            result = True
        elif true + unknown < self.k:
            result = False
        else:
            result = None
        deciding = EMPTY
        if result is None:
            deciding = frozenset().union(*(d for r, d, _ in outcomes if r is None))
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        if self.kind == "mindst":
            out.update(mindst=self.k, opfyldt=true, ukendt=unknown, antal=len(self.parts))
        out["dele"] = [t for _, _, t in outcomes]
        return result, deciding, out


def compile_condition(spec: dict, make_citation, line_of, path: tuple, derived_facts: set[str]) -> Node:
    """Build the node tree for one rule version's `betingelse` (already schema-valid)."""
    line = line_of(path)
    citation = make_citation(spec.get("henvisning"))

    def sub(child: dict, child_path: tuple) -> Node:
        return compile_condition(child, make_citation, line_of, child_path, derived_facts)

    if "alle" in spec:
        parts = [sub(c, path + ("alle", i)) for i, c in enumerate(spec["alle"])]
        return Composite(spec, citation, line, "alle", parts, len(parts))
    if "nogen" in spec:
        parts = [sub(c, path + ("nogen", i)) for i, c in enumerate(spec["nogen"])]
        return Composite(spec, citation, line, "nogen", parts, 1)
    if "mindst" in spec:
        parts = [sub(c, path + ("af", i)) for i, c in enumerate(spec["af"])]
        return Composite(spec, citation, line, "mindst", parts, spec["mindst"])
    if "ikke" in spec:
        return Composite(spec, citation, line, "ikke", [sub(spec["ikke"], path + ("ikke",))], 1)
    if "historik" in spec:
        return History(spec, citation, line)
    if "er" in spec:
        return FactIs(spec, citation, line, derived=spec["fakta"] in derived_facts)
    return Comparison(spec, citation, line)
