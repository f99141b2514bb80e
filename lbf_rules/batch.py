"""Evaluating a batch of cases for `lbf-rules check`: in this process, or spread over several worker
processes with the output kept in input order.

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
from typing import Any

CHUNK = 200  # cases per task: large enough that sending it costs little next to evaluating it


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


_job: Job | None = None  # the job of a worker process (inherited when it is forked)


def _chunk(cases: list[dict]) -> list[tuple[bytes | str, dict | None]]:
    assert _job is not None
    return [_job.one(case) for case in cases]


def run(job: Job, cases: Iterable[dict], jobs: int = 1) -> Iterator[tuple[bytes | str, dict | None]]:
    """(output, receipt) for every case, in the order the cases come."""
    if jobs <= 1:
        for case in cases:
            yield job.one(case)
        return
    import multiprocessing

    global _job
    _job = job
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        pending: deque = deque()
        for chunk in _chunks(cases):
            pending.append(pool.apply_async(_chunk, (chunk,)))
            if len(pending) >= 2 * jobs:  # a few chunks ahead of the printing, never the whole batch
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _chunks(cases: Iterable[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
