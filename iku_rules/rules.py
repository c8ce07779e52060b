"""Capaian (achievement) and predikat (rating), as rule tables a planner can read and change.

The rules live in two TOML files, read with :mod:`tomllib`:
``iku_rules/rule_tables/capaian.toml`` (decimals, default methods, the office's floor and
cap) and ``iku_rules/rule_tables/predikat.toml`` (the rating scales and the AKIP
components). :class:`RuleTables` loads and checks them; the functions below use the
shipped tables unless given others.

Capaian is computed exactly (:mod:`decimal`, a local context of 50 digits) and rounded
half away from zero to the decimals of the table:

>>> capaian(85, 90)
Decimal('94.44')
>>> capaian("9,0", "9.5", "negatif"), capaian("9,0", "9.5", "negatif", "rasio")
(Decimal('105.26'), Decimal('105.56'))
>>> capaian(70, (80, 90))                   # range target: below it, the lower bound counts
Decimal('87.50')
>>> capaian([20, 30, 15, None], [25, 25, 25, 25])                 # kumulatif to TW3
Decimal('86.67')
>>> capaian([20, 30, 15, None], [25, 25, 25, 25], method="tahunan")
Decimal('65.00')

A capaian that cannot be computed is ``None``, never 0; ``detail=True`` says why, and
shows the office policy when one applied:

>>> capaian(5, 0) is None
True
>>> capaian(5, 0, detail=True).reason
'the target is 0, so capaian cannot be computed'
>>> result = capaian(25, 10, "negatif", policy=Policy(floor=0), detail=True)
>>> result.value, result.raw, result.policy_applied
(Decimal('0.00'), Decimal('-50'), 'floored at 0 (raw -50.00)')

Predikat and nilai AKIP:

>>> predikat(Decimal("94.44")), predikat(90.5), predikat(None)
('Sangat Tinggi', 'Tinggi', None)
>>> predikat("90.00", "akip"), predikat("90.01", "akip")
('A', 'AA')
>>> nilai = nilai_akip({"Perencanaan Kinerja": 25.5, "Pengukuran Kinerja": 24,
...                     "Pelaporan Kinerja": 11.25,
...                     "Evaluasi Akuntabilitas Kinerja Internal": 17.5})
>>> nilai, predikat(nilai, "akip")
(Decimal('78.25'), 'BB')
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeAlias, overload

from attrs import evolve, field, frozen

from iku_rules import tomlpos
from iku_rules.decimals import CONTEXT
from iku_rules.decimals import PRECISION as _PRECISION
from iku_rules.decimals import total as exact_sum
from iku_rules.errors import IkuError
from iku_rules.loader import parse_number, parse_target
from iku_rules.model import THRESHOLD_SIGNS, Threshold
from iku_rules.suggest import closest

__all__ = [
    "POLARITIES",
    "TRIWULAN_METHODS",
    "AkipComponent",
    "Band",
    "CapaianResult",
    "Number",
    "Polarity",
    "Policy",
    "RuleError",
    "RuleTableError",
    "RuleTables",
    "Scale",
    "capaian",
    "default_rules",
    "nilai_akip",
    "predikat",
]

Number: TypeAlias = Decimal | int | float | str
"""A number as planners write it: ``85``, ``Decimal("9.5")``, ``9.5``, ``"55,33"``, ``"93%"``."""

RangeTarget: TypeAlias = tuple[Number, Number]
"""A range target ``(low, high)``, e.g. ``(80, 90)``."""

Target: TypeAlias = Number | RangeTarget | Sequence[Number | RangeTarget | None] | None
Realisasi: TypeAlias = Number | Sequence[Number | None] | None
Polarity: TypeAlias = Literal["positif", "negatif"]

POLARITIES: tuple[str, ...] = ("positif", "negatif")
FORMULA_METHODS: Mapping[str, tuple[str, ...]] = {
    "positif": ("standar",),
    "negatif": ("selisih", "rasio"),
}
TRIWULAN_METHODS: tuple[str, ...] = ("kumulatif", "terakhir", "tahunan")
KNOWN_METHODS: tuple[str, ...] = ("standar", "selisih", "rasio", *TRIWULAN_METHODS)
MAX_TRIWULAN = 4
PRECISION = _PRECISION
"""Digits of the raw (unrounded) capaian: the package's decimal context."""

_HUNDRED = Fraction(100)


class RuleError(IkuError):
    """A capaian or predikat rule was used in a way that cannot work
    (an unknown method, polarity or scale, a value that is not a number,
    an AKIP component out of range)."""


class RuleTableError(RuleError):
    """A rule table (``capaian.toml``, ``predikat.toml``) is malformed.

    The message starts with the file, and its line and column when known.
    """

    def __init__(
        self, file: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        where = f"{file}:{line}:{column}" if line is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.message = message
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.message, self.line, self.column))


# ---------------------------------------------------------------------------------------
# Numbers


def _number(value: object, what: str) -> Decimal:
    """``value`` as an exact Decimal, spelled as the definitions loader accepts."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise RuleError(f"{what}: {value} is not a finite number")
        return value
    try:
        return parse_number(value)
    except ValueError as exc:
        raise RuleError(f"{what}: {exc}") from None


def _optional_number(value: Number | None) -> Decimal | None:
    return None if value is None else _number(value, "policy")


def _round(value: Fraction, decimals: int) -> Decimal:
    """``value`` rounded half away from zero to ``decimals`` places, from the exact quotient."""
    scaled = value * 10**decimals
    quotient, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        quotient += 1
    negative = scaled < 0 and quotient != 0
    digits = tuple(int(digit) for digit in str(quotient))
    return Decimal((1 if negative else 0, digits, -decimals))


def _to_decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal of at most :data:`PRECISION` digits (exact when it terminates)."""
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _show(value: Decimal) -> str:
    """A number as a planner writes it: ``91``, ``90.5``, ``-50``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# ---------------------------------------------------------------------------------------
# Policy


@frozen
class Policy:
    """An office's floor and cap on the reported capaian; either may be ``None``.

    They apply to the rounded capaian, and the result says so
    (``"capped at 200 (raw 250.00)"``); the raw value is always kept.
    ``with_policy(floor=0)`` on :class:`RuleTables` or ``capaian(..., policy=...)``
    set them; no regulation does, so the shipped table has neither.

    >>> Policy(floor=0, cap="200")
    Policy(floor=Decimal('0'), cap=Decimal('200'))
    """

    floor: Decimal | None = field(default=None, converter=_optional_number)
    cap: Decimal | None = field(default=None, converter=_optional_number)

    def __attrs_post_init__(self) -> None:
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise RuleError(
                f"the policy floor {_show(self.floor)} is above its cap {_show(self.cap)}"
            )

    def apply(self, value: Decimal, decimals: int) -> tuple[Decimal, str | None]:
        """The value after the policy, and what the policy did (``None``: nothing)."""
        if self.floor is not None and value < self.floor:
            floor = _round(Fraction(self.floor), decimals)
            return floor, f"floored at {_show(self.floor)} (raw {value})"
        if self.cap is not None and value > self.cap:
            cap = _round(Fraction(self.cap), decimals)
            return cap, f"capped at {_show(self.cap)} (raw {value})"
        return value, None


# ---------------------------------------------------------------------------------------
# Predikat scales and AKIP components


def _lower_text(minimum: Decimal | None, inclusive: bool) -> str:
    if minimum is None:
        return "any value below"
    return f"{'≥' if inclusive else '>'} {_show(minimum)}"


@frozen
class Band:
    """One band of a predikat scale.

    ``min`` is ``None`` only for the open-ended bottom band. ``max`` is written only as a
    check; a band always ends where the band above it starts.
    """

    label: str
    min: Decimal | None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool | None = None
    description: str | None = None

    def admits_from_below(self, value: Decimal) -> bool:
        """Whether ``value`` is at or above this band's lower bound."""
        if self.min is None:
            return True
        return value >= self.min if self.min_inclusive else value > self.min

    def __str__(self) -> str:
        return f"{self.label} ({_lower_text(self.min, self.min_inclusive)})"


@frozen
class Scale:
    """A predikat scale: bands from the highest to the lowest, gap-free, checked on load."""

    name: str
    bands: tuple[Band, ...]
    title: str | None = None

    def band(self, value: Decimal) -> Band:
        """The band ``value`` falls in (the value is used as given, not rounded)."""
        for band in self.bands:
            if band.admits_from_below(value):
                return band
        raise AssertionError("a checked scale ends with an open-ended bottom band")


@frozen
class AkipComponent:
    """A component of the AKIP evaluation and the most it can score."""

    name: str
    max: Decimal
    aliases: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------
# Reading the tables

KeyPath = tuple[str | int, ...]


class _Table:
    """One TOML rule table, with the positions of its keys for messages."""

    def __init__(self, file: Traversable) -> None:
        self.shown = str(file)
        if not file.is_file():
            raise RuleTableError(
                self.shown,
                "file not found; a rule-table folder holds capaian.toml and predikat.toml",
            )
        text = file.read_text(encoding="utf-8")
        try:
            self.data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise RuleTableError(self.shown, f"not valid TOML: {exc}") from None
        try:
            self.positions = tomlpos.locate(text)
        except ValueError:
            self.positions = {}

    def error(self, path: KeyPath, message: str) -> RuleTableError:
        located = self.positions.get(path)
        if located is None:
            return RuleTableError(self.shown, message)
        return RuleTableError(self.shown, message, located.key.line, located.key.column)

    def keys(self, table: Mapping[str, Any], path: KeyPath, allowed: Sequence[str]) -> None:
        for key in table:
            if key not in allowed:
                near = closest(key, allowed)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                known = ", ".join(allowed)
                raise self.error((*path, key), f"unknown key '{key}'{hint} (known here: {known})")

    def table(self, parent: Mapping[str, Any], path: KeyPath, *, required: bool = True) -> Any:
        key = str(path[-1])
        if key not in parent:
            if not required:
                return {}
            where = ".".join(str(part) for part in path[:-1])
            place = f"in [{where}]" if where else "at the top of the file"
            raise self.error(path[:-1], f"'{key}' is missing {place}")
        value = parent[key]
        if not isinstance(value, dict):
            raise self.error(path, f"'{key}' must be a table")
        return value

    def number(self, value: object, path: KeyPath) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise self.error(path, f"'{path[-1]}' must be a number, not {value!r}")
        try:
            return _number(value, str(path[-1]))
        except RuleError as exc:
            raise self.error(path, str(exc)) from None

    def text(self, value: object, path: KeyPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, f"'{path[-1]}' must be a non-empty text")
        return value.strip()

    def boolean(self, value: object, path: KeyPath) -> bool:
        if not isinstance(value, bool):
            raise self.error(path, f"'{path[-1]}' must be true or false, not {value!r}")
        return value


THRESHOLD_MET = ("100", "formula")
THRESHOLD_NOT_MET = ("formula", "0")


def _read_threshold(table: _Table) -> tuple[str, str]:
    """How a threshold target that is met, and one that is not, give capaian."""
    entry = table.table(table.data, ("threshold",), required=False)
    table.keys(entry, ("threshold",), ("met", "not_met"))
    chosen = []
    for key, allowed, default in (
        ("met", THRESHOLD_MET, "100"),
        ("not_met", THRESHOLD_NOT_MET, "formula"),
    ):
        value = entry.get(key, default)
        if value not in allowed:
            names = " or ".join(f"'{name}'" for name in allowed)
            raise table.error(("threshold", key), f"'{key}' must be {names}, not {value!r}")
        chosen.append(str(value))
    return chosen[0], chosen[1]


def _read_capaian(table: _Table) -> tuple[int, str, str, Policy]:
    data = table.data
    table.keys(data, (), ("decimals", "defaults", "policy", "threshold"))
    if "decimals" not in data:
        raise table.error((), "'decimals' is missing: write e.g. decimals = 2")
    decimals = data["decimals"]
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
        raise table.error(("decimals",), "'decimals' must be a whole number from 0 to 10")
    defaults = table.table(data, ("defaults",))
    table.keys(defaults, ("defaults",), ("negatif", "triwulan"))
    chosen: dict[str, str] = {}
    for key, allowed in (("negatif", FORMULA_METHODS["negatif"]), ("triwulan", TRIWULAN_METHODS)):
        if key not in defaults:
            raise table.error(("defaults",), f"'{key}' is missing in [defaults]")
        value = defaults[key]
        if value not in allowed:
            names = " or ".join(f"'{name}'" for name in allowed)
            raise table.error(
                ("defaults", key), f"the default method '{key}' must be {names}, not {value!r}"
            )
        chosen[key] = value
    policy_table = table.table(data, ("policy",), required=False)
    table.keys(policy_table, ("policy",), ("floor", "cap"))
    bounds = {
        key: table.number(policy_table[key], ("policy", key))
        for key in ("floor", "cap")
        if key in policy_table
    }
    try:
        policy = Policy(floor=bounds.get("floor"), cap=bounds.get("cap"))
    except RuleError as exc:
        raise table.error(("policy",), str(exc)) from None
    return decimals, chosen["negatif"], chosen["triwulan"], policy


_BAND_KEYS = ("label", "min", "min_inclusive", "max", "max_inclusive", "description")


def _read_band(table: _Table, entry: object, path: KeyPath) -> Band:
    if not isinstance(entry, dict):
        raise table.error(
            path, 'a band must be a table like { label = "Tinggi", min = 76, min_inclusive = true }'
        )
    table.keys(entry, path, _BAND_KEYS)
    if "label" not in entry:
        raise table.error(path, "a band needs a label")
    label = table.text(entry["label"], (*path, "label"))
    bound: dict[str, tuple[Decimal | None, bool | None]] = {}
    for end in ("min", "max"):
        inclusive_key = f"{end}_inclusive"
        if end in entry and inclusive_key not in entry:
            shown = _show(table.number(entry[end], (*path, end)))
            sign = ("≥", ">") if end == "min" else ("≤", "<")
            raise table.error(
                (*path, end),
                f"band '{label}' has {end} = {shown} but no {inclusive_key}; write "
                f"{inclusive_key} = true ({sign[0]} {shown}) or false ({sign[1]} {shown})",
            )
        if inclusive_key in entry and end not in entry:
            raise table.error(
                (*path, inclusive_key), f"band '{label}' has {inclusive_key} but no {end}"
            )
        if end in entry:
            bound[end] = (
                table.number(entry[end], (*path, end)),
                table.boolean(entry[inclusive_key], (*path, inclusive_key)),
            )
        else:
            bound[end] = (None, None)
    description = entry.get("description")
    if description is not None:
        description = table.text(description, (*path, "description"))
    minimum, min_inclusive = bound["min"]
    maximum, max_inclusive = bound["max"]
    return Band(
        label=label,
        min=minimum,
        min_inclusive=True if min_inclusive is None else min_inclusive,
        max=maximum,
        max_inclusive=max_inclusive,
        description=description,
    )


def _bound_key(band: Band) -> tuple[Decimal, int]:
    """Order of lower bounds: ``> 90`` starts above ``≥ 90``."""
    assert band.min is not None
    return (band.min, 0 if band.min_inclusive else 1)


def _read_scale(table: _Table, name: str, entry: object) -> Scale:
    path: KeyPath = ("scales", name)
    if not isinstance(entry, dict):
        raise table.error(path, f"scale '{name}' must be a table with bands = [...]")
    table.keys(entry, path, ("title", "bands"))
    title = table.text(entry["title"], (*path, "title")) if "title" in entry else None
    raw_bands = entry.get("bands")
    if not isinstance(raw_bands, list) or len(raw_bands) < 2:
        raise table.error(path, f"scale '{name}' needs 'bands', a list of at least two bands")
    bands = [_read_band(table, band, (*path, "bands", i)) for i, band in enumerate(raw_bands)]
    where = [(*path, "bands", i) for i in range(len(bands))]

    labels: dict[str, str] = {}
    for i, band in enumerate(bands):
        folded = band.label.casefold()
        if folded in labels:
            raise table.error(where[i], f"scale '{name}': the label '{band.label}' is used twice")
        labels[folded] = band.label

    open_ended = [i for i, band in enumerate(bands) if band.min is None]
    if not open_ended:
        raise table.error(
            where[-1],
            f"scale '{name}': the bottom band '{bands[-1].label}' must leave out min, so that "
            "every value below the other bands has a predikat (exactly one open-ended bottom band)",
        )
    if len(open_ended) > 1 or open_ended[0] != len(bands) - 1:
        names = ", ".join(f"'{bands[i].label}'" for i in open_ended)
        raise table.error(
            where[open_ended[0]],
            f"scale '{name}': only the bottom band may leave out min, but {names} "
            f"{'do' if len(open_ended) > 1 else 'does'} (exactly one open-ended bottom band, listed last)",
        )

    top = bands[0]
    if top.max is not None:
        raise table.error(
            where[0],
            f"scale '{name}': the top band '{top.label}' must not have a max; values above it "
            "(capaian can pass 100) would have no predikat",
        )
    for i in range(1, len(bands)):
        above, band = bands[i - 1], bands[i]
        if band.min is not None and _bound_key(band) >= _bound_key(above):
            if _bound_key(band) == _bound_key(above):
                raise table.error(
                    where[i],
                    f"scale '{name}': bands '{above.label}' and '{band.label}' overlap: both start "
                    f"at {_lower_text(band.min, band.min_inclusive)}",
                )
            raise table.error(
                where[i],
                f"scale '{name}': bands must be listed from the highest to the lowest, but "
                f"'{above.label}' ({_lower_text(above.min, above.min_inclusive)}) comes before "
                f"'{band.label}' ({_lower_text(band.min, band.min_inclusive)})",
            )
        if band.max is not None:
            _check_meets(table, name, where[i], band, above)
    return Scale(name=name, bands=tuple(bands), title=title)


def _check_meets(table: _Table, scale: str, path: KeyPath, band: Band, above: Band) -> None:
    """A band that writes its max must end exactly where the band above it starts."""
    assert band.max is not None and above.min is not None
    start = _show(above.min)
    fits = band.max == above.min and band.max_inclusive is not above.min_inclusive
    if fits:
        return
    upper = f"{'≤' if band.max_inclusive else '<'} {_show(band.max)}"
    lower = _lower_text(above.min, above.min_inclusive)
    fix = (
        f"leave out max, or write max = {start}, "
        f"max_inclusive = {'false' if above.min_inclusive else 'true'}"
    )
    if band.max < above.min or (band.max == above.min and not band.max_inclusive):
        problem = "gap"
        words = "have no predikat"
    else:
        problem = "overlap"
        words = "have two"
    raise table.error(
        path,
        f"scale '{scale}': {problem} between '{band.label}' ({upper}) and '{above.label}' "
        f"({lower}) above it: values between them {words}; on '{band.label}' {fix}",
    )


def _read_predikat(table: _Table) -> tuple[tuple[Scale, ...], str, tuple[AkipComponent, ...]]:
    data = table.data
    table.keys(data, (), ("scales", "akip"))
    scales_table = table.table(data, ("scales",))
    if not scales_table:
        raise table.error(("scales",), "[scales] has no scale")
    scales = tuple(_read_scale(table, name, entry) for name, entry in scales_table.items())

    akip = table.table(data, ("akip",))
    table.keys(akip, ("akip",), ("scale", "components"))
    if "scale" not in akip:
        raise table.error(("akip",), "'scale' is missing in [akip]: name the scale of nilai AKIP")
    scale_name = table.text(akip["scale"], ("akip", "scale"))
    if scale_name not in scales_table:
        raise table.error(
            ("akip", "scale"),
            f"[akip] names the scale '{scale_name}', which is not in [scales] "
            f"(known: {', '.join(scales_table)})",
        )
    entries = akip.get("components")
    if not isinstance(entries, list) or not entries:
        raise table.error(
            ("akip",), "[akip] needs 'components', a list like { name = ..., max = 30 }"
        )
    components: list[AkipComponent] = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(entries):
        path: KeyPath = ("akip", "components", i)
        if not isinstance(entry, dict):
            raise table.error(
                path, 'a component must be a table like { name = "Perencanaan Kinerja", max = 30 }'
            )
        table.keys(entry, path, ("name", "max", "aliases"))
        if "name" not in entry or "max" not in entry:
            raise table.error(path, "a component needs a name and a max")
        name = table.text(entry["name"], (*path, "name"))
        maximum = table.number(entry["max"], (*path, "max"))
        if maximum <= 0:
            raise table.error((*path, "max"), f"the maximum of '{name}' must be above 0")
        aliases_value = entry.get("aliases", [])
        if not isinstance(aliases_value, list):
            raise table.error((*path, "aliases"), "'aliases' must be a list of texts")
        aliases = tuple(
            table.text(alias, (*path, "aliases", j)) for j, alias in enumerate(aliases_value)
        )
        for spelled in (name, *aliases):
            key = _fold(spelled)
            if key in seen:
                raise table.error(
                    path,
                    f"the AKIP component name '{spelled}' is used twice (also by '{seen[key]}')",
                )
            seen[key] = name
        components.append(AkipComponent(name=name, max=maximum, aliases=aliases))
    total = exact_sum(component.max for component in components)
    if total != 100:
        raise table.error(
            ("akip", "components"),
            f"the maxima of the AKIP components must add up to 100, but they add up to {_show(total)}",
        )
    return scales, scale_name, tuple(components)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@frozen
class RuleTables:
    """The capaian and predikat rule tables, loaded and checked.

    >>> rules = RuleTables.load()
    >>> rules.decimals, rules.negatif_default, rules.triwulan_default
    (2, 'selisih', 'kumulatif')
    >>> [band.label for band in rules.scale("akip").bands]
    ['AA', 'A', 'BB', 'B', 'CC', 'C', 'D']
    >>> rules.with_policy(cap=200).policy
    Policy(floor=None, cap=Decimal('200'))
    """

    decimals: int
    negatif_default: str
    triwulan_default: str
    policy: Policy
    scales: tuple[Scale, ...]
    akip_scale: str
    akip_components: tuple[AkipComponent, ...]
    source: str = ""
    threshold_met: str = "100"
    """Capaian when a threshold target is met: ``"100"``, or ``"formula"`` (the polarity's)."""
    threshold_not_met: str = "formula"
    """Capaian when it is not: ``"formula"`` (the polarity's), or ``"0"``."""

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> RuleTables:
        """Read ``capaian.toml`` and ``predikat.toml`` from the folder ``path``
        (by default the tables shipped in ``iku_rules/rule_tables/``).

        Raises :class:`RuleTableError`, naming the file, line and column, for a malformed
        table.
        """
        folder: Traversable
        if path is None:
            folder = resources.files("iku_rules") / "rule_tables"
        else:
            folder = Path(path)
            if folder.is_file():
                raise RuleTableError(
                    str(folder),
                    "this is a file; give the folder that holds capaian.toml and predikat.toml",
                )
        capaian_table = _Table(folder / "capaian.toml")
        decimals, negatif, triwulan, policy = _read_capaian(capaian_table)
        met, not_met = _read_threshold(capaian_table)
        scales, akip_scale, components = _read_predikat(_Table(folder / "predikat.toml"))
        return cls(
            decimals=decimals,
            negatif_default=negatif,
            triwulan_default=triwulan,
            policy=policy,
            scales=scales,
            akip_scale=akip_scale,
            akip_components=components,
            source=str(folder),
            threshold_met=met,
            threshold_not_met=not_met,
        )

    def with_policy(self, floor: Number | None = None, cap: Number | None = None) -> RuleTables:
        """The same tables with this policy instead of the table's (``None``: no floor / cap)."""
        return evolve(self, policy=Policy(floor=floor, cap=cap))

    def scale(self, name: str) -> Scale:
        """The scale called ``name``; :class:`RuleError` listing the known ones if none is."""
        for scale in self.scales:
            if scale.name == name:
                return scale
        known = ", ".join(f"'{scale.name}'" for scale in self.scales)
        raise RuleError(f"unknown predikat scale '{name}'; the known scales are {known}")


@functools.cache
def default_rules() -> RuleTables:
    """The shipped rule tables, loaded once."""
    return RuleTables.load()


# ---------------------------------------------------------------------------------------
# Capaian


@frozen
class CapaianResult:
    """A capaian with everything needed to explain it.

    ``value``
        The reported capaian: rounded, after the office policy; ``None`` when it cannot
        be computed (then ``reason`` says why in plain words).
    ``raw``
        The unrounded capaian before the policy (up to 50 digits; exact when it ends).
    ``method``
        The method used: ``standar``, ``selisih`` or ``rasio``, after the triwulan
        method when values were combined across triwulan (``kumulatif+standar``).
    ``policy_applied``
        What the office policy did, e.g. ``"capped at 200 (raw 250.00)"``, else ``None``.
    ``target_used``, ``realisasi_used``
        The target (the range bound or the sum) and the realisasi (the sum or the
        triwulan's value) the formula used. ``target_used`` is ``None`` when realisasi
        lies inside a range target: capaian is then 100 by definition.
    ``triwulan``
        The last reported triwulan used (1–4) when realisasi was given per triwulan.
    ``target_range``
        The range ``(low, high)`` compared with, when the target was a range.
    """

    value: Decimal | None
    raw: Decimal | None
    reason: str | None
    method: str
    polarity: str
    policy_applied: str | None = None
    target_used: Decimal | None = None
    realisasi_used: Decimal | None = None
    triwulan: int | None = None
    target_range: tuple[Decimal, Decimal] | None = None
    threshold: Threshold | None = None
    """The threshold target compared with (``< 70``), when the target was one."""
    threshold_met: bool | None = None
    """Whether realisasi met the threshold."""

    def explain(self) -> str:
        """One line in plain words.

        >>> print(capaian(85, 90, detail=True).explain())
        94.44 = 85 / 90 × 100 (standar)
        >>> print(capaian(25, 10, "negatif", detail=True).explain())
        -50.00 = (2 × 10 − 25) / 10 × 100 (selisih)
        >>> print(capaian([20, 30, 15], [25, 25, 25, 25], detail=True).explain())
        86.67 = 65 / 75 × 100 (kumulatif+standar, TW1–TW3)
        >>> print(capaian(50, "< 70", "negatif", detail=True).explain())
        100.00: realisasi 50 meets the target < 70 (selisih)
        >>> print(capaian(80, "< 70", "negatif", detail=True).explain())
        85.71 = (2 × 70 − 80) / 70 × 100 (selisih; the target < 70 is not met)
        """
        if self.value is None:
            return f"no capaian: {self.reason}"
        r = format(self.realisasi_used, "f") if self.realisasi_used is not None else "?"
        threshold = self.threshold
        if threshold is not None and self.threshold_met and self.target_used is None:
            text = f"{self.value}: realisasi {r} meets the target {threshold}"
        elif threshold is not None and self.target_used is None:
            text = f"{self.value}: realisasi {r} does not meet the target {threshold}"
        elif self.target_used is None and self.target_range is not None:
            low, high = (_show(bound) for bound in self.target_range)
            text = f"{self.value}: realisasi {r} is inside the target range {low}–{high}"
        else:
            t = format(self.target_used, "f") if self.target_used is not None else "?"
            formula = self.method.rsplit("+", 1)[-1]
            if formula == "selisih":
                text = f"{self.value} = (2 × {t} − {r}) / {t} × 100"
            elif formula == "rasio":
                text = f"{self.value} = {t} / {r} × 100"
            else:
                text = f"{self.value} = {r} / {t} × 100"
        scope = ""
        if self.triwulan is not None:
            first = "TW1–" if not self.method.startswith("terakhir") else ""
            scope = f", {first}TW{self.triwulan}"
        if threshold is not None and self.target_used is not None:
            scope += f"; the target {threshold} is {'met' if self.threshold_met else 'not met'}"
        text += f" ({self.method}{scope})"
        if self.policy_applied:
            text += f"; {self.policy_applied}"
        return text


@frozen
class _Bounds:
    low: Decimal
    high: Decimal
    op: str | None = None
    """A threshold's operator (``<``, ``<=``, ``>``, ``>=``): then low = high = its value."""


def _is_series(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _target_item(value: object, what: str) -> _Bounds | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip()[:1] in ("<", ">", "≤", "≥", "="):
        try:
            value = parse_target(value)
        except ValueError as exc:
            raise RuleError(f"{what}: {exc}") from None
    if isinstance(value, Threshold):
        return _Bounds(value.value, value.value, value.op)
    if _is_series(value):
        assert isinstance(value, Sequence)
        if len(value) != 2:
            raise RuleError(f"{what}: a range target is (low, high), not {len(value)} values")
        low = _number(value[0], f"{what}, low bound")
        high = _number(value[1], f"{what}, high bound")
        if low > high:
            raise RuleError(
                f"{what}: the range {_show(low)}–{_show(high)} has its low bound above its high bound"
            )
        return _Bounds(low, high)
    number = _number(value, what)
    return _Bounds(number, number)


def _methods(
    method: str | Sequence[str] | None, polarity: str, series: bool, rules: RuleTables
) -> tuple[str | None, str]:
    """The triwulan method (``None`` for a single value) and the formula method."""
    if method is None:
        names: list[str] = []
    elif isinstance(method, str):
        names = [part.strip().casefold() for part in method.split("+")]
    else:
        names = [str(part).strip().casefold() for part in method]
    for name in names:
        if name not in KNOWN_METHODS:
            near = closest(name, KNOWN_METHODS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise RuleError(
                f"unknown capaian method '{name}'{hint}; the known methods are 'standar' "
                "(positive polarity), 'selisih' and 'rasio' (negative polarity), and "
                "'kumulatif', 'terakhir' and 'tahunan' (across triwulan)"
            )
    triwulan = [name for name in names if name in TRIWULAN_METHODS]
    formula = [name for name in names if name not in TRIWULAN_METHODS]
    if len(triwulan) > 1:
        raise RuleError(f"choose one triwulan method, not {' and '.join(map(repr, triwulan))}")
    if len(formula) > 1:
        raise RuleError(f"choose one capaian formula, not {' and '.join(map(repr, formula))}")
    if triwulan and not series:
        raise RuleError(
            f"method '{triwulan[0]}' combines values across triwulan, but realisasi is a "
            "single value; give realisasi as a list per triwulan"
        )
    allowed = FORMULA_METHODS[polarity]
    if formula and formula[0] not in allowed:
        other = "negatif" if polarity == "positif" else "positif"
        choices = " or ".join(f"'{name}'" for name in allowed)
        raise RuleError(
            f"method '{formula[0]}' is for polarity '{other}'; polarity '{polarity}' uses {choices}"
        )
    default_formula = rules.negatif_default if polarity == "negatif" else "standar"
    chosen_triwulan = (triwulan[0] if triwulan else rules.triwulan_default) if series else None
    return chosen_triwulan, formula[0] if formula else default_formula


def _sum_bounds(items: Sequence[_Bounds]) -> _Bounds:
    ops = {item.op for item in items}
    if len(ops) > 1:
        shown = ", ".join(sorted(THRESHOLD_SIGNS.get(op or "", "a number") for op in ops))
        raise RuleError(
            f"the targets to add up mix thresholds and numbers ({shown}); a threshold adds"
            " only to thresholds of the same kind"
        )
    return _Bounds(
        exact_sum(item.low for item in items),
        exact_sum(item.high for item in items),
        ops.pop() if ops else None,
    )


@frozen
class _Inputs:
    """What the formula compares, or why there is nothing to compare."""

    realisasi: Decimal | None = None
    target: _Bounds | None = None
    reason: str | None = None
    triwulan: int | None = None
    realisasi_words: str = "realisasi"
    target_words: str = "the target"


def _combine(realisasi: Sequence[object], target: object, method: str) -> _Inputs:
    """Realisasi and target across triwulan, by the triwulan method."""
    if not realisasi:
        raise RuleError("realisasi is an empty list; give one value (or None) per triwulan")
    if len(realisasi) > MAX_TRIWULAN:
        raise RuleError(
            f"realisasi has {len(realisasi)} values; a year has {MAX_TRIWULAN} triwulan"
        )
    values = [
        None if value is None else _number(value, f"realisasi for TW{i}")
        for i, value in enumerate(realisasi, start=1)
    ]
    annual: _Bounds | None = None
    targets: list[_Bounds | None] = []
    if _is_series(target):
        assert isinstance(target, Sequence)
        if len(target) > MAX_TRIWULAN:
            raise RuleError(f"target has {len(target)} values; a year has {MAX_TRIWULAN} triwulan")
        targets = [
            _target_item(item, f"target for TW{i}") for i, item in enumerate(target, start=1)
        ]
    elif target is not None and method != "tahunan":
        raise RuleError(
            f"method '{method}' needs a target per triwulan; a single target is the annual "
            "target of method 'tahunan'"
        )
    else:
        annual = _target_item(target, "annual target")
    targets += [None] * (MAX_TRIWULAN - len(targets))

    reported = [i for i, value in enumerate(values) if value is not None]
    if not reported:
        return _Inputs(reason="no realisasi has been reported for any triwulan yet")
    last = reported[-1]
    tw = last + 1
    if method == "terakhir":
        return _Inputs(
            realisasi=values[last],
            target=targets[last],
            triwulan=tw,
            realisasi_words=f"the TW{tw} realisasi",
            target_words=f"the TW{tw} target",
        )
    span = "TW1" if tw == 1 else f"TW1–TW{tw}"
    for i in range(last):
        if values[i] is None:
            return _Inputs(
                reason=f"the realisasi for TW{i + 1} is missing, so realisasi cannot be "
                f"summed up to TW{tw} and capaian cannot be computed",
                triwulan=tw,
            )
    total = exact_sum(value for value in values[: last + 1] if value is not None)
    realisasi_words = f"the realisasi summed over {span}"
    if method == "kumulatif":
        for i in range(tw):
            if targets[i] is None:
                return _Inputs(
                    reason=f"there is no target for TW{i + 1}, so capaian cannot be computed",
                    triwulan=tw,
                )
        summed = _sum_bounds([item for item in targets[:tw] if item is not None])
        return _Inputs(
            realisasi=total,
            target=summed,
            triwulan=tw,
            realisasi_words=realisasi_words,
            target_words=f"the target summed over {span}",
        )
    # tahunan
    if annual is None and _is_series(target):
        for i, item in enumerate(targets, start=1):
            if item is None:
                return _Inputs(
                    reason=f"the annual target is the sum of the four triwulan targets, but "
                    f"there is no target for TW{i}, so capaian cannot be computed",
                    triwulan=tw,
                )
        annual = _sum_bounds([item for item in targets if item is not None])
    return _Inputs(
        realisasi=total,
        target=annual,
        triwulan=tw,
        realisasi_words=realisasi_words,
        target_words="the annual target",
    )


def _single(realisasi: object, target: object) -> _Inputs:
    if _is_series(target):
        assert isinstance(target, Sequence)
        if len(target) != 2:
            raise RuleError(
                f"target has {len(target)} values but realisasi is a single value; give "
                "realisasi per triwulan as a list, or a range target as (low, high)"
            )
    return _Inputs(
        realisasi=None if realisasi is None else _number(realisasi, "realisasi"),
        target=_target_item(target, "target"),
    )


def _evaluate(
    realisasi: Realisasi,
    target: Target,
    polarity: str,
    method: str | Sequence[str] | None,
    policy: Policy | Mapping[str, Number | None] | None,
    rules: RuleTables | None,
) -> CapaianResult:
    tables = default_rules() if rules is None else rules
    if polarity not in POLARITIES:
        raise RuleError(
            f"unknown polarity '{polarity}'; write 'positif' (higher is better) or "
            "'negatif' (lower is better)"
        )
    series = _is_series(realisasi)
    triwulan_method, formula = _methods(method, polarity, series, tables)
    method_name = f"{triwulan_method}+{formula}" if triwulan_method else formula
    if policy is None:
        chosen_policy = tables.policy
    elif isinstance(policy, Policy):
        chosen_policy = policy
    else:
        unknown = [key for key in policy if key not in ("floor", "cap")]
        if unknown:
            raise RuleError(f"unknown policy key '{unknown[0]}'; a policy has 'floor' and 'cap'")
        chosen_policy = Policy(floor=policy.get("floor"), cap=policy.get("cap"))

    if series:
        assert isinstance(realisasi, Sequence)
        assert triwulan_method is not None
        inputs = _combine(realisasi, target, triwulan_method)
    else:
        inputs = _single(realisasi, target)

    bounds = inputs.target
    target_range = (bounds.low, bounds.high) if bounds and bounds.low != bounds.high else None
    threshold = Threshold(bounds.op, bounds.low) if bounds and bounds.op else None  # type: ignore[arg-type]
    if threshold is not None and (polarity == "negatif") != threshold.lower_is_better:
        wanted = "negatif" if threshold.lower_is_better else "positif"
        raise RuleError(
            f"the target {threshold} asks for {'low' if wanted == 'negatif' else 'high'}"
            f" values, so its polarity is '{wanted}', not '{polarity}'"
        )

    def unavailable(reason: str) -> CapaianResult:
        return CapaianResult(
            value=None,
            raw=None,
            reason=reason,
            method=method_name,
            polarity=polarity,
            realisasi_used=inputs.realisasi,
            triwulan=inputs.triwulan,
            target_range=target_range,
            threshold=threshold,
        )

    if inputs.reason is not None:
        return unavailable(inputs.reason)
    r = inputs.realisasi
    if r is None:
        return unavailable(
            f"there is no {inputs.realisasi_words.removeprefix('the ')}, so capaian cannot be computed"
        )
    if bounds is None:
        return unavailable(
            f"there is no {inputs.target_words.removeprefix('the ')}, so capaian cannot be computed"
        )

    met = threshold.met(r) if threshold is not None else None
    if threshold is not None and (
        (met and tables.threshold_met == "100") or (not met and tables.threshold_not_met == "0")
    ):
        exact: Fraction = _HUNDRED if met else Fraction(0)
        t: Decimal | None = None
    elif target_range is not None and bounds.low <= r <= bounds.high:
        exact = _HUNDRED
        t = None
    else:
        t = bounds.high if r > bounds.high else bounds.low
        if t == 0:
            which = ""
            if target_range is not None:
                which = " (its upper bound)" if t == bounds.high else " (its lower bound)"
            return unavailable(f"{inputs.target_words}{which} is 0, so capaian cannot be computed")
        fr, ft = Fraction(r), Fraction(t)
        if formula == "standar":
            exact = fr * _HUNDRED / ft
        elif formula == "selisih":
            exact = (2 * ft - fr) * _HUNDRED / ft
        else:  # rasio
            if r == 0:
                return unavailable(
                    f"{inputs.realisasi_words} is 0, so capaian cannot be computed "
                    "with method 'rasio' (target / realisasi × 100)"
                )
            exact = ft * _HUNDRED / fr
    rounded = _round(exact, tables.decimals)
    value, applied = chosen_policy.apply(rounded, tables.decimals)
    return CapaianResult(
        value=value,
        raw=_to_decimal(exact),
        reason=None,
        method=method_name,
        polarity=polarity,
        policy_applied=applied,
        target_used=t,
        realisasi_used=r,
        triwulan=inputs.triwulan,
        target_range=target_range,
        threshold=threshold,
        threshold_met=met,
    )


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: Literal[False] = False,
) -> Decimal | None: ...


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: Literal[True],
) -> CapaianResult: ...


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: bool,
) -> Decimal | CapaianResult | None: ...


def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: bool = False,
) -> Decimal | CapaianResult | None:
    """Capaian in percent of ``realisasi`` against ``target``, rounded half away from zero.

    ``realisasi``
        A number, ``None`` (not reported), or a list per triwulan (TW1 first) of numbers
        or ``None``.
    ``target``
        A number, a range ``(low, high)``, ``None`` (no target), or with realisasi per
        triwulan a list of per-triwulan targets (numbers, ranges or ``None``); a single
        number there is the annual target of method ``tahunan``.
    ``polarity``
        ``"positif"`` (higher is better: R / T × 100) or ``"negatif"`` (lower is better).
    ``method``
        ``"selisih"`` ((2T − R) / T × 100) or ``"rasio"`` (T / R × 100) for negative
        polarity; ``"kumulatif"``, ``"terakhir"`` or ``"tahunan"`` across triwulan; both
        joined by ``+`` (``"kumulatif+rasio"``) or as a list. ``None``: the table's defaults.
    ``policy``
        A :class:`Policy` (or ``{"floor": 0, "cap": 200}``) instead of the table's.
    ``rules``
        Rule tables instead of the shipped ones.
    ``detail``
        ``True``: a :class:`CapaianResult` with the raw value, the reason for ``None``,
        the method and the policy applied.

    Numbers may be ``int``, ``Decimal``, ``float`` or text as planners write them
    (``"55,33"``, ``"93%"``). Raises :class:`RuleError` for a call that cannot work
    (unknown method or polarity, a value that is not a number); data that does not allow a
    capaian (a target of 0, a missing value) gives ``None``.

    >>> capaian(142, 141), capaian(147, 736), capaian(6971, 7386)
    (Decimal('100.71'), Decimal('19.97'), Decimal('94.38'))
    >>> capaian([20, 30, 15, None], [25, 25, 25, 25], method="terakhir")
    Decimal('60.00')
    """
    result = _evaluate(realisasi, target, polarity, method, policy, rules)
    return result if detail else result.value


# ---------------------------------------------------------------------------------------
# Predikat and nilai AKIP


@overload
def predikat(value: None, scale: str = "capaian", *, rules: RuleTables | None = None) -> None: ...


@overload
def predikat(value: Number, scale: str = "capaian", *, rules: RuleTables | None = None) -> str: ...


@overload
def predikat(
    value: Number | None, scale: str = "capaian", *, rules: RuleTables | None = None
) -> str | None: ...


def predikat(
    value: Number | None, scale: str = "capaian", *, rules: RuleTables | None = None
) -> str | None:
    """The label of the band of ``scale`` that ``value`` falls in; ``None`` for ``None``.

    The value is first rounded to the table's decimals (half away from zero), so the
    predikat agrees with the number as reported.

    >>> predikat(90.99), predikat(91), predikat(100.71), predikat(-50)
    ('Tinggi', 'Sangat Tinggi', 'Sangat Tinggi', 'Sangat Rendah')
    >>> predikat("90,9950")  # "90,995" could also be 90995, where ',' groups thousands
    'Sangat Tinggi'
    """
    if value is None:
        return None
    tables = default_rules() if rules is None else rules
    chosen = tables.scale(scale)
    number = _round(Fraction(_number(value, "predikat value")), tables.decimals)
    return chosen.band(number).label


def nilai_akip(components: Mapping[str, Number], *, rules: RuleTables | None = None) -> Decimal:
    """The nilai AKIP: the sum of the evaluation components, each between 0 and its maximum.

    Every component of the table must be given, by its name or an alias (case and spacing
    do not matter). Raises :class:`RuleError` naming the component for an unknown, missing,
    repeated, negative or too high component.

    >>> nilai_akip({"Perencanaan": 30, "Pengukuran": 30, "Pelaporan": 15, "Evaluasi Internal": 25})
    Decimal('100.00')
    """
    tables = default_rules() if rules is None else rules
    by_name: dict[str, AkipComponent] = {}
    for component in tables.akip_components:
        for spelled in (component.name, *component.aliases):
            by_name[_fold(spelled)] = component
    given: dict[str, Decimal] = {}
    for name, raw in components.items():
        found = by_name.get(_fold(name))
        if found is None:
            near = closest(name, [c.name for c in tables.akip_components], n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            known = ", ".join(f"'{c.name}'" for c in tables.akip_components)
            raise RuleError(f"unknown AKIP component '{name}'{hint}; the components are {known}")
        if found.name in given:
            raise RuleError(f"the AKIP component '{found.name}' is given twice")
        value = _number(raw, f"AKIP component '{found.name}'")
        if value < 0 or value > found.max:
            raise RuleError(
                f"AKIP component '{found.name}' is {_show(value)}; it must be between 0 "
                f"and its maximum {_show(found.max)}"
            )
        given[found.name] = value
    missing = [c.name for c in tables.akip_components if c.name not in given]
    if missing:
        raise RuleError(
            "the nilai AKIP needs every component; missing: "
            + ", ".join(f"'{name}'" for name in missing)
        )
    total = sum((Fraction(value) for value in given.values()), Fraction(0))
    return _round(total, tables.decimals)
