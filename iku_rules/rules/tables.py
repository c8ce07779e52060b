"""The rule tables: ``capaian.toml`` and ``predikat.toml`` read with :mod:`tomllib` and checked, every
problem put on its file, line and column; :func:`default_rules` gives the shipped ones."""

from __future__ import annotations

import functools
import os
from decimal import Decimal
from pathlib import Path

from attrs import evolve, frozen

from iku_rules.decimals import total as exact_sum
from iku_rules.i18n import _, ngettext
from iku_rules.rules.base import (
    FORMULA_METHODS,
    TRIWULAN_METHODS,
    AkipComponent,
    Band,
    Number,
    Policy,
    RuleError,
    RuleTableError,
    Scale,
    _lower_text,
    _show,
)
from iku_rules.rules.table_file import KeyPath, _Table

PACKAGE = Path(__file__).resolve().parent.parent
"""The installed package, whose ``rule_tables/`` holds the shipped tables."""

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
            names = _(" or ").join(f"'{name}'" for name in allowed)
            raise table.error(
                ("threshold", key),
                _("'{key}' must be {names}, not {value}").format(
                    key=key, names=names, value=repr(value)
                ),
            )
        chosen.append(str(value))
    return chosen[0], chosen[1]


def _read_capaian(table: _Table) -> tuple[int, str, str, Policy]:
    data = table.data
    table.keys(data, (), ("decimals", "defaults", "policy", "threshold"))
    if "decimals" not in data:
        raise table.error((), _("'decimals' is missing: write e.g. decimals = 2"))
    decimals = data["decimals"]
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 10:
        raise table.error(("decimals",), _("'decimals' must be a whole number from 0 to 10"))
    defaults = table.table(data, ("defaults",))
    table.keys(defaults, ("defaults",), ("negatif", "triwulan"))
    chosen: dict[str, str] = {}
    for key, allowed in (("negatif", FORMULA_METHODS["negatif"]), ("triwulan", TRIWULAN_METHODS)):
        if key not in defaults:
            raise table.error(
                ("defaults",),
                _("'{key}' is missing in [{table}]").format(key=key, table="defaults"),
            )
        value = defaults[key]
        if value not in allowed:
            names = _(" or ").join(f"'{name}'" for name in allowed)
            raise table.error(
                ("defaults", key),
                _("the default method '{key}' must be {names}, not {value}").format(
                    key=key, names=names, value=repr(value)
                ),
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
            path,
            _('a band must be a table like { label = "Tinggi", min = 76, min_inclusive = true }'),
        )
    table.keys(entry, path, _BAND_KEYS)
    if "label" not in entry:
        raise table.error(path, _("a band needs a label"))
    label = table.text(entry["label"], (*path, "label"))
    bound: dict[str, tuple[Decimal | None, bool | None]] = {}
    for end in ("min", "max"):
        inclusive_key = f"{end}_inclusive"
        if end in entry and inclusive_key not in entry:
            shown = _show(table.number(entry[end], (*path, end)))
            sign = ("≥", ">") if end == "min" else ("≤", "<")
            raise table.error(
                (*path, end),
                _(
                    "band '{label}' has {end} = {shown} but no {key}; write "
                    "{key} = true ({sign} {shown}) or false ({strict} {shown})"
                ).format(
                    label=label,
                    end=end,
                    shown=shown,
                    key=inclusive_key,
                    sign=sign[0],
                    strict=sign[1],
                ),
            )
        if inclusive_key in entry and end not in entry:
            raise table.error(
                (*path, inclusive_key),
                _("band '{label}' has {key} but no {end}").format(
                    label=label, key=inclusive_key, end=end
                ),
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
        raise table.error(
            path, _("scale '{name}' must be a table with bands = [...]").format(name=name)
        )
    table.keys(entry, path, ("title", "bands"))
    title = table.text(entry["title"], (*path, "title")) if "title" in entry else None
    raw_bands = entry.get("bands")
    if not isinstance(raw_bands, list) or len(raw_bands) < 2:
        raise table.error(
            path, _("scale '{name}' needs 'bands', a list of at least two bands").format(name=name)
        )
    bands = [_read_band(table, band, (*path, "bands", i)) for i, band in enumerate(raw_bands)]
    where = [(*path, "bands", i) for i in range(len(bands))]

    labels: dict[str, str] = {}
    for i, band in enumerate(bands):
        folded = band.label.casefold()
        if folded in labels:
            raise table.error(
                where[i],
                _("scale '{name}': the label '{label}' is used twice").format(
                    name=name, label=band.label
                ),
            )
        labels[folded] = band.label

    open_ended = [i for i, band in enumerate(bands) if band.min is None]
    if not open_ended:
        raise table.error(
            where[-1],
            _(
                "scale '{name}': the bottom band '{label}' must leave out min, so that every"
                " value below the other bands has a predikat (exactly one open-ended bottom band)"
            ).format(name=name, label=bands[-1].label),
        )
    if len(open_ended) > 1 or open_ended[0] != len(bands) - 1:
        names = ", ".join(f"'{bands[i].label}'" for i in open_ended)
        raise table.error(
            where[open_ended[0]],
            ngettext(
                "scale '{name}': only the bottom band may leave out min, but {names} does"
                " (exactly one open-ended bottom band, listed last)",
                "scale '{name}': only the bottom band may leave out min, but {names} do"
                " (exactly one open-ended bottom band, listed last)",
                len(open_ended),
            ).format(name=name, names=names),
        )

    top = bands[0]
    if top.max is not None:
        raise table.error(
            where[0],
            _(
                "scale '{name}': the top band '{label}' must not have a max; values above it "
                "(capaian can pass 100) would have no predikat"
            ).format(name=name, label=top.label),
        )
    for i in range(1, len(bands)):
        above, band = bands[i - 1], bands[i]
        if band.min is not None and _bound_key(band) >= _bound_key(above):
            if _bound_key(band) == _bound_key(above):
                raise table.error(
                    where[i],
                    _(
                        "scale '{name}': bands '{above}' and '{band}' overlap: both start at {start}"
                    ).format(
                        name=name,
                        above=above.label,
                        band=band.label,
                        start=_lower_text(band.min, band.min_inclusive),
                    ),
                )
            raise table.error(
                where[i],
                _(
                    "scale '{name}': bands must be listed from the highest to the lowest, but "
                    "'{above}' ({above_start}) comes before '{band}' ({band_start})"
                ).format(
                    name=name,
                    above=above.label,
                    above_start=_lower_text(above.min, above.min_inclusive),
                    band=band.label,
                    band_start=_lower_text(band.min, band.min_inclusive),
                ),
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
    fix = _("leave out max, or write max = {start}, max_inclusive = {inclusive}").format(
        start=start, inclusive="false" if above.min_inclusive else "true"
    )
    if band.max < above.min or (band.max == above.min and not band.max_inclusive):
        message = _(
            "scale '{scale}': gap between '{band}' ({upper}) and '{above}' ({lower}) above it:"
            " values between them have no predikat; on '{band}' {fix}"
        )
    else:
        message = _(
            "scale '{scale}': overlap between '{band}' ({upper}) and '{above}' ({lower}) above"
            " it: values between them have two; on '{band}' {fix}"
        )
    raise table.error(
        path,
        message.format(
            scale=scale, band=band.label, upper=upper, above=above.label, lower=lower, fix=fix
        ),
    )


def _read_predikat(table: _Table) -> tuple[tuple[Scale, ...], str, tuple[AkipComponent, ...]]:
    data = table.data
    table.keys(data, (), ("scales", "akip"))
    scales_table = table.table(data, ("scales",))
    if not scales_table:
        raise table.error(("scales",), _("[scales] has no scale"))
    scales = tuple(_read_scale(table, name, entry) for name, entry in scales_table.items())

    akip = table.table(data, ("akip",))
    table.keys(akip, ("akip",), ("scale", "components"))
    if "scale" not in akip:
        raise table.error(
            ("akip",), _("'scale' is missing in [akip]: name the scale of nilai AKIP")
        )
    scale_name = table.text(akip["scale"], ("akip", "scale"))
    if scale_name not in scales_table:
        raise table.error(
            ("akip", "scale"),
            _("[akip] names the scale '{scale}', which is not in [scales] (known: {known})").format(
                scale=scale_name, known=", ".join(scales_table)
            ),
        )
    entries = akip.get("components")
    if not isinstance(entries, list) or not entries:
        raise table.error(
            ("akip",), _("[akip] needs 'components', a list like { name = ..., max = 30 }")
        )
    components: list[AkipComponent] = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(entries):
        path: KeyPath = ("akip", "components", i)
        if not isinstance(entry, dict):
            raise table.error(
                path,
                _('a component must be a table like { name = "Perencanaan Kinerja", max = 30 }'),
            )
        table.keys(entry, path, ("name", "max", "aliases"))
        if "name" not in entry or "max" not in entry:
            raise table.error(path, _("a component needs a name and a max"))
        name = table.text(entry["name"], (*path, "name"))
        maximum = table.number(entry["max"], (*path, "max"))
        if maximum <= 0:
            raise table.error(
                (*path, "max"), _("the maximum of '{name}' must be above 0").format(name=name)
            )
        aliases_value = entry.get("aliases", [])
        if not isinstance(aliases_value, list):
            raise table.error((*path, "aliases"), _("'aliases' must be a list of texts"))
        aliases = tuple(
            table.text(alias, (*path, "aliases", j)) for j, alias in enumerate(aliases_value)
        )
        for spelled in (name, *aliases):
            key = _fold(spelled)
            if key in seen:
                raise table.error(
                    path,
                    _("the AKIP component name '{name}' is used twice (also by '{other}')").format(
                        name=spelled, other=seen[key]
                    ),
                )
            seen[key] = name
        components.append(AkipComponent(name=name, max=maximum, aliases=aliases))
    total = exact_sum(component.max for component in components)
    if total != 100:
        raise table.error(
            ("akip", "components"),
            _(
                "the maxima of the AKIP components must add up to 100, but they add up to {total}"
            ).format(total=_show(total)),
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
        folder: Path
        if path is None:
            folder = PACKAGE / "rule_tables"  # by path: no importlib.resources readers to import
        else:
            folder = Path(path)
            if folder.is_file():
                raise RuleTableError(
                    str(folder),
                    _("this is a file; give the folder that holds capaian.toml and predikat.toml"),
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
        raise RuleError(
            _("unknown predikat scale '{name}'; the known scales are {known}").format(
                name=name, known=known
            )
        )


@functools.cache
def default_rules() -> RuleTables:
    """The shipped rule tables, loaded once."""
    return RuleTables.load()
