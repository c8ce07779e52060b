"""The edit pages of the workspace: an indicator's and a measure's form, the formula
checked as it is typed, saving (refused when the folder would not pass the check unless
kept as a draft; a file changed since the form was opened is shown beside the edit)."""

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)

from iku_rules.bounds import analyse
from iku_rules.serve import views
from iku_rules.serve.pages import (
    AGGREGATES,
    INDICATOR_FIELDS,
    MEASURE_FIELDS,
    diff_lines,
    field_text,
    in_thread,
    notice,
)
from iku_rules.serve.saving import (
    Retype,
    SavePages,
    Typed,
    field,
    notation_code,
    notation_retypes,
    typed_under_text,
)
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import (
    EditError,
    Entry,
    by_period,
    edit_entry,
    on_keys_written,
    read_entry,
    version,
)
from iku_rules.serve.workspace import Checked, Problem


class EditPages(SavePages):
    """The routes that change a definitions file."""

    # -- edit an indicator

    def _indicator_file(self, indicator_id: str) -> tuple[Any, str]:
        indicator = self.workspace.definitions().indicator(indicator_id)
        if indicator is None or indicator.location is None:
            raise HTTPException(404, _("there is no indicator '{id}'").format(id=indicator_id))
        return indicator, self.workspace.relative(indicator.location.path)

    async def indicator(self, request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await in_thread(self._indicator, request, form)

    def _indicator(self, request: Request, form: FormData | None) -> Response:
        indicator_id = request.path_params["id"]
        indicator, relative = self._indicator_file(indicator_id)
        entry = Entry("indikator", indicator_id)
        text = self.workspace.read(relative)
        try:
            current = read_entry(text, entry)
        except EditError as error:  # written inline in another table: not edited here
            raise HTTPException(422, str(error)) from None
        if form is None:
            source = text
            from_draft = request.query_params.get("draft") == "1"
            draft = self.workspace.draft(relative)
            if from_draft and draft is not None:
                try:
                    read_entry(draft, entry)
                    source = draft
                except EditError:
                    from_draft = False
            values = _indicator_values(read_entry(source, entry))
            typed = _indicator_typed(current, values) if from_draft else []
            retype, told = self._draft_retypes(relative, typed)
            # From a draft, the form is as old as the draft: a file saved since is shown
            # beside it on saving, not written over.
            base = (self.workspace.draft_base(relative) if from_draft else None) or version(text)
            return self._indicator_page(
                request,
                indicator,
                relative,
                values,
                base,
                None,
                notice=told or notice(request),
                from_draft=from_draft,
                retype=retype,
            )
        values = _indicator_form(form, self.workspace.plan_years())
        action = form.get("action") or "save"
        # The page shown again (checked, refused) keeps the version the form was made
        # from: with the file's version now, a save from it would pass over a change made
        # meanwhile and write back the form's older values in silence.
        base = str(form.get("version") or "")
        return self._save(
            request,
            entry,
            relative,
            text,
            form,
            _indicator_changes(current, values),
            action=str(action),
            page=lambda checked, status, notice, warnings=(), retype=(): self._indicator_page(
                request,
                indicator,
                relative,
                values,
                base,
                checked,
                status=status,
                notice=notice,
                warnings=warnings,
                retype=retype,
            ),
            after=f"/indicator/{indicator_id}",
            current_values=lambda current: _indicator_values(read_entry(current, entry)),
            values=values,
            typed=_indicator_typed(current, values),
        )

    def _indicator_page(
        self,
        request: Request,
        indicator: Any,
        relative: str,
        values: Mapping[str, Any],
        base: str,
        checked: Checked | None,
        *,
        status: int = 200,
        notice: str | None = None,
        from_draft: bool = False,
        warnings: Sequence[Problem] = (),
        retype: Sequence[Retype] = (),
    ) -> HTMLResponse:
        definitions = self.workspace.definitions()
        units = list(definitions.office.units) if definitions.office else []
        if values.get("unit") and values["unit"] not in units:
            units.append(values["unit"])
        formula_problems, others, bounds = self._formula_report(
            indicator.id, values.get("formula") or "", checked
        )
        draft = self.workspace.draft(relative)
        return self.render(
            request,
            "indicator.html",
            status=status,
            indicator=indicator,
            element=definitions.element(indicator.parent),
            relative=relative,
            values=values,
            base=base,
            years=self.workspace.plan_years(),
            units=units,
            checked=checked,
            formula_problems=formula_problems,
            other_problems=others,
            bounds=bounds,
            notice=notice,
            draft=draft is not None,
            draft_diff=diff_lines(self.workspace.read(relative), draft, relative)
            if draft
            else None,
            from_draft=from_draft,
            warnings=warnings,
            number_hint=views.number_hint(definitions),
            # The notation the hint above names: what is typed in the form is read in it.
            notation=notation_code(definitions.notation),
            retype=retype,
            typed_under=typed_under_text(retype),
        )

    def _formula_report(
        self, indicator_id: str, formula: str, checked: Checked | None
    ) -> tuple[list[dict[str, Any]], list[Problem], str | None]:
        """The problems placed in the formula (with the offset of each in it), the
        folder's other errors, and the formula's proven range and unit."""
        if checked is None:
            definitions = self.workspace.definitions()
            problems = self.workspace.problems(definitions)
        else:
            definitions = checked.definitions
            problems = checked.problems
        indicator = definitions.indicator(indicator_id)
        where = indicator.formula_location if indicator is not None else None
        relative = None
        if indicator is not None and indicator.location is not None:
            try:
                relative = indicator.location.path.relative_to(definitions.root).as_posix()
            except ValueError:
                relative = None
        placed: list[dict[str, Any]] = []
        others: list[Problem] = []
        for problem in problems:
            at_formula = (
                where is not None
                and problem.file == relative
                and problem.line == where.line
                and problem.column is not None
                and where.column is not None
                and problem.column >= where.column
            )
            # Said of this indicator: its id in quotes, in either language's words.
            if at_formula or f"'{indicator_id}'" in problem.message:
                offset = None
                if at_formula and indicator is not None and indicator.formula_exact:
                    assert (
                        problem.column is not None
                        and where is not None
                        and where.column is not None
                    )
                    offset = problem.column - where.column
                    if offset > len(formula):
                        offset = None
                placed.append(_placed(problem, formula, offset))
            elif problem.severity == "error":
                others.append(problem)
        bounds = None
        if (
            indicator is not None
            and indicator.formula is not None
            and not any(p["severity"] == "error" for p in placed)
        ):
            try:
                found = analyse(definitions).get(indicator_id)
            except Exception:
                found = None
            if found is not None:
                bounds = _boundsfield_text(found, definitions)
        return placed, others, bounds

    # -- live check

    async def api_check(self, request: Request) -> Response:
        form = await request.form()
        return await in_thread(self._api_check, form)

    def _api_check(self, form: FormData) -> Response:
        indicator_id = str(form.get("indicator") or "")
        _indicator, relative = self._indicator_file(indicator_id)
        entry = Entry("indikator", indicator_id)
        text = self.workspace.read(relative)
        values = _indicator_form(form, self.workspace.plan_years())
        now = self.workspace.definitions().notation
        typed = _indicator_typed(read_entry(text, entry), values)
        retype = notation_retypes(form, typed, now)
        if retype:
            problems = [
                {"severity": "error", "message": r.message, "text": r.message} for r in retype
            ]
            return JSONResponse({"ok": False, "problems": problems})
        try:
            new_text = edit_entry(text, entry, _indicator_changes(read_entry(text, entry), values))
        except EditError as error:
            return JSONResponse(
                {"ok": False, "problems": [{"severity": "error", "message": str(error)}]}
            )
        checked = self.workspace.check({relative: new_text})
        placed, others, bounds = self._formula_report(
            indicator_id, values.get("formula") or "", checked
        )
        return JSONResponse(
            {
                "ok": not placed and not others,
                "formula": values.get("formula") or "",
                "problems": placed,
                "others": [problem.as_dict() | {"text": str(problem)} for problem in others],
                "bounds": bounds,
                "summary": _summary(checked),
            }
        )

    # -- edit a measure

    async def measure(self, request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await in_thread(self._measure, request, form)

    def _measure(self, request: Request, form: FormData | None) -> Response:
        name = request.path_params["name"]
        definitions = self.workspace.definitions()
        measure = next((m for m in definitions.measures if m.name == name), None)
        if measure is None or measure.location is None:
            raise HTTPException(404, _("there is no measure '{name}'").format(name=name))
        relative = self.workspace.relative(measure.location.path)
        entry = Entry("measure", name)
        text = self.workspace.read(relative)
        sources = [s.id for s in definitions.sources if s.kind == "register"]

        def page(
            checked: Checked | None,
            status: int,
            notice: str | None,
            values: Mapping[str, Any],
            base: str,
            warnings: Sequence[Problem] = (),
            retype: Sequence[Retype] = (),
        ) -> HTMLResponse:
            problems = checked.problems if checked is not None else self.workspace.problems()
            return self.render(
                request,
                "measure.html",
                status=status,
                measure=measure,
                relative=relative,
                values=values,
                base=base,
                sources=sources,
                aggregates=AGGREGATES,
                problems=[p for p in problems if p.severity == "error"],
                checked=checked,
                notice=notice,
                warnings=warnings,
                notation=notation_code(self.workspace.definitions().notation),
                retype=retype,
                typed_under=typed_under_text(retype),
            )

        try:
            current = {k: field_text(v) for k, v in read_entry(text, entry).items()}
        except EditError as error:  # written inline in another table: not edited here
            raise HTTPException(422, str(error)) from None
        if form is None:
            return page(None, 200, notice(request), current, version(text))
        values = {name: field(form, name) for name in MEASURE_FIELDS}
        changes = {
            name: (values[name] or None)
            for name in MEASURE_FIELDS
            if values[name] != _as_sent(current.get(name, ""))
        }
        return self._save(
            request,
            entry,
            relative,
            text,
            form,
            changes,
            action=str(form.get("action") or "save"),
            page=lambda checked, status, notice, warnings=(), retype=(): page(
                checked, status, notice, values, str(form.get("version") or ""), warnings, retype
            ),
            after=f"/measure/{name}",
            current_values=lambda now: {
                k: field_text(v) for k, v in read_entry(now, entry).items()
            },
            values=values,
            # A filter's numbers are read in the office's notation, as a formula's.
            typed=[Typed("filter", _("Filter"), values["filter"], formula=True)]
            if values["filter"] and values["filter"] != _as_sent(current.get("filter", ""))
            else [],
        )

    # -- drafts

    async def discard_draft(self, request: Request) -> Response:
        form = await request.form()
        relative = str(form.get("file") or "")
        self.workspace.discard_draft(relative)
        back = str(form.get("back") or "/")
        return RedirectResponse(
            back if back.startswith("/") and not back.startswith("//") else "/", status_code=303
        )


def _indicator_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An indicator's fields as the form shows them (text as the file writes it)."""
    return {
        "name": field_text(fields.get("name")),
        "unit": field_text(fields.get("unit")),
        "polarity": field_text(fields.get("polarity")) or "positif",
        "baseline": field_text(fields.get("baseline")),
        "formula": field_text(fields.get("formula")),
        "targets": field_text(dict(fields.get("targets") or {})),
        # By period, as the loader reads them: "2026-tw1" is shown under TW1.
        "triwulan_targets": field_text(by_period(dict(fields.get("triwulan_targets") or {}))),
    }


def _indicator_form(form: FormData, years: list[int]) -> dict[str, Any]:
    values: dict[str, Any] = {name: field(form, name) for name in INDICATOR_FIELDS}
    values["targets"] = {str(y): field(form, f"target-{y}") for y in years}
    values["triwulan_targets"] = {
        f"{y}-TW{q}": field(form, f"tw-{y}-{q}") for y in years for q in range(1, 5)
    }
    return values


def _indicator_changes(current: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the form changed: a field shown as the file writes it and sent back the
    same is left alone (``"55,33"`` keeps its comma, ``40`` stays a number)."""
    shown = _indicator_values(current)
    changes: dict[str, Any] = {}
    for name in INDICATOR_FIELDS:
        if values[name] == _as_sent(shown[name]):
            continue
        if name == "polarity" and values[name] == "positif" and "polarity" not in current:
            continue
        changes[name] = values[name] or None
    for name in ("targets", "triwulan_targets"):
        table = {
            key: (text or None)
            for key, text in values[name].items()
            if text != _as_sent(shown[name].get(key, ""))
        }
        if table:
            changes[name] = on_keys_written(dict(current.get(name) or {}), table)
    return changes


def _indicator_typed(current: Mapping[str, Any], values: Mapping[str, Any]) -> list[Typed]:
    """The fields holding numbers that ``values`` (the form's, or a draft's) change from the
    file's ``current`` fields, as the form sends them back: the baseline, the formula, each
    target. A target emptied is none."""
    shown = _indicator_values(current)
    pairs = [("baseline", _("Baseline"), values["baseline"], shown["baseline"])]
    pairs.append(("formula", _("Formula"), values["formula"], shown["formula"]))
    for year, text in values["targets"].items():
        was = shown["targets"].get(year, "")
        pairs.append((f"target-{year}", _("Target {year}").format(year=year), text, was))
    for key, text in values["triwulan_targets"].items():
        year, _tw, quarter = key.partition("-TW")
        label = _("Target {year} TW{quarter}").format(year=year, quarter=quarter)
        was = shown["triwulan_targets"].get(key, "")
        pairs.append((f"tw-{year}-{quarter}", label, text, was))
    return [
        Typed(name, label, _as_sent(text), formula=name == "formula")
        for name, label, text, was in pairs
        if _as_sent(text) and _as_sent(text) != _as_sent(was)
    ]


def _as_sent(text: str) -> str:
    """A value as the form sends it back untouched: trimmed, lines ended with LF (a name
    written ``"Unit "`` in the file is not rewritten ``"Unit"`` by a save of its targets)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _placed(problem: Problem, formula: str, offset: int | None) -> dict[str, Any]:
    length = 1
    if offset is not None:
        quoted = problem.message.split("'")
        names = [quoted[i] for i in range(1, len(quoted), 2)]
        for name in names:
            if name and formula[offset:].startswith(name):
                length = len(name)
                break
        else:
            # Said of the whole formula (its unit, its range): the whole is underlined.
            rest = formula[offset:]
            word = rest.split()[0] if rest.split() else rest
            length = len(formula) if offset == 0 else max(1, len(word))
    return problem.as_dict() | {
        "start": offset,
        "end": None if offset is None else offset + length,
        "text": problem.message + (f" ({problem.suggestion})" if problem.suggestion else ""),
    }


def _boundsfield_text(bounds: Any, definitions: Any) -> str:
    low, high = bounds.interval.low, bounds.interval.high
    percent = " %" if bounds.unit == "percent" else ""
    if low.is_infinite() and high.is_infinite():
        span = _("any value")
    elif high.is_infinite():
        span = f"≥ {views.number(low, definitions, 6)}{percent}"
    elif low.is_infinite():
        span = f"≤ {views.number(high, definitions, 6)}{percent}"
    else:
        span = (
            f"{views.number(low, definitions, 6)} – {views.number(high, definitions, 6)}{percent}"
        )
    unit = _("percent") if bounds.unit == "percent" else _("number")
    return _("proven range {range}, unit {unit}").format(range=span, unit=unit)


def _summary(checked: Checked) -> str:
    errors = len(checked.errors)
    warnings = len(checked.problems) - errors
    return _("{errors} errors, {warnings} warnings in the folder").format(
        errors=errors, warnings=warnings
    )
