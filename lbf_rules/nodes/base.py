"""The node model: what every kind of condition, calculation and choice in a rule version provides.

One class per kind owns everything about it (as GoRules ZEN keeps one folder per node kind):
reading it from the rule document (`parse`), its reference checks (`check`), the facts and
parameters it reads, compiling itself once per rule version into a closure that returns only the
result (`compile`: the fast path, no trace), its typed trace (`trace`, built only when a trace, an
explanation or the missing facts are asked for), its requirement in Danish words (`describe`),
its export for the browser self-check (`export`) and its translation for the durable-rules engine
(`durable`). Other modules call these methods; none dispatches on the kind. A test walks every
registered kind and fails when one of them is missing.

Results are three-valued: True, False or None (undetermined because facts are missing). The
`deciding` set of a trace names the missing facts that would decide an undetermined node; it is
empty once known values decide it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

if TYPE_CHECKING:
    import datetime as dt

EMPTY: frozenset[str] = frozenset()
Run = Callable[["Context"], Any]  # a compiled node: the result for one case, nothing else


class Outcome(NamedTuple):
    """A derived fact's result and, when it is undetermined, the facts that would decide it."""

    result: Any
    deciding: frozenset[str]


@dataclass(frozen=True, slots=True)
class Head:
    """What every node has: an optional id, the reason in Danish, its citation and its line."""

    id: str | None
    reason: str
    citation: str
    line: int | None


class Context(Protocol):
    """What a node may ask while evaluating one case at one date."""

    year: int
    day: dt.date
    values: dict[str, Any]  # the case's facts and each derived result once evaluated (absent: unknown)

    def missing(self, name: str) -> frozenset[str]:
        """The facts that would decide `name` while its value is unknown."""

    def parameter(self, name: str) -> tuple[float | None, str | None]:
        """A dated parameter's value at the date and where it came from (regelsaet or sag)."""

    def history(self, name: str) -> list[int] | None: ...

    def items(self, name: str) -> list[dict] | None: ...


class Checker(Protocol):
    """What `check` reports to: the loader (errors) or lint (findings), with the node's line."""

    def kind_of(self, node: Node, name: str) -> str | None:
        """The kind of a fact (procent, antal, ...) or of a derived result; reports unknown names."""

    def parameter(self, node: Node, name: str) -> Any:
        """A parameter by name (with its `unit`); reports unknown names and returns None."""

    def category_values(self, name: str) -> set[str]:
        """The values a derived category (a `vaelg`) can take."""

    def is_derived(self, name: str) -> bool: ...

    def catalogue(self, name: str) -> Any:
        """The catalogue of allowed values of a list's items (with `values`, `noun`, `unknown`), if any."""

    def report(self, node: Node, message: str, code: str) -> None: ...


class Words(Protocol):
    """How `describe` names things: a renderer decides between plain text, Markdown or labels."""

    day: dt.date

    def name(self, name: str) -> str:
        """A fact, derived fact or parameter as the reader should see it."""

    def unit(self, name: str) -> str:
        """' %', ' kr.', ' år' or '' after a value of `name`."""

    def parameter_value(self, name: str) -> float | None:
        """A parameter's value at `day`."""


class TextOut(Protocol):
    """Where a trace writes its lines for the text output (the renderer implements it)."""

    def line(self, depth: int, mark: str, text: str, citation: str | None) -> None: ...

    def value(self, name: str, value: Any, limit: Any = None) -> str:
        """A fact's value as a reader should see it ('56,5 %', 'over 50 %', 'ikke oplyst'), in full
        where rounding would hide how it compares with `limit`."""

    def derived(self, depth: int, mark: str, text: str, citation: str | None, fact: str) -> None:
        """A line about a derived fact, followed by the trace of the rule that decides it."""

    def limit(self, trace: Any) -> str: ...

    def question(self, fact: str) -> str | None:
        """The Danish question a case fact answers (rules/fakta.yaml), or for a derived fact its
        rule's title as a question."""


class Planner(Protocol):
    """What `make_true` asks while finding the nearest changes that turn a 'no' into a 'yes'."""

    def derived(self, fact: str) -> Trace | None:
        """The trace of the rule deciding a derived fact."""

    def derived_plan(self, fact: str) -> Plan | None:
        """What makes a derived fact true (its rule's trace made true), worked out once per decision:
        several goals (the decision, the eligibility, a priority tier) often lead to the same fact."""

    def unit(self, fact: str) -> str: ...

    def label(self, name: str) -> str: ...

    def in_kroner(self, fact: str, percent: float) -> str | None: ...


Plan = tuple[float, list[str]]  # (cost, changes in Danish) to make a false node true
MARK = {True: "✓", False: "✗", None: "?"}


class Trace:
    """A typed trace node: the node, its result and what would decide it. One subclass per kind."""

    __slots__ = ("node", "result", "deciding")

    def __init__(self, node: Node, result: Any, deciding: frozenset[str]):
        self.node = node
        self.result = result
        self.deciding = deciding

    def parts(self) -> tuple[Trace, ...]:
        """The traces of the node's children (coverage and planners walk these)."""
        return ()

    def to_json(self) -> dict:
        """The node in the decision's `spor` (schemas/decision.schema.json)."""
        return self.node.base_json(self.result)

    def write(self, out: TextOut, depth: int) -> None:
        """Its lines in the text output: a mark, the reason and what decided it."""
        out.line(depth, MARK.get(self.result, "•"), self.node.reason + self.text(out), self.node.citation)

    def text(self, out: TextOut) -> str:
        """What follows the reason on its line (values against the requirement)."""
        return ""

    def make_true(self, planner: Planner) -> Plan | None:
        """(cost, changes) that would make a false node true; None when no change of facts would."""
        if self.result is True:
            return 0.0, []
        return None

    def in_kroner(self, percent: float) -> Any:
        """For a share computed from amounts: how the amounts must change to reach `percent`."""
        return None

    def walk(self) -> Iterator[tuple[tuple, Trace]]:
        """(path, trace) for this node and every node under it; paths match `Node.paths`."""
        yield (), self
        for i, part in enumerate(self.parts()):
            for path, node in part.walk():
                yield (i, *path), node


class Node:
    """A condition, calculation or choice of a rule version. Subclasses are the kinds."""

    kind: ClassVar[str]  # "type" in the trace and the export
    keys: ClassVar[tuple[str, ...]]  # a rule document's node is of this kind when it has one of these keys
    counts_in_coverage: ClassVar[bool] = True  # legal coverage asks for this node seen true and false
    result_kind: ClassVar[str] = "sandhedsvaerdi"  # what a rule version with this body derives
    prepared_by_host: ClassVar[bool] = False  # the durable engine leaves it to the host (no Rete rules)

    def __init__(self, head: Head):
        self.id = head.id
        self.reason = head.reason
        self.citation = head.citation
        self.line = head.line

    # -- structure ------------------------------------------------------------------------------
    @classmethod
    def parse(cls, spec: dict, build: Builder, path: tuple) -> Node:  # pragma: no cover - abstract
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()

    def paths(self) -> Iterator[tuple[tuple, Node]]:
        """(path, node) for this node and every node under it, the paths `Trace.walk` gives."""
        yield (), self
        for i, child in enumerate(self.children()):
            for path, node in child.paths():
                yield (i, *path), node

    def outline(self) -> list[tuple[str | None, Node | None]]:
        """The items under this node in a written outline (explain, the rulebook): its children,
        or for a choice each option's name with its condition (None for `ellers`)."""
        return [(None, child) for child in self.children()]

    def reads(self) -> frozenset[str]:
        """Facts (case or derived) this node itself reads, not its children."""
        return EMPTY

    def parameters(self) -> tuple[str, ...]:
        """Parameters this node itself reads, in order."""
        return ()

    def watches(self) -> tuple[tuple[str, str], ...]:
        """Case data this node reads that may earn the decision a note: a parameter the case may
        supply (("parameter", name)) or the case's history (("historik", name))."""
        return tuple(("parameter", p) for p in self.parameters())

    def limits(self) -> tuple[tuple[str, Any], ...]:
        """(fact, limit) for every threshold this node compares a fact with (the corpus generator)."""
        return ()

    # -- checking, evaluation, words ------------------------------------------------------------
    def check(self, checker: Checker) -> None:
        """Report references the evaluator would misread (unknown names, wrong kinds)."""

    def compile(self) -> Run:  # pragma: no cover - abstract
        raise NotImplementedError

    def trace(self, ctx: Context) -> Trace:  # pragma: no cover - abstract
        raise NotImplementedError

    def deciding(self, ctx: Context) -> frozenset[str]:
        """The facts that would decide this node while it is undetermined (none once decided).
        From its trace by default; a kind with children looks only into the undecided ones."""
        return self.trace(ctx).deciding

    def describe(self, words: Words) -> str:  # pragma: no cover - abstract
        """The requirement in Danish words, e.g. "andel_ikkevestlige_pct over 50 %"."""
        raise NotImplementedError

    def export(self) -> dict:
        """The node as plain JSON for the browser self-check (docs/assets/selvtjek.js)."""
        return {"type": self.kind, "begrundelse": self.reason, "kilde": self.citation}

    def durable(self, dc: Any, want: bool) -> dict | None:  # pragma: no cover - abstract
        """A durable-rules pattern that holds exactly when the node is certainly `want`."""
        raise NotImplementedError

    def when_undecided(self) -> Any:
        """The result a body reports when it cannot be decided (None; a choice may name a value)."""
        return None

    def undecided(self, result: Any) -> bool:
        """True when a body's result says it could not be decided (its missing facts are reported)."""
        return result is None

    def durable_rules(self, dc: Any, name: str, stratum: dict) -> dict:
        """The durable-rules rules deciding a derived fact whose rule version has this body: one
        firing when it is certainly true, one when certainly false ("unknown" is that neither did)."""
        rules = {}
        for want in (True, False):
            pattern = dc.all_of([stratum, self.durable(dc, want)])
            if pattern is not None:
                rules[f"{name}__{'sand' if want else 'falsk'}"] = {"all": [{"m": pattern}], "run": (name, want)}
        return rules

    def base_json(self, result: Any) -> dict:
        out = {"type": self.kind, "resultat": result, "begrundelse": self.reason, "kilde": self.citation}
        if self.id:
            out["id"] = self.id
        return out

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.reason!r} line {self.line}>"


class Builder:
    """What `parse` needs from the rule document: citations (a `henvisning` read against the
    version's source `kilde_nr`, the first by default), line numbers, derived fact names."""

    def __init__(
        self,
        make_citation: Callable[[str | None, int | None], str],
        line_of: Callable[[tuple], int | None],
        derived_facts: set[str],
        kinds: list[type[Node]],
    ):
        self.make_citation = make_citation
        self.line_of = line_of
        self.derived_facts = derived_facts
        self.kinds = kinds

    def head(self, spec: dict, path: tuple, reason: str | None = None) -> Head:
        return Head(
            spec.get("id"),
            spec["begrundelse"] if reason is None else reason,
            self.make_citation(spec.get("henvisning"), spec.get("kilde_nr")),
            self.line_of(path),
        )

    def condition(self, spec: dict, path: tuple) -> Node:
        """The node for one condition of the rule document (already schema-valid)."""
        for kind in self.kinds:
            if any(key in spec for key in kind.keys):
                return kind.parse(spec, self, path)
        raise ValueError(f"ingen slags betingelse har felterne {sorted(spec)}")  # the schema prevents this
