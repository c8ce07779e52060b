"""The commands that read the office's data: ``iku eval``, ``iku explain`` and ``iku report``."""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

from iku_rules.cli.common import UsageError, data_options, open_engine
from iku_rules.errors import IkuError
from iku_rules.i18n import _, ngettext, numbers_as
from iku_rules.listing import results_text
from iku_rules.model import Definitions
from iku_rules.output import json_dumps, write_csv, write_spreadsheet_csv
from iku_rules.regions import listed, namesakes, region_key


def add_commands(commands: Any) -> None:
    """Add ``eval``, ``explain`` and ``report`` to the subcommands ``commands``."""
    evaluate_command = commands.add_parser(
        "eval",
        help=_("evaluate every indicator of the cascade for a period"),
        description=_(
            "Evaluate every indicator for a period, for the whole area (the kabupaten or"
            " kota) and (--by) each region."
            " --period also takes a range (2026-TW1..TW4) or a list (2026-TW1,2026-TW3): each"
            " source is then read once for all the periods."
        ),
    )
    evaluate_command.add_argument("dir", help=_("the definitions folder"))
    data_options(evaluate_command)
    evaluate_command.add_argument(
        "--by", metavar="REGION", help=_("also give one row per region, e.g. kecamatan")
    )
    evaluate_command.add_argument(
        "--format",
        choices=["text", "json", "csv", "excel"],
        default="text",
        help=_(
            "text; json or csv for programs (numbers as 1234.5); excel: CSV in the office's"
            " notation for a spreadsheet (1.234,5 separated by ;)"
        ),
    )
    evaluate_command.set_defaults(run=evaluate)

    explain_command = commands.add_parser(
        "explain",
        help=_("explain how one indicator's value was reached, down to the data"),
        description=_(
            "Explain one indicator: its formula, the measures and rows it read, the cascade"
            " below it."
        ),
    )
    explain_command.add_argument("dir", help=_("the definitions folder"))
    explain_command.add_argument("id", help=_("the indicator's id"))
    data_options(explain_command)
    explain_command.add_argument("--region", help=_("explain the value of one region (with --by)"))
    explain_command.add_argument(
        "--by",
        metavar="REGION",
        default=None,
        help=_(
            "the level of the region (default: the first declared level with a region of"
            " that name, else the first declared level)"
        ),
    )
    explain_command.add_argument(
        "--format", choices=["text", "json"], default="text", help=_("text, or json for programs")
    )
    explain_command.add_argument(
        "--sql",
        action="store_true",
        help=_(
            "show every statement the evaluation ran (the job's SQL, for its engine)"
            " with its bound values, instead of the explanation"
        ),
    )
    explain_command.set_defaults(run=explain)
    _report_options(commands)


def _report_options(commands: Any) -> None:
    report_command = commands.add_parser(
        "report",
        help=_("write the LKjIP performance report (Markdown, Excel or HTML)"),
        description=_(
            "Write the performance report of a period: the IKU table, one table per programme, "
            "the trend over the plan years and the explanation of each IKU. "
            "Without -o the report goes to lkjip-OFFICE-PERIOD.FORMAT and an existing file is "
            "left alone; a file named with -o is replaced."
        ),
    )
    report_command.add_argument("dir", help=_("the definitions folder"))
    data_options(report_command)
    report_command.add_argument(
        "--format",
        help=_("md, xlsx or html (default: from the extension of -o, else md)"),
    )
    report_command.add_argument(
        "-o", "--output", metavar="FILE", help=_("the file to write (replaced)")
    )
    report_command.add_argument(
        "--decimal-comma",
        action="store_true",
        default=None,
        help=_(
            "write numbers the Indonesian way (55,73) in Markdown and HTML"
            " (default: the way of the report's language)"
        ),
    )
    report_command.set_defaults(run=report)


def evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.periods import parse_periods

    periods = parse_periods(args.period)  # one period, a range or a list
    with open_engine(args) as engine:
        if len(periods) == 1:
            evaluations = [engine.evaluate(periods[0], by=args.by)]
        else:
            evaluations = engine.evaluate_many(periods, by=args.by)
        if args.format == "text":  # its marks ask the open engine where the data end
            out.write("\n".join(results_text(evaluation) for evaluation in evaluations))
            return 0
    rows = [row for evaluation in evaluations for row in evaluation.rows()]
    fields = list(rows[0]) if rows else ["id"]  # every row has the same keys
    if args.format == "json":
        out.write(json_dumps(rows) + "\n")
    elif args.format == "excel":
        write_spreadsheet_csv(rows, out, fields)
    else:
        write_csv(rows, out, fields)  # opened in spreadsheets
    return 0


def _region_asked(definitions: Definitions, region: str, by: str | None) -> tuple[str | None, str]:
    """The level and the name of the region ``--region`` names. Without ``--by``, the level
    is the first declared level with a region of that name (a kelurahan is explained by
    kelurahan, never looked for among the kecamatan), else the first level; the name is
    the declared one it matches ignoring case and spacing (``SUKASARI  HULU``)."""
    key = region_key(region)
    levels = definitions.level_ids() if by is None else (by,)
    for level in levels:
        for known in definitions.regions_at(level):
            if region_key(known.name) == key:
                return level, known.name
    for level in levels:  # a name two declared regions share: which one is to be said
        shared = namesakes(definitions.regions).get((level, key))
        if shared:
            names = listed([found.name for found in shared.values()])
            message = _("there are {count} {level} named '{region}': say which, as {names}").format(
                count=len(shared), level=level, region=region, names=names
            )
            raise IkuError(message)
    return (levels[0] if levels else None), region


def explain(args: argparse.Namespace, out: TextIO) -> int:
    with open_engine(args) as engine:
        by, region = args.by, args.region
        if region:
            by, region = _region_asked(engine.definitions, region, by)
        evaluation = engine.evaluate(args.period, by=by)
        explanation = evaluation.explain(args.id, region)  # its breakdowns read the data
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


def report(args: argparse.Namespace, out: TextIO) -> int:
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
    # with --decimal-comma the explanations are written so as they are made, as the tables
    notation = numbers_as("id") if args.decimal_comma else nullcontext()
    with open_engine(args) as engine, notation:  # every year of the trend reuses the data
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
    out.write(_("wrote {title} to {path}").format(title=report.title, path=path) + "\n")
    return 0


def _statements_text(backend: str, statements: list[dict[str, Any]]) -> str:
    """The statements of an evaluation, each with its bound values, as ``iku explain
    --sql`` prints them."""
    count = ngettext(
        "{count} statement run by {backend}", "{count} statements run by {backend}", len(statements)
    )
    lines = ["-- " + count.format(count=len(statements), backend=backend)]
    for index, statement in enumerate(statements, 1):
        lines.append(f"-- q{index}")
        for name, value in statement["params"].items():
            lines.append(f"--   {name} = {value!r}")
        lines.append(statement["sql"] + ";")
    return "\n".join(lines) + "\n"
