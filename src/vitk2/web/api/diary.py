"""Parse, log, the diary's entries (list, edit, move, delete, undo), import and export."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from vitk2.errors import ImportFileError, InvalidOptionError
from vitk2.intake.diary import Meal
from vitk2.intake.diary_io import entry_record
from vitk2.intake.meals import MAX_ITEM_GRAMS, MAX_TEXT_CHARS
from vitk2.store import ImportCounts
from vitk2.web.api.deps import ERRORS, MAX_ID, Day, From, Service, To

__all__ = ["EntryChange", "LogRequest", "ParseRequest", "router"]

router = APIRouter(tags=["diary"], responses=ERRORS)
EntryId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="Entry id.")]
MealText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
#: An import file larger than this is refused (a year of entries is about 2 MB).
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ParseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: MealText = Field(description="What was eaten, e.g. '2 slices of gouda, 50 g natto'.")


class LogRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: MealText
    date: Day | None = Field(None, description="Day eaten (default today).")
    time: str | None = Field(None, max_length=5, description="HH:MM, 24-hour.")
    meal: Meal | None = None
    partial: bool = Field(False, description="Store the resolved items even if some are not.")


class EntryChange(BaseModel):
    """Exactly one of ``grams`` and ``text`` changes the food or its amount (as
    `vitk2 diary edit`); ``date``, ``meal`` and ``time`` move the entry."""

    model_config = ConfigDict(extra="forbid")
    grams: float | None = Field(None, gt=0, le=MAX_ITEM_GRAMS)
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)] | None = None
    date: Day | None = None
    meal: Meal | Literal[""] | None = Field(None, description="'' clears the meal.")
    time: str | None = Field(None, max_length=5)


@router.post("/parse")
def parse(body: ParseRequest, service: Service) -> dict[str, Any]:
    """Parse meal text (stores nothing): `vitk2 parse --json`. Unresolved items are part
    of the answer (``status``, ``problem``, ``suggestions``), not an error."""
    return service.parse(body.text).as_dict()


@router.post("/log", status_code=201)
def log(body: LogRequest, service: Service) -> dict[str, Any]:
    """Parse and store meal text in one transaction: `vitk2 log --json`."""
    result = service.log(
        body.text, day=body.date or datetime.date.today(), time=body.time, meal=body.meal,
        partial=body.partial,
    )  # fmt: skip
    return {
        **result.meal.as_dict(),
        "stored": [entry_record(e) for e in result.stored],
        "skipped": [item.text for item in result.skipped],
    }


@router.get("/entries")
def entries(service: Service, start: From = None, end: To = None) -> list[dict[str, Any]]:
    """Diary entries of a period (all without bounds): `vitk2 diary show --json`."""
    if start and end and start > end:
        raise InvalidOptionError(f"--from {start} is after --to {end}.")
    return [entry_record(e) for e in service.store.entries(start=start, end=end)]


@router.get("/entries/{entry_id}")
def entry(entry_id: EntryId, service: Service) -> dict[str, Any]:
    """One entry."""
    return entry_record(service.store.entry(entry_id))


@router.patch("/entries/{entry_id}")
def change_entry(entry_id: EntryId, body: EntryChange, service: Service) -> dict[str, Any]:
    """Change an entry's grams or text (`vitk2 diary edit --json`), its day, meal or time."""
    moving = body.date is not None or body.meal is not None or body.time is not None
    if body.grams is None and body.text is None and not moving:
        raise InvalidOptionError("Nothing to change: give grams or text, or date, meal or time.")
    current = service.store.entry(entry_id)
    if body.grams is not None or body.text is not None:
        current = service.edit(entry_id, grams=body.grams, text=body.text)
    if moving:
        meal = current.meal if body.meal is None else (body.meal or None)
        current = service.move_entry(
            entry_id, day=body.date or current.day, meal=meal,
            time=current.time if body.time is None else (body.time or None),
        )  # fmt: skip
    return entry_record(current)


@router.delete("/entries/{entry_id}")
def delete_entry(entry_id: EntryId, request: Request, service: Service) -> dict[str, Any]:
    """Delete an entry; ``POST /api/entries/undo`` restores the last one deleted."""
    deleted = service.delete_entry(entry_id)
    state = request.app.state.web
    with state.lock:
        state.deleted.append(deleted)
    return {"deleted": entry_record(deleted)}


@router.post("/entries/undo")
def undo_delete(request: Request, service: Service) -> dict[str, Any]:
    """Restore the entry deleted last in this run of the server (it gets a new id)."""
    state = request.app.state.web
    with state.lock:
        if not state.deleted:
            raise InvalidOptionError("Nothing to undo: no entry was deleted since the app started.")
        entry = state.deleted.pop()
    return {"restored": entry_record(service.restore_entry(entry))}


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "description": "The export file.",
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {}},
        }
    },
)
def export(
    service: Service, fmt: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv"
) -> Response:
    """Every entry as a CSV or JSON file (`vitk2 diary export`), which import reads back."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"diary.{fmt}"
        service.export(path, fmt)
        content = path.read_bytes()
    media = "text/csv" if fmt == "csv" else "application/json"
    return Response(
        content,
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="vitk2-diary.{fmt}"'},
    )


@router.post("/import", status_code=201)
async def import_file(file: UploadFile, service: Service) -> dict[str, Any]:
    """Add the entries of an export file (`vitk2 diary import`); any bad row means nothing
    is imported; entries the diary already holds (an earlier import) are skipped."""
    counts = await import_upload(file, service)
    return {"imported": counts.added, "skipped": counts.skipped}


async def import_upload(file: UploadFile, service: Service) -> ImportCounts:
    """Store an uploaded export file through the service; the pages use it too."""
    name = Path(file.filename or "diary.csv").name
    suffix = ".json" if name.lower().endswith(".json") else ".csv"
    content = await file.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"{name} is larger than {MAX_IMPORT_BYTES // 2**20} MB.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"import{suffix}"
        path.write_bytes(content)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(service.import_file, path)
