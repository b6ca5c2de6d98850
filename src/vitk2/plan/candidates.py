"""Which foods a plan may suggest, in what household amount, and the few worth
giving the optimiser (docs/plan.md, "Candidate foods").

1. **Suggestable** (`suggestable`, the same for every plan): not a baby food, fast or
   restaurant food, spice, sweet, snack, baked good, fat or oil, soup or sauce, ready
   meal, alcoholic drink, supplement-like product (leavening, gelatin, formulated
   bars, meal replacements, powders), organ meat or liver oil (vitamin A: vitk2 has
   no upper limit to check it against); not a raw animal food, dry legume or grain,
   nor a dried or powdered form of a food that is eaten otherwise. FNDDS foods as
   eaten only from the diary, or all of them with ``dishes``.
2. **Known**: energy, saturated fat, sodium, calcium, vitamin D and K2 are known (and
   on a vitamin K antagonist K1, and MK-7 or a K2 high end that bounds it): a value
   the plan cannot count is never counted as 0.
3. **Allowed** by the diet pattern and the exclusions (`vitk2.plan.groups`).
4. **A household amount** (`choose_unit`): the food's household measure closest to
   the amount people typically eat of it (halves and quarters of a measure too
   large), at most the portion cap: the 90th percentile of what people eat of it in
   a day (`vitk2.plan.table`), at most `MAX_UNITS` units a day.
5. **Relevant and not dominated** (`prune`): the daily amount allowed by the cap
   gives at least `RELEVANT_SHARE` of a gap, and the food is among the best
   `KEEP_PER_SCORE` for one gap nutrient by one of: the share of the gap the portion
   cap closes per cost of adding the food (the objective's: common foods, foods already
   eaten and measured K2 cost less), per kcal, per portion cap, per g of saturated fat,
   per mg of sodium (and per µg of K1 on a vitamin K antagonist); then a food another
   kept food dominates is left out (`_dominated`);
   foods the person already eats are kept whenever they are allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from vitk2.foods.values import Portion
from vitk2.plan.groups import Exclusions
from vitk2.plan.table import TABLE_KEYS, FoodTable

__all__ = [
    "KEEP_PER_SCORE",
    "MAX_UNITS",
    "RELEVANT_SHARE",
    "Unit",
    "choose_unit",
    "is_fermented",
    "prune",
    "suggestable",
]

#: At most this many household units of one food a day.
MAX_UNITS: Final = 4
#: A unit may be this much above the portion cap (1 oz = 28.35 g against a 56.7 g cap).
CAP_TOLERANCE: Final = 1.05
#: A candidate must be able to close at least this share of one gap.
RELEVANT_SHARE: Final = 0.1
#: Foods kept per gap nutrient and score.
KEEP_PER_SCORE: Final = 6

_NOT_SUGGESTED_GROUPS: Final = frozenset(
    {
        "Baby Foods", "Fast Foods", "Restaurant Foods", "American Indian/Alaska Native Foods",
        "Spices and Herbs", "Sweets", "Snacks", "Baked Products",
        "Meals, Entrees, and Side Dishes", "Fats and Oils", "Soups, Sauces, and Gravies",
    }
)  # fmt: skip
_NOT_SUGGESTED_CATEGORIES: Final = re.compile(
    r"^(?:Baby |Formula|Human milk|Protein and nutritional powders|Not included|Beer$|Wine$|"
    r"Liquor|Soft drinks|Fruit drinks|Sport and energy|Diet |Other diet|Nutritional beverages|"
    r"Candy|Cakes|Cookies|Doughnuts|Ice cream|Pudding|Gelatins|Sugars|Sugar substitutes|Jams|"
    r"Potato chips|Tortilla, corn|Popcorn|Pretzels|Crackers|Saltine|Cereal bars|Nutrition bars|"
    r"Butter and animal fats|Margarine|Mayonnaise|Salad dressings|Liver and organ meats)"
)
_NOT_SUGGESTED_WORDS: Final = re.compile(
    r"\b(?:leavening|baking|salt, table|gelatins?|yeast|seasoning|formulated|undiluted|"
    r"replacement|supplement|protein powder|infant|formula|toddler|alcoholic|beer|wine|"
    r"liqueur|whiskey|vodka|rum|gin|energy drink|shortening|evaporated|condensed)\b",
    re.IGNORECASE,
)
_ORGAN_WORDS: Final = re.compile(
    r"\b(?:liver|livers|giblets|gizzards?|kidneys?|brains?|tongue|hearts?|spleen|lungs?|"
    r"tripe|chitterlings|sweetbreads?|pancreas|thymus)\b",
    re.IGNORECASE,
)
_DRIED: Final = re.compile(
    r"\b(?:dried|dehydrated|powder|powdered|freeze-dried|dry(?![\s-](?:heat|roasted)))\b",
    re.IGNORECASE,
)
_DRY_ALLOWED_GROUPS: Final = frozenset({"Fruits and Fruit Juices", "Nut and Seed Products"})
_RAW: Final = re.compile(r"\b(?:raw|uncooked)\b", re.IGNORECASE)
_UNPREPARED: Final = re.compile(r"\bunprepared\b", re.IGNORECASE)
_RAW_GROUPS: Final = frozenset(
    {
        "Dairy and Egg Products", "Poultry Products", "Pork Products", "Beef Products",
        "Lamb, Veal, and Game Products", "Finfish and Shellfish Products",
        "Sausages and Luncheon Meats", "Cereal Grains and Pasta",
    }
)  # fmt: skip
_DRY_LEGUME: Final = re.compile(r"mature seeds, raw|mature seeds, sprouted, raw", re.IGNORECASE)
#: Fermented foods get a ramp-up (docs/plan.md): the words of their names.
FERMENTED_WORDS: Final = re.compile(
    r"\b(?:natto|miso|tempeh|sauerkraut|kimchi|kefir|yogurt|yoghurt|buttermilk|kombucha|"
    r"fermented|cultured)\b",
    re.IGNORECASE,
)
_UNIT_SKIP: Final = re.compile(
    r"Quantity not specified|yield|recipe|batch|quart|gallon|\blb\b|pound|loaf|NLEA", re.I
)
_FRACTIONS: Final = (Fraction(1, 2), Fraction(1, 4))


def is_fermented(name: str) -> bool:
    """True for the foods that get a ramp-up schedule (fermented by name)."""
    return FERMENTED_WORDS.search(name) is not None


def _why_not(table: FoodTable, i: int) -> str | None:
    name, group = table.names[i], table.groups[i]
    if table.is_fndds(i):
        if _NOT_SUGGESTED_CATEGORIES.match(group):
            return f"FNDDS category {group}"
    elif group in _NOT_SUGGESTED_GROUPS:
        return f"food group {group}"
    if _NOT_SUGGESTED_WORDS.search(name):
        return "not a food to suggest (drink, additive or supplement-like product)"
    animal = {"meat", "fish"} & table.classes[i]
    if animal and _ORGAN_WORDS.search(name):
        return "organ meat or liver oil (vitamin A; vitk2 has no upper limit to check it)"
    if not table.is_fndds(i):
        if _DRIED.search(name) and group not in _DRY_ALLOWED_GROUPS:
            return "a dried or powdered form"
        if group in _RAW_GROUPS and _RAW.search(name):
            return "raw or uncooked"
        if _UNPREPARED.search(name):
            return "not prepared as eaten"
        if _DRY_LEGUME.search(name):
            return "dry legume"
    return None


@cache
def _static_reasons(table: FoodTable) -> tuple[str | None, ...]:
    return tuple(_why_not(table, i) for i in range(len(table.ids)))


def suggestable(
    table: FoodTable,
    *,
    exclusions: Exclusions,
    eaten: frozenset[str],
    dishes: bool,
    need_k1: bool,
) -> npt.NDArray[np.bool_]:
    """The foods a plan may suggest (rules 1-3 of the module docstring)."""
    reasons = _static_reasons(table)
    values = table.values
    needed = [TABLE_KEYS.index(k) for k in ("energy_kcal", "fat_sat_g", "sodium_mg",
                                            "calcium_mg", "vitd_ug", "k2_ug")]  # fmt: skip
    ok = np.asarray(~np.isnan(values[:, needed]).any(axis=1), dtype=bool)
    if need_k1:
        ok &= ~np.isnan(values[:, TABLE_KEYS.index("k1_ug")])
    for row in np.flatnonzero(ok):
        i = int(row)
        food = table.ids[i]
        if (
            reasons[i] is not None
            or (table.is_fndds(i) and not dishes and food not in eaten)
            or exclusions.excludes(table.classes[i], table.names_of(i)) is not None
        ):
            ok[i] = False
    return ok


@dataclass(frozen=True, slots=True)
class Unit:
    """The household amount a food is suggested in: ``label`` weighs ``grams``; at
    most ``max_per_day`` of them a day (``cap_g``, the portion cap, and what it rests
    on); ``typical_g`` is the amount people typically eat of it in a day."""

    label: str
    grams: float
    max_per_day: int
    cap_g: float
    typical_g: float
    cap_source: str


def _label(portion: Portion, share: Fraction) -> str:
    amount = Fraction(portion.amount).limit_denominator(8) * share
    whole, rest = divmod(amount, 1)
    text = " ".join(p for p in (str(whole) if whole else "", str(rest) if rest else "") if p)
    return f"{text or '0'} {portion.unit}"


def choose_unit(table: FoodTable, i: int) -> Unit | None:
    """Rule 4: the household measure (or a half or quarter of one) closest to the
    typical amount, within the portion cap; None when the food has none."""
    amount = table.amounts[i]
    if amount is None:
        return None
    food = table.ids[i]
    portions = table.portions.get(food, ())
    if not portions and food in table.as_eaten:
        portions = table.portions.get(table.as_eaten[food], ())
    limit = amount.p90_g * CAP_TOLERANCE
    options: list[tuple[float, str]] = []
    for portion in portions:
        if _UNIT_SKIP.search(portion.unit) or portion.grams <= 0:
            continue
        if portion.grams <= limit:
            options.append((portion.grams, _label(portion, Fraction(1))))
            continue
        for share in _FRACTIONS:
            grams = portion.grams * float(share)
            if grams <= limit:
                options.append((grams, _label(portion, share)))
                break
    options = [(g, label) for g, label in options if g >= 1.0]
    if not options:
        return None
    typical = max(amount.p50_g, 1.0)

    # The measure whose best whole multiple within the cap comes closest to the
    # typical amount: 2 large eggs (100 g) rather than 1 cup of chopped egg (136 g).
    def distance(option: tuple[float, str]) -> float:
        return abs(math.log(count(option) * option[0] / typical))

    def count(option: tuple[float, str]) -> int:
        return max(1, min(MAX_UNITS, round(typical / option[0]), int(limit // option[0])))

    # equally close: the larger measure (1 bottle (8 fl oz), not 2 school containers)
    grams, label = min(options, key=lambda o: (round(distance(o), 9), count(o)))
    per_day = max(1, min(MAX_UNITS, int(limit // grams)))
    source = f"{amount.basis} {amount.described!r} (US, NHANES 2011-2012)"
    return Unit(label, round(grams, 2), per_day, amount.p90_g, amount.p50_g, source)


def _dominated(
    cap_amounts: npt.NDArray[np.float64],
    targets: npt.NDArray[np.float64],
    costs: npt.NDArray[np.float64],
    fixed: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Food b is dominated when another food a costs no more to add (``fixed``), can
    give at least as much of every gap nutrient a day (``cap_amounts``), and some
    amount of a gives at least b's gap nutrients for no more of each cost nutrient
    (energy, saturated fat, sodium …): per gram, max_t b_t / a_t <= min_c b_c / a_c.
    Ties keep the first. ``targets`` and ``costs`` are per 100 g."""
    n = len(fixed)
    out = np.zeros(n, dtype=bool)
    for b in range(n):
        for a in range(n):
            if a == b or out[a] or fixed[a] > fixed[b] + 1e-9:
                continue
            if (cap_amounts[a] < cap_amounts[b] - 1e-9).any():
                continue
            need = targets[b] > 0
            if (targets[a][need] <= 0).any():
                continue
            low = float(np.max(targets[b][need] / targets[a][need])) if need.any() else 0.0
            spend = costs[a] > 0
            high = float(np.min(costs[b][spend] / costs[a][spend])) if spend.any() else np.inf
            identical = np.allclose(targets[a], targets[b]) and np.allclose(costs[a], costs[b])
            if low <= high + 1e-12 and (not identical or a < b):
                out[b] = True
                break
    return out


def prune(
    table: FoodTable,
    allowed: npt.NDArray[np.bool_],
    gaps: Mapping[str, float],
    *,
    eaten: frozenset[str],
    k1_matters: bool,
    fixed_costs: Callable[[int], float],
) -> list[tuple[int, Unit]]:
    """Rule 5: the candidates with their units, foods already eaten first, then by
    table order. ``gaps`` maps a nutrient key to the amount a day still missing;
    ``fixed_costs`` gives the cost of adding a food at all (the objective's)."""
    values = np.nan_to_num(table.values)
    rows = np.flatnonzero(allowed)
    units: dict[int, Unit] = {}
    for i in rows:
        unit = choose_unit(table, int(i))
        if unit is not None:
            units[int(i)] = unit
    open_gaps = {k: v for k, v in gaps.items() if v > 0}
    if not units or not open_gaps:
        return []
    index = np.array(sorted(units))
    cap_g = np.array([units[i].grams * units[i].max_per_day for i in index])
    col = {key: values[index, TABLE_KEYS.index(key)] for key in TABLE_KEYS}
    keep: set[int] = set()
    fixed = np.array([fixed_costs(int(i)) for i in index])
    for key, gap in open_gaps.items():
        amount = col[key]
        relevant = amount * cap_g / 100.0 >= RELEVANT_SHARE * gap
        scores = [
            np.minimum(amount * cap_g / 100.0, gap) / fixed,
            amount / np.maximum(col["energy_kcal"], 5.0),
            amount * cap_g,
            amount / (col["fat_sat_g"] + 0.5),
            amount / (col["sodium_mg"] + 20.0),
        ]
        if key == "k2_ug":
            measured = table.k2_measured[index]
            scores.append(np.where(measured, amount / np.maximum(col["energy_kcal"], 5.0), 0.0))
        if k1_matters:
            scores.append(amount / (col["k1_ug"] + 5.0))
        for score in scores:
            ranked = np.argsort(-np.where(relevant, score, -np.inf), kind="stable")
            keep.update(int(index[j]) for j in ranked[:KEEP_PER_SCORE] if relevant[j])
    keep.update(i for i in index if table.ids[i] in eaten)
    kept = sorted(keep, key=lambda i: (table.ids[i] not in eaten, i))
    target_keys = list(open_gaps)
    cost_keys = ["energy_kcal", "fat_sat_g", "sodium_mg", *(["k1_ug"] if k1_matters else [])]
    where = np.array(kept)
    caps = np.array([units[i].grams * units[i].max_per_day for i in kept])
    targets = values[where][:, [TABLE_KEYS.index(k) for k in target_keys]]
    costs = values[where][:, [TABLE_KEYS.index(k) for k in cost_keys]]
    position = {int(i): j for j, i in enumerate(index)}
    dominated = _dominated(targets * caps[:, None] / 100.0, targets, costs,
                           np.array([fixed[position[i]] for i in kept]))  # fmt: skip
    return [(i, units[i]) for i, out in zip(kept, dominated, strict=True) if not out]
