"""A decision as Danish text for a caseworker: what the area is, why, and what is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .escape import plain
from .ruleset import Ruleset

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
MARK = {True: "✓", False: "✗", None: "?"}
ANSWER = {True: "JA", False: "NEJ", None: "KAN IKKE AFGØRES"}


def danish_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def danish_period(valid_from: dt.date, valid_to: dt.date | None) -> str:
    """'fra 1. december 2018 til og med 29. november 2021' (valid_to is the first day not in force)."""
    text = f"fra {danish_date(valid_from)}"
    if valid_to:
        text += f" til og med {danish_date(valid_to - dt.timedelta(days=1))}"
    return text


def danish_number(value: float) -> str:
    """1453 → 1.453, 56.5 → 56,5, 1.98 → 1,98 (Danish separators, no float noise)."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if float(text) == 0 or (float(text) == round(value) and value != round(value)):
        text = format(Decimal(repr(value)), "f")  # never show a number as the whole number it is not
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def shown(value: object, limit: object = None) -> str:
    """A value for the reader: two decimals, unless that would hide how it compares with `limit`
    (24,9999999 % against a limit of 25 % is shown in full, not as 25 %)."""
    if not isinstance(value, float):
        return danish_number(value)
    rounded = round(value, 2)
    if isinstance(limit, (int, float)) and (rounded == limit) != (value == limit) or (rounded == 0) != (value == 0):
        return danish_number(value)
    return danish_number(rounded)


class TextRenderer:
    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset

    def unit(self, name: str) -> str:
        """' %' after percentages (facts, derived shares or parameters), ' kr.' after amounts."""
        if name in self.ruleset.facts:
            kind = self.ruleset.facts[name].kind
        elif name in self.ruleset.rules:
            kind = self.ruleset.rules[name].result_kind
        else:
            kind = self.ruleset.parameters[name].unit if name in self.ruleset.parameters else None
        return {"procent": " %", "kroner": " kr.", "aar": " år"}.get(kind, "")

    def value(self, fact: str, value: object, limit: object = None) -> str:
        if value is None:
            return "ikke oplyst"
        if isinstance(value, dict):
            parts = []
            for key, word in (("over", "over"), ("mindst", "mindst"), ("under", "under"), ("hoejst", "højst")):
                if key in value:
                    parts.append(f"{word} {danish_number(value[key])}{self.unit(fact)}")
            return " og ".join(parts)
        return shown(value, limit) + self.unit(fact)

    def render(self, decision: dict) -> str:
        sag = decision["sag"]
        where = f", {plain(sag['kommune'], 100)}" if sag.get("kommune") else ""
        rs = decision["regelsaet"]
        lines = [
            f"{plain(sag['navn'])}{where} ({plain(sag['id'], 100)}) · vurderet pr. {danish_date(sag['dato'])}",
            f"Regelsæt {rs['version']}, revision {rs['revision']}",
            "",
        ]
        steps = {s["udleder"]: s for s in decision.get("spor", [])}
        self.shown: set[str] = set()  # derived facts already expanded in this decision
        blocks = [(name, entry, entry["navn"]) for name, entry in decision["klassifikation"].items()]
        if "stoetteberettiget" in decision:
            blocks.append(("stoetteberettiget", decision["stoetteberettiget"], "Støtte efter § 91 a"))
        if "prioritet" in decision:
            blocks.append(("prioritet", decision["prioritet"], "Prioritet"))
        for name, entry in decision.get("betingelser", {}).items():
            blocks.append((f"betingelse_{name}", entry, f"Betingelse: {entry['navn']}"))
        for name, entry, title in blocks:
            lines.extend(self.block(title, entry, steps.get(name), steps))
        if not blocks:
            lines.extend(["Ingen regler gælder på datoen.", ""])
        if "afgoerelse" in decision:
            entry = decision["afgoerelse"]
            lines.append(f"AFGØRELSE: {entry['vaerdi_navn'].upper()}")
            lines.append(f"    {entry['kilde']} · regel {entry['regel']}, version {entry['version']}")
            lines.append("")
        if decision.get("aendringer"):
            lines.append("Hvad der ville ændre resultatet:")
            for change in decision["aendringer"]:
                lines.append(f"  - {change['maal']}: {change['tekst']}")
            lines.append("")
        if decision["mangler"]:
            lines.append(f"Mangler: {', '.join(decision['mangler'])}")
        unused = [f for f in decision["ikke_oplyst"] if f not in decision["mangler"]]
        if unused:
            lines.append(f"Ikke oplyst, men uden betydning for resultatet: {', '.join(unused)}")
        for note in decision["bemaerkninger"]:
            lines.append(f"Bemærkning: {plain(note, 500)}")
        return "\n".join(lines).rstrip() + "\n"

    def block(self, title: str, entry: dict, step: dict | None, steps: dict) -> list[str]:
        """One rule's result: a heading with the answer, its source and version, and its conditions."""
        result = entry["resultat"]
        if isinstance(result, str):
            answer, mark = entry.get("vaerdi_navn", result), "•"
        else:
            answer, mark = ANSWER[result], MARK[result]
        practice = " (LBF-praksis, ikke lov)" if entry.get("art") == "praksis" else ""
        lines = [f"{mark} {title}: {answer}{practice}"]
        period = ""
        if step:
            until = dt.date.fromisoformat(step["gyldig_til"]) if step["gyldig_til"] else None
            period = ", gælder " + danish_period(dt.date.fromisoformat(step["gyldig_fra"]), until)
        lines.append(f"    {entry['kilde']} · regel {entry['regel']}, version {entry['version']}{period}")
        lines.append(f"    Hjemmel: {entry['hjemmel']}")
        if step and step.get("betingelse"):
            lines.extend(self.condition(step["betingelse"], steps, depth=2))
        if entry.get("mangler"):
            lines.append(f"    Mangler for at afgøre: {', '.join(entry['mangler'])}")
        lines.append("")
        return lines

    def condition(self, node: dict, steps: dict, depth: int) -> list[str]:
        pad = "  " * depth
        mark = MARK.get(node["resultat"], "•") if not isinstance(node["resultat"], float) else "="
        kind = node["type"]
        cite = f"  [{node['kilde']}]"
        if kind == "sammenligning":
            limit = self.limit(node)
            detail = f"{self.value(node['fakta'], node['vaerdi'], node['graense'])} (krav: {node['operator']} {limit})"
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
            name = node["fakta"]
            step = steps.get(name)
            if not node.get("afledt"):
                given = node["vaerdi"]
                shown = "ikke oplyst" if given is None else f"oplyst: {'ja' if given else 'nej'}" if isinstance(given, bool) else plain(given, 80)
                return [f"{pad}{mark} {node['begrundelse']} ({shown}){cite}"]
            out = [f"{pad}{mark} {node['begrundelse']}{cite}"]
            if step and name not in self.section_facts():
                if name in self.shown:
                    out[0] += " (se ovenfor)"
                else:
                    self.shown.add(name)
                    out.extend(self.condition(step["betingelse"], steps, depth + 1))
            return out
        if kind == "vaelg":
            out = []
            for option in node["valg"]:
                if option["betingelse"] is None:
                    out.append(f"{pad}{MARK[True]} {option['navn']} (ellers)")
                    continue
                out.append(f"{pad}{MARK[option['resultat']]} {option['navn']}")
                out.extend(self.condition(option["betingelse"], steps, depth + 1))
            return out
        if kind == "beregning":
            parts = " + ".join(f"{danish_number(v)} kr." if v is not None else "ikke oplyst" for v in (node["vaerdier"][n] for n in node["af_summen"]))
            result = "ikke beregnet" if node["resultat"] is None else f"{shown(node['resultat'])} %"
            return [f"{pad}= {node['begrundelse']}: {result} (af {parts}){cite}"]
        if kind == "liste":
            if node["antal"] is None:
                detail = "ikke oplyst"
            else:
                problems = [f"uden for: {plain(', '.join(node['uden_for']), 300)}"] if node["uden_for"] else []
                problems += [f"mangler: {', '.join(node['mangler_felter'])}"] if node["mangler_felter"] else []
                problems += [f"ukendt: {', '.join(node['ukendte_felter'])}"] if node["ukendte_felter"] else []
                detail = f"{node['antal']} aktivitet(er)" + (f"; {'; '.join(problems)}" if problems else "")
            return [f"{pad}{mark} {node['begrundelse']}: {detail}{cite}"]
        head = f"{pad}{mark} {node['begrundelse']}"
        if kind == "mindst":
            head += f" ({node['opfyldt']} af {node['antal']} opfyldt, {node['ukendt']} ukendt; kræver {node['mindst']})"
        out = [head + cite]
        for part in node["dele"]:
            out.extend(self.condition(part, steps, depth + 1))
        return out

    def section_facts(self) -> set[str]:
        """Derived facts shown as their own block, so never expanded inside another."""
        sections = self.ruleset.sections
        names = set(sections.get("klassifikationer", [])) | set(sections.get("betingelser", []))
        return names | {sections[k] for k in ("stoetteberettiget", "prioritet", "afgoerelse") if k in sections}

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
