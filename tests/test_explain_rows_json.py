"""``iku explain --format json`` gives a measure's row counts as numbers (``rows``), not only
inside its translated ``details``: a program reads them in any language."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from iku_rules.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"


def tree(language: str) -> dict[str, Any]:
    out = io.StringIO()
    argv = ["--lang", language, "explain", str(MINI), "iku-tertangani", "--data", str(MINI)]
    assert main([*argv, "--period", "2026-TW3", "--format", "json"], out=out) == 0
    parsed: dict[str, Any] = json.loads(out.getvalue())
    return parsed


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_measure_and_its_parts_carry_their_rows(language: str) -> None:
    measures = {node["name"]: node for node in tree(language)["inputs"]}
    # layanan.csv in 2026-TW3: two rows (Carita, 1 July under 1.06.04.2.01.0003 and 1 August
    # under 1.06.02.2.03.0001); the filter passes the first, whose nik is written
    served = measures["PMKS tertangani"]
    assert served["rows"] == {"in_period": 2, "pass_filter": 1, "with_value": 1}
    (part,) = served["inputs"]
    assert (part["id"], part["rows"]) == (
        "1.06.04.2.01.0003",
        {"in_period": 1, "pass_filter": 1, "with_value": 1},
    )
    # register_pmks up to 30 September 2026: 1 March and 1 May 2025, 1 February and
    # 15 March 2026 (31 December 2026 and 2 January 2027 come after it)
    assert measures["PMKS"]["rows"] == {"in_period": 4, "pass_filter": 4, "with_value": 4}


def test_nodes_that_count_no_rows_have_none() -> None:
    root = tree("en")
    assert "rows" not in root  # an indicator counts no rows itself
