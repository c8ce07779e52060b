"""A number written with a decimal comma in a file delimited by commas splits into two
fields: ``12,5`` under ``nilai`` reads 12, and 5 lands in the next column. When the row's
last field is empty, the row has one field more than the header, all of it empty, which
DuckDB and the csv module both drop: the realisasi read 12 for 12,5 in silence. In a
comma-delimited file such a row is now refused at its row on every backend; a file
delimited by semicolons, where no number holds the delimiter, still drops the empty fields.

The office is tests/fixtures/mini with a realisasi indicator added and a ``catatan``
column after ``nilai`` in its realisasi table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, read_in_place, run
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError


def _with_notes(tmp_path: Path, rows: list[str], delimiter: str = ",") -> Path:
    """The office, its realisasi table given a ``catatan`` column (empty on every row so
    far) and ``rows`` (of kode, indikator, periode, kecamatan, nilai, catatan)."""
    folder = _office(tmp_path, _indicator("dilayani", "Orang", '2026 = "100"'), [])
    path = folder / "realisasi.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",catatan"] + [line + "," for line in lines[1:]] + rows
    path.write_text("".join(line.replace(",", delimiter) + "\n" for line in lines), "utf-8")
    return folder


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_decimal_comma_split_in_two_is_refused_at_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # Read as the csv module and DuckDB read it, the kabupaten's realisasi would be 12 (and
    # the catatan "5"); the planner meant 12,5. Row 6: the header, four rows of the
    # fixture, then this one.
    read_in_place(monkeypatch, in_place)
    folder = _with_notes(tmp_path, ["1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,12,5,"])
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(caught.value) == (
        "realisasi.csv, row 6: the row has 7 fields but the header has 6, the last of them"
        " empty: a value that contains ',' (12,5) must be in double quotes; if the row only"
        " ends with a ',' too many, delete it"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_same_value_in_double_quotes_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = _with_notes(tmp_path, ['1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,"12,5",'])
    result = Engine(folder, folder, backend=backend).evaluate("2026").get("dilayani")
    assert result.value == Decimal("12.5")  # the only row of dilayani: 12,5


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_after_semicolons_empty_fields_at_a_rows_end_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # Semicolons, as Excel writes a CSV file in an Indonesian locale: 12,5 stays one field,
    # and the ';' a row ends with more than the header is nothing lost.
    read_in_place(monkeypatch, in_place)
    folder = _with_notes(
        tmp_path, ["1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,12#5,,"], delimiter=";"
    )
    path = folder / "realisasi.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("#", ","), "utf-8")
    result = Engine(folder, folder, backend=backend).evaluate("2026").get("dilayani")
    assert result.value == Decimal("12.5")


def test_the_refusal_in_indonesian_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _with_notes(tmp_path, ["1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,12,5,"])
    status, _out = run(
        "--lang", "id", "eval", str(folder), "--data", str(folder), "--period", "2026"
    )
    assert status == 1
    error = capsys.readouterr().err
    assert "baris 6" in error and "tanda kutip ganda" in error and "(12,5)" in error


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    "ending", ['""', '""\n', ""], ids=["quoted-empty", "quoted-empty-newline", "file-end"]
)
def test_the_split_is_refused_however_the_row_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool, ending: str
) -> None:
    # Its empty last field written "" (quoted), or the row last in the file, without a line
    # break after it: still 12,5 split in two.
    read_in_place(monkeypatch, in_place)
    folder = _with_notes(tmp_path, [])
    path = folder / "realisasi.csv"
    row = "1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,12,5,"
    path.write_text(path.read_text(encoding="utf-8") + row + ending, encoding="utf-8")
    with pytest.raises(DataError, match="row 6: the row has 7 fields but the header has 6"):
        Engine(folder, folder, backend=backend).evaluate("2026")
