"""A puskesmas of a monthly report that stops reporting: its triwulan is never the others' sum.

A table of values per period (``time = "period"``, ``grain = "month"``) of an office that
declares no puskesmas: the puskesmas are the names its rows write. Alpha reported every
month of 2026, Beta every month to September and nothing since. Beta was a unit of the
table only in the periods it had rows in, so TW4 was Alpha's three months alone, given as
the kabupaten's TW4 without a word (the year, which holds Beta's rows, was refused). Now a
place that reported earlier in the year is a unit of every later period of it: TW4 is not
available, Beta's months named, as it is for the year.

The births each puskesmas reports in month m of 2026:

    Alpha   m         TW1 1 + 2 + 3 = 6,   TW3 7 + 8 + 9 = 24,   TW4 10 + 11 + 12 = 33
    Beta    100 × m   TW1 600,             TW3 2400,             TW4 no row
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import code_of

OFFICE = (
    """\
[office]
id = "audit-label"
name = "Dinas Audit Label"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

[[level]]
id = "puskesmas"
name = "Puskesmas"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "lahir"
  name = "Kelahiran hidup"
  unit = "Orang"
  formula = "Σ [Kelahiran]"

[[source]]
id = "laporan"
kind = "register"
format = "csv"
path = "laporan.csv"
time = "period"
grain = "month"
period_column = "bulan"
regions = { puskesmas = "puskesmas" }
columns = { bulan = "text", puskesmas = "text", lahir = "integer" }

[[measure]]
name = "Kelahiran"
source = "laporan"
aggregate = "sum"
column = "lahir"
unit = "Orang"
"""
)


def office(tmp_path: Path) -> Path:
    """The office, Alpha's twelve months and Beta's first nine."""
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    rows = ["bulan,puskesmas,lahir"]
    rows += [f"2026-{m:02d},Alpha,{m}" for m in range(1, 13)]
    rows += [f"2026-{m:02d},Beta,{100 * m}" for m in range(1, 10)]
    (folder / "laporan.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def evaluate(folder: Path, backend: str, period: str) -> tuple[Decimal | None, object]:
    """The kabupaten's births for ``period``, and the reason it has none."""
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate(period)
    (result,) = [r for r in evaluation.results if r.indicator.id == "lahir" and r.region is None]
    return result.value, result.reason


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_triwulan_a_puskesmas_reported_nothing_in_is_not_the_others_sum(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path)
    # TW1 and TW3 have every row: 6 + 600 = 606, 24 + 2400 = 2424
    assert evaluate(folder, backend, "2026-TW1") == (Decimal(606), None)
    assert evaluate(folder, backend, "2026-TW3") == (Decimal(2424), None)
    # TW4: Alpha's 33 alone was given; Beta's October to December are not known
    value, reason = evaluate(folder, backend, "2026-TW4")
    assert value is None
    assert code_of(reason) == "missing-values"
    assert "no row for 2026-10 to 2026-12 from puskesmas Beta" in str(reason)


def test_the_command_lists_a_triwulan_without_the_rows_of_a_puskesmas_as_not_available(
    tmp_path: Path,
) -> None:
    folder = office(tmp_path)
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW3..TW4",
        "--lang", "en", "--format", "csv", "--today", "2027-02-01",
    )  # fmt: skip
    assert status == 0, out
    lines = [line for line in out.splitlines() if line.startswith("lahir,")]
    assert len(lines) == 2, out
    assert ",2424," in lines[0]  # TW3: 24 + 2400
    assert "missing-values" in lines[1] and ",33," not in lines[1]  # TW4: not Alpha's 33


# -- a monthly report declared as a register without dates

UNDATED = OFFICE.replace(
    'time = "period"\ngrain = "month"\nperiod_column = "bulan"\nregions = { puskesmas = "puskesmas" }\n',
    "",
).replace('puskesmas = "text", ', "")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_register_without_dates_whose_column_writes_months_is_refused(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The monthly report of 2025 and 2026 (1000 births a month in 2025, m in month m of
    # 2026) declared without time = "period": every row counted in every period, so
    # 2026-TW1 was 12 × 1000 + 78 = 12078 where its months give 1 + 2 + 3 = 6. Refused now,
    # at the first row of the column, saying what to declare.
    read_in_place(monkeypatch, in_place)
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(UNDATED, encoding="utf-8")
    rows = ["bulan,lahir"] + [f"2025-{m:02d},1000" for m in range(1, 13)]
    rows += [f"2026-{m:02d},{m}" for m in range(1, 13)]
    (folder / "laporan.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1",
        "--lang", "en", "--backend", backend,
    )  # fmt: skip
    said = capsys.readouterr().err
    assert status != 0
    assert "12078" not in out
    assert "laporan.csv, row 2, column 'bulan'" in said
    assert 'declare time = "period", grain = "month" and period_column = "bulan"' in said


def test_a_register_without_dates_with_a_column_of_other_texts_is_read(tmp_path: Path) -> None:
    # A register of staff with the year and the month each joined is no table of values per
    # period: all rows count, 2 + 3 = 5. Its month is named for what it is, bulan_masuk; a
    # column named bulan alone, holding Januari and Maret with no year, is refused
    # (tests/test_audit_grains.py).
    folder = tmp_path / "office"
    folder.mkdir()
    definitions = UNDATED.replace("bulan = ", 'tahun_masuk = "integer", bulan_masuk = ')
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    rows = ["tahun_masuk,bulan_masuk,lahir", "2019,Januari,2", "2024,Maret,3"]
    (folder / "laporan.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--lang", "en"
    )
    assert status == 0, out
    assert any(line.split()[:2] == ["lahir", "5"] for line in out.splitlines()), out


# -- a period typed in digits of another script


def test_a_realisasi_period_in_full_width_digits_is_refused_at_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TW1's 1 written '２０２６-TW1' (full-width digits) passed as a triwulan but matched
    # none: the year was 2 + 3 + 4 = 9 with TW1 said to be not reported, where it is 10.
    # Refused now at its row and column.
    folder = tmp_path / "office"
    folder.mkdir()
    definitions = OFFICE + (
        '\n[[program]]\nid = "1.02.02"\nkode = "1.02.02"\nname = "P"\nparent = "sasaran"\n'
        '\n[[kegiatan]]\nid = "1.02.02.2.01"\nkode = "1.02.02.2.01"\nname = "K"\n'
        'parent = "1.02.02"\n'
        '\n[[sub_kegiatan]]\nid = "1.02.02.2.01.0001"\nkode = "1.02.02.2.01.0001"\n'
        'name = "S"\nparent = "1.02.02.2.01"\n'
        '\n  [[sub_kegiatan.indikator]]\n  id = "layanan"\n  name = "Layanan"\n'
        '  unit = "Orang"\n  formula = "realisasi"\n'
        '\n[[source]]\nid = "realisasi"\nkind = "realisasi"\nformat = "csv"\n'
        'path = "realisasi.csv"\ncolumns = { indikator = "text", periode = "text",'
        ' nilai = "decimal" }\n'
    )
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    (folder / "laporan.csv").write_text("bulan,puskesmas,lahir\n", encoding="utf-8")
    rows = ["indikator,periode,nilai", "layanan,２０２６-TW1,1"]
    rows += [f"layanan,2026-TW{q},{q}" for q in (2, 3, 4)]
    (folder / "realisasi.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--lang", "en"
    )
    said = capsys.readouterr().err
    assert status != 0, out
    assert "realisasi.csv, row 2, column 'periode'" in said
    assert "'２０２６-TW1'" in said


# -- an input's year of two digits


def test_an_input_of_the_year_written_in_two_digits_is_refused_at_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The population of 2026 written tahun 26: the input was "not available: the inputs
    # have no value for 2026", naming no row. Refused now at its row and column.
    folder = tmp_path / "office"
    folder.mkdir()
    definitions = OFFICE.replace('formula = "Σ [Kelahiran]"', 'formula = "[Penduduk]"') + (
        '\n[[source]]\nid = "inputs"\nkind = "inputs"\nformat = "csv"\npath = "inputs.csv"\n'
        'columns = { nama = "text", tahun = "integer", nilai = "integer" }\n'
        '\n[[input]]\nname = "Penduduk"\nunit = "Orang"\nsource = "inputs"\n'
    )
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    (folder / "laporan.csv").write_text("bulan,puskesmas,lahir\n", encoding="utf-8")
    rows = "nama,tahun,nilai\nPenduduk,2025,500\nPenduduk,26,510\n"
    (folder / "inputs.csv").write_text(rows, encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--lang", "en"
    )
    said = capsys.readouterr().err
    assert status != 0, out
    assert "inputs.csv, row 3, column 'tahun': the period '26'" in said


@pytest.mark.parametrize("regions", [True, False], ids=["puskesmas", "no-region-column"])
def test_a_triwulan_nobody_reported_after_months_that_were_is_not_zero(
    tmp_path: Path, regions: bool
) -> None:
    # Under empty = "zero", TW4 with no row at all (both puskesmas reported to September)
    # was 0 births, given as TW4's number; the year was refused. TW4 is not available now,
    # its months named; TW3 keeps 24 + 2400 = 2424 (without region columns too).
    folder = office(tmp_path)
    definitions = OFFICE.replace('column = "lahir"\n', 'column = "lahir"\nempty = "zero"\n')
    if not regions:
        definitions = definitions.replace('regions = { puskesmas = "puskesmas" }\n', "")
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    rows = ["bulan,puskesmas,lahir"] + [f"2026-{m:02d},Alpha,{m}" for m in range(1, 10)]
    rows += [f"2026-{m:02d},Beta,{100 * m}" for m in range(1, 10)]
    if not regions:  # one unit: the two puskesmas' months as one row each
        rows = ["bulan,puskesmas,lahir"] + [f"2026-{m:02d},,{101 * m}" for m in range(1, 10)]
    (folder / "laporan.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert evaluate(folder, "duckdb", "2026-TW3") == (Decimal(2424), None)
    value, reason = evaluate(folder, "duckdb", "2026-TW4")
    assert value is None
    assert code_of(reason) == "missing-values"
    assert "no row for 2026-10 to 2026-12" in str(reason)
