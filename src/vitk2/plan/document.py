"""A plan as people get it: the additions, the intake before and after (K2 and MK-7
also at the low and high ends of their ranges), the reference values and limits, the
ramp-up for fermented foods, the explanation and the findings with the plan.
`Plan.as_dict` is the JSON document of `vitk2 plan --json` and ``GET /api/plan``.

`run_plan` is the use case: the diary's period (or a typical day the person types),
their profile and their choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any, Final, Protocol

from vitk2.assess.build import build_report
from vitk2.assess.reference import Authority
from vitk2.assess.report import Report
from vitk2.errors import InvalidOptionError, MealParseError
from vitk2.evidence.records import citation
from vitk2.foods.database import FoodDB
from vitk2.foods.values import VectorSource
from vitk2.intake.dates import latest_day
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import Profile
from vitk2.plan.explain import Binding, diagnose, explain
from vitk2.plan.planner import OUTPUT_KEYS, PlanInputs, PlanItem, PlanSetup, plan_setup, solve_setup
from vitk2.plan.ramp import RampDay, RampFood, ics_text, ramp_up
from vitk2.plan.table import RANGE_KEYS
from vitk2.plan.targets import k2_choices
from vitk2.plan.whatif import Addition, Frequency, WhatIfService, build_whatif
from vitk2.safety.findings import baseline_start

__all__ = ["Plan", "PlanService", "build_plan", "run_plan"]

PLAN_NOTE: Final = (
    "vitk2 informs; it does not prescribe. A plan shows what foods in usual amounts "
    "would do to your intake; talk to your doctor or dietitian before large changes, and "
    "to your anticoagulation clinic if you take a vitamin K antagonist."
)


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan over a report's intake."""

    setup: PlanSetup
    items: tuple[PlanItem, ...]
    feasible: bool
    optimal: bool
    bindings: tuple[Binding, ...]
    explanation: tuple[str, ...]
    ramp: tuple[RampDay, ...]
    findings: tuple[Mapping[str, Any], ...] = ()
    findings_resolved: tuple[str, ...] = ()
    typical_day: str | None = None

    def after(self) -> tuple[dict[str, float | None], frozenset[str]]:
        """Every reported nutrient with the additions (None: nothing known), and the
        keys that miss unknown values (lower bounds)."""
        before = self.setup.before
        values: dict[str, float | None] = {}
        incomplete = set(self.setup.before_incomplete)
        for key in OUTPUT_KEYS:
            parts = [item.per_day.get(key) for item in self.items]
            if any(p is None for p in parts):
                incomplete.add(key)
            known = [p for p in parts if p is not None]
            if before[key] is None and not known:
                values[key] = None
            else:
                values[key] = (before[key] or 0.0) + sum(known)
        return values, frozenset(incomplete)

    def ends(self) -> tuple[dict[str, float | None], dict[str, float | None]]:
        """K2 and MK-7 after the plan at the low and at the high end of the ranges of
        every food eaten (the diary's and the additions')."""
        report = self.setup.report
        low: dict[str, float | None] = {}
        high: dict[str, float | None] = {}
        for key in RANGE_KEYS:
            before = self.setup.before[key]
            if key == "k2_ug" and before is not None:
                base_low = float(report.k2_low.mean())
                base_high = float(report.k2_high.mean())
            else:
                base_low = base_high = before or 0.0
            added_low = sum(i.ranges_per_day.get(key, (0.0, 0.0))[0] for i in self.items)
            added_high = sum(i.ranges_per_day.get(key, (0.0, 0.0))[1] for i in self.items)
            if before is None and not any(key in i.ranges_per_day for i in self.items):
                low[key] = high[key] = None
            else:
                low[key] = base_low + added_low
                high[key] = base_high + added_high
        return low, high

    def met(self) -> dict[str, bool | None]:
        after, _ = self.after()
        low, _ = self.ends()
        out: dict[str, bool | None] = {}
        for key, target in self.setup.targets.items():
            value = after[key]
            if target.value is None or value is None:
                out[key] = None
                continue
            within = target.ul is None or value <= target.ul + 1e-6
            out[key] = value >= target.value - 1e-6 and within
        k2 = self.setup.inputs.k2
        if k2 is not None:
            value = after[k2.key]
            out["k2_reference_point"] = value is not None and value >= k2.value_ug_per_day - 1e-6
            end = low.get(k2.key)
            out["k2_reference_point_at_low_end"] = (
                end is not None and end >= k2.value_ug_per_day - 1e-6
            )
        return out

    def ramp_weeks(self) -> int:
        return self.setup.inputs.weeks

    def ics(self, *, stamp: datetime | None = None) -> str:
        """The ramp-up as an iCalendar file."""
        when = stamp or datetime.now(UTC)
        return ics_text(self.ramp, weeks=self.ramp_weeks(), stamp=when)

    def as_dict(self) -> dict[str, Any]:
        setup = self.setup
        report = setup.report
        after, after_incomplete = self.after()
        low, high = self.ends()
        profile = report.profile
        sources = {t.source for t in setup.targets.values() if t.source}
        sources |= {t.ul_source for t in setup.targets.values() if t.ul_source}
        if setup.inputs.k2 is not None:
            sources.add(setup.inputs.k2.point.source)
        sources |= {key for f in self.findings for key in f.get("evidence", ())}
        basis: dict[str, Any] = (
            {"typical_day": self.typical_day}
            if self.typical_day is not None
            else {
                "from": report.start.isoformat(),
                "to": report.end.isoformat(),
                "days": len(report.days),
            }
        )
        return {
            "period": basis,
            "life_stage": report.stage,
            "authority": report.authority,
            "profile": None if profile is None else profile.as_dict(report.end),
            "choices": {
                "diets": list(setup.inputs.exclusions.diets),
                "exclude_classes": sorted(setup.inputs.exclusions.classes),
                "exclude": list(setup.inputs.exclusions.texts),
                "allow_supplements": setup.inputs.allow_supplements,
                "target_k2": None if setup.inputs.k2 is None else setup.inputs.k2.ref,
                "dishes": setup.inputs.dishes,
                "weeks": setup.inputs.weeks,
            },
            "feasible": self.feasible,
            "optimal": self.optimal,
            "additions": [item.as_dict() for item in self.items],
            "before": {k: _r(v) for k, v in setup.before.items()},
            "before_incomplete": sorted(setup.before_incomplete),
            "after": {k: _r(v) for k, v in after.items()},
            "after_incomplete": sorted(after_incomplete),
            "after_low": {k: _r(v) for k, v in low.items()},
            "after_high": {k: _r(v) for k, v in high.items()},
            "met": self.met(),
            "reference": {
                "k2": None if setup.inputs.k2 is None else setup.inputs.k2.as_dict(),
                "k2_choices": [
                    {
                        "ref": c.ref,
                        "value_ug_per_day": c.value_ug_per_day,
                        "compared_with": c.key,
                        "label": c.point.label,
                        "source": c.point.source,
                    }
                    for c in k2_choices()
                ],
                **{key: target.as_dict() for key, target in setup.targets.items()},
                "budgets": {
                    **{key: limit for key, limit in setup.inputs.budgets.items()},
                    "source": "vitk2's defaults or your options; no reference value in the "
                    "evidence file",
                },
                "vka_band": None if setup.band is None else setup.band.as_dict(),
            },
            "binding": [b.as_dict() for b in self.bindings],
            "ramp_up": [day.as_dict() for day in self.ramp],
            "explanation": list(self.explanation),
            "findings": list(self.findings),
            "findings_resolved": list(self.findings_resolved),
            "note": PLAN_NOTE,
            "sources": {key: citation(key) for key in sorted(sources)},
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3) + 0.0


def _ramp(items: Sequence[PlanItem], inputs: PlanInputs) -> tuple[RampDay, ...]:
    foods = [
        RampFood(item.ref, item.name, item.grams_per_occasion or 0.0, item.times,
                 f"{item.amount_text()} {item.frequency}")
        for item in items
        if item.kind == "food" and item.fermented
    ]  # fmt: skip
    start = inputs.start or (latest_day())
    return ramp_up(foods, weeks=inputs.weeks, start=start)


def build_plan(
    report: Report, inputs: PlanInputs, db: FoodDB, *, eaten: frozenset[str] = frozenset()
) -> Plan:
    """The plan over ``report``'s intake (no findings: see `run_plan`)."""
    setup = plan_setup(report, inputs, db, eaten=eaten)
    solution, items = solve_setup(setup)
    ramp = _ramp(items, inputs)
    if solution is None:
        bindings = tuple(diagnose(setup))
        lines = [
            "No plan meets every aim within the limits:",
            *(b.sentence() for b in bindings),
        ]
        if not bindings:
            lines.append("No single limit could be named; try fewer exclusions or allow "
                         "supplements.")  # fmt: skip
        return Plan(setup, (), False, True, bindings, tuple(lines), ())
    lines = explain(setup, items, optimal=solution.optimal)
    if ramp:
        names = sorted({d.name for d in ramp})
        lines.append(
            f"Start {'; '.join(names)} small: the ramp-up raises it over {inputs.weeks} "
            "week(s) to the planned amount (ramp_up), in case fermented foods upset your "
            "stomach at first."
        )
    return Plan(setup, items, True, solution.optimal, (), tuple(lines), ramp)


def _whatif_addition(item: PlanItem) -> Addition:
    frequency = Frequency(item.frequency, Fraction(item.times, 7))
    if item.kind == "supplement":
        assert item.product is not None
        entry = DiaryEntry(
            day=date.min, text=f"1 {item.label} {item.name}", kind="supplement", ref=item.name,
            name=item.name, quantity=1, unit=item.label, amounts=dict(item.product.amounts),
        )  # fmt: skip
    else:
        grams = item.grams_per_occasion or 0.0
        entry = DiaryEntry(
            day=date.min, text=item.amount_text(), kind="food", ref=item.ref, name=item.name,
            quantity=grams, unit="g", grams=grams,
        )  # fmt: skip
    return Addition(item.amount_text(), item.name, frequency, entry, {})


def _with_findings(plan: Plan, entries: Sequence[DiaryEntry], db: VectorSource) -> Plan:
    if not plan.items:
        return plan
    report = plan.setup.report
    whatif = build_whatif(report, entries, [_whatif_addition(i) for i in plan.items], db)
    document = whatif.as_dict()
    return Plan(
        plan.setup, plan.items, plan.feasible, plan.optimal, plan.bindings, plan.explanation,
        plan.ramp, tuple(document["findings"]), tuple(document["findings_resolved"]),
        plan.typical_day,
    )  # fmt: skip


class PlanStore(Protocol):
    def entries(self, *, start: date | None = None, end: date | None = None) -> list[DiaryEntry]:
        """The entries between two days, inclusive."""

    def profile(self) -> Profile | None:
        """The person's profile."""


class PlanService(WhatIfService, Protocol):
    """What the planner needs of `vitk2.services.DiaryService`: what the what-if
    needs, the food database, and the profile from the diary."""

    db: FoodDB

    @property
    def store(self) -> PlanStore:
        """The diary."""


def run_plan(
    service: PlanService,
    inputs: PlanInputs,
    *,
    start: date | None = None,
    end: date | None = None,
    typical: str | None = None,
    authority: Authority = "iom",
) -> Plan:
    """The use case: the plan over the diary's period (``start``..``end``, by default
    the whole diary) or over a typical day typed as meal text; its findings. Reads the
    diary; writes nothing."""
    db = service.db
    if typical is not None:
        if start is not None or end is not None:
            raise InvalidOptionError("Give --typical or --from/--to, not both.")
        parsed = service.parser().parse(typical)
        if parsed.unresolved:
            problems = "; ".join(
                f"{i.text!r}: {i.problem or 'unresolved'}" for i in parsed.unresolved
            )
            raise MealParseError(f"--typical: {problems}. Fix the text (as for `vitk2 parse`).")
        day = latest_day() - timedelta(days=1)
        entries = parsed.entries(day)
        if not entries:
            raise InvalidOptionError("--typical names no food: type a day's meals.")
        report = build_report(entries, service.store.profile(), service.foods(), start=day, end=day,
                              authority=authority)  # fmt: skip
    else:
        report = service.report(start=start, end=end, authority=authority)
        entries = service.store.entries(start=baseline_start(report.start), end=report.end)
    eaten = frozenset(e.ref for e in entries if e.kind == "food" and report.start <= e.day)
    plan = build_plan(report, inputs, db, eaten=eaten)
    if typical is not None:
        plan = Plan(plan.setup, plan.items, plan.feasible, plan.optimal, plan.bindings,
                    plan.explanation, plan.ramp, typical_day=typical)  # fmt: skip
    return _with_findings(plan, entries, service.foods())
