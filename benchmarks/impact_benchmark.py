"""Benchmark: `lbf-rules impact` over a generated corpus after one threshold change.

Run with `make benchmark` (100,000 cases) or `python benchmarks/impact_benchmark.py --antal N`.
Prints a table of wall-clock seconds and peak memory; the target for 100,000 cases is 30 s.
Everything runs in a temporary git repository holding a copy of rules/, so the working tree is
never touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "lbf-rules"
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}


def timed(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Seconds and peak memory (MB) of one run of the command line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        sys.exit(f"fejl i {' '.join(args[:2])}: {done.stderr.strip()}")
    return seconds, max(peak, before) / 1024, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--antal", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lbf-bench-") as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(ROOT / "rules", repo / "rules")
        for git_args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "regler"]):
            subprocess.run(["git", "-C", str(repo), *git_args], check=True, capture_output=True, env=GIT_ENV)
        rule = repo / "rules" / "almenboligloven" / "61a" / "udsat_boligomraade.yaml"
        rule.write_text(rule.read_text(encoding="utf-8").replace("              overstiger: 40\n", "              overstiger: 41\n", 1), encoding="utf-8")
        corpus = Path(tmp) / "korpus.jsonl"
        gen_s, gen_mb, _ = timed(["generate", "--antal", str(args.antal), "--seed", "1", "--ud", str(corpus)])
        imp_s, imp_mb, done = timed(["impact", "--base", "HEAD", "--regler", str(repo / "rules"), "--format", "json", str(corpus)])
        changed = done.stdout.split('"aendrede_sager": ')[1].split(",")[0]
    print(f"Maskine: {platform.machine()}, {os.cpu_count()} kerner, Python {platform.python_version()}")
    print(f"{'trin':<34}{'sager':>10}{'sekunder':>10}{'sager/s':>10}{'top-RSS MB':>12}")
    print(f"{'lbf-rules generate':<34}{args.antal:>10}{gen_s:>10.2f}{args.antal / gen_s:>10.0f}{gen_mb:>12.0f}")
    print(f"{'lbf-rules impact (2 regelsæt)':<34}{args.antal:>10}{imp_s:>10.2f}{args.antal / imp_s:>10.0f}{imp_mb:>12.0f}")
    print(f"ændrede sager: {changed}; mål: impact under 30 s for 100.000 sager -> {'OK' if imp_s < 30 or args.antal < 100_000 else 'OVERSKREDET'}")


if __name__ == "__main__":
    main()
