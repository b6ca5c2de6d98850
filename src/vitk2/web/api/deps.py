"""What the API routes share: the diary service of the app, common query options, the
error responses they document, and how a JSON document is encoded."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from vitk2.errors import InvalidOptionError
from vitk2.services import CachedDiaryService
from vitk2.web.errors import API_ERRORS

__all__ = [
    "DAY_RULE",
    "EARLIEST",
    "ERRORS",
    "LATEST",
    "MAX_ID",
    "Authority",
    "Day",
    "Encoded",
    "From",
    "Service",
    "To",
    "cached",
    "day_query",
    "encode",
    "json_response",
    "parse_day",
    "service",
]

#: Ids are SQL integers: anything larger cannot exist (and must not reach the driver).
MAX_ID: Final = 2**53
ERRORS: Final = API_ERRORS
Authority = Literal["iom", "efsa"]


def service(request: Request) -> CachedDiaryService:
    """The diary service of this app."""
    result: CachedDiaryService = request.app.state.web.service
    return result


Service = Annotated[CachedDiaryService, Depends(service)]
#: The days the app accepts: a diary is about living people, and the report's baseline
#: reaches back before its first day (near year 1 that would leave the calendar).
EARLIEST: Final = date(1900, 1, 1)
LATEST: Final = date(2999, 12, 31)
DAY_RULE: Final = f"a day from {EARLIEST} to {LATEST}"
Day = Annotated[date, Field(ge=EARLIEST, le=LATEST, description=DAY_RULE)]


def day_query(alias: str, description: str) -> Any:
    """A query parameter holding a day within the days the app accepts."""
    # FastAPI types ge/le as numbers, but hands them to pydantic, which compares dates.
    bounds: dict[str, Any] = {"ge": EARLIEST, "le": LATEST}
    return Query(alias=alias, description=f"{description} ({DAY_RULE})", **bounds)


From = Annotated[date | None, day_query("from", "First day (default: first entry)")]
To = Annotated[date | None, day_query("to", "Last day (default: last entry)")]


def parse_day(text: str | None, *, default: date) -> date:
    """A YYYY-MM-DD form value (``default`` when empty), within the days the app accepts."""
    if not text:
        return default
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidOptionError(f"Date {text!r} is not a date: write YYYY-MM-DD.") from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidOptionError(f"Date {day} is out of range: give {DAY_RULE}.")
    return day


def encode(document: Any) -> bytes:
    """A JSON document as the API sends it (UTF-8, units such as 'µg' readable)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(body: bytes) -> Response:
    """Pre-encoded JSON."""
    return Response(body, media_type="application/json")


@dataclass(frozen=True, slots=True)
class Encoded:
    """A document encoded once: the bytes, and the same gzipped for clients that
    accept it (a year's report is 2.8 MB of JSON, 0.3 MB gzipped)."""

    body: bytes
    gzipped: bytes

    @classmethod
    def of(cls, body: bytes) -> Encoded:
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, request: Request, media_type: str) -> Response:
        headers = {"vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["content-encoding"] = "gzip"
            return Response(self.gzipped, media_type=media_type, headers=headers)
        return Response(self.body, media_type=media_type, headers=headers)


async def cached(
    request: Request,
    service: CachedDiaryService,
    key: tuple[Hashable, ...],
    compute: Callable[[], bytes],
    *,
    media_type: str = "application/json",
) -> Response:
    """A response computed once per state of the diary: a cache hit is answered on the
    event loop at once; a miss is computed in the thread pool (one computation for all
    who wait for it)."""
    hit = service.peek(key)
    encoded = (
        hit
        if isinstance(hit, Encoded)
        else await run_in_threadpool(service.memo, key, lambda: Encoded.of(compute()))
    )
    return encoded.response(request, media_type)
