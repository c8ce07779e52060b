"""Names written in the data, checked against the definitions before any value is computed.

* Every ``indikator`` of a realisasi table names an indicator whose value is its
  realisasi, and every ``nama`` of an inputs table names a declared ``[[input]]`` or an
  indicator with ``formula = "input"``. A row naming anything else is an **error**
  (never a warning): a misspelt name would otherwise leave its indicator "not available"
  or its row ignored, in silence. The message names the file, the row and the column,
  with the closest defined names.
* Every ``periode`` of a realisasi table is a triwulan written ``2026-TW1``, and every
  period of a source of values per period is written as its grain says (``2026``,
  ``2026-TW1``, ``2026-01``), as is every ``tahun`` of an inputs table (``2026``, never
  ``26``): a row whose period no period can match would count nowhere.
* No row leaves empty the column that places it (:func:`_keys`): its date or period, the
  indicator or input it is of. It too would count nowhere: a PMKS registered without a date
  would leave the denominator of every period, and flatter the capaian.
* Every name in a column holding a level whose regions the office declares is a
  declared region. A name written in another case or
  spacing (``LABUAN``, ``Labuan  ``) is that region, grouped under its declared spelling;
  any other is an error with the closest declared names. Where the office declares no
  regions of the level, the names in the data are its regions, and one written in two ways
  (``Kec. Labuan`` beside ``Labuan``, in one file or in two), or by its code beside names,
  is an error: it would count as two regions.

What the measures' filters and ``terakhir`` read of the data is checked in
:mod:`iku_rules.filter_values`, with the same :class:`Placer`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from iku_rules.i18n import N_, _, cut_short
from iku_rules.keyed_rows import CODE_COLUMN
from iku_rules.model import Definitions, Source
from iku_rules.realisasi_codes import check_codes
from iku_rules.regions import RegionNames, region_key, undeclared_clash
from iku_rules.sources.base import Backend, value_text
from iku_rules.sources.cells import DataError, storage_type
from iku_rules.sources.reader import find_row, row_error
from iku_rules.suggest import closest
from iku_rules.timegrain import (
    EXAMPLES,
    Grain,
    period_column,
    undated_grain,
    undated_periods,
    yearless_periods,
)

TRIWULAN_LABEL = re.compile(r"\d{4}-TW[1-4]", re.ASCII)
YEAR = Grain("year", "tahun")
"""How an inputs table's ``tahun`` is written: a year of four digits."""
SHOWN = 5
"""How many unknown names one message lists."""

_WRITTEN_OTHERWISE = N_(
    "source '{id}' has no date column and no period column, so each of its rows"
    " counts in every period, but its column '{column}' places each row in a"
    " period ({periods}), and each period would add up the rows of all of them"
    " (a triwulan the whole year's); give each row its date in a date column,"
    " or write its period as 2026-01 (a month) or 2026-TW1 (a triwulan) and"
    ' declare time = "period", its grain and period_column = "{column}" on the'
    " source (semesters and school years are read from their months)"
)
"""A register without dates whose period column writes its periods otherwise than a grain's
label (``Januari`` beside a ``tahun``, ``06/2026``, ``Semester I 2026``, ``2025/2026``)."""

_WITHOUT_YEAR = N_(
    "source '{id}' has no date column and no period column, so each of its rows"
    " counts in every period, but its column '{column}' places each row in a"
    " month, triwulan or semester ({periods}) without its year, and the source"
    " has no tahun column: every period asked, of any year, would add up the"
    " rows of all of them (a triwulan the whole year's, 2025 the rows of 2026);"
    " write each row's period with its year, as 2026-01 (a month) or 2026-TW1"
    ' (a triwulan), and declare time = "period", its grain and period_column ='
    ' "{column}" on the source (semesters are read from their months), or give'
    " each row its date in a date column;"
    " if '{column}' is not the row's period (the month an institution was"
    " founded), name the column for what it is, as bulan_berdiri, in the file"
    " and in the source's columns"
)
"""A register without dates whose period column places its rows in months, triwulans or
semesters without their year, and no ``tahun`` column (:func:`yearless_periods`)."""


def check_names(
    definitions: Definitions,
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`DataError` at the first name or period in the data that the
    definitions do not know; note on ``backend`` the region names to group under their
    declared spelling."""
    realisasi = sorted(i.id for i in definitions.indicators if i.formula_kind == "realisasi")
    inputs = sorted(
        {i.name for i in definitions.inputs}
        | {i.id for i in definitions.indicators if i.formula_kind == "input"}
    )
    names = {  # two desa of one name: either as written (beside its kecamatan) or with it
        level: RegionNames(
            level,
            tuple(
                dict.fromkeys(n for r in definitions.regions_at(level) for n in (r.plain, r.name))
            ),
        )
        for level in definitions.level_ids()
        if definitions.regions_at(level)
    }
    undeclared: dict[str, list[tuple[str, Placer, str]]] = {}
    """The names in the data of each level whose regions are not declared, as met."""
    for source in definitions.sources:
        place = Placer(source, data_dir, allow_outside, backend)
        for column, message in _keys(source):
            place.blank(backend, column, message)
        if source.kind == "realisasi" and "indikator" in source.columns:
            place.unknown(
                backend,
                "indikator",
                realisasi,
                _(
                    "the {column} {names} names no indicator whose value is its realisasi in the"
                    " definitions; write the name as the definitions do, or define it"
                ),
            )
        if source.kind == "realisasi" and {"indikator", CODE_COLUMN} <= set(source.columns):
            check_codes(definitions, backend, place)
        if source.kind == "realisasi" and "periode" in source.columns:
            place.malformed(backend, "periode", TRIWULAN_LABEL.fullmatch, "2026-TW1")
        if source.kind == "inputs" and "tahun" in source.columns:  # 26 for 2026: no year
            place.malformed(backend, "tahun", YEAR.well_formed, EXAMPLES["year"])
        if source.kind == "inputs" and "nama" in source.columns:
            place.unknown(
                backend,
                "nama",
                inputs,
                _(
                    "the {column} {names} names no [[input]] or indicator with"
                    ' formula = "input" in the definitions; write the name as the definitions do,'
                    " or define it"
                ),
            )
        if source.grain is not None:
            grain = source.grain
            place.malformed(backend, grain.column, grain.well_formed, EXAMPLES[grain.unit])
        if source.kind == "register" and source.grain is None and not source.date_column:
            place.undated(backend)
        renamed: dict[str, dict[str, str]] = {}
        for level, column in source.regions.items():
            if source.grain is not None and backend.distinct(source, column):
                place.empty(backend, column, _beside_regions(column, level, definitions))
            if level in names:
                renamed[column] = place.regions(backend, column, names[level], definitions)
            else:
                for name in backend.distinct(source, column):
                    if _reads_as_total(name, definitions):
                        raise place.error(column, [name], _total_row(column, name, definitions))
                    composed = unicodedata.normalize("NFC", name)
                    if composed != name:  # é as e and an accent: the same name, one region
                        renamed.setdefault(column, {})[name] = composed
                    undeclared.setdefault(level, []).append((name, place, column))
        backend.renamed[source.id] = {column: found for column, found in renamed.items() if found}
    _one_spelling(undeclared)


class Placer:
    """Finds the first row holding a bad value of one source and says where it is."""

    def __init__(
        self, source: Source, data_dir: Path, allow_outside: bool, backend: Backend | None = None
    ):
        self.source, self.data_dir, self.allow_outside = source, data_dir, allow_outside
        self.backend = backend

    def error(self, column: str, bad: Sequence[str], message: str) -> DataError:
        wanted = set(bad)

        def holds(record: Mapping[str, Any]) -> bool:
            value = record.get(column)
            return value is not None and value_text(value) in wanted

        return self.first(column, holds, message)

    def first(
        self, column: str, holds: Callable[[Mapping[str, Any]], bool], message: str
    ) -> DataError:
        """``message`` at the first row that ``holds``, in ``column`` (at the file when no
        row does any more)."""
        placed = None if self.backend is None else self.backend.place(self.source, column, message)
        if placed is not None:  # a table of the office's: no file whose row could be found
            return placed
        located = find_row(self.source, self.data_dir, holds, allow_outside=self.allow_outside)
        if located is None:
            return DataError(f"{self.source.path}: {message}", column=column)
        return row_error(self.source, self.data_dir, message, row=located[0], column=column)

    def blank(self, backend: Backend, column: str, message: str) -> None:
        """Refuse the first row that leaves ``column`` empty; ``message`` says why it must
        not, with ``{column}`` to fill."""
        self.empty(backend, column, message.format(column=column))

    def empty(self, backend: Backend, column: str, message: str) -> None:
        """Refuse, with ``message``, the first row that leaves ``column`` empty."""
        if backend.blank_row(self.source, column):
            raise self.first(column, lambda record: record.get(column) is None, message)

    def unknown(self, backend: Backend, column: str, known: Sequence[str], message: str) -> None:
        """Refuse the names in ``column`` that are not ``known``; ``message`` says so, with
        ``{column}`` and ``{names}`` to fill."""
        written = backend.distinct(self.source, column)
        known_set = set(known)
        bad = [name for name in written if name not in known_set]
        if not bad:
            return
        shown = cut_short(
            [_with_suggestion(name, known) for name in bad[:SHOWN]],
            SHOWN,
            separator="; ",
            total=len(bad),
        )
        raise self.error(column, bad, message.format(column=column, names=shown))

    def malformed(
        self, backend: Backend, column: str, good: Callable[[str], object], example: str
    ) -> None:
        bad = [value for value in backend.distinct(self.source, column) if not good(value)]
        if bad:
            listed = ", ".join(repr(value) for value in bad[:SHOWN])
            raise self.error(
                column,
                bad,
                _(
                    "the period {periods} in column '{column}' is not written like {example},"
                    " so it would count in no period; write each period that way"
                ).format(periods=listed, column=column, example=example),
            )

    def undated(self, backend: Backend) -> None:
        """Refuse a register without dates whose column places each row in a period
        (:func:`~iku_rules.timegrain.undated_grain`): every row counts in every period, so
        the months of 2025 would be added to 2026's."""
        for column, kind in self.source.columns.items():
            if storage_type(kind) not in ("text", "integer") or not period_column(column):
                continue  # asked of the data only for a column named for a period
            values = backend.distinct(self.source, column)
            unit = undated_grain(column, values)
            if unit is None:
                if undated_periods(column, values, self.source.columns):
                    written = _WRITTEN_OTHERWISE
                elif yearless_periods(column, values, self.source.columns):
                    written = _WITHOUT_YEAR
                else:
                    continue
                shown = cut_short(
                    [repr(value) for value in values[:SHOWN]], SHOWN, total=len(values)
                )
                message = _(written).format(id=self.source.id, column=column, periods=shown)
                raise self.error(column, values[:1], message)
            message = _(
                "source '{id}' has no date column and no period column, so each of its rows"
                " counts in every period, but its column '{column}' places each row in a"
                " period ({first} … {last}), and each period would add up the rows of all of"
                ' them; declare time = "period", grain = "{grain}" and period_column ='
                ' "{column}" on the source'
            ).format(id=self.source.id, column=column, first=values[0], last=values[-1], grain=unit)
            raise self.error(column, values[:1], message)

    def regions(
        self, backend: Backend, column: str, names: RegionNames, definitions: Definitions
    ) -> dict[str, str]:
        renamed, unknown = names.settle(backend.distinct(self.source, column))
        totals = [u.written for u in unknown if _reads_as_total(u.written, definitions)]
        if totals:  # a row of totals, not a misspelt region
            raise self.error(column, totals[:1], _total_row(column, totals[0], definitions))
        if unknown:
            message = unknown[0].message(column)
            if len(unknown) > 1:
                others = ", ".join(repr(u.written) for u in unknown[1:SHOWN])
                message = _("{message}; also unknown: {others}").format(
                    message=message, others=others
                )
            raise self.error(column, [u.written for u in unknown], message)
        return renamed


def _keys(source: Source) -> list[tuple[str, str]]:
    """The columns of ``source`` that place each row (its date or period, the indicator or
    input it is of), with what to say of a row that leaves one empty: it would count
    nowhere, in silence."""
    period = _(
        "the row leaves '{column}' empty, so it would count in no period; fill it in, or"
        " delete the row if it is not a row of the table"
    )
    keys: list[tuple[str, str]] = []
    if source.grain is not None:
        keys.append((source.grain.column, period))
    elif source.date_column:
        keys.append((source.date_column, period))
    if source.kind == "realisasi":
        keys += [
            (
                "indikator",
                _(
                    "the row leaves '{column}' empty, so its nilai would count for no"
                    " indicator; write the indicator's id, or delete the row if it is not a"
                    " row of the table"
                ),
            ),
            ("periode", period),
        ]
    if source.kind == "inputs":
        keys += [
            (
                "nama",
                _(
                    "the row leaves '{column}' empty, so its nilai would count for no input;"
                    " write the input's name, or delete the row if it is not a row of the table"
                ),
            ),
            ("tahun", period),
        ]
    return [(column, message) for column, message in dict(keys).items() if column in source.columns]


_TOTAL_WORDS = (
    {
        *("jumlah", "jml", "total", "subtotal", "rekap", "rekapitulasi", "seluruh", "semua"),
        *("σ", "kabupaten", "kab", "kab/kota"),
    },
    {("sub", "total"), ("grand", "total")},
)
"""How a row of totals is titled in the region column of a table kept in a spreadsheet:
its first word (``JUMLAH``, ``Rekap``, ``Semua Kecamatan``, ``Σ``, the whole area as
``Kabupaten`` or ``Kab. Pandeglang``), or its first two."""


def _reads_as_total(name: str, definitions: Definitions) -> bool:
    """Whether a region name reads as the title of a row of totals (``JUMLAH``, ``Total``,
    ``Jml. Kecamatan``, ``Sub Total``, ``Rekapitulasi``, ``Kabupaten``, or the office's own
    area as ``[office] region`` names it), not as a place."""
    key = region_key(name)
    words = [word.strip(".:") for word in key.split()]
    if not words:
        return False
    if words[0] in _TOTAL_WORDS[0] or tuple(words[:2]) in _TOTAL_WORDS[1]:
        return True
    office = definitions.office
    area = office.region if office is not None else None
    return key == "kota" or (area is not None and key == region_key(area))


def _beside_regions(column: str, level: str, definitions: Definitions) -> str:
    """Why a table of values per period may not leave its region column empty in one row
    while others name a region: the row is their total (10 and 20 with a row of 30 would
    make 60), or the area's own value, which the table does not say."""
    return _(
        "the row leaves '{column}' empty beside rows that name a {level}: in a table of values"
        " per period such a row is most often their total, which the whole {area} would count"
        " twice; write the {level}, or delete the row (iku adds up the regions itself)"
    ).format(column=column, level=level, area=definitions.area)


def _total_row(column: str, name: str, definitions: Definitions) -> str:
    return _(
        "the {column} {name} reads as a row of totals: its numbers are those of the other"
        " rows, so the whole {area} would count them twice; delete the row (iku adds up the"
        " regions itself), or, if {name} is a place, declare it as a [[region]]"
    ).format(column=column, name=repr(name), area=definitions.area)


def _one_spelling(undeclared: Mapping[str, Sequence[tuple[str, Placer, str]]]) -> None:
    """Refuse a region of an undeclared level written two ways, or by its code beside
    regions written by name (:func:`~iku_rules.regions.undeclared_clash`), in one source or
    in two, at the row of the second way or of the code."""
    for level, entries in undeclared.items():
        clash = undeclared_clash(level, [(name, column) for name, _place, column in entries])
        if clash is not None:
            name, place, column = entries[clash[0]]
            raise place.error(column, [name], clash[1])


def _with_suggestion(name: str, known: Sequence[str]) -> str:
    found = closest(name, known) or [k for k in known if region_key(k) == region_key(name)]
    if not found:
        return repr(name)
    return _("{name} (did you mean {names}?)").format(
        name=repr(name), names=_(" or ").join(repr(k) for k in found)
    )
