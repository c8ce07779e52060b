"""``iku eval --period`` with a range or a list: every period's rows, in the order asked,
the same as one ``iku eval`` per period; a range written wrong is refused in plain words."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import MINI, run

from iku_rules.periods import PeriodError, parse_periods


def _eval(period: str, output: str, *more: str) -> str:
    status, out = run(
        "eval", str(MINI), "--data", str(MINI), "--period", period, "--format", output, *more
    )
    assert status == 0
    return out


@pytest.mark.parametrize(
    ("written", "periods"),
    [
        ("2026-TW1..TW4", ["2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4"]),
        ("2026-TW1,2026-TW3", ["2026-TW1", "2026-TW3"]),
        ("2025..2026", ["2025", "2026"]),
        ("2026-sd-TW2..sd-TW3, 2026", ["2026-sd-TW2", "2026-sd-TW3", "2026"]),
    ],
)
def test_json_rows_of_a_range_or_a_list_are_those_of_each_period_in_order(
    written: str, periods: list[str]
) -> None:
    together = json.loads(_eval(written, "json", "--by", "kecamatan"))
    one_by_one = [
        row for period in periods for row in json.loads(_eval(period, "json", "--by", "kecamatan"))
    ]
    assert together == one_by_one
    assert list(dict.fromkeys(row["period"] for row in together)) == periods


def test_csv_of_a_list_has_one_header_and_the_rows_of_each_period() -> None:
    text = _eval("2026-TW1,2026-TW3", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.count("id,name,level,period") == 1
    # the mini office has 5 indicators: 5 rows for each period, kabupaten only
    assert [row["period"] for row in rows] == ["2026-TW1"] * 5 + ["2026-TW3"] * 5
    alone = list(csv.DictReader(io.StringIO(_eval("2026-TW3", "csv"))))
    assert rows[5:] == alone


def test_text_shows_each_period_under_its_own_heading() -> None:
    text = _eval("2026-TW1..TW2", "text", "--lang", "en")
    first, second = text.split("\n\nDinas Mini — ")
    assert first.startswith("Dinas Mini — Triwulan I 2026")
    assert second.startswith("Triwulan II 2026")
    assert first + "\n" == _eval("2026-TW1", "text", "--lang", "en")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2026-TW4..TW1",
            "'2026-TW4..TW1' is not a range: it ends (2026-TW1) before it starts (2026-TW4)",
        ),
        (
            "2026-TW1..2027",
            "'2026-TW1..2027' is not a range: both ends must be periods of one kind",
        ),
        ("2026..", "'2026..' is not a range: write two periods around one '..'"),
        ("2026-TW1..TW2..TW3", "is not a range: write two periods around one '..'"),
        ("2026,,2027", "'2026,,2027' has an empty place in its list of periods"),
        ("2026-TW1..TW5", "'2026-TW5' is not a period"),
        ("1900..2099", "'1900..2099' names more than 100 periods"),
    ],
)
def test_a_range_written_wrong_is_refused_in_plain_words(
    written: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_periods(written)
    assert message in str(refused.value)
    status, out = run("eval", str(MINI), "--data", str(MINI), "--period", written, "--lang", "en")
    assert status == 1 and out == ""
    assert message in capsys.readouterr().err


def test_a_range_error_speaks_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run(
        "eval", str(MINI), "--data", str(MINI), "--period", "2026-TW4..TW1", "--lang", "id"
    )
    assert status == 1
    assert "bukan rentang: rentang itu berakhir (2026-TW1) sebelum dimulai (2026-TW4)" in (
        capsys.readouterr().err
    )
