"""Why a plan is what it is, and, when no plan meets every aim, which limit binds and
what would relax it (docs/plan.md, "When no plan fits").

Diagnosis runs the same model again: the most each aimed nutrient can gain under the
other limits, then the same with one limit relaxed at a time (supplements allowed,
one budget lifted, the consistency band lifted, one ``--exclude`` dropped), and the
lower K2 study figures that are within reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np

from vitk2.plan.groups import Exclusions
from vitk2.plan.model import Bound, Problem, maximum, solve
from vitk2.plan.planner import (
    SUPPLEMENT_KINDS,
    PlanItem,
    PlanSetup,
    plan_setup_like,
    supplement_options,
)
from vitk2.plan.targets import DEFAULT_BUDGETS, k2_choices

__all__ = ["Binding", "diagnose", "explain"]

_NAMES: Final = {
    "k1_ug": "K1",
    "mk4_ug": "MK-4",
    "mk7_ug": "MK-7",
    "k2_ug": "K2",
    "vitd_ug": "vitamin D",
    "calcium_mg": "calcium",
    "energy_kcal": "energy",
    "fat_sat_g": "saturated fat",
    "sodium_mg": "sodium",
    "mk7_bound": "MK-7 (or the K2 that could be MK-7)",
}
_UNITS: Final = {"energy_kcal": "kcal", "fat_sat_g": "g", "sodium_mg": "mg", "calcium_mg": "mg"}
_BUDGET_OPTIONS: Final = {
    "energy_kcal": "--max-kcal",
    "fat_sat_g": "--max-sat-fat",
    "sodium_mg": "--max-sodium",
}


def _unit(key: str) -> str:
    return _UNITS.get(key, "µg")


def number(value: float) -> str:
    """A number as the explanation writes it (no false precision)."""
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def amount(key: str, value: float) -> str:
    return f"{number(value)} {_unit(key)}"


@dataclass(frozen=True, slots=True)
class Binding:
    """One aim the limits keep out of reach: what it needs a day, the most it can
    gain, and what would relax it."""

    key: str
    needed: float
    reachable: float | None
    relax: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "needed_per_day": round(self.needed, 3),
            "reachable_per_day": None if self.reachable is None else round(self.reachable, 3),
            "relax": list(self.relax),
        }

    def sentence(self) -> str:
        name = _NAMES.get(self.key, self.key)
        reach = (
            "nothing can be added"
            if self.reachable is None
            else f"at most {amount(self.key, self.reachable)}/day can be added"
        )
        text = f"{name}: {amount(self.key, self.needed)}/day more is needed, but {reach}"
        if self.relax:
            text += "; would help: " + "; ".join(self.relax)
        return text + "."


def _with_supplements(setup: PlanSetup) -> Problem | None:
    allowed = {k: ("" if why.startswith("supplements were not") else why)
               for k, why in setup.supplements_allowed.items()}  # fmt: skip
    extra = supplement_options(allowed)
    have = {o.ref for o in setup.problem.options}
    new = tuple(o for o in extra if o.ref not in have)
    if not new:
        return None
    p = setup.problem
    return Problem(p.columns, (*p.options, *new), p.bounds)


def _alone(problem: Problem) -> Problem:
    """The problem with every aim dropped and every limit kept: what one aim can reach
    on its own is `maximum` of it."""
    return problem.with_bounds(**{k: Bound(None, b.high) for k, b in problem.bounds.items()})


def _needed_budget(problem: Problem, key: str) -> float | None:
    """The least of a budget nutrient a plan meeting every other bound needs."""
    relaxed = problem.with_bounds(**{key: None})
    if not relaxed.options:
        return None
    column = relaxed.matrix()[:, relaxed.columns.index(key)]
    found = solve(relaxed, objective=column + 1e-6)
    return None if found is None else found.added[key]


def _relaxations(setup: PlanSetup, key: str, needed: float) -> list[str]:
    """Single relaxations that reach ``needed`` of ``key`` (the aim alone)."""
    problem = _alone(setup.problem)
    found: list[str] = []
    supplemented = _with_supplements(setup)
    if supplemented is not None:
        gain = maximum(_alone(supplemented), key)
        if gain is not None and gain >= needed - 1e-6:
            found.append("--allow-supplements")
    for budget, limit in setup.inputs.budgets.items():
        lifted = problem.with_bounds(**{budget: None})
        gain = maximum(lifted, key)
        if gain is not None and gain >= needed - 1e-6:
            target = problem.with_bounds(**{key: Bound(needed, problem.bounds[key].high)})
            least = _needed_budget(target, budget)
            more = "" if least is None else f" {number(max(least, limit) * 1.05)}"
            found.append(f"{_BUDGET_OPTIONS[budget]}{more} (now {number(limit)})")
    if setup.band is not None:
        lifted = problem.with_bounds(k1_ug=None, mk7_bound=None)
        gain = maximum(lifted, key)
        if gain is not None and gain >= needed - 1e-6:
            found.append(
                "more K1 or MK-7 than the consistency band allows on a vitamin K antagonist: "
                "only with your anticoagulation clinic"
            )
    for text in setup.inputs.exclusions.texts:
        texts = tuple(t for t in setup.inputs.exclusions.texts if t != text)
        other = plan_setup_like(setup, replace(setup.inputs.exclusions, texts=texts))
        gain = maximum(_alone(other.problem), key)
        if gain is not None and gain >= needed - 1e-6:
            found.append(f"without --exclude {text!r}")
    return found


def diagnose(setup: PlanSetup) -> list[Binding]:
    """The aims out of reach and what would relax each; if each is within reach alone
    but not all together, the limit that binds them."""
    problem = setup.problem
    out: list[Binding] = []
    for key, bound in problem.bounds.items():
        if bound.high is not None and bound.high < 0:
            out.append(Binding(key, 0.0, None, (_over_limit(setup, key),)))
    alone = _alone(problem)
    for key, bound in problem.bounds.items():
        if bound.low is None:
            continue
        gain = maximum(alone, key)
        if gain is not None and gain >= bound.low - 1e-6:
            continue
        relax = _relaxations(setup, key, bound.low)
        if key in ("k2_ug", "mk7_ug") and setup.inputs.k2 is not None:
            reach = (setup.before.get(key) or 0.0) + (gain or 0.0)
            lower = [c.ref for c in k2_choices() if c.key == key and c.value_ug_per_day <= reach]
            if lower:
                relax.append("a lower study figure: --target-k2 " + " or ".join(lower))
        out.append(Binding(key, bound.low, gain, tuple(relax)))
    if not out:
        for budget in ("energy_kcal", "fat_sat_g", "sodium_mg"):
            least = _needed_budget(problem, budget)
            limit = dict(setup.inputs.budgets.items())[budget]
            if least is not None and least > limit:
                text = f"{_BUDGET_OPTIONS[budget]} {number(least * 1.05)} (now {number(limit)})"
                out.append(Binding(budget, least, limit, (text,)))
    return out


def _over_limit(setup: PlanSetup, key: str) -> str:
    target = setup.targets.get(key)
    before = setup.before.get(key) or 0.0
    if target is not None and target.ul is not None:
        return (
            f"your intake is already {amount(key, before)}/day, above the upper limit of "
            f"{amount(key, target.ul)} [{target.ul_source}]: a plan only adds, so lower it "
            "first (see `vitk2 report`)"
        )
    return f"your intake is already above what a plan may add of {_NAMES.get(key, key)}"


def _added(items: Sequence[PlanItem], key: str) -> float:
    return float(sum(item.per_day.get(key) or 0.0 for item in items))


def explain(setup: PlanSetup, items: Sequence[PlanItem], *, optimal: bool) -> list[str]:
    """The sentences of a plan that meets its aims."""
    lines: list[str] = []
    k2 = setup.inputs.k2
    aims = [
        f"{_NAMES[key]} {number(t.value)} {t.unit} ({t.type}, {t.source})"
        + (f", below the upper limit {number(t.ul)} ({t.ul_source})" if t.ul is not None else "")
        for key, t in setup.targets.items()
        if t.value is not None
    ]
    if k2 is not None:
        aims.append(
            f"{_NAMES[k2.key]} {number(k2.value_ug_per_day)} µg/day, the study figure you chose "
            f"({k2.point.label} [{k2.point.source}]; not a target set by any authority)"
        )
    lines.append("Aims: " + "; ".join(aims) + ".")
    if k2 is None:
        lines.append(
            "No K2 study figure chosen, so the plan does not aim at K2: choose one with "
            "--target-k2 (the choices are under reference.k2_choices)."
        )
    elif k2.key == "mk7_ug":
        lines.append(
            "That figure is an MK-7 dose, so it is compared with MK-7 only (other "
            "menaquinones differ in absorption and half-life; vitamers stay separate)."
        )
    if not items:
        lines.append("Your intake already meets these aims: nothing to add.")
    for item in items:
        parts = [
            f"{_NAMES[k]} +{amount(k, item.per_day[k] or 0.0)}"
            for k in ("k2_ug", "mk7_ug", "vitd_ug", "calcium_mg")
            if (item.per_day.get(k) or 0.0) > 0.005
        ]
        already = " (you already eat it)" if item.already_eaten else ""
        lines.append(
            f"{item.name}: {item.amount_text()} {item.frequency}{already}: "
            + (", ".join(parts) or "no change to the aims")
            + " a day."
        )
    budgets = ", ".join(
        f"{amount(key, _added(items, key))} {_NAMES[key]} (budget {number(limit)})"
        for key, limit in setup.inputs.budgets.items()
    )
    default = tuple(setup.inputs.budgets.items()) == tuple(DEFAULT_BUDGETS.items())
    lines.append(
        f"The additions bring {budgets} a day. "
        + (
            "These budgets are vitk2's defaults, not dietary guidance: vitk2's evidence file "
            "has no reference value for energy, saturated fat or sodium; set your own with "
            "--max-kcal, --max-sat-fat and --max-sodium."
            if default
            else "Budgets as you set them."
        )
    )
    if setup.band is not None:
        band = setup.band
        lines.append(
            f"On {', '.join(band.drugs)}: no vitamin K supplement; the additions change K1 by "
            f"+{amount('k1_ug', _added(items, 'k1_ug'))}/day and MK-7 by at most "
            f"+{amount('mk7_ug', _mk7_bound(setup, items))}/day, within half of the "
            f"consistency band (a week departs at {number(band.k1_change_ug)} µg/day of K1 or "
            f"{number(band.mk7_change_ug)} µg/day of MK-7; docs/findings.md). Talk to your "
            "anticoagulation clinic before you change your diet, and keep it steady."
        )
    for kind, why in setup.supplements_allowed.items():
        if why and not why.startswith("supplements were not"):
            lines.append(f"No {SUPPLEMENT_KINDS[kind]} supplement: {why}.")
    unknown = sorted(
        {_NAMES.get(k, k) for item in items if item.kind == "food"
         for k, v in item.per_day.items() if v is None and k in ("mk4_ug", "mk7_ug", "k1_ug")}
    )  # fmt: skip
    if unknown:
        lines.append(
            "Some additions have unknown " + ", ".join(unknown) + " values (never counted as 0): "
            "those totals after the plan are lower bounds."
        )
    imputed = [i.name for i in items if i.kind == "food" and i.k2_basis == "imputed"
               and (i.per_day.get("k2_ug") or 0) > 0]  # fmt: skip
    if imputed:
        lines.append(
            "K2 of " + "; ".join(imputed) + " is imputed by a documented rule (docs/data.md), "
            "not measured."
        )
    if setup.before_incomplete & {"vitd_ug", "calcium_mg", "k2_ug", "mk7_ug"}:
        keys = sorted(setup.before_incomplete & {"vitd_ug", "calcium_mg", "k2_ug", "mk7_ug"})
        lines.append(
            "Your current intake of " + ", ".join(_NAMES[k] for k in keys) + " misses foods "
            "with unknown values, so it is a lower bound: the real gap may be smaller."
        )
    if not optimal:
        lines.append("The optimiser stopped at its time limit: this plan meets every limit but "
                     "a plan with fewer changes may exist.")  # fmt: skip
    return lines


def _mk7_bound(setup: PlanSetup, items: Sequence[PlanItem]) -> float:
    table = setup.table
    total = 0.0
    for item in items:
        if item.kind != "food":
            total += item.per_day.get("mk7_ug") or 0.0
            continue
        i = table.index[item.ref]
        mk7 = item.per_day.get("mk7_ug")
        grams = (item.grams_per_occasion or 0.0) * item.times / 7.0
        total += (
            mk7 if mk7 is not None else float(np.nan_to_num(table.highs["k2_ug"][i])) * grams / 100
        )
    return total


def excluded_text(exclusions: Exclusions) -> str:
    parts = [*exclusions.diets, *(f"no {t}" for t in exclusions.texts)]
    return ", ".join(parts) or "no exclusions"
