"""`create_app`: the FastAPI application over one diary.

The pages are found, not listed: every module of `vitk2.web.pages` has a ``page``
(`Page`: path, title, menu order) and a ``router``, so adding a page is one module and
one template. The JSON API is `vitk2.web.api`. Static files (htmx, the app's script
and style) ship in ``static/``; plotly.js is served from the installed ``plotly``
package (see `plotly_js`).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import secrets
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from vitk2 import __version__
from vitk2.errors import InvalidOptionError
from vitk2.intake.diary import DiaryEntry
from vitk2.services import CachedDiaryService
from vitk2.store import DiaryStore
from vitk2.web import pages
from vitk2.web.api import (
    diary,
    evidence,
    foods,
    own_foods,
    person,
    plan,
    reports,
    session,
    supplements,
)
from vitk2.web.errors import install_error_handlers
from vitk2.web.security import Guard, GuardSettings
from vitk2.web.templating import Page

__all__ = ["WebState", "create_app", "plotly_js"]

MISSING_PLOTLY = "The report and simulation charts need plotly: pip install 'vitk2[web]'"


@dataclass
class WebState:
    """What the routes share: the diary service, the guard settings, the pages, and
    the entries deleted in this run (for undo)."""

    service: CachedDiaryService
    settings: GuardSettings
    pages: tuple[Page, ...]
    deleted: list[DiaryEntry] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@cache
def plotly_js() -> Path:
    """plotly.min.js as the installed ``plotly`` Python package ships it: the same
    plotly.js the offline plot files embed, with its licence, kept in step by pip.
    Found without importing plotly (only the file is needed)."""
    spec = importlib.util.find_spec("plotly")
    folders = [] if spec is None else list(spec.submodule_search_locations or [])
    for folder in folders:
        path = Path(folder) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    raise InvalidOptionError(MISSING_PLOTLY)


def _page_modules() -> list[Any]:
    found = [
        importlib.import_module(f"{pages.__name__}.{info.name}")
        for info in pkgutil.iter_modules(pages.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(found, key=lambda module: module.page.order)


def create_app(
    *,
    db: str | None = None,
    host: str = "127.0.0.1",
    token: str | None = None,
    store: DiaryStore | None = None,
) -> FastAPI:
    """The app over the diary at ``db`` (a URL or path; default as for the CLI), served
    on ``host``; ``token``, when given, is required by every request."""
    service = CachedDiaryService(store if store is not None else DiaryStore(db))
    modules = _page_modules()
    settings = GuardSettings.for_bind(host, token=token, csrf=secrets.token_urlsafe(32))
    app = FastAPI(
        title="vitk2",
        version=__version__,
        description=(
            "The vitk2 JSON API: the same services as the `vitk2` command line, the same "
            "JSON documents as its `--json` output. Every 4xx has one body shape: "
            '`{"error": {"status", "code", "message"}}`. State-changing requests need the '
            "`X-CSRF-Token` header from `GET /api/session`."
        ),
        docs_url=None,  # Swagger UI loads from a CDN: nothing here may
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.web = WebState(service, settings, tuple(m.page for m in modules))
    install_error_handlers(app)
    for area in (diary, reports, foods, own_foods, supplements, evidence, person, plan, session):
        app.include_router(area.router, prefix="/api")
    for module in modules:
        app.include_router(module.router, include_in_schema=False)
    static = resources.files("vitk2.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(Path(str(static / "favicon.svg")), media_type="image/svg+xml")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_file() -> Response:
        return FileResponse(plotly_js(), media_type="text/javascript")

    app.add_middleware(Guard, settings=settings)
    return app
