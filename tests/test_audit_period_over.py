"""A count reported for TW1 to TW3 and not for TW4, evaluated for the year once the year is
over, is summed to the year's value with TW4 counted as none: the listing (text, JSON,
CSV), the reports and the workspace say so beside the number, as they say of a triwulan
skipped before the last one reported. A year not over is not marked (its provisional note
says it), nor a triwulan an office reporting twice a year does not report. Every expected
number is computed by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from helpers import CASCADE, run
from test_audit_skipped_triwulan import (  # the same office, with its readers
    AFTER,
    INDICATOR,
    OFFICE,
    SOURCE,
    _eval,
    _folder,
    _row,
    workspace_mark,
)

from iku_rules.engine import Engine
from iku_rules.i18n import use_language

NOTE = (
    "the realisasi of dilayani for 2026-TW4 is not reported, so its sum over 2026 counts it"
    " as none; report it (0 where there was none)"
)


def test_the_last_triwulan_not_reported_in_a_year_over_is_said(tmp_path: Path) -> None:
    # TW1 20, TW2 30, TW3 35, no TW4, evaluated on 15 January 2027: 20 + 30 + 35 = 85
    # against 100, 85 / 100 × 100 = 85.00 (Tinggi), TW4 counted as none
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35})
    row = _row(folder)
    assert (row["value"], row["capaian"], row["predikat"]) == (85, Decimal("85.00"), "Tinggi")
    assert (row["provisional"], row["note"]) == (False, NOTE)
    csv = _eval(folder, "2026", "csv").splitlines()
    assert csv[1].endswith(f',false,"{NOTE}"')
    text = _eval(folder, "2026", "text")
    assert "  dilayani     85 Orang         100       85 %  Tinggi ⚠\n" in text
    assert "⚠ the realisasi for 2026-TW4 is not reported, so its sum over 2026" in text
    assert "it concerns dilayani" in text
    # the same through the Python API
    with use_language("en"), Engine(folder, folder, today=date(2027, 1, 15)) as engine:
        assert engine.evaluate("2026").rows()[0]["note"] == NOTE
    # to TW3, over on 30 September: 85 is what was reported, nothing missing
    assert _row(folder, period="2026-sd-TW3")["note"] is None


def test_a_year_not_over_is_not_marked(tmp_path: Path) -> None:
    # on 15 December 2026 the year runs: 85 (85.00) is provisional, TW4 not due yet
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35})
    row = _row(folder, today="2026-12-15")
    assert (row["value"], row["capaian"], row["provisional"], row["note"]) == (
        85,
        Decimal("85.00"),
        True,
        None,
    )
    assert "⚠" not in _eval(folder, "2026", "text", "2026-12-15")


def test_a_schedule_marks_only_what_is_due(tmp_path: Path) -> None:
    # twice a year, TW2 40 and no TW4: 40 against 100 (40.00); TW3 is not due, TW4 is
    row = _row(_folder(tmp_path / "twice", {2: 40}))
    assert (row["value"], row["capaian"], row["note"]) == (40, Decimal("40.00"), NOTE)
    # every triwulan reported: 20 + 30 + 35 + 5 = 90, nothing said
    assert _row(_folder(tmp_path / "all", {1: 20, 2: 30, 3: 35, 4: 5}))["note"] is None
    # TW2 and TW4 reported: 40 + 50 = 90, an office reporting twice a year, nothing said
    assert _row(_folder(tmp_path / "both", {2: 40, 4: 50}))["note"] is None


def test_the_reports_and_the_workspace_say_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35})
    out = tmp_path / "lkjip.md"
    status, said = run("--lang", "en", "report", str(folder), "--data", str(folder),
                       "--period", "2026", "--format", "md", "-o", str(out), "--today", AFTER)  # fmt: skip
    assert status == 0, said
    markdown = out.read_text(encoding="utf-8")
    # 85 against 100: 85.00, Tinggi, beside the note
    assert f"| 1 | Sasaran | Orang dilayani | Orang | 100 | 85 | 85.00 | Tinggi | {NOTE} |" in (
        markdown
    )
    assert workspace_mark(folder) == NOTE


def test_a_triwulan_no_region_reports_and_one_a_region_misses_are_each_marked(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    source = SOURCE.replace(
        "columns = {", 'region_column = "kecamatan"\ncolumns = { kecamatan = "text",'
    )
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + INDICATOR + source, encoding="utf-8"
    )
    rows = [f"Labuan,dilayani,2026-TW{q},10" for q in (1, 2, 3, 4)]
    carita = [f"Carita,dilayani,2026-TW{q},5" for q in (1, 2, 3)]

    def found() -> dict[str | None, tuple[int, str | None]]:
        status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder), "--period",
                          "2026", "--by", "kecamatan", "--format", "json", "--today", AFTER)  # fmt: skip
        assert status == 0, out
        return {row["region"]: (row["value"], row["note"]) for row in json.loads(out)}

    # Labuan 10 in each triwulan (40), Carita 5 in TW1 to TW3 (15): the year is 55, TW4
    # reported by Labuan but not by Carita, which reports the other three: Carita's TW4 is
    # said on the year and on Carita, not on Labuan, whose rows are all there
    text = "kecamatan,indikator,periode,nilai\n" + "\n".join(rows + carita) + "\n"
    (folder / "realisasi.csv").write_text(text, encoding="utf-8")
    absent = (
        "the realisasi of dilayani has no row for 2026-TW4 from kecamatan Carita, which reports"
        " it in another triwulan of 2026, so its sum over 2026 counts it as none; report it (0"
        " where there was none)"
    )
    assert found() == {None: (55, absent), "Carita": (15, absent), "Labuan": (40, None)}
    # Carita's 0 written for TW4: nothing to say
    zero = "\nCarita,dilayani,2026-TW4,0"
    (folder / "realisasi.csv").write_text(text.rstrip("\n") + zero + "\n", encoding="utf-8")
    assert found() == {None: (55, None), "Carita": (15, None), "Labuan": (40, None)}
    # Labuan's TW4 gone: no kecamatan reports TW4, the year's 30 + 15 = 45 counts it as none
    text = "kecamatan,indikator,periode,nilai\n" + "\n".join(rows[:3] + carita) + "\n"
    (folder / "realisasi.csv").write_text(text, encoding="utf-8")
    assert found() == {None: (45, NOTE), "Carita": (15, NOTE), "Labuan": (30, NOTE)}
