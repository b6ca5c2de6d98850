"""The guard every request passes, and the headers every response carries.

- **Host header** (DNS rebinding): a request is served only when its Host names this
  machine: ``localhost``, an IP address literal (a rebinding attack needs a DNS name of
  the attacker's), the name the server was bound to, or this machine's host name when
  bound to every interface. Anything else gets 400.
- **Access token**: when the app was given one (required for any address other than
  loopback), every request must carry it: ``Authorization: Bearer TOKEN``, or the
  cookie a browser gets by opening the address printed by ``vitk2 serve``
  (``/?token=TOKEN``, then redirected without it). Without it: 401.
- **CSRF**: a state-changing request (POST, PUT, PATCH, DELETE) must carry the app's
  CSRF token in the ``X-CSRF-Token`` header (the pages send it with every htmx
  request; API clients read it from ``GET /api/session``), and a cross-site one is
  refused outright (``Origin`` of another host, or ``Sec-Fetch-Site: cross-site``).
  A request with the access token in its ``Authorization`` header needs no CSRF token:
  a browser never adds that header to a cross-site request. Refused: 403.
- **Headers**: a Content-Security-Policy without inline scripts (``script-src 'self'``),
  no framing, ``nosniff``, no referrer, same-origin opener and resources, and
  ``no-store`` for everything but the static files.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import socket
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vitk2.web.errors import error_json

__all__ = [
    "CSP",
    "CSRF_HEADER",
    "TOKEN_COOKIE",
    "Guard",
    "GuardSettings",
    "host_allowed",
    "is_loopback",
]

CSRF_HEADER: Final = "x-csrf-token"
TOKEN_COOKIE: Final = "vitk2_token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
_WILDCARDS: Final = frozenset({"0.0.0.0", "::", ""})


def is_loopback(host: str) -> bool:
    """Whether a bind address or host name stays on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hostname(header: str) -> str:
    """The host part of a Host header (``[::1]:8000`` -> ``::1``), lower case."""
    if header.startswith("["):
        return header[1 : header.find("]")].lower() if "]" in header else ""
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


def host_allowed(header: str, names: frozenset[str]) -> bool:
    """Whether a Host header names this machine (see the module docstring)."""
    name = _hostname(header.strip())
    if not name:
        return False
    if name == "localhost" or name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """What the guard checks: the host names served, the access token (None: no token
    needed, loopback only) and the CSRF token of this run of the app."""

    names: frozenset[str]
    token: str | None
    csrf: str

    @classmethod
    def for_bind(cls, host: str, *, token: str | None, csrf: str) -> GuardSettings:
        names = {host.strip("[]").lower()}
        if host.strip("[]") in _WILDCARDS:
            names.add(socket.gethostname().lower())
        return cls(frozenset(names - {""}), token, csrf)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    """ASGI middleware: refuses what the module docstring lists, adds the headers."""

    def __init__(self, app: ASGIApp, *, settings: GuardSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(_HEADERS)
                if not static:
                    extra.append((b"cache-control", b"no-store"))
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in extra if h[0] not in present),
                ]
            await send(message)

        if refusal is None:
            redirect = self._token_redirect(scope, headers)
            if redirect is not None:
                await redirect(send_with_headers)
                return
            await self.app(scope, receive, send_with_headers)
            return
        status, code, message = refusal
        await _send_json(send_with_headers, status, error_json(status, code, message))

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if not host_allowed(host, self.settings.names):
            return (
                400,
                "bad_host",
                f"Host {host!r} is not this server: open it by the address `vitk2 serve` "
                "printed (requests for other host names are refused against DNS rebinding).",
            )
        bearer = _bearer(headers)
        if self.settings.token is not None and not (
            _same(bearer, self.settings.token)
            or _same(_cookie(headers, TOKEN_COOKIE), self.settings.token)
            or _same(_query_token(scope), self.settings.token)
        ):
            return (
                401,
                "unauthorized",
                "This server needs its access token: open the address `vitk2 serve` printed "
                "(it ends in ?token=…) or send `Authorization: Bearer TOKEN`.",
            )
        if scope["method"] in SAFE_METHODS:
            return None
        if headers.get("sec-fetch-site") == "cross-site" or not _same_origin(headers, host):
            return (403, "cross_origin", "Cross-site requests that change data are refused.")
        if self.settings.token is not None and _same(bearer, self.settings.token):
            return None
        if not _same(headers.get(CSRF_HEADER), self.settings.csrf):
            return (
                403,
                "csrf",
                "Missing or wrong CSRF token: reload the page and try again (API clients: "
                "send the X-CSRF-Token header from GET /api/session).",
            )
        return None

    def _token_redirect(self, scope: Scope, headers: dict[str, str]) -> _Redirect | None:
        """A GET with ``?token=`` sets the token cookie and drops the token from the URL."""
        if self.settings.token is None or scope["method"] != "GET":
            return None
        if not _same(_query_token(scope), self.settings.token):
            return None
        query = [
            (k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode()) if k != "token"
        ]
        target = scope["path"] + (f"?{urlencode(query)}" if query else "")
        return _Redirect(target, self.settings.token)


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str
    token: str

    async def __call__(self, send: Send) -> None:
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", self.location.encode("latin-1")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _bearer(headers: dict[str, str]) -> str | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _cookie(headers: dict[str, str], name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no token
        return None
    morsel = jar.get(name)
    return None if morsel is None else str(morsel.value)


def _query_token(scope: Scope) -> str | None:
    query: bytes = scope.get("query_string", b"")
    for key, value in parse_qsl(query.decode("latin-1")):
        if key == "token":
            return value
    return None


def _same_origin(headers: dict[str, str], host: str) -> bool:
    """No Origin header (not a browser's cross-site request), or one naming this host."""
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


async def _send_json(send: Send, status: int, body: object) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
