"""Counts are whole: realisasi and inputs in a satuan that counts things one by one.

The unit table (:mod:`iku_rules.dimensions`) knows which satuan count things one by one
(``Orang``, ``KPM``, ``Dokumen``, ``Jumlah`` …). ``iku check`` refuses a target or
baseline of such an indicator that is not a whole number; :func:`check_whole_counts` does the
same for the data, before any value is computed from them: a realisasi row of such an
indicator, or an input in such a satuan, that holds ``12.5`` is a
:class:`~iku_rules.sources.reader.DataError` naming the file, the row and the column (most
often ``12.500`` read as twelve and a half where ``.`` groups thousands).

Money in Rupiah is checked alike (:func:`in_sen`): its smallest amount is the sen, two
decimals, and budgets write whole Rupiah, so a value with a third decimal or more
(``23,505`` read as 23,505 where ``.`` groups thousands and ``,`` marks decimals) is most
often a number written in the other notation (23505), and is refused with both readings.
A third decimal 0 (``23,500`` read as 23,5) is not told here: the reader keeps numbers to
six decimals, so the spelling is gone before any backend is asked.
Only the base satuan is concerned: in ``Ribu Rupiah`` or ``Juta Rupiah`` decimals are
real (1,5 Juta Rupiah; 1,2345 Juta is 1.234.500 Rupiah).

The databases find the rows (one small query per table); only when one is found is the
file read again, to name its row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from iku_rules.additive import unit_table
from iku_rules.decimals import round_half_away
from iku_rules.i18n import _
from iku_rules.model import Definitions, Source
from iku_rules.notation import EN, ID, readings, write
from iku_rules.sources.base import Backend
from iku_rules.sources.cells import DataError
from iku_rules.sources.reader import find_row, row_error
from iku_rules.trace import format_decimal


def counted(definitions: Definitions, places: int = 0) -> dict[str, tuple[str, str]]:
    """What must be whole in the data (``places`` 0), or have at most two decimals
    (``places`` 2: money in Rupiah), by source kind: realisasi indicator ids and input
    names, each with its satuan, as ``{"realisasi:<id>": (id, satuan), "inputs:<name>": …}``."""
    table = unit_table(definitions)
    concerned = table.in_sen if places else table.counts
    found: dict[str, tuple[str, str]] = {}
    for indicator in definitions.indicators:
        if indicator.formula_kind in ("realisasi", "input") and concerned(indicator.unit):
            kind = "realisasi" if indicator.formula_kind == "realisasi" else "inputs"
            found[f"{kind}:{indicator.id}"] = (indicator.id, str(indicator.unit))
    for item in definitions.inputs:
        if concerned(item.unit):
            found[f"inputs:{item.name}"] = (item.name, str(item.unit))
    return found


def check_whole_counts(
    definitions: Definitions,
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`DataError` at the first realisasi or input in a counting satuan
    that is not a whole number, or in Rupiah with a third decimal (file, row and column)."""
    for places in (0, 2):
        _check(definitions, backend, data_dir, places, allow_outside)


def _check(
    definitions: Definitions, backend: Backend, data_dir: Path, places: int, allow_outside: bool
) -> None:
    wanted = counted(definitions, places)
    for source in definitions.sources:
        if source.kind not in ("realisasi", "inputs"):
            continue
        key_column = "indikator" if source.kind == "realisasi" else "nama"
        keys = {
            name: unit for key, (name, unit) in wanted.items() if key.startswith(source.kind + ":")
        }
        if not keys:
            continue
        asked = (source, key_column, sorted(keys), "nilai", places)
        found = backend.kept_answer(  # none found: kept for a later run over the same bytes
            source, f"fractional {json.dumps(asked[1:-1])}" + (f" {places}" if places else ""),
            partial(backend.fractional, *asked),
            keep=lambda found: found is None,
        )  # fmt: skip
        if found is not None and places:
            raise _money(source, data_dir, key_column, found, keys, allow_outside)
        if found is not None:
            raise _where(source, data_dir, key_column, found, keys, allow_outside)


def _where(
    source: Source,
    data_dir: Path,
    key_column: str,
    found: tuple[str, Decimal],
    units: Mapping[str, str],
    allow_outside: bool,
) -> DataError:
    key, value = found
    message = (
        _(
            "{value} is not a whole number, but the indicator '{key}' is in {unit}, which"
            " counts one by one; if '.' groups thousands there (12.500 is 12500), write the"
            " number without it or declare the notation of the source"
        )
        if source.kind == "realisasi"
        else _(
            "{value} is not a whole number, but the input '{key}' is in {unit}, which"
            " counts one by one; if '.' groups thousands there (12.500 is 12500), write the"
            " number without it or declare the notation of the source"
        )
    ).format(value=format_decimal(value), key=key, unit=units[key])

    return _at_row(source, data_dir, key_column, key, 0, message, allow_outside)


def _money(
    source: Source,
    data_dir: Path,
    key_column: str,
    found: tuple[str, Decimal],
    units: Mapping[str, str],
    allow_outside: bool,
) -> DataError:
    """The error for an amount in Rupiah with a third decimal, at its row: how it was read
    and, where the other notation reads its spelling, how that reads it."""
    key, value = found
    declared = source.notation if source.notation.declared else ID
    other = EN if declared.name == "id" else ID
    spelled = write(value.normalize(), declared)  # as read: 23.505 → 23,505 in notation "id"
    elsewhere = readings(spelled).get(other.name)
    details = {
        "value": spelled,
        "key": key,
        "unit": units[key],
        "read": format_decimal(value),
        "notation": declared.name,
        "other": other.name,
        "elsewhere": format_decimal(elsewhere) if elsewhere is not None else "",
    }
    message = (
        _(
            "{value} has more than two decimals, but '{key}' is in {unit}, whose smallest"
            ' amount is the sen: it was read as {read} in notation "{notation}", and would'
            ' be {elsewhere} in notation "{other}"; write it as notation "{notation}"'
            " writes it, or declare the notation of the source"
        )
        if elsewhere is not None
        else _(
            "{value} has more than two decimals, but '{key}' is in {unit}, whose smallest"
            ' amount is the sen: it was read as {read} in notation "{notation}"; write it'
            ' with at most two decimals as notation "{notation}" writes it, or declare the'
            " notation of the source"
        )
    ).format(**details)

    return _at_row(source, data_dir, key_column, key, 2, message, allow_outside)


def _at_row(
    source: Source,
    data_dir: Path,
    key_column: str,
    key: str,
    places: int,
    message: str,
    allow_outside: bool,
) -> DataError:
    """``message`` at the first row of ``key`` whose ``nilai`` has more than ``places``
    decimals; without a row where the database rounded what the file holds."""

    def more_decimals(record: Mapping[str, Any]) -> bool:
        number = record.get("nilai")
        return (
            record.get(key_column) == key
            and isinstance(number, Decimal)
            and number != round_half_away(number, places)
        )

    located = find_row(source, data_dir, more_decimals, allow_outside=allow_outside)
    if located is None:
        return DataError(f"{source.path}: {message}", column="nilai")
    return row_error(source, data_dir, message, row=located[0], column="nilai")
