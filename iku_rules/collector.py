"""Python's cycle collector paused while an evaluation runs, and while definitions are
read or found kept (:func:`paused`).

An evaluation builds its SQL statements as sqlglot trees, whose nodes point at their parents:
each tree is a cycle, which reference counting never frees, so the kabupaten's four triwulan
leave about 21,000 such objects for the collector, however large the data (the province's
ten times the rows leave as many). Left running, the collector ran about 170 times during that
evaluation (once or twice over every object of the process, the imported modules' included)
and took 0.04 to 0.2 seconds of it, on the thread that evaluates the cascade, while DuckDB's
threads waited for the next statement. Paused, the cycles are freed by the first collection
after the evaluation, in one pass over what the evaluation left.

Reading definitions is the same case the other way round: tens of thousands of objects
made and all kept (the model, its formulas' trees, their locations), none of them garbage;
the collector ran over them again and again while they were made. Paused, the shipped
definitions found kept load in about 0.02 s where they took 0.04 to 0.06 s, and read from
their files in about 0.08 s where they took 0.08 to 0.13 s (:func:`iku_rules.loader.load`, and
the unpickling of :mod:`iku_rules.loader.kept`).

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
