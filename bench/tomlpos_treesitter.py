r"""The baseline for tomlpos: where keys and values are written in a TOML document, found by
walking the syntax tree of tree-sitter-toml (the \`\`tree-sitter\`\` and
\`\`tree-sitter-toml\`\` wheels, installed with \`\`iku-rules[bench]\`\`).

It gives the same places as :func:`iku_rules.tomlpos.locate` on every TOML file of the
repository; \`\`bench/tomlpos_speed.py\`\` times the two and ARCHITECTURE.md says why the
project keeps its own. The walk recurses into arrays and inline tables, as tree-sitter's
trees invite.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from functools import cache

import tree_sitter
import tree_sitter_toml
from attrs import frozen

KeyPath = tuple[str | int, ...]


@frozen
class Position:
    line: int
    column: int
    offset: int


@frozen
class Located:
    key: Position
    value: Position | None = None
    value_end: Position | None = None
    string_start: Position | None = None


@cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_toml.language()))


class _Places:
    def __init__(self, text: str) -> None:
        self.data = data = text.encode("utf-8")
        self.ascii = len(data) == len(text)
        self.line_bytes = [0]
        self.line_chars = [0]
        newline = data.find(b"\n")
        while newline >= 0:
            self.line_bytes.append(newline + 1)
            newline = data.find(b"\n", newline + 1)
        if self.ascii:
            self.line_chars = self.line_bytes
        else:
            chars = 0
            for line in text.split("\n")[:-1]:
                chars += len(line) + 1
                self.line_chars.append(chars)

    def at(self, byte: int) -> Position:
        line = bisect_right(self.line_bytes, byte) - 1
        start = self.line_bytes[line]
        column = byte - start if self.ascii else len(self.data[start:byte].decode("utf-8"))
        return Position(line + 1, column + 1, self.line_chars[line] + column)


_STRINGS = {"string"}


def _key_parts(node: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node]]:
    if node.type == "dotted_key":
        parts = []
        for child in node.named_children:
            parts.extend(_key_parts(child))
        return parts
    raw = node.text.decode("utf-8")
    if node.type == "bare_key":
        return [(raw, node)]
    # quoted_key: let tomllib decode the escapes
    (name,) = tomllib.loads(f"{raw} = 0")
    return [(name, node)]


class _Walk:
    def __init__(self, text: str) -> None:
        self.places = _Places(text)
        self.found: dict[KeyPath, Located] = {}
        self.implied: set[KeyPath] = set()
        self.table_arrays: dict[KeyPath, int] = {}

    def record(self, path: KeyPath, located: Located, *, implied: bool = False) -> bool:
        if path in self.found and (implied or path not in self.implied):
            return False
        self.found[path] = located
        if implied:
            self.implied.add(path)
        else:
            self.implied.discard(path)
        return True

    def document(self, root: tree_sitter.Node) -> dict[KeyPath, Located]:
        for child in root.named_children:
            if child.type == "pair":
                self.pair(child, ())
            elif child.type in ("table", "table_array_element"):
                path = self.header(child)
                for item in child.named_children[1:]:
                    if item.type == "pair":
                        self.pair(item, path)
        return self.found

    def header(self, node: tree_sitter.Node) -> KeyPath:
        array = node.type == "table_array_element"
        parts = _key_parts(node.named_children[0])
        path: KeyPath = ()
        at = self.places.at
        for name, key in parts[:-1]:
            path += (name,)
            self.record(path, Located(at(key.start_byte)), implied=True)
            count = self.table_arrays.get(path)
            if count:
                path += (count - 1,)
        name, key = parts[-1]
        path += (name,)
        here = Located(at(key.start_byte))
        if array:
            index = self.table_arrays.get(path, 0)
            self.table_arrays[path] = index + 1
            self.record(path, here)
            path += (index,)
        self.record(path, here)
        return path

    def pair(self, node: tree_sitter.Node, table: KeyPath) -> None:
        named = [child for child in node.named_children if child.type != "comment"]
        key_node, value = named[0], named[-1]
        parts = _key_parts(key_node)
        path = table
        for name, key in parts[:-1]:
            path += (name,)
            self.record(path, Located(self.places.at(key.start_byte)), implied=True)
        name, key = parts[-1]
        self.value((*path, name), self.places.at(key.start_byte), value)

    def value(self, path: KeyPath, key: Position, node: tree_sitter.Node) -> None:
        at = self.places.at
        here = at(node.start_byte)
        if node.type in ("array", "inline_table"):
            stored = self.record(path, Located(key, here))
            if node.type == "array":
                for index, element in enumerate(
                    c for c in node.named_children if c.type != "comment"
                ):
                    self.value((*path, index), at(element.start_byte), element)
            else:
                for pair in node.named_children:
                    if pair.type == "pair":
                        self.pair(pair, path)
            if stored:
                self.found[path] = Located(key, here, at(node.end_byte))
            return
        string_start = None
        if node.type == "string":
            raw = self.places.data[node.start_byte : node.start_byte + 3]
            if raw not in (b'"""', b"'''"):
                string_start = at(node.start_byte + 1)
        self.record(path, Located(key, here, at(node.end_byte), string_start))


def locate(text: str) -> dict[KeyPath, Located]:
    tree = _parser().parse(text.encode("utf-8"))
    if tree.root_node.has_error:
        raise ValueError("not TOML")
    return _Walk(text).document(tree.root_node)
