"""The performance benchmarks: `make benchmark` (full sizes) or `python benchmarks/run.py --klein`.

Prints one table:
- `lbf-rules check` on one case as a new process, against the floor of starting Python and
  importing the dependencies, measured alternately, as medians and their ratio (aim: ≤ 1.5);
- evaluation throughput per engine, with and without the trace, at 1,000 / 10,000 / 100,000
  cases, and with the classification rules only (fewer rules) to show how cost grows with rules;
- loading and checking (lint) the whole rule repository;
- the impact report over 100,000 generated cases (aim: < 30 s);
- the HTTP service (`lbf-rules serve` on loopback) under load: 20,000 requests at 32 connections,
  with and without the trace, with throughput, p50/p99 latency, errors (must be 0) and the
  server's memory at start and end (benchmarks/load.py);
- peak memory of each measurement (each runs in a process of its own).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
ROWS: list[tuple[str, str, str, str, str]] = []


def row(what: str, cases: str, seconds: str, rate: str, peak: str) -> None:
    ROWS.append((what, cases, seconds, rate, peak))
    print(f"  {what:<52}{cases:>9}{seconds:>11}{rate:>12}{peak:>10}", flush=True)


def measure(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "measure.py"), *args], capture_output=True, text=True, env=os.environ)
    if done.returncode != 0:
        sys.exit(f"benchmark {' '.join(args)} fejlede: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - start


def classification_only(tmp: Path) -> Path:
    """A copy of rules/ with only the § 61 a / § 61 b classification rules."""
    rules = tmp / "kun-klassifikation"
    shutil.copytree(ROOT / "rules", rules)
    shutil.rmtree(rules / "lbf")
    shutil.rmtree(rules / "almenboligloven" / "91a")
    (rules / "almenboligloven" / "61a" / "officiel_liste.yaml").unlink()
    for param in rules.glob("parametre/*.yaml"):
        if param.name != "landsgennemsnit_doemte_pct.yaml":
            param.unlink()
    meta = (rules / "regelsaet.yaml").read_text(encoding="utf-8")
    (rules / "regelsaet.yaml").write_text(meta.split("stoetteberettiget:")[0], encoding="utf-8")
    return rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--klein", action="store_true", help="små størrelser (til CI), så benchmarken ikke rådner")
    args = parser.parse_args()
    sizes = [200, 1000] if args.klein else [1000, 10_000, 100_000]
    durable_sizes = [200] if args.klein else [1000, 10_000]
    impact_size = 2000 if args.klein else 100_000
    runs = 3 if args.klein else 15

    print(f"Maskine: {platform.machine()}, {os.cpu_count()} kerner, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}")
    print(f"  {'måling':<52}{'sager':>9}{'sekunder':>11}{'sager/s':>12}{'top MB':>10}")

    # 1. One case end to end against the import floor, alternately.
    check = [str(BIN / "lbf-rules"), "check", str(ROOT / "cases" / "reelle" / "agervang-2014.yaml")]
    floor = [sys.executable, "-c", "import yaml, click, jsonschema"]
    wall(check)  # warm the rule cache once, as every later run of a caseworker finds it
    checks, floors = [], []
    for _ in range(runs):
        floors.append(wall(floor))
        checks.append(wall(check))
    ratio = statistics.median(checks) / statistics.median(floors)
    row("python -c 'import yaml, click, jsonschema' (gulv)", "1", f"{statistics.median(floors):.3f}", "", "")
    row(f"lbf-rules check, én sag, ny proces (forhold {ratio:.2f})", "1", f"{statistics.median(checks):.3f}", "", "")

    with tempfile.TemporaryDirectory(prefix="lbf-bench-") as tmp_name:
        tmp = Path(tmp_name)
        few = classification_only(tmp)
        # 2. Throughput.
        for engine, trace in (("standard", "trace"), ("standard", "notrace")):
            for n in sizes:
                m = measure("throughput", engine, trace, str(n), str(ROOT / "rules"))
                label = f"standardmotor, {'med' if trace == 'trace' else 'uden'} spor ({m['rules_in_force_2022']} regler 2022)"
                row(label, f"{n:,}".replace(",", "."), f"{m['seconds']:.2f}", f"{n / m['seconds']:,.0f}".replace(",", "."), f"{m['peak_mb']:.0f}")
        for n in sizes[:2]:
            m = measure("throughput", "standard", "trace", str(n), str(few))
            row(f"standardmotor, med spor, kun klassifikation ({m['rules_in_force_2022']} regler)", f"{n:,}".replace(",", "."), f"{m['seconds']:.2f}", f"{n / m['seconds']:,.0f}".replace(",", "."), f"{m['peak_mb']:.0f}")
        for n in durable_sizes:
            m = measure("throughput", "durable", "notrace", str(n), str(ROOT / "rules"))
            row(f"durable-rules-motor ({m['rules_in_force_2022']} regler 2022)", f"{n:,}".replace(",", "."), f"{m['seconds']:.2f}", f"{n / m['seconds']:,.0f}".replace(",", "."), f"{m['peak_mb']:.0f}")
        # 3. Loading and checking the repository.
        m = measure("load", str(ROOT / "rules"))
        row("indlæs og kontrollér regelmappen (uden cache)", "", f"{m['seconds']:.3f}", "", f"{m['peak_mb']:.0f}")
        m = measure("lint", str(ROOT / "rules"))
        row(f"lbf-rules lint af regelmappen ({m['findings']} fund)", "", f"{m['seconds']:.3f}", "", f"{m['peak_mb']:.0f}")
        # 4. Impact over a generated corpus after one threshold change.
        repo = tmp / "repo"
        shutil.copytree(ROOT / "rules", repo / "rules")
        for git_args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "regler"]):
            subprocess.run(["git", "-C", str(repo), *git_args], check=True, capture_output=True, env=GIT_ENV)
        rule = repo / "rules" / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
        rule.write_text(rule.read_text(encoding="utf-8").replace("              overstiger: 40\n", "              overstiger: 41\n", 1), encoding="utf-8")
        corpus_file = tmp / "korpus.jsonl"
        subprocess.run([str(BIN / "lbf-rules"), "generate", "--antal", str(impact_size), "--ud", str(corpus_file)], check=True, capture_output=True)
        timed = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
        start = time.perf_counter()
        done = subprocess.run([*timed, str(BIN / "lbf-rules"), "impact", "--base", "HEAD", "--regler", str(repo / "rules"), "--format", "json", str(corpus_file)], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        peak = f"{int(done.stderr.strip().splitlines()[-1]) / 1024:.0f}" if timed else ""
        changed = json.loads(done.stdout)["aendrede_sager"]
        row(f"lbf-rules impact, 2 regelsæt ({changed} sager ændret)", f"{impact_size:,}".replace(",", "."), f"{seconds:.2f}", f"{impact_size / seconds:,.0f}".replace(",", "."), peak)
    # 5. The HTTP service under load, on loopback.
    requests, connections = (1000, 8) if args.klein else (20_000, 32)
    for trace in (True, False):
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--antal", str(requests), "--forbindelser", str(connections),
                               *([] if trace else ["--uden-spor"])], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"belastningstesten fejlede: {done.stderr.strip()[-500:]}")
        m = json.loads(done.stdout)
        row(f"lbf-rules serve, POST /v1/vurdering, {'med' if trace else 'uden'} spor, {connections} forb.", f"{m['anmodninger']:,}".replace(",", "."),
            f"{m['sekunder']:.2f}", f"{m['pr_sekund']:,.0f}".replace(",", "."), f"{m['rss_slut_mb']:.0f}")
        print(f"      p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms, fejl {m['fejl']}, ikke sendt {m['ikke_sendt']}, "
              f"hukommelse {m['rss_start_mb']:.0f} MB ved start, {m['rss_slut_mb']:.0f} MB til sidst", flush=True)
        if m["fejl"] or m["ikke_sendt"]:
            sys.exit(f"belastningstesten gav {m['fejl']} fejl og nåede ikke {m['ikke_sendt']} anmodninger")
    print(f"Mål: check ≤ 1,5 × gulv -> {ratio:.2f}; impact < 30 s for 100.000 sager -> {seconds:.1f} s" + (" (lille kørsel)" if args.klein else ""))


if __name__ == "__main__":
    main()
