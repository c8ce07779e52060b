"""Capaian (achievement) and predikat (rating), as rule tables a planner can read and change.

The rules live in two TOML files, read with :mod:`tomllib` (:mod:`.tables`):
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

from decimal import Decimal  # noqa: F401  (the examples above use it)

from iku_rules.rules.akip import nilai_akip
from iku_rules.rules.base import (
    POLARITIES,
    TRIWULAN_METHODS,
    AkipComponent,
    Band,
    Number,
    Polarity,
    Policy,
    RuleError,
    RuleTableError,
    Scale,
)
from iku_rules.rules.capaian import CapaianResult, capaian
from iku_rules.rules.predikat import predikat
from iku_rules.rules.tables import RuleTables, default_rules

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
