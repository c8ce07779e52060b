"""What the workspace writes back: an edit is never lost in silence to another one made
meanwhile, and a target sheet is written as the planner sees it in Excel or refused at
its cells (merged cells, one target in two cells, a sheet that is not read)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("tomlkit")
pytest.importorskip("openpyxl")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers import office as mini_office
from test_serve import client_for, form_of, token

from iku_rules import load


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return mini_office(tmp_path)


@pytest.fixture
def client(office: Path) -> Iterator[TestClient]:
    with client_for(office, office) as client:
        yield client


def targets(office: Path, indicator: str = "iku-tertangani") -> dict[str, str]:
    """The indicator's yearly targets as the loader reads the file back."""
    found = load(office).indicator(indicator)
    assert found is not None
    return {str(year): str(target) for year, target in (found.targets or {}).items()}


def hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


# -- two edits of one file


def test_a_check_from_a_page_opened_before_another_save_does_not_hide_that_save(
    client: TestClient, office: Path
) -> None:
    stale = form_of(client.get("/indicator/iku-tertangani").text)
    other = form_of(client.get("/indicator/iku-tertangani").text)
    saved = client.post(
        "/indicator/iku-tertangani",
        data=other | {"target-2027": "60", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    # The first page, opened before that save, checks its own edit and then saves.
    checked = client.post(
        "/indicator/iku-tertangani", data=stale | {"target-2026": "45", "action": "check"}
    )
    assert checked.status_code == 200
    again = form_of(checked.text)
    assert again["version"] == stale["version"]  # still the version the form was made from
    told = client.post("/indicator/iku-tertangani", data=again | {"action": "save"})
    # Before: the check's page carried the file's new version, the save passed and wrote
    # targets = { 2026 = "45" }: the other tab's 2027 target of 60 was gone. Now the save is
    # shown beside the other one, and the file keeps 2026 = 40, 2027 = 60.
    assert told.status_code == 409 and 'id="conflict"' in told.text
    assert targets(office) == {"2026": "40", "2027": "60"}


def test_a_measure_checked_on_a_page_opened_before_another_save_does_not_hide_it(
    client: TestClient, office: Path
) -> None:
    def fields(page: str) -> dict[str, str]:
        values = hidden(page)
        values |= {"source": "register_pmks", "aggregate": "count_distinct", "column": "nik"}
        return values | {"filter": "", "unit": ""}

    stale = fields(client.get("/measure/PMKS").text)
    other = fields(client.get("/measure/PMKS").text)
    first = client.post(
        "/measure/PMKS", data=other | {"description": "Semua PMKS", "action": "save"}
    )
    assert first.status_code == 200
    checked = client.post(
        "/measure/PMKS", data=stale | {"description": "PMKS terdaftar", "action": "check"}
    )
    assert hidden(checked.text)["version"] == stale["version"]
    told = client.post(
        "/measure/PMKS", data=hidden(checked.text) | fields(checked.text) | {"action": "save"}
    )
    # Before: saved over "Semua PMKS" in silence.
    assert told.status_code == 409
    text = (office / "definitions.toml").read_text(encoding="utf-8")
    assert 'description = "Semua PMKS"' in text


# -- targets from a workbook


def upload(client: TestClient, build: Callable[[Any], None]) -> tuple[str, list[Any]]:
    """The preview page of a workbook ``build`` fills, and the changes it lists."""
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.get("/import").text
    preview = client.post(
        "/import",
        data={"csrf": token(page)},
        files={"sheet": ("target.xlsx", buffer.getvalue(), "application/octet-stream")},
    ).text
    changes = re.findall(
        r"<tr><td>([A-Z]+\d+)</td>.*?<td>([^<]*)</td><td class=\"old\">([^<]*)</td>"
        r"<td class=\"new\">([^<]*)</td>",
        preview,
    )
    return preview, changes


def apply(client: TestClient, preview: str) -> None:
    found = re.search(r'name="token" value="([^"]+)"', preview)
    if found is not None:
        page = client.get("/import").text
        client.post("/import/apply", data={"csrf": token(page), "token": found.group(1)})


def test_a_computed_target_is_read_as_excel_shows_it(client: TestClient, office: Path) -> None:
    # Cells Excel computed hold floats: =0.57*100 holds 56.99999999999999 and =100/3
    # 33.333333333333336. Excel shows and compares them at 15 significant digits: 57 and
    # 33.3333333333333, which the target becomes (a capaian of a realisasi of 57 is 100 %).
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", "2027"])
        sheet.append(["iku-tertangani", 0.57 * 100, 100 / 3])

    preview, changes = upload(client, build)
    # Before: 56.99999999999999 and 33.333333333333336 were written.
    assert [(cell, old, new) for cell, _id, old, new in changes] == [
        ("B2", "40", "57"),
        ("C2", "–", "33.3333333333333"),
    ]
    apply(client, preview)
    assert targets(office) == {"2026": "57", "2027": "33.3333333333333"}


def test_a_target_merged_over_two_years_is_refused_at_its_cells(
    client: TestClient, office: Path
) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", "2027"])
        sheet.append(["iku-tertangani", 50, None])
        sheet.merge_cells("B2:C2")  # Excel shows 50 under 2026 and under 2027

    preview, changes = upload(client, build)
    # Before: 2026 became 50 and 2027 stayed without a target, though the sheet shows 50.
    assert changes == []
    assert "B2:C2: the cells B2:C2 are merged" in preview
    apply(client, preview)
    assert targets(office) == {"2026": "40"}


def test_a_target_merged_over_two_indicators_is_refused(client: TestClient, office: Path) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026"])
        sheet.append(["iku-tertangani", 50])
        sheet.append(["alat-bantu-orang", None])
        sheet.merge_cells("B2:B3")

    preview, changes = upload(client, build)
    # Before: iku-tertangani got 50, alat-bantu-orang nothing (the sheet shows 50 for both).
    assert changes == []
    assert "B2:B3: the cells B2:B3 are merged" in preview


def test_a_year_merged_over_its_triwulan_columns_refuses_the_sheet(
    client: TestClient, office: Path
) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", None, None, None])
        sheet.append([None, "TW1", "TW2", "TW3", "TW4"])
        sheet.append(["iku-tertangani", 10, 20, 30, 40])
        sheet.merge_cells("B1:E1")

    preview, changes = upload(client, build)
    # Before: the TW1 target, 10, was written as the target of the whole year 2026 (the
    # file had 40): a capaian of 60 % realisasi against 10 is 600 % instead of 150 %.
    assert changes == []
    assert "B1:E1: the cells B1:E1 are merged" in preview
    apply(client, preview)
    assert targets(office) == {"2026": "40"}


def test_two_columns_headed_with_one_year_are_refused(client: TestClient, office: Path) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", "2026"])
        sheet.append(["iku-tertangani", 50, 60])

    preview, changes = upload(client, build)
    # Before: both listed, the last written: 60.
    assert changes == []
    assert "B1, C1: the columns B, C are all headed 2026" in preview
    apply(client, preview)
    assert targets(office) == {"2026": "40"}


def test_one_target_in_two_rows_is_refused_naming_both(client: TestClient, office: Path) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", "2027"])
        sheet.append(["iku-tertangani", 50, 70])
        sheet.append(["iku-tertangani", 99, 70])  # an old row left below (a hidden one is
        # not read at all: tests/test_xlsx_hidden.py)

    preview, changes = upload(client, build)
    # Before: both 2026 cells were listed and the last, 99, written. Now 2026 is refused at
    # both cells; 2027 is 70 in both: written once.
    assert [(cell, period, new) for cell, period, _old, new in changes] == [("C2", "2027", "70")]
    assert "B2, B3: the cells B2, B3 give indicator" in preview
    apply(client, preview)
    assert targets(office) == {"2026": "40", "2027": "70"}


def test_a_sheet_not_read_is_named(client: TestClient) -> None:
    def build(workbook: Any) -> None:
        first = workbook.active
        first.title = "Renstra"
        first.append(["id", "2026"])
        first.append(["iku-tertangani", 50])
        second = workbook.create_sheet("Perubahan")
        second.append(["id", "2026"])
        second.append(["iku-tertangani", 55])

    preview, changes = upload(client, build)
    # The first sheet is read (50); the planner is told the second (55) is not.
    assert [new for *_rest, new in changes] == ["50"]
    assert "only the first sheet, &#39;Renstra&#39;, is read" in preview
    assert "&#39;Perubahan&#39;" in preview


# -- targets written under a header of their own

OWN_HEADER = """  targets = { 2026 = "40" }
"""
UNDER = """
    [sasaran.indikator.targets]
    2026 = "40"  # Renstra
    2027 = "45"
"""


def test_targets_under_their_own_header_are_shown_and_not_written_over(office: Path) -> None:
    from helpers import edit

    edit(office, OWN_HEADER, UNDER)
    assert targets(office) == {"2026": "40", "2027": "45"}
    before = (office / "definitions.toml").read_text(encoding="utf-8")
    with client_for(office, office) as client:
        fields = form_of(client.get("/indicator/iku-tertangani").text)
        # Before: the form showed both years empty ("an empty field means no target").
        assert (fields["target-2026"], fields["target-2027"]) == ("40", "45")
        refused = client.post(
            "/indicator/iku-tertangani", data=fields | {"target-2026": "50", "action": "save"}
        )
        # Before: refused with "cannot declare ('sasaran', 'indikator', 'targets') twice".
        assert refused.status_code == 422
        assert "written under a header of their own ([sasaran.indikator.targets])" in (
            refused.text.replace("&#39;", "'")
        )
        assert (office / "definitions.toml").read_text(encoding="utf-8") == before
        # Another field is still edited, the targets left as they are written.
        renamed = client.post(
            "/indicator/iku-tertangani",
            data=fields | {"name": "PMKS tertangani", "action": "save"},
            follow_redirects=False,
        )
        assert renamed.status_code == 303
        preview, changes = upload(
            client,
            lambda workbook: [
                workbook.active.append(row)
                for row in (["id", "2026", "2027"], ["iku-tertangani", 40, 46])
            ],
        )
        # Before: the current target of 2027 was shown as none ("–") instead of 45.
        assert [(old, new) for _cell, _period, old, new in changes] == [("45", "46")]
        assert "under a header of their own" in preview
    assert targets(office) == {"2026": "40", "2027": "45"}
    assert UNDER in (office / "definitions.toml").read_text(encoding="utf-8")


def test_a_draft_saved_after_the_file_changed_does_not_write_over_the_change(
    client: TestClient, office: Path
) -> None:
    fields = form_of(client.get("/indicator/iku-tertangani").text)
    broken = {"target-2026": "45", "formula": "Σ PMKS tertangan / Σ PMKS × 100%"}
    client.post("/indicator/iku-tertangani", data=fields | broken | {"action": "draft"})
    other = form_of(client.get("/indicator/iku-tertangani").text)
    saved = client.post(
        "/indicator/iku-tertangani",
        data=other | {"target-2027": "60", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    draft = form_of(client.get("/indicator/iku-tertangani?draft=1").text)
    assert draft["target-2026"] == "45" and draft["target-2027"] == ""
    fixed = {"formula": "Σ PMKS tertangani / Σ PMKS × 100%", "action": "save"}
    told = client.post("/indicator/iku-tertangani", data=draft | fixed)
    # Before: saved, the file became targets = { 2026 = "45" }: the 2027 target of 60
    # saved after the draft was kept was gone. Now both are shown side by side.
    assert told.status_code == 409 and 'id="conflict"' in told.text
    assert targets(office) == {"2026": "40", "2027": "60"}


def test_a_column_headed_with_a_period_among_words_is_named_not_read(client: TestClient) -> None:
    def build(workbook: Any) -> None:
        sheet = workbook.active
        sheet.append(["id", "2026", "Target 2027", "Kondisi Awal 2024", "Target TW1"])
        sheet.append(["iku-tertangani", 50, 70, None, None])

    preview, changes = upload(client, build)
    # Before: the 2027 target (70) was left out of the diff without a word, so the planner
    # confirmed an import that kept the old 2027 target. Now the column is named; the
    # empty ones (no target in them to lose) are not.
    assert [(cell, period, new) for cell, period, _old, new in changes] == [("B2", "2026", "50")]
    assert "C1: the column headed &#39;Target 2027&#39; is not read" in preview
    assert "Kondisi Awal" not in preview and "Target TW1" not in preview
