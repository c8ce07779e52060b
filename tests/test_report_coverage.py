"""The report's tables say, in each row's Keterangan, where the data of its value stop short
of the period's end or miss a declared region: the IKU table, the programme and region
tables, every indicator of the cascade, and each year of the trend, the measure read in the
indicator's formula or through another indicator it reads. A period not over says it is
provisional instead of where its data end; the regions without a row are named all the same.

The small office (tests/fixtures/mini): ``iku-tertangani`` = Σ PMKS tertangani (distinct nik
of the service log ``layanan``, time = "flow") / Σ PMKS (the register ``register_pmks``, time
= "state") × 100. layanan's 2026 rows are dated 10 January to 1 August (Labuan 10 January,
10 February, 1 April; Carita 1 July, 1 August), its 2025 row 1 July (Carita). Every number
below is worked by hand from those rows.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from helpers import add_row, declare_kecamatan, edit, office, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import Report, build_report

AFTER_THE_END = date(2027, 1, 15)
BEFORE_THE_END = date(2026, 12, 6)
# 1 August to 31 December 2026: 30 (August) + 30 + 31 + 30 + 31 = 152 days
ENDS_2026 = "layanan's data end on 1 August 2026, 152 days before the period's end"
# 1 July to 31 December 2025: 30 (July) + 31 + 30 + 31 + 30 + 31 = 183 days
ENDS_2025 = "layanan's data end on 1 July 2025, 183 days before the period's end"
NO_TARGET = "capaian not available: there is no target for {year}"


def report(folder: Path, day: date, period: str = "2026") -> Report:
    with use_language("en"):
        return build_report(Engine(folder, folder, today=day), period)


def notes_of(built: Report) -> dict[str, tuple[str, ...]]:
    """The Keterangan of each indicator of the cascade, by id, in English."""
    with use_language("en"):
        return {
            found.row.indicator_id: found.row.notes for n in built.nodes() for found in n.indicators
        }


def test_each_row_over_the_late_service_log_says_where_it_ends(tmp_path: Path) -> None:
    built = report(office(tmp_path), AFTER_THE_END)
    (row,) = built.iku_table.rows
    with use_language("en"):
        assert row.notes == (ENDS_2026,)
        assert row.keterangan == ENDS_2026
    by_id = notes_of(built)
    assert by_id["iku-tertangani"] == (ENDS_2026,)
    # kenaikan reads PMKS tertangani itself, and of 2025 (sebelumnya), whose one row is of
    # 1 July 2025: 30 (July) + 31 + 30 + 31 + 30 + 31 = 183 days before 2025's end; skor
    # reads it through iku-tertangani
    before = (
        "layanan's data for 2025, the period before, end on 1 July 2025, 183 days before its end"
    )
    assert by_id["kenaikan"] == (ENDS_2026, before, NO_TARGET.format(year=2026))
    assert by_id["skor"] == (ENDS_2026, NO_TARGET.format(year=2026))
    # anak-share reads the register of states only: no end is said of it
    assert by_id["anak-share"] == (NO_TARGET.format(year=2026),)
    # the sub kegiatan's realisasi is reported per triwulan: no dated rows behind it; for TW1
    # to TW3 only (3 + 2.5 + 4 = 9.5), its TW4 of the year over counted as none
    (table,) = built.program_tables
    tw4 = (
        "the realisasi of alat-bantu-orang for 2026-TW4 is not reported, so its sum over 2026"
        " counts it as none; report it (0 where there was none)"
    )
    absent = (  # Carita's TW1 and TW2 and Labuan's TW3, each reported by the other kecamatan
        "the realisasi of alat-bantu-orang has no row for 2026-TW1 from kecamatan Carita;"
        " 2026-TW2 from kecamatan Carita; 2026-TW3 from kecamatan Labuan, which reports it in"
        " another triwulan of 2026, so its sum over 2026 counts it as none; report it (0 where"
        " there was none)"
    )
    with use_language("en"):
        assert [r.keterangan for r in table.rows] == [
            f"{tw4}; {absent}; {NO_TARGET.format(year=2026)}"
        ]


def test_each_year_of_the_trend_says_where_its_own_data_end(tmp_path: Path) -> None:
    (series,) = report(office(tmp_path), AFTER_THE_END).trend
    y2025, y2026, y2027 = series.points
    with use_language("en"):
        assert y2025.notes == (ENDS_2025, NO_TARGET.format(year=2025))
        assert y2026.notes == (ENDS_2026,)
        # after the report's period: not evaluated, nothing said of its data
        assert y2027.notes == (
            "realisasi not available: 2027 is after the period of the report (2026)",
        )


def test_no_note_where_the_log_reaches_31_days_from_the_end(tmp_path: Path) -> None:
    near = office(tmp_path / "near")
    # rows outside the filter (sub kegiatan 1.06.02...): the log is entered to 30 November
    # 2026 and 1 December 2025, 31 and 30 days before each year's end: not short
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-30")
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2025-12-01")
    built = report(near, AFTER_THE_END)
    (row,) = built.iku_table.rows
    y2025, y2026, _ = built.trend[0].points
    with use_language("en"):
        assert row.keterangan == ""
        assert y2026.notes == () and y2025.notes == (NO_TARGET.format(year=2025),)
    far = office(tmp_path / "far")
    # 29 November 2026 to 31 December 2026: 1 + 31 = 32 days, more than 31
    add_row(far, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-29")
    (row,) = report(far, AFTER_THE_END).iku_table.rows
    with use_language("en"):
        assert row.keterangan == (
            "layanan's data end on 29 November 2026, 32 days before the period's end"
        )


def test_declared_kecamatan_without_rows_are_named_over_or_not(tmp_path: Path) -> None:
    folder = declare_kecamatan(office(tmp_path), "Labuan", "Carita", "Menes", "Cibitung")
    # 2026: layanan has rows of Labuan and Carita: not Menes, Cibitung; register_pmks up to
    # 31 December 2026 has Labuan, Carita and Cibitung (1 June): not Menes (2 January 2027)
    layanan = "layanan has no rows for 2 Kecamatan: Menes, Cibitung"
    register = "register_pmks has no rows for 1 Kecamatan: Menes"
    (row,) = report(folder, AFTER_THE_END).iku_table.rows
    with use_language("en"):
        assert row.notes == (ENDS_2026, layanan, register)
    # on 6 December 2026 the year is not over: its note says so, not where the log ends
    built = report(folder, BEFORE_THE_END)
    assert built.provisional
    (row,) = built.iku_table.rows
    y2025, y2026, _ = built.trend[0].points
    with use_language("en"):
        assert row.notes == (layanan, register)
        assert y2026.notes == (built.provisional_note, layanan, register)
        # 2025 is over: layanan's one row (Carita, 1 July), the register's two by its end
        # (Labuan, 1 March and 1 May 2025)
        assert y2025.notes == (
            ENDS_2025,
            "layanan has no rows for 3 Kecamatan: Labuan, Menes, Cibitung",
            "register_pmks has no rows for 3 Kecamatan: Carita, Menes, Cibitung",
            NO_TARGET.format(year=2025),
        )


def test_more_than_five_kecamatan_are_counted_not_all_named(tmp_path: Path) -> None:
    eight = ("Labuan", "Carita", "Menes", "Cibitung", "Cigeulis", "Panimbang", "Sumur", "Angsana")
    (row,) = report(declare_kecamatan(office(tmp_path), *eight), BEFORE_THE_END).iku_table.rows
    # 2026's log names Labuan and Carita: 6 of the 8 without a row, the sixth counted
    with use_language("en"):
        assert row.notes[0] == (
            "layanan has no rows for 6 Kecamatan: Menes, Cibitung, Cigeulis, Panimbang, Sumur"
            " and 1 more"
        )


def test_each_region_row_says_where_its_own_rows_end(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        '  targets = { 2026 = "40" }\n',
        '  targets = { 2026 = "40" }\n  area_target_for_regions = true\n',
    )
    (table,) = report(folder, AFTER_THE_END).region_tables
    with use_language("en"):
        found = {row.sasaran: row.keterangan for row in table.rows}
    # Carita's last row 1 August: 152 days; Labuan's 1 April: 29 (April) + 31 + 30 + 31 +
    # 31 + 30 + 31 + 30 + 31 = 274 days
    assert found["Carita"] == ENDS_2026
    assert found["Labuan"] == (
        "layanan's data end on 1 April 2026, 274 days before the period's end"
    )
    # Menes has no service: its value is not available, and the reason says why
    assert found["Menes"].startswith("realisasi not available: PMKS tertangani: layanan has no")


def test_a_zero_over_a_period_without_rows_says_it_has_none(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, "plan_start = 2025", "plan_start = 2024")
    edit(
        folder, "filter = 'kode_sub_kegiatan in", 'empty = "zero"\nfilter = \'kode_sub_kegiatan in'
    )
    add_row(folder, "register_pmks.csv", "3601000000000009,Labuan,Fakir Miskin,2024-05-01")
    y2024, *_ = report(folder, AFTER_THE_END).trend[0].points
    # 2024: no service at all, counted 0 (empty = "zero"), of 1 PMKS: 0 / 1 × 100 = 0
    assert y2024.realisasi == 0
    with use_language("en"):
        assert y2024.notes == ("layanan has no rows in the period", NO_TARGET.format(year=2024))
    # the register of states counted 0 too, with no row up to 31 December 2024: 0 / 0
    edit(folder, 'column = "nik"\n\n[[measure]]', 'column = "nik"\nempty = "zero"\n\n[[measure]]')
    (folder / "register_pmks.csv").write_text(
        "\n".join((folder / "register_pmks.csv").read_text().splitlines()[:-1]) + "\n"
    )
    y2024, *_ = report(folder, AFTER_THE_END).trend[0].points
    assert y2024.realisasi is None
    with use_language("en"):
        assert y2024.notes[:2] == (
            "layanan has no rows in the period",
            "register_pmks has no rows up to the period's end",
        )
        assert y2024.notes[2].startswith("realisasi not available: ")


@pytest.mark.parametrize("kind", ["md", "html", "xlsx"])
def test_iku_report_writes_it_in_the_keterangan(tmp_path: Path, kind: str) -> None:
    folder = office(tmp_path)
    made = tmp_path / f"laporan.{kind}"
    status, text = run(
        "report", str(folder), "--data", str(folder), "--period", "2026",
        "--today", "2027-01-15", "-o", str(made), "--lang", "en",
    )  # fmt: skip
    assert status == 0, text
    if kind == "xlsx":
        sheet = openpyxl.load_workbook(made)["IKU"]
        header = [cell.value for cell in sheet[1]]
        assert sheet.cell(2, header.index("Notes") + 1).value == ENDS_2026
        trend = openpyxl.load_workbook(made)["Trend"]
        notes = [row[-1] for row in trend.iter_rows(2, values_only=True)]
        assert ENDS_2025 + "; " + NO_TARGET.format(year=2025) in notes and ENDS_2026 in notes
        return
    page = made.read_text(encoding="utf-8")
    if kind == "md":
        row = "| 40.00 | 60.00 | 150.00 | Sangat Tinggi | " + ENDS_2026 + " |"
        assert page.count(row) == 2  # the IKU table and the trend's 2026
        assert f"| 2025 | – | 50.00 | – | – | {ENDS_2025}; " in page
    else:
        assert page.count(f'<td class="note">{html.escape(ENDS_2026)}</td>') >= 2
