"""Syntax errors in plain words: what the parser expected, what it found, and a hint for the
mistakes planners make (an operator word where a value belongs, a comma in a number, a total
without its name)."""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from iku_rules.errors import FormulaSyntaxError
from iku_rules.i18n import N_, _
from iku_rules.source import Span

OPERATOR_WORDS = ("dibagi", "dikali", "ditambah", "dikurangi", "x", "and", "or", "not", "in")


_A_VALUE = N_("a value (a number, a name or '(')")
"""What the parser expects where a value belongs, in plain words."""

_VALUE_STARTS = {
    "NAME",
    "BRACKET_NAME",
    "NUMBER",
    "_LPAR",
    "AGGREGATE",
    "STRING",
    "_NOT",
}


_BINARY_OPERATORS = {
    "PLUS",
    "MINUS",
    "ADD_WORD",
    "TIMES",
    "DIVIDE",
    "MUL_WORD",
    "DIV_WORD",
    "COMPARE",
    "_AND",
    "_OR",
    "_IN",
}


_PUNCTUATION = {
    "_RPAR": "')'",
    "_RSQB": "']'",
    "_COMMA": "','",
    "_LPAR": "'('",
    "PERCENT": "'%'",
    "$END": N_("the end of the formula"),
}


def describe_expected(expected: set[str]) -> list[str]:
    """Lark terminal names, said in plain words (no token names), in English: the stable
    words of :attr:`~iku_rules.errors.FormulaSyntaxError.expected`, translated by :func:`_join`.

    After a complete value the parser may also reduce and then accept an
    operator, so a state that only closes (``)``, ``,`` or the end) is said
    to expect an operator too.
    """
    words: list[str] = []
    after_value = bool(expected & (_BINARY_OPERATORS - {"MINUS"}))
    closers_only = bool(expected) and expected <= {"_RPAR", "_RSQB", "_COMMA", "$END"}
    if after_value or closers_only:
        words.append(N_("an operator"))
    elif expected and expected <= {"NAME", "BRACKET_NAME"}:
        words.append(N_("a name"))
    elif expected & (_VALUE_STARTS - {"_LPAR"}):
        words.append(_A_VALUE)
    elif "_LPAR" in expected:
        words.append(_PUNCTUATION["_LPAR"])
    for terminal in ("_RPAR", "_RSQB", "_COMMA", "$END"):
        if terminal in expected:
            words.append(_PUNCTUATION[terminal])
    return words


def _accepted(error: UnexpectedInput, fallback: set[str]) -> set[str]:
    """The terminals the parser accepts at the error, after any pending reductions."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except UnexpectedInput:
            pass
    return fallback


def _join(words: list[str]) -> str:
    """``a, b or c``, each word translated."""
    words = [_(word) for word in words]
    if len(words) <= 1:
        return "".join(words)
    return _("{first} or {last}").format(first=", ".join(words[:-1]), last=words[-1])


def _expected_but_found(expected: list[str], found: str) -> str:
    if not expected:
        return _("unexpected {found}").format(found=found)
    return _("expected {expected} but found {found}").format(expected=_join(expected), found=found)


def _found(token: Token) -> str:
    if token.type == "$END":
        return _("the end of the formula")
    if token.type in ("NAME", "BRACKET_NAME"):
        return _("the name '{name}'").format(name=" ".join(str(token).split()))
    if token.type == "NUMBER":
        return _("the number {number}").format(number=token)
    return f"'{token}'"


_OPERATOR_WORD_BEFORE = re.compile(
    r"(\w[\w-]*)\s+(" + "|".join(OPERATOR_WORDS) + r")\s*$", re.IGNORECASE
)


def _syntax_error(text: str, error: UnexpectedInput) -> FormulaSyntaxError:
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        span = Span.at(text, len(text), len(text))
        found = _("the end of the formula")
        expected = describe_expected(_accepted(error, set(error.expected)))
        character = ""
        word = None
    elif isinstance(error, UnexpectedToken):
        token = error.token
        span = _token_span(token)
        found = _found(token)
        expected = describe_expected(_accepted(error, set(error.expected)))
        character = str(token)[:1]
        word = str(token) if token.type in _OPERATOR_WORD_TOKENS else None
        if token.type == "AGGREGATE" and character not in "Σ∑":
            return FormulaSyntaxError(
                _expected_but_found(expected, found),
                text=text,
                span=span,
                hint=_aggregate_word_hint(text, span),
                expected=expected,
            )
    else:
        assert isinstance(error, UnexpectedCharacters)
        position = error.pos_in_stream or 0
        span = Span.at(text, position, position + 1)
        character = text[position]
        found = f"'{character}'"
        expected = describe_expected(_accepted(error, set(error.allowed or ())))
        word = None
    return FormulaSyntaxError(
        _expected_but_found(expected, found),
        text=text,
        span=span,
        hint=_hint(text, span, character, expected, word),
        expected=expected,
    )


_NAME_FROM_HERE = re.compile(
    r"[^\W\d][\w-]*(?:[ \t]+(?![Σ∑])(?!(?i:dibagi|dikali|ditambah|dikurangi|x|and|or|not|in)"
    r"(?![\w-]))\w[\w-]*)*"
)


_AGGREGATE_BEFORE = re.compile(r"(Σ|∑|\b(?i:sum|jumlah|total|count|avg|rata[_-]rata))\s*$")


def _aggregate_word_hint(text: str, span: Span) -> str:
    """For a name that starts with an aggregate word (``Σ Jumlah Penduduk``): bracket it."""
    found = _NAME_FROM_HERE.match(text, span.start)
    name = " ".join(found.group(0).split()) if found else text[span.start : span.end]
    word = name.split()[0]
    before = _AGGREGATE_BEFORE.search(text[: span.start])
    prefix = f"{before.group(1)} " if before else ""
    return _(
        "'{word}' is read as a total of what follows it, so a name that starts with"
        " '{word}' goes in brackets: {prefix}[{name}]"
    ).format(word=word, prefix=prefix, name=name)


_OPERATOR_WORD_TOKENS = {"MUL_WORD", "DIV_WORD", "ADD_WORD", "_AND", "_OR", "_IN"}
"""The terminals of the operator words that a name can be mistaken for (``1 / x``)."""

_WORD_SYMBOLS = {"x": "×", "dikali": "×", "dibagi": "/", "ditambah": "+", "dikurangi": "-"}
"""The sign each arithmetic operator word stands for."""

_DASHES = "–—‒―﹣－"
"""Dashes a word processor or another keyboard puts where the minus sign ``-`` was meant
(en dash, em dash, figure dash, horizontal bar, small and full-width hyphen-minus)."""


def _operator_word_hint(word: str) -> str:
    """For an operator word where a value belongs (``1 / x``): a name so called is
    written in brackets."""
    symbol = _WORD_SYMBOLS.get(word.casefold())
    if symbol is not None:
        return _(
            "'{word}' is the operator word for {symbol}, so it cannot stand alone as a name;"
            " a name called {word} is written in brackets: [{word}]"
        ).format(word=word, symbol=symbol)
    return _(
        "'{word}' is an operator word, so it cannot stand alone as a name;"
        " a name called {word} is written in brackets: [{word}]"
    ).format(word=word)


def _hint(
    text: str, span: Span, character: str, expected: list[str], found_word: str | None = None
) -> str | None:
    before = text[: span.start]
    at_end = span.start >= len(text.rstrip())
    if found_word is not None and _A_VALUE in expected:
        return _operator_word_hint(found_word)
    if character and character in _DASHES:
        return _(
            "'{dash}' is a dash, which word processors put in place of the minus sign;"
            " write the minus sign - instead (to subtract, with spaces around it: a - b)"
        ).format(dash=character)
    total = _AGGREGATE_BEFORE.search(before)
    if total and total.group(1) not in ("Σ", "∑") and _A_VALUE in expected and not at_end:
        # Σ r[jumlah > 9]: the aggregate word took the place of a name or a field
        return _(
            "'{word}' is read as a total of what follows it; a name or a field called"
            " {word} is written in brackets: [{word}]"
        ).format(word=total.group(1))
    word = _OPERATOR_WORD_BEFORE.search(before)
    if word and not at_end and before.rstrip() != word.group(2):
        return _(
            "'{word}' is an operator word, so it cannot be part of a bare name;"
            " if it belongs to a name, write the whole name in brackets: [...]"
        ).format(word=word.group(2))
    if character in ('"', "'"):
        return _("the text in quotes that starts here has no closing quote")
    if character == "," and "','" not in expected:
        if "')'" in expected:
            return _(
                "commas separate the arguments of a function, like min(a, b); decimals use a dot"
            )
        return _(
            "a name with commas, slashes or other signs goes in brackets:"
            " [Korban Bencana Alam, Sosial dan/atau Non Alam]"
        )
    if character == ")" and "')'" not in expected:
        return _("there is a ')' without a matching '('")
    if character in "=<>!≠≤≥" and character and before.rstrip() and _COMPARED.search(before):
        return _("comparisons cannot be chained; join two comparisons with and: a < b and b < c")
    if character and character in "/&?!#@$;" and not any(e.startswith("a value") for e in expected):
        return _("a name with signs other than letters, digits, _ and - goes in brackets: [...]")
    if at_end and "')'" in expected:
        return _("a '(' is not closed")
    if at_end:
        return _("the formula ends too early")
    if "an operator" in expected and re.match(r"[\w\[]", character):  # i18n: not for planners
        return _("put an operator (×, /, +, -) between the two values")
    return None


_COMPARED = re.compile(r"(==|=|!=|<>|<=|>=|<|>|≠|≤|≥)[^=<>!≠≤≥()]*$")


def _token_span(token: Token) -> Span:
    return Span(
        token.start_pos or 0,
        token.end_pos or 0,
        token.line or 1,
        token.column or 1,
        token.end_line or 1,
        token.end_column or 1,
    )
