"""Recipe calculation: per-100 g values of every FNDDS food from its ingredients.

A food's value of nutrient *n* is ``Σ grams_i × n_i / 100 ÷ (cooked weight / 100)``:
each ingredient's grams times its per-100 g value, over the food's weight after
cooking. The cooked weight is the ingredients' total weight times the yield:

* the 2019-2020 FNDDS moisture change, where that release lists the same recipe
  (yield = 1 + change / 100);
* else the yield that makes the recipe's water equal FNDDS's own water value
  (the water lost is ``(W_recipe − w·T) / (1 − w)`` for ``T`` grams of ingredients
  holding ``W_recipe`` g water and FNDDS water ``w`` g/g), when it is plausible;
* else 1 (no change).

Ingredients are SR28 foods (their vitamin K records and SR28 values), 6-digit special
codes (`vitk2.foods.build.fndds.SpecialCode`) and other FNDDS foods, whose own recipe
is calculated first (sub-recipes, recursively, each with its own yield). Retention
codes are read but not applied: the retention factors are not in the project's data.

A value is *complete* when every ingredient has one; ``known_g`` says how many of the
recipe's grams do (sub-recipes counted by their own known share), so an incomplete sum
is a lower bound that the writer stores only as a check, never as the food's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from vitk2.foods.build.fndds import Fndds, Ingredient, SpecialCode
from vitk2.foods.build.sr28 import BuildError, SR28Value
from vitk2.foods.build.vitamin_k import MENAQUINONES, VitKRecord

VITAMIN_K_RECIPE_KEYS: Final = ("k1_ug", "dk1_ug", *(f"{m}_ug" for m in MENAQUINONES), "k2_ug")
RECIPE_KEYS: Final = (*VITAMIN_K_RECIPE_KEYS, "vitd_ug", "calcium_mg", "water_g")
_SR28_NUMBERS: Final = {"vitd_ug": "328", "calcium_mg": "301", "water_g": "255"}

# The water balance is trusted only inside these bounds: a yield outside them, or a
# food that is almost all water (where rounding swamps the balance), keeps yield 1.
MIN_YIELD: Final = 0.2
MAX_YIELD: Final = 1.2
MAX_WATER_G: Final = 99.5
NOISE: Final = 0.005  # a computed yield this close to 1 is rounding, not cooking

YIELD_1920: Final = "fndds_2019_2020_moisture_change"
YIELD_WATER: Final = "water_balance"
YIELD_NONE: Final = "none"


@dataclass(frozen=True, slots=True)
class Amount:
    """A per-100 g value with its range (low/high equal the value when none is known)."""

    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class RecipeValue:
    """One nutrient of one FNDDS food by recipe: the sum over the ingredients that have
    a value, per 100 g of the cooked food, and how many recipe grams have one."""

    value: float
    low: float
    high: float
    known_g: float
    total_g: float

    @property
    def complete(self) -> bool:
        return self.known_g >= self.total_g - 1e-9

    @property
    def known_share(self) -> float:
        return self.known_g / self.total_g if self.total_g > 0 else 0.0


@dataclass(frozen=True, slots=True)
class RecipeResult:
    """The recipe calculation of one FNDDS food. ``main_ingredient`` is the SR28 food
    with the largest share of the recipe's grams once sub-recipes are expanded (None
    when that is a special code), ``main_share`` that share (0-1)."""

    code: int
    total_g: float
    yield_factor: float
    yield_source: str
    values: Mapping[str, RecipeValue]
    main_ingredient: int | None = None
    main_share: float = 0.0


Leaf = Mapping[str, Amount]


def _amount(record: VitKRecord) -> Amount | None:
    if record.value is None:
        return None
    low = record.value if record.low is None else record.low
    high = record.value if record.high is None else record.high
    return Amount(record.value, low, high)


def sr28_leaves(
    vitk: Iterable[VitKRecord], sr_values: Iterable[SR28Value]
) -> dict[int, dict[str, Amount]]:
    """Per-100 g values of every SR28 food for the recipe keys.

    Vitamin K comes from the food's records (with their ranges); vitamin D, calcium and
    water from SR28 (vitamin D in IU converted at 40 IU = 1 µg where 328 is missing).
    A food whose K2 is exactly 0 (no range) has every menaquinone 0."""
    leaves: dict[int, dict[str, Amount]] = {}
    for record in vitk:
        amount = _amount(record)
        if amount is not None and f"{record.key}_ug" in VITAMIN_K_RECIPE_KEYS:
            leaves.setdefault(int(record.ndb), {})[f"{record.key}_ug"] = amount
    iu: dict[int, float] = {}
    wanted = {number: key for key, number in _SR28_NUMBERS.items()}
    for value in sr_values:
        if value.nutr_no == "324":
            iu[int(value.ndb)] = value.value / 40.0
        elif value.nutr_no in wanted:
            amount = Amount(value.value, value.value, value.value)
            leaves.setdefault(int(value.ndb), {})[wanted[value.nutr_no]] = amount
    for ndb, vitd in iu.items():
        leaves.setdefault(ndb, {}).setdefault("vitd_ug", Amount(vitd, vitd, vitd))
    zero = Amount(0.0, 0.0, 0.0)
    for values in leaves.values():
        if values.get("k2_ug") == zero:
            for key in MENAQUINONES:
                values.setdefault(f"{key}_ug", zero)
    return leaves


def special_leaves(
    special: Mapping[int, SpecialCode],
    sr28: Mapping[int, Mapping[str, Amount]],
    fdc_mk4: Mapping[str, float],
) -> dict[int, dict[str, Amount]]:
    """Per-100 g values of FNDDS's special ingredient codes (see `SpecialCode`)."""
    leaves: dict[int, dict[str, Amount]] = {}
    for code, row in special.items():
        if row.rule == "sr28":
            if int(row.ndb) not in sr28:
                raise BuildError(f"special code {code} maps to unknown SR28 food {row.ndb}")
            leaves[code] = dict(sr28[int(row.ndb)])
        elif row.rule == "fortificant":
            none_of = (*VITAMIN_K_RECIPE_KEYS, "calcium_mg", "water_g")
            values = {key: Amount(0.0, 0.0, 0.0) for key in none_of}
            for key, number in row.values.items():
                if key not in RECIPE_KEYS:
                    raise BuildError(f"special code {code} gives {key}, not a recipe key")
                values[key] = Amount(number, number, number)
            leaves[code] = values
        else:  # fdc_mk4
            if row.fdc_id not in fdc_mk4:
                raise BuildError(f"special code {code} names FDC {row.fdc_id}, not in the table")
            mk4 = fdc_mk4[row.fdc_id]
            # K2 = MK-4: a lower bound, as for other unfermented meat (rule k2_from_mk4).
            leaves[code] = {"mk4_ug": Amount(mk4, mk4, mk4), "k2_ug": Amount(mk4, mk4, mk4)}
    return leaves


class _Calculator:
    def __init__(
        self,
        fndds: Fndds,
        sr28: Mapping[int, Mapping[str, Amount]],
        special: Mapping[int, Mapping[str, Amount]],
    ) -> None:
        self.fndds = fndds
        self.sr28 = sr28
        self.special = special
        self.results: dict[int, RecipeResult] = {}
        self._active: set[int] = set()
        self._shares: dict[int, dict[tuple[str, int], float]] = {}

    def shares(self, code: int) -> dict[tuple[str, int], float]:
        """Share of the recipe's grams of each SR28 food or special code, sub-recipes
        expanded (call after `result`, which rules out cycles)."""
        if code not in self._shares:
            rows = self.fndds.recipes[code]
            total = sum(row.grams for row in rows)
            found: dict[tuple[str, int], float] = {}
            for row in rows:
                parts = (
                    self.shares(row.code) if row.kind == "fndds" else {(row.kind, row.code): 1.0}
                )
                for part, share in parts.items():
                    found[part] = found.get(part, 0.0) + share * row.grams / total
            self._shares[code] = found
        return self._shares[code]

    def _ingredient_values(
        self, row: Ingredient
    ) -> tuple[Mapping[str, RecipeValue | Amount], bool]:
        """Per-100 g values of one ingredient; the flag is True for a sub-recipe."""
        if row.kind == "fndds":
            return self.result(row.code).values, True
        if row.kind == "special":
            return self.special[row.code], False
        return self.sr28.get(row.code, {}), False

    def result(self, code: int) -> RecipeResult:
        if code in self.results:
            return self.results[code]
        if code in self._active:
            raise BuildError(f"FNDDS recipe cycle through food {code}")
        self._active.add(code)
        rows = self.fndds.recipes[code]
        total = sum(row.grams for row in rows)
        if total <= 0:
            raise BuildError(f"FNDDS food {code} has a recipe of {total} g")
        sums = {key: [0.0, 0.0, 0.0, 0.0] for key in RECIPE_KEYS}  # value, low, high, known g
        for row in rows:
            per_100g, nested = self._ingredient_values(row)
            for key in RECIPE_KEYS:
                found = per_100g.get(key)
                if found is None:
                    continue
                share = found.known_share if isinstance(found, RecipeValue) else 1.0
                if nested and share <= 0.0:
                    continue
                part = sums[key]
                part[0] += row.grams * found.value / 100.0
                part[1] += row.grams * found.low / 100.0
                part[2] += row.grams * found.high / 100.0
                part[3] += row.grams * share
        yield_factor, source = self._yield(code, rows, total, sums["water_g"])
        cooked = total * yield_factor
        values: dict[str, RecipeValue] = {}
        for key, (value, low, high, known) in sums.items():
            if known <= 0.0:
                continue
            # Water lost or gained in cooking is water: only the water sum changes.
            lost = total - cooked if key == "water_g" else 0.0
            values[key] = RecipeValue(
                value=(value - lost) * 100.0 / cooked,
                low=(low - lost) * 100.0 / cooked,
                high=(high - lost) * 100.0 / cooked,
                known_g=known,
                total_g=total,
            )
        self._active.discard(code)
        (kind, main), share = max(self.shares(code).items(), key=lambda item: item[1])
        result = RecipeResult(
            code,
            total,
            yield_factor,
            source,
            values,
            main_ingredient=main if kind == "sr28" else None,
            main_share=share,
        )
        self.results[code] = result
        return result

    def _yield(
        self, code: int, rows: Sequence[Ingredient], total: float, water: Sequence[float]
    ) -> tuple[float, str]:
        later = self.fndds.moisture_1920.get(code)
        recipe = tuple(sorted((row.code, round(row.grams, 3)) for row in rows))
        if later is not None and later[1] == recipe:
            return 1.0 + later[0] / 100.0, YIELD_1920
        water_g = self.fndds.values[code]["water_g"]
        if water[3] < total - 1e-9 or not 0.0 < water_g < MAX_WATER_G:
            return 1.0, YIELD_NONE
        fraction = water_g / 100.0
        lost = (water[0] - fraction * total) / (1.0 - fraction)
        factor = (total - lost) / total
        if not MIN_YIELD <= factor <= MAX_YIELD or abs(factor - 1.0) < NOISE:
            return 1.0, YIELD_NONE
        return factor, YIELD_WATER


def calculate_recipes(
    fndds: Fndds,
    sr28: Mapping[int, Mapping[str, Amount]],
    special: Mapping[int, Mapping[str, Amount]],
) -> dict[int, RecipeResult]:
    """The recipe result of every FNDDS food, by food code."""
    calculator = _Calculator(fndds, sr28, special)
    return {food.code: calculator.result(food.code) for food in fndds.foods}
