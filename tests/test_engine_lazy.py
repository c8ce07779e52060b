"""The engine does explanation work only when asked, and reads only the period's rows:
the numbers stay those of the eager engine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from iku_rules.engine import Engine

MINI = Path(__file__).parent / "fixtures" / "mini"
BACKENDS = ["duckdb", "sqlite", "python"]
PERMAKANAN = "Penyediaan Permakanan [1.06.04.2.01.0001] = 2"
ALAT_BANTU = "Penyediaan Alat Bantu [1.06.04.2.01.0003] = 2"


def _grouped_by_sub_kegiatan(sql: str) -> bool:
    return '"kode_sub_kegiatan" AS "k' in sql  # a grouping's key column


def test_an_evaluation_runs_no_breakdown_query_until_an_explanation_asks() -> None:
    with Engine(MINI, MINI) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
        assert evaluation.queries
        assert not any(_grouped_by_sub_kegiatan(query.sql) for query in evaluation.queries)
        before = len(engine._backend().queries)  # type: ignore[attr-defined]
        text = evaluation.explain("iku-tertangani").text()
        ran = engine._backend().queries[before:]  # type: ignore[attr-defined]
        # one query for the service log's measures, per sub kegiatan and kecamatan × sub kegiatan;
        # one per dated register, for how far the dates of its rows in the period reach
        grouped = [query for query in ran if _grouped_by_sub_kegiatan(query.sql)]
        dated = [query for query in ran if query.columns[-2:] == ("first", "last")]
        assert len(grouped) == 1 and len(ran) == 1 + len(dated) and dated
        assert ALAT_BANTU in text and PERMAKANAN in text
        # asked again (another indicator, a region): nothing more runs
        evaluation.explain("iku-tertangani", "Labuan")
        evaluation.explain("anak-share")
        assert len(engine._backend().queries) == before + len(ran)  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_breakdown_per_region_adds_up_to_the_region_value(backend: str) -> None:
    with Engine(MINI, MINI, backend=backend) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
        for region in (None, *evaluation.regions):
            result = evaluation.get("iku-tertangani", region)
            for use in result.measures:
                if use.spec.source.breakdown_column and use.tally is not None:
                    # every service counted passes the filter in exactly one sub kegiatan
                    assert sum(t.matched for _, t in use.breakdown) == use.tally.matched


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_explanation_after_the_engine_closed_still_has_its_breakdown(backend: str) -> None:
    with Engine(MINI, MINI, backend=backend) as engine:
        evaluation = engine.evaluate("2026")
    text = evaluation.explain("iku-tertangani").text()
    assert ALAT_BANTU in text and PERMAKANAN in text
    assert engine._open is None  # what the explanation opened is closed again


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_breakdown_from_data_changed_since_the_evaluation(tmp_path: Path, backend: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    layanan = data / "layanan.csv"
    with Engine(MINI, data, backend=backend) as engine:
        evaluation = engine.evaluate("2026")
        text = layanan.read_text(encoding="utf-8").replace("1.06.04.2.01.0001", "1.06.04.2.01.0003")
        layanan.write_text(text, encoding="utf-8")
        status = layanan.stat()
        os.utime(layanan, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
        explained = evaluation.explain("iku-tertangani").text()
        uses = evaluation.get("iku-tertangani").measures
    # the value stands as evaluated; parts that would not add up to it are left out
    assert "= 60" in explained
    assert "Penyediaan Alat Bantu [1.06.04.2.01.0003] = " not in explained
    assert "Penyediaan Permakanan [1.06.04.2.01.0001] = " not in explained
    assert [use.breakdown for use in uses if use.spec.source.id == "layanan"] == [()]


def test_a_period_reads_only_its_own_rows() -> None:
    with Engine(MINI, MINI) as engine:
        evaluation = engine.evaluate("2026-TW1")
    measures = [q.sql for q in evaluation.queries if "m0_matched" in q.sql]
    assert measures
    for sql in measures:
        assert 'WHERE "tanggal" <= CAST($period_end AS DATE)' in sql or (
            'WHERE "tanggal" >= CAST($period_start AS DATE)' in sql
        )


def test_an_evaluation_over_files_imports_no_module_of_a_server_backend() -> None:
    """An evaluation over the data folder (DuckDB, the default) loads nothing of PostgreSQL
    or Spark: their modules cost every run time and give it nothing."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from iku_rules.engine import Engine\n"
        f"with Engine({str(MINI)!r}, {str(MINI)!r}) as engine:\n"
        "    assert engine.evaluate('2026').results\n"
        "print(sorted(m for m in sys.modules if m.startswith(('iku_rules.sources', 'psycopg',"
        " 'pyspark'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = done.stdout.strip().splitlines()[-1]
    assert "iku_rules.sources.sql_backend" in loaded  # the default backend did the work
    for server in ("iku_rules.sources.postgres", "iku_rules.sources.external", "spark", "psycopg"):
        assert server not in loaded
