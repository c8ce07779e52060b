"""Safety limits: hostile or mistaken input ends in a clear IkuError, quickly.

"Quickly" is measured in steps, not seconds, so that no test can flake on a busy
machine: :func:`steps` counts the Python and C function calls an action makes (with
``sys.setprofile``), and each test bounds that count.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, office

from iku_rules import IkuError, LimitError, evaluate, load, parse
from iku_rules.engine import Engine
from iku_rules.parser import MAX_LENGTH, MAX_NODES
from iku_rules.sources.cells import DataError
from iku_rules.sources.reader import outside_data

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def steps(action: Callable[[], Any]) -> tuple[object, int]:
    """What ``action`` returned or raised, and how many function calls it made."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        outcome: object = action()
    except Exception as error:  # the outcome is what the test looks at
        outcome = error
    finally:
        sys.setprofile(None)
    return outcome, count


def test_steps_counts_work() -> None:
    def twice(n: int) -> int:
        return 2 * n

    assert steps(lambda: [twice(i) for i in range(1000)])[1] >= 1000


def test_a_formula_too_long_is_refused_before_parsing() -> None:
    text = "a + " * (MAX_LENGTH // 4 + 1) + "a"
    with contextlib.suppress(LimitError):  # the message's catalog loaded, as by any message
        parse(text)
    outcome, count = steps(lambda: parse(text))
    assert isinstance(outcome, LimitError) and "characters long" in str(outcome)
    assert count < 100


@pytest.mark.parametrize(
    ("opening", "closing"), [("-", ""), ("abs(", ")"), ("not ", " = 1"), ("min(a, ", ")")]
)
def test_nesting_too_deep_is_refused(opening: str, closing: str) -> None:
    text = opening * 5000 + "a" + closing * (5000 if closing == ")" else 1)
    outcome, count = steps(lambda: parse(text))
    assert isinstance(outcome, LimitError) and "deep" in str(outcome)
    assert count < 200 * len(text)  # linear in the text, whatever the nesting


def test_parentheses_alone_do_not_nest() -> None:
    text = "(" * 5000 + "a" + ")" * 5000
    outcome, count = steps(lambda: parse(text))
    assert str(outcome) == "a"
    assert count < 200 * len(text)


def test_too_many_values_and_operations_are_refused() -> None:
    text = " + ".join(["a"] * (MAX_NODES + 1))
    assert len(text) < MAX_LENGTH  # refused for its size, not its length
    outcome, count = steps(lambda: parse(text))
    assert isinstance(outcome, LimitError) and "more than 10,000 values and operations" in str(
        outcome
    )
    assert count < 200 * len(text)
    assert len(parse(" + ".join(["a"] * (MAX_NODES - 1))).body.operands) == MAX_NODES - 1


def test_a_long_valid_chain_is_linear() -> None:
    small = steps(lambda: evaluate(" + ".join(["a"] * 500), {"a": 1}))
    large = steps(lambda: evaluate(" + ".join(["a"] * 5000), {"a": 1}))
    assert isinstance(large[0], object) and large[0].value == 5000  # type: ignore[attr-defined]
    assert large[1] < 12 * small[1]  # ten times the terms: about ten times the steps


def test_huge_values_end_in_a_reason_not_a_crash() -> None:
    huge = {"a": Decimal("1e99999"), "b": Decimal("1e-99999")}
    outcome, count = steps(lambda: evaluate(" × ".join(["a"] * 40), huge))
    assert outcome.value is None and "too large" in outcome.reason  # type: ignore[attr-defined]
    assert count < 50_000
    outcome, _ = steps(lambda: evaluate("round(a, 20)", {"a": Decimal("1e60")}))
    assert outcome.value is None and "too large to round" in outcome.reason  # type: ignore[attr-defined]


def test_a_number_written_as_an_exponent_is_not_a_number() -> None:
    outcome, count = steps(lambda: parse("1e999999999"))
    assert isinstance(outcome, IkuError) and "operator" in str(outcome)
    assert count < 50_000


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ('"' + "9" * 60 + '"', "has more than 50 digits"),
        ("1e999", "is too large"),  # TOML floats are read exactly, as Decimals
        ('"1e999999999"', "is not a number"),
    ],
)
def test_numbers_too_large_in_the_definitions(tmp_path: Path, target: str, message: str) -> None:
    folder = office(tmp_path)
    edit(folder, 'targets = { 2026 = "40" }', f"targets = {{ 2026 = {target} }}")
    outcome, count = steps(lambda: load(folder))
    errors = outcome.errors  # type: ignore[attr-defined]
    assert len(errors) == 1 and message in errors[0].message
    assert errors[0].location.line is not None
    assert count < 2_000_000


@pytest.mark.parametrize("value", ["9" * 60, "1e999999999", "-" + "1" * 55 + ".5"])
def test_numbers_too_large_in_the_data(tmp_path: Path, value: str) -> None:
    folder = office(tmp_path)
    path = folder / "realisasi.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].split(",")
    first[header.split(",").index("nilai")] = value
    path.write_text("\n".join([header, ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"realisasi\.csv.*row 2"):
        Engine(folder, folder, backend="python").evaluate("2026")


def test_too_many_measures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import iku_rules.loader

    monkeypatch.setattr(iku_rules.loader, "MAX_MEASURES", 1)
    definitions = load(office(tmp_path))
    (error,) = [d for d in definitions.errors if d.code == "limit"]
    assert error.message == (
        "the definitions have 2 measures; at most 1 are allowed (the rest were not read)"
    )
    assert len(definitions.measures) == 1


@pytest.mark.parametrize(
    ("path", "outside"),
    [
        ("realisasi.csv", False),
        ("tahun/2026/realisasi.csv", False),
        ("tahun/../realisasi.csv", False),
        ("../realisasi.csv", True),
        ("../../etc/passwd", True),
        ("tahun/../../x.csv", True),
        ("/etc/passwd", True),
        ("C:/data/x.csv", True),
        ("..\\x.csv", True),
    ],
)
def test_paths_outside_the_data_folder(path: str, outside: bool) -> None:
    assert outside_data(path) is outside


def realisasi_outside(tmp_path: Path) -> tuple[Path, Path]:
    """An office (definitions folder, data folder) whose realisasi file lies beside the
    data folder, named by the definitions as ``../shared-realisasi.csv``."""
    folder = office(tmp_path)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    shutil.move(data / "realisasi.csv", tmp_path / "shared-realisasi.csv")
    edit(folder, 'path = "realisasi.csv"', 'path = "../shared-realisasi.csv"')
    return folder, data


@pytest.mark.parametrize("backend", ["python", "duckdb", "sqlite"])
def test_a_definition_cannot_make_the_engine_read_outside_the_data_folder(
    tmp_path: Path, backend: str
) -> None:
    folder, data = realisasi_outside(tmp_path)
    definitions = load(folder)
    (warning,) = [d for d in definitions.warnings if d.code == "outside-data"]
    assert "leads outside the data folder" in warning.message
    with pytest.raises(DataError, match="outside the data folder"):
        Engine(definitions, data, backend=backend).evaluate("2026")


@pytest.mark.parametrize("backend", ["python", "duckdb", "sqlite"])
def test_reading_outside_the_data_folder_when_allowed_explicitly(
    tmp_path: Path, backend: str
) -> None:
    folder, data = realisasi_outside(tmp_path)
    inside = Engine(MINI, MINI, backend=backend).evaluate("2026")
    outside = Engine(folder, data, backend=backend, allow_outside_data=True).evaluate("2026")
    assert outside.get("alat-bantu-orang").value == inside.get("alat-bantu-orang").value
    assert outside.get("alat-bantu-orang").value is not None


def test_the_command_line_refuses_and_allows_data_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from iku_rules.cli import main

    folder, data = realisasi_outside(tmp_path)
    command = ["eval", str(folder), "--period", "2026", "--data", str(data), "--format", "json"]
    assert main(command, out=io.StringIO()) != 0
    assert "--allow-outside-data" in capsys.readouterr().err
    out = io.StringIO()
    assert main([*command, "--allow-outside-data"], out=out) == 0
    assert '"id": "alat-bantu-orang"' in out.getvalue()


# -- limits that hold in bounded time


def many_indicators(folder: Path, count: int, formula: str = "a + b") -> Path:
    """A definitions folder of one visi with ``count`` indicators (the parameters a and b)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [
        '#:schema x\n[office]\nid = "x"\nname = "X"\nplan_start = 2025\nplan_end = 2027\n',
        '[[parameter]]\nname = "a"\nvalue = 1\n[[parameter]]\nname = "b"\nvalue = 2\n',
        '[[visi]]\nid = "v"\nname = "V"\n',
    ]
    parts += [
        f'  [[visi.indikator]]\n  id = "i{index}"\n  name = "I"\n  unit = "Jumlah"\n'
        f'  formula = "{formula}"\n'
        for index in range(count)
    ]
    (folder / "definitions.toml").write_text("".join(parts), encoding="utf-8")
    return folder


def test_a_hundred_thousand_indicators_stop_at_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = many_indicators(tmp_path / "many", 100_000)
    from helpers import run

    status, out = run("check", str(folder))
    assert status == 1
    assert out.splitlines() == [
        f"{folder}: error: the definitions have 100000 indicators; at most 50000 are allowed",
        "1 error, 0 warnings in 1 file",
    ]


def test_the_indicator_limit_is_checked_before_the_work_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the limit, loading costs what reading the TOML costs, and no more."""
    import tomllib

    import iku_rules.loader

    monkeypatch.setattr(iku_rules.loader, "MAX_INDICATORS", 500)
    folder = many_indicators(tmp_path / "many", 2_000)
    text = (folder / "definitions.toml").read_text(encoding="utf-8")
    outcome, count = steps(lambda: load(folder))
    assert [d.message for d in outcome.errors] == [  # type: ignore[attr-defined]
        "the definitions have 2000 indicators; at most 500 are allowed"
    ]
    _, parsing = steps(lambda: tomllib.loads(text))
    assert count < parsing * 1.2 + 10_000


def test_checking_grows_linearly_with_the_indicators(tmp_path: Path) -> None:
    """Four times the indicators, about four times the work (not sixteen)."""
    _, small = steps(lambda: load(many_indicators(tmp_path / "small", 250)))
    _, large = steps(lambda: load(many_indicators(tmp_path / "large", 1_000)))
    assert large < 5 * small


def test_positions_are_found_without_counting_lines_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every position in a file comes from its lines found once (a scan from the file's
    start for each formula made 100,000 indicators take minutes)."""
    import iku_rules.source

    def scan(text: str, offset: int) -> tuple[int, int]:
        raise AssertionError("a position found by scanning the text from its start")

    import iku_rules.loader

    monkeypatch.setattr(iku_rules.source, "line_column", scan)
    monkeypatch.setattr(iku_rules.loader, "line_column", scan, raising=False)
    folder = office(tmp_path)
    edit(folder, 'formula = "Σ PMKS tertangani / Σ PMKS × 100%"', 'formula = "Σ PMKS tertangan"')
    (error,) = load(folder).errors
    assert (error.location.line, error.location.column) == (32, 16)


def test_misspelled_names_among_many_cost_a_bounded_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each unknown name is compared with every known one for a suggestion; past the
    folder's budget for that, mistakes are reported without one, and the work stays
    linear in the number of mistakes."""
    import iku_rules.loader

    monkeypatch.setattr(iku_rules.loader, "MAX_SUGGESTION_WORK", 20_000)
    small_outcome, small = steps(lambda: load(many_indicators(tmp_path / "s", 300, "c + d")))
    large_outcome, large = steps(lambda: load(many_indicators(tmp_path / "l", 1_200, "c + d")))
    errors = large_outcome.errors  # type: ignore[attr-defined]
    assert len(errors) == 1_200 and all("unknown name 'c'" in e.message for e in errors)
    assert len(small_outcome.errors) == 300  # type: ignore[attr-defined]
    assert large < 5 * small


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a = " + "[" * 1000 + "]" * 1000, 1, 37),
        ("a = " + "{ b = " * 1000 + "1" + " }" * 1000, 1, 197),
        ("[office]\nx = " + "[" * 100_000 + "]" * 100_000, 2, 37),
        ("x" + ".x" * 20_000 + " = 1", 1, 1),
        ("[" + ".".join(["t"] * 5_000) + "]\na = 1", 1, 2),
    ],
)
def test_toml_nested_too_deeply_is_a_diagnostic_with_its_place(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    (tmp_path / "deep.toml").write_text(text + "\n", encoding="utf-8")
    outcome, count = steps(lambda: load(tmp_path))
    (error,) = outcome.errors  # type: ignore[attr-defined]
    assert error.message == (
        "values are nested more than 32 deep here (lists or tables inside one another);"
        " no definition needs that"
    )
    assert (error.location.line, error.location.column) == (line, column)
    assert count < 20 * len(text) + 50_000


def test_toml_nested_too_deeply_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to end in a RecursionError traceback."""
    from helpers import run

    (tmp_path / "deep.toml").write_text("a = " + "[" * 1000 + "]" * 1000 + "\n", "utf-8")
    status, out = run("check", str(tmp_path))
    assert status == 1 and capsys.readouterr().err == ""
    assert out.splitlines() == [
        f"{tmp_path}/deep.toml:1:37: error: values are nested more than 32 deep here (lists or"
        " tables inside one another); no definition needs that",
        "1 error, 0 warnings in 1 file",
    ]


@pytest.mark.parametrize(
    ("field", "value"), [("plan_end", "99999999"), ("plan_start", "-5"), ("baseline_year", "1")]
)
def test_plan_years_are_years(tmp_path: Path, field: str, value: str) -> None:
    from helpers import run

    folder = office(tmp_path)
    if field == "baseline_year":
        edit(folder, "plan_start = 2025", f"plan_start = 2025\n{field} = {value}")
    else:
        edit(folder, f"{field} = {2025 if field == 'plan_start' else 2027}", f"{field} = {value}")
    status, out = run("check", str(folder))
    assert status == 1
    assert f"definitions.toml:5:2: error: {field} = {value} is not a year from 1900 to 2200" in out
    status, _ = run("report", str(folder), "--data", str(folder), "--period", "2026", "-o",
                    str(tmp_path / "r.md"))  # fmt: skip
    assert status == 1 and not (tmp_path / "r.md").exists()


def test_a_target_year_out_of_range_without_a_plan(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, "plan_start = 2025\nplan_end = 2027\n", "")
    edit(folder, 'targets = { 2026 = "40" }', 'targets = { 1850 = "40" }')
    (error,) = load(folder).errors
    assert error.message == (
        "indicator 'iku-tertangani' has a target for 1850, outside the years allowed (1900–2200)"
    )


@pytest.mark.parametrize("period", ["0001", "1899", "2201-TW1", "9999-sd-TW2"])
def test_a_period_outside_the_years_is_a_clean_command_line_error(
    period: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from helpers import run

    status, out = run("eval", str(MINI), "--data", str(MINI), "--period", period)
    assert status == 1 and out == ""
    assert capsys.readouterr().err == (
        f"iku: '{period}' is not a period: its year must be from 1900 to 2200\n"
    )
