"""``iku sample-data``: deterministic sample data for a definitions folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from iku_rules.cli.common import UsageError, load_folder
from iku_rules.loader import load


def add_commands(commands: Any) -> None:
    sample = commands.add_parser(
        "sample-data",
        help="write realistic sample data for the shipped Pandeglang definitions",
        description="Write deterministic sample data (CSV files and one Excel workbook) for a definitions folder.",
    )
    sample.add_argument("out", help="the folder to write into (created if missing)")
    sample.add_argument(
        "--definitions",
        default=None,
        help="the definitions folder (default: the shipped Pandeglang one)",
    )
    sample.add_argument(
        "--people", type=int, default=5000, help="rows of the PMKS register (default 5000)"
    )
    sample.add_argument("--seed", type=int, default=2026, help="the random seed (default 2026)")
    sample.add_argument(
        "--through", default="2026-TW3", help="the last triwulan with data (default 2026-TW3)"
    )
    sample.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty, replacing the files of the same names",
    )
    sample.set_defaults(run=sample_data)


def shipped_definitions() -> Path:
    """The Pandeglang definitions beside the package (a source checkout) or in the current folder."""
    for candidate in (
        Path(__file__).resolve().parents[2] / "definitions" / "dinsos-pandeglang",
        Path("definitions") / "dinsos-pandeglang",
    ):
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "cannot find definitions/dinsos-pandeglang; name the folder with --definitions"
    )


def sample_data(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.sample import generate

    if args.people < 0:
        raise UsageError("--people must be 0 or more")
    definitions = load_folder(args.definitions) if args.definitions else load(shipped_definitions())
    if not definitions.ok:
        from iku_rules.engine import DefinitionError

        raise DefinitionError(definitions)
    target = Path(args.out)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{args.out} exists and is not a folder")
    if target.is_dir() and not args.force and any(target.iterdir()):
        raise UsageError(
            f"{args.out} is not empty, and sample data would replace the files of the same"
            " names in it; choose an empty or new folder, or add --force to replace them"
        )
    written = generate(
        definitions, target, people=args.people, seed=args.seed, through=args.through
    )
    for source_id, rows in written.items():
        out.write(f"{source_id}: {rows} rows\n")
    out.write(
        f"wrote sample data for {definitions.office.name if definitions.office else 'the office'} to {target}\n"
    )
    return 0
