"""Loading the rule repository (`rules/`) into checked, compiled rules.

Loading refuses a repository the evaluator could misread: every file is validated against its
schema, every fact and parameter a condition names must exist and be of a kind the condition
can compare, a rule's versions must not overlap, a derived fact a version uses must be decided
by a rule in force for the whole of that version, and derived facts must not depend on each
other in a cycle. Errors name the file and line.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from . import rulecache, ruletree, schemas
from .errors import InputError, RuleError
from .jsonout import canonical
from .nodes import Choice, Node, parse_body
from .nodes.base import Run
from .yamlio import Document, decode, one_document, parse_yaml

FAR_FUTURE = dt.date(9999, 12, 31)
MAX_RULE_NODES = 5000  # YAML values in one rule or parameter file (the largest today has about 300)


@dataclass(frozen=True)
class Source:
    law: str
    paragraph: str | None
    url: str | None  # None for a document without a public address (then `document` says where it is)
    stk: int | None = None
    nr: int | None = None
    document: str | None = None

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
    rule: Rule
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
    citation: str = ""  # its first source's citation, e.g. "almenboligloven § 61 a, stk. 2"
    run: Run | None = None  # the body compiled once: the result for a case, no trace
    fingerprint: str = ""  # a hash of the version as written and what its rule derives: equal means it decides alike

    step_json: dict = field(default_factory=dict, repr=False)  # its step in a decision's `spor`, results left out
    entry_json: dict = field(default_factory=dict, repr=False)  # its entry in a decision, results left out

    def __post_init__(self) -> None:
        self.citation = self.sources[0].citation()
        self.run = self.body.compile()
        rule = self.rule
        self.step_json = {
            "regel": rule.id,
            "udleder": rule.derives,
            "art": rule.kind,
            "version": self.name,
            "navn": self.legal_name,
            "gyldig_fra": self.valid_from.isoformat(),
            "gyldig_til": self.valid_to.isoformat() if self.valid_to else None,
            "hjemmel": self.enacted_by,
            "kilde": self.citation,
            "resultat": None,
            "betingelse": None,
        }
        self.entry_json = {
            "resultat": None,
            "navn": self.legal_name,
            "regel": rule.id,
            "version": self.name,
            "kilde": self.citation,
            "hjemmel": self.enacted_by,
            "url": self.sources[0].url,
        }

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def period(self) -> str:
        """'fra 1. december 2018 til og med 29. november 2021'."""
        from .danish import danish_period

        return danish_period(self.valid_from, self.valid_to)


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
    question: str | None = None  # the Danish question the case answers (spoergsmaal)
    item: ItemCatalogue | None = None  # the allowed values of a list's items (the indsatsområder)


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


@dataclass(frozen=True)
class Layout:
    """What a decision reports and under which keys, read from rules/regelsaet.yaml: the only place
    that names the sections. A key whose value is a list reports each derived fact under its name
    (`klassifikationer` → `klassifikation`, `betingelser` → `betingelser` without the `betingelse_`
    prefix); a key whose value is one fact reports that fact's entry under the key itself."""

    classifications: tuple[str, ...] = ()
    singles: tuple[tuple[str, str], ...] = ()  # (decision key, derived fact), in regelsaet.yaml's order
    conditions: tuple[str, ...] = ()
    order: tuple[str, ...] = ()  # every reported derived fact, in regelsaet.yaml's order

    @classmethod
    def of(cls, sections: dict) -> Layout:
        singles = tuple((key, value) for key, value in sections.items() if isinstance(value, str))
        order = tuple(name for value in sections.values() for name in ([value] if isinstance(value, str) else value))
        return cls(tuple(sections.get("klassifikationer", [])), singles, tuple(sections.get("betingelser", [])), order)

    def single(self, key: str) -> str | None:
        """The derived fact reported under `key` (e.g. prioritet), if the rule set reports it."""
        return dict(self.singles).get(key)

    @staticmethod
    def condition_key(name: str) -> str:
        return name.removeprefix("betingelse_")

    def reported(self) -> set[str]:
        return set(self.order)


@dataclass(frozen=True)
class PortfolioOrder:
    """How `lbf-rules prioriter` ranks and funds areas (LBF practice, from rules/regelsaet.yaml)."""

    tiers: tuple[str, ...]  # priority values, best first
    shares: dict[str, str]  # tier → parameter with the share of the yearly application it gets
    statuses: tuple[str, ...]  # § 61 a statuses, most severe first
    criteria: str  # the derived fact whose `mindst k af` criteria are counted
    share_fact: str  # the fact that separates areas equal on everything else (higher first)
    fundable: str  # the overall decision that can get a share of the frame

    @classmethod
    def of(cls, data: dict) -> PortfolioOrder:
        tiers = data["trin"]
        return cls(
            tuple(t["vaerdi"] for t in tiers),
            {t["vaerdi"]: t["andel"] for t in tiers if "andel" in t},
            tuple(data["status"]),
            data["kriterier"],
            data["andel"],
            data["bevilges"],
        )

    def better_funded(self, tier: str) -> list[str]:
        """The funded tiers above `tier`, the nearest first."""
        if tier not in self.tiers:
            return []
        return [t for t in reversed(self.tiers[: self.tiers.index(tier)]) if t in self.shares]


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
    periods: list[tuple[dt.date, dt.date | None, str]] = field(default_factory=list)  # known gaps: (from, to, note)
    open_points: list[dict] = field(default_factory=list)  # rules/aabne_spoergsmaal.yaml
    files: dict[str, str] = field(default_factory=dict)  # every file's sha256, as read for this load
    portfolio: PortfolioOrder | None = None  # how prioriter ranks (regelsaet.yaml's portefoelje)
    _at: dict = field(default_factory=dict, repr=False)
    _change_days: list = field(default_factory=list, repr=False)
    fact_rank: dict[str, int] = field(init=False, repr=False)  # the catalogue's order (the case format's)
    kinds: dict[str, str] = field(init=False, repr=False)  # fact or derived fact → procent, antal, kategori, ...
    fact_fields: list = field(init=False, repr=False)  # (top field, [(fact, rest of its path, whole count?)])
    layout: Layout = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.layout = Layout.of(self.sections)
        self.fact_rank = {name: i for i, name in enumerate(self.facts)}
        groups: dict[str, list] = {}
        for name, fact in self.facts.items():
            groups.setdefault(fact.field[0], []).append((name, fact.field[1:], fact.kind == "antal"))
        self.fact_fields = list(groups.items())
        self.kinds = {name: fact.kind for name, fact in self.facts.items()}
        self.kinds.update({name: rule.result_kind for name, rule in self.rules.items()})
        for name, parameter in self.parameters.items():  # the unit of every name a text can show
            self.kinds.setdefault(name, parameter.unit)

    def field_of(self, name: str) -> dict[str, str]:
        """Where a missing or unreported fact goes in the case and the Danish question it answers, for
        `felter` in a decision: a fact id is never all a reader gets."""
        head, _, rest = name.partition(".")
        fact = self.facts.get(head)
        if fact is not None:
            path = ".".join(fact.field)
            question = fact.question or fact.description
            if rest and fact.item is not None:  # an item of a list: indsatsomraader.<value>.<field>
                value, _, field = rest.partition(".")
                label = fact.item.values.get(value, value)
                return {"felt": f"{path}[{fact.item.field}={value}].{field}", "spoergsmaal": f"{label}: er '{field}' opfyldt?"}
            return {"felt": path, "spoergsmaal": question}
        if head == "historik":
            return {
                "felt": name,
                "spoergsmaal": f"I hvilke år før sagens år var området {rest.replace('_', ' ')} (eller på den tidligere liste)?",
            }
        if name in self.parameters:
            return {"felt": f"parameter {name}", "spoergsmaal": self.parameters[name].title}
        return {"felt": name, "spoergsmaal": name}

    def period_notes(self, day: dt.date) -> list[str]:
        """The notes of every known period without rules that covers `day` (perioder_uden_regler)."""
        return [note for start, end, note in self.periods if start <= day and (end is None or day < end)]

    def at(self, day: dt.date) -> RulesAt:
        """The repository as it stands on `day`. Nothing changes between two dates on which a version
        or a parameter value starts or ends, so it is worked out once per such period."""
        if not self._change_days:
            self._change_days = sorted(
                {v.valid_from for r in self.rules.values() for v in r.versions}
                | {v.valid_to for r in self.rules.values() for v in r.versions if v.valid_to}
                | {d for p in self.parameters.values() for d, _, _ in p.values}
            )
        period = bisect.bisect_right(self._change_days, day)
        found = self._at.get(period)
        if found is None:
            found = self._at[period] = RulesAt.of(self, day)
        return found

    def in_force(self, day: dt.date) -> list[tuple[str, Rule, Version]]:
        """(derived fact, rule, version) for every rule with a version in force, in dependency order."""
        return self.at(day).in_force


@dataclass(frozen=True)
class RulesAt:
    """What the evaluator needs of the repository on one date."""

    in_force: list[tuple[str, Rule, Version]]  # (derived fact, rule, version), in dependency order
    parameters: dict[str, float | None]  # every parameter's value (None where the rules do not know it)
    watched: tuple[tuple[str, str], ...]  # case data a note may be about: (parameter|historik, name), in order
    case_reads: frozenset[str]  # the case facts the versions in force read
    versions: dict[str, Version] = field(default_factory=dict)  # derived fact → its version in force

    @classmethod
    def of(cls, ruleset: Ruleset, day: dt.date) -> RulesAt:
        in_force = [(n, r, v) for n, r in ruleset.rules.items() if (v := r.version_at(day)) is not None]
        watched: dict[tuple[str, str], None] = {}
        for _, _, version in in_force:
            for node in version.body.walk():
                for kind, name in node.watches():
                    if kind == "historik" or ruleset.parameters[name].case_may_supply:
                        watched[(kind, name)] = None
        reads = frozenset(f for _, _, v in in_force for f in v.reads if f in ruleset.facts)
        parameters = {name: p.value_at(day) for name, p in ruleset.parameters.items()}
        return cls(in_force, parameters, tuple(watched), reads, {n: v for n, _, v in in_force})


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
OPEN_POINTS = "aabne_spoergsmaal.yaml"  # open legal questions, kept as data beside the rules


def load_ruleset(root: Path, sink: Sink | None = None) -> Ruleset:
    """Load and check the whole rule repository under `root`.

    With a collecting sink (lint), every problem is recorded and loading goes on with what is
    usable; the returned ruleset is then only for further checks, not for evaluation.
    """
    sink = sink or Sink()
    root = Path(root)
    if not (root / "regelsaet.yaml").is_file():
        raise RuleError(str(root), "er ikke en regelmappe (regelsaet.yaml mangler)")
    files = _Files(root, sink)
    meta = files.valid("regelsaet.yaml", "ruleset")
    facts_doc = files.valid("fakta.yaml", "facts")
    open_doc = files.valid(OPEN_POINTS, "open-points") if OPEN_POINTS in files.tree.files else None
    facts = _facts(facts_doc) if facts_doc else {}
    parameters = _load_parameters(files.tree, sink, files.valid)
    derived = _derived_facts(files, facts, sink)
    rules = {name: rule for name, (path, doc) in derived.items() if (rule := _compile_rule(path, doc, set(derived), sink)) is not None}
    complete = facts_doc is not None and len(rules) == len(derived)  # else reference checks would only echo problems
    sections = {k: meta.data[k] for k in SECTION_KEYS if k in meta.data} if meta else {"klassifikationer": []}
    if complete:
        _check_repository(meta, open_doc, sections, rules, facts, parameters, sink)
    order = _dependency_order(rules, sink)
    files.save()
    return Ruleset(
        name=meta.data["navn"] if meta else "",
        version=meta.data["version"] if meta else "",
        revision=files.tree.revision,
        facts=facts,
        parameters=parameters,
        rules={name: rules[name] for name in order},
        root=root,
        sections=sections,
        periods=[
            (dt.date.fromisoformat(p["fra"]), dt.date.fromisoformat(p["til"]) if "til" in p else None, p["bemaerkning"])
            for p in (meta.data.get("perioder_uden_regler", []) if meta else [])
        ],
        open_points=open_doc.data["spoergsmaal"] if open_doc else [],
        files=files.tree.hashes(),
        portfolio=PortfolioOrder.of(meta.data["portefoelje"]) if meta and "portefoelje" in meta.data else None,
    )


class _Files:
    """The repository's files as read once (ruletree), validated against their schemas, from the
    rule cache when its entry matches what was read; saved to the cache after a clean load."""

    def __init__(self, root: Path, sink: Sink):
        self.root = root
        self.sink = sink
        self.tree = ruletree.scan(root, sink)
        self.cached = None if sink.collect else rulecache.load(self.tree)
        self.loaded: dict[str, Document] = {}

    def valid(self, rel: str, schema_name: str) -> Document | None:
        doc = self.cached.get(rel) if self.cached is not None else None
        if doc is None:
            if rel not in self.tree.files:
                self.sink(RuleError(str(self.root / rel), "filen findes ikke eller kunne ikke læses", code="LBF001"))
                return None
            doc = _load_valid(self.tree.files[rel], schema_name, self.sink)
        if doc is not None:
            self.loaded[rel] = doc
        return doc

    def rule_documents(self) -> dict[Path, Document]:
        paths = [f.path for f in self.tree.yaml_files() if _is_rule_file(f.rel)]
        return {path: doc for path in paths if (doc := self.valid(path.relative_to(self.root).as_posix(), "rule")) is not None}

    def save(self) -> None:
        if self.cached is None and not self.sink.collect:
            rulecache.save(self.tree, self.loaded)


def _derived_facts(files: _Files, facts: dict[str, Fact], sink: Sink) -> dict[str, tuple[Path, Document]]:
    """Each rule file by the fact it derives: one rule per fact, and never a fact the case gives."""
    derived: dict[str, tuple[Path, Document]] = {}
    for path, doc in files.rule_documents().items():
        name = doc.data["udleder"]
        line = doc.line_of(("udleder",))
        if name in derived:
            sink(
                RuleError(
                    str(path), f"faktummet '{name}' udledes allerede af {derived[name][0]}", line=line, field="udleder", code="LBF052"
                )
            )
        elif name in facts:
            sink(
                RuleError(
                    str(path),
                    f"'{name}' er et faktum, sagen oplyser; en regel kan ikke også udlede det",
                    line=line,
                    field="udleder",
                    code="LBF052",
                )
            )
        else:
            derived[name] = (path, doc)
    return derived


def _check_repository(
    meta: Document | None,
    open_doc: Document | None,
    sections: dict,
    rules: dict[str, Rule],
    facts: dict[str, Fact],
    parameters: dict[str, Parameter],
    sink: Sink,
) -> None:
    """The checks across files: references, practice kept out of law, what regelsaet.yaml names."""
    for rule in rules.values():
        _check_references(rule, facts, parameters, rules, sink)
    _check_practice_isolation(rules, parameters, sink)
    if open_doc is not None and sink.collect:  # lint only: a reduced rule folder may leave points unlinked
        _check_open_points(open_doc, {rule.id for rule in rules.values()}, sink)
    for key, value in sections.items():
        for name in value if isinstance(value, list) else [value]:
            if name not in rules and meta is not None:
                sink(RuleError(meta.source, f"'{name}' udledes ikke af nogen regel", line=meta.line_of((key,)), field=key, code="LBF020"))
    if meta is not None and "portefoelje" in meta.data:
        _check_portfolio(meta, sections, rules, facts, parameters, sink)


def _is_rule_file(rel: str) -> bool:  # top-level files (fakta, regelsaet, ...) are not rules
    parts = rel.split("/")
    return len(parts) > 1 and parts[0] != "parametre" and rel.endswith(".yaml")


def revision(root: Path) -> str:
    """A content hash of every file in the rule repository: same rules, same revision."""
    return ruletree.scan(Path(root), Sink()).revision


def _load_valid(file: ruletree.TreeFile, schema_name: str, sink: Sink) -> Document | None:
    """A file's document if it loads and fits its schema; else None, with the problems in `sink`."""
    path, source = file.path, str(file.path)
    try:
        doc = one_document(list(parse_yaml(decode(file.data or b"", source), source, MAX_RULE_NODES)), source)
    except InputError as exc:
        sink(RuleError(exc.source, exc.message, line=exc.line, field=exc.field, code=exc.code or "LBF001", column=exc.column))
        return None
    if not isinstance(doc.data, dict):
        sink(RuleError(str(path), "forventede et objekt med felter øverst i filen", line=doc.line, code="LBF010"))
        return None
    if sink.collect:
        problems = schemas.all_errors(doc, schema_name, RuleError)
        for problem in problems:
            sink(
                RuleError(problem.source, problem.message, line=problem.line, field=problem.field, code=problem.code, column=problem.column)
            )
        return None if problems else doc
    schemas.validate(doc, schema_name, RuleError)
    return doc


def _facts(doc: Document) -> dict[str, Fact]:
    def item(spec: dict) -> ItemCatalogue | None:
        element = spec.get("element")
        return ItemCatalogue(element["felt"], element["navn"], dict(element["vaerdier"])) if element else None

    return {
        name: Fact(name, tuple(spec["felt"].split(".")), spec["type"], spec["beskrivelse"], spec.get("spoergsmaal"), item(spec))
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
            sink(
                RuleError(
                    str(path),
                    f"parameterens id '{data['id']}' skal være filens navn '{path.stem}'",
                    line=doc.line_of(("id",)),
                    field="id",
                    code="LBF052",
                )
            )
        values: list[tuple[dt.date, float | None, str]] = []
        for i, item in enumerate(data["vaerdier"]):
            start = _date(doc, ("vaerdier", i, "fra"))
            if values and start <= values[-1][0]:
                sink(
                    RuleError(
                        str(path),
                        "datoerne skal stå i stigende orden",
                        line=doc.line_of(("vaerdier", i, "fra")),
                        field=f"vaerdier[{i}].fra",
                        code="LBF032",
                    )
                )
            values.append((start, item["vaerdi"], item["kilde"]))
        out[data["id"]] = Parameter(
            data["id"],
            data["titel"],
            data["enhed"],
            data["beskrivelse"],
            data.get("kan_oplyses_i_sag", False),
            values,
            path,
            data.get("art", "data"),
            data.get("antagelse"),
            data.get("brugt_af"),
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
        sources = [Source(s["lov"], s.get("paragraf"), s.get("url"), s.get("stk"), s.get("nr"), s.get("dokument")) for s in spec["kilder"]]
        wrong = _source_numbers(spec, len(sources))
        if wrong:
            report(f"kilde_nr {wrong[0][1]} findes ikke; versionen har {len(sources)} kilde(r)", doc.line_of(vpath + wrong[0][0]), "LBF011")
            continue
        valid_from = _date(doc, vpath + ("gyldig_fra",))
        valid_to = _date(doc, vpath + ("gyldig_til",)) if "gyldig_til" in spec else None
        if valid_to is not None and valid_to <= valid_from:
            report("gyldig_til skal ligge efter gyldig_fra", doc.line_of(vpath + ("gyldig_til",)), "LBF032", f"versioner[{i}].gyldig_til")
            continue
        body = parse_body(spec, _citer(sources), doc.line_of, vpath, derived)
        if body.result_kind != result_kind:
            report(
                "alle versioner af en regel skal udlede samme slags resultat (betingelse, beregning eller valg)",
                doc.line_of(vpath),
                "LBF052",
            )
            continue
        if isinstance(body, Choice) and body.options[-1].condition is not None:
            report("sidste valgmulighed i 'vaelg' skal være 'ellers: true'", doc.line_of(vpath + ("vaelg",)), "LBF052")
            continue
        rule.versions.append(
            Version(
                rule,
                spec["version"],
                spec["navn"],
                valid_from,
                valid_to,
                spec["hjemmel"],
                sources,
                spec.get("fortolkning", []),
                body,
                doc.line_of(vpath) or 1,
                reads_of(body),
                fingerprint=_fingerprint(rule, spec),
            )
        )
    ordered = sorted(rule.versions, key=lambda v: v.valid_from)
    for before, after in itertools.pairwise(ordered):
        if before.valid_to is None or before.valid_to > after.valid_from:
            report(f"version '{after.name}' (fra {after.valid_from}) overlapper version '{before.name}'", after.line, "LBF030")
    labels = [v.name for v in rule.versions]
    if len(set(labels)) != len(labels):
        report("to versioner har samme navn i feltet 'version'", doc.line_of(("versioner",)), "LBF052")
    rule.versions = ordered
    return rule if len(sink.errors) == problems else None


def _citer(sources: list[Source]):
    """How a condition cites: its `henvisning` read against the version's first source, or against
    the source its `kilde_nr` names (e.g. the regulativ beside the law)."""

    def cite(detail: str | None = None, number: int | None = None) -> str:
        return sources[(number or 1) - 1].citation(detail)

    return cite


def _source_numbers(node, count: int, path: tuple = ()) -> list[tuple[tuple, int]]:
    """(path, kilde_nr) for every condition in a version that names a source it does not have."""
    out = []
    if isinstance(node, dict):
        number = node.get("kilde_nr")
        if isinstance(number, int) and number > count:
            out.append((path + ("kilde_nr",), number))
        for key, value in node.items():
            out += _source_numbers(value, count, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _source_numbers(value, count, path + (i,))
    return out


def _fingerprint(rule: Rule, spec: dict) -> str:
    """Everything a version's result can depend on besides the case, its parameters and the facts
    catalogue: the version as written (its condition, dates, texts) and what the rule derives."""
    return hashlib.sha256(canonical([rule.derives, rule.result_kind, spec])).hexdigest()


def reads_of(body: Node) -> frozenset[str]:
    """Facts a rule version reads (case facts or derived ones), anywhere in its body."""
    return frozenset().union(*(n.reads() for n in body.walk()))


class ReferenceChecker:
    """What a node's `check` reports to: unknown facts and parameters (with a suggestion), and
    kinds a node cannot use, each with the rule file and the node's line."""

    def __init__(self, rule: Rule, facts: dict[str, Fact], parameters: dict[str, Parameter], rules: dict[str, Rule], sink: Sink):
        self.rule = rule
        self.facts = facts
        self.parameters = parameters
        self.rules = rules
        self.sink = sink

    def report(self, node: Node, message: str, code: str) -> None:
        self.sink(RuleError(str(self.rule.path), message, line=node.line, code=code))

    def kind_of(self, node: Node, name: str) -> str | None:
        if name in self.facts:
            return self.facts[name].kind
        if name in self.rules:
            return self.rules[name].result_kind
        guess = difflib.get_close_matches(name, sorted(set(self.facts) | set(self.rules)), n=1)
        self.report(node, f"ukendt faktum '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""), "LBF020")
        return None

    def parameter(self, node: Node, name: str) -> Parameter | None:
        if name not in self.parameters:
            guess = difflib.get_close_matches(name, sorted(self.parameters), n=1)
            self.report(node, f"ukendt parameter '{name}'" + (f"; mente du '{guess[0]}'?" if guess else ""), "LBF021")
            return None
        return self.parameters[name]

    def category_values(self, name: str) -> set[str]:
        return {v for version in self.rules[name].versions if isinstance(version.body, Choice) for v in version.body.values()}

    def is_derived(self, name: str) -> bool:
        return name in self.rules

    def catalogue(self, name: str) -> ItemCatalogue | None:
        return self.facts[name].item if name in self.facts else None


def _check_references(rule: Rule, facts: dict[str, Fact], parameters: dict[str, Parameter], rules: dict[str, Rule], sink: Sink) -> None:
    checker = ReferenceChecker(rule, facts, parameters, rules, sink)
    for version in rule.versions:
        for node in version.body.walk():
            node.check(checker)
        for name in version.reads:
            if name in rules:
                user = next(n for n in version.body.walk() if name in n.reads())
                _check_covered(user, version, rules[name], checker.report)


def _check_portfolio(
    meta: Document, sections: dict, rules: dict[str, Rule], facts: dict[str, Fact], parameters: dict[str, Parameter], sink: Sink
) -> None:
    """The portfolio order names only what exists: tiers the priority rule can give, classifications
    the decision reports, a derived fact to count criteria in, a fact and parameters of the right kind."""
    data = meta.data["portefoelje"]

    def report(path: tuple, message: str) -> None:
        sink(
            RuleError(
                meta.source,
                message,
                line=meta.line_of(("portefoelje", *path)),
                field=".".join(map(str, ("portefoelje", *path))),
                code="LBF020",
            )
        )

    priority = rules.get(sections.get("prioritet", ""))
    values = {v for version in priority.versions if isinstance(version.body, Choice) for v in version.body.values()} if priority else set()
    decision = rules.get(sections.get("afgoerelse", ""))
    outcomes = (
        {v for version in decision.versions if isinstance(version.body, Choice) for v in version.body.values()} if decision else set()
    )
    for i, tier in enumerate(data["trin"]):
        if tier["vaerdi"] not in values:
            report(
                ("trin", i, "vaerdi"),
                f"'{tier['vaerdi']}' er ikke et prioritetstrin ({', '.join(sorted(values)) or 'ingen prioritetsregel'})",
            )
        share = tier.get("andel")
        if share is not None and (share not in parameters or parameters[share].unit != "procent"):
            report(("trin", i, "andel"), f"'{share}' er ikke en parameter i procent")
    for i, status in enumerate(data["status"]):
        if status not in sections.get("klassifikationer", []):
            report(("status", i), f"'{status}' er ikke en klassifikation i regelsaet.yaml")
    if data["kriterier"] not in rules:
        report(("kriterier",), f"'{data['kriterier']}' udledes ikke af nogen regel")
    if data["andel"] not in facts or facts[data["andel"]].kind != "procent":
        report(("andel",), f"'{data['andel']}' er ikke et faktum i procent")
    if data["bevilges"] not in outcomes:
        report(("bevilges",), f"'{data['bevilges']}' er ikke en mulig samlet afgørelse ({', '.join(sorted(outcomes))})")


def _check_open_points(doc: Document, rule_ids: set[str], sink: Sink) -> None:
    """An open legal question names only rules that exist (the page links to them)."""
    for i, point in enumerate(doc.data["spoergsmaal"]):
        for j, rule_id in enumerate(point.get("regler", [])):
            if rule_id not in rule_ids:
                guess = difflib.get_close_matches(rule_id, sorted(rule_ids), n=1)
                sink(
                    RuleError(
                        doc.source,
                        f"ukendt regel '{rule_id}'" + (f"; mente du '{guess[0]}'?" if guess else ""),
                        line=doc.line_of(("spoergsmaal", i, "regler", j)),
                        field=f"spoergsmaal[{i}].regler[{j}]",
                        code="LBF052",
                    )
                )


def _check_practice_isolation(rules: dict[str, Rule], parameters: dict[str, Parameter], sink: Sink) -> None:
    """Practice never decides a legal outcome: a lov or regulativ rule may not read a practice rule's
    result or a practice parameter, directly or through other rules (LBF034)."""
    memo: dict[str, str | None] = {}

    def rests_on(name: str, stack: tuple = ()) -> str | None:
        """The practice rule or parameter a derived fact rests on, if any."""
        if name not in rules or name in stack:
            return None  # a case fact, or a cycle (reported elsewhere)
        if name not in memo:
            rule = rules[name]
            found = f"{rule.id} (LBF-praksis)" if rule.kind == "praksis" else None
            for node in (n for v in rule.versions for n in v.body.walk()):
                found = found or _practice_cause(node, parameters, lambda r: rests_on(r, stack + (name,)))
            memo[name] = found
        return memo[name]

    for rule in rules.values():
        if rule.kind == "praksis":
            continue
        for version in rule.versions:
            node = next((n for n in version.body.walk() if _practice_cause(n, parameters, rests_on)), None)
            if node is not None:
                cause = _practice_cause(node, parameters, rests_on)
                sink(
                    RuleError(
                        str(rule.path),
                        f"en regel af art '{rule.kind}' må ikke bygge på LBF-praksis: version '{version.name}' bruger {cause}",
                        line=node.line,
                        code="LBF034",
                    )
                )


def _practice_cause(node: Node, parameters: dict[str, Parameter], rests_on) -> str | None:
    """What practice one node itself uses: a practice parameter, or a derived fact resting on practice."""
    for name in node.parameters():
        if name in parameters and parameters[name].kind == "praksis":
            return f"parameteren '{name}' (LBF-praksis)"
    for name in sorted(node.reads()):
        cause = rests_on(name)
        if cause:
            return f"'{name}', der bygger på {cause}"
    return None


def _check_covered(node: Node, version: Version, source: Rule, report) -> None:
    """The rule deriving a fact must be in force on every day the using version is."""
    day = version.valid_from
    end = version.valid_to or FAR_FUTURE
    while day < end:
        found = source.version_at(day)
        if found is None:
            report(
                node,
                f"'{source.derives}' afgøres ikke af nogen version af {source.id} den {day.isoformat()}, "
                f"men version '{version.name}' bruger det",
                "LBF033",
            )
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
            cycle = chain[chain.index(name) :] + [name]
            names = " → ".join(rules[n].id for n in cycle)
            first = rules[cycle[0]]
            line = next(n.line for v in first.versions for n in v.body.walk() if cycle[1] in n.reads())
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
