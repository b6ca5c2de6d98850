"""The nutrients of your own foods, from their labels and recipes, with provenance.

`DiaryFoods` is the shipped food database together with a diary's own foods: it gives
per-100 g vectors for ``usda:``, ``fndds:`` and ``my:`` ids alike, so a report, the
findings and the what-if count an own food like any other.

- A **label food**'s values are what its label states, per 100 g (the label's amount
  × 100 / the serving's grams), with the totals the label implies
  (`vitk2.intake.own_foods.label_amounts`); a nutrient the label does not state is
  unknown. They count as imputed, as SR28 counts a manufacturer's label claim
  (Src_Cd 5, 8, 9), with the source ``label``.
- A **recipe**'s values are the sums of its ingredients' values, per 100 g of the
  dish: Σ value × grams / 100, × 100 / the cooked weight (or the ingredients'
  weight). Nothing is taken for cooking losses. An ingredient whose value is unknown
  adds nothing and makes the sum a lower bound (the key is ``partial``); a key no
  ingredient knows is unknown. The K2 range adds the ingredients' ranges, and the K2
  coverage splits the dish's grams by its ingredients' K2 basis. The values follow
  the food database, like any food's: a newer vitk2 with better data changes them.

>>> from vitk2 import FoodDB
>>> from vitk2.intake.own_foods import Ingredient, recipe_food
>>> cheddar = Ingredient("usda:01009", "Cheese, cheddar", 30, "30 g cheddar")
>>> toast = recipe_food("cheese toast", [cheddar], serves=1, ref="my:0000beef")
>>> DiaryFoods(FoodDB.default(), [toast]).vectors(["my:0000beef"])["my:0000beef"].name
'cheese toast (my recipe)'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from vitk2.errors import DataError, UnknownFoodError
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS, NUTRIENTS
from vitk2.foods.values import Basis, FoodVector
from vitk2.intake.own_foods import (
    OWN_PREFIX,
    Ingredient,
    OwnFood,
    derived_how,
    is_own_ref,
    label_amounts,
)
from vitk2.intake.totals import KEYS, Coverage, k2_coverage

__all__ = [
    "DETAIL_KEYS",
    "LABEL_SOURCE",
    "DiaryFoods",
    "IngredientPart",
    "OwnFoodDetail",
    "OwnNutrient",
    "label_vector",
    "recipe_vector",
]

#: The source key of a value read from your label.
LABEL_SOURCE: Final = "label"
#: Keys whose share of each ingredient `DiaryFoods.detail` lists.
DETAIL_KEYS: Final[tuple[str, ...]] = (
    "k1_ug", "dk1_ug", *MENAQUINONE_KEYS, "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg",
    "energy_kcal",
)  # fmt: skip
_K2: Final = KEYS.index("k2_ug")
#: Recipes inside recipes, at most this deep.
_MAX_DEPTH: Final = 8


def label_vector(food: OwnFood) -> FoodVector:
    """A label food's values per 100 g: what the label states (and implies)."""
    assert food.serving is not None
    amounts = label_amounts(food)
    scale = 100.0 / food.serving.grams
    values = tuple(amounts[k] * scale if k in amounts else None for k in KEYS)
    return FoodVector(
        id=food.ref,
        name=food.title,
        values=values,
        k2_basis="imputed" if values[_K2] is not None else "unknown",
    )


def recipe_vector(food: OwnFood, parts: Sequence[tuple[Ingredient, FoodVector]]) -> FoodVector:
    """A recipe's values per 100 g of the dish from its ingredients' vectors."""
    sums: list[list[float]] = [[] for _ in KEYS]
    unknown = [False] * len(KEYS)
    inherited: set[str] = set()
    low: list[float] = []
    high: list[float] = []
    coverage = Coverage()
    for ingredient, vector in parts:
        factor = ingredient.grams / 100.0
        for i, value in enumerate(vector.values):
            if value is None:
                unknown[i] = True
            else:
                sums[i].append(value * factor)
        inherited |= vector.partial
        k2 = vector.values[_K2]
        if k2 is not None:
            low.append((vector.k2_low if vector.k2_low is not None else k2) * factor)
            high.append((vector.k2_high if vector.k2_high is not None else k2) * factor)
        coverage = coverage + k2_coverage(vector, ingredient.grams)
    scale = 100.0 / food.total_g
    values = tuple(math.fsum(s) * scale if s else None for s in sums)
    partial = frozenset(
        key
        for i, key in enumerate(KEYS)
        if values[i] is not None and (unknown[i] or key in inherited)
    )
    raw = food.raw_g
    known_k2 = values[_K2] is not None
    return FoodVector(
        id=food.ref,
        name=food.title,
        values=values,
        k2_low=math.fsum(low) * scale if known_k2 else None,
        k2_high=math.fsum(high) * scale if known_k2 else None,
        k2_basis="imputed" if known_k2 else "unknown",
        partial=partial,
        k2_shares=(coverage.measured_g / raw, coverage.imputed_g / raw, coverage.unknown_g / raw),
    )


@dataclass(frozen=True, slots=True)
class OwnNutrient:
    """One nutrient of an own food: per 100 g and per serving (None: unknown),
    ``lower_bound`` when an ingredient's value is unknown, the share of the recipe's
    grams whose value is known, the K2 range per 100 g, and its provenance."""

    key: str
    unit: str
    per_100g: float | None
    per_serving: float | None
    lower_bound: bool
    basis: Basis
    known_share: float | None
    sources: tuple[str, ...]
    method: str
    low: float | None = None
    high: float | None = None

    def as_dict(self, digits: int = 4) -> dict[str, object]:
        def r(value: float | None) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "value": r(self.per_100g),
            "per_serving": r(self.per_serving),
            "unit": self.unit,
            "low": r(self.low),
            "high": r(self.high),
            "lower_bound": self.lower_bound,
            "basis": self.basis,
            "known_share": None if self.known_share is None else round(self.known_share, 4),
            "sources": list(self.sources),
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class IngredientPart:
    """What one ingredient brings to the whole recipe: ``amounts`` of `DETAIL_KEYS`
    (None: unknown), the basis and sources of each."""

    ingredient: Ingredient
    amounts: Mapping[str, float | None]
    basis: Mapping[str, Basis]
    sources: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class OwnFoodDetail:
    """An own food with its nutrients (every key) and, for a recipe, each
    ingredient's part; ``k2_shares`` split its grams by K2 basis."""

    food: OwnFood
    vector: FoodVector
    nutrients: Mapping[str, OwnNutrient]
    ingredients: tuple[IngredientPart, ...]
    k2_shares: tuple[float, float, float]


class DiaryFoods:
    """The shipped food database and a diary's own foods (live and retired), as one
    `vitk2.foods.values.VectorSource`. Own foods' vectors are computed once."""

    def __init__(self, db: FoodDB, own: Sequence[OwnFood] = ()) -> None:
        self.db = db
        self.own: Mapping[str, OwnFood] = {food.ref: food for food in own}
        self._vectors: dict[str, FoodVector] = {}

    def vectors(self, identifiers: Sequence[str]) -> dict[str, FoodVector]:
        """Vectors of food ids of the database and of own foods alike."""
        shipped = [i for i in identifiers if not i.startswith(OWN_PREFIX)]
        found = self.db.vectors(shipped) if shipped else {}
        for identifier in identifiers:
            if identifier.startswith(OWN_PREFIX):
                found[identifier] = self._own_vector(identifier, ())
        return found

    def food(self, ref: str) -> OwnFood:
        """One own food by id; `UnknownFoodError` when the diary has none."""
        food = self.own.get(ref)
        if food is None:
            raise UnknownFoodError(
                ref,
                suggestion="It is none of your own foods in this diary: "
                "`vitk2 recipe list --all` and `vitk2 food list --all` show them.",
            )
        return food

    def _own_vector(self, ref: str, trail: tuple[str, ...]) -> FoodVector:
        cached = self._vectors.get(ref)
        if cached is not None:
            return cached
        if not is_own_ref(ref):
            raise UnknownFoodError(ref)
        if ref in trail or len(trail) > _MAX_DEPTH:
            raise DataError(
                f"Your recipes {' -> '.join((*trail, ref))} contain each other (or nest more "
                f"than {_MAX_DEPTH} deep): the diary database was changed outside vitk2."
            )
        food = self.food(ref)
        if food.kind == "label":
            vector = label_vector(food)
        else:
            vector = recipe_vector(food, self._parts(food, (*trail, ref)))
        self._vectors[ref] = vector
        return vector

    def _parts(self, food: OwnFood, trail: tuple[str, ...]) -> list[tuple[Ingredient, FoodVector]]:
        shipped = [i.ref for i in food.ingredients if not i.ref.startswith(OWN_PREFIX)]
        found = self.db.vectors(shipped) if shipped else {}
        return [
            (
                i,
                self._own_vector(i.ref, trail) if i.ref.startswith(OWN_PREFIX) else found[i.ref],
            )
            for i in food.ingredients
        ]

    # -- what `vitk2 recipe show` and `vitk2 food show` print ----------------------------

    def detail(self, ref: str) -> OwnFoodDetail:
        """An own food's nutrients per 100 g and per serving, with provenance, and a
        recipe's ingredients with what each brings."""
        food = self.food(ref)
        vector = self._own_vector(ref, ())
        shares = k2_coverage(vector, 1.0)
        k2_shares = (shares.measured_g, shares.imputed_g, shares.unknown_g)
        if food.kind == "label":
            return OwnFoodDetail(food, vector, _label_nutrients(food, vector), (), k2_shares)
        parts = self._parts(food, (ref,))
        provenance = [self._provenance(i, v) for i, v in parts]
        ingredients = tuple(
            IngredientPart(
                ingredient,
                {
                    k: None if (v := vector.values[KEYS.index(k)]) is None
                    else v * ingredient.grams / 100.0
                    for k in DETAIL_KEYS
                },
                {k: basis[k] for k in DETAIL_KEYS},
                {k: sources[k] for k in DETAIL_KEYS},
            )
            for (ingredient, vector), (basis, sources) in zip(parts, provenance, strict=True)
        )  # fmt: skip
        sources_by_key = {
            key: tuple(dict.fromkeys(s for _, found in provenance for s in found[key]))
            for key in KEYS
        }
        nutrients = _recipe_nutrients(food, vector, parts, sources_by_key)
        return OwnFoodDetail(food, vector, nutrients, ingredients, k2_shares)

    def _provenance(
        self, ingredient: Ingredient, vector: FoodVector
    ) -> tuple[dict[str, Basis], dict[str, tuple[str, ...]]]:
        """Each nutrient's basis and sources in one ingredient: the database's, or for
        an own food, its id."""
        if is_own_ref(ingredient.ref):
            basis: dict[str, Basis] = {}
            sources: dict[str, tuple[str, ...]] = {}
            for key, value in zip(KEYS, vector.values, strict=True):
                basis[key] = "unknown" if value is None else "imputed"
                sources[key] = () if value is None else (ingredient.ref,)
            return basis, sources
        shipped = self.db.get(ingredient.ref)
        return (
            {key: shipped.nutrient(key).basis for key in KEYS},
            {key: shipped.nutrient(key).sources for key in KEYS},
        )


def _label_nutrients(food: OwnFood, vector: FoodVector) -> dict[str, OwnNutrient]:
    assert food.serving is not None
    serving = f"{food.serving.text} ({food.serving.grams:g} g)"
    out = {}
    for i, key in enumerate(KEYS):
        value = vector.values[i]
        unit = NUTRIENTS[key].unit
        if value is None:
            method = "not on your label: unknown"
        elif key in food.label:
            method = f"from your label: {food.label[key]:g} {unit} per {serving}"
        else:
            method = f"from your label: {derived_how(food, key)}"
        out[key] = OwnNutrient(
            key=key,
            unit=unit,
            per_100g=value,
            per_serving=None if value is None else value * food.serving_g / 100.0,
            lower_bound=False,
            basis="unknown" if value is None else "imputed",
            known_share=None,
            sources=() if value is None else (LABEL_SOURCE,),
            method=method,
        )
    return out


def _recipe_nutrients(
    food: OwnFood,
    vector: FoodVector,
    parts: Sequence[tuple[Ingredient, FoodVector]],
    sources_by_key: Mapping[str, tuple[str, ...]],
) -> dict[str, OwnNutrient]:
    raw = food.raw_g
    weight = (
        f"its cooked weight {food.total_g:g} g"
        if food.yield_g is not None
        else f"its ingredients' {raw:g} g"
    )
    out = {}
    for i, key in enumerate(KEYS):
        value = vector.values[i]
        known_g = math.fsum(ing.grams for ing, v in parts if v.values[i] is not None)
        share = known_g / raw
        if value is None:
            method = "no ingredient has a known value: unknown"
        else:
            method = (
                f"your recipe: the sum of its ingredients' values over {weight} (no "
                f"cooking losses applied); known for {share:.0%} of the ingredients' grams"
            )
        is_k2 = key == "k2_ug" and value is not None
        out[key] = OwnNutrient(
            key=key,
            unit=NUTRIENTS[key].unit,
            per_100g=value,
            per_serving=None if value is None else value * food.serving_g / 100.0,
            lower_bound=key in vector.partial,
            basis="unknown" if value is None else "imputed",
            known_share=share,
            sources=sources_by_key[key] if value is not None else (),
            method=method,
            low=vector.k2_low if is_k2 else None,
            high=vector.k2_high if is_k2 else None,
        )
    return out
