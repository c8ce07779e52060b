"""iku-rules: performance indicators (IKU) of Indonesian government offices as
checked, explainable rules.

The facade: parse and evaluate formulas, load and check definitions, evaluate
the cascade over an office's data, compute capaian and predikat.

Each name is imported on first use (:pep:`562`), so ``import iku_rules.parser`` or
``iku check`` does not load the engine, DuckDB or the reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from iku_rules.rules import CapaianResult, RuleError, nilai_akip
    from iku_rules.rules.capaian import capaian
    from iku_rules.rules.predikat import predikat
    from iku_rules.sources.cells import DataError
    from iku_rules.trace import TraceStep

_EXPORTS = {
    "CapaianResult": "iku_rules.rules",
    "DataError": "iku_rules.sources.cells",
    "DefinitionError": "iku_rules.engine",
    "Definitions": "iku_rules.model",
    "Diagnostic": "iku_rules.model",
    "Engine": "iku_rules.engine",
    "Evaluation": "iku_rules.results",
    "EvaluationError": "iku_rules.errors",
    "Explanation": "iku_rules.explain",
    "Formula": "iku_rules.formula",
    "FormulaError": "iku_rules.errors",
    "FormulaSyntaxError": "iku_rules.errors",
    "FormulaTypeError": "iku_rules.errors",
    "IkuError": "iku_rules.errors",
    "IndicatorResult": "iku_rules.results",
    "LimitError": "iku_rules.errors",
    "Period": "iku_rules.periods",
    "PeriodError": "iku_rules.periods",
    "Result": "iku_rules.evaluator.values",
    "RuleError": "iku_rules.rules",
    "TraceStep": "iku_rules.trace",
    "UnitError": "iku_rules.errors",
    "UnknownNameError": "iku_rules.errors",
    "capaian": "iku_rules.rules",
    "evaluate": "iku_rules.evaluator",
    "load": "iku_rules.loader",
    "nilai_akip": "iku_rules.rules",
    "parse": "iku_rules.parser",
    "predikat": "iku_rules.rules",
}
"""Each public name and the module it comes from."""

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        message = f"module 'iku_rules' has no attribute {name!r}"  # i18n: not for planners
        raise AttributeError(message)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
