"""What the commands of ``iku`` share: the usage error, the parser class, the options
of the commands that read data, and opening a definitions folder or an engine."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from iku_rules.engine import BACKEND_NAMES, DefinitionError, Engine
from iku_rules.i18n import _, ngettext, normalize
from iku_rules.loader import load
from iku_rules.model import Definitions


class UsageError(Exception):
    """A wrong argument or path: reported in one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def data_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--period", required=True, help="2026, 2026-TW1 … 2026-TW4, or 2026-sd-TW3 (year to date)"
    )
    command.add_argument(
        "--data", default="sample-data", help="the data folder (default: ./sample-data)"
    )
    command.add_argument(
        "--backend",
        choices=list(BACKEND_NAMES),
        default="duckdb",
        help="the engine that runs the aggregates",
    )
    command.add_argument(
        "--allow-outside-data",
        action="store_true",
        help="let a source's path lead out of the data folder (refused by default)",
    )


def open_engine(args: argparse.Namespace) -> Engine:
    definitions = load_folder(args.dir)
    if not definitions.ok:
        raise DefinitionError(definitions)
    data = Path(args.data)
    if not data.is_dir():
        raise UsageError(
            f"no data folder '{args.data}'; give --data DIR, or make sample data first: iku sample-data {args.data}"
        )
    return Engine(
        definitions, data, backend=args.backend, allow_outside_data=args.allow_outside_data
    )


def load_folder(directory: str) -> Definitions:
    path = Path(directory)
    if not path.exists():
        raise UsageError(f"no such folder: {directory}")
    if path.is_file() and path.suffix != ".toml":
        raise UsageError(f"{directory} is not a folder of .toml definitions")
    return load(path)


def office_language(directory: str) -> str | None:
    """The ``language`` the [office] of a definitions folder (or file) declares, read before
    the folder is loaded so that its messages speak it; None when none is found or read."""
    import tomllib

    path = Path(directory)
    files = [path] if path.is_file() else sorted(path.rglob("*.toml")) if path.is_dir() else []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
            if "[office]" not in text:
                continue
            office = tomllib.loads(text).get("office")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(office, dict) and isinstance(office.get("language"), str):
            return normalize(office["language"])
    return None


def summary(definitions: Definitions) -> str:
    errors, warnings = len(definitions.errors), len(definitions.warnings)
    files = len(definitions.files)

    return _("{errors}, {warnings} in {files}").format(
        errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings),
        files=ngettext("{count} file", "{count} files", files).format(count=files),
    )
