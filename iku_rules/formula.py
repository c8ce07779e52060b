"""A parsed formula: its AST, the text it came from, its canonical text and the names it reads.

:class:`Formula` stands above the walks it offers (:mod:`iku_rules.printer` for ``str``,
:mod:`iku_rules.dependencies` for ``names``), so the AST below knows nothing of them.
"""

from __future__ import annotations

from functools import cached_property

from attrs import field, frozen

from iku_rules.ast import Name, Node
from iku_rules.dependencies import names
from iku_rules.printer import to_text


@frozen
class Formula:
    """A parsed formula: its AST ``body`` and the ``text`` it was parsed from.

    ``str(formula)`` is the canonical text, which parses back to an equal formula.
    Equality compares the AST only.
    """

    body: Node
    text: str = field(default="", eq=False, repr=False)

    def __str__(self) -> str:
        return to_text(self.body)

    @cached_property
    def names(self) -> tuple[Name, ...]:
        """The names the formula reads outside filters, in source order, without repeats
        (walked once: an evaluation asks for them for every region and period)."""
        return names(self.body)
