"""lbf-rules beside GoRules ZEN on the same decision: § 61 a (as from 30 November 2021) and § 61 b.

ZEN (zen-engine, Rust with a Python binding) is given the decision as one JDM graph: an expression
node computing the 2010 delimitation and residents, the two counts of criteria, and the four
classifications. lbf-rules evaluates the same cases with its classification rules (a copy of
rules/ holding § 61 a and § 61 b only). Both get complete cases (ZEN has no "unknown": every fact
is given), generated around every threshold; the results must agree on every case, and the rates
are measured side by side in this process, each over the same cases.

    .venv/bin/python benchmarks/zen_sammenligning.py [--antal 20000]     # needs: pip install '.[benchmark]'

Prints JSON: cases, seconds and cases/s for ZEN and for lbf-rules with and without its trace, the
ratios, and the number of disagreements (must be 0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2022, 12, 1)
CLASSES = ["udsat_boligomraade", "parallelsamfund", "omdannelsesomraade", "forebyggelsesomraade"]

EXPRESSIONS = [
    ("boligomraade", "afgraenset_2010 == true and beboere >= 1000"),
    ("udsat_antal", "(kriterier.andel_uden_for_arbejdsmarked_pct > 40 ? 1 : 0)"
                    " + (kriterier.andel_doemte_pct >= 3 * landsgennemsnit ? 1 : 0)"
                    " + (kriterier.andel_kun_grundskole_pct > 60 ? 1 : 0)"
                    " + (kriterier.indkomst_ift_region_pct < 55 ? 1 : 0)"),
    ("forebyggelse_antal", "(kriterier.andel_uden_for_arbejdsmarked_pct > 30 ? 1 : 0)"
                           " + (kriterier.andel_doemte_pct >= 2 * landsgennemsnit ? 1 : 0)"
                           " + (kriterier.andel_kun_grundskole_pct > 60 ? 1 : 0)"
                           " + (kriterier.indkomst_ift_region_pct < 65 ? 1 : 0)"),
    ("udsat_boligomraade", "$.boligomraade and $.udsat_antal >= 2"),
    ("parallelsamfund", "$.udsat_boligomraade and kriterier.andel_ikkevestlige_pct > 50"),
    ("omdannelsesomraade", "$.parallelsamfund and contains(historik.parallelsamfund, aar - 1)"
                           " and contains(historik.parallelsamfund, aar - 2) and contains(historik.parallelsamfund, aar - 3)"
                           " and contains(historik.parallelsamfund, aar - 4)"),
    ("forebyggelsesomraade", "$.boligomraade and kriterier.andel_ikkevestlige_pct > 30 and $.forebyggelse_antal >= 2"),
]


def graph() -> dict:
    """The decision as a JSON Decision Model: request → one expression node → response."""
    node = lambda id_, type_, **more: {"id": id_, "type": type_, "name": id_, "position": {"x": 0, "y": 0}, **more}  # noqa: E731
    expressions = [{"id": key, "key": key, "value": value} for key, value in EXPRESSIONS]
    return {
        "nodes": [node("ind", "inputNode"), node("klassifikation", "expressionNode", content={"expressions": expressions}),
                  node("ud", "outputNode")],
        "edges": [{"id": "e1", "sourceId": "ind", "targetId": "klassifikation", "type": "edge"},
                  {"id": "e2", "sourceId": "klassifikation", "targetId": "ud", "type": "edge"}],
    }


def classification_rules(tmp: Path) -> Path:
    """A copy of rules/ with § 61 a and § 61 b only (what ZEN is given)."""
    rules = tmp / "kun-klassifikation"
    shutil.copytree(ROOT / "rules", rules)
    shutil.rmtree(rules / "lbf")
    shutil.rmtree(rules / "almenboligloven" / "91a")
    (rules / "almenboligloven" / "61a" / "officiel_liste.yaml").unlink()
    for extra in ("aabne_spoergsmaal.yaml",):
        (rules / extra).unlink(missing_ok=True)
    for param in rules.glob("parametre/*.yaml"):
        if param.name != "landsgennemsnit_doemte_pct.yaml":
            param.unlink()
    meta = (rules / "regelsaet.yaml").read_text(encoding="utf-8")
    (rules / "regelsaet.yaml").write_text(meta.split("stoetteberettiget:")[0], encoding="utf-8")
    return rules


def cases(count: int, seed: int) -> list[dict]:
    """Complete cases at 1 December 2022, dense around every threshold."""
    rnd = random.Random(seed)

    def near(*limits: float) -> float:
        return round(rnd.choice(limits) + rnd.choice([-0.1, -0.01, 0.0, 0.01, 0.1, rnd.uniform(-20, 20)]), 2)

    out = []
    for i in range(count):
        history = sorted(rnd.sample(range(DAY.year - 6, DAY.year), rnd.randint(0, 6)))
        out.append({
            "id": f"zen-{i}", "navn": f"Område {i}", "dato": DAY.isoformat(),
            "beboere": rnd.choice([999, 1000, 1001, rnd.randint(500, 5000)]),
            "afgraenset_2010": rnd.random() < 0.9,
            "kriterier": {
                "andel_ikkevestlige_pct": max(0.0, near(30, 50)),
                "andel_uden_for_arbejdsmarked_pct": max(0.0, near(30, 40)),
                "andel_doemte_pct": max(0.0, near(1.45, 2.175)),
                "andel_kun_grundskole_pct": max(0.0, near(60)),
                "indkomst_ift_region_pct": max(0.0, near(55, 65)),
            },
            "historik": {"parallelsamfund": history},
        })
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--antal", type=int, default=20000)
    args = parser.parse_args()
    try:
        import zen
    except ImportError:
        sys.exit("zen-engine er ikke installeret: pip install '.[benchmark]'")
    sys.path.insert(0, str(ROOT))
    from lbf_rules.evaluator import decide
    from lbf_rules.ruleset import load_ruleset

    with tempfile.TemporaryDirectory() as tmp:
        ruleset = load_ruleset(classification_rules(Path(tmp)))
    average = ruleset.parameters["landsgennemsnit_doemte_pct"].value_at(DAY)
    batch = cases(args.antal, seed=3)
    inputs = [dict(case, landsgennemsnit=average, aar=DAY.year) for case in batch]
    decision = zen.ZenEngine().create_decision(json.dumps(graph()))

    def ours(trace: bool) -> tuple[float, list[dict]]:
        start = time.perf_counter()
        results = [decide(ruleset, case, trace=trace) for case in batch]
        if trace:
            results = [d.to_json(True) for d in results]
        return time.perf_counter() - start, results

    for case in inputs[:50]:  # warm both
        decision.evaluate(case)
    ours(False)
    start = time.perf_counter()
    theirs = [decision.evaluate(case)["result"] for case in inputs]
    zen_seconds = time.perf_counter() - start
    fast_seconds, fast = ours(False)
    traced_seconds, traced = ours(True)
    disagreements = sum(1 for z, d in zip(theirs, fast) if any(z[c] is not d.results.get(c) for c in CLASSES))
    disagreements += sum(1 for z, d in zip(theirs, traced) if any(z[c] is not d["klassifikation"][c]["resultat"] for c in CLASSES))
    n = len(batch)
    print(json.dumps({
        "sager": n,
        "zen_sekunder": zen_seconds, "zen_pr_sekund": n / zen_seconds,
        "lbf_uden_spor_sekunder": fast_seconds, "lbf_uden_spor_pr_sekund": n / fast_seconds,
        "lbf_med_spor_sekunder": traced_seconds, "lbf_med_spor_pr_sekund": n / traced_seconds,
        "forhold_uden_spor": zen_seconds / fast_seconds, "forhold_med_spor": zen_seconds / traced_seconds,
        "uenige": disagreements,
    }))
    if disagreements:
        sys.exit(f"ZEN og lbf-rules er uenige om {disagreements} sager")


if __name__ == "__main__":
    main()
