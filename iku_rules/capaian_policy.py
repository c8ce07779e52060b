"""The floor and cap an office may set on the capaian it reports, and why others are refused.

A floor raises a capaian below it, a cap lowers one above it (``[rules] floor = 0``: a
negative capaian is shown as 0; ``cap = 120``). Both leave the question a capaian answers —
was the target met (100) or not — as it was, as long as the floor stays below 100 and the
cap at 100 or above: a floor of 100 would show every target missed as met (Sangat Tinggi
for a realisasi of half the target), a cap of 90 every target met as missed. Such a policy
is refused, in the definitions at its place and in the API as a ``RuleError``.

>>> policy_problem(Decimal(0), Decimal(200)) is None
True
>>> print(policy_problem(Decimal(100), None))
a floor of 100 would show every capaian below it, each a target missed, as 100: a miss would read as met; a floor only raises a capaian below 100 (floor = 0 shows a negative capaian as 0)
"""

from __future__ import annotations

from decimal import Decimal

from iku_rules.i18n import _, format_number

MET = Decimal(100)
"""The capaian of a target met exactly."""


def policy_problem(floor: Decimal | None, cap: Decimal | None) -> str | None:
    """Why a ``floor`` or ``cap`` on capaian would misstate whether a target was met: a
    floor of 100 or more, a cap below 100; None when neither does."""
    if floor is not None and floor >= MET:
        shown = format_number(floor, group=False)
        return _(
            "a floor of {floor} would show every capaian below it, each a target missed, as"
            " {floor}: a miss would read as met; a floor only raises a capaian below 100"
            " (floor = 0 shows a negative capaian as 0)"
        ).format(floor=shown)
    if cap is not None and cap < MET:
        shown = format_number(cap, group=False)
        return _(
            "a cap of {cap} would show every target met (capaian 100) as {cap}: a target met"
            " would read as missed; a cap only lowers a capaian above 100 (cap = 120)"
        ).format(cap=shown)
    return None
