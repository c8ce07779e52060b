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
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.check import name_table
from iku_rules.counts import check_data
from iku_rules.decimals import total
from iku_rules.errors import IkuError
from iku_rules.evaluator import Compiled, Env, NotAvailable, compile_formula, run
from iku_rules.loader import load
from iku_rules.measures import MeasureSpec, Tally, from_definition, inline_measures, measure_value
from iku_rules.model import Definitions, Indicator, Source, Target, Threshold
from iku_rules.output import json_target
from iku_rules.periods import Period
from iku_rules.printer import to_text
from iku_rules.rules import CapaianResult, RuleError, capaian, default_rules, predikat
from iku_rules.sources.base import Answer, Backend, GroupKey, InputValue, Query
from iku_rules.sources.python_engine import PythonBackend
from iku_rules.trace import TraceStep, format_decimal

BACKEND_NAMES = ("duckdb", "sqlite", "python", "postgresql", "spark")
"""The engines that can run the aggregates: three embedded, and two of the office's own
(a PostgreSQL database, a Spark session) that need a connection target."""


class DefinitionError(IkuError):
    """Definitions with errors cannot be evaluated; ``diagnostics`` lists them."""

    def __init__(self, definitions: Definitions):
        self.diagnostics = definitions.errors
        lines = "\n".join(str(d) for d in self.diagnostics[:20])
        more = len(self.diagnostics) - 20
        super().__init__(
            f"the definitions have {len(self.diagnostics)} error(s); fix them first (iku check):\n{lines}"
            + (f"\n… and {more} more" if more > 0 else "")
        )


@frozen
class MeasureUse:
    """A measure as one indicator used it, for one region: its value (or reason), the
    raw counts, how it was fetched, and how much each sub kegiatan contributed."""

    spec: MeasureSpec
    region: str | None
    value: Decimal | None
    reason: str | None
    tally: Tally | None
    query: Query | None
    rows_read: int | None
    breakdown: tuple[tuple[str, Tally], ...] = ()


@frozen
class RealisasiUse:
    """The realisasi reported for one indicator: its sum and the value of each triwulan."""

    value: Decimal | None
    reason: str | None
    rows: int
    by_triwulan: tuple[tuple[str, Decimal | None], ...]
    query: Query | None


@frozen
class IndicatorResult:
    """One indicator's value for one period and region (``None``: the whole kabupaten)."""

    indicator: Indicator
    period: Period
    region: str | None
    value: Decimal | None
    unit: str | None
    reason: str | None
    trace: TraceStep | None = None
    measures: tuple[MeasureUse, ...] = ()
    inputs: tuple[tuple[str, Decimal | None, str | None], ...] = ()
    parameters: tuple[tuple[str, Decimal], ...] = ()
    indicators: tuple[str, ...] = ()
    realisasi: RealisasiUse | None = None
    target: Target | None = None
    capaian: CapaianResult | None = None
    predikat: str | None = None

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def capaian_reason(self) -> str | None:
        """Why there is no capaian (``None`` when there is one)."""
        if self.capaian is None:
            return "capaian is given for the whole kabupaten only" if self.region else None
        return self.capaian.reason

    def as_row(self) -> dict[str, Any]:
        """The result as one row of ``iku eval`` output; numbers are exact Decimals (write
        them with :func:`iku_rules.output.json_dumps`, or :func:`~iku_rules.output.cell_text`)."""
        return {
            "id": self.indicator.id,
            "name": self.indicator.name,
            "level": self.indicator.level,
            "period": self.period.label,
            "region": self.region,
            "value": self.value,
            "unit": self.unit,
            "reason": self.reason,
            "target": json_target(self.target),
            "capaian": self.capaian.value if self.capaian else None,
            "capaian_reason": self.capaian_reason,
            "predikat": self.predikat,
            "policy_applied": self.capaian.policy_applied if self.capaian else None,
        }


@frozen(hash=False)
class Evaluation:
    """Every indicator's result for one period, for the kabupaten and each region."""

    definitions: Definitions
    period: Period
    by: str | None
    regions: tuple[str, ...]
    results: tuple[IndicatorResult, ...]
    queries: tuple[Query, ...] = ()
    backend: str = "duckdb"
    _index: dict[tuple[str, str | None], IndicatorResult] = field(
        factory=dict, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        self._index.update({(r.indicator.id, r.region): r for r in self.results})

    def get(self, indicator_id: str, region: str | None = None) -> IndicatorResult:
        """The result of one indicator (``region`` None: the whole kabupaten)."""
        try:
            return self._index[(indicator_id, region)]
        except KeyError:
            from iku_rules.loader import did_you_mean

            if region is not None and region not in self.regions:
                raise IkuError(
                    f"no region '{region}' in the results; "
                    + (did_you_mean(region, self.regions) or "")
                ) from None
            ids = [i.id for i in self.definitions.indicators]
            raise IkuError(
                f"no indicator '{indicator_id}'; " + (did_you_mean(indicator_id, ids) or "")
            ) from None

    def rows(self) -> list[dict[str, Any]]:
        """Every result as a row: kabupaten rows first, then per region."""
        return [result.as_row() for result in self.results]

    def explain(self, indicator_id: str, region: str | None = None) -> Any:
        """The tree of how one value was reached, down to the data (see :mod:`iku_rules.explain`)."""
        from iku_rules.explain import explain

        return explain(self, indicator_id, region)


class Engine:
    """Evaluates a definitions folder against its data.

    >>> engine = Engine("definitions/dinsos-pandeglang", "sample-data")  # doctest: +SKIP
    >>> evaluation = engine.evaluate("2026", by="kecamatan")              # doctest: +SKIP
    >>> print(evaluation.explain("iku-pmks-tertangani").text())           # doctest: +SKIP

    The engine loads each source once and keeps it for every ``evaluate`` after,
    reading a file again only when it has changed (its size or modification time).
    ``close()`` lets the loaded data go (an ``evaluate`` after it loads afresh); used
    as a context manager, the engine closes itself:

    >>> with Engine("definitions/dinsos-pandeglang", "sample-data") as engine:  # doctest: +SKIP
    ...     years = [engine.evaluate(str(year)) for year in (2025, 2026)]

    **Threads.** One engine may be shared by any number of threads (a web service
    answering requests, say): ``evaluate`` and ``close`` take the engine's lock, so its
    evaluations run one at a time over the data it loaded once, and each thread gets
    the answer it would get alone. An :class:`Evaluation`, once returned, is read-only
    and may be read by any thread. To evaluate in parallel, give each thread an engine
    of its own (each then loads the data itself).
    """

    def __init__(
        self,
        definitions: Definitions | str | Path,
        data: str | Path | None,
        *,
        backend: str | None = None,
        allow_outside_data: bool = False,
        connect: Any = None,
    ):
        """``allow_outside_data`` lets a source's path lead out of the data folder (an
        absolute path, or one through ``..``); by default such a source is refused.

        ``connect`` says where an engine of the office's own is (see
        :func:`iku_rules.sources.connect.target`): a PostgreSQL URL
        (``postgresql://user@host/db``; the backend is then ``postgresql`` and ``data``
        may be None), or for ``backend="spark"`` a ``SparkSession`` or a Spark master
        (``local[2]`` by default). Without it, ``postgresql`` uses the ``[database]`` of
        the definitions."""
        from iku_rules.sources.connect import target

        self.allow_outside_data = allow_outside_data
        self.definitions = (
            definitions if isinstance(definitions, Definitions) else load(definitions)
        )
        if not self.definitions.ok:
            raise DefinitionError(self.definitions)
        backend, self._target = target(backend, connect, self.definitions.files)
        if data is None and backend != "postgresql":
            raise IkuError("no data folder given; name the folder the data files are in")
        self.data_dir = Path(data) if data is not None else Path.cwd()
        if data is not None and not self.data_dir.is_dir():
            raise IkuError(f"no such data folder: {self.data_dir}")
        self.backend_name = backend
        self.sources = {source.id: source for source in self.definitions.sources}
        self.registers = {
            name_key(s.id): s for s in self.definitions.sources if s.kind == "register"
        }
        names, _ = name_table(self.definitions)
        self.schema = {key: binding for key, (_, binding, _) in names.items()}
        self.spelled = {key: spelling for key, (_, _, spelling) in names.items()}
        self.order = _evaluation_order(self.definitions)
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
        self._compiled: dict[str, Compiled] = {}
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
        from iku_rules.sources.sql_backend import backend_class

        chosen = backend_class(self.backend_name)
        if self._target is not None:  # an engine of the office's own (PostgreSQL, Spark)
            return chosen(  # type: ignore[call-arg]
                sources, self.data_dir, allow_outside=self.allow_outside_data, target=self._target
            )
        return chosen(sources, self.data_dir, allow_outside=self.allow_outside_data)

    # -- evaluation

    def evaluate(self, period: str | Period, by: str | None = None) -> Evaluation:
        """Every indicator for ``period`` (``2026``, ``2026-TW1``, ``2026-sd-TW3``), for the
        whole kabupaten and, with ``by`` (e.g. ``"kecamatan"``), for each region."""
        period = period if isinstance(period, Period) else Period.parse(period)
        if by is not None and not any(s.region_column for s in self.sources.values()):
            raise IkuError(f"no source has a region column, so results cannot be given by {by}")
        with self._lock:  # one question at a time (see Threads, above)
            return self._evaluate_period(period, by)

    def _evaluate_period(self, period: Period, by: str | None) -> Evaluation:
        backend = self._backend()
        check_data(self.definitions, backend, self.data_dir, allow_outside=self.allow_outside_data)
        if hasattr(backend, "queries"):
            backend.queries.clear()  # an evaluation lists the statements it ran itself
        previous = None
        if self._uses_previous():
            previous = self._evaluate(backend, period.previous(), by, None)
        return self._evaluate(backend, period, by, previous)

    def _assess(self, result: IndicatorResult) -> IndicatorResult:
        """Add target, capaian and predikat by the office's rules (for the kabupaten)."""
        target, realisasi, wanted, method = self._targets(result)
        if wanted is not None:
            return evolve(result, target=None, capaian=_no_capaian(result, wanted))
        rules = self.definitions.rules
        if (
            result.indicator.polarity == "negatif"
            and rules
            and rules.negatif
            and not _names(method, ("selisih", "rasio"))
        ):
            method = f"{method}+{rules.negatif}" if method else rules.negatif
        try:
            assessed = capaian(
                realisasi,
                target,
                result.indicator.polarity,
                method,
                rules=self.rule_tables,
                detail=True,
            )
        except RuleError as error:
            return evolve(result, capaian=_no_capaian(result, str(error)))
        label = (
            predikat(assessed.value, "capaian", rules=self.rule_tables)
            if assessed.value is not None
            else None
        )
        shown_target = target if not isinstance(target, list) else _sum_targets(target)
        return evolve(result, target=shown_target, capaian=assessed, predikat=label)

    def _targets(self, result: IndicatorResult) -> tuple[Any, Any, str | None, str | None]:
        """The target and realisasi to compare for the result's period, the reason there are
        none, and the capaian method (the indicator's own, else the office's)."""
        indicator, period = result.indicator, result.period
        rules = self.definitions.rules
        method = indicator.capaian_method
        if period.kind == "year":
            target = indicator.targets.get(period.year)
            if target is None:
                return None, None, f"there is no target for {period.year}", None
            return target, result.value, None, _only(method, ("selisih", "rasio"))
        labels = period.triwulan
        if period.kind == "triwulan":
            target = indicator.triwulan_targets.get(labels[0])
            if target is None:
                return None, None, f"there is no target for {labels[0]}", None
            return target, result.value, None, _only(method, ("selisih", "rasio"))
        triwulan = (
            _only(method, ("kumulatif", "terakhir", "tahunan"))
            or (rules.triwulan if rules else None)
            or "kumulatif"
        )
        formula = _only(method, ("selisih", "rasio"))
        combined = f"{triwulan}+{formula}" if formula else triwulan
        quarters = [indicator.triwulan_targets.get(label) for label in labels]
        if triwulan == "tahunan":
            annual = indicator.targets.get(period.year)
            if annual is None:
                return None, None, f"there is no target for {period.year}", None
            return annual, result.value, None, formula
        if any(q is None for q in quarters):
            return None, None, f"there are no targets for every triwulan up to {labels[-1]}", None
        if result.realisasi is not None:
            values = dict(result.realisasi.by_triwulan)
            return quarters, [values.get(label) for label in labels], None, combined
        if triwulan == "terakhir":
            return None, None, "'terakhir' needs the realisasi of each triwulan", None
        return _sum_targets(quarters), result.value, None, formula

    def _uses_previous(self) -> bool:
        return self._previous_used

    def _evaluate(
        self, backend: Backend, period: Period, by: str | None, previous: Evaluation | None
    ) -> Evaluation:
        fetched = Fetched(self, backend, period, by)
        regions = fetched.regions()
        results: list[IndicatorResult] = []
        for region in (None, *regions):
            earlier = None if previous is None else _previous_values(previous, region)
            done: dict[str, IndicatorResult] = {}
            for indicator in self.order:
                result = self._indicator(indicator, fetched, region, done, earlier)
                done[indicator.id] = self._assess(result) if region is None else result
            results.extend(done[indicator.id] for indicator in self.indicators)
        queries = tuple(backend.queries) if hasattr(backend, "queries") else ()
        return Evaluation(
            self.definitions, period, by, regions, tuple(results), queries, backend.name
        )

    def _indicator(
        self,
        indicator: Indicator,
        fetched: Fetched,
        region: str | None,
        done: Mapping[str, IndicatorResult],
        earlier: Mapping[str, Any] | None,
    ) -> IndicatorResult:
        """One indicator for one region; ``earlier`` holds the previous period's values
        (for ``sebelumnya``)."""
        period = fetched.period
        unit = "%" if indicator.is_percent else None
        if indicator.formula_kind == "realisasi":
            use = fetched.realisasi(indicator.id, region)
            return IndicatorResult(
                indicator,
                period,
                region,
                use.value,
                unit if use.value is not None else None,
                use.reason,
                realisasi=use,
            )
        if indicator.formula_kind == "input":
            value, reason = fetched.input(indicator.id, region)
            return IndicatorResult(
                indicator,
                period,
                region,
                value,
                unit if value is not None else None,
                reason,
                inputs=((indicator.id, value, reason),),
            )
        assert indicator.formula is not None
        values, measures, inputs, parameters, refs = self._values(indicator, fetched, region, done)
        env = Env(values)
        if earlier is not None:
            env = Env(values, Env(earlier))
        compiled = self._compiled.get(indicator.id)
        if compiled is None:
            compiled = self._compiled[indicator.id] = compile_formula(
                indicator.formula, self.schema, self.spelled, self.inline.get(indicator.id)
            )
        result = run(compiled, indicator.formula, env)
        value, reason = result.value, result.reason
        if indicator.percent_statement == "within" and value is not None:
            reason = _outside_statement(indicator, result.trace)
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
        assert indicator.formula is not None
        values: dict[str, Any] = {}
        measures: list[MeasureUse] = []
        inputs: list[tuple[str, Decimal | None, str | None]] = []
        parameters: list[tuple[str, Decimal]] = []
        refs: list[str] = []
        by_key, input_keys, indicator_keys = (
            self.parameter_keys,
            self.input_keys,
            self.indicator_keys,
        )
        for key in self.inline.get(indicator.id, {}).values():
            use = fetched.measure(self.specs[key], region)
            measures.append(use)
            values[key] = (
                use.value if use.value is not None else NotAvailable(use.reason or "not available")
            )
        for name in indicator.formula.names:
            key = name.key
            if key in self.specs:
                use = fetched.measure(self.specs[key], region)
                measures.append(use)
                values[key] = (
                    use.value
                    if use.value is not None
                    else NotAvailable(use.reason or "not available")
                )
            elif key in input_keys:
                value, reason = fetched.input(input_keys[key].name, region)
                inputs.append((input_keys[key].name, value, reason))
                values[key] = (
                    value if value is not None else NotAvailable(reason or "not available")
                )
            elif key in by_key:
                parameters.append((by_key[key].name, by_key[key].value))
                values[key] = by_key[key].value
            elif key in indicator_keys:
                other = done[indicator_keys[key].id]
                refs.append(other.indicator.id)
                values[key] = (
                    other.value
                    if other.value is not None
                    else NotAvailable(
                        f"indicator {other.indicator.id} is not available ({other.reason})"
                    )
                )
        return values, measures, inputs, parameters, refs


def _outside_statement(indicator: Indicator, trace: TraceStep) -> str | None:
    """Why a value whose ratio is stated to lie within 0–1 (its numerator within its
    denominator) is not available, or None when the ratio the data give does lie there
    (or was not computed: a branch of ``if`` not taken)."""
    ratio = indicator.ratio
    if ratio is None:
        return None
    text = to_text(ratio)
    stack = [trace]
    while stack:
        step = stack.pop()
        if step.span == ratio.span and step.text == text and len(step.children) >= 2:
            top, bottom = step.children[0].value, step.children[1].value
            break
        stack.extend(step.children)
    else:
        return None
    if not isinstance(top, Decimal) or not isinstance(bottom, Decimal) or bottom == 0:
        return None
    share = top / bottom
    if 0 <= share <= 1:
        return None
    numbers = (
        f"'{to_text(ratio.operands[0])}' is {format_decimal(top)} and"
        f" '{to_text(ratio.operands[1])}' is {format_decimal(bottom)}"
    )
    if share > 1:
        return (
            "the definition states that the numerator lies within the denominator, but the"
            f" data give more: {numbers}; check the data, or state may_exceed_100 = true if"
            " it can truly exceed it"
        )
    return (
        "the definition states that the numerator lies within the denominator, but the"
        f" data give a share below 0: {numbers}; check the data"
    )


def _previous_values(previous: Evaluation, region: str | None) -> dict[str, Any]:
    """What ``sebelumnya(x)`` reads: every value of the previous period for one region."""
    values: dict[str, Any] = {}

    def value_or_reason(value: Decimal | None, reason: str | None) -> Any:
        return value if value is not None else NotAvailable(f"{reason} (previous period)")

    for result in previous.results:
        if result.region != region:
            continue
        for use in result.measures:
            values[use.spec.key] = value_or_reason(use.value, use.reason)
        for name, value, reason in result.inputs:
            values[name_key(name)] = value_or_reason(value, reason)
        for name, parameter in result.parameters:
            values[name_key(name)] = parameter
        values[name_key(result.indicator.id)] = value_or_reason(result.value, result.reason)
    return values


def _only(method: str | None, names: tuple[str, ...]) -> str | None:
    """The part of a method like ``kumulatif+rasio`` that is one of ``names``."""
    if not method:
        return None
    return next((part.strip() for part in method.split("+") if part.strip() in names), None)


def _names(method: str | None, names: tuple[str, ...]) -> bool:
    return _only(method, names) is not None


def _sum_targets(targets: list[Any]) -> Target:
    thresholds = {t.op for t in targets if isinstance(t, Threshold)}
    if thresholds:
        if len(thresholds) > 1 or (
            len(thresholds) == 1 and not all(isinstance(t, Threshold) for t in targets)
        ):
            raise RuleError("the triwulan targets mix thresholds of different kinds with numbers")
        return Threshold(thresholds.pop(), sum((t.value for t in targets), Decimal(0)))
    if any(isinstance(t, tuple) for t in targets):
        lows = total(t[0] if isinstance(t, tuple) else t for t in targets)
        highs = total(t[1] if isinstance(t, tuple) else t for t in targets)
        return lows, highs
    return total(targets)


def _no_capaian(result: IndicatorResult, reason: str) -> CapaianResult:
    return CapaianResult(
        value=None, raw=None, reason=reason, method="", polarity=result.indicator.polarity,
        policy_applied=None, target_used=None,
    )  # fmt: skip


def _evaluation_order(definitions: Definitions) -> list[Indicator]:
    """Indicators so that each comes after those its formula names (cycles were refused by the checks)."""
    by_key = {name_key(i.id): i for i in definitions.indicators}
    order: list[Indicator] = []
    placed: set[str] = set()

    def visit(indicator: Indicator) -> Iterator[Indicator]:
        stack = [(indicator, False)]
        while stack:
            current, expanded = stack.pop()
            if current.id in placed:
                continue
            if expanded:
                placed.add(current.id)
                yield current
                continue
            stack.append((current, True))
            if current.formula is not None:
                for name in current.formula.names:
                    other = by_key.get(name.key)
                    if other is not None and other.id not in placed and other.id != current.id:
                        stack.append((other, False))

    for indicator in definitions.indicators:
        order.extend(visit(indicator))
    return order


class Fetched:
    """Everything fetched for one period: measure tallies, realisasi, inputs, per group."""

    def __init__(self, engine: Engine, backend: Backend, period: Period, by: str | None):
        self.engine = engine
        self.period = period
        self.by = by
        self.answers: dict[str, tuple[Answer, list[tuple[str, ...]], list[MeasureSpec]]] = {}
        self.realisasi_answers: dict[str, tuple[Answer, list[tuple[str, ...]]]] = {}
        self.input_values: dict[str, InputValue] = {}
        self.input_query: Query | None = None
        specs = engine._needed_specs()
        by_source: dict[str, list[MeasureSpec]] = {}
        for spec in specs.values():
            by_source.setdefault(spec.source.id, []).append(spec)
        for source_id, source_specs in by_source.items():
            source = engine.sources[source_id]
            groupings = self.groupings(source)
            self.answers[source_id] = (
                backend.measures(source, source_specs, period, groupings),
                groupings,
                source_specs,
            )
        realisasi_ids = [
            i.id for i in engine.definitions.indicators if i.formula_kind == "realisasi"
        ]
        for source in engine.sources.values():
            if source.kind == "realisasi" and realisasi_ids:
                groupings = self.realisasi_groupings(source)
                self.realisasi_answers[source.id] = (
                    backend.realisasi(source, realisasi_ids, period, groupings),
                    groupings,
                )
        wanted = [i.name for i in engine.definitions.inputs] + [
            i.id for i in engine.definitions.indicators if i.formula_kind == "input"
        ]
        for source in engine.sources.values():
            if source.kind == "inputs" and wanted:
                answers, self.input_query = backend.inputs(source, wanted, period.year)
                self.input_values.update(answers)
        # Every group's tallies filed under its grouping and all but its last column, so that
        # an indicator's sub kegiatan or triwulan are found without scanning every group.
        self.by_prefix: dict[int, dict[tuple[int, tuple[str | None, ...]], list[Any]]] = {}
        answers_fetched = [answer for answer, _, _ in self.answers.values()]
        answers_fetched += [answer for answer, _ in self.realisasi_answers.values()]
        for answer in answers_fetched:
            filed: dict[tuple[int, tuple[str | None, ...]], list[Any]] = {}
            for (index, values), tallies in answer.groups.items():
                filed.setdefault((index, values[:-1]), []).append((values, tallies))
            self.by_prefix[id(answer)] = filed

    def groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [()]
        region = source.region_column if self.by else None
        if region:
            groupings.append((region,))
        if source.breakdown_column:
            groupings.append((source.breakdown_column,))
            if region:
                groupings.append((region, source.breakdown_column))
        return groupings

    def realisasi_groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [("indikator",), ("indikator", "periode")]
        if self.by and source.region_column:
            groupings += [
                (source.region_column, "indikator"),
                (source.region_column, "indikator", "periode"),
            ]
        return groupings

    def regions(self) -> tuple[str, ...]:
        """The regions any source has rows for (only when results are asked ``by`` region)."""
        if not self.by:
            return ()
        found: set[str] = set()
        tables = [
            (source_id, answer, groupings)
            for source_id, (answer, groupings, _) in self.answers.items()
        ]
        tables += [
            (source_id, answer, groupings)
            for source_id, (answer, groupings) in self.realisasi_answers.items()
        ]
        for source_id, answer, groupings in tables:
            column = self.engine.sources[source_id].region_column
            if not column:
                continue
            for grouping in ((column,), (column, "indikator")):
                if grouping in groupings:
                    index = groupings.index(grouping)
                    found.update(
                        values[0] for (i, values) in answer.groups if i == index and values[0]
                    )
        return tuple(sorted(found))

    def _where(self, region: str | None) -> str:
        place = f" in {self.by} {region}" if region else ""
        return f"in {self.period.label}{place}"

    def measure(self, spec: MeasureSpec, region: str | None) -> MeasureUse:
        answer, groupings, _ = self.answers[spec.source.id]
        where = self._where(region)
        if region is not None and not spec.source.region_column:
            reason = f"{spec.source.id} has no {self.by} column, so it has no value per {self.by}"
            return MeasureUse(spec, region, None, reason, None, answer.query, answer.rows_read)
        key: GroupKey = (0, ())
        if region is not None and spec.source.region_column:
            key = (groupings.index((spec.source.region_column,)), (region,))
        tally = answer.groups.get(key, {}).get(spec.key)
        value = measure_value(spec, tally, where)
        breakdown = self._breakdown(answer, groupings, spec, region)
        if isinstance(value, NotAvailable):
            return MeasureUse(
                spec, region, None, value.reason, tally, answer.query, answer.rows_read, breakdown
            )
        return MeasureUse(
            spec, region, value, None, tally, answer.query, answer.rows_read, breakdown
        )

    def _breakdown(
        self,
        answer: Answer,
        groupings: list[tuple[str, ...]],
        spec: MeasureSpec,
        region: str | None,
    ) -> tuple[tuple[str, Tally], ...]:
        column = spec.source.breakdown_column
        if not column:
            return ()
        wanted = (column,) if region is None else (spec.source.region_column or "", column)
        if wanted not in groupings:
            return ()
        index = groupings.index(wanted)
        rows = []
        prefix = () if region is None else (region,)
        for values, tallies in self.by_prefix[id(answer)].get((index, prefix), ()):
            tally = tallies.get(spec.key)
            if tally is not None and tally.matched and values[-1] is not None:
                rows.append((values[-1], tally))
        return tuple(sorted(rows))

    def realisasi(self, indicator_id: str, region: str | None) -> RealisasiUse:
        where = self._where(region)
        for answer, groupings in self.realisasi_answers.values():
            source_region = next(
                (g[0] for g in groupings if len(g) == 2 and g[1] == "indikator"), None
            )
            total_key: GroupKey
            if region is None:
                total_key = (groupings.index(("indikator",)), (indicator_id,))
                quarter_index = groupings.index(("indikator", "periode"))
                quarters = {
                    values[1]: tallies["total"].value
                    for values, tallies in self.by_prefix[id(answer)].get(
                        (quarter_index, (indicator_id,)), ()
                    )
                }
            else:
                if source_region is None:
                    return RealisasiUse(
                        None, f"the realisasi table has no {self.by} column", 0, (), answer.query
                    )
                total_key = (groupings.index((source_region, "indikator")), (region, indicator_id))
                quarter_index = groupings.index((source_region, "indikator", "periode"))
                quarters = {
                    values[2]: tallies["total"].value
                    for values, tallies in self.by_prefix[id(answer)].get(
                        (quarter_index, (region, indicator_id)), ()
                    )
                }
            tally = answer.groups.get(total_key, {}).get("total")
            by_quarter = tuple((q, quarters.get(q)) for q in self.period.triwulan if q in quarters)
            if tally is None or tally.matched == 0:
                return RealisasiUse(
                    None,
                    f"no realisasi reported for {indicator_id} {where}",
                    0,
                    by_quarter,
                    answer.query,
                )
            if tally.present < tally.matched:
                missing = tally.matched - tally.present
                return RealisasiUse(
                    None,
                    f"{missing} realisasi rows of {indicator_id} have no nilai {where}",
                    tally.matched,
                    by_quarter,
                    answer.query,
                )
            return RealisasiUse(tally.value, None, tally.matched, by_quarter, answer.query)
        return RealisasiUse(None, 'no [[source]] has kind = "realisasi"', 0, (), None)

    def input(self, name: str, region: str | None) -> tuple[Decimal | None, str | None]:
        if region is not None:
            return None, f"inputs are given for the whole kabupaten, not per {self.by}"
        found = self.input_values.get(name)
        if found is None or found.rows == 0:
            return None, f"the inputs have no value for {self.period.year}"
        if found.rows > 1:
            return (
                None,
                f"the inputs have {found.rows} values for '{name}' in {self.period.year}; keep one",
            )
        if found.value is None:
            return None, f"its value for {self.period.year} is empty in the inputs"
        return found.value, None
