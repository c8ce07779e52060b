"""The questions of one evaluation asked at once on DuckDB, each on a cursor of its own.

An evaluation asks each source one question (a statement of its measures, of its realisasi,
of its inputs), and the questions do not depend on one another. Asked one after another,
DuckDB waits while Python builds a statement and reads the rows of the last one, and a
statement over a small table leaves DuckDB's threads idle part of the time. DuckDB lets go of
Python's lock while a statement runs, so :class:`Together` asks them on two
threads, each with a cursor of the connection, and gives the answers in the order asked, as
asking them in turn would give them:

* the statements run are listed in the order of the questions, not of their ending;
* an error is the first question's error, in that order;
* a question that finds on its thread that its file changed since it was validated, or
  that its table is not loaded, raises :class:`AskAgain`: it is asked again on the calling
  thread once the others are done, where the file is read again as any question reads it
  (one connection loads tables, one thread at a time);
* Ctrl-C stops the statements running when it comes (:func:`.interrupt.on_cursors`);
* the statements over large files (read in place, or of
  :attr:`~iku_rules.sources.sql_backend.DuckDBBackend.heavy_bytes` or more) run one after
  another on one of the threads, the rest on the other: memory holds one large statement's
  hash tables at a time, as when they ran in turn. (Any two at once, the province's four
  triwulan held 1.55 times the hand-written SQL's peak memory, above the 1.5 the engine
  keeps to; with only those read in place one at a time, the kabupaten's four triwulan
  read for the first time held 1.55 times it.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from iku_rules.sources.interrupt import Cursors

T = TypeVar("T")

_here = threading.local()
"""On a thread of :class:`Together`: its cursor, and the statements its question ran."""


class AskAgain(Exception):
    """A question that must be asked on the calling thread (its file changed since it
    was validated, or its table is not loaded); raised on a thread of :class:`Together`."""


def on_thread() -> bool:
    """Whether this is a thread of :class:`Together` (loading a table is refused here)."""
    return getattr(_here, "cursor", None) is not None


def cursor_or(connection: Any) -> Any:
    """The cursor of this thread of :class:`Together`, else ``connection``."""
    found = getattr(_here, "cursor", None)
    return connection if found is None else found


def listing(queries: list[Any]) -> list[Any]:
    """Where a statement just run is listed: ``queries`` (the evaluation's list), or on a
    thread of :class:`Together` its question's own, added to ``queries`` in the order the
    questions were asked."""
    found: list[Any] | None = getattr(_here, "queries", None)
    return queries if found is None else found


class Questions(Protocol[T]):
    """The questions of one evaluation, begun: the answers of some taken while the others
    may still run (:meth:`early`), all of them in order (:meth:`finish`), or given up on
    (:meth:`stop`)."""

    def early(self, indices: Sequence[int]) -> list[T] | None:
        """The answers of the calls ``indices``; None when one of them did not end cleanly
        (only :meth:`finish` then says what)."""

    def finish(self) -> list[T]:
        """Every call's answer, in the calls' order."""

    def stop(self) -> None:
        """Stop what still runs."""


class Asked(Generic[T]):
    """Questions asked one at a time on the calling thread, each when its answer is first
    wanted: what a backend that asks nothing at once gives (:class:`Questions`)."""

    def __init__(self, calls: Sequence[Callable[[], T]]) -> None:
        self.calls = calls
        self.answers: dict[int, T] = {}

    def early(self, indices: Sequence[int]) -> list[T] | None:
        return [self._answer(index) for index in indices]

    def finish(self) -> list[T]:
        return [self._answer(index) for index in range(len(self.calls))]

    def stop(self) -> None:
        """Nothing runs but on the calling thread."""

    def _answer(self, index: int) -> T:
        if index not in self.answers:
            self.answers[index] = self.calls[index]()
        return self.answers[index]


class Together(Generic[T]):
    """Questions asked at once, begun when made: the ``calls`` made on two threads, each
    with a cursor of the DuckDB ``connection``. The caller may take the answers of some
    (:meth:`early`) while the others still run, and takes them all, in the calls' order,
    from :meth:`finish`; the statements they ran are listed in ``queries`` in the calls'
    order.

    ``heavy`` marks the calls whose statements read a large file: they run one after
    another on one thread, the others on the second, so that no two large statements hold
    their memory at once. When every call is heavy (or there is only one), they are all
    made here, one after another."""

    def __init__(
        self,
        connection: Any,
        queries: list[Any],
        calls: Sequence[Callable[[], T]],
        heavy: Sequence[bool] | None = None,
    ) -> None:
        self.calls = calls
        self.queries = queries
        self.outcomes: dict[int, tuple[list[Any], Any, BaseException | None]] = {}
        self.ended = [threading.Event() for _call in calls]
        self.cursors: Cursors | None = None
        self.finished: list[T] | None = None
        marks = list(heavy) if heavy is not None else [False] * len(calls)
        lanes = [
            [index for index, mark in enumerate(marks) if mark],
            [index for index, mark in enumerate(marks) if not mark],
        ]
        if not lanes[1] or len(calls) < 2:
            self.finished = [call() for call in calls]  # asked here, one after another
            return
        if not lanes[0]:  # every one small: shared between the two threads
            lanes = [lanes[1][0::2], lanes[1][1::2]]
        works = [partial(self._lane, indices) for indices in lanes]
        self.cursors = Cursors(connection, works, len(works), "iku-together")

    def _lane(self, indices: list[int], cursor: Any) -> None:
        for index in indices:
            _here.cursor, _here.queries = cursor, []
            try:
                self.outcomes[index] = (_here.queries, self.calls[index](), None)
            except Exception as error:  # raised on the calling thread, in the calls' order
                self.outcomes[index] = ([], None, error)
            finally:
                _here.cursor = _here.queries = None
                self.ended[index].set()

    def early(self, indices: Sequence[int]) -> list[T] | None:
        """The answers of the calls ``indices`` once they are in, the others still running;
        None when one of them failed or is to be asked again (then only :meth:`finish`
        says what, in the calls' order)."""
        if self.finished is not None:
            return [self.finished[index] for index in indices]
        try:
            for index in indices:
                self.ended[index].wait()
        except BaseException:  # Ctrl-C: the statements stop now
            self.stop()
            raise
        if any(self.outcomes[index][2] is not None for index in indices):
            return None
        return [self.outcomes[index][1] for index in indices]

    def finish(self) -> list[T]:
        """Every call's answer, in order, once all have ended: a call to be asked again
        (:class:`AskAgain`) asked here, the first error in the calls' order raised, the
        statements listed in the calls' order."""
        if self.finished is not None:
            return self.finished
        assert self.cursors is not None
        for future in self.cursors.wait():
            future.result()
        answers = []
        for index, call in enumerate(self.calls):
            ran, answer, error = self.outcomes[index]
            if isinstance(error, AskAgain):
                answers.append(call())
                continue
            if error is not None:
                raise error
            self.queries.extend(ran)
            answers.append(answer)
        self.finished = answers
        return answers

    def stop(self) -> None:
        """Stop the statements still running (the caller gives up on the answers)."""
        if self.cursors is not None and self.finished is None:
            self.cursors.stop()
