"""Targets as the definitions hold them: one number, a range, or a threshold."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from attrs import frozen

THRESHOLD_SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
"""How each threshold operator is written in documents."""


@frozen
class Threshold:
    """A target that is a threshold: ``< 70``, ``≤ 14``, ``≥ 95``, ``> 5``.

    ``op`` is one of ``<``, ``<=``, ``>``, ``>=``; the target is met when the realisasi
    stands in that relation to ``value``.
    """

    op: Literal["<", "<=", ">", ">="]
    value: Decimal

    def met(self, realisasi: Decimal) -> bool:
        """Whether ``realisasi`` meets the threshold."""
        if self.op == "<":
            return realisasi < self.value
        if self.op == "<=":
            return realisasi <= self.value
        if self.op == ">":
            return realisasi > self.value
        return realisasi >= self.value

    @property
    def lower_is_better(self) -> bool:
        """``<`` and ``≤`` ask for a low value (a negative polarity)."""
        return self.op in ("<", "<=")

    def __str__(self) -> str:
        text = format(self.value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return f"{THRESHOLD_SIGNS[self.op]} {text}"


Target = Decimal | tuple[Decimal, Decimal] | Threshold
"""A target: one number, a range ``(low, high)`` such as 80–90, or a :class:`Threshold`."""
