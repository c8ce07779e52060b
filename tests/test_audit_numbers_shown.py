"""One result shown alike wherever it is shown: the workspace, the reports and ``iku eval``
give a value the digits it needs beside its target, so that no page reads a target missed
as met."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from tests.helpers import edit, office, run

pytest.importorskip("starlette")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from iku_rules.i18n import use_language
from iku_rules.serve import create_app

SKOR = 'formula = "bobot × [Nilai AKIP] + iku-tertangani / 100%"'


def skor_against(tmp_path: Path, target: str) -> Path:
    """The mini office with the indicator ``skor`` given the 2026 target ``target``:
    skor = 0.5 × 76.05 + 60 % / 100 % = 38.025 + 0.6 = 38.625."""
    folder = office(tmp_path)
    edit(folder, SKOR, f'{SKOR}\n  targets = {{ 2026 = "{target}" }}')
    return folder


def tree_row(folder: Path, indicator: str) -> list[str]:
    """The cells of ``indicator``'s row in the workspace's tree for 2026, as text."""
    with use_language("en"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(create_app(folder, folder).asgi, base_url="http://127.0.0.1") as client:
            page = client.get("/?period=2026").text
    row = re.search(rf'<tr[^>]*data-id="{indicator}".*?</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_the_workspace_never_rounds_a_value_onto_the_threshold_it_misses(
    tmp_path: Path,
) -> None:
    folder = skor_against(tmp_path, ">= 38.63")
    # 38.625 misses ≥ 38.63: capaian 38.625 / 38.63 × 100 = 99.98706… → 99.99. Rounded to
    # two decimals the value would be 38.63 (half away from zero), which reads as met; it is
    # shown 38.625, as the LKjIP report shows it (the workspace writes the office's notation,
    # Indonesian where none is declared; ⚠ marks where the data stop short).
    cells = tree_row(folder, "skor")
    assert cells[1].removesuffix(" ⚠") == "38,625"
    assert cells[2:4] == ["≥ 38,63", "99,99 %"]


def small_share_office(tmp_path: Path) -> Path:
    """The mini office with an IKU where lower is better whose target is written with four
    decimals, and its 2026 realisasi typed in: 0.004 %."""
    folder = office(tmp_path)
    tertangani = '  targets = { 2026 = "40" }\n'
    edit(
        folder,
        tertangani,
        tertangani
        + """
  [[sasaran.indikator]]
  id = "iku-kasus"
  name = "Persentase kasus gizi buruk"
  unit = "Persen"
  iku = true
  polarity = "negatif"
  formula = "[Kasus gizi buruk]"
  targets = { 2026 = "0.0045" }
""",
    )
    definitions = folder / "definitions.toml"
    with definitions.open("a", encoding="utf-8") as file:
        file.write('\n[[input]]\nname = "Kasus gizi buruk"\nunit = "Persen"\n')
    with (folder / "inputs.csv").open("a", encoding="utf-8") as file:
        file.write("Kasus gizi buruk,2026,0.004\n")
    return folder


def test_a_realisasi_keeps_the_decimals_of_the_target_beside_it(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = small_share_office(tmp_path)
    # Capaian (selisih) = (2 × 0.0045 − 0.004) / 0.0045 × 100 = 0.005 / 0.0045 × 100
    # = 111.111… → 111.11. Rounded to the two decimals of a Persen, the realisasi would be
    # 0.00 beside its target 0.0045, which makes 111.11 read as 200; it is shown 0.004.
    for kind in ("md", "xlsx"):
        status, said = run(
            "--lang", "en", "report", str(folder), "--data", str(folder), "--period", "2026",
            "-o", str(tmp_path / f"lkjip.{kind}"),
        )  # fmt: skip
        assert status == 0, said
    markdown = (tmp_path / "lkjip.md").read_text(encoding="utf-8")
    assert "| Persen | 0.0045 | 0.004 | 111.11 | Sangat Tinggi |" in markdown
    sheet = load_workbook(tmp_path / "lkjip.xlsx")["IKU"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "Persentase kasus gizi buruk")
    target, realisasi, capaian = row[4], row[5], row[6]
    assert (target.value, target.number_format) == (0.0045, "#,##0.0000")
    assert (realisasi.value, realisasi.number_format) == (0.004, "#,##0.000")
    assert (capaian.value, capaian.number_format) == (111.11, '#,##0.00"%"')
    cells = tree_row(folder, "iku-kasus")
    assert cells[1:4] == ["0,004 %", "0,0045", "111,11 %"]


def test_spreadsheet_csv_keeps_a_number_excel_would_cut_as_text(tmp_path: Path) -> None:
    import csv
    import io

    folder = office(tmp_path)
    skor = 'formula = "bobot × [Nilai AKIP] + iku-tertangani / 100%"'
    edit(folder, skor, 'formula = "[Belanja]"')
    with (folder / "definitions.toml").open("a", encoding="utf-8") as file:
        file.write('\n[[input]]\nname = "Belanja"\nunit = "Nilai"\n')
    with (folder / "inputs.csv").open("a", encoding="utf-8") as file:
        file.write("Belanja,2026,12345678901234.56\n")
    # 12345678901234.56 has 16 significant digits; Excel keeps 15 and would read the cell
    # as 12345678901234.5 without a word. It is written as text, every digit kept.
    for lang, separator, shown in (
        ("id", ";", "'12345678901234,56"),
        ("en", ",", "'12345678901234.56"),
    ):
        status, out = run(
            "--lang", lang, "eval", str(folder), "--data", str(folder), "--period", "2026",
            "--format", "excel",
        )  # fmt: skip
        assert status == 0, out
        rows = csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=separator)
        by_id = {row["id"]: row for row in rows}
        assert by_id["skor"]["value"] == shown
        # 3 of 5 PMKS served: 60 %, a number as before
        assert by_id["iku-tertangani"]["value"] in ("60,0", "60.0")
