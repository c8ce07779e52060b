"""`iku check` warns of a floor of capaian above 0 (`[rules] floor = 50`, code
`floor-above-zero`): every capaian below it is reported as the floor, with the predikat of
the floor, where no regulation floors capaian above 0. A realisasi of 10 against 100 shows
capaian 50 (the raw 10 only in `policy_applied`); a floor of 91 shows it Sangat Tinggi.

The policy itself is not changed: a floor below 100 is still applied as the office says."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE, run

OFFICE = """\
#:schema ../iku_rules/schema/definitions.schema.json
[office]
id = "contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2030
notation = "id"
{rules}
[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = {{ indikator = "text", periode = "text", nilai = "decimal" }}
{cascade}
[[sasaran.indikator]]
id = "dilayani"
name = "Jumlah orang dilayani"
unit = "Orang"
formula = "realisasi"
targets = {{ 2026 = "100" }}
"""


def office(tmp_path: Path, rules: str) -> tuple[Path, Path]:
    """An office whose ``[rules]`` are ``rules``, with 10 people served in 2026 (TW1)
    against a target of 100."""
    folder, data = tmp_path / "office", tmp_path / "data"
    folder.mkdir()
    data.mkdir()
    text = OFFICE.format(rules=rules, cascade=CASCADE)
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    (data / "realisasi.csv").write_text(
        "indikator,periode,nilai\ndilayani,2026-TW1,10\n", encoding="utf-8"
    )
    return folder, data


def diagnostics(folder: Path) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    diagnostics: list[dict[str, Any]] = json.loads(text)["diagnostics"]
    assert status == (1 if any(d["severity"] == "error" for d in diagnostics) else 0), text
    return diagnostics


def floor_warnings(folder: Path) -> list[dict[str, Any]]:
    return [d for d in diagnostics(folder) if d["code"] == "floor-above-zero"]


def year(folder: Path, data: Path) -> dict[str, Any]:
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", "2026", "--format", "json",
        "--lang", "en",
    )  # fmt: skip
    assert status == 0, text
    (row,) = json.loads(text, parse_float=Decimal)
    return row  # type: ignore[no-any-return]


def test_a_floor_of_50_is_warned_of_with_what_it_does(tmp_path: Path) -> None:
    folder, data = office(tmp_path, "[rules]\nfloor = 50\n")
    # What the warning is about: 10 / 100 × 100 = 10 is shown as 50, graded as 50 is.
    row = year(folder, data)
    assert (row["capaian"], row["predikat"]) == (Decimal("50.00"), "Sangat Rendah")
    assert row["policy_applied"] == "floored at 50 (raw 10.00)"
    (warning,) = floor_warnings(folder)
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "a floor of 50 in [rules] shows every capaian below 50 as 50: a realisasi of 10"
        " against a target of 100 is shown as capaian 50 (its raw 10 only in a note) and given"
        " the predikat of 50; no regulation floors capaian above 0, so the report would show"
        " every target missed by far as missed by less"
    )
    assert warning["suggestion"] == (
        "write floor = 0, which shows only a negative capaian as 0, or remove floor to show"
        " every capaian as computed"
    )
    lines = (folder / "definitions.toml").read_text(encoding="utf-8").splitlines()
    floor = next(n for n, line in enumerate(lines, 1) if line.startswith("floor ="))
    assert (warning["line"], warning["column"]) == (floor, 1)  # at the floor it warns of


def test_a_floor_of_91_shows_a_miss_as_sangat_tinggi(tmp_path: Path) -> None:
    folder, data = office(tmp_path, "[rules]\nfloor = 91\n")
    # 10 of 100 (capaian 10, Sangat Rendah) is shown 91.00, Sangat Tinggi (≥ 91).
    row = year(folder, data)
    assert (row["capaian"], row["predikat"]) == (Decimal("91.00"), "Sangat Tinggi")
    (warning,) = floor_warnings(folder)
    # The example is the office's floor over 5: 91 / 5 = 18.2 against 100 shows 91.
    assert warning["message"].startswith(
        "a floor of 91 in [rules] shows every capaian below 91 as 91: a realisasi of 18.2"
        " against a target of 100 is shown as capaian 91 (its raw 18.2 only in a note)"
    )


@pytest.mark.parametrize(
    "rules", ["", "[rules]\nfloor = 0\n", "[rules]\nfloor = -20\n", "[rules]\ncap = 200\n"]
)
def test_no_warning_without_a_floor_above_0(tmp_path: Path, rules: str) -> None:
    folder, data = office(tmp_path, rules)
    assert floor_warnings(folder) == []
    assert year(folder, data)["capaian"] == Decimal("10.00")  # 10 / 100 × 100, as computed


def test_a_floor_of_100_is_the_loader_s_error_alone(tmp_path: Path) -> None:
    folder, _ = office(tmp_path, "[rules]\nfloor = 100\n")
    codes = [d["code"] for d in diagnostics(folder)]
    assert "policy-misstates" in codes
    assert "floor-above-zero" not in codes
