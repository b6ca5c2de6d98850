"""The report, the findings and the vitamin K consistency view of a period: the
documents of `vitk2 report --json`, `vitk2 findings --json` and `vitk2 consistency
--json`. Each is computed once per state of the diary (`CachedDiaryService`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vitk2.errors import InvalidOptionError
from vitk2.safety.findings import findings_document
from vitk2.web.api.deps import (
    ERRORS,
    Authority,
    From,
    Service,
    To,
    cached,
    day_query,
    encode,
    json_response,
)

__all__ = ["baseline", "router"]

router = APIRouter(tags=["report"], responses=ERRORS)
BaselineFrom = Annotated[date | None, day_query("baseline_from", "First day of a fixed baseline")]
BaselineTo = Annotated[date | None, day_query("baseline_to", "Last day of the fixed baseline")]


def baseline(first: date | None, last: date | None) -> tuple[date, date] | None:
    """The fixed baseline period, or None when neither bound is given."""
    if (first is None) != (last is None):
        raise InvalidOptionError("Give both baseline_from and baseline_to, or neither.")
    return None if first is None or last is None else (first, last)


@router.get("/report", response_class=Response)
async def report(
    request: Request,
    service: Service,
    start: From = None,
    end: To = None,
    authority: Authority = "iom",
) -> Response:
    """The assessment report of a period (default: the whole diary): `vitk2 report --json`."""
    return await cached(
        request,
        service,
        ("api-report", start, end, authority),
        lambda: encode(service.report(start=start, end=end, authority=authority).as_dict()),
    )


@router.get("/findings", response_class=Response)
def findings(
    service: Service,
    *,
    start: From = None,
    end: To = None,
    authority: Authority = "iom",
    baseline_from: BaselineFrom = None,
    baseline_to: BaselineTo = None,
) -> Response:
    """Safety findings of a period with their evidence: `vitk2 findings --json`."""
    fixed = baseline(baseline_from, baseline_to)
    report = service.report(start=start, end=end, authority=authority, baseline=fixed)
    return json_response(encode(findings_document(report)))


@router.get("/consistency", response_class=Response)
def consistency(
    service: Service,
    *,
    start: From = None,
    end: To = None,
    baseline_from: BaselineFrom = None,
    baseline_to: BaselineTo = None,
) -> Response:
    """Weekly and rolling K1 and MK-7 against the baseline, with INR: `vitk2 consistency --json`."""
    result = service.consistency(
        start=start, end=end, baseline=baseline(baseline_from, baseline_to)
    )
    return json_response(encode(result.as_dict()))
