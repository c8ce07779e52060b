"""What the commands of ``iku`` share: the usage error, the parser class, the options
of the commands that read data, and opening a definitions folder or an engine."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from iku_rules.i18n import _, ngettext, normalize
from iku_rules.loader import load
from iku_rules.model import Definitions
from iku_rules.shipped import shipped, shipped_names
from iku_rules.sources import BACKEND_NAMES

if TYPE_CHECKING:
    from iku_rules.engine import Engine

DEFAULT_DATA = "sample-data"


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
        "--data", default=DEFAULT_DATA, help="the data folder (default: ./sample-data)"
    )
    command.add_argument(
        "--backend",
        choices=list(BACKEND_NAMES),
        default=None,
        help="the engine that runs the aggregates (default: duckdb; postgresql with a"
        " PostgreSQL --source)",
    )
    command.add_argument(
        "--source",
        metavar="URL",
        default=None,
        help="where an engine of the office's own is: postgresql://user@host:port/database"
        " (the password from PGPASSWORD or ~/.pgpass, never the URL), or for --backend spark"
        " a Spark master (default local[2])",
    )
    command.add_argument(
        "--spark-catalog",
        action="store_true",
        help="with --backend spark: read each source from the table of its name in the"
        " Spark catalog rather than from the data folder",
    )
    command.add_argument(
        "--allow-outside-data",
        action="store_true",
        help="let a source's path lead out of the data folder (refused by default)",
    )


def open_engine(args: argparse.Namespace) -> Engine:
    # Loaded here, not above: iku check, list and formula start without the engine.
    from iku_rules.engine import DefinitionError, Engine
    from iku_rules.sources.connect import SparkTarget, target

    definitions = load_folder(args.dir)
    if not definitions.ok:
        raise DefinitionError(definitions)
    connect: Any = args.source
    if args.spark_catalog:
        if args.backend != "spark":
            raise UsageError("--spark-catalog goes with --backend spark")
        connect = SparkTarget(master=args.source or SparkTarget().master, catalog=True)
    backend, _ = target(args.backend, connect, definitions.files)
    data: Path | None = Path(args.data)
    if backend == "postgresql" and args.data == DEFAULT_DATA and not Path(args.data).is_dir():
        data = None  # the database holds the data: no folder is needed
    elif not Path(args.data).is_dir():
        raise UsageError(
            f"no data folder '{args.data}'; give --data DIR, or make sample data first: iku sample-data {args.data}"
        )
    return Engine(
        definitions,
        data,
        backend=backend,
        allow_outside_data=args.allow_outside_data,
        connect=connect,
    )


def load_folder(directory: str) -> Definitions:
    """The definitions in ``directory``: a folder or one .toml file, or else the name of a
    shipped office (``dinsos-pandeglang``), so that commands work from any folder."""
    path = Path(directory)
    if not path.exists():
        path = shipped(directory) or path
    if not path.exists():
        names = ", ".join(shipped_names())
        raise UsageError(
            f"no such folder: {directory}"
            + (f" (nor a shipped office: {names}; see iku definitions list)" if names else "")
        )
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
