"""``vitk2 serve``: the app on a socket, the address printed, optionally a browser opened.

Loopback (127.0.0.1) by default. Any other address needs an access token (``--token``
or ``VITK2_TOKEN``), which every request must then carry. The socket is bound before
the address is printed, so ``--port 0`` prints the free port it got and a port in use
is one line of error, not a traceback.
"""

from __future__ import annotations

import gc
import socket
import threading
import webbrowser
from collections.abc import Callable
from typing import Final

import uvicorn

from vitk2.errors import InvalidOptionError
from vitk2.foods.database import FoodDB
from vitk2.web.app import create_app
from vitk2.web.security import is_loopback

__all__ = ["address", "bind", "check_port", "serve"]

TOKEN_ENV: Final = "VITK2_TOKEN"
MIN_TOKEN_CHARS: Final = 16


def check_port(port: int) -> None:
    """A port number the socket layer takes (0: any free port)."""
    if not 0 <= port <= 65535:
        raise InvalidOptionError(f"--port must be 0 to 65535, got {port}.")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    check_port(port)
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except OSError as error:
        raise InvalidOptionError(f"Cannot serve on {host!r}: {error.strerror}.") from None
    family, kind, proto, _, where = info
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(where)
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise InvalidOptionError(
            f"Cannot listen on {host}:{port}: {error.strerror}. Choose another --port."
        ) from None
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str | None) -> str:
    """The address to open: ``http://127.0.0.1:8000/``, with ``?token=`` when one is needed."""
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = socket.gethostname()
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    db: str | None = None,
    token: str | None = None,
    open_browser: bool = False,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the app until interrupted (Ctrl+C)."""
    check_port(port)  # before the diary is opened
    if not is_loopback(host) and not token:
        raise InvalidOptionError(
            f"Serving on {host} lets other machines reach your diary: give an access token "
            f'with --token TOKEN or {TOKEN_ENV} (e.g. `--token $(python -c "import secrets; '
            'print(secrets.token_urlsafe())")`), or serve on 127.0.0.1.'
        )
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise InvalidOptionError(
            f"The access token is {len(token)} characters long: use at least {MIN_TOKEN_CHARS}."
        )
    app = create_app(db=db, host=host, token=token)
    FoodDB.default().search("warm up", limit=1)  # the search index, built once
    gc.collect()
    gc.freeze()  # the food database's objects stay: spare the collector scanning them
    sock = bind(host, port)
    url = address(host, sock.getsockname()[1], token)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False, lifespan="off"
    )
    echo(f"vitk2 is running at {url} (press Ctrl+C to stop)")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
