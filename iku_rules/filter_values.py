"""What the measures' filters and latest records read of the data, checked before any value
is computed (with :class:`~iku_rules.datanames.Placer`, which names the file, the row and
the column).

* Every text a filter compares a column with (``kategori = "Anak Terlantar"``,
  ``asesmen in ("ya")``) is written in the data exactly so, or not at all: a cell that
  differs from it only in case or spacing (``Anak Terlantar ``, ``Ya``), or a code only in
  its leading zeros (``1`` where the filter writes ``"01"``: a spreadsheet drops them from a
  code it keeps as a number), is an error (:func:`check_filter_values`). A filter compares
  text exactly, so such a row would pass where it should not, or not where it should, in
  silence.
* No row leaves empty the entity or the order of a measure that counts only each entity's
  latest record (``terakhir = { per = "nik", by = "putaran" }``,
  :func:`check_latest_keys`): such a row belongs to no entity, or cannot be told the latest
  or not, and would drop out of the count in silence.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from iku_rules import ast
from iku_rules.datanames import SHOWN, Placer
from iku_rules.distinct_spellings import spelling
from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.regions import region_key
from iku_rules.sources.base import Backend
from iku_rules.sources.cells import storage_type
from iku_rules.sources.shown import invisible_in

if TYPE_CHECKING:
    from iku_rules.measures import MeasureSpec


def text_columns(source: Source) -> dict[str, str]:
    """The columns of ``source`` stored as text, by the key of their name (a filter names
    a column ignoring case and spacing)."""
    return {
        ast.name_key(column): column
        for column, kind in source.columns.items()
        if storage_type(kind) == "text"
    }


def filter_texts(specs: Iterable[MeasureSpec]) -> dict[str, dict[str, dict[str, str]]]:
    """The texts the filters of ``specs`` compare a text column with (``=``, ``!=``,
    ``in``, ``not in``): source id → column → text → the label of the first measure whose
    filter writes it."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for spec in specs:
        if spec.condition is None:
            continue
        columns = text_columns(spec.source)
        for node in ast.walk(spec.condition):
            for name, text in _compared(node):
                column = columns.get(name.key)
                if column is not None:
                    texts = found.setdefault(spec.source.id, {}).setdefault(column, {})
                    texts.setdefault(text.value, spec.label)
    return found


def watched_columns(specs: Iterable[MeasureSpec]) -> dict[str, set[str]]:
    """The columns of each source whose values the checks of the measures ``specs`` read
    (:func:`check_filter_values`, :func:`check_latest_keys`), by source id: for
    :attr:`~iku_rules.sources.base.Backend.watched`. A ``terakhir``'s entity (a NIK, one
    value per person) is left out: gathering its values costs more than asking for an
    empty cell."""
    specs = list(specs)
    found = {source: set(texts) for source, texts in filter_texts(specs).items()}
    for spec in specs:
        if spec.latest is not None:
            found.setdefault(spec.source.id, set()).add(spec.latest.by)
    return found


def _compared(node: ast.Node) -> list[tuple[ast.Name, ast.Text]]:
    """The column and text that ``node`` compares for equality, each pair once."""
    if isinstance(node, ast.Compare) and node.op in ("=", "!="):
        for one, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(one, ast.Name) and isinstance(other, ast.Text):
                return [(one, other)]
    if isinstance(node, ast.In) and isinstance(node.operand, ast.Name):
        operand = node.operand
        return [(operand, option) for option in node.options if isinstance(option, ast.Text)]
    return []


def check_filter_values(
    specs: Iterable[MeasureSpec],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`DataError` at the first row whose cell differs from a text a filter
    compares its column with only in case or spacing (:func:`~iku_rules.regions.region_key`):
    ``Anak Terlantar `` where the filter writes ``"Anak Terlantar"``; or, a code of digits,
    only in its leading zeros: ``1`` where the filter writes ``"01"``, as a spreadsheet
    keeps a code it holds as a number (:func:`~iku_rules.distinct_spellings.spelling`, as
    the values a measure tells apart are matched). The filter compares text exactly, so the
    row would pass where it should not, or not where it should."""
    specs = list(specs)
    sources = {spec.source.id: spec.source for spec in specs}
    for source_id, columns in filter_texts(specs).items():
        source = sources[source_id]
        for column, texts in columns.items():
            keys: dict[str, str] = {}
            for text in texts:
                keys.setdefault(spelling(text), text)
            written = backend.distinct(source, column)
            others = [value for value in written if value not in texts and spelling(value) in keys]
            if not others:
                continue
            text = keys[spelling(others[0])]
            alike = [value for value in others if spelling(value) == spelling(text)]
            found = invisible_in(alike[0])
            if region_key(alike[0]) == region_key(text) and found is not None:
                message = _(
                    "the column '{column}' holds {values}, written otherwise than \"{text}\""
                    " in the filter of measure '{measure}': it holds {found}, which does not"
                    " show; the filter compares text exactly, so its rows would be counted"
                    " wrongly. Delete the character (in a text editor) so that the value is"
                    " written exactly as the filter does, or change the filter"
                )
            elif region_key(alike[0]) == region_key(text):
                message = _(
                    "the column '{column}' holds {values}, written otherwise than \"{text}\""
                    " in the filter of measure '{measure}' only in letter case or spacing; the"
                    " filter compares text exactly, so its rows would be counted wrongly. Write"
                    " it exactly as the filter does, or change the filter"
                )
            else:
                message = _(
                    "the column '{column}' holds {values}, written otherwise than \"{text}\""
                    " in the filter of measure '{measure}' only in its leading zeros, which a"
                    " spreadsheet drops from a code it keeps as a number; the filter compares"
                    " text exactly, so its rows would not be counted. Write the codes with"
                    " their zeros, as the filter does (in Excel, format the column as Text"
                    " before typing them), or change the filter"
                )
            raise Placer(source, data_dir, allow_outside, backend).error(
                column,
                alike,
                message.format(
                    column=column,
                    values=", ".join(repr(value) for value in alike[:SHOWN]),
                    text=text,
                    measure=texts[text],
                    found=found,
                ),
            )


def check_latest_keys(
    specs: Iterable[MeasureSpec],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`DataError` at the first row that leaves empty the ``per`` or the
    ``by`` column of a measure counting only each entity's latest record: the row is no
    entity's, or cannot be ordered, so it would leave the count in silence (a balita
    measured stunting in a round whose number was not written)."""
    for spec in specs:
        latest = spec.latest
        if latest is None:
            continue
        for column in (latest.per, latest.by):
            if column in spec.source.columns:
                Placer(spec.source, data_dir, allow_outside, backend).empty(
                    backend,
                    column,
                    _(
                        "the row leaves '{column}' empty, so measure '{measure}', which counts"
                        " only the latest record of each {per} by {by}, cannot place it; fill"
                        " it in, or delete the row if it is not a record"
                    ).format(column=column, measure=spec.label, per=latest.per, by=latest.by),
                )
