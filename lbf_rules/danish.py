"""Danish formatting of numbers, dates, periods and comparison words: one place, used by every layer.

Neutral on purpose: the evaluator, the node kinds and every renderer format the same way, and none
of them has to import a renderer to do it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
# The word a requirement uses for each operator ("over 40 %", "mindst 3 ×", ...).
OPERATOR_WORDS = {">": "over", "≥": "mindst", "<": "under", "≤": "højst"}
UNITS = {"procent": " %", "kroner": " kr.", "aar": " år"}


def danish_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def danish_period(valid_from: dt.date, valid_to: dt.date | None) -> str:
    """'fra 1. december 2018 til og med 29. november 2021' (valid_to is the first day not in force)."""
    text = f"fra {danish_date(valid_from)}"
    if valid_to:
        text += f" til og med {danish_date(valid_to - dt.timedelta(days=1))}"
    return text


def danish_number(value: float) -> str:
    """1453 → 1.453, 56.5 → 56,5, 1.98 → 1,98 (Danish separators, no float noise)."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if float(text) == 0 or (float(text) == round(value) and value != round(value)):
        text = format(Decimal(repr(value)), "f")  # never show a number as the whole number it is not
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def shown(value: object, limit: object = None) -> str:
    """A value for the reader: two decimals, unless that would hide how it compares with `limit`
    (24,9999999 % against a limit of 25 % is shown in full, not as 25 %)."""
    if not isinstance(value, float):
        return danish_number(value)  # type: ignore[arg-type]
    rounded = round(value, 2)
    if isinstance(limit, (int, float)) and (rounded == limit) != (value == limit) or (rounded == 0) != (value == 0):
        return danish_number(value)
    return danish_number(rounded)


def unit(kind: str | None) -> str:
    """' %' after percentages, ' kr.' after amounts, ' år' after years; nothing after counts."""
    return UNITS.get(kind or "", "")
