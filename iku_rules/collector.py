"""Python's cycle collector paused while an evaluation runs (:func:`paused`).

An evaluation builds its SQL statements as sqlglot trees, whose nodes point at their parents:
each tree is a cycle, which reference counting never frees, so the kabupaten's four triwulan
leave about 21,000 such objects for the collector, however large the data (the province's
ten times the rows leave as many). Left running, the collector ran about 170 times during that
evaluation (once or twice over every object of the process, the imported modules' included)
and took 0.04 to 0.2 seconds of it, on the thread that evaluates the cascade, while DuckDB's
threads waited for the next statement. Paused, the cycles are freed by the first collection
after the evaluation, in one pass over what the evaluation left.

This is what Mercurial's ``util.nogc`` does around its large parses. The collector is
process-wide: while one evaluation runs, other threads' cycles wait for it too (memory only,
never a result); it is switched on again when the evaluation ends, unless it was off
before."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off for the ``with`` block, then on again if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
