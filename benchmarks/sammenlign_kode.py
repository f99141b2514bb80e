"""Does a change of the code change any decision? Runs the code of a git revision and the code of
the working tree on the same rules (the revision's) and the same cases, and compares every output
byte for byte: JSON with and without the trace, at the case's date and at another date, and text.

    .venv/bin/python benchmarks/sammenlign_kode.py --base 278cfbd [--antal 20000]

For legal changes use `lbf-rules impact` (same code, two rule sets); this is the other direction
(same rules, two versions of the code). Differences the change makes on purpose are named with
--tilladt (e.g. `aendringer-uden-spor`: the nearest changes are now also given without the trace).
Exit status 0 when nothing else differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"aendringer-uden-spor": "uden spor giver den nye kode også 'aendringer' (de nærmeste ændringer)"}


def archive(ref: str, dest: Path) -> None:
    """The revision's package, rules and schemas, unpacked (git archive, no checkout)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "--end-of-options", ref,
                           "lbf_rules", "rules", "schemas"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")


def run(code: Path | None, rules: Path, args: list[str]) -> bytes:
    """`lbf-rules ARGS` with the package at `code` (None: the working tree's)."""
    prefix = [] if code is None else [f"import sys; sys.path.insert(0, {str(code)!r})"]
    script = "; ".join(prefix + ["from lbf_rules.cli import run", "sys.argv[0] = 'lbf-rules'", "run()"])
    env = {"LBF_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", "import sys; " + script, *args, "--regler", str(rules)],
                          capture_output=True, env=env, cwd=ROOT)
    if done.returncode not in (0, 2):
        sys.exit(f"lbf-rules {' '.join(args)} fejlede ({done.returncode}): {done.stderr.decode()[-400:]}")
    return done.stdout


def without_changes(line: bytes) -> bytes:
    document = json.loads(line)
    document.pop("aendringer", None)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="git-revisionen, hvis kode sammenlignes med arbejdstræets")
    parser.add_argument("--antal", type=int, default=20000, help="antal genererede sager ud over cases/")
    parser.add_argument("--tilladt", action="append", default=[], choices=sorted(ALLOWED))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        archive(args.base, base)
        rules = base / "rules"
        corpus = Path(tmp) / "korpus.jsonl"
        corpus.write_bytes(run(None, rules, ["generate", "--antal", str(args.antal), "--seed", "7"]))
        inputs = {"cases/": str(ROOT / "cases"), f"{args.antal} genererede": str(corpus)}
        variants = {
            "json med spor": ["--format", "json"],
            "json uden spor": ["--format", "json", "--uden-spor"],
            "json pr. 2021-06-01": ["--format", "json", "--dato", "2021-06-01"],
            "tekst": [],
        }
        differing = 0
        for label, path in inputs.items():
            for variant, flags in variants.items():
                old = run(base, rules, ["check", path, *flags]).splitlines()
                new = run(None, rules, ["check", path, *flags]).splitlines()
                if "uden spor" in variant and "aendringer-uden-spor" in args.tilladt:
                    new = [without_changes(line) for line in new]
                same = len(old) == len(new) and all(a == b for a, b in zip(old, new))
                count = sum(1 for a, b in zip(old, new) if a != b) + abs(len(old) - len(new))
                print(f"{'✓' if same else '✗'} {label}, {variant}: {len(new)} linjer, {count} forskellige")
                differing += count
        for name in args.tilladt:
            print(f"  tilladt forskel: {ALLOWED[name]}")
    raise SystemExit(1 if differing else 0)


if __name__ == "__main__":
    main()
