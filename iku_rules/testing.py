"""Hypothesis strategies for formulas, shared by our tests and yours.

Property-test your own formulas and definitions with the same generators the
project uses::

    from hypothesis import given
    from iku_rules.testing import formulas

    @given(formulas())
    def test_round_trip(formula):
        assert parse(str(formula)) == formula

Requires ``hypothesis`` (installed with ``iku-rules[test]``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve, frozen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.bounds import Analysis
from iku_rules.check.formulas import unit_table
from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.formula import Formula
from iku_rules.loader import load
from iku_rules.model import Definitions, Source
from iku_rules.sample.needs import input_names
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.sources.csv_file import write_csv

WORDS = (
    "PMKS",
    "PSKS",
    "yang",
    "Tertangani",
    "pegawai",
    "nilai_skp",
    "gaji",
    "realisasi",
    "target",
    "Nilai",
    "AKIP",
    "IKM",
    "RTM",
    "korban",
    "bencana",
    "Jumlah",
    "dan",
    "x",
    "in",
    "total",
    "2024",
    "rata-rata",
    "TW1",
)
"""Words names are made of: some are operator or aggregate words, so that the
printer must put those names in brackets."""


def name_texts() -> st.SearchStrategy[str]:
    """Names as planners write them: one to four words, sometimes with signs that need brackets."""
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
    signed = st.tuples(words, st.sampled_from([",", "/", " (Kab/Kota)", "%", ".", ":"]), words).map(
        lambda parts: f"{parts[0]}{parts[1]} {parts[2]}"
    )
    return st.one_of(words, signed)


def decimals(max_value: int = 10_000, places: int = 4) -> st.SearchStrategy[Decimal]:
    """Non-negative exact decimals with at most ``places`` decimals."""
    return st.decimals(
        min_value=0, max_value=max_value, places=places, allow_nan=False, allow_infinity=False
    )


def spellings() -> st.SearchStrategy[str]:
    """Numbers as people write them: digits with ``.`` and ``,`` between them, grouped in
    threes or not, with one decimal mark, two or none, an optional sign and ``%``. The two
    notations of :mod:`iku_rules.notation` read some alike (``1234``), some differently
    (``23.500``), some only one of them (``55,33``), some not at all (``1.2.3``)."""
    runs = st.lists(
        st.tuples(st.from_regex(r"[0-9]{1,4}", fullmatch=True), st.sampled_from(".,")),
        min_size=0,
        max_size=4,
    )
    return st.builds(
        lambda sign, first, rest, percent: (
            sign + first + "".join(mark + digits for digits, mark in rest) + percent
        ),
        st.sampled_from(["", "", "-"]),
        st.from_regex(r"[1-9][0-9]{0,3}|0", fullmatch=True),
        runs,
        st.sampled_from(["", "", "%"]),
    )


def notation_values(max_digits: int = 30) -> st.SearchStrategy[Decimal]:
    """Exact decimals of every size an indicator may have, negative ones too: what
    :func:`iku_rules.notation.write` and ``read`` must carry unchanged."""
    return st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda value: (
            len(value.as_tuple().digits) <= max_digits
            and -max_digits < value.adjusted() < max_digits
        )
    )


def numbers() -> st.SearchStrategy[ast.Number]:
    """Number literals, plain or percent."""
    return st.builds(ast.Number, decimals(), st.booleans())


def texts() -> st.SearchStrategy[ast.Text]:
    """String literals, including quotes and backslashes."""
    return st.builds(ast.Text, st.text(alphabet="abc XYZ\"\\'é-", max_size=8))


def _leaf() -> st.SearchStrategy[ast.Node]:
    return st.one_of(numbers(), st.builds(ast.Name, name_texts()))


def _condition(inner: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
    literal = st.one_of(numbers(), texts(), st.builds(ast.Neg, numbers()))
    compare = st.builds(ast.Compare, inner, st.sampled_from(ast.COMPARISONS), inner)
    member = st.builds(
        ast.In, inner, st.lists(literal, min_size=1, max_size=3).map(tuple), st.booleans()
    )
    base = st.one_of(compare, member)
    return st.one_of(
        base,
        st.builds(ast.Not, base),
        st.lists(base, min_size=2, max_size=3).map(lambda ops: ast.And(tuple(ops))),
        st.lists(base, min_size=2, max_size=3).map(lambda ops: ast.Or(tuple(ops))),
    )


def _chain(
    node: type[ast.Sum] | type[ast.Product],
    ops: tuple[str, ...],
    inner: st.SearchStrategy[ast.Node],
) -> st.SearchStrategy[ast.Node]:
    return st.lists(inner, min_size=2, max_size=4).flatmap(
        lambda operands: st.lists(
            st.sampled_from(ops), min_size=len(operands) - 1, max_size=len(operands) - 1
        ).map(lambda chosen: node(tuple(operands), tuple(chosen)))
    )


def _call(inner: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
    def build(name: str) -> st.SearchStrategy[ast.Node]:
        spec = ast.FUNCTIONS[name]
        args: st.SearchStrategy[tuple[ast.Node, ...]]
        if name == "if":
            args = st.tuples(_condition(inner), inner, inner)
        elif name == "round":
            args = st.tuples(inner, st.builds(ast.Number, st.integers(0, 4).map(Decimal)))
        else:
            most = spec.max_args if spec.max_args is not None else 3
            args = st.lists(inner, min_size=spec.min_args, max_size=most).map(tuple)
        return args.map(lambda arguments: ast.Call(name, tuple(arguments)))

    return st.sampled_from(sorted(ast.FUNCTIONS)).flatmap(build)


def expressions(max_leaves: int = 25) -> st.SearchStrategy[ast.Node]:
    """Any AST the parser can produce (not necessarily one that evaluates)."""

    def extend(inner: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        record = st.builds(ast.Name, name_texts())
        return st.one_of(
            _chain(ast.Sum, ("+", "-"), inner),
            _chain(ast.Product, ("*", "/"), inner),
            st.builds(ast.Neg, inner),
            st.builds(ast.Aggregate, st.sampled_from(ast.AGGREGATES), inner),
            st.builds(ast.Filter, record, _condition(inner)),
            st.builds(ast.Field, record, name_texts()),
            _call(inner),
            _condition(inner),
        )

    return st.recursive(_leaf(), extend, max_leaves=max_leaves)


def formulas(max_leaves: int = 25) -> st.SearchStrategy[Formula]:
    """Parsed formulas, as :func:`iku_rules.parse` would return them."""
    return expressions(max_leaves).map(Formula)


def arithmetic(names: tuple[str, ...], max_leaves: int = 12) -> st.SearchStrategy[ast.Node]:
    """Well-typed arithmetic over the given names: +, -, ×, /, min, max, abs, round, if."""
    leaf = st.one_of(
        st.builds(ast.Number, decimals(1000, 2)),
        st.sampled_from(names).map(ast.Name),
    )

    def extend(inner: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        compare = st.builds(ast.Compare, inner, st.sampled_from(ast.COMPARISONS), inner)
        return st.one_of(
            _chain(ast.Sum, ("+", "-"), inner),
            _chain(ast.Product, ("*", "/"), inner),
            st.builds(ast.Neg, inner),
            st.lists(inner, min_size=1, max_size=3).map(lambda a: ast.Call("min", tuple(a))),
            st.lists(inner, min_size=1, max_size=3).map(lambda a: ast.Call("max", tuple(a))),
            inner.map(lambda a: ast.Call("abs", (a,))),
            st.tuples(compare, inner, inner).map(lambda a: ast.Call("if", a)),
            st.lists(inner, min_size=1, max_size=3).map(lambda a: ast.Call("coalesce", tuple(a))),
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


# -- data for a definitions folder

REGIONS = ("Kecamatan A", "Kecamatan B", "Kecamatan C")
"""The regions generated data is spread over."""

OTHER_TEXT = "lainnya"
"""A text no filter of the definitions names, so that some rows pass no filter."""

NUMBER_EDGES = tuple(
    Decimal(text) for text in ("0", "1", "-1", "0.01", "99.99", "100", "100.01", "1000000000000")
)
"""Numbers at the edges indicator formulas meet: zero, a unit, a cent, either side of 100, a
budget in rupiah; and one below zero."""


@frozen
class Dataset:
    """Rows generated for each source of a definitions folder, written as CSV files.

    ``tables`` maps a source id to its rows, each a mapping from column to value
    (``None`` is a blank cell). Its ``repr`` is what Hypothesis prints for a failing example.
    """

    year: int
    tables: Mapping[str, tuple[Mapping[str, object], ...]]

    def write(self, definitions: Definitions, folder: Path) -> None:
        """Write every table as ``<source id>.csv`` in ``folder``, with the source's columns."""
        folder.mkdir(parents=True, exist_ok=True)
        for source in definitions.sources:
            columns = tuple(source.columns)
            write_csv(folder / f"{source.id}.csv", columns, self.tables.get(source.id, ()))


def as_csv(definitions: Definitions) -> Definitions:
    """``definitions`` with every source read from ``<source id>.csv`` in the data folder,
    whatever its format and path, as :meth:`Dataset.write` writes them."""
    sources = tuple(
        evolve(source, format="csv", path=f"{source.id}.csv", table=None)
        for source in definitions.sources
    )
    return evolve(definitions, sources=sources)


def _column_values(definitions: Definitions) -> dict[str, list[object]]:
    """The literal values the definitions compare each column name with (by name key)."""
    found: dict[str, list[object]] = {}
    formulas = [m.filter for m in definitions.measures if m.filter is not None]
    formulas += [i.formula for i in definitions.indicators if i.formula is not None]
    for formula in formulas:
        for node in ast.walk(formula.body):
            pairs: list[tuple[ast.Node, ast.Node]] = []
            if isinstance(node, ast.Compare):
                pairs = [(node.left, node.right), (node.right, node.left)]
            elif isinstance(node, ast.In):
                pairs = [(node.operand, option) for option in node.options]
            for column, literal in pairs:
                if isinstance(column, ast.Name) and isinstance(literal, ast.Text | ast.Number):
                    values = found.setdefault(column.key, [])
                    if literal.value not in values:
                        values.append(literal.value)
    return found


def _row(source: Source, values: Mapping[str, object]) -> Mapping[str, object]:
    """A row of ``source`` holding ``values`` (those of its columns), every other cell blank."""
    return {column: values.get(column) for column in source.columns}


def _nilai(source: Source, whole: bool = False) -> st.SearchStrategy[object]:
    """Values for the ``nilai`` column of a realisasi or inputs table, of its declared type;
    ``whole`` for a satuan that counts one by one (``Orang``: never 2.5)."""
    decimal = source.columns.get("nilai") == "decimal" and not whole
    return _numbers("decimal" if decimal else "integer")


def _default_year(definitions: Definitions) -> int:
    """The latest year any indicator has a target for (else the plan's first year, else
    this year)."""
    years = [year for i in definitions.indicators for year in i.targets]
    if years:
        return max(years)
    if definitions.office is not None and definitions.office.plan_start is not None:
        return definitions.office.plan_start
    return dt.date.today().year


def _numbers(kind: str) -> st.SearchStrategy[object]:
    edges = st.sampled_from(NUMBER_EDGES)
    if kind == "integer":
        return st.one_of(edges.map(int), st.integers(-5, 10**6))
    return st.one_of(
        edges,
        st.decimals(min_value=-100, max_value=10**9, places=2, allow_nan=False),
    )


def _dates(year: int) -> st.SearchStrategy[object]:
    """Dates of the year and the one before, often on the first or last day of a triwulan."""
    edges = [
        dt.date(y, month, day)
        for y in (year - 1, year)
        for month, day in ((1, 1), (3, 31), (4, 1), (6, 30), (7, 1), (9, 30), (10, 1), (12, 31))
    ]
    return st.one_of(
        st.sampled_from(edges), st.dates(dt.date(year - 1, 1, 1), dt.date(year, 12, 31))
    )


def _cell(
    source: Source, column: str, kind: str, year: int, vocabulary: Mapping[str, list[object]]
) -> st.SearchStrategy[object]:
    key = name_key(column)
    if column == source.date_column:
        return _dates(year)
    if column == source.region_column:
        return st.one_of(st.sampled_from(REGIONS), st.none())
    if kind == "date":
        return st.one_of(_dates(year), st.none())
    if kind in ("integer", "decimal"):
        known = [v for v in vocabulary.get(key, ()) if isinstance(v, Decimal)]
        options = [st.sampled_from(known)] if known else []
        return st.one_of(*options, _numbers(kind), st.none())
    if kind in IDENTIFIER_LENGTHS:
        # a NIK, No KK or NIP of its length: few, so that some people repeat
        length = IDENTIFIER_LENGTHS[kind]
        people = st.sampled_from([f"36{n:0{length - 2}d}" for n in range(1, 9)])
        return people if column == next(iter(source.columns)) else st.one_of(people, st.none())
    if column == next(iter(source.columns)):
        # the first column names the person or household: few, so that some repeat
        return st.sampled_from([f"{column}-{n}" for n in range(1, 9)])
    known_texts = [str(v) for v in vocabulary.get(key, ())]
    return st.one_of(st.sampled_from([*known_texts, OTHER_TEXT]), st.none())


@st.composite
def _register(
    draw: st.DrawFn,
    source: Source,
    year: int,
    vocabulary: Mapping[str, list[object]],
    max_rows: int,
) -> tuple[Mapping[str, object], ...]:
    cells = {
        column: _cell(source, column, kind, year, vocabulary)
        for column, kind in source.columns.items()
    }
    # Hypothesis keeps lists short; a register is as often empty or full as in between.
    size = draw(st.one_of(st.sampled_from([0, 1, max_rows]), st.integers(0, max_rows)))
    rows = draw(st.lists(st.fixed_dictionaries(cells), min_size=size, max_size=size))
    return tuple(rows)


def _periods(year: int) -> list[str]:
    return [f"{y}-TW{q}" for y in (year - 1, year) for q in (1, 2, 3, 4)]


@st.composite
def _realisasi(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """One row per indicator, triwulan and region (or the whole kabupaten), some missing."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    for indicator in definitions.indicators:
        if indicator.formula_kind != "realisasi":
            continue
        places: tuple[str | None, ...] = (None,)
        if source.region_column:
            places = draw(st.sampled_from([(None,), REGIONS, (None, *REGIONS)]))
        cells = [(periode, place) for periode in _periods(year) for place in places]
        # A few draws per indicator, not per row, so that the registers keep Hypothesis's
        # budget: which cells are reported (about three in four), and the values they cycle.
        reported = draw(st.integers(0, 2 ** len(cells) - 1)) | draw(
            st.integers(0, 2 ** len(cells) - 1)
        )
        whole = table.counts(indicator.unit)
        values = draw(st.lists(st.one_of(_nilai(source, whole), st.none()), min_size=1, max_size=4))
        for index, (periode, place) in enumerate(cells):
            if not reported >> index & 1:
                continue  # a gap: never reported
            row = {
                "indikator": indicator.id,
                "periode": periode,
                "nilai": values[index % len(values)],
                "kode_sub_kegiatan": indicator.parent,
            }
            if source.region_column:
                row[source.region_column] = place
            rows.append(_row(source, row))
    return tuple(rows)


@st.composite
def _inputs(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """Each input for the year and the one before, some missing, some at their edges."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    for name, _, unit in input_names(definitions):
        nilai = _nilai(source, table.counts(unit))
        for tahun in (year - 1, year):
            if not draw(st.booleans()) and draw(st.booleans()):
                continue
            rows.append(_row(source, {"nama": name, "tahun": tahun, "nilai": draw(nilai)}))
    return tuple(rows)


def datasets(
    definitions: Definitions, *, year: int | None = None, max_rows: int = 30
) -> st.SearchStrategy[Dataset]:
    """Data for every source of ``definitions``: registers of 0 to ``max_rows`` rows whose
    texts are those the filters name (and one they do not), dates of ``year`` and the year
    before at the edges of a triwulan, blank cells, people counted twice; realisasi for
    each triwulan with gaps; inputs at their edges or missing.

    Write a drawn :class:`Dataset` with :meth:`Dataset.write` and evaluate
    :func:`as_csv` ``(definitions)`` on the folder.
    """
    year = year if year is not None else _default_year(definitions)
    vocabulary = _column_values(definitions)
    tables: dict[str, st.SearchStrategy[tuple[Mapping[str, object], ...]]] = {}
    for source in definitions.sources:
        if source.kind == "register":
            tables[source.id] = _register(source, year, vocabulary, max_rows)
        elif source.kind == "realisasi":
            tables[source.id] = _realisasi(source, definitions, year)
        else:
            tables[source.id] = _inputs(source, definitions, year)
    return st.fixed_dictionaries(tables).map(lambda drawn: Dataset(year, drawn))


# -- the property: proven bounds hold, nothing raises


def problems(
    definitions: Definitions,
    data: Path,
    periods: Sequence[str],
    *,
    by: str | None = "kecamatan",
    backends: Sequence[str] = ("duckdb",),
) -> list[str]:
    """What is wrong with evaluating ``definitions`` on the data in ``data``: every value
    outside the bounds :mod:`iku_rules.bounds` proved (or the definition states) for its
    indicator, every value missing without a reason, every backend that disagrees with
    the first, and any exception. An empty list when all is well."""
    analysis = Analysis(definitions)
    found: list[str] = []
    by = by if any(s.region_column for s in definitions.sources) else None
    Values = dict[tuple[str, str | None], Decimal | None]
    values: dict[tuple[str, str], Values] = {}  # by (period, backend)
    for backend in backends:
        try:
            engine = Engine(definitions, data, backend=backend)
        except Exception as error:  # the property: no exception, of any kind
            found.append(f"on {backend}: {type(error).__name__}: {error}")
            continue
        with engine:  # one engine per backend: the data are loaded once for every period
            for period in periods:
                try:
                    evaluation = engine.evaluate(period, by=by)
                except Exception as error:
                    found.append(f"{period} on {backend}: {type(error).__name__}: {error}")
                    continue
                values[(period, backend)] = {}
                for result in evaluation.results:
                    values[(period, backend)][(result.id, result.region)] = result.value
                    where = f"{period}, {result.region or 'kabupaten'}, {backend}"
                    if result.value is None:
                        if not result.reason:
                            found.append(f"{result.id} ({where}): not available, with no reason")
                        continue
                    bounds = analysis.stated(result.indicator)
                    if result.value not in bounds:
                        found.append(
                            f"{result.id} ({where}) = {result.value}, outside its bounds {bounds}"
                        )
    for period in periods:
        ran = [backend for backend in backends if (period, backend) in values]
        for backend in ran[1:]:
            first, other = values[(period, ran[0])], values[(period, backend)]
            differ = sorted(
                f"{key[0]} ({key[1] or 'kabupaten'}): {first.get(key)} vs {other.get(key)}"
                for key in first.keys() | other.keys()
                if first.get(key) != other.get(key)
            )
            if differ:
                found.append(f"{period}: {backend} differs from {ran[0]}: {differ[:5]}")
    return found


def definitions_test(
    folder: str | Path,
    *,
    max_examples: int = 50,
    year: int | None = None,
    periods: Sequence[str] | None = None,
    by: str | None = "kecamatan",
    backends: Sequence[str] = ("duckdb",),
    max_rows: int = 30,
    **settings_options: Any,
) -> Callable[[], None]:
    """A test for pytest that property-tests a definitions folder: on data drawn by
    :func:`datasets`, every indicator proven bounded stays within its bounds or is not
    available (with a reason), and nothing raises. Assign it to a ``test_`` name::

        from iku_rules.testing import definitions_test

        test_definitions = definitions_test("definitions/dinsos-pandeglang", max_examples=25)

    Data are drawn for ``year`` and the year before; ``year`` defaults to the latest year
    with a target. ``periods`` defaults to that year and its first half (``YYYY-sd-TW2``);
    ``backends`` lists the engines to run (more than one: they must agree);
    ``settings_options`` go to :func:`hypothesis.settings` (e.g. ``derandomize=True``).
    Definitions with errors fail at once, with the errors.
    """
    definitions = load(folder) if not isinstance(folder, Definitions) else folder
    if not definitions.ok:
        listed = "\n".join(str(d) for d in definitions.errors)
        raise IkuError(f"the definitions in {folder} have errors:\n{listed}")
    runnable = as_csv(definitions)
    year = year if year is not None else _default_year(definitions)
    chosen = list(periods) if periods is not None else [str(year), f"{year}-sd-TW2"]
    options: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        **settings_options,
    }

    @settings(max_examples=max_examples, **options)
    @given(datasets(definitions, year=year, max_rows=max_rows))
    def test_definitions(dataset: Dataset) -> None:
        with tempfile.TemporaryDirectory(prefix="iku-property-") as scratch:
            dataset.write(runnable, Path(scratch))
            found = problems(runnable, Path(scratch), chosen, by=by, backends=backends)
        assert not found, "\n".join(found)

    test_definitions.__doc__ = f"Property test of the definitions in {folder}."
    return test_definitions
