"""The parser: what it accepts, the AST it builds, and where it says a formula is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iku_rules import FormulaSyntaxError, FormulaTypeError, IkuError, LimitError, ast, parse
from iku_rules.parser import MAX_DEPTH, MAX_LENGTH


class TestAcceptedNotations:
    @pytest.mark.parametrize(
        ("text", "canonical"),
        [
            ("a × b", "a × b"),
            ("a * b", "a × b"),
            ("a x b", "a × b"),
            ("a X b", "a × b"),
            ("a dikali b", "a × b"),
            ("a · b", "a × b"),
            ("a / b", "a / b"),
            ("a ÷ b", "a / b"),
            ("a : b", "a / b"),
            ("a dibagi b", "a / b"),
            ("a DIBAGI b", "a / b"),
            ("a ditambah b", "a + b"),
            ("a dikurangi b", "a - b"),
            ("a − b", "a - b"),
            ("Σ a", "Σ a"),
            ("∑ a", "Σ a"),
            ("sum a", "Σ a"),
            ("SUM a", "Σ a"),
            ("Jumlah a", "Σ a"),
            ("TOTAL a", "Σ a"),
            ("count a", "count a"),
            ("rata_rata a.b", "avg a.b"),
            ("rata-rata a.b", "avg a.b"),
            ("avg(a)", "avg a"),
            ("jika(a > 0, 1, 2)", "if(a > 0, 1, 2)"),
            (
                "a == 1 or a <> 2 or a ≠ 3 or a ≤ 4 or a ≥ 5",
                "a = 1 or a != 2 or a != 3 or a <= 4 or a >= 5",
            ),
            ("[ Nilai   AKIP ]", "Nilai AKIP"),
            ("Nilai\n  AKIP", "Nilai AKIP"),
            ("100 %", "100%"),
            ("-(-a)", "--a"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "(a - b) - c"),
            ("a - b - c", "a - b - c"),
            ("a / (b × c)", "a / (b × c)"),
            ("x1 x x2", "x1 × x2"),
            ("xyz", "xyz"),
            ("dibagian", "dibagian"),
            (
                "Σ pegawai[not (a = 1 and b in ('p', \"q\"))]",
                'Σ pegawai[not (a = 1 and b in ("p", "q"))]',
            ),
            ("pegawai[a not in (-1, 2)].gaji", "pegawai[a not in (-1, 2)].gaji"),
            ("[dan/atau]", "[dan/atau]"),
            ("[a x b]", "[a x b]"),
            ("[Jumlah a]", "[Jumlah a]"),
            ("a Jumlah", "a Jumlah"),
        ],
    )
    def test_notation_reads_as_its_canonical_form(self, text: str, canonical: str) -> None:
        formula = parse(text)
        assert str(formula) == canonical
        assert parse(canonical) == formula

    def test_multi_word_name_is_one_name(self) -> None:
        body = parse("Σ PMKS yang Tertangani / Σ PMKS").body
        assert isinstance(body, ast.Product)
        numerator = body.operands[0]
        assert isinstance(numerator, ast.Aggregate)
        assert numerator.operand == ast.Name("PMKS yang Tertangani")

    def test_long_sum_is_one_flat_node(self) -> None:
        formula = parse(" + ".join(["a"] * 9_000))
        assert isinstance(formula.body, ast.Sum)
        assert len(formula.body.operands) == 9_000
        assert ast.depth(formula.body) == 2

    def test_precedence(self) -> None:
        assert parse("a + b × c") == parse("a + (b × c)")
        assert parse("-a × b") == parse("(-a) × b")
        assert parse("Σ a / Σ b") == parse("(Σ a) / (Σ b)")
        assert parse("a = 1 and b = 2 or c = 3") == parse("((a = 1) and (b = 2)) or (c = 3)")
        assert parse("not a = 1") == parse("not (a = 1)")

    def test_percent_literal(self) -> None:
        assert parse("120%").body == ast.Number(Decimal(120), percent=True)

    def test_spans_are_kept_but_not_compared(self) -> None:
        first, second = parse("a+b"), parse("a   +   b")
        assert first == second
        assert first.body.span is not None and second.body.span is not None
        assert (first.body.span.end, second.body.span.end) == (3, 9)
        name = parse("x1 + [Nilai AKIP]").body.children()[1]
        assert name.span is not None
        assert (name.span.line, name.span.column, name.span.end_column) == (1, 6, 18)

    def test_names_are_collected_in_order_without_filter_fields(self) -> None:
        formula = parse('Σ pegawai[nilai_skp = "baik"] / Σ pegawai + PMKS + pmks')
        assert [name.text for name in formula.names] == ["pegawai", "PMKS"]


# (formula, line, column, message) — the message is the first line, after "line L, column C: ".
MALFORMED = [
    ("Σ a / × 100%", 1, 7, "expected a value (a number, a name or '(') but found '×'"),
    (
        "Σ a / Σ b ×",
        1,
        12,
        "expected a value (a number, a name or '(') but found the end of the formula",
    ),
    ("(a + b", 1, 7, "expected an operator or ')' but found the end of the formula"),
    ("a + b)", 1, 6, "expected an operator or the end of the formula but found ')'"),
    (
        "a / b × 100.000",
        1,
        9,
        "'100.000' is read two ways: as 100000 in notation \"id\" (Indonesian documents:"
        " '.' groups thousands) and as 100 in notation \"en\" ('.' marks decimals)",
    ),
    (
        "max(1,5)",
        1,
        5,
        "'1,5' in max() can be read as the number 1.5 or the 2 values 1, 5: a comma there"
        " also separates values",
    ),
    ("a × 1.2.3", 1, 5, "'1.2.3' is not a number"),
    (
        "Korban Bencana Alam, Sosial / b",
        1,
        20,
        "expected an operator or the end of the formula but found ','",
    ),
    ("100 PMKS", 1, 5, "expected an operator or the end of the formula but found the name 'PMKS'"),
    ("a & b", 1, 3, "expected an operator or the end of the formula but found '&'"),
    ("foo(1)", 1, 1, "'foo' is not a function"),
    ("Nilai AKIP (2024)", 1, 1, "'Nilai AKIP' is not a function"),
    ("round(a, 2, 3)", 1, 1, "round() takes 1 or 2 arguments, not 3"),
    ("if(a > 1, 2)", 1, 1, "if() takes 3 arguments, not 2"),
    ("abs()", 1, 1, "abs() takes 1 argument, not 0"),
    ("[]", 1, 1, "empty brackets: write a name between '[' and ']'"),
    ("", 1, 1, "the formula is empty"),
    ("a +\n  × b", 2, 3, "expected a value (a number, a name or '(') but found '×'"),
    ("Σ Penerima in Kota / b", 1, 15, "expected '(' but found the name 'Kota'"),
    ("a = b = c", 1, 7, "expected an operator or the end of the formula but found '='"),
    ("a[b = 1", 1, 8, "expected an operator or ']' but found the end of the formula"),
    ("min(1 2)", 1, 7, "expected an operator, ')' or ',' but found the number 2"),
    ('"baik', 1, 1, "expected a value (a number, a name or '(') but found '\"'"),
    ("a.", 1, 3, "expected a name but found the end of the formula"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), MALFORMED)
def test_malformed_formula_is_reported_where_it_goes_wrong(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(IkuError) as caught:
        parse(text)
    error = caught.value
    assert (error.line, error.column) == (line, column)  # type: ignore[attr-defined]
    assert error.message == message  # type: ignore[attr-defined]


def test_error_at_end_points_just_past_the_last_character() -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse("a +")
    assert (caught.value.line, caught.value.column) == (1, 4)
    assert str(caught.value).splitlines()[1:3] == ["  a +", "     ^"]


def test_syntax_error_lists_what_was_expected_in_plain_words() -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse("(a, b)")
    assert caught.value.expected == ("an operator", "')'")
    assert "_RPAR" not in str(caught.value)


def test_decimal_comma_error_names_the_fix_for_arguments_too() -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse("max(0,5)")
    assert "0.5" in caught.value.message
    assert caught.value.hint is not None and "0, 5" in caught.value.hint


def test_operator_word_swallowed_by_a_name_says_to_use_brackets() -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse("Σ Penerima in Kota / b")
    assert caught.value.hint is not None and "brackets" in caught.value.hint


def test_wrong_argument_count_is_a_type_error() -> None:
    with pytest.raises(FormulaTypeError):
        parse("min()")


class TestLimits:
    def test_too_long(self) -> None:
        with pytest.raises(LimitError, match="characters long"):
            parse("a" * (MAX_LENGTH + 1))

    @pytest.mark.parametrize(
        "text",
        [
            "(" * 40_000 + "-" * 150 + "a" + ")" * 40_000,
            "-" * (MAX_DEPTH + 5) + "a",
            "not " * (MAX_DEPTH + 5) + "a = 1",
            "abs(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5),
        ],
    )
    def test_too_deep_is_an_error_not_a_crash(self, text: str) -> None:
        with pytest.raises(LimitError, match="deep"):
            parse(text)

    def test_many_redundant_parentheses_are_fine(self) -> None:
        assert parse("(" * 10_000 + "a" + ")" * 10_000) == parse("a")

    def test_not_text_is_a_clear_error(self) -> None:
        with pytest.raises(FormulaTypeError, match="a formula is text"):
            parse(42)  # type: ignore[arg-type]
