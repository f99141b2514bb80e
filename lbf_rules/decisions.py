"""One decision as the bytes every interface gives out.

`lbf-rules check --format json` prints these bytes (one line per case) and the HTTP service
(`lbf-rules serve`) answers with them, so a case system gets exactly what the command line gives.
"""

from __future__ import annotations

import datetime as dt

from .evaluator import evaluate
from .jsonout import dumps
from .ruleset import Ruleset


def decision_json(decision: dict) -> bytes:
    """A decision as one line of compact UTF-8 JSON, ending in a newline."""
    return dumps(decision) + b"\n"


def decision_bytes(ruleset: Ruleset, case: dict, day: dt.date | None = None, trace: bool = True) -> bytes:
    """The decision JSON for one case that has passed lbf_rules.cases.check_case."""
    return decision_json(evaluate(ruleset, case, day, trace))
