"""What many tests share: the small office copied to edit, and the command run in-process."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.sources.csv_relations import IN_PLACE_BYTES, CsvRelations

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
"""The small office: its definitions and its data in one folder."""

CASCADE = """\
[[visi]]
id = "visi"
name = "Visi"

[[misi]]
id = "misi"
name = "Misi"
parent = "visi"

[[sasaran]]
id = "sasaran"
tingkat = "renstra"
name = "Sasaran"
parent = "misi"
"""
"""The least cascade an office's definitions hold: one Visi, Misi and Sasaran (``sasaran``),
for a test's indicators to stand under."""


def run(*argv: str) -> tuple[int, str]:
    """The ``iku`` command's exit status and what it wrote to its output."""
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def office(tmp_path: Path) -> Path:
    """A copy of the small office (definitions and data) to change."""
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in the office's definitions."""
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


BACKENDS = [("python", False), ("sqlite", False), ("duckdb", False), ("duckdb", True)]
"""Each embedded backend, as ``(backend, in_place)``; DuckDB both with a CSV file copied
into a table and read in place (:func:`read_in_place`)."""
BACKEND_IDS = ["python", "sqlite", "duckdb-table", "duckdb-in-place"]


def read_in_place(monkeypatch: pytest.MonkeyPatch, in_place: bool) -> None:
    """Have DuckDB read every CSV file in place (a view over it), or copy each into a table."""
    monkeypatch.setattr(CsvRelations, "in_place_bytes", 0 if in_place else IN_PLACE_BYTES)


def add_row(folder: Path, file: str, row: str) -> None:
    """Add ``row`` (one line of CSV) at the end of the data file ``file``."""
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")


def declare_kecamatan(folder: Path, *names: str) -> Path:
    """The small office ``folder`` made a kabupaten declaring the kecamatan ``names``, with a
    PMKS of Cibitung registered on 1 June 2026 (nik …07) and none of its services in the
    log: a declared region the service log has no row for."""
    regions = "".join(f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n' for name in names)
    level = '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n'
    edit(folder, "[[visi]]", level + regions + "[[visi]]")
    edit(folder, 'name = "Dinas Mini"\n', 'name = "Dinas Mini"\nkind = "kabupaten"\n')
    add_row(folder, "register_pmks.csv", "3601000000000007,Cibitung,Fakir Miskin,2026-06-01")
    return folder


def staff_office(format: str) -> str:
    """The definitions of a small office counting its staff (``Σ [Honor]``, ``Σ [Pegawai]``)
    from one register without dates, ``staf.<format>`` (its sheet ``Data``), in notation
    ``id``: the office the tests of hostile rows in a register read."""
    return STAFF.format(
        format=format,
        path=f"staf.{format}",
        extra='table = "Data"\ntime = "state"\n',
        columns=STAFF_COLUMNS,
    )


STAFF = (
    """
[office]
id = "staf"
name = "Dinas Staf"
plan_start = 2025
plan_end = 2027
units = ["Nilai", "Orang"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-honor"
  name = "Jumlah honor"
  unit = "Nilai"
  formula = "Σ [Honor]"

  [[sasaran.indikator]]
  id = "jumlah-pegawai"
  name = "Jumlah pegawai"
  unit = "Orang"
  formula = "Σ [Pegawai]"

[[source]]
id = "staf"
kind = "register"
format = "{format}"
path = "{path}"
{extra}columns = {{ {columns} }}

[[measure]]
name = "Honor"
source = "staf"
aggregate = "sum"
column = "honor"

[[measure]]
name = "Pegawai"
source = "staf"
aggregate = "count"
"""
)
"""The staff office's definitions, to fill with its source's ``format``, ``path``, ``extra``
lines and ``columns`` (:func:`staff_office`)."""

STAFF_COLUMNS = 'nama = "text", honor = "decimal"'
