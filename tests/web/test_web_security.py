"""The guard of the local server: Host header (DNS rebinding), access token beyond
loopback, CSRF on every state-changing request, cross-site requests, security headers,
user text escaped. In-process for the checks, a real `vitk2 serve` for the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from vitk2.web.app import create_app
from vitk2.web.security import host_allowed
from web_client import ORIGIN, api_client, served

TOKEN = "correct-horse-battery-staple-42"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with api_client(tmp_path / "diary.sqlite") as client:
        yield client


def _refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.headers["x-frame-options"] == "DENY"  # refusals carry the headers too


def _entries(client: TestClient) -> list[object]:
    result: list[object] = client.get("/api/entries").json()
    return result


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8000", "127.0.0.1.nip.io", ""])
def test_a_spoofed_host_is_refused(client: TestClient, host: str) -> None:
    _refused(client.get("/", headers={"host": host}), 400, "bad_host")
    _refused(client.get("/api/report", headers={"host": host}), 400, "bad_host")


def test_hosts_that_name_this_machine() -> None:
    names = frozenset({"127.0.0.1"})
    for ok in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "192.168.1.20:8000", "LOCALHOST"):
        assert host_allowed(ok, names), ok
    for bad in ("evil.example", "localhost.evil.example:8000", "[::1", "", "127.0.0.1.nip.io"):
        assert not host_allowed(bad, names), bad
    assert host_allowed("mybox.lan:8000", frozenset({"mybox.lan"}))


def test_a_state_change_without_the_csrf_token_is_refused(client: TestClient) -> None:
    for headers in ({"X-CSRF-Token": ""}, {"X-CSRF-Token": "forged"}):
        _refused(client.post("/api/log", json={"text": "50 g natto"}, headers=headers), 403, "csrf")
        _refused(
            client.post("/today/log", data={"text": "50 g natto"}, headers=headers), 403, "csrf"
        )
        _refused(client.put("/api/profile", json={"sex": "male"}, headers=headers), 403, "csrf")
    assert _entries(client) == []
    assert client.post("/api/log", json={"text": "50 g natto"}).status_code == 201


def test_a_cross_origin_form_post_is_refused(client: TestClient) -> None:
    """What a malicious page's <form action="http://127.0.0.1:8000/today/log"> sends:
    its own Origin (and no CSRF header), or Sec-Fetch-Site: cross-site."""
    form = {"text": "500 g natto", "date": "2026-01-01"}
    for headers in (
        {"Origin": "http://evil.example", "X-CSRF-Token": ""},
        {"Origin": "null"},
        {"Origin": "http://evil.example"},  # even with the right token (sent by the client)
        {"Sec-Fetch-Site": "cross-site"},
    ):
        response = client.post("/today/log", data=form, headers=headers)
        assert response.status_code == 403, headers
        assert response.json()["error"]["code"] in {"cross_origin", "csrf"}
    assert _entries(client) == []
    same = client.post("/today/log", data=form, headers={"Origin": ORIGIN})
    assert same.status_code == 200 and len(_entries(client)) == 1


def test_security_headers_on_pages_api_and_static(client: TestClient) -> None:
    for path in ("/", "/api/report", "/static/app.js", "/foods", "/nowhere"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline' " not in csp.split("style-src")[0]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert client.get("/").headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script(client: TestClient) -> None:
    client.post("/api/log", json={"text": "50 g natto"})
    for path in ("/", "/diary", "/report", "/foods", "/supplements", "/anticoagulant",
                 "/evidence", "/profile"):  # fmt: skip
        html = client.get(path).text
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert " src=" in head or 'type="application/json"' in head, (path, head)
        assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html


def test_user_text_is_escaped_everywhere(client: TestClient) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert (
        client.post(
            "/api/inr", json={"value": 2.1, "date": "2026-01-02", "note": evil[:180]}
        ).status_code
        == 201
    )
    assert client.put("/api/profile", json={"medications": [evil[:90]]}).status_code == 200
    preview = client.post("/today/preview", data={"text": evil}).text
    for html in (client.get("/anticoagulant").text, client.get("/profile").text, preview,
                 client.get("/foods", params={"q": evil}).text,
                 client.get("/evidence", params={"q": evil}).text):  # fmt: skip
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html


def test_beyond_loopback_every_request_needs_the_token(tmp_path: Path) -> None:
    app = create_app(db=str(tmp_path / "diary.sqlite"), host="0.0.0.0", token=TOKEN)
    with TestClient(app, base_url="http://192.168.1.20:8000", follow_redirects=False) as client:
        for path in ("/", "/api/report", "/static/app.js", "/api/openapi.json"):
            _refused(client.get(path), 401, "unauthorized")
        _refused(
            client.get("/", headers={"Authorization": "Bearer wrong-token-wrong-token"}),
            401,
            "unauthorized",
        )
        ok = client.get("/api/session", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        # the printed address: ?token= sets the cookie and drops the token from the URL
        opened = client.get(f"/foods?q=kale&token={TOKEN}")
        assert opened.status_code == 303 and opened.headers["location"] == "/foods?q=kale"
        assert (
            "HttpOnly" in opened.headers["set-cookie"]
            and "SameSite=Strict" in opened.headers["set-cookie"]
        )
        assert client.get("/foods?q=kale").status_code == 200  # the cookie now
        # a bearer token is no CSRF risk (no browser adds it cross-site)
        client.cookies.clear()
        logged = client.post(
            "/api/log", json={"text": "50 g natto"}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert logged.status_code == 201


def test_the_real_server_refuses_requests_without_the_token(tmp_path: Path) -> None:
    with served(tmp_path / "diary.sqlite", "--host", "127.0.0.1", "--token", TOKEN) as url:
        assert url.endswith(f"/?token={TOKEN}")
        base = url.split("?")[0]
        with httpx.Client(base_url=base, follow_redirects=False) as http:
            assert http.get("/api/report").status_code == 401
            assert (
                http.get("/api/session", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
                == 200
            )
            assert http.get("/", headers={"Host": "evil.example"}).status_code == 400
