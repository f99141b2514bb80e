"""MkDocs hooks: the rulebook's rule pages, generated at build time from rules/ and cases/.

Nothing generated is committed: every build reads the rule files the evaluator runs and evaluates
the worked examples anew, so a page can never show a stale threshold or answer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .cases import expand, read_cases
from .danish import danish_date, danish_number, danish_period
from .errors import InputError
from .evaluator import decide
from .explain import PlainWords
from .export import export
from .nodes import Node
from .paths import discover
from .ruleset import Rule, Ruleset, Version, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
KIND = {"lov": "Lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (antagelse)"}
ANSWER = {True: "ja", False: "nej", None: "kan ikke afgøres"}
MARK = {True: "✓", False: "✗", None: "?"}
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
    return node.describe(PlainWords(ruleset, day, code=True))


def condition_table(ruleset: Ruleset, version: Version) -> list[str]:
    rows = ["| Betingelse | Krav | Henvisning |", "|---|---|---|"]

    def walk(node: Node, depth: int) -> None:
        pad = "&nbsp;&nbsp;&nbsp;&nbsp;" * depth
        rows.append(f"| {pad}{node.reason} | {requirement(ruleset, node, version.valid_from)} | {node.citation} |")
        for label, child in node.outline():
            if label is not None:
                rows.append(f"| {pad}&nbsp;&nbsp;&nbsp;&nbsp;**{label}** | {'hvis' if child else 'ellers'} | |")
            if child is not None:
                walk(child, depth + (2 if label is not None else 1))

    walk(version.body, 0)
    return rows + [""]


def _requirements(ruleset: Ruleset, version: Version) -> dict[str, tuple[str, str]]:
    """Every node's requirement in words, keyed by its id, else what it reads, else its reason."""
    out: dict[str, tuple[str, str]] = {}
    for node in version.body.walk():
        key = node.id or ",".join(sorted(node.reads())) or node.reason
        out.setdefault(key, (node.reason, requirement(ruleset, node, version.valid_from)))
    return out


def differences(ruleset: Ruleset, before: Version, after: Version) -> list[str]:
    out = []
    if before.legal_name != after.legal_name:
        out.append(f"navnet er ændret fra {before.legal_name} til {after.legal_name}")
    old, new = _requirements(ruleset, before), _requirements(ruleset, after)
    for key in sorted(old.keys() & new.keys()):
        if old[key][1] != new[key][1]:
            out.append(f"{new[key][0].lower()}: {old[key][1]} → {new[key][1]}")
    out += [f"nyt krav: {new[k][0].lower()} ({new[k][1]})" for k in sorted(new.keys() - old.keys())]
    out += [f"krav udgået: {old[k][0].lower()}" for k in sorted(old.keys() - new.keys())]
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
        step = decide(ruleset, case).step(rule.derives)
        if step is None or step.condition is None:
            continue
        result = step.result
        shown = ANSWER.get(result, result) if not isinstance(result, float) else f"{danish_number(round(result, 2))} %"
        reasons = "; ".join(f"{MARK[p.result]} {p.node.reason}" for p in step.condition.parts()[:4])
        kind = case.get("kilde", {}).get("type", "syntetisk")
        lines.append(f"| {case['navn']} ({kind}) | {danish_date(case['dato'])} | **{shown}** | {reasons} |")
    return lines + [""]
