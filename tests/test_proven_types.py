"""Property: definitions that pass ``iku check`` run without an exception and give the same
values on every backend, whatever the data (of the declared types).

Definitions are generated as TOML — a register with columns of every type (some named
like the engine's own SQL aliases), measures and aggregates written in formulas over
random columns, filters comparing random columns with values of every kind, realisasi
and inputs with columns of any type — and loaded as a planner's would be. Those the
checks refuse are counted and left; for each one they accept, data are drawn for its
declared types (:func:`iku_rules.testing.datasets`) and every indicator is evaluated on
DuckDB, SQLite and in Python (:func:`iku_rules.testing.problems`: no exception, no value
without a reason or outside its proven bounds, no backend differing).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iku_rules.loader import load
from iku_rules.testing import as_csv, datasets, problems

TYPES = ("text", "integer", "decimal", "date")
COLUMN_NAMES = (
    "nik", "kode", "umur", "nilai", "tanggal", "kecamatan", "g", "k0", "rows", "present",
    "bad", "c0", "b1", "t0", "window_state", "m0_value", "m0_matched", "Kategori",
)  # fmt: skip
"""Column names, some of them the names the generated SQL gives its own columns."""

TEXTS = ('"Labuan"', '"a"', '"5"', '"2026-01-01"', '""', '"Anak Terlantar"')
NUMBERS = ("0", "1", "-1", "12.5", "0.000001", "1000000000000", "99999999999999999999", "60")
DATES = ('"2026-01-01"', '"2025-12-31"', '"2026-06-30"', '"2026-13-01"', '"2026-1-5"')
LITERALS = {"text": TEXTS, "integer": NUMBERS, "decimal": NUMBERS, "date": DATES}
OPERATORS = ("=", "!=", "<", "<=", ">", ">=")


@st.composite
def registers(draw: st.DrawFn) -> dict[str, str]:
    """A register's columns and their types (at least one column)."""
    names = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=1, max_size=6, unique=True))
    return {name: draw(st.sampled_from(TYPES)) for name in names}


def mostly(right: object, *others: object) -> st.SearchStrategy[object]:
    """``right`` nine times in ten, else any of ``others``."""
    return st.sampled_from([right] * 9 + list(others))


@st.composite
def literals(draw: st.DrawFn, column_type: str) -> str:
    """Mostly a value of the column's own kind; sometimes of another."""
    kind = draw(mostly(column_type, *TYPES))
    return draw(st.sampled_from(LITERALS[kind]))


@st.composite
def conditions(draw: st.DrawFn, columns: dict[str, str], depth: int = 0) -> str:
    column = draw(st.sampled_from(sorted(columns)))
    shape = draw(st.sampled_from(["compare", "compare", "in", "columns", "not", "and", "or"]))
    if depth >= 2 or shape == "compare":
        op = draw(st.sampled_from(OPERATORS))
        return f"{column} {op} {draw(literals(columns[column]))}"
    if shape == "in":
        options = draw(st.lists(literals(columns[column]), min_size=1, max_size=3))
        negated = draw(st.sampled_from(["", "not "]))
        return f"{column} {negated}in ({', '.join(options)})"
    if shape == "columns":
        other = draw(st.sampled_from(sorted(columns)))
        return f"{column} {draw(st.sampled_from(OPERATORS))} {other}"
    if shape == "not":
        return f"not ({draw(conditions(columns, depth + 1))})"
    parts = draw(st.lists(conditions(columns, depth + 1), min_size=2, max_size=3))
    return f" {shape} ".join(f"({part})" for part in parts)


def _toml_list(values: dict[str, str]) -> str:
    return "{ " + ", ".join(f'{name} = "{kind}"' for name, kind in values.items()) + " }"


@st.composite
def offices(draw: st.DrawFn) -> str:
    """The text of a definitions file: a cascade with indicators over one register, the
    realisasi and the inputs."""
    columns = draw(registers())
    dates = [name for name, kind in columns.items() if kind == "date"]
    texts = [name for name, kind in columns.items() if kind == "text"]
    register = [
        '[[source]]\nid = "reg"\nkind = "register"\nformat = "csv"\npath = "reg.csv"',
        f'time = "{draw(st.sampled_from(["state", "flow"]))}"',
        f"columns = {_toml_list(columns)}",
    ]
    if dates and draw(st.booleans()):
        register.append(f'date_column = "{draw(st.sampled_from(dates))}"')
    if texts and draw(st.booleans()):
        register.append(f'region_column = "{draw(st.sampled_from(texts))}"')
    lines = [
        '[office]\nid = "x"\nname = "Dinas X"\nplan_start = 2025\nplan_end = 2027',
        '[[visi]]\nid = "visi"\nname = "Visi"',
        '[[sub_kegiatan]]\nid = "sk"\nname = "Sub"\nparent = "visi"',
        "\n".join(register),
    ]
    indicators = []
    for index in range(draw(st.integers(1, 3))):
        aggregate = draw(st.sampled_from(["count", "count_distinct", "sum", "sum"]))
        numbers = sorted(name for name, kind in columns.items() if kind in ("integer", "decimal"))
        measure = [
            f'[[measure]]\nname = "m{index}"\nsource = "reg"\naggregate = "{aggregate}"',
            f'empty = "{draw(st.sampled_from(["zero", "not_available"]))}"',
        ]
        if aggregate != "count" or draw(st.booleans()):
            choices = (
                numbers
                if aggregate == "sum" and numbers and draw(mostly(True, False))
                else sorted(columns)
            )
            measure.append(f'column = "{draw(st.sampled_from(choices))}"')
        if draw(st.booleans()):
            measure.append(f"filter = '{draw(conditions(columns))}'")
        lines.append("\n".join(measure))
        indicators.append(f"m{index}")
    numbers = sorted(name for name, kind in columns.items() if kind in ("integer", "decimal"))
    func = draw(st.sampled_from(["Σ reg.{c}", "avg reg.{c}", "min(reg.{c})", "count reg.{c}"]))
    numeric = not func.startswith("count") and numbers and draw(mostly(True, False))
    column = draw(st.sampled_from(numbers if numeric else sorted(columns)))
    base = f"reg[{draw(conditions(columns))}]" if draw(st.booleans()) else "reg"
    indicators.append(func.replace("reg", base, 1).format(c=column))
    indicators.append(f"Σ {base}")
    cascade = [
        f'  [[visi.indikator]]\n  id = "i{index}"\n  name = "I{index}"\n  unit = "Jumlah"\n'
        f"  formula = '{formula}'\n  targets = {{ 2026 = 10 }}"
        for index, formula in enumerate(indicators)
    ]
    cascade.append(
        '  [[visi.indikator]]\n  id = "share"\n  name = "Share"\n  unit = "Persen"\n'
        '  formula = "m0 / i1 × 100%"\n  may_exceed_100 = true'
    )
    lines.insert(2, "\n".join(cascade))
    nilai = draw(mostly("decimal", *TYPES))
    lines.append(
        '[[source]]\nid = "realisasi"\nkind = "realisasi"\nformat = "csv"\npath = "r.csv"\n'
        "columns = " + _toml_list({"indikator": "text", "periode": "text", "nilai": nilai})
    )
    lines.append(
        '  [[sub_kegiatan.indikator]]\n  id = "out"\n  name = "Output"\n  unit = "Jumlah"\n'
        '  formula = "realisasi"'
    )
    tahun, value = draw(mostly("integer", *TYPES)), draw(mostly("decimal", "integer", *TYPES))
    lines.append(
        '[[source]]\nid = "inputs"\nkind = "inputs"\nformat = "csv"\npath = "inputs.csv"\n'
        "columns = " + _toml_list({"nama": "text", "tahun": tahun, "nilai": value})
    )
    lines.append('[[input]]\nname = "skor"\nunit = "Jumlah"')
    lines[2] += (
        '\n\n  [[visi.indikator]]\n  id = "pakai-skor"\n  name = "Pakai skor"\n'
        '  unit = "Jumlah"\n  formula = "skor × 2"'
    )
    return "#:schema x\n" + "\n\n".join(lines) + "\n"


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=offices(), data=st.data())
def test_what_passes_check_runs_alike_on_every_backend(text: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="iku-types-") as scratch:
        folder = Path(scratch)
        (folder / "definitions.toml").write_text(text, encoding="utf-8")
        definitions = load(folder)
        if not definitions.ok:
            event("refused by iku check")
            return
        event("accepted by iku check")
        runnable = as_csv(definitions)
        dataset = data.draw(datasets(definitions, year=2026, max_rows=12))
        dataset.write(runnable, folder / "data")
        found = problems(
            runnable,
            folder / "data",
            ["2026", "2026-TW2", "2026-sd-TW3"],
            backends=("duckdb", "sqlite", "python"),
        )
    assert not found, "\n".join(found)
