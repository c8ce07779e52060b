"""One cell of a CSV file typed in SQL by the reader's rules, as sqlglot expressions: what
:mod:`iku_rules.sources.native_csv` builds its statements of (and
:mod:`iku_rules.sources.duckdb_tables` its checks of a DuckDB table's cells).

Each function takes the cell as read (text, ``raw``) and gives an expression of DuckDB's
dialect: whether it is blank (:func:`blank_cell`), and its value as its declared type or
NULL when the patterns refuse it (:func:`typed_cell`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from iku_rules.limits import MAX_WHOLE_DIGITS, MAX_YEAR, MIN_YEAR, STORED_DECIMALS
from iku_rules.sources.cells import NUMBERED, digits_pattern
from iku_rules.sources.totals_rows import LABELS

BLANK = r"[\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}]*"
"""What Python's ``str.strip`` removes (RE2's ``\\s`` is ASCII only), any number of times."""
INTEGER = rf"[+-]?[0-9]{{1,{MAX_WHOLE_DIGITS}}}"
DECIMAL = rf"[+-]?[0-9]{{1,{MAX_WHOLE_DIGITS}}}([.,][0-9]{{1,{STORED_DECIMALS}}})?"
"""A decimal SQL types itself; one with more decimals than are kept is the reader's to keep
or refuse (:data:`~iku_rules.limits.STORED_SIGNIFICANCE`)."""
GROUP_SHAPED = r"[+-]?[0-9]+[.,][0-9]{3}"
"""A mark followed by three digits could group thousands: the notations read it differently
(``1.500``), or one reads it and the other as thousands grouped out of place
(``1000.000``); the reader decides such a cell by the notation."""
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}]"
IDENTIFIERS = {
    "nik": digits_pattern("nik"),
    "no_kk": digits_pattern("no_kk"),
    "nip": digits_pattern("nip"),
    "identifier": f"(?s){NOT_BLANK}(.*{NOT_BLANK})?",
}
"""What SQL accepts of an identifier: exactly what the reader keeps unchanged."""
SCIENTIFIC = r"[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+"
NOT_IDENTIFIER = (
    rf"(?:{SCIENTIFIC}|[-\x{{2010}}-\x{{2015}}\x{{2212}}\x{{FE63}}\x{{FF0D}}\s\p{{Z}}]+|0+)"
)
"""What the reader refuses of an ``identifier`` (white space around it trimmed): a number in
scientific notation, or dashes (:data:`~iku_rules.sources.shown._DASHES`) or zeros only,
written for one not known."""
YEAR = r"(?:19[0-9]{2}|2[01][0-9]{2}|2200)"
"""A year from :data:`~iku_rules.limits.MIN_YEAR` to :data:`~iku_rules.limits.MAX_YEAR`;
a date in another is the reader's to refuse (``0026``, ``2569``)."""
ISO_DATE = rf"{YEAR}-[0-9]{{1,2}}-[0-9]{{1,2}}"
DAY_FIRST = rf"([0-9]{{1,2}})/([0-9]{{1,2}})/({YEAR})"
TYPES = {"integer": "HUGEINT", "decimal": "DECIMAL(38, 6)", "date": "DATE"}
CANONICAL = ("integer", "date")
"""Types whose cells DuckDB's cast settles when it writes them back unchanged."""


def call(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def text(value: str) -> exp.Expr:
    return exp.Literal.string(value)


def matches(value: exp.Expr, pattern: str) -> exp.Expr:
    return call("regexp_full_match", value, text(pattern))


def blank_cell(raw: exp.Expr) -> exp.Expr:
    """Missing, empty or only spaces, as the reader decides it: a cell that starts with a
    printable ASCII character from ``!`` to before ``~`` has something that is not white
    space (a comparison of its first byte, cheaper than any function); only the other
    cells are matched."""
    printable = exp.and_(
        exp.GTE(this=raw.copy(), expression=text("!")),
        exp.LT(this=raw.copy(), expression=text("~")),
        copy=False,
    )
    return exp.Case(
        ifs=[exp.If(this=printable, true=exp.false())],
        default=exp.or_(
            exp.Is(this=raw.copy(), expression=exp.Null()), matches(raw.copy(), BLANK), copy=False
        ),
    )


TOTALS_LABEL = (
    "(?is)"
    + BLANK
    + "(?:"
    + "|".join(label.replace(".", r"\.").replace(" ", BLANK) for label in LABELS)
    + ")"
    + "(?:"
    + BLANK
    + ":?"
    + BLANK
    + r"|[\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}:].*)"
)
"""A cell that may title a row of totals: one of
:data:`~iku_rules.sources.totals_rows.LABELS`, in any case, with any white space around and
between its words, alone, with a colon after it, or followed by a white space or a colon and
anything (``Sub Total Cikole``). It matches every cell
:func:`~iku_rules.sources.totals_rows.is_label` accepts, and a few more (the words of a
title written together, ``JUMLAHTOTAL``; a letter RE2 folds to an ASCII one, the Kelvin sign
to ``k``): such a cell only sends its file to the reader, which decides."""


def totals_label_cell(raw: exp.Expr) -> exp.Expr:
    """Whether the cell ``raw`` may title a row of totals (:data:`TOTALS_LABEL`); a cell
    starting with a digit, as the numbers and most identifiers of a register do, is not
    matched (cheaper than the pattern)."""
    digit = exp.and_(
        exp.GTE(this=raw.copy(), expression=text("0")),
        exp.LT(this=raw.copy(), expression=text(":")),
        copy=False,
    )
    return exp.Case(
        ifs=[exp.If(this=digit, true=exp.false())],
        default=exp.func("coalesce", matches(raw.copy(), TOTALS_LABEL), exp.false()),
    )


CODE = "(?s)" + BLANK + r"(?:[0-9]+|[Xx]+)(?:\.(?:[0-9]+|[Xx]+))+" + BLANK
"""A cell that is a code as SIPD writes it (``1.06.02``, ``X.XX.01``): what
:data:`~iku_rules.sources.nested_codes.CODE` matches, white space around it as the reader
strips it."""

_NOT_CODE = (("A", "X"), ("Y", "["), ("a", "x"), ("y", "{"))
"""The first characters (ranges from, to before) of most text cells, a letter, that no code
starts with: such a cell is passed over without the pattern."""


def code_depth(raw: exp.Expr) -> exp.Expr:
    """The number of ``.`` in the cell ``raw`` when it is a code (:data:`CODE`), else NULL:
    a column holding codes of two depths may hold a row of a program over its kegiatan,
    which the reader judges (:mod:`~iku_rules.sources.nested_codes`)."""
    letter = exp.or_(
        *(
            exp.and_(
                exp.GTE(this=raw.copy(), expression=text(low)),
                exp.LT(this=raw.copy(), expression=text(high)),
                copy=False,
            )
            for low, high in _NOT_CODE
        ),
        copy=False,
    )
    dots = exp.Sub(
        this=exp.Length(this=raw.copy()),
        expression=exp.Length(this=call("replace", raw.copy(), text("."), text(""))),
    )
    return exp.Case(
        ifs=[
            exp.If(this=letter, true=exp.Null()),
            exp.If(this=matches(raw.copy(), CODE), true=dots),
        ],
        default=exp.Null(),
    )


def depths_differ(columns: Sequence[str]) -> exp.Expr:
    """Whether one of ``columns`` (each the :func:`code_depth` of a column's cells) holds codes
    of two depths or more, over the rows aggregated."""
    differ = [
        exp.LT(
            this=call("min", exp.column(name, quoted=True)),
            expression=call("max", exp.column(name, quoted=True)),
        )
        for name in columns
    ]
    if not differ:
        return exp.false()
    return exp.func("coalesce", exp.or_(*differ, copy=False), exp.false())


def sql_type(name: str) -> exp.DataType:
    """The DuckDB type ``name``, parsed once (parsing a type name is slow) and copied."""
    built = _BUILT.get(name)
    if built is None:
        built = _BUILT[name] = exp.DataType.build(name, dialect="duckdb")
    return built.copy()


_BUILT: dict[str, exp.DataType] = {}


def try_cast(value: exp.Expr, kind: str) -> exp.Expr:
    return exp.TryCast(this=value, to=sql_type(TYPES[kind]))


def canonical(raw: exp.Expr, cast: exp.Expr, kind: str) -> exp.Expr:
    """``cast`` (the cell cast by DuckDB) when it writes back as exactly the cell, else NULL.

    Such a cell is written as the patterns above accept and reads to the same value:
    an integer with no sign but ``-``, no leading zero and no space (of at most 20
    digits, checked by its size); a date ``YYYY-MM-DD`` of ten characters (so no
    ``infinity``) in a year from :data:`~iku_rules.limits.MIN_YEAR` to
    :data:`~iku_rules.limits.MAX_YEAR`."""
    same = exp.EQ(this=exp.Cast(this=cast.copy(), to=sql_type("VARCHAR")), expression=raw.copy())
    if kind == "integer":
        limit = exp.Literal.number(10**MAX_WHOLE_DIGITS - 1)
        size: exp.Expr = exp.Between(this=cast.copy(), low=exp.Neg(this=limit.copy()), high=limit)
    else:
        size = exp.and_(
            exp.EQ(this=exp.Length(this=raw.copy()), expression=exp.Literal.number(10)),
            exp.Between(
                this=exp.Year(this=cast.copy()),
                low=exp.Literal.number(MIN_YEAR),
                high=exp.Literal.number(MAX_YEAR),
            ),
            copy=False,
        )
    return exp.Case(
        ifs=[exp.If(this=exp.and_(size, same, copy=False), true=cast.copy())], default=exp.Null()
    )


def typed_cell(
    raw: exp.Expr,
    blank: exp.Expr,
    cast: exp.Expr | None,
    kind: str,
    delimiter: str,
    validated: bool = False,
) -> exp.Expr:
    """The cell as its declared type, NULL when ``blank`` or not accepted; ``cast`` is
    the cell cast by DuckDB (integers and dates), taken when it is the cell exactly.
    In a file ``validated`` (every cell accepted), an identifier is the cell as written."""
    if kind == "text" or (validated and kind in IDENTIFIERS):
        return exp.Case(ifs=[exp.If(this=blank, true=exp.Null())], default=raw)
    if kind in IDENTIFIERS:
        accepted = matches(raw, IDENTIFIERS[kind])
        if kind == "identifier":
            accepted = exp.and_(
                accepted, exp.not_(matches(exp.Trim(this=raw.copy()), NOT_IDENTIFIER)), copy=False
            )
        ifs = [exp.If(this=blank, true=exp.Null())]
        if kind in DIGITS:
            ifs.append(
                exp.If(this=canonical_digits(raw, DIGITS[kind], NUMBERED[kind]), true=raw.copy())
            )
        ifs.append(exp.If(this=accepted, true=raw.copy()))
        return exp.Case(ifs=ifs, default=exp.Null())
    value = checked(raw, kind, delimiter)
    if cast is not None:
        value = exp.Coalesce(this=canonical(raw, cast, kind), expressions=[value])
    return exp.Case(ifs=[exp.If(this=blank, true=exp.Null())], default=value)


DIGITS = {"nik": 16, "no_kk": 16, "nip": 18}
"""The identifiers of digits only, by their number of digits (what their pattern accepts)."""


def canonical_digits(raw: exp.Expr, digits: int, numbered: int) -> exp.Expr:
    """Whether ``raw`` is ``digits`` digits not ending in ``numbered`` zeros
    (:data:`~iku_rules.sources.cells.NUMBERED`), settled without the pattern for most cells:
    a cell of that length that DuckDB's cast to ``UBIGINT`` writes back exactly is digits
    only (no sign, space, separator or leading zero); any other cell (a NIK starting with
    0 too) is left to the pattern, which decides (cheaper than the pattern on every cell)."""
    number = exp.TryCast(this=raw.copy(), to=sql_type("UBIGINT"))
    written = exp.Cast(this=number.copy(), to=sql_type("VARCHAR"))
    numbered_from_1 = exp.NEQ(
        this=exp.Mod(this=number, expression=exp.Literal.number(10**numbered)),
        expression=exp.Literal.number(0),
    )
    return exp.and_(
        exp.EQ(this=exp.Length(this=raw.copy()), expression=exp.Literal.number(digits)),
        exp.EQ(this=written, expression=raw.copy()),
        numbered_from_1,
        copy=False,
    )


def may_be_plain(kind: str) -> bool:
    """Whether a column of type ``kind`` may be read plainly, once validated: as written
    (texts and identifiers) or as DuckDB casts it (integers and dates); decimals, whose
    notation the patterns decide, may not."""
    return kind == "text" or kind in IDENTIFIERS or kind in CANONICAL


def checked(raw: exp.Expr, kind: str, delimiter: str) -> exp.Expr:
    """The cell as its declared type when the patterns accept it, else NULL."""
    value = exp.Trim(this=raw)
    checks: list[exp.If] = []
    if kind == "integer":
        checks.append(exp.If(this=matches(value, INTEGER), true=try_cast(value, kind)))
    elif kind == "decimal":
        plain = exp.and_(
            matches(value, DECIMAL), exp.not_(matches(value, GROUP_SHAPED)), copy=False
        )
        dotted = call("replace", value, text(","), text("."))
        checks.append(exp.If(this=plain, true=try_cast(dotted, kind)))
    else:
        iso = matches(value, ISO_DATE)
        day_first = matches(value, DAY_FIRST)
        swapped = call("regexp_replace", value, text(DAY_FIRST), text(r"\3-\2-\1"))
        checks += [
            exp.If(this=iso, true=try_cast(value, kind)),
            exp.If(this=day_first, true=try_cast(swapped, kind)),
        ]
    return exp.Case(ifs=checks, default=exp.Null())
