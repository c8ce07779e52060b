"""The commands over definitions alone: ``iku formula``, ``iku check`` and ``iku list``."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import Any, TextIO

from iku_rules import notation as notations
from iku_rules.cli.common import UsageError, load_folder, summary
from iku_rules.evaluator import evaluate
from iku_rules.i18n import _
from iku_rules.listing import cascade_text, indicator_records
from iku_rules.model import Diagnostic
from iku_rules.notation import Notation
from iku_rules.output import json_dumps
from iku_rules.trace import format_decimal


def add_commands(commands: Any) -> None:
    """Add ``formula``, ``check`` and ``list`` to the subcommands ``commands``."""
    formula_command = commands.add_parser(
        "formula",
        help=_("evaluate one formula with values given on the command line, and explain it"),
        description=_(
            "Evaluate one formula, e.g.: iku formula 'Σ a / Σ b × 100%' --set a=40 --set b=160"
        ),
    )
    formula_command.add_argument("text", help=_("the formula"))
    formula_command.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=_("a value (use ; between the items of a list: a=1;2;3; leave empty for missing)"),
    )
    formula_command.add_argument(
        "--format", choices=["text", "json"], default="text", help=_("text, or json for programs")
    )
    formula_command.add_argument(
        "--notation",
        choices=list(notations.NAMES),
        default=None,
        help=_(
            "how numbers are written: id (1.234,5: '.' groups thousands) or en (1,234.5);"
            " without it, a number the two read differently (100.000) is refused"
        ),
    )
    formula_command.set_defaults(run=formula)

    check_command = commands.add_parser(
        "check",
        help=_("check a definitions folder and print every problem as path:line:column"),
        description=_("Check a definitions folder; exit 0 when it has no errors, 1 otherwise."),
    )
    check_command.add_argument("dir", help=_("the definitions folder (or one .toml file)"))
    check_command.add_argument(
        "--notes",
        action="store_true",
        help=_("also list each denominator that can be 0, and what the formula gives then"),
    )
    check_command.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=_("json: an object with every problem's stable code beside its translated message"),
    )
    check_command.set_defaults(run=check)

    list_command = commands.add_parser(
        "list",
        help=_("list every indicator of a definitions folder"),
        description=_(
            "List every indicator: a tree of the cascade (text) or an array of objects (json)."
        ),
    )
    list_command.add_argument("dir", help=_("the definitions folder"))
    list_command.add_argument(
        "--format", choices=["text", "json"], default="text", help=_("text, or json for programs")
    )
    list_command.set_defaults(run=listing)


def _number(text: str, notation: Notation) -> Decimal | None:
    """A value given with --set, read like the formula's numbers (``1.234,5``, ``0.5``)."""
    if text.strip().lower() in ("", "none", "null", "-"):
        return None
    try:
        return notations.read(text, notation)
    except notations.AmbiguousNumber as error:
        raise UsageError(
            _("{problem}; {fix}").format(
                problem=error.message, fix=error.fix(_("--notation id or --notation en"))
            )
        ) from None
    except notations.MisgroupedNumber as error:
        raise UsageError(
            _("{problem}; {fix}").format(problem=error.message, fix=error.hint)
        ) from None
    except notations.NumberError:
        raise UsageError(_("'{text}' is not a number").format(text=text)) from None


def _assignment(text: str, notation: Notation) -> tuple[str, Any]:
    name, equals, raw = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(_("--set takes NAME=VALUE, not '{text}'").format(text=text))
    if ";" in raw:
        return name.strip(), [_number(part, notation) for part in raw.split(";")]
    return name.strip(), _number(raw, notation)


def _assignments(items: list[str], notation: Notation) -> dict[str, Any]:
    """The values of ``--set``, each name given once (names match as the formula's do,
    ignoring case and spacing: ``a`` and ``A`` are one name)."""
    from iku_rules.ast import name_key

    values: dict[str, Any] = {}
    given: dict[str, str] = {}
    for item in items:
        name, value = _assignment(item, notation)
        first = given.setdefault(name_key(name), item)
        if first is not item:
            raise UsageError(
                _("--set gives '{name}' twice ({first} and {second}); give it once").format(
                    name=name, first=first, second=item
                )
            )
        values[name] = value
    return values


def formula(args: argparse.Namespace, out: TextIO) -> int:
    notation = notations.notation(args.notation)
    values = _assignments(args.set, notation)
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


def check(args: argparse.Namespace, out: TextIO) -> int:
    from iku_rules.check.bounds import zero_denominator_notes
    from iku_rules.check.codes import check_record

    definitions = load_folder(args.dir)
    shown = list(definitions.diagnostics)
    if args.notes and definitions.ok:
        shown += zero_denominator_notes(definitions)
    if args.format == "json":
        out.write(json_dumps(check_record(definitions, sorted(shown, key=_diagnostic_order))))
        out.write("\n")
        return 0 if definitions.ok else 1
    for diagnostic in sorted(shown, key=_diagnostic_order):
        out.write(f"{diagnostic}\n")
    out.write(summary(definitions) + "\n")
    return 0 if definitions.ok else 1


def _diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int, int]:
    location = diagnostic.location
    return (str(location.path), location.line or 0, location.column or 0)


def listing(args: argparse.Namespace, out: TextIO) -> int:
    definitions = load_folder(args.dir)
    if args.format == "json":
        out.write(json_dumps(indicator_records(definitions)) + "\n")
    else:
        out.write(cascade_text(definitions))
    if not definitions.ok:
        advice = _("{summary}; run 'iku check {folder}' to see them")
        print(
            "iku: " + advice.format(summary=summary(definitions), folder=args.dir), file=sys.stderr
        )
        return 1
    return 0
