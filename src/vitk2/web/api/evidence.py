"""The evidence base: search it and read one source's records (what `vitk2 evidence`
shows), each record with every stored field and its reliability."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from vitk2.evidence.records import (
    TOPICS,
    EvidenceRecord,
    evidence_by_key,
    search_evidence,
    source_reliabilities,
)
from vitk2.web.api.deps import ERRORS

__all__ = ["evidence_record", "router"]

router = APIRouter(prefix="/evidence", tags=["evidence"], responses=ERRORS)


def evidence_record(record: EvidenceRecord) -> dict[str, Any]:
    """Every field of a record, its topic's name and its reliability."""
    return {**asdict(record), "topic_name": TOPICS.get(record.topic)}


@router.get("/search")
def search(
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find.")],
    topic: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[dict[str, Any]]:
    """Records that contain every word, best match first."""
    return [evidence_record(r) for r in search_evidence(q, topic=topic, limit=limit)]


@router.get("/{key}")
def show(key: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Every record of one source, its citation and reliability."""
    records = evidence_by_key(key.strip())
    return {
        "source_key": records[0].source_key,
        "citation": next((r.citation for r in records if r.citation), None),
        "reliability": list(source_reliabilities(records[0].source_key)),
        "records": [evidence_record(r) for r in records],
    }
