"""Cross-checks of a definitions folder, after every file has been read.

Each check returns diagnostics placed where the planner must look: the
duplicate id, the unknown parent, the name inside the formula.

* ids: unique across elements and indicators; names of measures, inputs,
  parameters and sources unique and not shadowing each other;
* the cascade: every parent exists and stands higher; no cycles;
* formulas: every name is defined (with the closest names suggested), every
  formula compiles (types and units), a percent indicator's formula gives a
  percentage, no indicator depends on itself;
* measures: their source is a register, their column and filter fields exist;
* targets: years inside the plan; units: from the office's list; a year to date of an
  indicator where lower is better never compared with the whole year's target in silence;
  triwulan targets that agree with the year's, as the indicator's method reads them;
* polarity: an indicator that does not say it, whose targets fall year after year or whose
  name counts something where lower is better, warned of (read as positif, a realisasi
  above its target reads as met); a total or average of indicators of both polarities;
* the capaian policy: a floor above 0 warned of (it shows a target missed as missed by less);
* the data: what each aggregate and filter asks of a column suits its declared type
  (:mod:`iku_rules.check.data`).
"""

from __future__ import annotations

from iku_rules.model import Definitions, Diagnostic


def check(definitions: Definitions, complete: bool = True) -> list[Diagnostic]:
    """Every cross-file problem in ``definitions``.

    When a file could not be read (``complete`` is false), the checks that
    look for something missing are skipped: what they miss may be in that file.
    """
    # imported here: a run that reads its definitions kept (iku eval) never checks them
    from iku_rules.check.bounds import check_bounds
    from iku_rules.check.cascade import check_cascade, check_floor, check_ids, check_office
    from iku_rules.check.data import check_data
    from iku_rules.check.formulas import check_dependency_cycles, check_formulas, name_table
    from iku_rules.check.polarity import (
        check_method_polarity,
        check_mixed_polarity,
        check_unstated_polarity,
    )
    from iku_rules.check.region_targets import check_region_inputs, check_region_targets
    from iku_rules.check.regions import check_regions
    from iku_rules.check.sources import check_identifier_columns, check_measures, check_sources
    from iku_rules.check.targets import (
        check_annual_to_date,
        check_level_targets,
        check_negative_targets,
        check_realisasi_units,
        check_targets,
        check_thresholds,
        check_units,
        check_whole_numbers,
    )
    from iku_rules.check.triwulan_targets import check_triwulan_targets

    found: list[Diagnostic] = []
    found += check_ids(definitions)
    found += check_floor(definitions)
    found += check_units(definitions)
    found += check_targets(definitions)
    found += check_whole_numbers(definitions)
    found += check_thresholds(definitions)
    found += check_unstated_polarity(definitions)
    found += check_method_polarity(definitions)
    found += check_negative_targets(definitions)
    found += check_realisasi_units(definitions)
    found += check_level_targets(definitions)
    found += check_triwulan_targets(definitions)
    found += check_annual_to_date(definitions)
    found += check_sources(definitions)
    found += check_identifier_columns(definitions)
    found += check_regions(definitions)
    found += check_region_targets(definitions)
    found += check_region_inputs(definitions)
    names, name_problems = name_table(definitions)
    found += name_problems
    found += check_measures(definitions)
    found += check_data(definitions)
    if complete:
        found += check_office(definitions)
        found += check_cascade(definitions)
        found += check_formulas(definitions, names)
        found += check_dependency_cycles(definitions)
        found += check_mixed_polarity(definitions)
        if not any(d.severity == "error" for d in found):
            found += check_bounds(definitions)
    return found
