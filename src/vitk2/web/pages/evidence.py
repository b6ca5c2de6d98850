"""Evidence: search the cited records behind vitk2's numbers; one source's records with
where each figure was read and how reliable that reading is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import Vitk2Error
from vitk2.evidence.records import (
    RELIABILITY_MEANINGS,
    TOPICS,
    EvidenceRecord,
    evidence_by_key,
    search_evidence,
    source_reliabilities,
)
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/evidence", "Evidence", 80)
router = APIRouter(prefix="/evidence")


@router.get("", response_class=HTMLResponse)
def evidence_page(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    topic: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    records: tuple[EvidenceRecord, ...] = ()
    error = None
    if q.strip():
        try:
            records = search_evidence(q, topic=topic or None, limit=50)
        except Vitk2Error as error_:
            error = str(error_)
    return render(
        request, "pages/evidence.html", q=q, topic=topic, records=records, error=error,
        topics=TOPICS,
    )  # fmt: skip


@router.get("/{key}", response_class=HTMLResponse)
def source_page(request: Request, key: Annotated[str, Path(max_length=100)]) -> HTMLResponse:
    records = evidence_by_key(key.strip())
    flags = source_reliabilities(records[0].source_key)
    return render(
        request, "pages/source.html", key=records[0].source_key, records=records,
        citation=next((r.citation for r in records if r.citation), None),
        flags=[(f, RELIABILITY_MEANINGS[f]) for f in flags], topics=TOPICS,
    )  # fmt: skip
