"""The conditions of the findings: one function per rule id of ``data/findings.toml``.

Each check looks at a `Context` (the period's report and entries, the profile,
the anticoagulants, the consistency windows) and returns one `Match` per finding
to raise: the values for the rule's placeholders and what the finding applies to.
The wording and the evidence live in the TOML file, the logic here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from vitk2.assess.notes import number_text
from vitk2.assess.report import Report
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.foods.values import FoodVector, VectorSource, food_id, parse_food_id
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.totals import KEYS
from vitk2.safety.consistency import Consistency, Window
from vitk2.safety.medications import Anticoagulation
from vitk2.safety.rules import Rule

__all__ = ["CHECKS", "Check", "Context", "Match"]

_IU_PER_UG: Final = 40
_INDEX: Final = {key: i for i, key in enumerate(KEYS)}
_LISTED: Final = 4  # weeks, days or occasions written out in a detail


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the checks may look at, for one period."""

    report: Report
    entries: tuple[DiaryEntry, ...]
    db: VectorSource
    anticoag: Anticoagulation
    consistency: Consistency | None = None
    settings: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Match:
    """One finding to raise: placeholder values, what it applies to, and (for rules
    whose source depends on the data, such as an authority's UL) the evidence keys."""

    values: dict[str, str]
    applies_to: dict[str, Any]
    evidence: tuple[str, ...] | None = None


Check = Callable[[Context, Rule], list[Match]]


def _listed(items: Sequence[str], noun: str) -> str:
    text = "; ".join(items[:_LISTED])
    if len(items) > _LISTED:
        text += f"; and {len(items) - _LISTED} more {noun}"
    return text


# --- supplements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Use:
    """Supplement entries that carry some nutrients, added up per day."""

    products: tuple[str, ...]
    per_day: dict[date, float]

    @property
    def mean(self) -> float:
        return sum(self.per_day.values()) / len(self.per_day)

    def values(self) -> dict[str, str]:
        days = sorted(self.per_day)
        return {
            "products": ", ".join(self.products),
            "dose": number_text(self.mean),
            "max_dose": number_text(max(self.per_day.values())),
            "n_days": str(len(days)),
            "first": days[0].isoformat(),
            "last": days[-1].isoformat(),
        }

    def applies_to(self) -> dict[str, Any]:
        return {
            "products": list(self.products),
            "days": [d.isoformat() for d in sorted(self.per_day)],
            "mean_ug_per_day_taken": round(self.mean, 3),
            "max_ug_per_day": round(max(self.per_day.values()), 3),
        }


def _use(ctx: Context, keys: Sequence[str]) -> _Use | None:
    per_day: dict[date, float] = defaultdict(float)
    products: list[str] = []
    for entry in ctx.entries:
        if entry.kind != "supplement":
            continue
        amount = sum(float(entry.amounts.get(k, 0.0)) for k in keys)
        if amount > 0:
            per_day[entry.day] += amount
            if entry.name not in products:
                products.append(entry.name)
    return _Use(tuple(products), dict(per_day)) if per_day else None


def _drugs(ctx: Context) -> str:
    return ", ".join(ctx.anticoag.vka)


def _vka_supplement(ctx: Context, keys: Sequence[str]) -> list[Match]:
    use = _use(ctx, keys) if ctx.anticoag.vka else None
    if use is None:
        return []
    return [Match({"drugs": _drugs(ctx), **use.values()}, use.applies_to())]


def _mk7_supplement(ctx: Context, rule: Rule) -> list[Match]:
    return _vka_supplement(ctx, ("mk7_ug",))


def _other_mk_supplement(ctx: Context, rule: Rule) -> list[Match]:
    keys = [k for k in MENAQUINONE_KEYS if k != "mk7_ug"]
    matches = _vka_supplement(ctx, keys)
    if not matches:
        return []
    forms = sorted(
        {
            f"MK-{k[2:-3]}"
            for e in ctx.entries
            if e.kind == "supplement"
            for k in keys
            if e.amounts.get(k, 0.0) > 0
        },
        key=lambda name: int(name[3:]),
    )
    matches[0].values["forms"] = " and ".join(forms)
    matches[0].applies_to["forms"] = forms
    return matches


def _k1_supplement(ctx: Context, rule: Rule, *, high: bool) -> list[Match]:
    matches = _vka_supplement(ctx, ("k1_ug",))
    if not matches:
        return []
    is_high = matches[0].applies_to["max_ug_per_day"] >= rule.params["k1_supplement_ug"]
    return matches if is_high == high else []


def _k1_supplement_high(ctx: Context, rule: Rule) -> list[Match]:
    return _k1_supplement(ctx, rule, high=True)


def _k1_supplement_low(ctx: Context, rule: Rule) -> list[Match]:
    return _k1_supplement(ctx, rule, high=False)


def _k1_guidance(ctx: Context, rule: Rule) -> list[Match]:
    use = _use(ctx, ("k1_ug",))
    if use is None or max(use.per_day.values()) <= 1000 * rule.params["k1_supplement_mg"]:
        return []
    return [Match(use.values(), use.applies_to())]


def _pregnancy_state(ctx: Context) -> str | None:
    profile = ctx.report.profile
    if profile is None:
        return None
    if profile.pregnant and profile.lactating:
        return "pregnant and breastfeeding"
    return "pregnant" if profile.pregnant else "breastfeeding" if profile.lactating else None


def _pregnancy(ctx: Context, rule: Rule) -> list[Match]:
    state = _pregnancy_state(ctx)
    return [] if state is None else [Match({"state": state}, {"life_stage": ctx.report.stage})]


def _pregnancy_k2(ctx: Context, rule: Rule) -> list[Match]:
    state = _pregnancy_state(ctx)
    use = _use(ctx, MENAQUINONE_KEYS) if state else None
    if state is None or use is None:
        return []
    return [Match({"state": state, **use.values()}, use.applies_to())]


# --- anticoagulant mode --------------------------------------------------------------------


def _vka_mode(ctx: Context, rule: Rule) -> list[Match]:
    if not ctx.anticoag.vka:
        return []
    weeks = ctx.consistency.weeks if ctx.consistency else ()
    assessed = sum(1 for w in weeks if w.status == "assessed")
    values = {
        "drugs": _drugs(ctx),
        "assessed": str(assessed),
        "weeks": str(len(weeks)),
        **{k: str(v) for k, v in ctx.settings.items()},
    }
    return [Match(values, {"medications": list(ctx.anticoag.vka), "weeks_assessed": assessed})]


def _week_text(window: Window, key: str, label: str) -> str:
    departure = next(d for d in window.departures if d.key == key)
    ratio = "" if departure.ratio is None else f", {departure.ratio:.1f}×"
    return (
        f"Week {window.start} to {window.end}: {label} {number_text(departure.mean_ug)} µg/day "
        f"against a baseline of {number_text(departure.baseline_ug)} µg/day "
        f"({departure.change_ug:+,.0f} µg/day{ratio})"
    )


def _consistency(ctx: Context, key: str, label: str) -> list[Match]:
    if not ctx.anticoag.vka or ctx.consistency is None:
        return []
    weeks = [w for w in ctx.consistency.weeks if any(d.key == key for d in w.departures)]
    if not weeks:
        return []
    texts = [_week_text(w, key, label) for w in weeks]
    applies = [
        {"start": w.start.isoformat(), "end": w.end.isoformat(),
         **next(d for d in w.departures if d.key == key).as_dict()}
        for w in weeks
    ]  # fmt: skip
    values = {"n_weeks": str(len(weeks)), "weeks_text": _listed(texts, "week(s)") + "."}
    return [Match(values, {"nutrient": key, "weeks": applies})]


def _k1_consistency(ctx: Context, rule: Rule) -> list[Match]:
    return _consistency(ctx, "k1_ug", "K1")


def _mk7_consistency(ctx: Context, rule: Rule) -> list[Match]:
    return _consistency(ctx, "mk7_ug", "MK-7")


def _occasions(ctx: Context, key: str, kinds: Sequence[str]) -> list[tuple[str, float]]:
    """(label, amount of ``key``) per intake occasion: the entries of a day with the
    same time, else the same meal; an entry with neither is an occasion alone."""
    chosen = [e for e in ctx.entries if e.kind in kinds]
    vectors = ctx.db.vectors([e.ref for e in chosen if e.kind == "food"]) if chosen else {}
    column = _INDEX[key]
    totals: dict[tuple[date, str, int], float] = defaultdict(float)
    labels: dict[tuple[date, str, int], str] = {}
    for i, entry in enumerate(chosen):
        if entry.kind == "food":
            value = _food_value(vectors, entry.ref, column)
            amount = 0.0 if value is None else value * (entry.grams or 0.0) / 100.0
        else:
            amount = float(entry.amounts.get(key, 0.0))
        group = entry.time or entry.meal
        where = (entry.day, group or "", -1 if group else i)
        totals[where] += amount
        named = f"entry {entry.id} " if entry.id is not None else ""
        labels[where] = f"{entry.day} {group}" if group else f"{entry.day} {named}{entry.text!r}"
    return [(labels[where], amount) for where, amount in sorted(totals.items())]


def _food_value(vectors: Mapping[str, FoodVector], ref: str, column: int) -> float | None:
    vector = vectors.get(ref) or vectors.get(food_id(parse_food_id(ref)))
    return None if vector is None else vector.values[column]


def _large_meal(ctx: Context, rule: Rule) -> list[Match]:
    if not ctx.anticoag.vka:
        return []
    limit = rule.params["k1_meal_ug"]
    found = [(label, v) for label, v in _occasions(ctx, "k1_ug", ("food", "supplement"))
             if v >= limit]  # fmt: skip
    if not found:
        return []
    texts = [f"{label} ({number_text(v)} µg)" for label, v in found]
    return [
        Match(
            {"n": str(len(found)), "occasions": _listed(texts, "occasion(s)")},
            {"occasions": [{"occasion": label, "k1_ug": round(v, 1)} for label, v in found]},
        )
    ]


def _low_intake(ctx: Context, rule: Rule) -> list[Match]:
    mean = ctx.report.mean("k1_ug")
    if not ctx.anticoag.vka or mean >= rule.params["stable_mean_ug"]:
        return []
    return [Match({"mean": number_text(mean)}, {"k1_mean_ug": round(mean, 1)})]


def _doac(ctx: Context, rule: Rule) -> list[Match]:
    if not ctx.anticoag.doac:
        return []
    return [
        Match({"drugs": ", ".join(ctx.anticoag.doac)}, {"medications": list(ctx.anticoag.doac)})
    ]


# --- upper limits ---------------------------------------------------------------------------


def _over_ul(ctx: Context, key: str, *, mean_over: bool) -> list[Match]:
    report = ctx.report
    upper = report.reference(key, ("UL",))
    if upper is None:
        return []
    daily = report.daily(key)
    over = [d for d, v in zip(report.days, daily, strict=True) if v > upper.value]
    mean = report.mean(key)
    if not over or (mean > upper.value) != mean_over:
        return []
    supplements = report.mean(key, source="supplements")
    values = {
        "mean": number_text(mean),
        "ul": number_text(upper.value),
        "stage": report.stage or "your life stage",
        "source": upper.source,
        "source_note": (
            ", a value read in a secondary source" if upper.reliability == "secondary" else ""
        ),
        "n_over": str(len(over)),
        "n_days": str(len(report.days)),
        "supplements": number_text(supplements),
        "days": _listed([d.isoformat() for d in over], "day(s)"),
    }
    if key == "vitd_ug":
        values.update(
            mean_iu=number_text(mean * _IU_PER_UG),
            # The IOM sets these ULs in IU (1,000 … 4,000); the µg values are rounded
            # (2,500 IU is 62.5 µg, stored as 63), so the IU is rounded back to 100 IU.
            ul_iu=number_text(round(upper.value * _IU_PER_UG, -2)),
            supplements_iu=number_text(supplements * _IU_PER_UG),
        )
    applies = {
        "nutrient": key,
        "ul": upper.value,
        "unit": upper.unit,
        "authority": report.authority,
        "life_stage": report.stage,
        "mean": round(mean, 3),
        "days_over": [d.isoformat() for d in over],
    }
    return [Match(values, applies, evidence=(upper.source,))]


def _calcium_mean(ctx: Context, rule: Rule) -> list[Match]:
    return _over_ul(ctx, "calcium_mg", mean_over=True)


def _calcium_days(ctx: Context, rule: Rule) -> list[Match]:
    return _over_ul(ctx, "calcium_mg", mean_over=False)


def _vitd_mean(ctx: Context, rule: Rule) -> list[Match]:
    return _over_ul(ctx, "vitd_ug", mean_over=True)


def _vitd_days(ctx: Context, rule: Rule) -> list[Match]:
    return _over_ul(ctx, "vitd_ug", mean_over=False)


def _calcium_occasion(ctx: Context, rule: Rule) -> list[Match]:
    limit = rule.params["calcium_dose_mg"]
    found = [(label, v) for label, v in _occasions(ctx, "calcium_mg", ("supplement",))
             if v > limit]  # fmt: skip
    if not found:
        return []
    label, largest = max(found, key=lambda item: item[1])
    return [
        Match(
            {"n": str(len(found)), "largest": number_text(largest), "when": label},
            {"occasions": [{"occasion": lb, "calcium_mg": round(v, 1)} for lb, v in found]},
        )
    ]


# --- kidney disease --------------------------------------------------------------------------


def _kidney(kind: str) -> Check:
    def check(ctx: Context, rule: Rule) -> list[Match]:
        profile = ctx.report.profile
        if profile is None or profile.kidney != kind:
            return []
        return [Match({}, {"kidney": kind})]

    return check


CHECKS: Final[dict[str, Check]] = {
    "vka-mode": _vka_mode,
    "vka-mk7-supplement": _mk7_supplement,
    "vka-mk-supplement": _other_mk_supplement,
    "vka-k1-supplement-high": _k1_supplement_high,
    "vka-k1-supplement": _k1_supplement_low,
    "vka-k1-consistency": _k1_consistency,
    "vka-mk7-consistency": _mk7_consistency,
    "vka-large-meal": _large_meal,
    "vka-low-intake": _low_intake,
    "doac": _doac,
    "calcium-mean-over-ul": _calcium_mean,
    "calcium-days-over-ul": _calcium_days,
    "vitd-mean-over-ul": _vitd_mean,
    "vitd-days-over-ul": _vitd_days,
    "vitk-supplement-guidance": _k1_guidance,
    "calcium-per-occasion": _calcium_occasion,
    "pregnancy-lactation": _pregnancy,
    "pregnancy-k2-supplement": _pregnancy_k2,
    "kidney-dialysis": _kidney("dialysis"),
    "kidney-ckd": _kidney("ckd"),
    "kidney-transplant": _kidney("transplant"),
}
