"""Errors that reach the user as one Danish line naming the file and the line or field."""

from __future__ import annotations

from .escape import plain


class InputError(Exception):
    """Bad input (a case, rule or parameter file): reported as `file:line: field: message`."""

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        field: str | None = None,
        code: str | None = None,
        column: int | None = None,
    ):
        self.source = source
        self.message = message
        self.line = line
        self.field = field
        self.code = code  # the lint code (LBF001 ...), when the error is one lint reports
        self.column = column
        super().__init__(self.oneline())

    def __reduce__(self):  # pickled whole, so a worker process (`--jobs`) can send it back
        return type(self), (self.source, self.message, self.line, self.field, self.code, self.column)

    def oneline(self) -> str:
        """One line, whatever the file name, field or message hold (they may come from input)."""
        where = plain(self.source, 300)
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": felt '{plain(self.field, 120)}'"
        return f"{where}: {plain(self.message, 1000)}"


class RuleError(InputError):
    """A rule repository that cannot be used (bad rule file, cycle, unknown fact)."""


class UsageError(Exception):
    """Wrong use of the command line."""


class EngineFailure(Exception):
    """A dependency failed natively (the durable-rules C library): one line, exit status 70."""
