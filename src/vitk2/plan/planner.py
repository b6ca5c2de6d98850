"""The planner: additions (foods in household amounts, daily or a few times a week,
and supplements only if allowed) that bring vitamin D and calcium to the reference
value of the person's life stage and K2 (or MK-7) to the study reference point they
choose, within the upper limits, the budgets and, on a vitamin K antagonist, the
consistency band. docs/plan.md describes the model, its rules and its limits.

`build_plan` works on a report (the diary's period, or a typical day); `run_plan` is
the use case over a diary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

import numpy as np

from vitk2.assess.report import Report
from vitk2.errors import InvalidOptionError
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.intake.supplements import BUILTIN_PRODUCTS, SupplementProduct, complete_amounts
from vitk2.plan.candidates import Unit, is_fermented, prune, suggestable
from vitk2.plan.groups import Exclusions
from vitk2.plan.model import Bound, Option, Problem, Solution, solve
from vitk2.plan.table import RANGE_KEYS, TABLE_KEYS, FoodTable, food_table
from vitk2.plan.targets import Budgets, K2Choice, Target, VkaBand, reference_targets, vka_band
from vitk2.safety.medications import anticoagulation

__all__ = [
    "COLUMNS",
    "OUTPUT_KEYS",
    "TIMES_A_WEEK",
    "PlanInputs",
    "PlanItem",
    "PlanSetup",
    "plan_setup",
    "plan_setup_like",
    "solve_setup",
    "supplement_options",
]

#: The nutrients a plan reports before and after.
OUTPUT_KEYS: Final[tuple[str, ...]] = (
    "k1_ug", *MENAQUINONE_KEYS, "k2_ug", "vitd_ug", "calcium_mg", "energy_kcal", "fat_sat_g",
    "sodium_mg",
)  # fmt: skip
#: The model's columns: the table's nutrients and, for a vitamin K antagonist, the
#: most MK-7 an addition can hold (its MK-7, else its K2 high end).
COLUMNS: Final[tuple[str, ...]] = (*TABLE_KEYS, "mk7_bound")
#: How often a week a food may come: 7 is daily (6 times a week is said as daily).
TIMES_A_WEEK: Final[tuple[int, ...]] = (1, 2, 3, 4, 5, 7)
#: A food eaten on some days of the week comes in this many units per occasion (more
#: than one unit: daily).
MAX_UNITS_NOT_DAILY: Final = 1
#: Supplement kinds a plan may suggest, each from the built-in generic products.
SUPPLEMENT_KINDS: Final[Mapping[str, str]] = {
    "mk7_ug": "MK-7", "vitd_ug": "vitamin D3", "calcium_mg": "calcium",
}  # fmt: skip

# Costs (docs/plan.md, "Objective"): a change costs 1, more of a food already eaten
# less; a supplement more than a food; then small costs for what a food brings
# along, for imputed K2 and foods outside the US surveys, and per unit per occasion.
COST_NEW_FOOD: Final = 1.0
COST_EATEN_FOOD: Final = 0.4
COST_EATEN_KIND: Final = 0.7  # a food of a kind already eaten (skim milk for whole milk)
COST_SUPPLEMENT: Final = 1.5
COST_IMPUTED_K2: Final = 0.3
COST_NOT_SURVEY: Final = 0.15
COST_BRANDED: Final = 0.3  # a brand-name product: a generic food is easier to find
#: A food eaten on this many NHANES person-days or more is common (no extra cost);
#: one nobody in the survey ate costs `COST_RARE` more, on a log scale between.
COST_RARE: Final = 0.4
COMMON_DAYS: Final = 1000
COST_PER_KCAL: Final = 0.002
COST_PER_SAT_FAT_G: Final = 0.02
COST_PER_SODIUM_MG: Final = 0.0002
COST_PER_UNIT: Final = 0.02
#: Each occasion a week costs this much: natto 4 times a week rather than daily when
#: both meet the aims (a daily habit is the larger change).
COST_PER_OCCASION: Final = 0.02
COST_PER_SUPPLEMENT_UG: Final = 0.0005


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What the person asks for (the options of `vitk2 plan`)."""

    exclusions: Exclusions
    allow_supplements: bool = False
    k2: K2Choice | None = None
    budgets: Budgets = field(default_factory=Budgets)
    dishes: bool = False
    weeks: int = 3
    start: date | None = None


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One suggested food or supplement: ``units`` of ``unit`` per occasion, ``times``
    a week; ``per_day`` what it adds a day on average (None where the food's value
    is unknown)."""

    kind: str
    ref: str
    name: str
    group: str
    units: int
    times: int
    label: str
    grams_per_unit: float | None
    per_day: Mapping[str, float | None]
    ranges_per_day: Mapping[str, tuple[float, float]]
    k2_basis: str | None
    already_eaten: bool = False
    fermented: bool = False
    unit: Unit | None = None
    product: SupplementProduct | None = None

    @property
    def frequency(self) -> str:
        if self.times == 7:
            return "daily"
        return {1: "once a week", 2: "twice a week"}.get(self.times, f"{self.times} times a week")

    @property
    def grams_per_occasion(self) -> float | None:
        return None if self.grams_per_unit is None else self.grams_per_unit * self.units

    @property
    def grams_per_day(self) -> float | None:
        occasion = self.grams_per_occasion
        return None if occasion is None else occasion * self.times / 7

    def amount_text(self) -> str:
        if self.kind == "supplement":
            return f"{self.units} {self.label}"
        count = f"{self.units} x " if self.units > 1 else ""
        return f"{count}{self.label} ({self.grams_per_occasion:.0f} g)"

    def as_dict(self) -> dict[str, Any]:
        unit = self.unit
        return {
            "kind": self.kind,
            "ref": self.ref,
            "name": self.name,
            "group": self.group,
            "amount": self.amount_text(),
            "unit": self.label,
            "units_per_occasion": self.units,
            "times_per_week": self.times,
            "frequency": self.frequency,
            "grams_per_occasion": _r(self.grams_per_occasion),
            "grams_per_day": _r(
                None
                if self.grams_per_occasion is None
                else self.grams_per_occasion * self.times / 7
            ),
            "per_day": {k: _r(v) for k, v in self.per_day.items()},
            "ranges_per_day": {k: [_r(lo), _r(hi)] for k, (lo, hi) in self.ranges_per_day.items()},
            "k2_basis": self.k2_basis,
            "already_eaten": self.already_eaten,
            "fermented": self.fermented,
            "portion_cap": None
            if unit is None
            else {
                "grams_per_day": unit.cap_g,
                "typical_grams_per_day": unit.typical_g,
                "max_units_per_day": unit.max_per_day,
                "source": unit.cap_source,
            },
            "product_note": None if self.product is None else self.product.note,
        }


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits) + 0.0


@dataclass(frozen=True, slots=True)
class PlanSetup:
    """Everything the model is built from, kept for the explanation and the output."""

    report: Report
    inputs: PlanInputs
    db: FoodDB
    table: FoodTable
    before: Mapping[str, float | None]
    before_incomplete: frozenset[str]
    targets: Mapping[str, Target]
    band: VkaBand | None
    supplements_allowed: Mapping[str, str]  # kind -> why not ("" when allowed)
    problem: Problem
    candidates: tuple[tuple[int, Unit], ...]
    eaten: frozenset[str]
    notes: tuple[str, ...]


def _before(report: Report) -> tuple[dict[str, float | None], frozenset[str]]:
    values: dict[str, float | None] = {}
    incomplete = set()
    for key in OUTPUT_KEYS:
        total = report.mean_total(key)
        values[key] = total.value
        if total.lower_bound:
            incomplete.add(key)
    return values, frozenset(incomplete)


def _supplements_allowed(report: Report, inputs: PlanInputs, vka: bool) -> dict[str, str]:
    """Each supplement kind: "" when a plan may suggest it, else why not."""
    profile = report.profile
    out: dict[str, str] = {}
    for key in SUPPLEMENT_KINDS:
        why = ""
        if not inputs.allow_supplements:
            why = "supplements were not allowed (--allow-supplements)"
        elif key == "mk7_ug" and vka:
            why = "never a vitamin K supplement with a vitamin K antagonist"
        elif key == "mk7_ug" and profile is not None and (profile.pregnant or profile.lactating):
            why = "no K2 supplement trial in the evidence file was done in pregnancy or lactation"
        out[key] = why
    return out


def food_kind(table: FoodTable, i: int) -> str:
    """What kind of food it is, for "foods like those you eat": its WWEIA category (of
    the food as eaten) up to the first comma ("Milk" for "Milk, nonfat"); every milk and
    milk substitute is one kind."""
    kind = table.categories[i].split(",")[0].strip().lower()
    return "milk" if "milk" in kind.split() else kind  # milk substitutes too: one milk


def _fixed_cost(table: FoodTable, i: int, eaten: frozenset[str], kinds: frozenset[str]) -> float:
    """What adding food ``i`` at all costs in the objective."""
    if table.ids[i] in eaten:
        cost = COST_EATEN_FOOD
    elif food_kind(table, i) in kinds:
        cost = COST_EATEN_KIND
    else:
        cost = COST_NEW_FOOD
    k2 = table.values[i, TABLE_KEYS.index("k2_ug")]
    if not table.k2_measured[i] and k2 > 0:
        cost += COST_IMPUTED_K2
    if not table.survey[i]:
        cost += COST_NOT_SURVEY
    if table.branded[i]:
        cost += COST_BRANDED
    amount = table.amounts[i]
    days = 0 if amount is None else amount.food_person_days
    cost += COST_RARE * (1.0 - min(1.0, math.log10(1 + days) / math.log10(1 + COMMON_DAYS)))
    return cost


def eaten_kinds(table: FoodTable, eaten: frozenset[str]) -> frozenset[str]:
    return frozenset(food_kind(table, table.index[f]) for f in eaten if f in table.index)


def _food_options(
    table: FoodTable,
    candidates: Sequence[tuple[int, Unit]],
    eaten: frozenset[str],
    band: VkaBand | None,
) -> list[Option]:
    kinds = eaten_kinds(table, eaten)
    values = np.nan_to_num(table.values)
    mk7_col = TABLE_KEYS.index("mk7_ug")
    options = []
    for i, unit in candidates:
        food = table.ids[i]
        per_100 = values[i]
        mk7_bound = (
            table.values[i, mk7_col]
            if not np.isnan(table.values[i, mk7_col])
            else table.highs["k2_ug"][i]
        )
        row = np.append(per_100, mk7_bound)
        base = _fixed_cost(table, i, eaten, kinds)
        family = food_kind(table, i)
        seen: set[int] = set()
        for units in range(1, unit.max_per_day + 1):
            occasion_g = units * unit.grams
            if band is not None and occasion_g * per_100[TABLE_KEYS.index("k1_ug")] / 100 >= (
                band.k1_occasion_ug
            ):
                break
            for times in TIMES_A_WEEK:
                if times < 7 and units > MAX_UNITS_NOT_DAILY:
                    continue
                weekly_units = units * times
                if weekly_units in seen:
                    continue
                seen.add(weekly_units)
                per_day = row * (occasion_g * times / 7.0) / 100.0
                cost = (
                    base
                    + COST_PER_KCAL * per_day[TABLE_KEYS.index("energy_kcal")]
                    + COST_PER_SAT_FAT_G * per_day[TABLE_KEYS.index("fat_sat_g")]
                    + COST_PER_SODIUM_MG * per_day[TABLE_KEYS.index("sodium_mg")]
                    + COST_PER_UNIT * units
                    + COST_PER_OCCASION * times
                )
                options.append(Option(food, food, units, times, per_day, cost, family))
    return options


def supplement_options(allowed: Mapping[str, str]) -> list[Option]:
    options = []
    for product in BUILTIN_PRODUCTS:
        amounts = complete_amounts(product.amounts)
        kinds = [k for k in SUPPLEMENT_KINDS if amounts.get(k) and not allowed[k]]
        if len(kinds) != 1 or any(amounts.get(k) for k in ("k1_ug", "mk4_ug")):
            continue
        if kinds[0] == "calcium_mg" and "carbonate" not in product.name.lower():
            continue  # one calcium product: carbonate and citrate give the same 500 mg
        per_day = np.array([float(amounts.get(k, 0.0)) for k in TABLE_KEYS] + [0.0])
        per_day[COLUMNS.index("mk7_bound")] = per_day[TABLE_KEYS.index("mk7_ug")]
        dose = float(amounts[kinds[0]])
        cost = COST_SUPPLEMENT + COST_PER_SUPPLEMENT_UG * (dose if kinds[0] != "calcium_mg" else 0)
        options.append(Option(f"supplement:{kinds[0]}", product.name, 1, 7, per_day, cost))
    return options


def _gaps(
    before: Mapping[str, float | None], targets: Mapping[str, Target], k2: K2Choice | None
) -> dict[str, float]:
    gaps = {}
    for key, target in targets.items():
        if target.value is not None:
            gaps[key] = max(0.0, target.value - (before[key] or 0.0))
    if k2 is not None:
        gaps[k2.key] = max(0.0, k2.value_ug_per_day - (before[k2.key] or 0.0))
    return gaps


def plan_setup(
    report: Report,
    inputs: PlanInputs,
    db: FoodDB,
    *,
    eaten: frozenset[str] = frozenset(),
) -> PlanSetup:
    """Read the person's intake and reference values and build the model."""
    profile = report.profile
    if profile is None or profile.birth_date is None:
        raise InvalidOptionError(
            "A plan aims at the reference values of your life stage: set your birth date and "
            "sex first, e.g. `vitk2 profile set --sex female --birth-date 1970-03-01`."
        )
    table = food_table(db)
    before, incomplete = _before(report)
    targets = reference_targets(report)
    drugs = anticoagulation(profile.medications).vka
    band = vka_band(drugs, before["k1_ug"] or 0.0) if drugs else None
    allowed = _supplements_allowed(report, inputs, bool(drugs))
    gaps = _gaps(before, targets, inputs.k2)
    mask = suggestable(
        table, exclusions=inputs.exclusions, eaten=eaten, dishes=inputs.dishes,
        need_k1=band is not None,
    )  # fmt: skip
    kinds = eaten_kinds(table, eaten)
    candidates = prune(
        table, mask, gaps, eaten=eaten, k1_matters=band is not None,
        fixed_costs=lambda i: _fixed_cost(table, i, eaten, kinds),
    )  # fmt: skip
    options = [*_food_options(table, candidates, eaten, band), *supplement_options(allowed)]
    bounds: dict[str, Bound] = {}
    for key, gap in gaps.items():
        bounds[key] = Bound(low=gap if gap > 0 else None)
    for key, target in targets.items():
        if target.ul is not None:
            low = bounds.get(key, Bound()).low
            bounds[key] = Bound(low, target.ul - (before[key] or 0.0))
    for key, limit in inputs.budgets.items():
        bounds[key] = Bound(None, limit)
    if band is not None:
        bounds["k1_ug"] = Bound(None, band.k1_ug)
        bounds["mk7_bound"] = Bound(None, band.mk7_ug)
    notes = tuple(
        f"{key}: a target is missing for this life stage"
        for key, target in targets.items()
        if target.value is None
    )
    return PlanSetup(
        report=report,
        inputs=inputs,
        db=db,
        table=table,
        before=before,
        before_incomplete=incomplete,
        targets=targets,
        band=band,
        supplements_allowed=allowed,
        problem=Problem(COLUMNS, tuple(options), bounds),
        candidates=tuple(candidates),
        eaten=eaten,
        notes=notes,
    )


def plan_setup_like(setup: PlanSetup, exclusions: Exclusions) -> PlanSetup:
    """The same plan with other exclusions (to see what an exclusion costs)."""
    inputs = replace(setup.inputs, exclusions=exclusions)
    return plan_setup(setup.report, inputs, setup.db, eaten=setup.eaten)


def _addition(setup: PlanSetup, option: Option) -> PlanItem:
    table = setup.table
    if option.group.startswith("supplement:"):
        product = next(p for p in BUILTIN_PRODUCTS if p.name == option.ref)
        amounts = complete_amounts(product.amounts)
        per_day = {k: float(amounts.get(k, 0.0)) for k in OUTPUT_KEYS}
        ranges = {k: (per_day[k], per_day[k]) for k in RANGE_KEYS}
        return PlanItem(
            "supplement", product.name, product.name, "supplement", 1, 7, product.unit, None,
            per_day, ranges, None, product=product,
        )  # fmt: skip
    i = table.index[option.ref]
    unit = next(u for row, u in setup.candidates if row == i)
    grams_per_day = unit.grams * option.units * option.times / 7.0
    per_day_food: dict[str, float | None] = {}
    for key in OUTPUT_KEYS:
        value = table.values[i, TABLE_KEYS.index(key)]
        per_day_food[key] = None if np.isnan(value) else float(value * grams_per_day / 100.0)
    ranges = {
        key: (
            float(table.lows[key][i] * grams_per_day / 100.0),
            float(table.highs[key][i] * grams_per_day / 100.0),
        )
        for key in RANGE_KEYS
        if not np.isnan(table.lows[key][i])
    }
    return PlanItem(
        "food",
        option.ref,
        table.names[i],
        table.groups[i],
        option.units,
        option.times,
        unit.label,
        unit.grams,
        per_day_food,
        ranges,
        "measured" if table.k2_measured[i] else "imputed",
        already_eaten=option.ref in setup.eaten,
        fermented=is_fermented(table.names[i]),
        unit=unit,
    )


def solve_setup(setup: PlanSetup) -> tuple[Solution | None, tuple[PlanItem, ...]]:
    """Solve the model; the chosen additions, foods first (largest K2 first)."""
    solution = solve(setup.problem)
    if solution is None:
        return None, ()
    additions = [_addition(setup, setup.problem.options[i]) for i in solution.chosen]
    additions.sort(key=lambda a: (a.kind != "food", -(a.per_day.get("k2_ug") or 0.0), a.name))
    return solution, tuple(additions)
