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

from iku_rules import notation as notations
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

    @classmethod
    def builtin(cls) -> UnitTable:
        """The table shipped with iku-rules (``rule_tables/units.toml``)."""
        return _builtin()

    def extended(self, extra: Mapping[str, str], whole: Mapping[str, bool] = {}) -> UnitTable:
        """This table with an office's own ``[satuan]`` entries added (they win); ``whole``
        says of some of them whether they count things one by one."""
        return evolve(
            self,
            entries={**self.entries, **extra},
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

    def default_decimals(self, unit: str | None) -> int:
        """How many decimals reports show a value in ``unit`` with, unless its indicator says."""
        return self.decimals.get("counts" if self.counts(unit) else "other", 2)

    @functools.cached_property
    def _keys(self) -> dict[str, str]:
        """The entries by their keys: built once per table (asked for every satuan checked)."""
        return {_key(name): dimension for name, dimension in self.entries.items()}

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
                    and other_scale is not None
                    and other_scale[0] == scale[0]
                    and other_scale[1] != scale[1]
                    and pair not in seen
                ):
                    seen.add(pair)
                    found.append((unit, other, dimension))
        return found

    def spelling(self, base: str) -> str:
        """The first satuan in the table that counts ``base`` (``orang`` → ``Orang``)."""
        return next((name for name, value in self.entries.items() if value == base), base)


def _key(unit: str) -> str:
    return " ".join(unit.split()).casefold()


@functools.cache
def _builtin() -> UnitTable:
    # By path, as the rule tables are: no importlib.resources readers to import.
    text = (Path(__file__).resolve().parent / "rule_tables" / "units.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return UnitTable(
        dict(data["satuan"]),
        frozenset(data["counts"]["dimensions"]),
        {},
        dict(data["decimals"]),
        {
            quantity: tuple(tuple(spellings) for spellings in scales)
            for quantity, scales in data.get("unit_scales", {}).items()
        },
    )


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
