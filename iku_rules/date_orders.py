"""Text ordered against a date: a filter that orders a text column against a date
(``tanggal_lapor < "2026-07-01"``) compares text, which orders as dates do only when every
cell is written ``YYYY-MM-DD``. ``31/12/2025`` is after ``2026-07-01`` as text (``3``
follows ``2``), ``lainnya`` after every date: the row would be left out, or counted, in
silence. The Python backend refused such a cell as it met it; the SQL backends compared it
as text. :func:`check_date_orders` refuses it on every backend before anything is counted,
at its row, with the fix: write the dates ``YYYY-MM-DD``, or declare the column a date.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from iku_rules import ast
from iku_rules.datanames import Placer
from iku_rules.evaluator.predicate import ISO_DATE, ORDERING, WRITTEN_DATE
from iku_rules.filter_values import text_columns
from iku_rules.i18n import _
from iku_rules.measures import MeasureSpec
from iku_rules.printer import to_text
from iku_rules.sources.base import Backend


def date_ordered(specs: Iterable[MeasureSpec]) -> dict[str, dict[str, tuple[str, str, bool]]]:
    """The text columns the filters of ``specs`` order against, or match with, a date
    ``YYYY-MM-DD``: source id → column → the first such filter's text, its measure's label
    and whether it orders (an ordering filter first).

    Checked before anything is counted (:func:`check_date_orders`); the engine has the
    validating pass gather their values, as it does the columns filters compare."""
    found: dict[str, dict[str, tuple[str, str, bool]]] = {}
    for spec in specs:
        if spec.condition is None:
            continue
        columns = text_columns(spec.source)
        for node in ast.walk(spec.condition):
            for name, date in _compared(node):
                column = columns.get(name.key)
                if column is not None and ISO_DATE.fullmatch(date.value):
                    place = found.setdefault(spec.source.id, {})
                    ordered = isinstance(node, ast.Compare) and node.op in ORDERING
                    if ordered or column not in place:
                        place[column] = (to_text(node), spec.label, ordered)
    return found


def _compared(node: ast.Node) -> Iterable[tuple[ast.Name, ast.Text]]:
    """The field and the text ``node`` compares it with, in a comparison or an ``in``."""
    if isinstance(node, ast.Compare):
        for one, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(one, ast.Name) and isinstance(other, ast.Text):
                yield one, other
    elif isinstance(node, ast.In) and isinstance(node.operand, ast.Name):
        for option in node.options:
            if isinstance(option, ast.Text):
                yield node.operand, option


def check_date_orders(
    specs: Iterable[MeasureSpec],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`~iku_rules.sources.cells.DataError` at the first row whose cell of a
    text column a filter orders against a date is not written ``YYYY-MM-DD``."""
    specs = list(specs)
    sources = {spec.source.id: spec.source for spec in specs}
    for source_id, columns in date_ordered(specs).items():
        source = sources[source_id]
        for column, (written, measure, ordered) in columns.items():
            bad = [
                value
                for value in backend.distinct(source, column)
                if not ISO_DATE.fullmatch(value) and (ordered or WRITTEN_DATE.match(value))
            ]
            if not bad:
                continue
            message = (
                _(
                    "the column '{column}' holds '{value}' where the filter '{filter}' of"
                    " measure '{measure}' orders it against a date: text orders as dates do"
                    " only when written YYYY-MM-DD, so the row would be counted, or left out,"
                    " in silence; write every date of the column YYYY-MM-DD, or declare the"
                    ' column a date (type "date")'
                )
                if ordered
                else _(
                    "the column '{column}' holds the date '{value}' where the filter '{filter}'"
                    " of measure '{measure}' matches it with a date: text matches a date only"
                    " when written YYYY-MM-DD, so the row would be counted, or left out, in"
                    " silence; write every date of the column YYYY-MM-DD, or declare the"
                    ' column a date (type "date")'
                )
            )
            raise Placer(source, data_dir, allow_outside, backend).error(
                column,
                bad[:1],
                message.format(column=column, value=bad[0], filter=written, measure=measure),
            )
