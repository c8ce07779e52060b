"""Targets per region: an indicator's targets for each region of one declared level.

An office that gives a target per kecamatan (the ministry's sasaran, a puskesmas' own
target) writes them under the indicator, one table per level, one row per region:

.. code-block:: toml

    [sasaran.indikator.region_targets.kecamatan]
    Sukamaju = { 2026 = "< 80" }
    Cibening = { 2026 = "< 60", 2027 = "< 55" }

A region without a target of its own has no capaian (its reason names the missing
target), unless the indicator says ``area_target_for_regions = true``: the area's
targets then apply to every region that has none of its own (SPM: 100 % everywhere).
A target is never made up in silence.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from iku_rules.regions import region_key
from iku_rules.target import Target


@frozen
class RegionTarget:
    """One region's target for one year, with where each was written."""

    region: str
    year: int
    target: Target
    location: object = field(default=None, eq=False)
    """Where the year's target stands (``path:line:column``)."""
    region_location: object = field(default=None, eq=False)
    """Where the region's name stands."""


@frozen
class RegionTargets:
    """The targets an indicator gives per region of one level (``kecamatan``)."""

    level: str
    targets: tuple[RegionTarget, ...] = ()
    location: object = field(default=None, eq=False)
    """Where the level's table starts (its name)."""

    def regions(self) -> tuple[str, ...]:
        """The region names written, each once, in the order written."""
        return tuple(dict.fromkeys(target.region for target in self.targets))

    def for_region(self, name: str) -> Mapping[int, Target] | None:
        """The targets of one region by year (names matched ignoring case and spacing),
        or None when the region has no entry at all."""
        key = region_key(name)
        found = {t.year: t.target for t in self.targets if region_key(t.region) == key}
        return found if found else None
