"""The workspace's routes: browse, edit, evaluate and explain, reports, import.

Every page is rendered on the server (Jinja2, escaping on); the script in ``static/``
only makes them quicker to use (the explanation in a side panel, the formula checked
as it is typed, the tree filtered as a name is typed). Without it every page still works
through plain links and forms.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from iku_rules.serve import views
from iku_rules.serve.edit import EditPages
from iku_rules.serve.outputs import OutputPages
from iku_rules.serve.pages import SECURITY_HEADERS, STATIC, in_thread
from iku_rules.serve.paths import PathRefused
from iku_rules.serve.security import LOOPBACK_NAMES, Guard, Sessions
from iku_rules.serve.targets_import import TargetChange
from iku_rules.serve.text import _
from iku_rules.serve.workspace import Workspace


class App(EditPages, OutputPages):
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
        self.starlette.add_exception_handler(HTTPException, self._http_error)
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

    # -- browse

    async def browse(self, request: Request) -> Response:
        return await in_thread(self._browse, request)

    def _browse(self, request: Request) -> Response:
        period = self._period(request)
        definitions = self.workspace.definitions()
        evaluation, error = self._evaluation(period) if definitions.ok else (None, None)
        regions = list(evaluation.regions) if evaluation is not None else []
        asked = request.query_params.get("region") or None
        region = views.region_asked(asked, regions)
        # A region asked for and not found is said, never shown as the whole area in silence.
        missing = asked if asked is not None and region is None and evaluation else None
        bands = self.workspace.predikat_bands() if definitions.ok else []
        query = request.query_params.get("q", "")
        nodes = views.tree(definitions, evaluation, region, bands, query)
        return self.render(
            request,
            "browse.html",
            period=period,
            provisional=self._provisional(evaluation),
            periods=self.workspace.periods(),
            region=region,
            region_missing=missing,
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


def create_app(
    definitions: str | Path,
    data: str | Path,
    *,
    password: str | None = None,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES,
    backend: str = "duckdb",
    today: date | None = None,
) -> App:
    """The workspace over a definitions folder and a data folder, evaluating as on
    ``today`` (None: the day ``IKU_TODAY`` names, else today)."""
    return App(
        Workspace(definitions, data, backend=backend, today=today),
        password=password,
        allowed_hosts=allowed_hosts,
    )
