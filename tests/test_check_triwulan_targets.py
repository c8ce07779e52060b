"""`iku check` warns where a year's four triwulan targets, read the way the indicator's method
reads them, are not the year's target (code `triwulan-targets-disagree`): the year and its
year to date to TW4 would have two capaian. Triwulan targets 10/20/30/50 (110) beside 100 for
the year, 90 reported: `--period 2026` gives 90 / 100 = 90.00, `--period 2026-sd-TW4`
90 / 110 = 81.82.

How the year to date reads them (iku_rules.assess.targets): `kumulatif` over a satuan that adds
up sums them; `terakhir`, or a formula over registers that are states (a level), takes TW4's;
`tahunan` compares the year to date with the year's target itself, so they are never compared.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE, ROOT, run

CODE = "triwulan-targets-disagree"

OFFICE = """\
#:schema ../iku_rules/schema/definitions.schema.json
[office]
id = "contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2030
notation = "id"
{rules}
[satuan]
Kasus = {{ dimension = "kasus", whole = true }}
Lembaga = {{ dimension = "lembaga", whole = true }}

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = {{ indikator = "text", periode = "text", nilai = "decimal" }}

[[source]]
id = "lembaga"
kind = "register"
format = "csv"
path = "lembaga.csv"
columns = {{ kode = "text", tanggal = "date" }}
date_column = "tanggal"
time = "state"

[[source]]
id = "layanan"
kind = "register"
format = "csv"
path = "layanan.csv"
columns = {{ nik = "nik", tanggal = "date" }}
date_column = "tanggal"
time = "flow"

[[measure]]
name = "Lembaga terdaftar"
source = "lembaga"
aggregate = "count_distinct"
column = "kode"

[[measure]]
name = "Orang dilayani"
source = "layanan"
aggregate = "count_distinct"
column = "nik"
"""


def indicator(
    id: str,
    quarters: tuple[str, ...],
    annual: str,
    *,
    unit: str = "Orang",
    formula: str = "realisasi",
    extra: str = "",
) -> str:
    """An indicator under the sasaran with the year's target ``annual`` and triwulan targets
    ``quarters`` (TW1 first; fewer than four leave the last ones out)."""
    written = ", ".join(f'"2026-TW{q}" = "{t}"' for q, t in enumerate(quarters, 1))
    return f"""
[[sasaran.indikator]]
id = "{id}"
name = "Indikator {id}"
unit = "{unit}"
formula = "{formula}"
targets = {{ 2026 = "{annual}" }}
triwulan_targets = {{ {written} }}
{extra}"""


def office(
    tmp_path: Path, indicators: str, realisasi: str = "", rules: str = ""
) -> tuple[Path, Path]:
    """An office with ``indicators`` and its data: ``realisasi`` rows (``id,period,value``
    lines); 14 lembaga registered by the year's end (10 in January, 1 in April, 1 in July, 2
    in October); 3 people served in February."""
    folder, data = tmp_path / "office", tmp_path / "data"
    folder.mkdir()
    data.mkdir()
    text = OFFICE.format(rules=rules) + "\n" + CASCADE + indicators
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    (data / "realisasi.csv").write_text("indikator,periode,nilai\n" + realisasi, encoding="utf-8")
    dates = ["2026-01-15"] * 10 + ["2026-04-15", "2026-07-15", "2026-10-15", "2026-10-16"]
    (data / "lembaga.csv").write_text(
        "kode,tanggal\n" + "".join(f"L{n:02},{d}\n" for n, d in enumerate(dates)),
        encoding="utf-8",
    )
    (data / "layanan.csv").write_text(
        "nik,tanggal\n" + "".join(f"360100000000000{n},2026-02-1{n}\n" for n in range(1, 4)),
        encoding="utf-8",
    )
    return folder, data


def reported(id: str, *values: int) -> str:
    """Realisasi rows of ``id`` for TW1, TW2, … of 2026."""
    return "".join(f"{id},2026-TW{q},{v}\n" for q, v in enumerate(values, 1))


def diagnostics(folder: Path, code: str = CODE) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 0, text
    return [d for d in json.loads(text)["diagnostics"] if d["code"] == code]


def assessed(folder: Path, data: Path, period: str, id: str) -> dict[str, Any]:
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", period, "--format", "json"
    )
    assert status == 0, text
    rows = json.loads(text, parse_float=Decimal)
    return next(row for row in rows if row["id"] == id)  # type: ignore[no-any-return]


def place_of(folder: Path, id: str) -> tuple[int, int]:
    """The line and column of the year's key (``2026``) in the targets of indicator ``id``."""
    lines = (folder / "definitions.toml").read_text(encoding="utf-8").splitlines()
    start = lines.index(f'id = "{id}"')
    number = next(n for n in range(start, len(lines)) if lines[n].startswith("targets = "))
    return number + 1, lines[number].index("2026") + 1


def test_summed_triwulan_targets_not_the_year_s_are_warned_of_and_the_fix_agrees(
    tmp_path: Path,
) -> None:
    folder, data = office(
        tmp_path,
        indicator("dilayani", ("10", "20", "30", "50"), "100"),
        reported("dilayani", 20, 20, 20, 30),
    )
    # The two capaian of one year: 20 + 20 + 20 + 30 = 90 against 100 is 90.00; against
    # 10 + 20 + 30 + 50 = 110 it is 90 / 110 × 100 = 81.818… = 81.82.
    assert assessed(folder, data, "2026", "dilayani")["capaian"] == Decimal("90.00")
    assert assessed(folder, data, "2026-sd-TW4", "dilayani")["capaian"] == Decimal("81.82")
    (warning,) = diagnostics(folder)
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "the triwulan targets of indicator 'dilayani' for 2026 (10, 20, 30, 50) add up to"
        " 110, but its target for 2026 is 100: read 'kumulatif', the year to date"
        " 2026-sd-TW4 is compared with 110 and the year 2026 with 100, two capaian for one"
        " year"
    )
    assert warning["suggestion"] == (
        "make the triwulan targets of 2026 add up to 100, or its annual target 110"
    )
    assert (warning["line"], warning["column"]) == place_of(folder, "dilayani")

    # The fix followed (TW4 40): 90 against 10 + 20 + 30 + 40 = 100 is 90.00 both ways.
    (tmp_path / "fixed").mkdir()
    folder, data = office(
        tmp_path / "fixed",
        indicator("dilayani", ("10", "20", "30", "40"), "100"),
        reported("dilayani", 20, 20, 20, 30),
    )
    assert diagnostics(folder) == []
    assert assessed(folder, data, "2026-sd-TW4", "dilayani")["capaian"] == Decimal("90.00")


def test_terakhir_compares_tw4_s_target_with_the_year_s(tmp_path: Path) -> None:
    folder, data = office(
        tmp_path,
        indicator(
            "dilayani",
            ("10", "20", "30", "50"),
            "100",
            extra='capaian_method = "terakhir"\n',
        ),
        reported("dilayani", 20, 20, 20, 30),
    )
    # Read 'terakhir', the year is TW4's 30: 30 / 100 = 30.00, but 30 / 50 = 60.00 to TW4.
    assert assessed(folder, data, "2026", "dilayani")["capaian"] == Decimal("30.00")
    assert assessed(folder, data, "2026-sd-TW4", "dilayani")["capaian"] == Decimal("60.00")
    (warning,) = diagnostics(folder)
    assert warning["message"] == (
        "the target of indicator 'dilayani' for 2026-TW4 is 50, but its target for 2026 is"
        " 100: read 'terakhir' (the last triwulan's value, against its target), the year to"
        " date 2026-sd-TW4 is compared with 50 and the year 2026 with 100, two capaian for"
        " one year"
    )
    assert warning["suggestion"] == (
        "make the target for 2026-TW4 100, the level to reach by the year's end, or the"
        " annual target of 2026 50"
    )


def test_a_level_compares_tw4_s_target_with_the_year_s_whatever_the_method(
    tmp_path: Path,
) -> None:
    folder, data = office(
        tmp_path,
        indicator(
            "terdaftar",
            ("10", "12", "13", "15"),
            "14",
            unit="Lembaga",
            formula="Σ [Lembaga terdaftar]",
        ),
    )
    # 14 lembaga registered by 31 December: 14 / 14 = 100.00 for the year; to TW4 read as a
    # level against TW4's 15: 14 / 15 × 100 = 93.333… = 93.33 (never the sum 50: 28.00).
    assert assessed(folder, data, "2026", "terdaftar")["capaian"] == Decimal("100.00")
    assert assessed(folder, data, "2026-sd-TW4", "terdaftar")["capaian"] == Decimal("93.33")
    (warning,) = diagnostics(folder)
    assert warning["message"].startswith(
        "the target of indicator 'terdaftar' for 2026-TW4 is 15, but its target for 2026 is"
        " 14: read as a level (its formula counts registers as they stand at the period's"
        " end)"
    )
    assert diagnostics(folder, "targets-like-levels") == []


def test_thresholds_and_ranges_are_summed_as_the_assessment_sums_them(tmp_path: Path) -> None:
    indicators = indicator(
        "kasus", ("≤ 3", "≤ 3", "≤ 3", "≤ 3"), "≤ 10", unit="Kasus", extra='polarity = "negatif"\n'
    ) + indicator("rentang", ("20–25", "20–25", "20–25", "20–25"), "80–90")
    folder, data = office(
        tmp_path, indicators, reported("kasus", 3, 3, 3, 2) + reported("rentang", 20, 25, 25, 25)
    )
    # 11 cases against ≤ 10 for the year: (2 × 10 − 11) / 10 × 100 = 90.00; to TW4 against
    # ≤ 3 + 3 + 3 + 3 = ≤ 12, met: 100.00. 95 served against 80–90: above it, 95 / 90 × 100 =
    # 105.555… = 105.56; against 80–100, within it: 100.00.
    assert assessed(folder, data, "2026", "kasus")["capaian"] == Decimal("90.00")
    assert assessed(folder, data, "2026-sd-TW4", "kasus")["capaian"] == Decimal("100.00")
    assert assessed(folder, data, "2026", "rentang")["capaian"] == Decimal("105.56")
    assert assessed(folder, data, "2026-sd-TW4", "rentang")["capaian"] == Decimal("100.00")
    found = {d["message"].split("'")[1]: d["message"] for d in diagnostics(folder)}
    assert "add up to ≤ 12, but its target for 2026 is ≤ 10" in found["kasus"]
    assert "add up to 80–100, but its target for 2026 is 80–90" in found["rentang"]


@pytest.mark.parametrize(
    ("indicators", "why"),
    [
        (
            indicator(
                "dilayani", ("10", "20", "30", "50"), "100", extra='capaian_method = "tahunan"\n'
            ),
            "tahunan: the year to date is compared with the year's target",
        ),
        (
            indicator(
                "persen",
                ("40", "45", "50", "55"),
                "50",
                unit="Persen",
                extra='capaian_method = "kumulatif"\n',
            ),
            "a percentage read kumulatif: no capaian to date (targets-not-additive)",
        ),
        (
            indicator("dilayani", ("10", "20", "30"), "100"),
            "three of four: 2026-sd-TW4 has no capaian",
        ),
        (
            indicator(
                "dilayani-flow",
                ("10", "20", "30", "50"),
                "100",
                formula="Σ [Orang dilayani]",
                extra='capaian_method = "terakhir"\n',
            ),
            "a count of a flow read terakhir: no capaian to date",
        ),
        (
            indicator(
                "campur",
                ("≤ 3", "3", "≤ 3", "3"),
                "≤ 10",
                unit="Kasus",
                extra='polarity = "negatif"\n',
            ),
            "thresholds mixed with numbers: refused at evaluation (rule-error)",
        ),
        (
            indicator(
                "ambang",
                ("90", "92", "94", "95"),
                "≥ 95",
                unit="Persen",
                extra='capaian_method = "terakhir"\n',
            ),
            "a threshold and a number of one value: met or missed alike",
        ),
        (
            indicator("levels", ("25", "50", "75", "100"), "100"),
            "rising to the year's target as levels: targets-like-levels says it",
        ),
    ],
    ids=[
        "tahunan",
        "persen-kumulatif",
        "partial",
        "flow-terakhir",
        "mixed",
        "threshold-number",
        "like-levels",
    ],
)
def test_no_warning_where_the_year_has_one_capaian_or_another_code_says_it(
    tmp_path: Path, indicators: str, why: str
) -> None:
    folder, _ = office(tmp_path, indicators)
    assert diagnostics(folder) == [], why


def test_the_year_without_two_capaian_has_none_to_date(tmp_path: Path) -> None:
    indicators = (
        indicator("dilayani", ("10", "20", "30"), "100")
        + indicator(
            "dilayani-flow",
            ("10", "20", "30", "50"),
            "100",
            formula="Σ [Orang dilayani]",
            extra='capaian_method = "terakhir"\n',
        )
        + indicator(
            "tahunan", ("10", "20", "30", "50"), "100", extra='capaian_method = "tahunan"\n'
        )
    )
    folder, data = office(
        tmp_path,
        indicators,
        reported("dilayani", 20, 20, 20, 30) + reported("tahunan", 20, 20, 20, 30),
    )
    assert diagnostics(folder) == []
    # What the skips rest on: no triwulan target for TW4, or no value of each triwulan to
    # compare by 'terakhir', leaves 2026-sd-TW4 without a capaian; 'tahunan' compares it with
    # the year's 100 (90 / 100 = 90.00, as the year).
    assert assessed(folder, data, "2026-sd-TW4", "dilayani")["capaian"] is None
    assert assessed(folder, data, "2026-sd-TW4", "dilayani-flow")["capaian"] is None
    assert assessed(folder, data, "2026-sd-TW4", "tahunan")["capaian"] == Decimal("90.00")
    assert assessed(folder, data, "2026", "tahunan")["capaian"] == Decimal("90.00")


def test_levels_of_a_later_year_are_not_told_twice(tmp_path: Path) -> None:
    text = (
        indicator("levels", ("25", "50", "75", "100"), "100")
        .replace('targets = { 2026 = "100" }', 'targets = { 2026 = "100", 2027 = "100" }')
        .replace(
            '"2026-TW4" = "100" }',
            '"2026-TW4" = "100", "2027-TW1" = "25", "2027-TW2" = "50", "2027-TW3" = "75",'
            ' "2027-TW4" = "100" }',
        )
    )
    folder, _ = office(tmp_path, text)
    # targets-like-levels speaks once for the indicator (2026); 2027 is the same case.
    assert len(diagnostics(folder, "targets-like-levels")) == 1
    assert diagnostics(folder) == []


SHIPPED = [
    ROOT / "definitions" / "dinsos-pandeglang",
    ROOT / "definitions" / "dinkes-contoh",
    ROOT / "tests" / "fixtures" / "disdik-kota" / "definitions",
    ROOT / "tests" / "fixtures" / "kesehatan",
    ROOT / "tests" / "fixtures" / "mini",
    ROOT / "tests" / "fixtures" / "pupr-kabupaten" / "definitions",
]


@pytest.mark.parametrize("folder", SHIPPED, ids=[f.parent.name + "/" + f.name for f in SHIPPED])
def test_the_shipped_offices_and_fixtures_get_no_new_warning(folder: Path) -> None:
    assert diagnostics(folder) == []
    assert diagnostics(folder, "floor-above-zero") == []


def test_the_fixture_s_triwulan_targets_are_checked(tmp_path: Path) -> None:
    # PUPR's road rehabilitated: 3 + 3 + 3,5 + 3 = 12,5 Km, its target for 2026, agrees (no
    # warning above); with TW4 at 4 they add up to 13,5 and the check says so.
    folder = tmp_path / "pupr"
    shutil.copytree(ROOT / "tests" / "fixtures" / "pupr-kabupaten" / "definitions", folder)
    program = folder / "program.toml"
    text = program.read_text(encoding="utf-8")
    assert '"2026-TW3" = "3,5", "2026-TW4" = "3" }' in text
    program.write_text(text.replace('"2026-TW4" = "3" }', '"2026-TW4" = "4" }'), "utf-8")
    (warning,) = diagnostics(folder)
    assert "(3, 3, 3.5, 4) add up to 13.5, but its target for 2026 is 12.5" in warning["message"]
