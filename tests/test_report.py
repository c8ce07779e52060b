"""The office's reports (LKjIP tables) on the small office whose numbers can be checked by
hand: the report as data, Markdown, the Excel workbook, the HTML page and the atomic write.

In tests/fixtures/mini the IKU ``iku-tertangani`` has target 40 for 2026 and realisasi
60 %, so capaian 150.00 and predikat Sangat Tinggi.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.report import (
    FORMATS,
    Report,
    ReportError,
    ReportExistsError,
    ReportFormatError,
    build_report,
    build_workbook,
    format_from_path,
    render_html,
    render_markdown,
    report_format,
    write_atomic,
    write_excel,
    write_report,
)
from iku_rules.report.numbers import number_text, target_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
HOSTILE = "<script>alert(1)</script>"
# The service log's last 2026 row is dated 1 August: 30 + 30 + 31 + 30 + 31 = 152 days
# before 31 December, which the Keterangan says.
ENDS = "layanan's data end on 1 August 2026, 152 days before the period's end"
NO_TW4 = (
    "the realisasi of alat-bantu-orang for 2026-TW4 is not reported, so its sum over 2026 counts"
    " it as none; report it (0 where there was none)"
)
"""The mini office's sub kegiatan, reported for TW1 to TW3 (3 + 2.5 + 4 = 9.5) in a year over."""
ABSENT = (
    "the realisasi of alat-bantu-orang has no row for 2026-TW1 from kecamatan Carita; 2026-TW2"
    " from kecamatan Carita; 2026-TW3 from kecamatan Labuan, which reports it in another"
    " triwulan of 2026, so its sum over 2026 counts it as none; report it (0 where there was"
    " none)"
)
"""Carita's TW1 and TW2 and Labuan's TW3, each reported by the other kecamatan: not by them."""
IKU_ROW = (
    "| 1 | Meningkatnya upaya penanganan PMKS | Persentase PMKS yang tertangani | Persen "
    f"| 40.00 | 60.00 | 150.00 | Sangat Tinggi | {ENDS} |"
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(MINI, MINI)


@pytest.fixture(scope="module")
def report(engine: Engine) -> Report:
    return build_report(engine, "2026")


def copy_mini(folder: Path, replacements: dict[str, str]) -> Path:
    """A copy of the mini office with text in its definitions replaced."""
    target = folder / "office"
    shutil.copytree(MINI, target)
    definitions = target / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    definitions.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The mini office with a sasaran named like a script, an indicator named like an
    Excel formula and a programme whose name holds every character a sheet title forbids."""
    folder = copy_mini(
        tmp_path_factory.mktemp("hostile"),
        {
            'name = "Meningkatnya upaya penanganan PMKS"': f'name = "{HOSTILE} | pipa"',
            'name = "Jumlah Orang yang Mendapatkan Alat Bantu"': 'name = "=1+2"',
            'name = "Program Rehabilitasi Sosial"': (
                'name = "Rehab [A]: x*y?/z\\\\ \' sosial & \\"seterusnya\\" | panjang sekali"'
            ),
        },
    )
    return build_report(Engine(folder, folder), "2026")


# -- the report as data


def test_iku_table(report: Report) -> None:
    assert report.office == "Dinas Mini"
    assert report.period == "2026"
    assert report.plan_years == (2025, 2026, 2027)
    (row,) = report.iku_table.rows
    assert row.no == 1
    assert row.indicator_id == "iku-tertangani"
    assert row.sasaran == "Meningkatnya upaya penanganan PMKS"
    assert row.indikator == "Persentase PMKS yang tertangani"
    assert row.satuan == "Persen"
    assert row.target == Decimal(40)
    assert row.realisasi == Decimal(60)
    assert isinstance(row.realisasi, Decimal)
    assert row.capaian == Decimal("150.00")
    assert row.predikat == "Sangat Tinggi"
    assert row.reason is None and row.policy_applied is None
    assert row.keterangan == ENDS


def test_program_tables(report: Report) -> None:
    (table,) = report.program_tables
    assert table.element_id == "1.06.04"
    assert table.title == "1.06.04 Program Rehabilitasi Sosial"
    (row,) = table.rows
    assert row.indicator_id == "alat-bantu-orang"
    assert row.level == "Sub Kegiatan"
    assert row.kode == "1.06.04.2.01.0003"
    assert row.realisasi == Decimal("9.5")
    assert row.target is None and row.capaian is None and row.predikat is None
    assert (
        row.keterangan == f"{NO_TW4}; {ABSENT}; capaian not available: there is no target for 2026"
    )


def test_trend_evaluates_every_plan_year(report: Report) -> None:
    (series,) = report.trend
    assert series.indicator_id == "iku-tertangani"
    # No baseline year and no baseline in the mini office: plan years only.
    assert [p.year for p in series.points] == [2025, 2026, 2027]
    y2025, y2026, y2027 = series.points
    assert (y2025.target, y2025.realisasi) == (None, Decimal(50))
    assert (y2026.target, y2026.realisasi, y2026.capaian) == (
        Decimal(40),
        Decimal(60),
        Decimal("150.00"),
    )
    assert y2026.predikat == "Sangat Tinggi"
    # no future: a report for 2026 shows 2027's target only, never a value for it
    assert y2027.realisasi is None and y2027.capaian is None and y2027.predikat is None
    assert y2027.reason == "2027 is after the period of the report (2026)"
    assert "realisasi not available" in y2027.keterangan


def test_trend_with_baseline_and_years_without_any_data(tmp_path: Path) -> None:
    folder = copy_mini(
        tmp_path,
        {
            "plan_start = 2025": "baseline_year = 2020\nplan_start = 2021",
            'targets = { 2026 = "40" }': 'baseline = "33.5"\n  targets = { 2021 = "30", 2026 = "40" }',
        },
    )
    report = build_report(Engine(folder, folder), "2026")
    (series,) = report.trend
    baseline, *years = series.points
    assert (baseline.year, baseline.baseline, baseline.realisasi) == (2020, True, Decimal("33.5"))
    assert [p.year for p in years] == [2021, 2022, 2023, 2024, 2025, 2026, 2027]
    y2021 = years[0]
    assert y2021.target == 30 and y2021.realisasi is None and y2021.reason
    assert years[5].capaian == Decimal("150.00")
    markdown = render_markdown(report)
    assert "| 2020 (baseline) | – | 33.50 | – | – |  |" in markdown


def test_explanations(report: Report, engine: Engine) -> None:
    (explained,) = report.explanations
    assert explained.indicator_id == "iku-tertangani"
    expected = engine.evaluate("2026").explain("iku-tertangani").text()
    assert explained.explanation.text() == expected


def test_cascade_from_visi_down_to_sub_kegiatan(report: Report) -> None:
    (visi,) = report.cascade
    assert (visi.element_id, visi.title) == ("visi", "Visi")
    titles = [node.title for node in report.nodes()]
    assert titles == [
        "Visi",
        "Misi",
        "Sasaran (Renstra)",
        "Program",
        "Kegiatan",
        "Sub Kegiatan",
        "Sub Kegiatan",
    ]
    sasaran = next(node for node in report.nodes() if node.element_id == "sasaran")
    shown = {item.row.indicator_id: item.row for item in sasaran.indicators}
    assert list(shown) == ["iku-tertangani", "anak-share", "skor", "kenaikan"]
    assert shown["iku-tertangani"].predikat == "Sangat Tinggi"
    assert shown["skor"].realisasi == Decimal("38.625")
    assert all(item.explanation.id == item.row.indicator_id for item in sasaran.indicators)


def test_report_for_a_year_to_date(engine: Engine) -> None:
    report = build_report(engine, "2026-sd-TW3")
    assert report.period == "2026-sd-TW3"
    (row,) = report.iku_table.rows
    assert row.capaian is None and row.capaian_reason
    # The trend is yearly whatever the period.
    assert [p.year for p in report.trend[0].points] == [2025, 2026, 2027]


def test_number_text() -> None:
    assert number_text(Decimal("150")) == "150.00"
    assert number_text(Decimal("150"), decimal_comma=True) == "150,00"
    assert number_text(Decimal("1234567.891"), decimal_comma=True) == "1.234.567,89"
    assert number_text(Decimal("0.005")) == "0.01"
    assert number_text(Decimal("-0.001")) == "0.00"
    assert target_text((Decimal(80), Decimal(90)), decimal_comma=True) == "80,00–90,00"


# -- Markdown


def test_markdown_iku_row(report: Report) -> None:
    text = render_markdown(report)
    assert text.startswith("# Performance Report of Dinas Mini — 2026\n")
    assert IKU_ROW in text.splitlines()
    assert "## Program" in text and "### 1.06.04 Program Rehabilitasi Sosial" in text
    assert "## IKU trend" in text
    assert f"| 2026 | 40.00 | 60.00 | 150.00 | Sangat Tinggi | {ENDS} |" in text


def test_markdown_explanation_in_a_fence(report: Report) -> None:
    text = render_markdown(report)
    fenced = re.search(r"```text\n(.*?)\n```", text, re.S)
    assert fenced is not None
    assert fenced.group(1).startswith("◆ Persentase PMKS yang tertangani [iku-tertangani] = 60 %")
    assert "target 40 % → capaian 150 % (Sangat Tinggi)" in fenced.group(1)


def test_markdown_decimal_comma(report: Report) -> None:
    text = render_markdown(report, decimal_comma=True)
    assert "| 40,00 | 60,00 | 150,00 | Sangat Tinggi |" in text
    assert "150.00" not in text


def test_markdown_escapes(hostile: Report) -> None:
    text = render_markdown(hostile)
    assert HOSTILE not in text.split("```")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # A pipe in a name does not break the table.
    assert "| 1 | &lt;script&gt;alert(1)&lt;/script&gt; \\| pipa | Persentase" in text


# -- Excel


@pytest.fixture(scope="module")
def workbook(report: Report, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "laporan.xlsx"
    write_report(report, path, "xlsx", replace=False)
    return openpyxl.load_workbook(path)


def test_excel_sheets(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == [
        "IKU", "1.06.04 Program Rehabilitasi So", "Trend", "Explanations"
    ]  # fmt: skip
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1]), sheet.title


def test_excel_iku_numbers(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["IKU"]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "No",
        "Sasaran",
        "Indicator",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian %",
        "Predikat",
        "Notes",
    ]
    row = {name: sheet.cell(2, index) for index, name in enumerate(header, start=1)}
    assert row["Sasaran"].value == "Meningkatnya upaya penanganan PMKS"
    for name, expected in (("Target", 40), ("Realisasi", 60), ("Capaian %", 150)):
        cell = row[name]
        assert cell.data_type == "n", name
        assert isinstance(cell.value, int | float) and cell.value == expected
    assert row["Target"].number_format == "#,##0.00"
    assert row["Realisasi"].number_format == "#,##0.00"
    assert row["Capaian %"].number_format == '#,##0.00"%"'
    assert row["Predikat"].value == "Sangat Tinggi"
    assert row["Notes"].value == ENDS


def test_excel_widths_and_wrapping(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["IKU"]
    default = 13
    assert sheet.column_dimensions["B"].width > default  # Sasaran
    assert sheet.column_dimensions["C"].width > default  # Indikator
    assert sheet.column_dimensions["C"].width <= 60
    assert sheet["C2"].alignment.wrap_text
    explanation = workbook["Explanations"]
    assert 60 < explanation.column_dimensions["B"].width <= 120


def test_excel_not_available_is_empty_with_the_reason(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["1.06.04 Program Rehabilitasi So"]
    assert sheet["B2"].value == "Sub Kegiatan: 1.06.04.2.01.0003 Penyediaan Alat Bantu"
    assert sheet["F2"].value == 9.5
    assert sheet["E2"].value is None and sheet["G2"].value is None
    assert (
        sheet["I2"].value
        == f"{NO_TW4}; {ABSENT}; capaian not available: there is no target for 2026"
    )
    trend = workbook["Trend"]
    rows = list(trend.iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in rows] == [2025, 2026, 2027]
    assert rows[2][6] is None and "2027 is after the period of the report" in rows[2][9]


def test_excel_explanation_lines(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Explanations"]
    assert sheet["A2"].value == "iku-tertangani"
    assert sheet["B2"].value.startswith("◆ Persentase PMKS yang tertangani")


def test_excel_hostile_names(hostile: Report, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    write_excel(hostile, path)
    workbook = openpyxl.load_workbook(path)
    titles = workbook.sheetnames
    program = titles[1]
    assert len(program) <= 31 and not set("[]:*?/\\") & set(program)
    assert program == "1.06.04 Rehab -A-- x-y--z- ' so"
    assert workbook["IKU"]["B2"].value == f"{HOSTILE} | pipa"
    formula_like = workbook[program]["C2"]
    assert formula_like.value == "=1+2" and formula_like.data_type == "s"


def test_excel_sheet_titles_unique(report: Report) -> None:
    tripled = attrs.evolve(report, program_tables=report.program_tables * 3)
    titles = build_workbook(tripled).sheetnames[1:4]
    assert titles == [
        "1.06.04 Program Rehabilitasi So",
        "1.06.04 Program Rehabilitas (2)",
        "1.06.04 Program Rehabilitas (3)",
    ]
    assert all(len(title) <= 31 for title in titles)


# -- HTML


def test_html_is_self_contained(report: Report) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//""", page, re.I)
    assert "<script src" not in page and 'rel="stylesheet"' not in page
    assert "@import" not in page and "url(" not in page
    assert page.count("<script>") == 1 and page.count("<style>") == 1


def test_html_policy_allows_only_its_own_script_and_style(report: Report) -> None:
    page = render_html(report)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    for tag in ("script", "style"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    assert "default-src 'none'" in policy.group(1)


def test_html_tree_chart_and_tables(report: Report) -> None:
    page = render_html(report)
    assert 'id="tree"' in page and "<details" in page and "<summary>" in page
    for level in ("Visi", "Misi", "Sasaran (Renstra)", "Program", "Kegiatan", "Sub Kegiatan"):
        assert f'<span class="level">{level}</span>' in page
    # The IKU is coloured by its predikat, the others grey (no capaian).
    assert 'class="indicator p0" data-explain="ex-1"' in page
    assert page.count('class="indicator pna"') == 4
    assert "Sangat Tinggi (≥ 91)" in page  # the legend
    assert '<svg class="chart"' in page and "<polyline" in page and "Realisasi</text>" in page
    assert 'id="panel"' in page and 'id="ex-1"' in page
    assert "<td>Persen</td>" in page and "150.00" in page
    assert "1.06.04 Program Rehabilitasi Sosial</h3>" in page


def test_html_decimal_comma(report: Report) -> None:
    assert "150,00" in render_html(report, decimal_comma=True)


def test_html_escapes_hostile_names(hostile: Report) -> None:
    page = render_html(hostile)
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1
    assert "&quot;seterusnya&quot;" in page and "&#x27;" in page


# -- writing files


def test_write_report_every_format(report: Report, tmp_path: Path) -> None:
    for name in FORMATS:
        path = tmp_path / f"laporan.{name}"
        write_report(report, path, name, replace=False)
        assert path.stat().st_size > 0
    assert IKU_ROW in (tmp_path / "laporan.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "laporan.html",
        "laporan.md",
        "laporan.xlsx",
    ]


def test_write_report_refuses_to_replace(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "laporan.md"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(ReportExistsError, match="already exists") as raised:
        write_report(report, path, "md", replace=False)
    assert isinstance(raised.value, IkuError)
    assert path.read_text(encoding="utf-8") == "old"
    write_report(report, path, "md", replace=True)
    assert IKU_ROW in path.read_text(encoding="utf-8")


def test_report_formats() -> None:
    assert report_format("markdown") == "md"
    assert report_format("XLSX") == "xlsx"
    assert format_from_path("out/lkjip.html") == "html"
    with pytest.raises(ReportFormatError, match="choose one of md, xlsx, html"):
        report_format("pdf")
    with pytest.raises(ReportFormatError):
        format_from_path("laporan")


def test_atomic_write_kinds(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "teks ✓", replace=False)
    write_atomic(tmp_path / "b.bin", b"\x00\x01", replace=False)
    write_atomic(tmp_path / "c.txt", lambda path: path.write_text("ditulis"), replace=False)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "teks ✓"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "c.txt").read_text() == "ditulis"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin", "c.txt"]


def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(b"old report")

    def broken(temp: Path) -> None:
        assert temp.parent == tmp_path and temp != path
        temp.write_bytes(b"half a rep")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic(path, broken, replace=True)
    assert path.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.xlsx"]

    def interrupted(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, interrupted, replace=True)
    assert path.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.xlsx"]


def test_atomic_write_refuses_without_replace(tmp_path: Path) -> None:
    path = tmp_path / "laporan.html"
    path.write_text("old")
    with pytest.raises(ReportExistsError) as raised:
        write_atomic(path, "new", replace=False)
    assert str(path) in str(raised.value)
    assert raised.value.path == path
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.html"]


def test_atomic_write_does_not_clobber_a_file_created_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "laporan.md"

    def racing(temp: Path) -> None:
        temp.write_text("ours")
        path.write_text("theirs")

    with pytest.raises(ReportExistsError):
        write_atomic(path, racing, replace=False)
    assert path.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.md"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "baru.md"
    write_atomic(fresh, "x", replace=False)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "lama.md"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new", replace=True)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_atomic_write_bad_places(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="is a folder"):
        write_atomic(tmp_path, "x", replace=True)
    with pytest.raises(ReportError, match="there is no folder"):
        write_atomic(tmp_path / "missing" / "laporan.md", "x", replace=True)


def test_atomic_write_unwritable_folder_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permissions stop no root (CI), so the folder refuses through os.open, as a
    # read-only or full folder does.
    import errno

    from iku_rules import atomic

    def refused(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(args[0]))

    monkeypatch.setattr(atomic.os, "open", refused)
    with pytest.raises(ReportError, match=r"cannot write in .*: the system does not allow it"):
        write_atomic(tmp_path / "laporan.md", "x", replace=True)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_passes_on_a_writers_own_file_exists(tmp_path: Path) -> None:
    # A writer's FileExistsError is the writer's, not "the report exists".
    def writer(temp: Path) -> None:
        (tmp_path / "taken").write_text("x")
        (tmp_path / "taken").open("x")

    with pytest.raises(FileExistsError) as raised:
        write_atomic(tmp_path / "laporan.md", writer, replace=False)
    assert not isinstance(raised.value, ReportExistsError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


# -- the real office, with generated data


def test_pandeglang_end_to_end(tmp_path: Path) -> None:
    from iku_rules.loader import load
    from iku_rules.sample import generate

    definitions = load(PANDEGLANG)
    data = tmp_path / "data"
    data.mkdir()
    generate(definitions, data, people=2000)
    report = build_report(Engine(definitions, data), "2026")
    iku = [i.id for i in definitions.indicators if i.iku]
    assert [row.indicator_id for row in report.iku_table.rows] == iku
    programs = [e for e in definitions.elements if e.level == "program"]
    assert len(report.program_tables) == len(programs)
    office = definitions.office
    assert office is not None and office.plan_start and office.plan_end
    plan = list(range(office.plan_start, office.plan_end + 1))
    for series in report.trend:
        assert [p.year for p in series.points if not p.baseline] == plan
        if office.baseline_year is not None:
            assert series.points[0].baseline and series.points[0].year == office.baseline_year
    levels = {node.title for node in report.nodes()}
    assert {"Visi", "Misi", "Program", "Kegiatan", "Sub Kegiatan"} <= levels
    for name in FORMATS:
        write_report(report, tmp_path / f"lkjip.{name}", name, replace=False)
    workbook = openpyxl.load_workbook(tmp_path / "lkjip.xlsx")
    assert len(workbook.sheetnames) == 3 + len(programs)
    assert len({title.casefold() for title in workbook.sheetnames}) == len(workbook.sheetnames)
    page = (tmp_path / "lkjip.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert page.count('<svg class="chart"') == len(iku)
