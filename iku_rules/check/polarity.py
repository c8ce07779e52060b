"""An indicator that does not say its polarity, whose targets fall year after year.

``polarity`` may be left out, and is then ``positif``: higher is better. An IKU table
(Tabel 2.1) has no polarity column, so a planner who transcribes *Prevalensi balita
stunting* (baseline 38,2; targets 37, 30, 30) may well leave it out; read as positif, a
realisasi of 33,51 against the target 30 is 33,51 / 30 × 100 = 111,70 %, Sangat Tinggi,
where lower is better makes it (2 × 30 − 33,51) / 30 × 100 = 88,30 %: the worse the
realisasi, the better its capaian, without a word. Targets that fall from year to year
(never rising, the last below the first) are how an indicator where lower is better is
planned, so such an indicator is warned of until its polarity is written.

An office whose IKU gives one target year, or the same target each year, shows no fall to
see: *Angka Kematian Ibu* with the target 70 and a realisasi of 120 read 120 / 70 × 100 =
171,43 %, Sangat Tinggi, where lower is better makes it (2 × 70 − 120) / 70 × 100 = 28,57 %.
Its name says which way is better (kematian, prevalensi, kemiskinan, waktu tunggu …), so
an indicator so named is warned of too, unless the name counts what was done about it
(*penurunan* kemiskinan, balita stunting *yang* mendapat intervensi), which is positif.

A total or average of indicators whose polarities differ (``rata_rata(imunisasi,
stunting)``) rises when the part where lower is better gets worse: imunisasi 90 and
stunting 30 average 60, the target 60 is met (100 %), and stunting at 40 would make it 65,
108,33 %. Such a formula is warned of too (code ``mixed-polarity``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.check.common import _diagnostic, target_places
from iku_rules.i18n import _
from iku_rules.model import Definitions, Diagnostic, Indicator, Threshold
from iku_rules.trace import format_decimal


def check_unstated_polarity(definitions: Definitions) -> list[Diagnostic]:
    """A warning for each indicator without ``polarity`` whose targets fall (:func:`falling`)."""
    found = []
    for indicator in definitions.indicators:
        if indicator.polarity_location is not None:
            continue
        series = falling(indicator)
        if series is None:
            word = named_lower_is_better(indicator.name)
            if word is not None and _compared(indicator):
                found.append(_named(indicator, word, definitions))
            continue
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' does not say its polarity, so higher is taken as better"
                    " (positif), but its targets fall year after year ({series}), as those of"
                    " an indicator where lower is better do: read as positif, a realisasi"
                    " above its target reads as met (35 against 30 is 116.67 %, where lower is"
                    " better makes it 83.33 %)"
                ).format(id=indicator.id, series=series),
                indicator.location,
                definitions,
                severity="warning",
                suggestion=_(
                    'write polarity = "negatif" if lower is better, or polarity = "positif"'
                    " if higher is"
                ),
                code="polarity-unstated",
            )
        )
    return found


def falling(indicator: Indicator) -> str | None:
    """The baseline and yearly targets of ``indicator``, written out, when there are three
    or more, all single numbers, none above the one before and the last below the first;
    None otherwise (a range or threshold target says its own direction)."""
    years = sorted(indicator.targets)
    values = [indicator.targets[year] for year in years]
    if not all(isinstance(value, Decimal) for value in values):
        return None
    numbers = [value for value in values if isinstance(value, Decimal)]
    shown = [f"{year}: {format_decimal(value)}" for year, value in zip(years, numbers, strict=True)]
    if indicator.baseline is not None:
        numbers.insert(0, indicator.baseline)
        shown.insert(0, _("baseline {value}").format(value=format_decimal(indicator.baseline)))
    if len(numbers) < 3 or not numbers[-1] < numbers[0]:
        return None
    if any(later > before for before, later in pairwise(numbers)):
        return None
    return ", ".join(shown)


LOWER_IS_BETTER = (  # i18n: not for planners (words looked for in names)
    "kematian",
    "mortalitas",
    "prevalensi",
    "stunting",
    "gizi buruk",
    "wasting",
    "kemiskinan",
    "penduduk miskin",
    "pengangguran",
    "gini",
    "waktu tunggu",
    "lama waktu",
    "waktu tanggap",
    "indeks risiko",
    "putus sekolah",
    "buta aksara",
    "buta huruf",
    "kesakitan",
    "kriminalitas",
    "kecelakaan",
)
"""Words of an indicator's name that count something where lower is better."""

DONE_ABOUT_IT = (  # i18n: not for planners (words looked for in names)
    "yang",
    "penurunan",
    "menurun",
    "menurunnya",
    "turun",
    "turunnya",
    "pengurangan",
    "berkurang",
    "berkurangnya",
    "penanganan",
    "ditangani",
    "tertangani",
    "penanggulangan",
    "pencegahan",
    "tindak lanjut",
    "cakupan",
    "bebas",
    "intervensi",
    "tepat",
    "mendapat",
    "mendapatkan",
    "menerima",
    "dilayani",
    "terlayani",
    "dirawat",
    "penemuan",
    "ditemukan",
)
"""Words of a name that count what was done about such a thing (positif)."""


def named_lower_is_better(name: str) -> str | None:
    """The word of ``name`` that says lower is better (``kematian`` in *Angka Kematian
    Ibu*), or None, also when the name counts what was done about it (*Persentase
    penurunan angka kemiskinan*, *balita stunting yang mendapat intervensi*).

    >>> named_lower_is_better("Angka Kematian Ibu (AKI)"), named_lower_is_better("Persentase penurunan stunting")
    ('kematian', None)
    """
    words = " " + " ".join(re.findall(r"[^\W_]+", name.casefold())) + " "
    if any(f" {word} " in words for word in DONE_ABOUT_IT):
        return None
    return next((word for word in LOWER_IS_BETTER if f" {word} " in words), None)


def _compared(indicator: Indicator) -> bool:
    """Whether a target of the indicator is compared by its polarity alone: a number or a
    range (a threshold says its own direction, and one against the polarity is refused)."""
    return any(
        not isinstance(target, Threshold) for _period, target, _at in target_places(indicator)
    )


def _named(indicator: Indicator, word: str, definitions: Definitions) -> Diagnostic:
    return _diagnostic(
        _(
            "indicator '{id}' does not say its polarity, so higher is taken as better"
            " (positif), but its name says '{word}', which counts something where lower is"
            " better: read as positif, a realisasi above its target reads as met (120 against"
            " 70 is 171.43 %, where lower is better makes it 28.57 %)"
        ).format(id=indicator.id, word=word),
        indicator.location,
        definitions,
        severity="warning",
        suggestion=_(
            'write polarity = "negatif" if lower is better, or polarity = "positif" if higher is'
        ),
        code="polarity-unstated",
    )


def check_mixed_polarity(definitions: Definitions) -> list[Diagnostic]:
    """A warning for each indicator whose formula totals or averages (``jumlah``,
    ``rata_rata``, ``a + b``) indicators where higher is better with ones where lower is
    better: a worse part of the second kind raises the whole."""
    by_key = {name_key(indicator.id): indicator for indicator in definitions.indicators}
    found = []
    for indicator in definitions.indicators:
        if indicator.formula is None:
            continue
        for node in ast.walk(indicator.formula.body):
            parts = _added(node)
            named = [by_key[part.key] for part in parts if part.key in by_key]
            higher = [part.id for part in named if part.polarity == "positif"]
            lower = [part.id for part in named if part.polarity == "negatif"]
            if higher and lower:
                found.append(_mixed(indicator, higher, lower, definitions))
                break
    return found


def _added(node: ast.Node) -> list[ast.Name]:
    """The names ``node`` totals or averages as parts: the arguments of ``jumlah``,
    ``rata_rata`` or ``rata_rata_tersedia``, or the terms of a sum with no minus."""
    if isinstance(node, ast.Call) and node.func in ast.PART_FUNCTIONS:
        terms: tuple[ast.Node, ...] = node.args
    elif isinstance(node, ast.Sum) and all(op == "+" for op in node.ops):
        terms = node.operands
    else:
        return []
    return [term for term in terms if isinstance(term, ast.Name)]


def _mixed(
    indicator: Indicator, higher: list[str], lower: list[str], definitions: Definitions
) -> Diagnostic:
    return _diagnostic(
        _(
            "indicator '{id}' adds up or averages indicators where higher is better ({higher})"
            " with ones where lower is better ({lower}): the worse {worse} gets, the higher"
            " the result, so its capaian can rise when performance falls (imunisasi 90 and"
            " stunting 30 average 60; stunting at 40 makes it 65)"
        ).format(
            id=indicator.id,
            higher=", ".join(higher),
            lower=", ".join(lower),
            worse=_(" or ").join(lower),
        ),
        indicator.location,
        definitions,
        severity="warning",
        suggestion=_(
            "report the parts as indicators of their own, or turn each part where lower is"
            " better so that higher is better (100% - {example}) before adding it"
        ).format(example=lower[0]),
        code="mixed-polarity",
    )


def check_method_polarity(definitions: Definitions) -> list[Diagnostic]:
    """An error for each indicator where higher is better whose ``capaian_method`` names a
    formula for lower is better (``selisih``, ``rasio``): it would have no capaian at all,
    each period saying only that the method does not suit it."""
    found = []
    for indicator in definitions.indicators:
        parts = (indicator.capaian_method or "").split("+")
        formula = next((part for part in parts if part in ("selisih", "rasio")), None)
        if indicator.polarity != "positif" or formula is None:
            continue
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' has capaian_method '{method}', a formula for an"
                    " indicator where lower is better, but its polarity is positif: it would"
                    " have no capaian"
                ).format(id=indicator.id, method=formula),
                indicator.location,
                definitions,
                suggestion=_(
                    "write polarity = \"negatif\" if lower is better, or leave '{method}' out"
                    " of capaian_method (higher is better is realisasi / target × 100)"
                ).format(method=formula),
                code="unknown-choice",
            )
        )
    return found
