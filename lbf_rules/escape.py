"""Text that came from input, made safe where it is printed.

Names, field names, values and file names come from users and files. Printed raw, a newline forges
a second "fejl:" line on stderr, an escape sequence retitles or recolours the terminal, a
bidirectional override reorders what the reader sees, a lone surrogate cannot even be encoded, and a
megabyte-long name floods the screen. `plain` is the one helper: every control or format character
becomes a visible escape (`\\n`, `\\x1b`, `\\u202e`) and long text is shortened. `markdown` and
`csv_cell` build on it: Markdown's own characters and raw HTML are escaped, and a CSV cell that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with an apostrophe.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional and zero-width format characters,
# the byte-order mark and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN = re.compile(r"([\\`*_\[\]|~#])")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: object, limit: int = 200) -> str:
    """`text` with every control character shown as an escape, shortened to `limit` characters."""
    text = str(text)
    if len(text) > limit:
        text = text[: max(limit - 1, 1)] + "…"
    return _UNSAFE.sub(_visible, text)


def markdown(text: object, limit: int = 200) -> str:
    """Text for a Markdown table cell or line: plain, with Markdown and HTML characters escaped."""
    safe = plain(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", safe)


def csv_cell(value: object, limit: int = 1000) -> object:
    """A CSV cell: numbers as they are, text plain and never starting like a formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = plain(value, limit)
    return "'" + text if text.startswith(_FORMULA) else text
