"""`lbf-rules explain`: a rule as a legal reader wants it, in Danish words rather than YAML."""

from __future__ import annotations

import datetime as dt

from .conditions import Calculation, Choice, Comparison, Composite, FactIs, History, ListCheck, Node
from .render_text import danish_date, danish_number, danish_period
from .ruleset import Rule, Ruleset, Version

WORDS = {">": "over", "≥": "mindst", "<": "under", "≤": "højst"}
KIND = {"lov": "lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (ikke offentliggjort; vores antagelse)"}


def find_rule(ruleset: Ruleset, rule_id: str) -> Rule | None:
    for rule in ruleset.rules.values():
        if rule.id == rule_id or rule.derives == rule_id:
            return rule
    return None


def period(version: Version) -> str:
    return danish_period(version.valid_from, version.valid_to)


def limit_words(ruleset: Ruleset, node: Comparison, day: dt.date) -> str:
    limit = node.limit
    unit = " %" if ruleset.facts.get(node.fact, None) and ruleset.facts[node.fact].kind == "procent" else ""
    if limit.parameter is None:
        return f"{WORDS[node.op]} {danish_number(limit.number)}{unit}"
    factor = f"{{{limit.factor_parameter}}}" if limit.factor_parameter else danish_number(limit.factor)
    value = ruleset.parameters[limit.parameter].value_at(day)
    now = "ukendt på datoen" if value is None else f"{danish_number(value)} på datoen"
    prefix = "" if factor == "1" else f"{factor} × "
    return f"{WORDS[node.op]} {prefix}{limit.parameter} ({now})"


def condition_lines(ruleset: Ruleset, node: Node, day: dt.date, depth: int) -> list[str]:
    pad = "  " * depth
    cite = f" [{node.citation}]" if node.citation else ""
    if isinstance(node, Comparison):
        return [f"{pad}- {node.reason}: {node.fact} {limit_words(ruleset, node, day)}{cite}"]
    if isinstance(node, FactIs):
        wanted = {True: "ja", False: "nej"}.get(node.expected, node.expected) if isinstance(node.expected, bool) else node.expected
        return [f"{pad}- {node.reason}: {node.fact} er {wanted}{cite}"]
    if isinstance(node, History):
        return [f"{pad}- {node.reason}: {node.name} i hvert af de {node.years} foregående år{cite}"]
    if isinstance(node, ListCheck):
        extra = f", hver med {', '.join(node.required)}" if node.required else ""
        return [f"{pad}- {node.reason}: alle i {node.name} er blandt {', '.join(node.allowed)}{extra}{cite}"]
    if isinstance(node, Calculation):
        return [f"{pad}= {node.reason}: {node.part} i procent af {' + '.join(node.of)}{cite}"]
    if isinstance(node, Choice):
        out = []
        for value, label, cond in node.options:
            out.append(f"{pad}- {label} ({value})" + ("" if cond else ": ellers"))
            if cond:
                out.extend(condition_lines(ruleset, cond, day, depth + 1))
        return out
    assert isinstance(node, Composite)
    head = {"alle": "alle disse", "nogen": "mindst én af disse", "ikke": "ikke dette"}.get(node.kind)
    if node.kind == "mindst":
        head = f"mindst {node.k if not node.k_parameter else '{' + node.k_parameter + '}'} af disse {len(node.parts)}"
    out = [f"{pad}- {node.reason} ({head}):{cite}"]
    for part in node.parts:
        out.extend(condition_lines(ruleset, part, day, depth + 1))
    return out


def explain(ruleset: Ruleset, rule: Rule, day: dt.date) -> str:
    lines = [f"{rule.title} ({rule.id})", f"Art: {KIND[rule.kind]}. Afgør: {rule.derives}.", "", rule.explanation, ""]
    for assumption in rule.assumptions:
        lines.append(f"Antagelse: {assumption}")
    if rule.assumptions:
        lines.append("")
    version = rule.version_at(day)
    if version is None:
        lines.append(f"Ingen version gælder pr. {danish_date(day)}.")
    else:
        lines.append(f"Gældende pr. {danish_date(day)}: version {version.name}, {version.legal_name}, {period(version)}")
        lines.append(f"Hjemmel: {version.enacted_by}")
        for source in version.sources:
            where = f"<{source.url}>" if source.url else f"(dokument uden offentlig adresse: {source.document})"
            lines.append(f"Kilde: {source.citation()} {where}")
        for note in version.notes:
            lines.append(f"Fortolkning: {note}")
        lines.append("Betingelser:")
        lines.extend(condition_lines(ruleset, version.body, day, 1))
    lines += ["", "Historik:"]
    for v in rule.versions:
        marker = " (gælder)" if v is version else ""
        lines.append(f"  - version {v.name}: {v.legal_name}, {period(v)}; {v.enacted_by}{marker}")
    return "\n".join(lines) + "\n"
