"""An engine kept open over a source whose file is a link in the data folder re-pointed
(``inputs.csv`` from ``inputs-april.csv`` to ``inputs-juli.csv``, as ``ln -sfn`` does):
the engine watched the file it had read, unchanged, and gave April's numbers again in
silence, where a new engine reads July's."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.results import Evaluation


def skor(evaluation: Evaluation) -> Decimal | None:
    """The kabupaten's skor."""
    return next(
        r.value for r in evaluation.results if r.indicator.id == "skor" and r.region is None
    )


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
@pytest.mark.parametrize("link", ["inputs.csv", "terbaru"])
def test_an_open_engine_reads_where_a_re_pointed_link_leads(
    tmp_path: Path, backend: str, link: str
) -> None:
    folder = office(tmp_path)
    (folder / "inputs.csv").unlink()
    for month, value in (("april", "76.05"), ("juli", "80")):
        file = (
            folder / month / "inputs.csv" if link == "terbaru" else folder / f"inputs-{month}.csv"
        )
        file.parent.mkdir(exist_ok=True)
        file.write_text(f"nama,tahun,nilai\nNilai AKIP,2026,{value}\n", encoding="utf-8")
    if link == "terbaru":
        edit(folder, 'path = "inputs.csv"', 'path = "terbaru/inputs.csv"')
    target = {"terbaru": ("april", "juli"), "inputs.csv": ("inputs-april.csv", "inputs-juli.csv")}
    april, july = target[link]
    os.symlink(april, folder / link)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        # skor = 0,5 × Nilai AKIP + iku-tertangani / 100% = 0,5 × 76,05 + 0,6 = 38,625
        assert skor(engine.evaluate("2026")) == Decimal("38.625")
        os.symlink(july, folder / "new-link")
        os.replace(folder / "new-link", folder / link)
        # 0,5 × 80 + 0,6 = 40,6, as a new engine gives it (the open one gave 38,625)
        assert skor(engine.evaluate("2026")) == Decimal("40.6")
