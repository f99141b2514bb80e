"""The loader refuses broken rule repositories with the file and line of the mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lbf_rules.errors import RuleError
from lbf_rules.ruleset import load_ruleset, revision
from tests.conftest import RULES

UDSAT = Path("almenboligloven/61a/udsat_boligomraade.yaml")
GHETTO = Path("almenboligloven/61a/parallelsamfund.yaml")


@pytest.fixture
def repo(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def edit(repo: Path, rel: Path, old: str, new: str) -> int:
    """Replace text once in a rule file; return the 1-based line where the change starts."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def error(repo: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_ruleset(repo)
    return info.value


def test_the_real_repository_loads(ruleset):
    assert {"boligomraade", "udsat_boligomraade", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade",
            "stoetteberettiget", "prioritet", "afgoerelse"} <= set(ruleset.rules)
    assert ruleset.revision.startswith("sha256:")


def test_unknown_fact_is_reported_with_line_and_suggestion(repo):
    line = edit(repo, UDSAT, "fakta: andel_kun_grundskole_pct", "fakta: andel_kun_grundskol_pct")
    err = error(repo)
    assert err.source.endswith(str(UDSAT)) and err.line == line - 1  # the condition starts on its id line
    assert "andel_kun_grundskol_pct" in err.message and "mente du 'andel_kun_grundskole_pct'" in err.message


def test_missing_reason_text_is_a_schema_error_with_line(repo):
    line = edit(repo, UDSAT, "              begrundelse: Over 60 % af de 30-59-årige har alene en grundskoleuddannelse\n", "")
    err = error(repo)
    assert "begrundelse" in err.message and err.field.endswith("af[2]")
    assert err.line == line - 3  # the line where that condition starts (its id)


def test_overlapping_versions_are_refused(repo):
    edit(repo, GHETTO, 'gyldig_til: "2014-01-01"', 'gyldig_til: "2014-06-01"')
    err = error(repo)
    assert "overlapper" in err.message and err.source.endswith(str(GHETTO))


def test_dates_that_do_not_exist_are_refused(repo):
    line = edit(repo, GHETTO, 'gyldig_fra: "2014-01-01"', 'gyldig_fra: "2014-02-30"')
    err = error(repo)
    assert err.line == line and "gyldig dato" in err.message


def test_versions_running_backwards_are_refused(repo):
    edit(repo, GHETTO, 'gyldig_til: "2014-01-01"', 'gyldig_til: "2010-01-01"')
    assert "efter gyldig_fra" in error(repo).message


def test_a_cycle_between_derived_facts_names_the_rules(repo):
    edit(repo, Path("almenboligloven/61a/boligomraade.yaml"),
         "      fakta: beboere\n      udgoer_mindst: 1000\n      begrundelse: Der bor mindst 1.000 beboere i de fysisk",
         "      fakta: parallelsamfund\n      er: true\n      begrundelse: Der bor mindst 1.000 beboere i de fysisk")
    err = error(repo)
    assert "ring" in err.message
    cycles = ("abl.61a.boligomraade → abl.61a.parallelsamfund → abl.61a.boligomraade",
              "abl.61a.parallelsamfund → abl.61a.boligomraade → abl.61a.parallelsamfund")
    assert any(c in err.message for c in cycles), err.message


def test_comparing_a_yes_no_fact_with_a_number_is_refused(repo):
    edit(repo, GHETTO, "        - fakta: udsat_boligomraade\n          er: true", "        - fakta: udsat_boligomraade\n          overstiger: 1")
    assert "sand/falsk" in error(repo).message


def test_unknown_parameter_is_refused(repo):
    edit(repo, UDSAT, "parameter: landsgennemsnit_doemte_pct", "parameter: landsgennemsnit_domte_pct")
    assert "mente du 'landsgennemsnit_doemte_pct'" in error(repo).message


def test_a_derived_fact_must_be_decided_whenever_it_is_used(repo):
    edit(repo, UDSAT, 'gyldig_fra: "2018-12-01"', 'gyldig_fra: "2019-01-01"')
    err = error(repo)
    assert "udsat_boligomraade" in err.message and "2018-12-01" in err.message


def test_yaml_11_booleans_are_not_booleans(repo):
    edit(repo, GHETTO, "        - fakta: udsat_boligomraade\n          er: true", "        - fakta: udsat_boligomraade\n          er: yes")
    err = error(repo)
    assert "'udsat_boligomraade' er sand/falsk; skriv 'er: true' eller 'er: false'" in err.message


def test_revision_changes_with_any_rule_file(repo):
    before = revision(repo)
    edit(repo, UDSAT, "overstiger: 60", "overstiger: 61")
    assert revision(repo) != before


def test_the_catalogue_of_areas_is_the_one_list_rules_and_cases_are_checked_against(ruleset):
    """The indsatsområder live in fakta.yaml only: every rule version chooses from them (the loader
    refuses anything else), and the case schema has no list of its own that could drift."""
    import json
    import re

    from lbf_rules.nodes import ListCheck
    from tests.conftest import ROOT

    catalogue = ruleset.facts["indsatsomraader"].item
    used = {v for rule in ruleset.rules.values() for version in rule.versions for node in version.body.walk()
            if isinstance(node, ListCheck) for v in node.allowed}
    assert used <= set(catalogue.values) and len(used) == len(catalogue.values)
    area = json.loads((ROOT / "schemas" / "case.schema.json").read_text())["properties"]["ansoegning"]["properties"]["indsatsomraader"]["items"]["properties"]["omraade"]
    assert "enum" not in area and all(re.fullmatch(area["pattern"], name) for name in catalogue.values)
