"""The intake assessment report (the value): per day and for the period, against
reference values. `vitk2.assess.build` adds a period of diary entries up into one.

Days without entries are left out (an unlogged day is missing, not a day of zero
intake). Foods and supplements are added up separately and combined. Reference
values and K2 study reference points come from the evidence file with their
citation keys; K2 is never shown as a percentage of anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from vitk2.assess.adequacy import assess_adequacy
from vitk2.assess.finding import Finding
from vitk2.assess.reference import (
    Authority,
    ReferenceValue,
    k2_reference_points,
)
from vitk2.evidence.records import citation
from vitk2.foods.nutrients import MENAQUINONE_KEYS
from vitk2.intake.profile import Profile
from vitk2.intake.totals import KEYS, Total

__all__ = ["FOCUS_KEYS", "Report"]

#: The nutrients the report is about (every key is still in the day totals).
FOCUS_KEYS: Final[tuple[str, ...]] = (
    "k1_ug",
    "dk1_ug",
    *MENAQUINONE_KEYS,
    "k2_ug",
    "vitk_ug",
    "vitd_ug",
    "calcium_mg",
)
_INDEX: Final[dict[str, int]] = {key: i for i, key in enumerate(KEYS)}
_K2: Final = _INDEX["k2_ug"]
_TARGET_TYPES: Final[tuple[str, ...]] = ("RDA", "PRI", "AI")
_EAR_TYPES: Final[tuple[str, ...]] = ("EAR", "AR")
_TOP_CONTRIBUTORS: Final = 5
Array = npt.NDArray[np.float64]


def _round(values: Array, digits: int = 3) -> list[float]:
    return [float(v) for v in np.round(values, digits)]


def _flagged(flags: npt.NDArray[np.bool_]) -> list[str]:
    return [key for key, flag in zip(KEYS, flags, strict=True) if flag]


def _as_map(
    values: Array, digits: int = 3, *, known: npt.NDArray[np.bool_] | None = None
) -> dict[str, float | None]:
    """Values by key; None where ``known`` says nothing is known (unknown, not 0)."""
    rounded = _round(values, digits)
    if known is None:
        return dict(zip(KEYS, rounded, strict=True))
    return {k: v if flag else None for k, v, flag in zip(KEYS, rounded, known, strict=True)}


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `vitk2 report` shows; `as_dict` is the JSON shape."""

    profile: Profile | None
    authority: Authority
    start: date
    end: date
    days: tuple[date, ...]
    food_totals: Array = field(repr=False)  # days x keys
    supplement_totals: Array = field(repr=False)
    incomplete: npt.NDArray[np.bool_] = field(repr=False)  # days x keys: some amount unknown
    k2_low: Array = field(repr=False)  # per day
    k2_high: Array = field(repr=False)
    coverage: Mapping[str, float] = field(repr=False)
    references: Mapping[str, Sequence[ReferenceValue]] = field(repr=False)
    notes_reference: tuple[tuple[str, str, str | None], ...] = ()
    contributors: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    stage: str | None = None
    findings: tuple[Finding, ...] = ()
    #: days x keys: some amount is known (None: all known, for reports built by hand).
    known: npt.NDArray[np.bool_] | None = field(default=None, repr=False)
    #: days x `MENAQUINONE_KEYS`: the sums of each menaquinone's low and high end (None:
    #: no ranges, for reports built by hand).
    mk_low: Array | None = field(default=None, repr=False)
    mk_high: Array | None = field(default=None, repr=False)

    @property
    def totals(self) -> Array:
        return self.food_totals + self.supplement_totals

    def mean(self, key: str, *, source: str = "combined") -> float:
        table = {
            "combined": self.totals,
            "foods": self.food_totals,
            "supplements": self.supplement_totals,
        }[source]
        return float(table[:, _INDEX[key]].mean())

    def _known(self) -> npt.NDArray[np.bool_]:
        if self.known is None:
            return np.ones_like(self.incomplete, dtype=bool)
        return self.known

    def mean_total(self, key: str, *, source: str = "combined") -> Total:
        """The period's mean of ``key`` as shown to people: unknown when no logged
        amount of it is known, a lower bound when some are unknown (foods only:
        supplements' label amounts are known)."""
        column = _INDEX[key]
        if source == "supplements":
            return Total(self.mean(key, source=source))
        if not self._known()[:, column].any():
            return Total(None)
        return Total(self.mean(key, source=source), bool(self.incomplete[:, column].any()))

    def _means(self, source: str) -> dict[str, float | None]:
        return {key: _rounded(self.mean_total(key, source=source).value) for key in KEYS}

    def daily(self, key: str) -> list[float]:
        return [float(v) for v in self.totals[:, _INDEX[key]]]

    def reference(self, key: str, types: Sequence[str]) -> ReferenceValue | None:
        for wanted in types:
            for value in self.references.get(key, ()):
                if value.type == wanted:
                    return value
        return None

    def adequacy(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for key, values in self.references.items():
            if self.mean_total(key).value is None:
                out[key] = {"mean": None, "conclusion": "unknown: no logged food has a known value"}
                continue
            mean = self.mean(key)
            result = assess_adequacy(key, self.daily(key), values)
            target = self.reference(key, _TARGET_TYPES)
            upper = self.reference(key, ("UL",))
            over = [
                d.isoformat()
                for d, v in zip(self.days, self.daily(key), strict=True)
                if upper is not None and v > upper.value
            ]
            out[key] = {
                "mean": round(mean, 3),
                "lower_bound": self.mean_total(key).lower_bound,
                "target_type": None if target is None else target.type,
                "percent_of_target": (
                    None if target is None else round(100 * mean / target.value, 1)
                ),
                "ear": result.ear,
                "z": None if result.z is None else round(result.z, 3),
                "confidence": None if result.confidence is None else round(result.confidence, 3),
                "conclusion": result.conclusion,
                "method": result.method,
                "note": result.note,
                "ul": None if upper is None else upper.value,
                "days_over_ul": over,
                "mean_over_ul": upper is not None and mean > upper.value,
            }
        return out

    def menaquinones(self) -> list[dict[str, Any]]:
        """The menaquinones eaten (a known mean above 0), most first: each one's daily
        mean with its range (the sums of the foods' low and high values), its share of
        the K2 whose menaquinones are known, and the foods and supplements it came from."""
        rows: list[dict[str, Any]] = []
        for index, key in enumerate(MENAQUINONE_KEYS):
            mean = self.mean_total(key)
            if mean.value is None or round(mean.value, 3) <= 0.0:
                continue
            low = high = None
            if self.mk_low is not None and self.mk_high is not None:
                low = round(float(self.mk_low[:, index].mean()), 3)
                high = round(float(self.mk_high[:, index].mean()), 3)
            rows.append(
                {
                    "key": key,
                    "label": f"MK-{key.removeprefix('mk').removesuffix('_ug')}",
                    "mean_ug": round(mean.value, 3),
                    "lower_bound": mean.lower_bound,
                    "low_ug": low,
                    "high_ug": high,
                    "from": [
                        {"name": c["name"], "ref": c["ref"], "period_ug": c["amount"],
                         "share_pct": c["share_pct"]}
                        for c in self.contributors.get(key, ())[:3]
                    ],
                }
            )  # fmt: skip
        known = math.fsum(float(row["mean_ug"]) for row in rows)
        for row in rows:
            row["share_pct"] = round(100 * row["mean_ug"] / known, 1) if known else None
        return sorted(rows, key=lambda row: -row["mean_ug"])

    def k2(self) -> dict[str, Any]:
        known = self.mean_total("k2_ug").value is not None
        return {
            "mean_ug": _rounded(self.mean_total("k2_ug").value),
            "lower_bound": self.mean_total("k2_ug").lower_bound,
            "low_ug": round(float(self.k2_low.mean()), 3) if known else None,
            "high_ug": round(float(self.k2_high.mean()), 3) if known else None,
            "from_foods_ug": _rounded(self.mean_total("k2_ug", source="foods").value),
            "from_supplements_ug": round(self.mean("k2_ug", source="supplements"), 3),
            "per_menaquinone_ug": {k: _rounded(self.mean_total(k).value) for k in MENAQUINONE_KEYS},
            "menaquinones": self.menaquinones(),
            "coverage": {k: round(v, 3) for k, v in self.coverage.items()},
            "reference_points": [p.as_dict() for p in k2_reference_points()],
        }

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals
        known = self._known()
        days = []
        for i, day in enumerate(self.days):
            supplements = {k: v for k, v in _as_map(self.supplement_totals[i]).items() if v != 0.0}
            days.append(
                {
                    "date": day.isoformat(),
                    "totals": _as_map(totals[i], known=known[i]),
                    "foods": _as_map(self.food_totals[i], known=known[i]),
                    "supplements": supplements,
                    "incomplete": [
                        k for k, flag in zip(KEYS, self.incomplete[i], strict=True) if flag
                    ],
                    "k2_low_ug": round(float(self.k2_low[i]), 3) if known[i, _K2] else None,
                    "k2_high_ug": round(float(self.k2_high[i]), 3) if known[i, _K2] else None,
                }
            )
        reference = {}
        sources: set[str] = set()
        for key, values in self.references.items():
            target = self.reference(key, _TARGET_TYPES) or values[0]
            reference[key] = {
                "type": target.type,
                "value": target.value,
                "unit": target.unit,
                "source": target.source,
                "record": target.record,
                "population": target.population,
                "note": target.note,
                "all": [
                    {"type": v.type, "value": v.value, "unit": v.unit, "source": v.source,
                     "record": v.record}
                    for v in values
                ],
            }  # fmt: skip
            sources.update(v.source for v in values)
        k2 = self.k2()
        sources.update(p["source"] for p in k2["reference_points"])
        sources.update(s for _, _, s in self.notes_reference if s)
        sources.update(key for f in self.findings for key in f.evidence)
        return {
            "profile": None if self.profile is None else self.profile.as_dict(self.end),
            "life_stage": self.stage,
            "authority": self.authority,
            "period": {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "days": len(self.days),
                "calendar_days": (self.end - self.start).days + 1,
            },
            "days": days,
            "mean": self._means("combined"),
            "mean_foods": self._means("foods"),
            "mean_supplements": _as_map(self.supplement_totals.mean(axis=0)),
            "incomplete": _flagged(np.asarray(self.incomplete.any(axis=0))),
            "unknown": _flagged(np.asarray(~known.any(axis=0))),
            "reference": reference,
            "reference_notes": [
                {"key": k, "text": t, "source": s} for k, t, s in self.notes_reference
            ],
            "adequacy": self.adequacy(),
            "k2": k2,
            "contributors": {k: list(v) for k, v in self.contributors.items()},
            "findings": [f.as_dict() for f in self.findings],
            "notes": list(self.notes),
            "sources": {s: citation(s) for s in sorted(sources)},
        }
