"""Foods as JSON records: a food with every value's source, basis and range, a search
hit, a ranked row. The shapes of ``vitk2 foods … --json``; the web API gives the same."""

from __future__ import annotations

from typing import Any

from vitk2.foods.nutrients import VITAMIN_K_KEYS
from vitk2.foods.values import Food, NutrientValue, RankedFood, Recipe, SearchHit

__all__ = ["food_record", "hit_record", "nutrient_record", "ranked_record", "recipe_record"]


def hit_record(hit: SearchHit) -> dict[str, Any]:
    """One search hit: ``{"id", "name", "group", "score"}``."""
    return {"id": hit.id, "name": hit.name, "group": hit.group, "score": hit.score}


def nutrient_record(value: NutrientValue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "value": value.value,
        "unit": value.unit,
        "low": value.low,
        "high": value.high,
        "basis": value.basis,
        "sources": list(value.sources),
        "method": value.method,
    }
    if value.key in VITAMIN_K_KEYS:
        data["estimates"] = [{"source": key, "note": note} for key, note in value.estimates]
    return data


def recipe_record(recipe: Recipe | None) -> dict[str, Any] | None:
    """An FNDDS food's recipe: its ingredients in grams and the cooking yield."""
    if recipe is None:
        return None
    return {
        "total_g": recipe.total_g,
        "yield_pct": recipe.yield_pct,
        "yield_source": recipe.yield_source,
        "ingredients": [
            {
                "id": i.id,
                "name": i.name,
                "grams": i.grams,
                "retention_code": i.retention_code,
                "note": i.note or None,
            }
            for i in recipe.ingredients
        ],
    }


def food_record(food: Food) -> dict[str, Any]:
    return {
        "id": food.id,
        "name": food.name,
        "group": food.group,
        "survey": food.survey,
        "nutrients": {key: nutrient_record(value) for key, value in food.nutrients.items()},
        "portions": [
            {"name": p.name, "amount": p.amount, "unit": p.unit, "grams": p.grams}
            for p in food.portions
        ],
        "recipe": recipe_record(food.recipe),
    }


def ranked_record(row: RankedFood) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "group": row.group,
        "value": row.value,
        "unit": row.unit,
        "per": row.per,
        "low": row.low,
        "high": row.high,
        "basis": row.basis,
        "sources": list(row.sources),
        "serving": None
        if row.serving is None
        else {"name": row.serving.name, "grams": row.serving.grams},
    }
