"""Fuzz targets: damaged definitions folders and damaged data files.

Whatever the damage — a file cut short, bytes flipped, another encoding, NUL bytes, a
huge value, values of the wrong type, lists nested without end — loading definitions
gives diagnostics with their place, and evaluating gives results or a
:class:`~iku_rules.sources.reader.DataError` that names the file: never another
exception, on any backend. A fixed budget of examples (derandomized) keeps CI quick.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import duckdb
import openpyxl
from helpers import MINI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.reader import read_rows

BUDGET = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEFINITIONS = (MINI / "definitions.toml").read_bytes()
PIECES = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "Σ×–".encode(),
    b'"',
    b"'''",
    b"[[",
    b"]]",
    b"{",
    b"= ",
    b"\n[[measure]]\n",
    b"\n[[visi.indikator]]\n",
    b"a = " + b"[" * 400 + b"]" * 400 + b"\n",
    b"x" + b".x" * 300 + b" = 1\n",
    b'\nname = "' + b"y" * 100_000 + b'"\n',
    b'\nvalue = "' + b"9" * 80 + b'"\n',
    b"\nplan_end = 99999999\n",
]


ACTIONS = ("cut", "flip", "insert", "encode", "delete")
ENCODINGS = ("utf-16", "latin-1", "cp1252", "utf-8-sig")


@st.composite
def damaged_bytes(draw: st.DrawFn, original: bytes, pieces: list[bytes]) -> bytes:
    """``original`` cut, with bytes flipped, pieces put in, or another encoding.

    Every choice is drawn first, places as fractions of the length, so that what is drawn
    never depends on the bytes (Hypothesis replays draws to shrink an example)."""
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ACTIONS),
                st.floats(0, 1, exclude_max=True),
                st.integers(0, 255),
            ),
            min_size=1,
            max_size=4,
        )
    )
    data = bytearray(original)
    for action, fraction, choice in steps:
        where = int(fraction * len(data))
        if action == "cut":
            del data[where:]
        elif action == "flip" and data:
            data[where] ^= 1 << (choice % 8)
        elif action == "insert":
            data[where:where] = pieces[choice % len(pieces)]
        elif action == "delete":
            del data[where : where + 1 + choice]
        else:
            text = bytes(data).decode("utf-8", errors="replace")
            data = bytearray(text.encode(ENCODINGS[choice % len(ENCODINGS)], errors="replace"))
    return bytes(data)


@settings(BUDGET, max_examples=150)
@given(
    first=damaged_bytes(DEFINITIONS, PIECES),
    second=st.one_of(st.none(), damaged_bytes(DEFINITIONS, PIECES)),
)
def test_damaged_definitions_give_diagnostics_with_a_place(
    first: bytes, second: bytes | None
) -> None:
    with tempfile.TemporaryDirectory(prefix="iku-fuzz-") as scratch:
        folder = Path(scratch)
        (folder / "definitions.toml").write_bytes(first)
        if second is not None:
            (folder / "program").mkdir()
            (folder / "program" / "more.toml").write_bytes(second)
        files = {folder / "definitions.toml", folder / "program" / "more.toml", folder}
        definitions = load(folder)
        for diagnostic in definitions.diagnostics:
            assert diagnostic.message
            assert diagnostic.location.path in files
            if diagnostic.location.path != folder:
                assert diagnostic.location.line is not None and diagnostic.location.line >= 1
        if definitions.ok:
            from iku_rules.bounds import analyse

            analyse(definitions)


# -- data files

SOURCES = {source.id: source for source in load(MINI).sources}
CSV_PIECES = [
    b"\x00",
    b",",
    b";",
    b'"',
    b"\r",
    b"\n",
    b"\xff",
    b"2026-13-01",
    b"1.234,5",
    b"9" * 60,
    b"-",
    b"abc",
    b"=1+1",
    b"x" * 200_000,
    b"\n,,,,\n",
]


def as_format(folder: Path, source_id: str, file_format: str) -> str:
    """Write the small office's ``source_id`` table as ``file_format``; its file name."""
    source = SOURCES[source_id]
    rows = read_rows(source, MINI)
    name = f"{source_id}.{file_format}"
    if file_format == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = source_id  # type: ignore[union-attr]
        sheet.append(list(source.columns))  # type: ignore[union-attr]
        for row in rows:
            sheet.append([row[column] for column in source.columns])  # type: ignore[union-attr]
        workbook.save(folder / name)
        return name
    connection = (
        sqlite3.connect(folder / name)
        if file_format == "sqlite"
        else duckdb.connect(str(folder / name))
    )
    columns = ", ".join(f'"{column}" TEXT' for column in source.columns)
    connection.execute(f'CREATE TABLE "{source_id}" ({columns})')
    for row in rows:
        values = [None if v is None else str(v) for v in row.values()]
        marks = ", ".join("?" for _ in values)
        connection.execute(f'INSERT INTO "{source_id}" VALUES ({marks})', values)
    connection.commit()
    connection.close()
    return name


@st.composite
def damaged_data(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """A source of the small office, a format, and the bytes of its damaged file."""
    source_id = draw(st.sampled_from(sorted(SOURCES)))
    file_format = draw(st.sampled_from(["csv", "csv", "csv", "xlsx", "sqlite", "duckdb"]))
    with tempfile.TemporaryDirectory() as scratch:
        if file_format == "csv":
            original = (MINI / SOURCES[source_id].path).read_bytes()
        else:
            original = (
                Path(scratch) / as_format(Path(scratch), source_id, file_format)
            ).read_bytes()
    pieces = CSV_PIECES if file_format == "csv" else [b"\x00" * 64, b"\xff" * 16, b"SQLite"]
    return source_id, file_format, draw(damaged_bytes(original, pieces))


@BUDGET
@given(damaged=damaged_data(), backend=st.sampled_from(["duckdb", "sqlite", "python"]))
def test_damaged_data_files_give_results_or_a_data_error_with_the_file(
    damaged: tuple[str, str, bytes], backend: str
) -> None:
    source_id, file_format, data = damaged
    with tempfile.TemporaryDirectory(prefix="iku-fuzz-") as scratch:
        folder = Path(scratch)
        shutil.copytree(MINI, folder, dirs_exist_ok=True)
        name = f"{source_id}.{file_format}"
        (folder / name).write_bytes(data)
        text = (folder / "definitions.toml").read_text(encoding="utf-8")
        source = SOURCES[source_id]
        text = text.replace(
            f'id = "{source_id}"\nkind = "{source.kind}"\nformat = "csv"\npath = "{source.path}"',
            f'id = "{source_id}"\nkind = "{source.kind}"\nformat = "{file_format}"\npath = "{name}"',
        )
        (folder / "definitions.toml").write_text(text, encoding="utf-8")
        definitions = load(folder)
        assert definitions.ok, [str(d) for d in definitions.errors]
        try:
            with Engine(definitions, folder, backend=backend) as engine:
                engine.evaluate("2026", by="kecamatan")
        except DataError as error:
            assert str(error).startswith(name), str(error)
            assert error.path is not None
