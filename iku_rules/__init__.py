"""iku-rules: performance indicators (IKU) of Indonesian government offices as
checked, explainable rules.
"""

from iku_rules.ast import Formula
from iku_rules.errors import (
    EvaluationError,
    FormulaError,
    FormulaSyntaxError,
    FormulaTypeError,
    IkuError,
    LimitError,
    UnitError,
    UnknownNameError,
)
from iku_rules.evaluator import Result, evaluate
from iku_rules.parser import parse
from iku_rules.trace import TraceStep

__all__ = [
    "EvaluationError",
    "Formula",
    "FormulaError",
    "FormulaSyntaxError",
    "FormulaTypeError",
    "IkuError",
    "LimitError",
    "Result",
    "TraceStep",
    "UnitError",
    "UnknownNameError",
    "evaluate",
    "parse",
]
