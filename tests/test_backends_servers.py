"""PostgreSQL and Spark give what the embedded engines give: the shipped definitions on
the same generated data, through ``iku eval --format json``, for a year, a triwulan per
kecamatan and a year to date, "not available" reasons included; hostile names and
filters are safe on every engine; a password never comes from a file or a URL.

The servers are real (see servers.py): skipped with the reason where PostgreSQL, Java
or the drivers are missing, failing in CI.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import MINI, ROOT, run
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.loader import load
from iku_rules.output import json_dumps
from iku_rules.sample import generate
from iku_rules.sources.connect import SparkTarget
from iku_rules.sources.postgres import Database, PostgresBackend, database
from iku_rules.sources.reader import DataError

PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
PERIODS = [("2026", None), ("2026-TW2", "kecamatan"), ("2026-sd-TW3", None)]


def create_database(server: Postgres, name: str) -> str:
    """A fresh database on the server; its URL (the password comes from PGPASSWORD)."""
    from psycopg import sql

    with server.connect() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql://iku@127.0.0.1:{server.port}/{name}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated data for Pandeglang, small enough for Spark to be quick."""
    folder = tmp_path_factory.mktemp("pandeglang-data")
    generate(load(PANDEGLANG), folder, people=300, seed=7)
    return folder


@pytest.fixture(scope="module")
def embedded(sample: Path) -> dict[tuple[str, str | None], str]:
    """``iku eval --format json`` on DuckDB, the default, for every period checked; the
    SQLite and Python backends give the same text."""
    outputs = {}
    for period, by in PERIODS:
        argv = [str(PANDEGLANG), "--data", str(sample), "--period", period, "--format", "json"]
        argv += ["--by", by] if by else []
        status, duckdb_text = run("eval", *argv)
        assert status == 0
        for backend in ("sqlite", "python"):
            assert run("eval", *argv, "--backend", backend) == (0, duckdb_text), backend
        outputs[(period, by)] = duckdb_text
    return outputs


@pytest.fixture
def pgpassword(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def pandeglang_db(postgres: Postgres, sample: Path) -> str:
    """The office's existing database: the sample CSV files COPYed into tables named
    after the sources, dates as dates and numbers as numeric."""
    url = create_database(postgres, "pandeglang")
    load_csv_tables(postgres, load(PANDEGLANG), sample, "public", dbname="pandeglang")
    return url


def _argv(period: str, by: str | None) -> list[str]:
    return ["--period", period, "--format", "json", *(["--by", by] if by else [])]


@pytest.mark.parametrize(("period", "by"), PERIODS)
@pytest.mark.usefixtures("pgpassword")
def test_iku_eval_on_postgresql_gives_the_output_of_the_embedded_default(
    pandeglang_db: str, embedded: dict[tuple[str, str | None], str], period: str, by: str | None
) -> None:
    status, text = run("eval", str(PANDEGLANG), "--source", pandeglang_db, *_argv(period, by))
    assert status == 0
    assert text == embedded[(period, by)]
    rows = json.loads(text, parse_float=Decimal)
    # what is compared holds values and reasons both
    assert any(row["value"] is not None for row in rows)
    assert any(row["reason"] for row in rows)


@pytest.mark.parametrize(("period", "by"), PERIODS[:2])
def test_iku_eval_on_spark_gives_the_output_of_the_embedded_default(
    spark: Any,
    sample: Path,
    embedded: dict[tuple[str, str | None], str],
    period: str,
    by: str | None,
) -> None:
    argv = [str(PANDEGLANG), "--data", str(sample), "--backend", "spark", *_argv(period, by)]
    status, text = run("eval", *argv)
    assert status == 0
    assert text == embedded[(period, by)]
    assert not spark.sparkContext._jsc.sc().isStopped()  # the session is the test session's


def test_spark_reads_its_catalog_tables_typed_as_declared(
    spark: Any, sample: Path, embedded: dict[tuple[str, str | None], str], tmp_path: Path
) -> None:
    # The office's tables in Spark: Parquet files written by DuckDB from the sample CSV,
    # every column text (as a raw landing zone holds them), registered by their names.
    import duckdb

    definitions = load(PANDEGLANG)
    for source in definitions.sources:
        parquet = tmp_path / f"{source.id}.parquet"
        connection = duckdb.connect()
        connection.execute(
            f"COPY (SELECT * FROM read_csv('{sample / source.path}', all_varchar = true))"
            f" TO '{parquet}' (FORMAT parquet)"
        )
        connection.close()
        spark.read.parquet(str(parquet)).createOrReplaceTempView(source.table_name)
    try:
        engine = Engine(definitions, sample, connect=SparkTarget(session=spark, catalog=True))
        with engine:
            evaluation = engine.evaluate("2026")
        assert json_dumps(evaluation.rows()) + "\n" == embedded[("2026", None)]
        assert "`register_pmks`" in " ".join(query.sql for query in evaluation.queries)
    finally:
        for source in definitions.sources:
            spark.catalog.dropTempView(source.table_name)


# -- hostile names and filters on every engine

HOSTILE_VALUE = "x' OR 1=1; DROP TABLE layanan; -- \\' \\\" %s %(p0)s `"
HOSTILE_COLUMN = 'kate"go`ri; -- 50% \\'
HOSTILE_TABLE = 'pmks"; DROP TABLE x; -- 100%'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    text = path.read_text()
    replacements = {
        'filter = \'kode_sub_kegiatan in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")\'': (
            "filter = '''kode_sub_kegiatan = "
            + json.dumps(HOSTILE_VALUE)
            + " or kode_sub_kegiatan = \"1.06.04.2.01.0001\"'''"
        ),
        'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date" }': (
            'columns = { nik = "nik", kecamatan = "text", '
            + json.dumps(HOSTILE_COLUMN)
            + ' = "text", tanggal = "date" }\ntable = '
            + json.dumps(HOSTILE_TABLE)
        ),
        "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'": (
            "formula = '''Σ register_pmks[["
            + HOSTILE_COLUMN
            + "] = \"Anak Terlantar\"] / Σ register_pmks × 100%'''"
        ),
    }
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    rows = (folder / "register_pmks.csv").read_text().splitlines()
    header = io.StringIO()
    csv.writer(header, lineterminator="").writerow(["nik", "kecamatan", HOSTILE_COLUMN, "tanggal"])
    rows[0] = header.getvalue()
    (folder / "register_pmks.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_the_hostile_office_is_valid_and_its_values_known(hostile: Path) -> None:
    definitions = load(hostile)
    assert definitions.ok, [str(d) for d in definitions.errors]
    evaluation = Engine(definitions, hostile, backend="python").evaluate("2026")
    # Only nik 1 and 2 got Permakanan (…0001) in 2026; the injected text matched nothing.
    assert evaluation.get("iku-tertangani").value == 40
    assert evaluation.get("anak-share").value == 40


@pytest.mark.usefixtures("pgpassword")
def test_hostile_names_and_filters_are_safe_on_postgresql(
    postgres: Postgres, hostile: Path
) -> None:
    definitions = load(hostile)
    url = create_database(postgres, "hostile")
    load_csv_tables(postgres, definitions, hostile, "public", dbname="hostile")
    expected = Engine(definitions, hostile, backend="duckdb").evaluate("2026").rows()
    for _ in range(2):  # the tables are intact: evaluating again gives the same
        with Engine(definitions, None, connect=url) as engine:
            evaluation = engine.evaluate("2026")
        assert evaluation.rows() == expected
    sql = " ".join(query.sql for query in evaluation.queries)
    assert "DROP" not in sql.replace('"pmks""; DROP TABLE x; -- 100%%"', "")
    assert '"kate""go`ri; -- 50%% \\"' in sql
    assert any(HOSTILE_VALUE in query.params.values() for query in evaluation.queries)


def test_hostile_names_and_filters_are_safe_on_spark(spark: Any, hostile: Path) -> None:
    definitions = load(hostile)
    expected = Engine(definitions, hostile, backend="duckdb").evaluate("2026").rows()
    with Engine(definitions, hostile, connect=SparkTarget(session=spark)) as engine:
        evaluation = engine.evaluate("2026")
    assert evaluation.rows() == expected
    sql = " ".join(query.sql for query in evaluation.queries)
    assert '`kate"go``ri; -- 50% \\`' in sql
    assert HOSTILE_VALUE not in sql
    assert any(HOSTILE_VALUE in query.params.values() for query in evaluation.queries)


# -- the password, the timeout, the office's tables


def test_a_password_in_the_url_is_refused_before_anything_is_sent() -> None:
    status, _ = run(
        "eval",
        str(PANDEGLANG),
        "--source",
        "postgresql://sakip:rahasia@db/sakip",
        "--period",
        "2026",
    )
    assert status == 1
    with pytest.raises(
        IkuError, match=r"carries a password.*PGPASSWORD.*postgresql://sakip@db/sakip"
    ):
        database("postgresql://sakip:rahasia@db/sakip")
    with pytest.raises(IkuError, match="carries a password"):
        database("postgresql://sakip@db/sakip?password=rahasia")


def _with_database(tmp_path: Path, table: str) -> Path:
    folder = tmp_path / "definitions"
    shutil.copytree(PANDEGLANG, folder)
    with (folder / "data.toml").open("a", encoding="utf-8") as file:
        file.write("\n" + table)
    return folder


def test_a_password_in_the_definitions_is_refused_with_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _with_database(
        tmp_path, '[database]\nurl = "postgresql://sakip@db/sakip"\npassword = "rahasia"\n'
    )
    status, _ = run("eval", str(folder), "--backend", "postgresql", "--period", "2026")
    assert status == 1
    error = capsys.readouterr().err
    assert "data.toml: [database] has a password" in error and "PGPASSWORD" in error
    folder = _with_database(
        tmp_path / "2", '[database]\nurl = "postgresql://sakip:rahasia@db/sakip"\n'
    )
    status, _ = run("eval", str(folder), "--backend", "postgresql", "--period", "2026")
    assert status == 1
    assert (
        "given in " in (error := capsys.readouterr().err)
        and "data.toml carries a password" in error
    )


@pytest.mark.usefixtures("pgpassword")
def test_the_database_of_the_definitions_is_used_without_a_data_folder(
    pandeglang_db: str,
    embedded: dict[tuple[str, str | None], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _with_database(
        tmp_path,
        f'[database]\nurl = "{pandeglang_db}"\npassword_env = "SAKIP_PASSWORD"\nstatement_timeout = 60\n',
    )
    assert load(folder).ok
    monkeypatch.delenv("PGPASSWORD")
    status, _ = run("eval", str(folder), "--backend", "postgresql", "--period", "2026")
    assert status == 1  # SAKIP_PASSWORD is not set: said so
    monkeypatch.setenv("SAKIP_PASSWORD", PASSWORD)
    monkeypatch.chdir(tmp_path)  # no ./sample-data here: the database holds the data
    status, text = run("eval", str(folder), "--backend", "postgresql", *_argv("2026", None))
    assert (status, text) == (0, embedded[("2026", None)])


@pytest.mark.usefixtures("pgpassword")
def test_a_statement_stops_after_the_servers_timeout(pandeglang_db: str) -> None:
    backend = PostgresBackend([], Path(), target=Database(pandeglang_db, statement_timeout=1))
    from iku_rules.sources.sql import Query

    with pytest.raises(DataError, match="stopped a query after 1 s"):
        backend.execute(Query("SELECT pg_sleep(3)", {}, ()))
    # and the session is read only
    with pytest.raises(DataError, match="read-only"):
        backend.execute(Query("CREATE TABLE x (a int)", {}, ()))
    backend.close()


@pytest.mark.usefixtures("pgpassword")
def test_missing_tables_columns_and_broken_niks_are_said(
    postgres: Postgres, pandeglang_db: str, sample: Path, tmp_path: Path
) -> None:
    definitions = load(PANDEGLANG)
    with Engine(definitions, None, connect=pandeglang_db) as engine:
        engine.evaluate("2026")  # all there
    folder = tmp_path / "definitions"
    shutil.copytree(PANDEGLANG, folder)
    path = folder / "data.toml"
    path.write_text(
        path.read_text().replace(
            'path = "layanan.csv"', 'path = "layanan.csv"\ntable = "log_layanan"'
        )
    )
    with pytest.raises(DataError, match="has no table 'log_layanan' for source 'layanan'"):
        Engine(folder, None, connect=pandeglang_db).evaluate("2026")
    broken = create_database(postgres, "broken")
    load_csv_tables(postgres, definitions, sample, "public", dbname="broken")
    with postgres.connect("broken") as connection:
        connection.execute(
            "UPDATE register_pmks SET nik = '3.60103E+15'"
            " WHERE ctid = (SELECT min(ctid) FROM register_pmks)"
        )
    scientific = r"column 'nik': '3.60103E\+15' is a number in scientific notation, not a NIK"
    with pytest.raises(DataError, match=scientific):  # the reader's own words
        Engine(definitions, None, connect=broken).evaluate("2026")
    with postgres.connect("broken") as connection:
        connection.execute("UPDATE register_pmks SET nik = NULL WHERE nik = '3.60103E+15'")
        connection.execute("ALTER TABLE register_rtm DROP COLUMN bpjs_pbi")
    with pytest.raises(
        DataError, match="table 'register_rtm' of source 'register_rtm' has no column 'bpjs_pbi'"
    ):
        Engine(definitions, None, connect=broken).evaluate("2026")


@pytest.mark.usefixtures("pgpassword")
def test_iku_explain_sql_shows_the_statements_the_job_ran(
    pandeglang_db: str, spark: Any, sample: Path
) -> None:
    status, text = run(
        "explain",
        str(PANDEGLANG),
        "iku-pmks-tertangani",
        "--source",
        pandeglang_db,
        "--period",
        "2026",
        "--sql",
    )
    assert status == 0
    assert text.startswith("-- ") and "run by postgresql" in text
    assert (
        'FROM "register_pmks"' in text
        and "%(period_end)s" in text
        and "period_end = '2026-12-31'" in text
    )
    status, text = run(
        "explain",
        str(PANDEGLANG),
        "iku-pmks-tertangani",
        "--data",
        str(sample),
        "--backend",
        "spark",
        "--period",
        "2026",
        "--sql",
        "--format",
        "json",
    )
    assert status == 0
    shown = json.loads(text)
    assert shown["backend"] == "spark"
    assert any(
        "FROM `iku source layanan`" in s["sql"] and ":period_end" in s["sql"]
        for s in shown["statements"]
    )


def test_without_the_extra_the_backend_says_which_to_install(
    monkeypatch: pytest.MonkeyPatch, sample: Path
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(IkuError, match=r"pip install 'iku-rules\[postgresql\]'"):
        Engine(PANDEGLANG, None, connect="postgresql://sakip@localhost/sakip").evaluate("2026")
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(IkuError, match=r"pip install 'iku-rules\[spark\]'"):
        Engine(PANDEGLANG, sample, backend="spark").evaluate("2026")
