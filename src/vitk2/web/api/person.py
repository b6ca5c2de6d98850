"""The person the diary belongs to: the profile (`vitk2 profile show | set --json`) and
the INR log (`vitk2 inr show | add | delete`)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from vitk2.errors import InvalidOptionError
from vitk2.intake.profile import Kidney, Profile, Sex
from vitk2.safety.inr import INR_MAX, INR_MIN, summarize_inr
from vitk2.web.api.deps import ERRORS, MAX_ID, Day, From, Service, To

__all__ = ["InrRequest", "ProfileChange", "router", "save_profile"]

router = APIRouter(tags=["person"], responses=ERRORS)


class ProfileChange(BaseModel):
    """Fields to set; fields left out keep their stored value (as `vitk2 profile set`).
    ``kidney: ""`` clears the kidney status."""

    model_config = ConfigDict(extra="forbid")
    sex: Sex | None = None
    birth_date: Day | None = None
    weight_kg: float | None = Field(None, gt=0, le=500)
    pregnant: bool | None = None
    lactating: bool | None = None
    medications: list[Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=50)
    kidney: Kidney | None = None
    clear_kidney: bool = False


class InrRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float = Field(ge=INR_MIN, le=INR_MAX, description="The INR, e.g. 2.4.")
    date: Day | None = Field(None, description="Day the blood was taken (default today).")
    note: Annotated[str, Field(max_length=200)] | None = None


def save_profile(change: ProfileChange, service: Service) -> Profile:
    """Apply a change to the stored profile and store it (the pages use it too)."""
    if change.kidney is not None and change.clear_kidney:
        raise InvalidOptionError("Give either kidney or clear_kidney, not both.")
    values = change.model_dump(exclude_unset=True, exclude={"clear_kidney"})
    if "medications" in values:
        meds = values["medications"] or []
        values["medications"] = tuple(dict.fromkeys(m.strip().lower() for m in meds if m.strip()))
    if change.clear_kidney:
        values["kidney"] = None
    for flag in ("pregnant", "lactating"):
        if values.get(flag) is None:
            values.pop(flag, None)
    profile = replace(service.store.profile() or Profile(), **values)
    service.store.set_profile(profile)
    return profile


@router.get("/profile")
def profile(service: Service) -> dict[str, Any] | None:
    """The stored profile (null when none is set)."""
    stored = service.store.profile()
    return None if stored is None else stored.as_dict(datetime.date.today())


@router.put("/profile")
def set_profile(body: ProfileChange, service: Service) -> dict[str, Any]:
    """Set profile fields."""
    return save_profile(body, service).as_dict(datetime.date.today())


@router.get("/inr")
def inr(service: Service, start: From = None, end: To = None) -> dict[str, Any]:
    """INR readings of a period with their summary: `vitk2 inr show --json`."""
    readings = service.inr_readings(start, end)
    return {
        "readings": [r.as_dict() for r in readings],
        "summary": summarize_inr(readings).as_dict(),
    }


@router.post("/inr", status_code=201)
def add_inr(body: InrRequest, service: Service) -> dict[str, object]:
    """Log one INR reading."""
    day = body.date or datetime.date.today()
    return service.add_inr(body.value, day=day, note=body.note).as_dict()


@router.delete("/inr/{reading_id}")
def delete_inr(
    reading_id: Annotated[int, Path(ge=1, le=MAX_ID)], service: Service
) -> dict[str, int]:
    """Delete one INR reading."""
    service.delete_inr(reading_id)
    return {"deleted": reading_id}
