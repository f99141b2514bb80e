"""`lbf-rules explain`: a rule as a legal reader wants it, in Danish words rather than YAML."""

from __future__ import annotations

import datetime as dt

from .danish import danish_date, danish_period, unit
from .nodes import Node
from .ruleset import Rule, Ruleset

KIND = {"lov": "lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (ikke offentliggjort; vores antagelse)"}


class PlainWords:
    """How `Node.describe` names things in plain text (Markdown pages wrap names in backticks)."""

    def __init__(self, ruleset: Ruleset, day: dt.date, code: bool = False):
        self.ruleset = ruleset
        self.day = day
        self.code = code

    def name(self, name: str) -> str:
        return f"`{name}`" if self.code else name

    def unit(self, name: str) -> str:
        return unit(self.ruleset.kinds.get(name))

    def parameter_value(self, name: str) -> float | None:
        return self.ruleset.parameters[name].value_at(self.day) if name in self.ruleset.parameters else None


def find_rule(ruleset: Ruleset, rule_id: str) -> Rule | None:
    for rule in ruleset.rules.values():
        if rule.id == rule_id or rule.derives == rule_id:
            return rule
    return None


def condition_lines(words: PlainWords, node: Node, depth: int) -> list[str]:
    """The node as an indented outline: its reason and requirement, then what is under it."""
    pad = "  " * depth
    cite = f" [{node.citation}]" if node.citation else ""
    out = [f"{pad}- {node.reason}: {node.describe(words)}{cite}"]
    for label, child in node.outline():
        if label is not None:
            out.append(f"{pad}  - {label}")
        if child is not None:
            out.extend(condition_lines(words, child, depth + (2 if label is not None else 1)))
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
        lines.append(f"Gældende pr. {danish_date(day)}: version {version.name}, {version.legal_name}, {version.period()}")
        lines.append(f"Hjemmel: {version.enacted_by}")
        for source in version.sources:
            where = f"<{source.url}>" if source.url else f"(dokument uden offentlig adresse: {source.document})"
            lines.append(f"Kilde: {source.citation()} {where}")
        for note in version.notes:
            lines.append(f"Fortolkning: {note}")
        lines.append("Betingelser:")
        lines.extend(condition_lines(PlainWords(ruleset, day), version.body, 1))
    lines += ["", "Historik:"]
    for v in rule.versions:
        marker = " (gælder)" if v is version else ""
        lines.append(f"  - version {v.name}: {v.legal_name}, {v.period()}; {v.enacted_by}{marker}")
    return "\n".join(lines) + "\n"


def suggestions(ruleset: Ruleset, text: str, most: int = 4) -> list[str]:
    """The rules someone typing `text` most likely meant: a rule whose id, fact or title contains it
    (`ghetto` finds the rules titled with ghettoområder), else the nearest ids and facts by spelling."""
    import difflib

    wanted = text.lower().strip()
    shown = [
        f"'{rule.id}' ({rule.title})"
        for rule in ruleset.rules.values()
        if wanted and (wanted in rule.id.lower() or wanted in rule.derives.lower() or wanted in rule.title.lower())
    ]
    if shown:
        return shown[:most]
    by_name = {name: rule for rule in ruleset.rules.values() for name in (rule.id, rule.derives)}
    near = {by_name[n].id: by_name[n] for n in difflib.get_close_matches(text, list(by_name), n=2 * most, cutoff=0.5)}
    return [f"'{rule.id}' ({rule.title})" for rule in near.values()][:most]


def rule_list(ruleset: Ruleset, day: dt.date) -> list[dict]:
    """Every rule with its id, title, kind, the fact it decides and its versions (the one in force on
    `day` marked), in the repository's order."""
    out = []
    for rule in ruleset.rules.values():
        current = rule.version_at(day)
        out.append(
            {
                "id": rule.id,
                "titel": rule.title,
                "art": rule.kind,
                "udleder": rule.derives,
                "versioner": [
                    {
                        "version": v.name,
                        "navn": v.legal_name,
                        "gyldig_fra": v.valid_from.isoformat(),
                        "gyldig_til": v.valid_to.isoformat() if v.valid_to else None,
                        "gaelder": v is current,
                    }
                    for v in rule.versions
                ],
            }
        )
    return out


KIND_WORDS = {"lov": "lov", "regulativ": "LBF's regulativ", "praksis": "LBF-praksis (antagelse)"}


def rule_list_text(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        lines.append(f"{row['id']}  {row['titel']}  [{KIND_WORDS.get(row['art'], row['art'])}]")
        for v in row["versioner"]:
            period = danish_period(
                dt.date.fromisoformat(v["gyldig_fra"]), dt.date.fromisoformat(v["gyldig_til"]) if v["gyldig_til"] else None
            )
            lines.append(f"    {'* ' if v['gaelder'] else '  '}version {v['version']}: {v['navn']}, {period}")
    lines.append("")
    lines.append("* = den version, der gælder på datoen. Se én regel med 'lbf-rules explain <id>'.")
    return "\n".join(lines) + "\n"
