"""A decision as Danish text for a caseworker: what the area is, why, and what is missing."""

from __future__ import annotations

import datetime as dt

from .ruleset import Ruleset

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
MARK = {True: "✓", False: "✗", None: "?"}
ANSWER = {True: "JA", False: "NEJ", None: "KAN IKKE AFGØRES"}


def danish_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def danish_number(value: float) -> str:
    """1453 → 1.453, 56.5 → 56,5, 1.98 → 1,98 (Danish separators, no float noise)."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


class TextRenderer:
    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset

    def unit(self, name: str) -> str:
        """' %' after percentages (facts or parameters), nothing after counts."""
        if name in self.ruleset.facts:
            kind = self.ruleset.facts[name].kind
        else:
            kind = self.ruleset.parameters[name].unit if name in self.ruleset.parameters else None
        return " %" if kind == "procent" else ""

    def value(self, fact: str, value: object) -> str:
        if value is None:
            return "ikke oplyst"
        if isinstance(value, dict):
            parts = []
            for key, word in (("over", "over"), ("mindst", "mindst"), ("under", "under"), ("hoejst", "højst")):
                if key in value:
                    parts.append(f"{word} {danish_number(value[key])}{self.unit(fact)}")
            return " og ".join(parts)
        return danish_number(value) + self.unit(fact)

    def render(self, decision: dict) -> str:
        sag = decision["sag"]
        where = f", {sag['kommune']}" if sag.get("kommune") else ""
        rs = decision["regelsaet"]
        lines = [
            f"{sag['navn']}{where} ({sag['id']}) · vurderet pr. {danish_date(sag['dato'])}",
            f"Regelsæt {rs['version']}, revision {rs['revision']}",
            "",
        ]
        steps = {s["udleder"]: s for s in decision.get("spor", [])}
        for name, entry in decision["klassifikation"].items():
            lines.append(f"{MARK[entry['resultat']]} {entry['navn']}: {ANSWER[entry['resultat']]}")
            step = steps.get(name)
            period = ""
            if step:
                period = f", gælder fra {danish_date(step['gyldig_fra'])}"
                if step["gyldig_til"]:
                    last = dt.date.fromisoformat(step["gyldig_til"]) - dt.timedelta(days=1)
                    period += f" til og med {danish_date(last)}"
            lines.append(f"    {entry['kilde']} · regel {entry['regel']}, version {entry['version']}{period}")
            lines.append(f"    Hjemmel: {entry['hjemmel']}")
            if step and step.get("betingelse"):
                lines.extend(self.condition(step["betingelse"], steps, depth=2))
            if entry["resultat"] is None:
                lines.append(f"    Mangler for at afgøre: {', '.join(entry['mangler'])}")
            lines.append("")
        if not decision["klassifikation"]:
            lines.append("Ingen klassifikationsregler gælder på datoen.")
            lines.append("")
        if decision["mangler"]:
            lines.append(f"Mangler: {', '.join(decision['mangler'])}")
        unused = [f for f in decision["ikke_oplyst"] if f not in decision["mangler"]]
        if unused:
            lines.append(f"Ikke oplyst, men uden betydning for resultatet: {', '.join(unused)}")
        for note in decision["bemaerkninger"]:
            lines.append(f"Bemærkning: {note}")
        return "\n".join(lines).rstrip() + "\n"

    def condition(self, node: dict, steps: dict, depth: int) -> list[str]:
        pad = "  " * depth
        mark = MARK[node["resultat"]]
        kind = node["type"]
        cite = f"  [{node['kilde']}]"
        if kind == "sammenligning":
            limit = self.limit(node)
            detail = f"{self.value(node['fakta'], node['vaerdi'])} (krav: {node['operator']} {limit})"
            return [f"{pad}{mark} {node['begrundelse']}: {detail}{cite}"]
        if kind == "historik":
            wanted = ", ".join(map(str, node["kraevede_aar"]))
            if node["manglende_aar"] is None:
                detail = f"historikken er ikke oplyst (kræver {wanted})"
            elif node["manglende_aar"]:
                detail = f"mangler {', '.join(map(str, node['manglende_aar']))} (kræver {wanted})"
            else:
                detail = f"alle år {wanted} er opfyldt"
            return [f"{pad}{mark} {node['begrundelse']}: {detail}{cite}"]
        if kind == "fakta":
            out = [f"{pad}{mark} {node['begrundelse']}{cite}"]
            step = steps.get(node["fakta"])
            if node.get("afledt") and step and node["fakta"] not in self.ruleset.classifications:
                out.extend(self.condition(step["betingelse"], steps, depth + 1))
            elif not node.get("afledt"):
                out[0] = f"{pad}{mark} {node['begrundelse']}: {self.value(node['fakta'], node['vaerdi'])}{cite}"
            return out
        head = f"{pad}{mark} {node['begrundelse']}"
        if kind == "mindst":
            head += f" ({node['opfyldt']} af {node['antal']} opfyldt, {node['ukendt']} ukendt; kræver {node['mindst']})"
        out = [head + cite]
        for part in node["dele"]:
            out.extend(self.condition(part, steps, depth + 1))
        return out

    def limit(self, node: dict) -> str:
        unit = self.unit(node["fakta"])
        source = node.get("graense_fra")
        if not source:
            return danish_number(node["graense"]) + unit
        factor = danish_number(source["gange"])
        if source["vaerdi"] is None:
            return f"{factor} × {source['parameter']} (ukendt for datoen)"
        where = "sagens tal" if source["fra"] == "sag" else "regelsættet"
        value = danish_number(source["vaerdi"]) + self.unit(source["parameter"])
        return f"{danish_number(node['graense'])}{unit} = {factor} × {source['parameter']} {value} fra {where}"
