"""Substitutes for a food someone cannot get or does not like: the foods closest to it
in the nutrients that matter here, each in the amount that gives the same K2, and the
closest in each food group (docs/plan.md, "Substitutes").

Closeness, at the amount with the same K2:

* the **menaquinone profile**: the share of K2 in each menaquinone (MK-4 … MK-13),
  compared as a total-variation distance (0 the same mix, 1 nothing in common); a
  share not known (a food whose homologues were not measured) counts as "unknown",
  which matches nothing, so the distance is honest about what is not known;
* **K1, calcium, vitamin D and energy** at that amount: the absolute log ratio, each
  with a floor (`FLOORS`) so that 0.1 against 0.2 µg is not a large difference;
* the **food group**: a small penalty (`OTHER_GROUP`) outside the food's SR28 group or
  WWEIA category.

An alternative whose same-K2 amount is more than its portion cap (the 90th percentile
of what people eat of it in a day, `vitk2.plan.table`) is marked unrealistic and
ranked after the realistic ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from vitk2.errors import InvalidOptionError, UnknownFoodError, quoted
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.plan.candidates import choose_unit, suggestable
from vitk2.plan.groups import Exclusions
from vitk2.plan.table import TABLE_KEYS, FoodTable, food_table

__all__ = ["FLOORS", "OTHER_GROUP", "Alternative", "Substitutes", "find_substitutes"]

#: Differences smaller than these hardly matter (per amount compared).
FLOORS: Final = {"k1_ug": 5.0, "calcium_mg": 20.0, "vitd_ug": 0.5, "energy_kcal": 20.0}
#: Distance added for a food of another group.
OTHER_GROUP: Final = 0.5
#: Weight of the menaquinone profile against one other nutrient.
PROFILE_WEIGHT: Final = 2.0
_SHOWN: Final = ("k1_ug", *MENAQUINONE_KEYS, "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal")
_ID = re.compile(r"^(?:usda|fndds):\d+$|^\d{5}$|^\d{8}$", re.IGNORECASE)


class Alternative(NamedTuple):
    """One alternative: its table row, distance, grams for the same K2, whether that
    amount is realistic, and whether it is of the food's group."""

    row: int
    distance: float
    grams: float
    realistic: bool
    same_group: bool


@dataclass(frozen=True, slots=True)
class Substitutes:
    """The food, its portion, its closest alternatives and the closest per group."""

    table: FoodTable
    food: int
    grams: float
    portion: str
    query: str
    alternatives: tuple[Alternative, ...]
    by_group: tuple[Alternative, ...]
    profile_known: bool

    def _amounts(self, i: int, grams: float) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for key in _SHOWN:
            value = self.table.values[i, TABLE_KEYS.index(key)]
            out[key] = None if np.isnan(value) else round(float(value * grams / 100), 3) + 0.0
        return out

    def _row(self, alternative: Alternative) -> dict[str, Any]:
        i, distance, grams, realistic, same = alternative
        t = self.table
        unit = choose_unit(t, i)
        eaten = t.amounts[i]
        household = None
        if unit is not None:
            count = grams / unit.grams
            household = f"{count:.1f} x {unit.label}" if count >= 0.95 else f"{grams:.0f} g"
        return {
            "id": t.ids[i],
            "name": t.names[i],
            "group": t.categories[i],
            "same_group": same,
            "grams_for_same_k2": round(grams, 1),
            "household": household,
            "realistic": realistic,
            "portion_cap_g": None if eaten is None else eaten.p90_g,
            "k2_basis": "measured" if t.k2_measured[i] else "imputed",
            "distance": round(distance, 3),
            "amounts": self._amounts(i, grams),
        }

    def notes(self) -> list[str]:
        """What a dietitian would add: no usual amount of any food replaces it, or the
        menaquinone mix is not known."""
        out = []
        if not any(a.realistic for a in self.alternatives):
            mk7 = self.table.values[self.food, TABLE_KEYS.index("mk7_ug")]
            out.append(
                "No food gives this much K2 in an amount people usually eat: the closest "
                "alternatives need more than the 90th percentile of what people eat of them."
                + (
                    " Its K2 is MK-7: an MK-7 supplement gives it in a capsule, unless you "
                    "take a vitamin K antagonist (then only with your anticoagulation clinic)."
                    if not np.isnan(mk7) and mk7 > 0
                    else ""
                )
            )
        if not self.profile_known:
            out.append(
                "Which menaquinones this food's K2 is made of is not known, so no alternative "
                "can be matched on them: closeness rests on K1, calcium, vitamin D, energy "
                "and the food group."
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        t = self.table
        i = self.food
        return {
            "query": self.query,
            "food": {
                "id": t.ids[i],
                "name": t.names[i],
                "group": t.categories[i],
                "k2_basis": "measured" if t.k2_measured[i] else "imputed",
            },
            "portion": {"amount": self.portion, "grams": round(self.grams, 1)},
            "amounts": self._amounts(i, self.grams),
            "menaquinone_profile_known": self.profile_known,
            "alternatives": [self._row(a) for a in self.alternatives],
            "by_group": [self._row(a) for a in self.by_group],
            "notes": self.notes(),
            "method": (
                "Each alternative in the amount that gives the same K2; closeness by the share "
                "of each menaquinone in K2 (an unknown share matches nothing), K1, calcium, "
                "vitamin D and energy at that amount, and the food group. 'realistic': that "
                "amount is within what people eat of the food in a day (NHANES 2011-2012, "
                "90th percentile)."
            ),
        }


def _resolve(db: FoodDB, table: FoodTable, text: str) -> tuple[int, str]:
    clean = " ".join(text.split())
    if not clean:
        raise InvalidOptionError("Name a food, e.g. `vitk2 substitutes natto`.")
    if _ID.match(clean):
        food = db.get(clean)
        return table.index[food.id], food.id
    hits = db.search(clean, limit=1)
    if not hits:
        raise UnknownFoodError(clean)
    return table.index[hits[0].id], hits[0].id


def _shares(table: FoodTable, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Rows x (menaquinones + unknown): the share of K2 in each, unknown for the rest."""
    columns = np.array([TABLE_KEYS.index(k) for k in MENAQUINONE_KEYS])
    mk = table.values[np.ix_(rows, columns)]
    k2 = table.values[rows, TABLE_KEYS.index("k2_ug")]
    known = np.nan_to_num(mk) / k2[:, None]
    total = known.sum(axis=1)
    scale = np.where(total > 1.0, total, 1.0)  # homologues from other samples than the total
    known = known / scale[:, None]
    return np.hstack([known, (1.0 - known.sum(axis=1))[:, None]])


def find_substitutes(
    db: FoodDB,
    food: str,
    *,
    exclusions: Exclusions | None = None,
    grams: float | None = None,
    limit: int = 10,
    dishes: bool = False,
) -> Substitutes:
    """The alternatives to ``food`` (an id or a name to search)."""
    if not 1 <= limit <= 100:
        raise InvalidOptionError(f"--limit must be from 1 to 100, got {limit}.")
    if grams is not None and not 0 < grams <= 5000:
        raise InvalidOptionError(f"--grams must be above 0 and at most 5000, got {grams:g}.")
    table = food_table(db)
    i0, food_id = _resolve(db, table, food)
    k2_col = TABLE_KEYS.index("k2_ug")
    k2 = table.values[i0, k2_col]
    name = table.names[i0]
    if np.isnan(k2) or k2 <= 0:
        state = "unknown" if np.isnan(k2) else "0"
        raise InvalidOptionError(
            f"K2 of {quoted(name)} ({food_id}) is {state}: substitutes give the same K2, so "
            "they need a food with K2 (`vitk2 foods top k2` lists some)."
        )
    unit = choose_unit(table, i0)
    if grams is None:
        grams = unit.grams if unit is not None else 100.0
        portion = unit.label if unit is not None else "100 g"
    else:
        portion = f"{grams:g} g"
    rules = exclusions or Exclusions(frozenset(), ())
    allowed = suggestable(table, exclusions=rules, eaten=frozenset(), dishes=dishes,
                          need_k1=False)  # fmt: skip
    same_food = {table.same_food.get(food_id), table.as_eaten.get(food_id)}
    same_food |= {f for f, sr in table.same_food.items() if sr == food_id}
    allowed &= table.values[:, k2_col] > 0
    allowed[i0] = False
    for other in same_food:
        if other is not None and other in table.index:
            allowed[table.index[other]] = False
    rows = np.flatnonzero(allowed)
    k2_amount = k2 * grams / 100.0
    sub_grams = k2_amount / table.values[rows, k2_col] * 100.0
    shares = _shares(table, np.concatenate([[i0], rows]))
    profile = 0.5 * np.abs(shares[1:] - shares[0]).sum(axis=1)
    profile += np.minimum(shares[1:, -1], shares[0, -1])  # an unknown share matches nothing
    distance = PROFILE_WEIGHT * np.minimum(profile, 1.0)
    for key, floor in FLOORS.items():
        column = TABLE_KEYS.index(key)
        original = np.nan_to_num(table.values[i0, column]) * grams / 100.0
        other = np.nan_to_num(table.values[rows, column]) * sub_grams / 100.0
        distance += np.abs(np.log((other + floor) / (original + floor)))
    group = table.categories[i0]
    group_of = [table.categories[i] for i in rows]
    same = np.array([g == group for g in group_of], dtype=bool)
    distance += np.where(same, 0.0, OTHER_GROUP)
    eaten = [table.amounts[i] for i in rows]
    caps = np.array([np.inf if a is None else a.p90_g for a in eaten])
    realistic = sub_grams <= caps * 1.05
    order = np.lexsort((distance, ~realistic))

    def alternative(j: int) -> Alternative:
        return Alternative(int(rows[j]), float(distance[j]), float(sub_grams[j]),
                           bool(realistic[j]), bool(same[j]))  # fmt: skip

    best: dict[str, int] = {}
    for j in order:
        best.setdefault(group_of[j], int(j))
    return Substitutes(
        table,
        i0,
        grams,
        portion,
        food,
        tuple(alternative(int(j)) for j in order[:limit]),
        tuple(
            alternative(j)
            for j in sorted(best.values(), key=lambda j: (not realistic[j], distance[j]))[:limit]
        ),
        bool(shares[0, -1] < 0.5),
    )
