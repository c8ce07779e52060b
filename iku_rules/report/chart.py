"""The chart of target against realisasi per year for one IKU, as inline SVG."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape
from typing import TYPE_CHECKING

from iku_rules.decimals import CONTEXT, exact, total
from iku_rules.i18n import _
from iku_rules.model import Target, Threshold
from iku_rules.report.numbers import number_text
from iku_rules.report.tables import (
    TrendPoint,
    TrendSeries,
)

if TYPE_CHECKING:
    from iku_rules.report.html import _Page


def _year_label(point: TrendPoint) -> str:
    """A point's year as the chart and the trend table name it: ``2020 baseline``, ``2026
    (provisional)`` for a year not over when it was evaluated."""
    year = str(point.year) if point.year is not None else ""
    if point.baseline:
        return (f"{year} " + _("baseline")).strip()
    return _("{year} (provisional)").format(year=year) if point.provisional else year


class _Chart:
    """Target against realisasi for one IKU, as inline SVG."""

    WIDTH = 600
    HEIGHT = 300
    LEFT = 64
    """The least room left of the plot; more where the axis labels are wider."""
    RIGHT = 20
    TOP = 40
    BOTTOM = 52

    def __init__(self, series: TrendSeries, index: int, page: _Page) -> None:
        self.series = series
        self.index = index
        self.page = page
        values: list[Decimal] = []
        for point in series.points:
            values += _target_values(point.target)
            if point.realisasi is not None:
                values.append(point.realisasi)
        self.low, self.high, self.step = _nice_scale(values)
        self.ticks = list(self._ticks())
        # The labels end 6 left of the axis and start right of the satuan written up the
        # side (x 5–17): cut at the chart's edge, 2,500,000,000 read as 500,000,000.
        widest = max((_label_width(label) for _tick, label in self.ticks), default=0)
        self.left = max(self.LEFT, math.ceil(24 + widest))

    def _ticks(self) -> Iterator[tuple[Decimal, str]]:
        """Each tick of the value axis with its label."""
        tick = self.low
        while tick <= self.high:
            label = number_text(
                tick, decimal_comma=self.page.decimal_comma, decimals=_step_decimals(self.step)
            )
            yield tick, label
            tick += self.step

    def x(self, position: int) -> float:
        count = len(self.series.points)
        inner = self.WIDTH - self.left - self.RIGHT
        if count <= 1:
            return self.left + inner / 2
        return self.left + inner * (position + 0.5) / count

    def y(self, value: Decimal) -> float:
        inner = self.HEIGHT - self.TOP - self.BOTTOM
        share = (value - self.low) / (self.high - self.low)
        return self.TOP + inner * (1 - float(share))

    def svg(self) -> str:
        series = self.series
        title_id = f"chart-{self.index}-title"
        desc_id = f"chart-{self.index}-desc"
        parts = [
            f'<svg class="chart" role="img" '
            f'viewBox="0 0 {self.WIDTH} {self.HEIGHT}" aria-labelledby="{title_id} {desc_id}">',
            f'<title id="{title_id}">'
            + _e(_("Target and realisasi: {indicator}").format(indicator=series.indikator))
            + "</title>",
            f'<desc id="{desc_id}">{_e(self.description())}</desc>',
        ]
        parts += list(self.axes())
        parts += list(self.target_series())
        parts += list(self.realisasi_series())
        if not any(p.realisasi is not None or p.target is not None for p in series.points):
            empty = _("no target and no realisasi yet")
            parts.append(
                f'<text class="empty" x="{self.WIDTH / 2:.1f}" y="{self.HEIGHT / 2:.1f}" '
                f'text-anchor="middle">{_e(empty)}</text>'
            )
        parts += list(self.legend())
        parts.append("</svg>")
        return "".join(parts)

    def description(self) -> str:
        items = []
        for point in self.series.points:
            items.append(
                _("{year}: target {target}, realisasi {realisasi}").format(
                    year=_year_label(point),
                    target=self.page.target(point.target, point.decimals),
                    realisasi=self.page.number(
                        point.realisasi, self.series.realisasi_decimals(point)
                    ),
                )
            )
        return "; ".join(items)

    def axes(self) -> Iterator[str]:
        left, right = self.left, self.WIDTH - self.RIGHT
        bottom = self.HEIGHT - self.BOTTOM
        for tick, label in self.ticks:
            y = self.y(tick)
            yield f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>'
            yield f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_e(label)}</text>'
        yield f'<line class="axis" x1="{left}" y1="{self.TOP - 4}" x2="{left}" y2="{bottom}"/>'
        yield f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        for position, point in enumerate(self.series.points):
            x = self.x(position)
            yield f'<line class="axis" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}"/>'
            year = str(point.year) if point.year is not None else ""
            yield f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle">{_e(year)}</text>'
            below = _("baseline") if point.baseline else None
            if point.provisional:
                below = _("provisional")
            if below:
                yield f'<text x="{x:.1f}" y="{bottom + 34}" text-anchor="middle">{_e(below)}</text>'
        unit = "%" if self.series.percent else self.series.satuan
        middle = (self.TOP + bottom) / 2
        yield (
            f'<text x="14" y="{middle:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {middle:.1f})">{_e(unit)}</text>'
        )

    def target_series(self) -> Iterator[str]:
        points: list[tuple[float, float] | None] = []
        for position, point in enumerate(self.series.points):
            values = _target_values(point.target)
            if not values:
                points.append(None)
                continue
            middle = CONTEXT.divide(total(values), len(values))
            x = self.x(position)
            points.append((x, self.y(middle)))
            label = f"{_year_label(point)}: target {self.page.target(point.target, point.decimals)}"
            if len(values) == 2:
                yield (
                    f'<line class="whisker" x1="{x:.1f}" y1="{self.y(values[0]):.1f}" '
                    f'x2="{x:.1f}" y2="{self.y(values[1]):.1f}"/>'
                )
            yield (
                f'<rect class="dot-target" x="{x - 4:.1f}" y="{self.y(middle) - 4:.1f}" '
                f'width="8" height="8"><title>{_e(label)}</title></rect>'
            )
        yield from _polylines(points, "target")

    def realisasi_series(self) -> Iterator[str]:
        points: list[tuple[float, float] | None] = []
        for position, point in enumerate(self.series.points):
            if point.realisasi is None:
                points.append(None)
                continue
            x, y = self.x(position), self.y(point.realisasi)
            points.append((x, y))
            shown = self.page.number(point.realisasi, self.series.realisasi_decimals(point))
            label = f"{_year_label(point)}: realisasi {shown}"
            if point.capaian is not None:
                label += f", capaian {self.page.capaian(point.capaian)} %"
            # A year not over: an open marker, its figures not the year's (see the legend).
            css = "dot-realisasi open" if point.provisional else "dot-realisasi"
            yield (
                f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="4.5">'
                f"<title>{_e(label)}</title></circle>"
            )
        yield from _polylines(points, "realisasi")

    def legend(self) -> Iterator[str]:
        x = self.left
        yield f'<line class="target" x1="{x}" y1="16" x2="{x + 28}" y2="16"/>'
        yield f'<rect class="dot-target" x="{x + 10}" y="12" width="8" height="8"/>'
        yield f'<text x="{x + 34}" y="20">Target</text>'
        x += 110
        yield f'<line class="realisasi" x1="{x}" y1="16" x2="{x + 28}" y2="16"/>'
        yield f'<circle class="dot-realisasi" cx="{x + 14}" cy="16" r="4.5"/>'
        yield f'<text x="{x + 34}" y="20">Realisasi</text>'
        if self.series.provisional:
            x += 110
            yield f'<circle class="dot-realisasi open" cx="{x + 14}" cy="16" r="4.5"/>'
            provisional = _e(_("provisional"))
            yield f'<text x="{x + 24}" y="20">{provisional}</text>'


def _label_width(text: str) -> float:
    """About how wide ``text`` is in the chart's 12px font, a little wider than it is
    (digits are 6.7 wide in Arial, 7.6 in DejaVu Sans; ``,`` and ``.`` half that: 8 and
    4 are counted).

    >>> _label_width("100.00"), _label_width("2,500,000,000")
    (44, 92)
    """
    return sum(4 if char in ",." else 8 for char in text)


def _step_decimals(step: Decimal) -> int:
    """The decimals an axis label needs to tell its tick from the next: none for a whole
    step, else at least two, and as many as the step has (0.005: ``0.285``, never ``0.29``).

    >>> _step_decimals(Decimal("20")), _step_decimals(Decimal("2.5")), _step_decimals(Decimal("0.005"))
    (0, 2, 3)
    """
    if step == step.to_integral_value():
        return 0
    return max(2, -int(step.normalize().as_tuple().exponent))


def _target_values(target: Target | None) -> list[Decimal]:
    if target is None:
        return []
    if isinstance(target, tuple):
        return [target[0], target[1]]
    if isinstance(target, Threshold):
        return [target.value]
    return [target]


def _polylines(points: list[tuple[float, float] | None], css: str) -> Iterator[str]:
    """One polyline per run of consecutive points (a missing year breaks the line)."""
    run: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) >= 2:
            coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            yield f'<polyline class="{css}" points="{coordinates}"/>'
        run = []


def _nice_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """An axis from ``low`` to ``high`` in round ``step``s that holds every value.

    The axis starts at 0 unless every value is positive and they lie close together
    (the smallest above half the largest), when a line chart reads better with the
    axis starting just below them."""
    with exact():  # the package's decimal context, in any thread
        if not values:
            return Decimal(0), Decimal(100), Decimal(20)
        smallest, largest = min(values), max(values)
        low = min(smallest, Decimal(0))
        high = max(largest, Decimal(0))
        if smallest > 0 and smallest * 2 > largest:
            low = smallest - max((largest - smallest) / 2, largest / 20)
        if high == low:
            high = low + 1
        raw = (high - low) / 5
        magnitude = Decimal(10) ** raw.adjusted()
        step = next(
            (
                m * magnitude
                for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
                if raw <= m * magnitude
            ),
            10 * magnitude,
        )
        low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        if high == largest:
            high += step
        return low, high, step


def _e(text: str) -> str:
    """Escape text from the definitions or the data for HTML text and attributes."""
    return escape(text, quote=True)
