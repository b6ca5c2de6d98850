"""Domain values for foods: ids, nutrient values with provenance, portions, recipes, rankings.

Two kinds of food share one id space: USDA SR28 foods (``usda:`` and the 5-digit NDB
number) and FNDDS 2017-2018 foods as eaten (``fndds:`` and the 8-digit food code).

>>> food_id(1022), food_id(58106230)
('usda:01022', 'fndds:58106230')
>>> parse_food_id("fndds:27510160"), parse_food_id("01022")
(27510160, 1022)
>>> Portion(1.0, UNSPECIFIED_PORTION, 115.0).name
'Quantity not specified'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from vitk2.errors import UnknownFoodError

__all__ = [
    "BASES",
    "FNDDS_CODE_MIN",
    "PER_OPTIONS",
    "UNSPECIFIED_PORTION",
    "Basis",
    "Food",
    "FoodVector",
    "NutrientValue",
    "Per",
    "Portion",
    "RankedFood",
    "Recipe",
    "RecipeIngredient",
    "SearchHit",
    "VectorSource",
    "food_id",
    "is_fndds",
    "parse_food_id",
]

Basis = Literal["measured", "imputed", "unknown"]
Per = Literal["100g", "serving", "100kcal"]
BASES: Final[tuple[Basis, ...]] = ("measured", "imputed", "unknown")
PER_OPTIONS: Final[tuple[Per, ...]] = ("100g", "serving", "100kcal")

#: FNDDS food codes have 8 digits (11000000 …); SR28 NDB numbers at most 5.
FNDDS_CODE_MIN: Final = 10_000_000
#: FNDDS's portion for an amount not given: the weight the national survey itself uses.
UNSPECIFIED_PORTION: Final = "Quantity not specified"

_SR28_ID = re.compile(r"^(?:usda:)?(\d{1,5})$", re.IGNORECASE)
_FNDDS_ID = re.compile(r"^(?:fndds:)?(\d{8})$", re.IGNORECASE)


def is_fndds(key: int) -> bool:
    """True for the key of an FNDDS food (an 8-digit food code)."""
    return key >= FNDDS_CODE_MIN


def food_id(key: int) -> str:
    """The public id of a food: ``usda:`` and the 5-digit NDB number for SR28 foods,
    ``fndds:`` and the 8-digit food code for FNDDS foods."""
    return f"fndds:{key:08d}" if is_fndds(key) else f"usda:{key:05d}"


def parse_food_id(text: str) -> int:
    """The key in ``usda:01022`` or ``fndds:58106230`` (a bare 5-digit NDB number or
    8-digit FNDDS code is accepted too)."""
    cleaned = text.strip()
    match = _SR28_ID.match(cleaned) or _FNDDS_ID.match(cleaned)
    if match is None:
        raise UnknownFoodError(text)
    key = int(match.group(1))
    if match.re is _FNDDS_ID and not is_fndds(key):  # "00001022" is no FNDDS code
        raise UnknownFoodError(text)
    return key


@dataclass(frozen=True, slots=True)
class NutrientValue:
    """One nutrient of one food, per 100 g edible portion, with where it comes from.

    ``value`` is None exactly when ``basis`` is ``"unknown"``: missing is not zero.
    ``low``/``high`` give the range when the data give one (SR28 Min/Max or the
    spread of several estimates), else None. For vitamin K, ``estimates`` lists
    every figure behind the value as (source key, note).
    """

    key: str
    value: float | None
    unit: str
    basis: Basis
    low: float | None = None
    high: float | None = None
    sources: tuple[str, ...] = ()
    method: str | None = None
    estimates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Portion:
    """A household measure (SR28's WEIGHT table, FNDDS's portions): ``amount unit``
    weighs ``grams``. FNDDS's ``Quantity not specified`` (`UNSPECIFIED_PORTION`) is the
    weight the national survey uses when no amount is given."""

    amount: float
    unit: str
    grams: float

    @property
    def unspecified(self) -> bool:
        """True for FNDDS's "Quantity not specified" portion."""
        return self.unit == UNSPECIFIED_PORTION

    @property
    def name(self) -> str:
        return self.unit if self.unspecified else f"{self.amount:g} {self.unit}"


@dataclass(frozen=True, slots=True)
class RecipeIngredient:
    """One ingredient of an FNDDS food's recipe, as FNDDS lists it.

    ``id`` is a food id (``usda:…`` or, for a sub-recipe, ``fndds:…``) or, for one of
    FNDDS's 6-digit special codes, ``special:NNNNNN``; ``note`` says how a special
    code is valued (docs/data.md)."""

    id: str
    name: str
    grams: float
    retention_code: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Recipe:
    """An FNDDS food's recipe: its ingredients (sub-recipes not expanded), their total
    weight, and the weight after cooking per 100 g of ingredients (``yield_pct``) with
    where that figure comes from."""

    ingredients: tuple[RecipeIngredient, ...]
    total_g: float
    yield_pct: float
    yield_source: str


@dataclass(frozen=True, slots=True)
class Food:
    """A food with its full nutrient profile (per 100 g) and household portions."""

    id: str
    name: str
    group: str
    survey: bool
    nutrients: Mapping[str, NutrientValue] = field(repr=False)
    portions: tuple[Portion, ...] = ()
    recipe: Recipe | None = None  # FNDDS foods only

    def nutrient(self, key: str) -> NutrientValue:
        """The value for a nutrient key; unknown values come back with basis 'unknown'."""
        return self.nutrients[key]


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    name: str
    group: str
    score: float


@dataclass(frozen=True, slots=True)
class RankedFood:
    """One row of a nutrient ranking, already expressed ``per`` 100 g, serving or 100 kcal."""

    id: str
    name: str
    group: str
    value: float
    unit: str
    per: Per
    basis: Basis
    low: float | None = None
    high: float | None = None
    serving: Portion | None = None


@dataclass(frozen=True, slots=True)
class FoodVector:
    """One food's per-100 g values of every nutrient, in `vitk2.foods.nutrients.NUTRIENTS`
    order (None = unknown), with the K2 range and K2 basis: the compact form used to
    add up diaries quickly."""

    id: str
    name: str
    values: tuple[float | None, ...] = field(repr=False)
    k2_low: float | None = None
    k2_high: float | None = None
    k2_basis: Basis = "unknown"
    #: Keys whose value adds up only the parts of the food whose value is known (a
    #: recipe with an ingredient of unknown value): a lower bound, not the whole.
    partial: frozenset[str] = frozenset()
    #: Shares of the food's weight whose K2 is (measured, imputed, unknown), for a food
    #: made of parts (a recipe); None when all of it has `k2_basis`.
    k2_shares: tuple[float, float, float] | None = None


class VectorSource(Protocol):
    """Whatever gives per-100 g vectors for food ids: the shipped `FoodDB`, or the
    food database together with a diary's own foods and recipes
    (`vitk2.intake.own_values.DiaryFoods`)."""

    def vectors(self, identifiers: Sequence[str]) -> dict[str, FoodVector]:
        """The vector of every id (raises `UnknownFoodError` for an unknown one)."""
        ...
