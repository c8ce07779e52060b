"""The compiler's core: its state, its errors, and the entry points that dispatch on each node."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import evolve

from iku_rules import ast, units
from iku_rules.ast import name_key
from iku_rules.errors import FormulaTypeError, UnitError, UnknownNameError
from iku_rules.evaluator.values import Binding, Compiled, Schema, _read_scalar
from iku_rules.formula import Formula
from iku_rules.i18n import _
from iku_rules.printer import to_text


class CompilerCore:
    """Turns an AST into closures, given what each name is bound to; the node kinds are
    compiled by the parts :class:`~iku_rules.evaluator.compiler.Compiler` is made of."""

    def __init__(
        self,
        formula: Formula,
        schema: Schema,
        spelled: Mapping[str, str] | None = None,
        precomputed: Mapping[ast.Node, str] | None = None,
    ):
        self.formula = formula
        self.schema = schema
        self.spelled: Mapping[str, str] = spelled or {}  # read only: not copied per formula
        self.precomputed: Mapping[ast.Node, str] = precomputed or {}
        """Sub-expressions whose value is supplied (under the given key) instead of computed:
        the engine fetches aggregates over registers from the database."""
        self.reads: dict[str, str] = {}
        """Name key to the variable the generated code reads it into."""
        self.constants: dict[str, Any] = {}
        """Variable to constant (numbers, factors) in the generated code."""

    def _read(self, key: str) -> str:
        return self.reads.setdefault(key, f"n{len(self.reads)}")

    def _constant(self, value: Any) -> str:
        name = f"k{len(self.constants)}"
        self.constants[name] = value
        return name

    # -- errors

    def _type_error(
        self, message: str, node: ast.Node, hint: str | None = None
    ) -> FormulaTypeError:
        return FormulaTypeError(message, text=self.formula.text, span=node.span, hint=hint)

    def _unknown(self, node: ast.Name) -> UnknownNameError:
        known = {key: self.spelled.get(key, key) for key in self.schema}
        close = difflib.get_close_matches(node.key, list(known), n=3, cutoff=0.6)
        hint = None
        if node.span is not None:
            before = self.formula.text[: node.span.start].rstrip().split()
            if before and name_key(f"{before[-1]} {node.text}") in known:
                whole = known[name_key(f"{before[-1]} {node.text}")]
                hint = _(
                    "'{word}' is read as a total of what follows it; to use the name"
                    " '{name}', write it in brackets: [{name}]"
                ).format(word=before[-1], name=whole)
        whole = name_key(self.formula.text)
        for key in known if hint is None else ():
            if node.key in key and key in whole and key != node.key:
                hint = _(
                    "'{name}' contains an operator word, so it must be written in"
                    " brackets: [{name}]"
                ).format(name=known[key])
                break
        if hint is None and "-" in node.text:
            parts = [part.strip() for part in node.text.split("-")]
            if all(name_key(part) in known for part in parts if part):
                # Two signs together (a--b) or one at the end (a-): spaced out, they would
                # read a - -b (that is a + b) or a formula cut short; no example guesses.
                hint = (
                    _("to subtract, put spaces around the minus sign: {example}").format(
                        example=" - ".join(parts)
                    )
                    if all(parts)
                    else _(
                        "a minus sign without spaces is part of a name; to subtract,"
                        " write one minus sign with spaces around it"
                    )
                )
        return UnknownNameError(
            node.text,
            suggestions=[known[key] for key in close],
            text=self.formula.text,
            span=node.span,
            hint=hint,
        )

    # -- entry

    def compile(self) -> Compiled:
        compiled = self.expr(self.formula.body)
        if compiled.kind == "bool":
            raise self._type_error(
                _("the formula gives a condition (true or false), not a number"),
                self.formula.body,
                _("use if(condition, value, other value) to turn a condition into a number"),
            )
        if compiled.kind in ("list", "records", "empty"):
            raise self._type_error(
                _("the formula gives a list, not one number"),
                self.formula.body,
                _("total it with Σ: Σ {formula}").format(formula=to_text(self.formula.body)),
            )
        if compiled.kind == "text":
            raise self._type_error(_("the formula gives text, not a number"), self.formula.body)
        return evolve(compiled, reads=tuple(self.reads), constants=dict(self.constants))

    def scalar(self, node: ast.Node, role: str) -> Compiled:
        compiled = self.expr(node)
        if compiled.kind == "scalar":
            return compiled
        if compiled.kind in ("list", "records", "empty"):
            raise self._type_error(
                _("{role} must be one number, but '{formula}' is a list").format(
                    role=role, formula=to_text(node)
                ),
                node,
                _("total it with Σ {formula}, or use count, avg, min or max").format(
                    formula=to_text(node)
                ),
            )
        if compiled.kind == "text":
            raise self._type_error(
                _("text like {text} can only be compared inside a filter").format(
                    text=to_text(node)
                ),
                node,
                _('for example: Σ pegawai[nilai_skp = "baik"]'),
            )
        raise self._type_error(
            _("{role} must be a number, but '{formula}' is a condition").format(
                role=role, formula=to_text(node)
            ),
            node,
            _("use if(condition, value, other value) to turn a condition into a number"),
        )

    def condition(self, node: ast.Node) -> Compiled:
        compiled = self.expr(node)
        if compiled.kind != "bool":
            raise self._type_error(
                _("a condition is needed here, but '{formula}' is a number").format(
                    formula=to_text(node)
                ),
                node,
                _("compare it: for example x > 0"),
            )
        return compiled

    def expr(self, node: ast.Node) -> Compiled:
        key = self.precomputed.get(node)
        if key is not None:
            binding = self.schema.get(key, Binding("scalar"))
            return Compiled(
                _read_scalar(key, to_text(node), node.span, binding.unit), "scalar", binding.unit
            )
        method: Callable[[Any], Compiled] = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

    def _unify(
        self, parts: Sequence[Compiled], nodes: Sequence[ast.Node], what: str, node: ast.Node
    ) -> units.Unit:
        unit, literal = parts[0].unit, parts[0].literal
        for part, part_node in zip(parts[1:], nodes[1:], strict=True):
            merged = units.unify(unit, part.unit, literal, part.literal)
            if merged is None:
                percent_side = part_node if part.unit == units.PERCENT else nodes[0]
                raise UnitError(
                    _(
                        "cannot {what} a percentage and a plain number ('{formula}' is in percent)"
                    ).format(what=what, formula=to_text(percent_side)),
                    text=self.formula.text,
                    span=node.span,
                    hint=_(
                        "multiply the plain number by 100% to make it a percentage,"
                        " or divide the percentage by 100%"
                    ),
                )
            literal = literal and part.literal
            unit = merged
        return unit
