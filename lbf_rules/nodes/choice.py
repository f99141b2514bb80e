"""`vaelg: [{vaerdi, navn, naar}, ..., {vaerdi, navn, ellers: true}]`: a derived category, the first
option whose condition holds. Undetermined while an earlier option's condition is undetermined;
`ved_ukendt` then gives an explicit value (still listing what is missing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import EMPTY, MARK, Builder, Context, Node, Run, Trace, Words


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str  # the Danish name
    condition: Node | None  # None for `ellers`


@dataclass(frozen=True, slots=True)
class WhenUnknown:
    value: str
    label: str


@dataclass(slots=True)
class Tried:
    """One option as evaluated: its result and its condition's trace (None for `ellers`)."""

    option: Option
    result: bool | None
    condition: Trace | None


class ChoiceTrace(Trace):
    __slots__ = ("tried",)
    node: Choice

    def __init__(self, node: Choice, result: Any, deciding: frozenset[str], tried: list[Tried]):
        super().__init__(node, result, deciding)
        self.tried = tried  # the options up to the one chosen

    def parts(self) -> tuple[Trace, ...]:
        return tuple(t.condition for t in self.tried if t.condition is not None)

    def to_json(self) -> dict:
        out = self.node.base_json(self.result)
        out["valg"] = [
            {
                "vaerdi": t.option.value,
                "navn": t.option.label,
                "resultat": t.result,
                "betingelse": None if t.condition is None else t.condition.to_json(),
            }
            for t in self.tried
        ]
        return out

    def write(self, out, depth: int) -> None:
        for tried in self.tried:
            if tried.condition is None:  # `ellers` is chosen only when the options above are all false
                chosen = self.result == tried.option.value
                out.line(
                    depth,
                    MARK[True] if chosen else MARK[None],
                    f"{tried.option.label} ({'ellers' if chosen else 'ellers, når ovenstående er afgjort'})",
                    None,
                )
                continue
            out.line(depth, MARK[tried.result], tried.option.label, None)
            tried.condition.write(out, depth + 1)

    def option(self, value: str) -> Tried | None:
        return next((t for t in self.tried if t.option.value == value), None)


class Choice(Node):
    kind = "vaelg"
    keys = ("vaelg",)
    counts_in_coverage = False
    result_kind = "kategori"

    def __init__(self, head, options: list[Option], when_unknown: WhenUnknown | None):
        super().__init__(head)
        self.options = options
        self.when_unknown = when_unknown
        self.runs: tuple = ()  # (value, compiled condition or None) per option (set by compile)

    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> Choice:
        options = []
        for i, option in enumerate(spec["vaelg"]):
            where = path + ("vaelg", i)
            cond = None if option.get("ellers") else build.condition(option["naar"], where + ("naar",))
            options.append(Option(option["vaerdi"], option["navn"], cond))
        unknown = spec.get("ved_ukendt")
        when_unknown = WhenUnknown(unknown["vaerdi"], unknown["navn"]) if unknown else None
        head = build.head({}, path + ("vaelg",), reason=spec["begrundelse"])
        return cls(head, options, when_unknown)

    def children(self) -> tuple[Node, ...]:
        return tuple(o.condition for o in self.options if o.condition is not None)

    def outline(self) -> list[tuple[str | None, Node | None]]:
        return [(f"{o.label} ({o.value})" + ("" if o.condition else ": ellers"), o.condition) for o in self.options]

    def values(self) -> list[str]:
        return [o.value for o in self.options] + ([self.when_unknown.value] if self.when_unknown else [])

    def label(self, value: str) -> str:
        if self.when_unknown and value == self.when_unknown.value:
            return self.when_unknown.label
        return next(o.label for o in self.options if o.value == value)

    def when_undecided(self) -> Any:
        return self.when_unknown.value if self.when_unknown else None

    def undecided(self, result: Any) -> bool:
        """True when `result` says the choice could not be made (None, or the `ved_ukendt` value)."""
        return result is None or (self.when_unknown is not None and result == self.when_unknown.value)

    def compile(self) -> Run:
        options = self.runs = tuple((o.value, o.condition.compile() if o.condition else None) for o in self.options)
        fallback = self.when_unknown.value if self.when_unknown else None

        def run(ctx: Context) -> str | None:
            undecided = False
            for value, condition in options:
                result = True if condition is None else condition(ctx)
                if result is True:
                    return fallback if undecided else value
                if result is None:
                    undecided = True
            return fallback

        return run

    def deciding(self, ctx: Context) -> frozenset[str]:
        found: frozenset[str] = EMPTY
        for option, (_, condition) in zip(self.options, self.runs, strict=True):
            result = True if condition is None else condition(ctx)
            if result is True:
                return found
            if result is None:
                found |= option.condition.deciding(ctx)  # type: ignore[union-attr]
        return found

    def trace(self, ctx: Context) -> ChoiceTrace:
        deciding: frozenset[str] = EMPTY
        undecided = False
        result = None
        tried = []
        for option in self.options:
            condition = None if option.condition is None else option.condition.trace(ctx)
            r = True if condition is None else condition.result
            tried.append(Tried(option, r, condition))
            if r is True:
                result = None if undecided else option.value
                break
            if r is None:
                undecided = True
                deciding |= condition.deciding  # type: ignore[union-attr]
        if result is not None:
            deciding = EMPTY
        elif self.when_unknown:
            result = self.when_unknown.value
        return ChoiceTrace(self, result, deciding, tried)

    def describe(self, words: Words) -> str:
        return "den første af disse muligheder, hvis betingelse er opfyldt"

    def export(self) -> dict:
        out = super().export()
        out["valg"] = [{"vaerdi": o.value, "navn": o.label, "naar": o.condition.export() if o.condition else None} for o in self.options]
        out["ved_ukendt"] = [self.when_unknown.value, self.when_unknown.label] if self.when_unknown else None
        return out

    def durable_rules(self, dc: Any, name: str, stratum: dict) -> dict:
        """Option i fires when its condition is true and every earlier one is false."""
        rules = {}
        earlier_false: list = []
        for i, option in enumerate(self.options):
            here = [] if option.condition is None else [option.condition.durable(dc, True)]
            pattern = dc.all_of([stratum, *earlier_false, *here])
            if pattern is not None:
                rules[f"{name}__{i}"] = {"all": [{"m": pattern}], "run": (name, option.value)}
            if option.condition is not None:
                earlier_false.append(option.condition.durable(dc, False))
        return rules
