"""The workspace's routes: browse, edit, evaluate and explain, reports, import.

Every page is rendered on the server (Jinja2, escaping on); the script in ``static/``
only makes them quicker to use (the explanation in a side panel, the formula checked
as it is typed, the tree filtered as a name is typed). Without it every page still works
through plain links and forms.
"""

from __future__ import annotations

import difflib
import secrets
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from iku_rules import IkuError
from iku_rules.bounds import analyse
from iku_rules.serve import views
from iku_rules.serve.paths import PathRefused
from iku_rules.serve.security import LOOPBACK_NAMES, Guard, Sessions
from iku_rules.serve.targets_import import TargetChange, read_targets
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import EditError, Entry, edit_entry, read_entry, version
from iku_rules.serve.workspace import Checked, Problem, Workspace

STATIC = Path(__file__).resolve().parent / "static"
REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self';"
    " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
    " form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
INDICATOR_FIELDS = ("name", "unit", "polarity", "baseline", "formula")
MEASURE_FIELDS = ("source", "aggregate", "column", "filter", "unit", "description")
AGGREGATES = ("count", "count_distinct", "sum")


class App:
    """The workspace over one :class:`Workspace`; :attr:`asgi` is the ASGI application."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        password: str | None = None,
        allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES,
    ):
        self.workspace = workspace
        self.sessions = Sessions(password=password)
        self.env = Environment(
            loader=PackageLoader("iku_rules.serve", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["_"] = _
        self.imports: dict[str, tuple[list[TargetChange], dict[str, str]]] = {}
        self._imports_lock = threading.Lock()
        routes = [
            Route("/", self.browse),
            Route("/login", self.login, methods=["GET", "POST"]),
            Route("/indicator/{id:path}", self.indicator, methods=["GET", "POST"]),
            Route("/measure/{name:path}", self.measure, methods=["GET", "POST"]),
            Route("/api/check", self.api_check, methods=["POST"]),
            Route("/explain/{id:path}", self.explain),
            Route("/report", self.report),
            Route("/import", self.import_targets, methods=["GET", "POST"]),
            Route("/import/apply", self.import_apply, methods=["POST"]),
            Route("/draft/discard", self.discard_draft, methods=["POST"]),
            Route("/file/{path:path}", self.definition_file),
            Route("/data/{path:path}", self.data_file),
            Route("/problems", self.problems),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
        self.starlette = Starlette(routes=routes)
        self.starlette.add_exception_handler(PathRefused, self._refused)
        self.asgi = Guard(self._with_headers, self.sessions, allowed_hosts)

    async def _with_headers(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
                ]
            await send(message)

        await self.starlette(scope, receive, send_headers)

    # -- helpers

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        session = request.scope["state"]["session"]
        definitions = self.workspace.definitions()
        office = definitions.office
        context.setdefault(
            "period", request.query_params.get("period") or self.workspace.default_period()
        )
        html = self.env.get_template(template).render(
            csrf=session.token,
            office=office.name if office else _("Perangkat Daerah"),
            folder_problems=len(definitions.errors),
            drafts=list(self.workspace.drafts()),
            request_path=request.url.path,
            request=request,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    async def _refused(self, request: Request, error: Exception) -> Response:
        return PlainTextResponse(str(error), status_code=404)

    def _period(self, request: Request) -> str:
        period = request.query_params.get("period") or self.workspace.default_period()
        if period not in self.workspace.periods():
            raise HTTPException(400, _("unknown period '{period}'").format(period=period))
        return period

    def _evaluation(self, period: str) -> tuple[Any, str | None]:
        try:
            return self.workspace.evaluation(period), None
        except IkuError as error:
            return None, str(error)

    # -- browse

    async def browse(self, request: Request) -> Response:
        return await _in_thread(self._browse, request)

    def _browse(self, request: Request) -> Response:
        period = self._period(request)
        definitions = self.workspace.definitions()
        evaluation, error = self._evaluation(period) if definitions.ok else (None, None)
        regions = list(evaluation.regions) if evaluation is not None else []
        region = request.query_params.get("region") or None
        if region is not None and region not in regions:
            region = None
        bands = self.workspace.predikat_bands() if definitions.ok else []
        query = request.query_params.get("q", "")
        nodes = views.tree(definitions, evaluation, region, bands, query)
        return self.render(
            request,
            "browse.html",
            period=period,
            periods=self.workspace.periods(),
            region=region,
            regions=regions,
            region_level=self.workspace.region_level(),
            nodes=nodes,
            query=query,
            error=error,
            bands=[(band, views.predikat_class(band, bands)) for band in bands],
            problems=self.workspace.problems(definitions)[:50],
            measures=[m.name for m in definitions.measures],
        )

    async def problems(self, request: Request) -> Response:
        return self.render(request, "problems.html", problems=self.workspace.problems())

    # -- login

    async def login(self, request: Request) -> Response:
        session = request.scope["state"]["session"]
        if request.method == "POST":
            form = await request.form()
            password = form.get("password")
            if isinstance(password, str) and self.sessions.login(session, password):
                return RedirectResponse("/", status_code=303)
            return self.render(request, "login.html", status=401, failed=True, public=True)
        return self.render(request, "login.html", failed=False, public=True)

    # -- edit an indicator

    def _indicator_file(self, indicator_id: str) -> tuple[Any, str]:
        indicator = self.workspace.definitions().indicator(indicator_id)
        if indicator is None or indicator.location is None:
            raise HTTPException(404, _("there is no indicator '{id}'").format(id=indicator_id))
        return indicator, self.workspace.relative(indicator.location.path)

    async def indicator(self, request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await _in_thread(self._indicator, request, form)

    def _indicator(self, request: Request, form: FormData | None) -> Response:
        indicator_id = request.path_params["id"]
        indicator, relative = self._indicator_file(indicator_id)
        entry = Entry("indikator", indicator_id)
        text = self.workspace.read(relative)
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
            return self._indicator_page(
                request,
                indicator,
                relative,
                values,
                version(text),
                None,
                notice=_notice(request),
                from_draft=from_draft,
            )
        values = _indicator_form(form, self.workspace.plan_years())
        action = form.get("action") or "save"
        base = version(text)
        return self._save(
            request,
            entry,
            relative,
            text,
            form,
            _indicator_changes(read_entry(text, entry), values),
            action=str(action),
            page=lambda checked, status, notice: self._indicator_page(
                request, indicator, relative, values, base, checked, status=status, notice=notice
            ),
            after=f"/indicator/{indicator_id}",
            current_values=lambda current: _indicator_values(read_entry(current, entry)),
            values=values,
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
            draft_diff=_diff(self.workspace.read(relative), draft, relative) if draft else None,
            from_draft=from_draft,
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
            if at_formula or f"indicator '{indicator_id}'" in problem.message:
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
                bounds = _bounds_text(found, definitions)
        return placed, others, bounds

    def _save(
        self,
        request: Request,
        entry: Entry,
        relative: str,
        text: str,
        form: FormData,
        changes: Mapping[str, Any],
        *,
        action: str,
        page: Callable[[Checked | None, int, str | None], Response],
        after: str,
        current_values: Callable[[str], Mapping[str, Any]],
        values: Mapping[str, Any],
    ) -> Response:
        base = str(form.get("version") or "")
        try:
            new_text = edit_entry(text, entry, changes)
        except EditError as error:
            return page(None, 422, str(error))
        if action == "check":
            return page(self.workspace.check({relative: new_text}), 200, None)
        if base != version(text):
            # Another tab (or an editor) saved the file since this form was opened.
            return self.render(
                request,
                "conflict.html",
                status=409,
                entry=entry,
                relative=relative,
                after=after,
                mine=values,
                theirs=current_values(text),
                rows=_compare(current_values(text), values),
                diff=_diff(text, new_text, relative),
                base=version(text),
                form_items=[
                    (k, v)
                    for k, v in form.multi_items()
                    if k not in ("version", "csrf", "action") and isinstance(v, str)
                ],
            )
        if action == "draft":
            self.workspace.keep_draft(relative, new_text)
            return RedirectResponse(f"{after}?notice=draft", status_code=303)
        checked = self.workspace.check({relative: new_text})
        if checked.errors:
            return page(
                checked,
                422,
                _(
                    "Not saved: the definitions would not pass the check. Fix the problems below, or keep your edit as a draft."
                ),
            )
        if new_text != text:
            self.workspace.write(relative, new_text)
        if form.get("from_draft") == "1":
            self.workspace.discard_draft(relative)
        return RedirectResponse(f"{after}?notice=saved", status_code=303)

    # -- live check

    async def api_check(self, request: Request) -> Response:
        form = await request.form()
        return await _in_thread(self._api_check, form)

    def _api_check(self, form: FormData) -> Response:
        indicator_id = str(form.get("indicator") or "")
        _indicator, relative = self._indicator_file(indicator_id)
        entry = Entry("indikator", indicator_id)
        text = self.workspace.read(relative)
        values = _indicator_form(form, self.workspace.plan_years())
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
        return await _in_thread(self._measure, request, form)

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
            )

        current = {k: _text(v) for k, v in read_entry(text, entry).items()}
        if form is None:
            return page(None, 200, _notice(request), current, version(text))
        values = {field: str(form.get(field) or "").strip() for field in MEASURE_FIELDS}
        changes = {
            field: (values[field] or None)
            for field in MEASURE_FIELDS
            if values[field] != current.get(field, "")
        }
        return self._save(
            request,
            entry,
            relative,
            text,
            form,
            changes,
            action=str(form.get("action") or "save"),
            page=lambda checked, status, notice: page(
                checked, status, notice, values, version(text)
            ),
            after=f"/measure/{name}",
            current_values=lambda now: {k: _text(v) for k, v in read_entry(now, entry).items()},
            values=values,
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

    # -- explain

    async def explain(self, request: Request) -> Response:
        return await _in_thread(self._explain, request)

    def _explain(self, request: Request) -> Response:
        indicator_id = request.path_params["id"]
        period = self._period(request)
        definitions = self.workspace.definitions()
        if definitions.indicator(indicator_id) is None:
            raise HTTPException(404, _("there is no indicator '{id}'").format(id=indicator_id))
        evaluation, error = (
            self._evaluation(period) if definitions.ok else (None, _("the definitions have errors"))
        )
        region = request.query_params.get("region") or None
        node = None
        if evaluation is not None:
            if region is not None and region not in evaluation.regions:
                region = None
            explanation = evaluation.explain(indicator_id, region)
            node = views.explanation_node(explanation.as_dict(), definitions)
        template = (
            "explain_panel.html" if request.query_params.get("fragment") == "1" else "explain.html"
        )
        return self.render(
            request,
            template,
            period=period,
            region=region,
            node=node,
            error=error,
            indicator=definitions.indicator(indicator_id),
        )

    # -- reports

    async def report(self, request: Request) -> Response:
        return await _in_thread(self._report, request)

    def _report(self, request: Request) -> Response:
        # Loaded on the first report (openpyxl is slow to import): start-up stays quick.
        from iku_rules.report import build_report, write_report

        period = self._period(request)
        kind = request.query_params.get("format", "html")
        if kind not in REPORT_TYPES:
            raise HTTPException(400, _("unknown report format '{format}'").format(format=kind))
        try:
            engine = self.workspace.engine()
            report = build_report(engine, period)
        except IkuError as error:
            return PlainTextResponse(str(error), status_code=422)
        office = self.workspace.definitions().office
        name = f"lkjip-{office.id if office else 'laporan'}-{period}.{kind}"
        with tempfile.TemporaryDirectory(prefix="iku-report-") as temp:
            path = Path(temp) / name
            write_report(report, path, kind, replace=False)
            content = path.read_bytes()
        return Response(
            content,
            media_type=REPORT_TYPES[kind],
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # -- import targets from Excel

    async def import_targets(self, request: Request) -> Response:
        if request.method == "GET":
            return self.render(request, "import.html", changes=None, problems=[], token=None)
        form = await request.form()
        upload = form.get("sheet")
        if not isinstance(upload, UploadFile):
            return self.render(
                request,
                "import.html",
                status=400,
                changes=None,
                token=None,
                problems=[("-", _("choose an Excel file (.xlsx) to upload"))],
            )
        content = await upload.read()
        return await _in_thread(self._import_preview, request, content)

    def _import_preview(self, request: Request, content: bytes) -> Response:
        definitions = self.workspace.definitions()
        current: dict[str, tuple[str, dict[str, str]]] = {}
        texts: dict[str, str] = {}
        for indicator in definitions.indicators:
            if indicator.location is None:
                continue
            relative = self.workspace.relative(indicator.location.path)
            if relative not in texts:
                texts[relative] = self.workspace.read(relative)
            fields = read_entry(texts[relative], Entry("indikator", indicator.id))
            targets = {str(k): _text(v) for k, v in dict(fields.get("targets") or {}).items()}
            targets |= {
                str(k): _text(v) for k, v in dict(fields.get("triwulan_targets") or {}).items()
            }
            current[indicator.id] = (indicator.name, targets)
        changes, problems = read_targets(content, current)
        edits, error = self._import_edits(changes, texts)
        checked = self.workspace.check(edits) if edits and error is None else None
        token = None
        if changes and error is None:
            token = secrets.token_urlsafe(16)
            with self._imports_lock:
                self.imports = {token: (changes, {r: version(t) for r, t in texts.items()})}
        return self.render(
            request,
            "import.html",
            changes=changes,
            problems=[(p.cell, p.message) for p in problems] + ([("-", error)] if error else []),
            token=token,
            diffs=[_diff(texts[r], t, r) for r, t in edits.items()] if edits else [],
            checked=checked,
        )

    def _import_edits(
        self, changes: list[TargetChange], texts: Mapping[str, str]
    ) -> tuple[dict[str, str], str | None]:
        definitions = self.workspace.definitions()
        edits: dict[str, str] = {}
        for change in changes:
            indicator = definitions.indicator(change.indicator)
            assert indicator is not None and indicator.location is not None
            relative = self.workspace.relative(indicator.location.path)
            try:
                edits[relative] = edit_entry(
                    edits.get(relative, texts[relative]),
                    Entry("indikator", change.indicator),
                    {change.field: {change.period: change.value}},
                )
            except EditError as error:
                return {}, str(error)
        return edits, None

    async def import_apply(self, request: Request) -> Response:
        form = await request.form()
        return await _in_thread(self._import_apply, request, form)

    def _import_apply(self, request: Request, form: FormData) -> Response:
        token = str(form.get("token") or "")
        with self._imports_lock:
            found = self.imports.pop(token, None)
        if found is None:
            return self.render(
                request,
                "import.html",
                status=409,
                changes=None,
                token=None,
                problems=[
                    (
                        "-",
                        _("this import was already written or has expired; upload the sheet again"),
                    )
                ],
            )
        changes, versions = found
        texts = {relative: self.workspace.read(relative) for relative in versions}
        changed = [r for r, v in versions.items() if version(texts[r]) != v]
        if changed:
            return self.render(
                request,
                "import.html",
                status=409,
                changes=None,
                token=None,
                problems=[
                    (
                        "-",
                        _(
                            "{file} changed since the sheet was read; upload it again to see the changes against it"
                        ).format(file=", ".join(changed)),
                    )
                ],
            )
        edits, error = self._import_edits(changes, texts)
        if error is not None:
            return self.render(
                request,
                "import.html",
                status=422,
                changes=None,
                token=None,
                problems=[("-", error)],
            )
        checked = self.workspace.check(edits)
        if checked.errors:
            return self.render(
                request,
                "import.html",
                status=422,
                changes=None,
                token=None,
                problems=[(f"{p.file}:{p.line}", p.message) for p in checked.errors],
            )
        for relative, text in edits.items():
            self.workspace.write(relative, text)
        return RedirectResponse(f"/?notice=imported&count={len(changes)}", status_code=303)

    # -- files

    async def definition_file(self, request: Request) -> Response:
        relative = request.path_params["path"]
        text = self.workspace.read(relative)
        return self.render(request, "file.html", relative=relative, lines=text.splitlines())

    async def data_file(self, request: Request) -> Response:
        path = self.workspace.data_file(request.path_params["path"])
        return FileResponse(path, filename=path.name, content_disposition_type="attachment")


async def _in_thread(function: Any, *args: Any) -> Response:
    from starlette.concurrency import run_in_threadpool

    result: Response = await run_in_threadpool(function, *args)
    return result


def _notice(request: Request) -> str | None:
    return {
        "saved": _("Saved. The file keeps its comments and layout."),
        "draft": _(
            "Your edit is kept as a draft beside the file; the definitions were not changed."
        ),
    }.get(request.query_params.get("notice", ""))


def _text(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _indicator_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An indicator's fields as the form shows them (text as the file writes it)."""
    return {
        "name": _text(fields.get("name")),
        "unit": _text(fields.get("unit")),
        "polarity": _text(fields.get("polarity")) or "positif",
        "baseline": _text(fields.get("baseline")),
        "formula": _text(fields.get("formula")),
        "targets": _text(dict(fields.get("targets") or {})),
        "triwulan_targets": _text(dict(fields.get("triwulan_targets") or {})),
    }


def _indicator_form(form: FormData, years: list[int]) -> dict[str, Any]:
    values: dict[str, Any] = {
        field: str(form.get(field) or "").strip() for field in INDICATOR_FIELDS
    }
    values["formula"] = str(form.get("formula") or "").strip()
    values["targets"] = {str(y): str(form.get(f"target-{y}") or "").strip() for y in years}
    values["triwulan_targets"] = {
        f"{y}-TW{q}": str(form.get(f"tw-{y}-{q}") or "").strip() for y in years for q in range(1, 5)
    }
    return values


def _indicator_changes(current: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Only what the form changed: a field shown as the file writes it and sent back the
    same is left alone (``"55,33"`` keeps its comma, ``40`` stays a number)."""
    shown = _indicator_values(current)
    changes: dict[str, Any] = {}
    for field in INDICATOR_FIELDS:
        if values[field] == shown[field]:
            continue
        if field == "polarity" and values[field] == "positif" and "polarity" not in current:
            continue
        changes[field] = values[field] or None
    for field in ("targets", "triwulan_targets"):
        table = {
            key: (text or None)
            for key, text in values[field].items()
            if text != shown[field].get(key, "")
        }
        if table:
            changes[field] = table
    return changes


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


def _bounds_text(bounds: Any, definitions: Any) -> str:
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
    unit = _("persen") if bounds.unit == "percent" else _("angka")
    return _("proven range {range}, unit {unit}").format(range=span, unit=unit)


def _summary(checked: Checked) -> str:
    errors = len(checked.errors)
    warnings = len(checked.problems) - errors
    return _("{errors} errors, {warnings} warnings in the folder").format(
        errors=errors, warnings=warnings
    )


def _diff(old: str, new: str | None, relative: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) for the template: ``+``, ``-``, ``@`` or `` ``."""
    if new is None:
        return []
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"{relative}", f"{relative}", lineterm="", n=2
    )
    return [(line[:1] if line[:1] in "+-@" else " ", line) for line in lines]


def _compare(theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for key in mine:
        a, b = theirs.get(key, ""), mine.get(key, "")
        if isinstance(b, dict):
            for inner in b:
                x, y = (a or {}).get(inner, ""), b.get(inner, "")
                if x != y:
                    rows.append((f"{key} {inner}", x, y))
        elif a != b:
            rows.append((key, str(a), str(b)))
    return rows


def create_app(
    definitions: str | Path,
    data: str | Path,
    *,
    password: str | None = None,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES,
    backend: str = "duckdb",
) -> App:
    """The workspace over a definitions folder and a data folder."""
    return App(
        Workspace(definitions, data, backend=backend),
        password=password,
        allowed_hosts=allowed_hosts,
    )
