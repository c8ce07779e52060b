"""The evaluator: exact values, units, not-available results with reasons, and traces."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar
from unittest import mock

import pytest

from iku_rules import (
    EvaluationError,
    FormulaTypeError,
    UnitError,
    UnknownNameError,
    evaluate,
    parse,
)
from iku_rules.evaluator import Binding, Compiler


def value_of(text: str, **values: object) -> Decimal | None:
    return evaluate(text, values).value


class TestExactArithmetic:
    def test_decimal_sums_are_exact(self) -> None:
        assert value_of("0.1 + 0.2") == Decimal("0.3")
        assert str(value_of("0.1 + 0.2")) == "0.3"

    def test_floats_given_as_values_are_read_as_written(self) -> None:
        assert value_of("a + b", a=0.1, b=0.2) == Decimal("0.3")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("round(2.5)", "3"),
            ("round(-2.5)", "-3"),
            ("round(0.125, 2)", "0.13"),
            ("round(-0.125, 2)", "-0.13"),
            ("round(1.0050, 2)", "1.01"),  # 1.005 could be 1005 where '.' groups thousands
            ("round(94.4440, 2)", "94.44"),
            ("round(2 / 3 × 100%, 2)", "66.67"),
        ],
    )
    def test_round_is_half_away_from_zero(self, text: str, expected: str) -> None:
        assert value_of(text) == Decimal(expected)

    def test_round_needs_literal_whole_decimals(self) -> None:
        with pytest.raises(FormulaTypeError, match="whole number from 0 to 20"):
            evaluate("round(a, 1.5)", {"a": 1})

    def test_precedence_and_unary_minus(self) -> None:
        assert value_of("2 + 3 × 4 - -1") == 15
        assert value_of("2 - 3 - 4") == -5
        assert value_of("2 - (3 - 4)") == 3
        assert value_of("12 / 3 / 2") == 2
        assert value_of("12 : 4 dikali 2 ditambah 1 dikurangi 3") == 4


class TestPercent:
    def test_ratio_times_hundred_percent_is_a_percentage(self) -> None:
        result = evaluate("Σ a / Σ b × 100%", {"a": 40, "b": 160})
        assert (result.value, result.unit) == (Decimal(25), "%")

    def test_count_times_percent_is_a_count(self) -> None:
        result = evaluate("200 × 10%", {})
        assert (result.value, result.unit) == (Decimal(20), None)

    def test_percent_of_percent(self) -> None:
        result = evaluate("50% × 10%", {})
        assert (result.value, result.unit) == (Decimal(5), "%")

    def test_percent_divided_by_percent_is_a_ratio(self) -> None:
        result = evaluate("(a / b × 100%) / 50%", {"a": 1, "b": 4})
        assert (result.value, result.unit) == (Decimal("0.5"), None)

    def test_number_divided_by_percent(self) -> None:
        assert evaluate("20 / 10%", {}).value == 200

    def test_literal_takes_the_unit_of_the_other_side(self) -> None:
        result = evaluate("if(a / b × 100% > 50, 1, 0)", {"a": 3, "b": 4})
        assert result.value == 1
        assert evaluate("a / b × 100% + 5", {"a": 1, "b": 4}).unit == "%"

    def test_percentage_plus_a_computed_number_is_a_unit_error(self) -> None:
        with pytest.raises(UnitError, match="cannot add a percentage and a plain number") as caught:
            evaluate("a / b × 100% + c", {"a": 1, "b": 4, "c": 2})
        assert caught.value.hint is not None and "100%" in caught.value.hint

    def test_comparing_a_percentage_with_a_computed_number_is_a_unit_error(self) -> None:
        with pytest.raises(UnitError, match="compare"):
            evaluate("if(a / b × 100% > c, 1, 0)", {"a": 1, "b": 4, "c": 2})

    def test_names_bound_to_percentages_keep_their_unit(self) -> None:
        formula = parse("min(capaian, 120%)")
        compiled = Compiler(formula, {"capaian": Binding("scalar", "percent")}).compile()
        assert compiled.unit == "percent"


class TestNotAvailable:
    def test_zero_denominator_says_where(self) -> None:
        result = evaluate("Σ a / Σ b", {"a": [1, 2], "b": [0, 0]})
        assert result.value is None
        assert result.reason == "the denominator 'Σ b' is 0 (line 1, column 7)"

    def test_zero_denominator_deeper_in_the_formula(self) -> None:
        result = evaluate("1 + a / (b - 2)", {"a": 1, "b": 2})
        assert result.reason == "the denominator 'b - 2' is 0 (line 1, column 10)"

    def test_missing_value_is_not_zero(self) -> None:
        result = evaluate("a + b", {"a": 1, "b": None})
        assert result.value is None
        assert result.reason == "no value for 'b' (line 1, column 5)"

    def test_missing_item_in_a_list_makes_its_sum_not_available(self) -> None:
        result = evaluate("Σ a", {"a": [1, None, 3]})
        assert result.reason == "1 of 3 values are missing (line 1, column 1)"

    def test_count_counts_present_values(self) -> None:
        assert value_of("count a", a=[1, None, 3]) == 2

    def test_empty_list_sums_to_zero_but_has_no_average(self) -> None:
        assert value_of("Σ a", a=[]) == 0
        assert (
            evaluate("avg(a)", {"a": []}).reason
            == "there are no values to take the avg of (line 1, column 1)"
        )

    def test_coalesce_picks_the_first_available(self) -> None:
        result = evaluate("coalesce(a / b, c, 0)", {"a": 1, "b": 0, "c": None})
        assert result.value == 0
        assert "denominator" in result.explain()

    def test_if_with_unavailable_condition(self) -> None:
        result = evaluate("if(a > 0, 1, 2)", {"a": None})
        assert (
            result.reason == "the condition is not available: no value for 'a' (line 1, column 4)"
        )

    def test_and_or_decide_without_the_unknown_side(self) -> None:
        assert value_of("if(a > 0 or b > 0, 1, 2)", a=1, b=None) == 1
        assert value_of("if(a > 5 and b > 0, 1, 2)", a=1, b=None) == 2
        assert value_of("if(a > 0 and b > 0, 1, 2)", a=1, b=None) is None

    def test_overflow_is_not_available_not_a_crash(self) -> None:
        result = evaluate("a × a", {"a": Decimal("9E+999990")})
        assert result.value is None
        assert result.reason is not None and "too large" in result.reason


class TestOnlyTheChosenBranchIsEvaluated:
    def test_else_branch_is_never_run(self) -> None:
        formula = parse("if(a = 0, 0, b / a)")
        compiled = Compiler(formula, {"a": Binding("scalar"), "b": Binding("scalar")}).compile()
        from iku_rules.evaluator import Env, run

        sentinel = mock.MagicMock(side_effect=AssertionError("else branch evaluated"))
        values = {"a": Decimal(0)}
        env = Env(
            mock.MagicMock(
                get=lambda key, default=None: sentinel() if key == "b" else values.get(key)
            )
        )
        result = run(compiled, formula, env)
        assert result.value == 0
        sentinel.assert_not_called()

    def test_jika_is_if(self) -> None:
        assert value_of("jika(a = 0, 0, 10 / a)", a=0) == 0


class TestRecords:
    PEGAWAI: ClassVar[list[dict[str, object]]] = [
        {"NIP": "1", "Nilai SKP": "baik", "gaji": 10, "umur": 30},
        {"NIP": "2", "Nilai SKP": "kurang", "gaji": 20, "umur": 50},
        {"NIP": "3", "Nilai SKP": None, "gaji": 30, "umur": 41},
    ]

    def test_records_are_counted(self) -> None:
        assert value_of("Σ pegawai", pegawai=self.PEGAWAI) == 3

    def test_filter_counts_passing_records_and_fields_ignore_case(self) -> None:
        assert value_of('Σ pegawai[nilai skp = "baik"]', pegawai=self.PEGAWAI) == 1
        assert value_of('Σ pegawai[NILAI   SKP = "baik"]', pegawai=self.PEGAWAI) == 1
        with pytest.raises(UnknownNameError, match="did you mean 'nilai skp'"):
            evaluate('Σ pegawai[nilai_skp = "baik"]', {"pegawai": self.PEGAWAI})

    def test_missing_field_value_does_not_pass_either_way(self) -> None:
        assert value_of('Σ pegawai[[nilai skp] != "baik"]', pegawai=self.PEGAWAI) == 1

    def test_field_sum_average_min_max(self) -> None:
        values = {"pegawai": self.PEGAWAI}
        assert evaluate("Σ pegawai.gaji", values).value == 60
        assert evaluate("avg pegawai.gaji", values).value == 20
        assert evaluate("rata_rata(pegawai.gaji)", values).value == 20
        assert evaluate("min(pegawai.gaji)", values).value == 10
        assert evaluate("max(pegawai[umur > 40].gaji)", values).value == 30

    def test_in_and_not_and_or(self) -> None:
        values = {"pegawai": self.PEGAWAI}
        assert evaluate('Σ pegawai[[nilai skp] in ("baik", "kurang")]', values).value == 2
        assert evaluate("Σ pegawai[not (umur >= 41) or gaji = 30]", values).value == 2
        assert evaluate("Σ pegawai[umur not in (30, 50)]", values).value == 1

    def test_number_compared_with_text_does_not_pass(self) -> None:
        assert value_of('Σ pegawai[umur = "30"]', pegawai=self.PEGAWAI) == 0

    def test_unknown_field_is_an_error_with_suggestions(self) -> None:
        with pytest.raises(UnknownNameError) as caught:
            evaluate('Σ pegawai[nilai_skpp = "baik"]', {"pegawai": [{"nilai_skp": "baik"}]})
        assert caught.value.suggestions == ("nilai_skp",)

    def test_text_field_cannot_be_totalled(self) -> None:
        with pytest.raises(EvaluationError, match="holds text"):
            evaluate("Σ pegawai.nip", {"pegawai": self.PEGAWAI})

    def test_trace_shows_how_many_records_passed(self) -> None:
        text = evaluate(
            "Σ pegawai[umur > 40] / Σ pegawai × 100%", {"pegawai": self.PEGAWAI}
        ).explain()
        assert "2 of 3 records pass" in text


class TestNames:
    def test_lookup_ignores_case_and_spaces(self) -> None:
        assert value_of("Σ pmks   YANG tertangani", **{"PMKS yang  Tertangani": 4}) == 4

    def test_unknown_name_has_suggestions(self) -> None:
        with pytest.raises(UnknownNameError) as caught:
            evaluate("Σ PMKS tertangan / Σ PMKS", {"PMKS tertangani": 1, "PMKS": 2})
        assert caught.value.name == "PMKS tertangan"
        assert caught.value.suggestions[0] == "PMKS tertangani"
        assert (caught.value.line, caught.value.column) == (1, 3)

    def test_name_split_by_an_operator_word_says_to_use_brackets(self) -> None:
        with pytest.raises(UnknownNameError) as caught:
            evaluate("Σ Orang dikali Dua", {"Orang dikali Dua": 5})
        assert caught.value.hint is not None and "[Orang dikali Dua]" in caught.value.hint

    def test_hyphen_without_spaces_is_part_of_a_name(self) -> None:
        with pytest.raises(UnknownNameError) as caught:
            evaluate("realisasi-target", {"realisasi": 5, "target": 3})
        assert (
            caught.value.hint == "to subtract, put spaces around the minus sign: realisasi - target"
        )

    def test_sebelumnya_reads_the_previous_period(self) -> None:
        result = evaluate("a - sebelumnya(a)", {"a": 10}, previous={"a": 7})
        assert result.value == 3
        assert evaluate("a - sebelumnya(a)", {"a": 10}).reason == (
            "no values for the previous period were given (line 1, column 5)"
        )


class TestTypeErrors:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("a > 1", "the formula gives a condition (true or false), not a number"),
            ("pegawai", "the formula gives a list, not one number"),
            ("if(a, 1, 2)", "a condition is needed here, but 'a' is a number"),
            ('a + "x"', 'text like "x" can only be compared inside a filter'),
            ("a + pegawai", "each term of a sum must be one number, but 'pegawai' is a list"),
            ("a.gaji", "'.gaji' picks a field of records, but 'a' is not a list of records"),
            ("Σ a[b = 1]", "a filter [...] selects records, but 'a' is not a list of records"),
            ("Σ pegawai[gaji]", "a filter needs a condition, but 'gaji' is not one"),
            (
                "Σ pegawai[gaji > Σ a]",
                "inside a filter, compare a field with a number or text; 'Σ a' is neither",
            ),
            ("avg pegawai", "avg of records needs a field: avg pegawai.<field>"),
        ],
    )
    def test_formula_that_cannot_be_evaluated(self, text: str, message: str) -> None:
        with pytest.raises(FormulaTypeError) as caught:
            evaluate(text, {"a": 1, "pegawai": [{"gaji": 1}]})
        assert caught.value.message == message

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ({"a": "12"}, "the value of 'a' is str '12'"),
            ({"a": True}, "the value of 'a' is True, not a number"),
            ({"a": float("nan")}, "not a finite number"),
            ({"a": [{"x": 1}, 2]}, "mixes records with numbers"),
            ({"a": {"x": 1}}, "is one record"),
        ],
    )
    def test_bad_values_are_clear_errors(self, values: dict[str, object], message: str) -> None:
        with pytest.raises(EvaluationError, match=message):
            evaluate("Σ a", values)


class TestTrace:
    def test_explain_shows_every_step(self) -> None:
        result = evaluate("Σ a / Σ b × 100%", {"a": [10, 30], "b": 160})
        assert result.explain().splitlines() == [
            "Σ a / Σ b × 100% = 25 %",
            "├── Σ a = 40",
            "│   └── a  [2 values]",
            "├── Σ b = 160",
            "│   └── b = 160",
            "└── 100% = 100 %",
        ]

    def test_trace_is_data(self) -> None:
        result = evaluate("Σ a / Σ b", {"a": 1, "b": 0})
        data = result.trace.as_dict()
        assert data["value"] is None
        assert data["reason"] == "the denominator 'Σ b' is 0 (line 1, column 7)"
        assert [step["expression"] for step in data["steps"]] == ["Σ a", "Σ b"]
        assert data["steps"][1]["value"] == "0"

    def test_unavailable_step_renders_its_reason(self) -> None:
        text = evaluate("a / b", {"a": 1, "b": 0}).explain()
        assert (
            text.splitlines()[0]
            == "a / b: not available (the denominator 'b' is 0 (line 1, column 5))"
        )
