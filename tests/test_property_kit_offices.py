"""The property-test kit (iku_rules.testing) on every office of the repository, and the data
it draws: data the office could have, from its own definitions (its grains, levels, declared
regions and filters), so that the property tests the formulas and not the generator."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.model import Definitions
from iku_rules.regions import region_key
from iku_rules.sources.cells import DataError
from iku_rules.testing import Dataset, datasets, definitions_test
from iku_rules.testing.data import period_labels

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DISDIK = ROOT / "tests" / "fixtures" / "disdik-kota" / "definitions"
PUPR = ROOT / "tests" / "fixtures" / "pupr-kabupaten" / "definitions"
KESEHATAN = ROOT / "tests" / "fixtures" / "kesehatan"
MINI = ROOT / "tests" / "fixtures" / "mini"

# The README's one line, on each office the shipped definitions and test_testing_kit.py do
# not already run it on (dinsos-pandeglang and mini), in a small fixed example budget.
test_the_health_office_holds_its_bounds = definitions_test(DINKES, max_examples=8, derandomize=True)
test_the_education_office_holds_its_bounds = definitions_test(
    DISDIK, max_examples=8, derandomize=True
)
test_the_public_works_office_holds_its_bounds = definitions_test(
    PUPR, max_examples=8, derandomize=True
)
test_the_kesehatan_fixture_holds_its_bounds = definitions_test(
    KESEHATAN, max_examples=8, derandomize=True
)

COVERED = {DINKES, DISDIK, PUPR, KESEHATAN, MINI, ROOT / "definitions" / "dinsos-pandeglang"}


def test_every_office_of_the_repository_is_property_tested() -> None:
    # A definitions folder added under definitions/ or tests/fixtures/ needs its line above.
    found = {folder for folder in (ROOT / "definitions").iterdir() if folder.is_dir()}
    for fixture in (ROOT / "tests" / "fixtures").iterdir():
        if (fixture / "definitions.toml").is_file():
            found.add(fixture)
        if (fixture / "definitions").is_dir():
            found.add(fixture / "definitions")
    assert found == COVERED


def _drawn(
    definitions: Definitions, count: int = 20, complete: bool | None = None
) -> list[Dataset]:
    """``count`` datasets as the property test draws them (not shrunk): complete and
    hostile ones, or (``complete``) only the one kind."""
    found: list[Dataset] = []

    @settings(
        max_examples=count,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
        deadline=None,
    )
    @given(datasets(definitions, complete=complete))
    def draw(dataset: Dataset) -> None:
        found.append(dataset)

    draw()
    return found


@pytest.fixture(scope="module")
def dinkes() -> tuple[Definitions, list[Dataset]]:
    definitions = load(DINKES)
    return definitions, _drawn(definitions)


@pytest.mark.parametrize("folder", [DINKES, DISDIK, PUPR], ids=["dinkes", "disdik", "pupr"])
def test_a_table_of_values_per_period_holds_its_grains_periods_in_named_places(
    folder: Path,
) -> None:
    # A yearly table's tahun was drawn as any number (0, -1) and its region cells blank:
    # the reader refuses both ("periode '0' … tidak ditulis seperti 2026").
    definitions = load(folder)
    periodic = [source for source in definitions.sources if source.grain is not None]
    assert periodic
    drawn = _drawn(definitions, 10)
    for source in periodic:
        assert source.grain is not None
        rows = [row for dataset in drawn for row in dataset.tables[source.id]]
        labels = set(period_labels(source, drawn[0].year))
        assert rows and {row[source.grain.column] for row in rows} <= labels
        for column in source.regions.values():
            assert all(row[column] for row in rows), (source.id, column)


def test_periods_are_written_as_the_grain_writes_them(
    dinkes: tuple[Definitions, list[Dataset]],
) -> None:
    _, drawn = dinkes
    year = drawn[0].year
    months = {row["bulan"] for d in drawn for row in d.tables["laporan_puskesmas"]}
    assert f"{year - 1}-01" in months and f"{year}-12" in months
    assert all(isinstance(month, str) and len(month) == 7 for month in months)
    assert {row["tahun"] for d in drawn for row in d.tables["sasaran"]} == {year - 1, year}


def test_the_later_year_of_a_table_of_months_is_drawn_as_often_as_the_earlier(
    dinkes: tuple[Definitions, list[Dataset]],
) -> None:
    # Which cells of a table with gaps are reported was one large random number, which
    # Hypothesis keeps small: the months of the year evaluated were almost never there.
    # (Hostile draws only: a complete one has no gaps.)
    drawn = _drawn(dinkes[0], complete=False)
    year = str(drawn[0].year)
    earlier = later = 0
    for dataset in drawn:
        rows = dataset.tables["laporan_puskesmas"]
        places = {(row["kecamatan"], row["puskesmas"]) for row in rows}
        if 0 < len(rows) < 24 * len(places):  # with gaps
            later += sum(str(row["bulan"]).startswith(year) for row in rows)
            earlier += sum(not str(row["bulan"]).startswith(year) for row in rows)
    assert earlier > 20 and 0.6 < later / earlier < 1.6


def test_each_declared_region_stands_under_its_declared_parent(
    dinkes: tuple[Definitions, list[Dataset]],
) -> None:
    definitions, drawn = dinkes
    declared = {
        (region_key(r.parent or ""), region_key(r.plain))
        for r in definitions.regions_at("puskesmas")
    }
    pairs = {
        (region_key(str(row["kecamatan"])), region_key(str(row["puskesmas"])))
        for d in drawn
        for row in d.tables["laporan_puskesmas"]
    }
    assert pairs and pairs <= declared


def test_two_latest_records_of_one_entity_are_never_drawn(
    dinkes: tuple[Definitions, list[Dataset]],
) -> None:
    # terakhir = { per = "nik", by = "putaran" }: a balita measured twice in one round, or
    # in a round left blank, is refused by the reader.
    _, drawn = dinkes
    for dataset in drawn:
        rows = dataset.tables["balita"]
        assert all(row["putaran"] is not None for row in rows)
        assert len({(row["nik"], row["putaran"]) for row in rows}) == len(rows)
    assert any(len({row["nik"] for row in d.tables["balita"]}) < len(d.tables["balita"])
               for d in drawn)  # fmt: skip


def test_an_inputs_table_per_region_gets_rows_for_its_declared_regions() -> None:
    definitions = load(DISDIK)
    declared = {region.name for region in definitions.regions_at("kecamatan")}
    drawn = _drawn(definitions, 10)
    written = [{row["kecamatan"] for row in d.tables["penduduk"]} for d in drawn]
    assert any(declared | {None} <= found for found in written)


def _office(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_a_text_no_filter_names_differs_from_the_filters_texts_in_more_than_case(
    tmp_path: Path,
) -> None:
    # A filter kategori = "Lainnya" beside a drawn "lainnya": refused by the reader, since
    # the filter compares text exactly.
    folder = _office(tmp_path, lambda text: text.replace('"Anak Terlantar"', '"Lainnya"'))
    drawn = _drawn(load(folder), 10)
    texts = {row["kategori"] for d in drawn for row in d.tables["register_pmks"]}
    assert "Lainnya" in texts and "lainnya" not in texts
    definitions_test(folder, max_examples=5, derandomize=True)()


def test_an_office_without_kecamatan_is_tested_by_its_own_level(tmp_path: Path) -> None:
    # A kota by kelurahan: results were asked by "kecamatan", a level it does not have, and
    # every example failed with that error.
    folder = _office(tmp_path, lambda text: text.replace("kecamatan", "kelurahan"))
    assert load(folder).level_ids() == ("kelurahan",)
    names = {row["kelurahan"] for d in _drawn(load(folder), 5) for row in d.tables["register_pmks"]}
    assert not any("kecamatan" in str(name).lower() for name in names)
    definitions_test(folder, max_examples=5, derandomize=True)()


def test_a_text_ordered_against_a_date_is_read_alike_on_every_backend(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(
        '[office]\nid = "x"\nname = "Dinas X"\nplan_start = 2025\nplan_end = 2027\n\n'
        '[[visi]]\nid = "visi"\nname = "Visi"\n\n  [[visi.indikator]]\n  id = "i0"\n'
        '  name = "I0"\n  unit = "Jumlah"\n  formula = "m0"\n  targets = { 2026 = 10 }\n\n'
        '[[source]]\nid = "reg"\nkind = "register"\nformat = "csv"\npath = "reg.csv"\n'
        'time = "state"\ncolumns = { nik = "nik", kode = "text" }\n\n'
        '[[measure]]\nname = "m0"\nsource = "reg"\naggregate = "count"\nempty = "zero"\n'
        "filter = 'kode < \"2026-01-01\"'\n",
        encoding="utf-8",
    )
    data = folder / "data"
    data.mkdir()
    (data / "reg.csv").write_text(
        "nik,kode\n3601000000000001,lainnya\n3601000000000002,2025-05-01\n", encoding="utf-8"
    )
    outcomes = []
    for backend in ("duckdb", "sqlite", "python"):
        try:
            with Engine(folder, data, backend=backend) as engine:
                outcomes.append(str(engine.evaluate("2026").get("i0").value))
        except DataError as error:
            outcomes.append(str(error))
    # DuckDB and SQLite compared 'lainnya' < "2026-01-01" as text and counted 1 in silence,
    # where Python refused the record: every backend now refuses it at its row, before
    # anything is counted (a text that is no date orders as no date does)
    assert (
        outcomes
        == [
            "reg.csv, row 2, column 'kode': the column 'kode' holds 'lainnya' where the filter"
            " 'kode < \"2026-01-01\"' of measure 'm0' orders it against a date: text orders as"
            " dates do only when written YYYY-MM-DD, so the row would be counted, or left out, in"
            " silence; write every date of the column YYYY-MM-DD, or declare the column a date"
            ' (type "date")'
        ]
        * 3
    )
