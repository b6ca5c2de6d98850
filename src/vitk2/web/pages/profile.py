"""Profile: the person the diary belongs to (sex, birth date, weight, pregnancy,
lactation, medications, kidney status), which sets the reference values."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from vitk2.errors import Vitk2Error
from vitk2.intake.profile import KIDNEY_STATES, Profile
from vitk2.services import DiaryService
from vitk2.web.api.deps import Service
from vitk2.web.api.person import ProfileChange, save_profile
from vitk2.web.errors import problem_text
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/profile", "Profile", 90)
router = APIRouter(prefix="/profile")
Field = Annotated[str, Form(max_length=200)]


def _page(request: Request, service: DiaryService, **extra: Any) -> HTMLResponse:
    profile = service.store.profile() or Profile()
    return render(
        request, "pages/profile.html", profile=profile, kidney_states=KIDNEY_STATES,
        age=profile.age(date.today()), **extra,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
def profile_page(request: Request, service: Service) -> HTMLResponse:
    return _page(request, service)


@router.post("", response_class=HTMLResponse)
def save(
    request: Request,
    service: Service,
    *,
    sex: Field = "",
    birth_date: Field = "",
    weight_kg: Field = "",
    pregnant: Field = "",
    lactating: Field = "",
    medications: Annotated[str, Form(max_length=2000)] = "",
    kidney: Field = "",
) -> HTMLResponse:
    try:
        change = ProfileChange.model_validate(
            {
                "sex": sex or None,
                "birth_date": birth_date or None,
                "weight_kg": weight_kg or None,
                "pregnant": pregnant == "true",
                "lactating": lactating == "true",
                "medications": [m for m in medications.replace(";", ",").split(",")],
                "kidney": kidney or None,
                "clear_kidney": not kidney,
            }
        )
        save_profile(change, service)
    except (ValidationError, Vitk2Error) as error:
        return _page(request, service, error=problem_text(error))
    return _page(request, service, status="Profile saved.")
