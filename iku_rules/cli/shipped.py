"""``iku definitions list`` and ``iku definitions copy``: the offices shipped with the package."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any, TextIO

from iku_rules.cli.common import UsageError
from iku_rules.i18n import _
from iku_rules.shipped import schema_path, shipped, shipped_names


def add_commands(commands: Any) -> None:
    """Add ``definitions`` (with ``list`` and ``copy``) to the subcommands ``commands``."""
    group = commands.add_parser(
        "definitions",
        help=_("list the offices shipped with iku-rules, or copy one to edit"),
        description=_(
            "The definitions shipped with iku-rules. Any command that takes a definitions"
            " folder also takes a shipped office's name (iku eval dinsos-pandeglang …)"
            " when no folder of that name is in the current folder."
        ),
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", parser_class=type(group))
    listing = actions.add_parser("list", help=_("the shipped offices, one a line"))
    listing.set_defaults(run=list_offices)
    copy = actions.add_parser(
        "copy",
        help=_("copy a shipped office's folder, to edit it as your own"),
        description=_("Copy a shipped office's definitions into a new or empty folder."),
    )
    copy.add_argument("name", help=_("the shipped office (see iku definitions list)"))
    copy.add_argument("out", help=_("the folder to copy into (created if missing; must be empty)"))
    copy.set_defaults(run=copy_office)
    group.set_defaults(run=_usage(group))


def _usage(group: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace, out: TextIO) -> int:
        group.print_help(out)
        return 2

    return run


def list_offices(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.loader import load

    names = shipped_names()
    if not names:
        raise UsageError(_("this installation of iku-rules carries no shipped definitions"))
    for name in names:
        folder = shipped(name)
        assert folder is not None
        definitions = load(folder)
        title = definitions.office.name if definitions.office is not None else ""
        out.write(f"{name}\t{title}\t{folder}\n")
    return 0


def _unknown(name: str) -> UsageError:
    names = ", ".join(shipped_names())
    if not names:
        return UsageError(_("no shipped office named '{name}' (none is shipped)").format(name=name))
    return UsageError(
        _("no shipped office named '{name}' (shipped: {names})").format(name=name, names=names)
    )


def copy_office(args: argparse.Namespace, out: TextIO) -> int:
    source = shipped(args.name)
    if source is None:
        raise _unknown(args.name)
    target = Path(args.out)
    if target.exists() and not target.is_dir():
        raise UsageError(_("{path} exists and is not a folder").format(path=args.out))
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(
            _("{path} is not empty; choose an empty or new folder").format(path=args.out)
        )
    shutil.copytree(source, target, dirs_exist_ok=True)
    schema = schema_path()
    for path in sorted(target.rglob("*.toml")):
        _point_at_schema(path, schema)
    out.write(
        _("copied {name} to {path}; check it with: iku check {path}").format(
            name=args.name, path=target
        )
        + "\n"
    )
    return 0


def _point_at_schema(path: Path, schema: Path) -> None:
    """Make the file's ``#:schema`` line name the installed schema, so that an editor
    still checks the copy as the planner types (the shipped line is relative to the
    shipped folder)."""
    text = path.read_text(encoding="utf-8")
    first, newline, rest = text.partition("\n")
    if not first.startswith("#:schema "):
        return
    relative = os.path.relpath(schema, path.parent)
    path.write_text(f"#:schema {Path(relative).as_posix()}{newline}{rest}", encoding="utf-8")
