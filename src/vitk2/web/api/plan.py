"""The plan and substitutes: the documents of `vitk2 plan --json` and `vitk2
substitutes --json` (`vitk2.plan.document.Plan.as_dict`,
`vitk2.plan.substitutes.Substitutes.as_dict`), and the ramp-up as a calendar file.
Each plan is computed once per state of the diary and set of options."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from vitk2.foods.database import FoodDB
from vitk2.plan.document import Plan, run_plan
from vitk2.plan.groups import read_exclusions
from vitk2.plan.options import MAX_EXCLUSIONS, plan_inputs
from vitk2.plan.substitutes import find_substitutes
from vitk2.services import CachedDiaryService
from vitk2.web.api.deps import (
    DAY_RULE,
    EARLIEST,
    ERRORS,
    Authority,
    Service,
    cached,
    encode,
    json_response,
    parse_day,
)

__all__ = ["PlanQuery", "plan_for", "router"]

router = APIRouter(tags=["plan"], responses=ERRORS)
Texts = Annotated[list[str], Query(max_length=MAX_EXCLUSIONS)]
Short = Annotated[str | None, Query(max_length=200)]


def _day_query(alias: str, description: str) -> Any:
    """A day as a query parameter; empty (as a form's empty date field sends it) is none."""
    return Query(alias=alias, max_length=40, description=f"{description} ({DAY_RULE}; empty: none)")


From = Annotated[str | None, _day_query("from", "First day (default: first entry)")]
To = Annotated[str | None, _day_query("to", "Last day (default: last entry)")]
Start = Annotated[str | None, _day_query("start", "First day of the ramp-up (default: tomorrow)")]


def _day(text: str | None) -> date | None:
    return None if not text or not text.strip() else parse_day(text, default=EARLIEST)


class PlanQuery:
    """The options of ``vitk2 plan`` as query parameters (the same names, ``_`` for ``-``)."""

    def __init__(
        self,
        *,
        start: From = None,
        end: To = None,
        typical: Annotated[str | None, Query(max_length=2000)] = None,
        diet: Texts = [],  # noqa: B006 - FastAPI copies the default per request
        exclude: Texts = [],  # noqa: B006
        allow_supplements: bool = False,
        target_k2: Short = None,
        weeks: int = 3,
        ramp_start: Start = None,
        dishes: bool = False,
        max_kcal: float | None = None,
        max_sat_fat: float | None = None,
        max_sodium: float | None = None,
        authority: Authority = "iom",
    ) -> None:
        self.start, self.end = _day(start), _day(end)
        self.typical, self.authority = typical, authority
        self.diet, self.exclude = tuple(diet), tuple(exclude)
        self.target_k2 = target_k2 if target_k2 and target_k2.strip() else None  # "": none
        self.allow_supplements, self.weeks = allow_supplements, weeks
        self.ramp_start = _day(ramp_start)
        self.dishes, self.budgets = dishes, (max_kcal, max_sat_fat, max_sodium)

    def key(self) -> tuple[Any, ...]:
        return ("plan", *vars(self).items())


def plan_for(service: CachedDiaryService, query: PlanQuery) -> Plan:
    """The plan for these options, computed once per state of the diary."""
    max_kcal, max_sat_fat, max_sodium = query.budgets
    inputs = plan_inputs(
        diets=query.diet, exclude=query.exclude, allow_supplements=query.allow_supplements,
        target_k2=query.target_k2, weeks=query.weeks, start=query.ramp_start,
        dishes=query.dishes, max_kcal=max_kcal, max_sat_fat=max_sat_fat, max_sodium=max_sodium,
    )  # fmt: skip
    return service.memo(
        query.key(),
        lambda: run_plan(
            service,
            inputs,
            start=query.start,
            end=query.end,
            typical=query.typical,
            authority=query.authority,
        ),
    )


@router.get("/plan", response_class=Response)
async def plan(
    request: Request, service: Service, query: Annotated[PlanQuery, Depends()]
) -> Response:
    """Foods (and supplements if allowed) that bring vitamin D and calcium to the
    reference values and K2 to the chosen study figure, within the upper limits:
    `vitk2 plan --json`. Reads the diary; writes nothing."""
    return await cached(
        request,
        service,
        ("api-plan", *query.key()),
        lambda: encode(plan_for(service, query).as_dict()),
    )


@router.get("/plan/ramp.ics", response_class=Response)
def ramp_calendar(service: Service, query: Annotated[PlanQuery, Depends()]) -> Response:
    """The plan's ramp-up as an iCalendar file (`vitk2 plan --ics FILE`)."""
    text = plan_for(service, query).ics()
    return Response(
        text.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="vitk2-ramp-up.ics"'},
    )


@router.get("/substitutes", response_class=Response)
def substitutes(
    food: Annotated[str, Query(min_length=1, max_length=200, description="A food id or name.")],
    *,
    grams: float | None = None,
    diet: Texts = [],  # noqa: B006
    exclude: Texts = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    dishes: bool = False,
) -> Response:
    """The foods closest to ``food`` by each menaquinone, K1, calcium, vitamin D,
    energy and food group, in the amount giving the same K2: `vitk2 substitutes --json`."""
    found = find_substitutes(
        FoodDB.default(), food, exclusions=read_exclusions(diet, exclude), grams=grams,
        limit=limit, dishes=dishes,
    )  # fmt: skip
    return json_response(encode(found.as_dict()))
