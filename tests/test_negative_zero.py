"""A value that is zero is written without a sign: ``round(-0.001, 2)`` is 0.00, never -0.00,
in the value evaluate and compile_function give, and in JSON, CSV and a spreadsheet's CSV.

It used to be ``Decimal('-0.00')``, written ``"value": -0.00`` by ``iku eval``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CASCADE, run

from iku_rules import evaluate
from iku_rules.engine import Engine
from iku_rules.evaluator import compile_function


@pytest.mark.parametrize(
    ("formula", "values", "expected"),
    [
        ("round(a, 2)", {"a": Decimal("-0.001")}, "0.00"),  # -0.001 rounds to 0.00
        ("round(a, 2)", {"a": Decimal("-0.004999")}, "0.00"),  # below half a hundredth
        ("round(a, 0)", {"a": Decimal("-0.4")}, "0"),  # below one half
        ("a × 0", {"a": -5}, "0"),  # -5 × 0 is 0
        ("-a", {"a": 0}, "0"),  # minus zero is zero
        ("round(a, 2)", {"a": Decimal("-0.005")}, "-0.01"),  # half away from zero: not zero
    ],
)
def test_evaluate_gives_zero_without_a_sign(
    formula: str, values: dict[str, object], expected: str
) -> None:
    value = evaluate(formula, values).value
    assert value is not None
    assert str(value) == expected
    assert value.is_signed() == expected.startswith("-")


@pytest.mark.parametrize("given", [Decimal("-0.001"), -0.001, Decimal("-0.0049")])
def test_compile_function_gives_zero_without_a_sign(given: object) -> None:
    # the generated code (every value a finite number) and evaluate agree: 0.00
    value = compile_function("round(a, 2)", ["a"])({"a": given})
    assert value is not None
    assert str(value) == "0.00" and not value.is_signed()


def test_a_trace_shows_zero_without_a_sign() -> None:
    result = evaluate("round(a, 2)", {"a": Decimal("-0.001")})
    assert result.explain().splitlines()[0] == "round(a, 2) = 0"
    assert result.trace.as_dict()["value"] == "0"


DEFINITIONS = f"""
[office]
id = "probe"
name = "Probe"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Nilai"]
{CASCADE}
  [[sasaran.indikator]]
  id = "selisih"
  name = "Selisih"
  unit = "Nilai"
  formula = "round([Perubahan], 2)"
  targets = {{ 2026 = 1 }}

  [[sasaran.indikator]]
  id = "kecil"
  name = "Perubahan per sepuluh ribu"
  unit = "Nilai"
  formula = "[Perubahan] / 10000"

[[source]]
id = "inputs"
kind = "inputs"
format = "csv"
path = "inputs.csv"
columns = {{ nama = "text", tahun = "integer", nilai = "decimal" }}

[[input]]
name = "Perubahan"
unit = "Nilai"
"""

INPUTS = 'nama,tahun,nilai\nPerubahan,2026,"-0,001"\n'
"""The input -0,001: its round to 2 places, -0.00, used to be written so; divided by 10000,
-0.0000001, which a spreadsheet's 6 places round to zero."""


def probe(tmp_path: Path) -> Path:
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    (folder / "inputs.csv").write_text(INPUTS, encoding="utf-8")
    return folder


def eval_output(folder: Path, output: str, language: str = "en") -> str:
    status, out = run(
        "--lang",
        language,
        "eval",
        str(folder),
        "--data",
        str(folder),
        "--period",
        "2026",
        "--format",
        output,
    )
    assert status == 0
    return out


def test_iku_eval_writes_zero_without_a_sign(tmp_path: Path) -> None:
    folder = probe(tmp_path)
    text = eval_output(folder, "json")
    assert '"value": -0.00,' not in text
    rows = {row["id"]: row for row in json.loads(text, parse_float=Decimal)}
    assert str(rows["selisih"]["value"]) == "0.00"  # round(-0,001; 2) = 0.00
    assert rows["kecil"]["value"] == Decimal("-0.0000001")  # -0.001 / 10000, not zero
    csv_text = eval_output(folder, "csv")
    values = [line.split(",")[5] for line in csv_text.splitlines()[1:]]
    assert values == ["0.00", "-0.0000001"]
    # a spreadsheet's CSV in the office's notation (decimal comma, ';' between cells): 0,00,
    # and -0.0000001 at 6 places 0,000000
    excel = eval_output(folder, "excel", "id")
    values = [line.split(";")[5] for line in excel.splitlines()[1:]]
    assert values == ["0,00", "0,000000"]


def test_the_engine_gives_zero_without_a_sign(tmp_path: Path) -> None:
    folder = probe(tmp_path)
    with Engine(folder, folder, backend="python") as engine:
        value = engine.evaluate("2026").get("selisih").value
    assert value is not None and str(value) == "0.00" and not value.is_signed()


@pytest.mark.parametrize(
    ("formula", "values", "expected"),
    [
        ("a / b", {"a": 1, "b": Decimal("0.1")}, "10"),  # 1 / 0.1 = 10, was 1E+1
        ("a × b", {"a": Decimal("1E+3"), "b": 2}, "2000"),  # 1000 × 2, was 2E+3
        ("a / b × 100%", {"a": 3, "b": Decimal("0.03")}, "10000"),  # 100 × 100 %
        ("a / b", {"a": 1, "b": 8}, "0.125"),  # a fraction stays as it is
    ],
)
def test_evaluate_gives_a_whole_number_without_an_exponent(
    formula: str, values: dict[str, object], expected: str
) -> None:
    # str() of a Decimal with a positive exponent is scientific notation (1E+1), which a
    # program that prints it shows a planner as Excel shows a NIK it has spoilt
    value = evaluate(formula, values).value
    assert value is not None and str(value) == expected
