"""Values a measure tells apart that differ only in case or spacing.

A measure that counts distinct values (``aggregate = "count_distinct"``) or only the latest
record of each entity (``terakhir = { per = … }``) tells its values apart exactly: in a
``text`` column ``Fakir Miskin`` and ``Fakir Miskin `` (a space typed after it), or
``RTM-001`` and ``rtm-001``, are two, where the office means one, and the count is one too
many without a word; so are they in an ``identifier`` column (a household's code, an NPSN),
which is read without the spaces around it but keeps its case, the spaces inside it and
characters that do not print (``RTM-001`` and a zero-width space). The identifiers of digits
(``nik``, ``no_kk``, ``nip``) hold nothing else. So, before any value is computed, such a
column whose values differ only in case or spacing
(:func:`~iku_rules.regions.region_key`, as region names and the texts filters compare are
matched), or in the zeros before their digits (``0012`` and ``12``, a code Excel read as a
number in some of its cells), is refused at the first row of the second spelling, with both
(:func:`check_distinct_spellings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from iku_rules.datanames import Placer
from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.regions import region_key
from iku_rules.sources.base import Backend, value_text
from iku_rules.sources.sql import Builder
from iku_rules.sources.sql_backend import SqlBackend

if TYPE_CHECKING:
    from iku_rules.measures import MeasureSpec


SPELLED = ("text", "identifier")
"""The column types whose values may be spelled two ways (digits only may not)."""


def check_distinct_spellings(
    specs: Iterable[MeasureSpec],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`~iku_rules.sources.cells.DataError` at the first row of a ``text`` or
    ``identifier`` column a measure counts distinct values of (or the entities of whose
    latest records it counts) that spells a value of it otherwise only in case or spacing."""
    asked: set[tuple[str, str]] = set()
    for spec in specs:
        told_apart = [spec.column] if spec.aggregate == "count_distinct" and spec.column else []
        if spec.latest is not None:
            told_apart.append(spec.latest.per)
        source = spec.source
        for column in told_apart:
            if source.columns.get(column) not in SPELLED or (source.id, column) in asked:
                continue
            asked.add((source.id, column))
            asked_of = f"two spellings of {column}"  # i18n: not for planners (a key kept)
            pair = backend.kept_answer(  # none found: kept for a later run over the same bytes
                source, asked_of, partial(_clash, backend, source, column),
                keep=lambda pair: pair is None,
            )  # fmt: skip
            if pair is None:
                continue
            first, second = pair
            message = (
                _(
                    "the column '{column}' holds '{first}' and '{second}', which differ only"
                    " in letter case or spacing; measure '{measure}' tells its values apart"
                    " exactly, so they would count as two. Write them alike"
                )
                if region_key(first) == region_key(second)
                else _(
                    "the column '{column}' holds '{first}' and '{second}', which differ only"
                    " in the zeros before their digits, as Excel drops them from a code it"
                    " reads as a number; measure '{measure}' tells its values apart exactly,"
                    " so they would count as two. Write them alike"
                )
            )
            raise Placer(source, data_dir, allow_outside, backend).error(
                column,
                [second],
                message.format(column=column, first=first, second=second, measure=spec.label),
            )


def _clash(backend: Backend, source: Source, column: str) -> tuple[str, str] | None:
    """Two values of ``column`` that differ only in case or spacing, in their order, or
    None. An engine that matches patterns in SQL is asked only for the values that are not
    their own :func:`spelling` (upper case, spaces around or doubled, other than printing
    ASCII, digits after a 0), then for those that are the key of one of them: two small
    answers, where the 40,000 households of a kabupaten's register fetched to compare took
    a twentieth of its evaluation. Any other engine gives every distinct value."""
    if not isinstance(backend, SqlBackend) or backend.dialect not in _PATTERNS:
        return two_spellings(backend.distinct(source, column))  # (in their order)
    backend.table(source)
    builder = backend.builder()
    value = builder.column(column)
    own = exp.and_(
        exp.EQ(this=value.copy(), expression=exp.Lower(this=value.copy())),
        exp.EQ(this=value.copy(), expression=exp.Trim(this=value.copy())),
        exp.Not(this=exp.Like(this=value.copy(), expression=exp.Literal.string("%  %"))),
        exp.RegexpLike(this=value.copy(), expression=exp.Literal.string("^[ -~]*$")),
        exp.Not(this=exp.RegexpLike(this=value.copy(), expression=exp.Literal.string("^0[0-9]+$"))),
    )
    odd = _values(backend, source, builder, column, exp.Not(this=exp.paren(own)))
    if not odd:
        return None  # no two values of their own keys differ only in case or spacing
    keys = {spelling(text) for text in odd}
    builder = backend.builder()
    named = exp.In(
        this=builder.column(column),
        expressions=[builder.param(key, "text") for key in sorted(keys)],  # bound, not written
    )
    return two_spellings(sorted({*odd, *_values(backend, source, builder, column, named)}))


_PATTERNS = frozenset({"duckdb", "postgres", "spark"})
"""The engines whose SQL matches a pattern (SQLite's REGEXP needs a function of Python)."""


def _values(
    backend: SqlBackend, source: Source, builder: Builder, column: str, where: exp.Expr
) -> list[str]:
    """The distinct values of ``column`` that ``where`` holds of (asked of the distinct
    values, not of every row: a column of 26 kinds over 100,000 rows matches 26), as text."""
    value = builder.column(column)
    distinct = (
        exp.select(value)
        .distinct()
        .from_(builder.table(source))
        .where(value.is_(exp.null()).not_())
    )
    alias = "iku values"  # i18n: not for planners
    statement = exp.select(value.copy()).from_(distinct.subquery(alias)).where(where)
    query = builder.finish(statement, (column,))
    return [value_text(found) for (found,) in backend.run(query, source)]


def two_spellings(values: Iterable[str]) -> tuple[str, str] | None:
    """Two of ``values`` that differ only in case or spacing, or in the zeros before their
    digits (:func:`spelling`; the first met, then the one that spells it otherwise: in their
    order, where ``values`` are sorted), or None.

    >>> two_spellings(["Anak Terlantar", "Fakir Miskin", "Fakir Miskin "])
    ('Fakir Miskin', 'Fakir Miskin ')
    >>> two_spellings(["3601000000000001", "3601000000000002"]) is None
    True
    """
    seen: dict[str, str] = {}
    for value in values:
        key = spelling(value)
        if key in seen:
            return seen[key], value
        seen[key] = value
    return None


def spelling(value: str) -> str:
    """What two spellings of ``value`` share: its :func:`~iku_rules.regions.region_key`, and
    of digits alone, the digits after the zeros before them (``0012`` and ``12``: Excel,
    reading a code typed in a General cell as a number, drops its zeros).

    >>> spelling("RTM-001 "), spelling("0012"), spelling("12"), spelling("000")
    ('rtm-001', '12', '12', '0')
    """
    key = value if _own_key(value) else region_key(value)
    if key[:1] == "0" and key.isascii() and key.isdigit():
        return key.lstrip("0") or "0"
    return key


def _own_key(value: str) -> bool:
    """Whether ``value`` is its own :func:`~iku_rules.regions.region_key`, told by string
    methods that run in C (an identifier ``3601010102210001-1``, a code ``rtm-001``): ASCII
    that prints, lower case, with single spaces between words only. Half the time of the
    check over the 40,000 households of a kabupaten's register."""
    return (
        value.isascii()
        and value.isprintable()
        and value.lower() == value
        and value.strip(" ") == value
        and "  " not in value
    )
