"""What every page of the workspace shares: rendering a template with the session's
token, the period asked for, the evaluation of a period, and running blocking work in a
thread."""

import difflib
import threading
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    Response,
)

from iku_rules import Evaluation, IkuError
from iku_rules.i18n import current_language
from iku_rules.provisional import as_sentence
from iku_rules.serve.security import Sessions
from iku_rules.serve.targets_import import TargetChange
from iku_rules.serve.text import _
from iku_rules.serve.workspace import Workspace

STATIC = Path(__file__).resolve().parent / "static"
REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self';"  # i18n: not for planners
    " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
    " form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
INDICATOR_FIELDS = ("name", "unit", "polarity", "baseline", "formula")
MEASURE_FIELDS = ("source", "aggregate", "column", "filter", "unit", "description")
AGGREGATES = ("count", "count_distinct", "sum")


class Pages:
    """The base of the workspace's pages: :class:`~iku_rules.serve.app.App` sets these."""

    workspace: Workspace
    sessions: Sessions
    env: Environment
    imports: dict[str, tuple[list[TargetChange], dict[str, str]]]
    _imports_lock: threading.Lock

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
            office=office.name if office else _("Office"),
            folder_problems=len(definitions.errors),
            area=definitions.area,
            drafts=list(self.workspace.drafts()),
            request_path=request.url.path,
            request=request,
            language=current_language(),
            **context,
        )
        return HTMLResponse(html, status_code=status)

    async def _refused(self, request: Request, error: Exception) -> Response:
        return self._error_page(request, 404, str(error))

    async def _http_error(self, request: Request, error: Exception) -> Response:
        """A page not found (404) or not reached by the method asked (405) as a page in the
        workspace's language, never Starlette's English ``Not Found``; the other errors as
        their text (already translated where they are raised), as Starlette shows them."""
        assert isinstance(error, HTTPException)
        status, headers = error.status_code, error.headers
        default = error.detail == HTTPStatus(status).phrase  # Starlette's words, not ours
        if status == 404:
            message = (
                _("There is no page at {path} in the workspace.").format(path=request.url.path)
                if default
                else error.detail
            )
        elif status == 405:
            message = (
                _(
                    "The page {path} cannot be opened this way ({method}): use the workspace's"
                    " links and buttons."
                ).format(path=request.url.path, method=request.method)
                if default
                else error.detail
            )
        elif status in (204, 304):
            return Response(status_code=status, headers=headers)
        else:
            return PlainTextResponse(error.detail, status_code=status, headers=headers)
        return self._error_page(request, status, message, headers)

    def _error_page(
        self, request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        heading = _("Page not found") if status == 404 else _("Not opened this way")
        response = self.render(request, "error.html", status, heading=heading, message=message)
        response.headers.update(headers or {})
        return response

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

    def _provisional(self, evaluation: Evaluation | None) -> str | None:
        """The note a page shows before any number of a period not over on the day of the
        evaluation (:mod:`iku_rules.provisional`), capitalised as a sentence, in the
        workspace's language; None when the period is over (or nothing was evaluated)."""
        if evaluation is None:
            return None
        return as_sentence(evaluation.provisional_note(current_language()))


async def in_thread(function: Any, *args: Any) -> Response:
    """Run a page's blocking work (reading files, evaluating) in Starlette's thread pool."""
    from starlette.concurrency import run_in_threadpool

    result: Response = await run_in_threadpool(function, *args)
    return result


def notice(request: Request) -> str | None:
    """The sentence a page shows after a redirect that says what was done (``?notice=``)."""
    return {
        "saved": _("Saved. The file keeps its comments and layout."),
        "draft": _(
            "Your edit is kept as a draft beside the file; the definitions were not changed."
        ),
    }.get(request.query_params.get("notice", ""))


def field_text(value: Any) -> Any:
    """A TOML value as a form field shows it (tables field by field, missing as empty)."""
    if isinstance(value, dict):
        return {str(k): field_text(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def diff_lines(old: str, new: str | None, relative: str) -> list[tuple[str, str]]:
    """A unified diff as (kind, line) for the template: ``+``, ``-``, ``@`` or `` ``."""
    if new is None:
        return []
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"{relative}", f"{relative}", lineterm="", n=2
    )
    return [(line[:1] if line[:1] in "+-@" else " ", line) for line in lines]
