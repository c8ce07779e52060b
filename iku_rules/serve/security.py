"""Who may use the workspace, and that each change comes from its own pages.

* **Sessions.** The first visit gets a random session id in a cookie (``HttpOnly``,
  ``SameSite=Strict``); the server keeps what belongs to it.
* **CSRF.** Every request that changes something (every ``POST``) carries the session's
  token, in the form field ``csrf`` or the header ``X-CSRF-Token``; another site's page
  cannot read it, so it cannot forge a save. A request without it is refused (403).
* **Password.** When the workspace has one, every page but the login page needs a
  session that gave it. Binding to an address other than the machine's own needs an
  explicit flag *and* a password (:func:`check_binding`).
* **Hosts.** Bound to the machine's own address, only requests naming it as their host
  are answered, so a web page cannot reach the workspace through a name it controls.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading

from attrs import define, field
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from iku_rules.serve.text import _

COOKIE = "iku_session"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_SESSIONS = 10_000
"""Sessions kept at most: a client that never sends its cookie back cannot fill memory."""
MAX_BODY = 20 * 1024 * 1024
"""The largest request body taken (an Excel sheet of targets is far smaller)."""
OPEN_PATHS = ("/login", "/static/")
"""Paths answered without the password: the login page and its style sheet."""


class BindingRefused(ValueError):
    """An address the workspace may not listen on with the options given."""


def is_loopback(host: str) -> bool:
    """True for the machine's own addresses (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, *, allow_remote: bool, password: str | None) -> None:
    """Refuse to listen on ``host`` unless it is the machine's own address, or the user
    both allowed it (``--allow-remote``) and set a password."""
    if is_loopback(host):
        return
    if not allow_remote:
        raise BindingRefused(
            _(
                "listening on {host} lets other computers reach the workspace; give"
                " --allow-remote and a password (IKU_SERVE_PASSWORD or --password-file) to do it"
            ).format(host=host)
        )
    if not password:
        raise BindingRefused(
            _(
                "listening on {host} needs a password: set IKU_SERVE_PASSWORD or give --password-file"
            ).format(host=host)
        )


@define
class Session:
    token: str
    authenticated: bool = False


@define
class Sessions:
    """The sessions of one running workspace, kept in memory."""

    password: str | None = None
    _sessions: dict[str, Session] = field(factory=dict)
    _lock: threading.Lock = field(factory=threading.Lock)

    def get(self, session_id: str | None) -> tuple[str, Session]:
        with self._lock:
            if session_id and session_id in self._sessions:
                return session_id, self._sessions[session_id]
            while len(self._sessions) >= MAX_SESSIONS:  # the oldest go first
                del self._sessions[next(iter(self._sessions))]
            new_id = secrets.token_urlsafe(32)
            session = Session(token=secrets.token_urlsafe(32), authenticated=not self.password)
            self._sessions[new_id] = session
            return new_id, session

    def login(self, session: Session, password: str) -> bool:
        if self.password is None:
            return True
        ok = hmac.compare_digest(password.encode("utf-8"), self.password.encode("utf-8"))
        if ok:
            session.authenticated = True
        return ok


def csrf_ok(session: Session, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), session.token.encode())


class Guard:
    """ASGI middleware: the session, the password, the host and the CSRF token."""

    def __init__(self, app: ASGIApp, sessions: Sessions, allowed_hosts: tuple[str, ...] | None):
        self.app = app
        self.sessions = sessions
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if self.allowed_hosts is not None and request.url.hostname not in self.allowed_hosts:
            await PlainTextResponse(_("Unknown host"), status_code=400)(scope, receive, send)
            return
        session_id, session = self.sessions.get(request.cookies.get(COOKIE))
        scope.setdefault("state", {})["session"] = session
        path = scope["path"]
        response: Response | None = None
        if not session.authenticated and not path.startswith(OPEN_PATHS):
            response = RedirectResponse("/login", status_code=303)
        elif scope["method"] not in SAFE_METHODS:
            length = int(request.headers.get("content-length") or 0)
            if length > MAX_BODY:
                response = PlainTextResponse(_("The upload is too large."), status_code=413)
            else:
                body = await request.body()
                receive = _replay(body)
                if not await _token_given(Request(scope, _replay(body)), session):
                    response = PlainTextResponse(
                        _(
                            "This request did not carry the page's token (CSRF); reload the"
                            " page and try again."
                        ),
                        status_code=403,
                    )
        if response is not None:
            _set_cookie(response, session_id)
            await response(scope, receive, send)
            return
        new_cookie = request.cookies.get(COOKIE) != session_id

        async def send_with_cookie(message: Message) -> None:
            if new_cookie and message["type"] == "http.response.start":
                cookie = Response()
                _set_cookie(cookie, session_id)
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in cookie.raw_headers if k == b"set-cookie"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _replay(body: bytes) -> Receive:
    """A ``receive`` that gives the request's body, already read, once more."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _token_given(request: Request, session: Session) -> bool:
    header = request.headers.get("x-csrf-token")
    if header is not None:
        return csrf_ok(session, header)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf")
        return csrf_ok(session, value if isinstance(value, str) else None)
    return False


def _set_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(COOKIE, session_id, httponly=True, samesite="strict", path="/")
