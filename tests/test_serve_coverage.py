"""The workspace's cascade (``iku serve``) says, under each indicator whose value rests on
data that stop short, where they do: a service log ending more than 31 days before the end
of a period over, a period without rows counted as 0, and for the whole area the declared
regions without a row (the facts of the report's Keterangan,
:func:`iku_rules.data_gaps.data_gaps`). A planner reviewing 2026 in January would
otherwise read seven months of services as the year's.

The small office (tests/fixtures/mini): ``iku-tertangani`` = Σ PMKS tertangani (distinct nik
of the service log ``layanan``, time = "flow") / Σ PMKS (the register ``register_pmks``,
time = "state") × 100; ``skor`` reads it, ``kenaikan`` reads PMKS tertangani itself,
``anak-share`` the register only. layanan's 2026 rows are dated 10 January to 1 August
(Labuan 10 January, 10 February, 1 April; Carita 1 July, 1 August). Every date below is
worked by hand from those rows.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers import add_row, declare_kecamatan, edit, office

from iku_rules.i18n import use_language
from iku_rules.serve import create_app
from iku_rules.sources.sql_backend import SqlBackend

AFTER_THE_END = date(2027, 1, 15)
BEFORE_THE_END = date(2026, 12, 6)
# 1 August to 31 December 2026: 30 (August) + 30 + 31 + 30 + 31 = 152 days
ENDS_2026 = "layanan's data end on 1 August 2026, 152 days before the period's end"
# kenaikan reads PMKS tertangani of 2025 too (sebelumnya), whose one row is of 1 July 2025:
# 1 July to 31 December 2025 is 30 (July) + 31 + 30 + 31 + 30 + 31 = 183 days
ENDS_2025 = (
    "layanan's data for 2025, the period before, end on 1 July 2025, 183 days before its end"
)
ROW = re.compile(r'<tr class="indicator[^"]*" data-id="([^"]+)".*?</tr>', re.S)
LINE = re.compile(r'<li><span class="gap-mark" aria-hidden="true">⚠</span> ([^<]*)</li>')
MARK = re.compile(r'<td class="value">.*?<span class="gap-mark" title="([^"]*)">⚠</span></td>')


def client_for(folder: Path, day: date) -> TestClient:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TestClient(create_app(folder, folder, today=day).asgi, base_url="http://127.0.0.1")


@pytest.fixture
def english() -> Iterator[None]:
    with use_language("en"):
        yield


def gaps_of(page: str) -> dict[str, tuple[str, ...]]:
    """The lines under each indicator of the cascade, by id (none: nothing short), each
    row's mark beside its value checked to say the same."""
    found: dict[str, tuple[str, ...]] = {}
    for row in ROW.finditer(page):
        lines = tuple(html.unescape(line) for line in LINE.findall(row.group(0)))
        mark = MARK.search(row.group(0))
        assert (mark is not None) == bool(lines), "a mark beside the value where lines are"
        if mark is not None:
            assert html.unescape(mark.group(1)) == "; ".join(lines)
        found[row.group(1)] = lines
    return found


def page(folder: Path, day: date, **params: str) -> str:
    with client_for(folder, day) as client:
        response = client.get("/", params={"period": "2026", **params})
    assert response.status_code == 200
    text: str = response.text
    return text


def test_each_indicator_over_the_late_log_says_where_it_ends(tmp_path: Path, english: None) -> None:
    # As on 15 January 2027 the year 2026 is over; its 60 % rests on a log ending 1 August.
    shown = page(office(tmp_path), AFTER_THE_END)
    assert ">60 %<" in shown  # the number is still shown, the line under it
    found = gaps_of(shown)
    assert found["iku-tertangani"] == (ENDS_2026,)
    # kenaikan reads PMKS tertangani itself, and of 2025; skor through iku-tertangani
    assert found["kenaikan"] == (ENDS_2026, ENDS_2025)
    assert found["skor"] == (ENDS_2026,)
    # anak-share reads the register of states only: nothing; the sub kegiatan's realisasi,
    # reported for TW1 to TW3 (3 + 2.5 + 4 = 9.5), counts TW4 of the year over as none
    assert found["anak-share"] == ()
    assert found["alat-bantu-orang"] == (
        "the realisasi of alat-bantu-orang for 2026-TW4 is not reported, so its sum over 2026"
        " counts it as none; report it (0 where there was none)",
        # Carita's TW1 and TW2 and Labuan's TW3, each reported by the other kecamatan
        "the realisasi of alat-bantu-orang has no row for 2026-TW1 from kecamatan Carita;"
        " 2026-TW2 from kecamatan Carita; 2026-TW3 from kecamatan Labuan, which reports it in"
        " another triwulan of 2026, so its sum over 2026 counts it as none; report it (0 where"
        " there was none)",
    )


def test_a_region_shows_where_its_own_rows_end(tmp_path: Path, english: None) -> None:
    folder = office(tmp_path)
    # Labuan's last service 1 April 2026: 29 (April) + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31
    # = 274 days before 31 December; Carita's 1 August: 152 days
    labuan = gaps_of(page(folder, AFTER_THE_END, region="Labuan"))
    assert labuan["iku-tertangani"] == (
        "layanan's data end on 1 April 2026, 274 days before the period's end",
    )
    carita = gaps_of(page(folder, AFTER_THE_END, region="Carita"))
    assert carita["iku-tertangani"] == (ENDS_2026,)


def test_nothing_is_said_where_the_log_reaches_31_days_from_the_end(
    tmp_path: Path, english: None
) -> None:
    near = office(tmp_path / "near")
    # a row outside the filter (sub kegiatan 1.06.02...): the log is entered to 30 November
    # 2026, 31 days before the year's end: not short
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-30")
    # and 2025's, which kenaikan reads, to 30 November 2025: 31 days before its end
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2025-11-30")
    # and the sub kegiatan's TW4 reported, with each kecamatan's triwulan the other reports
    # (0: 3 + 2.5 + 4 + 0 is still 9.5)
    for row in ("2026-TW4,Carita", "2026-TW1,Carita", "2026-TW2,Carita", "2026-TW3,Labuan",
                "2026-TW4,Labuan"):  # fmt: skip
        add_row(near, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,{row},0")
    shown = page(near, AFTER_THE_END)
    assert 'class="gap-mark"' not in shown and "data-gaps" not in shown
    assert set(gaps_of(shown).values()) == {()}
    far = office(tmp_path / "far")
    # 29 November to 31 December 2026: 1 + 31 = 32 days, more than 31
    add_row(far, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-29")
    assert gaps_of(page(far, AFTER_THE_END))["iku-tertangani"] == (
        "layanan's data end on 29 November 2026, 32 days before the period's end",
    )


def test_a_period_not_over_names_the_regions_without_rows_only(
    tmp_path: Path, english: None
) -> None:
    folder = declare_kecamatan(office(tmp_path), "Labuan", "Carita", "Menes", "Cibitung")
    # 2026: layanan has rows of Labuan and Carita, not Menes and Cibitung; register_pmks up
    # to 31 December 2026 has Labuan, Carita and Cibitung (1 June), not Menes (2 January 2027)
    layanan = "layanan has no rows for 2 Kecamatan: Menes, Cibitung"
    register = "register_pmks has no rows for 1 Kecamatan: Menes"
    over = gaps_of(page(folder, AFTER_THE_END))
    assert over["iku-tertangani"] == (ENDS_2026, layanan, register)
    assert over["anak-share"] == (register,)
    # On 6 December 2026 the year is not over: its banner says so, not where the log ends.
    shown = page(folder, BEFORE_THE_END)
    assert 'id="provisional"' in shown
    early = gaps_of(shown)
    assert early["iku-tertangani"] == (layanan, register)
    # 2025, the year kenaikan's change is from, is over: where its log ends is said, and its
    # one row, Carita's, leaves the other three without a row
    before = (
        "layanan has no rows in 2025, the period before, for 3 Kecamatan: Labuan, Menes, Cibitung"
    )
    assert early["kenaikan"] == (layanan, ENDS_2025, before)
    # a kecamatan's own value names no region (and Labuan's log is not said to end early)
    assert gaps_of(page(folder, BEFORE_THE_END, region="Labuan"))["iku-tertangani"] == ()


def test_a_zero_over_a_period_without_rows_says_it_has_none(tmp_path: Path, english: None) -> None:
    folder = office(tmp_path)
    edit(
        folder, "filter = 'kode_sub_kegiatan in", 'empty = "zero"\nfilter = \'kode_sub_kegiatan in'
    )
    # 2026-TW4 (1 October to 31 December 2026): no service at all, counted 0
    # (empty = "zero"), of the 5 PMKS registered by 31 December: 0 / 5 × 100 = 0 %
    with client_for(folder, AFTER_THE_END) as client:
        shown = client.get("/", params={"period": "2026-TW4"}).text
    assert ">0 %<" in shown
    assert gaps_of(shown)["iku-tertangani"] == ("layanan has no rows in the period",)


def test_names_are_shown_as_text(tmp_path: Path, english: None) -> None:
    hostile = "<b>Sumur</b>"
    folder = declare_kecamatan(office(tmp_path), "Labuan", "Carita", "Menes", "Cibitung", hostile)
    shown = page(folder, BEFORE_THE_END)
    assert hostile not in shown
    assert "&lt;b&gt;Sumur&lt;/b&gt;" in shown
    assert gaps_of(shown)["iku-tertangani"][0] == (
        f"layanan has no rows for 3 Kecamatan: Menes, Cibitung, {hostile}"
    )


def test_the_lines_speak_the_workspace_language(tmp_path: Path) -> None:
    with use_language("id"):
        found = gaps_of(page(office(tmp_path), AFTER_THE_END))
    # the catalog's words for the same 1 August and 152 days
    assert found["iku-tertangani"] == (
        "data layanan hanya sampai 1 Agustus 2026 (152 hari sebelum akhir periode)",
    )


def test_the_data_are_asked_once_and_a_page_shown_again_asks_nothing(
    tmp_path: Path, english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []
    original = SqlBackend.dates  # the workspace's DuckDB asks it

    def counted(self: SqlBackend, source: Any, period: Any, time: str, groupings: Any) -> Any:
        asked.append((source.id, time))
        return original(self, source, period, time, groupings)

    monkeypatch.setattr(SqlBackend, "dates", counted)
    folder = office(tmp_path)
    with client_for(folder, AFTER_THE_END) as client:
        first = client.get("/", params={"period": "2026"}).text
        # one query per source read and period, whatever the number of indicators reading
        # it: 2026's two, and 2025's service log, which kenaikan's sebelumnya reads
        assert sorted(asked) == [
            ("layanan", "flow"),
            ("layanan", "flow"),
            ("register_pmks", "state"),
        ]
        again = client.get("/", params={"period": "2026"}).text
        region = client.get("/", params={"period": "2026", "region": "Labuan"}).text
        assert len(asked) == 3  # the evaluation kept, with its answers
    assert gaps_of(again) == gaps_of(first)
    assert gaps_of(region)["iku-tertangani"] != gaps_of(first)["iku-tertangani"]
