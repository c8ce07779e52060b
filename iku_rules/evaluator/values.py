"""What compiled formulas work with: bindings (what a name is), values not available with their
reason, results, and the small runners every part of the compiler shares."""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import (
    Decimal,
)
from typing import Any, Literal

from attrs import define, frozen

from iku_rules import decimals, units
from iku_rules.ast import name_key
from iku_rules.errors import EvaluationError
from iku_rules.formula import Formula
from iku_rules.i18n import _
from iku_rules.limits import MAX_NUMBER_DIGITS
from iku_rules.reasons import MISSING_VALUES, NO_DATA, NO_VALUE, TOO_LARGE, Reason, carry
from iku_rules.source import Span
from iku_rules.trace import TraceStep, render_lines

CONTEXT = decimals.CONTEXT
"""Decimal context of every value shown: the package's one (:mod:`iku_rules.decimals`)."""

WORKING = decimals.WORKING
"""Decimal context formulas are computed in: :data:`CONTEXT` with guard digits, so that an
intermediate quotient (``a / 3``) is not rounded before it is multiplied back."""


def narrow(value: Decimal) -> Decimal:
    """``value`` rounded to the :data:`CONTEXT`'s digits: how a value computed in
    :data:`WORKING` is shown, compared, rounded by ``round()`` and given as the result."""
    return CONTEXT.plus(value)


MAX_ROUND_DECIMALS = 20


Kind = Literal["scalar", "list", "records", "empty", "bool", "text"]


@frozen
class Binding:
    """What a name is bound to, as the compiler needs to know it.

    ``kind`` is ``"scalar"`` (a number, possibly missing), ``"list"`` (numbers),
    ``"records"`` (mappings) or ``"empty"`` (an empty list, which serves as
    either); ``unit`` applies to scalars.
    """

    kind: Kind
    unit: units.Unit = units.NUMBER


Schema = Mapping[str, Binding]
"""Name key (see :func:`~iku_rules.ast.name_key`) to binding."""


@frozen
class NotAvailable:
    """A value given to the evaluator that is not available, with the reason why
    (``None`` means the same with a generic reason)."""

    reason: str


@frozen
class Result:
    """The outcome of one evaluation.

    ``value`` is the exact result (a ``Decimal``) or ``None`` when not
    available, with ``reason`` saying why. ``unit`` is ``"%"`` for a
    percentage and ``None`` for a plain number. ``trace`` holds every
    evaluated sub-expression; :meth:`explain` renders it.
    """

    value: Decimal | None
    unit: str | None
    reason: str | None
    trace: TraceStep
    formula: Formula

    @property
    def available(self) -> bool:
        return self.value is not None

    def rounded(self, places: int) -> Decimal | None:
        """The value rounded to ``places`` decimals half away from zero, as the offices'
        spreadsheets and iku-rules' reports round it (None when not available). Python's
        ``round()`` rounds half to even: ``round(Decimal("0.125"), 2)`` is ``0.12``, where
        this gives ``0.13``."""
        return None if self.value is None else decimals.round_half_away(self.value, places)

    def explain(self) -> str:
        """A readable multi-line trace: every sub-expression with its value."""
        return "\n".join(render_lines(self.trace))


@define
class Env:
    """Values for one run: name key to normalised value, and the previous period's."""

    values: Mapping[str, Any]
    previous: Env | None = None
    period: str | None = None
    """The period the values are for (``2025-TW4``), where known: traces name it."""


Out = tuple[Any, TraceStep]


Run = Callable[[Env], Out]


_FLOAT_REPR = float.__repr__


def to_decimal(value: Any, what: str) -> Decimal | None:
    """A number given by a caller as an exact decimal; ``None`` stays missing. A subclass of
    ``Decimal``, ``int`` or ``float`` is the number it holds (never its own ``repr`` or
    arithmetic), and so is any other whole number of :class:`numbers.Integral` (numpy's
    ``int64``); a ``bool`` (numpy's too) is refused, not read as 1."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise EvaluationError(
            _("the value of {what} is {value}, not a number").format(what=what, value=value)
        )
    if isinstance(value, Decimal):
        if value.__class__ is not Decimal:  # a subclass's own operators are not the number's
            value = Decimal(value)
        if not value.is_finite():
            raise EvaluationError(
                _("the value of {what} is {value}, not a finite number").format(
                    what=what, value=value
                )
            )
        return _within_digits(value, what)
    if isinstance(value, int):
        return _within_digits(Decimal(value), what)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise EvaluationError(
                _("the value of {what} is {value}, not a finite number").format(
                    what=what, value=value
                )
            )
        # float's own repr: a subclass may write itself otherwise (numpy's float64 as
        # "np.float64(0.1)"), which Decimal does not read (NaN where a context lets it)
        return Decimal(_FLOAT_REPR(value))
    if isinstance(value, numbers.Integral):  # numpy's int64: a whole number, exactly
        return _within_digits(Decimal(operator.index(value)), what)
    raise EvaluationError(
        _(
            "the value of {what} is {kind} {value}; give a number"
            " (int, Decimal or float) or None for a missing value"
        ).format(what=what, kind=type(value).__name__, value=repr(value))
    )


def _within_digits(value: Decimal, what: str) -> Decimal:
    """``value``, refused where it has more significant digits than a formula computes with
    (:data:`~iku_rules.limits.MAX_NUMBER_DIGITS`): the first operation would round it, and
    the result would differ from the number given, in silence."""
    digits = value.as_tuple().digits
    if len(digits) > MAX_NUMBER_DIGITS:
        significant = len("".join(map(str, digits)).strip("0"))
        if significant > MAX_NUMBER_DIGITS:
            raise EvaluationError(
                _(
                    "the value of {what} has {count} significant digits, more than the {limit}"
                    " a formula computes with, so it would be rounded; round it to {limit}"
                    " digits, or give it in a larger unit (thousands, millions)"
                ).format(what=what, count=significant, limit=MAX_NUMBER_DIGITS)
            )
    return value


class Moment(str):
    """A record's date with a time of day or a time zone (a ``datetime``), as ISO text
    (``2026-02-01T10:30:00``): it orders and matches as text, but ordered against or matched
    with a date it is refused, for its date can be read two ways (the day, or the moment)."""

    __slots__ = ()


_MIDNIGHT = time()


def date_text(value: date) -> str | None:
    """A record's date as filters compare it: ISO text ``YYYY-MM-DD``; a ``datetime`` at
    midnight without a time zone (pandas' ``Timestamp`` of a date) is that date, any other
    one a :class:`Moment`; a missing one (pandas' ``NaT``, unequal to itself) is None."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value != value:  # NaT: a missing date, never the text 'NaT'
        return None
    if value.tzinfo is None and value.time() == _MIDNIGHT:
        return value.date().isoformat()
    return Moment(value.isoformat())


def to_record(raw: Mapping[Any, Any], what: str) -> dict[str, Any]:
    """A record as filters read it: keys as name keys, numbers exact, dates as ISO text
    (:func:`date_text`)."""
    record: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, date):
            value = date_text(value)
        elif not isinstance(value, str) and value is not None:
            value = to_decimal(value, _("field '{field}' of {what}").format(field=key, what=what))
        field_key = name_key(str(key))
        if field_key in record:  # {"kode": "a", "Kode": "b"}: the last one would win
            first = next(str(other) for other in raw if name_key(str(other)) == field_key)
            raise EvaluationError(
                _(
                    "a record of {what} has the fields '{first}' and '{second}', which are one"
                    " name (a name ignores case and runs of spaces)"
                ).format(what=what, first=first, second=key)
            )
        record[field_key] = value
    return record


def one_name_twice(first: str, second: str) -> EvaluationError:
    """Two names given that a formula reads as one (``PMKS`` and ``pmks``)."""
    return EvaluationError(
        _(
            "'{first}' and '{second}' are one name (a name ignores case and runs of spaces);"
            " give its value once"
        ).format(first=first, second=second)
    )


def normalise(
    values: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Binding], dict[str, str]]:
    """Values as the evaluator holds them, their bindings, and the names as given."""
    normalised: dict[str, Any] = {}
    schema: dict[str, Binding] = {}
    spelled: dict[str, str] = {}
    for name, value in values.items():
        key = name_key(str(name))
        what = f"'{name}'"
        if key in spelled:  # {"PMKS": 1, "pmks": 2}: the formula's PMKS would read the last
            raise one_name_twice(spelled[key], str(name))
        spelled[key] = str(name)
        if isinstance(value, (list, tuple)):
            if not value:
                normalised[key] = []
                schema[key] = Binding("empty")
            elif all(isinstance(item, Mapping) for item in value):
                normalised[key] = records = [to_record(item, what) for item in value]
                _one_kind_per_field(records, what)
                schema[key] = Binding("records")
            elif any(isinstance(item, Mapping) for item in value):
                raise EvaluationError(
                    _("the list {what} mixes records with numbers").format(what=what)
                )
            else:
                normalised[key] = [to_decimal(item, what) for item in value]
                schema[key] = Binding("list")
        elif isinstance(value, Mapping):
            raise EvaluationError(
                _("the value of {what} is one record; give a list of records").format(what=what)
            )
        else:
            normalised[key] = to_decimal(value, what)
            schema[key] = Binding("scalar")
    return normalised, schema, spelled


def _one_kind_per_field(records: Sequence[Mapping[str, Any]], what: str) -> None:
    """Refuse a field that holds a number in one record and text in another (``5`` and
    ``"5"``, or ``""`` for a missing number): a filter would match the one and not the
    other (a number never equals a text), so a count would leave records out unsaid."""
    first: dict[str, Any] = {}
    for record in records:
        for field, value in record.items():
            if value is None:
                continue
            seen = first.setdefault(field, value)
            if isinstance(seen, str) != isinstance(value, str):
                number, text = (value, seen) if isinstance(seen, str) else (seen, value)
                raise EvaluationError(
                    _(
                        "field '{field}' of {what} holds a number in one record ({number}) and"
                        " text in another ({text}); give every value of a field as a number,"
                        " or every one as text, and None for a missing value"
                    ).format(field=field, what=what, number=number, text=repr(str(text)))
                )


@frozen
class Compiled:
    """One compiled node: its closure, what kind of value it gives, its unit."""

    run: Run
    kind: Kind
    unit: units.Unit = units.NUMBER
    literal: bool = False
    code: str | None = None
    """The same value as a Python expression over plain decimals (see :func:`compile_function`),
    or None when the node needs the traced closures (lists, conditions, functions of them)."""
    reads: tuple[str, ...] = ()
    """The whole formula only: the name keys ``code`` reads, as variables n0, n1, …"""
    constants: Mapping[str, Any] = {}
    """The whole formula only: the constants ``code`` names k0, k1, …"""


def _where(span: Span | None) -> str:
    if span is None:
        return ""
    return " " + _("(line {line}, column {column})").format(line=span.line, column=span.column)


def _na(text: str, reason: str, span: Span | None, children: tuple[TraceStep, ...] = ()) -> Out:
    return None, TraceStep(text, None, None, reason, span=span, children=children)


def _gather(
    runs: Sequence[Run], env: Env, text: str, span: Span | None
) -> tuple[list[Any], tuple[TraceStep, ...], Out | None]:
    """Run every operand; when one is not available, also the not-available result."""
    results = [run(env) for run in runs]
    steps = tuple(step for _, step in results)
    missing = _first_missing(steps)
    if missing is not None:
        return [], steps, _na(text, missing.reason or "", span, steps)
    return [value for value, _ in results], steps, None


def _first_missing(steps: Sequence[TraceStep]) -> TraceStep | None:
    for step in steps:
        if step.value is None and step.reason is not None:
            return step
    return None


def _read_scalar(key: str, text: str, span: Span | None, unit: units.Unit) -> Run:
    def run(env: Env) -> Out:
        value = env.values.get(key)
        if value is None:
            return _na(
                text,
                Reason(_("no value for '{name}'").format(name=text) + _where(span), NO_VALUE),
                span,
            )
        if isinstance(value, NotAvailable):
            return _na(text, carry(f"{text}: {value.reason}", value.reason), span)
        return value, TraceStep(text, value, unit, span=span)

    return run


def _chain(codes: Sequence[str | None], steps: Sequence[tuple[str, str | None]]) -> str | None:
    """``a op b op c`` left to right as context-method calls, each step times its unit factor."""
    if None in codes:
        return None
    code = str(codes[0])
    for operand, (method, factor) in zip(codes[1:], steps, strict=True):
        code = f"{method}({code}, {operand})"
        if factor is not None:
            code = f"multiply({code}, {factor})"
    return code


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
"""The comparison operators; the pure-Python filters and conditions both use this table."""


def _fold(
    func: str, items: Sequence[Decimal | None], text: str, span: Span | None, step: TraceStep
) -> Out:
    missing = sum(item is None for item in items)
    if missing:
        return _na(
            text,
            Reason(
                _("{missing} of {count} values are missing").format(
                    missing=missing, count=len(items)
                )
                + _where(span),
                MISSING_VALUES,
            ),
            span,
            (step,),
        )
    present = [item for item in items if item is not None]
    if func == "sum":
        try:
            total = sum(present, Decimal(0))
        except ArithmeticError:
            return _na(
                text,
                Reason(_("the result is too large to compute") + _where(span), TOO_LARGE),
                span,
                (step,),
            )
        return total, TraceStep(text, narrow(total), units.NUMBER, span=span, children=(step,))
    if not present:
        return _na(
            text,
            Reason(
                _("there are no values to take the {function} of").format(function=func)
                + _where(span),
                NO_DATA,
            ),
            span,
            (step,),
        )
    if func == "avg":
        try:
            value = sum(present, Decimal(0)) / len(present)
        except ArithmeticError:
            return _na(
                text,
                Reason(_("the result is too large to compute") + _where(span), TOO_LARGE),
                span,
                (step,),
            )
    else:
        value = min(present) if func == "min" else max(present)
    return value, TraceStep(text, narrow(value), units.NUMBER, span=span, children=(step,))
