"""The errors iku-rules raises: one family under :class:`IkuError`.

Every error about a formula keeps the formula's text and the span of the
offending piece, and renders itself as a plain-words message over the source
line with a caret under the place::

    line 1, column 8: expected a value (a number, a name or '(') but found '×'
      Σ a / × 100%
            ^
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from iku_rules.i18n import _
from iku_rules.source import Span, caret


class IkuError(ValueError):
    """Base class of every error iku-rules raises on bad input."""


class FormulaError(IkuError):
    """A problem with one formula, at a place in its text."""

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        span: Span | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.span = span
        self.hint = hint

    @property
    def line(self) -> int | None:
        """1-based line of the offending piece, when known."""
        return self.span.line if self.span else None

    @property
    def column(self) -> int | None:
        """1-based column of the offending piece, when known."""
        return self.span.column if self.span else None

    def __str__(self) -> str:
        parts = []
        if self.span is not None:
            parts.append(
                _("line {line}, column {column}: {message}").format(
                    line=self.span.line, column=self.span.column, message=self.message
                )
            )
            if self.text is not None:
                parts.append(caret(self.text, self.span))
        else:
            parts.append(self.message)
        if self.hint:
            parts.append(_("hint: {hint}").format(hint=self.hint))
        return "\n".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.__dict__))


def _rebuild(cls: type[FormulaError], message: str, state: dict[str, Any]) -> FormulaError:
    error = cls.__new__(cls)
    IkuError.__init__(error, message)
    error.__dict__.update(state)
    return error


class FormulaSyntaxError(FormulaError):
    """The formula's text does not follow the language.

    ``expected`` lists, in plain words, what could have stood at the place.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        span: Span | None = None,
        hint: str | None = None,
        expected: Sequence[str] = (),
    ) -> None:
        super().__init__(message, text=text, span=span, hint=hint)
        self.expected = tuple(expected)


class FormulaTypeError(FormulaError):
    """The formula parses but combines things that do not go together
    (a condition where a number is needed, text outside a filter,
    a function given the wrong number of arguments)."""


class UnitError(FormulaError):
    """The formula adds or compares a percentage with a plain number."""


class LimitError(FormulaError):
    """The formula is too long or nested too deeply to be evaluated safely."""


class UnknownNameError(FormulaError):
    """A name in the formula that no value, measure or indicator provides.

    ``suggestions`` holds the closest known names, best first.
    """

    def __init__(
        self,
        name: str,
        *,
        suggestions: Sequence[str] = (),
        text: str | None = None,
        span: Span | None = None,
        hint: str | None = None,
    ) -> None:
        message = _("unknown name '{name}'").format(name=name)
        if suggestions:
            message += "; " + _("did you mean {names}?").format(
                names=_(" or ").join(f"'{s}'" for s in suggestions)
            )
        super().__init__(message, text=text, span=span, hint=hint)
        self.name = name
        self.suggestions = tuple(suggestions)


class EvaluationError(FormulaError):
    """A value given to the evaluator cannot be used (e.g. text where a number is needed)."""
