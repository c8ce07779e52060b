"""The ``iku`` command: argument parsing, output formats and exit codes only.

Exit codes: 0 success, 1 the input has errors (a formula, a definition), 2 the
command line or a path is wrong.

Each module of this package adds its commands to the parser (``add_commands``), each
command naming the function that runs it (``run``): :mod:`.definitions` (formula, check,
list), :mod:`.data` (eval, explain, report), :mod:`.sample` (sample-data), :mod:`.shipped`
(definitions list, definitions copy) and :mod:`.serve` (serve); :mod:`.common` holds what they share.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from iku_rules.cli import common, data, definitions, sample, serve, shipped
from iku_rules.cli.common import Parser, UsageError
from iku_rules.errors import IkuError
from iku_rules.i18n import (
    LANGUAGES,
    LanguageError,
    _,
    command_language,
    environment_language,
    set_language,
)
from iku_rules.library_errors import os_reason

__all__ = ["UsageError", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="iku",
        description=_("Performance indicators (IKU) as checked, explainable rules."),
    )
    _language_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in (definitions, data, sample, shipped, serve):
        module.add_commands(commands)
    for command in commands.choices.values():
        _language_option(command, argparse.SUPPRESS)
    return parser


def _language_option(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    parser.add_argument(
        "--lang",
        metavar="LANG",
        default=default,
        help=_(
            "the language of messages and reports: {languages} (default: the LANGUAGE or LANG"
            " environment variable, else the office's language, else id)"
        ).format(languages=", ".join(LANGUAGES)),
    )


def _office_language(args: argparse.Namespace) -> str | None:
    """The office's ``language``, when no --lang nor environment chose one."""
    if getattr(args, "lang", None) is not None:
        return None
    if environment_language() is not None:
        return None  # LANGUAGE or LANG chose: the office does not decide
    folder = getattr(args, "dir", None)
    if not isinstance(folder, str):
        return None
    from iku_rules.cli.common import office_language

    return office_language(folder)


def command() -> int:
    """The ``iku`` program's command line, once :mod:`iku_rules.program` (its console
    script, ``python -m iku_rules``) has loaded it: :func:`main`
    in a process of its own, which may treat what it loads as kept until it ends
    (:func:`~iku_rules.cli.common.own_process`), and ends it once the command has run
    (:func:`~iku_rules.cli.common.end_process`)."""
    common.own_process()
    status = main()
    common.end_process(status)
    return status


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``iku`` command; returns the exit status.

    Ctrl-C ends it with one line and the status 130 (128 + SIGINT), as shells expect; a
    reader that stops reading (``iku eval … | head -1``) ends it quietly with 0, as the
    Unix tools end."""
    out = out or sys.stdout
    try:
        status = _main(argv, out)
        out.flush()  # a closed pipe is found here rather than when Python exits
        return status
    except KeyboardInterrupt:
        print("iku: " + _("interrupted"), file=sys.stderr)
        return 130
    except RuntimeError as error:
        if not _query_interrupted(error):
            raise
        print("iku: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        _discard(out)
        return 0


def _query_interrupted(error: RuntimeError) -> bool:
    """Whether ``error`` is DuckDB's word that Ctrl-C stopped its query: its Python package
    raises ``RuntimeError('Query interrupted')`` then, and the KeyboardInterrupt is spent."""
    return type(error) is RuntimeError and str(error) == _DUCKDB_INTERRUPTED


_DUCKDB_INTERRUPTED = "Query interrupted"  # i18n: not for planners (DuckDB's own words)


def _discard(out: TextIO) -> None:
    """Send what is left of ``out`` nowhere, so that Python's flush at exit does not
    complain of the closed pipe (the way the Python documentation's note on SIGPIPE
    recommends)."""
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):
        return  # not a file (a test's StringIO): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _main(argv: Sequence[str] | None, out: TextIO) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        language = command_language(argv)
    except LanguageError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 2
    previous = set_language(language)
    try:
        return _run(argv, out)
    finally:
        set_language(previous)


def _run(argv: Sequence[str], out: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return 2
        office = _office_language(args)
        if office is not None:
            set_language(office)
        status: int = args.run(args, out)
        return status
    except UsageError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 2
    except IkuError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise  # the reader went away: not a failure (see main)
        problem = os_reason(error)  # by its errno, in the planners' words
        if error.filename:
            message = _("cannot read or write {path}: {problem}").format(
                path=error.filename, problem=problem
            )
        else:
            message = _("cannot read or write: {problem}").format(problem=problem)
        print(f"iku: {message}", file=sys.stderr)
        return 2
