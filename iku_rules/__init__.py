"""iku-rules: performance indicators (IKU) of Indonesian government offices as
checked, explainable rules.

The facade: parse and evaluate formulas, load and check definitions, evaluate
the cascade over an office's data, compute capaian and predikat.
"""

from iku_rules.engine import DefinitionError, Engine
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
from iku_rules.evaluator import evaluate
from iku_rules.evaluator.values import Result
from iku_rules.explain import Explanation
from iku_rules.formula import Formula
from iku_rules.loader import load
from iku_rules.model import Definitions, Diagnostic
from iku_rules.parser import parse
from iku_rules.periods import Period, PeriodError
from iku_rules.results import Evaluation, IndicatorResult
from iku_rules.rules import CapaianResult, RuleError, capaian, nilai_akip, predikat
from iku_rules.sources.cells import DataError
from iku_rules.trace import TraceStep

__all__ = [
    "CapaianResult",
    "DataError",
    "DefinitionError",
    "Definitions",
    "Diagnostic",
    "Engine",
    "Evaluation",
    "EvaluationError",
    "Explanation",
    "Formula",
    "FormulaError",
    "FormulaSyntaxError",
    "FormulaTypeError",
    "IkuError",
    "IndicatorResult",
    "LimitError",
    "Period",
    "PeriodError",
    "Result",
    "RuleError",
    "TraceStep",
    "UnitError",
    "UnknownNameError",
    "capaian",
    "evaluate",
    "load",
    "nilai_akip",
    "parse",
    "predikat",
]
