"""The loaded rule repository as plain JSON, for the self-check in the browser.

Written at site build time from the same rule files the evaluator runs, so the browser can never
run other rules than the command line. The JSON mirrors the node tree one to one: each node kind writes its own (`Node.export`).
"""

from __future__ import annotations

from .ruleset import Fact, Ruleset


def export(ruleset: Ruleset) -> dict:
    return {
        "navn": ruleset.name,
        "version": ruleset.version,
        "revision": ruleset.revision,
        "sektioner": ruleset.sections,
        "perioder_uden_regler": [[s.isoformat(), e.isoformat() if e else None, note] for s, e, note in ruleset.periods],
        "fakta": {n: _fact(f) for n, f in ruleset.facts.items()},
        "parametre": {
            p.id: {"titel": p.title, "vaerdier": [[d.isoformat(), v] for d, v, _ in p.values], "kan_oplyses_i_sag": p.case_may_supply}
            for p in ruleset.parameters.values()
        },
        "regler": [
            {
                "udleder": name,
                "id": rule.id,
                "titel": rule.title,
                "art": rule.kind,
                "versioner": [
                    {
                        "version": v.name,
                        "navn": v.legal_name,
                        "fra": v.valid_from.isoformat(),
                        "til": v.valid_to.isoformat() if v.valid_to else None,
                        "kilde": v.citation,
                        "krop": v.body.export(),
                    }
                    for v in rule.versions
                ],
            }
            for name, rule in ruleset.rules.items()
        ],
    }


def _fact(fact: Fact) -> dict:
    """A fact as the self-check's form asks for it: where it goes in the case, its kind, the Danish
    question (the field's label) and, for a list, the catalogue of its items."""
    out: dict = {"felt": list(fact.field), "type": fact.kind, "spoergsmaal": fact.question or fact.description}
    if fact.item:
        out["element"] = {"felt": fact.item.field, "navn": fact.item.noun, "vaerdier": fact.item.values}
    return out
