"""What a fact's value can be besides a plain number: a value known only within bounds.

Real rows say "<50" or "over 1.000"; a case writes `{over: 50}`. Comparisons with such a value
are decided only when the bounds decide them, otherwise they are undetermined (three-valued).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Bound:
    """A value known only within bounds, e.g. `{over: 50}` (the source says "over 50 %").

    Bounds are strict unless marked inclusive: a whole count "over 999" is at least 1000.
    """

    over: float | None = None
    under: float | None = None
    over_inclusive: bool = False
    under_inclusive: bool = False

    @classmethod
    def from_data(cls, data: dict, whole: bool) -> Bound:
        """`{over: a, under: b}` from a case; for whole counts the bounds become inclusive integers."""
        over, under = data.get("over"), data.get("under")
        if whole:
            return cls(None if over is None else over + 1, None if under is None else under - 1, True, True)
        return cls(over, under)

    def as_data(self) -> dict:
        out = {}
        if self.over is not None:
            out["mindst" if self.over_inclusive else "over"] = self.over
        if self.under is not None:
            out["hoejst" if self.under_inclusive else "under"] = self.under
        return out


def compare(op: str, value: float | Bound, limit: float) -> bool | None:
    """Compare a value (or bounds on it) with a limit; None when the bounds do not decide it."""
    if not isinstance(value, Bound):
        if op == ">":
            return value > limit
        if op == "≥":
            return value >= limit
        if op == "<":
            return value < limit
        return value <= limit
    lo, hi = value.over, value.under
    surely_ge = lo is not None and lo >= limit
    surely_gt = lo is not None and (lo > limit or lo == limit and not value.over_inclusive)
    surely_le = hi is not None and hi <= limit
    surely_lt = hi is not None and (hi < limit or hi == limit and not value.under_inclusive)
    yes, no = {
        ">": (surely_gt, surely_le),
        "≥": (surely_ge, surely_lt),
        "<": (surely_lt, surely_ge),
        "≤": (surely_le, surely_gt),
    }[op]
    return True if yes else False if no else None


def scale(value: float, factor: float) -> float:
    """value × factor in decimal arithmetic, so 3 × 0.66 is exactly the 1.98 written in a case."""
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


def exact(value: float) -> Fraction:
    """A number as the exact decimal it was written as (an int, or a float read from ≤ 15 digits)."""
    return Fraction(value) if isinstance(value, int) else Fraction(Decimal(repr(value)))
