"""The proofs of bounds are sound: every value the evaluator gives lies in the interval
:mod:`iku_rules.bounds` proves (or the definition states) for it, in the unit it proves,
and every denominator found 0 was announced as one that can be 0.

Formulas are drawn over a small office (registers, measures counted in several ways, a sum
of a decimal column, inputs, parameters negative and zero, indicators read by id, the
previous period), evaluated by the real evaluator as the engine runs it (its bindings and
units, its aggregates over registers fetched as measures, its check of a stated
``numerator_within_denominator``), on data consistent with what the analysis assumes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iku_rules import ast, units
from iku_rules.bounds import Analysis
from iku_rules.check.formulas import name_table
from iku_rules.errors import IkuError
from iku_rules.evaluator.entry import compile_formula, run
from iku_rules.evaluator.values import Binding, Env, NotAvailable, Result
from iku_rules.formula import Formula
from iku_rules.i18n import _
from iku_rules.measures import from_definition, inline_measures, measure_value
from iku_rules.model import Definitions, Element, Indicator, Input, Measure, Parameter, Source
from iku_rules.parser import parse
from iku_rules.printer import to_text
from iku_rules.reasons import DIVISION_BY_ZERO, code_of
from iku_rules.sources.python_engine import _add, _latest_rows, _tally, predicate
from iku_rules.testing import decimals, planner_arithmetic, register_aggregates
from iku_rules.timegrain import Latest
from iku_rules.trace import TraceStep
from iku_rules.within import outside_statement

D = Decimal
ROOT = Path(__file__).resolve().parent.parent


def _register(id: str, columns: dict[str, str]) -> Source:
    return Source(id, "register", "csv", f"{id}.csv", columns=columns)


SOURCES = (
    _register("r", {"k": "text", "v": "decimal", "nik": "text"}),
    _register("b", {"nik": "text", "putaran": "integer", "status": "text"}),
    _register("s", {"nik": "text"}),
)
MEASURES = (
    Measure("PMKS", "r", "count_distinct", "nik", missing="skip"),
    Measure("PMKS ab", "r", "count_distinct", "nik", parse('k in ("a", "b")'), missing="skip"),
    Measure("PMKS a", "r", "count_distinct", "nik", parse('k = "a"'), missing="count_each"),
    Measure("baris", "r", "count"),
    Measure("baris a", "r", "count", filter=parse('k = "a"')),
    Measure("nilai", "r", "sum", "v", missing="skip"),
    Measure("balita", "b", "count", latest=Latest("nik", "putaran")),
    Measure("balita stunting", "b", "count", filter=parse('status = "stunting"')),
    Measure(
        "balita stunting terakhir",
        "b",
        "count",
        filter=parse('status = "stunting"'),
        latest=Latest("nik", "putaran"),
    ),
    Measure("dilayani", "s", "count_distinct", "nik", missing="skip"),
    Measure("skor", "s", "count", unit="percent"),
)
INPUTS = (Input("x"), Input("px", unit=" Percent"))
PARAMETERS = (Parameter("minus", D("-2.5")), Parameter("nol", D(0)), Parameter("bobot", D("0.3")))


def indicator(
    id: str, formula: str | Formula | None, unit: str = "Persen", statement: Any = None
) -> Indicator:
    parsed = parse(formula) if isinstance(formula, str) else formula
    return Indicator(
        id=id,
        name=id,
        level="misi",
        parent="misi",
        unit=unit,
        polarity="positif",
        iku=False,
        baseline=None,
        targets={},
        formula_kind="expression" if parsed is not None else "input",
        formula=parsed,
        percent_statement=statement,
    )


BASE = (
    indicator("ind-share", 'Σ r[k = "a"] / Σ r × 100%'),
    indicator("ind-dilayani", "Σ dilayani / Σ PMKS × 100%", statement="within"),
    indicator("ind-rasio", "Σ [baris a] / Σ baris", unit="Rasio"),
    indicator("ind-indeks", 'Σ r[k = "b"] / Σ r × 100%', unit="Indeks"),  # a warning only
    indicator("ind-input", None),
)
"""Indicators the drawn formulas read by id, evaluated first (in this order)."""


def office(*extra: Indicator) -> Definitions:
    return Definitions(
        root=ROOT,
        office=None,
        elements=(Element("misi", "misi", "Misi", None, indicators=(*BASE, *extra)),),
        sources=SOURCES,
        measures=MEASURES,
        inputs=INPUTS,
        parameters=PARAMETERS,
    )


OFFICE = office()
NAMES = tuple(
    [m.name for m in MEASURES]
    + [i.name for i in INPUTS]
    + [p.name for p in PARAMETERS]
    + [i.id for i in BASE]
)
TABLE, _problems = name_table(OFFICE)
assert not _problems
SCHEMA = {key: binding for key, (_kind, binding, _name) in TABLE.items()}
SPELLED = {key: spelling for key, (_kind, _binding, spelling) in TABLE.items()}
REGISTERS = {ast.name_key(s.id): s for s in SOURCES}

# -- the data: rows of each register, the inputs, as the engine reads them

WIDE = st.one_of(
    decimals(1000, 2),
    st.sampled_from([D("0.000001"), D("99999999999999999999.999999"), D("33333.333333")]),
)
SIGNED = st.one_of(WIDE, WIDE.map(lambda d: -d))
ROWS_R = st.lists(
    st.fixed_dictionaries(
        {
            "k": st.sampled_from(["a", "b", "c", None]),
            "v": st.one_of(st.none(), SIGNED),
            "nik": st.sampled_from(["1", "2", "3", "4", None]),
        }
    ),
    max_size=8,
)
ROWS_B = st.dictionaries(  # one record of each balita per round: no ties at the latest
    st.tuples(st.sampled_from(["1", "2", "3"]), st.integers(1, 3)),
    st.sampled_from(["stunting", "normal"]),
    max_size=6,
).map(
    lambda found: [
        {"nik": nik, "putaran": D(round), "status": status}
        for (nik, round), status in sorted(found.items())
    ]
)
ROWS_S = st.lists(
    st.fixed_dictionaries({"nik": st.sampled_from(["1", "2", "3", "4", "5", "6", None])}),
    max_size=8,
)
DATA = st.fixed_dictionaries(
    {
        "r": ROWS_R,
        "b": ROWS_B,
        "s": ROWS_S,
        "x": st.one_of(st.none(), SIGNED),
        "px": st.one_of(st.none(), SIGNED),
        "ind-input": st.one_of(st.none(), SIGNED),
    }
)


def _measure(spec: Any, rows: list[dict[str, Any]]) -> Decimal | NotAvailable:
    """A measure's value as the pure-Python engine gives it (every row within the period)."""
    group: dict[str, Any] = {"window_state": len(rows), "window_flow": len(rows)}
    latest = (
        _latest_rows(rows, spec.latest.per, spec.latest.by, lambda row: True)
        if spec.latest is not None
        else None
    )
    passes = predicate(spec.condition)
    for row in rows:
        if passes(row) and (latest is None or id(row) in latest):
            _add(group, spec, row)
    return measure_value(spec, _tally(spec, group), "")


def values_of(
    data: Mapping[str, Any], inline: Mapping[str, Any], previous: Env | None
) -> dict[str, Any]:
    """What the engine binds: measures (named and written inline), inputs, parameters,
    and the base indicators' values (a stated ratio outside its statement not available)."""
    sources = {source.id: source for source in SOURCES}
    values: dict[str, Any] = {}
    for measure in MEASURES:
        spec = from_definition(measure, sources[measure.source], measure.key)
        values[measure.key] = _measure(spec, data[measure.source])
    for base in BASE:  # and what the base indicators write inline
        inline = {**inline, **(_inline(base.formula)[1] if base.formula is not None else {})}
    for key, spec in inline.items():
        values[key] = _measure(spec, data[spec.source.id])
    for name in ("x", "px", "ind-input"):
        found = data[name]
        values[ast.name_key(name)] = found if found is not None else NotAvailable("none")
    for parameter in PARAMETERS:
        values[parameter.key] = parameter.value
    for base in BASE:
        if base.formula is None:
            continue
        result = evaluate(base, values, previous)
        found = result.value if result is not None else None
        values[ast.name_key(base.id)] = found if found is not None else NotAvailable("none")
    return values


def evaluate(
    ind: Indicator, values: dict[str, Any], previous: Env | None, inline: Any = None
) -> Result | None:
    """``ind``'s value as the engine computes it; None when its formula does not compile."""
    assert ind.formula is not None
    precomputed = inline if inline is not None else _inline(ind.formula)[0]
    schema = {**SCHEMA, **{key: Binding("scalar") for key in precomputed.values()}}
    try:
        compiled = compile_formula(ind.formula, schema, SPELLED, precomputed)
    except IkuError:
        return None
    result = run(compiled, ind.formula, Env(values, previous))
    if ind.percent_statement == "within" and result.value is not None:
        ratio = ind.ratio
        text = None if ratio is None else to_text(ratio)
        reason = outside_statement(ratio, text, result.trace)
        if reason is not None:
            return Result(None, None, reason, result.trace, ind.formula)
    return result


def _inline(formula: Formula) -> tuple[dict[ast.Node, str], dict[str, Any]]:
    nodes: dict[ast.Node, str] = {}
    specs: dict[str, Any] = {}
    for node, spec in inline_measures(formula.body, REGISTERS):
        key = "inline: " + spec.key
        nodes[node] = key
        specs[key] = spec
    return nodes, specs


def _divided_by_zero(step: TraceStep) -> list[tuple[str, ...]]:
    """For each quotient not available for its denominator being 0: the operands after the
    first that are 0 (the denominator is one of them; a factor 0 may be another)."""
    found = []
    stack = [step]
    while stack:
        current = stack.pop()
        stack.extend(current.children)
        if code_of(current.reason) != DIVISION_BY_ZERO or not current.children:
            continue
        if all(child.value is not None for child in current.children):
            found.append(tuple(child.text for child in current.children[1:] if child.value == 0))
    return found


def check_sound(
    body: ast.Node | str, data: Mapping[str, Any], before: Mapping[str, Any], stated: bool
) -> str:
    """Evaluate the formula on ``data`` (``before`` the previous period's) and hold the
    value to what the analysis proves; what happened, for :func:`hypothesis.event`."""
    try:
        formula = parse(body if isinstance(body, str) else to_text(body))
    except IkuError:
        return "does not parse"
    ind = indicator("drawn", formula, statement="within" if stated else None)
    nodes, specs = _inline(formula)
    previous = Env(values_of(before, specs, None))
    values = values_of(data, specs, previous)
    result = evaluate(ind, values, previous, nodes)
    if result is None:
        return "does not compile"
    analysis = Analysis(office(ind))
    proven = analysis.indicator(ind)
    claimed = analysis.stated(ind)
    shown = (str(formula), result.value, result.unit, str(claimed), proven.unit)
    unavailable = _("the value is not available, with the reason that the denominator is 0")
    found = _divided_by_zero(result.trace)
    for zeros in found:
        announced = [z.denominator for z in proven.zero_denominators if z.denominator in zeros]
        assert announced, (*shown, zeros, proven.zero_denominators)
    if found and code_of(result.reason) == DIVISION_BY_ZERO:  # one is said to leave no value
        hit = {text for zeros in found for text in zeros}
        policies = [z.policy for z in proven.zero_denominators if z.denominator in hit]
        assert unavailable in policies, (*shown, found, policies)
    if result.value is None:
        return "not available"
    assert result.value in claimed, shown
    assert units.symbol(proven.unit) == result.unit, shown
    if not stated:
        assert claimed == proven.interval
    return "bounded" if claimed.low > -D("Infinity") or claimed.high < D("Infinity") else "value"


named = st.sampled_from(NAMES).map(ast.Name)
PAIRS = [  # numerators and denominators of one source: parts and wholes, or not
    (ast.Name(part.name), ast.Name(whole.name))
    for part in MEASURES
    for whole in MEASURES
    if part.source == whole.source and part != whole
]
LEAVES = st.one_of(
    register_aggregates("r", {"k": ("a", "b", "c")}, ("v",)),
    register_aggregates("b", {"status": ("stunting", "normal")}),
    st.one_of(st.sampled_from(PAIRS), st.tuples(named, named)).map(
        lambda ab: ast.Product(tuple(ast.Aggregate("sum", n) for n in ab), ("/",))
    ),
)


@settings(
    max_examples=int(os.environ.get("IKU_BOUNDS_EXAMPLES", "300")),  # 2000 and more locally
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(planner_arithmetic(NAMES, LEAVES, max_leaves=10), DATA, DATA, st.booleans())
def test_every_value_lies_within_its_proven_bounds(
    body: ast.Node, data: dict[str, Any], before: dict[str, Any], stated: bool
) -> None:
    event(check_sound(body, data, before, stated))


# -- the unsound claims the property found, each with its data and the true value

NONE: dict[str, Any] = {"r": [], "b": [], "s": [], "x": None, "px": None, "ind-input": None}


def _rows(*rows: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [{"k": k, "v": None, "nik": nik} for k, nik in rows]


def _claim(text: str, data: Mapping[str, Any], stated: bool = False) -> tuple[Any, str, str]:
    """The value of ``text`` on ``data``, the interval claimed and its unit, after checking
    the value lies there (:func:`check_sound`)."""
    check_sound(text, data, NONE, stated)
    formula = parse(text)
    ind = indicator("drawn", formula, statement="within" if stated else None)
    nodes, specs = _inline(formula)
    previous = Env(values_of(NONE, specs, None))
    result = evaluate(ind, values_of(data, specs, previous), previous, nodes)
    assert result is not None
    analysis = Analysis(office(ind))
    return result.value, str(analysis.stated(ind)), analysis.indicator(ind).unit


def test_a_number_literal_takes_the_unit_of_a_ratio_as_the_evaluator_gives_it() -> None:
    # 1 - 0/2 = 1, a ratio (the literal 1 takes the ratio's unit), × 100% = 100 %.
    # Claimed before: [0, 1], a plain number (1 taken for a number, × 100% for 1/100).
    two = {**NONE, "r": _rows(("y", "1"), ("y", "2"))}
    assert _claim('(1 - Σ r[k = "x"] / Σ r) × 100%', two) == (D(100), "[0, 100]", "percent")
    # min(1/1, 1) = 1, a ratio, × 100% = 100 %; claimed before [0, 1], a number.
    one = {**NONE, "r": _rows(("a", "1"))}
    assert _claim("min(Σ [baris a] / Σ baris, 1) × 100%", one) == (D(100), "[0, 100]", "percent")
    # if(1 = 0, 0, 1/1) × 100% = 100 %; claimed before [0, 1], a number.
    assert _claim("if(Σ baris = 0, 0, Σ [baris a] / Σ baris) × 100%", one) == (
        D(100),
        "[0, 100]",
        "percent",
    )
    # min(0, 100%) is 0 % (0 takes the unit of 100%): claimed before a plain number.
    assert _claim("min(0, 100%)", NONE) == (D(0), "[0, 0]", "percent")


def test_an_indicator_is_read_in_the_unit_of_its_satuan() -> None:
    # ind-indeks (satuan Indeks, a warning only) is 1/1 × 100% = 100, bound as a plain
    # number: 100 / 100% = 100 / 100 × 100 = 100. Claimed before: [0, 1], a ratio
    # (100 % / 100% read as a percentage divided by a percentage).
    one_b = {**NONE, "r": _rows(("b", "1"))}
    assert _claim("ind-indeks / 100%", one_b) == (D(100), "[0, 100]", "number")
    # ind-rasio (satuan Rasio) is 1/1 = 1, a plain number: × 100% is 1 × 100 / 100 = 1.00.
    # Claimed before: [0, 100], a percentage.
    one_a = {**NONE, "r": _rows(("a", "1"))}
    assert _claim("ind-rasio × 100%", one_a) == (D("1.00"), "[0, 1]", "number")


def test_a_satuan_written_percent_is_a_percentage_as_the_engine_binds_it() -> None:
    # px (unit " Percent") = 1 %: 1/1 / max(1 %, 1%) = 1 / 1 × 100 = 100, a plain number.
    # Claimed before: [0, 1], a ratio (" Percent" read as a plain number).
    data = {**NONE, "r": _rows(("a", "1")), "px": D(1)}
    assert _claim("Σ [baris a] / Σ baris / max(px, 1%)", data) == (D(100), "[0, 100]", "number")


def test_a_part_counts_by_the_latest_record_when_its_whole_does() -> None:
    # Balita 1, stunted in rounds 1 and 2: 'balita' counts its latest record (1),
    # 'balita stunting' both (2): 2 / 1 × 100% = 200 %. Claimed before: [0, 100].
    data = {
        **NONE,
        "b": [
            {"nik": "1", "putaran": D(1), "status": "stunting"},
            {"nik": "1", "putaran": D(2), "status": "stunting"},
        ],
    }
    assert _claim("Σ [balita stunting] / Σ balita × 100%", data) == (
        D(200),
        "[0, ∞]",
        "percent",
    )
    # By the same latest record it is a part: 1 / 1 × 100% = 100 %.
    assert _claim("Σ [balita stunting terakhir] / Σ balita × 100%", data) == (
        D(100),
        "[0, 100]",
        "percent",
    )


def test_a_part_counts_no_row_without_a_value_its_whole_leaves_out() -> None:
    # Rows (a, no nik), (a, no nik), (a, nik 1): 'PMKS a' counts each row without a nik
    # (1 + 2 = 3), 'PMKS' skips them (1): 3 / 1 × 100% = 300 %. Claimed before: [0, 100].
    data = {**NONE, "r": _rows(("a", None), ("a", None), ("a", "1"))}
    assert _claim("Σ [PMKS a] / Σ PMKS × 100%", data) == (D(300), "[0, ∞]", "percent")
    # 'PMKS ab' skips them as 'PMKS' does: 1 / 1 × 100% = 100 %, within 0–100.
    assert _claim("Σ [PMKS ab] / Σ PMKS × 100%", data) == (D(100), "[0, 100]", "percent")


def test_a_stated_ratio_is_checked_exactly() -> None:
    # (1 + 10^-31) / 1 × 100% = 100.00000000000000000000000000001 %: its numerator exceeds
    # its denominator, but the share, divided in Python's 28 digits, was 1, so the value
    # passed the check of numerator_within_denominator, outside the [0, 100] relied on.
    data = {**NONE, "r": _rows(("a", "1"))}
    text = "(Σ [baris a] + 0,0000000000000000000000000000001) / Σ baris × 100%"
    assert _claim(text, data, stated=True) == (None, "[0, 100]", "percent")


def test_denominators_in_conditions_and_guarded_branches_are_announced() -> None:
    data = {**NONE, "r": _rows(("b", "1"))}  # Σ [baris a] is 0
    unavailable = _("the value is not available, with the reason that the denominator is 0")

    def notes(text: str) -> list[tuple[str, str]]:
        ind = indicator("drawn", text)
        found = Analysis(office(ind)).indicator(ind).zero_denominators
        return [(zero.denominator, zero.policy) for zero in found]

    # 1 / 0 in the condition: the value is not available. Announced before: nothing.
    assert _claim("if(Σ baris / Σ [baris a] > 0, 1, 0)", data)[0] is None
    assert notes("if(Σ baris / Σ [baris a] > 0, 1, 0)") == [("Σ baris a", unavailable)]
    # The branch taken when the denominator is 0 divides by it: not available. Announced
    # before: "the formula gives Σ baris / Σ baris a instead".
    text = "if(Σ [baris a] = 0, Σ baris / Σ [baris a], 0)"
    assert _claim(text, data)[0] is None
    assert notes(text) == [("Σ baris a", unavailable)]
    # Guarded by != 0, the formula gives 0. Announced before: not available.
    text = "if(Σ [baris a] != 0, Σ baris / Σ [baris a], 0)"
    assert _claim(text, data)[0] == 0
    gives = _("the formula gives {value} instead").format(value="0")
    assert notes(text) == [("Σ baris a", gives)]
