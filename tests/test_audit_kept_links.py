"""The workspace keeps an engine open and its evaluations while the data folder is unchanged.
A source read through a link in the data folder that is re-pointed (``terbaru/`` from
``april/`` to ``juli/``, or ``inputs.csv`` from ``inputs-april.csv`` to
``inputs-juli.csv``) reads another file, which a new engine reads: the workspace showed
April's numbers again, in silence. The listing of the data folder does not enter a folder
that is a link, and the engine watches the files it read, not where a link leads."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.results import Evaluation
from iku_rules.serve.workspace import Workspace

APRIL = "nama,tahun,nilai\nNilai AKIP,2026,76.05\nNilai AKIP,2025,75.6\n"
JULY = "nama,tahun,nilai\nNilai AKIP,2026,80\nNilai AKIP,2025,75.6\n"


def skor(evaluation: Evaluation) -> Decimal | None:
    """The kabupaten's skor."""
    return next(
        r.value for r in evaluation.results if r.indicator.id == "skor" and r.region is None
    )


def repoint(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` at once, as ``ln -sfn`` does."""
    new = link.with_name(link.name + ".new")
    os.symlink(target, new)
    os.replace(new, link)


@pytest.mark.parametrize(
    ("path", "link", "april", "july"),
    [
        ("terbaru/inputs.csv", "terbaru", "april", "juli"),  # a folder that is a link
        ("inputs.csv", "inputs.csv", "inputs-april.csv", "inputs-juli.csv"),  # a file
    ],
)
def test_the_workspace_reads_where_a_link_re_pointed_leads(
    tmp_path: Path, path: str, link: str, april: str, july: str
) -> None:
    folder = office(tmp_path)
    edit(folder, 'path = "inputs.csv"', f'path = "{path}"')
    (folder / "inputs.csv").unlink()
    for target, text in ((april, APRIL), (july, JULY)):
        file = folder / target / "inputs.csv" if link == "terbaru" else folder / target
        file.parent.mkdir(exist_ok=True)
        file.write_text(text, encoding="utf-8")
    os.symlink(april, folder / link)
    workspace = Workspace(folder, folder)
    try:
        with use_language("en"):
            # skor = 0,5 × Nilai AKIP + iku-tertangani / 100% = 0,5 × 76,05 + 0,6 = 38,625
            assert skor(workspace.evaluation("2026")) == Decimal("38.625")
            repoint(folder / link, july)
            # 0,5 × 80 + 0,6 = 40,6, as a new engine gives it (the workspace gave 38,625)
            assert skor(workspace.evaluation("2026")) == Decimal("40.6")
            with Engine(folder, folder, validation_cache=False) as fresh:
                assert skor(fresh.evaluate("2026")) == Decimal("40.6")
            repoint(folder / link, april)  # and back
            assert skor(workspace.evaluation("2026")) == Decimal("38.625")
    finally:
        workspace.close()
