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
from .conditions import Calculation, Choice, Comparison, Composite, FactIs, History, ListCheck, Node, compile_body
from .errors import InputError, RuleError
from .yamlio import Document, load_one

FAR_FUTURE = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Source:
    law: str
    paragraph: str | None
    url: str
    stk: int | None = None
    nr: int | None = None

    def citation(self, detail: str | None = None) -> str:
        """`almenboligloven § 61 a, stk. 2`, or with a condition's own `henvisning`."""
        base = f"{self.law} § {self.paragraph}" if self.paragraph else self.law
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
    body: Node  # a condition (yes/no), a calculation (number) or a choice (category)
    line: int
    reads: frozenset[str] = frozenset()  # facts (case or derived) its body reads directly

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
    result_kind: str  # sandhedsvaerdi | procent | kategori
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
    kind: str = "data"  # lov | regulativ | praksis | data
    assumption: str | None = None

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
    sections: dict  # which derived facts the decision reports, from regelsaet.yaml


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
    sections = {k: meta.data[k] for k in ("klassifikationer", "stoetteberettiget", "prioritet", "betingelser", "afgoerelse") if k in meta.data}
    for rule in rules.values():
        _check_references(rule, docs[rule.path], facts, parameters, rules)
    order = _dependency_order(rules)
    for key, value in sections.items():
        for name in value if isinstance(value, list) else [value]:
            if name not in rules:
                raise RuleError(str(root / "regelsaet.yaml"), f"'{name}' udledes ikke af nogen regel", line=meta.line_of((key,)), field=key)
    return Ruleset(
        name=meta.data["navn"],
        version=meta.data["version"],
        revision=revision(root),
        classifications=list(meta.data["klassifikationer"]),
        facts=facts,
        parameters=parameters,
        rules={name: rules[name] for name in order},
        root=root,
        sections=sections,
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
        out[data["id"]] = Parameter(
            data["id"], data["titel"], data["enhed"], data["beskrivelse"], data.get("kan_oplyses_i_sag", False),
            values, path, data.get("art", "data"), data.get("antagelse"),
        )
    return out


def _date(doc: Document, path: tuple) -> dt.date:
    value = doc.data
    for part in path:
        value = value[part]
    return dt.date.fromisoformat(value)  # format already checked by the schema


def _compile_rule(path: Path, doc: Document, derived: set[str]) -> Rule:
    data = doc.data
    first = data["versioner"][0]
    result_kind = "procent" if "beregning" in first else "kategori" if "vaelg" in first else "sandhedsvaerdi"
    rule = Rule(data["id"], data["titel"], data["art"], data["udleder"], result_kind, data["forklaring"], data.get("antagelser", []), path)
    for i, spec in enumerate(data["versioner"]):
        vpath = ("versioner", i)
        sources = [Source(s["lov"], s.get("paragraf"), s["url"], s.get("stk"), s.get("nr")) for s in spec["kilder"]]
        valid_from = _date(doc, vpath + ("gyldig_fra",))
        valid_to = _date(doc, vpath + ("gyldig_til",)) if "gyldig_til" in spec else None
        if valid_to is not None and valid_to <= valid_from:
            raise RuleError(str(path), "gyldig_til skal ligge efter gyldig_fra", line=doc.line_of(vpath + ("gyldig_til",)), field=f"versioner[{i}].gyldig_til")
        body = compile_body(spec, sources[0].citation, doc.line_of, vpath, derived)
        kind = "procent" if isinstance(body, Calculation) else "kategori" if isinstance(body, Choice) else "sandhedsvaerdi"
        if kind != result_kind:
            raise RuleError(str(path), "alle versioner af en regel skal udlede samme slags resultat (betingelse, beregning eller valg)", line=doc.line_of(vpath))
        if isinstance(body, Choice) and body.options[-1][2] is not None:
            raise RuleError(str(path), "sidste valgmulighed i 'vaelg' skal være 'ellers: true'", line=doc.line_of(vpath + ("vaelg",)))
        rule.versions.append(Version(rule, spec["version"], spec["navn"], valid_from, valid_to, spec["hjemmel"], sources, spec.get("fortolkning", []), body, doc.line_of(vpath), reads_of(body)))
    ordered = sorted(rule.versions, key=lambda v: v.valid_from)
    for before, after in zip(ordered, ordered[1:]):
        if before.valid_to is None or before.valid_to > after.valid_from:
            raise RuleError(str(path), f"version '{after.name}' (fra {after.valid_from}) overlapper version '{before.name}'", line=after.line)
    labels = [v.name for v in rule.versions]
    if len(set(labels)) != len(labels):
        raise RuleError(str(path), "to versioner har samme navn i feltet 'version'", line=doc.line_of(("versioner",)))
    rule.versions = ordered
    return rule


def own_reads(node: Node) -> set[str]:
    """Facts one node itself reads (not its children)."""
    if isinstance(node, (Comparison, FactIs)):
        return {node.fact}
    if isinstance(node, Calculation):
        return set(node.inputs())
    return set()


def reads_of(body: Node) -> frozenset[str]:
    """Facts a rule version reads (case facts or derived ones), anywhere in its body."""
    return frozenset().union(*(own_reads(n) for n in body.walk()))


NUMERIC = {"procent", "antal", "kroner", "aar"}


def _check_references(rule: Rule, doc: Document, facts: dict[str, Fact], parameters: dict[str, Parameter], rules: dict[str, Rule]) -> None:
    known = sorted(set(facts) | set(rules))

    def fail(node: Node, message: str) -> RuleError:
        return RuleError(str(rule.path), message, line=node.line)

    def kind_of(node: Node, name: str) -> str:
        if name in facts:
            return facts[name].kind
        if name in rules:
            return rules[name].result_kind
        guess = difflib.get_close_matches(name, known, n=1)
        raise fail(node, f"ukendt faktum '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""))

    def parameter(node: Node, name: str) -> Parameter:
        if name not in parameters:
            guess = difflib.get_close_matches(name, sorted(parameters), n=1)
            raise fail(node, f"ukendt parameter '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""))
        return parameters[name]

    for version in rule.versions:
        for node in version.body.walk():
            if isinstance(node, Comparison):
                kind = kind_of(node, node.fact)
                if kind not in NUMERIC:
                    what, hint = ("sand/falsk", "er: true") if kind == "sandhedsvaerdi" else ("en kategori", "er: <værdi>")
                    raise fail(node, f"'{node.fact}' er {what} og kan ikke sammenlignes med et tal; brug '{hint}'")
                if node.limit.parameter and parameter(node, node.limit.parameter).unit != kind:
                    unit = parameters[node.limit.parameter].unit
                    raise fail(node, f"'{node.fact}' ({kind}) sammenlignes med parameteren '{node.limit.parameter}' ({unit})")
                if node.limit.factor_parameter:
                    parameter(node, node.limit.factor_parameter)
            elif isinstance(node, FactIs):
                kind = kind_of(node, node.fact)
                if kind in NUMERIC or kind == "liste":
                    raise fail(node, f"'{node.fact}' er et tal ({kind}); sammenlign med fx 'overstiger' i stedet for 'er'")
                if kind == "sandhedsvaerdi" and not isinstance(node.expected, bool):
                    raise fail(node, f"'{node.fact}' er sand/falsk; skriv 'er: true' eller 'er: false'")
                if kind == "kategori":
                    values = {v for ver in rules[node.fact].versions for v in ver.body.values()}
                    if node.expected not in values:
                        raise fail(node, f"'{node.expected}' er ikke en mulig værdi af '{node.fact}' ({', '.join(sorted(values))})")
            elif isinstance(node, Calculation):
                for name in node.inputs():
                    if kind_of(node, name) not in NUMERIC:
                        raise fail(node, f"'{name}' er ikke et tal og kan ikke indgå i en beregning")
            elif isinstance(node, ListCheck) and (node.name not in facts or facts[node.name].kind != "liste"):
                raise fail(node, f"'{node.name}' er ikke en liste i fakta-kataloget")
            elif isinstance(node, History) and node.name not in rules:
                raise fail(node, f"historik for ukendt kategori '{node.name}'")
            elif isinstance(node, Composite) and node.kind == "mindst":
                if node.k_parameter:
                    parameter(node, node.k_parameter)
                elif node.k > len(node.parts):
                    raise fail(node, f"'mindst: {node.k}' kan aldrig opfyldes af {len(node.parts)} betingelser")
        for name in version.reads:
            if name in rules:
                user = next(n for n in version.body.walk() if name in own_reads(n))
                _check_covered(user, version, rules[name], fail)


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
    uses = {name: sorted({f for v in rule.versions for f in v.reads if f in rules}) for name, rule in rules.items()}
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "active":
            cycle = chain[chain.index(name):] + [name]
            names = " → ".join(rules[n].id for n in cycle)
            first = rules[cycle[0]]
            line = next(n.line for v in first.versions for n in v.body.walk() if cycle[1] in own_reads(n))
            raise RuleError(str(first.path), f"regler afhænger af hinanden i ring: {names}", line=line)
        state[name] = "active"
        for dep in uses[name]:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(name)

    for name in sorted(rules, key=lambda n: (rules[n].path.as_posix(), n)):  # the law's own order
        visit(name, [])
    return order
