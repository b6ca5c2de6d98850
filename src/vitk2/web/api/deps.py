"""What the API routes share: the diary service of the app, common query options, the
error responses they document, and how a JSON document is encoded."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Final, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from vitk2.services import CachedDiaryService
from vitk2.web.errors import API_ERRORS

__all__ = [
    "ERRORS",
    "MAX_ID",
    "Authority",
    "From",
    "Service",
    "To",
    "encode",
    "json_response",
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
From = Annotated[date | None, Query(alias="from", description="First day (default: first entry).")]
To = Annotated[date | None, Query(alias="to", description="Last day (default: last entry).")]


def encode(document: Any) -> bytes:
    """A JSON document as the API sends it (UTF-8, units such as 'µg' readable)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(body: bytes) -> Response:
    """Pre-encoded JSON (a cached document is encoded once)."""
    return Response(body, media_type="application/json")
