"""`alle`, `nogen` and `mindst: k, af: [...]`: how many of the parts must hold, in Kleene logic.

A group is decided as soon as known parts decide it: `mindst 2 af 4` with two parts true is true
whatever the others are; with three parts false it is false. Only when the known parts leave it
open is it undetermined, and then the facts of the undetermined parts are what would decide it.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from .base import EMPTY, MARK, Builder, Checker, Context, Node, Plan, Planner, Run, Trace, Words


class GroupTrace(Trace):
    __slots__ = ("part_traces", "k", "true_count", "unknown_count")
    node: Group

    def __init__(
        self, node: Group, result: Any, deciding: frozenset[str], parts: list[Trace] | None, k: int, true_count: int, unknown_count: int
    ):
        self.node = node
        self.result = result
        self.deciding = deciding
        self.part_traces = parts  # None when k comes from a parameter unknown at the date
        self.k = k
        self.true_count = true_count
        self.unknown_count = unknown_count

    def parts(self) -> tuple[Trace, ...]:
        return tuple(self.part_traces or ())

    def to_json(self) -> dict:
        node: Group = self.node
        if self.part_traces is None:
            return node.base_json(self.result)
        out = node.template.copy()
        out["resultat"] = self.result
        if node.shows_count:
            out["mindst"] = self.k
            out["opfyldt"] = self.true_count
            out["ukendt"] = self.unknown_count
        out["dele"] = [p.to_json() for p in self.part_traces]
        return out

    def write(self, out, depth: int) -> None:
        node: Group = self.node
        text = node.reason
        words = node.heading(self) if self.part_traces is not None else ""
        if words:  # an either/or or k-of-n group says so, so a tick above an open part is not a riddle
            text += f" — {words}:"
        out.line(depth, MARK[self.result], text, node.citation)
        for part in self.parts():
            part.write(out, depth + 1)

    def make_true(self, planner: Planner) -> Plan | None:
        if self.result is not False:
            return super().make_true(planner)
        node: Group = self.node
        falses = [p.make_true(planner) for p in self.parts() if p.result is False]
        need = node.needed(self)
        if need is None:  # alle: every false part must become true
            if any(o is None for o in falses):
                return None
            return sum(c for c, _ in falses), [t for _, ts in falses for t in ts]  # type: ignore[misc]
        usable = sorted((o for o in falses if o is not None), key=lambda o: o[0])
        if len(usable) < need:
            return None
        chosen = usable[:need]
        return sum(c for c, _ in chosen), [t for _, ts in chosen for t in ts]


class Group(Node):
    """The parts and how many must hold; subclasses say which group it is."""

    shows_count: ClassVar[bool] = False  # the trace shows k, true and unknown (only `mindst`)

    def __init__(self, head, parts: list[Node], k: int, k_parameter: str | None = None):
        super().__init__(head)
        self.parts = parts
        self.k = k  # how many parts must hold (0 while it comes from a parameter)
        self.k_parameter = k_parameter
        self.runs: tuple[Run, ...] = ()  # the parts compiled (set by compile)
        self.template = self.base_json(None)
        if self.shows_count:
            self.template.update(mindst=None, opfyldt=None, ukendt=None, antal=len(parts))
            if k_parameter:
                self.template["mindst_fra"] = k_parameter
        self.template["dele"] = None

    def children(self) -> tuple[Node, ...]:
        return tuple(self.parts)

    def needed(self, trace: GroupTrace) -> int | None:
        """How many false parts must become true (None: all of them)."""
        return None

    def k_at(self, ctx: Context) -> int | None:
        if self.k_parameter is None:
            return self.k
        k, _ = ctx.parameter(self.k_parameter)
        return None if k is None else int(k)

    def compile(self) -> Run:
        runs = self.runs = tuple(p.compile() for p in self.parts)
        n = len(runs)
        k_at = self.k_at

        def run(ctx: Context) -> bool | None:
            k = k_at(ctx)
            if k is None:
                return None
            if k <= 0:
                return True
            true = unknown = 0
            left = n
            if left < k:
                return False
            for part in runs:
                result = part(ctx)
                left -= 1
                if result is True:
                    true += 1
                    if true >= k:
                        return True
                elif result is None:
                    unknown += 1
                if true + unknown + left < k:
                    return False
            return None

        return run

    def trace(self, ctx: Context) -> GroupTrace:
        k = self.k_at(ctx)
        if k is None:
            return GroupTrace(self, None, frozenset({self.k_parameter or ""}), None, 0, 0, 0)
        parts = [p.trace(ctx) for p in self.parts]
        true = unknown = 0
        for p in parts:
            if p.result is True:
                true += 1
            elif p.result is None:
                unknown += 1
        result = True if true >= k else False if true + unknown < k else None
        deciding = frozenset().union(*(p.deciding for p in parts if p.result is None)) if result is None else EMPTY
        return GroupTrace(self, result, deciding, parts, k, true, unknown)

    def deciding(self, ctx: Context) -> frozenset[str]:
        k = self.k_at(ctx)
        if k is None:
            return frozenset({self.k_parameter or ""})
        results = [run(ctx) for run in self.runs]
        true, unknown = results.count(True), results.count(None)
        if true >= k or true + unknown < k:
            return EMPTY
        return frozenset().union(*(p.deciding(ctx) for p, r in zip(self.parts, results, strict=True) if r is None))

    def export(self) -> dict:
        out = super().export()
        out.update(k=self.k, k_parameter=self.k_parameter, dele=[p.export() for p in self.parts])
        return out

    def how_many(self, words: Words) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def heading(self, trace: GroupTrace) -> str:
        """What the text output says after the reason: which of the parts must hold ('' for all)."""
        return ""

    def group_words(self) -> str:
        """Which of the parts must hold, for a written outline ('' for all)."""
        return ""

    def describe(self, words: Words) -> str:
        return self.how_many(words)

    def durable(self, dc: Any, want: bool) -> dict | None:
        k = self.k if self.k_parameter is None else dc.parameter(self.k_parameter)
        if k is None:
            return None
        k, n = int(k), len(self.parts)
        # true: some k parts true; false: some n - k + 1 parts false
        need = k if want else n - k + 1
        if need <= 0:  # "at least k" with k > n can never hold, so it is certainly false
            return {"$ex": {"t": 1}}
        if need > n:
            return None
        dc.combinations(self, n, need)
        parts = [p.durable(dc, want) for p in self.parts]
        return dc.any_of([dc.all_of([parts[i] for i in combo]) for combo in itertools.combinations(range(n), need)])


class All(Group):
    kind = "alle"
    keys = ("alle",)

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> All:
        parts = [build.condition(c, path + ("alle", i)) for i, c in enumerate(spec["alle"])]
        return cls(build.head(spec, path), parts, len(parts))

    def compile(self) -> Run:
        runs = self.runs = tuple(p.compile() for p in self.parts)

        def run(ctx: Context) -> bool | None:
            unknown = False
            for part in runs:
                result = part(ctx)
                if result is False:
                    return False
                if result is None:
                    unknown = True
            return None if unknown else True

        return run

    def how_many(self, words: Words) -> str:
        return "alle disse"


class AnyOf(Group):
    kind = "nogen"
    keys = ("nogen",)

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> AnyOf:
        parts = [build.condition(c, path + ("nogen", i)) for i, c in enumerate(spec["nogen"])]
        return cls(build.head(spec, path), parts, 1)

    def needed(self, trace: GroupTrace) -> int | None:
        return 1

    def compile(self) -> Run:
        runs = self.runs = tuple(p.compile() for p in self.parts)

        def run(ctx: Context) -> bool | None:
            unknown = False
            for part in runs:
                result = part(ctx)
                if result is True:
                    return True
                if result is None:
                    unknown = True
            return None if unknown else False

        return run

    def how_many(self, words: Words) -> str:
        return "mindst én af disse"

    def heading(self, trace: GroupTrace) -> str:
        return "mindst én af følgende"

    def group_words(self) -> str:
        return "mindst én af følgende"


class AtLeast(Group):
    kind = "mindst"
    keys = ("mindst",)
    shows_count = True

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> AtLeast:
        parts = [build.condition(c, path + ("af", i)) for i, c in enumerate(spec["af"])]
        k = spec["mindst"]
        if isinstance(k, dict):
            return cls(build.head(spec, path), parts, 0, k["parameter"])
        return cls(build.head(spec, path), parts, k)

    def needed(self, trace: GroupTrace) -> int | None:
        return trace.k - trace.true_count

    def check(self, checker: Checker) -> None:
        if self.k_parameter:
            checker.parameter(self, self.k_parameter)
        elif self.k > len(self.parts):
            checker.report(self, f"'mindst: {self.k}' kan aldrig opfyldes af {len(self.parts)} betingelser", "LBF052")

    def parameters(self) -> tuple[str, ...]:
        return (self.k_parameter,) if self.k_parameter else ()

    def heading(self, trace: GroupTrace) -> str:
        return f"mindst {trace.k} af {len(self.parts)} ({trace.true_count} opfyldt, {trace.unknown_count} ukendt)"

    def group_words(self) -> str:
        return (
            f"mindst {self.k} af {len(self.parts)}"
            if not self.k_parameter
            else f"mindst et antal af {len(self.parts)}, som en dateret parameter giver"
        )

    def how_many(self, words: Words) -> str:
        if self.k_parameter:
            value = words.parameter_value(self.k_parameter)
            k = words.name(self.k_parameter) if value is None else f"{int(value)}"
        else:
            k = str(self.k)
        return f"mindst {k} af disse {len(self.parts)}"
