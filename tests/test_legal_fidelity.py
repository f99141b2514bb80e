"""Legal fidelity (issue 11): practice never decides a legal outcome, every version date is tested on
both sides, law versions cite the law as enacted, and a date without rules says so."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lbf_rules.cases import expand, read_cases
from lbf_rules.evaluator import derive, evaluate
from lbf_rules.generate import corpus
from lbf_rules.ruleset import load_ruleset
from tests.conftest import CASES, RULES

SHIPPED = [item.data for path in expand([CASES]) for item in read_cases(path)]
LEGAL = ("stoetteberettiget", "omfattet_af_91a", "afgoerelse")


def legal_outcomes(derived: dict) -> dict:
    return {k: v for k, v in derived.items() if k in LEGAL or k.startswith("betingelse_")}


@pytest.fixture(scope="module")
def other_practice(tmp_path_factory) -> Path:
    """The same rules with every practice parameter moved far: a different practice, the same law."""
    rules = tmp_path_factory.mktemp("praksis") / "rules"
    shutil.copytree(RULES, rules)
    changes = {"mest_udsatte_min_kriterier": ("vaerdi: 1", "vaerdi: 3"), "vippen_min_kriterier": ("vaerdi: 2", "vaerdi: 1"),
               "vippen_arbejdsmarked_pct": ("vaerdi: 30", "vaerdi: 10"), "vippen_grundskole_pct": ("vaerdi: 50", "vaerdi: 20")}
    for name, (old, new) in changes.items():
        path = rules / "parametre" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return rules


def test_practice_never_changes_a_legal_outcome(ruleset, other_practice):
    changed = load_ruleset(other_practice)
    cases = SHIPPED + list(corpus(ruleset, 3000, seed=11))
    tiers_moved = 0
    for case in cases:
        day = dt.date.fromisoformat(case["dato"])
        before, after = derive(ruleset, case, day), derive(changed, case, day)
        assert legal_outcomes(before) == legal_outcomes(after), case["id"]
        tiers_moved += before.get("prioritet") != after.get("prioritet")
    assert tiers_moved > 100  # the changed practice really did move areas between tiers


def test_an_eligible_application_meeting_every_condition_is_never_refused_for_practice(ruleset):
    lowest = 0
    for case in SHIPPED + list(corpus(ruleset, 3000, seed=12)):
        d = derive(ruleset, case)
        conditions = [v for k, v in d.items() if k.startswith("betingelse_")]
        if d.get("stoetteberettiget") is True and conditions and all(c is True for c in conditions):
            assert d["afgoerelse"] in ("kan_bevilges", "kraever_konkret_vurdering"), case["id"]
            lowest += d.get("prioritet") == "ikke_prioriteret"
    assert lowest > 0
    shipped = evaluate(ruleset, next(c for c in SHIPPED if c["id"] == "prioritet-ikke-prioriteret"))
    assert shipped["prioritet"]["resultat"] == "ikke_prioriteret" and shipped["afgoerelse"]["resultat"] == "kan_bevilges"


def test_the_most_vulnerable_areas_are_always_also_on_the_edge(ruleset):
    """The practice tiers nest: 'mest udsatte' is never reached by an area that is not 'på vippen'."""
    seen = 0
    for case in corpus(ruleset, 4000, seed=13):
        d = derive(ruleset, case)
        if d.get("mest_udsatte") is True:
            seen += 1
            assert d["paa_vippen"] is True, case["id"]
    assert seen > 0


def test_every_version_date_has_a_case_on_each_side(ruleset):
    days = {dt.date.fromisoformat(c["dato"]) for c in SHIPPED}
    edges = {v.valid_from for r in ruleset.rules.values() for v in r.versions}
    edges |= {v.valid_to for r in ruleset.rules.values() for v in r.versions if v.valid_to}
    edges |= {s for s, _, _ in ruleset.periods} | {e for _, e, _ in ruleset.periods if e}
    missing = sorted((d, side) for d in edges for side in (d - dt.timedelta(days=1), d) if side not in days)
    assert not missing, missing


def test_law_versions_cite_the_law_as_enacted_or_the_bill_not_todays_text(ruleset):
    for rule in ruleset.rules.values():
        for version in rule.versions:
            first = version.sources[0]
            if first.law == "almenboligloven":
                host = urlparse(first.url).netloc
                assert host in ("www.retsinformation.dk", "www.ft.dk"), (rule.id, version.name, first.url)


def test_every_condition_in_force_from_2018_12_01_needs_the_2010_delimitation(ruleset):
    case = {"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1200,
            "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65, "andel_ikkevestlige_pct": 60}}
    unknown = evaluate(ruleset, case)
    assert unknown["klassifikation"]["udsat_boligomraade"]["resultat"] is None
    assert unknown["klassifikation"]["udsat_boligomraade"]["mangler"] == ["afgraenset_2010"]
    built_after_2010 = evaluate(ruleset, dict(case, afgraenset_2010=False))
    assert {k: v["resultat"] for k, v in built_after_2010["klassifikation"].items()} == {
        "udsat_boligomraade": False, "parallelsamfund": False, "omdannelsesomraade": False}
    forebyg = evaluate(ruleset, dict(case, dato="2022-12-01"))
    assert forebyg["klassifikation"]["forebyggelsesomraade"]["mangler"] == ["afgraenset_2010"]


def test_json_and_text_mark_every_practice_derived_part(run_cli):
    path = CASES / "stoette" / "prioritet-vippen.yaml"
    decision = json.loads(run_cli("check", "--format", "json", path).stdout)
    assert decision["format"] == "lbf-rules-afgoerelse/3"
    assert decision["prioritet"]["art"] == "praksis" and decision["afgoerelse"]["art"] == "regulativ"
    assert decision["afgoerelse"]["resultat"] == "kan_bevilges"
    practice_steps = {s["udleder"] for s in decision["spor"] if s["art"] == "praksis"}
    assert practice_steps == {"paa_vippen", "mest_udsatte", "prioritet"}
    for change in decision["aendringer"]:
        assert (change["art"] == "praksis") == change["maal"].startswith("prioritet"), change
    assert any(c["art"] == "praksis" for c in decision["aendringer"])
    text = run_cli("check", path).stdout
    legal, _, practice = text.partition("LBF-PRAKSIS (ANTAGELSE): ikke en retlig afgørelse")
    assert "AFGØRELSE EFTER LOV OG REGULATIV: KAN BEVILGES" in legal and "Prioritet:" not in legal
    assert "• Prioritet: Stærkt reduceret bevilling (LBF-praksis, på vippen) [LBF-praksis (antagelse)]" in practice
    assert "prioritet: bevilling (LBF-praksis (antagelse)):" in practice


def test_a_date_after_2026_says_plainly_that_no_support_rules_are_in_force(run_cli, tmp_path):
    case = {"id": "x", "navn": "X", "dato": "2027-03-01", "beboere": 1500, "afgraenset_2010": True, "problemer": {"vold": True}}
    (tmp_path / "sag.json").write_text(json.dumps(case), encoding="utf-8")
    decision = json.loads(run_cli("check", "--format", "json", tmp_path / "sag.json").stdout)
    assert not {"stoetteberettiget", "prioritet", "afgoerelse", "betingelser"} & set(decision)
    assert decision["bemaerkninger"][0].startswith(
        "Der er ingen regler for støtte efter § 91 a i kraft efter 31. december 2026 (2019-26-midlerne)")
    text = run_cli("check", tmp_path / "sag.json").stdout.splitlines()
    header = next(i for i, line in enumerate(text) if line.startswith("Regelsæt "))  # after the case and rule-set lines
    assert text[header + 2].startswith("! Der er ingen regler for støtte efter § 91 a i kraft efter 31. december 2026")


def test_a_law_rule_built_on_practice_is_refused(run_cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "almenboligloven" / "test").mkdir()
    shutil.copy(Path(__file__).parent / "lint_fixtures" / "praksis_i_lov.yaml", rules / "almenboligloven" / "test" / "defekt.yaml")
    result = run_cli("check", "--regler", rules, CASES / "reelle" / "agervang-2014.yaml")
    assert result.returncode == 2
    assert "defekt.yaml:17: en regel af art 'lov' må ikke bygge på LBF-praksis" in result.stderr


def test_a_condition_citing_a_source_its_version_lacks_is_refused(tmp_path):
    from lbf_rules.errors import RuleError

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "lbf" / "praksis" / "mest_udsatte.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kilde_nr: 2\n", "kilde_nr: 7\n", 1), encoding="utf-8")
    with pytest.raises(RuleError, match="kilde_nr 7 findes ikke; versionen har 2 kilde"):
        load_ruleset(rules)


def test_lint_names_an_open_question_that_points_at_an_unknown_rule(run_cli, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "aabne_spoergsmaal.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("regler: [abl.61a.boligomraade]", "regler: [abl.61a.boligomrade]", 1), encoding="utf-8")
    result = run_cli("lint", rules)
    assert result.returncode == 1
    assert "aabne_spoergsmaal.yaml:" in result.stdout
    assert "LBF052 felt 'spoergsmaal[12].regler[0]': ukendt regel 'abl.61a.boligomrade'; mente du 'abl.61a.boligomraade'?" in result.stdout
