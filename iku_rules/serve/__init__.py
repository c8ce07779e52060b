"""The planners' web workspace: ``iku serve DEFS --data DATA``.

Browse the cascade with each indicator's value, target, capaian and predikat; edit an
indicator or a measure with the formula checked as it is typed; evaluate a period and
region and open any value's explanation; download the LKjIP report; import targets from
an Excel sheet. A top floor beside the command line, calling the library through its
public API only.

Needs the ``serve`` extra (``pip install 'iku-rules[serve]'``): Starlette, Jinja2,
uvicorn, tomlkit and python-multipart.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

from iku_rules.i18n import _
from iku_rules.serve.app import App, create_app
from iku_rules.serve.security import BindingRefused, check_binding
from iku_rules.serve.workspace import Workspace

__all__ = ["App", "BindingRefused", "Workspace", "create_app", "in_background", "listen", "serve"]


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (``0``: any free port) and listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    definitions: str | Path,
    data: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_remote: bool = False,
    password: str | None = None,
    backend: str = "duckdb",
    today: date | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """Serve the workspace until interrupted; prints the address to open, nothing else
    is started (no browser is opened). ``today``: the day its evaluations are made on
    (None: the day ``IKU_TODAY`` names, else today)."""
    check_binding(host, allow_remote=allow_remote, password=password)
    import uvicorn

    from iku_rules.serve.security import LOOPBACK_NAMES, is_loopback

    app = create_app(
        definitions,
        data,
        password=password,
        allowed_hosts=LOOPBACK_NAMES if is_loopback(host) else None,
        backend=backend,
        today=today,
    )
    app.workspace.definitions()
    sock = listen(host, port)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    print(f"http://{shown}:{sock.getsockname()[1]}/", file=out, flush=True)
    config = uvicorn.Config(app.asgi, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.workspace.close()
        sock.close()


@contextlib.contextmanager
def in_background(app: App, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a thread while the ``with`` block runs; gives its address
    (``http://127.0.0.1:PORT``). For tests, screenshots and benchmarks."""
    import uvicorn

    sock = listen(host, port)
    config = uvicorn.Config(app.asgi, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(_("the workspace did not start"))
            time.sleep(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.workspace.close()
        sock.close()
