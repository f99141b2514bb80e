"""Every node kind owns all it needs: a new kind that forgets one of these fails here, not in a
user's run. Walks `lbf_rules.nodes.ALL_KINDS`, the rule schema and the browser self-check."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from lbf_rules.durable_engine import Compiler
from lbf_rules.explain import PlainWords
from lbf_rules.nodes import ALL_KINDS, BODY_KINDS, CONDITION_KINDS, Builder, Node, Trace, parse_body
from lbf_rules.values import Bound
from tests.conftest import ROOT, RULES
from lbf_rules.ruleset import load_ruleset

RULESET = load_ruleset(RULES)
DAY = dt.date(2022, 6, 1)


def leaf(fact="andel_ikkevestlige_pct", limit=50):
    return {"fakta": fact, "overstiger": limit, "begrundelse": f"{fact} over {limit}"}


# One small rule-document node per kind. A new kind needs a sample here (the test below fails
# until it has one), so every method of it is run at least once.
SAMPLES = {
    "alle": {"betingelse": {"alle": [leaf(), leaf("andel_doemte_pct", 2)], "begrundelse": "begge"}},
    "nogen": {"betingelse": {"nogen": [leaf(), leaf("andel_doemte_pct", 2)], "begrundelse": "en af dem"}},
    "mindst": {"betingelse": {"mindst": 2, "af": [leaf(), leaf("andel_doemte_pct", 2), leaf("andel_kun_grundskole_pct", 60)], "begrundelse": "to af tre"}},
    "ikke": {"betingelse": {"ikke": leaf(), "begrundelse": "ikke over 50"}},
    "historik": {"betingelse": {"historik": "parallelsamfund", "foregaaende_aar": 4, "begrundelse": "4 år"}},
    "liste": {"betingelse": {"hver_i": "indsatsomraader", "tilladte": ["beskaeftigelse"], "skal_have": ["maal"], "begrundelse": "områder"}},
    "fakta": {"betingelse": {"fakta": "helhedsplan", "er": True, "begrundelse": "helhedsplan"}},
    "sammenligning": {"betingelse": leaf()},
    "beregning": {"beregning": {"andel": "lokal_medfinansiering_kr", "af_summen": ["lokal_medfinansiering_kr", "lbf_tilskud_kr"], "begrundelse": "andel"}},
    "vaelg": {"begrundelse": "første", "ved_ukendt": {"vaerdi": "ukendt", "navn": "Ukendt"},
              "vaelg": [{"vaerdi": "a", "navn": "A", "naar": leaf()}, {"vaerdi": "b", "navn": "B", "ellers": True}]},
}

CASES = [
    {},
    {"kriterier": {"andel_doemte_pct": 3}, "ansoegning": {"indsatsomraader": [{"omraade": "beskaeftigelse"}]}},
    {"kriterier": {"andel_ikkevestlige_pct": 60, "andel_doemte_pct": 1}},
    {"kriterier": {"andel_ikkevestlige_pct": {"over": 55}, "andel_doemte_pct": 3, "andel_kun_grundskole_pct": 70}},
    {"kriterier": {"andel_ikkevestlige_pct": 40}, "historik": {"parallelsamfund": [2018, 2019, 2020, 2021]},
     "ansoegning": {"helhedsplan": False, "indsatsomraader": [{"omraade": "beskaeftigelse", "maal": True}],
                    "budget": {"lbf_tilskud_kr": 1000, "lokal_medfinansiering_kr": 500}}},
]


def build(kind: type[Node]) -> Node:
    spec = SAMPLES[kind.kind]
    return parse_body(spec, lambda detail, number=None: "kilde", lambda path: 1, (), set())


class Ctx:
    def __init__(self, case: dict):
        from lbf_rules.evaluator import CaseContext

        self.inner = CaseContext(RULESET, RULESET.at(DAY), dict(case, id="x", navn="x", dato=DAY.isoformat()), DAY)
        self.year, self.day, self.values = DAY.year, DAY, self.inner.values

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_every_kind_has_a_sample_and_a_unique_name_and_keys():
    assert sorted(k.kind for k in ALL_KINDS) == sorted(SAMPLES)
    keys = [key for k in CONDITION_KINDS for key in k.keys]
    assert len(keys) == len(set(keys)), "two condition kinds claim the same key"
    assert set(ALL_KINDS) == set(CONDITION_KINDS) | set(BODY_KINDS)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.kind)
def test_every_kind_implements_its_own_methods(kind: type[Node]):
    own = {"parse", "compile", "trace", "describe", "export"}
    own.add("durable_rules" if kind in BODY_KINDS else "durable")
    missing = [m for m in sorted(own) if getattr(kind, m) is getattr(Node, m, None)]
    assert not missing, f"{kind.__name__} does not define {missing}"


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.kind)
def test_every_kind_evaluates_the_same_both_ways_and_describes_and_exports_itself(kind: type[Node]):
    node = build(kind)
    assert isinstance(node, kind)
    run = node.compile()
    for case in CASES:
        ctx = Ctx(case)
        trace = node.trace(ctx)
        assert isinstance(trace, Trace)
        assert run(ctx) == trace.result, (kind.kind, case)
        assert node.deciding(ctx) == trace.deciding, (kind.kind, case)
        document = trace.to_json()
        assert document["type"] == kind.kind and document["resultat"] == trace.result
        json.dumps(document)  # plain JSON
        if trace.result is not None and not node.undecided(trace.result):
            assert not trace.deciding
    words = PlainWords(RULESET, DAY)
    assert node.describe(words).strip()
    exported = node.export()
    assert exported["type"] == kind.kind
    json.dumps(exported)


@pytest.mark.parametrize("kind", ALL_KINDS, ids=lambda k: k.kind)
def test_every_kind_translates_itself_for_the_durable_engine(kind: type[Node]):
    node = build(kind)
    compiler = Compiler(RULESET, DAY)
    compiler.current = "x"
    rules = node.durable_rules(compiler, "x", {"t": "s2"})
    assert isinstance(rules, dict)
    if kind is not BODY_KINDS[0]:  # a calculation is left to the host: no rules of its own
        assert rules
    for field, leaf_node in compiler.leaves.values():
        assert leaf_node.durable_leaf(compiler, True) is not None


@pytest.mark.parametrize("kind", CONDITION_KINDS, ids=lambda k: k.kind)
def test_every_condition_kind_has_its_keys_in_the_rule_schema(kind: type[Node]):
    schema = (ROOT / "schemas" / "rule.schema.json").read_text(encoding="utf-8")
    for key in kind.keys:
        assert f'"{key}"' in schema, f"schemas/rule.schema.json has no '{key}' ({kind.__name__})"


def test_the_browser_self_check_evaluates_every_kind():
    node = shutil.which("node")
    assert node, "node is needed to check the self-check's evaluator (Debian: apt-get install nodejs)"
    script = f"require({json.dumps(str(ROOT / 'docs' / 'assets' / 'selvtjek.js'))}); console.log(JSON.stringify(Object.keys(globalThis.LBFSelvtjek.KINDS)))"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60, check=True)
    assert sorted(json.loads(done.stdout)) == sorted(k.kind for k in ALL_KINDS)


def test_a_bound_value_is_kept_as_given_in_the_trace():
    node = build(CONDITION_KINDS[-1])
    trace = node.trace(Ctx({"kriterier": {"andel_ikkevestlige_pct": {"over": 55}}}))
    assert isinstance(trace.value, Bound) and trace.to_json()["vaerdi"] == {"over": 55}


def test_the_export_schema_has_a_shape_for_every_kind():
    schema = json.loads((ROOT / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    shapes = {branch["properties"]["type"]["const"] for branch in schema["$defs"]["knude"]["oneOf"]}
    assert shapes == {k.kind for k in ALL_KINDS}
