"""The web app for tests: in-process (FastAPI's TestClient on a real SQLite diary) or a
real `vitk2 serve` process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from vitk2.web.app import create_app

__all__ = ["ORIGIN", "api_client", "served"]

ORIGIN = "http://127.0.0.1:8000"


def api_client(db: Path, **options: Any) -> TestClient:
    """A client of the app over ``db`` that sends the CSRF token like the pages do."""
    client = TestClient(create_app(db=str(db), **options), base_url=ORIGIN)
    token = client.get("/api/session").json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return client


@contextmanager
def served(db: Path, *args: str) -> Iterator[str]:
    """`vitk2 serve --port 0` on ``db``; yields the address it printed."""
    env = {**os.environ, "VITK2_DB": str(db)}
    command = [sys.executable, "-m", "vitk2", "serve", "--port", "0", *args]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            line = process.stdout.readline()
            if "running at" not in line:
                process.kill()
                raise AssertionError(
                    f"vitk2 serve did not start: {line!r} {process.stderr.read()!r}"
                )
            yield line.split("running at ", 1)[1].split(" ", 1)[0]
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
