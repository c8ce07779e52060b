"""The stable codes of ``iku check``'s diagnostics (one short English code per kind of
problem), and the JSON record ``iku check --format json`` prints.

A program reading ``iku check --format json`` matches a diagnostic's ``code``, never its
``message``, which is translated (and may be reworded). :data:`CODES` names every code the
loader and the checks give, with what it means; ``tests/test_check_codes.py`` fails when a
diagnostic is given a code not listed here, when a listed code is no longer given, and when
``docs/diagnostic-codes.md`` (:func:`table`) differs from this list.

>>> CODES["unknown-parent"]
'a parent names an element that does not exist'
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from iku_rules.i18n import N_, _, current_language, use_language
from iku_rules.model import Definitions, Diagnostic

CODES: dict[str, str] = {
    # reading the files
    "encoding": N_("a file is not UTF-8 text"),
    "toml-syntax": N_("a file is not valid TOML"),
    "nesting": N_("values nested deeper than any definition needs"),
    "empty": N_("the folder has no .toml files"),
    "limit": N_("more indicators or measures than allowed"),
    "schema-reference": N_("a file does not start with a '#:schema' line"),
    # the shape of the tables
    "unknown-section": N_("a section (top-level table) that does not exist"),
    "unknown-field": N_("a field the table does not have"),
    "missing-field": N_("a required field is missing"),
    "misplaced-field": N_("a field given where it does not apply"),
    "empty-field": N_("a required text field is empty"),
    "wrong-type": N_("a field's value has the wrong type (text, number, table, true/false)"),
    "unknown-choice": N_("a field's value is not one of the values it allows"),
    "shape": N_("a section written as a table instead of a list of entries, or the reverse"),
    "number": N_("a number or target that cannot be read (or reads two ways)"),
    "decimals": N_("'decimals' outside the range allowed"),
    "target-key": N_("a target's year or triwulan key is not written as required"),
    "conflicting-statements": N_("numerator_within_denominator and may_exceed_100 given together"),
    "floor-above-cap": N_("the floor of capaian in [rules] is above its cap"),
    "policy-misstates": N_(
        "a floor of capaian in [rules] of 100 or more (a miss would read as met), or a cap"
        " below 100 (a target met would read as missed)"
    ),
    "floor-above-zero": N_(
        "a floor of capaian in [rules] above 0: a target missed by far shows as missed by less"
    ),
    "formula-syntax": N_("a formula that does not parse"),
    "satuan-dimension": N_("a [satuan] entry that does not say what it counts"),
    "duplicate-satuan": N_("a satuan defined twice in [satuan]"),
    "duplicate-office": N_("a second [office]"),
    "duplicate-rules": N_("a second [rules]"),
    # the office and the cascade
    "missing-office": N_("no file has an [office]"),
    "plan-year": N_("plan_start, plan_end or baseline_year is not a plausible year"),
    "plan": N_("the plan ends before it starts"),
    "duplicate-id": N_("an id used twice in the cascade"),
    "unknown-parent": N_("a parent names an element that does not exist"),
    "parent-level": N_("a parent that does not stand higher in the cascade"),
    "cycle": N_("the cascade goes round in a circle"),
    # names and formulas
    "duplicate-name": N_("a name given to two things a formula can use"),
    "formula": N_("a formula that does not compile (unknown name, wrong type)"),
    "unit-mismatch": N_("a formula adds or compares unlike units, or gives another satuan"),
    "rate": N_("a rate (per N …) whose formula does not scale its ratio by N"),
    "not-a-percentage": N_("a percent indicator whose formula does not give a percentage"),
    "percent-unit": N_("a formula gives a percentage but its indicator's unit is not one"),
    "percent-twice": N_(
        "a formula that multiplies by both 100 and 100%: a hundred times the percentage"
    ),
    "percent-weight": N_(
        "a percentage value multiplied by a constant (a number, a parameter): a weight of its"
        " points, or a share of the constant"
    ),
    "fraction-beside-percent": N_(
        "a number between 0 and 1 compared with a percentage, or chosen beside one (min, max,"
        " rata_rata, if): read as less than 1 %, most often a share written as a fraction"
    ),
    "dependency-cycle": N_("indicators that depend on each other in a circle"),
    "no-realisasi-source": N_("an indicator reads realisasi but no source has kind realisasi"),
    "no-inputs-source": N_("an indicator is an input but no source has kind inputs"),
    # units and targets
    "unit": N_("a satuan the unit table does not know"),
    "office-unit": N_("a unit not in the office's list of units"),
    "mixed-scales": N_(
        "two satuan of one quantity at different scales (Km and Meter) given one dimension"
    ),
    "satuan-kind": N_(
        "a satuan that reads as a percentage or a rate (per N …) but is not taken as one,"
        " so its formula is not held to give one"
    ),
    "target-year": N_("a target for a year outside the plan"),
    "whole-number": N_("a baseline or target with decimals for a satuan counted one by one"),
    "threshold": N_("a threshold target that contradicts the indicator's polarity"),
    "polarity-unstated": N_(
        "an indicator that does not say its polarity (read as positif) whose targets fall"
        " year after year, as those of an indicator where lower is better do, or whose name"
        " counts something where lower is better"
    ),
    "mixed-polarity": N_(
        "a total or average of indicators where higher is better with ones where lower is"
        " better, which a worse part raises"
    ),
    "negative-target": N_("a target below 0, against which no capaian is computed"),
    "target-beyond-bounds": N_(
        "a target above 100 for a percentage that stays within 0–100: never reached"
    ),
    "target-fraction": N_(
        "a target between 0 and 1 for a percentage: most often a share written as a fraction"
    ),
    "realisasi-not-additive": N_(
        "a realisasi in a satuan that does not add up (a percentage, a score), which a year"
        " of several triwulan reported does not have unless read as 'terakhir'"
    ),
    "targets-like-levels": N_(
        "triwulan targets that rise to the annual target, as levels do, where the realisasi"
        " is summed over the triwulan"
    ),
    "targets-not-additive": N_(
        "triwulan targets in a satuan that does not add up, which 'kumulatif' cannot sum"
        " for a year to date"
    ),
    "triwulan-targets-disagree": N_(
        "four triwulan targets that, read as the indicator's method reads them (summed, or"
        " TW4's), are not the year's target: the year and its year to date to TW4 would"
        " have two capaian"
    ),
    "tahunan-negatif": N_(
        "an indicator where lower is better, read 'tahunan', whose value grows over the year"
        " (cases counted, a realisasi summed): a year to date is compared with the whole"
        " year's target, and reads as met before the year is over"
    ),
    # sources and measures
    "duplicate-source": N_("a source id used twice"),
    "unknown-source": N_("a measure reads a source that does not exist"),
    "source-kind": N_("a measure reads a source that is not a register"),
    "required-columns": N_("a realisasi or inputs source lacks a column the engine reads"),
    "unknown-column": N_("a column named that the source does not have"),
    "filter": N_("a filter that does not compile"),
    "identifier": N_("an identifier column (nik, no_kk, nip) declared as a number or as text"),
    "latest-order": N_(
        "a measure's latest record told by a column that does not order as records do (text)"
    ),
    "area-target-count": N_(
        "area_target_for_regions = true on an indicator whose satuan counts: each region would"
        " be compared with the whole area's target"
    ),
    "outside-data": N_("a source's path leads outside the data folder"),
    "time-unstated": N_(
        'a dated register that does not say how its rows count in time (time = "flow" or'
        ' "state"), read as a state'
    ),
    # the types of the data
    "same-table": N_("two sources read the same table"),
    "no-columns": N_("a source that is read declares no columns"),
    "column-case": N_("two columns of a source differ only in case"),
    "engine-column-type": N_("a column the engine reads is declared with the wrong type"),
    "role-column-type": N_("a date, region or breakdown column declared with the wrong type"),
    "aggregate-type": N_("a sum, average, min or max over a column that holds no numbers"),
    "filter-without-column": N_("a filter condition with no column on either side"),
    "filter-column-types": N_("a filter compares two columns that hold different kinds"),
    "filter-value-type": N_("a filter compares a column with a value of another kind"),
    # regions and periods
    "duplicate-level": N_("a [[level]] declared twice"),
    "level-parent": N_("a level's parent is not declared before it"),
    "region-level": N_("a [[region]] at a level no [[level]] declares"),
    "duplicate-region": N_("a region declared twice at one level"),
    "region-parent": N_("a region names a parent but its level has none"),
    "unknown-region-parent": N_("a region lies in a parent region that is not declared"),
    "ambiguous-region": N_(
        "a region named by a name two regions of its level share, where it must say which"
    ),
    "source-level": N_("a source holds a level no [[level]] declares"),
    "region-column-type": N_("a column holding region names not declared text"),
    "period-column-type": N_("a period column declared with a type periods are not written in"),
    "period-date-column": N_("a source with values per period that also names a date column"),
    "region-target": N_(
        "a target per region at an undeclared level, for an undeclared region, or given twice"
    ),
    "additive": N_("an input declared additive whose satuan does not add up across regions"),
    # proofs
    "bounds": N_("a percentage that may come out below 0 or above 100"),
    "nothing-to-bound": N_("numerator_within_denominator stated on a formula without a ratio"),
    "zero-denominator": N_(
        "a denominator that is 0 whatever the data (an error), or can be 0 (iku check --notes)"
    ),
}
"""Every code ``iku check`` gives, with what it means (English; :func:`_` translates it)."""


def table(language: str | None = None) -> str:
    """The Markdown page of the codes (``docs/diagnostic-codes.md``), in ``language``
    (None: the language spoken now)."""
    with use_language(language or current_language()):
        lines = [
            "# " + _("Diagnostic codes of iku check"),
            "",
            _(
                "Each problem `iku check --format json` reports carries a stable English `code`"
                " beside its translated `message`: match the code, never the message."
            ),
            "",
            _("Generated by `python -m iku_rules.check.codes -o docs/diagnostic-codes.md`."),
            "",
            "| code | " + _("meaning") + " |",
            "|---|---|",
            *(f"| `{code}` | {_(meaning)} |" for code, meaning in CODES.items()),
        ]
    return "\n".join(lines) + "\n"


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as JSON: its stable ``code`` and ``severity`` (``error``, ``warning``,
    ``note``) in English, its ``message`` and ``suggestion`` (or null) in the language
    spoken now, and its place (``path``; ``line`` and ``column``, 1-based, or null)."""
    location = diagnostic.location
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "suggestion": diagnostic.suggestion,
        "path": str(location.path),
        "line": location.line,
        "column": location.column,
    }


def check_record(definitions: Definitions, shown: Iterable[Diagnostic]) -> dict[str, Any]:
    """What ``iku check --format json`` prints: ``ok`` (no errors), the counts of ``errors``,
    ``warnings`` and ``files``, the ``language`` of the messages, and the ``diagnostics``
    shown (:func:`diagnostic_record`), in order."""
    return {
        "ok": definitions.ok,
        "errors": len(definitions.errors),
        "warnings": len(definitions.warnings),
        "files": len(definitions.files),
        "language": current_language(),
        "diagnostics": [diagnostic_record(diagnostic) for diagnostic in shown],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=_("Write the table of iku check's codes."))
    parser.add_argument("-o", "--output", help=_("the file to write (default: print it)"))
    parser.add_argument("--lang", default="en", help=_("the language of the page"))
    args = parser.parse_args(argv)
    text = table(args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
