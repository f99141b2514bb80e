"""Writes `cases/stoette/` and `cases/portefoelje/`: funding cases with hand-stated expectations.

Each case is a small change to one of a few area profiles and one complete application; its
expected eligibility, priority, conditions and overall decision are written here next to the
reason, from the rules as the domain brief states them (not from running the evaluator). The
overall decision is the law/regulativ outcome only: the priority tier (LBF practice) never changes it.
Run `python -m tests.funding_cases`; `tests/test_cases.py` fails if the files are stale.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent / "cases"
DAY = "2022-12-01"  # the rules know the national conviction average for this list year (0.725 %)

NONE = {k: False for k in ["hoej_husleje", "hoej_flyttefrekvens", "mange_beboere_med_sociale_problemer", "vold", "haervaerk", "nedslidning", "andre_vaesentlige_problemer"]}
SOME = dict(NONE, hoej_flyttefrekvens=True, mange_beboere_med_sociale_problemer=True)
LOW = {"andel_ikkevestlige_pct": 20.0, "andel_uden_for_arbejdsmarked_pct": 20.0, "andel_doemte_pct": 0.3, "andel_kun_grundskole_pct": 30.0, "indkomst_ift_region_pct": 90.0}

# Area profiles: (indicators, problems, adjacent, expected priority) on the 2019-26 rules.
PROFILES = {
    # udsat: 45 % > 40 and 65 % > 60 (2 of 4) and 1,500 residents: on a § 61 a list
    "liste": (dict(LOW, andel_uden_for_arbejdsmarked_pct=45.0, andel_kun_grundskole_pct=65.0), SOME, False, "fuld_bevilling"),
    # på vippen (45 % > 30 and 55 % > 50 at the vippe levels) and one criterion at the § 61 a level (45 % > 40)
    "mest_udsat": (dict(LOW, andel_uden_for_arbejdsmarked_pct=45.0, andel_kun_grundskole_pct=55.0), SOME, False, "bevilling"),
    # no § 61 a criterion, but 35 % > 30, 55 % > 50 and 60 % < 65 at the vippe levels
    "vippen": (dict(LOW, andel_uden_for_arbejdsmarked_pct=35.0, andel_kun_grundskole_pct=55.0, indkomst_ift_region_pct=60.0), SOME, False, "reduceret_bevilling"),
    # nothing at any level, no problems of its own, next to an udsat area
    "tilknytning": (LOW, NONE, True, "konkret_vurdering"),
    # problems under § 91 a, but nothing at any level and not adjacent
    "ikke_prioriteret": (LOW, SOME, False, "ikke_prioriteret"),
    # one criterion at the § 61 a level alone (45 % > 40) and nothing else: not på vippen, so not among
    # the most vulnerable either (the nested tiers, an open choice for legal staff)
    "et_lovkriterium": (dict(LOW, andel_uden_for_arbejdsmarked_pct=45.0), SOME, False, "ikke_prioriteret"),
    # no problems, not listed, not adjacent: outside § 91 a
    "ikke_stoetteberettiget": (LOW, NONE, False, "ikke_stoetteberettiget"),
}

APPLICATION = {
    "praekvalificeret": True,  # 2011-14 and 2015-18 only
    "kommunal_anbefaling": True,  # 2011-14 and 2015-18 only
    "helhedsplan": True,
    "finansieringsplan": True,
    "strategisk_samarbejdsaftale": True,
    "budget": {"lbf_tilskud_kr": 10_000_000, "lokal_medfinansiering_kr": 4_000_000},  # 28,6 % local
    "bestyrelse": {"kommune": True, "boligorganisationer": True},
    "varighed_aar": 4,
    "indsatsomraader": [
        {"omraade": "beskaeftigelse", "maal": True, "indikatorer": True},
        {"omraade": "uddannelse_og_livschancer", "maal": True, "indikatorer": True},
    ],
    "huslejestoette": {"ansoegt": False},
}
ALL_MET = {"helhedsplan": True, "medfinansiering": True, "entydig_ledelse": True, "samarbejdsaftale": True, "varighed": True,
           "indsatsomraader": True, "huslejestoette": True, "tomgangsleje": True}
MET_2011 = {"procedure": True, "helhedsplan": True, "medfinansiering": True, "indsatsomraader": True, "huslejestoette": True}
MET_2015 = dict(MET_2011, entydig_ledelse=True, samarbejdsaftale=True)
MET_2019 = dict(MET_2015, tomgangsleje=True)
RENT = {"ansoegt": True, "del_af_helhedsplan": True, "tomgangsleje": False}


def area(case_id: str, profile: str, note: str, day: str = DAY, application: dict | None = None, **changes) -> dict:
    indicators, problems, adjacent, _ = PROFILES[profile]
    case = {
        "id": case_id,
        "navn": f"Syntetisk: {case_id}",
        "dato": day,
        "beboere": 1500,
        "afgraenset_2010": True,
        "kriterier": dict(indicators),
        "problemer": dict(problems),
        "i_tilknytning_til_udsat_omraade": adjacent,
        "ansoegning": copy.deepcopy(APPLICATION if application is None else application),
        "beskrivelse": note,
        "kilde": {"type": "syntetisk", "note": "Skrevet af tests/funding_cases.py."},
    }
    for path, value in changes.items():
        target = case
        *parents, last = path.split("__")
        for part in parents:
            target = target[part]
        if value is DROP:
            target.pop(last, None)
        else:
            target[last] = value
    return case


DROP = object()


def expect(case: dict, **expected) -> dict:
    case["forventet"] = expected
    return case


def tier_cases() -> list[dict]:
    out = []
    # the law/regulativ outcome: every eligible profile with a complete application can be granted, whatever
    # its practice tier; an afdeling that is only adjacent needs a concrete assessment; outside § 91 a, no
    decision = {"fuld_bevilling": "kan_bevilges", "bevilling": "kan_bevilges", "reduceret_bevilling": "kan_bevilges",
                "konkret_vurdering": "kraever_konkret_vurdering", "ikke_prioriteret": "kan_bevilges",
                "ikke_stoetteberettiget": "kan_ikke_bevilges"}
    for profile, (_, _, _, tier) in PROFILES.items():
        eligible = profile != "ikke_stoetteberettiget"
        note = f"Profilen '{profile}' med en fuldstændig ansøgning: prioritet {tier} (LBF-praksis), afgørelse {decision[tier]} (lov og regulativ)."
        out.append(expect(
            area(f"prioritet-{profile.replace('_', '-')}", profile, note),
            stoetteberettiget=eligible, prioritet=tier, afgoerelse=decision[tier], betingelser=ALL_MET,
        ))
    out.append(expect(
        area("prioritet-ukendt", "liste", "Ingen kriterier og ingen problemer oplyst: hverken støtte eller prioritet kan afgøres.",
             kriterier={}, problemer=DROP, i_tilknytning_til_udsat_omraade=DROP),
        stoetteberettiget=None, prioritet=None, afgoerelse="kan_ikke_afgoeres", betingelser=ALL_MET,
    ))
    return out


def condition_cases() -> list[dict]:
    rows = [
        # (id, change to the application, condition, expected, overall)
        ("helhedsplan-mangler", {"ansoegning__helhedsplan": False}, "helhedsplan", False, "kan_ikke_bevilges_som_ansoegt"),
        ("helhedsplan-ukendt", {"ansoegning__helhedsplan": DROP}, "helhedsplan", None, "kan_ikke_afgoeres"),
        ("medfinansiering-under-25", {"ansoegning__budget": {"lbf_tilskud_kr": 10_000_000, "lokal_medfinansiering_kr": 2_400_000}}, "medfinansiering", False, "kan_ikke_bevilges_som_ansoegt"),
        ("medfinansiering-praecis-25", {"ansoegning__budget": {"lbf_tilskud_kr": 9_000_000, "lokal_medfinansiering_kr": 3_000_000}}, "medfinansiering", True, "kan_bevilges"),
        ("medfinansiering-ukendt", {"ansoegning__budget": DROP}, "medfinansiering", None, "kan_ikke_afgoeres"),
        ("ledelse-uden-kommune", {"ansoegning__bestyrelse": {"kommune": False, "boligorganisationer": True}}, "entydig_ledelse", False, "kan_ikke_bevilges_som_ansoegt"),
        ("ledelse-ukendt", {"ansoegning__bestyrelse": {"boligorganisationer": True}}, "entydig_ledelse", None, "kan_ikke_afgoeres"),
        ("varighed-3-aar", {"ansoegning__varighed_aar": 3}, "varighed", False, "kan_ikke_bevilges_som_ansoegt"),
        ("varighed-5-aar", {"ansoegning__varighed_aar": 5}, "varighed", False, "kan_ikke_bevilges_som_ansoegt"),
        ("varighed-ukendt", {"ansoegning__varighed_aar": DROP}, "varighed", None, "kan_ikke_afgoeres"),
        ("indsatsomraade-fra-2015-18", {"ansoegning__indsatsomraader": [{"omraade": "tryghed_og_trivsel", "maal": True, "indikatorer": True}]}, "indsatsomraader", False, "kan_ikke_bevilges_som_ansoegt"),
        ("indsatsomraade-uden-indikatorer", {"ansoegning__indsatsomraader": [{"omraade": "beskaeftigelse", "maal": True, "indikatorer": False}]}, "indsatsomraader", False, "kan_ikke_bevilges_som_ansoegt"),
        ("indsatsomraade-indikatorer-ukendt", {"ansoegning__indsatsomraader": [{"omraade": "beskaeftigelse", "maal": True}]}, "indsatsomraader", None, "kan_ikke_afgoeres"),
        ("indsatsomraader-tom-liste", {"ansoegning__indsatsomraader": []}, "indsatsomraader", False, "kan_ikke_bevilges_som_ansoegt"),
        ("indsatsomraader-ukendt", {"ansoegning__indsatsomraader": DROP}, "indsatsomraader", None, "kan_ikke_afgoeres"),
        ("huslejestoette-i-helhedsplanen", {"ansoegning__huslejestoette": dict(RENT)}, "huslejestoette", True, "kan_bevilges"),
        ("huslejestoette-uden-for-helhedsplanen", {"ansoegning__huslejestoette": dict(RENT, del_af_helhedsplan=False)}, "huslejestoette", False, "kan_ikke_bevilges_som_ansoegt"),
        ("huslejestoette-ukendt", {"ansoegning__huslejestoette": {"ansoegt": True, "tomgangsleje": False}}, "huslejestoette", None, "kan_ikke_afgoeres"),
        ("samarbejdsaftale-mangler", {"ansoegning__strategisk_samarbejdsaftale": False}, "samarbejdsaftale", False, "kan_ikke_bevilges_som_ansoegt"),
        ("samarbejdsaftale-ukendt", {"ansoegning__strategisk_samarbejdsaftale": DROP}, "samarbejdsaftale", None, "kan_ikke_afgoeres"),
        # the area is udsat but not an omdannelsesområde, and the case does not say whether it has an udviklingsplan
        ("tomgangsleje-udviklingsplan-ukendt", {"ansoegning__huslejestoette": dict(RENT, tomgangsleje=True)}, "tomgangsleje", None, "kan_ikke_afgoeres"),
        ("tomgangsleje-ukendt", {"ansoegning__huslejestoette": {"ansoegt": True, "del_af_helhedsplan": True}}, "tomgangsleje", None, "kan_ikke_afgoeres"),
        # § 168 a, stk. 5 (from 1 July 2021): a former hårdt ghettoområde with a fælles udviklingsplan not yet carried out
        ("tomgangsleje-udviklingsplan", {"ansoegning__huslejestoette": dict(RENT, tomgangsleje=True), "udviklingsplan": {"faelles": True, "gennemfoert": False}},
         "tomgangsleje", True, "kan_bevilges"),
        ("tomgangsleje-udviklingsplan-gennemfoert", {"ansoegning__huslejestoette": dict(RENT, tomgangsleje=True), "udviklingsplan": {"faelles": True, "gennemfoert": True}},
         "tomgangsleje", False, "kan_ikke_bevilges_som_ansoegt"),
        ("tomgangsleje-ingen-udviklingsplan", {"ansoegning__huslejestoette": dict(RENT, tomgangsleje=True), "udviklingsplan": {"faelles": False}},
         "tomgangsleje", False, "kan_ikke_bevilges_som_ansoegt"),
    ]
    out = []
    for name, change, condition, value, overall in rows:
        word = {True: "opfyldt", False: "ikke opfyldt", None: "uafgjort"}[value]
        case = area(f"betingelse-{name}", "liste", f"Et område på listen; betingelsen '{condition}' er {word}.", **change)
        out.append(expect(case, prioritet="fuld_bevilling", afgoerelse=overall, betingelser=dict(ALL_MET, **{condition: value})))
    out[2]["forventet"]["aendringer"] = ["lokal medfinansiering skal øges med mindst 933.334 kr., eller lbf tilskud må højst være 7.200.000 kr."]
    # an omdannelsesområde (parallelsamfund the last 5 years) may get support for tomgangsleje at genhusning
    hard = area("betingelse-tomgangsleje-omdannelsesomraade", "liste", "Et omdannelsesområde søger tilskud til tomgangsleje ved genhusning: betingelsen er opfyldt.",
                ansoegning__huslejestoette=dict(RENT, tomgangsleje=True), historik={"parallelsamfund": [2017, 2018, 2019, 2020, 2021]})
    hard["kriterier"]["andel_ikkevestlige_pct"] = 60.0
    out.append(expect(hard, prioritet="fuld_bevilling", afgoerelse="kan_bevilges", betingelser=ALL_MET,
                      klassifikation={"udsat_boligomraade": True, "parallelsamfund": True, "omdannelsesomraade": True, "forebyggelsesomraade": True}))
    return out


def transition_cases() -> list[dict]:
    """The same applications the day before and the day LBF's regulativ of 11.12.2019 takes effect."""
    old_style = copy.deepcopy(APPLICATION)
    old_style["indsatsomraader"] = [{"omraade": "tryghed_og_trivsel"}, {"omraade": "uddannelse_og_beskaeftigelse"}]
    old_style["praekvalificeret_under_tidligere_regler"] = True
    conditions_2015 = {k: v for k, v in MET_2019.items() if k != "indsatsomraader"}
    return [
        expect(area("overgang-2015-18-ansoegning-2019-12-31", "liste", "Prækvalificeret under 2015-18-reglerne, vurderet dagen før det nye regulativ: 2015-18-indsatsområderne gælder, og der er ingen prioritering.",
                    day="2019-12-31", application=old_style),
               stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=dict(conditions_2015, indsatsomraader=True)),
        expect(area("overgang-2015-18-ansoegning-2020-01-01", "liste", "Samme sag fra 1. januar 2020: overført til regulativet af 11.12.2019, hvis fire nye indsatsområder den ikke ligger inden for.",
                    day="2020-01-01", application=old_style),
               stoetteberettiget=True, prioritet="fuld_bevilling", afgoerelse="kan_ikke_bevilges_som_ansoegt",
               betingelser=dict(ALL_MET, indsatsomraader=False)),
        expect(area("overgang-2019-26-ansoegning-2019-12-31", "liste", "En ansøgning med de nye indsatsområder dagen før: de findes ikke i 2015-18-regulativet.",
                    day="2019-12-31"),
               stoetteberettiget=True, afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=dict(conditions_2015, indsatsomraader=False)),
        expect(area("overgang-2019-26-ansoegning-2020-01-01", "liste", "Samme ansøgning 1. januar 2020: alle betingelser er opfyldt.", day="2020-01-01"),
               stoetteberettiget=True, prioritet="fuld_bevilling", afgoerelse="kan_bevilges", betingelser=ALL_MET),
        expect(area("tilknytning-2019-12-31", "tilknytning", "En afdeling i tilknytning til et udsat område, uden egne problemer, før regulativet af 11.12.2019: ikke omfattet.",
                    day="2019-12-31"),
               stoetteberettiget=False, afgoerelse="kan_ikke_bevilges"),
        expect(area("tilknytning-2020-01-01", "tilknytning", "Samme afdeling fra 1. januar 2020: omfattet, men kræver konkret drøftelse.", day="2020-01-01"),
               stoetteberettiget=True, prioritet="konkret_vurdering", afgoerelse="kraever_konkret_vurdering"),
        expect(area("periode-2011-14", "liste", "2011-14-midlerne: syv indsatsområder; 'beskaeftigelse' er ikke et af dem.", day="2012-10-01",
                    application=dict(copy.deepcopy(APPLICATION), indsatsomraader=[{"omraade": "uddannelse_beskaeftigelse_og_erhverv"}, {"omraade": "sundhed"}])),
               stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=MET_2011),
        expect(area("sidste-dag-2019-26-midlerne", "liste", "Sidste dag med 2019-26-reglerne (31. december 2026): alt gælder endnu.", day="2026-12-31"),
               stoetteberettiget=True, prioritet="fuld_bevilling", afgoerelse="kan_bevilges", betingelser=ALL_MET),
        expect(area("efter-2019-26-midlerne", "liste", "Efter 2019-26-rammen (fra 1. januar 2027) kender regelsættet ingen støtteregler, og afgørelsen siger det.",
                    day="2027-01-01"),
               findes_ikke=["stoetteberettiget", "prioritet", "afgoerelse"],
               bemaerkninger=["Der er ingen regler for støtte efter § 91 a i kraft efter 31. december 2026 (2019-26-midlerne)"]),
    ]


PERIOD_AREAS = {  # indsatsområder inside each period's list
    "2012-10-01": [{"omraade": "uddannelse_beskaeftigelse_og_erhverv"}, {"omraade": "sundhed"}],
    "2016-12-01": [{"omraade": "tryghed_og_trivsel"}, {"omraade": "uddannelse_og_beskaeftigelse"}],
    "2019-06-01": [{"omraade": "tryghed_og_trivsel"}],
}


def period_application(day: str, **changes) -> dict:
    application = copy.deepcopy(APPLICATION)
    if day in PERIOD_AREAS:
        application["indsatsomraader"] = copy.deepcopy(PERIOD_AREAS[day])
    application.update(changes)
    return application


def coverage_cases() -> list[dict]:
    """Cases for the older funding periods and for each § 91 a problem, so that every rule
    version is used and every condition is seen both met and not met."""
    everything = {k: True for k in NONE}
    out = []
    for day, met in (("2012-10-01", MET_2011), ("2019-06-01", MET_2019), ("2022-12-01", ALL_MET)):
        out.append(expect(area(f"daekning-{day[:4]}-alle-problemer", "ikke_prioriteret", "Alle problemtyper i § 91 a er konstateret.",
                               day=day, application=period_application(day), problemer=everything),
                          stoetteberettiget=True, betingelser=met))
    for day in ("2012-10-01", "2016-12-01"):
        out.append(expect(area(f"daekning-{day[:4]}-ingen-problemer", "ikke_stoetteberettiget", "Ingen problemer, ingen liste: uden for § 91 a.",
                               day=day, application=period_application(day)),
                          stoetteberettiget=False, afgoerelse="kan_ikke_bevilges"))
    rows = [
        ("2012-10-01", "helhedsplan-mangler", {"helhedsplan": False}, "helhedsplan"),
        ("2012-10-01", "medfinansiering-under-25", {"budget": {"lbf_tilskud_kr": 10_000_000, "lokal_medfinansiering_kr": 1_000_000}}, "medfinansiering"),
        ("2012-10-01", "indsatsomraade-uden-for", {"indsatsomraader": [{"omraade": "beskaeftigelse"}]}, "indsatsomraader"),
        ("2016-12-01", "helhedsplan-mangler", {"helhedsplan": False}, "helhedsplan"),
        ("2016-12-01", "finansieringsplan-mangler", {"finansieringsplan": False}, "helhedsplan"),
        ("2016-12-01", "medfinansiering-under-25", {"budget": {"lbf_tilskud_kr": 10_000_000, "lokal_medfinansiering_kr": 1_000_000}}, "medfinansiering"),
        ("2016-12-01", "ledelse-uden-bestyrelse", {"bestyrelse": {"kommune": False, "boligorganisationer": False}}, "entydig_ledelse"),
        ("2022-12-01", "finansieringsplan-mangler", {"finansieringsplan": False, "huslejestoette": {"ansoegt": True, "del_af_helhedsplan": True}}, "helhedsplan"),
        ("2022-12-01", "ledelse-uden-boligorganisationer", {"bestyrelse": {"kommune": True, "boligorganisationer": False}}, "entydig_ledelse"),
        ("2012-10-01", "ikke-praekvalificeret", {"praekvalificeret": False}, "procedure"),
        ("2012-10-01", "uden-kommunal-anbefaling", {"kommunal_anbefaling": False}, "procedure"),
        ("2016-12-01", "ikke-praekvalificeret", {"praekvalificeret": False}, "procedure"),
        ("2016-12-01", "uden-kommunal-anbefaling", {"kommunal_anbefaling": False}, "procedure"),
        ("2016-12-01", "uden-samarbejdsaftale", {"strategisk_samarbejdsaftale": False}, "samarbejdsaftale"),
        ("2012-10-01", "huslejestoette-uden-for-helhedsplanen", {"huslejestoette": dict(RENT, del_af_helhedsplan=False)}, "huslejestoette"),
        ("2016-12-01", "huslejestoette-uden-for-helhedsplanen", {"huslejestoette": dict(RENT, del_af_helhedsplan=False)}, "huslejestoette"),
        ("2019-06-01", "tomgangsleje-uden-omdannelse", {"huslejestoette": dict(RENT, tomgangsleje=True)}, "tomgangsleje"),
        ("2016-12-01", "indsatsomraade-uden-for", {"indsatsomraader": [{"omraade": "beskaeftigelse"}]}, "indsatsomraader"),
        ("2019-06-01", "helhedsplan-mangler", {"helhedsplan": False}, "helhedsplan"),
        ("2019-06-01", "medfinansiering-under-25", {"budget": {"lbf_tilskud_kr": 10_000_000, "lokal_medfinansiering_kr": 1_000_000}}, "medfinansiering"),
        ("2019-06-01", "ledelse-uden-kommune", {"bestyrelse": {"kommune": False, "boligorganisationer": True}}, "entydig_ledelse"),
        ("2019-06-01", "uden-samarbejdsaftale", {"strategisk_samarbejdsaftale": False}, "samarbejdsaftale"),
        ("2019-06-01", "huslejestoette-uden-for-helhedsplanen", {"huslejestoette": dict(RENT, del_af_helhedsplan=False)}, "huslejestoette"),
    ]
    for day, name, change, condition in rows:
        case = area(f"daekning-{day[:4]}-{name}", "ikke_prioriteret" if day != "2022-12-01" else "liste",
                    f"{condition} er ikke opfyldt ({day}).", day=day, application=period_application(day, **change))
        failed = {condition: False}
        if name == "finansieringsplan-mangler" and day == "2022-12-01":
            failed["huslejestoette"] = False  # rent support needs the finansieringsplan too
        out.append(expect(case, stoetteberettiget=True, afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=failed))
    for day in ("2012-10-01", "2016-12-01", "2019-06-01"):  # 2019: rent support without tomgangsleje
        out.append(expect(area(f"daekning-{day[:4]}-huslejestoette-i-helhedsplanen", "ikke_prioriteret", "Huslejestøtte, der indgår i helhedsplanen.",
                               day=day, application=period_application(day, huslejestoette=dict(RENT))),
                          stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser={"huslejestoette": True}))
    out.append(expect(area("daekning-2016-procedure-ukendt", "ikke_prioriteret", "Det er ikke oplyst, om området er prækvalificeret.",
                           day="2016-12-01", application=period_application("2016-12-01", praekvalificeret=None)),
                      stoetteberettiget=True, afgoerelse="kan_ikke_afgoeres", betingelser={"procedure": None}))
    # 2019: a hårdt ghettoområde (ghetto the last 5 years, the transitional rule) may get tomgangsleje
    hard = area("daekning-2019-tomgangsleje-haardt-ghettoomraade", "liste", "Et hårdt ghettoområde søger tilskud til tomgangsleje i 2019.",
                day="2019-06-01", application=period_application("2019-06-01", huslejestoette=dict(RENT, tomgangsleje=True)),
                historik={"parallelsamfund": [2014, 2015, 2016, 2017, 2018]})
    hard["kriterier"]["andel_ikkevestlige_pct"] = 60.0
    out.append(expect(hard, stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=MET_2019,
                      klassifikation={"udsat_boligomraade": True, "parallelsamfund": True, "omdannelsesomraade": True}))
    return out


def boundary_cases() -> list[dict]:
    """The day before and the day each funding rule version takes effect, with an application whose
    outcome changes across the date (or, where nothing is in force before, that the rules are absent)."""
    out = [
        expect(area("graense-2006-12-31-foer-2006-10-regulativet", "liste", "Før 2006-10-regulativet trådte i kraft: regelsættet har ingen regler.",
                    day="2006-12-31", application=period_application("2012-10-01")),
               findes_ikke=["stoetteberettiget", "afgoerelse"], klassifikation={}),
        expect(area("graense-2007-01-01-2006-10-regulativet", "liste", "2006-10-regulativet gælder fra 1. januar 2007, men er ikke kodet, og afgørelsen siger det.",
                    day="2007-01-01", application=period_application("2012-10-01")),
               findes_ikke=["stoetteberettiget", "afgoerelse"], klassifikation={},
               bemaerkninger=["Støttereglerne for 2006-10-midlerne (LBF's regulativ i kraft 1. januar 2007"]),
        expect(area("graense-2011-03-17-foer-regulativet", "ikke_prioriteret", "Dagen før regulativet for 2011-14-midlerne: § 91 a gælder, men ansøgningens betingelser er ikke kodet.",
                    day="2011-03-17", application=period_application("2012-10-01")),
               stoetteberettiget=True, findes_ikke=["afgoerelse", "prioritet"],
               bemaerkninger=["LBF's regulativ for 2011-14-midlerne blev godkendt 18. marts 2011"]),
        expect(area("graense-2011-03-18-regulativet", "ikke_prioriteret", "Første dag med regulativet for 2011-14-midlerne.",
                    day="2011-03-18", application=period_application("2012-10-01")),
               stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=MET_2011),
    ]
    no_agreement = dict(strategisk_samarbejdsaftale=False)
    out += [
        expect(area("graense-2015-03-31-uden-samarbejdsaftale", "ikke_prioriteret", "Sidste dag med 2011-14-reglerne: en strategisk samarbejdsaftale kræves ikke.",
                    day="2015-03-31", application=period_application("2012-10-01", **no_agreement)),
               stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=MET_2011, findes_ikke=["betingelser.samarbejdsaftale"]),
        expect(area("graense-2015-04-01-uden-samarbejdsaftale", "ikke_prioriteret", "Første dag med 2015-18-reglerne: uden strategisk samarbejdsaftale kan der ikke bevilges som ansøgt.",
                    day="2015-04-01", application=period_application("2016-12-01", **no_agreement)),
               stoetteberettiget=True, afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=dict(MET_2015, samarbejdsaftale=False)),
    ]
    rent = dict(huslejestoette=dict(RENT, tomgangsleje=True))
    out += [
        expect(area("graense-2018-12-31-tomgangsleje", "ikke_prioriteret", "Dagen før lov nr. 1561/2018: der er ingen særlig regel om tomgangsleje.",
                    day="2018-12-31", application=period_application("2016-12-01", **rent)),
               stoetteberettiget=True, afgoerelse="kan_bevilges", betingelser=MET_2015, findes_ikke=["betingelser.tomgangsleje"]),
        expect(area("graense-2019-01-01-tomgangsleje", "ikke_prioriteret", "Første dag med lov nr. 1561/2018: tomgangsleje kræver genhusning fra et hårdt ghettoområde.",
                    day="2019-01-01", application=period_application("2016-12-01", **rent)),
               stoetteberettiget=True, afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=dict(MET_2019, tomgangsleje=False)),
    ]
    not_prequalified = dict(praekvalificeret=False)
    out += [
        expect(area("graense-2019-12-31-ikke-praekvalificeret", "liste", "Sidste dag med 2015-18-regulativet: uden prækvalifikation kan der ikke bevilges som ansøgt.",
                    day="2019-12-31", application=period_application("2016-12-01", **not_prequalified)),
               stoetteberettiget=True, afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=dict(MET_2019, procedure=False)),
        expect(area("graense-2020-01-01-ikke-praekvalificeret", "liste", "Første dag med regulativet af 11.12.2019: prækvalifikation er ikke længere en kodet betingelse.",
                    day="2020-01-01", application=dict(copy.deepcopy(APPLICATION), **not_prequalified)),
               stoetteberettiget=True, prioritet="fuld_bevilling", afgoerelse="kan_bevilges", betingelser=ALL_MET, findes_ikke=["betingelser.procedure"]),
    ]
    plan = dict(ansoegning__huslejestoette=dict(RENT, tomgangsleje=True), udviklingsplan={"faelles": True, "gennemfoert": False})
    out += [
        expect(area("graense-2021-06-30-udviklingsplan", "liste", "Dagen før L 194 (2020-21): et tidligere hårdt ghettoområde med udviklingsplan kan ikke få tomgangsleje.",
                    day="2021-06-30", **plan),
               prioritet="fuld_bevilling", afgoerelse="kan_ikke_bevilges_som_ansoegt", betingelser=dict(ALL_MET, tomgangsleje=False)),
        expect(area("graense-2021-07-01-udviklingsplan", "liste", "Fra 1. juli 2021 (§ 168 a, stk. 5): tomgangsleje, indtil udviklingsplanen er gennemført.",
                    day="2021-07-01", **plan),
               prioritet="fuld_bevilling", afgoerelse="kan_bevilges", betingelser=ALL_MET),
    ]
    return out


PORTFOLIO_PLAN = [  # (profile, how much worse than the profile's base, LBF grant in mio. kr. over 4 years)
    ("liste", 0, 10), ("liste", 3, 12), ("liste", 6, 8), ("liste", 9, 14), ("liste", 1, 10), ("liste", 4, 6),
    ("liste", 7, 9), ("liste", 2, 11), ("mest_udsat", 0, 8), ("mest_udsat", 4, 10), ("mest_udsat", 2, 6),
    ("mest_udsat", 6, 9), ("mest_udsat", 1, 7), ("vippen", 0, 6), ("vippen", 3, 8), ("vippen", 1, 5),
    ("vippen", 2, 7), ("vippen", 4, 6), ("tilknytning", 0, 4), ("tilknytning", 2, 5), ("ikke_prioriteret", 0, 6),
    ("ikke_prioriteret", 1, 5), ("ikke_prioriteret", 3, 4), ("ikke_stoetteberettiget", 0, 5), ("liste", 5, 10),
    ("mest_udsat", 3, 8), ("vippen", 5, 6), ("liste", 8, 13), ("mest_udsat", 5, 9), ("ikke_prioriteret", 2, 5),
]


def portfolio_cases() -> list[dict]:
    """30 clearly synthetic areas for one funding round; 'worse' raises the labour-market share a
    little (never across a threshold of another tier), so areas in a tier are ordered by it."""
    out = []
    for number, (profile, worse, grant) in enumerate(PORTFOLIO_PLAN, start=1):
        indicators, _, _, tier = PROFILES[profile]
        labour = indicators["andel_uden_for_arbejdsmarked_pct"] + (worse * 0.5 if profile in ("liste", "mest_udsat") else worse * 0.4 if profile == "vippen" else 0)
        case_id = f"portefoelje-{number:02d}"
        case = area(case_id, profile, f"Syntetisk område nr. {number} i porteføljeeksemplet (profil '{profile}').",
                    kriterier__andel_uden_for_arbejdsmarked_pct=round(labour, 1),
                    ansoegning__budget={"lbf_tilskud_kr": grant * 1_000_000, "lokal_medfinansiering_kr": grant * 400_000})
        case["navn"] = f"Syntetisk område {number:02d}"
        case["kommune"] = f"Testkommune {'ABC'[number % 3]}"
        out.append(expect(case, prioritet=tier))
    return out


def render(case: dict, depth: int) -> str:
    hint = "../" * depth + "schemas/case.schema.json"
    return f"# yaml-language-server: $schema={hint}\n" + yaml.safe_dump(case, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)


def files() -> dict[Path, str]:
    out = {}
    for case in tier_cases() + condition_cases() + transition_cases() + coverage_cases() + boundary_cases():
        out[Path("stoette") / f"{case['id']}.yaml"] = render(case, 2)
    for case in portfolio_cases():
        out[Path("portefoelje") / f"{case['id']}.yaml"] = render(case, 2)
    return out


def main() -> None:
    import shutil

    for folder in ("stoette", "portefoelje"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    for rel, text in files().items():
        (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / rel).write_text(text, encoding="utf-8")
    print(f"skrev {len(files())} sager")


if __name__ == "__main__":
    main()
