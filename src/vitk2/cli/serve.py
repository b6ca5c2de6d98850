"""``vitk2 serve``: the web app on this machine (the extra ``vitk2[web]``)."""

from __future__ import annotations

import importlib.util

import typer

from vitk2.cli.common import db_option
from vitk2.errors import InvalidOptionError

MISSING_EXTRA = "vitk2 serve needs the web app's packages: pip install 'vitk2[web]'"
_EXTRA_MODULES = frozenset({"fastapi", "starlette", "uvicorn", "pydantic", "multipart", "plotly"})


def register(root: typer.Typer) -> None:
    @root.command("serve")
    def serve_command(
        host: str = typer.Option(
            "127.0.0.1",
            "--host",
            help="Address to listen on (another than loopback needs --token).",
        ),
        port: int = typer.Option(8000, "--port", help="Port to listen on (0: any free port)."),
        token: str | None = typer.Option(
            None,
            "--token",
            envvar="VITK2_TOKEN",
            show_envvar=False,
            help="Access token every request must carry; required beyond 127.0.0.1. "
            "Default: $VITK2_TOKEN.",
        ),
        open_browser: bool = typer.Option(False, "--open", help="Open the app in your browser."),
        db: str | None = db_option(),
    ) -> None:
        """Run the web app on this machine and print its address: log meals, see your day,
        reports with charts, foods, supplements, anticoagulant view, evidence, profile."""
        try:
            from vitk2.web.server import serve
        except ImportError as error:
            if (error.name or "").partition(".")[0] in _EXTRA_MODULES:
                raise InvalidOptionError(MISSING_EXTRA) from None
            raise
        if importlib.util.find_spec("plotly") is None:  # served as plotly.js, not imported
            raise InvalidOptionError(MISSING_EXTRA)

        serve(host=host, port=port, db=db, token=token, open_browser=open_browser, echo=_echo)


def _echo(line: str) -> None:
    print(line, flush=True)
