"""``iku serve``: the planners' web workspace (the ``serve`` extra)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from iku_rules.cli.common import UsageError, today_option
from iku_rules.i18n import _
from iku_rules.provisional import parse_day
from iku_rules.shipped import shipped
from iku_rules.sources import EMBEDDED_BACKENDS


def add_commands(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help=_("open a web workspace over a definitions folder and its data, on this computer"),
        description=_(
            "Serve the planners' web workspace (browse, edit, evaluate, explain, reports)"
            " at a local address, printed when it is ready. Needs the serve extra:"
            " pip install 'iku-rules[serve]'."
        ),
    )
    serve.add_argument("dir", help=_("the definitions folder"))
    serve.add_argument(
        "--data", default="sample-data", help=_("the data folder (default: ./sample-data)")
    )
    serve.add_argument("--host", default="127.0.0.1", help=_("the address (default 127.0.0.1)"))
    serve.add_argument(
        "--port", type=int, default=8000, help=_("the port (default 8000; 0: any free)")
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help=_("allow an address other computers can reach (needs a password as well)"),
    )
    serve.add_argument(
        "--password-file",
        metavar="FILE",
        help=_("a file whose first line is the password (or set IKU_SERVE_PASSWORD)"),
    )
    serve.add_argument(
        "--backend",
        choices=list(EMBEDDED_BACKENDS),
        default="duckdb",
        help=_("the engine that runs the aggregates (default: duckdb)"),
    )
    today_option(serve)
    serve.set_defaults(run=serve_command)


def serve_command(args: argparse.Namespace, out: TextIO) -> int:
    # Refused as iku eval --today refuses it, before anything is started.
    day = parse_day(args.today, "--today") if args.today else None
    try:
        from iku_rules.serve import BindingRefused, serve
    except ImportError as error:
        raise UsageError(
            _(
                "the workspace needs the serve extra ({package} is not installed):"
                " pip install 'iku-rules[serve]'"
            ).format(package=error.name)
        ) from None
    if not Path(args.dir).exists() and shipped(args.dir) is not None:
        # The workspace writes the planners' edits back: never into the installed package.
        raise UsageError(
            _(
                "'{name}' is a shipped office, and the workspace writes its edits back to the"
                " definitions; copy it to a folder of your own first: iku definitions copy"
                " {name} {name}, then iku serve {name}"
            ).format(name=args.dir)
        )
    password = os.environ.get("IKU_SERVE_PASSWORD") or None
    if args.password_file:
        lines = Path(args.password_file).read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines and lines[0] else None
    try:
        serve(
            args.dir,
            args.data,
            host=args.host,
            port=args.port,
            allow_remote=args.allow_remote,
            password=password,
            backend=args.backend,
            today=day,
            out=out,
        )
    except BindingRefused as error:
        raise UsageError(str(error)) from None
    return 0
