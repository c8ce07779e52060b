"""Reading one file's sections into model objects: office, rules, satuan, the cascade and its
indicators, sources, measures, inputs, parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iku_rules import notation as notations
from iku_rules.check.common import place
from iku_rules.errors import FormulaError
from iku_rules.formula import Formula
from iku_rules.i18n import LANGUAGES, _
from iku_rules.levels import LEVELS
from iku_rules.loader.fields import TableReader
from iku_rules.loader.regions import (
    indicator_region_targets,
    measure_latest,
    measure_missing,
    source_grain,
    source_hidden_rows,
    source_regions,
)
from iku_rules.loader.values import (
    CAPAIAN_METHODS,
    COLUMN_TYPES,
    ELEMENT_FIELDS,
    INDICATOR_FIELDS,
    INPUT_FIELDS,
    MAX_DECIMALS,
    MEASURE_FIELDS,
    OFFICE_FIELDS,
    PARAMETER_FIELDS,
    SECTIONS,
    SOURCE_FIELDS,
    KeyPath,
)
from iku_rules.model import (
    Element,
    Indicator,
    Input,
    Location,
    Measure,
    Office,
    Parameter,
    Source,
    Target,
)
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.regions import KINDS
from iku_rules.suggest import did_you_mean
from iku_rules.target import other_unit


class FileReader(TableReader):
    """Reads one file's tables into model objects, recording every problem with its place."""

    # -- the sections

    def read_sections(self) -> None:
        for key in self.data:
            if key not in SECTIONS:
                self.problem(
                    _("unknown section '{key}'").format(key=key),
                    (key,),
                    suggestion=did_you_mean(key, SECTIONS),
                    code="unknown-section",
                )

    def office(self) -> Office | None:
        entry = self.data.get("office")
        if entry is None:
            return None
        path: KeyPath = ("office",)
        if not isinstance(entry, dict):
            self.problem(_("'office' must be a table: [office]"), path, code="shape")
            return None
        self.known_fields(entry, OFFICE_FIELDS, path, "[office]")
        units = entry.get("units", [])
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            self.problem(
                _("'units' must be a list of texts"),
                (*path, "units"),
                value=True,
                code="wrong-type",
            )
            units = []
        return Office(
            id=self.text_field(entry, "id", path, "[office]", required=True) or "",
            name=self.text_field(entry, "name", path, "[office]", required=True) or "",
            region=self.text_field(entry, "region", path, "[office]"),
            document=self.text_field(entry, "document", path, "[office]"),
            baseline_year=self.whole_number(entry, "baseline_year", path),
            plan_start=self.whole_number(entry, "plan_start", path),
            plan_end=self.whole_number(entry, "plan_end", path),
            units=tuple(units),
            location=self.at(path),
            notation=self.declared_notation(entry, path) or UNSETTLED,
            kind=self.choice(entry, "kind", KINDS, path, None),
            region_code=self.text_field(entry, "region_code", path, "[office]"),
            language=self.choice(entry, "language", LANGUAGES, path, None),
        )

    def declared_notation(self, entry: Mapping[str, Any], path: KeyPath) -> Notation | None:
        """The ``notation`` an [office] or a [[source]] declares, if it declares one."""
        chosen = self.choice(entry, "notation", notations.NAMES, path, None)
        return None if chosen is None else notations.notation(chosen)

    def elements(self) -> list[Element]:
        elements = []
        for level in LEVELS:
            for path, entry in self.entries(level):
                what = _("a [[{section}]]").format(section=level)
                self.known_fields(entry, ELEMENT_FIELDS, path, what)
                element_id = self.text_field(entry, "id", path, what, required=True)
                name = self.text_field(entry, "name", path, what, required=True)
                parent = self.text_field(entry, "parent", path, what, required=level != "visi")
                tingkat = None
                if level in ("tujuan", "sasaran"):
                    if "tingkat" not in entry:
                        self.problem(
                            _('{what} needs \'tingkat\' ("rpjmd" or "renstra")').format(what=what),
                            path,
                            code="missing-field",
                        )
                    tingkat = self.choice(entry, "tingkat", ("rpjmd", "renstra"), path, None)
                elif "tingkat" in entry:
                    self.problem(
                        _("'tingkat' is only for tujuan and sasaran, not {level}").format(
                            level=level
                        ),
                        (*path, "tingkat"),
                        code="misplaced-field",
                    )
                if element_id is None or name is None:
                    continue
                indicators = tuple(
                    indicator
                    for indicator in self.indicators(entry, path, element_id, level)
                    if indicator is not None
                )
                elements.append(
                    Element(
                        id=element_id,
                        level=level,
                        name=" ".join(name.split()),
                        parent=parent,
                        tingkat=tingkat,
                        kode=self.text_field(entry, "kode", path, what),
                        sasaran=self.text_field(entry, "sasaran", path, what),
                        penanggung_jawab=self.text_field(entry, "penanggung_jawab", path, what),
                        note=self.text_field(entry, "note", path, what),
                        assumption=self.assumption(entry, path, what),
                        indicators=indicators,
                        location=self.at((*path, "id")),
                        parent_location=self.at((*path, "parent"), value=True) if parent else None,
                    )
                )
        return elements

    def indicators(
        self, element: Mapping[str, Any], element_path: KeyPath, element_id: str, level: str
    ) -> list[Indicator | None]:
        raw = element.get("indikator")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(
                _("indicators are written as [[{section}.indikator]]").format(section=level),
                (*element_path, "indikator"),
                code="shape",
            )
            return []
        found: list[Indicator | None] = []
        for index, entry in enumerate(raw):
            path: KeyPath = (*element_path, "indikator", index)
            if not isinstance(entry, dict):
                self.problem(_("each indicator must be a table"), path, code="shape")
                continue
            found.append(self.indicator(entry, path, element_id, level))
        return found

    def indicator(
        self, entry: Mapping[str, Any], path: KeyPath, element_id: str, level: str
    ) -> Indicator | None:
        what = _("a [[{section}]]").format(section=f"{level}.indikator")
        self.known_fields(entry, INDICATOR_FIELDS, path, what)
        indicator_id = self.text_field(entry, "id", path, what, required=True)
        name = self.text_field(entry, "name", path, what, required=True)
        unit = self.text_field(entry, "unit", path, what, required=True)
        formula_text = self.text_field(entry, "formula", path, what, required=True)
        polarity = self.choice(entry, "polarity", ("positif", "negatif"), path, "positif")
        iku = self.flag(entry, "iku", path)
        within = self.flag(entry, "numerator_within_denominator", path)
        may_exceed = self.flag(entry, "may_exceed_100", path)
        if within and may_exceed:
            self.problem(
                _(
                    "an indicator cannot both keep its numerator within its denominator and"
                    " exceed 100; keep one of numerator_within_denominator and may_exceed_100"
                ),
                (*path, "may_exceed_100"),
                code="conflicting-statements",
            )
        statement = "within" if within else "may_exceed_100" if may_exceed else None
        baseline = None
        other = (
            other_unit(entry["baseline"], unit, baseline=True)
            if "baseline" in entry and unit is not None
            else None
        )
        if other is not None:  # "45%" of Orang: read as 45 Orang in the reports
            message, fix = other
            self.problem(message, (*path, "baseline"), value=True, suggestion=fix, code="number")
        elif "baseline" in entry:
            baseline = self.number(entry["baseline"], (*path, "baseline"))
        decimals = self.whole_number(entry, "decimals", path)
        if decimals is not None and not 0 <= decimals <= MAX_DECIMALS:
            self.problem(
                _("'decimals' must be a whole number from 0 to {most}, not {value}").format(
                    most=MAX_DECIMALS, value=decimals
                ),
                (*path, "decimals"),
                value=True,
                code="decimals",
            )
            decimals = None
        targets: dict[int, Target] = {}
        target_locations: dict[int, Location] = {}
        yearly = self.yearly_targets(self.table(entry, "targets", path), (*path, "targets"), unit)
        for year, (year_target, location) in yearly.items():
            targets[year] = year_target
            target_locations[year] = location
        triwulan_targets: dict[str, Target] = {}
        triwulan_locations: dict[str, Location] = {}
        written = self.table(entry, "triwulan_targets", path)
        by_triwulan = self.triwulan_targets(written, path, unit)
        for period, (period_target, location) in by_triwulan.items():
            triwulan_targets[period] = period_target
            triwulan_locations[period] = location
        capaian_method = self.text_field(entry, "capaian_method", path, what)
        if capaian_method is not None:
            parts = [part.strip().casefold() for part in capaian_method.split("+")]
            for part in parts:
                if part not in CAPAIAN_METHODS:
                    self.problem(
                        _("unknown capaian method '{method}'; the methods are {methods}").format(
                            method=part, methods=", ".join(CAPAIAN_METHODS)
                        ),
                        (*path, "capaian_method"),
                        value=True,
                        suggestion=did_you_mean(part, CAPAIAN_METHODS),
                        code="unknown-choice",
                    )
            # As compared: "Terakhir" is terakhir, never read as no method at all.
            capaian_method = "+".join(parts)
        if indicator_id is None or name is None or unit is None or formula_text is None:
            return None
        formula, kind, location, exact = self.formula(
            formula_text, (*path, "formula"), indicator_id
        )
        return Indicator(
            id=indicator_id,
            name=" ".join(name.split()),
            level=level,
            parent=element_id,
            unit=unit,
            polarity=polarity,  # type: ignore[arg-type]
            iku=iku,
            baseline=baseline,
            targets=targets,
            formula_kind=kind,  # type: ignore[arg-type]
            formula=formula,
            formula_text=self.text_field(entry, "formula_text", path, what),
            note=self.text_field(entry, "note", path, what),
            assumption=self.assumption(entry, path, what),
            location=self.at((*path, "id")),
            formula_location=location,
            formula_exact=exact,
            triwulan_targets=triwulan_targets,
            capaian_method=capaian_method,
            target_locations=target_locations,
            percent_statement=statement,  # type: ignore[arg-type]
            decimals=decimals,
            baseline_location=self.at((*path, "baseline")) if "baseline" in entry else None,
            triwulan_locations=triwulan_locations,
            region_targets=indicator_region_targets(self, entry, path, unit),
            area_target_for_regions=self.flag(entry, "area_target_for_regions", path),
            unit_location=self.at((*path, "unit"), value=True),
            polarity_location=self.at((*path, "polarity")) if "polarity" in entry else None,
        )

    def formula(
        self, text: str, key_path: KeyPath, owner: str
    ) -> tuple[Formula | None, str, Location, bool]:
        """Parse a formula field; its errors are placed inside the string in the file."""
        start, exact = self.string_start(key_path, text)
        keyword = text.strip().casefold()
        if keyword in ("input", "realisasi"):
            return None, keyword, start, exact
        # Lark is imported with the first formula parsed: definitions taken back as read
        # (iku_rules.loader.kept) parse none, and their process does without it.
        from iku_rules.parser import parse

        try:
            return parse(text, notation=self.notation), "expression", start, exact
        except FormulaError as error:
            where = place(start, error.span, exact)
            hint = f"; {error.hint}" if error.hint else ""
            self.problem(
                _("the formula of '{owner}' does not parse: {error}").format(
                    owner=owner, error=f"{error.message}{hint}"
                ),
                key_path,
                code="formula-syntax",
                location=where,
            )
            return None, "expression", start, exact

    def sources(self) -> list[Source]:
        found = []
        for path, entry in self.entries("source"):
            what = _("a [[{section}]]").format(section="source")
            self.known_fields(entry, SOURCE_FIELDS, path, what)
            source_id = self.text_field(entry, "id", path, what, required=True)
            kind = self.choice(entry, "kind", ("register", "realisasi", "inputs"), path, None)
            if "kind" not in entry:
                self.problem(
                    _('{what} needs \'kind\' ("register", "realisasi" or "inputs")').format(
                        what=what
                    ),
                    path,
                    code="missing-field",
                )
            file_format = self.choice(
                entry, "format", ("csv", "xlsx", "sqlite", "duckdb"), path, None
            )
            if "format" not in entry:
                self.problem(
                    _('{what} needs \'format\' ("csv", "xlsx", "sqlite" or "duckdb")').format(
                        what=what
                    ),
                    path,
                    code="missing-field",
                )
            file_path = self.text_field(entry, "path", path, what, required=True)
            columns = self.table(entry, "columns", path)
            for column, column_type in columns.items():
                if column_type not in COLUMN_TYPES:
                    self.problem(
                        _(
                            "the type of column '{column}' must be one of {types}, not {value}"
                        ).format(
                            column=column, types=", ".join(COLUMN_TYPES), value=repr(column_type)
                        ),
                        (*path, "columns", column),
                        value=True,
                        suggestion=did_you_mean(str(column_type), COLUMN_TYPES),
                        code="unknown-choice",
                    )
            if source_id is None or kind is None or file_format is None or file_path is None:
                continue
            time = self.choice(entry, "time", ("state", "flow", "period"), path, "state")
            found.append(
                Source(
                    id=source_id,
                    kind=kind,  # type: ignore[arg-type]
                    format=file_format,  # type: ignore[arg-type]
                    path=file_path,
                    name=self.text_field(entry, "name", path, what),
                    table=self.text_field(entry, "table", path, what),
                    date_column=self.text_field(entry, "date_column", path, what),
                    region_column=self.text_field(entry, "region_column", path, what),
                    breakdown_column=self.text_field(entry, "breakdown_column", path, what),
                    time=time,  # type: ignore[arg-type]
                    time_location=self.at((*path, "time")) if "time" in entry else None,
                    columns={str(k): str(v) for k, v in columns.items()},
                    location=self.at((*path, "id")),
                    assumption=self.assumption(entry, path, what),
                    notation=self.declared_notation(entry, path) or self.notation,
                    regions=source_regions(self, entry, path),
                    grain=source_grain(self, entry, path, time),
                    hidden_rows=source_hidden_rows(self, entry, path, file_format),
                )
            )
        return found

    def measures(self) -> list[Measure]:
        found = []
        for path, entry in self.entries("measure"):
            what = _("a [[{section}]]").format(section="measure")
            self.known_fields(entry, MEASURE_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            source = self.text_field(entry, "source", path, what, required=True)
            aggregate = self.choice(
                entry, "aggregate", ("count", "count_distinct", "sum"), path, None
            )
            if "aggregate" not in entry:
                self.problem(
                    _('{what} needs \'aggregate\' ("count", "count_distinct" or "sum")').format(
                        what=what
                    ),
                    path,
                    code="missing-field",
                )
            column = self.text_field(entry, "column", path, what)
            if aggregate in ("count_distinct", "sum") and column is None:
                self.problem(
                    _("a measure with aggregate = \"{aggregate}\" needs 'column'").format(
                        aggregate=aggregate
                    ),
                    path,
                    code="missing-field",
                )
            filter_formula, filter_location, exact = None, None, True
            filter_text = self.text_field(entry, "filter", path, what)
            if filter_text is not None and name is not None:
                filter_formula, _kind, filter_location, exact = self.formula(
                    filter_text, (*path, "filter"), name
                )
            if name is None or source is None or aggregate is None:
                continue
            found.append(
                Measure(
                    name=" ".join(name.split()),
                    source=source,
                    aggregate=aggregate,  # type: ignore[arg-type]
                    column=column,
                    filter=filter_formula,
                    time=self.choice(entry, "time", ("state", "flow"), path, None),  # type: ignore[arg-type]
                    empty=self.choice(
                        entry, "empty", ("not_available", "zero"), path, "not_available"
                    ),  # type: ignore[arg-type]
                    unit=self.text_field(entry, "unit", path, what),
                    description=self.text_field(entry, "description", path, what),
                    location=self.at((*path, "name")),
                    filter_location=filter_location,
                    filter_exact=exact,
                    assumption=self.assumption(entry, path, what),
                    latest=measure_latest(self, entry, path),
                    missing=measure_missing(self, entry, path, aggregate),
                )
            )
        return found

    def inputs(self) -> list[Input]:
        found = []
        for path, entry in self.entries("input"):
            what = _("an [[{section}]]").format(section="input")
            self.known_fields(entry, INPUT_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            if name is None:
                continue
            found.append(
                Input(
                    name=" ".join(name.split()),
                    unit=self.text_field(entry, "unit", path, what),
                    description=self.text_field(entry, "description", path, what),
                    source=self.text_field(entry, "source", path, what) or "inputs",
                    location=self.at((*path, "name")),
                    assumption=self.assumption(entry, path, what),
                    additive=self.flag(entry, "additive", path),
                )
            )
        return found

    def parameters(self) -> list[Parameter]:
        found = []
        for path, entry in self.entries("parameter"):
            what = _("a [[{section}]]").format(section="parameter")
            self.known_fields(entry, PARAMETER_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            if "value" not in entry:
                self.problem(
                    _("{what} has no '{key}'").format(what=what, key="value"),
                    path,
                    code="missing-field",
                )
                continue
            value = self.number(entry["value"], (*path, "value"))
            if name is None or value is None:
                continue
            found.append(
                Parameter(
                    name=" ".join(name.split()),
                    value=value,
                    note=self.text_field(entry, "note", path, what),
                    location=self.at((*path, "name")),
                    assumption=self.assumption(entry, path, what),
                    unit=self.text_field(entry, "unit", path, what),
                )
            )
        return found
