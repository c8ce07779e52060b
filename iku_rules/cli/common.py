"""What the commands of ``iku`` share: the usage error, the parser class, the options
of the commands that read data, and opening a definitions folder or an engine."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from iku_rules.i18n import N_, _, ngettext, normalize
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
    """The parser of ``iku``: its usage errors raised as :class:`UsageError`, and argparse's
    own words ("usage:", "options", "the following arguments are required") in the language
    spoken, while it builds the parser, parses and formats help (see :func:`argparse_speaks`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with argparse_speaks():
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_speaks():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_speaks():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with argparse_speaks():
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_speaks():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# argparse's own messages (Python's msgids, %-formatted by argparse) and ours for them: named
# placeholders for the catalog, turned back into argparse's %-fields once translated.
_ARGPARSE: dict[str, tuple[str, dict[str, str]]] = {  # i18n: not for planners (the keys)
    "usage: ": (N_("usage: "), {}),
    "positional arguments": (N_("positional arguments"), {}),
    "options": (N_("options"), {}),
    "show this help message and exit": (N_("show this help message and exit"), {}),
    "the following arguments are required: %s": (
        N_("the following arguments are required: {arguments}"),
        {"arguments": "%s"},
    ),
    "one of the arguments %s is required": (
        N_("one of the arguments {arguments} is required"),
        {"arguments": "%s"},
    ),
    "unrecognized arguments: %s": (N_("unrecognized arguments: {arguments}"), {"arguments": "%s"}),
    "argument %(argument_name)s: %(message)s": (
        N_("argument {argument}: {problem}"),
        {"argument": "%(argument_name)s", "problem": "%(message)s"},
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": (
        N_("invalid choice: {value} (choose from {choices})"),
        {"value": "%(value)r", "choices": "%(choices)s"},
    ),
    "invalid %(type)s value: %(value)r": (
        N_("invalid {type} value: {value}"),
        {"type": "%(type)s", "value": "%(value)r"},
    ),
    "expected one argument": (N_("expected one argument"), {}),
    "expected at most one argument": (N_("expected at most one argument"), {}),
    "expected at least one argument": (N_("expected at least one argument"), {}),
    "ambiguous option: %(option)s could match %(matches)s": (
        N_("ambiguous option: {option} could match {matches}"),
        {"option": "%(option)s", "matches": "%(matches)s"},
    ),
    "not allowed with argument %s": (
        N_("not allowed with argument {argument}"),
        {"argument": "%s"},
    ),
    "ignored explicit argument %r": (N_("ignored explicit argument {value}"), {"value": "%r"}),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        N_("unknown command {command} (choose from {choices})"),
        {"command": "%(parser_name)r", "choices": "%(choices)s"},
    ),
    "%(prog)s: error: %(message)s\n": (
        N_("{program}: error: {problem}"),
        {"program": "%(prog)s", "problem": "%(message)s\n"},
    ),
}
_argparse_lock = threading.RLock()


def _argparse_gettext(message: str) -> str:
    """argparse's ``message`` in the language spoken (argparse's own text when it is not one
    of :data:`_ARGPARSE`), with argparse's %-fields where it expects them."""
    known = _ARGPARSE.get(message)
    if known is None:
        return message
    ours, fields = known
    return _(ours).replace("%", "%%").format(**fields)


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":  # i18n: not for planners (argparse's msgid)
        return ngettext("expected {count} argument", "expected {count} arguments", count).format(
            count="%s"
        )
    return singular if count == 1 else plural


@contextmanager
def argparse_speaks() -> Iterator[None]:
    """argparse's words in the language spoken, inside the block.

    argparse translates through the ``gettext`` module's global domain: it calls the names
    ``_`` and ``ngettext`` of its own module (``gettext.gettext``) when it writes a message.
    The documented way, a catalog bound as the process's global domain
    (``gettext.textdomain``), would change the domain of every other library in the process,
    needs compiled ``.mo`` files and follows only the environment, never ``--lang``. So the
    ``iku`` parser lends argparse this package's translation while it works, and gives the
    names back after; other parsers in the process are untouched outside these blocks."""
    with _argparse_lock:
        saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
        argparse._, argparse.ngettext = _argparse_gettext, _argparse_ngettext  # type: ignore[attr-defined]
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def data_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--period",
        required=True,
        help=_("2026, 2026-TW1 … 2026-TW4, or 2026-sd-TW3 (year to date)"),
    )
    command.add_argument(
        "--data", default=DEFAULT_DATA, help=_("the data folder (default: ./sample-data)")
    )
    command.add_argument(
        "--backend",
        choices=list(BACKEND_NAMES),
        default=None,
        help=_(
            "the engine that runs the aggregates (default: duckdb; postgresql with a"
            " PostgreSQL --source)"
        ),
    )
    command.add_argument(
        "--source",
        metavar="URL",
        default=None,
        help=_(
            "where an engine of the office's own is: postgresql://user@host:port/database"
            " (the password from PGPASSWORD or ~/.pgpass, never the URL), or for --backend spark"
            " a Spark master (default local[2])"
        ),
    )
    command.add_argument(
        "--spark-catalog",
        action="store_true",
        help=_(
            "with --backend spark: read each source from the table of its name in the"
            " Spark catalog rather than from the data folder"
        ),
    )
    command.add_argument(
        "--allow-outside-data",
        action="store_true",
        help=_("let a source's path lead out of the data folder (refused by default)"),
    )
    today_option(command)
    command.add_argument(
        "--no-cache",
        action="store_true",
        help=_(
            "read the definitions and validate every data file cell by cell, even those read"
            " before and unchanged since, and keep nothing (IKU_CACHE_DIR=off does the same)"
        ),
    )


def today_option(command: argparse.ArgumentParser) -> None:
    """``--today``: the day a command evaluates on (:mod:`iku_rules.provisional`), read by
    :func:`~iku_rules.provisional.parse_day` before any work."""
    command.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        default=None,
        help=_(
            "evaluate as on this day: the numbers of a period not over on it are marked"
            " provisional (default: IKU_TODAY, else today)"
        ),
    )


_owns_process = False
"""Whether the command runs in a process of its own (set by :func:`own_process`)."""


def own_process() -> None:
    """Say that the command runs in a process of its own (the ``iku`` program), not inside
    another program or a test: what it has loaded is then exempted from Python's cyclic
    garbage collector (:func:`gc.freeze`), the modules imported when :func:`load_folder`
    starts loading the definitions, and the definitions once :func:`open_engine` has the
    engine open; and the collector's youngest generation is collected after
    :data:`YOUNG_OBJECTS` new objects rather than Python's 700."""
    global _owns_process
    _owns_process = True
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def end_process(status: int) -> None:
    """End the ``iku`` program's process with ``status`` now that its command has run:
    what was registered to run at exit runs, the output is flushed, and the process ends
    without Python's own ending, which frees every object and module one by one for a
    process about to end (0.06 s after ``iku eval`` of a kabupaten's four triwulan, where
    the whole process takes about 1 s). mypy ends its processes so too.

    Returns, for Python to end the process as usual, when a thread Python would wait for
    still runs or the output cannot be flushed (a reader that went away)."""
    if any(
        thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
        for thread in threading.enumerate()
    ):
        return
    atexit._run_exitfuncs()
    atexit._clear()  # run once: not again if Python ends the process after all
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


YOUNG_OBJECTS = 100_000
"""How many new objects the ``iku`` program lets Python make before its collector looks for
cycles among them (Python's own number is 700). An evaluation makes its results, their
traces and the rows of its statements by the hundred thousand, nearly none of them in a
cycle: at 700 the kabupaten's four triwulan per kecamatan (``iku eval --period
2026-TW1..TW4 --by kecamatan``) ran some 290 young collections and 26 older ones (0.05 s);
at 100,000 the whole process took 1.00 s against 1.07 s (8 interleaved runs each) with the
same peak memory, and the province's (ten times the data) likewise. Only the ``iku``
program's own process is set so; an application that embeds the engine keeps its own
settings."""


def open_engine(args: argparse.Namespace) -> Engine:
    # Loaded here, not above: iku check, list and formula start without the engine.
    from iku_rules.engine import DefinitionError, Engine
    from iku_rules.provisional import parse_day
    from iku_rules.sources.confine import connect_ahead
    from iku_rules.sources.connect import SparkTarget, held_elsewhere, target

    day = parse_day(args.today, "--today") if args.today else None
    if args.backend in (None, "duckdb") and not args.source and not args.spark_catalog:
        connect_ahead()  # DuckDB, the default, starts its database while the definitions load
    definitions = load_folder(args.dir, kept=not args.no_cache)
    if not definitions.ok:
        raise DefinitionError(definitions)
    connect: Any = args.source
    if args.spark_catalog:
        if args.backend != "spark":
            raise UsageError(_("--spark-catalog goes with --backend spark"))
        connect = SparkTarget(master=args.source or SparkTarget().master, catalog=True)
    backend, connection = target(args.backend, connect, definitions.files)
    data: Path | None = Path(args.data)
    if (
        held_elsewhere(backend, connection)
        and args.data == DEFAULT_DATA
        and not Path(args.data).is_dir()
    ):
        data = None  # the database or the catalog holds the data: no folder is needed
    elif not Path(args.data).is_dir():
        raise UsageError(
            _(
                "no data folder '{folder}'; give --data DIR, or make sample data first:"
                " iku sample-data {folder}"
            ).format(folder=args.data)
        )
    engine = Engine(
        definitions,
        data,
        backend=backend,
        allow_outside_data=args.allow_outside_data,
        connect=connect,
        validation_cache=not args.no_cache,
        today=day,
    )
    if _owns_process:
        # The modules imported and the definitions loaded live as long as the process:
        # the collector's full passes need not walk them again and again while the
        # evaluation makes its results (0.02 s a pass over them, two or three a run).
        gc.freeze()
    return engine


def load_folder(directory: str, kept: bool = False) -> Definitions:
    """The definitions in ``directory``: a folder or one .toml file, or else the name of a
    shipped office (``dinsos-pandeglang``), so that commands work from any folder.
    ``kept``: through the user's cache folder (:mod:`iku_rules.loader.kept`)."""
    path = Path(directory)
    if not path.exists():
        path = shipped(directory) or path
    if not path.exists():
        names = ", ".join(shipped_names())
        if names:
            raise UsageError(
                _(
                    "no such folder: {folder} (nor a shipped office: {names}; see iku"
                    " definitions list)"
                ).format(folder=directory, names=names)
            )
        raise UsageError(_("no such folder: {folder}").format(folder=directory))
    if path.is_file() and path.suffix != ".toml":
        raise UsageError(
            _("{folder} is not a folder of .toml definitions").format(folder=directory)
        )
    if _owns_process:
        # The modules the command imported live as long as the process: the collector's
        # full pass while the definitions load (the grammar's tables make many objects)
        # need not walk them (0.012 s in a process that imported DuckDB and sqlglot).
        gc.freeze()
    if kept:
        from iku_rules.loader.kept import load_kept

        return load_kept(path)
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
