"""A workbook whose package lacks a part it lists (the worksheet of the declared sheet, or
``xl/workbook.xml`` itself: a copy cut short, a package rebuilt by hand) is refused as
damaged, naming the file and saying to copy it again or save it again from Excel; never as
a sheet that does not exist nor with zipfile's ``There is no item named …`` text. Every
case reads the realisasi through ``iku eval`` as a planner runs it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from helpers import CASCADE, run

DEFINITIONS = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  formula = "realisasi"
  targets = { 2026 = 100 }

[[source]]
id = "realisasi"
kind = "realisasi"
format = "xlsx"
path = "realisasi.xlsx"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""
)
DAMAGED = (
    "the workbook is incomplete or damaged (cut short while it was copied or downloaded?):"
    " copy it again, or open it in Excel and save it again as .xlsx"
)


def _workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "realisasi"
    sheet.append(["indikator", "periode", "nilai"])
    for quarter, value in ((1, 20), (2, 30), (3, 35), (4, 5)):
        sheet.append(["dilayani", f"2026-TW{quarter}", value])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _eval(tmp_path: Path, change: Callable[[str, bytes], bytes | None]) -> tuple[int, str]:
    """``iku eval`` of the office whose workbook's parts are changed by ``change`` (None:
    left out)."""
    (tmp_path / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    packed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_workbook())) as source, zipfile.ZipFile(packed, "w") as out:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                out.writestr(item, data)
    (tmp_path / "realisasi.xlsx").write_bytes(packed.getvalue())
    return run("--lang", "en", "eval", str(tmp_path), "--data", str(tmp_path),
               "--period", "2026", "--today", "2027-01-15")  # fmt: skip


def test_the_workbook_whole_is_read(tmp_path: Path) -> None:
    # 20 + 30 + 35 + 5 = 90 against 100: 90.00
    status, out = _eval(tmp_path, lambda name, data: data)
    assert status == 0, out
    assert "  dilayani     90 Orang         100       90 %  Tinggi\n" in out


def test_a_sheet_listed_but_not_held_is_a_damaged_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out = _eval(
        tmp_path, lambda name, data: None if name == "xl/worksheets/sheet1.xml" else data
    )
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        "iku: realisasi.xlsx: the workbook lists the sheet 'realisasi' but the file does not"
        " hold it: the workbook is incomplete or damaged (cut short while it was copied or"
        " downloaded?); copy it again, or open it in Excel and save it again as .xlsx"
    )


def test_a_package_without_its_workbook_part_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out = _eval(tmp_path, lambda name, data: None if name == "xl/workbook.xml" else data)
    assert status == 1
    assert capsys.readouterr().err.strip() == f"iku: realisasi.xlsx: {DAMAGED}"
