"""What a planner reads under ``--lang id`` (and with no language chosen) has no English
left in it: the leaks an audit of every command, report and workspace page found, each
shown here as the planner meets it on the shipped Pandeglang office and its sample data.

Each test names the English that used to show and the Indonesian that shows now; the
English words of the workspace pages that were Indonesian in English are checked too."""

from __future__ import annotations

import io
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iku_rules.cli import main
from iku_rules.i18n import set_language
from iku_rules.loader import load
from iku_rules.sample import generate

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pandeglang-data")
    generate(load(PANDEGLANG), folder, people=300)
    return folder


# -- the iku command


def test_a_list_in_a_formula_trace_is_counted_in_indonesian() -> None:
    code, out = run(
        "--lang", "id", "formula", "Σ a / Σ b × 100%", "--set", "a=10;30", "--set", "b=160"
    )
    # Σ a = 10 + 30 = 40, and its list of two values: "[2 nilai]", not "[2 values]".
    assert code == 0
    assert "└── a  [2 nilai]" in out
    assert "values" not in out


def test_the_chosen_branch_of_if_is_named_in_indonesian() -> None:
    code, out = run(
        "--lang", "id", "formula", "if(b = 0, 0, a / b)", "--set", "a=1", "--set", "b=0"
    )
    # b = 0, so if() takes its first branch: 0.
    assert code == 0
    assert out.splitlines()[0] == "if(b = 0, 0, a / b) = 0  [cabang 'maka']"
    assert "then" not in out


def test_with_no_language_chosen_the_trace_speaks_indonesian(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    code, out = run("formula", "Σ a", "--set", "a=1;2;3")
    assert code == 0
    assert out.splitlines() == ["Σ a = 6", "└── a  [3 nilai]"]  # 1 + 2 + 3 = 6


def test_what_an_assumption_rests_on_is_named_in_indonesian() -> None:
    code, out = run("--lang", "id", "list", str(PANDEGLANG))
    assert code == 0
    resting = [line.strip() for line in out.splitlines() if "bertumpu pada asumsi dari" in line]
    # The IKU of PMKS tertangani counts the service log (layanan) over the register.
    assert (
        "⚑ bertumpu pada asumsi dari: ukuran 'PMKS yang Tertangani', sumber data 'layanan',"
        " ukuran 'PMKS', sumber data 'register_pmks'"
    ) in resting
    assert not [line for line in resting if "measure '" in line or "source '" in line]


def test_sample_data_says_it_writes_the_workbook_in_indonesian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(
        "--lang", "id", "sample-data", str(tmp_path / "sd"), "--people", "50", "--progress"
    )
    assert code == 0
    said = capsys.readouterr().err
    assert "menulis sample-data.xlsx" in said
    assert "writing" not in said


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_formula_example_in_help_is_written_as_typed(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", language, "formula", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "iku formula 'Σ a / Σ b × 100%' --set a=40 --set b=160" in shown
    assert "100%%" not in shown


def test_an_unclosed_quote_in_toml_is_said_in_indonesian(tmp_path: Path) -> None:
    broken = (ROOT / "tests" / "broken" / "unknown-name.toml").read_text(encoding="utf-8")
    path = tmp_path / "quote.toml"
    path.write_text(broken + "\n[[visi]]\nid = 'tanpa penutup\n", encoding="utf-8")
    code, out = run("--lang", "id", "check", str(path))
    assert code == 1
    assert "ini bukan TOML yang sah: teks dalam tanda kutip tidak ditutup" in out
    assert "expected" not in out


def test_a_year_to_date_without_every_triwulan_target_says_so_plainly(data: Path) -> None:
    code, out = run(
        "--lang", "id", "eval", str(PANDEGLANG), "--data", str(data),
        "--period", "2026-sd-TW3", "--format", "csv",
    )  # fmt: skip
    assert code == 0
    # Rasio Gini has no triwulan targets at all: no capaian, and this reason.
    [gini] = [line for line in out.splitlines() if line.startswith("rasio-gini,")]
    assert "tidak setiap triwulan sampai 2026-TW3 memiliki target" in gini
    assert "target tidak tersedia untuk setiap triwulan" not in out


def test_a_number_read_two_ways_names_the_notasi(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("--lang", "id", "formula", "a × 100.000", "--set", "a=1")
    assert code == 1
    said = capsys.readouterr().err
    assert 'sebagai 100000 dalam notasi "id"' in said
    assert 'sebagai 100 dalam notasi "en"' in said
    assert 'dalam notation "' not in said


# -- the workspace


@pytest.fixture
def workspace(tmp_path: Path, data: Path) -> Iterator[Callable[[str], Any]]:
    pytest.importorskip("starlette")
    pytest.importorskip("tomlkit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from iku_rules.serve import create_app

    folder = tmp_path / "dinsos-pandeglang"
    shutil.copytree(PANDEGLANG, folder)

    def client(language: str) -> Any:
        set_language(language)
        app = create_app(folder, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return TestClient(app.asgi, base_url="http://127.0.0.1")

    previous = set_language(None)
    try:
        yield client
    finally:
        set_language(previous)


def test_the_workspace_names_a_problem_s_severity_in_indonesian(
    workspace: Callable[[str], Any], tmp_path: Path
) -> None:
    cascade = tmp_path / "dinsos-pandeglang" / "cascade.toml"
    text = cascade.read_text(encoding="utf-8")
    cascade.write_text(text.replace('unit = "Persen"', 'unit = "Persn"', 1), encoding="utf-8")
    with workspace("id") as client:
        page = client.get("/problems").text
    assert "</a>: kesalahan: satuan &#39;Persn&#39;" in page
    assert ": error:" not in page


def test_the_parts_of_a_measure_are_headed_sub_kegiatan(workspace: Callable[[str], Any]) -> None:
    with workspace("id") as client:
        page = client.get("/explain/iku-pmks-tertangani?period=2026").text
    assert '<span class="kind">Sub Kegiatan</span>' in page
    assert '<span class="kind">sub_kegiatan</span>' not in page


def test_the_workspace_in_english_has_no_indonesian_labels(workspace: Callable[[str], Any]) -> None:
    with workspace("en") as client:
        page = client.get("/?period=2026").text
    for english in (
        'placeholder="name or id of an indicator"',
        'title="Edit indicator"',
        'title="See the explanation"',
        'aria-label="Close"',
    ):
        assert english in page
    for indonesian in ("nama atau id indikator", "Ubah indikator", "Lihat penjelasan", '"Tutup"'):
        assert indonesian not in page
    with workspace("id") as client:
        page = client.get("/?period=2026").text
    for indonesian in ('placeholder="nama atau id indikator"', 'title="Ubah indikator"'):
        assert indonesian in page
