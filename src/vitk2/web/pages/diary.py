"""Diary: the entries of a day with edit (amount, food, date, meal) and delete, undo of
the last delete, and import and export of the whole diary (CSV or JSON)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from vitk2.errors import Vitk2Error
from vitk2.intake.diary import MEALS
from vitk2.services import DiaryService
from vitk2.web.api.deps import MAX_ID, Service, parse_day
from vitk2.web.api.diary import EntryChange, change_entry, delete_entry, import_upload, undo_delete
from vitk2.web.errors import problem_text
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/diary", "Diary", 20)
router = APIRouter(prefix="/diary")
EntryId = Annotated[int, Query(ge=1, le=MAX_ID)]


def _day(service: DiaryService, text: str | None) -> date:
    span = service.store.date_range()
    return parse_day(text, default=date.today() if span is None else span[1])


def _context(request: Request, service: DiaryService, day: date) -> dict[str, Any]:
    span = service.store.date_range()
    days = sorted({e.day for e in service.store.entries(start=None, end=None)}) if span else []
    earlier = [d for d in days if d < day]
    later = [d for d in days if d > day]
    return {
        "day": day,
        "entries": service.store.entries(start=day, end=day),
        "meals": MEALS,
        "span": span,
        "previous": earlier[-1] if earlier else None,
        "next": later[0] if later else None,
        "logged_days": len(days),
        "can_undo": bool(request.app.state.web.deleted),
    }


def _entries(request: Request, service: DiaryService, day: date, **extra: Any) -> HTMLResponse:
    return render(request, "partials/diary_day.html", **_context(request, service, day), **extra)


@router.get("", response_class=HTMLResponse)
def diary_page(
    request: Request, service: Service, day: Annotated[str | None, Query(alias="date")] = None
) -> HTMLResponse:
    when = _day(service, day)
    return render(request, "pages/diary.html", **_context(request, service, when))


@router.post("/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    service: Service,
    *,
    entry_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    grams: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form(max_length=5000)] = "",
    day: Annotated[str, Form(alias="date", max_length=10)] = "",
    meal: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """Change an entry: new grams or new text (one item), day and meal."""
    current = service.store.entry(entry_id)
    try:
        change = EntryChange(
            grams=float(grams) if grams.strip() else None,
            text=text.strip() or None,
            date=parse_day(day, default=current.day),
            meal=meal if meal in MEALS else "",
            time=None,
        )
        if change.text == current.text:
            change = change.model_copy(update={"text": None})
        if change.grams == current.grams:
            change = change.model_copy(update={"grams": None})
        updated = change_entry(entry_id, change, service)
    except (ValueError, ValidationError, Vitk2Error) as error:
        return _entries(request, service, current.day, error=problem_text(error))
    return _entries(
        request, service, current.day, status=f"Saved: {updated['name']}, {updated['text']}."
    )


@router.post("/delete", response_class=HTMLResponse)
def delete(
    request: Request, service: Service, entry_id: Annotated[int, Form(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    deleted = delete_entry(entry_id, request, service)["deleted"]
    return _entries(
        request, service, date.fromisoformat(deleted["date"]),
        status=f"Deleted {deleted['text']}.", undo=True,
    )  # fmt: skip


@router.post("/undo", response_class=HTMLResponse)
def undo(request: Request, service: Service) -> HTMLResponse:
    restored = undo_delete(request, service)["restored"]
    return _entries(
        request, service, date.fromisoformat(restored["date"]),
        status=f"Restored {restored['text']}.",
    )  # fmt: skip


@router.post("/import", response_class=HTMLResponse)
async def import_form(request: Request, service: Service, file: UploadFile) -> HTMLResponse:
    try:
        counts = await import_upload(file, service)
    except Vitk2Error as error:
        return render(request, "partials/error.html", message=str(error))
    skipped = f" ({counts.skipped} already in the diary, skipped)" if counts.skipped else ""
    return render(
        request, "partials/status.html", message=f"Imported {counts.added} entries{skipped}."
    )
