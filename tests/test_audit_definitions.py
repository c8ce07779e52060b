"""Definitions a second office writes, which must not change a number in silence: each
mistake below was accepted by `iku check` and gave a wrong number (or a message in a
library's English); each is now an error at its file, line and column, in plain words.

Every case copies the illustrative Dinas Kesehatan (definitions/dinkes-contoh), changes
one thing, and runs `iku check` (and `iku eval` on the hand-made data where the number
itself is the point)."""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from iku_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--lang", "en", *argv], out=out), out.getvalue()


def office(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the Dinas Kesehatan with each ``(file, old, new)`` replaced once."""
    folder = tmp_path / "dinkes"
    shutil.copytree(DINKES, folder)
    for file, old, new in edits:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def diagnostics(folder: Path) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json")
    found: list[dict[str, Any]] = json.loads(text)["diagnostics"]
    assert status == (1 if any(d["severity"] == "error" for d in found) else 0)
    return found


def errors(folder: Path) -> list[dict[str, Any]]:
    return [d for d in diagnostics(folder) if d["severity"] == "error"]


def line_of(folder: Path, file: str, text: str) -> tuple[int, int]:
    """The line and column (1-based) where ``text`` first stands in ``file``."""
    for number, line in enumerate((folder / file).read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(text)


# -- numbers


def test_a_toml_number_indonesian_documents_read_otherwise_is_refused(tmp_path: Path) -> None:
    """`targets = { 2026 = 1.200 }` without quotes, in an office of notation "id": TOML reads
    1.2, the office's documents 1200. It was taken as 1.2 in silence (a Rupiah, Persen or
    rate target a thousand times too small)."""
    folder = office(
        tmp_path,
        ("cascade.toml", "baseline = 120", "baseline = 120.500"),
        ("cascade.toml", "targets = { 2026 = 100 }", "targets = { 2026 = 99.500 }"),
    )
    found = errors(folder)
    assert [d["code"] for d in found] == ["number", "number"]
    assert (found[0]["line"], found[0]["column"]) == line_of(folder, "cascade.toml", "120.500")
    assert (found[1]["line"], found[1]["column"]) == line_of(folder, "cascade.toml", "99.500")
    assert "TOML reads it as 120.5" in found[0]["message"]
    assert "as 120500" in found[0]["message"]
    assert 'write 120.5 or "120.500" (in quotes)' in found[0]["message"]


def test_a_toml_number_of_one_reading_stays_as_written(tmp_path: Path) -> None:
    folder = office(
        tmp_path,
        ("cascade.toml", "baseline = 120", "baseline = 120.50"),
        ("cascade.toml", "targets = { 2026 = 100 }", "targets = { 2026 = 99.5 }"),
    )
    assert errors(folder) == []


def test_an_office_of_notation_en_reads_a_toml_number_as_toml_does(tmp_path: Path) -> None:
    folder = office(
        tmp_path,
        ("office.toml", 'notation = "id"', 'notation = "en"'),
        ("cascade.toml", "baseline = 120", "baseline = 120.500"),
        ("cascade.toml", "× 100.000", "× 100000"),
        ("cascade.toml", "× 1.000", "× 1000"),
        ("cascade.toml", "× 1.000", "× 1000"),
        ("program.toml", '"1.200"', '"1,200"'),
    )
    assert errors(folder) == []


def test_a_list_or_a_date_for_a_number_is_said_in_plain_words(tmp_path: Path) -> None:
    folder = office(
        tmp_path,
        ("cascade.toml", "baseline = 120", "baseline = [90, 95.5]"),
        ("cascade.toml", "targets = { 2026 = 100 }", "targets = { 2026 = 2026-01-01 }"),
    )
    messages = [d["message"] for d in errors(folder)]
    assert messages == [
        'a list is not a number; write a range in quotes, like "80–90"',
        "the date or time 2026-01-01 is not a number",
    ]


# -- satuan


def test_a_percent_satuan_with_a_space_is_a_percentage(tmp_path: Path) -> None:
    """`unit = "Persen "`: the unit table knew it as Persen, but the check of a percentage
    did not, so Σ a / Σ b without × 100% was reported as 0.33 against ≤ 35: capaian 100."""
    folder = office(
        tmp_path,
        ("cascade.toml", 'unit = "Persen"', 'unit = "Persen "'),
        ("cascade.toml", "Σ [Balita Diukur] × 100%", "Σ [Balita Diukur]"),
        ("office.toml", '"Persen",', '"Persen", "Persen ",'),
    )
    assert [d["code"] for d in errors(folder)] == ["not-a-percentage"]


def test_a_satuan_that_reads_as_a_percentage_must_be_persen(tmp_path: Path) -> None:
    for unit, satuan in (("Persentase", 'Persentase = "persen"'), ("Persen (%)", "")):
        folder = office(
            tmp_path / unit,
            ("cascade.toml", 'unit = "Persen"', f'unit = "{unit}"'),
            ("cascade.toml", "Σ [Balita Diukur] × 100%", "Σ [Balita Diukur]"),
            ("office.toml", "units = [", f'units = [ "{unit}",'),
            ("office.toml", "[rules]", f"[satuan]\n{satuan}\n\n[rules]"),
        )
        found = errors(folder)
        assert [d["code"] for d in found] == ["satuan-kind"], unit
        assert (found[0]["line"], found[0]["column"]) == line_of(
            folder, "cascade.toml", f'"{unit}"'
        )
        assert found[0]["suggestion"] == 'write unit = "Persen"'


def test_a_rate_satuan_with_words_before_per_is_refused(tmp_path: Path) -> None:
    """`Rasio per 1.000 penduduk` was not taken as a rate, so a formula that forgot
    × 1.000 gave 0.014 births per person against a target of ≤ 16: capaian 100."""
    folder = office(
        tmp_path,
        ("cascade.toml", 'unit = "per 1.000 Penduduk"', 'unit = "Rasio per 1.000 penduduk"'),
        ("cascade.toml", "[Jumlah Penduduk] × 1.000", "[Jumlah Penduduk]"),
        ("office.toml", '"per 1.000 Penduduk",', '"Rasio per 1.000 penduduk",'),
    )
    found = errors(folder)
    assert [d["code"] for d in found] == ["satuan-kind"]
    assert found[0]["suggestion"] == 'write unit = "per 1.000 penduduk"'


# -- targets and ids


def test_a_triwulan_target_outside_the_plan_is_an_error(tmp_path: Path) -> None:
    folder = office(
        tmp_path,
        (
            "cascade.toml",
            "targets = { 2026 = 100 }",
            'targets = { 2026 = 100 }\n  capaian_method = "terakhir"\n'
            '  triwulan_targets = { 2031-TW1 = "25" }',
        ),
    )
    found = errors(folder)
    assert [d["code"] for d in found] == ["target-year"]
    assert "2031-TW1, outside the plan (2025–2027)" in found[0]["message"]
    assert (found[0]["line"], found[0]["column"]) == line_of(folder, "cascade.toml", "2031-TW1")


def test_ids_that_differ_only_in_case_are_one_id(tmp_path: Path) -> None:
    """Formulas look names up ignoring case: `rata_rata(spm-ibu-hamil, …)` read the sub
    kegiatan's `SPM-Ibu-Hamil` (10) instead of the sasaran's (76.74), in silence."""
    folder = office(
        tmp_path,
        ("program.toml", 'id = "kelas-ibu-hamil"', 'id = "SPM-Ibu-Hamil"'),
        ("program.toml", 'unit = "Orang"', 'unit = "Persen"'),
        ("program.toml", 'targets = { 2026 = "1.200" }', 'targets = { 2026 = "90" }'),
        ("program.toml", 'formula = "realisasi"', 'formula = "input"'),
    )
    found = errors(folder)
    assert [d["code"] for d in found] == ["duplicate-id"]
    assert "'SPM-Ibu-Hamil' (indicator) is the id 'spm-ibu-hamil'" in found[0]["message"]
    assert found[0]["path"].endswith("program.toml")


# -- files


def test_a_byte_order_mark_is_no_part_of_the_text(tmp_path: Path) -> None:
    folder = office(tmp_path)
    path = folder / "office.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run("check", str(folder)) == (0, "0 errors, 0 warnings in 5 files\n")
    status, text = run("eval", str(folder), "--data", str(DATA), "--period", "2026")
    assert status == 0, text


def test_toml_mistakes_are_said_in_plain_words_at_the_key(tmp_path: Path) -> None:
    folder = office(
        tmp_path,
        ("cascade.toml", 'id = "aki"', 'id = "aki"\n  id = "akb2"'),
        ("wilayah.toml", 'name = "Sukamaju"', 'name = "Sukamaju"\nname = "Suka Maju"'),
    )
    found = errors(folder)
    assert [(d["code"], d["message"], d["suggestion"]) for d in found] == [
        (
            "toml-syntax",
            "this is not valid TOML: 'id' is given a value a second time in the same table",
            None,
        ),
        (
            "toml-syntax",
            "this is not valid TOML: 'name' is given a value a second time in the same table",
            None,
        ),
    ]
    assert (found[0]["line"], found[0]["column"]) == line_of(folder, "cascade.toml", 'id = "akb2"')
    assert (found[1]["line"], found[1]["column"]) == line_of(
        folder, "wilayah.toml", 'name = "Suka Maju"'
    )


def test_a_region_name_with_spaces_as_a_key_asks_for_quotes(tmp_path: Path) -> None:
    folder = office(
        tmp_path, ("cascade.toml", 'Cibening = { 2026 = "≤ 16" }', 'Suka Maju = { 2026 = "≤ 16" }')
    )
    found = errors(folder)
    assert [d["message"] for d in found] == [
        "this is not valid TOML: a key must be followed by '='"
    ]
    assert found[0]["suggestion"] == (
        "a name with spaces or letters other than a–z, 0–9, _ and - must be in quotes:"
        ' "Suka Maju" = …'
    )


def test_the_numbers_of_the_office_are_unchanged(tmp_path: Path) -> None:
    """The fixes refuse mistakes only: the office as shipped gives its numbers."""
    status, text = run(
        "eval", str(DINKES), "--data", str(DATA), "--period", "2026", "--format", "json"
    )
    assert status == 0, text
    rows = {row["id"]: row for row in json.loads(text, parse_float=Decimal) if not row["region"]}
    assert rows["kelas-ibu-hamil"]["value"] == 440
    assert rows["cbr"]["value"] == Decimal("14.000")


# -- files


def test_a_save_cut_short_leaves_no_second_definition(tmp_path: Path) -> None:
    # A save killed mid-write leaves its hidden temporary file (iku_rules.atomic) beside the
    # file it was replacing: read as a definition, every id in it was "used twice".
    folder = office(tmp_path)
    (folder / ".cascade.1a2b3c4d.tmp.toml").write_text(
        (folder / "cascade.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / ".hidden").mkdir()
    shutil.copy(folder / "cascade.toml", folder / ".hidden" / "cascade.toml")
    assert errors(folder) == []
    status, _text = run("eval", str(folder), "--data", str(DATA), "--period", "2026")
    assert status == 0


def test_a_dated_register_that_does_not_say_how_it_counts_in_time_is_warned_of(
    tmp_path: Path,
) -> None:
    # Without time = "flow" the balita measured in 2025 count in 2026 too (rows dated up to
    # the period's end): stunting 2026 read 42.86 where the rounds of 2026 give 33.33.
    folder = office(
        tmp_path, ("data.toml", 'path = "balita.csv"\ntime = "flow"\n', 'path = "balita.csv"\n')
    )
    found = [d for d in diagnostics(folder) if d["code"] == "time-unstated"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert found[0]["message"].startswith(
        "source 'balita' has a date_column but does not say how its rows count in time"
    )
    assert (found[0]["line"], found[0]["column"]) == (
        line_of(folder, "data.toml", 'id = "balita"')[0],
        1,
    )
    assert not [
        d for d in diagnostics(office(tmp_path / "as-shipped")) if d["code"] == "time-unstated"
    ]
