"""A second engine on durable-rules: the same rule data compiled into Rete rulesets.

Its job is to disagree with the evaluator when either has a bug, so it shares the rule data and
the decision format, not the evaluation logic. How the rule data is compiled (see
`../shared/engineering/durable-rules.md` for the measured pitfalls it avoids):

- Three-valued logic without negation: every derived fact D becomes two rules, one whose pattern
  holds exactly when D is certainly true and one when it is certainly false (Kleene logic pushed
  into the patterns: false(alle) = any part false, true(mindst k) = some k parts true, ...).
  "Unknown" is simply that neither fired. No `$not`, so no stratification bug.
- Choices (`vaelg`): option i fires when its condition is true and every earlier one is false.
- Strata: a derived fact's rules match a fact of its stratum; the host asserts stratum k+1 with the
  case's fields plus the results of strata 1..k. One live session at a time, deleted after each
  case; a Host without background threads; a discriminator (`t`) in every pattern.
- Values known only as bounds become fields `f__lo`, `f__hi` (+ `_strict`); history becomes
  `hist__X__m1..mN` (years before the case's year) and `hist__X__kendt`.
- Prepared by the host, not by the Rete network (declared, not hidden): `beregning` results
  (decimal arithmetic), `hver_i` list checks (durable cannot iterate a list's items), and a
  threshold whose parameter only the case supplies (parameter × factor in decimal arithmetic).
  Parameters the rules know are compiled in as constants for the date.
- Not computed: which facts are missing (`mangler`); the decision says so in `bemaerkninger`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from .errors import EngineFailure, InputError
from .evaluator import CaseContext, Decision, date_note
from .nodes import Comparison, Node
from .nodes.history import MAX_YEARS
from .ruleset import Ruleset
from .values import Bound, scale

MAX_HISTORY = MAX_YEARS
MAX_COMBINATIONS = 1000  # k-of-n is expanded into its combinations; C(650, 300) would never end
START_RULE = "lbf__start"
NOTE = "Afgjort af durable-rules-motoren; hvilke fakta der mangler, beregnes kun af standardmotoren."


class EngineError(InputError):
    """durable-rules failed or its results contradict each other."""


def available() -> str | None:
    """None when durable-rules can be used here, else the reason in Danish."""
    try:
        import durable.engine  # noqa: F401
    except ImportError as exc:
        return f"durable-rules kan ikke importeres ({exc}); motoren kræver Python 3.11 eller 3.12 og 'pip install .[durable]'"
    return None


def _started(_c) -> None:
    """The action every session runs first (see `DurableEngine._ruleset_for`)."""


def _native_error() -> type[Exception]:
    """The exception durable-rules' C library raises ("Could not get state, error code: 111")."""
    import durable_rules_engine

    return durable_rules_engine.error


def _host():
    from durable import engine

    class SyncHost(engine.Host):
        """No background dispatch threads: they crash with several sessions (see the engineering note)."""

        def _run(self):
            pass

    return SyncHost()


def _or(parts: list) -> dict | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _and(parts: list) -> dict | None:
    if any(p is None for p in parts):
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class Compiler:
    """Compiles the rule versions in force at one date into a durable-rules ruleset."""

    def __init__(self, ruleset: Ruleset, day: dt.date):
        self.ruleset = ruleset
        self.day = day
        self.prepared_nodes: dict[str, Node] = {}  # field name → node the host evaluates (lists)
        self._prepared_runs: dict[str, Any] = {}
        self._prepared_fields: dict[int, str] = {}
        self.case_thresholds: dict[str, tuple[str, float]] = {}  # field → (parameter, factor)
        self.leaves: dict[int, tuple[str, Node]] = {}  # id(node) → (field, node): tests with their own rules
        self.leaf_owner: dict[str, str] = {}  # leaf field → the derived fact whose rule uses it

    # -- what the node kinds ask while translating themselves (`Node.durable`) -------------------
    def all_of(self, parts: list) -> dict | None:
        return _and(parts)

    def any_of(self, parts: list) -> dict | None:
        return _or(parts)

    def parameter(self, name: str) -> float | None:
        return self.ruleset.parameters[name].value_at(self.day)

    def combinations(self, node: Node, n: int, need: int) -> None:
        """Refuse a k-of-n expansion that durable-rules could never build (C(650, 300) never ends)."""
        if math.comb(n, need) > MAX_COMBINATIONS:
            raise EngineError(
                "durable-rules",
                f"'{node.reason}' ({need} af {n}) giver over {MAX_COMBINATIONS} kombinationer; "
                f"oversættelsen til durable-rules klarer højst {MAX_COMBINATIONS}",
            )

    def limit(self, node: Comparison) -> Any:
        """A comparison's limit at the date: a number, a field the host fills from the case's own
        parameter value, or None when nothing gives it."""
        limit = node.limit
        if limit.parameter is None:
            return limit.number
        factor = limit.factor
        if limit.factor_parameter:
            found = self.parameter(limit.factor_parameter)
            if found is None:
                return None
            factor = found
        value = self.parameter(limit.parameter)
        if value is not None:
            return scale(value, factor)
        if not self.ruleset.parameters[limit.parameter].case_may_supply:
            return None
        field = f"terskel__{limit.parameter}__{str(factor).replace('.', '_')}"
        self.case_thresholds[field] = (limit.parameter, factor)
        return {"$m": field}

    def field(self, name: str) -> str:
        return f"d__{name}" if name in self.ruleset.rules else name

    def prepared(self, node: Node, want: bool) -> dict:
        """A node the host evaluates (list checks); its result is a yes/no field of the stratum fact."""
        field = self._prepared_fields.setdefault(id(node), f"forberedt__{len(self._prepared_fields)}")
        if field not in self.prepared_nodes:
            self.prepared_nodes[field] = node
            self._prepared_runs[field] = node.compile()
        return {field: want}

    def prepared_run(self, field: str):
        return self._prepared_runs[field]

    def leaf(self, node: Node, want: bool) -> dict:
        """A comparison or history test gets rules of its own one stratum earlier, so that the
        patterns of composites only test yes/no fields (durable-rules caps an `$or`, after its own
        expansion into disjunctive normal form, at 13 disjuncts)."""
        if id(node) not in self.leaves:
            self.leaves[id(node)] = (f"blad__{len(self.leaves)}", node)
            self.leaf_owner[f"blad__{len(self.leaves) - 1}"] = self.current
        return {self.leaves[id(node)][0]: want}

    # -- rules ----------------------------------------------------------------------------------
    def compile(self) -> tuple[dict, list[list[str]]]:
        """The durable ruleset definition and the strata: for each level of derived facts, first
        a stratum of their leaf tests, then a stratum of the facts themselves."""
        in_force = {n: v for n, _, v in self.ruleset.in_force(self.day)}
        level: dict[str, int] = {}
        for name in self.ruleset.rules:  # already in dependency order
            if name in in_force:
                deps = [d for d in in_force[name].reads if d in in_force]
                level[name] = 1 + max((level[d] for d in deps), default=0)
        rules: dict[str, dict] = {}
        for name, version in in_force.items():
            self.current = name
            rules.update(version.body.durable_rules(self, name, {"t": f"s{2 * level[name]}"}))
        for field, node in self.leaves.values():
            stratum = {"t": f"s{2 * level[self.leaf_owner[field]] - 1}"}
            for want in (True, False):
                pattern = _and([stratum, node.durable_leaf(self, want)])  # type: ignore[attr-defined]
                if pattern is not None:
                    rules[f"{field}__{'sand' if want else 'falsk'}"] = {"all": [{"m": pattern}], "run": (field, want)}
        top = max(level.values(), default=0)
        strata = []
        for k in range(1, top + 1):
            strata.append([f for f, _ in self.leaves.values() if level[self.leaf_owner[f]] == k])
            strata.append([n for n in level if level[n] == k])
        return rules, strata


class DurableEngine:
    """Evaluates cases one at a time on durable-rules, one compiled ruleset per set of versions."""

    def __init__(self, ruleset: Ruleset):
        reason = available()
        if reason:
            raise EngineError("durable-rules", reason)
        self.ruleset = ruleset
        self.host = _host()
        self.compiled: dict[tuple, tuple[str, list[list[str]], Compiler]] = {}
        self.fired: dict[str, dict[str, set]] = {}
        self.count = 0

    def _signature(self, day: dt.date) -> tuple:
        versions = tuple((r.id, v.name) for r in self.ruleset.rules.values() if (v := r.version_at(day)))
        params = tuple((p.id, p.value_at(day)) for p in self.ruleset.parameters.values())
        return versions + params

    def _ruleset_for(self, day: dt.date):
        key = self._signature(day)
        if key not in self.compiled:
            compiler = Compiler(self.ruleset, day)
            definitions, strata = compiler.compile()
            name = f"lbf{len(self.compiled)}"
            for rule_name, spec in definitions.items():
                derived, value = spec["run"]
                spec["run"] = self._action(derived, value, rule_name)
            # durable-rules initialises a session's action context only when an action runs, and
            # deleting a session in which none ran frees that uninitialised memory (SIGSEGV, or
            # "free(): invalid pointer"): a case with no facts matched no rule. So every session
            # runs this one action on its first stratum fact, before anything else can match.
            definitions[START_RULE] = {"all": [{"m": {"t": "s1"}}], "run": _started}
            if len(definitions) > 512:
                raise EngineError("durable-rules", f"{len(definitions)} regler er flere end de 512, durable-rules kan bygge")
            try:
                self.host.register_rulesets({name: definitions})
            except _native_error() as exc:  # the C library reports only "error code: N"
                raise EngineError("durable-rules", f"regelsættet for {day.isoformat()} kan ikke bygges i durable-rules ({exc})") from None
            self.compiled[key] = (name, strata, compiler)
        return self.compiled[key]

    def _action(self, derived: str, value: Any, rule_name: str):
        def run(c):
            self.fired.setdefault(c.s.sid, {}).setdefault(derived, set()).add((value, rule_name))

        return run

    def _fields(self, case: dict, day: dt.date, compiler: Compiler, ctx: CaseContext) -> dict:
        fields: dict[str, Any] = {}
        for name, value in ctx.facts.items():
            if isinstance(value, Bound):
                if value.over is not None:
                    fields[f"{name}__lo"], fields[f"{name}__lo_strict"] = value.over, not value.over_inclusive
                if value.under is not None:
                    fields[f"{name}__hi"], fields[f"{name}__hi_strict"] = value.under, not value.under_inclusive
            elif isinstance(value, (bool, int, float, str)):
                fields[name] = value
        for name, years in (case.get("historik") or {}).items():
            fields[f"hist__{name}__kendt"] = True
            for i in range(1, MAX_HISTORY + 1):
                if day.year - i in years:
                    fields[f"hist__{name}__m{i}"] = True
        for field, (param, factor) in compiler.case_thresholds.items():
            supplied, origin = ctx.parameter(param)
            if supplied is not None and origin == "sag":
                fields[field] = scale(supplied, factor)
        return fields

    def evaluate(self, case: dict, day: dt.date | None = None) -> dict:
        """The decision document, as the standard engine writes it (its `spor` has no conditions)."""
        return self.decide(case, day).to_json(trace=True)

    def decide(self, case: dict, day: dt.date | None = None) -> Decision:
        case_day = dt.date.fromisoformat(case["dato"])
        day = day or case_day
        name, strata, compiler = self._ruleset_for(day)
        session = _Session(self, name, compiler, CaseContext(self.ruleset, self.ruleset.at(day), case, day), case)
        try:
            for k, names in enumerate(strata, start=1):
                session.stratum(k, names)
        finally:
            session.close()
        notes = ([date_note(day, case_day)] if day != case_day else []) + [NOTE]
        order = [n for n, _, _ in self.ruleset.in_force(day) if n in session.results]
        return Decision(self.ruleset, case, day, {n: session.results[n] for n in order}, notes, set(), None)


class _Session:
    """One case in durable-rules: its fields, asserted stratum by stratum, and what fired."""

    def __init__(self, engine: DurableEngine, name: str, compiler: Compiler, ctx: CaseContext, case: dict):
        engine.count += 1
        self.engine, self.name, self.compiler, self.ctx = engine, name, compiler, ctx
        self.sid = f"c{engine.count}"
        self.fields = engine._fields(case, ctx.day, compiler, ctx)
        self.results: dict[str, Any] = {}

    def stratum(self, k: int, names: list[str]) -> None:
        """Prepare what the host computes, assert the stratum's fact, and read what fired."""
        self._prepare(names)
        fact = {**self.fields, **{f"d__{n}": v for n, v in self.results.items() if v is not None}, "sid": self.sid, "t": f"s{k}"}
        self._assert(fact)
        fired = self.engine.fired.get(self.sid, {})
        for derived in names:
            values = {v for v, _ in fired.get(derived, set())}
            if derived.startswith("blad__"):
                if len(values) > 1:
                    raise EngineError("durable-rules", f"modstridende resultater for en test i {self.compiler.leaf_owner[derived]}")
                if values:
                    self.fields[derived] = values.pop()
                continue
            body = self._version(derived).body
            if body.prepared_by_host:
                continue
            if len(values) > 1:
                raise EngineError("durable-rules", f"modstridende resultater for {derived}: {sorted(map(str, values))}")
            self._result(derived, values.pop() if values else body.when_undecided())

    def _version(self, derived: str):
        return self.engine.ruleset.rules[derived].version_at(self.ctx.day)

    def _result(self, derived: str, value: Any) -> None:
        self.results[derived] = self.ctx.values[derived] = value

    def _prepare(self, names: list[str]) -> None:
        for derived in names:
            if not derived.startswith("blad__") and self._version(derived).body.prepared_by_host:
                self._result(derived, self._version(derived).run(self.ctx))  # e.g. a calculation in decimal arithmetic
        for field in self.compiler.prepared_nodes:
            value = self.compiler.prepared_run(field)(self.ctx)  # prepared by the host (lists)
            if value is not None:
                self.fields[field] = value

    def _assert(self, fact: dict) -> None:
        from durable.engine import MessageNotHandledException

        host = self.engine.host
        try:
            host.assert_fact(self.name, fact)
        except MessageNotHandledException:
            pass  # no rule of this stratum matched: every result here is unknown
        try:
            state = host.get_state(self.name, self.sid)
        except _native_error():  # no state yet: nothing matched in any stratum
            state = None
        if state and state.get("exception"):
            raise EngineError("durable-rules", f"fejl i en handling: {state['exception']}")

    def close(self) -> None:
        self.engine.fired.pop(self.sid, None)
        try:
            self.engine.host.delete_state(self.name, self.sid)
        except _native_error():  # a sid with no state (nothing matched) cannot be deleted
            pass


class IsolatedDurable:
    """The durable engine in a child process of its own.

    durable-rules is a C library; a crash in it (a bad pointer, an abort) would kill lbf-rules with
    no message. Here it kills only the child: the case it was evaluating is named in one clear line
    (EngineFailure, exit status 70), and nothing half-written reaches the output. Cases and
    decisions cross the pipe as JSON lines; the child loads the same rule folder and must find the
    same revision."""

    def __init__(self, ruleset: Ruleset, command: list[str] | None = None):
        reason = available()
        if reason and command is None:
            raise EngineError("durable-rules", reason)
        self.ruleset = ruleset
        self.command = command or [sys.executable, "-m", "lbf_rules.durable_engine", str(ruleset.root), ruleset.revision]
        self.process: subprocess.Popen | None = None

    def evaluate(self, case: dict, day: dt.date | None = None) -> dict:
        """The decision document, as DurableEngine.evaluate gives it."""
        return self.decide(case, day).to_json(trace=True)

    def decide(self, case: dict, day: dt.date | None = None) -> Decision:
        """The decision, from the results and notes the child sends back."""
        if self.process is None:
            stderr = None if os.environ.get("LBF_DEBUG") else subprocess.DEVNULL
            self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        process = self.process
        assert process.stdin is not None and process.stdout is not None  # both are pipes
        request = json.dumps({"sag": case, "dato": day.isoformat() if day else None}, ensure_ascii=False) + "\n"
        try:
            process.stdin.write(request.encode("utf-8"))
            process.stdin.flush()
            line = process.stdout.readline()
        except (BrokenPipeError, ConnectionResetError):
            line = b""
        if not line:
            status = self._stop()
            raise EngineFailure(
                f"durable-rules-motoren stoppede uventet ({_describe_exit(status)}) under sag '{case.get('id', '?')}'; "
                "fejlen ligger i durable-rules eller i oversættelsen til den, ikke i sagen, og standardmotoren er ikke berørt"
            )
        reply = json.loads(line)
        if "fejl" in reply:
            raise EngineError("durable-rules", reply["fejl"])
        if "intern" in reply:
            raise EngineFailure(f"intern fejl i durable-rules-motoren under sag '{case.get('id', '?')}' ({reply['intern']})")
        effective = day or dt.date.fromisoformat(case["dato"])
        return Decision(self.ruleset, case, effective, reply["resultater"], reply["bemaerkninger"], set(), None)

    def close(self) -> None:
        if self.process is not None:
            self._stop()

    def _stop(self) -> int:
        """End the child (it ends by itself once its input closes) and release the pipes."""
        process, self.process = self.process, None
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            process.stdin.close()
        except OSError:
            pass  # it is already gone
        try:
            status = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            status = process.wait()
        process.stdout.close()
        return status


def _describe_exit(status: int) -> str:
    if status < 0:
        try:
            return f"signal {signal.Signals(-status).name}"
        except ValueError:
            return f"signal {-status}"
    return f"exit-status {status}"


def _worker(root: str, revision: str) -> None:
    """The child side of IsolatedDurable: one JSON request per line in, one reply per line out."""
    from .ruleset import load_ruleset

    try:
        ruleset = load_ruleset(Path(root))
        problem = (
            None
            if ruleset.revision == revision
            else f"regelmappen er ændret under kørslen (revision {ruleset.revision}, forventede {revision})"
        )
        engine = DurableEngine(ruleset)
    except InputError as exc:
        problem = exc.oneline()
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if problem:
            reply: dict = {"fejl": problem}
        else:
            try:
                day = dt.date.fromisoformat(request["dato"]) if request["dato"] else None
                decision = engine.decide(request["sag"], day)
                reply = {"resultater": decision.results, "bemaerkninger": decision.notes}
            except EngineError as exc:
                reply = {"fejl": exc.message}
            except Exception as exc:  # noqa: BLE001 - a bug: reported by the parent as an internal error
                reply = {"intern": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2])
