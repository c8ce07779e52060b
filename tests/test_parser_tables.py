"""The LALR tables shipped in ``iku_rules/_lark_tables.py`` belong to the grammar and are used."""

from __future__ import annotations

import lark
import pytest

from iku_rules import _lark_tables, grammar, parser


def test_shipped_tables_are_current() -> None:
    # After editing grammar/iku.lark or upgrading Lark: iku_rules.grammar.write_tables()
    assert grammar.grammar_digest(grammar.grammar_text()) == _lark_tables.GRAMMAR_SHA256
    assert lark.__version__ == _lark_tables.LARK_VERSION


def test_loaded_parser_parses_as_the_built_one() -> None:
    built = lark.Lark(grammar.grammar_text(), **grammar.LARK_OPTIONS)
    loaded = grammar.lark_parser()
    assert loaded.source_path == "<deserialized>"
    for text in (
        "Σ a / Σ b × 100%",
        "if(Σ PMKS = 0, 0, min(Σ PMKS tertangani / Σ PMKS × 100%, 120%))",
        "Jumlah PMKS yang Tertangani dibagi Jumlah PMKS dikali 100%",
        "count(pmks[kategori in ('lansia', 'disabilitas') and not aktif]) - [a, b] + -c",
    ):
        assert loaded.parse(text) == built.parse(text)
    assert {t.name for t in loaded.terminals} == {t.name for t in built.terminals}


def test_a_stale_table_falls_back_to_building(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lark_tables, "GRAMMAR_SHA256", "stale")
    grammar.lark_parser.cache_clear()
    grammar._tables.cache_clear()
    try:
        assert grammar.lark_parser().source_path != "<deserialized>"
        assert parser.parse("a / b").body.ops == ("/",)
    finally:
        monkeypatch.undo()
        grammar.lark_parser.cache_clear()
        grammar._tables.cache_clear()
    assert grammar.lark_parser().source_path == "<deserialized>"


def test_the_terminal_patterns_kept_with_the_tables_are_the_grammars() -> None:
    built = lark.Lark(grammar.grammar_text(), **grammar.LARK_OPTIONS)
    assert {
        terminal.name: terminal.pattern.to_regexp() for terminal in built.terminals
    } == _lark_tables.TERMINALS


def test_a_stale_table_takes_the_terminal_patterns_from_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_lark_tables, "GRAMMAR_SHA256", "stale")
    monkeypatch.setattr(_lark_tables, "TERMINALS", {})  # would raise KeyError if read
    for cached in (grammar._tables, grammar.terminal_pattern, grammar.lark_parser):
        cached.cache_clear()
    try:
        assert grammar.bare_name_pattern().fullmatch("PMKS tertangani")
        assert not grammar.bare_name_pattern().fullmatch("a / b")
    finally:
        monkeypatch.undo()
        for cached in (grammar._tables, grammar.terminal_pattern, grammar.lark_parser):
            cached.cache_clear()
