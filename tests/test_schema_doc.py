"""The field reference for planners is generated from the JSON Schema: every field of every
table has a description there, and the committed docs/reference.md is what it generates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from iku_rules.schema_doc import load_schema, main, reference, undescribed

REFERENCE = ROOT / "docs" / "reference.md"
SCHEMA = ROOT / "iku_rules" / "schema" / "definitions.schema.json"


def test_every_field_of_the_schema_has_a_description() -> None:
    assert undescribed(load_schema(SCHEMA)) == []


def test_a_field_without_a_description_is_found() -> None:
    schema = {
        "properties": {
            "office": {"type": "object", "properties": {"id": {"type": "string"}}},
            "source": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"kind": {"enum": ["register"], "description": "What."}},
                },
            },
        }
    }
    assert undescribed(schema) == ["[office] id"]


def test_the_committed_reference_is_the_generated_one() -> None:
    # On failure: python -m iku_rules.schema_doc -o docs/reference.md
    assert REFERENCE.read_text(encoding="utf-8") == reference(load_schema(SCHEMA))
    assert main(["--check", str(REFERENCE)]) == 0


def test_check_fails_on_a_reference_that_drifted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drifted = tmp_path / "reference.md"
    drifted.write_text(REFERENCE.read_text(encoding="utf-8").replace("`plan_end`", "`end`"))
    assert main(["--check", str(drifted)]) == 1
    assert "python -m iku_rules.schema_doc -o" in capsys.readouterr().err
    assert main(["--check", str(tmp_path / "missing.md")]) == 1


def test_every_table_and_field_is_in_the_reference() -> None:
    schema = load_schema(SCHEMA)
    text = reference(schema)
    for name, node in schema["properties"].items():
        table = node.get("items", node)
        assert f"[{name}]" in text
        for field in table.get("properties", {}):
            assert f"| `{field}` |" in text, f"{name}.{field}"
    # the fields of an indicator, with what they take and their descriptions
    assert '| `polarity` | `"positif"` or `"negatif"` |  | positif: higher is better' in text
    assert '| `kind` | `"register"` or `"realisasi"` or `"inputs"` | yes |' in text


def test_the_readme_links_the_reference() -> None:
    assert "(docs/reference.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_module_prints_and_writes_the_reference(tmp_path: Path) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "iku_rules.schema_doc"], capture_output=True, text=True, check=True
    )
    assert printed.stdout == REFERENCE.read_text(encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "iku_rules.schema_doc", "-o", str(tmp_path / "r.md")], check=True
    )
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == printed.stdout
