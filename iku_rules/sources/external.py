"""Sources kept in an engine of the office's own: tables of a PostgreSQL database, of a
Spark catalog, or files Spark reads.

There the engine does not load anything: each statement reads the office's table
through a subquery that types every declared column the way the reader would
(:func:`typed_column`), named after the source as the embedded engines name their
tables (:func:`~iku_rules.sources.sql.internal_table`). The office's table is
named by the source's ``table`` (else its id) and reached only as a quoted
identifier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from attrs import define, field
from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.limits import MAX_WHOLE_DIGITS
from iku_rules.model import Source
from iku_rules.sources.cells import DataError
from iku_rules.sources.sql import Builder, internal_table
from iku_rules.sources.sql import Dialect as Dialect

TEXT_TYPES = frozenset({"text", "nik", "no_kk", "nip", "identifier"})
IDENTIFIER_PATTERNS = {"nik": "^[0-9]{16}$", "no_kk": "^[0-9]{16}$", "nip": "^[0-9]{18}$"}
"""What an identifier column must hold (as the reader checks it)."""


def office_table(name: str) -> exp.Table:
    """The office's own table ``name``, as one quoted identifier (a dot, a quote or a
    space in it stays part of the name)."""
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def typed_column(builder: Builder, name: str, kind: str) -> exp.Expr:
    """Column ``name`` of the office's table as the declared ``kind``: text as written,
    blank text missing; numbers and dates cast (a cell that is not one stops the query
    with the engine's message).

    In PostgreSQL text takes the collation ``"C"``, whatever the database's or the
    column's: a filter ``kategori < "c"``, a ``DISTINCT`` and the latest ``by`` then order
    and tell texts apart by their characters' code points, as DuckDB, SQLite, Spark and
    Python do, never by a locale's rules (``en_US`` puts ``"B"`` after ``"a"``, and a
    case-insensitive collation makes ``"A"`` and ``"a"`` one)."""
    column = builder.column(name)
    if kind in TEXT_TYPES:
        text: exp.Expr = exp.Cast(this=column, to=builder.sql_type("text"))
        if builder.dialect == "postgres":
            text = exp.Collate(this=text, expression=exp.to_identifier("C", quoted=True))
        blank = exp.EQ(this=exp.Trim(this=text.copy()), expression=exp.Literal.string(""))
        return exp.Case(ifs=[exp.If(this=blank, true=exp.Null())], default=text)
    return exp.Cast(this=column, to=builder.sql_type(kind))


@define
class OfficeBuilder(Builder):
    """A :class:`Builder` whose sources are read from the office's tables: ``tables``
    gives, by source id, the table (or Spark's file reader) each is read from."""

    tables: Mapping[str, exp.Expr] = field(factory=dict)

    def table(self, source: Source) -> exp.Expr:  # type: ignore[override]
        origin = self.tables.get(source.id)
        if origin is None:
            return super().table(source)
        select = exp.select(
            *(
                exp.alias_(typed_column(self, name, kind), name, quoted=True)
                for name, kind in source.columns.items()
            )
        ).from_(origin.copy())
        return exp.Subquery(
            this=select,
            alias=exp.TableAlias(this=exp.to_identifier(internal_table(source), quoted=True)),
        )


def missing_columns(source: Source, found: Sequence[str]) -> list[str]:
    """The declared columns of ``source`` its table lacks (names compared exactly)."""
    present = set(found)
    return [name for name in source.columns if name not in present]


def identifier_check(builder: Builder, source: Source, origin: exp.Expr) -> exp.Expr | None:
    """A statement giving the first cell the engine's cast would not read as the reader
    does, with its column's name: of an identifier column (``nik``, ``no_kk``, ``nip``),
    one not as long as it must be or holding other than digits; of a number column, one
    not a number the data hold (:func:`number_wrong`). None when there is nothing to check."""
    checks = []
    for name, kind in source.columns.items():
        pattern = IDENTIFIER_PATTERNS.get(kind)
        if kind in ("integer", "decimal"):
            cell = typed_column(builder, name, "text")
            wrong = number_wrong(builder, name, kind)
        elif pattern is not None:
            cell = typed_column(builder, name, kind)
            wrong = exp.and_(
                exp.Not(this=exp.Is(this=cell.copy(), expression=exp.Null())),
                exp.Not(
                    this=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(pattern))
                ),
            )
        else:
            continue
        checks.append(
            exp.select(
                exp.alias_(exp.Literal.string(name), "column_name", quoted=True),
                exp.alias_(cell, "cell", quoted=True),
            )
            .from_(origin.copy())
            .where(wrong)
            .limit(1)
        )
    if not checks:
        return None
    union: exp.Expr = checks[0]
    for check in checks[1:]:
        union = exp.union(union, check, distinct=False)
    return exp.select(exp.Star()).from_(exp.Subquery(this=union, alias="checked")).limit(1)


def number_wrong(builder: Builder, name: str, kind: str) -> exp.Expr:
    """Whether a cell of the number column ``name`` is one the reader refuses and the cast
    would change in silence: of :data:`~iku_rules.limits.MAX_WHOLE_DIGITS` digits or more
    before the point (PostgreSQL's ``NaN`` and ``Infinity`` sort above every number, so
    they are found so too) or, in an ``integer`` column, not whole (the cast to
    ``NUMERIC(38, 0)`` would make 2.5 a 3)."""
    value = exp.Cast(this=builder.column(name), to=builder.sql_type("decimal"))
    limit = exp.Literal.number(10**MAX_WHOLE_DIGITS)
    wrong: exp.Expr = exp.GTE(this=exp.Abs(this=value.copy()), expression=limit)
    if kind == "integer":
        fraction = exp.NEQ(this=value.copy(), expression=exp.Round(this=value.copy()))
        wrong = exp.or_(wrong, fraction, copy=False)
    present = exp.Not(this=exp.Is(this=value, expression=exp.Null()))
    return exp.and_(present, exp.Paren(this=wrong), copy=False)


def number_message(source: Source, table: str, column: str, cell: str) -> str:
    """Why the cell :func:`number_wrong` found is refused."""
    if source.columns[column] == "integer" and "." in cell.strip().lstrip("-+").rstrip("0"):
        return _(
            "table '{table}' of source '{source}', column '{column}': '{cell}' is not a whole"
            " number, but the column is declared integer; correct the value in the table"
        ).format(table=table, source=source.id, column=column, cell=cell)
    return _(
        "table '{table}' of source '{source}', column '{column}': '{cell}' is not a number"
        " of at most {digits} digits before the point, which is all the data hold; correct"
        " the value in the table"
    ).format(table=table, source=source.id, column=column, cell=cell, digits=MAX_WHOLE_DIGITS)


def identifier_message(source: Source, table: str, column: str, cell: str) -> str:
    kind = source.columns[column]
    digits = 18 if kind == "nip" else 16
    noun = {"nik": _("a NIK"), "no_kk": _("a No KK"), "nip": _("a NIP")}[kind]
    return _(
        "table '{table}' of source '{source}', column '{column}': '{cell}' is not {noun}"
        " ({digits} digits); an identifier is kept as text of exactly {digits} digits"
        " (a number in scientific notation or without its leading zeros lost digits)"
    ).format(table=table, source=source.id, column=column, cell=cell, noun=noun, digits=digits)


def not_whole(
    source: Source, key_column: str, value_column: str, found: tuple[str, Decimal]
) -> DataError:
    """The error for a realisasi or input in a satuan that counts one by one whose value
    in the office's table is not whole (there is no file whose row could be named)."""
    key, value = found
    message = (
        _(
            "table '{table}' of source '{source}': the indicator '{key}' has {value} in"
            " '{column}', which is not a whole number, but its satuan counts one by one;"
            " if '.' grouped thousands where it was typed (12.500 is 12500), correct the"
            " value in the table"
        )
        if key_column == "indikator"
        else _(
            "table '{table}' of source '{source}': the input '{key}' has {value} in"
            " '{column}', which is not a whole number, but its satuan counts one by one;"
            " if '.' grouped thousands where it was typed (12.500 is 12500), correct the"
            " value in the table"
        )
    )
    return DataError(
        message.format(
            table=source.table_name,
            source=source.id,
            key=key,
            value=f"{value:f}",
            column=value_column,
        )
    )
