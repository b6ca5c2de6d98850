"""Write the FNDDS foods into the food database: their WWEIA categories, portions,
recipes, the values FNDDS publishes, the recipe-calculated vitamin K, and the recipe
sums that check the method against FNDDS's own values.

What is stored per FNDDS food (key = its 8-digit code):

* every nutrient FNDDS publishes (65, incl. K1, vitamin D, calcium), basis imputed
  (USDA calculated them from the recipe), without a ``value_detail`` row: the reader
  knows an FNDDS food's published value by its key;
* ``dk1_ug``, ``mk4_ug`` … ``mk13_ug`` and ``k2_ug`` from the recipe, only when every
  ingredient has a value (`RECIPE_METHOD`); an incomplete ``mk4_ug``/``k2_ug`` is an
  explicit unknown row (`INCOMPLETE_METHOD`);
* ``vitk_ug`` = FNDDS K1 + recipe K2 (+ recipe dihydro-K1 where complete);
* ``recipe_value``: the recipe sum of every recipe key with the share of the recipe's
  grams (per mille) that has a value, complete or not: the check of the method.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Final

from vitk2.foods.build.fndds import Fndds
from vitk2.foods.build.recipe import VITAMIN_K_RECIPE_KEYS, RecipeResult, RecipeValue
from vitk2.foods.build.rows import Row, insert_values, milli, value_id

CATEGORY_PREFIX: Final = "wweia:"
RECIPE_METHOD: Final = (
    "imputed (recipe): the sum over the food's FNDDS recipe of ingredient grams x the "
    "ingredient's per-100 g value, per 100 g of the food after cooking (yield from the "
    "FNDDS moisture change or water balance); sub-recipes expanded, special codes mapped "
    "(docs/data.md). The range sums the ingredients' ranges."
)
INCOMPLETE_METHOD: Final = (
    "unknown: some ingredients of the FNDDS recipe have no value, so the recipe sum "
    "would be a lower bound (the recipe lists them)"
)
_IMPUTED, _UNKNOWN = 2, 0

_SCHEMA: Final = """
CREATE TABLE recipe(
    ndb INTEGER NOT NULL, seq INTEGER NOT NULL, ingredient INTEGER NOT NULL,
    grams REAL NOT NULL, retention INTEGER NOT NULL, PRIMARY KEY (ndb, seq)) WITHOUT ROWID;
CREATE TABLE recipe_food(
    ndb INTEGER PRIMARY KEY, total_g REAL NOT NULL, yield_pct REAL NOT NULL,
    yield_source TEXT NOT NULL, main_ingredient INTEGER, main_share REAL NOT NULL);
CREATE TABLE recipe_value(
    nutrient_id INTEGER NOT NULL, ndb INTEGER NOT NULL, v INTEGER NOT NULL,
    known_permille INTEGER NOT NULL, PRIMARY KEY (nutrient_id, ndb)) WITHOUT ROWID;
CREATE TABLE special_code(
    code INTEGER PRIMARY KEY, description TEXT NOT NULL, rule TEXT NOT NULL,
    ndb INTEGER, fdc_id INTEGER, reason TEXT NOT NULL);
"""


def _range(value: RecipeValue) -> tuple[int | None, int | None]:
    low, high = milli(value.low), milli(value.high)
    if low == high == milli(value.value):
        return None, None
    return low, high


def _vitk_row(values: Mapping[str, RecipeValue], k1: float) -> Row:
    k2 = values.get("k2_ug")
    if k2 is None or not k2.complete:
        return (None, _UNKNOWN, None, None, None, "K1 or K2 unknown, so the sum is unknown")
    parts = [k2]
    dk1 = values.get("dk1_ug")
    if dk1 is not None and dk1.complete:
        parts.append(dk1)
    value = k1 + sum(p.value for p in parts)
    ranged = any(_range(p) != (None, None) for p in parts)
    low = k1 + sum(p.low for p in parts)
    high = k1 + sum(p.high for p in parts)
    names = "k1 + k2" + (" + dk1" if len(parts) > 1 else " (dihydro-K1 unknown)")
    low_milli = milli(low) if ranged else None
    high_milli = milli(high) if ranged else None
    return (milli(value), _IMPUTED, None, low_milli, high_milli, f"sum of {names}")


def insert_fndds(
    connection: sqlite3.Connection,
    fndds: Fndds,
    results: Mapping[int, RecipeResult],
    nutrient_ids: Mapping[str, int],
) -> dict[str, int]:
    """Insert everything FNDDS brings; returns row counts."""
    connection.executescript(_SCHEMA)
    categories = sorted({(f"{CATEGORY_PREFIX}{f.category_code}", f.category) for f in fndds.foods})
    connection.executemany("INSERT INTO food_group VALUES (?, ?)", categories)
    connection.executemany(
        "INSERT INTO food VALUES (?, ?, ?, 1, ?, '')",
        (
            (f.code, f.name, f"{CATEGORY_PREFIX}{f.category_code}", f.additional)
            for f in fndds.foods
        ),
    )
    connection.executemany(
        "INSERT INTO portion VALUES (?, ?, ?, ?, ?)",
        ((p.code, p.seq, p.amount, p.unit, p.grams) for p in fndds.portions),
    )
    recipe_rows = [
        (row.food, row.seq, row.code, row.grams, row.retention)
        for rows in fndds.recipes.values()
        for row in rows
    ]
    connection.executemany("INSERT INTO recipe VALUES (?, ?, ?, ?, ?)", recipe_rows)
    connection.executemany(
        "INSERT INTO recipe_food VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                code,
                r.total_g,
                round(r.yield_factor * 100.0, 3),
                r.yield_source,
                r.main_ingredient,
                round(r.main_share, 4),
            )
            for code, r in sorted(results.items())
        ),
    )
    specials = [
        (
            s.code,
            s.description,
            s.rule,
            int(s.ndb) if s.ndb else None,
            int(s.fdc_id) if s.fdc_id else None,
            s.reason,
        )
        for s in sorted(fndds.special.values(), key=lambda s: s.code)
    ]
    connection.executemany("INSERT INTO special_code VALUES (?, ?, ?, ?, ?, ?)", specials)
    rows: dict[int, Row] = {}
    checks: list[tuple[int, int, int | None, int]] = []
    for food in fndds.foods:
        published = fndds.values[food.code]
        for key, number in published.items():
            rows[value_id(nutrient_ids[key], food.code)] = (
                milli(number),
                _IMPUTED,
                None,
                None,
                None,
                None,
            )
        values = results[food.code].values
        for key in VITAMIN_K_RECIPE_KEYS:
            if key == "k1_ug":
                continue
            found = values.get(key)
            if found is not None and found.complete:
                low, high = _range(found)
                row: Row = (milli(found.value), _IMPUTED, None, low, high, RECIPE_METHOD)
            elif key in ("mk4_ug", "k2_ug"):
                row = (None, _UNKNOWN, None, None, None, INCOMPLETE_METHOD)
            else:
                continue
            rows[value_id(nutrient_ids[key], food.code)] = row
        rows[value_id(nutrient_ids["vitk_ug"], food.code)] = _vitk_row(values, published["k1_ug"])
        for key, found in values.items():
            if key != "water_g":
                permille = round(found.known_share * 1000)
                checks.append((nutrient_ids[key], food.code, milli(found.value), permille))
    insert_values(connection, sorted(rows.items()))
    connection.executemany("INSERT INTO recipe_value VALUES (?, ?, ?, ?)", sorted(checks))
    return {
        "fndds_foods": len(fndds.foods),
        "fndds_portions": len(fndds.portions),
        "fndds_recipe_rows": len(recipe_rows),
        "fndds_values": len(rows),
    }
