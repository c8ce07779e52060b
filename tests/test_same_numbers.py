"""Every number an office files says the same thing everywhere: the value, target, capaian
and predikat of ``iku eval --format json`` (exact) are those of ``iku eval`` as text, CSV and
spreadsheet CSV, of ``iku explain`` as text, JSON and HTML, and of ``iku report`` as
Markdown, HTML (tables, tree and chart) and Excel, in Indonesian and English.

Each output is parsed and compared with the JSON's exact value rounded by the documented
rule, computed here on its own: half away from zero (90.995 → 91.00), at the indicator's
decimals in reports (counts 0, else 2, or its ``decimals``), the capaian at the decimals
it carries, at 6 places (``≈`` when rounded) in text and explanations, and at 6 places
without a thousands sign in spreadsheet CSV; a value that is not available shows its reason.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import add_row, edit, office, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.output import with_satuan
from iku_rules.report import build_report, build_workbook, render_html, render_markdown
from iku_rules.report.explain_html import explanation_html
from iku_rules.report.tables import display_decimals

DEFINITIONS = Path(__file__).resolve().parent.parent / "definitions"
SIGNS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half away from zero (Decimal's ROUND_HALF_UP), never ``-0``."""
    result = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return abs(result) if result.is_zero() else result


def in_report(value: Decimal, places: int, lang: str) -> str:
    """As a report shows it: ``places`` decimals, thousands grouped (``1.234,56``)."""
    text = format(rounded(value, places), ",f")
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def in_text(value: Decimal, lang: str) -> str:
    """As ``iku eval`` and ``iku explain`` show it: at most 6 places, no trailing zeros,
    no thousands sign, ``≈`` when rounded."""
    shown = rounded(value, 6)
    text = format(shown, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(".", ",") if lang == "id" else text
    return ("≈ " if shown != value else "") + text


def places_of(value: Decimal) -> int:
    return max(0, -int(value.as_tuple().exponent))


def report_target(target: Any, decimals: int, lang: str) -> str:
    """A target as the JSON gives it (number, ``[low, high]``, threshold), as a report
    shows it: never with fewer decimals than it is written with."""
    if target is None:
        return "–"
    if isinstance(target, list):
        return "–".join(report_target(item, decimals, lang) for item in target)
    if isinstance(target, dict):
        return f"{SIGNS[target['threshold']]} {report_target(target['value'], decimals, lang)}"
    return in_report(target, max(decimals, places_of(target.normalize())), lang)


def realisasi_places(value: Decimal, target: Any, decimals: int) -> int:
    """The decimals of a realisasi beside its target: no fewer than the target is written
    with (as many as the value has), and those that keep it on its side of each bound of a
    threshold or range target (the side its capaian was given for)."""
    if isinstance(target, (list, dict)):
        bounds = target if isinstance(target, list) else [target["value"]]
    else:
        bounds = [] if target is None else [target]
    written = max([decimals, *(places_of(bound.normalize()) for bound in bounds)])
    places = min(max(decimals, places_of(value)), written)
    if not isinstance(target, (list, dict)):
        return places
    while any(
        (rounded(value, places) > b) - (rounded(value, places) < b) != (value > b) - (value < b)
        for b in bounds
    ):
        places += 1
    return places


def _folder(definitions: str) -> Path:
    """A shipped office by name, or a folder."""
    return DEFINITIONS / definitions if "/" not in definitions else Path(definitions)


def load(text: str) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Sample data of both shipped offices for the whole of 2026."""
    folder = tmp_path_factory.mktemp("same-numbers")
    made = {}
    for name in ("dinsos-pandeglang", "dinkes-contoh"):
        data = folder / name
        status, out = run(
            "sample-data", str(data), "--definitions", name, "--people", "600",
            "--through", "2026-TW4",
        )  # fmt: skip
        assert status == 0, out
        made[name] = data
    return made


def eval_rows(definitions: str, data: Path, period: str, lang: str, by: str | None) -> Any:
    status, out = run(*eval_args(definitions, data, period, lang, by), "--format", "json")
    assert status == 0, out
    return load(out)


def eval_args(definitions: str, data: Path, period: str, lang: str, by: str | None) -> list[str]:
    args = ["--lang", lang, "eval", definitions, "--data", str(data), "--period", period]
    return args + (["--by", by] if by else [])


def check_eval_outputs(
    definitions: str, data: Path, period: str, lang: str, by: str | None
) -> list[dict[str, Any]]:
    """Text, CSV and spreadsheet CSV of ``iku eval`` against its JSON; the JSON rows."""
    rows: list[dict[str, Any]] = eval_rows(definitions, data, period, lang, by)
    args = eval_args(definitions, data, period, lang, by)
    _, out = run(*args, "--format", "csv")
    for row, cells in zip(rows, csv.DictReader(io.StringIO(out)), strict=True):
        assert cells["id"] == row["id"]
        for name in ("value", "capaian"):
            want = row[name]
            assert (Decimal(cells[name]) if cells[name] else None) == want, (row["id"], name)
        if row["value"] is None:
            assert cells["reason"] == row["reason"] != ""
    _, out = run(*args, "--format", "excel")
    separator = ";" if lang == "id" else ","
    reader = csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=separator)
    for row, cells in zip(rows, reader, strict=True):
        for name in ("value", "capaian"):
            if row[name] is None:
                assert cells[name] == ""
                continue
            written = cells[name]
            assert "." not in written if lang == "id" else "," not in written  # no thousands
            number = Decimal(written.replace(",", ".") if lang == "id" else written)
            assert number == rounded(row[name], min(6, max(places_of(row[name]), 0))), (
                row["id"],
                name,
            )
    _, text = run(*args)
    lines = text.splitlines()
    for row in rows:
        if row["region"] is not None:
            continue
        (line,) = [ln for ln in lines if ln.split()[:1] == [row["id"]]][:1]
        if row["value"] is None:
            assert row["reason"] in line
            continue
        shown = in_text(row["value"], lang) + (" %" if row["unit"] == "%" else "")
        assert f" {shown}" in line, (line, shown)
        if row["capaian"] is not None:
            capaian = in_text(row["capaian"], lang)
            assert f" {capaian} %  {row['predikat']}" in line, (line, capaian)
    return rows


def check_explanations(
    definitions: str, data: Path, period: str, lang: str, rows: list[dict[str, Any]]
) -> None:
    """The explanation of each IKU as text, JSON and HTML against the JSON row."""
    engine = Engine(_folder(definitions), data)
    ikus = [i.id for i in engine.definitions.indicators if i.iku]
    area = {row["id"]: row for row in rows if row["region"] is None}
    with use_language(lang):  # its reasons are said in the language spoken as it runs
        evaluation = engine.evaluate(period)
    for indicator in ikus:
        row = area[indicator]
        common = ("--lang", lang, "explain", definitions, indicator, "--data", str(data))
        _, out = run(*common, "--period", period, "--format", "json")
        tree = load(out)
        assert (tree["value"], tree["reason"]) == (row["value"], row["reason"])
        _, text = run(*common, "--period", period)
        with use_language(lang):
            page = html.unescape(explanation_html(evaluation.explain(indicator)))
        head = text.splitlines()[0]
        if row["value"] is None:
            assert row["reason"] in head
            assert row["reason"] in page, page[:400]
        else:
            # the value with the satuan of its row: "75,61 Nilai", "56,73 %"
            shown = with_satuan(in_text(row["value"], lang), row["unit"], row["satuan"])
            assert f"= {shown}" in head
            assert f'<span class="x-value">{shown}</span>' in page
        if row["capaian"] is not None:
            said = f" {in_text(row['capaian'], lang)} % ({row['predikat']})"
            assert said in text and said in page


def _cells(markup: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", cell))
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", markup)
    ]


def check_report(
    definitions: str, data: Path, period: str, lang: str, rows: list[dict[str, Any]]
) -> None:
    """The report's tables (Markdown, HTML, Excel), tree and chart against the JSON rows."""
    engine = Engine(_folder(definitions), data)
    decimals = {
        i.id: display_decimals(engine.definitions, i) for i in engine.definitions.indicators
    }
    area = {row["id"]: row for row in rows if row["region"] is None}
    with use_language(lang):
        report = build_report(engine, period)
        markdown = render_markdown(report)
        page = render_html(report)
        workbook = build_workbook(report)
    md_rows = [
        html.unescape(ln).split(" | ") for ln in markdown.splitlines() if ln.startswith("| ")
    ]
    html_rows = [_cells(tr) for tr in re.findall(r"<tr>(.*?)</tr>", page)]
    for table in (report.iku_table, *report.program_tables):
        for entry in table.rows:
            row = area[entry.indicator_id]
            places = decimals[entry.indicator_id]
            value = row["value"]
            realisasi = "–"
            if value is not None:
                realisasi = in_report(value, realisasi_places(value, row["target"], places), lang)
            capaian = (
                "–"
                if row["capaian"] is None
                else in_report(row["capaian"], places_of(row["capaian"]), lang)
            )
            figures = [
                report_target(row["target"], places, lang),
                realisasi,
                capaian,
                row["predikat"] or "–",
            ]
            assert any(
                cells[2] == entry.indikator.strip() and cells[4:8] == figures for cells in md_rows
            ), (entry.indicator_id, figures)
            assert any(cells[4:8] == figures for cells in html_rows if len(cells) == 9), (
                entry.indicator_id,
                figures,
            )
            if value is None:
                assert row["reason"] in entry.keterangan
    sheet = workbook["IKU"]
    values = list(sheet.iter_rows())
    header = [cell.value for cell in values[0]]
    for entry, cells in zip(report.iku_table.rows, values[1:], strict=True):
        by_name = dict(zip(header, cells, strict=True))
        row = area[entry.indicator_id]
        real = by_name[header[5]]
        if row["value"] is None:
            assert real.value is None and row["reason"] in by_name[header[8]].value
        else:
            assert real.data_type == "n"
            places = real.number_format.partition(".")[2].count("0")
            assert places == realisasi_places(
                row["value"], row["target"], decimals[entry.indicator_id]
            )
            assert rounded(Decimal(repr(real.value)), places) == rounded(row["value"], places)
        cap = by_name[header[6]]
        if row["capaian"] is not None:
            assert (Decimal(repr(cap.value)), cap.number_format.endswith('"%"')) == (
                row["capaian"],
                True,
            )
    # the trend's point of the report's year is the year's (or the year to date's) row
    year = period[:4]
    to_date = period if "sd" in period or len(period) == 4 else f"{year}-sd-TW{period[-1]}"
    trend_rows = {r["id"]: r for r in eval_rows(definitions, data, to_date, lang, None)}
    svg_titles = [
        html.unescape(t) for t in re.findall(r'class="dot-realisasi"[^>]*><title>([^<]*)', page)
    ]
    for series in report.trend:
        (point,) = [p for p in series.points if p.year == int(year) and not p.baseline]
        row = trend_rows[series.indicator_id]
        assert (point.realisasi, point.capaian, point.predikat) == (
            row["value"],
            row["capaian"],
            row["predikat"],
        )
        if row["value"] is not None:
            shown = in_report(
                row["value"], realisasi_places(row["value"], row["target"], point.decimals), lang
            )
            assert any(title.startswith(f"{year}: realisasi {shown}") for title in svg_titles)


CASES = [
    ("dinsos-pandeglang", "2026", "id"),
    ("dinsos-pandeglang", "2026-TW2", "en"),
    ("dinsos-pandeglang", "2026-sd-TW3", "id"),
    ("dinkes-contoh", "2026", "en"),
    ("dinkes-contoh", "2026-sd-TW3", "id"),
    ("dinkes-contoh", "2026-TW2", "id"),
]


@pytest.mark.parametrize(("definitions", "period", "lang"), CASES)
def test_shipped_offices_say_the_same_numbers_everywhere(
    samples: dict[str, Path], definitions: str, period: str, lang: str
) -> None:
    data = samples[definitions]
    rows = check_eval_outputs(definitions, data, period, lang, None)
    check_eval_outputs(definitions, data, period, lang, "kecamatan")
    check_explanations(definitions, data, period, lang, rows)
    check_report(definitions, data, period, lang, rows)


SUB_KEGIATAN = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'


def _edge_office(tmp_path: Path, cases: list[tuple[str, str, str, str, str]]) -> Path:
    """The small office with one IKU per case ``(id, satuan, targets, extra, realisasi)``
    under a sub kegiatan, its realisasi the one row given for 2026-TW1."""
    folder = office(tmp_path)
    edit(folder, 'units = ["Persen",', 'units = ["Juta Rupiah", "Persen",')
    blocks = "".join(
        f'\n  [[sub_kegiatan.indikator]]\n  id = "{id}"\n  name = "{id}"\n  unit = "{unit}"\n'
        f'  iku = true\n  formula = "realisasi"\n  targets = {{ {targets} }}\n{extra}'
        for id, unit, targets, extra, _value in cases
    )
    edit(folder, SUB_KEGIATAN, SUB_KEGIATAN + blocks)
    for id, *_rest, value in cases:
        add_row(folder, "realisasi.csv", f"1.06.04.2.01.0001,{id},2026-TW1,Labuan,{value}")
    return folder


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_realisasi_by_a_bound_is_shown_on_the_side_its_capaian_was_given_for(
    tmp_path: Path, lang: str
) -> None:
    # ≥ 95.5, realisasi 95.495: not met, capaian 95.495 / 95.5 × 100 = 99.9947… → 99.99.
    # At 2 decimals the report showed 95,50 beside ≥ 95,50, a target met (capaian 100);
    # shown 95,495. > 5, realisasi 5.004: met, capaian 100.00; shown 5,00 beside > 5,00
    # (not met) it read wrong the other way; shown 5,004. 80.5–90.25, realisasi 90.2549:
    # above the range, 90.2549 / 90.25 × 100 = 100.0054… → 100.01; shown 90,25 it read as
    # inside (100.00); shown 90,255 (3 decimals put it above 90,25). A point target keeps
    # the indicator's decimals (99.996 against 100 is 99.996 → capaian 100.00, shown 100,00).
    folder = _edge_office(
        tmp_path,
        [
            ("ambang", "Persen", '2026 = "≥ 95,5"', "", "95.4950"),
            ("lebih", "Persen", '2026 = "> 5"', "", "5.0040"),
            ("rentang", "Persen", '2026 = "80,5–90,25"', "", "90.2549"),
            ("titik", "Persen", '2026 = "100"', "", "99.9960"),
        ],
    )
    comma = lang == "id"

    def n(text: str) -> str:
        return text.replace(".", ",") if comma else text

    expected = {
        "ambang": (f"≥ {n('95.50')}", n("95.495"), n("99.99")),
        "lebih": (f"> {n('5.00')}", n("5.004"), n("100.00")),
        "rentang": (f"{n('80.50')}–{n('90.25')}", n("90.255"), n("100.01")),
        "titik": (n("100.00"), n("100.00"), n("100.00")),
    }
    rows = {row["id"]: row for row in eval_rows(str(folder), folder, "2026", lang, None)}
    assert rows["ambang"]["capaian"] == Decimal("99.99")
    assert rows["lebih"]["capaian"] == Decimal("100.00")
    assert rows["rentang"]["capaian"] == Decimal("100.01")
    with use_language(lang):
        report = build_report(Engine(folder, folder), "2026")
        markdown = html.unescape(render_markdown(report))
        page = html.unescape(render_html(report))
        sheet = build_workbook(report)["IKU"]
    cells = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    for id, (target, realisasi, capaian) in expected.items():
        assert f"| {id} | Persen | {target} | {realisasi} | {capaian} |" in markdown
        assert f"<td>{target}</td><td>{realisasi}</td><td>{capaian}</td>" in re.sub(
            r' class="num"', "", page
        )
        assert f"realisasi {realisasi} % · target {target} · capaian {capaian} %" in page
        assert f"2026: realisasi {realisasi}, capaian {capaian} %" in page  # the chart's point
        places = len(realisasi.rpartition("," if comma else ".")[2])
        assert cells[id][5].number_format == "#,##0." + "0" * places


def test_a_part_of_a_sum_whose_rows_have_no_value_is_not_available(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    # Kematian Ibu sums kematian_ibu of the puskesmas' monthly reports; Puskesmas Sukamaju's
    # twelve 2026 rows leave it empty. The measure is not available (12 of 48 rows have no
    # kematian_ibu); its part for Sukamaju showed "= 12" — the count of its rows, read as
    # its sum of kematian_ibu — in the explanation's text, JSON and HTML. It is not
    # available, with the reason, and the other puskesmas keep their sums.
    data = tmp_path / "data"
    data.mkdir()
    for file in samples["dinkes-contoh"].iterdir():
        data.joinpath(file.name).write_bytes(file.read_bytes())
    path = data / "laporan_puskesmas.csv"
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = lines[0].index("kematian_ibu")
    for line in lines[1:]:
        if line[1] == "Puskesmas Sukamaju" and line[0].startswith("2026"):
            line[column] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    path.write_text(out.getvalue(), encoding="utf-8")
    common = ("--lang", "en", "explain", "dinkes-contoh", "aki", "--data", str(data))
    _, text = run(*common, "--period", "2026")
    assert "Puskesmas Sukamaju = 12\n" not in text
    said = "Puskesmas Sukamaju: not available (12 of 12 rows of laporan_puskesmas have no"
    assert said in text
    _, out_json = run(*common, "--period", "2026", "--format", "json")
    (measure,) = [n for n in load(out_json)["inputs"] if n["name"] == "Kematian Ibu"]
    assert measure["value"] is None and measure["reason_code"] == "missing-values"
    parts = {part["name"]: part for part in measure["inputs"]}
    sukamaju = parts.pop("Puskesmas Sukamaju")
    assert (sukamaju["value"], sukamaju["reason_code"]) == (None, "missing-values")
    for part in parts.values():  # each its own sum, as its line says
        assert part["details"][0].endswith(f"sum of kematian_ibu {part['value']}")
    with use_language("en"):
        page = html.unescape(explanation_html(Engine(DEFINITIONS / "dinkes-contoh", data)
                                              .evaluate("2026").explain("aki")))  # fmt: skip
    assert ">not available (12 of 12 rows of laporan_puskesmas have no kematian_ibu" in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_values_at_rounding_edges_agree_in_every_output(tmp_path: Path, lang: str) -> None:
    # Hand-computed, half away from zero: 90.995 → 91.00 (never 90.99), capaian 90.995 /
    # 100 × 100 → 91.00; -2.675 → -2.68; 987654321098.125 Juta Rupiah → 987,654,321,098.13
    # (in Juta Rupiah: an amount in Rupiah has no third decimal, and is refused with one);
    # 0.000001 % beside its target 0.001 → 0.000 (the target's decimals), capaian 0.10;
    # -0.004 % → 0.00 (never -0.00), capaian -0.4 / 1 → -0.40; a Gini
    # of 0.3015 with decimals = 3 → 0.302 (never 0.301).
    folder = _edge_office(
        tmp_path,
        [
            ("separuh", "Persen", '2026 = "100"', "", "90.9950"),
            ("negatif", "Persen", '2026 = "10"', '  polarity = "negatif"\n', "-2.6750"),
            ("besar", "Juta Rupiah", '2026 = "123456789012.5"', "", "987654321098.1250"),
            ("kecil", "Persen", '2026 = "0.001"', "", "0.000001"),
            ("minus", "Persen", '2026 = "1"', "", "-0.0040"),
            (
                "gini",
                "Nilai",
                '2026 = "0.3"',
                '  decimals = 3\n  polarity = "negatif"\n',
                "0.30150",
            ),
        ],
    )
    rows = check_eval_outputs(str(folder), folder, "2026", lang, None)
    check_report(str(folder), folder, "2026", lang, rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["separuh"]["capaian"] == Decimal("91.00")
    assert by_id["minus"]["capaian"] == Decimal("-0.40")
    with use_language(lang):
        markdown = render_markdown(build_report(Engine(folder, folder), "2026"))
    comma = lang == "id"
    for text in ("91.00 | 91.00", "-2.68 |", "987,654,321,098.13 |", "| 0.001 | 0.000 | 0.10 |",
                 "| 0.00 | -0.40 |", "| 0.302 |"):  # fmt: skip
        assert (text.translate(str.maketrans(",.", ".,")) if comma else text) in markdown


@pytest.mark.parametrize("kind", ["md", "html"])
def test_english_words_with_the_decimal_comma_write_every_number_one_way(
    tmp_path: Path, kind: str
) -> None:
    # `iku report --lang en --decimal-comma`: the tables wrote 1.234,57 (1234.5678 rounded
    # to 2 decimals) and the explanations 1234.5678 in the same document, two notations in
    # which 1.234 means 1234 in the one and 1.234 in the other. Now every number is written
    # with the decimal comma: the explanations' 1234,5678, the triwulan reported's too.
    folder = _edge_office(tmp_path, [("besar", "Juta Rupiah", '2026 = "2000"', "", "1234.5678")])
    out = tmp_path / f"laporan.{kind}"
    argv = ["--lang", "en", "report", str(folder), "--data", str(folder), "--period", "2026"]
    status, said = run(*argv, "--decimal-comma", "-o", str(out))
    assert status == 0, said
    text = html.unescape(out.read_text(encoding="utf-8"))
    assert "1.234,57" in text  # the tables
    assert "1234,5678" in text  # the explanations
    assert "2026-TW1: 1234,5678" in text  # what each triwulan reported
    assert "1234.5678" not in text
    assert "Performance Report" in text  # in English words
