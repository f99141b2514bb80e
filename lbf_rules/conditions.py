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
from fractions import Fraction
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


def _exact(value: float) -> Fraction:
    """A number as the exact decimal it was written as (an int, or a float read from ≤ 15 digits)."""
    return Fraction(value) if isinstance(value, int) else Fraction(Decimal(repr(value)))


def scale(value: float, factor: float) -> float:
    """value × factor in decimal arithmetic, so 3 × 0.66 is exactly the 1.98 written in a case."""
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


class Context(Protocol):
    """What a node may ask while evaluating one case at one date."""

    year: int

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        """A case fact or derived result, with the facts that would decide it when it is None."""
    def parameter(self, name: str) -> tuple[float | None, str | None]: ...
    def history(self, name: str) -> list[int] | None: ...
    def items(self, name: str) -> list[dict] | None: ...


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
        if self.parameter is None:
            return self.number, EMPTY, None
        value, origin = ctx.parameter(self.parameter)
        factor = self.factor
        if self.factor_parameter:
            factor, _ = ctx.parameter(self.factor_parameter)
        info = {"parameter": self.parameter, "vaerdi": value, "gange": factor, "fra": origin}
        if value is None or factor is None:
            missing = [p for p, v in ((self.parameter, value), (self.factor_parameter, factor)) if v is None]
            return None, frozenset(missing), info
        return scale(value, factor), EMPTY, info


class Comparison(Node):
    kind = "sammenligning"

    def __init__(self, spec: dict, citation: str, line: int | None):
        super().__init__(spec, citation, line)
        self.fact: str = spec["fakta"]
        self.word = next(w for w in OPERATORS if w in spec)
        self.op = OPERATORS[self.word]
        self.limit = Limit(spec[self.word])

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        value, value_missing = ctx.value(self.fact)
        limit, limit_missing, limit_info = self.limit.resolve(ctx)
        if value is None or limit is None:
            result = None
            deciding = limit_missing | (value_missing if value is None else EMPTY)
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
    """`fakta: X, er: true` (a yes/no fact) or `er: fuld_bevilling` (a derived choice)."""

    kind = "fakta"

    def __init__(self, spec: dict, citation: str, line: int | None, derived: bool):
        super().__init__(spec, citation, line)
        self.fact: str = spec["fakta"]
        self.expected: bool | str = spec["er"]
        self.is_derived = derived

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        value, deciding = ctx.value(self.fact)
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


class ListCheck(Node):
    """`hver_i: X, tilladte: [...], skal_have: [...]`: a non-empty list whose every item is one of
    the allowed kinds (its `omraade`) and has each named yes/no field set to true."""

    kind = "liste"

    def __init__(self, spec: dict, citation: str, line: int | None):
        super().__init__(spec, citation, line)
        self.name: str = spec["hver_i"]
        self.allowed: list[str] = spec["tilladte"]
        self.required: list[str] = spec.get("skal_have", [])

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        items = ctx.items(self.name)
        outside: list[str] = []
        lacking: list[str] = []
        unknown: list[str] = []
        if items is None:
            result, deciding = None, frozenset({self.name})
        else:
            for item in items:
                kind = item.get("omraade")
                if kind not in self.allowed:
                    outside.append(str(kind))
                for field in self.required:
                    if item.get(field) is None:
                        unknown.append(f"{kind}.{field}")
                    elif item.get(field) is not True:
                        lacking.append(f"{kind}.{field}")
            if not items or outside or lacking:
                result, deciding = False, EMPTY
            elif unknown:
                result, deciding = None, frozenset(f"{self.name}.{u}" for u in unknown)
            else:
                result, deciding = True, EMPTY
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        out.update(
            liste=self.name, antal=None if items is None else len(items), tilladte=self.allowed,
            uden_for=outside, mangler_felter=lacking, ukendte_felter=unknown,
        )
        return result, deciding, out


class Composite(Node):
    """all / any / at least k of n / not, over child conditions."""

    def __init__(self, spec: dict, citation: str, line: int | None, kind: str, parts: list[Node], k: int | dict):
        super().__init__(spec, citation, line)
        self.kind = kind
        self.parts = parts
        self.k_parameter: str | None = k["parameter"] if isinstance(k, dict) else None
        self.k: int = 0 if isinstance(k, dict) else k  # how many parts must hold

    def children(self) -> list[Node]:
        return self.parts

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        if self.k_parameter:
            k, _ = ctx.parameter(self.k_parameter)
            if k is None:
                return None, frozenset({self.k_parameter}), self.base_trace(None) if trace else None
            return self._evaluate(ctx, trace, int(k))
        return self._evaluate(ctx, trace, self.k)

    def _evaluate(self, ctx: Context, trace: bool, k: int) -> Outcome:
        outcomes = [p.evaluate(ctx, trace) for p in self.parts]
        true = sum(1 for r, _, _ in outcomes if r is True)
        unknown = sum(1 for r, _, _ in outcomes if r is None)
        if self.kind == "ikke":
            inner = outcomes[0][0]
            result = None if inner is None else not inner
        elif true >= k:
            result = True
        elif true + unknown < k:
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
            out.update(mindst=k, opfyldt=true, ukendt=unknown, antal=len(self.parts))
            if self.k_parameter:
                out["mindst_fra"] = self.k_parameter
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
    if "hver_i" in spec:
        return ListCheck(spec, citation, line)
    if "er" in spec:
        return FactIs(spec, citation, line, derived=spec["fakta"] in derived_facts)
    return Comparison(spec, citation, line)


class Calculation(Node):
    """`beregning: {andel: X, af_summen: [X, Y]}`: X as a percentage of X + Y (a derived number)."""

    kind = "beregning"

    def __init__(self, spec: dict, citation: str, line: int | None):
        super().__init__(spec, citation, line)
        self.part: str = spec["andel"]
        self.of: list[str] = spec["af_summen"]

    def inputs(self) -> list[str]:
        return list(dict.fromkeys([self.part, *self.of]))

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        known = {name: ctx.value(name) for name in self.inputs()}
        deciding = frozenset().union(*(missing for value, missing in known.values() if value is None))
        result = None
        if not deciding:
            total = sum(_exact(known[n][0]) for n in self.of)
            if total == 0:
                deciding = frozenset(self.of)
            else:  # the exact share, then the nearest double: never rounded so far that 24.9999999 % becomes 25 %
                result = float(_exact(known[self.part][0]) * 100 / total)
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        out.update(andel=self.part, af_summen=self.of, vaerdier={n: v for n, (v, _) in known.items()})
        return result, deciding, out


class Choice(Node):
    """`vaelg: [{vaerdi, navn, naar}, ..., {vaerdi, navn, ellers: true}]`: the first option whose
    condition holds. Undetermined while an earlier option's condition is undetermined."""

    kind = "vaelg"

    def __init__(self, spec: dict, citation: str, line: int | None, options: list[tuple[str, str, Node | None]], when_unknown: tuple[str, str] | None):
        super().__init__(spec, citation, line)
        self.options = options  # (value, Danish label, condition or None for "ellers")
        self.when_unknown = when_unknown  # (value, label) reported instead of None, with what is missing

    def children(self) -> list[Node]:
        return [cond for _, _, cond in self.options if cond is not None]

    def values(self) -> list[str]:
        return [v for v, _, _ in self.options] + ([self.when_unknown[0]] if self.when_unknown else [])

    def label(self, value: str) -> str:
        if self.when_unknown and value == self.when_unknown[0]:
            return self.when_unknown[1]
        return next(lbl for v, lbl, _ in self.options if v == value)

    def evaluate(self, ctx: Context, trace: bool) -> Outcome:
        deciding: frozenset[str] = EMPTY
        undecided = False
        result = None
        tried = []
        for value, label, cond in self.options:
            r, d, t = (True, EMPTY, None) if cond is None else cond.evaluate(ctx, trace)
            tried.append({"vaerdi": value, "navn": label, "resultat": r, "betingelse": t})
            if r is True:
                result = None if undecided else value
                break
            if r is None:
                undecided = True
                deciding |= d
        if result is not None:
            deciding = EMPTY
        elif self.when_unknown:
            result = self.when_unknown[0]
        if not trace:
            return result, deciding, None
        out = self.base_trace(result)
        out["valg"] = tried
        return result, deciding, out


def compile_body(spec: dict, make_citation, line_of, path: tuple, derived_facts: set[str]) -> Node:
    """A rule version's body: a condition (yes/no), a calculation (number) or a choice (category)."""
    if "beregning" in spec:
        calc = spec["beregning"]
        return Calculation(calc, make_citation(calc.get("henvisning")), line_of(path + ("beregning",)))
    if "vaelg" in spec:
        options = []
        for i, option in enumerate(spec["vaelg"]):
            where = path + ("vaelg", i)
            cond = None if option.get("ellers") else compile_condition(option["naar"], make_citation, line_of, where + ("naar",), derived_facts)
            options.append((option["vaerdi"], option["navn"], cond))
        head = {"begrundelse": spec["begrundelse"]}
        unknown = spec.get("ved_ukendt")
        when_unknown = (unknown["vaerdi"], unknown["navn"]) if unknown else None
        return Choice(head, make_citation(None), line_of(path + ("vaelg",)), options, when_unknown)
    return compile_condition(spec["betingelse"], make_citation, line_of, path + ("betingelse",), derived_facts)
