"""The ``iku`` command: argument parsing, output formats and exit codes only.

Exit codes: 0 success, 1 the input has errors (a formula, a definition), 2 the
command line or a path is wrong.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

from iku_rules import notation as notations
from iku_rules.engine import BACKEND_NAMES, DefinitionError, Engine
from iku_rules.errors import IkuError
from iku_rules.evaluator import evaluate
from iku_rules.listing import cascade_text, indicator_records, results_text
from iku_rules.loader import load
from iku_rules.model import Definitions, Diagnostic
from iku_rules.notation import Notation
from iku_rules.output import cell_text, json_dumps
from iku_rules.spreadsheet import safe_row
from iku_rules.trace import format_decimal

DEFAULT_DATA = "sample-data"


class UsageError(Exception):
    """A wrong argument or path: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _number(text: str, notation: Notation) -> Decimal | None:
    """A value given with --set, read like the formula's numbers (``1.234,5``, ``0.5``)."""
    if text.strip().lower() in ("", "none", "null", "-"):
        return None
    try:
        return notations.read(text, notation)
    except notations.AmbiguousNumber as error:
        raise UsageError(
            f"{error.message}; {error.fix('--notation id or --notation en')}"
        ) from None
    except notations.NumberError:
        raise UsageError(f"'{text}' is not a number") from None


def _assignment(text: str, notation: Notation) -> tuple[str, Any]:
    name, equals, raw = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--set takes NAME=VALUE, not '{text}'")
    if ";" in raw:
        return name.strip(), [_number(part, notation) for part in raw.split(";")]
    return name.strip(), _number(raw, notation)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="iku",
        description="Performance indicators (IKU) as checked, explainable rules.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    formula = commands.add_parser(
        "formula",
        help="evaluate one formula with values given on the command line, and explain it",
        description="Evaluate one formula, e.g.: iku formula 'Σ a / Σ b × 100%%' --set a=40 --set b=160",
    )
    formula.add_argument("text", help="the formula")
    formula.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value (use ; between the items of a list: a=1;2;3; leave empty for missing)",
    )
    formula.add_argument("--format", choices=["text", "json"], default="text")
    formula.add_argument(
        "--notation",
        choices=list(notations.NAMES),
        default=None,
        help="how numbers are written: id (1.234,5: '.' groups thousands) or en (1,234.5);"
        " without it, a number the two read differently (100.000) is refused",
    )

    check = commands.add_parser(
        "check",
        help="check a definitions folder and print every problem as path:line:column",
        description="Check a definitions folder; exit 0 when it has no errors, 1 otherwise.",
    )
    check.add_argument("dir", help="the definitions folder (or one .toml file)")
    check.add_argument(
        "--notes",
        action="store_true",
        help="also list each denominator that can be 0, and what the formula gives then",
    )

    listing = commands.add_parser(
        "list",
        help="list every indicator of a definitions folder",
        description="List every indicator: a tree of the cascade (text) or an array of objects (json).",
    )
    listing.add_argument("dir", help="the definitions folder")
    listing.add_argument("--format", choices=["text", "json"], default="text")

    evaluate_command = commands.add_parser(
        "eval",
        help="evaluate every indicator of the cascade for a period",
        description="Evaluate every indicator for a period, for the kabupaten and (--by) each region.",
    )
    evaluate_command.add_argument("dir", help="the definitions folder")
    _data_options(evaluate_command)
    evaluate_command.add_argument(
        "--by", metavar="REGION", help="also give one row per region, e.g. kecamatan"
    )
    evaluate_command.add_argument("--format", choices=["text", "json", "csv"], default="text")

    explain_command = commands.add_parser(
        "explain",
        help="explain how one indicator's value was reached, down to the data",
        description="Explain one indicator: its formula, the measures and rows it read, the cascade below it.",
    )
    explain_command.add_argument("dir", help="the definitions folder")
    explain_command.add_argument("id", help="the indicator's id")
    _data_options(explain_command)
    explain_command.add_argument("--region", help="explain the value of one region (with --by)")
    explain_command.add_argument(
        "--by",
        metavar="REGION",
        default=None,
        help="the kind of region (default: kecamatan when --region is given)",
    )
    explain_command.add_argument("--format", choices=["text", "json"], default="text")
    explain_command.add_argument(
        "--sql",
        action="store_true",
        help="show every statement the evaluation ran (the job's SQL, for its engine)"
        " with its bound values, instead of the explanation",
    )
    _report_options(commands)
    _sample_options(commands)
    return parser


def _report_options(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="write the LKjIP performance report (Markdown, Excel or HTML)",
        description=(
            "Write the performance report of a period: the IKU table, one table per programme, "
            "the trend over the plan years and the explanation of each IKU. "
            "Without -o the report goes to lkjip-OFFICE-PERIOD.FORMAT and an existing file is "
            "left alone; a file named with -o is replaced."
        ),
    )
    report.add_argument("dir", help="the definitions folder")
    _data_options(report)
    report.add_argument(
        "--format",
        help="md, xlsx or html (default: from the extension of -o, else md)",
    )
    report.add_argument("-o", "--output", metavar="FILE", help="the file to write (replaced)")
    report.add_argument(
        "--decimal-comma",
        action="store_true",
        help="write numbers the Indonesian way (55,73) in Markdown and HTML",
    )


def _sample_options(commands: Any) -> None:
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


def _data_options(command: argparse.ArgumentParser) -> None:
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


def _engine(args: argparse.Namespace) -> Engine:
    from iku_rules.sources.connect import SparkTarget, target

    definitions = _load(args.dir)
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


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    with _engine(args) as engine:
        evaluation = engine.evaluate(args.period, by=args.by)
    rows = evaluation.rows()
    if args.format == "json":
        out.write(json_dumps(rows) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(
            out, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(
            safe_row({key: cell_text(value) for key, value in row.items()}) for row in rows
        )  # opened in spreadsheets
    else:
        out.write(results_text(evaluation))
    return 0


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.report import (
        ReportError,
        build_report,
        format_from_path,
        report_format,
        write_report,
    )

    try:
        if args.format:
            kind = report_format(args.format)
        elif args.output:
            kind = format_from_path(args.output)
        else:
            kind = "md"
    except ReportError as error:
        raise UsageError(str(error)) from None
    with _engine(args) as engine:  # every year of the trend reuses the loaded data
        report = build_report(engine, args.period)
    if args.output:
        path, replace = Path(args.output), True
    else:
        office = report.office_id or "laporan"
        path, replace = Path(f"lkjip-{office}-{report.period}.{kind}"), False
    try:
        write_report(report, path, kind, replace=replace, decimal_comma=args.decimal_comma)
    except ReportError as error:
        raise UsageError(str(error)) from None
    out.write(f"wrote {report.title} to {path}\n")
    return 0


def _shipped_definitions() -> Path:
    """The Pandeglang definitions beside the package (a source checkout) or in the current folder."""
    for candidate in (
        Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang",
        Path("definitions") / "dinsos-pandeglang",
    ):
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "cannot find definitions/dinsos-pandeglang; name the folder with --definitions"
    )


def _sample_data(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.sample import generate

    if args.people < 0:
        raise UsageError("--people must be 0 or more")
    definitions = _load(args.definitions) if args.definitions else load(_shipped_definitions())
    if not definitions.ok:
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


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    by = args.by or ("kecamatan" if args.region else None)
    with _engine(args) as engine:
        evaluation = engine.evaluate(args.period, by=by)
    explanation = evaluation.explain(args.id, args.region)
    if args.sql:
        statements = [
            {"sql": query.sql, "params": {key: str(value) for key, value in query.params.items()}}
            for query in evaluation.queries
        ]
        if args.format == "json":
            out.write(json_dumps({"backend": evaluation.backend, "statements": statements}) + "\n")
        else:
            out.write(_statements_text(evaluation.backend, statements))
        return 0
    if args.format == "json":
        out.write(json_dumps(explanation.as_dict()) + "\n")
    else:
        out.write(explanation.text())
    return 0


def _statements_text(backend: str, statements: list[dict[str, Any]]) -> str:
    """The statements of an evaluation, each with its bound values, as ``iku explain
    --sql`` prints them."""
    lines = [f"-- {len(statements)} statement(s) run by {backend}"]
    for index, statement in enumerate(statements, 1):
        lines.append(f"-- q{index}")
        for name, value in statement["params"].items():
            lines.append(f"--   {name} = {value!r}")
        lines.append(statement["sql"] + ";")
    return "\n".join(lines) + "\n"


def _load(directory: str) -> Definitions:
    path = Path(directory)
    if not path.exists():
        raise UsageError(f"no such folder: {directory}")
    if path.is_file() and path.suffix != ".toml":
        raise UsageError(f"{directory} is not a folder of .toml definitions")
    return load(path)


def _summary(definitions: Definitions) -> str:
    errors, warnings = len(definitions.errors), len(definitions.warnings)
    files = len(definitions.files)

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.check import zero_denominator_notes

    definitions = _load(args.dir)
    shown = list(definitions.diagnostics)
    if args.notes and definitions.ok:
        shown += zero_denominator_notes(definitions)
    for diagnostic in sorted(shown, key=_diagnostic_order):
        out.write(f"{diagnostic}\n")
    out.write(_summary(definitions) + "\n")
    return 0 if definitions.ok else 1


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int, int]:
    location = diagnostic.location
    return (str(location.path), location.line or 0, location.column or 0)


def _list(args: argparse.Namespace, out: TextIO) -> int:
    definitions = _load(args.dir)
    if args.format == "json":
        out.write(json_dumps(indicator_records(definitions)) + "\n")
    else:
        out.write(cascade_text(definitions))
    if not definitions.ok:
        print(
            f"iku: {_summary(definitions)}; run 'iku check {args.dir}' to see them", file=sys.stderr
        )
        return 1
    return 0


def _formula(args: argparse.Namespace, out: TextIO) -> int:
    notation = notations.notation(args.notation)
    values = dict(_assignment(item, notation) for item in args.set)
    result = evaluate(args.text, values, notation=notation)
    if args.format == "json":
        data = {
            "formula": str(result.formula),
            "value": result.value,
            "exact": None if result.value is None else format_decimal(result.value, exact=True),
            "unit": result.unit,
            "reason": result.reason,
            "trace": result.trace.as_dict(),
        }
        out.write(json_dumps(data) + "\n")
    else:
        out.write(result.explain() + "\n")
    return 0


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
        print("iku: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _discard(out)
        return 0


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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return 2
        if args.command == "formula":
            return _formula(args, out)
        if args.command == "check":
            return _check(args, out)
        if args.command == "list":
            return _list(args, out)
        if args.command == "eval":
            return _eval(args, out)
        if args.command == "explain":
            return _explain(args, out)
        if args.command == "report":
            return _report(args, out)
        if args.command == "sample-data":
            return _sample_data(args, out)
        raise UsageError(f"unknown command {args.command}")
    except UsageError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 2
    except IkuError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise  # the reader went away: not a failure (see main)
        where = f" {error.filename}" if error.filename else ""
        print(f"iku: cannot read or write{where}: {error.strerror or error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
