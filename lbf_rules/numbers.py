"""Numbers read exactly from their text, the way Danes write them, or refused with a reason.

One input layer for every number that enters lbf-rules:

- `literal(text)`: a number token in a YAML or JSON file. Integers have at most 15 digits; a
  decimal number must round-trip through a double (its text and the double's shortest form are the
  same decimal), which every number of at most 15 significant digits does. So numbers compared by
  the evaluator are exactly the numbers written: `999.99999999999999999` is refused instead of
  becoming 1000, `50.0000000000000001` instead of becoming 50.
- `parse(text, kind)`: a number as a person types it (command-line options, the self-check form):
  decimal comma or point, a trailing "%" on a percentage, "kr." or ",-" after an amount, and
  thousands separators (point or space, in groups of three) only where a count or an amount is
  meant. Anything ambiguous ("1.200" as a percentage: 1200 or 1,2?) or not a number is refused.
- `whole_number_problem(...)`: why a decimal written where a count or an amount belongs is refused,
  in particular the Danish thousands point in YAML (`beboere: 2.000` is 2 in YAML, not 2000).

Every refusal is a `NumberError` with a Danish message and a short reason code; the codes are the
language-neutral part of the test vectors in `tests/conformance/tal.yaml`.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15  # a double holds every decimal of up to 15 significant digits exactly (DBL_DIG)
MAX_TEXT = 64  # longer text is refused before any digit is looked at
KINDS = {"antal": "Et antal", "kroner": "Et beløb", "procent": "En procent", "tal": "Et tal"}
WHOLE_KINDS = {"antal", "kroner"}

_SPACES = "\u00a0\u202f\u2009 "  # space, no-break space, narrow no-break space, thin space
_DIGITS = re.compile(r"[0-9]+")
_GROUPED = {".": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+"), " ": re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+")}
_PLAIN = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"([0-9]+)([.,])([0-9]+)")


class NumberError(ValueError):
    """A number that cannot be read exactly; `reason` is a stable code, the message is Danish."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def shown(text: str) -> str:
    """The text quoted for a message, shortened and without control characters."""
    from .escape import plain

    return f"'{plain(text, 40)}'"


def significant_digits(digits: str) -> int:
    """Significant digits of a string of digits (leading and trailing zeros do not count)."""
    stripped = digits.lstrip("0").rstrip("0")
    return len(stripped)


def _too_many(text: str, count: int) -> NumberError:
    return NumberError(
        "for_mange_cifre",
        f"{shown(text)} har {count} betydende cifre; højst {MAX_DIGITS} kan sammenlignes præcist, "
        "så tallet afvises i stedet for at blive afrundet",
    )


def literal(text: str) -> int | float:
    """A YAML or JSON number token as an int or a float, exactly as written, or NumberError."""
    body = text.lstrip("+-")
    if "." in body or "e" in body or "E" in body:
        return decimal_literal(text)
    return integer_literal(text)


def integer_literal(text: str) -> int:
    """An integer token: at most 15 digits (so it is exact in a double as well), never a 5,000-digit
    string handed to int()."""
    digits = len(text.lstrip("+-").lstrip("0"))
    if digits > MAX_DIGITS:
        raise _too_many(text, digits)
    return int(text)


def decimal_literal(text: str) -> float:
    """A decimal token as a float, only when the float is exactly the decimal written."""
    if len(text) <= MAX_DIGITS + 1 and "e" not in text and "E" not in text:  # ≤ 15 digits: exact by DBL_DIG
        value = float(text)
        if not math.isfinite(value):
            raise NumberError("ikke_endeligt", f"{shown(text)} er ikke et endeligt tal")
        return value
    mantissa = text.lstrip("+-").lower().split("e")[0].replace(".", "")
    count = significant_digits(mantissa)
    if count > MAX_DIGITS + 2 or len(text) > 400:
        raise _too_many(text, count)
    value = float(text)
    if not math.isfinite(value):
        raise NumberError("ikke_endeligt", f"{shown(text)} er ikke et endeligt tal")
    try:
        exact = Decimal(text) == Decimal(repr(value))
    except InvalidOperation:
        exact = False
    if not exact:
        if count > MAX_DIGITS:
            raise _too_many(text, count)
        raise NumberError("ikke_praecist", f"{shown(text)} kan ikke gemmes præcist som et tal (for stor eller for lille eksponent)")
    return value


def whole_number_problem(value: float, text: str | None, what: str = "et helt tal") -> str:
    """Why a number written with decimals is refused where a whole number belongs (`what`: "et
    antal", "et beløb i hele kroner", "et årstal"); `text` is how it was written, when known."""
    written = text or repr(value)
    if text and re.fullmatch(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", text):
        whole = text.replace(".", "")
        return (
            f"{shown(text)} ligner et tal med dansk tusindtalspunktum, men i YAML er punktum decimaltegnet, "
            f"så det ville blive læst som {_plain_number(value)}; skriv {whole} uden punktum"
        )
    if float(value).is_integer():
        return f"{shown(written)} er skrevet med decimaler, men feltet er {what}: skriv {int(value)}"
    return f"{shown(written)} er ikke et helt tal, men feltet er {what}"


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value).replace(".", ",")


def parse(text: str, kind: str) -> int | float:
    """A number as a person types it, for a field of `kind` (antal, kroner, procent or tal)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    raw = text
    if len(text) > MAX_TEXT:
        if re.fullmatch(r"[-+−]?[0-9.,\s%]+", text):
            raise _too_many(text, significant_digits(re.sub(r"[^0-9]", "", text)))
        raise NumberError("ikke_tal", f"{shown(text)} er for langt til at være et tal")
    text = text.strip(_SPACES + "\t")
    if not text:
        raise NumberError("tom", "der er ikke skrevet noget tal")
    negative = text[0] in "-−"
    if text[0] in "-−+":
        text = text[1:].lstrip(_SPACES)
    text = _strip_unit(raw, text, kind)
    value: int | float
    if kind in WHOLE_KINDS:
        value = _whole(raw, text, kind)
    else:
        value = _decimal(raw, text, kind)
    if negative and value != 0:
        if kind != "tal":
            ending = "" if kind == "procent" else "t"
            raise NumberError("negativ", f"{shown(raw)} er negativt; {KINDS[kind].lower()} kan ikke være negativ{ending}")
        value = -value
    return value


def _strip_unit(raw: str, text: str, kind: str) -> str:
    if text.endswith("%"):
        if kind != "procent":
            raise NumberError("enhed", f"{shown(raw)} har et procenttegn, men {KINDS[kind].lower()} er ikke en procent")
        return text[:-1].rstrip(_SPACES)
    if kind == "kroner":
        for unit in (",-", "kr.", "kr"):
            if text.lower().endswith(unit):
                return text[: -len(unit)].rstrip(_SPACES)
    return text


def _check_digits(raw: str, digits: str) -> None:
    count = significant_digits(digits)
    if count > MAX_DIGITS or len(digits) > MAX_DIGITS + 3:
        raise _too_many(raw, count)


def _not_a_number(raw: str, kind: str) -> NumberError:
    example = {"antal": "1200 eller 1.200", "kroner": "140000000 eller 140.000.000", "procent": "45,2 eller 45,2 %", "tal": "0,66"}[kind]
    return NumberError("ikke_tal", f"{shown(raw)} er ikke {KINDS[kind].lower()} (skriv fx {example})")


def _whole(raw: str, text: str, kind: str) -> int:
    """A count or an amount: digits, optionally grouped by point or space; an amount may end in ',00'."""
    what = KINDS[kind]
    body, comma, fraction = text.partition(",")
    if comma:
        if not _DIGITS.fullmatch(fraction):
            raise _not_a_number(raw, kind)
        if kind == "kroner" and set(fraction) == {"0"}:
            text = body
        else:
            raise NumberError(
                "ikke_helt",
                f"{shown(raw)} har et decimalkomma; {what.lower()} skal være et helt tal" + (" (hele kroner)" if kind == "kroner" else ""),
            )
    if _PLAIN.fullmatch(text):
        _check_digits(raw, text)
        return int(text)
    for separator, pattern in _GROUPED.items():
        if pattern.fullmatch(text):
            digits = text.replace(separator, "")
            _check_digits(raw, digits)
            return int(digits)
    if re.fullmatch(r"[0-9]+\.[0-9]+", text):
        head, _, tail = text.partition(".")
        if len(head) > 3 or len(tail) != 3 or head.startswith("0"):
            raise NumberError(
                "ikke_helt",
                f"{shown(raw)} ligner et tal med decimalpunktum; {what.lower()} skal være et helt tal, "
                "og punktum bruges kun som tusindtalsskilletegn (fx 140.000.000)",
            )
    if re.fullmatch(r"[0-9. \u00a0\u202f\u2009]+", text):
        raise NumberError(
            "tusindtal",
            f"{shown(raw)} har tusindtalsskilletegn de forkerte steder; skriv grupper på tre cifre (fx 1.200 eller 140.000.000)",
        )
    raise _not_a_number(raw, kind)


def _decimal(raw: str, text: str, kind: str) -> int | float:
    """A percentage or another decimal number: one decimal comma or point, no thousands separators."""
    if _PLAIN.fullmatch(text):
        _check_digits(raw, text)
        return int(text)
    found = _DECIMAL.fullmatch(text)
    if found is None:
        if re.fullmatch(r"[0-9]+(?:[.,][0-9]+){2,}|[0-9]+(?:[ \u00a0\u202f\u2009][0-9]+)+", text):
            raise NumberError("tusindtal", f"{shown(raw)} har tusindtalsskilletegn, som ikke bruges i en procent eller et decimaltal")
        raise _not_a_number(raw, kind)
    whole, separator, fraction = found.groups()
    if separator == "." and len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        raise NumberError(
            "tvetydig",
            f"{shown(raw)} er tvetydigt: punktum kan være tusindtalsskilletegn ({whole}{fraction}) eller decimaltegn "
            f"({whole},{fraction}); skriv {whole},{fraction} med komma eller {whole}{fraction} uden punktum",
        )
    _check_digits(raw, whole + fraction)
    return float(f"{whole}.{fraction}")
