"""Escaping of text from input, over any text: one visible line, never a formula, never markup."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lbf_rules.errors import InputError
from lbf_rules.escape import csv_cell, markdown, plain

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
ANY_TEXT = st.text(alphabet=st.characters(), max_size=300)


@given(ANY_TEXT, st.integers(1, 200))
def test_plain_text_is_one_visible_short_line(text, limit):
    shown = plain(text, limit)
    assert not UNSAFE.search(shown)
    assert len(shown) <= 6 * limit
    shown.encode("utf-8")  # never a lone surrogate that cannot be written


@given(ANY_TEXT, ANY_TEXT, ANY_TEXT)
def test_an_error_line_is_one_line_whatever_the_file_field_and_message(source, field, message):
    line = InputError(source, message, line=3, field=field).oneline()
    assert "\n" not in line and "\r" not in line and not UNSAFE.search(line)


@given(ANY_TEXT)
def test_a_csv_cell_never_starts_a_formula(text):
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(ANY_TEXT)
def test_a_markdown_cell_cannot_break_the_table_or_open_html(text):
    cell = markdown(text)
    assert "<" not in cell and ">" not in cell and "\n" not in cell
    assert not re.search(r"(?<!\\)(?:\\\\)*\|", cell)  # every | is escaped
