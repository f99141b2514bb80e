"""`lbf-rules check` through the installed console script, on real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from tests.conftest import CASES, ROOT

AGERVANG = CASES / "reelle" / "agervang-2014.yaml"
DECISION = Draft202012Validator(json.loads((ROOT / "schemas" / "decision.schema.json").read_text()), format_checker=FormatChecker())


def decisions(stdout: str) -> list[dict]:
    out = [json.loads(line) for line in stdout.splitlines()]
    for d in out:
        errors = list(DECISION.iter_errors(d))
        assert not errors, errors[0]
    return out


def test_text_decision_for_the_readme_example(run_cli):
    result = run_cli("check", AGERVANG)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Agervang, Holbæk (agervang-2014) · vurderet pr. 1. december 2014" in out
    assert "✓ Ghettoområde: JA" in out
    assert "regel abl.61a.parallelsamfund, version 2013" in out
    assert "56,5 % (krav: > 50 %)" in out and "[almenboligloven § 61 a, stk. 1, nr. 1]" in out
    assert "? Bruttoindkomsten" in out
    assert "Ikke oplyst, men uden betydning for resultatet: kriterier.indkomst_ift_region_pct" in out


def test_json_decision_matches_the_schema_and_the_issue_shape(run_cli):
    result = run_cli("check", "--format", "json", CASES / "reelle" / "korskaerparken-2018.yaml")
    assert result.returncode == 0, result.stderr
    (d,) = decisions(result.stdout)
    import hashlib

    import yaml

    raw = yaml.safe_load((CASES / "reelle" / "korskaerparken-2018.yaml").read_text(encoding="utf-8"))
    expected_hash = "sha256:" + hashlib.sha256(json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert d["sag"] == {"id": "korskaerparken-2018", "navn": "Korskærparken", "dato": "2018-12-01", "kommune": "Fredericia", "hash": expected_hash}
    assert d["klassifikation"]["udsat_boligomraade"]["resultat"] is None
    assert d["klassifikation"]["udsat_boligomraade"]["mangler"] == ["beboere"]
    assert d["klassifikation"]["parallelsamfund"] == {
        "resultat": False, "navn": "Ghettoområde", "regel": "abl.61a.parallelsamfund", "version": "2018",
        "kilde": "almenboligloven § 61 a, stk. 2", "hjemmel": "Lov nr. 1322 af 27. november 2018 (L 38, 2018-19)",
        "url": "https://www.retsinformation.dk/eli/lta/2018/1322",
    }
    assert d["format"] == "lbf-rules-afgoerelse/3"
    assert "forebyggelsesomraade" not in d["klassifikation"]
    assert d["mangler"][0] == "beboere"  # first: the catalogue's order; funding facts follow
    assert [s["udleder"] for s in d["spor"]][:2] == ["boligomraade", "udsat_boligomraade"]


def test_date_option_judges_at_another_date(run_cli):
    result = run_cli("check", "--format", "json", "--dato", "2022-12-01", AGERVANG)
    (d,) = decisions(result.stdout)
    assert d["sag"]["dato"] == "2022-12-01"
    assert set(d["klassifikation"]) == {"udsat_boligomraade", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade"}
    assert d["klassifikation"]["parallelsamfund"]["navn"] == "Parallelsamfund"


def test_folders_jsonl_and_multi_document_yaml(run_cli, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        '{"id": "a", "navn": "A", "dato": "2019-12-01", "beboere": 1200, "afgraenset_2010": true, "kriterier": {"andel_uden_for_arbejdsmarked_pct": 45, "andel_kun_grundskole_pct": 65}}\n\n'
        '{"id": "b", "navn": "B", "dato": "2019-12-01", "beboere": 800}\n',
        encoding="utf-8",
    )
    multi = tmp_path / "multi.yaml"
    multi.write_text("id: c\nnavn: C\ndato: 2012-10-01\n---\nid: d\nnavn: D\ndato: 2016-12-01\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", batch, multi, CASES / "reelle")
    assert result.returncode == 0, result.stderr
    got = decisions(result.stdout)
    ids = [d["sag"]["id"] for d in got]
    assert ids[:4] == ["a", "b", "c", "d"] and len(ids) == 4 + len(list((CASES / "reelle").glob("*.yaml")))
    assert got[0]["klassifikation"]["udsat_boligomraade"]["resultat"] is True
    assert got[1]["klassifikation"]["udsat_boligomraade"]["resultat"] is False  # under 1,000 residents


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "lbf_rules", "check", str(AGERVANG)], capture_output=True, text=True)
    assert result.returncode == 0 and "Ghettoområde: JA" in result.stdout


BAD = [
    ("broken.yaml", "id: x\nnavn: [unclosed\n", "broken.yaml:3: ugyldig YAML"),
    ("types.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nbeboere: mange\n", "types.yaml:4: felt 'beboere': forventede et heltal, null (ukendt) eller en grænse"),
    ("unknown.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nkriterier:\n  andel_doemte: 2\n", "unknown.yaml:5: felt 'kriterier.andel_doemte': ukendt felt; mente du 'andel_doemte_pct'?"),
    ("negative.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nbeboere: -5\n", "negative.yaml:4: felt 'beboere': -5 er mindre end det mindst tilladte (0)"),
    ("pct.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nkriterier:\n  andel_ikkevestlige_pct: 140\n", "pct.yaml:5: felt 'kriterier.andel_ikkevestlige_pct': 140 er større end det højst tilladte (100)"),
    ("date.yaml", "id: x\nnavn: X\ndato: 2019-13-45\n", "date.yaml:3: felt 'dato': '2019-13-45' er ikke en gyldig dato; forventede ÅÅÅÅ-MM-DD"),
    ("missing.yaml", "id: x\nnavn: X\n", "missing.yaml:1: mangler det påkrævede felt 'dato'"),
    ("list.yaml", "- id: x\n", "list.yaml:1: en sag skal være et objekt med felter, ikke en liste"),
    ("empty.yaml", "", "empty.yaml: filen indeholder ingen sag"),
    ("dup.yaml", "id: x\nnavn: X\nid: y\ndato: 2019-12-01\n", "dup.yaml:3: nøglen 'id' står to gange"),
    ("tag.yaml", "id: !!python/object/apply:os.system [echo hi]\nnavn: X\ndato: 2019-12-01\n", "tag.yaml:1: YAML-tagget"),
    ("bool.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nhistorik:\n  parallelsamfund: no\n", "bool.yaml:5: felt 'historik.parallelsamfund': forventede en liste, fik 'no'"),
    ("bound.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nkriterier:\n  andel_doemte_pct: {over: 3, under: 2}\n", "bound.yaml:5: felt 'kriterier.andel_doemte_pct': grænsen er tom"),
    ("nan.yaml", "id: x\nnavn: X\ndato: 2019-12-01\nkriterier:\n  andel_doemte_pct: .nan\n", "nan.yaml:5: felt 'kriterier.andel_doemte_pct': forventede et tal"),
    ("bad.json", '{"id": "x", "navn": "X", "dato": "2019-12-01", "beboere": 1.5}', "bad.json:1: felt 'beboere': '1.5' er ikke et helt tal, men feltet er et antal"),
    ("bad.jsonl", '{"id": "a", "navn": "A", "dato": "2019-12-01"}\n{"id": "b", "navn": "B"\n', "bad.jsonl:2: ugyldig JSON"),
    ("binary.yaml", b"\x00\x01\x02", "binary.yaml: filen er binær"),
    ("latin1.yaml", "navn: Holbæk\n".encode("latin-1"), "latin1.yaml:1: filen er ikke gyldig UTF-8"),
]


@pytest.mark.parametrize("name, content, message", BAD, ids=[b[0] for b in BAD])
def test_bad_case_files_give_exit_2_and_one_clear_line(run_cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = path.read_bytes()
    result = run_cli("check", name)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"fejl: {message}"), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert path.read_bytes() == before


def test_a_bad_case_in_a_batch_does_not_stop_the_others(run_cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\n", encoding="utf-8")
    result = run_cli("check", "--format", "json", "bad.yaml", AGERVANG)
    assert result.returncode == 2
    assert len(decisions(result.stdout)) == 1
    assert "bad.yaml:1: mangler det påkrævede felt 'navn'" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "nope.yaml"], "fejl: nope.yaml: filen findes ikke"),
        (["check", "--dato", "2019-02-30", str(AGERVANG)], "'2019-02-30' er ikke en gyldig dato"),
        (["check"], "fejl: mangler argumentet 'SAGER...'"),
        (["check", "--format", "xml", str(AGERVANG)], "fejl: ugyldig værdi for '--format': 'xml' er ikke en af 'tekst', 'json'"),
        (["nocommand"], "fejl: ukendt kommando 'nocommand'"),
        (["check", "--nej", str(AGERVANG)], "fejl: ukendt tilvalg '--nej'."),
        (["check", "--jobs", "0", str(AGERVANG)], "fejl: ugyldig værdi for '--jobs': 0 er uden for det tilladte (1-64)"),
        (["impact", "--base", "HEAD", "--jobs", "to"], "fejl: ugyldig værdi for '--jobs': 'to' er ikke et helt tal."),
        (["check", "--regler", str(AGERVANG), str(AGERVANG)], "agervang-2014.yaml' er en fil; forventede en mappe."),
    ],
)
def test_usage_errors_give_exit_2(run_cli, args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_broken_rule_repository_gives_exit_2_naming_the_rule_file(run_cli, tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "almenboligloven" / "61b" / "forebyggelsesomraade.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("overstiger: 30\n", "overstiger: tredive\n", 1), encoding="utf-8")
    result = run_cli("check", "--regler", rules, AGERVANG)
    assert result.returncode == 2
    assert "forebyggelsesomraade.yaml:" in result.stderr and "'tredive'" in result.stderr


def test_jobs_spread_a_batch_and_keep_its_order(run_cli, tmp_path):
    """--jobs N gives the same bytes as one process: JSON with and without the trace, and text,
    over the shipped cases and a generated batch with a broken line in the middle."""
    generated = run_cli("generate", "--antal", "700", "--seed", "5", cwd=ROOT).stdout.splitlines()
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(generated[:350] + ["{ikke json"] + generated[350:]) + "\n", encoding="utf-8")
    for args in (["--format", "json"], ["--format", "json", "--uden-spor"], []):
        for source in (CASES, batch):
            one = run_cli("check", *args, source, cwd=ROOT)
            two = run_cli("check", *args, "--jobs", "3", source, cwd=ROOT)
            assert two.stdout == one.stdout and two.stderr == one.stderr and two.returncode == one.returncode
    bad = run_cli("check", "--format", "json", "--jobs", "2", batch, cwd=ROOT)
    assert bad.returncode == 2 and f"{batch}:351:" in bad.stderr and len(bad.stdout.splitlines()) == 700


def test_jobs_read_the_lines_in_the_workers_with_the_same_errors_and_limit(run_cli, tmp_path):
    """With --jobs the workers read and check the JSON Lines; the errors, their order, the limit of
    100 bad cases per file (nothing after it is printed) and the exit status are those of one process."""
    good = run_cli("generate", "--antal", "400", "--seed", "9", cwd=ROOT).stdout.splitlines()
    wrong = json.loads(good[0]) | {"beboere": 2.5}
    lines = good[:50] + ["{ikke json", json.dumps(wrong), "[1, 2]"] + good[50:100] + ["{}"] * 110 + good[100:]
    batch = tmp_path / "blandet.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nnavn: [\n", encoding="utf-8")
    sources = (batch, broken, CASES / "reelle", broken)  # the errors of a later file come after the batch's
    one = run_cli("check", "--format", "json", "--uden-spor", *sources, cwd=ROOT)
    two = run_cli("check", "--format", "json", "--uden-spor", "--jobs", "2", *sources, cwd=ROOT)
    assert one.returncode == 2 and "over 100 ugyldige sager i filen" in one.stderr and ":52: felt 'beboere'" in one.stderr
    assert one.stderr.index("ugyldige sager i filen") < one.stderr.index("broken.yaml")
    assert len(one.stdout.splitlines()) == 100 + len(list((CASES / "reelle").glob("*.yaml")))
    assert (two.stdout, two.stderr, two.returncode) == (one.stdout, one.stderr, one.returncode)


def test_jobs_are_refused_with_the_durable_engine(run_cli):
    result = run_cli("check", "--engine", "durable", "--jobs", "2", CASES / "reelle", cwd=ROOT)
    assert result.returncode == 2
def test_names_from_the_case_are_escaped_in_the_text_output(run_cli, tmp_path):
    (tmp_path / "navn.json").write_text(json.dumps({"id": "x", "navn": "\x1b]0;hacket\x07\x1b[31mRød\nfejl: falsk", "kommune": "K\u202eommune", "dato": "2019-12-01"}), encoding="utf-8")
    result = run_cli("check", "navn.json")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if not line.startswith("Regler: ")]  # where the rules came from
    assert lines[0] == "\\x1b]0;hacket\\x07\\x1b[31mRød\\nfejl: falsk, K\\u202eommune (x) · vurderet pr. 1. december 2019"
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_a_misspelt_area_is_an_input_error_with_a_suggestion_not_a_refusal(run_cli, tmp_path):
    case = (CASES / "stoette" / "betingelse-medfinansiering-praecis-25.yaml").read_text(encoding="utf-8")
    (tmp_path / "sag.yaml").write_text(case.replace("omraade: beskaeftigelse", "omraade: beskaftigelse"), encoding="utf-8")
    result = run_cli("check", "sag.yaml")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "fejl: sag.yaml:22: felt 'ansoegning.indsatsomraader[0].omraade': 'beskaftigelse' er ikke et kendt indsatsområde; "
        "mente du 'beskaeftigelse' (Beskæftigelse)?"]
    other_period = case.replace("omraade: beskaeftigelse", "omraade: tryghed_og_trivsel")  # a real area, of 2015-18
    (tmp_path / "sag.yaml").write_text(other_period, encoding="utf-8")
    result = run_cli("check", "sag.yaml")
    assert result.returncode == 0 and "uden for: tryghed_og_trivsel" in result.stdout  # substantive, as before


def test_beboere_written_with_a_danish_thousands_point_is_refused_with_the_reason(run_cli, tmp_path):
    (tmp_path / "sag.yaml").write_text("id: x\nnavn: X\ndato: 2019-12-01\nbeboere: 2.000\n", encoding="utf-8")
    result = run_cli("check", "sag.yaml")
    assert result.returncode == 2
    assert "ligner et tal med dansk tusindtalspunktum" in result.stderr and "skriv 2000 uden punktum" in result.stderr


def run_help(command: str) -> str:
    return subprocess.run([sys.executable, "-m", "lbf_rules", command, "--help"], capture_output=True, text=True, cwd=ROOT).stdout


def test_every_commands_format_choices_are_its_registry():
    """One output-format registry per command: the --format choices are exactly its keys."""
    from lbf_rules import batch, impact, lint, render_portfolio
    from lbf_rules.cli import main

    registries = {"check": batch.FORMATS, "prioriter": render_portfolio.FORMATS, "impact": impact.FORMATS, "lint": lint.FORMATS}
    for name, registry in registries.items():
        option = next(p for p in main.commands[name].params if p.name == "fmt")
        assert set(option.type.choices) == set(registry), name
    assert "github" in run_help("lint")


# -- Issue 10: what a caseworker reads -------------------------------------------------------------

ENGLISH_CLICK_WORDS = ["Usage:", "Options:", "Commands:", "Show this message", "[default", "[required]", "DIRECTORY",
                       "FILE", "INTEGER", "FLOAT", "TEXT", "<=x", "x<=", "x>="]


def test_every_help_is_danish(run_cli):
    from lbf_rules.cli import main

    for command in ["", *main.commands]:
        result = run_cli(*([command] if command else []), "--help", cwd=ROOT)
        assert result.returncode == 0, command
        assert result.stdout.startswith("Brug: lbf-rules"), command
        for word in ENGLISH_CLICK_WORDS:
            assert word not in result.stdout, (command, word)
        assert "Vis denne hjælp og afslut." in result.stdout


def test_missing_facts_are_named_by_their_case_field_and_question(run_cli, tmp_path):
    case = (CASES / "stoette" / "betingelse-helhedsplan-ukendt.yaml")
    data = json.loads(run_cli("check", "--format", "json", case, cwd=ROOT).stdout)
    assert data["mangler"] == ["helhedsplan"]
    assert data["felter"]["helhedsplan"] == {"felt": "ansoegning.helhedsplan", "spoergsmaal": "Indgår indsatsen i en boligsocial helhedsplan?"}
    assert set(data["felter"]) == set(data["mangler"]) | set(data["ikke_oplyst"])
    text = run_cli("check", case, cwd=ROOT).stdout
    assert "  - Indgår indsatsen i en boligsocial helhedsplan? (ansoegning.helhedsplan)" in text
    # Copying the field path into the case is what a caseworker does next: it is a field the case accepts.
    doc = yaml.safe_load(case.read_text(encoding="utf-8"))
    doc["ansoegning"]["helhedsplan"] = True
    (tmp_path / "sag.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    completed = json.loads(run_cli("check", "--format", "json", "sag.yaml").stdout)
    assert "helhedsplan" not in completed["mangler"] and completed["betingelser"]["helhedsplan"]["resultat"] is True


def test_every_field_path_named_for_a_missing_fact_is_a_field_of_the_case_schema(ruleset):
    """No fact id dressed up as a field: every `felt` a decision can name is in schemas/case.schema.json."""
    schema = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    for name, fact in ruleset.facts.items():
        node = schema
        for part in ruleset.field_of(name)["felt"].split("."):
            node = node["properties"][part]
            node = node.get("items", node) if node.get("type") == "array" else node
        assert ruleset.field_of(name)["spoergsmaal"].endswith("?"), name


def test_without_the_trace_the_nearest_changes_stay(run_cli):
    case = CASES / "stoette" / "betingelse-helhedsplan-mangler.yaml"
    full = json.loads(run_cli("check", "--format", "json", case, cwd=ROOT).stdout)
    bare = json.loads(run_cli("check", "--format", "json", "--uden-spor", case, cwd=ROOT).stdout)
    assert full["aendringer"] and bare["aendringer"] == full["aendringer"]
    assert "spor" in full and "spor" not in bare
    assert {k: v for k, v in full.items() if k != "spor"} == bare


def test_a_date_without_support_rules_says_so_in_text_and_json(run_cli):
    case = CASES / "stoette" / "betingelse-helhedsplan-mangler.yaml"
    note = "Der er ingen regler for støtte efter § 91 a i kraft efter 31. december 2026 (2019-26-midlerne)"
    text = run_cli("check", "--dato", "2027-03-01", case, cwd=ROOT)
    assert text.returncode == 0 and note in text.stdout
    data = json.loads(run_cli("check", "--format", "json", "--dato", "2027-03-01", case, cwd=ROOT).stdout)
    assert any(note in n for n in data["bemaerkninger"]) and "stoetteberettiget" not in data


def test_explain_suggests_rules_by_id_and_title_and_regler_lists_them_all(run_cli, ruleset):
    result = run_cli("explain", "ghetto", cwd=ROOT)
    assert result.returncode == 2 and result.stdout == ""
    assert "ukendt regel 'ghetto'; mente du 'abl.61a.parallelsamfund' (Parallelsamfund (tidligere ghettoområde))" in result.stderr
    assert "lbf-rules regler" in result.stderr
    typo = run_cli("explain", "udsat_boligomrade", cwd=ROOT)
    assert "mente du 'abl.61a.udsat_boligomraade' (Udsat boligområde)" in typo.stderr
    listed = json.loads(run_cli("regler", "--format", "json", "--dato", "2022-12-01", cwd=ROOT).stdout)
    assert [r["id"] for r in listed] == [r.id for r in ruleset.rules.values()]
    parallel = next(r for r in listed if r["id"] == "abl.61a.parallelsamfund")
    assert [v["version"] for v in parallel["versioner"] if v["gaelder"]] == ["2021"] and parallel["art"] == "lov"
    text = run_cli("regler", "--dato", "2022-12-01", cwd=ROOT).stdout
    assert "abl.61a.parallelsamfund  Parallelsamfund (tidligere ghettoområde)  [lov]" in text
    assert "    * version 2021: Parallelsamfund, fra 30. november 2021" in text
    assert "[LBF-praksis (antagelse)]" in text


def test_explanations_never_contradict_the_input(run_cli, ruleset):
    """Either/or and k-of-n groups say so, a negative fact reads as its question and answer, and an
    `ellers` option is ticked only when it decided the result."""
    text = run_cli("check", CASES / "stoette" / "betingelse-huslejestoette-ukendt.yaml", cwd=ROOT).stdout
    assert "— mindst én af følgende:" in text and "— mindst 2 af 4 (2 opfyldt, 0 ukendt):" in text
    assert "Søges der også støtte til huslejenedsættelse? ja" in text
    assert not [line for line in text.splitlines() if "✓" in line and "(oplyst: nej)" in line]  # no tick for a "no"
    from lbf_rules.cases import expand, read_cases
    from lbf_rules.evaluator import decide
    from lbf_rules.render_text import TextRenderer

    renderer, checked = TextRenderer(ruleset), 0
    for path in expand([CASES]):
        for item in read_cases(path):
            decision = decide(ruleset, item.data)
            tier = decision.results.get("prioritet")
            if "prioritet" in decision.results and tier is None:
                checked += 1
                assert "(ellers)" not in renderer.render(decision), path
    assert checked  # some shipped case leaves the priority undetermined


def test_a_number_typed_as_text_in_yaml_is_refused_with_the_number_to_write(run_cli, tmp_path):
    """"55 %" and "45,2" in a case file are text to YAML: refused, never read, with what to write."""
    (tmp_path / "sag.yaml").write_text("id: x\nnavn: X\ndato: 2022-12-01\nbeboere: 1200\nkriterier:\n"
                                       "  andel_ikkevestlige_pct: 55 %\n  andel_uden_for_arbejdsmarked_pct: 45,2\n", encoding="utf-8")
    result = run_cli("check", "sag.yaml")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "fejl: sag.yaml:6: felt 'kriterier.andel_ikkevestlige_pct': forventede et tal, null (ukendt) eller en grænse som "
        "{over: x} / {under: y}, fik '55 %'; skriv 55 uden anførselstegn og enhed (i YAML er punktum decimaltegn)"]
    text = (tmp_path / "sag.yaml").read_text(encoding="utf-8").replace("55 %", "55")
    (tmp_path / "sag.yaml").write_text(text, encoding="utf-8")
    assert run_cli("check", "sag.yaml").stderr.splitlines() == [
        "fejl: sag.yaml:7: felt 'kriterier.andel_uden_for_arbejdsmarked_pct': forventede et tal, null (ukendt) eller en grænse "
        "som {over: x} / {under: y}, fik '45,2'; skriv 45.2 uden anførselstegn og enhed (i YAML er punktum decimaltegn)"]
