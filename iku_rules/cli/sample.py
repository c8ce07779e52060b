"""``iku sample-data``: deterministic sample data for a definitions folder."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from iku_rules.cli.common import UsageError, load_folder
from iku_rules.i18n import _, ngettext
from iku_rules.shipped import DEFAULT_OFFICE


def add_commands(commands: Any) -> None:
    sample = commands.add_parser(
        "sample-data",
        help=_("write realistic sample data for the shipped Pandeglang definitions"),
        description=_(
            "Write deterministic sample data (CSV files and one Excel workbook) for a"
            " definitions folder."
        ),
    )
    sample.add_argument("out", help=_("the folder to write into (created if missing)"))
    sample.add_argument(
        "--definitions",
        default=None,
        help=_(
            "the definitions folder, or a shipped office's name (default: the shipped {office})"
        ).format(office=DEFAULT_OFFICE),
    )
    sample.add_argument(
        "--people", type=int, default=5000, help=_("rows of the PMKS register (default 5000)")
    )
    sample.add_argument("--seed", type=int, default=2026, help=_("the random seed (default 2026)"))
    sample.add_argument(
        "--through", default="2026-TW3", help=_("the last triwulan with data (default 2026-TW3)")
    )
    sample.add_argument(
        "--progress",
        action="store_true",
        help=_(
            "show what is being drawn on standard error (shown anyway on a terminal when it"
            " takes long)"
        ),
    )
    sample.add_argument(
        "--force",
        action="store_true",
        help=_("write into a folder that is not empty, replacing the files of the same names"),
    )
    sample.set_defaults(run=sample_data)


class ProgressLine:
    """One line on ``stream``, rewritten as the work goes on: always with ``--progress``,
    on a terminal only once the work has taken a while, otherwise never."""

    AFTER = 1.0
    """Seconds before a terminal sees the line without --progress."""

    EVERY = 0.2
    """Seconds at least between two rewrites of the line."""

    def __init__(self, stream: TextIO, *, always: bool) -> None:
        self.stream = stream
        self.always = always
        self.wanted = always or stream.isatty()
        self.started = time.monotonic()
        self.shown = 0.0
        self.width = 0

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        if not self.always and (now - self.started < self.AFTER or now - self.shown < self.EVERY):
            return
        self.shown = now
        line = f"iku sample-data: {text}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()


def sample_data(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.sample import generate

    if args.people < 0:
        raise UsageError(_("--people must be 0 or more"))
    definitions = load_folder(args.definitions or DEFAULT_OFFICE)
    if not definitions.ok:
        from iku_rules.engine import DefinitionError

        raise DefinitionError(definitions)
    target = Path(args.out)
    if target.exists() and not target.is_dir():
        raise UsageError(_("{path} exists and is not a folder").format(path=args.out))
    if target.is_dir() and not args.force and any(target.iterdir()):
        raise UsageError(
            _(
                "{path} is not empty, and sample data would replace the files of the same"
                " names in it; choose an empty or new folder, or add --force to replace them"
            ).format(path=args.out)
        )
    progress = ProgressLine(sys.stderr, always=args.progress)
    try:
        written = generate(
            definitions,
            target,
            people=args.people,
            seed=args.seed,
            through=args.through,
            progress=progress if progress.wanted else None,
        )
    finally:
        progress.close()
    for source_id, rows in written.items():
        out.write(
            ngettext("{source}: {count} row", "{source}: {count} rows", rows).format(
                source=source_id, count=rows
            )
            + "\n"
        )
    if definitions.office is not None:
        done = _("wrote sample data for {office} to {path}").format(
            office=definitions.office.name, path=target
        )
    else:
        done = _("wrote sample data for the office to {path}").format(path=target)
    out.write(done + "\n")
    return 0
