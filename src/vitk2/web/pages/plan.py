"""Plan: the foods (and supplements if allowed) that would bring vitamin D and calcium
to the reference values and K2 to a study figure you choose, within the upper limits,
with what each adds, the intake before and after (K2 at the low and high ends), the
ramp-up for fermented foods (and its calendar file), and substitutes for a food."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import Vitk2Error
from vitk2.foods.database import FoodDB
from vitk2.plan.groups import DIETS, read_exclusions
from vitk2.plan.substitutes import find_substitutes
from vitk2.plan.targets import k2_choices
from vitk2.web.api.deps import Service
from vitk2.web.api.plan import PlanQuery, plan_for
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/plan", "Plan", 35)
router = APIRouter(prefix="/plan")
_ROWS = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal",
         "fat_sat_g", "sodium_mg")  # fmt: skip
_UNITS = {"calcium_mg": "mg", "energy_kcal": "kcal", "fat_sat_g": "g", "sodium_mg": "mg"}
_LABELS = {"energy_kcal": "Energy", "fat_sat_g": "Saturated fat", "sodium_mg": "Sodium"}


def _split(values: list[str]) -> list[str]:
    """Form text such as "natto, blue cheese" as one exclusion per comma."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@router.get("", response_class=HTMLResponse)
def plan_page(
    request: Request,
    service: Service,
    query: Annotated[PlanQuery, Depends()],
    show: bool = False,
    food: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    query.exclude = tuple(_split(list(query.exclude)))
    context: dict[str, Any] = {
        "q": query, "show": show, "food": food, "rows": _ROWS, "units": _UNITS,
        "row_labels": _LABELS, "diets": [d for d in DIETS if d != "omnivore"],
        "choices": k2_choices(), "plan": None, "subs": None,
    }  # fmt: skip
    errors = []
    if show:
        try:
            context["plan"] = plan_for(service, query).as_dict()
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "food"]
            context["ics"] = "/api/plan/ramp.ics?" + urlencode(params)
            context["json"] = "/api/plan?" + urlencode(params)
        except Vitk2Error as error:
            errors.append(str(error))
    if food.strip():
        try:
            exclusions = read_exclusions(query.diet, query.exclude)
            context["subs"] = find_substitutes(
                FoodDB.default(), food, exclusions=exclusions, limit=10
            ).as_dict()
        except Vitk2Error as error:
            errors.append(str(error))
    return render(request, "pages/plan.html", errors=errors, **context)
