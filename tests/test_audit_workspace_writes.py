"""What the workspace writes from a form or a sheet is read back by the loader as the
number the planner typed or Excel shows, or refused at its cell; a target the check warns
about is not imported on one click; a triwulan key spelled ``"2026-tw1"`` is the one
changed; targets written as dotted keys are changed where they stand; an import over two
files writes both or neither."""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("tomlkit")
pytest.importorskip("openpyxl")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers import edit
from helpers import office as mini_office
from test_serve import client_for, form_of, token

from iku_rules import load
from iku_rules.model import Threshold
from iku_rules.serve.workspace import Workspace

TRIWULAN = 'formula = "realisasi"\n'


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LANGUAGE", "en")
    return mini_office(tmp_path)


@pytest.fixture
def client(office: Path) -> Iterator[TestClient]:
    with client_for(office, office) as client:
        yield client


def definitions(office: Path) -> Path:
    return office / "definitions.toml"


def loaded(office: Path, indicator: str) -> dict[str, str]:
    """The indicator's targets, yearly and per triwulan, as the loader reads the folder."""
    found = load(office).indicator(indicator)
    assert found is not None
    targets = {str(year): str(target) for year, target in found.targets.items()}
    return targets | {key: str(target) for key, target in found.triwulan_targets.items()}


def workbook(rows: list[list[Any]], formats: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    for row in rows:
        book.active.append(row)
    for cell, number_format in (formats or {}).items():
        book.active[cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview(client: TestClient, content: bytes) -> str:
    page = client.get("/import").text
    shown = client.post(
        "/import",
        data={"csrf": token(page)},
        files={"sheet": ("targets.xlsx", content, "application/octet-stream")},
    )
    return str(shown.text)


def changes(page: str) -> list[tuple[str, str, str]]:
    """The changes a preview lists: (cell, current target, new target)."""
    return re.findall(
        r'<tr><td>([A-Z]+\d+)</td>.*?<td class="old">([^<]*)</td><td class="new">([^<]*)</td>',
        page,
    )


def problems(page: str) -> list[str]:
    found = re.search(r'<div class="banner bad" id="import-problems"><ul>(.*?)</ul>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    return [item.replace("&#39;", "'").replace("&#34;", '"') for item in items]


def apply(client: TestClient, page: str, **fields: str) -> Any:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None, "the preview offers to write"
    csrf = token(client.get("/import").text)
    return client.post(
        "/import/apply",
        data={"csrf": csrf, "token": found.group(1), **fields},
        follow_redirects=False,
    )


# -- a target the check warns about


def test_an_imported_percentage_target_given_as_a_fraction_waits_for_the_planners_word(
    client: TestClient, office: Path
) -> None:
    before = definitions(office).read_text(encoding="utf-8")
    # anak-share is 40 % (2 of the 5 PMKS are Anak Terlantar). A sheet giving its target as
    # 0.85 (85 % as a fraction, in a cell not formatted as a percentage) would make the
    # capaian 40 / 0.85 × 100 = 4705.88 %, Sangat Tinggi.
    page = preview(client, workbook([["id", "2026"], ["anak-share", 0.85]]))
    assert changes(page) == [("B2", "–", "0.85")]
    # Before: no warning was shown, and "Write these 1 targets" wrote 2026 = 0.85.
    assert 'id="import-warnings"' in page and "0.85 for 85 %" in page
    assert 'id="apply-anyway"' in page and 'id="apply-button"' not in page
    held = apply(client, page)
    assert held.status_code == 422 and 'id="import-warnings"' in held.text
    assert definitions(office).read_text(encoding="utf-8") == before
    # Meant after all: written when the planner confirms.
    assert apply(client, held.text, action="confirm").status_code == 303
    assert loaded(office, "anak-share") == {"2026": "0.85"}


# -- a triwulan key as the file spells it


def test_a_triwulan_target_spelled_in_lower_case_is_imported_in_its_place(
    client: TestClient, office: Path
) -> None:
    edit(office, TRIWULAN, TRIWULAN + '  triwulan_targets = { "2026-tw1" = "10" }\n')
    assert loaded(office, "alat-bantu-orang") == {"2026-TW1": "10"}
    page = preview(client, workbook([["id", "2026-TW1"], ["alat-bantu-orang", 15]]))
    # Before: shown as a new target (current "–"), written as 2026-TW1 = 15 beside
    # "2026-tw1" = "10", of which the loader reads the last: the target stayed 10.
    assert changes(page) == [("B2", "10", "15")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "alat-bantu-orang") == {"2026-TW1": "15"}
    assert 'triwulan_targets = { "2026-tw1" = 15 }' in definitions(office).read_text("utf-8")


def test_a_triwulan_target_spelled_in_lower_case_is_shown_and_saved_in_its_place(
    client: TestClient, office: Path
) -> None:
    edit(office, TRIWULAN, TRIWULAN + '  triwulan_targets = { "2026-tw1" = "10" }\n')
    url = "/indicator/alat-bantu-orang"
    fields = form_of(client.get(url).text)
    # Before: the TW1 field was empty though the loader reads a target of 10 for it.
    assert fields["tw-2026-1"] == "10"
    saved = client.post(url, data=fields | {"tw-2026-1": "15"}, follow_redirects=False)
    assert saved.status_code == 303
    # Before: "Saved", and the loader read 10 (the file's "2026-tw1", sorted after 2026-TW1).
    assert loaded(office, "alat-bantu-orang") == {"2026-TW1": "15"}


# -- a sheet's cells read as the loader reads what is written


def test_a_target_of_three_decimals_is_written_as_the_office_reads_it(
    client: TestClient, office: Path
) -> None:
    edit(office, 'name = "Dinas Mini"\n', 'name = "Dinas Mini"\nnotation = "id"\n')
    # A Nilai target of 23,456 (Excel holds 23.456). Written bare, 23.456 is refused by the
    # loader (Indonesian documents read it as 23456); as "23,456" it reads 23.456.
    page = preview(client, workbook([["id", "2026"], ["skor", 23.456]]))
    # Before: written bare and refused by the check: nothing of the sheet could be written.
    assert changes(page) == [("B2", "–", "23,456")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "skor") == {"2026": "23.456"}


def test_a_target_of_three_decimals_is_written_unambiguously_without_a_notation(
    client: TestClient, office: Path
) -> None:
    page = preview(client, workbook([["id", "2026"], ["skor", 23.456]]))
    # No notation declared: "23,456" would be read two ways, "23,4560" only as 23.456.
    assert changes(page) == [("B2", "–", "23,4560")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "skor") == {"2026": "23.4560"}


def test_cells_that_hold_no_target_are_refused_at_their_cell(
    client: TestClient, office: Path
) -> None:
    rows: list[list[Any]] = [
        ["id", "2026", "2027"],
        ["skor", datetime.datetime(2026, 5, 1), 5],  # 1.5 typed, turned into 1 May by Excel
        ["alat-bantu-orang", "23.500", True],  # no notation declared: 23500 or 23.5?
        ["iku-tertangani", "-", 1234567890123456789],  # Excel keeps 1234567890123460000
    ]
    page = preview(client, workbook(rows))
    found = problems(page)
    assert [item.split(":")[0] for item in found] == ["B2", "B3", "C3", "B4", "C4"]
    assert "a date or time" in found[0] and "read two ways" in found[1]
    assert "not a number" in found[2] and "'-' is not a number" in found[3]
    assert "Excel keeps only 15 digits" in found[4]
    # Before: each was written as text (or 1.234567890123457e+18: 1234567890123457000 for
    # 1234567890123456789) and the check refused the whole import at lines of
    # definitions.toml; the one good cell (C2, skor 2027 = 5) could not be written.
    assert changes(page) == [("C2", "–", "5")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "skor") == {"2027": "5"}


def test_a_column_of_a_year_outside_the_plan_is_named_not_read(
    client: TestClient, office: Path
) -> None:
    page = preview(client, workbook([["id", "2026", "2031"], ["skor", 5, 9]]))
    # The plan is 2025–2027. Before: 2031 = 9 was written and the check refused the whole
    # import ("a target for 2031, outside the plan"): skor's 2026 target could not be written.
    assert [item.split(":")[0] for item in problems(page)] == ["C1"]
    assert "2031 is outside the plan" in problems(page)[0]
    assert changes(page) == [("B2", "–", "5")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "skor") == {"2026": "5"}


def test_a_cell_equal_to_the_target_changes_nothing(client: TestClient, office: Path) -> None:
    # iku-tertangani's 2026 target is "40"; the sheet says 40,0: the same target.
    page = preview(client, workbook([["id", "2026"], ["iku-tertangani", "40,0"]]))
    # Before: listed as a change 40 → 40,0, and the planner's "40" rewritten.
    assert changes(page) == [] and 'id="no-changes"' in page


# -- what a save leaves of the file


def test_targets_written_as_dotted_keys_are_changed_where_they_stand(
    client: TestClient, office: Path
) -> None:
    dotted = '  targets.2026 = "40"   # Renstra\n  targets.2027 = "50"\n'
    edit(office, '  targets = { 2026 = "40" }\n', dotted)
    url = "/indicator/iku-tertangani"
    fields = form_of(client.get(url).text)
    saved = client.post(url, data=fields | {"target-2026": "45"}, follow_redirects=False)
    # Before: a server error (tomlkit's table of dotted keys has no .item); nothing saved.
    assert saved.status_code == 303
    text = definitions(office).read_text(encoding="utf-8")
    assert '  targets.2026 = "45"   # Renstra\n  targets.2027 = "50"\n' in text
    assert loaded(office, "iku-tertangani") == {"2026": "45", "2027": "50"}
    # A year not written yet has no place among them: refused, saying where, file unchanged.
    fields = form_of(client.get(url).text)
    refused = client.post(url, data=fields | {"target-2025": "30"})
    assert refused.status_code == 422 and "targets.2025" in refused.text
    assert definitions(office).read_text(encoding="utf-8") == text


# -- two files


SECOND_FILE = """\
[[sub_kegiatan]]
id = "1.06.04.2.01.0002"
kode = "1.06.04.2.01.0002"
name = "Penyediaan Lain"
parent = "1.06.04.2.01"

  [[sub_kegiatan.indikator]]
  id = "lain-orang"
  name = "Jumlah Orang Lain"
  unit = "Orang"
  formula = "realisasi"
"""


def test_an_import_over_two_files_writes_both_or_neither(
    client: TestClient, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = office / "program.toml"
    second.write_text(SECOND_FILE, encoding="utf-8")
    first_before = definitions(office).read_text(encoding="utf-8")
    page = preview(client, workbook([["id", "2026"], ["skor", 5], ["lain-orang", 7]]))
    assert changes(page) == [("B2", "–", "5"), ("B3", "–", "7")]

    check = Workspace.check

    def check_while_another_saves(self: Workspace, edits: Any) -> Any:
        found = check(self, edits)
        # Another planner saves program.toml while the import is being checked.
        second.write_text(SECOND_FILE.replace('"Orang"\n', '"Orang"\n  baseline = "3"\n'), "utf-8")
        return found

    monkeypatch.setattr(Workspace, "check", check_while_another_saves)
    told = apply(client, page)
    assert told.status_code == 409 and "program.toml" in told.text
    # Before: definitions.toml was written (skor 2026 = 5) and the page said to upload the
    # sheet again: half an import, which the page did not say.
    assert definitions(office).read_text(encoding="utf-8") == first_before
    assert 'baseline = "3"' in second.read_text(encoding="utf-8")


# -- what is typed is what the loader reads


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("23.500", Decimal("23500")),  # notation "id": '.' groups thousands
        ("23,5", Decimal("23.5")),
        ("1.234.567", Decimal("1234567")),
        ("1,5%", Decimal("1.5")),
        ("85 %", Decimal("85")),
        ("\u00a023.500\u00a0", Decimal("23500")),  # NBSP around, as pasted from a document
        ("≥ 95", Threshold(">=", Decimal("95"))),
        ("80–90", (Decimal("80"), Decimal("90"))),
    ],
)
def test_a_typed_target_is_read_back_as_typed_in_the_offices_notation(
    client: TestClient, office: Path, typed: str, read: Any
) -> None:
    edit(office, 'name = "Dinas Mini"\n', 'name = "Dinas Mini"\nnotation = "id"\n')
    url = "/indicator/iku-tertangani"
    fields = form_of(client.get(url).text) | {"target-2026": typed}
    assert client.post(url, data=fields, follow_redirects=False).status_code == 303
    found = load(office).indicator("iku-tertangani")
    assert found is not None and found.targets == {2026: read}
    # The form shows it again as the file writes it.
    assert form_of(client.get(url).text)["target-2026"] == typed.strip()


@pytest.mark.parametrize("typed", ["23\u00a0500", "٢٣", "２３", "1e3", "-", "1" * 60])
def test_a_typed_target_the_loader_cannot_read_leaves_the_file_as_it_was(
    client: TestClient, office: Path, typed: str
) -> None:
    before = definitions(office).read_text(encoding="utf-8")
    url = "/indicator/iku-tertangani"
    fields = form_of(client.get(url).text) | {"target-2026": typed}
    refused = client.post(url, data=fields)
    assert refused.status_code == 422 and "definitions.toml:" in refused.text
    assert definitions(office).read_text(encoding="utf-8") == before


def test_an_import_read_in_one_notation_is_not_written_in_another(
    client: TestClient, office: Path
) -> None:
    # The office in a file of its own, as Pandeglang's office.toml: no indicator in it.
    text = definitions(office).read_text(encoding="utf-8")
    head, rest = text.split("[[visi]]", 1)
    office_part = head[head.index("[office]") :].replace(
        "[office]\n", '[office]\nnotation = "id"\n'
    )
    (office / "office.toml").write_text(office_part, encoding="utf-8")
    definitions(office).write_text(head[: head.index("[office]")] + "[[visi]]" + rest, "utf-8")
    # Excel holds skor's target 23.456: read in notation "id", it is to be written "23,456".
    page = preview(client, workbook([["id", "2026"], ["skor", 23.456]]))
    assert changes(page) == [("B2", "–", "23,456")]
    # Meanwhile the office declares notation "en", where "23,456" is 23456.
    en = office_part.replace('notation = "id"', 'notation = "en"')
    (office / "office.toml").write_text(en, encoding="utf-8")
    told = apply(client, page)
    # Before: written, and the loader read skor's target as 23456, a thousand times the cell.
    assert told.status_code == 409 and "office.toml" in told.text
    assert loaded(office, "skor") == {}


INLINE = """\
  indikator = [{ id = "alat-bantu-orang", name = "Jumlah Orang", unit = "Orang", formula = "realisasi" }]
"""


def test_an_indicator_written_inline_is_not_edited_and_breaks_no_page(
    client: TestClient, office: Path
) -> None:
    text = definitions(office).read_text(encoding="utf-8")
    start = text.index("  [[sub_kegiatan.indikator]]")
    end = text.index("[[sub_kegiatan]]", start)
    definitions(office).write_text(text[:start] + INLINE + "\n" + text[end:], "utf-8")
    assert load(office).indicator("alat-bantu-orang") is not None  # valid TOML, a valid office
    # Before: both pages failed with a server error (the import page for any sheet at all).
    page = preview(client, workbook([["id", "2026"], ["skor", 5]]))
    assert changes(page) == [("B2", "–", "5")]
    assert apply(client, page).status_code == 303
    assert loaded(office, "skor") == {"2026": "5"}
    page = preview(client, workbook([["id", "2026"], ["alat-bantu-orang", 5]]))
    assert "is written inside another table" in page and 'name="token"' not in page
    form = client.get("/indicator/alat-bantu-orang")
    assert form.status_code == 422 and "is written inside another table" in form.text


def test_a_hidden_column_of_targets_is_named_not_read(client: TestClient, office: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    book.active.append(["id", "2026", "2027"])
    book.active.append(["skor", 5, 99])
    book.active.column_dimensions["C"].hidden = True  # 2027 = 99, not seen in Excel
    buffer = io.BytesIO()
    book.save(buffer)
    page = preview(client, buffer.getvalue())
    # Before: C2 (2027 = 99), which the planner does not see in Excel, was written with B2.
    # Hidden rows were already refused so; a hidden column now is too.
    assert changes(page) == [("B2", "–", "5")]
    assert [item.split(":")[0] for item in problems(page)] == ["C1"]
    assert "the column is hidden" in problems(page)[0]
