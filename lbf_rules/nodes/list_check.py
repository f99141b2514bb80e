"""`hver_i: X, tilladte: [...], skal_have: [...]`: a non-empty list whose every item is one of the
allowed kinds (its `omraade`) and has each named yes/no field set to true."""

from __future__ import annotations

from typing import Any

from ..escape import plain
from .base import EMPTY, Builder, Checker, Context, Node, Plan, Planner, Run, TextOut, Trace, Words


class ListTrace(Trace):
    __slots__ = ("count", "outside", "lacking", "unknown")
    node: ListCheck

    def __init__(
        self,
        node: ListCheck,
        result: Any,
        deciding: frozenset[str],
        count: int | None,
        outside: list[str],
        lacking: list[str],
        unknown: list[str],
    ):
        super().__init__(node, result, deciding)
        self.count = count  # None when the list is not given
        self.outside = outside
        self.lacking = lacking
        self.unknown = unknown

    def to_json(self) -> dict:
        node: ListCheck = self.node
        out = node.base_json(self.result)
        out.update(
            liste=node.name,
            antal=self.count,
            tilladte=node.allowed,
            uden_for=self.outside,
            mangler_felter=self.lacking,
            ukendte_felter=self.unknown,
        )
        return out

    def text(self, out: TextOut) -> str:
        if self.count is None:
            return ": ikke oplyst"
        problems = [f"uden for: {plain(', '.join(self.outside), 300)}"] if self.outside else []
        problems += [f"mangler: {', '.join(self.lacking)}"] if self.lacking else []
        problems += [f"ukendt: {', '.join(self.unknown)}"] if self.unknown else []
        return f": {self.count} aktivitet(er)" + (f"; {'; '.join(problems)}" if problems else "")

    def make_true(self, planner: Planner) -> Plan | None:
        if self.result is not False:
            return super().make_true(planner)
        parts = []
        if self.count == 0:
            parts.append("mindst én aktivitet inden for indsatsområderne skal beskrives")
        if self.outside:
            parts.append(f"aktiviteter uden for periodens indsatsområder ({', '.join(self.outside)}) skal flyttes eller udgå")
        if self.lacking:
            parts.append(f"mangler for: {', '.join(self.lacking)}")
        return 1.0, parts


class ListCheck(Node):
    kind = "liste"
    keys = ("hver_i",)

    def __init__(self, head, name: str, allowed: list[str], required: list[str]):
        super().__init__(head)
        self.name = name
        self.allowed = allowed
        self.required = required

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> ListCheck:
        return cls(build.head(spec, path), spec["hver_i"], spec["tilladte"], spec.get("skal_have", []))

    def check(self, checker: Checker) -> None:
        if checker.kind_of(self, self.name) not in (None, "liste"):
            checker.report(self, f"'{self.name}' er ikke en liste i fakta-kataloget", "LBF022")
            return
        catalogue = checker.catalogue(self.name)
        for value in self.allowed if catalogue is not None else ():
            if value not in catalogue.values:
                checker.report(
                    self, f"{catalogue.unknown(value)} Et nyt {catalogue.noun} tilføjes i fakta.yaml under '{self.name}'", "LBF020"
                )

    def _check(self, items: list[dict]) -> tuple[list[str], list[str], list[str]]:
        outside: list[str] = []
        lacking: list[str] = []
        unknown: list[str] = []
        for item in items:
            kind = item.get("omraade")
            if kind not in self.allowed:
                outside.append(str(kind))
            for field in self.required:
                if item.get(field) is None:
                    unknown.append(f"{kind}.{field}")
                elif item.get(field) is not True:
                    lacking.append(f"{kind}.{field}")
        return outside, lacking, unknown

    def compile(self) -> Run:
        def run(ctx: Context) -> bool | None:
            items = ctx.items(self.name)
            if items is None:
                return None
            outside, lacking, unknown = self._check(items)
            if not items or outside or lacking:
                return False
            return None if unknown else True

        return run

    def trace(self, ctx: Context) -> ListTrace:
        items = ctx.items(self.name)
        if items is None:
            return ListTrace(self, None, frozenset({self.name}), None, [], [], [])
        outside, lacking, unknown = self._check(items)
        if not items or outside or lacking:
            result, deciding = False, EMPTY
        elif unknown:
            result, deciding = None, frozenset(f"{self.name}.{u}" for u in unknown)
        else:
            result, deciding = True, EMPTY
        return ListTrace(self, result, deciding, len(items), outside, lacking, unknown)

    def describe(self, words: Words) -> str:
        extra = f", hver med {' og '.join(self.required)}" if self.required else ""
        return f"alle i {words.name(self.name)} er blandt: {', '.join(self.allowed)}{extra}"

    def export(self) -> dict:
        out = super().export()
        out.update(liste=self.name, tilladte=self.allowed, skal_have=self.required)
        return out

    def durable(self, dc: Any, want: bool) -> dict:
        return dc.prepared(self, want)  # durable-rules cannot iterate a list's items: the host checks it
