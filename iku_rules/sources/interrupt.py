"""DuckDB's work stopped by Ctrl-C when it comes, not when the statement ends.

Python receives SIGINT on the main thread only. DuckDB's Python package, running a
statement there, looks for it now and then and raises ``RuntimeError('Query
interrupted')`` when it sees it, but a statement whose work its own threads do may run to its
end first (2 of 10 statements of 20 s each in a test here). :func:`interruptible` runs the
work on a thread of its own while the main thread waits, which a KeyboardInterrupt always
reaches; the connection's statement is then interrupted and the KeyboardInterrupt goes on.
:func:`on_cursors` does the same for several works at once, each on a cursor of its own
(the validating passes, the questions of :mod:`.together`): Ctrl-C interrupts every cursor
running.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")


def interruptible(connection: Any, work: Callable[[], T]) -> T:
    """``work``'s result (statements on the DuckDB ``connection``), run so that Ctrl-C
    interrupts its statement at once; off the main thread (a server's worker, a pass of
    :meth:`~iku_rules.sources.csv_relations.CsvRelations.prepare`) it simply runs."""
    if threading.current_thread() is not threading.main_thread():
        return work()
    outcome: list[Any] = []
    ended = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the waiting thread, which raises it
            outcome.append((False, error))
        finally:
            ended.set()

    # Not a daemon: Python waits for it at exit rather than cutting it off inside DuckDB.
    # Waiting on an event, not on join, which an interruption leaves unsure in Python 3.11.
    threading.Thread(target=run, name="iku-duckdb").start()
    try:
        ended.wait()
    except BaseException:
        connection.interrupt()  # the statement running stops; the work ends soon after
        ended.wait()
        raise
    done, value = outcome[0]
    if not done:
        raise value
    result: T = value
    return result


def interrupt_cursor(cursor: Any) -> None:
    """Stop the statement ``cursor`` runs (nothing when its work just ended and closed it)."""
    import duckdb

    with contextlib.suppress(duckdb.Error):
        cursor.interrupt()


def on_cursors(
    connection: Any, works: Sequence[Callable[[Any], T]], at_once: int, name: str
) -> list[Future[T]]:
    """Run each of ``works`` with a cursor of the DuckDB ``connection`` of its own (each
    cursor closed when its work ends), ``at_once`` at a time on threads named ``name``,
    and wait for them all; each future holds its work's result or exception. Ctrl-C while
    they run stops the statements running when it comes; the works not begun never
    begin."""
    return Cursors(connection, works, at_once, name).wait()


class Cursors:
    """Works begun on cursors of their own (see :func:`on_cursors`), to be waited for
    (:meth:`wait`) or stopped (:meth:`stop`) by the thread that began them."""

    def __init__(
        self, connection: Any, works: Sequence[Callable[[Any], Any]], at_once: int, name: str
    ) -> None:
        self.running: set[Any] = set()

        def run(work: Callable[[Any], Any], context: contextvars.Context) -> Any:
            cursor = connection.cursor()
            self.running.add(cursor)
            try:
                return context.run(work, cursor)  # in the caller's language (its context)
            finally:
                self.running.discard(cursor)
                cursor.close()

        self.pool = ThreadPoolExecutor(max_workers=at_once, thread_name_prefix=name)
        self.futures = [self.pool.submit(run, work, contextvars.copy_context()) for work in works]

    def wait(self) -> list[Future[Any]]:
        """The works' futures once every work has ended; Ctrl-C while waiting stops them."""
        try:
            wait(self.futures)
        except BaseException:  # Ctrl-C: the statements stop now, not when they are done
            self.stop()
            raise
        finally:
            self.pool.shutdown()
        return self.futures

    def stop(self) -> None:
        """Stop the statements running and the works not begun, and wait for the threads."""
        self.pool.shutdown(wait=False, cancel_futures=True)
        for cursor in list(self.running):
            interrupt_cursor(cursor)
        self.pool.shutdown()
