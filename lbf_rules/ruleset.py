"""Loading the rule repository (`rules/`) into checked, compiled rules.

Loading refuses a repository the evaluator could misread: every file is validated against its
schema, every fact and parameter a condition names must exist and be of a kind the condition
can compare, a rule's versions must not overlap, a derived fact a version uses must be decided
by a rule in force for the whole of that version, and derived facts must not depend on each
other in a cycle. Errors name the file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import schemas
from .conditions import Comparison, Composite, FactIs, History, Node, compile_condition
from .errors import InputError, RuleError
from .yamlio import Document, load_one

FAR_FUTURE = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Source:
    law: str
    paragraph: str
    url: str
    stk: int | None = None
    nr: int | None = None

    def citation(self, detail: str | None = None) -> str:
        """`almenboligloven § 61 a, stk. 2`, or with a condition's own `henvisning`."""
        base = f"{self.law} § {self.paragraph}"
        if detail:
            if detail.startswith("§"):
                return f"{self.law} {detail}"
            return f"{base}, {detail}"
        if self.stk:
            base += f", stk. {self.stk}"
        if self.nr:
            base += f", nr. {self.nr}"
        return base


@dataclass
class Version:
    rule: "Rule"
    name: str  # the version label, e.g. "2018"
    legal_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    enacted_by: str
    sources: list[Source]
    notes: list[str]
    condition: Node
    line: int
    case_facts: frozenset[str] = frozenset()  # facts of the case (not derived) its conditions read

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def citation(self) -> str:
        return self.sources[0].citation()


@dataclass
class Rule:
    id: str
    title: str
    kind: str  # lov | regulativ | praksis
    derives: str
    explanation: str
    assumptions: list[str]
    path: Path
    versions: list[Version] = field(default_factory=list)

    def version_at(self, day: dt.date) -> Version | None:
        for version in self.versions:
            if version.in_force(day):
                return version
        return None


@dataclass
class Fact:
    name: str
    field: tuple[str, ...]
    kind: str
    description: str


@dataclass
class Parameter:
    id: str
    title: str
    unit: str
    description: str
    case_may_supply: bool
    values: list[tuple[dt.date, float | None, str]]
    path: Path

    def value_at(self, day: dt.date) -> float | None:
        current = None
        for start, value, _ in self.values:
            if start <= day:
                current = value
        return current


@dataclass
class Ruleset:
    name: str
    version: str
    revision: str
    classifications: list[str]
    facts: dict[str, Fact]
    parameters: dict[str, Parameter]
    rules: dict[str, Rule]  # by derived fact, in dependency order
    root: Path


def load_ruleset(root: Path) -> Ruleset:
    """Load and check the whole rule repository under `root`."""
    root = Path(root)
    if not (root / "regelsaet.yaml").is_file():
        raise RuleError(str(root), "er ikke en regelmappe (regelsaet.yaml mangler)")
    meta = _load_valid(root / "regelsaet.yaml", "ruleset")
    facts = _load_facts(root / "fakta.yaml")
    parameters = _load_parameters(root / "parametre")
    rule_files = sorted(p for p in root.rglob("*.yaml") if _is_rule_file(root, p))
    docs = {path: _load_valid(path, "rule") for path in rule_files}
    derived: dict[str, tuple[Path, Document]] = {}
    for path, doc in docs.items():
        name = doc.data["udleder"]
        if name in derived:
            raise RuleError(str(path), f"faktummet '{name}' udledes allerede af {derived[name][0]}", line=doc.line_of(("udleder",)), field="udleder")
        if name in facts:
            raise RuleError(str(path), f"'{name}' er et faktum, sagen oplyser; en regel kan ikke også udlede det", line=doc.line_of(("udleder",)), field="udleder")
        derived[name] = (path, doc)
    rules = {name: _compile_rule(path, doc, set(derived)) for name, (path, doc) in derived.items()}
    for rule in rules.values():
        _check_references(rule, docs[rule.path], facts, parameters, rules)
    order = _dependency_order(rules)
    for name in meta.data["klassifikationer"]:
        if name not in rules:
            raise RuleError(str(root / "regelsaet.yaml"), f"klassifikationen '{name}' udledes ikke af nogen regel", field="klassifikationer")
    return Ruleset(
        name=meta.data["navn"],
        version=meta.data["version"],
        revision=revision(root),
        classifications=list(meta.data["klassifikationer"]),
        facts=facts,
        parameters=parameters,
        rules={name: rules[name] for name in order},
        root=root,
    )


def _is_rule_file(root: Path, path: Path) -> bool:
    rel = path.relative_to(root)
    return len(rel.parts) > 1 and rel.parts[0] != "parametre"


def revision(root: Path) -> str:
    """A content hash of every file in the rule repository: same rules, same revision."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()[:16]


def _load_valid(path: Path, schema_name: str) -> Document:
    try:
        doc = load_one(path)
    except RuleError:
        raise
    except InputError as exc:
        raise RuleError(exc.source, exc.message, line=exc.line, field=exc.field) from None
    if not isinstance(doc.data, dict):
        raise RuleError(str(path), "forventede et objekt med felter øverst i filen", line=doc.line)
    schemas.validate(doc, schema_name, RuleError)
    return doc


def _load_facts(path: Path) -> dict[str, Fact]:
    doc = _load_valid(path, "facts")
    return {
        name: Fact(name, tuple(spec["felt"].split(".")), spec["type"], spec["beskrivelse"])
        for name, spec in doc.data["fakta"].items()
    }


def _load_parameters(folder: Path) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = _load_valid(path, "parameter")
        data = doc.data
        if data["id"] != path.stem:
            raise RuleError(str(path), f"parameterens id '{data['id']}' skal være filens navn '{path.stem}'", line=doc.line_of(("id",)), field="id")
        values = []
        for i, item in enumerate(data["vaerdier"]):
            start = _date(doc, ("vaerdier", i, "fra"))
            if values and start <= values[-1][0]:
                raise RuleError(str(path), "datoerne skal stå i stigende orden", line=doc.line_of(("vaerdier", i, "fra")), field=f"vaerdier[{i}].fra")
            values.append((start, item["vaerdi"], item["kilde"]))
        out[data["id"]] = Parameter(data["id"], data["titel"], data["enhed"], data["beskrivelse"], data.get("kan_oplyses_i_sag", False), values, path)
    return out


def _date(doc: Document, path: tuple) -> dt.date:
    value = doc.data
    for part in path:
        value = value[part]
    return dt.date.fromisoformat(value)  # format already checked by the schema


def _compile_rule(path: Path, doc: Document, derived: set[str]) -> Rule:
    data = doc.data
    rule = Rule(data["id"], data["titel"], data["art"], data["udleder"], data["forklaring"], data.get("antagelser", []), path)
    for i, spec in enumerate(data["versioner"]):
        vpath = ("versioner", i)
        sources = [Source(s["lov"], s["paragraf"], s["url"], s.get("stk"), s.get("nr")) for s in spec["kilder"]]
        valid_from = _date(doc, vpath + ("gyldig_fra",))
        valid_to = _date(doc, vpath + ("gyldig_til",)) if "gyldig_til" in spec else None
        if valid_to is not None and valid_to <= valid_from:
            raise RuleError(str(path), "gyldig_til skal ligge efter gyldig_fra", line=doc.line_of(vpath + ("gyldig_til",)), field=f"versioner[{i}].gyldig_til")
        condition = compile_condition(spec["betingelse"], sources[0].citation, doc.line_of, vpath + ("betingelse",), derived)
        reads = frozenset(
            n.fact for n in condition.walk() if isinstance(n, Comparison) or isinstance(n, FactIs) and not n.is_derived
        )
        rule.versions.append(Version(rule, spec["version"], spec["navn"], valid_from, valid_to, spec["hjemmel"], sources, spec.get("fortolkning", []), condition, doc.line_of(vpath), reads))
    ordered = sorted(rule.versions, key=lambda v: v.valid_from)
    for before, after in zip(ordered, ordered[1:]):
        if before.valid_to is None or before.valid_to > after.valid_from:
            raise RuleError(str(path), f"version '{after.name}' (fra {after.valid_from}) overlapper version '{before.name}'", line=after.line)
    labels = [v.name for v in rule.versions]
    if len(set(labels)) != len(labels):
        raise RuleError(str(path), "to versioner har samme navn i feltet 'version'", line=doc.line_of(("versioner",)))
    rule.versions = ordered
    return rule


def _check_references(rule: Rule, doc: Document, facts: dict[str, Fact], parameters: dict[str, Parameter], rules: dict[str, Rule]) -> None:
    known = sorted(set(facts) | set(rules))

    def fail(node: Node, message: str) -> RuleError:
        return RuleError(str(rule.path), message, line=node.line)

    for version in rule.versions:
        for node in version.condition.walk():
            if isinstance(node, (Comparison, FactIs)):
                if node.fact not in facts and node.fact not in rules:
                    guess = difflib.get_close_matches(node.fact, known, n=1)
                    hint = f"; mente du '{guess[0]}'?" if guess else ""
                    raise fail(node, f"ukendt faktum '{node.fact}'{hint}")
                kind = facts[node.fact].kind if node.fact in facts else "sandhedsvaerdi"
                if isinstance(node, Comparison):
                    if kind == "sandhedsvaerdi":
                        raise fail(node, f"'{node.fact}' er sand/falsk og kan ikke sammenlignes med et tal; brug 'er: true'")
                    param = node.limit.parameter
                    if param is not None:
                        if param not in parameters:
                            guess = difflib.get_close_matches(param, sorted(parameters), n=1)
                            hint = f"; mente du '{guess[0]}'?" if guess else ""
                            raise fail(node, f"ukendt parameter '{param}'{hint}")
                        if parameters[param].unit != kind:
                            raise fail(node, f"'{node.fact}' ({kind}) sammenlignes med parameteren '{param}' ({parameters[param].unit})")
                elif kind != "sandhedsvaerdi":
                    raise fail(node, f"'{node.fact}' er et tal ({kind}); sammenlign med fx 'overstiger' i stedet for 'er'")
                if node.fact in rules:
                    _check_covered(node, version, rules[node.fact], fail)
            elif isinstance(node, History) and node.name not in rules:
                raise fail(node, f"historik for ukendt kategori '{node.name}'")
            elif isinstance(node, Composite) and node.kind == "mindst" and node.k > len(node.parts):
                raise fail(node, f"'mindst: {node.k}' kan aldrig opfyldes af {len(node.parts)} betingelser")


def _check_covered(node: Node, version: Version, source: Rule, fail) -> None:
    """The rule deriving a fact must be in force on every day the using version is."""
    day = version.valid_from
    end = version.valid_to or FAR_FUTURE
    while day < end:
        found = source.version_at(day)
        if found is None:
            raise fail(node, f"'{source.derives}' afgøres ikke af nogen version af {source.id} den {day.isoformat()}, men version '{version.name}' bruger det")
        if found.valid_to is None:
            return
        day = found.valid_to


def _dependency_order(rules: dict[str, Rule]) -> list[str]:
    """Derived facts in an order where each comes after those it uses; a cycle is an error."""
    uses = {
        name: sorted({n.fact for v in rule.versions for n in v.condition.walk() if isinstance(n, FactIs) and n.is_derived})
        for name, rule in rules.items()
    }
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = chain[chain.index(name):] + [name]
            names = " → ".join(rules[n].id for n in cycle)
            first = rules[cycle[0]]
            line = next(
                n.line for v in first.versions for n in v.condition.walk()
                if isinstance(n, FactIs) and n.fact == cycle[1]
            )
            raise RuleError(str(first.path), f"regler afhænger af hinanden i ring: {names}", line=line)
        state[name] = "active"
        for dep in uses[name]:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(name)

    for name in sorted(rules):
        visit(name, [])
    return order
