"""The field reference for planners, generated from the JSON Schema of definitions files, so
that the documentation and the schema cannot drift.

``python -m iku_rules.schema_doc`` prints it; ``-o docs/reference.md`` writes it;
``--check docs/reference.md`` exits 1 when that file differs from what the schema gives.
Every table of a definitions file gets a section with one row per field: its name, the
values it takes, whether it is required, and its description from the schema. Tables whose
fields read alike (the indicators of every level of the cascade) share one section.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iku_rules.shipped import schema_path

Schema = Mapping[str, Any]

# The reference is an English document, as the schema's descriptions are: its words are
# marked "not for planners" for the check of translations (the workspace and the CLI speak
# the planners' language; docs/reference.md is the repository's).
HEADER = (  # i18n: not for planners
    """\
# Reference: the fields of definitions files

<!-- Generated from iku_rules/schema/definitions.schema.json by
     `python -m iku_rules.schema_doc -o docs/reference.md`; do not edit by hand. -->

"""
)


def load_schema(path: Path | None = None) -> Schema:
    """The JSON Schema of definitions files (the installed one by default)."""
    data: Schema = json.loads((path or schema_path()).read_text(encoding="utf-8"))
    return data


def resolve(schema: Schema, node: Schema) -> Schema:
    """``node`` with a local ``$ref`` (``#/definitions/x``, ``#/$defs/x``) followed."""
    while "$ref" in node:
        target: Any = schema
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def value_text(schema: Schema, node: Schema) -> str:
    """What a field takes, in plain words."""
    node = resolve(schema, node)
    if "const" in node:
        return f"`{json.dumps(node['const'], ensure_ascii=False)}`"
    if "enum" in node:
        return " or ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node:
            words: list[str] = []
            for option in node[key]:
                word = value_text(schema, option)
                if word not in words:
                    words.append(word)
            return " or ".join(words)
    kind = node.get("type")
    if kind == "string":
        return "text"
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"whole number {low}–{high}"  # i18n: not for planners
        return "whole number"  # i18n: not for planners
    if kind == "number":
        return "number"
    if kind == "boolean":
        return "`true` or `false`"  # i18n: not for planners
    if kind == "array":
        items = resolve(schema, node.get("items", {}))
        if items.get("type") == "object" and "properties" in items:
            return "tables (below)"  # i18n: not for planners
        return f"list of {value_text(schema, items)}"  # i18n: not for planners
    if kind == "object":
        if "properties" in node:
            return "table (below)"  # i18n: not for planners
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return f"table of name = {value_text(schema, values)}"  # i18n: not for planners
        return "table"
    return "see the description"  # i18n: not for planners


def _description(schema: Schema, node: Schema) -> str:
    node = resolve(schema, node)
    text = str(node.get("description", "")).strip()
    values = node.get("additionalProperties")
    if isinstance(values, dict) and "description" in values:
        text += " Each value: " + str(values["description"]).strip()  # i18n: not for planners
    if "default" in node:
        text += f" Default: `{json.dumps(node['default'], ensure_ascii=False)}`."
    return " ".join(text.replace("|", "\\|").split())


def _tables(schema: Schema) -> list[tuple[str, Schema, str]]:
    """Every table of a definitions file: (its TOML header, its schema, its description)."""
    found: list[tuple[str, Schema, str]] = []

    def visit(path: str, node: Schema, array: bool, description: str) -> None:
        node = resolve(schema, node)
        header = f"[[{path}]]" if array else f"[{path}]"
        found.append((header, node, description))
        for name, field in node.get("properties", {}).items():
            field = resolve(schema, field)
            if field.get("type") == "array":
                items = resolve(schema, field.get("items", {}))
                if items.get("type") == "object" and "properties" in items:
                    text = str(items.get("description") or field.get("description", ""))
                    visit(f"{path}.{name}", items, True, text)
            elif field.get("type") == "object" and "properties" in field:
                visit(f"{path}.{name}", field, False, str(field.get("description", "")))
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            for option in (values, *values.get("oneOf", ()), *values.get("anyOf", ())):
                option = resolve(schema, option)
                if option.get("type") == "object" and "properties" in option:
                    entry = "An entry written as a table. "  # i18n: not for planners
                    text = entry + str(node.get("description", ""))
                    visit(f"{path}.<name>", option, False, text)

    for name, node in schema.get("properties", {}).items():
        node = resolve(schema, node)
        if node.get("type") == "array":
            items = resolve(schema, node.get("items", {}))
            visit(name, items, True, str(node.get("description", "")))
        else:
            visit(name, node, False, str(node.get("description", "")))
    return found


def _rows(schema: Schema, node: Schema) -> list[str]:
    required = set(node.get("required", ()))
    header = "| field | value | required | description |"  # i18n: not for planners
    rows = [header, "|---|---|---|---|"]
    values = node.get("additionalProperties")
    if not node.get("properties") and isinstance(values, dict):
        every = "Each entry of the table, as described above."  # i18n: not for planners
        text = _description(schema, values) or every
        rows.append(f"| *any name* | {value_text(schema, values)} |  | {text} |")
    for name, field in node.get("properties", {}).items():
        rows.append(
            f"| `{name}` | {value_text(schema, field)} | {'yes' if name in required else ''}"
            f" | {_description(schema, field)} |"
        )
    return rows


def _anchor(title: str) -> str:
    kept = "".join(c for c in title.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def reference(schema: Schema) -> str:
    """The Markdown reference of every table and field ``schema`` describes."""
    sections: list[tuple[list[str], str, list[str]]] = []  # headers, description, rows
    for header, node, description in _tables(schema):
        # the same fields under another name read alike: [[visi.indikator]], [[misi.indikator]]
        own = header.strip("[]").split(".")[0]
        rows = [row.replace(f"[[{own}.", "[[<table>.") for row in _rows(schema, node)]
        same = next((s for s in sections if s[2] == rows), None)
        if same is not None:
            same[0].append(header)
        else:
            sections.append(([header], description, rows))
    lines = [HEADER.rstrip("\n"), ""]
    intro = " ".join(str(schema.get("description", "")).split())
    if intro:
        lines += [intro, ""]
    lines += [  # i18n: not for planners
        "Each section is one table of a definitions file; a `[[name]]` table may appear many",
        "times. *value* says what a field takes; *required* marks the fields a table must have.",
        "",
    ]
    titles = [", ".join(f"`{h}`" for h in headers) for headers, _, _ in sections]
    lines += [f"- [{title}](#{_anchor(title)})" for title in titles]
    for title, (headers, description, rows) in zip(titles, sections, strict=True):
        own = headers[0].strip("[]").split(".")[0]
        if len(headers) == 1:
            rows = [row.replace("[[<table>.", f"[[{own}.") for row in rows]
        else:
            these = "These tables:"  # i18n: not for planners
            description = description.replace(f"[[{own}]]", these)
        lines += ["", f"## {title}", ""]
        text = " ".join(description.split())
        if text:
            lines += [text, ""]
        lines += rows
    return "\n".join(lines) + "\n"


def undescribed(schema: Schema) -> list[str]:
    """The fields of ``schema`` without a description, by their path (empty when all have)."""
    missing: list[str] = []
    for header, node, _ in _tables(schema):
        for name, field in node.get("properties", {}).items():
            if not str(resolve(schema, field).get("description", "")).strip():
                missing.append(f"{header} {name}")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(  # i18n: not for planners
        prog="python -m iku_rules.schema_doc",
        description="Write the field reference of definitions files from the JSON Schema.",
    )
    parser.add_argument(  # i18n: not for planners
        "-o", "--output", help="the Markdown file to write (default: print)"
    )
    parser.add_argument(  # i18n: not for planners
        "--check", metavar="FILE", help="exit 1 when FILE differs from the generated reference"
    )
    args = parser.parse_args(argv)
    text = reference(load_schema())
    if args.check:
        path = Path(args.check)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            print(  # i18n: not for planners
                f"{args.check} differs from the schema's reference;"
                " write it again with: python -m iku_rules.schema_doc -o " + args.check,
                file=sys.stderr,
            )
            return 1
        return 0
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
