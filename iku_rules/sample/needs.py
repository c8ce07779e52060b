"""What the definitions ask of sample data: the sub kegiatan codes services are logged under,
the values filters compare columns with, the inputs they read."""

from __future__ import annotations

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.model import Definitions, Element, Indicator
from iku_rules.sample.reference_data import SERVICE_PROGRAMMES, reference


def _is_code_column(node: ast.Node) -> bool:
    return isinstance(node, ast.Name) and node.key == "kode_sub_kegiatan"


def service_codes(definitions: Definitions) -> tuple[str, ...]:
    """The sub kegiatan ids the definitions count services of, in order of first mention.

    They are the texts in ``kode_sub_kegiatan in ("...", ...)`` (or
    ``kode_sub_kegiatan = "..."``) conditions of the measures' filters and of inline
    filters in indicator formulas, kept when they are element ids. When there are
    none, every sub kegiatan under the programmes 1.06.02, 1.06.04, 1.06.05 and 1.06.06.
    """
    ids = {element.id for element in definitions.elements}
    found: list[str] = []
    formulas = [m.filter for m in definitions.measures if m.filter is not None]
    formulas += [i.formula for i in definitions.indicators if i.formula is not None]
    for formula in formulas:
        for node in ast.walk(formula.body):
            texts: list[ast.Node] = []
            if isinstance(node, ast.In) and not node.negated and _is_code_column(node.operand):
                texts = list(node.options)
            elif isinstance(node, ast.Compare) and node.op == "=":
                if _is_code_column(node.left):
                    texts = [node.right]
                elif _is_code_column(node.right):
                    texts = [node.left]
            for text in texts:
                if isinstance(text, ast.Text) and text.value in ids and text.value not in found:
                    found.append(text.value)
    if found:
        return tuple(found)
    return tuple(
        element.id
        for element in definitions.ordered()
        if element.level == "sub_kegiatan"
        and _programme(definitions, element.id) in SERVICE_PROGRAMMES
    )


def _programme_element(definitions: Definitions, element_id: str) -> Element | None:
    element = definitions.element(element_id)
    chain = ((element,) if element is not None else ()) + definitions.ancestors(element_id)
    return next((e for e in chain if e.level == "program"), None)


def _programme(definitions: Definitions, element_id: str) -> str | None:
    """The code of the programme an element belongs to (its ``kode``, else its id)."""
    programme = _programme_element(definitions, element_id)
    if programme is None:
        return None
    return programme.kode or programme.id


def filter_values(definitions: Definitions) -> dict[str, list[object]]:
    """The literal values the definitions compare each column with, by the column's name key,
    in order of first mention: ``stunting = "ya"`` in a measure's filter or an indicator's
    formula gives ``{"stunting": ["ya"]}``; texts stay ``str``, numbers ``Decimal``."""
    found: dict[str, list[object]] = {}
    formulas = [m.filter for m in definitions.measures if m.filter is not None]
    formulas += [i.formula for i in definitions.indicators if i.formula is not None]
    for formula in formulas:
        for node in ast.walk(formula.body):
            pairs: list[tuple[ast.Node, ast.Node]] = []
            if isinstance(node, ast.Compare):
                pairs = [(node.left, node.right), (node.right, node.left)]
            elif isinstance(node, ast.In):
                pairs = [(node.operand, option) for option in node.options]
            for column, literal in pairs:
                if isinstance(column, ast.Name) and isinstance(literal, ast.Text | ast.Number):
                    values = found.setdefault(column.key, [])
                    if literal.value not in values:
                        values.append(literal.value)
    return found


def input_names(definitions: Definitions) -> list[tuple[str, Indicator | None, str | None]]:
    """Every name the inputs table should hold: ``(name, indicator or None, unit)``."""
    seen: set[str] = set()
    names: list[tuple[str, Indicator | None, str | None]] = []
    for item in definitions.inputs:
        if item.key not in seen:
            seen.add(item.key)
            names.append((item.name, None, item.unit))
    for indicator in definitions.indicators:
        if indicator.formula_kind == "input" and name_key(indicator.id) not in seen:
            seen.add(name_key(indicator.id))
            names.append((indicator.id, indicator, indicator.unit))
    return names


def missing_input(definitions: Definitions) -> str | None:
    """The input :func:`generate` leaves out for the last year: the input indicator
    named like the Indeks Kesejahteraan Sosial (else like the Indeks Risiko Bencana),
    else the first ``[[input]]``, else the first input indicator; ``None`` when there
    are no inputs."""
    names = input_names(definitions)
    for word in reference().hilang:
        key = name_key(word)
        for exact in (True, False):
            for name, indicator, _ in names:
                label = name_key(indicator.name if indicator is not None else name)
                if (label == key) if exact else (key in label):
                    return name
    return names[0][0] if names else None
