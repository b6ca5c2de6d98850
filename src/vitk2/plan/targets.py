"""What a plan aims at and must not cross: the K2 study reference point the person
chooses (cited; never a default, never an "intake target" of any authority), the
vitamin D and calcium reference values and upper limits of their life stage, the
budgets for what the additions bring (energy, saturated fat, sodium), and on a
vitamin K antagonist the consistency band of the safety findings.

>>> [p.ref for p in k2_choices()][:3]
['gast2009', 'dalmeijer2012:180', 'dalmeijer2012:360']
>>> choice = choose_k2_reference("knapen2015")
>>> choice.value_ug_per_day, choice.key
(180.0, 'mk7_ug')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from vitk2.assess.reference import K2ReferencePoint, k2_reference_points
from vitk2.assess.report import Report
from vitk2.errors import InvalidOptionError, quoted
from vitk2.safety.findings import load_rules

__all__ = [
    "DEFAULT_BUDGETS",
    "Budgets",
    "K2Choice",
    "VkaBand",
    "choose_k2_reference",
    "k2_choices",
    "reference_targets",
    "vka_band",
]

#: vitk2's defaults for what a plan may add a day. No reference value for energy,
#: saturated fat or sodium is in vitk2's evidence file: these keep a plan a small
#: change to a diet and are not dietary guidance (docs/plan.md).
DEFAULT_BUDGETS: Final = {"energy_kcal": 300.0, "fat_sat_g": 6.0, "sodium_mg": 600.0}
#: The point's own figures, replaced in a choice by the one figure chosen.
_FIGURES: Final = frozenset({"value_ug_per_day", "low", "high"})
#: The share of the consistency band a plan may use on a vitamin K antagonist, so that
#: the day-to-day spread of new foods does not take a week over it (vitk2's margin).
VKA_BAND_SHARE: Final = 0.5


@dataclass(frozen=True, slots=True)
class K2Choice:
    """One K2 study reference point a plan can aim at: ``ref`` is how it is named on
    the command line (``gast2009``, ``dalmeijer2012:360``). ``key`` is what it is
    compared with: a trial's MK-7 dose with MK-7 (``mk7_ug``: vitamers stay
    separate, and the trials gave MK-7), a cohort's menaquinone intake with K2."""

    ref: str
    value_ug_per_day: float
    point: K2ReferencePoint

    @property
    def key(self) -> str:
        return "mk7_ug" if "MK-7" in self.point.label else "k2_ug"

    def as_dict(self) -> dict[str, Any]:
        point = {k: v for k, v in self.point.as_dict().items() if k not in _FIGURES}
        return {
            "ref": self.ref,
            "value_ug_per_day": self.value_ug_per_day,
            "compared_with": self.key,
            **point,
        }


def k2_choices() -> list[K2Choice]:
    """Every K2 reference point a plan may aim at, named uniquely: the source key, with
    ``:figure`` where the source gives several figures (or a range, whose two ends are
    two choices). MK-7 doses that changed INR under a vitamin K antagonist are not
    aims and are left out."""
    points = [p for p in k2_reference_points() if p.kind != "vka_interaction_dose"]
    figures: dict[str, list[tuple[float, K2ReferencePoint]]] = {}
    for p in points:
        values = (
            [p.value_ug_per_day]
            if p.value_ug_per_day is not None
            else [v for v in (p.low_ug_per_day, p.high_ug_per_day) if v is not None]
        )
        for value in values:
            found = figures.setdefault(p.source, [])
            if all(v != value for v, _ in found):
                found.append((value, p))
    choices = []
    for source, found in figures.items():
        for value, point in found:
            ref = source if len(found) == 1 else f"{source}:{value:g}"
            choices.append(K2Choice(ref, value, point))
    return choices


def choose_k2_reference(text: str) -> K2Choice:
    """The reference point ``--target-k2`` names (its ``ref``, case aside)."""
    wanted = text.strip().lower()
    choices = k2_choices()
    for choice in choices:
        if choice.ref.lower() == wanted:
            return choice
    interaction = {p.source for p in k2_reference_points() if p.kind == "vka_interaction_dose"}
    listing = "; ".join(f"{c.ref} ({c.value_ug_per_day:g} µg/day)" for c in choices)
    if wanted.split(":")[0] in interaction:
        raise InvalidOptionError(
            f"--target-k2 {quoted(text)} is an MK-7 dose that changed INR in people on a "
            f"vitamin K antagonist, not a figure to aim at. Choose one of: {listing}."
        )
    same = [c.ref for c in choices if c.ref.split(":")[0] == wanted]
    hint = f" {quoted(text)} gives several figures: add one ({', '.join(same)})." if same else ""
    raise InvalidOptionError(
        f"Unknown --target-k2 {quoted(text)}.{hint} No authority sets a K2 intake target; "
        f"choose one of these published study figures: {listing} (`vitk2 evidence show KEY`)."
    )


@dataclass(frozen=True, slots=True)
class Target:
    """A reference value to reach and the upper limit not to cross, as the report
    gives them for the life stage."""

    key: str
    value: float | None
    type: str | None
    ul: float | None
    source: str | None
    ul_source: str | None
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "ul": self.ul,
            "ul_source": self.ul_source,
        }


def reference_targets(report: Report) -> dict[str, Target]:
    """Vitamin D and calcium: the RDA, PRI or AI to reach and the UL, from the report."""
    targets = {}
    for key, unit in (("vitd_ug", "µg/day"), ("calcium_mg", "mg/day")):
        aim = report.reference(key, ("RDA", "PRI", "AI"))
        upper = report.reference(key, ("UL",))
        targets[key] = Target(
            key,
            None if aim is None else aim.value,
            None if aim is None else aim.type,
            None if upper is None else upper.value,
            None if aim is None else aim.source,
            None if upper is None else upper.source,
            unit,
        )
    return targets


@dataclass(frozen=True, slots=True)
class Budgets:
    """At most what the additions bring a day."""

    energy_kcal: float = DEFAULT_BUDGETS["energy_kcal"]
    fat_sat_g: float = DEFAULT_BUDGETS["fat_sat_g"]
    sodium_mg: float = DEFAULT_BUDGETS["sodium_mg"]

    def __post_init__(self) -> None:
        for key, limit in (("--max-kcal", self.energy_kcal), ("--max-sat-fat", self.fat_sat_g),
                           ("--max-sodium", self.sodium_mg)):  # fmt: skip
            if not 0 <= limit <= 100_000:
                raise InvalidOptionError(f"{key} must be from 0 to 100000, got {limit:g}.")

    def items(self) -> tuple[tuple[str, float], ...]:
        return (
            ("energy_kcal", self.energy_kcal),
            ("fat_sat_g", self.fat_sat_g),
            ("sodium_mg", self.sodium_mg),
        )


@dataclass(frozen=True, slots=True)
class VkaBand:
    """On a vitamin K antagonist: what the additions may add a day (K1, MK-7 or the
    most it could be), and the K1 of one occasion; from the consistency rules."""

    drugs: tuple[str, ...]
    k1_ug: float
    mk7_ug: float
    k1_occasion_ug: float
    k1_change_ug: float
    mk7_change_ug: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "drugs": list(self.drugs),
            "k1_added_max_ug_per_day": round(self.k1_ug, 1),
            "mk7_added_max_ug_per_day": round(self.mk7_ug, 1),
            "k1_per_occasion_max_ug": self.k1_occasion_ug,
            "band": {"k1_change_ug": self.k1_change_ug, "mk7_change_ug": self.mk7_change_ug},
            "share_used": VKA_BAND_SHARE,
        }


def vka_band(drugs: tuple[str, ...], k1_before_ug: float) -> VkaBand:
    """The band around the current intake: a week departs when K1 changes by
    ``k1_change_ug`` or more, or (changing by at least ``k1_min_change_ug``) reaches
    ``k1_ratio_high`` times the baseline; MK-7 when it changes by ``mk7_change_ug``.
    A plan uses `VKA_BAND_SHARE` of it."""
    rules = load_rules()
    t = rules.thresholds()
    ratio_room = (t.k1_ratio_high - 1.0) * max(k1_before_ug, 0.0)
    k1_room = min(t.k1_change_ug, max(t.k1_min_change_ug, ratio_room))
    meal = rules.rule("vka-large-meal").params["k1_meal_ug"]
    return VkaBand(
        drugs,
        k1_room * VKA_BAND_SHARE,
        t.mk7_change_ug * VKA_BAND_SHARE,
        meal,
        t.k1_change_ug,
        t.mk7_change_ug,
    )
