"""Food search, one food with every value's source, and rankings: the documents of
`vitk2 foods search | show | top --json`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.records import food_record, hit_record, ranked_record
from vitk2.web.api.deps import ERRORS

__all__ = ["router"]

router = APIRouter(prefix="/foods", tags=["foods"], responses=ERRORS)
Limit = Annotated[int, Query(ge=1, le=1000, description="How many foods.")]


@router.get("/search")
def search(
    q: Annotated[str, Query(min_length=1, max_length=200, description="A food name.")],
    limit: Limit = 10,
) -> list[dict[str, Any]]:
    """Foods by name, the one you most likely mean first."""
    return [hit_record(h) for h in FoodDB.default().search(q, limit=limit)]


@router.get("/groups")
def groups() -> list[str]:
    """The SR28 food groups (for ``group`` in rankings)."""
    return list(FoodDB.default().groups)


@router.get("/nutrients")
def nutrients() -> list[dict[str, Any]]:
    """Every nutrient key with its unit and SR28 number: `vitk2 nutrients --json`."""
    return [
        {"key": n.key, "name": n.name, "unit": n.unit, "sr28": n.sr_number}
        for n in NUTRIENTS.values()
    ]


@router.get("/top/{nutrient}")
def top(
    nutrient: Annotated[str, Path(max_length=40, description="A nutrient key or alias: k2, mk7.")],
    *,
    per: Literal["100g", "serving", "100kcal"] = "100g",
    group: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 20,
    measured_only: bool = False,
    dishes: bool = False,
) -> list[dict[str, Any]]:
    """Foods richest in a nutrient; foods whose value is unknown are never ranked.
    ``dishes`` adds the FNDDS foods as eaten (`vitk2 foods top --dishes`)."""
    rows = FoodDB.default().top(
        nutrient,
        per=per,
        group=group,
        limit=limit,
        include_imputed=not measured_only,
        dishes=dishes,
    )
    return [ranked_record(row) for row in rows]


@router.get("/{food_id}")
def show(
    food_id: Annotated[str, Path(max_length=40, description="usda:01022, or the bare number.")],
) -> dict[str, Any]:
    """One food: every nutrient per 100 g with its source, basis and range, and portions."""
    return food_record(FoodDB.default().get(food_id))
