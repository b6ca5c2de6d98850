"""How the food database ranks its foods for search: the priors of SR28 and FNDDS
foods (common foods first, foods as eaten after measured single foods, makers' dishes
with the dishes as eaten, how often Americans report eating an FNDDS food), which foods
are eaten cooked, and the curated defaults. `vitk2.foods.database` builds its
`vitk2.foods.search.SearchIndex` from `search_entries`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

from vitk2.foods.search import SearchEntry
from vitk2.foods.values import is_fndds

__all__ = [
    "CATEGORY_PREFIX",
    "FNDDS_DISH_PRIOR",
    "FNDDS_NAMED_DISH_PRIOR",
    "FNDDS_SAME_FOOD_PRIOR",
    "FNDDS_SAME_FOOD_SHARE",
    "REPORTED_FULL",
    "REPORTED_PRIOR_MAX",
    "FoodRow",
    "reported_prior",
    "search_defaults",
    "search_entries",
]

#: Group codes of FNDDS foods' WWEIA categories start with this (SR28 groups do not).
CATEGORY_PREFIX: Final = "wweia:"


class FoodRow(NamedTuple):
    """One row of the food table (a named tuple: ~16,000 are made per process)."""

    ndb: int
    name: str
    group: str
    survey: bool
    common_names: str
    group_code: str

    @property
    def mixed_dish(self) -> bool:
        """An FNDDS food of a WWEIA "Mixed dishes" category (3002-3802: meat, poultry,
        seafood, bean, vegetable, rice and pasta dishes, Asian and Mexican dishes,
        pizza, sandwiches, burgers, soups): a dish, in USDA's own classification."""
        return self.group_code.startswith(CATEGORY_PREFIX + "3")

    @property
    def fndds(self) -> bool:
        return is_fndds(self.ndb)


# Groups whose foods are rarely what a plain query means.
_UNLIKELY_GROUPS: Final = frozenset(
    {"Baby Foods", "American Indian/Alaska Native Foods", "Restaurant Foods", "Fast Foods"}
)


# FNDDS foods as eaten rank below SR28 foods: a single-food query ("gouda", "tahini")
# means the SR28 food, whose values are measured; a dish only FNDDS has (chicken
# curry, pad thai) still finds the FNDDS food. An FNDDS food that is at least
# `FNDDS_SAME_FOOD_SHARE` of one SR28 food ("Tahini", "Kale, fresh, cooked") is that
# food as eaten and ranks lower still. Measured on the labelled queries
# (docs/benchmarks.md); the meal-parser work tunes dishes against ingredients.
FNDDS_DISH_PRIOR: Final = -1.6
FNDDS_NAMED_DISH_PRIOR: Final = 0.0
FNDDS_SAME_FOOD_PRIOR: Final = -3.0
FNDDS_SAME_FOOD_SHARE: Final = 0.9


#: The largest search prior for how often Americans report eating an FNDDS food (the
#: NHANES 2011-2012 day-1 recalls, data/fndds_reports.csv): a food reported
#: `REPORTED_FULL` times or more gets all of it, less often a share by the logarithm.
#: It orders foods the words name about equally well ("Taco or tostada with meat"
#: before "… with fish"), and stays below a differing head word (0.45: "Rice noodles"
#: for rice). Measured on the everyday labelled set (docs/benchmarks.md): 0.15, 0.3
#: and 0.5 give 74.0, 75.0 and 75.7 % right; 0.3 keeps it under that head-word penalty.
REPORTED_PRIOR_MAX: Final = 0.3
REPORTED_FULL: Final = 1000


@cache
def _reported() -> dict[int, int]:
    """FNDDS food code → reports in the NHANES 2011-2012 day-1 recalls."""
    text = (resources.files("vitk2") / "data" / "fndds_reports.csv").read_text("utf-8")
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return {int(row["fndds_code"]): int(row["reports"]) for row in csv.DictReader(lines)}


def reported_prior(reports: int) -> float:
    """The search prior for an FNDDS food reported ``reports`` times (see
    `REPORTED_PRIOR_MAX`)."""
    share = math.log1p(reports) / math.log1p(REPORTED_FULL)
    return REPORTED_PRIOR_MAX * min(1.0, share)


def _prior(row: FoodRow, main_share: float = 0.0) -> tuple[float, float, float | None]:
    """Search priors (prior, table prior): foods used in US dietary surveys are
    common; baby, fast and restaurant foods are rarely what a plain query means. The
    table prior puts FNDDS foods as eaten after SR28 foods, and those that are one
    SR28 food further still (``main_share``: the largest share of an FNDDS recipe's
    grams that is one SR28 food); a search among FNDDS foods only leaves it out."""
    if row.fndds:
        same = main_share >= FNDDS_SAME_FOOD_SHARE
        table = FNDDS_SAME_FOOD_PRIOR if same else FNDDS_DISH_PRIOR

        # Baby foods and formulas (WWEIA "Baby food: …", "Formula, …"), as in SR28.
        prior = -0.6 if row.group.startswith(("Baby ", "Formula", "Human milk")) else 0.0
        prior += reported_prior(_reported().get(row.ndb, 0))
        return prior, table, FNDDS_NAMED_DISH_PRIOR if row.mixed_dish else None
    prior = 0.6 if row.survey else 0.0
    if row.group in _UNLIKELY_GROUPS:
        prior -= 0.6
    return prior, 0.0, None


# SR28 groups of dishes as a maker or a restaurant makes them ("Lasagna with meat &
# sauce, frozen entree", "McDONALD'S, Hot Fudge Sundae"). Such a dish in a packaged form
# or of a brand the words do not say ranks with FNDDS's dishes as eaten (see
# `SearchEntry.packaged_prior`); measured on the everyday labelled set.
_PRODUCT_GROUPS: Final = frozenset(
    {"Fast Foods", "Restaurant Foods", "Meals, Entrees, and Side Dishes"}
)


def _packaged_prior(row: FoodRow) -> float:
    """FNDDS's own packaged dishes ("Cheese enchilada, frozen meal") count too."""
    if row.fndds:
        return FNDDS_DISH_PRIOR if "frozen meal" in row.name else 0.0
    return FNDDS_DISH_PRIOR if row.group in _PRODUCT_GROUPS else 0.0


# Groups people eat cooked: with no state in the query, raw forms rank lower.
_COOKED_GROUPS: Final = frozenset(
    {
        "Beef Products", "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products",
        "Finfish and Shellfish Products", "Legumes and Legume Products",
        "Cereal Grains and Pasta", "Sausages and Luncheon Meats",
    }
)  # fmt: skip


def _eaten_cooked(group: str, name: str) -> bool:
    """Whether an SR28 food is normally eaten cooked: its group's foods are, or it is
    an egg (SR28 files eggs with dairy, which is eaten as it is)."""
    return group in _COOKED_GROUPS or name.startswith("Egg,")


@cache
def search_defaults() -> dict[str, str]:
    """Phrase → NDB of the food a plain query usually means (data/search_defaults.csv)."""
    text = (resources.files("vitk2") / "data" / "search_defaults.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {row["phrase"]: str(int(row["ndb"])) for row in rows}


def search_entries(
    rows: Iterable[FoodRow], mains: Iterable[tuple[int, int, float]]
) -> Iterator[SearchEntry]:
    """The search index's entries for the food table's ``rows``; ``mains`` are the
    (FNDDS food, its main SR28 ingredient, that ingredient's share of the grams) of the
    recipe table."""
    rows = list(rows)
    groups = {row.ndb: row.group for row in rows}
    # A dish that is one maker's product as eaten ("Mozzarella sticks, breaded" from a
    # restaurant's) ranks as a dish, as its product does.
    shares = {
        ndb: 0.0 if groups.get(main) in _PRODUCT_GROUPS else share for ndb, main, share in mains
    }
    for row in rows:
        prior, table, named = _prior(row, shares.get(row.ndb, 0.0))
        yield SearchEntry(
            str(row.ndb),
            row.name,
            prior,
            # Empty for FNDDS foods: their additional descriptions' words (decaf,
            # basmati, paste) took single-food queries from SR28 foods.
            row.common_names,
            eaten_cooked=None if row.fndds else _eaten_cooked(row.group, row.name),
            table="fndds" if row.fndds else "usda",
            table_prior=table,
            head_prior=named,
            packaged_prior=_packaged_prior(row),
        )
