"""JSON out, fast and byte for byte what `json.dumps(..., ensure_ascii=False, separators=(",", ":"))`
writes, so a decision's bytes (and a case's hash) do not depend on which encoder ran.

orjson is the encoder (measured against the standard library and msgspec on decisions with their
trace, see docs/ydelse.md). It writes two things differently from the standard library, and those
documents are written by the standard library instead: integers beyond 64 bits (orjson refuses
them) and floats under 0.0001 (orjson writes `0.00001` and `1.5e-6` where Python writes `1e-05` and
`1.5e-06`). `tests/test_jsonout.py` checks the two agree on floats of every magnitude.
"""

from __future__ import annotations

import json
import re

import orjson

# A number under 0.0001 as orjson writes it, after a key, a comma or a bracket. Text inside a string
# can match too (a name like "a,0.00001"): then the standard library writes it, slower but still right.
_TINY = re.compile(rb'(?:":|[,\[])-?(?:0\.0000|[0-9]+(?:\.[0-9]+)?e-[0-9](?![0-9]))')


def dumps(value: object) -> bytes:
    """Compact JSON as UTF-8 bytes (no trailing newline)."""
    try:
        out = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return _standard(value, False)
    return _standard(value, False) if _tiny(out) else out


def canonical(value: object) -> bytes:
    """Compact JSON with sorted keys (for content hashes)."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return _standard(value, True)
    return _standard(value, True) if _tiny(out) else out


def _tiny(out: bytes) -> bool:
    """Whether orjson wrote a float under 0.0001 ("0.00001" or "1.5e-6"). Substring scans first: the
    regex runs only where one of them is found (Danish text has "e-" in words like "ikke-vestlige")."""
    if b"0.0000" in out:
        return _TINY.search(out) is not None
    at = out.find(b"e-")
    while at != -1:
        if 0 < at and out[at - 1] in _DIGITS and out[at + 2 : at + 3] in _DIGIT_SET and out[at + 3 : at + 4] not in _DIGIT_SET:
            return _TINY.search(out) is not None
        at = out.find(b"e-", at + 2)
    return False


_DIGITS = b"0123456789"
_DIGIT_SET = {bytes([d]) for d in _DIGITS}


def _standard(value: object, sort_keys: bool) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":")).encode("utf-8")
