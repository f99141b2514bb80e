"""`ikke: {...}`: the opposite of one condition; undetermined stays undetermined."""

from __future__ import annotations

from typing import Any

from .base import EMPTY, Builder, Context, Node, Run, Trace, Words


class NotTrace(Trace):
    __slots__ = ("part",)
    node: Not

    def __init__(self, node: Not, result: Any, deciding: frozenset[str], part: Trace):
        super().__init__(node, result, deciding)
        self.part = part

    def parts(self) -> tuple[Trace, ...]:
        return (self.part,)

    def to_json(self) -> dict:
        out = self.node.base_json(self.result)
        out["dele"] = [self.part.to_json()]
        return out

    def write(self, out, depth: int) -> None:
        super().write(out, depth)
        self.part.write(out, depth + 1)


class Not(Node):
    kind = "ikke"
    keys = ("ikke",)

    def __init__(self, head, part: Node):
        super().__init__(head)
        self.part = part

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> Not:
        return cls(build.head(spec, path), build.condition(spec["ikke"], path + ("ikke",)))

    def children(self) -> tuple[Node, ...]:
        return (self.part,)

    def compile(self) -> Run:
        part = self.part.compile()

        def run(ctx: Context) -> bool | None:
            result = part(ctx)
            return None if result is None else not result

        return run

    def trace(self, ctx: Context) -> NotTrace:
        part = self.part.trace(ctx)
        result = None if part.result is None else not part.result
        return NotTrace(self, result, part.deciding if result is None else EMPTY, part)

    def describe(self, words: Words) -> str:
        return "ikke dette"

    def export(self) -> dict:
        out = super().export()
        out.update(k=1, k_parameter=None, dele=[self.part.export()])
        return out

    def durable(self, dc: Any, want: bool) -> dict | None:
        return self.part.durable(dc, not want)
