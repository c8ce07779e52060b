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
from iku_rules.model import Target
from iku_rules.serve import views
from iku_rules.serve.pages import REPORT_TYPES, Pages, diff_lines, field_text, in_thread
from iku_rules.serve.paths import PathRefused
from iku_rules.serve.saving import CONFIRM, new_warnings
from iku_rules.serve.targets_import import TargetChange, read_targets
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
from iku_rules.serve.workspace import Checked, FileChanged


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
            tree = evaluation.explain(indicator_id, region).as_dict()
            note = evaluation.provisional_note()
            if note is not None:  # the page's note says it before the value, not again after
                tree["details"] = [line for line in tree.get("details", []) if line != note]
            node = views.explanation_node(tree, definitions)
        template = (
            "explain_panel.html" if request.query_params.get("fragment") == "1" else "explain.html"
        )
        return self.render(
            request,
            template,
            period=period,
            provisional=self._provisional(evaluation),
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
        loaded: dict[str, dict[str, Target]] = {}
        texts: dict[str, str] = {}
        for indicator in definitions.indicators:
            if indicator.location is None:
                continue
            relative = self.workspace.relative(indicator.location.path)
            if relative not in texts:
                texts[relative] = self.workspace.read(relative)
            try:
                fields = read_entry(texts[relative], Entry("indikator", indicator.id))
            except EditError:  # written inline: a change to it is refused, saying why
                fields = {}
            targets = {str(k): field_text(v) for k, v in dict(fields.get("targets") or {}).items()}
            # By period, as the loader reads them ("2026-tw1" is 2026-TW1's target).
            targets |= field_text(by_period(dict(fields.get("triwulan_targets") or {})))
            current[indicator.id] = (indicator.name, targets)
            loaded[indicator.id] = {str(year): t for year, t in indicator.targets.items()}
            loaded[indicator.id] |= indicator.triwulan_targets
        for path in self.workspace.toml_files():
            # Every file as read: the office's notation and plan years, by which the sheet's
            # cells are read, may stand in a file of no indicator (office.toml).
            relative = self.workspace.relative(path)
            if relative not in texts:
                texts[relative] = self.workspace.read(relative)
        office = definitions.office
        years = None
        if office is not None and office.plan_start is not None and office.plan_end is not None:
            years = range(office.plan_start, office.plan_end + 1)
        changes, problems = read_targets(
            content, current, notation=definitions.notation, years=years, loaded=loaded
        )
        edits, error = self._import_edits(changes, texts)
        checked = self.workspace.check(edits) if edits and error is None else None
        token = None
        if changes and error is None:
            token = self._keep_import(changes, {r: version(t) for r, t in texts.items()})
        return self._import_page(
            request,
            200,
            changes,
            [(p.cell, p.message) for p in problems] + ([("-", error)] if error else []),
            token,
            texts,
            edits,
            checked,
        )

    def _keep_import(self, changes: list[TargetChange], versions: dict[str, str]) -> str:
        """A token for the import read, to write it on the planner's word."""
        token = secrets.token_urlsafe(16)
        with self._imports_lock:
            self.imports = {token: (changes, versions)}
        return token

    def _import_page(
        self,
        request: Request,
        status: int,
        changes: list[TargetChange],
        problems: list[tuple[str, str]],
        token: str | None,
        texts: Mapping[str, str],
        edits: Mapping[str, str],
        checked: Checked | None,
    ) -> Response:
        """The changes an import would make, with the check's errors (nothing can be
        written) or the warnings it gives of the targets imported (written only when the
        planner confirms them: a percentage's target given as a fraction, 0.85 for 85 %,
        makes every capaian a hundred times too high)."""
        warnings = []
        if checked is not None and not checked.errors:
            warnings = new_warnings(
                self.workspace, checked, {r: (texts[r], t) for r, t in edits.items()}
            )
        return self.render(
            request,
            "import.html",
            status=status,
            changes=changes,
            problems=problems,
            token=token,
            diffs=[diff_lines(texts[r], t, r) for r, t in edits.items()],
            checked=checked,
            warnings=warnings,
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
            text = edits.get(relative, texts[relative])
            entry = Entry("indikator", change.indicator)
            try:
                # On the key the file writes for the period ("2026-tw1"), not beside it.
                written = dict(read_entry(text, entry).get(change.field) or {})
                table = on_keys_written(written, {change.period: change.value})
                edits[relative] = edit_entry(text, entry, {change.field: table})
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
        texts: dict[str, str] = {}
        for relative in versions:
            try:
                texts[relative] = self.workspace.read(relative)
            except (OSError, PathRefused):  # removed since: changed
                texts[relative] = ""
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
        if form.get("action") != CONFIRM and new_warnings(
            self.workspace, checked, {r: (texts[r], t) for r, t in edits.items()}
        ):
            # Shown again with the warnings, to be written only on the planner's word.
            token = self._keep_import(changes, versions)
            return self._import_page(request, 422, changes, [], token, texts, edits, checked)
        try:
            # Every file or none: saved by someone else while the import was being checked.
            self.workspace.write_all(edits, versions)
        except FileChanged as meanwhile:
            return self._changed_since_read(request, str(meanwhile.args[0]))
        return RedirectResponse(f"/?notice=imported&count={len(changes)}", status_code=303)

    # -- files

    async def definition_file(self, request: Request) -> Response:
        relative = request.path_params["path"]
        text = self.workspace.read(relative)
        return self.render(request, "file.html", relative=relative, lines=text.splitlines())

    async def data_file(self, request: Request) -> Response:
        path = self.workspace.data_file(request.path_params["path"])
        return FileResponse(path, filename=path.name, content_disposition_type="attachment")
