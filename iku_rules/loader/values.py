"""Values as planners write them in TOML: numbers and targets in the office's notation, and the
fields each kind of table may have."""

from __future__ import annotations

import datetime
import numbers
import operator
import re
from decimal import Decimal
from typing import TypeVar

from iku_rules import notation as notations
from iku_rules.i18n import N_, _
from iku_rules.levels import LEVELS
from iku_rules.limits import (
    MAX_NUMBER_DIGITS,
    too_many_digits,
)
from iku_rules.model import Target, Threshold
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.target import OtherUnit, other_unit, target_in_words

KeyPath = tuple[str | int, ...]


T = TypeVar("T")


SECTIONS = (
    *LEVELS,
    "office",
    "rules",
    "satuan",
    "source",
    "measure",
    "input",
    "parameter",
    "database",
    "level",
    "region",
)


ELEMENT_FIELDS = (
    "id",
    "name",
    "parent",
    "tingkat",
    "kode",
    "sasaran",
    "penanggung_jawab",
    "note",
    "assumption",
    "indikator",
)


INDICATOR_FIELDS = (
    "id", "name", "unit", "polarity", "iku", "baseline", "targets", "triwulan_targets",
    "capaian_method", "formula", "formula_text", "note", "assumption",
    "numerator_within_denominator", "may_exceed_100", "decimals", "region_targets",
    "area_target_for_regions",
)  # fmt: skip


RULES_FIELDS = ("negatif", "triwulan", "floor", "cap")


CAPAIAN_METHODS = ("selisih", "rasio", "kumulatif", "terakhir", "tahunan")


OFFICE_FIELDS = (
    "id", "name", "region", "document", "baseline_year", "plan_start", "plan_end", "units",
    "notation", "kind", "region_code", "language",
)  # fmt: skip


SOURCE_FIELDS = (
    "id", "name", "kind", "format", "path", "table", "date_column", "region_column",
    "breakdown_column", "time", "columns", "assumption", "notation", "regions", "period_column",
    "grain", "in_triwulan", "hidden_rows",
)  # fmt: skip


MEASURE_FIELDS = (
    "name", "description", "source", "aggregate", "column", "filter", "time", "empty", "unit",
    "assumption", "terakhir", "missing",
)  # fmt: skip


INPUT_FIELDS = ("name", "unit", "description", "source", "assumption", "additive")


PARAMETER_FIELDS = ("name", "value", "note", "unit", "assumption")


COLUMN_TYPES = ("text", "integer", "decimal", "date", "nik", "no_kk", "nip", "identifier")


MAX_DECIMALS = 10
"""Most decimals an indicator may ask its values to be shown with."""


DECLARE_NOTATION = N_('notation = "id" or "en" under [office]')
"""Where to declare the notation, marked for translation: show it with ``_()``."""


def parse_number(value: object, notation: Notation = UNSETTLED, *, toml: bool = False) -> Decimal:
    """A number as planners spell it: ``"55,33"``, ``"56.73"``, ``"93%"``, ``"23.500"`` or
    a TOML number (read exactly). Text is read by :mod:`iku_rules.notation` in the office's
    ``notation``; ``"23.500"`` is refused with both readings when none is declared.

    >>> parse_number("55,33"), parse_number("93%"), parse_number(57.33)
    (Decimal('55.33'), Decimal('93'), Decimal('57.33'))
    >>> parse_number("23.500", notations.ID), parse_number(Decimal("0.1"))
    (Decimal('23500'), Decimal('0.1'))

    With ``toml``, a TOML number (``Decimal`` as the file writes it) that Indonesian
    documents read otherwise (``23.500``: 23.5 to TOML, 23500 with '.' grouping
    thousands) is refused with both readings, unless the office declares ``notation =
    "en"``: a planner of an office that writes ``23.500`` for 23500 forgets the quotes.
    """
    if isinstance(value, bool):
        raise ValueError(_("{value} is not a number").format(value=value))
    if isinstance(value, numbers.Integral):  # an int, or numpy's int64: a whole number
        return Decimal(operator.index(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(_("{value} is not a finite number").format(value=value))
        other = _read_otherwise(value, notation) if toml else None
        if other is not None:
            raise ValueError(
                _(
                    "{text} without quotes is read two ways: TOML reads it as {toml}, and"
                    " Indonesian documents, where '.' groups thousands, as {id}; write {toml}"
                    ' or "{grouped}" (in quotes), whichever is meant'
                ).format(
                    text=value,
                    toml=format(value.normalize(), "f"),
                    id=format(other.normalize(), "f"),
                    grouped=notations.write(other, notations.ID),
                )
            )
        digits = len(value.normalize().as_tuple().digits)
        if value.adjusted() >= MAX_NUMBER_DIGITS or digits > MAX_NUMBER_DIGITS:
            raise ValueError(
                _(
                    "{value} is too large: it has more than {digits} digits;"
                    " no indicator needs that many"
                ).format(value=value, digits=MAX_NUMBER_DIGITS)
            )
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("{value} is not a finite number").format(value=value))
        # float's own repr: a subclass may write itself otherwise (numpy's float64 as
        # "np.float64(0.1)"), which Decimal does not read (NaN where a context lets it)
        return Decimal(float.__repr__(value))
    if isinstance(value, str):
        if too_many_digits(value):
            raise ValueError(
                _("'{start}…' has more than {digits} digits; no indicator needs that many").format(
                    start=value[:20], digits=MAX_NUMBER_DIGITS
                )
            )
        try:
            return notations.parse(value, notation).value
        except notations.AmbiguousNumber as error:
            raise ValueError(f"{error.message}; {error.fix(_(DECLARE_NOTATION))}") from None
        except notations.MisgroupedNumber as error:
            raise ValueError(f"{error.message}; {error.hint}") from None
        except notations.NumberError:
            scaled = _scaled(value, notation)
            if scaled is not None:  # "1,5 M", "Rp 250 juta": the whole number is meant
                raise ValueError(scaled) from None
            number = _worded(value, notation)
            if number is not None:  # "12,5 km", "Rp 1.500.000": the satuan is the unit's
                raise ValueError(
                    _(
                        "'{value}' is a number with words beside it; write the number alone"
                        ' ("{number}"): what it counts is the indicator\'s unit'
                    ).format(value=value, number=number)
                ) from None
            raise ValueError(
                _(
                    "'{value}' is not a number; write it like 55,33, 56.73, 93% or 23.500"
                    " (with '.' grouping thousands)"
                ).format(value=value)
            ) from None
    if isinstance(value, list):
        raise ValueError(_('a list is not a number; write a range in quotes, like "80–90"'))
    raise ValueError(_("{value} is not a number").format(value=_kind(value)))


_NUMBER_PART = re.compile(r"[+-]?[0-9][0-9.,]*")


def _worded(text: str, notation: Notation) -> str | None:
    """The number of a text that is one number with words beside it (``12,5 km``,
    ``Rp 1.500.000``), as written, when it reads as a number alone; else None.

    >>> _worded("12,5 km", UNSETTLED), _worded("Rp 1.500", notations.ID), _worded("n/a", UNSETTLED)
    ('12,5', '1.500', None)
    """
    found: list[str] = _NUMBER_PART.findall(text)
    words = _NUMBER_PART.sub(" ", text).replace(".", " ").replace("%", " ").split()
    if len(found) != 1 or not words or not all(word.isalpha() for word in words):
        return None
    try:
        notations.parse(found[0], notation)
    except notations.NumberError:
        return None
    return found[0]


SCALES: dict[str, tuple[int, str]] = {
    "ribu": (3, "Ribu"),
    "rb": (3, "Ribu"),
    "juta": (6, "Juta"),
    "jt": (6, "Juta"),
    "miliar": (9, "Miliar"),
    "milyar": (9, "Miliar"),
    "triliun": (12, "Triliun"),
}
"""Words of scale written after a number (``250 juta``, ``1,5 miliar``), in lower case, with
the power of ten each multiplies by and the word a satuan at that scale starts with
(``Juta Rupiah``)."""


LETTER_SCALES: dict[str, tuple[int, str]] = {"M": (9, "Miliar"), "T": (12, "Triliun")}
"""Capital letters that budgets write for a scale (``1,5 M`` for 1,5 miliar), which are
satuan too (``M`` is Meter, ``T`` Ton): each with its power of ten and the word it stands
for."""


def _scaled(text: str, notation: Notation) -> str | None:
    """Why a text that is a number with a word of scale beside it (``1,5 M``, ``Rp 250 juta``)
    is refused, with the number to write in a unit without a scale and in one with it; None
    for any other text.

    The number alone (``1,5``) would be a target of 1,5 Rupiah where 1.500.000.000 is meant:
    a thousand million times too small.

    >>> print(_scaled("Rp 250 juta", notations.ID))
    'Rp 250 juta' is a number with a word of scale beside it (juta, 10^6): write "250.000.000" if the indicator's unit has no scale (Rupiah), or "250" if its unit is Juta Rupiah
    >>> _scaled("12,5 km", UNSETTLED) is None
    True
    """
    found: list[str] = _NUMBER_PART.findall(text)
    words = _NUMBER_PART.sub(" ", text).replace(".", " ").split()
    scales = [word for word in words if word.casefold() in SCALES or word in LETTER_SCALES]
    if len(found) != 1 or len(scales) != 1:
        return None
    if any(
        not word.isalpha() or (word not in scales and word.casefold() != "rp") for word in words
    ):
        return None
    try:
        number = notations.parse(found[0], notation, percent=False).value
    except notations.NumberError:
        return None
    word = scales[0]
    power, name = LETTER_SCALES.get(word) or SCALES[word.casefold()]
    whole = _spelled(number.scaleb(power), notation)
    if word in LETTER_SCALES:
        return _(
            "'{value}' is a number with a letter beside it that budgets write for {name}"
            ' (10^{power}) and that is also a satuan: write "{whole}" if {letter} means'
            ' {name} and the indicator\'s unit has no scale (Rupiah), or "{number}" if its'
            " unit is {letter} or {name} Rupiah"
        ).format(
            value=text.strip(), name=name, power=power, whole=whole, letter=word, number=found[0]
        )
    return _(
        "'{value}' is a number with a word of scale beside it ({word}, 10^{power}): write"
        ' "{whole}" if the indicator\'s unit has no scale (Rupiah), or "{number}" if its unit'
        " is {name} Rupiah"
    ).format(value=text.strip(), word=word, power=power, whole=whole, number=found[0], name=name)


def _spelled(value: Decimal, notation: Notation) -> str:
    """``value`` grouped in thousands as the office writes it (``id`` when not declared),
    or without grouping where that grouping would read two ways (``1.500``, undeclared)."""
    shown = notations.Notation(notation.name, True)
    grouped = notations.write(value.normalize() if value == value.to_integral() else value, shown)
    try:
        if notations.parse(grouped, notation, percent=False).value == value:
            return grouped
    except notations.NumberError:
        pass
    return notations.unambiguous(value, shown)


def _read_otherwise(value: Decimal, notation: Notation) -> Decimal | None:
    """What Indonesian documents read the digits of the TOML number ``value`` as, when that
    differs from TOML's reading (``23.500``, ``1000.000``) and the office does not declare
    ``notation = "en"``; None otherwise.

    >>> _read_otherwise(Decimal("23.500"), UNSETTLED), _read_otherwise(Decimal("1000.000"), UNSETTLED)
    (Decimal('23500'), Decimal('1000000'))
    >>> _read_otherwise(Decimal("23.50"), UNSETTLED), _read_otherwise(Decimal("23.500"), notations.EN)
    (None, None)
    """
    if notation.declared and notation.name == "en":
        return None
    text = str(value)
    if "E" in text or "." not in text:
        return None
    try:
        other = notations.parse(text, notations.ID).value
    except notations.MisgroupedNumber as error:
        other = error.readings["id"]
    except notations.NumberError:
        return None
    return None if other == value else other


_RANGE_SPELLING = re.compile(
    r"^\s*([0-9][0-9.,]*)\s*(%?)\s*(?:–|—|-|s\.d\.|sd)\s*([0-9][0-9.,]*)\s*(%?)\s*$"
)


_THRESHOLD_SPELLING = re.compile(r"^\s*(<=|>=|=<|=>|<|>|≤|≥)\s*(.*?)\s*$")


_THRESHOLD_OPS = {
    "<": "<",
    "<=": "<=",
    "=<": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "=>": ">=",
    "≥": ">=",
}


def parse_target(
    value: object, notation: Notation = UNSETTLED, *, toml: bool = False, unit: str | None = None
) -> Target:
    """A target: a number (see :func:`parse_number`), a range written ``80–90`` or
    ``80 - 90``, or a threshold: ``< 70``, ``≤ 14`` (or ``<= 14``), ``≥ 95 %``, ``> 5``.
    Given the indicator's satuan ``unit``, a target written in another unit (``100%`` of
    Orang, ``100 Orang`` of Persen) is refused (:class:`OtherUnit`, with its fix).

    >>> parse_target("80–90"), parse_target("55,73")
    ((Decimal('80'), Decimal('90')), Decimal('55.73'))
    >>> parse_target("≥ 95 %"), parse_target("<= 14")
    (Threshold(op='>=', value=Decimal('95')), Threshold(op='<=', value=Decimal('14')))
    """
    other = None if unit is None else other_unit(value, unit)
    if other is not None:
        raise OtherUnit(*other)
    if isinstance(value, str):
        match = _RANGE_SPELLING.match(value)
        if match:
            low, high = parse_number(match[1], notation), parse_number(match[3], notation)
            if low > high:
                raise ValueError(
                    _("the range '{range}' goes down; write the lower bound first").format(
                        range=value
                    )
                )
            return low, high
        threshold = _THRESHOLD_SPELLING.match(value)
        if threshold:
            op = _THRESHOLD_OPS[threshold[1]]
            return Threshold(op, parse_number(threshold[2], notation))  # type: ignore[arg-type]
        worded = target_in_words(value)
        if worded is not None:  # "maks 5" is "≤ 5", never the number alone
            raise ValueError(worded)
    return parse_number(value, notation, toml=toml)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float, Decimal)):
        return _("the number {value}").format(value=value)
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    if isinstance(value, (datetime.date, datetime.time)):
        return _("the date or time {value}").format(value=value.isoformat())
    if isinstance(value, str):
        return repr(value)
    return type(value).__name__


YEAR_KEY = re.compile(r"[0-9]{4}")
TRIWULAN_KEY = re.compile(r"([0-9]{4})-TW([1-4])", re.IGNORECASE)
_TARGET_KEYS = N_(
    'a key of targets is a year of four digits (2026 = "90"); the target of a triwulan goes'
    ' in triwulan_targets ("2026-TW1" = "25")'
)


def year_key_problem(key: str, value: object) -> tuple[str, str]:
    """Why ``key`` of a table of targets by year (holding ``value``) is no year, and the fix.

    >>> year_key_problem("2026-TW1", "25")[1]
    'give it in triwulan_targets: triwulan_targets = { "2026-TW1" = ... }'
    """
    if isinstance(value, dict) and value:  # 2026.0 = "90": TOML's key 2026 holding { 0 = … }
        inner = str(next(iter(value)))
        written = f"{key}.{inner}"
        if YEAR_KEY.fullmatch(key) and any(is_revision(str(name)) for name in value):
            return (
                _("'{year}' holds {names}: a year has one target").format(
                    year=key, names=", ".join(f"'{name}'" for name in value)
                ),
                revision_fix(key),
            )
        message = _(
            "'{written}' is read by TOML as a table, not a year: a '.' in a key without quotes"
            " separates two keys"
        ).format(written=written)
        triwulan = TRIWULAN_KEY.fullmatch(f"{key}-{inner}")
        if triwulan:
            return message, _triwulan_fix(triwulan)
        if YEAR_KEY.fullmatch(key) and inner.strip("0") == "":
            return message, _("write the year alone: {year} = ...").format(year=key)
        return message, _(_TARGET_KEYS)
    stripped = key.strip()
    if stripped != key and YEAR_KEY.fullmatch(stripped):
        return (
            _("the year '{key}' has spaces in its quotes").format(key=key),
            _("write {year} = ...").format(year=stripped),
        )
    triwulan = TRIWULAN_KEY.fullmatch(stripped)
    if triwulan:
        return (
            _("'{key}' is a triwulan, but targets holds the targets of years").format(key=key),
            _triwulan_fix(triwulan),
        )
    revised = _REVISED_YEAR.fullmatch(stripped)
    if revised and is_revision(revised[2]):
        return (
            _("'{key}' is not a year: a year has one target").format(key=key),
            revision_fix(revised[1]),
        )
    decimal = re.fullmatch(r"([0-9]{4})[.,]0+", stripped)
    if decimal:
        return (
            _("'{key}' is not a year: a year is four digits, without decimals").format(key=key),
            _("write {year} = ...").format(year=decimal[1]),
        )
    message = _("a target's year must be four digits, like 2026, not '{year}'").format(year=key)
    return message, _(_TARGET_KEYS)


_REVISED_YEAR = re.compile(r"([0-9]{4})[\s._-]*(.+)")
"""A year with a word after it (``2026-perubahan``, ``2026 P``)."""


_REVISIONS = ("perubahan", "murni", "p", "apbdp", "apbd-p", "pk-p", "revisi", "awal", "induk")
"""The words that name the targets before and after the APBD Perubahan, in lower case."""


def is_revision(word: str) -> bool:
    """Whether ``word`` (a key, or a word after a year) names the target before or after the
    APBD Perubahan: ``perubahan``, ``murni``, ``P``, ``targets_perubahan``.

    >>> is_revision("targets_perubahan"), is_revision("P"), is_revision("targets")
    (True, True, False)
    """
    folded = word.strip().casefold().strip("()")
    parts = re.split(r"[\s_.]+", folded)
    return folded in _REVISIONS or any(part in _REVISIONS and part != "p" for part in parts if part)


def revision_fix(year: str = "2026") -> str:
    """What a planner does with the targets murni and perubahan of one year: the year has one
    target, the one its capaian is measured against (the Perjanjian Kinerja's in force at the
    year's end, after the APBD Perubahan its perubahan), and the other is kept in ``note``."""
    return _(
        "write the target the year's capaian is measured against, that of the Perjanjian"
        " Kinerja in force at the year's end (after the APBD Perubahan, its perubahan target),"
        " as {year} = ... in targets, and say in note that it is the perubahan target and what"
        " the murni target was"
    ).format(year=year)


def _triwulan_fix(match: re.Match[str]) -> str:
    return _('give it in triwulan_targets: triwulan_targets = {{ "{key}" = ... }}').format(
        key=f"{match[1]}-TW{match[2]}"
    )
