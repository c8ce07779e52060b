"""Satuan and what they count: dimensions and their products and quotients, rates, and the unit
table (``rule_tables/units.toml`` extended by an office's ``[satuan]``)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from attrs import evolve, frozen

from iku_rules import ast
from iku_rules import notation as notations
from iku_rules.ast import name_key
from iku_rules.i18n import _

Dimension = tuple[tuple[str, int], ...]
"""Base dimensions with their powers, sorted; ``()`` is a plain number."""


PLAIN: Dimension = ()


ANY = "*"
"""The dimension of a unit that says only "a number of something" (``Jumlah``)."""


PLAIN_NAMES = frozenset({"persen", "skor"})
"""Dimensions that are plain numbers: percentages, and scores and indices."""


def _base(name: str) -> Dimension:
    return ((name, 1),)


def _combine(left: Dimension, right: Dimension, sign: int) -> Dimension:
    powers = dict(left)
    for name, power in right:
        powers[name] = powers.get(name, 0) + sign * power
    return tuple(sorted((name, power) for name, power in powers.items() if power))


def multiply(left: Dimension | None, right: Dimension | None) -> Dimension | None:
    """The dimension of a product (unknown if either side is)."""
    if left is None or right is None:
        return None
    return _combine(left, right, 1)


def divide(left: Dimension | None, right: Dimension | None) -> Dimension | None:
    """The dimension of a quotient (unknown if either side is)."""
    if left is None or right is None:
        return None
    return _combine(left, right, -1)


@frozen
class Rate:
    """A satuan ``per <N> <thing>``: a ratio scaled by ``scale`` (``per 100.000 Kelahiran
    Hidup``: deaths per 100,000 live births)."""

    scale: Decimal
    thing: str

    @property
    def scale_text(self) -> str:
        """The scale as documents write it: ``100.000``."""
        return notations.write(self.scale, notations.ID)


_RATE = re.compile(r"per\s+([0-9][0-9., ]*[0-9]|[0-9])\s+(\S.*)", re.IGNORECASE)


def rate(unit: str | None) -> Rate | None:
    """The rate a satuan names (``per 1.000 KH``, ``per 100.000 Kelahiran Hidup``,
    ``per 1000 penduduk``), or None. Its N is a whole number, so its separators can only
    group thousands (``1.000``, ``1,000`` and ``1 000`` are all a thousand).

    >>> rate("per 100.000 Kelahiran Hidup")
    Rate(scale=Decimal('100000'), thing='Kelahiran Hidup')
    >>> rate("Orang") is None, rate("per 1.5 KH") is None
    (True, True)
    """
    if unit is None:
        return None
    found = _RATE.fullmatch(" ".join(unit.split()))
    if found is None:
        return None
    written = found.group(1)
    groups = re.split(r"[., ]", written)
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    ):
        return None
    scale = Decimal("".join(groups))
    if scale < 1:
        return None
    return Rate(scale, found.group(2).strip())


_QUOTIENT = re.compile(r"(\S.*?)\s+per\s+(\S.*)", re.IGNORECASE)


def quotient(unit: str | None) -> tuple[str, str] | None:
    """The two satuan a satuan ``<A> per <B>`` names (``Murid per Guru``, ``Rupiah per
    Orang``), or None (a rate ``per 1.000 KH`` is not one).

    >>> quotient("Murid per Guru"), quotient("per 1.000 KH"), quotient("Orang")
    (('Murid', 'Guru'), None, None)
    """
    if unit is None or rate(unit) is not None:
        return None
    found = _QUOTIENT.fullmatch(" ".join(unit.split()))
    return None if found is None else (found.group(1), found.group(2))


@frozen
class UnitTable:
    """Satuan → the dimension it counts (``None`` for a unit that says nothing: ``Jumlah``).

    ``counted`` holds the dimensions that count things one by one, so that a value in a
    satuan of them is a whole number (``orang``, ``dokumen``, ``*``); ``whole`` says so
    (or not) for single satuan, as an office's ``[satuan]`` may. ``decimals`` is how many
    decimals reports show: ``counts`` for counted satuan, ``other`` for the rest.
    """

    entries: Mapping[str, str]
    counted: frozenset[str] = frozenset()
    whole: Mapping[str, bool] = {}
    decimals: Mapping[str, int] = {}
    scales: Mapping[str, tuple[tuple[str, ...], ...]] = {}
    """Quantity → the spellings of each of its scales (``length``: Km, Meter, …)."""
    factors: Mapping[str, Decimal] = {}
    """A satuan's key → what one of it is worth in its quantity's base satuan (``juta
    rupiah``: 1.000.000 Rupiah); satuan not listed are worth 1 of what they count."""
    bases: Mapping[str, str] = {}
    """The dimension of each quantity with scales → its base satuan (``rupiah``: Rupiah)."""

    @classmethod
    def builtin(cls) -> UnitTable:
        """The table shipped with iku-rules (``rule_tables/units.toml``)."""
        return _builtin()

    def extended(self, extra: Mapping[str, str], whole: Mapping[str, bool] = {}) -> UnitTable:
        """This table with an office's own ``[satuan]`` entries added (they win); ``whole``
        says of some of them whether they count things one by one. An office's satuan is
        its own: one that the table knows at a scale (``Km``) is worth 1 of what the office
        says it counts."""
        return evolve(
            self,
            entries={**self.entries, **extra},
            factors={k: f for k, f in self.factors.items() if k not in {_key(u) for u in extra}},
            whole={**self.whole, **{_key(unit): flag for unit, flag in whole.items()}},
        )

    def knows(self, unit: str) -> bool:
        """Whether the table can say what ``unit`` counts: an entry, a rate, or a satuan
        ``<A> per <B>`` whose two parts it knows."""
        if _key(unit) in self._keys or rate(unit) is not None:
            return True
        parts = quotient(unit)
        return parts is not None and all(_key(part) in self._keys for part in parts)

    def counts(self, unit: str | None) -> bool:
        """Whether ``unit`` counts things one by one (its values are whole numbers)."""
        if unit is None or rate(unit) is not None:
            return False
        key = _key(unit)
        if key in self.whole:
            return self.whole[key]
        found = self._keys.get(key)
        return found is not None and found in self.counted

    def in_sen(self, unit: str | None) -> bool:
        """Whether ``unit`` is money at its base scale (``Rupiah``, ``Rp``), whose smallest
        amount is the sen: a value of it has at most two decimals. ``Ribu Rupiah`` and
        ``Juta Rupiah`` are not: 1,5 Juta Rupiah is a real amount, and 1,2345 Juta is
        1.234.500 Rupiah, so any number of decimals is one there."""
        if unit is None or rate(unit) is not None:
            return False
        return self._keys.get(_key(unit)) == "rupiah" and self.factor(unit) == 1

    def default_decimals(self, unit: str | None) -> int:
        """How many decimals reports show a value in ``unit`` with, unless its indicator says."""
        return self.decimals.get("counts" if self.counts(unit) else "other", 2)

    @functools.cached_property
    def _keys(self) -> dict[str, str]:
        """The entries by their keys: built once per table (asked for every satuan checked)."""
        return {_key(name): dimension for name, dimension in self.entries.items()}

    def factor(self, unit: str | None) -> Decimal:
        """What one ``unit`` is worth in the base satuan of what it counts: 1.000.000 for
        ``Juta Rupiah``, 1 for a satuan without scales; ``A per B`` is A's over B's.

        >>> table = UnitTable.builtin()
        >>> table.factor("Miliar Rupiah"), table.factor("Juta Rupiah per Km"), table.factor("Orang")
        (Decimal('1000000000'), Decimal('1000'), Decimal('1'))
        """
        if unit is None or rate(unit) is not None:
            return Decimal(1)
        found = self.factors.get(_key(unit))
        if found is not None:
            return found
        parts = quotient(unit)
        if parts is None or _key(unit) in self._keys:
            return Decimal(1)
        return self.factor(parts[0]) / self.factor(parts[1])

    def scaled(self, dimension: Dimension | None) -> bool:
        """Whether ``dimension`` counts a quantity the table knows at several scales (money,
        length …), alone or in a quotient (``Rupiah per Orang``)."""
        return dimension is not None and any(name in self.bases for name, _ in dimension)

    def at_scale(self, dimension: Dimension | None, factor: Decimal) -> str | None:
        """The satuan of ``dimension`` worth ``factor`` of its base (``rupiah`` at
        1.000.000: ``Juta Rupiah``), or None when the table has none."""
        if dimension is None or len(dimension) != 1 or dimension[0][1] != 1:
            return None
        name = dimension[0][0]
        return next(
            (
                unit
                for unit, counted in self.entries.items()
                if counted == name and self.factors.get(_key(unit), Decimal(1)) == factor
            ),
            None,
        )

    def conversions(self, units: Iterable[str | None]) -> frozenset[Decimal]:
        """The factors that convert between scales of the quantities ``units`` count (for
        Rupiah: 1.000, 1.000.000 … and 1/1.000 …, never 100), and 1 over each unit's own.

        >>> table = UnitTable.builtin()
        >>> Decimal(100) in table.conversions(["Cm"]), Decimal(100) in table.conversions(["Rp"])
        (True, False)
        """
        units = list(units)
        names = {n for unit in units for n, _ in self.dimension(unit) or () if n in self.bases}
        groups = [{f for k, f in self.factors.items() if self._keys.get(k) == n} for n in names]
        found = {a / b for group in groups for a in group for b in group if a != b}
        return frozenset(found | {1 / self.factor(unit) for unit in units})

    def dimension(self, unit: str | None) -> Dimension | None:
        """What ``unit`` counts; ``None`` when the table cannot say."""
        if unit is None:
            return None
        found = self._keys.get(_key(unit))
        if found is None:
            # "Murid per Guru" counts what Murid counts divided by what Guru counts.
            parts = quotient(unit)
            if parts is None:
                return None
            return divide(self.dimension(parts[0]), self.dimension(parts[1]))
        if found == ANY:
            return None
        if found in PLAIN_NAMES:
            return PLAIN
        return _base(found)

    def mixed_scales(self, declared: Iterable[str]) -> list[tuple[str, str, str]]:
        """Of the ``declared`` satuan, each given the dimension of another satuan that
        measures the same quantity at another scale (``Km`` and ``Meter`` both ``panjang``):
        ``(satuan, other, dimension)``, each pair once, at the first of the two declared.
        The other is declared too, or the base of a quantity with scales, which a declared
        satuan of its dimension is worth one of (``"Juta Rupiah" = "rupiah"``: 1 Rupiah).

        >>> table = UnitTable.builtin().extended({"Km": "panjang", "Meter": "panjang"})
        >>> table.mixed_scales(["Km", "Meter"])
        [('Km', 'Meter', 'panjang')]
        >>> UnitTable.builtin().extended({"Km": "km", "Meter": "meter"}).mixed_scales(["Km"])
        []
        """
        scale_of = {
            _key(spelling): (quantity, index)
            for quantity, scales in self.scales.items()
            for index, spellings in enumerate(scales)
            for spelling in spellings
        }
        declared = list(declared)
        own = {_key(unit) for unit in declared}
        bases = {_key(base) for base in self.bases.values()}
        found: list[tuple[str, str, str]] = []
        seen: set[frozenset[str]] = set()
        for unit in declared:
            scale = scale_of.get(_key(unit))
            dimension = self._keys.get(_key(unit))
            if scale is None or dimension is None or dimension == ANY:
                continue
            for other, other_dimension in self.entries.items():
                other_scale = scale_of.get(_key(other))
                pair = frozenset({_key(unit), _key(other)})
                if (
                    other_dimension == dimension
                    and (_key(other) in own or _key(other) in bases)
                    and other_scale is not None
                    and other_scale[0] == scale[0]
                    and other_scale[1] != scale[1]
                    and pair not in seen
                ):
                    seen.add(pair)
                    found.append((unit, other, dimension))
        return found

    def spelling(self, base: str) -> str:
        """The first satuan in the table that counts ``base`` (``orang`` → ``Orang``); for a
        quantity with scales, its base satuan (``length`` → ``Meter``, never ``Km``)."""
        if base in self.bases and self.entries.get(self.bases[base]) == base:
            return self.bases[base]
        return next((name for name, value in self.entries.items() if value == base), base)


def _key(unit: str) -> str:
    return " ".join(unit.split()).casefold()


@functools.cache
def _builtin() -> UnitTable:
    # By path, as the rule tables are: no importlib.resources readers to import.
    text = (Path(__file__).resolve().parent / "rule_tables" / "units.toml").read_text("utf-8")
    data = tomllib.loads(text, parse_float=Decimal)
    entries = dict(data["satuan"])
    factors: dict[str, Decimal] = {}
    bases: dict[str, str] = {}
    for quantity in data.get("unit_scales", {}).values():
        for scale in quantity["scales"]:
            factor = Decimal(scale["factor"])
            for spelling in scale["satuan"]:
                entries.setdefault(spelling, quantity["dimension"])
                factors[_key(spelling)] = factor
            if factor == 1:
                bases[quantity["dimension"]] = scale["satuan"][0]
    return UnitTable(
        entries,
        frozenset(data["counts"]["dimensions"]),
        {},
        dict(data["decimals"]),
        {
            name: tuple(tuple(scale["satuan"]) for scale in quantity["scales"])
            for name, quantity in data.get("unit_scales", {}).items()
        },
        factors,
        bases,
    )


def scale(
    node: ast.Node, scales: Mapping[str, Decimal], converts: frozenset[Decimal] | None = None
) -> Decimal | None:
    """The constant factor ``node`` scales its values by, proven from its shape, or None.

    A number is its value (``100%`` is 1); a name is its scale in ``scales`` (a parameter
    its value, a value in a rate satuan its N), 1 otherwise; products and quotients
    multiply and divide scales; a sum, ``min``, ``max``, ``if``, ``coalesce``, ``jumlah`` or
    ``rata_rata`` has the scale its parts share (numbers added to them take theirs).

    >>> from iku_rules.parser import parse
    >>> scale(parse("Σ a / Σ b × 100.000", notation="id").body, {})
    Decimal('100000')
    >>> scale(parse("(a − [x min]) / ([x maks] − [x min])").body, {}), scale(parse("a / b × 100%").body, {})
    (Decimal('1'), Decimal('1'))

    With ``converts`` (:meth:`UnitTable.conversions`), only numbers and names in it count:
    the factors between the scales of the quantities a formula reads (``/ 1.000.000`` of
    Rupiah); ``/ 12``, ``× 10%`` and ``/ 100`` of Rupiah scale by 1.
    """
    if isinstance(node, ast.Number):
        if converts is not None:
            return node.value if not node.percent and node.value in converts else Decimal(1)
        return node.value / 100 if node.percent else node.value
    if isinstance(node, ast.Name):
        named = scales.get(node.key, Decimal(1))
        return named if converts is None or named in converts else Decimal(1)
    if isinstance(node, (ast.Field, ast.Filter)):
        return Decimal(1)
    if isinstance(node, ast.Aggregate):
        return Decimal(1) if node.func == "count" else scale(node.operand, scales, converts)
    if isinstance(node, ast.Neg):
        return scale(node.operand, scales, converts)
    if isinstance(node, ast.Product):
        found = scale(node.operands[0], scales, converts)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            other = scale(operand, scales, converts)
            if found is None or other is None or (op == "/" and other == 0):
                return None
            found = found * other if op == "*" else found / other
        return found
    if isinstance(node, ast.Sum):
        return _shared_scale(node.operands, scales, converts)
    if isinstance(node, ast.Call):
        if node.func in ("round", "abs", "sebelumnya"):
            return scale(node.args[0], scales, converts)
        if node.func == "if":
            return _shared_scale(node.args[1:], scales, converts)
        return _shared_scale(node.args, scales, converts)
    return None


def conversion(
    node: ast.Node, scales: Mapping[str, Decimal], converts: frozenset[Decimal]
) -> Decimal | None:
    """How many of its value's satuan ``node`` gives per base satuan of what it counts, from
    the scales of the names it reads and the factors in ``converts`` it multiplies and
    divides by: 1 for Rupiah, 1/1.000.000 for Juta Rupiah or Rupiah / 1.000.000; None if
    unproven."""
    return scale(node, scales, converts)


def conversion_scales(
    named: Mapping[str, str | None], parameters: Mapping[str, Decimal], table: UnitTable
) -> dict[str, Decimal]:
    """The conversion scale of each name whose value is not in the base satuan of what it
    counts (1 / 1.000.000 for a measure in Juta Rupiah), and of each parameter without a
    satuan, its value (``konversi = 1000000``: a conversion only where it is one), by key."""
    found = {name_key(name): value for name, value in parameters.items()}
    for name, unit in named.items():
        factor = table.factor(unit)
        if factor != 1:
            found[name_key(name)] = 1 / factor
    return found


def _shared_scale(
    parts: tuple[ast.Node, ...],
    scales: Mapping[str, Decimal],
    converts: frozenset[Decimal] | None = None,
) -> Decimal | None:
    """The scale parts added or chosen between share (plain numbers among them take it)."""
    found = {
        scale(part, scales, converts)
        for part in parts
        if not (isinstance(part, ast.Number) and not part.percent)
    }
    return found.pop() if len(found) == 1 else None


def describe(dimension: Dimension | None, table: UnitTable) -> str:
    """A dimension in the planner's satuan: ``Orang``, ``Rupiah per Orang``, ``a plain number``,
    ``a plain number per Orang`` (a sum of a column without a satuan over a count of people).

    >>> table = UnitTable.builtin()
    >>> describe((("orang", -1),), table)
    'a plain number per Orang'
    """
    if dimension is None:
        return _("an unknown unit")
    if not dimension:
        return _("a plain number")
    above = [table.spelling(name) + ("" if p == 1 else f"^{p}") for name, p in dimension if p > 0]
    below = [table.spelling(name) + ("" if p == -1 else f"^{-p}") for name, p in dimension if p < 0]
    text = " × ".join(above) or _("a plain number")
    if below:
        text += " per " + " per ".join(below)
    return text
