"""MkDocs hooks: the rulebook's rule pages, generated at build time from rules/ and cases/.

Nothing generated is committed: every build reads the rule files the evaluator runs and evaluates
the worked examples anew, so a page can never show a stale threshold or answer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .cases import expand, read_cases
from .danish import danish_date, danish_number
from .errors import InputError
from .evaluator import decide
from .explain import PlainWords
from .export import export
from .nodes import Group, Node
from .paths import discover
from .ruleset import Rule, Ruleset, Version, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
KIND = {"lov": "Lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (antagelse)"}
ANSWER = {True: "ja", False: "nej", None: "kan ikke afgøres"}
MARK = {True: "✓", False: "✗", None: "?"}
BOOK_KEY = "_lbf_regelbog"  # where the hooks keep the loaded rule book between on_config and on_files
APPLICANT_PAGES = (
    "index.md",
    "kan-vi-faa-stoette.md",
    "selvtjek.md",
    "listerne.md",
    "betingelser.md",
    "indsatsomraader.md",
    "ordliste.md",
    "afgoerelser.md",
    "parametre.md",
)


class Rulebook:
    """The rules (LBF_RULES_DIR or rules/) and the example cases (LBF_CASES_DIR or cases/) one build
    reads, loaded once per build."""

    def __init__(self) -> None:
        import os

        self.ruleset = load_ruleset(discover().rules)
        cases_root = Path(os.environ.get("LBF_CASES_DIR") or ROOT / "cases")
        self.cases: list[tuple[str, dict]] = []
        for path in expand([cases_root]):
            for item in read_cases(path):
                if isinstance(item, InputError):
                    raise item
                self.cases.append((path.relative_to(cases_root).as_posix(), item.data))
        self.built = dt.date.today()


def page_name(rule: Rule) -> str:
    return f"regler/{rule.id}.md"


# -- MkDocs hooks -------------------------------------------------------------------------------
def on_config(config, **kwargs):
    book = Rulebook()
    config["extra"][BOOK_KEY] = book
    pages = [{"Oversigt": "regler/index.md"}] + [{rule.title: page_name(rule)} for rule in _sorted_rules(book.ruleset)]
    nav = config.get("nav") or []
    for i, item in enumerate(nav):
        if isinstance(item, dict) and "Regler" in item:
            nav[i] = {"Regler": pages}
    return config


def on_files(files, config, **kwargs):
    from mkdocs.structure.files import File

    book: Rulebook = config["extra"][BOOK_KEY]
    ruleset = book.ruleset
    files.append(File.generated(config, "regler/index.md", content=overview(ruleset, book.built)))
    files.append(File.generated(config, "parametre.md", content=parameters_page(ruleset)))
    files.append(File.generated(config, "aabne-spoergsmaal.md", content=open_questions(ruleset)))
    for rule in ruleset.rules.values():
        files.append(File.generated(config, page_name(rule), content=rule_page(book, rule)))
    # The rules as data in a script (not a JSON fetch), so the self-check works offline, even from disk.
    data = json.dumps(export(ruleset), ensure_ascii=False)
    files.append(File.generated(config, "assets/regler.js", content=f"window.LBF_REGLER = {data};\n"))
    return files


def on_page_markdown(markdown, page, config, **kwargs):
    """Every page says which rules it shows and when it was built (the rules change by date)."""
    book: Rulebook = config["extra"][BOOK_KEY]
    ruleset = book.ruleset
    newest = max(v.valid_from for r in ruleset.rules.values() for v in r.versions)
    return (
        markdown.rstrip() + "\n\n---\n\n"
        f'<p class="regelsaet-linje">Regelsæt {ruleset.version} · siden er bygget {danish_date(book.built)} af reglerne, '
        f"som de gælder efter datoerne i dem (nyeste regelversion gælder fra {danish_date(newest)}). "
        "Siden er vejledende og erstatter ikke Landsbyggefondens behandling.</p>\n"
    )


# -- pages --------------------------------------------------------------------------------------
def _sorted_rules(ruleset: Ruleset) -> list[Rule]:
    return sorted(ruleset.rules.values(), key=lambda r: r.path.relative_to(ruleset.root).as_posix())


def overview(ruleset: Ruleset, today: dt.date) -> str:
    lines = [
        "# Reglerne",
        "",
        f"Regelsæt {ruleset.version}. Hver regel har sin egen side med kilder, den version, der "
        "gælder nu, ældre versioner og eksempler, beregnet af den samme evaluator som kommandolinjen.",
        "",
        "| Regel | Art | Versioner | Gælder nu |",
        "|---|---|---|---|",
    ]
    for rule in _sorted_rules(ruleset):
        current = rule.version_at(today)
        now = f"{current.legal_name}, {current.period()}" if current else "ingen version i dag"
        lines.append(f"| [{rule.title}]({rule.id}.md) | {KIND[rule.kind]} | {len(rule.versions)} | {now} |")
    lines += [
        "",
        *jurist_part(
            [
                f"Regelsættets revision: `{ruleset.revision}`.",
                "",
                "| Regel | Id | Afgør |",
                "|---|---|---|",
                *[f"| {r.title} | `{r.id}` | `{r.derives}` |" for r in _sorted_rules(ruleset)],
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def jurist_part(lines: list[str], title: str = "For jurister") -> list[str]:
    """Rule ids, fact ids, operators and hashes, collapsed: applicants read the page above it."""
    return ['<details class="jurister" markdown="1">', f"<summary>{title}</summary>", "", *lines, "", "</details>", ""]


def parameters_page(ruleset: Ruleset) -> str:
    """Every dated parameter and its values: the numbers the rules take from a date rather than the law's text."""
    lines = [
        "# Daterede tal",
        "",
        "Nogle tal i reglerne ændrer sig med datoen: landsgennemsnit, som listerne regnes ud "
        "fra, og de andele af rammen, LBF's praksis fordeler efter. Her er hvert tal med dets værdier og kilde. "
        "Tal, der bygger på LBF-praksis, er antagelser og afgør aldrig et retligt udfald.",
        "",
    ]
    for param in sorted(ruleset.parameters.values(), key=lambda p: p.title):
        unit = {"procent": " %", "kroner": " kr.", "antal": ""}.get(param.unit, "")
        lines += [f"## {param.title}", "", param.description, ""]
        if param.assumption:
            lines += ['!!! warning "LBF-praksis (antagelse)"', f"    {param.assumption}", ""]
        lines += ["| Fra | Værdi | Kilde |", "|---|---|---|"]
        for day, value, source in param.values:
            shown = (
                "ukendt (kan oplyses i sagen)"
                if value is None and param.case_may_supply
                else "ukendt"
                if value is None
                else f"{danish_number(value)}{unit}"
            )
            lines.append(f"| {danish_date(day)} | {shown} | {source} |")
        lines += [""]
    return "\n".join(lines) + "\n"


def source_link(source) -> str:
    """A source as a Markdown link, or, for a document without a public address, its description."""
    if source.url:
        return f"[{source.citation()}]({source.url})"
    return f"{source.citation()} (dokument uden offentlig adresse: {source.document})"


TOPICS = {
    "61a": "§ 61 a (listerne)",
    "61b": "§ 61 b (forebyggelsesområder)",
    "91a": "§ 91 a (støtte)",
    "regulativ": "LBF's regulativer",
    "praksis": "LBF-praksis",
    "parametre": "Parametre",
    "sager": "Sager",
}


def open_questions(ruleset: Ruleset) -> str:
    """The page for legal staff: open points kept as data, then every rule's assumptions and
    interpretations, so that nothing the sources leave open is silently absent."""
    lines = [
        "# Åbne juridiske spørgsmål",
        "",
        "Denne side er til juridiske medarbejdere. Den bygges ved hver ændring fra `rules/aabne_spoergsmaal.yaml` "
        "(det, kilderne ikke giver nok til at kode) og fra reglernes antagelser (LBF-praksis) og fortolkninger "
        "(valg, hvor kilderne ikke afgør spørgsmålet). Når et spørgsmål er afklaret, kodes det i reglerne, "
        "og punktet slettes.",
        "",
        "## Åbne punkter",
        "",
    ]
    titles = {rule.id: rule.title for rule in ruleset.rules.values()}
    for point in ruleset.open_points:
        lines += [
            f"### {point['titel']}",
            "",
            f"**Emne:** {TOPICS[point['emne']]}",
            "",
            f"**Spørgsmål:** {point['spoergsmaal']}",
            "",
            f"**Søgt og fundet:** {point['status']}",
            "",
            f"**Imens gør reglerne dette:** {point['imens']}",
            "",
        ]
        if point.get("regler"):
            links = [f"[{titles[r]}](regler/{r}.md)" if r in titles else f"`{r}`" for r in point["regler"]]  # lint names unknown ones
            lines += [f"**Berørte regler:** {', '.join(links)}", ""]
        if point.get("kilder"):
            lines += ["**Kilder:** " + ", ".join(f"<{url}>" for url in point["kilder"]), ""]
    lines += [
        "## Antagelser om LBF-praksis",
        "",
        "Reglerne af art praksis bygger på disse antagelser. De afgør aldrig en retlig afgørelse.",
        "",
    ]
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
            lines += [f"- Version {v.name} ({v.period()}): {n}" for v, n in notes] + [""]
    return "\n".join(lines) + "\n"


def rule_page(book: Rulebook, rule: Rule) -> str:
    ruleset = book.ruleset
    lines = [f"# {rule.title}", "", f"**{KIND[rule.kind]}**", ""]
    if rule.kind == "praksis":
        lines += [
            '!!! warning "LBF-praksis, ikke lov"',
            "    LBF har ikke offentliggjort, hvordan denne praksis afgrænses. Reglen er vores gengivelse og bygger på disse antagelser:",
            "",
        ]
        lines += [f"    - {a}" for a in rule.assumptions] + [""]
    lines += [rule.explanation, ""]
    current = rule.version_at(book.built)
    newest_first = sorted(rule.versions, key=lambda v: v.valid_from, reverse=True)
    shown = current or newest_first[0]
    heading = (
        "Gælder nu"
        if current
        else ("Gælder fra " + danish_date(shown.valid_from) if shown.valid_from > book.built else "Seneste version (gælder ikke i dag)")
    )
    lines += [f"## {heading}: {shown.legal_name}", ""] + version_text(book, rule, shown)
    older = [v for v in newest_first if v is not shown]
    if older:
        lines += ["## Andre versioner", "", "Klik for at se en version, der gjaldt på et andet tidspunkt.", ""]
        for version in older:
            lines += ['<details class="version" markdown="1">', f"<summary>{version.legal_name}, {version.period()}</summary>", ""]
            lines += version_text(book, rule, version) + ["</details>", ""]
    lines += ["## Kilder", ""]
    seen = set()
    for version in newest_first:
        for source in version.sources:
            key = (source.citation(), source.url, source.document)
            if key not in seen:
                seen.add(key)
                lines.append(f"- {source_link(source)} ({version.legal_name}, {version.period()})")
    lines.append("")
    jurist = [f"Regel `{rule.id}` afgør faktummet `{rule.derives}`.", "", "| Version | Navn | Periode | Hjemmel |", "|---|---|---|---|"]
    jurist += [f"| {v.name} | {v.legal_name} | {v.period()} | {v.enacted_by} |" for v in rule.versions] + [""]
    for before, version in zip([None, *rule.versions], rule.versions, strict=False):
        jurist += [f"**Version {version.name}** ({version.period()})", ""]
        if before is not None:
            changes = differences(ruleset, before, version)
            if changes:
                jurist += [f"Ændret fra version {before.name}:", ""] + [f"- {c}" for c in changes] + [""]
        jurist += condition_table(ruleset, version)
    return "\n".join(lines + jurist_part(jurist)) + "\n"


def version_text(book: Rulebook, rule: Rule, version: Version) -> list[str]:
    """One version for applicants: its period and basis, its conditions in words, worked examples."""
    lines = [f"Gælder {version.period()}. Hjemmel: {version.enacted_by}.", "", "**Betingelserne:**", ""]
    lines += outline(book.ruleset, version, version.body, 0) + [""]
    for note in version.notes:
        lines += [f"> Fortolkning: {note}", ""]
    return lines + examples(book, rule, version)


class ApplicantWords(PlainWords):
    """Requirements for applicants: a parameter by its title, a fact left to the reason beside it."""

    def name(self, name: str) -> str:
        parameter = self.ruleset.parameters.get(name)
        return parameter.title.lower() if parameter is not None else ""


def outline(ruleset: Ruleset, version: Version, node: Node, depth: int) -> list[str]:
    """The conditions as a nested list of their reasons in Danish, each threshold computed from the
    rule itself (never only the reason's own wording), saying which parts must hold."""
    pad = "    " * depth
    words = f" — {node.group_words()}:" if isinstance(node, Group) and node.group_words() else ""
    need = f" (krav: {' '.join(node.describe(ApplicantWords(ruleset, version.valid_from)).split())})" if node.limits() else ""
    cite = f" [{node.citation}]" if node.citation else ""
    out = [f"{pad}- {node.reason}{need}{cite}{words}"]
    for label, child in node.outline():
        if label is not None:
            out.append(f"{pad}    - {label}{'' if child is not None else ' (ellers)'}")
            if child is not None:
                out += outline(ruleset, version, child, depth + 2)
        elif child is not None:
            out += outline(ruleset, version, child, depth + 1)
    return out


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


def examples(book: Rulebook, rule: Rule, version: Version, limit: int = 4) -> list[str]:
    """Worked examples: real areas first, then synthetic ones that show an outcome not yet shown;
    never two rows that read the same."""
    ruleset = book.ruleset
    rows: list[tuple[str, str, object, str]] = []  # (name, date, result, table row)
    seen: set[tuple] = set()
    candidates = sorted(book.cases, key=lambda rc: (rc[1].get("kilde", {}).get("type") != "reel", rc[0]))
    for _, case in candidates:
        if len(rows) == limit or not version.in_force(dt.date.fromisoformat(case["dato"])):
            continue
        step = decide(ruleset, case).step(rule.derives)
        if step is None or step.condition is None:
            continue
        real = case.get("kilde", {}).get("type") == "reel"
        result = step.result
        reasons = "; ".join(f"{MARK[p.result]} {p.node.reason}" for p in step.condition.parts()[:4])
        if (result, reasons) in seen or (case["navn"], case["dato"]) in {(r[0], r[1]) for r in rows}:
            continue
        if not real and result in {r[2] for r in rows} and len({r[2] for r in rows}) < 2:
            continue  # a synthetic example only where it shows an outcome the real ones do not
        seen.add((result, reasons))
        shown = ANSWER.get(result, result) if not isinstance(result, float) else f"{danish_number(round(result, 2))} %"
        name = f"{case['navn']} (reelt område)" if real else f"Konstrueret eksempel {len(rows) + 1}"
        rows.append((case["navn"], case["dato"], result, f"| {name} | {danish_date(case['dato'])} | **{shown}** | {reasons} |"))
    if not rows:
        return []
    return [
        "**Eksempler** (beregnet af evaluatoren, da siden blev bygget):",
        "",
        "| Område | Dato | Resultat | Begrundelse |",
        "|---|---|---|---|",
        *[r[3] for r in rows],
        "",
    ]
