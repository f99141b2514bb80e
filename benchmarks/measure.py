"""One measurement in a process of its own; prints JSON with seconds, cases and peak RSS.

Used by benchmarks/run.py, so that each figure's peak memory is that measurement's alone.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(engine: str, trace: bool, count: int, rules: str) -> dict:
    from lbf_rules.evaluator import evaluate
    from lbf_rules.generate import corpus
    from lbf_rules.ruleset import load_ruleset

    ruleset = load_ruleset(Path(rules))
    cases = list(corpus(ruleset, count, seed=1))
    if engine == "durable":
        from lbf_rules.durable_engine import DurableEngine

        durable = DurableEngine(ruleset)
        run = durable.evaluate
        for case in cases[:20]:  # compile the rulesets for the common dates outside the timing
            run(case)
    else:
        def run(case):
            return evaluate(ruleset, case, trace=trace)
    start = time.perf_counter()
    for case in cases:
        run(case)
    seconds = time.perf_counter() - start
    in_force = sum(1 for r in ruleset.rules.values() if r.version_at(__import__("datetime").date(2022, 12, 1)))
    return {"seconds": seconds, "cases": count, "rules_in_force_2022": in_force}


def load(rules: str) -> dict:
    import os

    os.environ["LBF_NO_CACHE"] = "1"
    from lbf_rules.ruleset import load_ruleset

    start = time.perf_counter()
    load_ruleset(Path(rules))
    return {"seconds": time.perf_counter() - start}


def lint(rules: str) -> dict:
    from lbf_rules.lint import lint as run

    start = time.perf_counter()
    findings = run(Path(rules))
    return {"seconds": time.perf_counter() - start, "findings": len(findings)}


def main() -> None:
    task, *args = sys.argv[1:]
    if task == "throughput":
        out = throughput(args[0], args[1] == "trace", int(args[2]), args[3])
    elif task == "load":
        out = load(args[0])
    elif task == "lint":
        out = lint(args[0])
    else:
        sys.exit(f"unknown task {task}")
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
