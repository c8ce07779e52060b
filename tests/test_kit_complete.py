"""The property-test kit reaches every formula of an office: half its draws are complete
(:mod:`iku_rules.testing.complete`): every month of every puskesmas reported, no blank, a
denominator stated to hold its numerator raised to hold it; the other half stays hostile."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iku_rules import ast
from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.model import Definitions
from iku_rules.printer import to_text
from iku_rules.reasons import MISSING_VALUES, code_of
from iku_rules.sources.python_engine import predicate
from iku_rules.testing import Dataset, as_csv, datasets
from iku_rules.testing.witness import satisfying

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DISDIK = ROOT / "tests" / "fixtures" / "disdik-kota" / "definitions"
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
SPM = ("spm-kesehatan", "spm-ibu-hamil", "spm-ibu-bersalin")

Values = dict[tuple[str, str | None], tuple[Decimal | None, str | None]]


def _drawn(definitions: Definitions, count: int, complete: bool | None = None) -> list[Dataset]:
    """``count`` datasets as the property test draws them (not shrunk)."""
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


def _evaluated(
    definitions: Definitions, dataset: Dataset, period: str, by: str | None = None
) -> Values:
    """Each result's value and reason code, by indicator and region (None: the whole area)."""
    runnable = as_csv(definitions)
    with tempfile.TemporaryDirectory(prefix="iku-kit-") as scratch:
        dataset.write(runnable, Path(scratch))
        with Engine(runnable, Path(scratch), backend="python") as engine:
            results = engine.evaluate(period, by=by).results
    return {(r.id, r.region): (r.value, code_of(r.reason)) for r in results}


def test_every_spm_indicator_of_the_health_office_gets_a_value_in_30_examples() -> None:
    # Before, in 100 examples the SPM ratios (K4 over the yearly sasaran, a rata_rata of
    # two such) were not available in every one: a month missing from one puskesmas, a
    # blank, K4 above its sasaran. The property never reached their formulas.
    definitions = load(DINKES)
    drawn = _drawn(definitions, 30)
    valued: Counter[str] = Counter()
    for dataset in drawn:
        for (indicator, _region), (value, _code) in _evaluated(
            definitions, dataset, str(dataset.year)
        ).items():
            valued[indicator] += value is not None
    assert all(valued[indicator] >= 1 for indicator in SPM), valued
    assert all(valued[i.id] >= 1 for i in definitions.indicators), valued
    # and the hostile draws are still there
    assert any(not dataset.complete for dataset in drawn)


def test_a_month_missing_from_one_puskesmas_leaves_every_spm_ratio_not_available() -> None:
    # The hostile half, shown on a dataset built for it rather than left to the draws (which
    # Hypothesis mixes with constants of the modules a process has imported, so which draws
    # miss a month changes with the tests run before): a complete draw, then one month of
    # its year taken from one puskesmas. Σ K4 over eleven months against the year's sasaran
    # would flatter the SPM ratio, so each is not available, for missing values.
    definitions = load(DINKES)
    (dataset,) = _drawn(definitions, 1, complete=True)
    complete = _evaluated(definitions, dataset, str(dataset.year))
    assert all(complete[(indicator, None)][0] is not None for indicator in SPM), complete
    months = dataset.tables["laporan_puskesmas"]
    gone = next(row for row in months if str(row["bulan"]).startswith(str(dataset.year)))
    short = Dataset(
        year=dataset.year,
        tables={**dataset.tables, "laporan_puskesmas": tuple(r for r in months if r is not gone)},
    )
    assert len(short.tables["laporan_puskesmas"]) == len(months) - 1
    hostile = _evaluated(definitions, short, str(dataset.year))
    for indicator in SPM:
        value, code = hostile[(indicator, None)]
        assert value is None and code == MISSING_VALUES, (indicator, value, code)


def _number(value: object) -> Decimal:
    """A drawn cell that holds a number (a complete draw has no blank)."""
    assert isinstance(value, int | Decimal), value
    return Decimal(value)


def test_a_complete_draw_holds_each_numerator_within_its_denominator() -> None:
    definitions = load(DINKES)
    shares: set[str] = set()
    for dataset in _drawn(definitions, 10, complete=True):
        year = dataset.year
        months = dataset.tables["laporan_puskesmas"]
        # 24 months (2026 and 2027) from each of the 4 declared puskesmas, each once, no blank
        assert len({(row["bulan"], row["puskesmas"]) for row in months}) == len(months) == 96
        assert all(value is not None for row in months for value in row.values())
        # persalinan di faskes is part of kelahiran hidup, in every row
        for row in months:
            assert _number(row["persalinan_faskes"]) <= _number(row["kelahiran_hidup"])
        for sasaran in dataset.tables["sasaran"]:
            rows = [
                r
                for r in months
                if r["kecamatan"] == sasaran["kecamatan"]
                and str(r["bulan"]).startswith(str(sasaran["tahun"]))
            ]
            # the kecamatan's yearly sasaran holds its puskesmas' twelve months
            k4 = sum(_number(r["ibu_hamil_k4"]) for r in rows)
            assert k4 <= _number(sasaran["ibu_hamil"])
            bersalin = sum(_number(r["persalinan_faskes"]) for r in rows)
            assert bersalin <= _number(sasaran["ibu_bersalin"])
        # By hand: spm-ibu-hamil = Σ K4 of the year's 48 rows / Σ the year's 3 sasaran × 100
        k4 = sum(_number(r["ibu_hamil_k4"]) for r in months if str(r["bulan"])[:4] == str(year))
        target = sum(
            _number(r["ibu_hamil"]) for r in dataset.tables["sasaran"] if r["tahun"] == year
        )
        value, code = _evaluated(definitions, dataset, str(year))[("spm-ibu-hamil", None)]
        assert value is not None and code is None
        assert round(value, 10) == round(k4 / target * 100, 10)
        assert 0 <= value <= 100
        shares.add("100" if value == 100 else "below")
    # a sasaran drawn below K4 is raised to it: exactly 100 % is drawn, and below it too
    assert shares == {"100", "below"}


def test_an_input_a_ratio_divides_by_holds_its_numerator_in_every_kecamatan() -> None:
    # apm-sd = Σ murid aged 7-12 / Σ Penduduk Usia 7-12 (an additive input per kecamatan)
    # × 100 %, stated within: each kecamatan's population is at least its murid rows, and
    # the kota's row the sum of its kecamatan's (else the inputs disagree: no value).
    definitions = load(DISDIK)
    for dataset in _drawn(definitions, 8, complete=True):
        year = dataset.year
        rows = [
            r
            for r in dataset.tables["penduduk"]
            if r["nama"] == "Penduduk Usia 7-12" and r["tahun"] == year
        ]
        area = [_number(r["nilai"]) for r in rows if r["kecamatan"] is None]
        regions = {r["kecamatan"]: _number(r["nilai"]) for r in rows if r["kecamatan"] is not None}
        assert area == [sum(regions.values())]
        for kecamatan, population in regions.items():
            murid = [r for r in dataset.tables["murid"] if r["kecamatan"] == kecamatan]
            assert len(murid) <= population
        # and a murid aged 7-12 in every kecamatan: each has its apm-sd, within 0-100
        by_kecamatan = _evaluated(definitions, dataset, str(year), by="kecamatan")
        for kecamatan in regions:
            value, code = by_kecamatan[("apm-sd", str(kecamatan))]
            assert code is None and value is not None and 0 <= value <= 100, (kecamatan, code)


def _options(definitions: Definitions, measure: str) -> set[str]:
    """The texts of the measure's filter ``column in (…)``."""
    found = next(m for m in definitions.measures if m.name == measure)
    assert found.filter is not None and isinstance(found.filter.body, ast.In)
    return {option.value for option in found.filter.body.options if isinstance(option, ast.Text)}


def test_a_register_counted_holds_the_people_another_register_counts() -> None:
    # iku-korban-bencana-terpenuhi-kebutuhan-dasar = Σ victims served (distinct NIK in the
    # service log under 3 sub kegiatan) / Σ victims (distinct NIK in the PMKS register of
    # kategori Korban Bencana Alam or Sosial, registered in the period) × 100 %, stated
    # within. Drawn at random, the served outnumbered the registered victims in a quarter
    # of the complete draws (8 of 34; 4 served in Sumur, 3 registered): no value. Now the
    # register gets a victim, of a kategori the filter names, for each service the
    # numerator can count, in its kecamatan on its day.
    definitions = load(PANDEGLANG)
    codes = _options(
        definitions,
        "Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya",
    )
    kinds = _options(definitions, "Populasi Korban Bencana Alam, Sosial dan/atau Non Alam")
    for dataset in _drawn(definitions, 6, complete=True):
        year = dataset.year
        evaluated = _evaluated(definitions, dataset, str(year), by="kecamatan")
        named = {str(r["kecamatan"]) for r in dataset.tables["layanan"] if r["kecamatan"]}
        for kecamatan in (None, *sorted(named)):
            # By hand: the NIK served in the year / the victims registered in the year (the
            # measure's time = "flow": victims of the year's events), × 100
            numerator = {
                r["nik"]
                for r in dataset.tables["layanan"]
                if r["kode_sub_kegiatan"] in codes
                and isinstance(r["tanggal"], dt.date)
                and r["tanggal"].year == year
                and kecamatan in (None, r["kecamatan"])
            }
            denominator = {
                r["nik"]
                for r in dataset.tables["register_pmks"]
                if r["kategori"] in kinds
                and isinstance(r["tanggal_terdaftar"], dt.date)
                and r["tanggal_terdaftar"].year == year
                and kecamatan in (None, r["kecamatan"])
            }
            assert len(numerator) <= len(denominator), kecamatan
            value, code = evaluated[("iku-korban-bencana-terpenuhi-kebutuhan-dasar", kecamatan)]
            assert code is None and value is not None, (kecamatan, code)
            assert round(value, 10) == round(Decimal(len(numerator) * 100) / len(denominator), 10)


def test_hostile_draws_only_when_asked() -> None:
    definitions = load(DINKES)
    drawn = _drawn(definitions, 10, complete=False)
    assert not any(dataset.complete for dataset in drawn)
    tables = [dataset.tables["laporan_puskesmas"] for dataset in drawn]
    assert any(0 < len(rows) < 96 for rows in tables)  # a month or a puskesmas missing
    assert any(value is None for rows in tables for row in rows for value in row.values())


def _conditions() -> st.SearchStrategy[ast.Node]:
    """Filters over a text column ``a``, a number column ``n`` and a date text ``t``:
    comparisons, ``in``, ``not``, ``and``, ``or``."""
    texts = st.sampled_from(["x", "y", "lainnya"]).map(ast.Text)
    numbers = st.sampled_from(["0", "7", "12", "2.5", "-1"]).map(lambda v: ast.Number(Decimal(v)))
    days = st.sampled_from(["2026-01-01", "2025-12-31", "9999-12-31"]).map(ast.Text)
    ops = st.sampled_from(ast.COMPARISONS)
    leaf = st.one_of(
        st.builds(ast.Compare, st.just(ast.Name("a")), st.sampled_from(("=", "!=")), texts),
        st.builds(ast.Compare, st.just(ast.Name("n")), ops, numbers),
        st.builds(ast.Compare, numbers, ops, st.just(ast.Name("n"))),
        st.builds(ast.Compare, st.just(ast.Name("t")), ops, days),
        st.builds(
            ast.In,
            st.just(ast.Name("a")),
            st.lists(texts, min_size=1, max_size=3).map(tuple),
            st.booleans(),
        ),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(ast.Not, inner),
            st.lists(inner, min_size=2, max_size=3).map(lambda ops: ast.And(tuple(ops))),
            st.lists(inner, min_size=2, max_size=3).map(lambda ops: ast.Or(tuple(ops))),
        ),
        max_leaves=6,
    )


@settings(max_examples=200, derandomize=True, deadline=None)
@given(_conditions())
def test_a_row_made_to_pass_a_filter_passes_it(condition: ast.Node) -> None:
    # The complete draws give each filter a row that passes it (no measure left without
    # rows); a row the kit makes must pass, as the engine reads the filter.
    solved = satisfying(condition)
    if solved is not None:
        row = {"a": "lainnya lagi", "n": Decimal(100), "t": "2000-01-01", **solved}
        assert predicate(condition)(row), (to_text(condition), row)
