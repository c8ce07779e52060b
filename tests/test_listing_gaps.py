"""``iku eval``'s text listing marks ⚠ each row whose value rests on data that stop short,
and says each fact once under its region's table with the indicators it concerns, as the
report's Keterangan says it (:func:`iku_rules.data_gaps.data_gaps`): a service log ending
more than 31 days before the end of a period over, a period without rows counted as 0, and
for the whole area the declared regions without a row; a provisional period names the
regions only.

The small office (tests/fixtures/mini): ``iku-tertangani`` = Σ PMKS tertangani (distinct nik
of the service log ``layanan``, time = "flow") / Σ PMKS (the register ``register_pmks``, time
= "state") × 100; ``skor`` reads ``iku-tertangani``, ``kenaikan`` reads PMKS tertangani and
its value of the period before; ``anak-share`` reads the register only, ``alat-bantu-orang``
a realisasi. layanan's 2026 rows are dated 10 January to 1 August (Labuan 10 January,
10 February, 1 April; Carita 1 July, 1 August), its 2025 row 1 July (Carita). Every date and
count below is worked by hand from those rows.
"""

from __future__ import annotations

from pathlib import Path

from helpers import add_row, declare_kecamatan, edit, run
from helpers import office as mini_office

AFTER_THE_END = "2027-01-15"
BEFORE_THE_END = "2026-12-06"
# 1 August to 31 December 2026: 30 (August) + 30 + 31 + 30 + 31 = 152 days
ENDS_2026 = "layanan's data end on 1 August 2026, 152 days before the period's end"
# kenaikan reads PMKS tertangani of 2025 too (sebelumnya), whose one row is of 1 July 2025:
# 1 July to 31 December 2025 is 30 (July) + 31 + 30 + 31 + 30 + 31 = 183 days
ENDS_2025 = (
    "layanan's data for 2025, the period before, end on 1 July 2025, 183 days before its end;"
    " it concerns kenaikan"
)


def office(tmp_path: Path) -> Path:
    """The small office with its sub kegiatan's realisasi of 2026-TW4 reported, and each
    kecamatan's triwulan the other reports (0: 3 + 2.5 + 4 + 0 is still 9.5), so that the
    facts below are the service log's alone."""
    folder = mini_office(tmp_path)
    for row in ("2026-TW4,Carita", "2026-TW1,Carita", "2026-TW2,Carita", "2026-TW3,Labuan",
                "2026-TW4,Labuan"):  # fmt: skip
        add_row(folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,{row},0")
    return folder


def listing(folder: Path, *more: str, today: str = AFTER_THE_END) -> str:
    status, text = run(
        "eval", str(folder), "--data", str(folder), "--today", today, "--lang", "en", *more
    )
    assert status == 0, text
    return text


def sections(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """Each region's table, by its heading: the ids of the rows marked ⚠, and the facts
    said under it (a fact wrapped over lines joined again)."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for block in text.split("\n\n")[1:]:
        if not block.strip():
            continue
        heading, *lines = block.strip("\n").splitlines()
        marked = [line.split()[0] for line in lines if line.endswith(" ⚠")]
        facts: list[str] = []
        for line in lines:
            if line.startswith("  ⚠ "):
                facts.append(line.removeprefix("  ⚠ "))
            elif line.startswith("    ") and facts:  # the rest of a fact's line
                facts[-1] += " " + line.strip()
        found[heading] = (marked, facts)
    return found


def test_a_row_over_the_late_service_log_is_marked_and_the_fact_said_once(
    tmp_path: Path,
) -> None:
    text = listing(mini_office(tmp_path), "--period", "2026")
    marked, facts = sections(text)["Area (all regions)"]
    # iku-tertangani reads layanan, skor through iku-tertangani, kenaikan itself; anak-share
    # reads the register of states only: not marked; alat-bantu-orang, a realisasi reported
    # for TW1 to TW3 (3 + 2.5 + 4 = 9.5) of a year over, for its TW4 counted as none
    assert marked == ["iku-tertangani", "skor", "kenaikan", "alat-bantu-orang"]
    # said once for the three, the first two named, then how many more; and the period
    # before, which kenaikan's change is from, for kenaikan alone
    assert facts == [
        f"{ENDS_2026}; it concerns iku-tertangani, skor and 1 more",
        ENDS_2025,
        "the realisasi for 2026-TW4 is not reported, so its sum over 2026 counts it as none;"
        " report it (0 where there was none); it concerns alat-bantu-orang",
        # Carita (TW3) and Labuan (TW1, TW2) each without a row in a triwulan the other reports
        "the realisasi has no row for 2026-TW1 from kecamatan Carita; 2026-TW2 from kecamatan"
        " Carita; 2026-TW3 from kecamatan Labuan, which reports it in another triwulan of 2026,"
        " so its sum over 2026 counts it as none; report it (0 where there was none); it"
        " concerns alat-bantu-orang",
    ]
    # the mark stands after the predikat (60 % against 40: capaian 150 %, Sangat Tinggi)
    (row,) = [line for line in text.splitlines() if line.startswith("  iku-tertangani ")]
    assert row.endswith("150 %  Sangat Tinggi ⚠")


def test_nothing_is_marked_where_the_log_reaches_31_days_from_the_end(tmp_path: Path) -> None:
    near = office(tmp_path / "near")
    # a row outside the filter (sub kegiatan 1.06.02...) on 30 November 2026: 30 November to
    # 31 December is 31 days, not more than 31; no other fact behind the year's values
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-30")
    # and 2025's, which kenaikan reads, on 30 November 2025: 31 days before its end
    add_row(near, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2025-11-30")
    text = listing(near, "--period", "2026")
    assert "⚠" not in text
    far = office(tmp_path / "far")
    # 29 November 2026 to 31 December 2026: 1 + 31 = 32 days, more than 31
    add_row(far, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2026-11-29")
    marked, facts = sections(listing(far, "--period", "2026"))["Area (all regions)"]
    assert marked == ["iku-tertangani", "skor", "kenaikan"]
    assert facts == [
        "layanan's data end on 29 November 2026, 32 days before the period's end; it concerns"
        " iku-tertangani, skor and 1 more",
        ENDS_2025,
    ]


def test_a_provisional_period_names_the_regions_without_a_row_only(tmp_path: Path) -> None:
    folder = declare_kecamatan(office(tmp_path), "Labuan", "Carita", "Menes", "Cibitung")
    # 2026: layanan has rows of Labuan and Carita: not Menes, Cibitung; register_pmks up to
    # 31 December 2026 has Labuan, Carita and Cibitung (1 June): not Menes (2 January 2027)
    layanan = "layanan has no rows for 2 Kecamatan: Menes, Cibitung"
    register = "register_pmks has no rows for 1 Kecamatan: Menes"
    concerns = "; it concerns iku-tertangani, skor and 1 more"
    # anak-share (Σ anak terlantar / Σ PMKS, both of the register) and skor (through
    # iku-tertangani) by the register's; kenaikan (PMKS tertangani only) not
    register_concerns = "; it concerns iku-tertangani, anak-share and 1 more"
    # 2025, which kenaikan reads: one row, Carita's; the other three without a row
    before = (
        "layanan has no rows in 2025, the period before, for 3 Kecamatan: Labuan, Menes,"
        " Cibitung; it concerns kenaikan"
    )
    over = sections(listing(folder, "--period", "2026"))["Kabupaten (all regions)"]
    assert over == (
        ["iku-tertangani", "anak-share", "skor", "kenaikan"],
        [ENDS_2026 + concerns, layanan + concerns, register + register_concerns, ENDS_2025, before],
    )
    # on 6 December 2026 the year is not over: its note says so, not where the log ends;
    # 2025 is over, and where its log ends is said
    text = listing(folder, "--period", "2026", today=BEFORE_THE_END)
    assert "Provisional: the period 2026 has not ended on 6 December 2026" in text
    assert sections(text)["Kabupaten (all regions)"] == (
        ["iku-tertangani", "anak-share", "skor", "kenaikan"],
        [layanan + concerns, register + register_concerns, ENDS_2025, before],
    )


def test_each_region_says_where_its_own_rows_end(tmp_path: Path) -> None:
    found = sections(listing(office(tmp_path), "--period", "2026", "--by", "kecamatan"))
    # Carita's last row 1 August: 152 days; kenaikan reads Carita's 2025 row too (1 July
    # 2025, 183 days before 2025's end)
    assert found["Kecamatan Carita"] == (
        ["iku-tertangani", "kenaikan"],
        [f"{ENDS_2026}; it concerns iku-tertangani, kenaikan", ENDS_2025],
    )
    # Labuan's 1 April: 29 (April) + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 274 days; its
    # kenaikan is not available (no 2025 row), skor is the whole area's only: unmarked
    assert found["Kecamatan Labuan"] == (
        ["iku-tertangani"],
        [
            "layanan's data end on 1 April 2026, 274 days before the period's end; it concerns"
            " iku-tertangani"
        ],
    )
    # Menes has no service: its values are not available, and their reasons say why
    assert found["Kecamatan Menes"] == ([], [])
    # the whole area's own fact, once under its table, not under the regions'
    assert found["Area (all regions)"][1] == [
        f"{ENDS_2026}; it concerns iku-tertangani, skor and 1 more",
        ENDS_2025,
    ]


def test_each_period_of_a_range_says_its_own_end(tmp_path: Path) -> None:
    text = listing(office(tmp_path), "--period", "2026-TW1..TW3")
    facts = [sections(part)["Area (all regions)"][1] for part in text.split("Dinas Mini — ")[1:]]
    assert facts == [
        # TW1: last row 10 February, 18 + 31 (March) = 49 days before 31 March; kenaikan is
        # not available (no row in 2025-TW4)
        [
            "layanan's data end on 10 February 2026, 49 days before the period's end;"
            " it concerns iku-tertangani, skor"
        ],
        # TW2: 1 April, 29 + 31 + 30 = 90 days before 30 June; kenaikan's change is from
        # TW1, whose rows end on 10 February (49 days, above)
        [
            "layanan's data end on 1 April 2026, 90 days before the period's end;"
            " it concerns iku-tertangani, skor and 1 more",
            "layanan's data for 2026-TW1, the period before, end on 10 February 2026, 49 days"
            " before its end; it concerns kenaikan",
        ],
        # TW3: 1 August, 30 + 30 = 60 days before 30 September; kenaikan's from TW2 (above)
        [
            "layanan's data end on 1 August 2026, 60 days before the period's end;"
            " it concerns iku-tertangani, skor and 1 more",
            "layanan's data for 2026-TW2, the period before, end on 1 April 2026, 90 days"
            " before its end; it concerns kenaikan",
        ],
    ]


def test_a_zero_over_a_period_without_rows_says_it_has_none(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, "plan_start = 2025", "plan_start = 2024")
    edit(
        folder, "filter = 'kode_sub_kegiatan in", 'empty = "zero"\nfilter = \'kode_sub_kegiatan in'
    )
    add_row(folder, "register_pmks.csv", "3601000000000009,Labuan,Fakir Miskin,2024-05-01")
    text = listing(folder, "--period", "2024")
    # 2024: no service at all, counted 0 (empty = "zero"), of 1 PMKS: 0 / 1 × 100 = 0 %;
    # kenaikan 0 - 0 = 0 (2023 has none either); skor has no Nilai AKIP for 2024
    (row,) = [line for line in text.splitlines() if line.startswith("  iku-tertangani ")]
    assert row.split() == ["iku-tertangani", "0", "%", "⚠"]
    assert sections(text)["Area (all regions)"] == (
        ["iku-tertangani", "kenaikan"],
        [
            "layanan has no rows in the period; it concerns iku-tertangani, kenaikan",
            "layanan has no rows in 2023, the period before; it concerns kenaikan",
        ],
    )


def test_indonesian_says_the_fact_in_the_words_of_the_report(tmp_path: Path) -> None:
    folder = office(tmp_path)
    status, text = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026",
        "--today", AFTER_THE_END, "--lang", "id",
    )  # fmt: skip
    assert status == 0, text
    # the words of the report's Keterangan for the same fact
    said = "data layanan hanya sampai 1 Agustus 2026 (152 hari sebelum akhir periode)"
    fact, before = [line for line in text.splitlines() if line.startswith("  ⚠ ")]
    assert fact.startswith(f"  ⚠ {said}")
    # 1 July to 31 December 2025: 183 days (above)
    said = "data layanan untuk 2025, periode sebelumnya, hanya sampai 1 Juli 2025 (183 hari"
    assert before.startswith(f"  ⚠ {said}")


def test_a_long_fact_is_wrapped_within_100_columns(tmp_path: Path) -> None:
    eight = ("Labuan", "Carita", "Menes", "Cibitung", "Cigeulis", "Panimbang", "Sumur", "Angsana")
    text = listing(declare_kecamatan(office(tmp_path), *eight), "--period", "2026")
    # 2026's log names Labuan and Carita: 6 of the 8 without a row, five named
    layanan = (
        "layanan has no rows for 6 Kecamatan: Menes, Cibitung, Cigeulis, Panimbang, Sumur and"
        " 1 more; it concerns iku-tertangani, skor and 1 more"
    )
    assert layanan in sections(text)["Kabupaten (all regions)"][1]
    start = text.index("  ⚠ layanan has no rows")
    lines = text[start:].splitlines()[:2]  # its 140 columns over two lines, the rest indented
    assert len(lines[0]) <= 100 and lines[1].startswith("    ") and len(lines[1]) <= 100
