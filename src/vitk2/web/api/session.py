"""``GET /api/session``: the CSRF token API clients send with every state-changing
request, and the version of vitk2."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from vitk2 import __version__

__all__ = ["Session", "router"]


class Session(BaseModel):
    csrf_token: str
    version: str


router = APIRouter(tags=["session"])


@router.get("/session", response_model=Session)
def session(request: Request) -> dict[str, Any]:
    """The CSRF token to send as ``X-CSRF-Token`` with every POST, PUT, PATCH and DELETE."""
    return {"csrf_token": request.app.state.web.settings.csrf, "version": __version__}
