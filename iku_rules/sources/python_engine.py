"""The pure-Python backend: reads the rows and aggregates them in Python.

For small data and for embedding without a database. It must agree with the
SQL backends to the last digit, including not-available cases; the
differential tests hold it to that. Filters run through the evaluator's
:class:`~iku_rules.evaluator.Predicate` (SQL's three-valued logic); decimals are
rounded to 6 places as the databases store them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from iku_rules import ast
from iku_rules.decimals import CONTEXT, round_half_away, total
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.predicate import Predicate
from iku_rules.evaluator.values import to_record
from iku_rules.formula import Formula
from iku_rules.keyed_rows import CODE_COLUMN
from iku_rules.latest_ties import Ties, find_ties
from iku_rules.limits import STORED_DECIMALS
from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import (
    Answer,
    Backend,
    GroupKey,
    InputValue,
    distinct_combinations,
    group_values,
    value_text,
)
from iku_rules.sources.reader import read_rows

Row = Mapping[str, Any]


def _stored(value: Any) -> Any:
    """A value as a database column would hold it (decimals to 6 places)."""
    if isinstance(value, Decimal):
        return round_half_away(value, STORED_DECIMALS)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def in_period(source: Source, period: Period, time: str) -> Callable[[Row], bool]:
    """Whether a row belongs to the period: dated within it (flow) or by its end (state).
    A row without a date belongs to no period, as in SQL."""
    grain = source.grain
    if grain is not None:  # values per period: the rows of the periods within it
        first, last = grain.bounds(period)
        if source.columns.get(grain.column) == "integer":
            low, high = Decimal(first), Decimal(last)
            return lambda row: (value := row.get(grain.column)) is not None and low <= value <= high
        return lambda row: (value := row.get(grain.column)) is not None and first <= value <= last
    column = source.date_column
    if not column:
        return lambda row: True
    start, end = period.start, period.end

    def test(row: Row) -> bool:
        day = row.get(column)
        if not isinstance(day, date):
            return False
        return day <= end and (time == "state" or day >= start)

    return test


def predicate(condition: ast.Node | None) -> Callable[[Row], bool]:
    """A filter condition over a row (column names looked up ignoring case)."""
    if condition is None:
        return lambda row: True
    test = Predicate(Compiler(Formula(condition), {}), condition).compile()
    return lambda row: test(to_record(row, "a row")) is True


class PythonBackend(Backend):
    """Aggregates in Python over rows read by :func:`~iku_rules.sources.reader.read_rows`."""

    name = "python"

    def __init__(self, sources: Sequence[Source], data_dir: Any, *, allow_outside: bool = False):
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def rows(self, source: Source) -> list[dict[str, Any]]:
        if source.id not in self._rows:
            stamp = self.stamp(source)
            self._rows[source.id] = [
                {key: _stored(value) for key, value in row.items()}
                for row in read_rows(source, self.data_dir, allow_outside=self.allow_outside)
            ]
            self.loaded(source, stamp)
        return self._rows[source.id]

    def forget(self, source: Source) -> None:
        self._rows.pop(source.id, None)

    def blank_row(self, source: Source, column: str) -> bool:
        return any(row.get(column) is None for row in self.rows(source))

    def distinct_rows(
        self, source: Source, columns: tuple[str, ...]
    ) -> list[tuple[str | None, ...]]:
        return distinct_combinations(self.rows(source), columns)

    def distinct(self, source: Source, column: str) -> list[str]:
        # from the rows already read, not the file read again for each column checked
        found = {row.get(column) for row in self.rows(source)}
        return sorted(value_text(value) for value in found if value is not None)

    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        rows = self.rows(source)
        windows = {time: in_period(source, period, time) for time in ("state", "flow")}
        tests = [(spec, windows[spec.time], predicate(spec.condition)) for spec in specs]
        latest = {
            spec.key: _latest_rows(rows, spec.latest.per, spec.latest.by, windows[spec.time])
            for spec in specs
            if spec.latest is not None
        }
        renamed, qualified = self.renames(source), self.qualifications(source)
        counters: dict[GroupKey, dict[str, Any]] = defaultdict(dict)
        for row in rows:
            flags = {time: test(row) for time, test in windows.items()}
            matched = {
                spec.key: flags[spec.time]
                and passes(row)
                and (spec.key not in latest or id(row) in latest[spec.key])
                for spec, _, passes in tests
            }
            for index, grouping in enumerate(groupings):
                key: GroupKey = (index, group_values(row, grouping, renamed, qualified))
                group = counters[key]
                for time, flag in flags.items():
                    group[f"window_{time}"] = group.get(f"window_{time}", 0) + flag
                for spec, _, _ in tests:
                    if matched[spec.key]:
                        _add(group, spec, row)
        groups: dict[GroupKey, dict[str, Tally]] = {}
        for key, group in counters.items():
            groups[key] = {spec.key: _tally(spec, group) for spec, _, _ in tests}
        return Answer(groups, None, len(rows))

    def realisasi(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        rows = self.rows(source)
        wanted, quarters = set(indicator_ids), set(period.triwulan)
        renamed, qualified = self.renames(source), self.qualifications(source)
        coded = CODE_COLUMN in source.columns
        sums: dict[GroupKey, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0), set()])
        for row in rows:
            if row.get("indikator") not in wanted or row.get("periode") not in quarters:
                continue
            value = row.get("nilai")
            for index, grouping in enumerate(groupings):
                key: GroupKey = (index, group_values(row, grouping, renamed, qualified))
                entry = sums[key]
                entry[0] += 1
                entry[3].add(_code(row.get(CODE_COLUMN)) if coded else None)
                if value is not None:
                    entry[1] += 1
                    entry[2] = CONTEXT.add(entry[2], value)
        # window: the sub kegiatan codes among the rows (an empty one, or none, one code)
        groups = {
            key: {"total": Tally(len(codes), rows, present, total if present else None)}
            for key, (rows, present, total, codes) in sums.items()
        }
        return Answer(groups, None, len(rows))

    def inputs(
        self, source: Source, names: Sequence[str], year: int
    ) -> tuple[Mapping[str, InputValue], None]:
        found: dict[str, list[Any]] = {}
        wanted = set(names)
        for row in self.rows(source):
            if row.get("nama") in wanted and row.get("tahun") == year:
                found.setdefault(row["nama"], []).append(row.get("nilai"))
        answers = {}
        for name, values in found.items():
            present = [value for value in values if value is not None]
            answers[name] = InputValue(len(values), total(present) if present else None)
        return answers, None

    def region_inputs(
        self, source: Source, names: Sequence[str], year: int, column: str
    ) -> tuple[Mapping[tuple[str, str | None], InputValue], None]:
        found: dict[tuple[str, str | None], list[Any]] = {}
        wanted, renamed = set(names), self.renames(source)
        qualified = self.qualifications(source)
        for row in self.rows(source):
            if row.get("nama") in wanted and row.get("tahun") == year:
                (region,) = group_values(row, (column,), renamed, qualified)
                found.setdefault((row["nama"], region), []).append(row.get("nilai"))
        answers = {}
        for key, values in found.items():
            present = [value for value in values if value is not None]
            answers[key] = InputValue(len(values), total(present) if present else None)
        return answers, None

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        wanted = set(keys)
        for row in self.rows(source):
            value = row.get(value_column)
            if row.get(key_column) not in wanted or value is None:
                continue
            if value != round_half_away(value, places):  # in the package's context
                return str(row[key_column]), value
        return None

    def latest_ties(self, source: Source, spec: MeasureSpec, period: Period) -> Ties:
        window = in_period(source, period, spec.time)
        return find_ties(self.rows(source), spec, window, predicate(spec.condition))

    def dates(
        self,
        source: Source,
        period: Period,
        time: str,
        groupings: Sequence[tuple[str, ...]],
    ) -> dict[GroupKey, tuple[date, date]]:
        window, column = in_period(source, period, time), source.date_column or ""
        renamed, qualified = self.renames(source), self.qualifications(source)
        found: dict[GroupKey, tuple[date, date]] = {}
        for row in self.rows(source):
            if not window(row):  # (a row without a date is in no window)
                continue
            day = row[column]
            for index, grouping in enumerate(groupings):
                key: GroupKey = (index, group_values(row, grouping, renamed, qualified))
                first, last = found.get(key, (day, day))
                found[key] = (min(first, day), max(last, day))
        return found


def _latest_rows(rows: Sequence[Row], per: str, by: str, window: Callable[[Row], bool]) -> set[int]:
    """The ids of the rows that are their entity's latest in the window (ties all kept:
    those that would change a number were refused before, :mod:`iku_rules.latest_ties`)."""
    largest: dict[Any, Any] = {}
    for row in rows:
        entity, when = row.get(per), row.get(by)
        if (
            entity is not None
            and when is not None
            and window(row)
            and (entity not in largest or when > largest[entity])
        ):
            largest[entity] = when
    return {
        id(row)
        for row in rows
        if row.get(per) is not None
        and row.get(by) is not None
        and window(row)
        and row.get(by) == largest.get(row.get(per))
    }


def _group_value(value: Any) -> str | None:
    return None if value is None else value_text(value)


def _code(value: Any) -> str | None:
    """A sub kegiatan code as the SQL backends tell codes apart: a text one without the
    spaces around it (``1.06.04.2.01.0003 `` pasted from a padded export is the code)."""
    return value.strip(" ") if isinstance(value, str) else _group_value(value)


def _add(group: dict[str, Any], spec: MeasureSpec, row: Row) -> None:
    key = spec.key
    group[f"{key}/matched"] = group.get(f"{key}/matched", 0) + 1
    value: Any = row.get(spec.column) if spec.column else None
    if spec.column and value is None:
        return
    group[f"{key}/present"] = group.get(f"{key}/present", 0) + 1
    if spec.aggregate == "count_distinct":
        group.setdefault(f"{key}/distinct", set()).add(value)
    elif spec.aggregate in ("sum", "avg"):
        group[f"{key}/value"] = CONTEXT.add(group.get(f"{key}/value", Decimal(0)), value)
    elif spec.aggregate in ("min", "max"):
        current = group.get(f"{key}/value")
        pick = min if spec.aggregate == "min" else max
        group[f"{key}/value"] = value if current is None else pick(current, value)


def _tally(spec: MeasureSpec, group: Mapping[str, Any]) -> Tally:
    key = spec.key
    window = group.get(f"window_{spec.time}", 0)
    matched = group.get(f"{key}/matched", 0)
    present = group.get(f"{key}/present", 0)
    if spec.aggregate == "count_distinct":
        value: Decimal | None = Decimal(len(group.get(f"{key}/distinct", ())))
    elif spec.aggregate == "count":
        value = Decimal(matched)
    else:
        value = group.get(f"{key}/value")
    return Tally(window, matched, present, value)
