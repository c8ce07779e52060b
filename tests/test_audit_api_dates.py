"""A filter that matches a date (``tanggal = "2026-02-01"``) compares dates as text
``YYYY-MM-DD``: a record's date written otherwise (``2026-2-1``, ``01/02/2026``, with a
time as text) never equals it, and a date in the filter written otherwise matches none.
Each is refused with the fix, where it counted 0 rows in silence."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, edit, office, read_in_place, run

from iku_rules import evaluate
from iku_rules.errors import EvaluationError, FormulaError
from iku_rules.i18n import use_language

MATCH = 'Σ a[tanggal = "2026-02-01"]'


@pytest.mark.parametrize(
    "record",
    [datetime.date(2026, 2, 1), datetime.datetime(2026, 2, 1), "2026-02-01"],
)
def test_the_day_given_as_a_date_or_as_iso_text_is_counted(record: object) -> None:
    # one record on 1 February 2026: 1
    assert evaluate(MATCH, {"a": [{"tanggal": record}]}).value == Decimal(1)


@pytest.mark.parametrize("written", ["2026-2-1", "01/02/2026", "2026-02-01 00:00:00"])
@pytest.mark.parametrize(
    "formula",
    [MATCH, 'Σ a[tanggal != "2026-02-01"]', 'Σ a[tanggal in ("2026-02-01", "2026-02-02")]'],
)
def test_a_record_dated_as_other_text_is_refused(written: str, formula: str) -> None:
    # the record is of 1 February 2026: the right counts are 1, 0 and 1, not 0, 1 and 0
    with use_language("en"), pytest.raises(EvaluationError) as raised:
        evaluate(formula, {"a": [{"tanggal": written}]})
    assert str(raised.value) == (
        f"a record holds '{written}' where '{formula[4:-1]}' matches a date; a date in a"
        " record is compared as text, which matches only when written YYYY-MM-DD: give it so"
        " (or as a datetime.date)"
    )


@pytest.mark.parametrize(
    "formula", ['Σ a[tanggal = "2026-2-1"]', 'Σ a[tanggal in ("2026-2-1", "2026-02-02")]']
)
def test_a_date_in_the_filter_written_otherwise_is_refused_where_it_stands(formula: str) -> None:
    # the record of 1 February 2026 is counted 1 once the date is written "2026-02-01"
    with use_language("en"), pytest.raises(FormulaError) as raised:
        evaluate(formula, {"a": [{"tanggal": datetime.date(2026, 2, 1)}]})
    assert 'the date "2026-2-1" is not written YYYY-MM-DD, so it never matches a date' in str(
        raised.value
    )
    assert 'write "2026-02-01"' in str(raised.value)


def test_codes_with_dots_and_texts_are_matched_as_they_are() -> None:
    # a sub kegiatan code is no date: the filter finds no such record, 0
    records = [{"tanggal": "1.06.04.2.01.0003"}, {"tanggal": "belum"}]
    assert evaluate(MATCH, {"a": records}).value == Decimal(0)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_text_column_of_dates_matched_with_a_date_is_refused_on_every_backend(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path)
    layanan = folder / "layanan.csv"
    lines = layanan.read_text(encoding="utf-8").splitlines()
    # the day each service was verified, as text; row 3 written 2026-2-10
    verified = ["tgl_verifikasi", "2026-01-10", "2026-2-10", "2026-04-01", "2026-07-01",
                "2025-07-01", "2026-08-01"]  # fmt: skip
    layanan.write_text(
        "".join(f"{line},{day}\n" for line, day in zip(lines, verified, strict=True)),
        encoding="utf-8",
    )
    edit(folder, "kecamatan = \"text\", tanggal = \"date\" }\n\n[[source]]\nid = \"realisasi\"",
         "kecamatan = \"text\", tanggal = \"date\", tgl_verifikasi = \"text\" }\n\n"
         "[[source]]\nid = \"realisasi\"")  # fmt: skip
    edit(folder, """filter = 'kode_sub_kegiatan in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")'""",
         """filter = 'tgl_verifikasi = "2026-02-10"'""")  # fmt: skip
    # one PMKS (…0001) verified on 10 February 2026 of the 5 registered: 20 %, never 0 %
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--backend", backend, "--format", "json", "--lang", "en")  # fmt: skip
    error = capsys.readouterr().err
    assert status != 0, text
    assert error.startswith(
        "iku: layanan.csv, row 3, column 'tgl_verifikasi': the column 'tgl_verifikasi' holds"
        " the date '2026-2-10' where the filter 'tgl_verifikasi = \"2026-02-10\"' of measure"
        " 'PMKS tertangani' matches it with a date"
    ), error
    # written YYYY-MM-DD, it is counted
    layanan.write_text(layanan.read_text(encoding="utf-8").replace("2026-2-10", "2026-02-10"))
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--backend", backend, "--format", "json")  # fmt: skip
    assert status == 0, text
    rows = json.loads(text, parse_float=Decimal)
    row = next(r for r in rows if r["id"] == "iku-tertangani")
    assert row["value"] == Decimal(20)
