"""The workspace's explanation writes each step of a computation in the office's notation,
as it writes the explanation's values: Cibening's crude birth rate is 700 / 40.000 × 1.000
= 17,5 in notation ``id``, never the ``17.5`` of the data, whose point an Indonesian reader
takes for a thousands mark."""

from __future__ import annotations

import re
from pathlib import Path

from test_serve import client_for

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def test_each_step_is_written_in_the_office_notation() -> None:
    with client_for(DINKES, DATA) as client:
        page = client.get(
            "/explain/cbr", params={"period": "2026", "region": "Cibening", "by": "kecamatan"}
        ).text
    steps = re.findall(r'<li class="d\d">([^<]*)</li>', page)
    # 700 births / 40.000 people × 1000 = 17,5 per 1.000
    assert "Σ Kelahiran Hidup / [Jumlah Penduduk] × 1000 = 17,5" in steps, steps
    assert "Σ Kelahiran Hidup = 700" in steps and "[Jumlah Penduduk] = 40.000" in steps
    assert not any(re.search(r"= \d+\.\d{1,2}\b(?!\d)", step) for step in steps), steps
