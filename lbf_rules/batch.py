"""Evaluating a batch of cases for `lbf-rules check` and `impact`: in this process, or spread over
several worker processes with the output kept in input order.

Workers are forked after the rules are loaded and checked, so each starts with them. Cases go to
the workers in chunks, and what comes back is exactly what is printed (JSON bytes or text), so the
output is the same whatever `--jobs` is. Only a few chunks are under way at a time, so memory stays
flat however long the batch is.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from .cases import CaseReader, LoadedCase, Refused, Unread
from .errors import InputError

CHUNK = 200  # cases per task: large enough that sending it costs little next to evaluating it


class Work(Protocol):
    """What is done to every case of a batch (a `Job` for check, impact's `CaseChange`)."""

    def one(self, case: dict) -> Any: ...


@dataclass
class Job:
    """What every case of a batch is evaluated with."""

    ruleset: Any
    day: dt.date | None
    fmt: str  # tekst | json
    trace: bool
    receipt: Callable[[dict, dict], dict] | None = None  # (case, decision document) → receipt
    decide: Callable[..., Any] | None = None  # another engine's decide(case, day=...)
    text: Any = None  # the text renderer, made when the first text is asked for

    def one(self, case: dict) -> tuple[bytes | str, dict | None]:
        """What to print for one case, and its receipt when one is asked for."""
        from .evaluator import decide

        machine = self.fmt in DOCUMENT_FORMATS
        decision = self.decide(case, day=self.day) if self.decide else decide(self.ruleset, case, self.day, trace=machine and self.trace)
        document = decision.to_json(self.trace) if self.receipt or machine else None
        receipt = self.receipt(case, document) if self.receipt else None  # type: ignore[arg-type]
        return FORMATS[self.fmt](self, decision, document), receipt

    def as_text(self, decision: Any, _document: dict | None) -> str:
        if self.text is None:
            from .render_text import TextRenderer

            self.text = TextRenderer(self.ruleset)
        return self.text.render(decision)


def _as_json(_job: Job, _decision: Any, document: dict) -> bytes:
    from .decisions import decision_json

    return decision_json(document)


# The output formats of `check`: what one case prints as. A machine format prints the decision document.
FORMATS: dict[str, Callable[[Job, Any, Any], bytes | str]] = {"tekst": Job.as_text, "json": _as_json}
DOCUMENT_FORMATS = {"json"}


_job: Work | None = None  # the work of a worker process (inherited when it is forked)
_ruleset: Any = None  # the rules a worker checks a case's categories against (inherited too)


def _chunk(items: list[LoadedCase | Unread | Refused]) -> list[tuple[str, Any]]:
    """(file, what one case gives) for each item, or (file, its InputError) for one that is not a
    valid case: a worker reads and checks JSON Lines lines as well as evaluating the cases."""
    assert _job is not None
    out = []
    for item in items:
        loaded = item if isinstance(item, LoadedCase) else item.load(_ruleset)
        out.append((item.source, loaded if isinstance(loaded, InputError) else _job.one(loaded.data)))
    return out


def run(job: Work, reader: CaseReader, jobs: int = 1) -> Iterator[Any]:
    """`job.one(case)` for every valid case the reader gives (for check: output and receipt), in
    the order the cases come. With `jobs` > 1 the workers also read and check the lines of JSON
    Lines batches; their errors are reported through the reader in the same order."""
    if jobs <= 1:
        for item in reader:
            yield job.one(item.data)
        return
    import multiprocessing

    global _job, _ruleset
    _job, _ruleset = job, reader.ruleset
    reader.defer = True

    def done(results: list[tuple[str, Any]]) -> Iterator[Any]:
        for source, value in results:
            if isinstance(value, InputError):
                reader.failed(value, source)
            elif source not in reader.left:  # a file left after too many errors gives nothing more
                yield value

    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        pending: deque = deque()
        for chunk in _chunks(reader):
            pending.append(pool.apply_async(_chunk, (chunk,)))
            if len(pending) >= 2 * jobs:  # a few chunks ahead of the printing, never the whole batch
                yield from done(pending.popleft().get())
        while pending:
            yield from done(pending.popleft().get())


def _chunks(cases: Iterable[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
