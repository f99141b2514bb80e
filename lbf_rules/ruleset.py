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
from dataclasses import dataclass, field
from pathlib import Path

from . import rulecache, ruletree, schemas
from .conditions import Calculation, Choice, Comparison, Composite, FactIs, History, ListCheck, Node, compile_body
from .errors import InputError, RuleError
from .yamlio import Document, decode, one_document, parse_yaml

FAR_FUTURE = dt.date(9999, 12, 31)
MAX_RULE_NODES = 5000  # YAML values in one rule or parameter file (the largest today has about 300)


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
        cached = self.__dict__.get("_citation")
        if cached is None:
            cached = self.__dict__["_citation"] = self.sources[0].citation()
        return cached


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
    repeals: dict[dt.date, str] = field(default_factory=dict)  # a gap from this date is an explicit repeal

    def version_at(self, day: dt.date) -> Version | None:
        for version in self.versions:
            if version.in_force(day):
                return version
        return None


@dataclass
class ItemCatalogue:
    """The allowed values of one field of each item of a list fact (the indsatsområder): the one
    catalogue that rule versions choose from and that cases are checked against at input."""

    field: str
    noun: str
    values: dict[str, str]  # value → Danish label

    def unknown(self, value: object) -> str:
        """Why a value is refused, with the nearest known value ("mente du")."""
        shown = str(value) if len(str(value)) <= 60 else str(value)[:59] + "…"
        guess = difflib.get_close_matches(str(value), list(self.values), n=1, cutoff=0.6)
        if not guess:
            labels = {label.lower(): name for name, label in self.values.items()}
            found = difflib.get_close_matches(str(value).replace("_", " ").lower(), list(labels), n=1, cutoff=0.6)
            guess = [labels[found[0]]] if found else []
        hint = f"; mente du '{guess[0]}' ({self.values[guess[0]]})?" if guess else f"; kendte værdier: {', '.join(self.values)}"
        return f"'{shown}' er ikke et kendt {self.noun}{hint}"


@dataclass
class Fact:
    name: str
    field: tuple[str, ...]
    kind: str
    description: str
    item: ItemCatalogue | None = None


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
    used_by: str | None = None  # a command that uses it outside the rules (e.g. lbf-rules prioriter)

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
    facts: dict[str, Fact]
    parameters: dict[str, Parameter]
    rules: dict[str, Rule]  # by derived fact, in dependency order
    root: Path
    sections: dict  # which derived facts the decision reports, from regelsaet.yaml
    files: dict[str, str] = field(default_factory=dict)  # every file's sha256, as read for this load
    _in_force: dict = field(default_factory=dict, repr=False)

    def in_force(self, day: dt.date) -> list[tuple[str, Rule, Version]]:
        """(derived fact, rule, version) for every rule with a version in force, in dependency order."""
        found = self._in_force.get(day)
        if found is None:
            found = [(n, r, v) for n, r in self.rules.items() if (v := r.version_at(day)) is not None]
            if len(self._in_force) > 4096:
                self._in_force.clear()
            self._in_force[day] = found
        return found


class Sink:
    """Where loading problems go: raised at once (normal use) or collected (lint)."""

    def __init__(self, collect: bool = False):
        self.collect = collect
        self.errors: list[RuleError] = []

    def __call__(self, error: RuleError) -> None:
        if not self.collect:
            raise error
        self.errors.append(error)


SECTION_KEYS = ("klassifikationer", "stoetteberettiget", "prioritet", "betingelser", "afgoerelse")


def load_ruleset(root: Path, sink: Sink | None = None) -> Ruleset:
    """Load and check the whole rule repository under `root`.

    With a collecting sink (lint), every problem is recorded and loading goes on with what is
    usable; the returned ruleset is then only for further checks, not for evaluation.
    """
    sink = sink or Sink()
    root = Path(root)
    if not (root / "regelsaet.yaml").is_file():
        raise RuleError(str(root), "er ikke en regelmappe (regelsaet.yaml mangler)")
    tree = ruletree.scan(root, sink)
    cached = None if sink.collect else rulecache.load(tree)
    loaded: dict[str, Document] = {}

    def valid(rel: str, schema_name: str) -> Document | None:
        doc = cached.get(rel) if cached is not None else None
        if doc is None:
            if rel not in tree.files:
                sink(RuleError(str(root / rel), "filen findes ikke eller kunne ikke læses", code="LBF001"))
                return None
            doc = _load_valid(tree.files[rel], schema_name, sink)
        if doc is not None:
            loaded[rel] = doc
        return doc

    meta = valid("regelsaet.yaml", "ruleset")
    facts_doc = valid("fakta.yaml", "facts")
    facts = _facts(facts_doc) if facts_doc else {}
    parameters = _load_parameters(tree, sink, valid)
    rule_files = [f.path for f in tree.yaml_files() if _is_rule_file(f.rel)]
    docs = {path: doc for path in rule_files if (doc := valid(path.relative_to(root).as_posix(), "rule")) is not None}
    derived: dict[str, tuple[Path, Document]] = {}
    for path, doc in docs.items():
        name = doc.data["udleder"]
        where = dict(line=doc.line_of(("udleder",)), field="udleder", code="LBF052")
        if name in derived:
            sink(RuleError(str(path), f"faktummet '{name}' udledes allerede af {derived[name][0]}", **where))
        elif name in facts:
            sink(RuleError(str(path), f"'{name}' er et faktum, sagen oplyser; en regel kan ikke også udlede det", **where))
        else:
            derived[name] = (path, doc)
    rules = {}
    for name, (path, doc) in derived.items():
        rule = _compile_rule(path, doc, set(derived), sink)
        if rule is not None:
            rules[name] = rule
    complete = facts_doc is not None and len(rules) == len(derived)
    if complete:  # reference checks would only echo problems already reported
        for rule in rules.values():
            _check_references(rule, docs[rule.path], facts, parameters, rules, sink)
    order = _dependency_order(rules, sink)
    sections = {k: meta.data[k] for k in SECTION_KEYS if k in meta.data} if meta else {"klassifikationer": []}
    for key, value in sections.items():
        for name in value if isinstance(value, list) else [value]:
            if name not in rules and complete:
                sink(RuleError(str(root / "regelsaet.yaml"), f"'{name}' udledes ikke af nogen regel", line=meta.line_of((key,)), field=key, code="LBF020"))
    if cached is None and not sink.collect:
        rulecache.save(tree, loaded)
    return Ruleset(
        name=meta.data["navn"] if meta else "",
        version=meta.data["version"] if meta else "",
        revision=tree.revision,
        facts=facts,
        parameters=parameters,
        rules={name: rules[name] for name in order},
        root=root,
        sections=sections,
        files=tree.hashes(),
    )


def _is_rule_file(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) > 1 and parts[0] != "parametre" and rel.endswith(".yaml")


def revision(root: Path) -> str:
    """A content hash of every file in the rule repository: same rules, same revision."""
    return ruletree.scan(Path(root), Sink()).revision


def _load_valid(file: ruletree.TreeFile, schema_name: str, sink: Sink) -> Document | None:
    """A file's document if it loads and fits its schema; else None, with the problems in `sink`."""
    path, source = file.path, str(file.path)
    try:
        doc = one_document(list(parse_yaml(decode(file.data, source), source, MAX_RULE_NODES)), source)
    except InputError as exc:
        sink(RuleError(exc.source, exc.message, line=exc.line, field=exc.field, code=exc.code or "LBF001", column=exc.column))
        return None
    if not isinstance(doc.data, dict):
        sink(RuleError(str(path), "forventede et objekt med felter øverst i filen", line=doc.line, code="LBF010"))
        return None
    if sink.collect:
        problems = schemas.all_errors(doc, schema_name, RuleError)
        for problem in problems:
            sink(problem)
        return None if problems else doc
    schemas.validate(doc, schema_name, RuleError)
    return doc


def _facts(doc: Document) -> dict[str, Fact]:
    def item(spec: dict) -> ItemCatalogue | None:
        element = spec.get("element")
        return ItemCatalogue(element["felt"], element["navn"], dict(element["vaerdier"])) if element else None

    return {
        name: Fact(name, tuple(spec["felt"].split(".")), spec["type"], spec["beskrivelse"], item(spec))
        for name, spec in doc.data["fakta"].items()
    }


def _load_parameters(tree: ruletree.Tree, sink: Sink, valid) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for file in tree.yaml_files():
        parts = file.rel.split("/")
        if len(parts) != 2 or parts[0] != "parametre" or not file.rel.endswith(".yaml"):
            continue
        path = file.path
        doc = valid(file.rel, "parameter")
        if doc is None:
            continue
        data = doc.data
        if data["id"] != path.stem:
            sink(RuleError(str(path), f"parameterens id '{data['id']}' skal være filens navn '{path.stem}'", line=doc.line_of(("id",)), field="id", code="LBF052"))
        values = []
        for i, item in enumerate(data["vaerdier"]):
            start = _date(doc, ("vaerdier", i, "fra"))
            if values and start <= values[-1][0]:
                sink(RuleError(str(path), "datoerne skal stå i stigende orden", line=doc.line_of(("vaerdier", i, "fra")), field=f"vaerdier[{i}].fra", code="LBF032"))
            values.append((start, item["vaerdi"], item["kilde"]))
        out[data["id"]] = Parameter(
            data["id"], data["titel"], data["enhed"], data["beskrivelse"], data.get("kan_oplyses_i_sag", False),
            values, path, data.get("art", "data"), data.get("antagelse"), data.get("brugt_af"),
        )
    return out


def _date(doc: Document, path: tuple) -> dt.date:
    value = doc.data
    for part in path:
        value = value[part]
    return dt.date.fromisoformat(value)  # format already checked by the schema


def _compile_rule(path: Path, doc: Document, derived: set[str], sink: Sink) -> Rule | None:
    data = doc.data
    first = data["versioner"][0]
    result_kind = "procent" if "beregning" in first else "kategori" if "vaelg" in first else "sandhedsvaerdi"
    rule = Rule(data["id"], data["titel"], data["art"], data["udleder"], result_kind, data["forklaring"], data.get("antagelser", []), path)
    rule.repeals = {dt.date.fromisoformat(r["fra"]): r["hjemmel"] for r in data.get("ophaevelser", [])}
    problems = len(sink.errors)

    def report(message: str, line: int | None, code: str, field: str | None = None) -> None:
        sink(RuleError(str(path), message, line=line, field=field, code=code))

    for i, spec in enumerate(data["versioner"]):
        vpath = ("versioner", i)
        sources = [Source(s["lov"], s.get("paragraf"), s["url"], s.get("stk"), s.get("nr")) for s in spec["kilder"]]
        valid_from = _date(doc, vpath + ("gyldig_fra",))
        valid_to = _date(doc, vpath + ("gyldig_til",)) if "gyldig_til" in spec else None
        if valid_to is not None and valid_to <= valid_from:
            report("gyldig_til skal ligge efter gyldig_fra", doc.line_of(vpath + ("gyldig_til",)), "LBF032", f"versioner[{i}].gyldig_til")
            continue
        body = compile_body(spec, sources[0].citation, doc.line_of, vpath, derived)
        kind = "procent" if isinstance(body, Calculation) else "kategori" if isinstance(body, Choice) else "sandhedsvaerdi"
        if kind != result_kind:
            report("alle versioner af en regel skal udlede samme slags resultat (betingelse, beregning eller valg)", doc.line_of(vpath), "LBF052")
            continue
        if isinstance(body, Choice) and body.options[-1][2] is not None:
            report("sidste valgmulighed i 'vaelg' skal være 'ellers: true'", doc.line_of(vpath + ("vaelg",)), "LBF052")
            continue
        rule.versions.append(Version(rule, spec["version"], spec["navn"], valid_from, valid_to, spec["hjemmel"], sources, spec.get("fortolkning", []), body, doc.line_of(vpath), reads_of(body)))
    ordered = sorted(rule.versions, key=lambda v: v.valid_from)
    for before, after in zip(ordered, ordered[1:]):
        if before.valid_to is None or before.valid_to > after.valid_from:
            report(f"version '{after.name}' (fra {after.valid_from}) overlapper version '{before.name}'", after.line, "LBF030")
    labels = [v.name for v in rule.versions]
    if len(set(labels)) != len(labels):
        report("to versioner har samme navn i feltet 'version'", doc.line_of(("versioner",)), "LBF052")
    rule.versions = ordered
    return rule if len(sink.errors) == problems else None


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


def _check_references(rule: Rule, doc: Document, facts: dict[str, Fact], parameters: dict[str, Parameter], rules: dict[str, Rule], sink: Sink) -> None:
    known = sorted(set(facts) | set(rules))

    def report(node: Node, message: str, code: str) -> None:
        sink(RuleError(str(rule.path), message, line=node.line, code=code))

    def kind_of(node: Node, name: str) -> str | None:
        if name in facts:
            return facts[name].kind
        if name in rules:
            return rules[name].result_kind
        guess = difflib.get_close_matches(name, known, n=1)
        report(node, f"ukendt faktum '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""), "LBF020")
        return None

    def parameter(node: Node, name: str) -> Parameter | None:
        if name not in parameters:
            guess = difflib.get_close_matches(name, sorted(parameters), n=1)
            report(node, f"ukendt parameter '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""), "LBF021")
            return None
        return parameters[name]

    for version in rule.versions:
        for node in version.body.walk():
            if isinstance(node, Comparison):
                kind = kind_of(node, node.fact)
                if kind is None:
                    continue
                if kind not in NUMERIC:
                    what, hint = ("sand/falsk", "er: true") if kind == "sandhedsvaerdi" else ("en kategori", "er: <værdi>")
                    report(node, f"'{node.fact}' er {what} og kan ikke sammenlignes med et tal; brug '{hint}'", "LBF022")
                    continue
                param = parameter(node, node.limit.parameter) if node.limit.parameter else None
                if param is not None and param.unit != kind:
                    report(node, f"'{node.fact}' ({kind}) sammenlignes med parameteren '{param.id}' ({param.unit})", "LBF022")
                if node.limit.factor_parameter:
                    parameter(node, node.limit.factor_parameter)
            elif isinstance(node, FactIs):
                kind = kind_of(node, node.fact)
                if kind in NUMERIC or kind == "liste":
                    report(node, f"'{node.fact}' er et tal ({kind}); sammenlign med fx 'overstiger' i stedet for 'er'", "LBF022")
                elif kind == "sandhedsvaerdi" and not isinstance(node.expected, bool):
                    report(node, f"'{node.fact}' er sand/falsk; skriv 'er: true' eller 'er: false'", "LBF022")
                elif kind == "kategori":
                    values = {v for ver in rules[node.fact].versions for v in ver.body.values()}
                    if node.expected not in values:
                        report(node, f"'{node.expected}' er ikke en mulig værdi af '{node.fact}' ({', '.join(sorted(values))})", "LBF022")
            elif isinstance(node, Calculation):
                for name in node.inputs():
                    kind = kind_of(node, name)
                    if kind is not None and kind not in NUMERIC:
                        report(node, f"'{name}' er ikke et tal og kan ikke indgå i en beregning", "LBF022")
            elif isinstance(node, ListCheck) and (node.name not in facts or facts[node.name].kind != "liste"):
                report(node, f"'{node.name}' er ikke en liste i fakta-kataloget", "LBF022")
            elif isinstance(node, ListCheck) and facts[node.name].item is not None:
                catalogue = facts[node.name].item
                for value in node.allowed:
                    if value not in catalogue.values:
                        report(node, f"{catalogue.unknown(value)} Et nyt {catalogue.noun} tilføjes i fakta.yaml under '{node.name}'", "LBF020")
            elif isinstance(node, History) and node.name not in rules:
                report(node, f"historik for ukendt kategori '{node.name}'", "LBF020")
            elif isinstance(node, Composite) and node.kind == "mindst":
                if node.k_parameter:
                    parameter(node, node.k_parameter)
                elif node.k > len(node.parts):
                    report(node, f"'mindst: {node.k}' kan aldrig opfyldes af {len(node.parts)} betingelser", "LBF052")
        for name in version.reads:
            if name in rules:
                user = next(n for n in version.body.walk() if name in own_reads(n))
                _check_covered(user, version, rules[name], report)


def _check_covered(node: Node, version: Version, source: Rule, report) -> None:
    """The rule deriving a fact must be in force on every day the using version is."""
    day = version.valid_from
    end = version.valid_to or FAR_FUTURE
    while day < end:
        found = source.version_at(day)
        if found is None:
            report(node, f"'{source.derives}' afgøres ikke af nogen version af {source.id} den {day.isoformat()}, men version '{version.name}' bruger det", "LBF033")
            return
        if found.valid_to is None:
            return
        day = found.valid_to


def _dependency_order(rules: dict[str, Rule], sink: Sink) -> list[str]:
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
            sink(RuleError(str(first.path), f"regler afhænger af hinanden i ring: {names}", line=line, code="LBF040"))
            return
        state[name] = "active"
        for dep in uses[name]:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(name)

    for name in sorted(rules, key=lambda n: (rules[n].path.as_posix(), n)):  # the law's own order
        visit(name, [])
    return order
