"""Hypothesis strategies for formulas, for numbers written as text, and for what capaian
compares: realisasi, targets of every kind and the rule tables."""

from __future__ import annotations

from decimal import Decimal

from attrs import evolve
from hypothesis import strategies as st

from iku_rules import ast
from iku_rules.formula import Formula
from iku_rules.model import Threshold
from iku_rules.rules.base import Policy
from iku_rules.rules.tables import RuleTables, default_rules

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


def constants() -> st.SearchStrategy[ast.Node]:
    """Constants as formulas hold them: 0, 1, 100, decimals small and large (to the 26 digits
    data hold, and 10^-31), negative ones (``-2,5``, written as a minus before the number)
    and percentages (``100%``, ``0%``, ``150%``)."""
    plain = st.one_of(
        st.sampled_from(
            [
                Decimal(0),
                Decimal(1),
                Decimal(3),
                Decimal(100),
                Decimal("0.5"),
                Decimal("0.001"),
                Decimal("1E-31"),
                Decimal("99999999999999999999.999999"),
            ]
        ),
        decimals(1000, 2),
    )
    number = st.builds(ast.Number, plain)
    percent = st.builds(
        ast.Number,
        st.sampled_from([Decimal(100), Decimal(0), Decimal(50), Decimal(150)]),
        st.just(True),
    )
    return st.one_of(number, number.map(ast.Neg), percent)


def register_aggregates(
    register: str, texts: dict[str, tuple[str, ...]], numbers: tuple[str, ...] = ()
) -> st.SearchStrategy[ast.Node]:
    """Aggregates over the records of ``register``, as the engine fetches them: ``Σ r``,
    ``Σ r[c]`` and ``count r[c]`` (counts); ``Σ r.f``, ``avg r.f``, ``min(r.f)``,
    ``max(r.f)`` and ``count r.f`` over each number field ``f``. Conditions compare each
    text field with the given texts (and with one none of them is), and each number field
    with 0, joined by ``and``, ``or`` and ``not``."""
    records = ast.Name(register)
    compare: list[st.SearchStrategy[ast.Node]] = []
    for field, options in texts.items():
        named = st.sampled_from([*options, "tidak ada"]).map(ast.Text)  # i18n: not for planners
        compare.append(
            st.builds(ast.Compare, st.just(ast.Name(field)), st.sampled_from(("=", "!=")), named)
        )
        compare.append(
            st.builds(
                ast.In,
                st.just(ast.Name(field)),
                st.lists(named, min_size=1, max_size=3, unique=True).map(tuple),
                st.booleans(),
            )
        )
    for field in numbers:
        compare.append(
            st.builds(
                ast.Compare,
                st.just(ast.Name(field)),
                st.sampled_from(ast.COMPARISONS),
                st.just(ast.Number(Decimal(0))),
            )
        )
    base = st.one_of(*compare)
    condition = st.one_of(
        base,
        st.builds(ast.Not, base),
        st.lists(base, min_size=2, max_size=3).map(lambda ops: ast.And(tuple(ops))),
        st.lists(base, min_size=2, max_size=3).map(lambda ops: ast.Or(tuple(ops))),
    )
    selected = st.one_of(st.just(records), st.builds(ast.Filter, st.just(records), condition))
    counts = st.builds(ast.Aggregate, st.sampled_from(("sum", "count")), selected)
    if not numbers:
        return counts
    column = st.builds(ast.Field, selected, st.sampled_from(numbers))
    return st.one_of(
        counts,
        st.builds(ast.Aggregate, st.sampled_from(ast.AGGREGATES), column),
        st.builds(ast.Call, st.sampled_from(("min", "max")), column.map(lambda node: (node,))),
    )


def planner_arithmetic(
    names: tuple[str, ...],
    leaves: st.SearchStrategy[ast.Node] | None = None,
    max_leaves: int = 12,
) -> st.SearchStrategy[ast.Node]:
    """Formulas as planners write them, over ``names`` and ``leaves`` (say
    :func:`register_aggregates`): sums, differences, products and ratios, ``× 100%``,
    negative, zero and percent :func:`constants`, and every function: ``min``, ``max``,
    ``abs``, ``round``, ``if`` (with ``x = 0`` guards), ``coalesce``, ``sebelumnya``,
    ``jumlah``, ``rata_rata``, ``rata_rata_tersedia``. Not every one is well typed (a
    percentage added to a count is refused): compile before using one."""
    named = st.sampled_from(names).map(ast.Name)
    leaf = st.one_of(constants(), named, *([leaves] if leaves is not None else []))
    hundred = ast.Number(Decimal(100), True)

    def extend(wrapped: st.SearchStrategy[ast.Node]) -> st.SearchStrategy[ast.Node]:
        # one reference to the level below, so that the strategy's repr stays short
        inner = st.deferred(lambda: wrapped)
        compare = st.one_of(
            st.builds(ast.Compare, inner, st.sampled_from(ast.COMPARISONS), inner),
            st.builds(ast.Compare, inner, st.just("="), st.just(ast.Number(Decimal(0)))),
        )
        some = st.lists(inner, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            _chain(ast.Sum, ("+", "-"), inner),
            _chain(ast.Product, ("*", "/"), inner),
            st.tuples(inner, inner).map(lambda ab: ast.Product((*ab, hundred), ("/", "*"))),
            inner.map(lambda a: ast.Product((a, hundred), ("*",))),
            st.builds(ast.Neg, inner),
            st.builds(ast.Call, st.sampled_from(("min", "max", "coalesce")), some),
            st.builds(ast.Call, st.sampled_from(ast.PART_FUNCTIONS), some),
            st.builds(ast.Call, st.sampled_from(("abs", "sebelumnya")), inner.map(lambda a: (a,))),
            st.tuples(inner, st.integers(0, 3).map(lambda n: ast.Number(Decimal(n)))).map(
                lambda args: ast.Call("round", args)
            ),
            st.tuples(compare, inner, inner).map(lambda args: ast.Call("if", args)),
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


CapaianTarget = Decimal | tuple[Decimal, Decimal] | Threshold
"""A target as :func:`iku_rules.capaian` takes it: a number, a range or a threshold."""


def capaian_values(
    low: int = -100, high: int = 1_000, places: int = 4
) -> st.SearchStrategy[Decimal]:
    """Realisasi and target values: exact decimals of up to ``places`` decimals between
    ``low`` and ``high``, with 0, 100 and values a hair's breadth from them drawn often."""
    edges = [Decimal(0), Decimal(100), Decimal("99.995"), Decimal("100.005"), Decimal("0.0001")]
    return st.one_of(
        st.decimals(
            min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
        ),
        st.sampled_from([edge for edge in edges if low <= edge <= high]),
    )


def capaian_targets(
    polarity: str, values: st.SearchStrategy[Decimal] | None = None
) -> st.SearchStrategy[CapaianTarget]:
    """Targets of every kind for ``polarity``: a number, a range ``(low, high)`` and a
    threshold whose sign asks for what the polarity does (``<``, ``<=`` for ``negatif``;
    ``>``, ``>=`` for ``positif``)."""
    values = capaian_values() if values is None else values
    ops = ("<", "<=") if polarity == "negatif" else (">", ">=")
    return st.one_of(
        values,
        st.tuples(values, values).map(lambda pair: (min(pair), max(pair))),
        st.builds(Threshold, st.sampled_from(ops), values),
    )


def policies() -> st.SearchStrategy[Policy]:
    """Office policies: none, a floor, a cap, or both, each as an office may set it (a
    floor below 100, a cap at 100 or above: :mod:`iku_rules.capaian_policy`)."""
    floors = st.one_of(st.none(), st.sampled_from([Decimal(v) for v in (-50, 0, 50, 99)]))
    caps = st.one_of(st.none(), st.sampled_from([Decimal(v) for v in (100, 120, 200)]))
    return st.builds(Policy, floor=floors, cap=caps)


def rule_tables(*, policy: bool = True) -> st.SearchStrategy[RuleTables]:
    """The shipped rule tables and every variant their settings allow: decimals 0–4,
    ``negatif`` ``selisih`` or ``rasio``, each triwulan method, each way of scoring a
    threshold met and not met, and (``policy``) a floor and cap."""
    return st.builds(
        lambda decimals, negatif, triwulan, met, not_met, chosen: evolve(
            default_rules(),
            decimals=decimals,
            negatif_default=negatif,
            triwulan_default=triwulan,
            threshold_met=met,
            threshold_not_met=not_met,
            policy=chosen,
        ),
        st.integers(0, 4),
        st.sampled_from(("selisih", "rasio")),
        st.sampled_from(("kumulatif", "terakhir", "tahunan")),
        st.sampled_from(("100", "formula")),
        st.sampled_from(("formula", "0")),
        policies() if policy else st.just(Policy()),
    )
