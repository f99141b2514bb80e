"""`lbf-rules generate`: a synthetic corpus, dense around every threshold and version date.

The thresholds come from the rules themselves (every comparison's number, and parameter values
times their factors at the dates they apply), the dates from every version's start and end; so
the corpus follows the rules when they change. Deterministic for a given seed and rule revision.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict

from .values import scale
from .ruleset import Ruleset

PROBLEMS = ["hoej_husleje", "hoej_flyttefrekvens", "mange_beboere_med_sociale_problemer", "vold", "haervaerk", "nedslidning", "andre_vaesentlige_problemer"]
AREAS = ["uddannelse_og_livschancer", "beskaeftigelse", "kriminalitetsforebyggelse", "sammenhaengskraft_og_medborgerskab", "tryghed_og_trivsel", "sundhed"]
STEPS = [-0.1, -0.01, 0.0, 0.0, 0.01, 0.1]


def thresholds(ruleset: Ruleset) -> dict[str, list[float]]:
    """Every limit a comparison of each fact can have, at any date a parameter value starts."""
    out: dict[str, set[float]] = defaultdict(set)
    for rule in ruleset.rules.values():
        for version in rule.versions:
            for fact, limit in (pair for node in version.body.walk() for pair in node.limits()):
                if limit.parameter is None:
                    out[fact].add(limit.number)
                    continue
                for _, value, _ in ruleset.parameters[limit.parameter].values:
                    factors = [limit.factor]
                    if limit.factor_parameter:
                        factors = [v for _, v, _ in ruleset.parameters[limit.factor_parameter].values if v is not None]
                    if value is not None:
                        out[fact].update(scale(value, f) for f in factors)
    return {fact: sorted(values) for fact, values in out.items()}


def version_dates(ruleset: Ruleset) -> list[dt.date]:
    dates = {v.valid_from for r in ruleset.rules.values() for v in r.versions}
    dates |= {v.valid_to for r in ruleset.rules.values() for v in r.versions if v.valid_to}
    dates |= {d for p in ruleset.parameters.values() for d, _, _ in p.values}
    return sorted(dates)


class Generator:
    def __init__(self, ruleset: Ruleset, seed: int):
        self.rnd = random.Random(seed)
        self.limits = thresholds(ruleset)
        self.dates = version_dates(ruleset)

    def near(self, fact: str, low: float, high: float) -> float | None:
        rnd = self.rnd
        roll = rnd.random()
        if roll < 0.08:
            return None
        if roll < 0.75 and self.limits.get(fact):
            value = rnd.choice(self.limits[fact]) + rnd.choice(STEPS)
        else:
            value = rnd.uniform(low, high)
        value = round(min(high, max(low, value)), 2)
        if rnd.random() < 0.06:  # a source that only gives a bound ("over 50 %")
            return {"over": value} if rnd.random() < 0.5 or value >= high else {"under": value}
        return value

    def day(self) -> dt.date:
        rnd = self.rnd
        if rnd.random() < 0.5:
            return rnd.choice(self.dates) + dt.timedelta(days=rnd.choice([-1, 0, 0, 1]))
        return dt.date(2011, 1, 1) + dt.timedelta(days=rnd.randrange(16 * 365))

    def case(self, number: int) -> dict:
        rnd = self.rnd
        day = self.day()
        criteria = {
            name: value
            for name, value in (
                ("andel_ikkevestlige_pct", self.near("andel_ikkevestlige_pct", 0, 100)),
                ("andel_uden_for_arbejdsmarked_pct", self.near("andel_uden_for_arbejdsmarked_pct", 0, 100)),
                ("andel_doemte_pct", self.near("andel_doemte_pct", 0, 10)),
                ("andel_kun_grundskole_pct", self.near("andel_kun_grundskole_pct", 0, 100)),
                ("indkomst_ift_region_pct", self.near("indkomst_ift_region_pct", 20, 150)),
            )
            if value is not None
        }
        if rnd.random() < 0.2:
            criteria["landsgennemsnit_doemte_pct"] = round(rnd.uniform(0.5, 0.9), 3)
        case = {
            "id": f"gen-{number:06d}",
            "navn": f"Genereret område {number}",
            "dato": day.isoformat(),
            "beboere": rnd.choice([999, 1000, 1001, rnd.randint(300, 6000), {"over": rnd.choice([998, 999, 1000])}]),
            "afgraenset_2010": rnd.random() < 0.9,  # § 61 a, stk. 3 from 1 December 2018
            "kriterier": criteria,
            "historik": {"parallelsamfund": sorted(rnd.sample(range(day.year - 6, day.year), rnd.randint(0, 6)))},
            "problemer": {p: rnd.random() < 0.3 for p in PROBLEMS if rnd.random() < 0.9},
            "i_tilknytning_til_udsat_omraade": rnd.random() < 0.1,
            "kilde": {"type": "syntetisk", "note": "lbf-rules generate"},
        }
        if rnd.random() < 0.1:
            case["udviklingsplan"] = {"faelles": True, "gennemfoert": rnd.random() < 0.3}
        if rnd.random() < 0.8:
            grant = rnd.randrange(2, 20) * 1_000_000
            case["ansoegning"] = {
                "praekvalificeret": rnd.random() < 0.95,
                "kommunal_anbefaling": rnd.random() < 0.95,
                "helhedsplan": rnd.random() < 0.95,
                "finansieringsplan": rnd.random() < 0.95,
                "strategisk_samarbejdsaftale": rnd.random() < 0.95,
                "budget": {"lbf_tilskud_kr": grant, "lokal_medfinansiering_kr": round(grant * rnd.choice([0.2, 0.3, 1 / 3, 0.34, 0.5]))},
                "bestyrelse": {"kommune": rnd.random() < 0.95, "boligorganisationer": rnd.random() < 0.95},
                "varighed_aar": rnd.choice([3, 4, 4, 4, 5]),
                "indsatsomraader": [{"omraade": a, "maal": rnd.random() < 0.95, "indikatorer": rnd.random() < 0.95} for a in rnd.sample(AREAS, rnd.randint(1, 3))],
                "huslejestoette": {"ansoegt": rnd.random() < 0.3, "del_af_helhedsplan": rnd.random() < 0.9, "tomgangsleje": rnd.random() < 0.2},
            }
        return case


def corpus(ruleset: Ruleset, count: int, seed: int):
    generator = Generator(ruleset, seed)
    for number in range(1, count + 1):
        yield generator.case(number)


def write_jsonl(cases, out) -> int:
    n = 0
    for case in cases:
        out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n
