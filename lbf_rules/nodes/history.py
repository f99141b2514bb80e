"""`historik: X, foregaaende_aar: N`: the case's history shows the area as X in each of the N years
before its own year (omdannelsesområde: the last 4 or 5 list years)."""

from __future__ import annotations

from typing import Any

from .base import EMPTY, Builder, Checker, Context, Node, Plan, Planner, Run, TextOut, Trace, Words

MAX_YEARS = 20  # the durable engine gives each earlier year a field of its own


class HistoryTrace(Trace):
    __slots__ = ("required", "missing_years")
    node: History

    def __init__(self, node: History, result: Any, deciding: frozenset[str], required: list[int], missing_years: list[int] | None):
        super().__init__(node, result, deciding)
        self.required = required
        self.missing_years = missing_years  # None when the case has no history of this kind

    def to_json(self) -> dict:
        node: History = self.node
        out = node.base_json(self.result)
        out["historik"] = node.name
        out["kraevede_aar"] = self.required
        out["manglende_aar"] = self.missing_years
        return out

    def text(self, out: TextOut) -> str:
        wanted = ", ".join(map(str, self.required))
        if self.missing_years is None:
            return f": historikken er ikke oplyst (kræver {wanted})"
        if self.missing_years:
            return f": mangler {', '.join(map(str, self.missing_years))} (kræver {wanted})"
        return f": alle år {wanted} er opfyldt"

    def make_true(self, planner: Planner) -> Plan | None:
        if self.result is not False:
            return super().make_true(planner)
        node: History = self.node
        return 5.0, [f"området skulle have været {planner.label(node.name)} i {', '.join(map(str, self.missing_years or []))}"]


class History(Node):
    kind = "historik"
    keys = ("historik",)

    def __init__(self, head, name: str, years: int):
        super().__init__(head)
        self.name = name
        self.years = years

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> History:
        return cls(build.head(spec, path), spec["historik"], spec["foregaaende_aar"])

    def watches(self) -> tuple[tuple[str, str], ...]:
        return (("historik", self.name),)

    def check(self, checker: Checker) -> None:
        if not checker.is_derived(self.name):
            checker.report(self, f"historik for ukendt kategori '{self.name}'", "LBF020")
        elif self.years > MAX_YEARS:
            checker.report(self, f"højst {MAX_YEARS} foregående år kan kræves", "LBF052")

    def compile(self) -> Run:
        name, years = self.name, self.years

        def run(ctx: Context) -> bool | None:
            known = ctx.history(name)
            if known is None:
                return None
            return all(ctx.year - i in known for i in range(years, 0, -1))

        return run

    def trace(self, ctx: Context) -> HistoryTrace:
        required = [ctx.year - i for i in range(self.years, 0, -1)]
        known = ctx.history(self.name)
        if known is None:
            return HistoryTrace(self, None, frozenset({f"historik.{self.name}"}), required, None)
        missing_years = [y for y in required if y not in known]
        return HistoryTrace(self, not missing_years, EMPTY, required, missing_years)

    def describe(self, words: Words) -> str:
        return f"{words.name(self.name)} i hvert af de {self.years} foregående år"

    def export(self) -> dict:
        out = super().export()
        out.update(historik=self.name, aar=self.years)
        return out

    def durable(self, dc: Any, want: bool) -> dict | None:
        return dc.leaf(self, want)

    def durable_leaf(self, dc: Any, want: bool) -> dict:
        years = [f"hist__{self.name}__m{i}" for i in range(1, self.years + 1)]
        if want:
            return dc.all_of([{y: True} for y in years])
        return {"$and": [{f"hist__{self.name}__kendt": True}, dc.any_of([{"$nex": {y: 1}} for y in years])]}
