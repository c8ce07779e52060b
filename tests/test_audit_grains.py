"""Time grains other than the triwulan: a count reported every month, asked as a state, and a
register without dates that writes its months, semesters or school years in a column.

A puskesmas reports each month how many kader are active (50 in each of January to March
2026). Its measure says ``time = "state"``: the number at the period's end, 50 for TW1. A
table of values per period adds up the rows of the months within the period whatever the
measure says, so TW1 read 50 + 50 + 50 = 150 kader without a word. Such a measure is now
refused before anything runs, saying what to do.

A register with neither a date column nor ``time = "period"`` counts every row in every
period. One whose column writes periods as ``2026-01`` was refused already; written
``Januari`` beside a ``tahun``, ``06/2026``, ``Semester I 2026`` or ``2025/2026`` it was read,
each period adding up the rows of all of them. Those are refused now too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place, run

OFFICE = (
    """\
[office]
id = "audit-grain"
name = "Dinas Audit Grain"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "kader"
  name = "Kader aktif"
  unit = "Orang"
  formula = "Σ [Kader Aktif]"

[[source]]
id = "laporan"
kind = "register"
format = "csv"
path = "laporan.csv"
time = "period"
grain = "month"
period_column = "bulan"
columns = { bulan = "text", kader = "integer" }

[[measure]]
name = "Kader Aktif"
source = "laporan"
aggregate = "sum"
column = "kader"
unit = "Orang"
time = "state"
"""
)


def test_a_state_asked_of_a_table_of_months_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 50 kader active at the end of each month: the state at the end of 2026-TW1 is 50.
    # It read 50 + 50 + 50 = 150, the months added up.
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    rows = "bulan,kader\n2026-01,50\n2026-02,50\n2026-03,50\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--lang", "en"
    )
    said = capsys.readouterr().err
    assert status != 0
    assert "150" not in out
    assert "measure 'Kader Aktif' says time = \"state\"" in said
    assert "source 'laporan' gives values per period" in said


def test_a_measure_of_a_table_of_months_that_adds_them_up_is_read(tmp_path: Path) -> None:
    # Without time = "state" the months are added up, as the office asks: 10 + 20 + 30 = 60.
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(
        OFFICE.replace('time = "state"\n', ""), encoding="utf-8"
    )
    rows = "bulan,kader\n2026-01,10\n2026-02,20\n2026-03,30\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--lang", "en"
    )
    assert status == 0, out
    assert any(line.split()[:2] == ["kader", "60"] for line in out.splitlines()), out


# -- a register without dates whose column writes its periods otherwise than 2026-01

UNDATED = (
    """\
[office]
id = "audit-undated"
name = "Dinas Audit Undated"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "peserta"
  name = "Peserta"
  unit = "Orang"
  formula = "Σ [Jumlah Peserta]"

[[source]]
id = "laporan"
kind = "register"
format = "csv"
path = "laporan.csv"
columns = { COLUMNS, peserta = "integer" }

[[measure]]
name = "Jumlah Peserta"
source = "laporan"
aggregate = "sum"
column = "peserta"
unit = "Orang"
"""
)

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni"]
ROMAN = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
MONTHS_ALL = [*MONTHS, "Juli", "Agustus", "September", "Oktober", "November", "Desember"]


@pytest.mark.parametrize(
    ("columns", "rows", "column"),
    [
        # a puskesmas' monthly report, months by name beside its year: m people in month m,
        # 2026-TW1 is 1 + 2 + 3 = 6; every row counted in every period gave 21
        (
            'bulan = "text", tahun = "integer"',
            [f"{name},2026,{m}" for m, name in enumerate(MONTHS, start=1)],
            "bulan",
        ),
        # the months by number beside the year: the same 6, given as 21
        (
            'bulan = "integer", tahun = "integer"',
            [f"{m},2026,{m}" for m in range(1, 7)],
            "bulan",
        ),
        # months written with their year (Juni 2026, 06/2026)
        ('bulan = "text"', [f"{m:02d}/2026,{m}" for m in range(1, 7)], "bulan"),
        # a school's semesters (10 in the first, 20 in the second): 2026-TW1 read 30
        ('semester = "text"', ["Semester I 2026,10", "Semester II 2026,20"], "semester"),
        ('semester = "integer", tahun = "integer"', ["1,2026,10", "2,2026,20"], "semester"),
        # two school years (2025/2026: 10, 2026/2027: 20): 2026 read 30 and 2025 too
        ('tahun_ajaran = "text"', ["2025/2026,10", "2026/2027,20"], "tahun_ajaran"),
        # a triwulan report written TW1 … TW4 beside its year, q people in triwulan q:
        # 2026-TW1 is 1, every row counted in every period gave 1 + 2 + 3 + 4 = 10
        (
            'triwulan = "text", tahun = "integer"',
            [f"TW{q},2026,{q}" for q in range(1, 5)],
            "triwulan",
        ),
        # the same written Triwulan I 2026 … Triwulan IV 2026: 10 for 1
        ('triwulan = "text"', [f"Triwulan {r} 2026,{q}" for q, r in ROMAN], "triwulan"),
        # the triwulans written I … IV in a column named periode beside the year (I and II
        # read as semesters, III and IV as triwulans, so as no one kind): read as 10 for 1
        (
            'periode = "text", tahun = "integer"',
            [f"{r},2026,{q}" for q, r in ROMAN],
            "periode",
        ),
    ],
    ids=[
        *("month-names", "month-numbers", "month-year", "semester", "semester-1-2"),
        *("tahun-ajaran", "tw-beside-tahun", "triwulan-roman-year", "periode-roman-tahun"),
    ],
)
def test_a_register_without_dates_whose_column_writes_periods_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    columns: str,
    rows: list[str],
    column: str,
) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    definitions = UNDATED.replace("COLUMNS", columns)
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    header = ",".join(name.split(" = ")[0] for name in columns.split(", ")) + ",peserta"
    (folder / "laporan.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--lang", "en"
    )
    said = capsys.readouterr().err
    assert status != 0, out
    assert f"column '{column}': source 'laporan' has no date column" in said
    assert f"its column '{column}' places each row in a period" in said


def test_a_register_of_one_month_beside_its_year_is_read(tmp_path: Path) -> None:
    # One month only (Januari 2026): its rows are that month's whichever period is asked,
    # 4 + 5 = 9; and a column named semester holding 3, 5 and 7 (the semester a student is
    # in) is no period: 1 + 2 + 3 = 6.
    folder = tmp_path / "office"
    folder.mkdir()
    definitions = UNDATED.replace("COLUMNS", 'bulan = "text", tahun = "integer"')
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    rows = "bulan,tahun,peserta\nJanuari,2026,4\nJanuari,2026,5\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run("eval", str(folder), "--data", str(folder), "--period", "2026")
    assert status == 0, out
    assert any(line.split()[:2] == ["peserta", "9"] for line in out.splitlines()), out
    definitions = UNDATED.replace("COLUMNS", 'semester = "integer", tahun = "integer"')
    (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
    rows = "semester,tahun,peserta\n3,2026,1\n5,2026,2\n7,2026,3\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run("eval", str(folder), "--data", str(folder), "--period", "2026")
    assert status == 0, out
    assert any(line.split()[:2] == ["peserta", "6"] for line in out.splitlines()), out


# -- a column of months or semesters with no year anywhere

NO_YEAR = [
    # a monthly report of 2026 written Januari … Desember with no year anywhere, m people in
    # month m: 2026-TW1 is 1 + 2 + 3 = 6, but every row counted in every period gave
    # 1 + 2 + … + 12 = 78, for 2026-TW1 as for 2025, which the file does not hold
    ('bulan = "text"', [f"{name},{m}" for m, name in enumerate(MONTHS_ALL, start=1)], "bulan"),
    # the same months by their short names, in a column named periode: 78 for 6 again
    (
        'periode = "text"',
        [f"{name[:3]},{m}" for m, name in enumerate(MONTHS_ALL, start=1)],
        "periode",
    ),
    # the months by number 1 to 12 in a column named bulan: 78 for 6
    ('bulan = "integer"', [f"{m},{m}" for m in range(1, 13)], "bulan"),
    # a school's two semesters without their year (10 and 20): 2026-TW1 read 30
    ('semester = "text"', ["Semester I,10", "Semester II,20"], "semester"),
    ('semester = "text"', ["Ganjil,10", "Genap,20"], "semester"),
    # a triwulan report written TW1 … TW4, q people in triwulan q: 2026-TW1 is 1, read 10
    ('triwulan = "text"', [f"TW{q},{q}" for q in range(1, 5)], "triwulan"),
    # its triwulans by number 1 to 4 in a column named tw: 10 for 1
    ('tw = "integer"', [f"{q},{q}" for q in range(1, 5)], "tw"),
    # its triwulans written I … IV in a column named periode (I and II read as semesters,
    # III and IV as triwulans: no one kind, so let be): 2026-TW1 read 10 for 1
    ('periode = "text"', [f"{r},{q}" for q, r in ROMAN], "periode"),
    # the first two only, I and II (semesters or triwulans; refused already): 3 for 1
    ('periode = "text"', [f"{r},{q}" for q, r in ROMAN[:2]], "periode"),
    # its triwulans by number 1 to 4 in a column named periode, or masa: 10 for 1
    ('periode = "integer"', [f"{q},{q}" for q in range(1, 5)], "periode"),
    ('masa = "text"', [f"{q},{q}" for q in range(1, 5)], "masa"),
]


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("columns", "rows", "column"),
    NO_YEAR,
    ids=[
        *("month-names", "short-names", "month-numbers", "semester", "ganjil-genap"),
        *("tw", "tw-numbers", "periode-roman", "periode-i-ii", "periode-numbers"),
        "masa-numbers",
    ],
)
def test_a_register_whose_column_writes_periods_without_a_year_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    columns: str,
    rows: list[str],
    column: str,
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(UNDATED.replace("COLUMNS", columns), encoding="utf-8")
    header = column + ",peserta"
    (folder / "laporan.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1",
        "--lang", "en", "--backend", backend,
    )  # fmt: skip
    said = capsys.readouterr().err
    assert status != 0, out
    assert not any(line.split()[:1] == ["peserta"] for line in out.splitlines()), out
    assert "laporan.csv, row " in said and f", column '{column}': source 'laporan'" in said
    assert f"its column '{column}' places each row in a month, triwulan or semester" in said
    assert "without its year" in said
    assert f'its grain and period_column = "{column}"' in said


def test_a_month_that_is_not_the_row_s_period_is_read(tmp_path: Path) -> None:
    # A register of institutions with the month each was founded (bulan_berdiri), and a
    # column named semester holding 1 and 2 (the semester each student is in), no year
    # anywhere: neither is the row's period, so every row counts, 4 + 5 + 6 = 15.
    folder = tmp_path / "office"
    folder.mkdir()
    # Nor is a column named periode holding 1, 2 and 5 (rounds: 5 is no triwulan).
    for columns, rows in [
        ('bulan_berdiri = "text"', "bulan_berdiri,peserta\nJanuari,4\nMaret,5\nJuni,6\n"),
        ('semester = "integer"', "semester,peserta\n1,4\n2,5\n1,6\n"),
        ('periode = "integer"', "periode,peserta\n1,4\n2,5\n5,6\n"),
    ]:
        definitions = UNDATED.replace("COLUMNS", columns)
        (folder / "definitions.toml").write_text(definitions, encoding="utf-8")
        (folder / "laporan.csv").write_text(rows, encoding="utf-8")
        status, out = run("eval", str(folder), "--data", str(folder), "--period", "2026")
        assert status == 0, out
        assert any(line.split()[:2] == ["peserta", "15"] for line in out.splitlines()), out
