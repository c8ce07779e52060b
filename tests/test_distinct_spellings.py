"""A measure that tells the values of a ``text`` column apart (counts them distinct, or
counts only each entity's latest record) refuses two values that differ only in case or
spacing, at the row of the second, on every embedded engine: ``Fakir Miskin `` typed with a
space after it would count one category, or one household, too many without a word.

The small office (tests/fixtures/mini): register_pmks holds, registered by 31 December
2026, rows 1–5 of its file, whose kategori are Anak Terlantar, Fakir Miskin, Fakir Miskin,
Anak Terlantar and Penyandang Disabilitas: 3 kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, edit, office, read_in_place, run
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.loader import load

KINDS = """
[[measure]]
name = "Jenis PMKS"
source = "register_pmks"
aggregate = "count_distinct"
column = "kategori"
"""


def kinds_office(tmp_path: Path) -> Path:
    """The small office with an indicator ``jenis``: the kinds of PMKS registered."""
    folder = office(tmp_path)
    edit(
        folder,
        '  [[sasaran.indikator]]\n  id = "kenaikan"',
        '  [[sasaran.indikator]]\n  id = "jenis"\n  name = "Jenis PMKS"\n  unit = "Orang"\n'
        '  formula = "[Jenis PMKS]"\n\n  [[sasaran.indikator]]\n  id = "kenaikan"',
    )
    path = folder / "definitions.toml"
    path.write_text(path.read_text(encoding="utf-8") + KINDS, encoding="utf-8")
    return folder


def jenis(folder: Path, backend: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The exit status, and ``jenis``'s value or (refused) the message."""
    status, text = run(
        "--lang", "en", "eval", str(folder), "--data", str(folder), "--period", "2026",
        "--backend", backend, "--format", "csv",
    )  # fmt: skip
    if status != 0:
        return status, capsys.readouterr().err
    (row,) = [line for line in text.splitlines() if line.startswith("jenis,")]
    return status, row.split(",")[5]


def respell(folder: Path, old: str, new: str) -> None:
    path = folder / "register_pmks.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_kind_typed_with_a_space_after_it_is_refused_not_counted_twice(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = kinds_office(tmp_path)
    assert jenis(folder, backend, capsys) == (0, "3")  # Anak Terlantar, Fakir Miskin, Penyandang …
    # row 3 of the file (its second record): 'Fakir Miskin ' would be a fourth kind
    respell(folder, "Labuan,Fakir Miskin,2025-05-01", "Labuan,Fakir Miskin ,2025-05-01")
    status, text = jenis(folder, backend, capsys)
    assert status != 0
    assert "register_pmks.csv, row 3, column 'kategori'" in text
    assert (
        "the column 'kategori' holds 'Fakir Miskin' and 'Fakir Miskin ', which differ only in"
        " letter case or spacing; measure 'Jenis PMKS' tells its values apart exactly, so they"
        " would count as two. Write them alike"
    ) in text


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_kind_in_other_letters_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    folder = kinds_office(tmp_path)
    # row 4 (its third record): 'fakir miskin' beside row 3's 'Fakir Miskin'
    respell(folder, "Labuan,Fakir Miskin,2026-02-01", "Labuan,fakir miskin,2026-02-01")
    status, text = jenis(folder, backend, capsys)
    assert status != 0
    assert "row 4, column 'kategori'" in text
    assert "holds 'Fakir Miskin' and 'fakir miskin'" in text


def test_an_identifier_column_is_read_without_its_spaces_and_not_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # nik (kind nik) is read without the spaces around it: ' 3601000000000002' is the
    # second record's person, and PMKS (distinct nik) counts 5 people registered by the end
    # of 2026, the same as before; nothing is refused
    folder = kinds_office(tmp_path)
    respell(folder, "3601000000000002,Labuan", " 3601000000000002,Labuan")
    assert jenis(folder, "duckdb", capsys) == (0, "3")


def test_postgresql_refuses_the_two_spellings_as_the_embedded_engines_do(
    postgres: Postgres,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # PostgreSQL matches the values that are not their own key in SQL (a pattern): the
    # same refusal, at the same value, as above
    from psycopg import sql

    folder = kinds_office(tmp_path)
    respell(folder, "Labuan,Fakir Miskin,2025-05-01", "Labuan,Fakir Miskin ,2025-05-01")
    with postgres.connect() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier("kinds")))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("kinds")))
    load_csv_tables(postgres, load(folder), folder, "public", dbname="kinds")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = f"postgresql://iku@127.0.0.1:{postgres.port}/kinds"
    status, _text = run(
        "--lang", "en", "eval", str(folder), "--source", url, "--period", "2026",
    )  # fmt: skip
    assert status != 0
    assert "holds 'Fakir Miskin' and 'Fakir Miskin ', which differ only" in capsys.readouterr().err


def test_the_entity_of_a_latest_record_is_refused_in_two_spellings_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Counting only each kategori's latest registration (terakhir per kategori): by the end
    # of 2026 the three kinds' latest rows are 3 (Anak Terlantar, Fakir Miskin, Penyandang
    # Disabilitas); 'Fakir Miskin ' would be a fourth entity
    folder = kinds_office(tmp_path)
    edit(
        folder,
        'column = "kategori"\n',
        'column = "kategori"\nterakhir = { per = "kategori", by = "tanggal" }\n',
    )
    assert jenis(folder, "duckdb", capsys) == (0, "3")
    respell(folder, "Labuan,Fakir Miskin,2025-05-01", "Labuan,Fakir Miskin ,2025-05-01")
    edit(folder, 'aggregate = "count_distinct"\ncolumn = "kategori"\n', 'aggregate = "count"\n')
    status, text = jenis(folder, "duckdb", capsys)
    assert status != 0
    assert "holds 'Fakir Miskin' and 'Fakir Miskin '" in text
