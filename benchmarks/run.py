"""The performance benchmarks: `make benchmark` (full sizes) or `python benchmarks/run.py --klein`.

Prints one table, each figure with its target where the project has one:
- `lbf-rules check` on one case as a new process, against the floor of starting Python and
  importing the dependencies it cannot do without (yaml, click, orjson), alternately, as medians
  and their ratio (target: at most 1.3);
- the CLI as a user runs it: `lbf-rules check --format json` as a process on a JSON Lines file of
  generated cases, with and without the trace, in one process and with `--jobs 2`, at 1,000 and
  100,000 cases so the cost per case can be seen to stay flat (targets: 20,000 cases/s without the
  trace and 8,000 with it, for the whole rule set; `--jobs 2` close to twice that);
- evaluation in the process, with and without the trace (target with the trace: 25,000 cases/s);
- GoRules ZEN beside lbf-rules on the same § 61 a / § 61 b decision (target: 5 × ZEN), when the
  optional `benchmark` extra is installed;
- loading and checking (lint) the whole rule repository;
- the impact report over 100,000 generated cases (target: at most 6 s);
- the HTTP service under load on loopback;
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
LBF = str(BIN / "lbf-rules")
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
TIME = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []  # peak RSS of a command, in KB


def number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def row(what: str, cases: str = "", seconds: str = "", rate: str = "", peak: str = "", target: str = "") -> None:
    print(f"  {what:<58}{cases:>9}{seconds:>10}{rate:>11}{peak:>8}  {target}", flush=True)


def measure(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "measure.py"), *args], capture_output=True, text=True, env=os.environ)
    if done.returncode != 0:
        sys.exit(f"benchmark {' '.join(args)} fejlede: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def timed(cmd: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, peak MB and the result of one command."""
    start = time.perf_counter()
    done = subprocess.run([*TIME, *cmd], stdout=kwargs.pop("stdout", subprocess.DEVNULL), stderr=subprocess.PIPE, text=True, **kwargs)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} fejlede ({done.returncode}): {done.stderr.strip()[-500:]}")
    peak = int(done.stderr.strip().splitlines()[-1]) / 1024 if TIME else float("nan")
    return seconds, peak, done


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - start


def startup(runs: int) -> None:
    # An installed wheel has its bytecode compiled by pip; a checkout gets it here (PYTHONDONTWRITEBYTECODE
    # would otherwise make every run compile lbf_rules from source, a third of the start-up).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lbf_rules")], check=True)
    check = [LBF, "check", str(ROOT / "cases" / "reelle" / "agervang-2014.yaml")]
    floor = [sys.executable, "-c", "import yaml, click, orjson"]
    wall(check)  # warm the rule cache once, as every later run of a caseworker finds it
    checks, floors = [], []
    for _ in range(runs):
        floors.append(wall(floor))
        checks.append(wall(check))
    ratio = statistics.median(checks) / statistics.median(floors)
    row("python -c 'import yaml, click, orjson' (gulv)", "1", number(statistics.median(floors), 3))
    row("lbf-rules check, én sag, ny proces", "1", number(statistics.median(checks), 3), "", "", f"{number(ratio, 2)} × gulvet (mål ≤ 1,3)")


def cli_batches(tmp: Path, sizes: list[int]) -> None:
    """The CLI as a process on JSON Lines, JSON Lines out: what a case system or a batch job runs."""
    for n in sizes:
        corpus = tmp / f"korpus-{n}.jsonl"
        with corpus.open("w") as out:
            subprocess.run([LBF, "generate", "--antal", str(n), "--seed", "1"], stdout=out, check=True)
        for label, flags, target in (
            ("med spor", [], 8000),
            ("uden spor", ["--uden-spor"], 20000),
            ("med spor, --jobs 2", ["--jobs", "2"], 16000),
            ("uden spor, --jobs 2", ["--uden-spor", "--jobs", "2"], 40000),
        ):
            seconds, peak, _ = timed([LBF, "check", "--format", "json", *flags, str(corpus)])
            rate = n / seconds
            row(f"lbf-rules check --format json, {label}", number(n), number(seconds, 2), number(rate), number(peak),
                f"mål {number(target)}/s: {number(rate / target * 100)} %")


def in_process(sizes: list[int], durable_sizes: list[int], few: Path) -> None:
    for trace in ("trace", "notrace"):
        for n in sizes:
            m = measure("throughput", "standard", trace, str(n), str(ROOT / "rules"))
            target = "mål 25.000/s" if trace == "trace" else ""
            row(f"i processen, {'med' if trace == 'trace' else 'uden'} spor ({m['rules_in_force_2022']} regler 2022)", number(n),
                number(m["seconds"], 2), number(n / m["seconds"]), number(m["peak_mb"]), target)
    for n in sizes[:1]:
        m = measure("throughput", "standard", "trace", str(n), str(few))
        row(f"i processen, med spor, kun klassifikation ({m['rules_in_force_2022']} regler)", number(n), number(m["seconds"], 2),
            number(n / m["seconds"]), number(m["peak_mb"]))
    for n in durable_sizes:
        m = measure("throughput", "durable", "notrace", str(n), str(ROOT / "rules"))
        row(f"durable-rules-motoren ({m['rules_in_force_2022']} regler 2022)", number(n), number(m["seconds"], 2),
            number(n / m["seconds"]), number(m["peak_mb"]))


def zen(n: int) -> None:
    try:
        import zen as _  # noqa: F401
    except ImportError:
        row("GoRules ZEN: ikke installeret (pip install '.[benchmark]')")
        return
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "zen_sammenligning.py"), "--antal", str(n)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"ZEN-sammenligningen fejlede: {done.stderr.strip()[-500:]}")
    m = json.loads(done.stdout)
    row("GoRules ZEN (Python-binding), § 61 a + § 61 b", number(n), number(m["zen_sekunder"], 2), number(m["zen_pr_sekund"]))
    row("lbf-rules, samme afgørelse, uden spor", number(n), number(m["lbf_uden_spor_sekunder"], 2), number(m["lbf_uden_spor_pr_sekund"]),
        "", f"{number(m['forhold_uden_spor'], 1)} × ZEN")
    row("lbf-rules, samme afgørelse, med spor", number(n), number(m["lbf_med_spor_sekunder"], 2), number(m["lbf_med_spor_pr_sekund"]),
        "", f"{number(m['forhold_med_spor'], 1)} × ZEN (mål ≥ 5); {m['uenige']} uenige sager")


def repository() -> None:
    m = measure("load", str(ROOT / "rules"))
    row("indlæs og kontrollér regelmappen (uden cache)", "", number(m["seconds"], 3), "", number(m["peak_mb"]))
    m = measure("lint", str(ROOT / "rules"))
    row(f"lbf-rules lint af regelmappen ({m['findings']} fund)", "", number(m["seconds"], 3), "", number(m["peak_mb"]))


def impact(tmp: Path, n: int) -> None:
    """Impact over a generated corpus after one threshold change, in a git repository of its own."""
    repo = tmp / "repo"
    shutil.copytree(ROOT / "rules", repo / "rules")
    for git_args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "regler"]):
        subprocess.run(["git", "-C", str(repo), *git_args], check=True, capture_output=True, env=GIT_ENV)
    rule = repo / "rules" / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("              overstiger: 40\n", "              overstiger: 41\n", 1), encoding="utf-8")
    corpus = tmp / "impact.jsonl"
    subprocess.run([LBF, "generate", "--antal", str(n), "--ud", str(corpus)], check=True, capture_output=True)
    for jobs in ("1", "2"):
        command = [LBF, "impact", "--base", "HEAD", "--regler", str(repo / "rules"), "--format", "json", "--jobs", jobs, str(corpus)]
        seconds, peak, done = timed(command, stdout=subprocess.PIPE)
        changed = json.loads(done.stdout)["aendrede_sager"]
        row(f"lbf-rules impact --jobs {jobs}, 2 regelsæt ({number(changed)} sager ændret)", number(n), number(seconds, 2), number(n / seconds),
            number(peak), "mål ≤ 6 s for 100.000" if n == 100_000 else "")


def service(requests: int, connections: int) -> None:
    """The HTTP service under load, on loopback."""
    for trace in (True, False):
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--antal", str(requests), "--forbindelser", str(connections),
                               *([] if trace else ["--uden-spor"])], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"belastningstesten fejlede: {done.stderr.strip()[-500:]}")
        m = json.loads(done.stdout)
        row(f"lbf-rules serve, POST /v1/vurdering, {'med' if trace else 'uden'} spor, {connections} forb.", number(m["anmodninger"]),
            number(m["sekunder"], 2), number(m["pr_sekund"]), number(m["rss_slut_mb"]),
            f"p50 {number(m['p50_ms'], 1)} ms, p99 {number(m['p99_ms'], 1)} ms, fejl {m['fejl']}")
        if m["fejl"] or m["ikke_sendt"]:
            sys.exit(f"belastningstesten gav {m['fejl']} fejl og nåede ikke {m['ikke_sendt']} anmodninger")


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from zen_sammenligning import classification_rules

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--klein", action="store_true", help="små størrelser (til CI), så benchmarken ikke rådner")
    args = parser.parse_args()
    small = args.klein
    print(f"Maskine: {platform.machine()}, {os.cpu_count()} kerner, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}")
    row("måling", "sager", "sekunder", "sager/s", "top MB", "mål")
    startup(3 if small else 15)
    with tempfile.TemporaryDirectory(prefix="lbf-bench-") as name:
        tmp = Path(name)
        cli_batches(tmp, [1000] if small else [1000, 100_000])
        in_process([1000] if small else [1000, 10_000], [200] if small else [1000], classification_rules(tmp))
        zen(1000 if small else 20_000)
        repository()
        impact(tmp, 2000 if small else 100_000)
    service(*((1000, 8) if small else (20_000, 32)))


if __name__ == "__main__":
    main()
