"""The one number layer: the language-neutral table in tests/conformance/tal.yaml, the exactness of
numbers read from YAML and JSON, and properties over generated numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lbf_rules import numbers
from lbf_rules.numbers import NumberError
from lbf_rules.yamlio import load_one

TABLE = load_one(Path(__file__).resolve().parent / "conformance" / "tal.yaml").data["tilfaelde"]


def test_the_table_covers_every_kind_and_every_reason():
    assert {row["art"] for row in TABLE} == set(numbers.KINDS)
    assert {row["afvist"] for row in TABLE if "afvist" in row} == {
        "tom", "ikke_tal", "ikke_helt", "tusindtal", "tvetydig", "negativ", "enhed", "for_mange_cifre"}


@pytest.mark.parametrize("row", TABLE, ids=[f"{r['art']}:{r['tekst']!r}" for r in TABLE])
def test_conformance_table(row):
    if "vaerdi" in row:
        value = numbers.parse(row["tekst"], row["art"])
        assert value == row["vaerdi"] and type(value) is type(row["vaerdi"])
    else:
        with pytest.raises(NumberError) as refused:
            numbers.parse(row["tekst"], row["art"])
        assert refused.value.reason == row["afvist"]
        assert refused.value.message and "\n" not in refused.value.message


LITERALS = [
    ("1453", 1453), ("0.1", 0.1), ("56.5", 56.5), ("0.30000000000000004", 0.30000000000000004), ("1e3", 1000.0),
    ("999.99999999999999999", "for_mange_cifre"), ("50.0000000000000001", "for_mange_cifre"), ("9" * 16, "for_mange_cifre"),
    ("9" * 5000, "for_mange_cifre"), ("1e400", "ikke_endeligt"), ("1e-400", "ikke_praecist"),
]


@pytest.mark.parametrize("text, expected", LITERALS, ids=[t[:24] for t, _ in LITERALS])
def test_yaml_and_json_number_tokens_are_exact_or_refused(text, expected):
    if isinstance(expected, str):
        with pytest.raises(NumberError) as refused:
            numbers.literal(text)
        assert refused.value.reason == expected
    else:
        assert numbers.literal(text) == expected


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_every_decimal_of_at_most_15_digits_is_read_as_exactly_itself(value):
    text = format(value, "f")
    number = numbers.literal(text)
    assert Decimal(repr(float(number))) == value


@given(st.integers(0, 10**15 - 1))
def test_a_count_written_with_danish_thousands_separators_is_the_count(n):
    grouped = f"{n:,}"
    assert numbers.parse(grouped.replace(",", "."), "antal") == n
    assert numbers.parse(grouped.replace(",", " "), "antal") == n
    assert numbers.parse(grouped.replace(",", ".") + ",00 kr.", "kroner") == n


@given(st.integers(1, 999), st.integers(0, 999))
def test_a_percentage_with_a_point_and_three_decimals_is_ambiguous_and_refused(whole, fraction):
    with pytest.raises(NumberError) as refused:
        numbers.parse(f"{whole}.{fraction:03d}", "procent")
    assert refused.value.reason == "tvetydig"
    assert numbers.parse(f"{whole},{fraction:03d}", "procent") == float(f"{whole}.{fraction:03d}")


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_refusal_never_a_crash_or_nan(text):
    for kind in numbers.KINDS:
        try:
            value = numbers.parse(text, kind)
        except NumberError as exc:
            assert exc.reason and exc.message
        else:
            assert value == value and abs(value) < 10**16  # never NaN, never more than 15 digits
