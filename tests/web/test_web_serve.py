"""`vitk2 serve` as a user runs it: the address printed, one-line errors for a missing
token beyond loopback, a port in use and a missing `vitk2[web]` extra."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx

from cli_runner import Cli
from web_client import served

# Runs `vitk2 serve` as if fastapi were not installed.
_WITHOUT_FASTAPI = """
import sys
class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "fastapi":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Missing())
sys.argv = ["vitk2", "serve", "--port", "0"]
from vitk2.cli.app import main
main()
"""


def test_serve_prints_the_address_and_serves_the_app(tmp_path: Path) -> None:
    with served(tmp_path / "diary.sqlite") as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with httpx.Client(base_url=url) as http:
            page = http.get("/")
            assert page.status_code == 200 and "What did you eat?" in page.text
            assert http.get("/static/htmx.min.js").status_code == 200
            plotly = http.get("/vendor/plotly.min.js")
            assert plotly.status_code == 200 and len(plotly.content) > 1_000_000


def test_serving_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "diary.sqlite")
    line = cli.fails("serve", "--host", "0.0.0.0", match="--token TOKEN or VITK2_TOKEN")
    assert "0.0.0.0" in line
    cli.fails("serve", "--host", "0.0.0.0", "--token", "short", match="at least 16")


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        Cli(tmp_path / "diary.sqlite").fails("serve", "--port", port, match="Choose another --port")


def test_without_the_web_extra_one_line_names_the_pip_command() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_FASTAPI],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: vitk2 serve needs the web app's packages: pip install 'vitk2[web]'"
    ]
