"""The loaded rule repository as plain JSON, for the self-check in the browser.

Written at site build time from the same rule files the evaluator runs, so the browser can never
run other rules than the command line. The JSON mirrors the compiled node tree one to one.
"""

from __future__ import annotations

from .conditions import Calculation, Choice, Comparison, Composite, FactIs, History, ListCheck, Node
from .ruleset import Ruleset


def node_json(node: Node) -> dict:
    out: dict = {"type": node.kind, "begrundelse": node.reason, "kilde": node.citation}
    if isinstance(node, Comparison):
        limit = node.limit
        out.update(fakta=node.fact, op=node.op, graense=limit.number, parameter=limit.parameter,
                   gange=limit.factor, gange_parameter=limit.factor_parameter)
    elif isinstance(node, FactIs):
        out.update(fakta=node.fact, er=node.expected)
    elif isinstance(node, History):
        out.update(historik=node.name, aar=node.years)
    elif isinstance(node, ListCheck):
        out.update(liste=node.name, tilladte=node.allowed, skal_have=node.required)
    elif isinstance(node, Calculation):
        out.update(andel=node.part, af_summen=node.of)
    elif isinstance(node, Choice):
        out["valg"] = [{"vaerdi": v, "navn": n, "naar": node_json(c) if c else None} for v, n, c in node.options]
        out["ved_ukendt"] = list(node.when_unknown) if node.when_unknown else None
    elif isinstance(node, Composite):
        out.update(k=node.k, k_parameter=node.k_parameter, dele=[node_json(p) for p in node.parts])
    return out


def export(ruleset: Ruleset) -> dict:
    return {
        "navn": ruleset.name,
        "version": ruleset.version,
        "revision": ruleset.revision,
        "sektioner": ruleset.sections,
        "fakta": {n: {"felt": list(f.field), "type": f.kind, **({"element": {"felt": f.item.field, "navn": f.item.noun, "vaerdier": f.item.values}} if f.item else {})}
                  for n, f in ruleset.facts.items()},
        "parametre": {
            p.id: {"vaerdier": [[d.isoformat(), v] for d, v, _ in p.values], "kan_oplyses_i_sag": p.case_may_supply}
            for p in ruleset.parameters.values()
        },
        "regler": [
            {
                "udleder": name, "id": rule.id, "titel": rule.title, "art": rule.kind,
                "versioner": [
                    {"version": v.name, "navn": v.legal_name, "fra": v.valid_from.isoformat(),
                     "til": v.valid_to.isoformat() if v.valid_to else None, "kilde": v.citation, "krop": node_json(v.body)}
                    for v in rule.versions
                ],
            }
            for name, rule in ruleset.rules.items()
        ],
    }
