"""Report: a period's intake with charts (daily vitamers stacked, vitamin D and calcium
against the reference value and UL, top contributors), K2 and its coverage, adequacy,
findings with their evidence, and the printable page of `vitk2 report --html`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import Vitk2Error
from vitk2.render.report_html import render_html
from vitk2.web.api.deps import Authority, From, Service, To
from vitk2.web.charts import report_figures
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/report", "Report", 30)
router = APIRouter(prefix="/report")
_ROWS = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")


@router.get("", response_class=HTMLResponse)
def report_page(
    request: Request,
    service: Service,
    start: From = None,
    end: To = None,
    authority: Authority = "iom",
) -> HTMLResponse:
    context: dict[str, Any] = {"start": start, "end": end, "authority": authority, "rows": _ROWS}
    try:
        document = service.memo(
            ("report-document", start, end, authority),
            lambda: service.report(start=start, end=end, authority=authority).as_dict(),
        )
    except Vitk2Error as error:
        return render(request, "pages/report.html", error=str(error), r=None, **context)
    figures = service.memo(
        ("report-figures", start, end, authority), lambda: report_figures(document)
    )
    return render(request, "pages/report.html", r=document, figures=figures, **context)


@router.get("/print", response_class=HTMLResponse)
def print_view(
    service: Service,
    start: From = None,
    end: To = None,
    authority: Authority = "iom",
) -> HTMLResponse:
    """The printable, self-contained report page (`vitk2 report --html`)."""
    return HTMLResponse(render_html(service.report(start=start, end=end, authority=authority)))
