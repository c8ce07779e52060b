"""The ``iku`` command: argument parsing, output formats and exit codes only.

Exit codes: 0 success, 1 the input has errors (a formula, a definition), 2 the
command line or a path is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TextIO

from iku_rules.errors import IkuError
from iku_rules.evaluator import evaluate
from iku_rules.trace import format_decimal


class UsageError(Exception):
    """A wrong argument or path: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _number(text: str) -> Decimal | None:
    if text.strip().lower() in ("", "none", "null", "-"):
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        hint = " (write decimals with a dot)" if "," in text else ""
        raise UsageError(f"'{text}' is not a number{hint}") from None
    if not value.is_finite():
        raise UsageError(f"'{text}' is not a finite number")
    return value


def _assignment(text: str) -> tuple[str, Any]:
    name, equals, raw = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"--set takes NAME=VALUE, not '{text}'")
    if ";" in raw:
        return name.strip(), [_number(part) for part in raw.split(";")]
    return name.strip(), _number(raw)


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
    return parser


def _formula(args: argparse.Namespace, out: TextIO) -> int:
    values = dict(_assignment(item) for item in args.set)
    result = evaluate(args.text, values)
    if args.format == "json":
        data = {
            "formula": str(result.formula),
            "value": None if result.value is None else float(result.value),
            "exact": None if result.value is None else format_decimal(result.value, exact=True),
            "unit": result.unit,
            "reason": result.reason,
            "trace": result.trace.as_dict(),
        }
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(result.explain() + "\n")
    return 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``iku`` command; returns the exit status."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(out)
            return 2
        if args.command == "formula":
            return _formula(args, out)
        raise UsageError(f"unknown command {args.command}")
    except UsageError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 2
    except IkuError as error:
        print(f"iku: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
