"""Several periods in one pass: ``Engine.evaluate_many``.

Every source is asked once for all the periods (one statement per source on DuckDB and
SQLite: :mod:`iku_rules.sources.sql_periods`), then the cascade is evaluated for each
period from those answers, exactly as :meth:`Engine.evaluate` evaluates it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from iku_rules.breakdowns import PeriodDates
from iku_rules.collector import paused
from iku_rules.counts import check_whole_counts
from iku_rules.datanames import check_names
from iku_rules.date_orders import check_date_orders
from iku_rules.distinct_spellings import check_distinct_spellings
from iku_rules.fetch import Fetched
from iku_rules.filter_values import check_filter_values, check_latest_keys
from iku_rules.i18n import current_language, use_language
from iku_rules.latest_ties import check_latest_ties
from iku_rules.measures import MeasureSpec
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.region_parents import qualify_names
from iku_rules.results import Evaluation, check_by
from iku_rules.sources.base import Answer, Backend, InputValue, Query, Signature
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import unsettled
from iku_rules.sources.together import Questions

if TYPE_CHECKING:
    from iku_rules.engine import Engine

T = TypeVar("T")


class Batch(Backend):
    """A backend's answers for several periods, each source asked once for them all (on
    the first question about it) and each period's answer handed out from there."""

    def __init__(self, backend: Backend, periods: Sequence[Period]) -> None:
        super().__init__(
            list(backend.sources.values()), backend.data_dir, allow_outside=backend.allow_outside
        )
        self.backend = backend
        self.name = backend.name
        self.periods = tuple(periods)
        self.renamed = backend.renamed
        self.qualified = backend.qualified
        self._measures: dict[object, dict[Period, Answer]] = {}
        self._inputs: dict[object, tuple[Mapping[str, InputValue], Query | None]] = {}
        self._region_inputs: dict[
            object, tuple[Mapping[tuple[str, str | None], InputValue], Query | None]
        ] = {}
        self._asked = False
        self._distinct: dict[object, list[tuple[str | None, ...]]] = {}
        self.answers_behind = backend.answers_behind
        self.period_dates = PeriodDates(self.periods)
        """How far the sources' rows reach, asked for every period at once (explanations)."""
        if hasattr(backend, "queries"):
            self.queries = backend.queries  # the statements run, listed by the evaluations

    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        key = ("measures", source.id, tuple(spec.key for spec in specs), tuple(groupings))
        found = self._measures.get(key)
        if found is None:
            answers = self.backend.measures_many(source, specs, self.periods, groupings)
            found = self._measures[key] = dict(zip(self.periods, answers, strict=True))
        return found[period]

    def realisasi(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        key = ("realisasi", source.id, tuple(indicator_ids), tuple(groupings))
        found = self._measures.get(key)
        if found is None:
            answers = self.backend.realisasi_many(source, indicator_ids, self.periods, groupings)
            found = self._measures[key] = dict(zip(self.periods, answers, strict=True))
        return found[period]

    def together_start(self, calls: Sequence[tuple[Source, Callable[[], T]]]) -> Questions[T]:
        """The first period's questions asked at once, as the backend asks them (each asks
        its source for every period); the later periods' are answered from those."""
        if self._asked:
            return super().together_start(calls)
        self._asked = True
        return self.backend.together_start(calls)

    def heavy(self, source: Source) -> bool:
        return self.backend.heavy(source)

    def inputs(
        self, source: Source, names: Sequence[str], year: int
    ) -> tuple[Mapping[str, InputValue], Query | None]:
        key = (source.id, tuple(names), year)  # one question per year, not per period
        found = self._inputs.get(key)
        if found is None:
            found = self._inputs[key] = self.backend.inputs(source, names, year)
        return found

    def region_inputs(
        self, source: Source, names: Sequence[str], year: int, column: str
    ) -> tuple[Mapping[tuple[str, str | None], InputValue], Query | None]:
        key = (source.id, tuple(names), year, column)  # one question per year, not per period
        found = self._region_inputs.get(key)
        if found is None:
            found = self._region_inputs[key] = self.backend.region_inputs(
                source, names, year, column
            )
        return found

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        return self.backend.fractional(source, key_column, keys, value_column, places)

    def region_values(self, source: Source, column: str) -> set[str] | None:
        return self.backend.region_values(source, column)

    def distinct(self, source: Source, column: str) -> list[str]:
        return self.backend.distinct(source, column)

    def distinct_rows(
        self, source: Source, columns: tuple[str, ...]
    ) -> list[tuple[str | None, ...]]:
        key = ("distinct_rows", source.id, columns)  # asked for each period: asked once
        found = self._distinct.get(key)
        if found is None:
            found = self._distinct[key] = self.backend.distinct_rows(source, columns)
        return found

    def blank_row(self, source: Source, column: str) -> bool:
        return self.backend.blank_row(source, column)

    def kept_answer(
        self, source: Source, name: str, compute: Callable[[], T], keep: Callable[[T], bool]
    ) -> T:
        return self.backend.kept_answer(source, name, compute, keep)

    def signature(self, source: Source) -> Signature:
        return self.backend.signature(source)


def evaluate_many(
    engine: Engine, periods: Iterable[str | Period], by: str | None = None
) -> list[Evaluation]:
    """One :class:`Evaluation` per period of ``periods`` (``["2026-TW1", "2026-TW2"]``),
    in their order, each what ``evaluate(period, by)`` gives, with each source's
    aggregates for all of them fetched at once (one statement per source on DuckDB and
    SQLite) rather than once per period. Called as a method of the engine::

        first, second = engine.evaluate_many(["2026-TW1", "2026-TW2"], by="kecamatan")
    """
    asked = [period if isinstance(period, Period) else Period.parse(period) for period in periods]
    if by is not None:
        check_by(engine.definitions.level_ids(), by)
    wanted = list(dict.fromkeys(asked))

    def evaluate(backend: Backend) -> dict[Period, Evaluation]:
        previous = engine._previous_used
        fetched = wanted + [period.previous() for period in wanted] if previous else wanted
        batch = Batch(backend, list(dict.fromkeys(fetched)))
        if (  # one year: its inputs asked with the first period's questions, none after
            batch.answers_behind
            and not previous
            and len({period.year for period in wanted}) == 1
            and (by is None or engine.definitions.regions_at(by))
        ):
            return behind(engine, batch, wanted, by)
        done: dict[Period, Evaluation] = {}
        for period in wanted:
            before = engine._evaluate(batch, period.previous(), by, None) if previous else None
            done[period] = engine._evaluate(batch, period, by, before)
        return done

    with engine._lock:  # one question at a time (see Engine, Threads)
        done = settled(engine, evaluate, by, wanted)
    return [done[period] for period in asked]


def behind(
    engine: Engine, batch: Batch, periods: Sequence[Period], by: str | None
) -> dict[Period, Evaluation]:
    """Every period's :class:`Evaluation`, the indicators that need no large source's
    answer (:meth:`~iku_rules.sources.base.Backend.heavy`: the service log, a large
    register) evaluated for every period while those sources' statements still run, the
    others once they are in: the same results, in the same order, as one period after
    another gives (the periods of one year, whose every question the first period asks;
    the regions the level's declared ones, known before any answer)."""
    later = {source.id for source in engine.sources.values() if batch.heavy(source)}
    first = light_indicators(engine, later)
    rest = [indicator for indicator in engine.order if indicator.id not in first]
    ahead = [indicator for indicator in engine.order if indicator.id in first]
    begun: list[tuple[Period, Fetched, tuple[str, ...], dict[str | None, dict[str, Any]]]] = []
    try:
        with use_language(current_language()):
            for period in periods:  # the first asks every source, for every period
                fetched = Fetched(engine, batch, period, by, lambda s: s.id in later)
                regions = fetched.regions()
                done: dict[str | None, dict[str, Any]] = {}
                begun.append((period, fetched, regions, done))  # stopped if what follows fails
                for region in (None, *regions):
                    done[region] = engine._results(fetched, region, {}, ahead)
            evaluations = {}
            for period, fetched, regions, done in begun:
                fetched.finish()
                for region in (None, *regions):
                    engine._results(fetched, region, done[region], rest)
                evaluations[period] = engine._evaluation(batch, period, by, regions, done)
    except BaseException:
        for _period, fetched, _regions, _done in begun:
            fetched.stop()
        raise
    return evaluations


def light_indicators(engine: Engine, later: Set[str]) -> set[str]:
    """The ids of the indicators whose values need no answer of the sources ``later``,
    nor of any indicator that does (from what each formula reads, as ``Engine._values``
    reads it: :mod:`iku_rules.reads`)."""
    sources = engine.sources.values()
    realisasi = not any(s.id in later for s in sources if s.kind == "realisasi")
    inputs = not any(s.id in later for s in sources if s.kind == "inputs")
    light: set[str] = set()
    for indicator in engine.order:
        if indicator.formula_kind == "realisasi":
            ok = realisasi
        elif indicator.formula_kind == "input":
            ok = inputs
        elif indicator.formula is None:
            ok = False
        else:
            ok = True
            for kind, key in engine.reads[indicator.id]:
                if kind == "measure":
                    ok = ok and engine.specs[key].source.id not in later
                elif kind == "input":
                    ok = ok and inputs
                elif kind == "indicator":
                    ok = ok and engine.indicator_keys[key].id in light
        if ok:
            light.add(indicator.id)
    return light


def settled(
    engine: Engine,
    evaluate: Callable[[Backend], T],
    by: str | None = None,
    periods: Sequence[Period] = (),
) -> T:
    """``evaluate`` over the engine's backend once its data are checked (every count whole,
    every name known, the region names written in another case or spacing noted, no tie
    among the latest records of ``periods`` and the periods before them, where a formula
    reads ``sebelumnya``, that changes a number: :mod:`iku_rules.latest_ties`), and
    again from the checks when a file read in place changed while it ran: the statements
    after the change read the file as it became, which the checks had not seen (a
    kecamatan newly written ``LABUAN`` would be counted apart from Labuan). A file that
    changes during the second run too is refused, never counted. Python's cycle collector
    is paused meanwhile (:func:`~iku_rules.collector.paused`)."""
    with paused():
        return _settled(engine, evaluate, by, periods)


def _settled(
    engine: Engine,
    evaluate: Callable[[Backend], T],
    by: str | None,
    periods: Sequence[Period],
) -> T:
    for _attempt in range(2):
        backend = engine._backend()
        start = len(backend.reread)
        backend.prepare()
        check_whole_counts(
            engine.definitions, backend, engine.data_dir, allow_outside=engine.allow_outside_data
        )
        check_names(
            engine.definitions, backend, engine.data_dir, allow_outside=engine.allow_outside_data
        )
        qualify_names(  # one name, one region of the level asked by
            engine.definitions,
            backend,
            by,
            engine.data_dir,
            allow_outside=engine.allow_outside_data,
        )
        specs = engine._needed_specs().values()
        for check in (
            check_filter_values,
            check_latest_keys,
            check_date_orders,
            check_distinct_spellings,
        ):
            check(specs, backend, engine.data_dir, allow_outside=engine.allow_outside_data)
        before = [period.previous() for period in periods] if engine._previous_used else []
        check_latest_ties(
            specs,
            [*periods, *before],
            backend,
            engine.data_dir,
            allow_outside=engine.allow_outside_data,
        )
        if hasattr(backend, "queries"):
            backend.queries.clear()  # an evaluation lists the statements it ran itself
        found = evaluate(backend)
        changed = backend.reread[start:]
        if not changed:
            return found
    raise DataError(unsettled(changed[-1]))
