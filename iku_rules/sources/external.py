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

from iku_rules import notation as notations
from iku_rules.decimals import round_half_away
from iku_rules.i18n import _
from iku_rules.limits import (
    MAX_WHOLE_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    STORED_DECIMALS,
    STORED_SIGNIFICANCE,
)
from iku_rules.model import Source
from iku_rules.notation import UNSETTLED
from iku_rules.sources.cast_dates import cast_date_wrong
from iku_rules.sources.cells import DataError, convert, digits_pattern
from iku_rules.sources.shown import FLOAT_DIGITS, _show
from iku_rules.sources.sql import Builder, internal_table
from iku_rules.sources.sql import Dialect as Dialect

TEXT_TYPES = frozenset({"text", "nik", "no_kk", "nip", "identifier"})
IDENTIFIER_PATTERNS = {kind: f"^{digits_pattern(kind)}$" for kind in ("nik", "no_kk", "nip")}
"""What an identifier column must hold (as the reader checks it)."""
_DASHES = "-\u2010-\u2015\u2212\ufe63\uff0d"
NOT_IDENTIFIER = (
    f"^\\s*([+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+"
    f"|[\u00a0\\s]*[{_DASHES}][{_DASHES}\u00a0\\s]*|0+)\\s*$"
)
"""What an ``identifier`` column may not hold (as the reader refuses it): a number in
scientific notation, what Excel makes of a long number, or dashes or zeros alone, written
for one not known (every row of it would count as one)."""
FLOAT_KEPT = {"real": 6, "double precision": FLOAT_DIGITS}  # i18n: not for planners
"""The significant digits PostgreSQL's cast of a float to a number keeps, by its type."""


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


def identifier_check(
    builder: Builder, source: Source, origin: exp.Expr, floats: Mapping[str, str] | None = None
) -> exp.Expr | None:
    """A statement giving the first cell the engine's cast would not read as the reader
    does: its column's name, what is wrong with it (one of :data:`PROBLEMS`) and the cell
    as text. Of an identifier column (``nik``, ``no_kk``, ``nip``), one not as long as it
    must be or holding other than digits; of a number column, one not a number the data
    hold (:func:`number_wrong`), a float whose cast keeps fewer digits than it has
    (:func:`float_wrong`; ``floats`` names the columns the table keeps as floats, with
    their type) or one its 6 decimals do not hold (:func:`decimals_wrong`); of a date
    column, one not written as the reader reads dates (:func:`date_wrong`) or that the
    engine's cast cannot read (``cast``, :func:`~iku_rules.sources.cast_dates.cast_date_wrong`). None when
    there is nothing to check."""
    checks = []
    for name, kind in source.columns.items():
        problems = _problems(builder, name, kind, (floats or {}).get(name))
        if not problems:
            continue
        problem = exp.Case(
            ifs=[exp.If(this=wrong, true=exp.Literal.string(code)) for code, wrong in problems]
        )
        cells = exp.select(
            exp.alias_(exp.Literal.string(name), "column_name", quoted=True),
            exp.alias_(problem, "problem", quoted=True),
            exp.alias_(typed_column(builder, name, "text"), "cell", quoted=True),
        ).from_(origin.copy())
        found = exp.Not(this=exp.Is(this=exp.column("problem", quoted=True), expression=exp.Null()))
        checks.append(
            exp.select(exp.Star())
            .from_(exp.Subquery(this=cells, alias=exp.to_identifier("cells", quoted=True)))
            .where(found)
            .limit(1)
        )
    if not checks:
        return None
    union: exp.Expr = checks[0]
    for check in checks[1:]:
        union = exp.union(union, check, distinct=False)
    return exp.select(exp.Star()).from_(exp.Subquery(this=union, alias="checked")).limit(1)


PROBLEMS = ("identifier", "number", "float", "decimals", "date", "cast")
"""What :func:`identifier_check` finds wrong with a cell."""


def _problems(
    builder: Builder, name: str, kind: str, float_type: str | None
) -> list[tuple[str, exp.Expr]]:
    """The checks of the column ``name`` declared ``kind``, in the order they are made."""
    pattern = IDENTIFIER_PATTERNS.get(kind)
    if pattern is not None or kind == "identifier":
        cell = typed_column(builder, name, kind)
        like = exp.RegexpLike(this=cell, expression=exp.Literal.string(pattern or NOT_IDENTIFIER))
        wrong = exp.and_(
            exp.Not(this=exp.Is(this=cell.copy(), expression=exp.Null())),
            exp.Not(this=like) if pattern else like,
        )
        return [("identifier", wrong)]
    if kind == "date":
        unread = cast_date_wrong(builder, typed_column(builder, name, "text"))
        return [("date", date_wrong(builder, name))] + ([("cast", unread)] if unread else [])
    if kind not in ("integer", "decimal"):
        return []
    found = [] if float_type is None else [("float", float_wrong(builder, name, float_type))]
    found.append(("number", number_wrong(builder, name, kind)))
    if kind == "decimal":
        found.append(("decimals", decimals_wrong(builder, name)))
    return found


def float_wrong(builder: Builder, name: str, float_type: str) -> exp.Expr:
    """Whether a cell of the float column ``name`` (of ``float_type``, a key of
    :data:`FLOAT_KEPT`) is one the cast to a number would change: PostgreSQL makes a
    ``double precision`` a number of its 15 significant digits, as the reader does, but the
    reader refuses one of 16 digits or more before the point (``12345678901234567``,
    which the cast makes ``12345678901234600``); a ``real`` keeps 6, far fewer than the
    reader's, so every cell with more is refused."""
    column = builder.column(name)
    written = exp.Cast(
        this=exp.Cast(this=column.copy(), to=builder.sql_type("text")),
        to=exp.DataType.build("decimal"),
    )
    cast = exp.Cast(this=column.copy(), to=exp.DataType.build("decimal"))
    wrong: exp.Expr = exp.NEQ(this=written, expression=cast)
    if FLOAT_KEPT[float_type] >= FLOAT_DIGITS:
        large = exp.GTE(
            this=exp.Abs(this=column.copy()), expression=exp.Literal.number(10**FLOAT_DIGITS)
        )
        wrong = exp.and_(large, wrong, copy=False)
    return wrong


def decimals_wrong(builder: Builder, name: str) -> exp.Expr:
    """Whether a cell of the decimal column ``name`` is one its
    :data:`~iku_rules.limits.STORED_DECIMALS` decimals do not hold within
    1 / :data:`~iku_rules.limits.STORED_SIGNIFICANCE` of itself, as the reader refuses it:
    the cast to ``NUMERIC(38, 6)`` would make ``0.0000025`` a ``0.000003`` in silence."""
    exact = exp.DataType.build("decimal" if builder.dialect == "postgres" else "DECIMAL(38, 18)")
    value = exp.Cast(this=builder.column(name), to=exact)
    stored = exp.Round(this=value.copy(), decimals=exp.Literal.number(STORED_DECIMALS))
    lost = exp.Mul(
        this=exp.Abs(this=exp.Paren(this=exp.Sub(this=stored, expression=value.copy()))),
        expression=exp.Literal.number(STORED_SIGNIFICANCE),
    )
    return exp.GT(this=lost, expression=exp.Abs(this=value))


def _year_pattern(first: int, last: int) -> str:
    """A regular expression of the years ``first`` to ``last``, each of 4 digits.

    >>> _year_pattern(1900, 2200)
    '(?:19[0-9]{2}|20[0-9]{2}|21[0-9]{2}|22(?:00))'
    """
    parts = []
    for century in range(first // 100, last // 100 + 1):
        low, high = max(first, century * 100), min(last, century * 100 + 99)
        if (low, high) == (century * 100, century * 100 + 99):
            parts.append(f"{century}[0-9]{{2}}")
        else:
            years = "|".join(f"{year % 100:02d}" for year in range(low, high + 1))
            parts.append(f"{century}(?:{years})")
    return "(?:" + "|".join(parts) + ")"


_YEAR = _year_pattern(MIN_YEAR, MAX_YEAR)
DATE_PATTERN = (
    rf"^\s*(?:{_YEAR}-[0-9]{{1,2}}-[0-9]{{1,2}}|[0-9]{{1,2}}/[0-9]{{1,2}}/{_YEAR})"
    r"(?:[T ](?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?:[:.][0-5][0-9](?:\.[0-9]+)?)?)?\s*$"
)
"""The dates the reader reads (:mod:`iku_rules.sources.cells`): ``YYYY-MM-DD`` or
``DD/MM/YYYY`` of a year from :data:`~iku_rules.limits.MIN_YEAR` to
:data:`~iku_rules.limits.MAX_YEAR`, perhaps with a time of day that exists (00:00 to
23:59:59). A ``date`` or ``timestamp`` column is written so as text (``DateStyle``
``ISO``). The reader refuses another time, which the engines' cast passed over: PostgreSQL
and Spark dated ``2026-03-31 24:00`` (the first moment of 1 April) 31 March, and Spark read
``2026-03-31 99:00`` as that day."""


def date_wrong(builder: Builder, name: str) -> exp.Expr:
    """Whether a cell of the date column ``name`` is one the reader refuses but the cast
    could read: PostgreSQL reads ``05/01/26`` as 2026-01-05 and ``Jan 5 2026`` too, and
    keeps a year 0026 or 2569 (:data:`DATE_PATTERN`)."""
    cell = typed_column(builder, name, "text")
    return exp.and_(
        exp.Not(this=exp.Is(this=cell.copy(), expression=exp.Null())),
        exp.Not(this=exp.RegexpLike(this=cell, expression=exp.Literal.string(DATE_PATTERN))),
    )


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


def float_message(source: Source, table: str, column: str, cell: str, float_type: str) -> str:
    """Why the cell :func:`float_wrong` found is refused."""
    written = float(cell)
    read = Decimal(format(written, f".{FLOAT_KEPT[float_type]}g"))
    return _(
        "table '{table}' of source '{source}', column '{column}': {cell} is a floating point"
        " number ({type}), which keeps only {digits} significant digits: read as a number it"
        " would be {read}, not the number written; keep the column as numeric, or the values"
        " as text"
    ).format(
        table=table,
        source=source.id,
        column=column,
        cell=format(Decimal(repr(written)), "f"),
        type=float_type,
        digits=FLOAT_KEPT[float_type],
        read=format(read, "f"),
    )


def float_column_message(source: Source, table: str, column: str, float_type: str) -> str:
    """Why a column of floats is refused where ``source`` declares it other than a number:
    an identifier or a code is never a float (:func:`OfficeBackend.read_from`)."""
    return _(
        "table '{table}' of source '{source}', column '{column}' holds floating point"
        " numbers ({type}), but the source declares it '{kind}': a float keeps only 15"
        " digits of an identifier (two NIKs become one) and drops the zeros at the end of a"
        " code (2.1 and 2.10 become one); keep the column as text in the database"
    ).format(
        table=table,
        source=source.id,
        column=column,
        type=float_type,
        kind=source.columns[column],
    )


def decimals_message(source: Source, table: str, column: str, cell: str) -> str:
    """Why the cell :func:`decimals_wrong` found is refused, as the reader says it."""
    stored = round_half_away(Decimal(cell), STORED_DECIMALS)
    return _(
        "table '{table}' of source '{source}', column '{column}': {value} has more decimals"
        " than the {decimals} the data keep, and kept to {decimals} it would be {stored};"
        " write it on a larger scale (a percentage, per 1.000, per 100.000), or round it in"
        " the table"
    ).format(
        table=table,
        source=source.id,
        column=column,
        value=_show(cell),
        decimals=STORED_DECIMALS,
        stored=notations.write(stored.normalize(), UNSETTLED, group=False),
    )


def date_message(source: Source, table: str, column: str, cell: str) -> str:
    """Why the cell :func:`date_wrong` found is refused: the reader's own words."""
    try:
        convert(cell, "date")
        problem = _("{value} is not a date ({hint})").format(
            value=_show(cell), hint=_("write it as YYYY-MM-DD or DD/MM/YYYY")
        )
    except ValueError as error:
        problem = str(error)
    return cell_message(source, table, column, problem)


def cell_message(source: Source, table: str, column: str, problem: str) -> str:
    """``problem``, said of a cell of ``column`` in the office's ``table``: the place first,
    as the reader puts a file's row and column first."""
    return _("table '{table}' of source '{source}', column '{column}': {problem}").format(
        table=table, source=source.id, column=column, problem=problem
    )


def identifier_message(source: Source, table: str, column: str, cell: str) -> str:
    """Why the identifier ``cell`` is refused: the reader's own words where it refuses it
    (``0000000000000000``, a dash), else that it is not of its digits (spaces around it)."""
    kind = source.columns[column]
    try:
        convert(cell, kind)
    except ValueError as error:
        return cell_message(source, table, column, str(error))
    digits = 18 if kind == "nip" else 16
    noun = {"nik": _("a NIK"), "no_kk": _("a No KK"), "nip": _("a NIP")}[kind]
    return _(
        "table '{table}' of source '{source}', column '{column}': '{cell}' is not {noun}"
        " ({digits} digits); an identifier is kept as text of exactly {digits} digits"
        " (a number in scientific notation or without its leading zeros lost digits)"
    ).format(table=table, source=source.id, column=column, cell=cell, noun=noun, digits=digits)


def not_whole(
    source: Source, key_column: str, value_column: str, found: tuple[str, Decimal], places: int = 0
) -> DataError:
    """The error for a realisasi or input in a satuan that counts one by one whose value
    in the office's table is not whole, or (``places`` 2) in Rupiah with more than two
    decimals (there is no file whose row could be named)."""
    key, value = found
    message = (
        _(
            "table '{table}' of source '{source}': '{key}' has {value} in '{column}', more"
            " than two decimals, but its satuan is Rupiah, whose smallest amount is the sen;"
            " correct the value in the table"
        )
        if places
        else _(
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


TEXT_OIDS = frozenset({25, 1042, 1043})
"""The OIDs of PostgreSQL's ``text``, ``character`` and ``character varying``."""
_PLAIN = r"^[ \t\n\r\v\f]*[+-]?[0-9]+(\.[0-9]+)?[ \t\n\r\v\f]*$"
"""A number written as PostgreSQL's cast reads it and every notation alike (``12.5``), but
a dot before three digits (:data:`_GROUPED`)."""
_GROUPED = r"\.[0-9]{3}([^0-9]|$)"
"""A dot that may group thousands (``23.500``): notation ``id`` reads it so."""


def text_numbers(builder: Builder, source: Source, column: str, origin: exp.Expr) -> exp.Expr:
    """A statement giving the cells of ``column``, a number column the office's table keeps
    as text, that the engine's cast (PostgreSQL's, Spark's) may read otherwise than the
    reader does in the source's notation: not written plainly (``12,5``, ``1.234.567``,
    ``-``, ``1e3``) or, where the notation is not declared ``en``, with a dot before three
    digits (``23.500``, which notation ``id`` reads as 23500 and the cast as 23.5), from the
    table ``origin``. :func:`text_number_problem` judges each, once (in the order of their
    characters); blank cells are not among them."""
    cell = typed_column(builder, column, "text")
    odd: exp.Expr = exp.Not(
        this=exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(_PLAIN))
    )
    if source.notation != notations.EN:
        grouped = exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(_GROUPED))
        odd = exp.or_(odd, grouped, copy=False)
    present = exp.Not(this=exp.Is(this=cell.copy(), expression=exp.Null()))
    return (
        exp.select(cell)
        .distinct()
        .from_(origin.copy())
        .where(exp.and_(present, exp.Paren(this=odd), copy=False))
        .order_by(exp.Ordered(this=exp.Literal.number(1)))
    )


def text_number_problem(
    source: Source, table: str, column: str, cell: str, engine: str = "postgresql"
) -> str | None:
    """Why the number ``cell`` of ``column``, kept as text in the office's ``table``, is
    refused: the reader's own words when it refuses it, or the reading of the source's
    notation when the cast of ``engine`` (``postgresql`` or ``spark``, which read numbers
    kept as text alike: a dot before the decimals, perhaps an exponent, white space about
    them) reads it otherwise (or not at all); None when both read it alike."""
    kind = source.columns[column]
    try:
        reading = convert(cell, kind, source.notation)
    except ValueError as error:
        return cell_message(source, table, column, str(error))
    try:
        cast: Decimal | None = Decimal(cell.strip(" \t\n\r\v\f"))
    except ArithmeticError:
        cast = None
    if cast is not None and cast.is_finite() and cast == reading:
        return None
    written = notations.write(Decimal(str(reading)), notations.EN, group=False)
    message = (
        _(
            "'{cell}' is a number kept as text, which notation \"{notation}\" reads as"
            " {written}, but Spark reads numbers kept as text only when written with a dot"
            " before the decimals and nothing between the thousands; keep the column as a"
            " decimal in the table, or write the number there as {written}"
        )
        if engine == "spark"
        else _(
            "'{cell}' is a number kept as text, which notation \"{notation}\" reads as"
            " {written}, but PostgreSQL reads numbers kept as text only when written with a"
            " dot before the decimals and nothing between the thousands; keep the column as"
            " numeric in the database, or write the number there as {written}"
        )
    )
    return cell_message(
        source,
        table,
        column,
        message.format(cell=cell, notation=source.notation.name, written=written),
    )
