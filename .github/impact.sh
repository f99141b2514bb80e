#!/usr/bin/env bash
# The impact report of a pull request as the job summary: which cases change outcome against the
# target branch, grouped by the rule version that caused it.
#
#   bash .github/impact.sh origin/main
#
# lbf-rules impact exits 0 when the report is written, 2 for bad input (a case file), 70 for an
# internal error. Anything but 0 fails the job with an error annotation; the report written so far
# still goes to the summary. LBF_RULES_BIN (default .venv/bin/lbf-rules) and LBF_IMPACT_ANTAL
# (default 20000 generated cases) can be set for a quick run.
set -uo pipefail
base="${1:?angiv målgrenen, fx origin/main}"
bin="${LBF_RULES_BIN:-.venv/bin/lbf-rules}"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

annotate() {  # one GitHub error annotation from a file's first lines (the message is escaped as GitHub wants)
    local text
    text="$(head -c 2000 "$2" | sed -e 's/%/%25/g' | tr '\n' ' ')"
    echo "::error title=Konsekvensrapport::$1: $text"
}

if ! "$bin" generate --antal "${LBF_IMPACT_ANTAL:-20000}" --seed 1 --ud "$tmp/korpus.jsonl" 2> "$tmp/fejl.txt"; then
    annotate "korpusset kunne ikke genereres" "$tmp/fejl.txt"
    exit 1
fi
"$bin" impact --base "$base" --jobs "${LBF_IMPACT_JOBS:-2}" cases "$tmp/korpus.jsonl" > "$tmp/rapport.md" 2> "$tmp/fejl.txt"
status=$?
cat "$tmp/rapport.md" >> "$summary"
cat "$tmp/fejl.txt" >&2
if [ "$status" -eq 70 ]; then
    annotate "intern fejl i lbf-rules impact (exit 70)" "$tmp/fejl.txt"
elif [ "$status" -ne 0 ]; then
    annotate "lbf-rules impact gav exit $status" "$tmp/fejl.txt"
fi
exit "$status"
