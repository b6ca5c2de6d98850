"""Your recipes and your foods from a label: the documents of `vitk2 recipe list/show
--json` and `vitk2 food list/show --json`, and adding and deleting them as `vitk2 recipe
add`, `vitk2 food add` and their ``delete`` do."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from vitk2.intake.own_foods import OwnKind
from vitk2.intake.own_records import own_food_json, own_food_list_json
from vitk2.services import DiaryService
from vitk2.web.api.deps import ERRORS, Service

__all__ = ["LabelFoodRequest", "RecipeRequest", "deleted", "router"]

router = APIRouter(tags=["your foods"], responses=ERRORS)
Name = Annotated[str, Field(min_length=1, max_length=100)]
Which = Annotated[str, Path(max_length=100, description="A name (any case) or a my: id.")]
Retired = Annotated[bool, Query(description="Also the retired versions kept for old entries.")]


class RecipeRequest(BaseModel):
    """A recipe as `vitk2 recipe add NAME --serves N TEXT`: its ingredients in meal
    text, read by the meal parser; nothing is saved unless every item resolves."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    text: str = Field(min_length=1, max_length=5000, examples=["200 g spaghetti, 30 g parmesan"])
    serves: float = Field(gt=0, le=1000)
    yield_g: float | None = Field(None, gt=0, le=100_000, description="Cooked weight, g.")
    note: str | None = Field(None, max_length=200)
    replace: bool = Field(False, description="Replace your recipe of the same name.")


class LabelFoodRequest(BaseModel):
    """A food from its label as `vitk2 food add NAME --per '1 bar' --grams 40 --calcium
    200mg`: ``label`` maps nutrient keys or aliases to amounts with their unit."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    per: Name = Field(description="What the label's amounts are per: '1 bar', '100 g', '1 cup'.")
    grams: float | None = Field(None, gt=0, le=100_000, description="Grams of that serving.")
    label: dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=40)]] = Field(
        max_length=30
    )
    note: str | None = Field(None, max_length=200)
    replace: bool = Field(False, description="Replace your food of the same name.")


def _list(service: DiaryService, kind: OwnKind, retired: bool) -> list[dict[str, Any]]:
    return [own_food_list_json(f, v) for f, v in service.own_food_list(kind, retired=retired)]


def _show(service: DiaryService, which: str, kind: OwnKind) -> dict[str, Any]:
    detail, uses = service.own_food_detail(which, kind)
    return own_food_json(detail, uses.entries, uses.recipes)


def deleted(service: DiaryService, which: str, kind: OwnKind) -> dict[str, Any]:
    """Delete (or retire, when entries or recipes use it) one of your foods."""
    food, uses = service.store.delete_own_food(which, kind=kind)
    return {
        "id": food.ref,
        "name": food.name,
        "retired": bool(uses),
        "used_by": {"entries": uses.entries, "recipes": list(uses.recipes)},
    }


@router.get("/recipes")
def recipes(service: Service, all: Retired = False) -> list[dict[str, Any]]:
    """Your recipes with their values per serving (`vitk2 recipe list --json`)."""
    return _list(service, "recipe", all)


@router.get("/recipes/{which}")
def recipe(which: Which, service: Service) -> dict[str, Any]:
    """One recipe: ingredients, nutrients with provenance, K2 coverage, what uses it."""
    return _show(service, which, "recipe")


@router.post("/recipes", status_code=201)
def add_recipe(body: RecipeRequest, service: Service) -> dict[str, Any]:
    """Read and store a recipe; the answer is its document and every assumption the
    parser made (``notes``)."""
    saved = service.add_recipe(
        body.name, body.text, serves=body.serves, yield_g=body.yield_g, note=body.note,
        replace=body.replace,
    )  # fmt: skip
    return {**_show(service, saved.saved.food.ref, "recipe"), "notes": saved.notes()}


@router.delete("/recipes/{which}")
def delete_recipe(which: Which, service: Service) -> dict[str, Any]:
    """Delete a recipe, or retire it when logged entries or other recipes use it."""
    return deleted(service, which, "recipe")


@router.get("/own-foods")
def own_foods(service: Service, all: Retired = False) -> list[dict[str, Any]]:
    """Your foods from a label with their values per serving (`vitk2 food list --json`)."""
    return _list(service, "label", all)


@router.get("/own-foods/{which}")
def own_food(which: Which, service: Service) -> dict[str, Any]:
    """One of your foods: its label, nutrients with provenance, what uses it."""
    return _show(service, which, "label")


@router.post("/own-foods", status_code=201)
def add_own_food(body: LabelFoodRequest, service: Service) -> dict[str, Any]:
    """Store a food from its label; what the label does not state stays unknown."""
    saved = service.add_label_food(
        body.name, body.per, grams=body.grams, label=body.label, note=body.note,
        replace=body.replace,
    )  # fmt: skip
    return _show(service, saved.food.ref, "label")


@router.delete("/own-foods/{which}")
def delete_own_food(which: Which, service: Service) -> dict[str, Any]:
    """Delete one of your foods, or retire it when entries or recipes use it."""
    return deleted(service, which, "label")
