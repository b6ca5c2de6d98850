"""The one JSON error shape of the web app, and how errors become it.

Every 4xx of the JSON API (and every refusal of the guard, on any path) is
``{"error": {"status": 404, "code": "unknown_food", "message": "Unknown food id …"}}``:
``code`` names the kind of error (a `Vitk2Error` subclass without its ``Error``
suffix, or ``invalid_request``, ``not_found`` …) and ``message`` is the sentence the
CLI would print. Pages show the same message in an HTML page with the same status.
"""

from __future__ import annotations

import re
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vitk2.errors import StoreError, Vitk2Error

__all__ = [
    "API_ERRORS",
    "ErrorBody",
    "ErrorResponse",
    "error_json",
    "install_error_handlers",
    "problem_text",
    "status_of",
]

_CAMEL: Final = re.compile(r"(?<!^)(?=[A-Z])")
_HTTP_CODES: Final[dict[int, str]] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str


class ErrorResponse(BaseModel):
    """The body of every 4xx of the JSON API."""

    error: ErrorBody


def error_json(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


def status_of(error: Vitk2Error) -> int:
    """404 for what does not exist, 503 for a database that cannot be reached, else 400."""
    if isinstance(error, LookupError):
        return 404
    if isinstance(error, StoreError):
        return 503
    return 400


def _code(error: Vitk2Error) -> str:
    name = type(error).__name__.removesuffix("Error")
    return _CAMEL.sub("_", name).lower()


def problem_text(error: Exception) -> str:
    """One line about bad input: the message of a `Vitk2Error`, or the first problems a
    validation error found, each with the field it is about."""
    if not isinstance(error, RequestValidationError | ValidationError):
        return str(error)
    parts = []
    for problem in error.errors()[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where or 'request'}: {problem.get('msg', 'invalid')}")
    return "Invalid input — " + "; ".join(parts) + "."


def _respond(request: Request, status: int, code: str, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        return JSONResponse(error_json(status, code, message), status_code=status)
    from vitk2.web.templating import render_error

    return render_error(request, status, message)


def install_error_handlers(app: FastAPI) -> None:
    """Turn `Vitk2Error`, validation errors and HTTP errors into the one shape."""

    async def on_vitk2(request: Request, error: Exception) -> Response:
        assert isinstance(error, Vitk2Error)
        return _respond(request, status_of(error), _code(error), str(error))

    async def on_validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return _respond(request, 422, "invalid_request", problem_text(error))

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        code = _HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
        detail = error.detail if isinstance(error.detail, str) else "Request refused."
        if error.status_code == 404 and detail == "Not Found":
            detail = f"Nothing at {request.url.path}. The API's paths are in /api/openapi.json."
        response = _respond(request, error.status_code, code, detail)
        if error.headers:
            response.headers.update(error.headers)
        return response

    app.add_exception_handler(Vitk2Error, on_vitk2)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)


# For `responses=` in route declarations: the error statuses a route documents.
API_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    status: {"model": ErrorResponse, "description": code.replace("_", " ")}
    for status, code in ((400, "bad_request"), (404, "not_found"), (422, "invalid_request"))
}
