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


def _in_browser_code(rows: list[tuple[str, str]]) -> list[dict]:
    """The self-check's own number reading (docs/assets/tal.js) run under node on `rows`."""
    import json
    import shutil
    import subprocess

    root = Path(__file__).resolve().parent.parent
    node = shutil.which("node")
    assert node, "node is needed to run the self-check's number reading (Debian: apt-get install nodejs)"
    done = subprocess.run([node, str(root / "tests" / "conformance" / "tal_node.js"), str(root / "docs" / "assets" / "tal.js")],
                          input=json.dumps(rows), capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_the_self_check_reads_the_table_as_python_does():
    """The browser's reading of every row of tests/conformance/tal.yaml: same value, same reason,
    same Danish message as lbf_rules/numbers.py."""
    got = _in_browser_code([(row["tekst"], row["art"]) for row in TABLE])
    for row, js in zip(TABLE, got, strict=True):
        try:
            want = {"vaerdi": numbers.parse(row["tekst"], row["art"])}
        except NumberError as exc:
            want = {"afvist": exc.reason, "besked": exc.message}
        assert js == want, row
        assert js.get("vaerdi", row.get("vaerdi")) == row.get("vaerdi", js.get("vaerdi"))


def test_the_self_check_and_python_agree_on_generated_texts():
    """5,000 texts made of what people type in number fields (digits, separators, signs, units,
    spaces of every kind, a tab and a control character), with a fixed seed: one run of node."""
    import random

    rng = random.Random(10)
    alphabet = "0123456789" * 3 + " .,%-−+kr\u00a0\u202f\t\x1b"
    rows = [("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))), rng.choice(sorted(numbers.KINDS))) for _ in range(5000)]
    rows += [(text, kind) for text in ("1.200", "1 200", "55 %", "45,2", "45.2", "abc", "-3") for kind in numbers.KINDS]
    got = _in_browser_code(rows)
    for (text, kind), js in zip(rows, got, strict=True):
        try:
            want = {"vaerdi": numbers.parse(text, kind)}
        except NumberError as exc:
            want = {"afvist": exc.reason, "besked": exc.message}
        assert js == want, (text, kind)
    assert sum("vaerdi" in r for r in got) > 500  # the texts reach both outcomes
