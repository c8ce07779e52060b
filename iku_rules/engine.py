"""The engine: every indicator of the cascade for a period, per region, with
what each value was computed from.

1. Collect what the cascade needs: the measures its formulas name, the
   aggregates written over registers inside formulas, the realisasi of
   sub kegiatan indicators, the inputs.
2. Fetch them in bulk: one query per source (DuckDB by default), for the
   whole kabupaten and, when asked, per kecamatan and per sub kegiatan.
3. Evaluate every indicator bottom-up (an indicator named in another's
   formula first), once for the kabupaten and once per region. A ratio is
   always computed from the sums of its own rows: the kabupaten value is never
   an average of kecamatan percentages.

Missing data is not zero and does not stop the cascade: a measure with no rows
in the period, a zero denominator or a missing input gives that indicator a
reason instead of a value, and everything else goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve

from iku_rules import ast
from iku_rules.additive import absent_sum, read_realisasi, unreported_sum, unreported_triwulan
from iku_rules.assess_region import Seen, assess_at, seen_at
from iku_rules.ast import name_key
from iku_rules.check.formulas import name_table
from iku_rules.date_orders import date_ordered
from iku_rules.dependencies import evaluation_order
from iku_rules.errors import IkuError
from iku_rules.evaluator import compile_formula, run
from iku_rules.evaluator.values import Compiled, Env, NotAvailable
from iku_rules.fetch import Fetched
from iku_rules.filter_values import watched_columns
from iku_rules.i18n import _, current_language, use_language
from iku_rules.loader.kept import DefinitionsCache, load_kept
from iku_rules.many import evaluate_many, settled
from iku_rules.measures import MeasureSpec, from_definition, inline_measures
from iku_rules.model import Definitions, Indicator
from iku_rules.periods import Period
from iku_rules.previous import previous_values
from iku_rules.printer import to_text
from iku_rules.provisional import today as provisional_day
from iku_rules.reads import formula_reads
from iku_rules.reasons import OUTSIDE_RATIO, coded, wrapped
from iku_rules.results import Evaluation, IndicatorResult, MeasureUse, check_by
from iku_rules.rules.capaian import CapaianResult
from iku_rules.rules.tables import default_rules
from iku_rules.sources import BACKEND_NAMES as BACKEND_NAMES  # named there, kept here
from iku_rules.sources import EMBEDDED_BACKENDS as EMBEDDED_BACKENDS
from iku_rules.sources.base import Backend
from iku_rules.sources.confine import connect_ahead
from iku_rules.sources.python_engine import PythonBackend
from iku_rules.sources.validation_cache import ValidationCache
from iku_rules.within import outside_statement


class DefinitionError(IkuError):
    """Definitions with errors cannot be evaluated; ``diagnostics`` lists them."""

    def __init__(self, definitions: Definitions):
        self.diagnostics = definitions.errors
        lines = "\n".join(str(d) for d in self.diagnostics[:20])
        more = len(self.diagnostics) - 20
        super().__init__(
            _("the definitions have {count} error(s); fix them first (iku check):").format(
                count=len(self.diagnostics)
            )
            + f"\n{lines}"
            + ("\n" + _("… and {count} more").format(count=more) if more > 0 else "")
        )


class Engine:
    """Evaluates a definitions folder against its data.

    >>> engine = Engine("definitions/dinsos-pandeglang", "sample-data")  # doctest: +SKIP
    >>> evaluation = engine.evaluate("2026", by="kecamatan")              # doctest: +SKIP
    >>> print(evaluation.explain("iku-pmks-tertangani").text())           # doctest: +SKIP

    The engine loads each source once and keeps it for every ``evaluate`` after,
    reading a file again only when it has changed (:func:`~iku_rules.sources.base.file_signature`).
    ``close()`` lets the loaded data go (an ``evaluate`` after it loads afresh); used
    as a context manager, the engine closes itself:

    >>> with Engine("definitions/dinsos-pandeglang", "sample-data") as engine:  # doctest: +SKIP
    ...     years = [engine.evaluate(str(year)) for year in (2025, 2026)]

    **Threads.** One engine may be shared by any number of threads (a web service
    answering requests, say): ``evaluate`` and ``close`` take the engine's lock, so its
    evaluations run one at a time over the data it loaded once, and each thread gets
    the answer it would get alone. An :class:`Evaluation`, once returned, is read-only
    and may be read by any thread. To evaluate in parallel, give each thread an engine
    of its own (each then loads the data itself). On DuckDB an engine given a folder opens
    DuckDB's database on a thread of its own while it loads the definitions.
    """

    def __init__(
        self,
        definitions: Definitions | str | Path,
        data: str | Path | None,
        *,
        backend: str | None = None,
        allow_outside_data: bool = False,
        connect: Any = None,
        validation_cache: ValidationCache | bool = True,
        definitions_cache: DefinitionsCache | bool = True,
        today: date | None = None,
    ):
        """``allow_outside_data`` lets a source's path lead out of the data folder (an
        absolute path, or one through ``..``); by default such a source is refused.

        ``validation_cache``: where the DuckDB backend keeps the passes that validated CSV
        files cell by cell, so that a later engine reading the same unchanged file by the
        same rules skips its pass (:mod:`iku_rules.sources.validation_cache`). True: the
        user's cache folder (``IKU_CACHE_DIR``, ``off`` for none); False: every file is
        validated by every engine. ``definitions_cache``: likewise for definitions given as
        a path, kept as read (:mod:`iku_rules.loader.kept`); False: read every time.

        ``connect`` says where an engine of the office's own is (see
        :func:`iku_rules.sources.connect.target`): a PostgreSQL URL
        (``postgresql://user@host/db``; the backend is then ``postgresql`` and ``data``
        may be None), or for ``backend="spark"`` a ``SparkSession`` or a Spark master
        (``local[2]`` by default). Without it, ``postgresql`` uses the ``[database]`` of
        the definitions.

        ``today``: the day the evaluations are made on, by which a period not over is
        provisional (:mod:`iku_rules.provisional`); None: the day ``IKU_TODAY`` names,
        else the day each evaluation runs."""
        from iku_rules.sources.connect import held_elsewhere, target

        self.today = today
        if today is None:
            provisional_day()  # a malformed IKU_TODAY is refused before any work

        self.allow_outside_data = allow_outside_data
        self.validation_cache = (
            ValidationCache.default() if validation_cache is True else validation_cache or None
        )
        if not isinstance(definitions, Definitions) and backend in (None, "duckdb") and not connect:
            connect_ahead()  # DuckDB, the default, starts its database while these load
        self.definitions = (
            definitions
            if isinstance(definitions, Definitions)
            else load_kept(definitions, definitions_cache)
        )
        if not self.definitions.ok:
            raise DefinitionError(self.definitions)
        backend, self._target = target(backend, connect, self.definitions.files)
        if data is None and not held_elsewhere(backend, self._target):
            raise IkuError(_("no data folder given; name the folder the data files are in"))
        self.data_dir = Path(data) if data is not None else Path.cwd()
        if data is not None and not self.data_dir.is_dir():
            raise IkuError(_("no such data folder: {folder}").format(folder=self.data_dir))
        self.backend_name = backend
        self.sources = {source.id: source for source in self.definitions.sources}
        self.registers = {
            name_key(s.id): s for s in self.definitions.sources if s.kind == "register"
        }
        names, _problems = name_table(self.definitions)
        self.schema = {key: binding for key, (_, binding, _) in names.items()}
        self.spelled = {key: spelling for key, (_, _, spelling) in names.items()}
        self.order = evaluation_order(self.definitions)
        rules = self.definitions.rules
        self.rule_tables = default_rules()
        if rules is not None and (rules.floor is not None or rules.cap is not None):
            self.rule_tables = self.rule_tables.with_policy(rules.floor, rules.cap)
        self.specs, self.inline = self._collect_specs()
        # Looked up for every indicator and region: built once.
        self.indicators = self.definitions.indicators
        self.parameter_keys = {name_key(p.name): p for p in self.definitions.parameters}
        self.input_keys = {i.key: i for i in self.definitions.inputs}
        self.indicator_keys = {name_key(i.id): i for i in self.indicators}
        self.reads = {
            i.id: formula_reads(
                i,
                self.inline.get(i.id, {}),
                self.specs,
                self.input_keys,
                self.parameter_keys,
                self.indicator_keys,
            )
            for i in self.indicators
        }
        """What each indicator's formula reads, in order (:mod:`iku_rules.reads`)."""
        self.area = self.definitions.area
        self._compiled: dict[str, Compiled] = {}
        self._views: dict[tuple[str, str, str | None, str], Seen] = {}
        """Each indicator as each region sees it (its targets), found once."""
        self._ratios: dict[str, tuple[ast.Product | None, str | None]] = {}
        """Each indicator's ratio and its text, found once."""
        self._open: Backend | None = None
        self._lock = threading.RLock()
        """Held by ``evaluate`` and ``close``: a backend's connection serves one question
        at a time."""
        self._previous_used = any(
            isinstance(node, ast.Call) and node.func == "sebelumnya"
            for indicator in self.definitions.indicators
            if indicator.formula is not None
            for node in ast.walk(indicator.formula.body)
        )

    # -- what is needed

    def _collect_specs(self) -> tuple[dict[str, MeasureSpec], dict[str, dict[ast.Node, str]]]:
        specs: dict[str, MeasureSpec] = {}
        inline: dict[str, dict[ast.Node, str]] = {}
        for measure in self.definitions.measures:
            source = self.sources[measure.source]
            specs[measure.key] = from_definition(measure, source, measure.key)
        for indicator in self.definitions.indicators:
            if indicator.formula is None:
                continue
            found = inline[indicator.id] = {}
            for node, spec in inline_measures(indicator.formula.body, self.registers):
                key = "inline: " + spec.key
                specs.setdefault(key, evolve(spec, key=key))
                found[node] = key
        return specs, inline

    def _needed_specs(self) -> dict[str, MeasureSpec]:
        used: set[str] = set()
        for indicator in self.definitions.indicators:
            if indicator.formula is None:
                continue
            used.update(name.key for name in indicator.formula.names if name.key in self.specs)
            used.update(self.inline.get(indicator.id, {}).values())
        return {key: self.specs[key] for key in sorted(used)}

    def _backend(self) -> Backend:
        """The backend holding the loaded data, opened on first use; sources whose file
        changed since they were loaded are forgotten, to be read again."""
        if self._open is None:
            self._open = self._new_backend()
            specs = self._needed_specs().values()
            watched = watched_columns(specs)
            for source_id, columns in date_ordered(specs).items():  # checked as filters are
                watched.setdefault(source_id, set()).update(columns)
            self._open.watched.update(watched)
        else:
            self._open.refresh()
        return self._open

    def close(self) -> None:
        """Let the loaded data go (an ``evaluate`` after this loads the data again)."""
        with self._lock:
            backend, self._open = self._open, None
            if backend is not None:
                backend.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _new_backend(self) -> Backend:
        sources = list(self.sources.values())
        if self.backend_name == "python":
            return PythonBackend(sources, self.data_dir, allow_outside=self.allow_outside_data)
        # DuckDB and sqlglot load only when a query runs, so iku check stays quick.
        from iku_rules.sources import backend_class

        options: dict[str, Any] = {"allow_outside": self.allow_outside_data}
        if self._target is not None:  # an engine of the office's own (PostgreSQL, Spark)
            options["target"] = self._target
        elif self.backend_name == "duckdb":  # the one that keeps its validating passes
            options["cache"] = self.validation_cache
        return backend_class(self.backend_name)(sources, self.data_dir, **options)

    # -- evaluation

    def evaluate(self, period: str | Period, by: str | None = None) -> Evaluation:
        """Every indicator for ``period`` (``2026``, ``2026-TW1``, ``2026-sd-TW3``), for the
        whole kabupaten and, with ``by`` (e.g. ``"kecamatan"``), for each region."""
        period = period if isinstance(period, Period) else Period.parse(period)
        if by is not None:
            check_by(self.definitions.level_ids(), by)
        with self._lock:  # one question at a time (see Threads, above)
            return self._evaluate_period(period, by)

    evaluate_many = evaluate_many  # several periods, each source asked once for them all

    def _evaluate_period(self, period: Period, by: str | None) -> Evaluation:
        def evaluate(backend: Backend) -> Evaluation:
            previous = None
            if self._previous_used:
                previous = self._evaluate(backend, period.previous(), by, None)
            return self._evaluate(backend, period, by, previous)

        return settled(self, evaluate, by, [period])  # the data checked first, again if changed

    def _assess(self, result: IndicatorResult, by: str | None = None) -> IndicatorResult:
        """Add target, capaian and predikat by the office's rules (the area's or a region's),
        knowing whether its period is over on the day of the evaluation."""
        day = self.today if self.today is not None else provisional_day()
        over = day > result.period.end
        return assess_at(result, self.definitions, self.rule_tables, by, self._views, over)

    def _evaluate(
        self, backend: Backend, period: Period, by: str | None, previous: Evaluation | None
    ) -> Evaluation:
        # One language for the whole evaluation, found once rather than for every reason.
        with use_language(current_language()):
            fetched = Fetched(self, backend, period, by)
            regions = fetched.regions()
            done: dict[str | None, dict[str, IndicatorResult]] = {}
            for region in (None, *regions):
                earlier = (
                    None
                    if previous is None
                    else previous_values(previous, region, self.definitions)
                )
                done[region] = self._results(fetched, region, {}, self.order, earlier)
        return self._evaluation(backend, period, by, regions, done, previous)

    def _results(
        self,
        fetched: Fetched,
        region: str | None,
        done: dict[str, IndicatorResult],
        indicators: Sequence[Indicator],
        earlier: Env | None = None,
    ) -> dict[str, IndicatorResult]:
        """``done`` with the results of ``indicators`` (in the cascade's order) for
        ``region`` added, each assessed."""
        by = fetched.by
        for indicator in indicators:
            none = None  # a region's capaian when it has no target there
            if region is not None and by is not None:
                _, none = seen_at(indicator, by, region, self.area, self._views)
            result = self._indicator(indicator, fetched, region, done, earlier, none)
            done[indicator.id] = result if none is not None else self._assess(result, by)
        return done

    def _evaluation(
        self,
        backend: Backend,
        period: Period,
        by: str | None,
        regions: tuple[str, ...],
        done: Mapping[str | None, Mapping[str, IndicatorResult]],
        previous: Evaluation | None = None,
    ) -> Evaluation:
        results = tuple(done[r][i.id] for r in (None, *regions) for i in self.indicators)
        queries = tuple(backend.queries) if hasattr(backend, "queries") else ()
        day = self.today if self.today is not None else provisional_day()
        return Evaluation(
            self.definitions, period, by, regions, results, queries, backend.name, day, previous
        )

    def _indicator(
        self,
        indicator: Indicator,
        fetched: Fetched,
        region: str | None,
        done: Mapping[str, IndicatorResult],
        earlier: Env | None,
        capaian: CapaianResult | None = None,
    ) -> IndicatorResult:
        """One indicator for one region; ``earlier`` holds the previous period's values
        (for ``sebelumnya``); ``capaian``, the region's when it is known before the value
        (no target there: :func:`~iku_rules.assess_region.seen_at`)."""
        period = fetched.period
        if indicator.formula_kind == "realisasi":
            use = fetched.realisasi(indicator.id, region)
            use = read_realisasi(use, indicator, self.definitions, period, region)
            return IndicatorResult(
                indicator,
                period,
                region,
                use.value,
                "%" if use.value is not None and indicator.is_percent else None,
                use.reason,
                realisasi=use,
                capaian=capaian,
                area=self.area,
            )
        if indicator.formula_kind == "input":
            value, reason = fetched.input(indicator.id, region)
            return IndicatorResult(
                indicator,
                period,
                region,
                value,
                "%" if value is not None and indicator.is_percent else None,
                reason,
                inputs=((indicator.id, value, reason),),
                capaian=capaian,
                area=self.area,
            )
        assert indicator.formula is not None
        values, measures, inputs, parameters, refs = self._values(indicator, fetched, region, done)
        env = Env(values, earlier)
        compiled = self._compiled.get(indicator.id)
        if compiled is None:
            compiled = self._compiled[indicator.id] = compile_formula(
                indicator.formula, self.schema, self.spelled, self.inline.get(indicator.id)
            )
        result = run(compiled, indicator.formula, env)
        value, reason = result.value, result.reason
        if indicator.percent_statement == "within" and value is not None:
            ratio = self._ratios.get(indicator.id)
            if ratio is None:
                found = indicator.ratio
                ratio = self._ratios[indicator.id] = (
                    found,
                    None if found is None else to_text(found),
                )
            reason = coded(outside_statement(*ratio, result.trace), OUTSIDE_RATIO)
            value = None if reason else value
        return IndicatorResult(
            indicator,
            period,
            region,
            value,
            result.unit if value is not None else None,
            reason,
            result.trace,
            tuple(measures),
            tuple(inputs),
            tuple(parameters),
            tuple(refs),
            capaian=capaian,
            area=self.area,
        )

    def _values(
        self,
        indicator: Indicator,
        fetched: Fetched,
        region: str | None,
        done: Mapping[str, IndicatorResult],
    ) -> tuple[
        dict[str, Any],
        list[MeasureUse],
        list[tuple[str, Decimal | None, str | None]],
        list[tuple[str, Decimal]],
        list[str],
    ]:
        values: dict[str, Any] = {}
        measures: list[MeasureUse] = []
        inputs: list[tuple[str, Decimal | None, str | None]] = []
        parameters: list[tuple[str, Decimal]] = []
        refs: list[str] = []
        for kind, key in self.reads[indicator.id]:
            if kind == "measure":
                use = fetched.measure(self.specs[key], region)
                measures.append(use)
                values[key] = (
                    use.value
                    if use.value is not None
                    else NotAvailable(use.reason or _("not available"))
                )
            elif kind == "input":
                value, reason = fetched.input(self.input_keys[key].name, region)
                inputs.append((self.input_keys[key].name, value, reason))
                values[key] = (
                    value if value is not None else NotAvailable(reason or _("not available"))
                )
            elif kind == "parameter":
                parameter = self.parameter_keys[key]
                parameters.append((parameter.name, parameter.value))
                values[key] = parameter.value
            else:
                other = done[self.indicator_keys[key].id]
                refs.append(other.indicator.id)
                if other.value is None:
                    values[key] = NotAvailable(
                        wrapped(
                            _("indicator {indicator} is not available ({reason})"),
                            other.reason,
                            indicator=other.indicator.id,
                        )
                    )
                elif other.realisasi is not None and (
                    missing := unreported_triwulan(other, self.definitions)
                ):
                    values[key] = NotAvailable(unreported_sum(other, missing))
                elif (absent := absent_sum(other, self.definitions)) is not None:
                    values[key] = NotAvailable(absent)  # a region's triwulan counted as none
                else:
                    values[key] = other.value
        return values, measures, inputs, parameters, refs
