"""The planners' workspace (``iku serve``) through HTTP, as a browser would use it:
Starlette's test client over the ASGI application, on a copy of the mini office."""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("tomlkit")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from iku_rules.cli import main
from iku_rules.serve import BindingRefused, create_app
from iku_rules.serve.security import check_binding
from iku_rules.serve.toml_edit import Entry, edit_entry, tables

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
PANDEGLANG = Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    return folder


def client_for(definitions: Path, data: Path, **options: Any) -> TestClient:
    app = create_app(definitions, data, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TestClient(app.asgi, base_url="http://127.0.0.1")


@pytest.fixture
def client(office: Path) -> Iterator[TestClient]:
    with client_for(office, office) as client:
        yield client


def token(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "every page carries the session's CSRF token"
    return found.group(1)


def form_of(page: str) -> dict[str, str]:
    """The indicator form's fields as the page fills them."""
    fields = dict(re.findall(r'<input name="([^"]+)" id="[^"]*" value="([^"]*)"', page))
    fields.update(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    formula = re.search(r'<textarea name="formula"[^>]*>([^<]*)</textarea>', page)
    assert formula
    fields["formula"] = formula.group(1).replace("&#34;", '"').replace("&#39;", "'")
    for name in ("unit", "polarity"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
        assert select
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', select.group(0))
        assert chosen
        fields[name] = chosen.group(1) or chosen.group(2)
    return {k: v.replace("&#34;", '"') for k, v in fields.items()}


# -- browse, evaluate, explain, reports


def test_the_tree_shows_each_indicator_with_value_target_capaian_and_predikat(
    client: TestClient,
) -> None:
    page = client.get("/?period=2026").text
    # The mini office: 3 of 5 PMKS served in 2026 → 60 %; target 40 → capaian 150 %.
    row = re.search(r'<tr class="indicator (p\d)" data-id="iku-tertangani".*?</tr>', page, re.S)
    assert row is not None
    assert row.group(1) == "p0"  # Sangat Tinggi: the best band
    assert ">60 %<" in row.group(0)
    assert ">40<" in row.group(0)
    assert ">150 %<" in row.group(0)
    assert "Sangat Tinggi" in row.group(0)
    for level in ("visi", "misi", "sasaran", "program", "kegiatan", "sub_kegiatan"):
        assert f'data-level="{level}"' in page


def test_data_rewritten_with_the_same_size_and_time_is_shown_as_it_now_is(
    client: TestClient, office: Path
) -> None:
    """The evaluation a page shows is kept until a file changes, and a rewrite that keeps
    the file's size and modification time (a tool restoring timestamps) is a change."""
    row = re.compile(r'<tr class="indicator p\d" data-id="iku-tertangani".*?</tr>', re.S)

    def tertangani() -> str:
        found = row.search(client.get("/?period=2026").text)
        assert found is not None
        return found.group(0)

    assert ">60 %<" in tertangani()  # 3 of the 5 PMKS served
    layanan = office / "layanan.csv"
    status = layanan.stat()
    text = layanan.read_text(encoding="utf-8")
    # Permakanan services no longer count: 2 of the 5 PMKS served, 40 %
    layanan.write_text(text.replace("1.06.04.2.01.0001", "1.06.04.2.01.0009"), encoding="utf-8")
    os.utime(layanan, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert layanan.stat().st_size == status.st_size
    assert ">40 %<" in tertangani()


def test_search_by_name_or_id_keeps_the_matches_and_what_stands_above_them(
    client: TestClient,
) -> None:
    page = client.get("/", params={"period": "2026", "q": "alat bantu"}).text
    assert 'data-id="alat-bantu-orang"' in page
    assert 'data-id="iku-tertangani"' not in page
    assert 'data-level="sasaran"' in page  # the way down to it stays
    assert 'data-id="skor"' in client.get("/", params={"q": "skor"}).text


def test_a_region_shows_its_own_values(client: TestClient) -> None:
    page = client.get("/?period=2026").text
    regions = re.findall(r'<option value="([^"]+)"[^>]*>kecamatan ', page)
    assert regions, "the regions of the data are offered"
    regional = client.get("/", params={"period": "2026", "region": regions[0]}).text
    assert f'<option value="{regions[0]}" selected>' in regional
    assert f"region={regions[0]}" in regional


def test_an_explanation_goes_down_to_the_rows(client: TestClient) -> None:
    page = client.get("/explain/iku-tertangani", params={"period": "2026"}).text
    assert "Persentase PMKS yang tertangani" in page
    assert "Σ PMKS tertangani / Σ PMKS × 100%" in page
    assert '<b class="value">60 %</b>' in page
    assert "PMKS tertangani" in page and 'class="ex ex-measure"' in page
    fragment = client.get("/explain/iku-tertangani", params={"period": "2026", "fragment": "1"})
    assert "<header" not in fragment.text and 'class="explanation"' in fragment.text


@pytest.mark.parametrize(
    ("kind", "media", "start"),
    [
        ("html", "text/html", b"<!DOCTYPE html>"),
        ("md", "text/markdown", b"# "),
        ("xlsx", "application/vnd.openxmlformats", b"PK"),
    ],
)
def test_each_report_downloads(client: TestClient, kind: str, media: str, start: bytes) -> None:
    response = client.get("/report", params={"period": "2026", "format": kind})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert f'filename="lkjip-mini-2026.{kind}"' in response.headers["content-disposition"]
    assert response.content.lstrip().upper().startswith(start.upper())


def test_an_unknown_period_or_format_is_refused(client: TestClient) -> None:
    assert client.get("/?period=2099").status_code == 400
    assert client.get("/report?period=2026&format=pdf").status_code == 400


# -- edit


def test_the_formula_check_places_the_problem_and_suggests(client: TestClient) -> None:
    page = client.get("/indicator/iku-tertangani").text
    fields = form_of(page) | {"formula": "Σ PMKS tertangan / Σ PMKS × 100%"}
    result = client.post(
        "/api/check",
        data=fields | {"indicator": "iku-tertangani"},
        headers={"X-CSRF-Token": token(page)},
    ).json()
    [problem] = result["problems"]
    # "Σ " is two characters: the misspelt name starts at 2 and is 14 long.
    assert (problem["start"], problem["end"]) == (2, 16)
    assert "did you mean 'PMKS tertangani'" in problem["message"]

    fixed = client.post(
        "/api/check",
        data=fields
        | {"indicator": "iku-tertangani", "formula": "Σ PMKS tertangani / Σ PMKS × 100%"},
        headers={"X-CSRF-Token": token(page)},
    ).json()
    assert not [p for p in fixed["problems"] if p["severity"] == "error"]
    assert fixed["bounds"] == "proven range ≥ 0 %, unit percent"


def test_a_syntax_error_is_placed_at_its_character(client: TestClient) -> None:
    page = client.get("/indicator/iku-tertangani").text
    result = client.post(
        "/api/check",
        data=form_of(page) | {"indicator": "iku-tertangani", "formula": "Σ a / / Σ b"},
        headers={"X-CSRF-Token": token(page)},
    ).json()
    assert [(p["start"], p["end"]) for p in result["problems"]] == [(6, 7)]


def test_saving_keeps_comments_order_and_layout(client: TestClient, office: Path) -> None:
    before = (office / "definitions.toml").read_text(encoding="utf-8")
    page = client.get("/indicator/iku-tertangani").text
    fields = form_of(page) | {"target-2026": "45,5", "target-2027": "50", "tw-2026-1": "10"}
    response = client.post(
        "/indicator/iku-tertangani", data=fields | {"action": "save"}, follow_redirects=False
    )
    assert response.status_code == 303
    after = (office / "definitions.toml").read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        '-  targets = { 2026 = "40" }',
        '+  targets = { 2026 = "45,5", 2027 = "50" }',
        '+  triwulan_targets = { 2026-TW1 = "10" }',
    ]
    assert after.count("#") == before.count("#")
    assert "Saved" in client.get(response.headers["location"]).text


def test_a_save_that_would_break_the_check_is_refused_or_kept_as_a_draft(
    client: TestClient, office: Path
) -> None:
    before = (office / "definitions.toml").read_text(encoding="utf-8")
    page = client.get("/indicator/iku-tertangani").text
    broken = form_of(page) | {"formula": "Σ PMKS tertangan / Σ PMKS × 100%"}
    refused = client.post("/indicator/iku-tertangani", data=broken | {"action": "save"})
    assert refused.status_code == 422
    assert "Not saved" in refused.text and 'id="keep-draft"' in refused.text
    assert (office / "definitions.toml").read_text(encoding="utf-8") == before

    kept = client.post("/indicator/iku-tertangani", data=broken | {"action": "draft"})
    assert kept.status_code == 200 and "kept as a draft" in kept.text
    assert (office / "definitions.toml").read_text(encoding="utf-8") == before
    draft = (office / "definitions.toml.draft").read_text(encoding="utf-8")
    assert "Σ PMKS tertangan / Σ PMKS" in draft
    # The folder still passes: the draft is not a definitions file.
    assert main(["check", str(office)]) == 0
    assert "Σ PMKS tertangan" in client.get("/indicator/iku-tertangani?draft=1").text


def test_two_tabs_saving_the_second_is_told_and_shown_both(
    client: TestClient, office: Path
) -> None:
    first = form_of(client.get("/indicator/iku-tertangani").text)
    second = form_of(client.get("/indicator/iku-tertangani").text)
    assert (
        client.post(
            "/indicator/iku-tertangani", data=first | {"target-2026": "41", "action": "save"}
        ).status_code
        == 200
    )
    told = client.post(
        "/indicator/iku-tertangani", data=second | {"target-2026": "42", "action": "save"}
    )
    assert told.status_code == 409
    assert 'id="conflict"' in told.text
    compare = re.search(r'<table class="compare".*?</table>', told.text, re.S)
    assert compare is not None
    assert ">41<" in compare.group(0) and ">42<" in compare.group(0)
    assert 'targets = { 2026 = "41" }' in (office / "definitions.toml").read_text(encoding="utf-8")
    # Nothing lost: the second edit is in the page, and saving it on top works.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', told.text))
    assert hidden["target-2026"] == "42"
    again = client.post("/indicator/iku-tertangani", data=hidden | {"action": "save"})
    assert again.status_code == 200
    assert 'targets = { 2026 = "42" }' in (office / "definitions.toml").read_text(encoding="utf-8")


def test_a_measure_is_edited_in_place(client: TestClient, office: Path) -> None:
    page = client.get("/measure/PMKS").text
    assert "register_pmks" in page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields |= {"source": "register_pmks", "aggregate": "count_distinct", "column": "nik"}
    fields |= {"filter": "", "unit": "", "description": "Semua PMKS terdaftar"}
    response = client.post("/measure/PMKS", data=fields | {"action": "save"})
    assert response.status_code == 200
    assert 'description = "Semua PMKS terdaftar"' in (office / "definitions.toml").read_text(
        encoding="utf-8"
    )


# -- import targets from Excel


def sheet(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_targets_from_excel_are_shown_as_a_diff_then_written(
    client: TestClient, office: Path
) -> None:
    page = client.get("/import").text
    content = sheet(
        [
            ["No", "id", "Indikator", "2026", "2027", "2026-TW1"],
            [1, "iku-tertangani", "Persentase PMKS yang tertangani", 42.5, "55,33", 10],
            [2, "alat-bantu-orang", "Orang", None, None, None],
            [None, None, None, None, None, None],
        ]
    )
    preview = client.post(
        "/import",
        data={"csrf": token(page)},
        files={"sheet": ("target.xlsx", content, "application/octet-stream")},
    )
    assert preview.status_code == 200
    changes = re.findall(r'<td class="old">([^<]*)</td><td class="new">([^<]*)</td>', preview.text)
    assert changes == [("40", "42.5"), ("–", "55,33"), ("–", "10")]
    assert "40" in (office / "definitions.toml").read_text(encoding="utf-8")  # nothing written yet
    apply = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert apply
    done = client.post(
        "/import/apply", data={"csrf": token(page), "token": apply.group(1)}, follow_redirects=False
    )
    assert done.status_code == 303
    text = (office / "definitions.toml").read_text(encoding="utf-8")
    # A number cell is a TOML number (no notation can misread it); text stays as typed.
    assert 'targets = { 2026 = 42.5, 2027 = "55,33" }' in text
    assert "triwulan_targets = { 2026-TW1 = 10 }" in text


def test_an_unknown_indicator_in_the_sheet_is_named_with_its_cell(client: TestClient) -> None:
    page = client.get("/import").text
    content = sheet([["id", "2026"], ["iku-tertangan", 50], [None, 7]])
    preview = client.post(
        "/import",
        data={"csrf": token(page)},
        files={"sheet": ("t.xlsx", content, "application/octet-stream")},
    ).text
    assert "A2: there is no indicator &#39;iku-tertangan&#39;" in preview
    assert "A3: this row has targets but no indicator id" in preview


# -- safety


@pytest.mark.parametrize(
    "path",
    [
        "/file/../definitions.toml",
        "/file/..%2fdefinitions.toml",
        "/file/%2e%2e/%2e%2e/etc/passwd",
        "/file/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/file/%252e%252e%252fetc%252fpasswd",
        "/file//etc/passwd",
        "/file/%2fetc%2fpasswd",
        "/file/..\\definitions.toml",
        "/data/../../etc/passwd",
        "/data/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/data//etc/passwd",
    ],
)
def test_no_path_leads_out_of_the_folders(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "root:" not in response.text


def test_a_link_out_of_the_folders_is_refused(
    client: TestClient, office: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text('password = "hunter2"\n', encoding="utf-8")
    os.symlink(secret, office / "link.toml")
    os.symlink(secret, office / "link.csv")
    assert client.get("/file/link.toml").status_code == 404
    assert client.get("/data/link.csv").status_code == 404
    assert client.get("/file/definitions.toml").status_code == 200
    assert client.get("/data/layanan.csv").status_code == 200


def test_every_change_needs_the_sessions_token(client: TestClient, office: Path) -> None:
    before = (office / "definitions.toml").read_text(encoding="utf-8")
    fields = form_of(client.get("/indicator/iku-tertangani").text) | {"target-2026": "99"}
    for posted in (fields | {"csrf": ""}, {k: v for k, v in fields.items() if k != "csrf"}):
        assert client.post("/indicator/iku-tertangani", data=posted).status_code == 403
    without = {k: v for k, v in fields.items() if k != "csrf"} | {"indicator": "iku-tertangani"}
    assert client.post("/api/check", data=without).status_code == 403
    assert client.post("/import/apply", data={"token": "x"}).status_code == 403
    assert client.post("/draft/discard", data={"file": "definitions.toml"}).status_code == 403
    # Another session's token is not this one's.
    with client_for(office, office) as other:
        other_token = token(other.get("/").text)
    assert (
        client.post("/indicator/iku-tertangani", data=fields | {"csrf": other_token}).status_code
        == 403
    )
    assert (office / "definitions.toml").read_text(encoding="utf-8") == before


def test_a_page_from_another_host_name_is_refused(office: Path) -> None:
    with client_for(office, office) as client:
        assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 400


def test_listening_beyond_this_computer_needs_a_flag_and_a_password() -> None:
    check_binding("127.0.0.1", allow_remote=False, password=None)
    check_binding("::1", allow_remote=False, password=None)
    with pytest.raises(BindingRefused, match="--allow-remote"):
        check_binding("0.0.0.0", allow_remote=False, password="s3cret")
    with pytest.raises(BindingRefused, match="password"):
        check_binding("0.0.0.0", allow_remote=True, password=None)
    check_binding("0.0.0.0", allow_remote=True, password="s3cret")


def test_the_command_refuses_a_remote_address_without_flag_and_password(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IKU_SERVE_PASSWORD", raising=False)
    assert main(["serve", str(office), "--data", str(office), "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert (
        main(["serve", str(office), "--data", str(office), "--host", "0.0.0.0", "--allow-remote"])
        == 2
    )
    assert "needs a password" in capsys.readouterr().err


def test_with_a_password_every_page_needs_it(office: Path) -> None:
    with client_for(office, office, password="s3cret", allowed_hosts=None) as client:
        response = client.get("/", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert (
            client.get("/report?period=2026&format=md", follow_redirects=False).status_code == 303
        )
        login = client.get("/login").text
        assert "iku-tertangani" not in login
        wrong = client.post("/login", data={"csrf": token(login), "password": "nope"})
        assert wrong.status_code == 401
        right = client.post(
            "/login", data={"csrf": token(login), "password": "s3cret"}, follow_redirects=False
        )
        assert right.status_code == 303
        assert 'data-id="iku-tertangani"' in client.get("/").text


def test_a_script_in_a_name_shows_as_text(office: Path) -> None:
    definitions = office / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    text = text.replace('name = "Persentase PMKS yang tertangani"', f'name = "{HOSTILE}"')
    definitions.write_text(text, encoding="utf-8")
    with client_for(office, office) as client:
        for url in (
            "/?period=2026",
            "/indicator/iku-tertangani",
            "/explain/iku-tertangani?period=2026",
        ):
            page = client.get(url)
            assert HOSTILE not in page.text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
            assert "script-src 'self'" in page.headers["content-security-policy"]


# -- the TOML round trip


def test_every_shipped_file_is_cut_into_tables_that_join_back_exactly() -> None:
    for path in PANDEGLANG.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "".join(tables(text)) == text


def test_an_edit_in_an_interleaved_file_moves_no_block() -> None:
    # tomlkit alone gathers [[tujuan]] blocks written after a [[sasaran]]; cut into
    # tables, the file keeps its order.
    text = (PANDEGLANG / "cascade.toml").read_text(encoding="utf-8")
    edited = edit_entry(
        text, Entry("indikator", "iku-pmks-tertangani"), {"targets": {"2026": "39"}}
    )
    old, new = text.splitlines(), edited.splitlines()
    assert len(old) == len(new)
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [
        next(i for i, line in enumerate(old) if '2026 = "38.45"' in line)
    ]


# -- the command


def test_without_the_serve_extra_the_command_says_how_to_install_it(
    office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    for name in list(sys.modules):
        if name == "iku_rules.serve" or name.startswith("iku_rules.serve."):
            monkeypatch.delitem(sys.modules, name)
        elif name == "starlette" or name.startswith("starlette."):
            monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    monkeypatch.setitem(sys.modules, "starlette", None)
    # An address it would refuse anyway: were the extra found, nothing would be served.
    assert main(["serve", str(office), "--data", str(office), "--host", "0.0.0.0"]) == 2
    assert "pip install 'iku-rules[serve]'" in capsys.readouterr().err


@pytest.mark.slow
def test_the_command_prints_its_address_and_serves(office: Path) -> None:
    import subprocess
    import sys
    import urllib.request

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "iku_rules.cli",
            "serve",
            str(office),
            "--data",
            str(office),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        with urllib.request.urlopen(url + "?period=2026", timeout=120) as response:
            assert 'data-id="iku-tertangani"' in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_readme_workspace_section_shows_screenshots_that_exist_and_true_options() -> None:
    from iku_rules.cli import build_parser

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Workspace\n")
    workspace = readme[start : readme.index("\n## ", start + 1)]
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", workspace)
    assert len(images) >= 4
    for image in images:
        assert (root / image).read_bytes().startswith(b"\x89PNG")
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    options = {option for action in serve._actions for option in action.option_strings}
    for option in re.findall(r"(--[a-z-]+)", workspace):
        assert option in options, option


def test_a_kota_is_called_a_kota_in_the_workspace(office: Path) -> None:
    # The mini office declares no kind: its whole area is the "area" ("daerah" in Indonesian);
    # declared a kota, the region picker and the explanation panel say "kota", never "kabupaten".
    with client_for(office, office) as client:
        page = client.get("/?period=2026").text
        assert "the whole area" in page or "seluruh daerah" in page
    toml = next(path for path in office.glob("*.toml") if "[office]" in path.read_text())
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[office]\n", '[office]\nkind = "kota"\n', 1), encoding="utf-8")
    with client_for(office, office) as client:
        page = client.get("/?period=2026").text
        panel = client.get("/explain/iku-tertangani?period=2026&fragment=1").text
    for shown in (page, panel):
        assert "the whole kota" in shown or "seluruh kota" in shown
        assert "abupaten (" not in shown and "seluruh kabupaten" not in shown


def test_the_region_picker_offers_the_declared_regions_of_the_first_level() -> None:
    # The illustrative Dinas Kesehatan declares kecamatan, desa and puskesmas, and its
    # kecamatan in wilayah.toml (Sukamaju first): the picker offers those, by name.
    root = Path(__file__).resolve().parent.parent
    with client_for(
        root / "definitions" / "dinkes-contoh", root / "tests" / "fixtures" / "dinkes-contoh-data"
    ) as client:
        page = client.get("/?period=2026").text
    picker = re.search(r'<select name="region".*?</select>', page, re.S)
    assert picker is not None
    assert '<option value="Sukamaju"' in picker.group(0)
    assert "seluruh kabupaten" in picker.group(0) or "the whole kabupaten" in picker.group(0)
