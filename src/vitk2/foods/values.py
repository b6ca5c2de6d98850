"""Domain values for foods: ids, nutrient values with provenance, portions, rankings."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from vitk2.errors import UnknownFoodError

__all__ = [
    "BASES",
    "PER_OPTIONS",
    "Basis",
    "Food",
    "FoodVector",
    "NutrientValue",
    "Per",
    "Portion",
    "RankedFood",
    "SearchHit",
    "VectorSource",
    "food_id",
    "parse_food_id",
]

Basis = Literal["measured", "imputed", "unknown"]
Per = Literal["100g", "serving", "100kcal"]
BASES: Final[tuple[Basis, ...]] = ("measured", "imputed", "unknown")
PER_OPTIONS: Final[tuple[Per, ...]] = ("100g", "serving", "100kcal")

_ID_PATTERN = re.compile(r"^(?:usda:)?(\d{1,5})$", re.IGNORECASE)


def food_id(ndb: int) -> str:
    """The public id of an SR28 food: ``usda:`` and the 5-digit NDB number."""
    return f"usda:{ndb:05d}"


def parse_food_id(text: str) -> int:
    """The NDB number in ``usda:01022`` (``01022`` alone is accepted too)."""
    match = _ID_PATTERN.match(text.strip())
    if match is None:
        raise UnknownFoodError(text)
    return int(match.group(1))


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
    """A household measure from SR28's WEIGHT table: ``amount unit`` weighs ``grams``."""

    amount: float
    unit: str
    grams: float

    @property
    def name(self) -> str:
        return f"{self.amount:g} {self.unit}"


@dataclass(frozen=True, slots=True)
class Food:
    """A food with its full nutrient profile (per 100 g) and household portions."""

    id: str
    name: str
    group: str
    survey: bool
    nutrients: Mapping[str, NutrientValue] = field(repr=False)
    portions: tuple[Portion, ...] = ()

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
