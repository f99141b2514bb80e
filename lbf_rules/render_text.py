"""A decision as Danish text for a caseworker: what the area is, why, and what is missing.

The layout is here (headings, marks, indentation, citations); what each line of the trace says is
the trace kind's own (`Trace.write`), so a new kind of condition needs nothing here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .danish import danish_date, danish_number, danish_period, shown, unit
from .escape import plain
from .nodes.base import MARK
from .ruleset import Ruleset
from .values import Bound

if TYPE_CHECKING:
    from .evaluator import Decision, Step

PRACTICE = "LBF-praksis (antagelse)"  # how every practice-derived part is marked in text
ANSWER = {True: "JA", False: "NEJ", None: "KAN IKKE AFGØRES"}
OVERALL = "afgoerelse"  # the decision's key for the overall decision, printed last and apart
TITLES = {"stoetteberettiget": "Støtte efter § 91 a", "prioritet": "Prioritet"}  # headings in the text, by decision key
BOUND_WORDS = (("over", "over"), ("mindst", "mindst"), ("under", "under"), ("hoejst", "højst"))


class TextRenderer:
    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset
        # Derived facts shown as their own block, so never expanded inside another.
        self.section_facts = ruleset.layout.reported()

    def unit(self, name: str) -> str:
        """' %' after percentages (facts, derived shares or parameters), ' kr.' after amounts."""
        return unit(self.ruleset.kinds.get(name))

    def value(self, fact: str, value: Any, limit: Any = None) -> str:
        if value is None:
            return "ikke oplyst"
        if isinstance(value, Bound):
            value = value.as_data()
        if isinstance(value, dict):
            return " og ".join(f"{word} {danish_number(value[key])}{self.unit(fact)}" for key, word in BOUND_WORDS if key in value)
        return shown(value, limit) + self.unit(fact)

    def render(self, decision: Decision) -> str:
        doc = decision.to_json(trace=False)
        sag = doc["sag"]
        where = f", {plain(sag['kommune'], 100)}" if sag.get("kommune") else ""
        rs = doc["regelsaet"]
        lines = [
            f"{plain(sag['navn'])}{where} ({plain(sag['id'], 100)}) · vurderet pr. {danish_date(sag['dato'])}",
            f"Regelsæt {rs['version']}, revision {rs['revision']}",
            "",
        ]
        out = _Lines(self, decision)
        layout = self.ruleset.layout
        gaps = set(self.ruleset.period_notes(decision.day))
        for note in doc["bemaerkninger"]:  # a period without rules is said first, plainly
            if note in gaps:
                lines.extend([f"! {note}", ""])
        blocks = [(name, entry, entry["navn"]) for name, entry in doc["klassifikation"].items()]
        blocks += [(name, doc[key], TITLES.get(key, doc[key]["navn"])) for key, name in layout.singles if key in doc and key != OVERALL]
        conditions = doc.get("betingelser", {})
        blocks += [
            (name, entry, f"Betingelse: {entry['navn']}")
            for name in layout.conditions
            if (entry := conditions.get(layout.condition_key(name))) is not None
        ]
        practice = [b for b in blocks if b[1].get("art") == "praksis"]
        blocks = [b for b in blocks if b[1].get("art") != "praksis"]
        for name, entry, title in blocks:
            lines.extend(out.block(title, entry, decision.step(name)))
        if not blocks and not practice:
            lines.extend(["Ingen regler gælder på datoen.", ""])
        if OVERALL in doc:
            entry = doc[OVERALL]
            lines.append(f"AFGØRELSE EFTER LOV OG REGULATIV: {entry['vaerdi_navn'].upper()}")
            lines.append(f"    {entry['kilde']} · regel {entry['regel']}, version {entry['version']}")
            lines.append("")
        if practice:  # kept apart: what LBF's practice would likely do, never a legal outcome
            lines.append(f"{PRACTICE.upper()}: ikke en retlig afgørelse og ændrer ikke afgørelsen ovenfor")
            lines.append("")
            for name, entry, title in practice:
                lines.extend(out.block(title, entry, decision.step(name)))
        if doc.get("aendringer"):
            lines.append("Hvad der ville ændre resultatet:")
            for change in doc["aendringer"]:
                kind = f" ({PRACTICE})" if change.get("art") == "praksis" else ""
                lines.append(f"  - {change['maal']}{kind}: {change['tekst']}")
            lines.append("")
        fields = doc["felter"]
        if doc["mangler"]:
            lines.append("Mangler for at afgøre resultatet (spørgsmål og felt i sagen):")
            lines.extend(f"  - {fields[name]['spoergsmaal']} ({fields[name]['felt']})" for name in doc["mangler"])
        unused = [fields[f]["felt"] for f in doc["ikke_oplyst"] if f not in doc["mangler"]]
        if unused:
            lines.append(f"Ikke oplyst, men uden betydning for resultatet: {', '.join(unused)}")
        for note in doc["bemaerkninger"]:
            if note not in gaps:
                lines.append(f"Bemærkning: {plain(note, 500)}")
        return "\n".join(lines).rstrip() + "\n"

    def limit(self, trace: Any) -> str:
        """A comparison's limit, with where it came from when it is a parameter."""
        unit = self.unit(trace.node.fact)
        source = trace.limit_info
        if not source:
            return danish_number(trace.limit) + unit
        factor = danish_number(source["gange"]) if source["gange"] is not None else "?"
        if source["vaerdi"] is None or trace.limit is None:
            return f"{factor} × {source['parameter']} (ukendt for datoen)"
        where = "sagens tal" if source["fra"] == "sag" else "regelsættet"
        value = danish_number(source["vaerdi"]) + self.unit(source["parameter"])
        return f"{danish_number(trace.limit)}{unit} = {factor} × {source['parameter']} {value} fra {where}"


class _Lines:
    """The text of one decision's blocks; what a trace kind writes its lines to (`TextOut`)."""

    def __init__(self, renderer: TextRenderer, decision: Decision):
        self.renderer = renderer
        self.decision = decision
        self.lines: list[str] = []
        self.shown: set[str] = set()  # derived facts already expanded in this decision

    # -- TextOut ----------------------------------------------------------------------------------
    def line(self, depth: int, mark: str, text: str, citation: str | None) -> None:
        cite = f"  [{citation}]" if citation is not None else ""
        self.lines.append(f"{'  ' * depth}{mark} {text}{cite}")

    def question(self, fact: str) -> str | None:
        ruleset = self.renderer.ruleset
        if fact in ruleset.facts:
            return ruleset.facts[fact].question
        rule = ruleset.rules.get(fact)  # a derived fact: its rule's title as the question
        return f"{rule.title}?" if rule is not None else None

    def derived(self, depth: int, mark: str, text: str, citation: str | None, fact: str) -> None:
        self.line(depth, mark, text, citation)
        step = self.decision.step(fact)
        if step is None or step.condition is None or fact in self.renderer.section_facts:
            return
        if fact in self.shown:
            self.lines[-1] += " (se ovenfor)"
            return
        self.shown.add(fact)
        step.condition.write(self, depth + 1)

    def value(self, name: str, value: Any, limit: Any = None) -> str:
        return self.renderer.value(name, value, limit)

    def limit(self, trace: Any) -> str:
        return self.renderer.limit(trace)

    # -- blocks -----------------------------------------------------------------------------------
    def block(self, title: str, entry: dict, step: Step | None) -> list[str]:
        """One rule's result: a heading with the answer, its source and version, and its conditions."""
        result = entry["resultat"]
        if isinstance(result, str):
            answer, mark = entry.get("vaerdi_navn", result), "•"
        else:
            answer, mark = ANSWER[result], MARK[result]
        practice = f" [{PRACTICE}]" if entry.get("art") == "praksis" else ""
        head = [f"{mark} {title}: {answer}{practice}"]
        period = ""
        if step:
            period = ", gælder " + danish_period(step.version.valid_from, step.version.valid_to)
        head.append(f"    {entry['kilde']} · regel {entry['regel']}, version {entry['version']}{period}")
        head.append(f"    Hjemmel: {entry['hjemmel']}")
        self.lines = []
        if step and step.condition is not None:
            step.condition.write(self, 2)
        field_of = self.renderer.ruleset.field_of
        tail = [f"    Mangler for at afgøre: {', '.join(field_of(n)['felt'] for n in entry['mangler'])}"] if entry.get("mangler") else []
        return head + self.lines + tail + [""]
