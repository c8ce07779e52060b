"""A rule-table folder read through the Python API (``RuleTables.load``) whose file is not
UTF-8 or not valid TOML is refused with the file, the line and the column, in the words a
definitions file's are said in, never with a raw ``UnicodeDecodeError`` or tomllib's text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iku_rules.errors import IkuError
from iku_rules.i18n import use_language
from iku_rules.rules.tables import PACKAGE, RuleTables


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(PACKAGE / "rule_tables", folder)
    return folder


def _refused(folder: Path) -> str:
    with use_language("en"), pytest.raises(IkuError) as caught:
        RuleTables.load(folder)
    return str(caught.value)


def test_a_table_saved_as_ansi_is_refused_at_its_byte(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "capaian.toml"
    # a first line written in Windows-1252, where the dash is the byte 0x97
    path.write_bytes("# Tabel capaian — revisi 2026\n".encode("cp1252") + path.read_bytes())
    # '# Tabel capaian ' is 16 characters: the dash stands in column 17 of line 1
    assert _refused(folder) == (
        f"{path}:1:17: the file is not UTF-8 text: it looks saved as ANSI (Windows-1252),"
        " where the byte 0x97 is '—' (in '—'); save it as UTF-8 (in Notepad or VS Code:"
        " Save As, Encoding UTF-8)"
    )


def test_a_table_not_valid_toml_is_placed_and_explained(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    path = folder / "predikat.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbatas = 85,5\n", encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n")  # the last line
    # 'batas = 85' is 10 characters: the comma stands in column 11
    assert _refused(folder) == (
        f"{path}:{line}:11: this is not valid TOML: something follows the value on this line"
        ' that is not part of it (numbers with a decimal comma must be in quotes: "55,33")'
    )


def test_a_table_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Notepad's UTF-8 writes a byte order mark first: no part of the text
    folder = _folder(tmp_path)
    path = folder / "capaian.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert RuleTables.load(folder).decimals == RuleTables.load().decimals
