"""Foods: search, a food with every value's source, basis and range, and the foods
richest in a nutrient (per 100 g, per serving or per 100 kcal, by group)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from vitk2.errors import Vitk2Error
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS, VITAMIN_K_KEYS
from vitk2.web.templating import Page, render

__all__ = ["page", "router"]

page = Page("/foods", "Foods", 40)
router = APIRouter(prefix="/foods")
Text = Annotated[str, Query(max_length=200)]
_SUMMARY = (
    "energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "calcium_mg", "phosphorus_mg",
    "magnesium_mg", "vitd_ug",
)  # fmt: skip
_RANKABLE = ("k2_ug", "mk4_ug", "mk7_ug", "mk8_ug", "mk9_ug", "k1_ug", "vitk_ug", "vitd_ug",
             "calcium_mg")  # fmt: skip


def _hits(q: str) -> tuple[list[object], str | None]:
    if not q.strip():
        return [], None
    try:
        return list(FoodDB.default().search(q, limit=25)), None
    except Vitk2Error as error:
        return [], str(error)


@router.get("", response_class=HTMLResponse)
def foods_page(request: Request, q: Text = "") -> HTMLResponse:
    hits, error = _hits(q)
    return render(
        request, "pages/foods.html", q=q, hits=hits, error=error, rankable=_RANKABLE,
        nutrients=NUTRIENTS, groups=FoodDB.default().groups,
    )  # fmt: skip


@router.get("/results", response_class=HTMLResponse)
def results(request: Request, q: Text = "") -> HTMLResponse:
    """The search results alone (htmx, as you type)."""
    hits, error = _hits(q)
    return render(request, "partials/food_hits.html", q=q, hits=hits, error=error)


@router.get("/top", response_class=HTMLResponse)
def top_page(
    request: Request,
    *,
    nutrient: Annotated[str, Query(max_length=40)] = "k2_ug",
    per: Literal["100g", "serving", "100kcal"] = "100g",
    group: Text = "",
    measured_only: bool = False,
    dishes: bool = False,
) -> HTMLResponse:
    db = FoodDB.default()
    try:
        rows = db.top(
            nutrient,
            per=per,
            group=group or None,
            limit=50,
            include_imputed=not measured_only,
            dishes=dishes,
        )
        error = None
    except Vitk2Error as error_:
        rows, error = [], str(error_)
    return render(
        request, "pages/foods_top.html", rows=rows, error=error, nutrient=nutrient, per=per,
        group=group, measured_only=measured_only, dishes=dishes, rankable=_RANKABLE,
        nutrients=NUTRIENTS, groups=db.groups, vitamin_k=VITAMIN_K_KEYS,
    )  # fmt: skip


@router.get("/{food_id}", response_class=HTMLResponse)
def food_page(request: Request, food_id: Annotated[str, Path(max_length=40)]) -> HTMLResponse:
    food = FoodDB.default().get(food_id)
    vitamin_k = [food.nutrients[k] for k in VITAMIN_K_KEYS]
    others = [v for k, v in food.nutrients.items() if k not in VITAMIN_K_KEYS]
    # Each menaquinone with a value, for "how each menaquinone was found".
    menaquinones = [v for k in MENAQUINONE_KEYS if (v := food.nutrients[k]).basis != "unknown"]
    return render(
        request, "pages/food.html", food=food, vitamin_k=vitamin_k, summary=_SUMMARY,
        others=others, nutrients=NUTRIENTS, menaquinones=menaquinones,
    )  # fmt: skip
