"""The questions of one evaluation asked at once on DuckDB, each on a cursor of its own.

An evaluation asks each source one question (a statement of its measures, of its realisasi,
of its inputs), and the questions do not depend on one another. Asked one after another,
DuckDB waits while Python builds a statement and reads the rows of the last one, and a
statement over a small table leaves DuckDB's threads idle part of the time. DuckDB lets go of
Python's lock while a statement runs, so :func:`run_together` asks them on
:data:`AT_ONCE` threads, each with a cursor of the connection, and gives the answers in the
order asked, as asking them in turn would give them:

* the statements run are listed in the order of the questions, not of their ending;
* an error is the first question's error, in that order;
* a question that finds on its thread that its file changed since it was validated, or
  that its table is not loaded, raises :class:`AskAgain`: it is asked again on the calling
  thread once the others are done, where the file is read again as any question reads it
  (one connection loads tables, one thread at a time);
* Ctrl-C stops the statements running when it comes (:func:`.interrupt.on_cursors`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from iku_rules.sources.interrupt import on_cursors

T = TypeVar("T")

AT_ONCE = 2
"""How many questions are asked at once: two keep DuckDB's threads busy while Python works
on a third's statement or rows; three gained no time on two cores and held more memory at
once (the province's four triwulan: 1.5 times the hand-written SQL's peak, against 1.4)."""

_here = threading.local()
"""On a thread of :func:`run_together`: its cursor, and the statements its question ran."""


class AskAgain(Exception):
    """A question that must be asked on the calling thread (its file changed since it
    was validated, or its table is not loaded); raised on a thread of :func:`run_together`."""


def on_thread() -> bool:
    """Whether this is a thread of :func:`run_together` (loading a table is refused here)."""
    return getattr(_here, "cursor", None) is not None


def cursor_or(connection: Any) -> Any:
    """The cursor of this thread of :func:`run_together`, else ``connection``."""
    found = getattr(_here, "cursor", None)
    return connection if found is None else found


def listing(queries: list[Any]) -> list[Any]:
    """Where a statement just run is listed: ``queries`` (the evaluation's list), or on a
    thread of :func:`run_together` its question's own, added to ``queries`` in the order the
    questions were asked."""
    found: list[Any] | None = getattr(_here, "queries", None)
    return queries if found is None else found


def run_together(connection: Any, queries: list[Any], calls: Sequence[Callable[[], T]]) -> list[T]:
    """Each of ``calls``' result, in order, the calls made :data:`AT_ONCE` at a time on
    cursors of the DuckDB ``connection``; the statements they run are listed in
    ``queries`` in the calls' order."""
    if len(calls) < 2:
        return [call() for call in calls]

    def ask(call: Callable[[], T], cursor: Any) -> tuple[list[Any], T]:
        _here.cursor, _here.queries = cursor, []
        try:
            return _here.queries, call()
        finally:
            _here.cursor = _here.queries = None

    works = [lambda cursor, call=call: ask(call, cursor) for call in calls]
    futures = on_cursors(connection, works, min(AT_ONCE, len(calls)), "iku-together")
    answers = []
    for call, future in zip(calls, futures, strict=True):
        try:
            ran, answer = future.result()
        except AskAgain:
            answers.append(call())
            continue
        queries.extend(ran)
        answers.append(answer)
    return answers
