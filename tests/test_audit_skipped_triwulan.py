"""A count reported per triwulan with one missing before the last one reported (TW1 20, TW2
not reported, TW3 65) is summed to 85, TW2 counted as none: the listing (text, JSON, CSV),
the reports and the workspace say so beside the number, naming the triwulan. An office that
reports once a year in TW4, or twice a year in TW2 and TW4, is not marked. Every expected
number is computed by hand."""

from __future__ import annotations

import html
import json
import re
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE, run

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

"""

INDICATOR = """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  iku = true
  formula = "realisasi"
  targets = { 2026 = 100 }
"""

SOURCE = """
[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""

NOTE = (
    "the realisasi of dilayani for 2026-TW2, 2026-TW4 is not reported, so its sum over 2026"
    " counts it as none; report it (0 where there was none)"
)
"""TW2 skipped before TW3, and TW4 after it, in 2026 evaluated in 2027 (a year over)."""
TW2 = NOTE.replace("2026-TW2, 2026-TW4", "2026-TW2")
TW4 = NOTE.replace("2026-TW2, 2026-TW4", "2026-TW4")
AFTER = "2027-01-15"


def _folder(tmp_path: Path, rows: dict[int, int]) -> Path:
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + INDICATOR + SOURCE, encoding="utf-8"
    )
    lines = ["indikator,periode,nilai", *(f"dilayani,2026-TW{q},{v}" for q, v in rows.items())]
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _eval(folder: Path, period: str, form: str, today: str = AFTER) -> str:
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", period, "--format", form, "--today", today)  # fmt: skip
    assert status == 0, out
    return out


def _row(folder: Path, period: str = "2026", today: str = AFTER) -> dict[str, Any]:
    rows = json.loads(_eval(folder, period, "json", today), parse_float=Decimal)
    found: dict[str, Any] = rows[0]
    return found


def test_a_triwulan_skipped_is_said_beside_the_sum(tmp_path: Path) -> None:
    # TW1 20, TW2 not reported, TW3 65, TW4 not reported: the year is summed to
    # 20 + 65 = 85 against 100, 85 / 100 × 100 = 85.00 (Tinggi), TW2 counted as none.
    folder = _folder(tmp_path, {1: 20, 3: 65})
    row = _row(folder)
    assert (row["value"], row["capaian"], row["predikat"]) == (85, Decimal("85.00"), "Tinggi")
    assert row["note"] == NOTE  # TW2, before TW3, and TW4, after it in a year over
    csv = _eval(folder, "2026", "csv").splitlines()
    assert csv[0].endswith(",provisional,note")
    assert csv[1].endswith(f',false,"{NOTE}"')
    text = _eval(folder, "2026", "text")
    assert "  dilayani     85 Orang         100       85 %  Tinggi ⚠\n" in text
    assert "⚠ the realisasi for 2026-TW2, 2026-TW4 is not reported" in text
    assert "it concerns dilayani" in text
    # to TW3 likewise: 85, TW2 named
    assert _row(folder, "2026-sd-TW3")["note"] == TW2.replace("over 2026", "over 2026-sd-TW3")


def test_an_office_reporting_on_a_schedule_is_not_marked(tmp_path: Path) -> None:
    # once a year in TW4: 90 against 100, 90.00; twice a year: 40 + 50 = 90 too
    for name, rows in (("yearly", {4: 90}), ("twice", {2: 40, 4: 50})):
        folder = _folder(tmp_path / name, rows)
        row = _row(folder)
        assert (row["value"], row["capaian"], row["note"]) == (90, Decimal("90.00"), None)
        assert "⚠" not in _eval(folder, "2026", "text")
    # every triwulan reported: 20 + 25 + 20 + 25 = 90, nothing said
    assert _row(_folder(tmp_path / "every", {1: 20, 2: 25, 3: 20, 4: 25}))["note"] is None


def test_the_reports_say_it_in_their_notes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {1: 20, 3: 65})
    out = tmp_path / "lkjip.md"
    status, said = run("--lang", "en", "report", str(folder), "--data", str(folder),
                       "--period", "2026", "--format", "md", "-o", str(out), "--today", AFTER)  # fmt: skip
    assert status == 0, said
    markdown = out.read_text(encoding="utf-8")
    # the IKU table's row and the trend's year 2026: 85 and 85.00 beside the note
    assert f"| 1 | Sasaran | Orang dilayani | Orang | 100 | 85 | 85.00 | Tinggi | {NOTE} |" in (
        markdown
    )
    assert f"| 2026 | 100 | 85 | 85.00 | Tinggi | {NOTE} |" in markdown


def workspace_mark(folder: Path) -> str | None:
    """The words of the ⚠ the workspace's tree of 2026 (as on 15 January 2027) shows beside
    the office's one indicator, in English; None where it shows none."""
    pytest.importorskip("starlette")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from iku_rules.i18n import use_language
    from iku_rules.serve import create_app

    app = create_app(folder, folder, today=date(2027, 1, 15))
    with use_language("en"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(app.asgi, base_url="http://127.0.0.1") as client:
            response = client.get("/", params={"period": "2026"})
    assert response.status_code == 200
    mark = re.search(r'<span class="gap-mark" title="([^"]*)">⚠</span>', response.text)
    return None if mark is None else html.unescape(mark.group(1))


def test_the_workspace_marks_it(tmp_path: Path) -> None:
    assert workspace_mark(_folder(tmp_path, {1: 20, 3: 65})) == NOTE


def test_a_region_is_marked_only_for_a_triwulan_no_region_reports(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    source = SOURCE.replace(
        "columns = {", 'region_column = "kecamatan"\ncolumns = { kecamatan = "text",'
    )
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + INDICATOR + source, encoding="utf-8"
    )
    # Labuan 10 in TW1 and 30 in TW3, Carita 5 in TW2 only: the year is 10 + 5 + 30 = 45,
    # every triwulan up to TW3 reported by some kecamatan: TW2 is not skipped by the whole
    # area; TW4, which no kecamatan reports in a year over, is. Each kecamatan misses a
    # triwulan the other reports, though it reports in another of 2026: Carita's TW1 and
    # TW3 and Labuan's TW2 are named as not reported by them (tests/test_realisasi_absent.py).
    rows = ["Labuan,dilayani,2026-TW1,10", "Carita,dilayani,2026-TW2,5",
            "Labuan,dilayani,2026-TW3,30"]  # fmt: skip
    (folder / "realisasi.csv").write_text(
        "kecamatan,indikator,periode,nilai\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder), "--period",
                      "2026", "--by", "kecamatan", "--format", "json", "--today", AFTER)  # fmt: skip
    assert status == 0, out
    found = {row["region"]: (row["value"], row["note"]) for row in json.loads(out)}
    carita = "2026-TW1 from kecamatan Carita; 2026-TW3 from kecamatan Carita"
    labuan = "2026-TW2 from kecamatan Labuan"
    both = "2026-TW1 from kecamatan Carita; 2026-TW2 from kecamatan Labuan; 2026-TW3 from kecamatan Carita"
    assert found == {
        None: (45, f"{TW4}; {_absent(both)}"),
        "Carita": (5, f"{TW4}; {_absent(carita)}"),
        "Labuan": (40, f"{TW4}; {_absent(labuan)}"),
    }
    # Carita's row moved to TW3: no kecamatan reports TW2; the area's 10 + 30 + 5 = 45 and
    # Labuan's 10 + 30 = 40 count it as none, Carita's 5 (TW3 alone) skips TW1 and TW2;
    # TW1, which Labuan reports, is named as not reported by Carita
    (folder / "realisasi.csv").write_text(
        "kecamatan,indikator,periode,nilai\n"
        + "\n".join([rows[0], "Carita,dilayani,2026-TW3,5", rows[2]])
        + "\n",
        encoding="utf-8",
    )
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder), "--period",
                      "2026", "--by", "kecamatan", "--format", "json", "--today", AFTER)  # fmt: skip
    found = {row["region"]: (row["value"], row["note"]) for row in json.loads(out)}
    tw1 = _absent("2026-TW1 from kecamatan Carita")
    assert found == {
        None: (45, f"{NOTE}; {tw1}"),
        "Carita": (5, f"{NOTE}; {tw1}"),
        "Labuan": (40, NOTE),
    }


def _absent(missing: str) -> str:
    return (
        f"the realisasi of dilayani has no row for {missing}, which reports it in another"
        " triwulan of 2026, so its sum over 2026 counts it as none; report it (0 where there"
        " was none)"
    )
