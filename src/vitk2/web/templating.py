"""Rendering pages: one Jinja2 environment (autoescaping every value), the page
registry the navigation is built from, and helpers the templates share.

User text reaches the pages only through the templates, and every value there is
escaped (``autoescape``): a food or note named ``<script>`` shows as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from vitk2 import __version__
from vitk2.assess.notes import number_text

__all__ = ["NUTRIENT_LABELS", "Page", "fmt", "json_data", "render", "render_error", "total"]

#: Display names of the nutrients the pages show.
NUTRIENT_LABELS: Final[dict[str, str]] = {
    "k1_ug": "Vitamin K1",
    "dk1_ug": "Dihydro-K1",
    **{f"mk{n}_ug": f"MK-{n}" for n in range(4, 14)},
    "k2_ug": "Vitamin K2 (all menaquinones)",
    "vitk_ug": "Vitamin K (all)",
    "vitd_ug": "Vitamin D",
    "calcium_mg": "Calcium",
}


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the navigation: its path, its title, its place in the menu."""

    path: str
    title: str
    order: int


def fmt(value: float | None) -> str:
    """A number without false precision; 'unknown' for None (never 0)."""
    return "unknown" if value is None else number_text(value)


def total(value: float | None, lower_bound: bool) -> str:
    """A total as the pages show it: "at least N" when some amounts are unknown,
    "unknown" when none is known (never 0, never "at least unknown")."""
    return "unknown" if value is None else ("at least " if lower_bound else "") + fmt(value)


def json_data(value: Any) -> str:
    """JSON for a ``data-`` attribute (the template escapes it like any text; htmx
    drops script elements from what it swaps in, so data cannot live in one)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("vitk2.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        fmt=fmt, total=total, labels=NUTRIENT_LABELS, version=__version__, json_data=json_data
    )
    return env


def _base(request: Request) -> dict[str, Any]:
    state = request.app.state.web
    return {
        "request": request,
        "csrf": state.settings.csrf,
        "nav": state.pages,
        "path": request.url.path,
    }


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page or an htmx fragment from ``templates/``."""
    html = environment().get_template(template).render(**_base(request), **context)
    return HTMLResponse(html, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page (or, for an htmx request, as a fragment) with its status."""
    fragment = request.headers.get("hx-request") == "true"
    template = "partials/error.html" if fragment else "pages/error.html"
    return render(request, template, status_code=status, status=status, message=message)
