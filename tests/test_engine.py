"""The engine on a small office whose numbers can be checked by hand, on every backend."""

from __future__ import annotations

import csv
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules import IkuError
from iku_rules.engine import DefinitionError, Engine
from iku_rules.loader import load
from iku_rules.periods import Period, PeriodError

MINI = Path(__file__).parent / "fixtures" / "mini"
BACKENDS = ["duckdb", "sqlite", "python"]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    return Engine(MINI, MINI, backend=request.param)


def test_kabupaten_values(engine: Engine) -> None:
    evaluation = engine.evaluate("2026")
    assert evaluation.get("iku-tertangani").value == 60
    assert evaluation.get("iku-tertangani").unit == "%"
    assert evaluation.get("anak-share").value == 40
    assert evaluation.get("skor").value == Decimal("38.625")
    assert evaluation.get("kenaikan").value == 2
    assert evaluation.get("alat-bantu-orang").value == Decimal("9.5")
    assert evaluation.regions == ()


def test_values_per_kecamatan(engine: Engine) -> None:
    evaluation = engine.evaluate("2026", by="kecamatan")
    assert evaluation.regions == ("Carita", "Labuan", "Menes")
    assert evaluation.get("iku-tertangani", "Carita").value == 50
    labuan = evaluation.get("iku-tertangani", "Labuan").value
    assert labuan is not None and round(labuan, 4) == Decimal("66.6667")
    assert evaluation.get("alat-bantu-orang", "Labuan").value == Decimal("5.5")
    menes = evaluation.get("iku-tertangani", "Menes")
    assert menes.value is None
    assert menes.reason == "PMKS tertangani: layanan has no rows in 2026 in kecamatan Menes"
    rows = evaluation.rows()
    assert len(rows) == 5 * 4
    assert {row["region"] for row in rows} == {None, "Carita", "Labuan", "Menes"}


def test_kabupaten_ratio_is_recomputed_from_sums_not_averaged(engine: Engine) -> None:
    evaluation = engine.evaluate("2026", by="kecamatan")
    with (MINI / "register_pmks.csv").open() as file:
        registered = [row for row in csv.DictReader(file) if row["tanggal"] <= "2026-12-31"]
    with (MINI / "layanan.csv").open() as file:
        served = {
            row["nik"]
            for row in csv.DictReader(file)
            if "2026-01-01" <= row["tanggal"] <= "2026-12-31"
            and row["kode_sub_kegiatan"] in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")
        }
    expected = Decimal(len(served)) / Decimal(len({row["nik"] for row in registered})) * 100
    assert evaluation.get("iku-tertangani").value == expected
    shares = [evaluation.get("iku-tertangani", r).value for r in ("Carita", "Labuan")]
    average = sum(s for s in shares if s is not None) / 2
    assert average != expected


def test_missing_input_and_region_inputs_are_not_available() -> None:
    evaluation = Engine(MINI, MINI, backend="python").evaluate("2027")
    skor = evaluation.get("skor")
    assert skor.value is None
    assert (
        skor.reason is not None and "Nilai AKIP: the inputs have no value for 2027" in skor.reason
    )
    regional = Engine(MINI, MINI).evaluate("2026", by="kecamatan").get("skor", "Labuan")
    assert regional.reason == "Nilai AKIP: inputs are given for the whole area, not per kecamatan"


def test_triwulan_and_year_to_date(engine: Engine) -> None:
    assert engine.evaluate("2026-TW2").get("alat-bantu-orang").value == Decimal("2.5")
    assert engine.evaluate("2026-sd-TW2").get("alat-bantu-orang").value == Decimal("5.5")
    tw3 = engine.evaluate("2026-TW3")
    assert (
        tw3.get("iku-tertangani").value == Decimal(1) / Decimal(4) * 100
    )  # flow: 1 served in TW3; state: 4 registered
    assert tw3.get("kenaikan").value == 1 - 1  # TW3 2026 vs TW2 2026


def test_explanation_walks_down_to_sub_kegiatan_and_queries() -> None:
    evaluation = Engine(MINI, MINI).evaluate("2026")
    explanation = evaluation.explain("iku-tertangani")
    text = explanation.text()
    assert "number of distinct nik in layanan where kode_sub_kegiatan in" in text
    assert "5 rows in the period, 4 pass the filter, 3 distinct nik" in text
    assert "Penyediaan Alat Bantu [1.06.04.2.01.0003] = 2" in text  # 2 services, 2 people
    assert "Penyediaan Permakanan [1.06.04.2.01.0001] = 2" in text
    assert "Sub Kegiatan: 1.06.04.2.01.0003 Penyediaan Alat Bantu" in text
    assert "q1: SELECT" in text
    data = explanation.as_dict()
    assert data["id"] == "iku-tertangani"
    assert data["value"] == 60
    assert [child["name"] for child in data["inputs"]] == ["PMKS tertangani", "PMKS"]
    assert data["cascade"][0]["id"] == "1.06.04"


def test_explanation_of_an_indicator_over_others() -> None:
    explanation = Engine(MINI, MINI).evaluate("2026").explain("skor")
    kinds = [child.kind for child in explanation.inputs]
    assert kinds == ["input", "parameter", "indicator"]
    assert explanation.inputs[2].id == "iku-tertangani"
    assert explanation.inputs[2].inputs[0].name == "PMKS tertangani"


def test_definitions_with_errors_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "defs"
    shutil.copytree(MINI, broken)
    text = (
        (broken / "definitions.toml")
        .read_text()
        .replace('source = "layanan"', 'source = "layanann"')
    )
    (broken / "definitions.toml").write_text(text)
    with pytest.raises(DefinitionError, match="unknown source 'layanann'"):
        Engine(load(broken), MINI)


def test_unknown_things_are_clear_errors() -> None:
    with pytest.raises(IkuError, match="no such data folder"):
        Engine(MINI, MINI / "nowhere")
    with pytest.raises(IkuError, match="unknown backend 'oracle'"):
        Engine(MINI, MINI, backend="oracle")
    evaluation = Engine(MINI, MINI).evaluate("2026")
    with pytest.raises(IkuError, match="did you mean 'iku-tertangani'"):
        evaluation.get("iku-tertangan")
    with pytest.raises(PeriodError, match="is not a period"):
        Period.parse("2026-TW5")


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026", "2026", "2026-01-01", "2026-12-31"),
        ("2026-TW1", "2026-TW1", "2026-01-01", "2026-03-31"),
        ("2026-tw4", "2026-TW4", "2026-10-01", "2026-12-31"),
        ("2026-TW II", "2026-TW2", "2026-04-01", "2026-06-30"),
        ("2026-Q3", "2026-TW3", "2026-07-01", "2026-09-30"),
        ("2026-sd-TW3", "2026-sd-TW3", "2026-01-01", "2026-09-30"),
        ("2026-ytd-TW2", "2026-sd-TW2", "2026-01-01", "2026-06-30"),
    ],
)
def test_periods(text: str, label: str, start: str, end: str) -> None:
    period = Period.parse(text)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stated_bound_is_checked_when_the_data_break_it(tmp_path: Path, backend: str) -> None:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    share = "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'"
    turned = "formula = 'Σ register_pmks / Σ register_pmks[kategori = \"Anak Terlantar\"] × 100%'"
    stated = "\n  numerator_within_denominator = true"
    assert share in text
    path.write_text(text.replace(share, share + stated), encoding="utf-8")
    evaluation = Engine(folder, MINI, backend=backend).evaluate("2026", by="kecamatan")
    assert evaluation.get("anak-share").value == 40  # within: checked, and kept

    path.write_text(text.replace(share, turned + stated), encoding="utf-8")
    evaluation = Engine(folder, MINI, backend=backend).evaluate("2026", by="kecamatan")
    result = evaluation.get("anak-share")
    assert result.value is None and result.unit is None
    # 5 rows in the register against 2 Anak Terlantar: the stated ratio 5 / 2 is above 1
    assert result.reason == (
        "the definition states that the numerator lies within the denominator, but the data"
        " give more: 'Σ register_pmks' is 5 and 'Σ register_pmks[kategori = \"Anak Terlantar\"]'"
        " is 2; check the data, or state may_exceed_100 = true if it can truly exceed it"
    )
    assert result.trace is not None  # the numbers that broke it can still be explained
    assert result.capaian is not None and result.capaian.value is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_stated_bound_holds_for_every_way_of_writing_one_ratio(
    tmp_path: Path, backend: str
) -> None:
    # Three indicators with one ratio written three ways (equal formulas, different texts):
    # 5 rows in the register against 2 Anak Terlantar, 5 / 2 above 1, is refused for each.
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    share = "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'"
    written = {
        "turned-plain": 'Σ register_pmks / Σ register_pmks[kategori = "Anak Terlantar"] × 100%',
        "turned-tight": 'Σ register_pmks/Σ register_pmks[kategori = "Anak Terlantar"]×100%',
        "turned-words": (
            'Jumlah register_pmks dibagi Jumlah register_pmks[kategori = "Anak Terlantar"]'
            " dikali 100%"
        ),
    }
    added = "".join(
        f'\n\n  [[sasaran.indikator]]\n  id = "{id}"\n  name = "{id}"\n  unit = "Persen"'
        f"\n  formula = '{formula}'\n  numerator_within_denominator = true"
        for id, formula in written.items()
    )
    assert share in text
    path.write_text(text.replace(share, share + added), encoding="utf-8")
    evaluation = Engine(folder, MINI, backend=backend).evaluate("2026")
    for id, formula in written.items():
        result = evaluation.get(id)
        assert result.value is None, id
        assert result.reason is not None and "'Σ register_pmks' is 5" in result.reason, id
        # each trace points into its own text: the denominator's step starts where it stands
        assert result.trace is not None
        denominator = result.trace.children[1]
        assert denominator.span is not None
        assert formula[denominator.span.start :].startswith(
            ("Σ register_pmks[", "Jumlah register_pmks[")
        ), id


def _swap_keeping_signature(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` with ``old`` replaced by ``new`` (same length), keeping its size and
    modification time, as a tool that restores timestamps would."""
    assert len(old) == len(new)
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    assert path.stat().st_mtime_ns == status.st_mtime_ns


@pytest.mark.parametrize("backend", BACKENDS)
def test_loaded_data_is_kept_across_evaluations_until_a_file_changes(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    layanan = data / "layanan.csv"
    engine = Engine(MINI, data, backend=backend)
    reads: list[str] = []  # the sources read from their files, in order
    backend = engine._backend()  # how often the files are read is not in the results
    loaded = backend.loaded
    monkeypatch.setattr(
        backend,
        "loaded",
        lambda source, stamp: (reads.append(source.id), loaded(source, stamp))[1],
    )
    first = engine.evaluate("2026")
    assert first.get("iku-tertangani").value == 60
    assert "layanan" in reads
    assert engine.evaluate("2026-TW1").get("iku-tertangani").value is not None
    # nothing changed: nothing is read again
    read_first = list(reads)
    kept = engine.evaluate("2026")
    assert kept.get("iku-tertangani").value == 60
    assert reads == read_first
    assert len(kept.queries) == len(first.queries)  # each evaluation lists only its own

    # Permakanan services no longer count, written with the same size and modification
    # time: the write moved the file's inode change time, so every backend reads it again
    # as it now is: 2 of the 5 PMKS tertangani, 40%
    _swap_keeping_signature(layanan, "1.06.04.2.01.0001", "1.06.04.2.01.0009")
    assert engine.evaluate("2026").get("iku-tertangani").value == 40
    assert reads == [*read_first, "layanan"]  # the other sources stay loaded

    # a newer modification time: read again
    status = layanan.stat()
    shutil.copy(MINI / "layanan.csv", layanan)
    os.utime(layanan, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert engine.evaluate("2026").get("iku-tertangani").value == 60
    # and kept again until it changes
    assert engine.evaluate("2026").get("iku-tertangani").value == 60
    assert reads == [*read_first, "layanan", "layanan"]

    # a file that is gone is noticed too
    layanan.unlink()
    with pytest.raises(IkuError, match="layanan"):
        engine.evaluate("2026")
    shutil.copy(MINI / "layanan.csv", layanan)
    assert engine.evaluate("2026").get("iku-tertangani").value == 60
    engine.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_close_and_context_manager_let_the_data_go(tmp_path: Path, backend: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    with Engine(MINI, data, backend=backend) as engine:
        assert engine.evaluate("2026").get("iku-tertangani").value == 60
        assert engine._open is not None  # the data stay loaded between evaluations
    assert engine._open is None  # closed: the data are let go
    _swap_keeping_signature(data / "layanan.csv", "1.06.04.2.01.0001", "1.06.04.2.01.0009")
    # the next evaluation loads the data afresh, and sees the new contents: 2 of 5, 40%
    assert engine.evaluate("2026").get("iku-tertangani").value == 40
    engine.close()
    engine.close()  # closing twice is harmless


def test_a_source_that_failed_to_load_is_read_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    layanan = data / "layanan.csv"
    good = layanan.read_text(encoding="utf-8")
    layanan.write_text(good.replace("2026-01-10", "2026-13-45"), encoding="utf-8")
    with Engine(MINI, data) as engine:
        with pytest.raises(IkuError, match="layanan"):
            engine.evaluate("2026")
        layanan.write_text(good, encoding="utf-8")
        assert engine.evaluate("2026").get("iku-tertangani").value == 60


def test_an_assessed_result_keeps_every_other_field() -> None:
    # IndicatorResult.assessed stands in for attrs.evolve on the hot path: a field added to
    # the class and not passed on there would be lost in every assessed result.
    import attrs

    from iku_rules.results import IndicatorResult

    evaluation = Engine(MINI, MINI).evaluate("2026", by="kecamatan")
    for result in evaluation.results:
        again = result.assessed(result.target, result.capaian, result.predikat)
        for field in attrs.fields(IndicatorResult):
            assert getattr(again, field.name) == getattr(result, field.name), field.name
        bare = result.assessed(None, None, None)
        assert bare == attrs.evolve(result, target=None, capaian=None, predikat=None)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_undeclared_region_written_two_ways_is_refused(tmp_path: Path, backend: str) -> None:
    """The mini office declares no kecamatan, so the names in the data are its regions. The
    service of ...02 in Labuan written ``LABUAN `` would make a second region and leave
    Labuan 1 of 3 (33.33%) where it is 2 of 3 (66.67%), with exit 0: it is refused, and so
    is a name written one way in a source and another way in another."""
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    files = {name: (folder / name).read_text(encoding="utf-8") for name in CSV_FILES}
    layanan = folder / "layanan.csv"
    layanan.write_text(
        files["layanan.csv"].replace(",Labuan,2026-04-01", ",LABUAN ,2026-04-01"), encoding="utf-8"
    )
    message = (
        "layanan.csv, row 4, column 'kecamatan': the column 'kecamatan' writes one kecamatan"
        " in several ways ('Labuan', 'LABUAN '), which would count as different regions;"
        " write it one way, or declare the kecamatan as a [[region]] with level = 'kecamatan'"
    )
    with Engine(folder, folder, backend=backend) as engine, pytest.raises(IkuError) as excinfo:
        engine.evaluate("2026", by="kecamatan")
    assert str(excinfo.value) == message
    # The services written LABUAN throughout, the register still Labuan: refused
    layanan.write_text(files["layanan.csv"].replace(",Labuan,", ",LABUAN,"), encoding="utf-8")
    with Engine(folder, folder, backend=backend) as engine, pytest.raises(IkuError) as excinfo:
        engine.evaluate("2026", by="kecamatan")
    assert str(excinfo.value).startswith("layanan.csv, row 2, column 'kecamatan':")
    # Written one way in every file, in any case, it is one region: 2 of 3, as before
    for name, text in files.items():
        (folder / name).write_text(text.replace(",Labuan,", ",LABUAN,"), encoding="utf-8")
    with Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
    assert evaluation.regions == ("Carita", "LABUAN", "Menes")
    assert round(evaluation.get("iku-tertangani", "LABUAN").value, 2) == Decimal("66.67")


CSV_FILES = ("register_pmks.csv", "layanan.csv", "realisasi.csv")
