"""The intake assessment report: per day and for the period, against reference values.

Days without entries are left out (an unlogged day is missing, not a day of zero
intake). Foods and supplements are added up separately and combined. Reference
values and K2 study reference points come from the evidence file with their
citation keys; K2 is never shown as a percentage of anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from vitk2.adequacy import assess_adequacy
from vitk2.diary import DiaryEntry
from vitk2.errors import InvalidOptionError
from vitk2.evidence import citation
from vitk2.finding import Finding
from vitk2.fooddb import FoodDB
from vitk2.foods import food_id, parse_food_id
from vitk2.intake import KEYS
from vitk2.nutrients import MENAQUINONE_KEYS, NUTRIENTS
from vitk2.profile import Profile
from vitk2.reference import (
    Authority,
    ReferenceValue,
    k2_reference_points,
    life_stage,
    reference_notes,
    reference_values,
)
from vitk2.report_notes import pairing_notes

__all__ = ["FOCUS_KEYS", "Report", "build_report"]

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
_TARGET_TYPES: Final[tuple[str, ...]] = ("RDA", "PRI", "AI")
_EAR_TYPES: Final[tuple[str, ...]] = ("EAR", "AR")
_TOP_CONTRIBUTORS: Final = 5
Array = npt.NDArray[np.float64]


def _round(values: Array, digits: int = 3) -> list[float]:
    return [float(v) for v in np.round(values, digits)]


def _flagged(flags: npt.NDArray[np.bool_]) -> list[str]:
    return [key for key, flag in zip(KEYS, flags, strict=True) if flag]


def _as_map(values: Array, digits: int = 3) -> dict[str, float]:
    return dict(zip(KEYS, _round(values, digits), strict=True))


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
    incomplete: npt.NDArray[np.bool_] = field(repr=False)  # days x keys
    k2_low: Array = field(repr=False)  # per day
    k2_high: Array = field(repr=False)
    coverage: Mapping[str, float] = field(repr=False)
    references: Mapping[str, Sequence[ReferenceValue]] = field(repr=False)
    notes_reference: tuple[tuple[str, str, str | None], ...] = ()
    contributors: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    stage: str | None = None
    findings: tuple[Finding, ...] = ()

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

    def k2(self) -> dict[str, Any]:
        return {
            "mean_ug": round(self.mean("k2_ug"), 3),
            "low_ug": round(float(self.k2_low.mean()), 3),
            "high_ug": round(float(self.k2_high.mean()), 3),
            "from_foods_ug": round(self.mean("k2_ug", source="foods"), 3),
            "from_supplements_ug": round(self.mean("k2_ug", source="supplements"), 3),
            "per_menaquinone_ug": {k: round(self.mean(k), 3) for k in MENAQUINONE_KEYS},
            "coverage": {k: round(v, 3) for k, v in self.coverage.items()},
            "reference_points": [
                {
                    "label": p.label,
                    "value_ug_per_day": p.value_ug_per_day,
                    "low": p.low_ug_per_day,
                    "high": p.high_ug_per_day,
                    "kind": p.kind,
                    "source": p.source,
                    "record": p.record,
                    "population": p.population,
                    "note": p.note,
                    "reliability": p.reliability,
                }
                for p in k2_reference_points()
            ],
        }

    def as_dict(self) -> dict[str, Any]:
        totals = self.totals
        days = []
        for i, day in enumerate(self.days):
            supplements = {k: v for k, v in _as_map(self.supplement_totals[i]).items() if v != 0.0}
            days.append(
                {
                    "date": day.isoformat(),
                    "totals": _as_map(totals[i]),
                    "foods": _as_map(self.food_totals[i]),
                    "supplements": supplements,
                    "incomplete": [
                        k for k, flag in zip(KEYS, self.incomplete[i], strict=True) if flag
                    ],
                    "k2_low_ug": round(float(self.k2_low[i]), 3),
                    "k2_high_ug": round(float(self.k2_high[i]), 3),
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
            "mean": _as_map(totals.mean(axis=0)),
            "mean_foods": _as_map(self.food_totals.mean(axis=0)),
            "mean_supplements": _as_map(self.supplement_totals.mean(axis=0)),
            "incomplete": _flagged(np.asarray(self.incomplete.any(axis=0))),
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


def build_report(
    entries: Sequence[DiaryEntry],
    profile: Profile | None,
    db: FoodDB,
    *,
    start: date,
    end: date,
    authority: Authority = "iom",
) -> Report:
    """Add up the entries between ``start`` and ``end`` (inclusive) and compare them
    with the reference values for the profile's life stage on ``end``."""
    if start > end:
        raise InvalidOptionError(f"--from {start} is after --to {end}.")
    chosen = [e for e in entries if start <= e.day <= end]
    if not chosen:
        raise InvalidOptionError(
            f"No diary entries between {start} and {end}: log meals with `vitk2 log TEXT` "
            "or choose another period with --from/--to."
        )
    days = tuple(sorted({e.day for e in chosen}))
    day_index = {d: i for i, d in enumerate(days)}
    sums = _Sums(len(days))
    _add_foods(sums, [e for e in chosen if e.kind == "food"], day_index, db)
    _add_supplements(sums, [e for e in chosen if e.kind == "supplement"], day_index)

    references: dict[str, list[ReferenceValue]] = {}
    notes_reference: list[tuple[str, str, str | None]] = []
    stage = None
    if profile is not None:
        references = reference_values(profile, on=end, authority=authority)
        notes_reference = [
            (n.key, n.text, n.source) for n in reference_notes(profile, end, authority)
        ]
        stage = life_stage(profile, end)
    else:
        notes_reference = [
            ("*", "No profile: set sex and birth date with `vitk2 profile set` to see reference "
             "values for your life stage.", None)
        ]  # fmt: skip
    report = Report(
        profile=profile,
        authority=authority,
        start=start,
        end=end,
        days=days,
        food_totals=sums.foods,
        supplement_totals=sums.supplements,
        incomplete=sums.incomplete,
        k2_low=sums.k2_low,
        k2_high=sums.k2_high,
        coverage=sums.coverage,
        references=references,
        notes_reference=tuple(notes_reference),
        contributors=_contributors(sums.by_source),
        stage=stage,
    )
    return replace(report, notes=tuple(pairing_notes(report)))


class _Sums:
    """Running day x nutrient sums while a report is built."""

    def __init__(self, n_days: int) -> None:
        n_keys = len(KEYS)
        self.foods = np.zeros((n_days, n_keys))
        self.supplements = np.zeros((n_days, n_keys))
        self.incomplete = np.zeros((n_days, n_keys), dtype=bool)
        self.k2_low = np.zeros(n_days)
        self.k2_high = np.zeros(n_days)
        self.coverage = {
            "measured_g": 0.0,
            "imputed_g": 0.0,
            "unknown_g": 0.0,
            "supplement_ug": 0.0,
        }
        self.by_source: dict[tuple[str, str, str], Array] = {}


def _add_foods(
    sums: _Sums, entries: Sequence[DiaryEntry], day_index: Mapping[date, int], db: FoodDB
) -> None:
    """Vectorised: one row of per-100 g values per distinct food, scaled per entry."""
    if not entries:
        return
    vectors = db.vectors([e.ref for e in entries])
    ids = sorted(vectors)
    position = {food: i for i, food in enumerate(ids)}
    table = np.array(
        [[np.nan if v is None else v for v in vectors[f].values] for f in ids], dtype=float
    )
    k2_col = table[:, _INDEX["k2_ug"]]
    lows = np.array([np.nan if vectors[f].k2_low is None else vectors[f].k2_low for f in ids])
    highs = np.array([np.nan if vectors[f].k2_high is None else vectors[f].k2_high for f in ids])
    lows = np.where(np.isnan(lows), k2_col, lows)
    highs = np.where(np.isnan(highs), k2_col, highs)
    basis = [
        vectors[f].k2_basis if not np.isnan(k2_col[i]) else "unknown" for i, f in enumerate(ids)
    ]
    rows = np.array([position[_canonical(vectors, e.ref)] for e in entries])
    grams = np.array([e.grams or 0.0 for e in entries])
    where = np.array([day_index[e.day] for e in entries])
    amounts = table[rows] * (grams / 100.0)[:, None]
    unknown = np.isnan(amounts)
    known = np.where(unknown, 0.0, amounts)
    np.add.at(sums.foods, where, known)
    np.logical_or.at(sums.incomplete, where, unknown)
    np.add.at(sums.k2_low, where, np.nan_to_num(lows[rows] * grams / 100.0))
    np.add.at(sums.k2_high, where, np.nan_to_num(highs[rows] * grams / 100.0))
    for row, gram in zip(rows, grams, strict=True):
        sums.coverage[f"{basis[row]}_g"] += float(gram)
    per_food = np.zeros((len(ids), len(KEYS)))
    np.add.at(per_food, rows, known)
    for i, food in enumerate(ids):
        sums.by_source[("food", food, vectors[food].name)] = per_food[i]


def _add_supplements(
    sums: _Sums, entries: Sequence[DiaryEntry], day_index: Mapping[date, int]
) -> None:
    for entry in entries:
        vector = np.array([entry.amounts.get(k, 0.0) for k in KEYS])
        i = day_index[entry.day]
        sums.supplements[i] += vector
        k2 = float(entry.amounts.get("k2_ug", 0.0))
        sums.k2_low[i] += k2
        sums.k2_high[i] += k2
        sums.coverage["supplement_ug"] += k2
        key = ("supplement", entry.ref, entry.name)
        sums.by_source[key] = sums.by_source.get(key, np.zeros(len(KEYS))) + vector


def _canonical(vectors: Mapping[str, Any], ref: str) -> str:
    if ref in vectors:
        return ref
    return food_id(parse_food_id(ref))


def _contributors(
    by_source: Mapping[tuple[str, str, str], Array],
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    sources = list(by_source.items())
    for key in FOCUS_KEYS:
        column = _INDEX[key]
        total = sum(float(v[column]) for _, v in sources)
        ranked = sorted(
            ((float(v[column]), s) for s, v in sources if v[column] > 0),
            key=lambda item: (-item[0], item[1][2]),
        )[:_TOP_CONTRIBUTORS]
        out[key] = [
            {
                "kind": kind,
                "ref": ref,
                "name": name,
                "amount": round(amount, 3),
                "unit": NUTRIENTS[key].unit,
                "share_pct": round(100 * amount / total, 1) if total else None,
            }
            for amount, (kind, ref, name) in ranked
        ]
    return out
