"""A workspace form is read in the notation it was shown under.

What a planner types in the indicator form is written to the TOML as text and read by the
loader in the office's notation when it loads. The office's notation stands in
``office.toml``, another file than the indicator's, so the check for a file changed since
the form was opened does not see it change: ``23.500`` typed under notation ``id`` (twenty-
three thousand five hundred) was saved and read as 23.5 once the office turned to ``en``, a
target a thousand times smaller and a capaian a thousand times larger, in silence. The form
now carries the notation it was shown under, and a number the two notations read
differently is refused until it is written again.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("tomlkit")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers import MINI
from test_serve import client_for, form_of, token

from iku_rules import Engine, load
from iku_rules.i18n import use_language

INDICATOR = "/indicator/alat-bantu-orang"
"""A sub kegiatan's output in Orang (not whole in the mini office), from the realisasi:
2026-TW1 3, TW2 2.5, TW3 4, so 9.5 orang in 2026."""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The mini office with its [office] in an office.toml of its own, notation "id"."""
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    block = text[text.index("[office]") : text.index("[[visi]]")]
    definitions.write_text(text.replace(block, ""), encoding="utf-8")
    (folder / "office.toml").write_text(block.rstrip() + '\nnotation = "id"\n', encoding="utf-8")
    return folder


@pytest.fixture
def client(office: Path) -> Iterator[TestClient]:
    with use_language("en"), client_for(office, office) as client:
        yield client


def notation(office: Path, name: str | None) -> None:
    """The office's notation changed in office.toml, as another tab or an editor does."""
    path = office / "office.toml"
    text = re.sub(r'\nnotation = "[a-z]+"\n', "\n", path.read_text(encoding="utf-8"))
    if name is not None:
        text = text.rstrip() + f'\nnotation = "{name}"\n'
    path.write_text(text, encoding="utf-8")


def target_2026(office: Path, indicator: str = "alat-bantu-orang") -> object:
    found = load(office).indicator(indicator)
    assert found is not None
    return (found.targets or {}).get(2026)


def refusals(page: str) -> list[str]:
    found = re.search(r'<ul class="problems" id="retype">(.*?)</ul>', page, re.S)
    assert found, "the numbers to write again are listed"
    return [html.unescape(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1))]


def test_a_target_typed_under_id_is_refused_once_the_office_writes_en(
    client: TestClient, office: Path
) -> None:
    form = form_of(client.get(INDICATOR).text)
    notation(office, "en")
    # Typed as the hint said: 23.500 is twenty-three thousand five hundred in notation id.
    sent = client.post(
        INDICATOR, data=form | {"target-2026": "23.500", "action": "save"}, follow_redirects=False
    )
    # Before: 303, targets = { 2026 = "23.500" } written and read in notation en as 23.5;
    # capaian 9.5 / 23.5 × 100 = 40.43 % where 9.5 / 23500 × 100 = 0.04 % was meant.
    assert sent.status_code == 422
    assert "Nothing was saved: the office's notation changed" in html.unescape(sent.text)
    assert refusals(sent.text) == [
        "Target 2026: 23.500 was typed under notation id (23500); the office now writes"
        " numbers in notation en, where it would read 23.5: write it again"
    ]
    assert "23.500" not in (office / "definitions.toml").read_text(encoding="utf-8")
    assert target_2026(office) is None
    assert form["notation"] == "id"  # the form carried the notation its hint named
    # The form is shown again under the notation of now, the number kept as typed.
    again = form_of(sent.text)
    assert again["notation"] == "en" and again["target-2026"] == "23.500"
    assert 'notation "en"' in html.unescape(sent.text)  # the hint names en now

    # Sent again unchanged, it is refused again: it was typed under id all the same.
    twice = client.post(INDICATOR, data=again | {"action": "save"}, follow_redirects=False)
    assert twice.status_code == 422 and len(refusals(twice.text)) == 1
    assert target_2026(office) is None

    # Written again under en as it is meant: 23,500 is 23500 in notation en.
    saved = client.post(
        INDICATOR,
        data=form_of(twice.text) | {"target-2026": "23,500", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert target_2026(office) == 23500
    # Capaian 9.5 / 23500 × 100 = 0.0404… → 0.04 %.
    with Engine(load(office), office) as engine:
        result = engine.evaluate("2026").get("alat-bantu-orang")
    assert result.capaian is not None and str(result.capaian.value) == "0.04"


def test_numbers_both_notations_read_alike_are_saved_and_an_old_page_reads_as_now(
    client: TestClient, office: Path
) -> None:
    form = form_of(client.get(INDICATOR).text)
    assert form["notation"] == "id"
    notation(office, "en")
    # 40 and 55,5 (only notation id reads a comma before one digit) read alike in both.
    sent = client.post(
        INDICATOR,
        data=form | {"target-2026": "40", "target-2027": "55,5", "action": "save"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    found = load(office).indicator("alat-bantu-orang")
    assert found is not None and found.targets == {2026: 40, 2027: 55.5}
    # A page of an older workspace carries no notation: it was shown under the notation of
    # now (en), where 1.500 is one and a half.
    old = {k: v for k, v in form_of(client.get(INDICATOR).text).items() if k != "notation"}
    sent = client.post(
        INDICATOR, data=old | {"target-2026": "1.500", "action": "save"}, follow_redirects=False
    )
    assert sent.status_code == 303 and target_2026(office) == 1.5


def test_the_check_and_the_live_check_refuse_it_too(client: TestClient, office: Path) -> None:
    page = client.get(INDICATOR).text
    form = form_of(page)
    notation(office, "en")
    checked = client.post(INDICATOR, data=form | {"target-2026": "23.500", "action": "check"})
    # Before: 200, the check passing 23.5 (read in en) with no word of the change.
    assert checked.status_code == 422
    assert refusals(checked.text)[0].startswith("Target 2026: 23.500 was typed under")
    live = client.post(
        "/api/check",
        data=form | {"indicator": "alat-bantu-orang", "target-2026": "23.500"},
        headers={"X-CSRF-Token": token(page)},
    ).json()
    assert live["ok"] is False
    assert [p["message"] for p in live["problems"]] == refusals(checked.text)


def test_a_number_in_a_formula_is_refused_as_a_target_is(client: TestClient, office: Path) -> None:
    form = form_of(client.get("/indicator/skor").text)
    notation(office, "en")
    # A score scaled to a thousand (bobot × Nilai AKIP per mille): 1.000 is 1000 in id.
    formula = "bobot × [Nilai AKIP] × 1.000"
    sent = client.post(
        "/indicator/skor",
        data=form | {"formula": formula, "action": "save"},
        follow_redirects=False,
    )
    # Before: 303, saved and read in en as × 1: for 2026 bobot 0.5 × Nilai AKIP 76.05 × 1 =
    # 38.025 where 0.5 × 76.05 × 1000 = 38025 was meant.
    assert sent.status_code == 422
    assert refusals(sent.text) == [
        "Formula: 1.000 was typed under notation id (1000); the office now writes numbers in"
        " notation en, where it would read 1: write it again"
    ]
    found = load(office).indicator("skor")
    assert found is not None and str(found.formula) == "bobot × Nilai AKIP + iku-tertangani / 100%"


def test_a_filter_typed_in_the_measure_form_is_refused(client: TestClient, office: Path) -> None:
    """A measure's filter is a formula read in the office's notation too."""
    layanan = office / "layanan.csv"
    lines = layanan.read_text(encoding="utf-8").splitlines()
    layanan.write_text(
        "\n".join([lines[0] + ",bantuan"] + [line + ",2000" for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    definitions = office / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    definitions.write_text(
        text.replace(
            'kecamatan = "text", tanggal = "date" }\n\n[[source]]\nid = "realisasi"',
            'kecamatan = "text", tanggal = "date", bantuan = "decimal" }\n\n'
            '[[source]]\nid = "realisasi"',
        ),
        encoding="utf-8",
    )
    page = client.get("/measure/PMKS tertangani").text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    notation(office, "en")
    sent = client.post(
        "/measure/PMKS tertangani",
        data=fields
        | {
            "source": "layanan",
            "aggregate": "count_distinct",
            "column": "nik",
            "filter": "bantuan >= 1.500",
            "action": "save",
        },
        follow_redirects=False,
    )
    # Before: saved; people given 1.500 (a thousand five hundred, in id) or more became those
    # given 1.5 or more, in en: every row counted.
    assert sent.status_code == 422
    assert refusals(sent.text) == [
        "Filter: 1.500 was typed under notation id (1500); the office now writes numbers in"
        " notation en, where it would read 1.5: write it again"
    ]
    assert "1.500" not in definitions.read_text(encoding="utf-8")
    assert fields["notation"] == "id"


def test_a_draft_kept_under_id_is_resumed_asking_for_its_numbers_again(
    client: TestClient, office: Path
) -> None:
    form = form_of(client.get(INDICATOR).text)
    kept = client.post(
        INDICATOR, data=form | {"target-2026": "23.500", "action": "draft"}, follow_redirects=False
    )
    assert kept.status_code == 303
    notation(office, "en")
    page = client.get(INDICATOR + "?draft=1").text
    # Before: the draft opened as any form, its 23.500 shown under a hint saying en.
    assert "The office's notation changed since this draft was kept" in html.unescape(page)
    assert refusals(page) == [
        "Target 2026: 23.500 was typed under notation id (23500); the office now writes"
        " numbers in notation en, where it would read 23.5: write it again"
    ]
    resumed = form_of(page)
    assert resumed["target-2026"] == "23.500" and resumed["notation"] == "en"
    assert json.loads(resumed["typed_under"]) == {"target-2026": ["23.500", "id"]}
    sent = client.post(INDICATOR, data=resumed | {"action": "save"}, follow_redirects=False)
    # Before: 303, the draft's 23.500 saved and read as 23.5.
    assert sent.status_code == 422 and target_2026(office) is None


def test_a_number_refused_before_a_notation_was_declared_is_asked_again(
    client: TestClient, office: Path
) -> None:
    notation(office, None)
    form = form_of(client.get(INDICATOR).text)
    notation(office, "id")
    sent = client.post(
        INDICATOR, data=form | {"target-2026": "23.500", "action": "save"}, follow_redirects=False
    )
    # Before: 303, saved as 23500 in notation id, though typed where it meant nothing one way.
    assert sent.status_code == 422
    assert refusals(sent.text) == [
        "Target 2026: 23.500 was typed under notation id (not declared), which reads it two"
        " ways; the office now writes numbers in notation id, where it would read 23500:"
        " write it again"
    ]
    assert form["notation"] == "none"  # the hint said 23.500 is refused, reading two ways
