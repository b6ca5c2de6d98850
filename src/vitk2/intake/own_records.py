"""The JSON documents of your own recipes and foods: what `vitk2 recipe show --json`,
`vitk2 food list --json` and the web API's ``/api/recipes`` and ``/api/own-foods`` give."""

from __future__ import annotations

from typing import Any

from vitk2.foods.values import FoodVector
from vitk2.intake.own_foods import OwnFood
from vitk2.intake.own_values import OwnFoodDetail
from vitk2.intake.totals import KEYS

__all__ = ["own_food_json", "own_food_list_json", "per_serving"]


def per_serving(food: OwnFood, vector: FoodVector) -> dict[str, float | None]:
    """Amounts in one serving of ``food`` from its per-100 g ``vector``."""
    factor = food.serving_g / 100.0
    return {
        key: None if value is None else round(value * factor, 4)
        for key, value in zip(KEYS, vector.values, strict=True)
    }


def own_food_json(detail: OwnFoodDetail, entries: int, recipes: tuple[str, ...]) -> dict[str, Any]:
    """The document of `vitk2 recipe show --json` and `vitk2 food show --json` (and of
    the web API): the food, its ingredients or label, nutrients with provenance, K2
    coverage and what uses it."""
    food = detail.food
    measured, imputed, unknown = detail.k2_shares
    data: dict[str, Any] = {
        "id": food.ref,
        "kind": food.kind,
        "name": food.name,
        "title": food.title,
        "version": food.version,
        "retired": food.retired,
        "note": food.note,
        "serving_g": round(food.serving_g, 4),
        "log_as": food.log_text,
    }
    if food.serving is not None:
        serving = food.serving
        data["per"] = {"quantity": serving.quantity, "unit": serving.unit, "grams": serving.grams}
        data["label"] = dict(food.label)
    else:
        data |= {
            "serves": food.serves,
            "yield_g": food.yield_g,
            "ingredients_g": round(food.raw_g, 4),
            "total_g": round(food.total_g, 4),
            "text": food.text,
            "ingredients": [
                {
                    "ref": part.ingredient.ref,
                    "name": part.ingredient.name,
                    "grams": part.ingredient.grams,
                    "text": part.ingredient.text,
                    "nutrients": {
                        k: None if v is None else round(v, 4) for k, v in part.amounts.items()
                    },
                    "basis": dict(part.basis),
                    "sources": {k: list(v) for k, v in part.sources.items()},
                }
                for part in detail.ingredients
            ],
        }
    data["nutrients"] = {key: value.as_dict() for key, value in detail.nutrients.items()}
    data["k2_coverage"] = {
        "measured_share": round(measured, 4),
        "imputed_share": round(imputed, 4),
        "unknown_share": round(unknown, 4),
    }
    data["used_by"] = {"entries": entries, "recipes": list(recipes)}
    return data


def own_food_list_json(food: OwnFood, vector: FoodVector) -> dict[str, Any]:
    """One row of `vitk2 recipe list --json` and `vitk2 food list --json`."""
    data: dict[str, Any] = {
        "id": food.ref,
        "name": food.name,
        "title": food.title,
        "version": food.version,
        "retired": food.retired,
        "serving_g": round(food.serving_g, 4),
        "log_as": food.log_text,
    }
    if food.serving is not None:
        data["per"] = {
            "quantity": food.serving.quantity,
            "unit": food.serving.unit,
            "grams": food.serving.grams,
        }
    else:
        data |= {"serves": food.serves, "yield_g": food.yield_g, "total_g": food.total_g}
    data["per_serving"] = per_serving(food, vector)
    data["incomplete"] = sorted(vector.partial)
    return data
