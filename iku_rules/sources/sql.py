"""SQL for the aggregates, built as sqlglot expressions.

Nothing from a definition is pasted into SQL text: table and column names
become quoted identifiers, and every literal (filter values, dates, indicator
ids) becomes a named bound parameter with an explicit ``CAST``. One query per
source fetches every measure the cascade needs from it, for every grouping
asked (the whole kabupaten, each kecamatan, each sub kegiatan): by ``GROUPING SETS``,
reading the source once, where the engine has them, and as a ``UNION ALL`` of one
statement per grouping in SQLite, which lacks them (:func:`~iku_rules.sources.sql_grain.branches`).

No division happens in SQL: engines disagree on it (``1/0`` is NULL in SQLite
and infinity in DuckDB; ``1/2`` is 0 in PostgreSQL). Sums and counts come back
exact, and every ratio is computed in Python with exact decimals. Numbers keep 6
decimals (more are rounded half away from zero) and at most
:data:`~iku_rules.limits.MAX_WHOLE_DIGITS` digits before the point, which every
engine holds exactly: DuckDB as ``HUGEINT`` and ``DECIMAL(38, 6)``, summed as
``DECIMAL(38, 6)`` (32 digits before the point: a trillion rows of the largest
value); SQLite, which has no exact type that large, as text in one canonical spelling
(:func:`~iku_rules.sources.sqlite_numbers.sqlite_number`), compared by the function
``iku_compare``, summed, and its smallest and largest taken, by functions written in
Python over exact decimals (:mod:`iku_rules.sources.sqlite_numbers`).

What a period contributes (its first and last day, its triwulan, its year) is
bound under names of its own (:data:`PERIOD_PARAMS`), so a statement built for one
period serves any other once those values are bound afresh
(:func:`rebind`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import define, field
from sqlglot import exp

from iku_rules import ast
from iku_rules.keyed_rows import CODE_COLUMN
from iku_rules.measures import MeasureSpec
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Qualified
from iku_rules.sources.base import Query as Query  # re-exported: explanations name it from here
from iku_rules.sources.cells import IDENTIFIER_TYPES
from iku_rules.sources.dialects import RULES, render
from iku_rules.sources.dialects import Dialect as Dialect  # re-exported for the backends
from iku_rules.sources.sql_distinct import distinct_column, two_level
from iku_rules.sources.sql_grain import (
    branches,
    grain_window,
    group_by,
    grouping_keys,
    key_front,
    latest_condition,
)
from iku_rules.sources.sqlite_numbers import SQLITE_AGGREGATES, SQLITE_COMPARE, sqlite_number
from iku_rules.timegrain import period_bounds

COLUMN_TYPES: dict[Dialect, dict[str, str]] = {
    name: dict(dialect_rules.column_types) for name, dialect_rules in RULES.items()
}
"""How each declared column type is stored and cast, per engine (SQLite keeps ISO dates,
and numbers in their canonical spelling, as text; identifiers are text): see
:mod:`iku_rules.sources.dialects`."""
for _types in COLUMN_TYPES.values():  # identifiers (nik, no_kk, nip, identifier) are text
    _types.update(dict.fromkeys(IDENTIFIER_TYPES, _types["text"]))

NUMERIC = frozenset({"integer", "decimal"})


def internal_table(source: Source) -> str:
    """The name of the table (or view) a backend loads ``source`` into.

    It comes from the source's id, which is unique in the definitions (``iku check``
    says so), never from its ``table``, which names a table or sheet inside the
    office's own file: two sources can never load into one table, and no name a data
    file uses can replace one of them.

    >>> internal_table(Source("layanan", "register", "csv", "layanan.csv", table="pmks"))
    'iku source layanan'
    """
    return f"iku source {source.id}"  # i18n: not for planners (a table name)


PERIOD_PARAMS = ("period_start", "period_end", "year", "triwulan_")
"""Bound values that come from the period (``triwulan_0`` … one per triwulan)."""


def period_values(period: Period) -> dict[str, Any]:
    """The values a period binds, by parameter name."""
    values: dict[str, Any] = {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "year": period.year,
    }
    values.update({f"triwulan_{index}": label for index, label in enumerate(period.triwulan)})
    return values | period_bounds(period)


def rebind(query: Query, values: Mapping[str, Any]) -> Query:
    """``query`` with the bound values it has of ``values`` replaced (see :func:`period_values`)."""
    params = {name: values.get(name, value) for name, value in query.params.items()}
    return Query(query.sql, params, query.columns)


_BUILT_TYPES: dict[tuple[str, str], exp.DataType] = {}

_COMPARE = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


@define
class Builder:
    """Builds the statements for one engine, collecting bound parameters as it goes."""

    dialect: Dialect
    params: dict[str, Any] = field(factory=dict)
    _names: dict[tuple[str, Any, str], str] = field(factory=dict)
    renamed: Mapping[str, Mapping[str, str]] = field(factory=dict)
    """Region names to group under their declared spelling, by column (``LABUAN`` → ``Labuan``)."""
    qualified: Mapping[str, Qualified] = field(factory=dict)
    """Region names to group under a label naming their parent, by column."""

    # -- pieces

    def sql_type(self, column_type: str) -> exp.DataType:
        key = (self.dialect, column_type)
        built = _BUILT_TYPES.get(key)
        if built is None:  # parsing a type name is slow: once per engine and type
            built = _BUILT_TYPES[key] = exp.DataType.build(
                COLUMN_TYPES[self.dialect][column_type], dialect=self.dialect
            )
        return built.copy()

    def param(self, value: Any, column_type: str, name: str | None = None) -> exp.Expr:
        """A bound value, cast to the type of the column it is compared with; ``name``
        binds a value of the period under its own name (one of :data:`PERIOD_PARAMS`)."""
        if self.dialect == "sqlite" and column_type in NUMERIC and isinstance(value, Decimal | int):
            value = sqlite_number(value)
        elif isinstance(value, Decimal):
            value = format(value, "f")
        if name is None:
            key = (type(value).__name__, value, column_type)
            name = self._names.get(key)
            if name is None:
                name = self._names[key] = f"p{len(self.params)}"
        self.params[name] = value
        return exp.Cast(this=exp.Placeholder(this=name), to=self.sql_type(column_type))

    @staticmethod
    def column(name: str) -> exp.Column:
        return exp.column(name, quoted=True)

    def table(self, source: Source) -> exp.Table:
        return exp.table_(internal_table(source), quoted=True)

    def condition(self, node: ast.Node, source: Source) -> exp.Expr:
        """A filter condition (the formula language's) as a SQL predicate."""
        if isinstance(node, ast.And):
            return exp.and_(
                *(self.condition(operand, source) for operand in node.operands), copy=False
            )
        if isinstance(node, ast.Or):
            return exp.or_(
                *(self.condition(operand, source) for operand in node.operands), copy=False
            )
        if isinstance(node, ast.Not):
            return exp.Not(this=exp.Paren(this=self.condition(node.operand, source)))
        if isinstance(node, ast.Compare):
            column_type = (
                self._column_type(node.left, source)
                or self._column_type(node.right, source)
                or "text"
            )
            left = self.operand(node.left, source, column_type)
            right = self.operand(node.right, source, column_type)
            if self.dialect == "sqlite" and column_type in NUMERIC:
                # a function, not a COLLATE, which would leak into COUNT(DISTINCT …)
                compared = exp.Anonymous(this=SQLITE_COMPARE, expressions=[left, right])
                return _COMPARE[node.op](this=compared, expression=exp.Literal.number(0))
            return _COMPARE[node.op](this=left, expression=right)
        if isinstance(node, ast.In):
            column_type = self._column_type(node.operand, source) or "text"
            membership = exp.In(
                this=self.operand(node.operand, source, column_type),
                expressions=[self.operand(option, source, column_type) for option in node.options],
            )
            return exp.Not(this=membership) if node.negated else membership
        raise ValueError(f"'{node}' cannot be a filter condition")  # i18n: not for planners

    def operand(self, node: ast.Node, source: Source, column_type: str) -> exp.Expr:
        if isinstance(node, ast.Name):
            return self.column(self.column_name(node, source))
        if isinstance(node, ast.Number):
            return self.param(node.value, column_type)
        if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Number):
            return self.param(-node.operand.value, column_type)
        if isinstance(node, ast.Text):
            return self.param(node.value, column_type)
        raise ValueError(f"'{node}' cannot stand in a filter")  # i18n: not for planners

    @staticmethod
    def column_name(node: ast.Name, source: Source) -> str:
        for column in source.columns:
            if ast.name_key(column) == node.key:
                return column
        return node.text

    def _column_type(self, node: ast.Node, source: Source) -> str | None:
        if isinstance(node, ast.Name):
            return source.columns.get(self.column_name(node, source))
        return None

    def in_period(self, source: Source, period: Period, time: str) -> exp.Expr | None:
        """Rows of the period: dated within it (flow) or on or before its end (state); of a
        source of values per period, those of the periods within it."""
        if source.grain is not None:
            return grain_window(self, source, source.grain, period)
        if not source.date_column:
            return None
        date = self.column(source.date_column)
        end = exp.LTE(
            this=date, expression=self.param(period.end.isoformat(), "date", "period_end")
        )
        if time == "state":
            return end
        start = exp.GTE(
            this=date.copy(),
            expression=self.param(period.start.isoformat(), "date", "period_start"),
        )
        return exp.and_(start, end, copy=False)

    def when(self, condition: exp.Expr | None, then: exp.Expr) -> exp.Expr:
        if condition is None:
            return then
        return exp.Case(ifs=[exp.If(this=condition, true=then)])

    def exact_sum(self, value: exp.Expr) -> exp.Expr:
        if RULES[self.dialect].exact_sum == "aggregate":
            return exp.Anonymous(this=SQLITE_AGGREGATES["sum"], expressions=[value])
        return exp.Sum(this=exp.Cast(this=value, to=self.sql_type("decimal")))

    def extreme(self, func: str, value: exp.Expr) -> exp.Expr:
        """The smallest (``func`` ``min``) or largest value of a numeric column."""
        if self.dialect == "sqlite":
            return exp.Anonymous(this=SQLITE_AGGREGATES[func], expressions=[value])
        return (exp.Min if func == "min" else exp.Max)(this=value)

    # -- statements

    def grouped(
        self,
        select: list[exp.Expr],
        source: Source,
        groupings: Sequence[tuple[str, ...]],
        where: exp.Expr | None = None,
    ) -> tuple[exp.Expr, tuple[str, ...]]:
        """``select`` grouped every way of ``groupings``, with the grouping's index and key
        columns in front: one statement (``GROUPING SETS``), or one per grouping (UNION ALL)."""
        statements = []
        for branch in branches(self, groupings):
            # Built in place (copy=False): every piece is new or shared only until the
            # statement is turned into text, which copies the tree once.
            front = key_front(self, groupings, branch)
            statement = exp.select(*front, *select).from_(self.table(source), copy=False)
            if where is not None:
                statement = statement.where(where, copy=False)
            statements.append(group_by(statement, self, groupings, branch))
        union: exp.Expr = statements[0]
        for statement in statements[1:]:
            union = exp.union(union, statement, distinct=False, copy=False)
        keys = grouping_keys(groupings)
        return union, ("g", *(f"k{index}" for index in range(len(keys))))

    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Query:
        """Every spec over one register: rows in the period, rows passing, rows with a value,
        the aggregate. In two levels when every distinct count reads one column
        (:mod:`~iku_rules.sources.sql_distinct`), else in one: a ``COUNT(DISTINCT …)`` per spec."""
        column_counted = distinct_column(specs)
        if column_counted is not None:
            return two_level(self, source, specs, period, groupings, column_counted)
        one = exp.Literal.number(1)
        select: list[exp.Expr] = []
        names: list[str] = []
        for time in ("state", "flow"):
            window = self.in_period(source, period, time)
            select.append(
                exp.alias_(
                    exp.Count(this=self.when(window, one)),
                    f"window_{time}",
                    quoted=True,
                    copy=False,
                )
            )
            names.append(f"window_{time}")
        for index, spec in enumerate(specs):
            matched_if = self.matched_if(spec, source, period)
            column = self.column(spec.column) if spec.column else None
            select.append(
                exp.alias_(
                    exp.Count(this=self.when(matched_if, one)),
                    f"m{index}_matched",
                    quoted=True,
                    copy=False,
                )
            )
            counted = (
                self.when(matched_if, column) if column is not None else self.when(matched_if, one)
            )
            select.append(
                exp.alias_(exp.Count(this=counted), f"m{index}_present", quoted=True, copy=False)
            )
            value: exp.Expr
            if spec.aggregate == "count_distinct" and column is not None:
                value = exp.Count(this=exp.Distinct(expressions=[self.when(matched_if, column)]))
            elif spec.aggregate in ("sum", "avg") and column is not None:
                value = self.exact_sum(self.when(matched_if, column))
            elif spec.aggregate in ("min", "max") and column is not None:
                value = self.extreme(spec.aggregate, self.when(matched_if, column))
            else:
                value = exp.Count(this=self.when(matched_if, one))
            select.append(exp.alias_(value, f"m{index}_value", quoted=True, copy=False))
            names.extend([f"m{index}_matched", f"m{index}_present", f"m{index}_value"])
        statement, keys = self.grouped(
            select, source, groupings, self.rows_of(source, specs, period)
        )
        return self.finish(statement, (*keys, *names))

    def matched_if(self, spec: MeasureSpec, source: Source, period: Period) -> exp.Expr | None:
        """The rows a spec counts: of its window, passing its filter, each entity's latest."""
        parts = [self.in_period(source, period, spec.time)]
        if spec.condition is not None:
            parts.append(exp.Paren(this=self.condition(spec.condition, source)))
        if spec.latest is not None:
            parts.append(latest_condition(self, source, spec.latest, period, spec.time))
        present = [p for p in parts if p is not None]
        return exp.and_(*present, copy=False) if present else None

    def periods_level(self, inner: exp.Select, outer: exp.Select, alias: str) -> tuple[str, ...]:
        """Where a statement in two levels meets its periods (several: the table of them,
        :class:`~iku_rules.sources.sql_periods.PeriodsBuilder`); for one period, nowhere."""
        return ()

    def rows_of(
        self, source: Source, specs: Sequence[MeasureSpec], period: Period
    ) -> exp.Expr | None:
        """The rows any spec counts, as WHERE: dated by the period's end (and from its start
        when every spec is a flow; ``window_state`` then counts the period's rows, unread)."""
        times = {spec.time for spec in specs}
        return self.in_period(source, period, "flow" if times == {"flow"} else "state")

    def realisasi(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Query:
        """Σ nilai per indicator over the period's triwulan, for every grouping asked; with
        ``keys``, the sub kegiatan codes among a group's rows (an empty one counting as one
        code, a text one without spaces around it: ``1.06.04.2.01.0003 `` of a padded export
        is the code; 1 without the column): fewer than its rows when two rows share a code."""
        where = exp.and_(
            exp.In(
                this=self.column("periode"),
                expressions=[
                    self.param(label, "text", f"triwulan_{index}")
                    for index, label in enumerate(period.triwulan)
                ],
            ),
            self.one_of("indikator", indicator_ids),
            copy=False,
        )
        keys: exp.Expr = exp.Literal.number(1)
        if CODE_COLUMN in source.columns:
            code, every = self.column(CODE_COLUMN), exp.Count(this=exp.Star())
            empty = exp.GT(this=every, expression=exp.Count(this=code.copy()))
            told = exp.Trim(this=code.copy()) if source.columns[CODE_COLUMN] == "text" else code
            keys = exp.Add(
                this=exp.Count(this=exp.Distinct(expressions=[told])),
                expression=exp.case().when(empty, keys.copy()).else_(exp.Literal.number(0)),
            )
        select = [*self.counted(self.column("nilai")), exp.alias_(keys, "keys", quoted=True)]
        statement, grouped = self.grouped(select, source, groupings, where)
        return self.finish(statement, (*grouped, "rows", "present", "total", "keys"))

    def counted(self, value: exp.Expr) -> list[exp.Expr]:
        """The rows of a group, those with ``value`` and its exact sum."""
        return [
            exp.alias_(exp.Count(this=exp.Star()), "rows", quoted=True, copy=False),
            exp.alias_(exp.Count(this=value), "present", quoted=True, copy=False),
            exp.alias_(self.exact_sum(value), "total", quoted=True, copy=False),
        ]

    def inputs(self, source: Source, names: Sequence[str], year: int) -> Query:
        """The inputs' values for one year (one row per name and year is expected)."""
        statement = (
            exp.select(self.column("nama"), *self.counted(self.column("nilai")))
            .from_(self.table(source))
            .where(
                exp.and_(
                    exp.EQ(
                        this=self.column("tahun"), expression=self.param(year, "integer", "year")
                    ),
                    self.one_of("nama", names),
                    copy=False,
                )
            )
            .group_by(self.column("nama"))
        )
        return self.finish(statement, ("nama", "rows", "present", "total"))

    def region_inputs(self, source: Source, names: Sequence[str], year: int, column: str) -> Query:
        """The inputs' values for one year per region of ``column`` (declared spellings),
        the rows for the whole area (``column`` empty) grouped under NULL."""
        where = exp.and_(
            exp.EQ(this=self.column("tahun"), expression=self.param(year, "integer", "year")),
            self.one_of("nama", names),
            copy=False,
        )
        select = self.counted(self.column("nilai"))
        statement, keys = self.grouped(select, source, [("nama", column)], where)
        return self.finish(statement, (*keys, "rows", "present", "total"))

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> Query:
        """The first row whose ``key_column`` is one of ``keys`` and whose ``value_column``
        has more than ``places`` decimals (12.5 people; 23.505 Rupiah with ``places`` 2)."""
        value = self.column(value_column)
        rounded = exp.Round(this=value.copy(), decimals=exp.Literal.number(places))
        fraction: exp.Expr = exp.NEQ(this=value.copy(), expression=rounded)
        if RULES[self.dialect].whole_test == "text":  # canonical text (:func:`sqlite_number`)
            pattern = "%." + "_" * (places + 1) + "%"  # a point, more than ``places`` digits
            fraction = exp.Like(this=value.copy(), expression=exp.Literal.string(pattern))
        statement = (
            exp.select(self.column(key_column), value)
            .from_(self.table(source))
            .where(exp.and_(self.one_of(key_column, keys), fraction))
            .limit(1)
        )
        return self.finish(statement, (key_column, value_column))

    def one_of(self, column: str, values: Sequence[str]) -> exp.In:
        """``column IN (…)`` of ``values``, each bound as a text parameter."""
        return exp.In(this=self.column(column), expressions=[self.param(v, "text") for v in values])

    def finish(self, statement: exp.Expr, columns: tuple[str, ...]) -> Query:
        return Query(render(statement, self.dialect), dict(self.params), columns)


def create_table(dialect: Dialect, source: Source) -> str:
    """``CREATE TABLE`` for a source's declared columns (quoted names, declared types)."""
    builder = Builder(dialect)
    schema = exp.Schema(
        this=builder.table(source),
        expressions=[
            exp.ColumnDef(this=exp.to_identifier(name, quoted=True), kind=builder.sql_type(kind))
            for name, kind in source.columns.items()
        ],
    )
    return render(exp.Create(this=schema, kind="TABLE"), dialect)


def drop_table(source: Source, kind: str = "TABLE", dialect: Dialect = "duckdb") -> str:
    """The statement dropping ``source``'s relation (a ``TABLE`` or a ``VIEW``), if it exists."""
    relation = exp.table_(internal_table(source), quoted=True)
    return exp.Drop(tables=[relation], kind=kind, exists=True).sql(dialect=dialect)


def exact(value: Any, dialect: Dialect, summed: bool) -> Decimal | None:
    """A number as the engine returned it (a count, a decimal, a number stored as text),
    back to an exact decimal."""
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)
