"""MkDocs hooks: the rulebook's rule pages, generated at build time from rules/ and cases/.

Nothing generated is committed: every build reads the rule files the evaluator runs and evaluates
the worked examples anew, so a page can never show a stale threshold or answer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .cases import expand, read_cases
from .conditions import Calculation, Choice, Comparison, Composite, FactIs, History, ListCheck, Node
from .errors import InputError
from .evaluator import evaluate
from .export import export
from .paths import discover
from .render_text import danish_date, danish_number, danish_period
from .ruleset import Rule, Ruleset, Version, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
KIND = {"lov": "Lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (antagelse)"}
WORD = {">": "over", "≥": "mindst", "<": "under", "≤": "højst"}
ANSWER = {True: "ja", False: "nej", None: "kan ikke afgøres"}
_state: dict = {}


def page_name(rule: Rule) -> str:
    return f"regler/{rule.id}.md"


def _ruleset() -> Ruleset:
    """The rules (LBF_RULES_DIR or rules/) and the example cases (LBF_CASES_DIR or cases/)."""
    if "ruleset" not in _state:
        import os

        _state["ruleset"] = load_ruleset(discover().rules)
        cases_root = Path(os.environ.get("LBF_CASES_DIR") or ROOT / "cases")
        cases = []
        for path in expand([cases_root]):
            for item in read_cases(path):
                if isinstance(item, InputError):
                    raise item
                cases.append((path.relative_to(cases_root).as_posix(), item.data))
        _state["cases"] = cases
    return _state["ruleset"]


# -- MkDocs hooks -------------------------------------------------------------------------------
def on_config(config, **kwargs):
    _state.clear()
    ruleset = _ruleset()
    pages = [{"Oversigt": "regler/index.md"}] + [{rule.title: page_name(rule)} for rule in _sorted_rules(ruleset)]
    nav = config.get("nav") or []
    for i, item in enumerate(nav):
        if isinstance(item, dict) and "Regler" in item:
            nav[i] = {"Regler": pages}
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    ruleset = _ruleset()
    files.append(File.generated(config, "regler/index.md", content=overview(ruleset)))
    files.append(File.generated(config, "aabne-spoergsmaal.md", content=open_questions(ruleset)))
    for rule in ruleset.rules.values():
        files.append(File.generated(config, page_name(rule), content=rule_page(ruleset, rule)))
    # The rules as data in a script (not a JSON fetch), so the self-check works offline, even from disk.
    data = json.dumps(export(ruleset), ensure_ascii=False)
    files.append(File.generated(config, "assets/regler.js", content=f"window.LBF_REGLER = {data};\n"))
    return files


# -- pages --------------------------------------------------------------------------------------
def _sorted_rules(ruleset: Ruleset) -> list[Rule]:
    return sorted(ruleset.rules.values(), key=lambda r: r.path.relative_to(ruleset.root).as_posix())


def overview(ruleset: Ruleset) -> str:
    lines = ["# Reglerne", "", f"Regelsæt {ruleset.version} (revision `{ruleset.revision}`). Hver regel har sin egen side "
             "med kilder, versioner, betingelser og eksempler, beregnet af den samme evaluator som kommandolinjen.", "",
             "| Regel | Art | Afgør | Versioner | Gælder nu |", "|---|---|---|---|---|"]
    today = dt.date.today()
    for rule in _sorted_rules(ruleset):
        current = rule.version_at(today)
        now = f"version {current.name}" if current else "ingen version i dag"
        lines.append(f"| [{rule.title}]({rule.id}.md) | {KIND[rule.kind]} | `{rule.derives}` | {len(rule.versions)} | {now} |")
    return "\n".join(lines) + "\n"


def source_link(source) -> str:
    """A source as a Markdown link, or, for a document without a public address, its description."""
    if source.url:
        return f"[{source.citation()}]({source.url})"
    return f"{source.citation()} (dokument uden offentlig adresse: {source.document})"


def period(version: Version) -> str:
    return danish_period(version.valid_from, version.valid_to)


TOPICS = {"61a": "§ 61 a (listerne)", "61b": "§ 61 b (forebyggelsesområder)", "91a": "§ 91 a (støtte)",
          "regulativ": "LBF's regulativer", "praksis": "LBF-praksis", "parametre": "Parametre", "sager": "Sager"}


def open_questions(ruleset: Ruleset) -> str:
    """The page for legal staff: open points kept as data, then every rule's assumptions and
    interpretations, so that nothing the sources leave open is silently absent."""
    lines = ["# Åbne juridiske spørgsmål", "",
             "Denne side er til juridiske medarbejdere. Den bygges ved hver ændring fra `rules/aabne_spoergsmaal.yaml` "
             "(det, kilderne ikke giver nok til at kode) og fra reglernes antagelser (LBF-praksis) og fortolkninger "
             "(valg, hvor kilderne ikke afgør spørgsmålet). Når et spørgsmål er afklaret, kodes det i reglerne, "
             "og punktet slettes.", "", "## Åbne punkter", ""]
    titles = {rule.id: rule.title for rule in ruleset.rules.values()}
    for point in ruleset.open_points:
        lines += [f"### {point['titel']}", "", f"**Emne:** {TOPICS[point['emne']]}", "",
                  f"**Spørgsmål:** {point['spoergsmaal']}", "", f"**Søgt og fundet:** {point['status']}", "",
                  f"**Imens gør reglerne dette:** {point['imens']}", ""]
        if point.get("regler"):
            links = [f"[{titles[r]}](regler/{r}.md)" if r in titles else f"`{r}`" for r in point["regler"]]  # lint names unknown ones
            lines += [f"**Berørte regler:** {', '.join(links)}", ""]
        if point.get("kilder"):
            lines += ["**Kilder:** " + ", ".join(f"<{url}>" for url in point["kilder"]), ""]
    lines += ["## Antagelser om LBF-praksis", "",
              "Reglerne af art praksis bygger på disse antagelser. De afgør aldrig en retlig afgørelse.", ""]
    for rule in _sorted_rules(ruleset):
        if rule.assumptions:
            lines += [f"### [{rule.title}](regler/{rule.id}.md)", ""] + [f"- {a}" for a in rule.assumptions] + [""]
    for param in sorted(ruleset.parameters.values(), key=lambda p: p.id):
        if param.assumption:
            lines += [f"- **Parameteren `{param.id}`** ({param.title}): {param.assumption}"]
    lines += ["", "## Fortolkninger pr. regelversion", ""]
    for rule in _sorted_rules(ruleset):
        notes = [(v, n) for v in rule.versions for n in v.notes]
        if notes:
            lines += [f"### [{rule.title}](regler/{rule.id}.md)", ""]
            lines += [f"- Version {v.name} ({period(v)}): {n}" for v, n in notes] + [""]
    return "\n".join(lines) + "\n"


def rule_page(ruleset: Ruleset, rule: Rule) -> str:
    lines = [f"# {rule.title}", "", f"**{KIND[rule.kind]}** · regel `{rule.id}` · afgør `{rule.derives}`", ""]
    if rule.kind == "praksis":
        lines += ['!!! warning "LBF-praksis, ikke lov"', "    LBF har ikke offentliggjort, hvordan denne praksis afgrænses. "
                  "Reglen er vores gengivelse og bygger på disse antagelser:", ""]
        lines += [f"    - {a}" for a in rule.assumptions] + [""]
    lines += [rule.explanation, "", "## Kilder", ""]
    seen = set()
    for version in rule.versions:
        for source in version.sources:
            key = (source.citation(), source.url, source.document)
            if key not in seen:
                seen.add(key)
                lines.append(f"- {source_link(source)} (version {version.name})")
    lines += ["", "## Tidslinje", "", "| Version | Navn | Periode | Hjemmel |", "|---|---|---|---|"]
    for version in rule.versions:
        lines.append(f"| {version.name} | {version.legal_name} | {period(version)} | {version.enacted_by} |")
    lines.append("")
    for before, version in zip([None, *rule.versions], rule.versions):
        lines += [f"## Version {version.name}: {version.legal_name}", "", f"Gælder {period(version)}. Hjemmel: {version.enacted_by}.", ""]
        if before is not None:
            changes = differences(ruleset, before, version)
            if changes:
                lines += [f"**Ændret fra version {before.name}:**", ""] + [f"- {c}" for c in changes] + [""]
        lines += condition_table(ruleset, version)
        for note in version.notes:
            lines += [f"> Fortolkning: {note}", ""]
        lines += examples(ruleset, rule, version)
    return "\n".join(lines) + "\n"


def requirement(ruleset: Ruleset, node: Node, day: dt.date) -> str:
    if isinstance(node, Comparison):
        unit = " %" if node.fact in ruleset.facts and ruleset.facts[node.fact].kind == "procent" or node.fact in ruleset.rules else ""
        limit = node.limit
        if limit.parameter is None:
            return f"`{node.fact}` {WORD[node.op]} {danish_number(limit.number)}{unit}"
        value = ruleset.parameters[limit.parameter].value_at(day)
        factor = ruleset.parameters[limit.factor_parameter].value_at(day) if limit.factor_parameter else limit.factor
        now = "ukendt ved periodens start" if value is None or factor is None else f"{danish_number(scale_text(value, factor))}{unit} ved periodens start"
        times = "" if factor == 1 else f"{danish_number(factor) if factor is not None else '?'} × "
        return f"`{node.fact}` {WORD[node.op]} {times}`{limit.parameter}` ({now})"
    if isinstance(node, FactIs):
        wanted = {True: "ja", False: "nej"}.get(node.expected, node.expected) if isinstance(node.expected, bool) else f"`{node.expected}`"
        return f"`{node.fact}` er {wanted}"
    if isinstance(node, History):
        return f"`{node.name}` i hvert af de {node.years} foregående år"
    if isinstance(node, ListCheck):
        extra = f", hver med {' og '.join(node.required)}" if node.required else ""
        return f"alle i `{node.name}` er blandt: {', '.join(node.allowed)}{extra}"
    if isinstance(node, Calculation):
        return f"`{node.part}` i procent af {' + '.join(f'`{n}`' for n in node.of)}"
    if isinstance(node, Composite):
        k = node.k if not node.k_parameter else ruleset.parameters[node.k_parameter].value_at(day)
        return {"alle": "alle disse", "nogen": "mindst én af disse", "ikke": "ikke dette"}.get(node.kind) or f"mindst {k} af disse {len(node.parts)}"
    return ""


def scale_text(value: float, factor: float) -> float:
    from .conditions import scale

    return scale(value, factor)


def condition_table(ruleset: Ruleset, version: Version) -> list[str]:
    rows = ["| Betingelse | Krav | Henvisning |", "|---|---|---|"]

    def walk(node: Node, depth: int) -> None:
        pad = "&nbsp;&nbsp;&nbsp;&nbsp;" * depth
        if isinstance(node, Choice):
            for value, label, cond in node.options:
                rows.append(f"| {pad}**{label}** (`{value}`) | {'hvis' if cond else 'ellers'} | |")
                if cond:
                    walk(cond, depth + 1)
            return
        rows.append(f"| {pad}{node.reason} | {requirement(ruleset, node, version.valid_from)} | {node.citation} |")
        for child in node.children():
            walk(child, depth + 1)

    walk(version.body, 0)
    return rows + [""]


def leaves(node: Node) -> dict[str, Node]:
    out = {}
    for n in node.walk():
        if isinstance(n, Comparison):
            out[n.id or n.fact] = n
    return out


def differences(ruleset: Ruleset, before: Version, after: Version) -> list[str]:
    out = []
    if before.legal_name != after.legal_name:
        out.append(f"navnet er ændret fra {before.legal_name} til {after.legal_name}")
    old, new = leaves(before.body), leaves(after.body)
    for key in old.keys() & new.keys():
        a, b = requirement(ruleset, old[key], before.valid_from), requirement(ruleset, new[key], after.valid_from)
        if a != b:
            out.append(f"{new[key].reason.lower()}: {a} → {b}")
    out += [f"nyt krav: {new[k].reason.lower()} ({requirement(ruleset, new[k], after.valid_from)})" for k in sorted(new.keys() - old.keys())]
    out += [f"krav udgået: {old[k].reason.lower()}" for k in sorted(old.keys() - new.keys())]
    counts = lambda v: [(n.k, len(n.parts)) for n in v.body.walk() if isinstance(n, Composite) and n.kind == "mindst" and not n.k_parameter]  # noqa: E731
    if counts(before) != counts(after):
        fmt = lambda c: ", ".join(f"{k} af {n}" for k, n in c) or "ingen"  # noqa: E731
        out.append(f"antal krævede kriterier: {fmt(counts(before))} → {fmt(counts(after))}")
    histories = lambda v: [n.years for n in v.body.walk() if isinstance(n, History)]  # noqa: E731
    if histories(before) != histories(after):
        out.append(f"antal foregående år: {histories(before)} → {histories(after)}")
    return out


def examples(ruleset: Ruleset, rule: Rule, version: Version, limit: int = 4) -> list[str]:
    chosen = []
    for rel, case in sorted(_state["cases"], key=lambda rc: (rc[1].get("kilde", {}).get("type") != "reel", rc[0])):
        day = dt.date.fromisoformat(case["dato"])
        if version.in_force(day):
            chosen.append((rel, case))
        if len(chosen) == limit:
            break
    if not chosen:
        return []
    lines = ["**Eksempler** (beregnet af evaluatoren, da siden blev bygget):", "",
             "| Sag | Dato | Resultat | Begrundelse |", "|---|---|---|---|"]
    for _, case in chosen:
        decision = evaluate(ruleset, case)
        step = next(s for s in decision["spor"] if s["udleder"] == rule.derives)
        result = step["resultat"]
        shown = ANSWER.get(result, result) if not isinstance(result, float) else f"{danish_number(round(result, 2))} %"
        reasons = "; ".join(f"{'✓' if p['resultat'] is True else '✗' if p['resultat'] is False else '?'} {p['begrundelse']}"
                            for p in (step["betingelse"] or {}).get("dele", [])[:4])
        kind = case.get("kilde", {}).get("type", "syntetisk")
        lines.append(f"| {case['navn']} ({kind}) | {danish_date(case['dato'])} | **{shown}** | {reasons} |")
    return lines + [""]
