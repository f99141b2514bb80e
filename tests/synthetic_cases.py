"""Writes `cases/syntetiske/`: cases at every threshold, at every version date, and with missing facts.

The expected outcomes come from `oracle` below: a deliberately plain re-statement of § 61 a /
§ 61 b written from the domain brief's table (docs/design.md § Kilder), not from `rules/`. The
tests run the real rule files on these cases, so the two encodings of the law check each other.
Cases with missing facts have their expectations written out by hand with the reasoning.

Run `python -m tests.synthetic_cases` to rewrite the files; `tests/test_cases.py` fails if the
committed files differ from what this module writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent.parent / "cases" / "syntetiske"

N, O, C, E, I = (  # the indicator names, short for the tables below
    "andel_ikkevestlige_pct",
    "andel_uden_for_arbejdsmarked_pct",
    "andel_doemte_pct",
    "andel_kun_grundskole_pct",
    "indkomst_ift_region_pct",
)
# National conviction average, from the press figures in the domain brief: (from, to, value).
AVG = [(dt.date(2018, 12, 1), dt.date(2020, 12, 1), Decimal("0.66")), (dt.date(2022, 12, 1), dt.date(2023, 12, 1), Decimal("0.725"))]
CASE_AVG = "landsgennemsnit_doemte_pct"

# (criterion, operator, limit) per version of the law, from the domain brief § 2.
V2010 = [(N, ">", 50), (O, ">", 40), (C, ">", Decimal("2.7"))]
V2013 = [(N, ">", 50), (O, ">", 40), (C, ">", Decimal("2.7")), (E, ">", 50), (I, "<", 55)]
UDSAT = [(O, ">", 40), (C, "≥", "3×"), (E, ">", 60), (I, "<", 55)]
FOREBYG = [(O, ">", 30), (C, "≥", "2×"), (E, ">", 60), (I, "<", 65)]


def limit_of(limit, day: dt.date, values: dict | None = None) -> Decimal:
    """A limit as a number; "3×" is three times the national average known for the day,
    or else the average the case itself gives."""
    if not isinstance(limit, str):
        return Decimal(str(limit))
    known = [avg for start, end, avg in AVG if start <= day < end]
    avg = known[0] if known else Decimal(str((values or {})[CASE_AVG]))
    return int(limit[0]) * avg


def holds(op: str, value, limit: Decimal) -> bool:
    value = Decimal(str(value))
    return {">": value > limit, "≥": value >= limit, "<": value < limit}[op]


def count(criteria, values: dict, day: dt.date) -> int:
    return sum(holds(op, values[name], limit_of(lim, day, values)) for name, op, lim in criteria)


DELIMITED_FROM = dt.date(2018, 12, 1)  # § 61 a, stk. 3: the 2010 parcels (BEK nr. 1365/2018) from this day


def oracle(values: dict, residents: int, day: dt.date, history: list[int], delimited: bool | None = True) -> dict:
    """Expected classification of a case with every indicator known (names in force at `day`).
    From 1 December 2018 an area counts only if it is one of the delimited 2010 areas."""
    big = residents >= 1000 and (day < DELIMITED_FROM or delimited is True)
    out: dict = {}
    if dt.date(2011, 1, 1) <= day < dt.date(2014, 1, 1):
        out["parallelsamfund"] = (big and count(V2010, values, day) >= 2, "Ghettoområde")
    elif dt.date(2014, 1, 1) <= day < dt.date(2018, 12, 1):
        out["parallelsamfund"] = (big and count(V2013, values, day) >= 3, "Ghettoområde")
    elif day >= dt.date(2018, 12, 1):
        udsat = big and count(UDSAT, values, day) >= 2
        ghetto = udsat and values[N] > 50
        renamed = day >= dt.date(2021, 11, 30)
        years = 4 if day < dt.date(2021, 1, 1) or renamed else 3
        hard = ghetto and all(day.year - i in history for i in range(1, years + 1))
        out["udsat_boligomraade"] = (udsat, "Udsat boligområde")
        out["parallelsamfund"] = (ghetto, "Parallelsamfund" if renamed else "Ghettoområde")
        out["omdannelsesomraade"] = (hard, "Omdannelsesområde" if renamed else "Hårdt ghettoområde")
        if renamed:
            out["forebyggelsesomraade"] = (big and values[N] > 30 and count(FOREBYG, values, day) >= 2, "Forebyggelsesområde")
    return out


# Values that clearly meet / clearly miss each criterion (far from every version's limit).
MEETS = {N: 70.0, O: 55.0, C: 4.0, E: 75.0, I: 40.0}
MISSES = {N: 10.0, O: 20.0, C: 0.3, E: 30.0, I: 90.0}


def step(limit: Decimal) -> Decimal:
    """The smallest step that still shows the operator: 0.1 points, or 0.01 for limits like 1.98."""
    return Decimal("0.01") if limit.as_tuple().exponent < -1 else Decimal("0.1")


def threshold_cases() -> list[dict]:
    """For each criterion of each version: just below, exactly at and just above its limit,
    with exactly (k - 1) other criteria met so that this criterion decides the outcome."""
    plans = [
        ("v2010", dt.date(2012, 10, 1), V2010, 2, "parallelsamfund"),
        ("v2013", dt.date(2015, 12, 1), V2013, 3, "parallelsamfund"),
        ("v2018-udsat", dt.date(2019, 12, 1), UDSAT, 2, "udsat_boligomraade"),
        ("v2021-udsat", dt.date(2022, 12, 1), UDSAT, 2, "udsat_boligomraade"),
        ("v2021-forebyggelse", dt.date(2022, 12, 1), FOREBYG, 2, "forebyggelsesomraade"),
    ]
    cases = []
    for label, day, criteria, k, target in plans:
        for name, op, lim in criteria:
            others = [c for c in criteria if c[0] != name]
            values = {c: MISSES[c] for c in MISSES}
            if target == "forebyggelsesomraade":
                values[N] = 35.0  # over 30 % but not over 50 %: not a parallelsamfund
            for other_name, _, _ in others[: k - 1]:
                values[other_name] = MEETS[other_name]
            limit = limit_of(lim, day)
            delta = step(limit)
            for where, value in (("under", limit - delta), ("paa", limit), ("over", limit + delta)):
                case_values = dict(values, **{name: float(value)})
                cases.append(
                    _case(
                        f"{label}-{name.removesuffix('_pct').replace('_', '-')}-{where}",
                        day,
                        1500,
                        case_values,
                        [],
                        f"{target}: {name} {_word(where)} grænsen {op} {limit} (de andre kriterier: {k - 1} opfyldt).",
                        folder=f"taerskler/{label}",
                    )
                )
        if target in ("udsat_boligomraade",):  # the > 50 % rule that turns an udsat area into a parallelsamfund
            for where, value in (("under", 49.9), ("paa", 50.0), ("over", 50.1)):
                values = dict(MISSES, **{O: MEETS[O], E: MEETS[E], N: value})
                cases.append(_case(f"{label}-ikkevestlige-{where}", day, 1500, values, [], f"parallelsamfund: ikke-vestlige {_word(where)} 50 %.", folder=f"taerskler/{label}"))
        for residents in (999, 1000, 1001):  # the 1,000-resident rule (mindst 1.000)
            values = {c: MEETS[c] for c in MEETS}
            cases.append(_case(f"{label}-beboere-{residents}", day, residents, values, [], f"beboerkravet: {residents} beboere (kravet er mindst 1.000).", folder=f"taerskler/{label}"))
        if day >= DELIMITED_FROM:  # § 61 a, stk. 3: an area that is not one of the 2010 areas is on no list
            values = {c: MEETS[c] for c in MEETS}
            if target == "forebyggelsesomraade":
                values[N] = 35.0
            for delimited, word in ((True, "ja"), (False, "nej")):
                cases.append(_case(f"{label}-afgraenset-{word}", day, 1200, values, [], f"afgrænsningen efter § 61 a, stk. 3: området er {'et' if delimited else 'ikke et'} af 2010-områderne (1.200 beboere).",
                                   folder="afgraensning", delimited=delimited))
    return cases


def _word(where: str) -> str:
    return {"under": "lige under", "paa": "præcis på", "over": "lige over"}[where]


def boundary_cases() -> list[dict]:
    """The day before and the day a version takes effect, with figures whose outcome changes."""
    ghetto_2013_not_2010 = dict(MISSES, **{N: 55.0, O: 45.0})  # 2 of 3 in 2010; 2 of 5 from 2014
    udsat_not_ghetto = dict(MISSES, **{O: 45.0, E: 65.0, N: 30.0})
    ghetto_now = dict(MISSES, **{O: 45.0, E: 65.0, N: 60.0})
    forebyg = dict(MISSES, **{O: 35.0, E: 65.0, N: 35.0})
    # The rules know no national average for 2020-2022 lists: these cases give it themselves.
    ghetto_now = dict(ghetto_now, **{CASE_AVG: 0.7})
    forebyg = dict(forebyg, **{CASE_AVG: 0.7})
    rows = [
        ("ingen-regler-2010-12-31", dt.date(2010, 12, 31), ghetto_2013_not_2010, [], "Før den første version af § 61 a: ingen klassifikation."),
        ("v2010-fra-2011-01-01", dt.date(2011, 1, 1), ghetto_2013_not_2010, [], "Første dag med 2010-reglerne (2 af 3)."),
        ("v2010-sidste-dag-2013-12-31", dt.date(2013, 12, 31), ghetto_2013_not_2010, [], "Sidste dag med 2010-reglerne: 2 af 3 er nok."),
        ("v2013-fra-2014-01-01", dt.date(2014, 1, 1), ghetto_2013_not_2010, [], "Første dag med 2013-reglerne: de samme tal giver kun 2 af 5."),
        ("v2013-sidste-dag-2018-11-30", dt.date(2018, 11, 30), udsat_not_ghetto, [], "Sidste dag før 2018-reglerne: 2 af 5, ikke ghettoområde; udsat boligområde findes ikke endnu."),
        ("v2018-fra-2018-12-01", dt.date(2018, 12, 1), udsat_not_ghetto, [], "Første dag med 2018-reglerne: udsat boligområde, ikke ghettoområde."),
        ("overgang-sidste-dag-2020-12-31", dt.date(2020, 12, 31), ghetto_now, [2017, 2018, 2019, 2020], "Overgangsreglen (5 år) gælder: 2016 mangler."),
        ("fireaarsregel-fra-2021-01-01", dt.date(2021, 1, 1), ghetto_now, [2018, 2019, 2020], "4-årsreglen: 2018-2020 er nok."),
        ("fireaarsregel-sidste-dag-2021-11-29", dt.date(2021, 11, 29), forebyg | ghetto_now, [2018, 2019, 2020], "Sidste dag før lov nr. 2157/2021: hårdt ghettoområde efter 4 år; forebyggelsesområde findes ikke."),
        ("v2021-fra-2021-11-30", dt.date(2021, 11, 30), forebyg | ghetto_now, [2018, 2019, 2020], "Første dag med lov nr. 2157/2021: 5 år kræves, så ikke omdannelsesområde; nye navne; § 61 b gælder."),
        ("v2021-forebyggelse-2021-11-30", dt.date(2021, 11, 30), forebyg, [], "Forebyggelsesområde: over 30 % ikke-vestlige og 2 af 4 med de lavere grænser."),
        ("v2021-omdannelse-2022-12-01", dt.date(2022, 12, 1), ghetto_now, [2018, 2019, 2020, 2021], "Omdannelsesområde: parallelsamfund i år og i de 4 foregående år."),
        ("v2018-forebyggelse-findes-ikke-2021-11-29", dt.date(2021, 11, 29), forebyg, [], "Samme tal dagen før: ingen § 61 b, og 35 % arbejdsmarked er ikke over 40 %."),
    ]
    out = [_case(f"graense-{name}", day, 1500, values, history, note, folder="versionsgraenser") for name, day, values, history, note in rows]
    built_after_2010 = dict(MEETS)  # an area built after 2010 with 1,200 residents, meeting every criterion
    out += [
        _case("graense-bygget-efter-2010-sidste-dag-2018-11-30", dt.date(2018, 11, 30), 1200, built_after_2010, [],
              "Et område bygget efter 2010 med 1.200 beboere, dagen før 2018-reglerne: efter 2013-reglerne er det et ghettoområde.",
              folder="versionsgraenser", delimited=False),
        _case("graense-bygget-efter-2010-fra-2018-12-01", dt.date(2018, 12, 1), 1200, built_after_2010, [],
              "Samme område fra 1. december 2018: det er ikke et af 2010-områderne (§ 61 a, stk. 3), så det er på ingen liste.",
              folder="versionsgraenser", delimited=False),
    ]
    return out


def missing_fact_cases() -> list[dict]:
    """Cases with unknown facts; the expectations are written out here with their reasoning."""
    day = dt.date(2019, 12, 1)
    return [
        _case("mangler-2-af-4-afgjort-trods-ukendte", day, 1500, {O: 45.0, E: 65.0, N: 20.0}, [],
              "2 af 4 er opfyldt; de 2 ukendte kan ikke ændre 'mindst 2'. Ikke-vestlige 20 % afgør ghetto nej.",
              expected={"udsat_boligomraade": True, "parallelsamfund": False, "omdannelsesomraade": False}, missing=[]),
        _case("mangler-3-af-4-fejler", day, 1500, {O: 20.0, C: 0.3, E: 30.0}, [],
              "3 af 4 er ikke opfyldt; selv om indkomsten er ukendt, kan 2 af 4 ikke nås.",
              expected={"udsat_boligomraade": False, "parallelsamfund": False, "omdannelsesomraade": False}, missing=[]),
        _case("mangler-1-af-4-uafgjort", day, 1500, {O: 45.0, N: 60.0}, [2015, 2016, 2017, 2018],
              "1 af 4 er opfyldt og 3 er ukendte: enhver af dem kan afgøre sagen.",
              expected={"udsat_boligomraade": None, "parallelsamfund": None, "omdannelsesomraade": None}, missing=[C, E, I]),
        _case("mangler-beboere", day, None, dict(MEETS), [2015, 2016, 2017, 2018],
              "Alle kriterier er opfyldt, men beboertallet er ukendt.",
              expected={"udsat_boligomraade": None, "parallelsamfund": None, "omdannelsesomraade": None}, missing=["beboere"]),
        _case("mangler-historik", day, 1500, dict(MEETS), None,
              "Parallelsamfund i år, men ingen historik: omdannelse kan ikke afgøres.",
              expected={"udsat_boligomraade": True, "parallelsamfund": True, "omdannelsesomraade": None}, missing=["historik.parallelsamfund"]),
        _case("mangler-landsgennemsnit-2020", dt.date(2020, 12, 1), 1500, dict(MISSES, **{O: 45.0, C: 2.5}), [],
              "Regelsættet kender ikke landsgennemsnittet for 2020, og sagen oplyser det ikke: kriminalitetskriteriet afgør sagen og er ukendt.",
              expected={"udsat_boligomraade": None, "parallelsamfund": False, "omdannelsesomraade": False}, missing=["landsgennemsnit_doemte_pct"]),
        _case("landsgennemsnit-fra-sagen-2020", dt.date(2020, 12, 1), 1500, dict(MISSES, **{O: 45.0, C: 2.5, "landsgennemsnit_doemte_pct": 0.8}), [],
              "Sagen oplyser landsgennemsnittet 0,8 %: 2,5 % ≥ 3 × 0,8 % = 2,4 %.",
              expected={"udsat_boligomraade": True, "parallelsamfund": False, "omdannelsesomraade": False}, missing=[]),
        _case("landsgennemsnit-fra-sagen-paa-graensen-2020", dt.date(2020, 12, 1), 1500, dict(MISSES, **{O: 45.0, C: 0.3, "landsgennemsnit_doemte_pct": 0.1}), [],
              "Dømte 0,3 % er præcis 3 × 0,1 %: 'udgør mindst' er opfyldt (med binære kommatal ville 3 × 0,1 blive 0,30000000000000004).",
              expected={"udsat_boligomraade": True, "parallelsamfund": False, "omdannelsesomraade": False}, missing=[]),
        _case("graense-fra-kilde-under-50", day, 1500, {O: 45.0, E: 65.0, N: {"under": 50}}, [],
              "Kilden siger kun 'under 50 %' ikke-vestlige: nok til at afgøre ghetto nej.",
              expected={"udsat_boligomraade": True, "parallelsamfund": False, "omdannelsesomraade": False}, missing=[]),
        _case("graense-fra-kilde-over-40-uafgjort", day, 1500, {O: 45.0, N: {"over": 40}}, [],
              "'Over 40 %' ikke-vestlige afgør ikke 'over 50 %'. Historikken er tom, så omdannelse er afgjort nej.",
              expected={"udsat_boligomraade": None, "parallelsamfund": None, "omdannelsesomraade": False}, missing=[N, C, E, I]),
        _case("mangler-afgraensning", day, 1500, dict(MEETS), [2015, 2016, 2017, 2018],
              "Alle kriterier er opfyldt, men sagen siger ikke, om området er et af 2010-områderne (§ 61 a, stk. 3).",
              expected={"udsat_boligomraade": None, "parallelsamfund": None, "omdannelsesomraade": None}, missing=["afgraenset_2010"], delimited=None),
        _case("mangler-afgraensning-forebyggelse-2022", dt.date(2022, 12, 1), 1500, dict(MISSES, **{O: 35.0, E: 65.0, N: 35.0}), [],
              "Forebyggelsesområdets kriterier er opfyldt, men afgrænsningen (§ 61 a, stk. 3, som § 61 b henviser til) er ukendt.",
              expected={"udsat_boligomraade": False, "parallelsamfund": False, "omdannelsesomraade": False, "forebyggelsesomraade": None},
              missing=["afgraenset_2010"], delimited=None),
    ]


DEFAULT = object()


def _case(name, day, residents, values, history, note, folder="mangler", expected=None, missing=None, delimited=DEFAULT) -> dict:
    case: dict = {"id": f"syn-{name}", "navn": f"Syntetisk: {name}", "dato": day.isoformat()}
    if residents is not None:
        case["beboere"] = residents
    if delimited is DEFAULT:  # from 1 December 2018 the cases are delimited 2010 areas unless they say otherwise
        delimited = True if day >= DELIMITED_FROM else None
    if delimited is not None:
        case["afgraenset_2010"] = delimited
    case["kriterier"] = {k: v for k, v in values.items()}
    if history is not None:
        case["historik"] = {"parallelsamfund": history}
    case["beskrivelse"] = note
    case["kilde"] = {"type": "syntetisk", "note": "Skrevet af tests/synthetic_cases.py."}
    if expected is None:
        outcome = oracle(values, residents, day, history or [], delimited)
        expected = {k: v for k, (v, _) in outcome.items()}
        names = {k: n for k, (_, n) in outcome.items()}
        case["forventet"] = {"klassifikation": expected, "navne": names, "mangler": []}
    else:
        case["forventet"] = {"klassifikation": expected, "mangler": missing}
    case["_folder"] = folder
    return case


def all_cases() -> list[dict]:
    return threshold_cases() + boundary_cases() + missing_fact_cases()


def render(case: dict, depth: int) -> str:
    """The case as YAML, with a schema hint for editors `depth` folders below the project root."""
    body = {k: v for k, v in case.items() if k != "_folder"}
    hint = "../" * depth + "schemas/case.schema.json"
    return f"# yaml-language-server: $schema={hint}\n" + yaml.safe_dump(
        body, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )


def files() -> dict[Path, str]:
    """Every synthetic case file this module writes, by path relative to OUT."""
    out = {}
    for case in all_cases():
        rel = Path(case["_folder"]) / f"{case['id'].removeprefix('syn-')}.yaml"
        out[rel] = render(case, depth=len(rel.parts) + 1)
    return out


def main() -> None:
    import shutil

    if OUT.exists():
        shutil.rmtree(OUT)
    for rel, text in files().items():
        path = OUT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"skrev {len(files())} sager i {OUT}")


if __name__ == "__main__":
    main()
