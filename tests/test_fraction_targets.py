"""A percentage's target written as a fraction (0.93 for 93 %) makes every capaian a
hundred times too high. ``iku check`` warned of it only for a formula proven to stay within
0–100; a percentage reported as realisasi, or a formula not proven (a ratio without
``numerator_within_denominator``), took 0.93 in silence: 36.8 % against it is a capaian
of 3956.99, Sangat Tinggi. It now warns for every percentage where higher is better.

The office is tests/fixtures/mini (:func:`helpers.office`)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from helpers import edit, office
from test_report_numbers import _indicator, _office

from iku_rules.cli import main


def _warnings(folder: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    main(["--lang", "en", "check", str(folder), "--format", "json"], out=out)
    found = json.loads(out.getvalue())["diagnostics"]
    return [d for d in found if d["code"] == "target-fraction"]


def test_a_fraction_target_of_a_ratio_not_proven_within_0_100(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, 'targets = { 2026 = "40" }', 'targets = { 2026 = "0.93" }')
    (warning,) = _warnings(folder)
    assert warning["message"] == (
        "indicator 'iku-tertangani' is a percentage, but its target for 2026 is 0.93, less"
        " than 1 %: a share written as a fraction (0.93 for 93 %) would make every capaian a"
        " hundred times too high"
    )


def test_a_fraction_target_of_a_percentage_reported_as_realisasi(tmp_path: Path) -> None:
    folder = _office(tmp_path, _indicator("cakupan", "Persen", '2026 = "0.85"'), [])
    (warning,) = _warnings(folder)
    assert (
        "indicator 'cakupan' is a percentage, but its target for 2026 is 0.85"
        in (warning["message"])
    )


def test_no_warning_for_a_percentage_target_of_1_or_more(tmp_path: Path) -> None:
    folder = _office(tmp_path, _indicator("cakupan", "Persen", '2026 = "85"'), [])
    assert _warnings(folder) == []
    assert _warnings(office(tmp_path / "as-is")) == []


def test_every_fraction_target_is_named_in_one_warning(tmp_path: Path) -> None:
    # 0.85, 0.9 and 0.95 for 2025–2027: the warning named 2025 only, and each fix found
    # the next year's one check after another.
    targets = '2025 = "0.85", 2026 = "0.9", 2027 = "0.95"'
    folder = _office(tmp_path, _indicator("cakupan", "Persen", targets), [])
    (warning,) = _warnings(folder)
    assert warning["message"] == (
        "indicator 'cakupan' is a percentage, but its target for 2025 is 0.85, less than 1 %:"
        " a share written as a fraction (0.85 for 85 %) would make every capaian a hundred"
        " times too high; so are its targets for 2026 (0.9), 2027 (0.95)"
    )
