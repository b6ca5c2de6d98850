"""Reading an FNDDS food's recipe and recipe check from the food database (private to
`vitk2.foods.database`).

The build stores the recipe as FNDDS lists it (``recipe``), how the cooked weight was
found (``recipe_food``) and the recipe sum of each recipe nutrient with the share of
the recipe's grams that has a value (``recipe_value``). These functions turn them into
a `Recipe`, into the per-ingredient provenance of a recipe value, and into the sentence
that compares FNDDS's own value with the recipe sum.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.values import Basis, Recipe, RecipeIngredient, food_id

_ID_FACTOR: Final = 100_000_000
_BASIS: Final[dict[int, Basis]] = {0: "unknown", 1: "measured", 2: "imputed"}
FNDDS_SOURCE: Final = "usda_fndds_2017_2018"
PUBLISHED_METHOD: Final = "FNDDS 2017-2018 value per 100 g (USDA's calculation from its recipe)"
_YIELD_TEXT: Final = {
    "fndds_2019_2020_moisture_change": "the FNDDS 2019-2020 moisture change of the same recipe",
    "water_balance": "the water balance of the recipe against FNDDS's water value",
    "none": "no change (no usable moisture figure)",
}


@dataclass(frozen=True, slots=True)
class RecipeCheck:
    """The recipe sum of one nutrient (per 100 g) and the share of grams behind it."""

    value: float
    known_share: float


def _special_note(rule: str, ndb: int | None, fdc_id: int | None) -> str:
    if rule == "sr28" and ndb is not None:
        return f"special code, valued as {food_id(ndb)}"
    if rule == "fdc_mk4":
        return f"special code, MK-4 from FDC Foundation {fdc_id}, all else unknown"
    return "special code: a fortificant, valued as docs/data.md says"


def read_recipe(
    cursor: sqlite3.Cursor, key: int, name_of: Callable[[int], str]
) -> tuple[Recipe | None, dict[int, int]]:
    """The recipe of FNDDS food ``key`` (None when it has none), and for every special
    code in it the SR28 food it is valued as (for reading that food's values)."""
    found = cursor.execute(
        "SELECT total_g, yield_pct, yield_source FROM recipe_food WHERE ndb = ?", (key,)
    ).fetchone()
    if found is None:
        return None, {}
    total_g, yield_pct, source = found
    rows = cursor.execute(
        "SELECT r.ingredient, r.grams, r.retention, s.description, s.rule, s.ndb, s.fdc_id "
        "FROM recipe r LEFT JOIN special_code s ON s.code = r.ingredient "
        "WHERE r.ndb = ? ORDER BY r.seq",
        (key,),
    ).fetchall()
    ingredients = []
    valued_as: dict[int, int] = {}
    for code, grams, retention, description, rule, ndb, fdc_id in rows:
        if rule is not None:
            note = _special_note(rule, ndb, fdc_id)
            ingredients.append(
                RecipeIngredient(f"special:{code}", description, grams, retention, note)
            )
            if ndb is not None:
                valued_as[code] = ndb
        else:
            ingredients.append(RecipeIngredient(food_id(code), name_of(code), grams, retention))
    recipe = Recipe(tuple(ingredients), total_g, yield_pct, _YIELD_TEXT.get(source, source))
    return recipe, valued_as


def read_checks(
    cursor: sqlite3.Cursor, key: int, nutrient_ids: Mapping[str, int]
) -> dict[str, RecipeCheck]:
    """The recipe sums of FNDDS food ``key``, by nutrient key."""
    by_id = {nid: k for k, nid in nutrient_ids.items()}
    rows = cursor.execute(
        "SELECT nutrient_id, v, known_permille FROM recipe_value WHERE ndb = ?", (key,)
    ).fetchall()
    return {by_id[nid]: RecipeCheck(v / 1000.0, permille / 1000.0) for nid, v, permille in rows}


def check_sentence(nutrient: str, published: float | None, check: RecipeCheck | None) -> str:
    """How the recipe sum compares with FNDDS's own value, for ``method``."""
    if check is None:
        return f"{PUBLISHED_METHOD}; no ingredient has a value, so there is no recipe sum"
    unit = NUTRIENTS[nutrient].unit
    text = f"{PUBLISHED_METHOD}; the vitk2 recipe sum is {check.value:g} {unit}"
    if published:
        text += f" ({(check.value - published) / published:+.1%})"
    text += f", from ingredients with a value for {check.known_share:.0%} of the recipe's grams"
    return text


def known_sentence(method: str | None, check: RecipeCheck | None) -> str | None:
    """A recipe value's method with the share of grams whose value is known."""
    if check is None:
        return method
    return f"{method} Known for {check.known_share:.0%} of the recipe's grams."


def ingredient_estimates(
    cursor: sqlite3.Cursor,
    recipe: Recipe,
    valued_as: Mapping[int, int],
    nutrient_ids: Mapping[str, int],
    keys: tuple[str, ...],
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per recipe nutrient, each ingredient's grams and per-100 g value as
    (ingredient id, note): the provenance of a recipe value."""
    keys_of: dict[int, int] = {}
    for ingredient in recipe.ingredients:
        prefix, _, number = ingredient.id.partition(":")
        code = int(number)
        keys_of[code] = valued_as.get(code, code) if prefix == "special" else code
    wanted = [nutrient_ids[k] * _ID_FACTOR + ndb for k in keys for ndb in set(keys_of.values())]
    found: dict[int, tuple[int | None, int]] = {}
    if wanted:
        marks = ",".join("?" * len(wanted))
        for rowid, v, basis in cursor.execute(
            f"SELECT id, v, basis FROM value WHERE id IN ({marks})", wanted
        ):
            found[rowid] = (v, basis)
    estimates: dict[str, tuple[tuple[str, str], ...]] = {}
    for key in keys:
        unit = NUTRIENTS[key].unit
        notes = []
        for ingredient in recipe.ingredients:
            code = keys_of[int(ingredient.id.partition(":")[2])]
            v, basis = found.get(nutrient_ids[key] * _ID_FACTOR + code, (None, 0))
            amount = "unknown" if v is None else f"{v / 1000.0:g} {unit}/100 g ({_BASIS[basis]})"
            if ingredient.note:  # a special code: say how it is valued
                own_rule = code == int(ingredient.id.partition(":")[2])
                amount = ingredient.note if own_rule else f"{amount}, {ingredient.note}"
            text = f"{ingredient.grams:g} g of {recipe.total_g:g} g {ingredient.name}: {amount}"
            notes.append((ingredient.id, text))
        estimates[key] = tuple(notes)
    return estimates
