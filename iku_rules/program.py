"""The ``iku`` program itself: its console script and ``python -m iku_rules``.

The command line (:mod:`iku_rules.cli`) is loaded inside :func:`command`, not when this
module is, so that Ctrl-C while Python loads it (0.1–0.2 s: the loader, the checks and the
commands; DuckDB and sqlglot come later, inside the command, where Ctrl-C is handled too)
ends the program as Ctrl-C during a command does: one line in the language spoken and the
status 130 (128 + SIGINT), never Python's traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence

INTERRUPTED = 130
"""The exit status after Ctrl-C, as shells expect (128 + SIGINT)."""


def command() -> int:
    """Load the command line and run it (:func:`iku_rules.cli.command`); returns the exit
    status."""
    try:
        from iku_rules.cli import command as run
    except KeyboardInterrupt:
        return interrupted(sys.argv[1:])
    return run()


def interrupted(argv: Sequence[str]) -> int:
    """Say that Ctrl-C ended the program, in the language ``argv`` asks for (the
    environment's or Indonesian when it names none spoken here), and return the status to
    end it with."""
    from iku_rules.i18n import LanguageError, _, command_language, resolve_language, use_language

    try:
        language = command_language(argv)
    except LanguageError:
        language = resolve_language()
    with use_language(language):
        print("iku: " + _("interrupted"), file=sys.stderr)
    return INTERRUPTED
