"""The workspace (``iku serve``) of a period not over on the day of its evaluation: the
page says, before any number, that its numbers are provisional, and "this year" is the
year of that same day (``iku serve --today``, else ``IKU_TODAY``, else today).

An evaluation of 2026 made on 6 December 2026 counts eleven months against the year's
target; shown without a word it reads as the year's capaian."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from iku_rules.cli import main
from iku_rules.i18n import use_language
from iku_rules.serve import create_app

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
NOTE_2026 = (
    "Provisional: the period 2026 has not ended on 6 December 2026 (it ends on"
    " 31 December 2026); its values and capaian can still change"
)
NOTE = re.compile(r'<p class="banner warn" id="provisional" role="note">([^<]*)</p>')


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    return folder


def client_of(app: Any) -> TestClient:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TestClient(app.asgi, base_url="http://127.0.0.1")


@pytest.fixture
def english() -> Iterator[None]:
    with use_language("en"):
        yield


def note_before_numbers(page: str) -> str | None:
    """The provisional note of a page, checked to stand before its first value."""
    found = NOTE.search(page)
    if found is None:
        return None
    first_value = page.index('class="value"')
    assert found.start() < first_value, "the note stands before any number"
    return found.group(1)


def selected_period(page: str) -> str:
    chosen = re.search(r'<option value="([^"]+)" selected>', page)
    assert chosen is not None
    return chosen.group(1)


def test_the_cascade_of_a_year_not_over_says_it_is_provisional_before_any_number(
    office: Path, english: None
) -> None:
    # As on 6 December 2026: 2026 runs to 31 December, its 60 % (3 of 5 PMKS served) is
    # eleven months' worth; 2026-TW3 ended on 30 September and is the quarter's.
    with client_of(create_app(office, office, today=date(2026, 12, 6))) as client:
        page = client.get("/", params={"period": "2026"}).text
        assert ">60 %<" in page  # the number is still shown, under the note
        assert note_before_numbers(page) == NOTE_2026
        quarter = client.get("/", params={"period": "2026-TW3"}).text
        assert 'class="value"' in quarter
        assert note_before_numbers(quarter) is None


def test_the_cascade_of_a_year_over_has_no_note(
    office: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on 15 January 2027 the year 2026 is over: its 60 % is the year's. The day the
    # workspace was started with is the day of its evaluations, whatever IKU_TODAY says.
    monkeypatch.setenv("IKU_TODAY", "2026-12-06")
    with client_of(create_app(office, office, today=date(2027, 1, 15))) as client:
        page = client.get("/", params={"period": "2026"}).text
    assert ">60 %<" in page
    assert 'role="note"' not in page
    assert note_before_numbers(page) is None


def test_an_explanation_of_a_year_not_over_says_it_too(office: Path, english: None) -> None:
    with client_of(create_app(office, office, today=date(2026, 12, 6))) as client:
        params = {"period": "2026"}
        page = client.get("/explain/iku-tertangani", params=params).text
        # The side panel of the cascade (the fragment the page's script shows) as well.
        panel = client.get("/explain/iku-tertangani", params=params | {"fragment": "1"}).text
    assert note_before_numbers(page) == NOTE_2026
    assert note_before_numbers(panel) == NOTE_2026
    # said once: the note before the value, not again among the explanation's lines
    for shown in (page, panel):
        assert shown.count("has not ended on 6 December 2026") == 1


def test_the_note_goes_when_the_day_passes_the_end_of_the_year(
    office: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace left running over the new year: the evaluation it kept from December
    (the data unchanged) is not shown as still provisional in January, and the other way
    round an evaluation is never kept past the day it was made on."""
    monkeypatch.setenv("IKU_TODAY", "2026-12-06")
    with client_of(create_app(office, office)) as client:
        assert note_before_numbers(client.get("/?period=2026").text) == NOTE_2026
        monkeypatch.setenv("IKU_TODAY", "2027-01-15")
        page = client.get("/?period=2026").text
        assert ">60 %<" in page
        assert note_before_numbers(page) is None


@pytest.mark.parametrize(
    ("day", "year", "note"),
    [
        # The mini office plans 2025–2027: on 30 June 2025 the workspace opens on 2025,
        # half a year in; on 1 March 2027 on 2027, two months in.
        (
            "2025-06-30",
            "2025",
            "Provisional: the period 2025 has not ended on 30 June 2025 (it ends on"
            " 31 December 2025); its values and capaian can still change",
        ),
        (
            "2027-03-01",
            "2027",
            "Provisional: the period 2027 has not ended on 1 March 2027 (it ends on"
            " 31 December 2027); its values and capaian can still change",
        ),
    ],
)
def test_the_year_opened_by_default_is_the_year_of_iku_today(
    office: Path, english: None, monkeypatch: pytest.MonkeyPatch, day: str, year: str, note: str
) -> None:
    monkeypatch.setenv("IKU_TODAY", day)
    with client_of(create_app(office, office)) as client:
        page = client.get("/").text
    assert selected_period(page) == year
    assert note_before_numbers(page) == note


@pytest.mark.parametrize(
    ("day", "year", "note"),
    [
        (date(2026, 12, 6), "2026", NOTE_2026),
        (
            date(2027, 3, 1),
            "2027",
            "Provisional: the period 2027 has not ended on 1 March 2027 (it ends on"
            " 31 December 2027); its values and capaian can still change",
        ),
    ],
)
def test_the_year_opened_by_default_is_that_of_the_day_the_workspace_was_started_with(
    office: Path, english: None, monkeypatch: pytest.MonkeyPatch, day: date, year: str, note: str
) -> None:
    # IKU_TODAY says 30 June 2025; the workspace started as on another day opens on that
    # day's year, marked provisional as on that day.
    monkeypatch.setenv("IKU_TODAY", "2025-06-30")
    with client_of(create_app(office, office, today=day)) as client:
        page = client.get("/").text
    assert selected_period(page) == year
    assert note_before_numbers(page) == note


def test_serve_today_malformed_is_refused_as_eval_refuses_it(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workspace started with a malformed --today")

    monkeypatch.setattr(uvicorn.Server, "run", never)
    folder = str(office)
    # 6 December written without its leading zero: not YYYY-MM-DD.
    day = ["--today", "2026-12-6", "--lang", "en"]
    status = main(["serve", folder, "--data", folder, "--port", "0", *day])
    served = capsys.readouterr().err
    assert main(["eval", folder, "--data", folder, "--period", "2026", *day]) == status == 1
    evaluated = capsys.readouterr().err
    assert (
        served
        == evaluated
        == ("iku: --today: '2026-12-6' is not a day; write it YYYY-MM-DD, as 2027-01-15\n")
    )


def test_serve_today_is_the_day_of_the_workspace_and_its_evaluations(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``iku serve --today 2026-12-06`` as a user starts it; the server, instead of
    running, hands its application to the test, which opens the cascade."""
    import uvicorn

    started: list[Any] = []

    def run(server: uvicorn.Server, sockets: Any = None) -> None:
        started.append(server.config.app)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    folder = str(office)
    argv = ["serve", folder, "--data", folder, "--port", "0", "--today", "2026-12-06"]
    assert main([*argv, "--lang", "en"]) == 0
    assert len(started) == 1
    with use_language("en"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(started[0], base_url="http://127.0.0.1") as client:
            page = client.get("/").text  # opened on the year of --today: 2026
    assert selected_period(page) == "2026"
    assert note_before_numbers(page) == NOTE_2026
