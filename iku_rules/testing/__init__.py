"""Hypothesis strategies for formulas, numbers and data, shared by our tests and yours;
:func:`definitions_test` property-tests a whole definitions folder.

Property-test your own formulas and definitions with the same generators the
project uses::

    from hypothesis import given
    from iku_rules.testing import formulas

    @given(formulas())
    def test_round_trip(formula):
        assert parse(str(formula)) == formula

Requires ``hypothesis`` (installed with ``iku-rules[test]``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from iku_rules.bounds import Analysis
from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.loader import load
from iku_rules.model import Definitions
from iku_rules.regions import KINDS
from iku_rules.testing.data import Dataset, _default_year, as_csv, datasets
from iku_rules.testing.strategies import (
    WORDS,
    arithmetic,
    constants,
    decimals,
    expressions,
    formulas,
    name_texts,
    notation_values,
    numbers,
    planner_arithmetic,
    register_aggregates,
    spellings,
    texts,
)

__all__ = [
    "EVERY_LEVEL",
    "WORDS",
    "Dataset",
    "arithmetic",
    "as_csv",
    "constants",
    "datasets",
    "decimals",
    "definitions_test",
    "expressions",
    "formulas",
    "name_texts",
    "notation_values",
    "numbers",
    "planner_arithmetic",
    "problems",
    "register_aggregates",
    "spellings",
    "texts",
]


# -- the property: proven bounds hold, nothing raises


EVERY_LEVEL = "*"
"""``by`` for results by every level of the definitions (their ``[[level]]``, else the
levels their sources hold), each in turn."""


def _levels(definitions: Definitions, by: str | Sequence[str] | None) -> list[str | None]:
    """The levels to ask results by: ``None`` (the whole area only) when there are none."""
    if by is None:
        return [None]
    if by == EVERY_LEVEL:
        return list(definitions.level_ids()) or [None]
    return [by] if isinstance(by, str) else list(by) or [None]


def _area(definitions: Definitions) -> str:
    """How the kit's messages name the office's whole area: as its ``[office]`` names it
    (``Kota Contoh``), else by its kind (``kota``), else ``whole area``; never
    ``kabupaten`` for a kota."""
    office = definitions.office
    if office is not None and office.region:
        return office.region
    kind = office.kind if office is not None else None
    return kind if kind in KINDS else "whole area"  # i18n: not for planners


def problems(
    definitions: Definitions,
    data: Path,
    periods: Sequence[str],
    *,
    by: str | Sequence[str] | None = EVERY_LEVEL,
    backends: Sequence[str] = ("duckdb",),
) -> list[str]:
    """What is wrong with evaluating ``definitions`` on the data in ``data``: every value
    outside the bounds :mod:`iku_rules.bounds` proved (or the definition states) for its
    indicator, every value missing without a reason, every backend that disagrees with
    the first, and any exception. An empty list when all is well. Results are asked for
    the whole area and by ``by``: a level, several, None (the whole area only) or, by
    default, every level of the definitions in turn."""
    analysis = Analysis(definitions)
    found: list[str] = []
    levels = _levels(definitions, by)
    area = _area(definitions)
    Values = dict[tuple[str, str | None], Decimal | None]
    values: dict[tuple[str, str | None, str], Values] = {}  # by (period, level, backend)
    for backend in backends:
        try:
            engine = Engine(definitions, data, backend=backend)
        except Exception as error:  # the property: no exception, of any kind
            found.append(f"on {backend}: {type(error).__name__}: {error}")
            continue
        with engine:  # one engine per backend: the data are loaded once for every period
            for period, level in ((p, lv) for p in periods for lv in levels):
                asked = period if len(levels) == 1 else f"{period} by {level}"
                try:
                    evaluation = engine.evaluate(period, by=level)
                except Exception as error:
                    found.append(f"{asked} on {backend}: {type(error).__name__}: {error}")
                    continue
                got: Values = values.setdefault((period, level, backend), {})
                for result in evaluation.results:
                    got[(result.id, result.region)] = result.value
                    where = f"{period}, {result.region or area}, {backend}"
                    if result.region is None and level != levels[0]:
                        continue  # the whole area's results: checked with the first level
                    if result.value is None:
                        if not result.reason:
                            found.append(
                                f"{result.id} ({where}): not available, with no reason"  # i18n: not for planners
                            )
                        continue
                    bounds = analysis.stated(result.indicator)
                    if result.value not in bounds:
                        found.append(
                            f"{result.id} ({where}) = {result.value}, outside its bounds {bounds}"  # i18n: not for planners
                        )
    for period, level in ((p, lv) for p in periods for lv in levels):
        ran = [backend for backend in backends if (period, level, backend) in values]
        for backend in ran[1:]:
            first, other = values[(period, level, ran[0])], values[(period, level, backend)]
            differ = sorted(
                f"{key[0]} ({key[1] or area}): {first.get(key)} vs {other.get(key)}"
                for key in first.keys() | other.keys()
                if first.get(key) != other.get(key)
            )
            if differ:
                found.append(
                    f"{period}: {backend} differs from {ran[0]}: {differ[:5]}"  # i18n: not for planners
                )
    return found


def definitions_test(
    folder: str | Path,
    *,
    max_examples: int = 50,
    year: int | None = None,
    periods: Sequence[str] | None = None,
    by: str | Sequence[str] | None = EVERY_LEVEL,
    backends: Sequence[str] = ("duckdb",),
    max_rows: int = 30,
    **settings_options: Any,
) -> Callable[[], None]:
    """A test for pytest that property-tests a definitions folder: on data drawn by
    :func:`datasets` (half of them complete, so that every formula is reached; the other
    half hostile), every indicator proven bounded stays within its bounds or is not
    available (with a reason), and nothing raises. Assign it to a ``test_`` name::

        from iku_rules.testing import definitions_test

        test_definitions = definitions_test("definitions/dinsos-pandeglang", max_examples=25)

    Data are drawn for ``year`` and the year before; ``year`` defaults to the latest year
    with a target. ``periods`` defaults to that year and its first half (``YYYY-sd-TW2``);
    ``by`` to every level of the definitions (a level, a list of them, or None for the
    whole area only);
    ``backends`` lists the engines to run (more than one: they must agree);
    ``settings_options`` go to :func:`hypothesis.settings` (e.g. ``derandomize=True``).
    Definitions with errors fail at once, with the errors.
    """
    definitions = load(folder) if not isinstance(folder, Definitions) else folder
    if not definitions.ok:
        listed = "\n".join(str(d) for d in definitions.errors)
        raise IkuError(
            _("the definitions in {folder} have errors:\n{errors}").format(
                folder=folder, errors=listed
            )
        )
    runnable = as_csv(definitions)
    year = year if year is not None else _default_year(definitions)
    chosen = list(periods) if periods is not None else [str(year), f"{year}-sd-TW2"]
    options: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        **settings_options,
    }

    @settings(max_examples=max_examples, **options)
    @given(datasets(definitions, year=year, max_rows=max_rows))
    def test_definitions(dataset: Dataset) -> None:
        with tempfile.TemporaryDirectory(prefix="iku-property-") as scratch:
            dataset.write(runnable, Path(scratch))
            found = problems(runnable, Path(scratch), chosen, by=by, backends=backends)
        assert not found, "\n".join(found)

    test_definitions.__doc__ = (
        f"Property test of the definitions in {folder}."  # i18n: not for planners
    )
    return test_definitions
