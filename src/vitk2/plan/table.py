"""The food table the planner and the substitutes read: every food of the database
with the nutrients they weigh, what it holds (`vitk2.plan.groups`), its household
portions and how much people eat of it in a day (`data/amounts_eaten.csv`).

Read once per database and process (`food_table`): about 0.5 s for the ~15,900
foods; every value is read from the database at run time, never copied into code.
Unknown values are NaN in the arrays and never count as 0.

**Amounts eaten** (the portion cap and the typical amount of a food): from the
NHANES 2011-2012 recalls (`vitk2.foods.build.amounts_eaten`, which says how an SR28
food is matched to the foods of the survey): for an FNDDS food its own figures when
at least 30 person-days ate it, else those of its WWEIA category; for an SR28 food
the figures the file gives it, else the median over the SR28 foods of its group.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

import numpy as np
import numpy.typing as npt

from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.foods.values import Portion
from vitk2.plan.groups import FoodClass, classify_foods, ingredient_names

__all__ = [
    "RANGE_KEYS",
    "TABLE_KEYS",
    "AmountEaten",
    "FoodTable",
    "food_table",
    "read_amounts_eaten",
]

#: The nutrients the planner and the substitutes read, in the columns of `FoodTable.values`.
TABLE_KEYS: Final[tuple[str, ...]] = (
    "energy_kcal",
    "fat_sat_g",
    "sodium_mg",
    "calcium_mg",
    "vitd_ug",
    "k1_ug",
    *MENAQUINONE_KEYS,
    "k2_ug",
    "cholesterol_mg",
)
#: The nutrients whose low-high ranges the table holds.
RANGE_KEYS: Final[tuple[str, ...]] = ("k2_ug", "mk7_ug")
#: An FNDDS food this share of whose recipe grams is one SR28 food is that food as eaten.
SAME_FOOD_SHARE: Final = 0.9
Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class AmountEaten:
    """Grams of a food eaten on a day by those who ate it (US, NHANES 2011-2012): the
    weighted median and 90th percentile, over ``person_days``, and what they describe
    (``basis``: "food", "sr28", "category" or "group"); ``food_person_days``: on how
    many person-days the food itself was eaten (0 when not known)."""

    p50_g: float
    p90_g: float
    person_days: int
    basis: str
    described: str
    food_person_days: int = 0  # days on which the food itself was eaten (how common it is)
    fndds_name: str = ""  # for an SR28 food: the FNDDS food whose figures it has


@cache
def read_amounts_eaten() -> dict[str, AmountEaten]:
    """By FNDDS food id, WWEIA category name (``wweia:`` and the name) and SR28 food
    id, from the shipped file."""
    text = (resources.files("vitk2") / "data" / "amounts_eaten.csv").read_text("utf-8")
    found: dict[str, AmountEaten] = {}
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["kind"]
        described = row["name"] if kind != "sr28" else f"{row['name']} ({row['via']})"
        common = int(row["food_person_days"] or 0) if kind == "sr28" else 0
        if kind == "food":
            common = int(row["person_days"])
        amount = AmountEaten(
            float(row["p50_g"]),
            float(row["p90_g"]),
            int(row["person_days"]),
            kind,
            described,
            common,
            row["name"] if kind == "sr28" else "",
        )
        key = {"food": "fndds:", "sr28": "usda:", "category": "wweia:"}[kind]
        found[key + (row["name"] if kind == "category" else row["key"])] = amount
    return found


@dataclass(frozen=True, slots=True, eq=False)
class FoodTable:
    """Every food with the values of `TABLE_KEYS` per 100 g (NaN: unknown). Compared
    and hashed by identity (one table per database and process)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    groups: tuple[str, ...]
    categories: tuple[str, ...]  # the WWEIA category of the food as eaten, else its group
    survey: tuple[bool, ...]
    branded: tuple[bool, ...]
    values: Array = field(repr=False)  # foods x TABLE_KEYS, per 100 g
    lows: Mapping[str, Array] = field(repr=False)  # RANGE_KEYS, per 100 g; the value
    highs: Mapping[str, Array] = field(repr=False)  # where no range is stored
    k2_measured: npt.NDArray[np.bool_] = field(repr=False)
    classes: tuple[frozenset[FoodClass], ...] = field(repr=False)
    ingredients: Mapping[str, tuple[str, ...]] = field(repr=False)
    portions: Mapping[str, tuple[Portion, ...]] = field(repr=False)
    as_eaten: Mapping[str, str] = field(repr=False)  # SR28 food -> its FNDDS food as eaten
    same_food: Mapping[str, str] = field(repr=False)  # FNDDS food -> SR28 food it is
    amounts: tuple[AmountEaten | None, ...] = field(repr=False)
    index: Mapping[str, int] = field(repr=False)

    def column(self, key: str) -> Array:
        return self.values[:, TABLE_KEYS.index(key)]

    def is_fndds(self, i: int) -> bool:
        return self.ids[i].startswith("fndds:")

    def names_of(self, i: int) -> tuple[str, ...]:
        """The food's name and its ingredients' names (what exclusions match)."""
        return (self.names[i], *self.ingredients.get(self.ids[i], ()))


def _category(
    food: str,
    *,
    i: int,
    groups: tuple[str, ...],
    index: Mapping[str, int],
    as_eaten: Mapping[str, str],
    amount: AmountEaten | None,
    fndds_groups: Mapping[str, str],
) -> str:
    """The WWEIA category of the food as eaten: of the FNDDS food that is it, else of
    the FNDDS food whose amounts it has (so every skim milk is a milk), else its group."""
    if food in as_eaten:
        return groups[index[as_eaten[food]]]
    if amount is not None and amount.fndds_name in fndds_groups:
        return fndds_groups[amount.fndds_name]
    return groups[i]


def _amounts(ids: tuple[str, ...], groups: tuple[str, ...]) -> tuple[AmountEaten | None, ...]:
    found = read_amounts_eaten()
    own = [
        found.get(food) or (found.get(f"wweia:{group}") if food.startswith("fndds:") else None)
        for food, group in zip(ids, groups, strict=True)
    ]
    by_group: dict[str, list[AmountEaten]] = {}
    for food, group, amount in zip(ids, groups, own, strict=True):
        if food.startswith("usda:") and amount is not None:
            by_group.setdefault(group, []).append(amount)
    medians = {
        group: AmountEaten(
            statistics.median(a.p50_g for a in amounts),
            statistics.median(a.p90_g for a in amounts),
            0,
            "group",
            f"median over {len(amounts)} foods of {group}",
        )
        for group, amounts in by_group.items()
    }
    return tuple(
        amount or (medians.get(group) if food.startswith("usda:") else None)
        for food, group, amount in zip(ids, groups, own, strict=True)
    )


def _as_eaten(main: Mapping[str, tuple[str, float]]) -> tuple[dict[str, str], dict[str, str]]:
    """SR28 food -> its most eaten FNDDS food as eaten, and FNDDS food -> SR28 food."""
    found = read_amounts_eaten()
    same = {f: sr for f, (sr, share) in main.items() if share >= SAME_FOOD_SHARE}
    best: dict[str, str] = {}
    for fndds, sr28 in sorted(same.items()):
        days = found[fndds].person_days if fndds in found else 0
        current = best.get(sr28)
        if current is None or days > (found[current].person_days if current in found else 0):
            best[sr28] = fndds
    return best, same


@cache
def food_table(db: FoodDB) -> FoodTable:
    """The table of ``db`` (read once per process)."""
    listing = db.names()
    ids = db.food_ids()
    index = {food: i for i, food in enumerate(ids)}
    names = tuple(listing[f][0] for f in ids)
    groups = tuple(listing[f][1] for f in ids)
    values, basis = db.nutrient_matrix(TABLE_KEYS)
    k2_column = TABLE_KEYS.index("k2_ug")
    k2_measured = basis[:, k2_column] == 1
    lows, highs = {}, {}
    for key in RANGE_KEYS:
        central = values[:, TABLE_KEYS.index(key)]
        low, high = db.range_matrix(key)
        lows[key] = np.where(np.isnan(low), central, low)
        highs[key] = np.where(np.isnan(high), central, high)
    recipes = db.recipe_rows()
    cholesterol = values[:, TABLE_KEYS.index("cholesterol_mg")]
    described = {
        food: (names[i], groups[i], None if np.isnan(cholesterol[i]) else float(cholesterol[i]))
        for i, food in enumerate(ids)
    }
    classes = classify_foods(described, recipes)
    main = db.main_ingredients()
    survey = db.survey_foods()
    branded = db.branded_foods()
    as_eaten, same = _as_eaten(main)
    amounts = _amounts(ids, groups)
    fndds_groups = {names[i]: groups[i] for i, f in enumerate(ids) if f.startswith("fndds:")}
    categories = tuple(
        _category(
            f,
            i=i,
            groups=groups,
            index=index,
            as_eaten=as_eaten,
            amount=amounts[i],
            fndds_groups=fndds_groups,
        )
        for i, f in enumerate(ids)
    )
    return FoodTable(
        ids=ids,
        names=names,
        groups=groups,
        categories=categories,
        survey=tuple(food in survey for food in ids),
        branded=tuple(food in branded for food in ids),
        values=values,
        lows=lows,
        highs=highs,
        k2_measured=k2_measured,
        classes=tuple(classes[f] for f in ids),
        ingredients=ingredient_names(dict(zip(ids, names, strict=True)), recipes),
        portions=db.all_portions(),
        as_eaten=as_eaten,
        same_food=same,
        amounts=amounts,
        index=index,
    )
