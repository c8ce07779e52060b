"""A period not over on the day of the evaluation is provisional, and says so wherever its
numbers are read: the API, ``iku eval`` (text, JSON, CSV, the spreadsheet's CSV) and
``iku explain``. The numbers themselves do not change; what changes is that no one can take
eleven months for the year.

The small office (``tests/fixtures/mini``): ``iku-tertangani`` = Σ PMKS tertangani / Σ PMKS ×
100%. For 2026, 3 distinct NIK served (…01, …02, …04 under the two sub kegiatan) against 5
registered by 31 December 2026: 3 / 5 × 100 = 60 %, against the target 40: capaian 150.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.i18n import use_language
from iku_rules.provisional import is_provisional, provisional_note, today

MINI = Path(__file__).parent / "fixtures" / "mini"
ENDED = (
    "provisional: the period 2026 has not ended on 6 December 2026 (it ends on 31 December"
    " 2026); its values and capaian can still change"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--lang", "en", *argv], out=out), out.getvalue()


def test_an_evaluation_of_a_year_not_over_is_provisional_and_its_numbers_unchanged() -> None:
    with Engine(MINI, MINI, today=date(2026, 12, 6)) as engine:
        during = engine.evaluate("2026")
        third = engine.evaluate("2026-TW3")  # ended 30 September 2026
    with Engine(MINI, MINI, today=date(2027, 1, 15)) as engine:
        after = engine.evaluate("2026")
    assert during.provisional and not third.provisional and not after.provisional
    assert during.today == date(2026, 12, 6)
    with use_language("en"):
        assert during.provisional_note() == ENDED
    assert after.provisional_note() is None
    # 3 / 5 × 100 = 60 %, capaian 60 / 40 × 100 = 150, on either day
    for evaluation in (during, after):
        result = evaluation.get("iku-tertangani")
        assert result.value == Decimal(60)
        assert result.capaian is not None and result.capaian.value == Decimal(150)
    assert {row["provisional"] for row in during.rows()} == {True}
    assert {row["provisional"] for row in after.rows()} == {False}


def test_the_last_day_of_the_period_is_not_yet_over() -> None:
    with Engine(MINI, MINI, today=date(2026, 12, 31)) as engine:
        assert engine.evaluate("2026").provisional  # that day's data may not be in yet
    with Engine(MINI, MINI, today=date(2027, 1, 1)) as engine:
        assert not engine.evaluate("2026").provisional


def test_a_period_not_begun_says_so() -> None:
    with Engine(MINI, MINI, today=date(2026, 12, 6)) as engine:
        evaluation = engine.evaluate("2027-TW1")
    assert evaluation.provisional_note("en") == (
        "provisional: the period 2027-TW1 has not begun on 6 December 2026 (it begins on"
        " 1 January 2027); its values and capaian can still change"
    )
    assert evaluation.provisional_note("id") == (
        "sementara: periode 2027-TW1 belum dimulai pada 6 Desember 2026 (dimulai pada"
        " 1 Januari 2027); nilai dan capaiannya masih dapat berubah"
    )


def test_evaluate_many_marks_each_period_by_its_own_end() -> None:
    with Engine(MINI, MINI, today=date(2026, 11, 2)) as engine:
        marks = [e.provisional for e in engine.evaluate_many(["2026-TW3", "2026-TW4"])]
    assert marks == [False, True]


def test_the_day_comes_from_iku_today_and_a_malformed_one_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IKU_TODAY", "2026-12-06")
    assert today() == date(2026, 12, 6)
    with Engine(MINI, MINI) as engine:
        assert engine.evaluate("2026").provisional
    monkeypatch.setenv("IKU_TODAY", "06-12-2026")  # day first: refused, never read as today
    with use_language("en"), pytest.raises(IkuError) as raised:
        Engine(MINI, MINI)
    assert str(raised.value) == (
        "IKU_TODAY: '06-12-2026' is not a day; write it YYYY-MM-DD, as 2027-01-15"
    )
    monkeypatch.delenv("IKU_TODAY")
    assert today() == date.today()


def test_is_provisional_without_a_day_is_false() -> None:
    from iku_rules.periods import Period

    assert not is_provisional(Period.parse("2026"), None)
    assert provisional_note(Period.parse("2026"), None) is None


def test_iku_eval_text_says_it_under_the_heading() -> None:
    status, text = run(
        "eval", str(MINI), "--data", str(MINI), "--period", "2026", "--today", "2026-12-06"
    )
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "Dinas Mini — 2026 (1 January–31 December 2026)"
    assert lines[1] == ENDED[0].upper() + ENDED[1:]
    _status, later = run(
        "eval", str(MINI), "--data", str(MINI), "--period", "2026", "--today", "2027-01-15"
    )
    assert "rovisional" not in later


def test_iku_eval_csv_and_json_carry_provisional_per_row() -> None:
    argv = (
        "eval",
        str(MINI),
        "--data",
        str(MINI),
        "--period",
        "2026-TW3..TW4",
        "--today",
        "2026-11-02",
    )
    _status, text = run(*argv, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    marks = {(row["period"], row["provisional"]) for row in rows}
    assert marks == {("2026-TW3", "false"), ("2026-TW4", "true")}
    _status, data = run(*argv, "--format", "json")
    parsed = json.loads(data)
    assert {(row["period"], row["provisional"]) for row in parsed} == {
        ("2026-TW3", False),
        ("2026-TW4", True),
    }
    _status, sheet = run(*argv, "--format", "excel")
    header, *cells = list(csv.reader(io.StringIO(sheet.lstrip("\ufeff"))))
    column = header.index("provisional")
    assert {row[column] for row in cells} == {"true", "false"}


def test_a_malformed_today_is_refused_with_its_fix(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(
        "eval", str(MINI), "--data", str(MINI), "--period", "2026", "--today", "6/12/2026"
    )
    assert status != 0 and out == ""
    assert "--today: '6/12/2026' is not a day; write it YYYY-MM-DD, as 2027-01-15" in (
        capsys.readouterr().err
    )


def test_iku_explain_says_it_in_text_and_json() -> None:
    argv = ("explain", str(MINI), "iku-tertangani", "--data", str(MINI), "--period", "2026")
    _status, text = run(*argv, "--today", "2026-12-06")
    assert text.splitlines()[1:3] == [
        "  period 2026 (1 January–31 December 2026), the whole area",
        "  " + ENDED,
    ]
    _status, data = run(*argv, "--today", "2026-12-06", "--format", "json")
    tree = json.loads(data)
    assert tree["provisional"] is True
    assert all("provisional" not in child for child in tree["inputs"])  # said once, at the root
    _status, data = run(*argv, "--today", "2027-01-15", "--format", "json")
    assert json.loads(data)["provisional"] is False
