"""Why a value is not available: the reason in the language spoken, with a stable code.

A reason is text a planner reads, translated; a program reading JSON should not parse it.
So every reason is made as a :class:`Reason`: a ``str`` (it reads, prints, compares and
formats as its text) that also carries ``code``, a short English code that stays the same
in every language (:data:`CODES` lists them). Where a reason wraps another one ("indicator
x is not available (…)"), :func:`carry` keeps the inner code, so the code names the cause.

The JSON of ``iku eval``, ``iku explain`` and traces writes the code beside the text:
``"reason": "…", "reason_code": "division-by-zero"`` (:func:`code_of` gives it; a reason
made without a code is ``"not-available"``).

>>> reason = Reason("the denominator 'b' is 0", DIVISION_BY_ZERO)
>>> reason == "the denominator 'b' is 0", code_of(reason), code_of("no code"), code_of(None)
(True, 'division-by-zero', 'not-available', None)
>>> code_of(carry("x: " + reason, reason))
'division-by-zero'
"""

from __future__ import annotations

from typing import Any

NOT_AVAILABLE = "not-available"
NO_DATA = "no-data"
MISSING_VALUES = "missing-values"
NO_VALUE = "no-value"
NO_REGION_COLUMN = "no-region-column"
WHOLE_AREA_ONLY = "whole-area-only"
NOT_A_WHOLE_YEAR = "not-a-whole-year"
NO_INPUT = "no-input"
DUPLICATE_INPUT = "duplicate-input"
INPUTS_DISAGREE = "inputs-disagree"
DUPLICATE_ROWS = "duplicate-rows"
ROWS_DISAGREE = "rows-disagree"
NO_REALISASI = "no-realisasi"
NO_TARGET = "no-target"
DIVISION_BY_ZERO = "division-by-zero"
NEGATIVE_BASE = "negative-base"
TOO_LARGE = "too-large"
OUTSIDE_RATIO = "outside-ratio"
NO_PREVIOUS_PERIOD = "no-previous-period"
RULE_ERROR = "rule-error"
NOT_ADDITIVE = "not-additive"

CODES: dict[str, str] = {  # i18n: not for planners
    NOT_AVAILABLE: "not available, for a reason without a code of its own",
    NO_DATA: "a source has no rows for the period or region, or none passes the filter",
    MISSING_VALUES: "some of the rows or values needed are empty, or a table of values per"
    " period has no row for a period (a month) from a unit (a puskesmas) within the one asked",
    NO_VALUE: "a name of the formula was given no value",
    NO_REGION_COLUMN: "a source has no column for the region level asked for",
    WHOLE_AREA_ONLY: "the value (an input, a capaian) is given for the whole area only",
    NOT_A_WHOLE_YEAR: "a source with one value per year, asked for a triwulan",
    NO_INPUT: "the inputs have no value (or an empty one) for the name and year",
    DUPLICATE_INPUT: "the inputs have more than one value for the name and year",
    INPUTS_DISAGREE: "the inputs' row for the whole area differs from the sum of its regions'",
    DUPLICATE_ROWS: "a table has more than one row for one key: a realisasi's indicator,"
    " triwulan, regions and sub kegiatan, or a period and regions of values per period",
    ROWS_DISAGREE: "the realisasi's row for the whole area (or a region) differs from the sum"
    " of its regions' rows",
    NO_REALISASI: "no realisasi has been reported for the period",
    NO_TARGET: "there is no target for the period or triwulan",
    DIVISION_BY_ZERO: "a denominator (or the target, for capaian) is 0",
    NEGATIVE_BASE: "a change is divided by the previous period's value, which is negative:"
    " a rise would read as a fall",
    TOO_LARGE: "the result is too large to compute",
    OUTSIDE_RATIO: "the numerator is outside its denominator, which the definition forbids",
    NO_PREVIOUS_PERIOD: "no values for the previous period were given",
    RULE_ERROR: "the capaian rules cannot compare this target and realisasi",
    NOT_ADDITIVE: "values in a satuan that does not add up (a percentage, a score, a rate)"
    " would be added up over triwulan or regions",
}
"""Every reason code and what it means (English, for programs and their developers)."""


class Reason(str):
    """A reason (its text, in the language it was made in) and its stable ``code``."""

    code: str

    def __new__(cls, text: str, code: str = NOT_AVAILABLE) -> Reason:
        made = super().__new__(cls, text)
        made.code = code
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Reason, (str(self), self.code))


def code_of(reason: str | None) -> str | None:
    """The code of ``reason`` (``not-available`` for text made without one; None for None)."""
    if reason is None:
        return None
    return getattr(reason, "code", NOT_AVAILABLE)


def carry(text: str, inner: str | None) -> Reason:
    """``text`` (which wraps the reason ``inner``) with ``inner``'s code."""
    return Reason(text, code_of(inner) or NOT_AVAILABLE)


def wrapped(message: str, inner: str | None, **fields: object) -> Reason:
    """``message`` (a translated text with a ``{reason}`` hole) filled with ``inner`` and
    ``fields``, keeping ``inner``'s code."""
    return carry(message.format(reason=inner, **fields), inner)


def coded(text: str | None, code: str) -> Reason | None:
    """``text`` with ``code`` (None stays None)."""
    return None if text is None else Reason(text, code)
