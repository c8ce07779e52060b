"""The ``kode_sub_kegiatan`` of every realisasi row, checked against its indicator's place in
the cascade before any value is computed.

Rows of one indicator, triwulan and region under two codes are added up, one per sub
kegiatan: an indicator of a kegiatan or a program sums the rows of its sub kegiatan. So a
row whose code is not its indicator's would add its nilai in silence (Penyediaan Sandang's
2026 read 158 for 97 with Angsana's 61 of TW1 pasted again under the 2020 code
``1.06.06.2.01.0002``, which the definitions only mention in a note). A row's code must be

* a code the definitions give the indicator's own element or an element under it (its
  ``kode`` or ``id``), or
* a dotted code under the ``kode`` (or dotted ``id``) of one of those elements:
  ``1.06.04.2.01.0009`` under a kegiatan ``1.06.04.2.01`` whose sub kegiatan the cascade
  does not all list.

A dotted code is compared without the zeros before its numbers (:func:`code_key`):
``1.06.04.02.01.0003`` and ``1.06.04.2.01.0003`` are one code. A row that leaves its code
empty, or of an indicator placed under no element, is read as before. A row of the code of
an element elsewhere in the cascade (copied from another sub kegiatan, its ``indikator`` not
changed) is refused naming that element; any other code is refused naming the indicator's.

Where the indicator is a sub kegiatan's, whose rows have one code, a key (indikator, periode
and regions) holding two codes of it (its ``kode`` and its ``id``, or the code written with
and without its zeros) is one sub kegiatan counted twice: refused too. That is asked of the
data only when an indicator of a sub kegiatan has two codes among the pairs (indikator,
code) already read: never in the common case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from iku_rules.i18n import _
from iku_rules.keyed_rows import CODE_COLUMN
from iku_rules.model import Definitions, Element
from iku_rules.sources.base import Backend, value_text
from iku_rules.sources.nested_codes import CODE

if TYPE_CHECKING:
    from iku_rules.datanames import Placer

SUB_KEGIATAN = "sub_kegiatan"
"""The level of an element whose rows have exactly one code."""


def check_codes(definitions: Definitions, backend: Backend, place: Placer) -> None:
    """Raise a :class:`~iku_rules.sources.cells.DataError` at the first realisasi row whose
    code is not its indicator's (module docstring), in the column of the code."""
    declared = {code_key(c): e for e in definitions.elements for c in codes_of(e)}
    owned: dict[str, tuple[set[str], tuple[str, ...]]] = {}
    seen: dict[str, tuple[Element, set[str]]] = {}  # a sub kegiatan's indicator: codes met
    source, columns = place.source, ("indikator", CODE_COLUMN)
    pairs = backend.kept_answer(  # kept for a later run over the same bytes
        source, f"pairs of indikator and {CODE_COLUMN}",  # i18n: not for planners (a key kept)
        lambda: [list(row) for row in backend.distinct_rows(source, columns)],
        keep=lambda _rows: True,
    )  # fmt: skip
    for indicator_id, written in pairs:
        code = None if written is None else written.strip()
        indicator = None if indicator_id is None else definitions.indicator(indicator_id)
        own = None if indicator is None else definitions.element(indicator.parent)
        if not code or own is None or indicator_id is None:
            continue
        if own.id not in owned:
            owned[own.id] = _accepted(definitions, own)
        keys, dotted = owned[own.id]
        key = code_key(code)
        if own.level == SUB_KEGIATAN and key in keys:
            seen.setdefault(indicator_id, (own, set()))[1].add(code)
        if key in keys:
            continue
        other = declared.get(key)
        if other is None and any(key.startswith(f"{prefix}.") for prefix in dotted):
            continue
        message = _foreign(indicator_id, code, own, other)
        raise place.first(CODE_COLUMN, _holding(indicator_id, written), message)
    for indicator_id, (element, codes) in seen.items():
        if len(codes) > 1:
            _one_code_per_key(backend, place, indicator_id, element, codes)


def code_key(code: str) -> str:
    """``code`` as compared: a dotted code (:data:`~iku_rules.sources.nested_codes.CODE`)
    with no zeros before its numbers, any other as written.

    >>> code_key("1.06.04.02.01.0003"), code_key(" 1.06.04.2.01.0003"), code_key("ZZZ")
    ('1.6.4.2.1.3', '1.6.4.2.1.3', 'ZZZ')
    """
    found = CODE.fullmatch(code)
    if found is None:
        return code.strip()
    parts = found.group(1).split(".")
    return ".".join(part.lstrip("0") or "0" if part.isdigit() else part.upper() for part in parts)


def codes_of(element: Element) -> tuple[str, ...]:
    """The codes a data row may name ``element`` by: its kode, and its id where it differs."""
    return tuple(dict.fromkeys(c for c in (element.kode, element.id) if c))


def _accepted(definitions: Definitions, own: Element) -> tuple[set[str], tuple[str, ...]]:
    """The codes (as :func:`code_key`) of ``own`` and the elements under it, and those of
    them that are dotted codes, under which any code is theirs."""
    keys = {code_key(c) for element in definitions.below(own) for c in codes_of(element)}
    return keys, tuple(key for key in keys if CODE.fullmatch(key))


def _foreign(indicator: str, code: str, own: Element, other: Element | None) -> str:
    """Why the row of ``indicator`` may not be coded ``code``: the code of ``other``, an
    element elsewhere in the cascade, or of nothing the definitions give ``own``."""
    codes = _(" or ").join(repr(c) for c in codes_of(own))
    if other is not None:
        return _(
            "the row of indicator '{indicator}' is coded '{code}', that of {title} '{name}',"
            " but '{indicator}' is an indicator of {own_title} '{own_name}' ({codes}), so its"
            " nilai would be added to another's; write in the row the indikator of its"
            " {title}, or the code {codes}"
        ).format(
            indicator=indicator,
            code=code,
            title=other.title,
            name=other.name,
            own_title=own.title,
            own_name=own.name,
            codes=codes,
        )
    return _(
        "the row of indicator '{indicator}' is coded '{code}', a code the definitions do not"
        " give {own_title} '{own_name}' ({codes}) or anything under it, so its nilai would be"
        " added to the indicator's as that of one more sub kegiatan; write the code {codes},"
        " or, if the row is another's, its indikator"
    ).format(indicator=indicator, code=code, own_title=own.title, own_name=own.name, codes=codes)


def _one_code_per_key(
    backend: Backend, place: Placer, indicator_id: str, own: Element, codes: set[str]
) -> None:
    """Refuse a key of ``indicator_id``, an indicator of the sub kegiatan ``own``, holding
    two of ``codes`` (without the spaces around them, as the backends tell codes apart):
    one sub kegiatan's row counted twice. The row placed is that of the code the
    definitions do not write so (the padded spelling beside the declared kode)."""
    source = place.source
    columns = ("indikator", "periode", *source.regions.values(), CODE_COLUMN)
    columns = tuple(c for c in dict.fromkeys(columns) if c in source.columns)
    declared = codes_of(own)
    first: dict[tuple[str | None, ...], tuple[str, tuple[str | None, ...]]] = {}
    for row in backend.distinct_rows(source, columns):
        code = None if row[-1] is None else row[-1].strip()
        if row[0] != indicator_id or code is None or code not in codes:
            continue
        met = first.setdefault(row[:-1], (code, row))
        if met[0] == code:
            continue
        kept, odd = sorted((met, (code, row)), key=lambda found: found[0] not in declared)
        message = _(
            "the rows of indicator '{indicator}' for {key} are coded both '{first}' and"
            " '{second}', but '{indicator}' is an indicator of {own_title} '{own_name}',"
            " whose rows have one code: their nilai would be added up as two sub kegiatan;"
            " keep one of the rows, coded {codes}"
        ).format(
            indicator=indicator_id,
            key=", ".join(f"{c} {v}" for c, v in zip(columns[1:-1], row[1:-1], strict=True) if v),
            first=kept[0],
            second=odd[0],
            own_title=own.title,
            own_name=own.name,
            codes=_(" or ").join(repr(c) for c in declared),
        )
        raise place.first(CODE_COLUMN, _holding_all(columns, odd[1]), message)


def _holding(indicator: str, written: str | None) -> Any:
    return _holding_all(("indikator", CODE_COLUMN), (indicator, written))


def _holding_all(columns: Sequence[str], wanted: Sequence[str | None]) -> Any:
    """Whether a record holds ``wanted`` in ``columns``, as text (None for a blank cell)."""
    pair = tuple(wanted)

    def holds(record: Mapping[str, Any]) -> bool:
        found = tuple(
            None if (value := record.get(column)) is None else value_text(value)
            for column in columns
        )
        return found == pair

    return holds
