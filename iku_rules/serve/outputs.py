"""The workspace's pages that show or bring in: an explanation, a report to download,
targets imported from Excel (a diff first), a definitions file and a data file."""

import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from iku_rules import IkuError
from iku_rules.serve import views
from iku_rules.serve.pages import REPORT_TYPES, Pages, diff_lines, field_text, in_thread
from iku_rules.serve.targets_import import TargetChange, read_targets
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import EditError, Entry, edit_entry, read_entry, version
from iku_rules.serve.workspace import FileChanged


class OutputPages(Pages):
    """The routes that explain, download and import."""

    # -- explain

    async def explain(self, request: Request) -> Response:
        return await in_thread(self._explain, request)

    def _explain(self, request: Request) -> Response:
        indicator_id = request.path_params["id"]
        period = self._period(request)
        definitions = self.workspace.definitions()
        if definitions.indicator(indicator_id) is None:
            raise HTTPException(404, _("there is no indicator '{id}'").format(id=indicator_id))
        evaluation, error = (
            self._evaluation(period) if definitions.ok else (None, _("the definitions have errors"))
        )
        asked = request.query_params.get("region") or None
        region = None
        missing = None
        node = None
        if evaluation is not None:
            region = views.region_asked(asked, list(evaluation.regions))
            missing = asked if asked is not None and region is None else None
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
            region_missing=missing,
            node=node,
            error=error,
            indicator=definitions.indicator(indicator_id),
        )

    # -- reports

    async def report(self, request: Request) -> Response:
        return await in_thread(self._report, request)

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
        return await in_thread(self._import_preview, request, content)

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
            targets = {str(k): field_text(v) for k, v in dict(fields.get("targets") or {}).items()}
            targets |= {
                str(k): field_text(v) for k, v in dict(fields.get("triwulan_targets") or {}).items()
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
            diffs=[diff_lines(texts[r], t, r) for r, t in edits.items()] if edits else [],
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
        return await in_thread(self._import_apply, request, form)

    def _changed_since_read(self, request: Request, files: str) -> Response:
        """The import page saying that ``files`` changed since the sheet was read."""
        message = _(
            "{file} changed since the sheet was read; upload it again to see the changes against it"
        ).format(file=files)
        return self.render(
            request, "import.html", status=409, changes=None, token=None, problems=[("-", message)]
        )

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
            return self._changed_since_read(request, ", ".join(changed))
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
            try:
                self.workspace.write(relative, text, expected=versions[relative])
            except FileChanged:  # saved by someone else while the import was being checked
                return self._changed_since_read(request, relative)
        return RedirectResponse(f"/?notice=imported&count={len(changes)}", status_code=303)

    # -- files

    async def definition_file(self, request: Request) -> Response:
        relative = request.path_params["path"]
        text = self.workspace.read(relative)
        return self.render(request, "file.html", relative=relative, lines=text.splitlines())

    async def data_file(self, request: Request) -> Response:
        path = self.workspace.data_file(request.path_params["path"])
        return FileResponse(path, filename=path.name, content_disposition_type="attachment")
