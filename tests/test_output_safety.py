"""Nothing overwritten unasked, nothing run by the spreadsheet that opens our CSV, and
one reading of a CSV row whatever the backend."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import MINI, office, run

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ("duckdb", "sqlite", "python")


def test_sample_data_leaves_a_folder_with_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "register_pmks.csv").write_text("nik\nthe office's real register\n", "utf-8")
    status, out = run("sample-data", str(folder), "--people", "20")
    assert status == 2 and out == ""
    assert capsys.readouterr().err == (
        f"iku: {folder} is not empty, and sample data would replace the files of the same"
        " names in it; choose an empty or new folder, or add --force to replace them\n"
    )
    assert (folder / "register_pmks.csv").read_text("utf-8") == "nik\nthe office's real register\n"
    assert sorted(path.name for path in folder.iterdir()) == ["register_pmks.csv"]
    status, out = run("sample-data", str(folder), "--people", "20", "--force")
    assert status == 0 and "register_pmks: 20 rows" in out
    assert "real register" not in (folder / "register_pmks.csv").read_text("utf-8")


def test_sample_data_writes_into_an_empty_or_new_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("sample-data", str(tmp_path / "empty"), "--people", "20")[0] == 0
    assert run("sample-data", str(tmp_path / "new" / "deeper"), "--people", "20")[0] == 0


HOSTILE_NAMES = ['=HYPERLINK("http://x.example","klik")', "+A1+2", "-A2+3", "@SUM(A1)", "\t=A1"]
"""Region names a spreadsheet would run (each with a letter: a name without one, beside
names, is refused as a region written by its code)."""


def test_csv_output_neutralises_what_a_spreadsheet_would_run(tmp_path: Path) -> None:
    folder = office(tmp_path)
    lines = ["kode_sub_kegiatan,indikator,periode,kecamatan,nilai"]
    for index, name in enumerate(HOSTILE_NAMES):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,{quoted},{-index - 1}")
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--by", "kecamatan",
        "--format", "csv",
    )  # fmt: skip
    assert status == 0
    rows = [row for row in csv.DictReader(io.StringIO(out)) if row["id"] == "alat-bantu-orang"]
    regions = {row["region"]: row["value"] for row in rows if row["value"]}
    assert regions == {
        "": "-15",  # the kabupaten: -1 - 2 - 3 - 4 - 5, a number left as a number
        '\'=HYPERLINK("http://x.example","klik")': "-1",
        "'+A1+2": "-2",
        "'-A2+3": "-3",
        "'@SUM(A1)": "-4",
        "'\t=A1": "-5",
    }
    for row in csv.reader(io.StringIO(out)):
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)
        assert all(not cell.startswith("-") or cell.lstrip("-").isdigit() for cell in row)


@pytest.mark.parametrize("ending", [";", ";;", ';""', ";;;"])
def test_empty_fields_at_the_end_of_a_row_read_alike_everywhere(
    tmp_path: Path, ending: str
) -> None:
    # After semicolons (no number holds one) empty fields beyond the header are nothing lost.
    folder = office(tmp_path)
    path = folder / "inputs.csv"
    lines = path.read_text(encoding="utf-8").replace(",", ";").splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ending, *lines[2:]]) + "\n", "utf-8")
    expected = Engine(MINI, MINI, backend="python").evaluate("2026").rows()
    for backend in BACKENDS:
        assert Engine(folder, folder, backend=backend).evaluate("2026").rows() == expected


@pytest.mark.parametrize("ending", [",", ",,", ',""', ",,,"])
def test_empty_fields_at_the_end_of_a_comma_row_are_refused_everywhere(
    tmp_path: Path, ending: str
) -> None:
    # After commas the row may be a number with a decimal comma split in two (12,5 read 12).
    folder = office(tmp_path)
    path = folder / "inputs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ending, *lines[2:]]) + "\n", "utf-8")
    messages = set()
    for backend in BACKENDS:
        with pytest.raises(DataError) as raised:
            Engine(folder, folder, backend=backend).evaluate("2026")
        messages.add(str(raised.value))
    (message,) = messages
    assert message.startswith("inputs.csv, row 2: the row has ")
    assert "a value that contains ',' (12,5) must be in double quotes" in message


@pytest.mark.parametrize("ending", [", ", ",x", ",,1", ',"  "'])
def test_a_field_beyond_the_header_with_something_in_it_is_refused_everywhere(
    tmp_path: Path, ending: str
) -> None:
    folder = office(tmp_path)
    path = folder / "inputs.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ending, *lines[2:]]) + "\n", "utf-8")
    messages = set()
    for backend in BACKENDS:
        with pytest.raises(DataError) as raised:
            Engine(folder, folder, backend=backend).evaluate("2026")
        messages.add(str(raised.value))
    (message,) = messages
    assert message.startswith("inputs.csv, row 2: the row has ")
