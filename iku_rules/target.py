"""Targets as the definitions hold them: one number, a range, or a threshold.

A Renstra or Perjanjian Kinerja writes a bound in words (``maks 5``, ``minimal 80 %``,
``kurang dari 70``), a range with ``s/d`` (``75 s/d 80``) and at times only a direction
(``Meningkat``). Each is refused, as every text that is not a number is; the fix says how
to write the target the document means. The number alone would not be it: ``maks 70`` as
the target 70 of Angka Kematian Ibu gives a realisasi of 50 the capaian (2 × 70 − 50) / 70
× 100 = 128,57 %, where the threshold ``≤ 70`` it means is met (100 %).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from attrs import frozen

from iku_rules.i18n import _
from iku_rules.satuan import ANY, UnitTable

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

_BOUND_WORDS = {  # i18n: not for planners (words looked for in targets)
    "<=": (
        "maks",
        "max",
        "maksimal",
        "maksimum",
        "maximum",
        "paling banyak",
        "paling tinggi",
        "setinggi-tingginya",
        "sebanyak-banyaknya",
        "tidak lebih dari",
        "tidak melebihi",
    ),
    ">=": (
        "min",
        "minimal",
        "minimum",
        "paling sedikit",
        "paling rendah",
        "sekurang-kurangnya",
        "setidaknya",
        "setidak-tidaknya",
        "tidak kurang dari",
    ),
    "<": ("kurang dari", "di bawah", "dibawah"),
    ">": ("lebih dari", "di atas", "diatas"),
}
"""Words written before a number that make it a threshold, by the threshold's operator."""

_SIGNS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}

_NUMBER = r"([0-9][0-9.,]*\s*%?)"

_BOUND = re.compile(
    r"^\s*("
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for words in _BOUND_WORDS.values()
        for word in sorted(words, key=len, reverse=True)
    )
    + r")\.?\s*:?\s*"
    + _NUMBER
    + r"\s*$",
    re.IGNORECASE,
)

_RANGE = re.compile(
    r"^\s*([0-9][0-9.,]*)\s*%?\s*(s\s*/\s*d\.?|s\.\s*d\.?|sampai\s+dengan|sampai|hingga)\s*"
    r"([0-9][0-9.,]*)\s*%?\s*$",
    re.IGNORECASE,
)

_HIGHER = ("meningkat", "naik", "bertambah", "meningkatnya", "peningkatan")
_LOWER = ("menurun", "turun", "berkurang", "menurunnya", "penurunan")


def target_in_words(text: str) -> str | None:
    """Why ``text``, a target written in words, is refused, and how to write the target it
    means; None for any other text.

    >>> print(target_in_words("maks 5"))
    'maks 5' is a threshold written in words; write it with its sign, "≤ 5": written as the number alone, a realisasi better than 5 would count as more than met
    >>> print(target_in_words("75 s/d 80"))
    '75 s/d 80' is a range; write it "75–80"
    >>> target_in_words("12,5 km") is None
    True
    """
    bound = _BOUND.match(text)
    if bound is not None:
        said = re.sub(r"\s+", " ", bound[1]).casefold()
        op = next(op for op, words in _BOUND_WORDS.items() if said in words)
        number = re.sub(r"\s+", " ", bound[2]).strip()
        return _(
            "'{text}' is a threshold written in words; write it with its sign, \"{sign} {number}\":"
            " written as the number alone, a realisasi better than {number} would count as"
            " more than met"
        ).format(text=text.strip(), sign=_SIGNS[op], number=number)
    written = _RANGE.match(text)
    if written is not None:
        return _("'{text}' is a range; write it \"{low}–{high}\"").format(
            text=text.strip(), low=written[1], high=written[3]
        )
    word = text.strip().casefold()
    if word in _HIGHER or word in _LOWER:
        return _(
            "'{text}' says which way the indicator should go, not how far; a target is a"
            " number, a range (80–90) or a threshold (≥ 80): write the number the plan gives"
            ' for the year, and let polarity = "{polarity}" say which way is better'
        ).format(text=text.strip(), polarity="positif" if word in _HIGHER else "negatif")
    return None


_PERCENT_WRITTEN = re.compile(r"%|\b(?:persen|prosen|percent)\b", re.IGNORECASE)
"""A percent written in a target: ``%``, or the word (``80 persen``)."""

_PERCENT_SATUAN = re.compile(r"%|\b(?:persen|prosen|percent)", re.IGNORECASE)
"""A satuan that is a percentage: ``Persen``, ``%``, and ``Persentase`` or ``Persen (%)``,
which ``iku check`` refuses as a satuan (code ``satuan-kind``) for ``Persen``."""

_NUMERAL = r"[0-9][0-9.,]*"
_WORDS = r"[^\W\d_][^\d<>=≤≥%]*?"
_UNIT_AFTER = re.compile(rf"\s*(?:[<>≤≥=]{{1,2}})?\s*{_NUMERAL}\s*({_WORDS})\.?\s*")
_UNIT_BEFORE = re.compile(rf"\s*({_WORDS})\.?\s*{_NUMERAL}(?:,-)?\s*")


class OtherUnit(ValueError):
    """A target written in a unit its indicator's satuan is not (:func:`other_unit`), with
    the fix."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


def other_unit(value: object, unit: str, *, baseline: bool = False) -> tuple[str, str] | None:
    """Why a target (or, with ``baseline``, a baseline: the condition the plan starts from,
    shown beside the targets in the reports) written in a unit the indicator's satuan
    ``unit`` is not is refused, and the fix; None for any other value. Without its unit the
    number would be read in ``unit``: ``100%`` of Orang as 100 Orang (37 Orang reached read
    as capaian 37 %, where the plan meant all of them), ``100 Orang`` of Persen as 100 %.

    >>> print(other_unit("100%", "Orang")[0])
    the target '100%' is written in percent, but the satuan of the indicator is 'Orang', which is not a percentage: its number would be read in Orang
    >>> print(other_unit("10 Lembaga", "Orang")[0])
    the target '10 Lembaga' is written in Lembaga, but the satuan of the indicator is 'Orang': its number would be read in Orang
    >>> other_unit("80", "Persen"), other_unit("≥ 95 %", "Persen"), other_unit("Rp 1.200.000", "Rupiah")
    (None, None, None)
    >>> other_unit("1,5 M", "Rupiah") is None  # M of Miliar or Meter: refused as a scale
    True
    >>> print(other_unit("45%", "Orang", baseline=True)[0])
    the baseline '45%' is written in percent, but the satuan of the indicator is 'Orang', which is not a percentage: its number would be read in Orang
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if _PERCENT_WRITTEN.search(text):
        if _PERCENT_SATUAN.search(unit):
            return None
        message = (
            _(
                "the baseline '{text}' is written in percent, but the satuan of the indicator"
                " is '{unit}', which is not a percentage: its number would be read in {unit}"
            )
            if baseline
            else _(
                "the target '{text}' is written in percent, but the satuan of the indicator is"
                " '{unit}', which is not a percentage: its number would be read in {unit}"
            )
        )
        fix = (
            _(
                "write the baseline in {unit} as the plan gives it; or, if the plan measures a"
                ' share, write unit = "Persen" and a formula that gives one (× 100%)'
            )
            if baseline
            else _(
                "write the target in {unit} as the plan gives it (where it means all of them,"
                ' their count); or, if the plan measures a share, write unit = "Persen" and a'
                " formula that gives one (× 100%)"
            )
        )
        return message.format(text=text, unit=unit), fix.format(unit=unit)
    found = _UNIT_AFTER.fullmatch(text) or _UNIT_BEFORE.fullmatch(text)
    # "1,5 M": M is Meter, and also Miliar in budgets; the loader says both (a scale).
    if found is None or found[1].strip() in ("M", "T") or not _contradicts(found[1].strip(), unit):
        return None
    message = (
        _(
            "the baseline '{text}' is written in {written}, but the satuan of the indicator is"
            " '{unit}': its number would be read in {unit}"
        )
        if baseline
        else _(
            "the target '{text}' is written in {written}, but the satuan of the indicator is"
            " '{unit}': its number would be read in {unit}"
        )
    )
    fix = (
        _(
            "write the baseline in {unit} as the plan gives it; or, if the plan counts in"
            ' {written}, write unit = "{written}" and a formula that counts them'
        )
        if baseline
        else _(
            "write the target in {unit} as the plan gives it; or, if the plan counts in"
            ' {written}, write unit = "{written}" and a formula that counts them'
        )
    )
    written = found[1].strip()
    return (
        message.format(text=text, written=written, unit=unit),
        fix.format(unit=unit, written=written),
    )


def _contradicts(written: str, unit: str) -> bool:
    """Whether the satuan ``written`` beside a number counts something else than ``unit``,
    or the same at another scale (``Rp`` of ``Juta Rupiah``), by the unit table shipped;
    a satuan it does not know, and ``Jumlah`` (any count), contradict nothing."""
    table = UnitTable.builtin()
    if not table.knows(written) or not table.knows(unit):
        return False
    meanings = {
        " ".join(name.split()).casefold(): meaning for name, meaning in table.entries.items()
    }
    said = meanings.get(written.casefold(), table.dimension(written))
    meant = meanings.get(" ".join(unit.split()).casefold(), table.dimension(unit))
    if meant in (ANY, None) or said is None:
        return False
    return said != meant or table.factor(written) != table.factor(unit)
