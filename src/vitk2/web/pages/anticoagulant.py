"""Anticoagulant: the INR log, the weekly K1 and MK-7 consistency chart against your own
baseline, and the printable clinician summary (`vitk2 clinician-summary`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import InvalidOptionError, Vitk2Error
from vitk2.render.clinician_html import render_clinician_html
from vitk2.safety.inr import parse_inr, summarize_inr
from vitk2.services import DiaryService
from vitk2.web.api.deps import MAX_ID, From, Service, To, parse_day
from vitk2.web.charts import consistency_figure
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/anticoagulant", "Anticoagulant", 60)
router = APIRouter(prefix="/anticoagulant")


def _context(service: DiaryService) -> dict[str, Any]:
    readings = service.inr_readings()
    context: dict[str, Any] = {
        "readings": readings,
        "summary": summarize_inr(readings),
        "today": date.today(),
        "chart": None,
        "consistency_error": None,
    }
    try:
        document = service.consistency().as_dict()
        context.update(chart=consistency_figure(document), consistency=document)
    except Vitk2Error as error:
        context["consistency_error"] = str(error)
    return context


@router.get("", response_class=HTMLResponse)
def anticoagulant_page(request: Request, service: Service) -> HTMLResponse:
    return render(request, "pages/anticoagulant.html", **_context(service))


@router.post("/inr", response_class=HTMLResponse)
def add_inr(
    request: Request,
    service: Service,
    value: Annotated[str, Form(max_length=20)] = "",
    day: Annotated[str, Form(alias="date", max_length=10)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    try:
        when = parse_day(day, default=date.today())
        reading = service.add_inr(parse_inr(value), day=when, note=note or None)
    except Vitk2Error as error:
        return _inr(request, service, error=str(error))
    return _inr(request, service, status=f"Logged INR {reading.value:g} on {reading.day}.")


@router.post("/inr/delete", response_class=HTMLResponse)
def delete_inr(
    request: Request, service: Service, reading_id: Annotated[int, Form(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    service.delete_inr(reading_id)
    return _inr(request, service, status=f"Deleted INR reading {reading_id}.")


def _inr(request: Request, service: DiaryService, **extra: Any) -> HTMLResponse:
    """The whole page body again: the chart shows the INR points too."""
    return render(request, "partials/anticoagulant_body.html", **_context(service), **extra)


@router.get("/summary", response_class=HTMLResponse)
def clinician_summary(
    service: Service,
    start: From = None,
    end: To = None,
) -> HTMLResponse:
    """The printable clinician summary of a period (default: the whole diary)."""
    if start and end and start > end:
        raise InvalidOptionError(f"--from {start} is after --to {end}.")
    return HTMLResponse(render_clinician_html(service.clinician_summary(start=start, end=end)))
