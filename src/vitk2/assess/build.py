"""Building the report: add up a period of diary entries, per day, foods and
supplements apart, and compare the totals with the reference values for the
profile's life stage; the plain-language notes are written last, from the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Final

import numpy as np

from vitk2.assess.notes import pairing_notes
from vitk2.assess.reference import (
    Authority,
    ReferenceValue,
    life_stage,
    reference_notes,
    reference_values,
)
from vitk2.assess.report import FOCUS_KEYS, Array, Report
from vitk2.errors import InvalidOptionError
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.values import VectorSource, food_id, parse_food_id
from vitk2.intake.diary import DiaryEntry
from vitk2.intake.profile import Profile
from vitk2.intake.totals import KEYS, k2_coverage

__all__ = ["build_report"]

_INDEX: Final[dict[str, int]] = {key: i for i, key in enumerate(KEYS)}
_TOP_CONTRIBUTORS: Final = 5


def build_report(
    entries: Sequence[DiaryEntry],
    profile: Profile | None,
    db: VectorSource,
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
        known=sums.known,
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
        self.known = np.zeros((n_days, n_keys), dtype=bool)  # some amount is known
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
    sums: _Sums, entries: Sequence[DiaryEntry], day_index: Mapping[date, int], db: VectorSource
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
    # Grams per gram of each food whose K2 is measured, imputed, unknown (a recipe
    # splits by its ingredients' shares).
    shares = [k2_coverage(vectors[f], 1.0) for f in ids]
    # Keys a food knows only in part (a recipe with an ingredient of unknown value).
    partial = np.array([[k in vectors[f].partial for k in KEYS] for f in ids], dtype=bool)
    rows = np.array([position[_canonical(vectors, e.ref)] for e in entries])
    grams = np.array([e.grams or 0.0 for e in entries])
    where = np.array([day_index[e.day] for e in entries])
    amounts = table[rows] * (grams / 100.0)[:, None]
    unknown = np.isnan(amounts)
    known = np.where(unknown, 0.0, amounts)
    np.add.at(sums.foods, where, known)
    np.logical_or.at(sums.incomplete, where, unknown | partial[rows])
    np.logical_or.at(sums.known, where, ~unknown)
    np.add.at(sums.k2_low, where, np.nan_to_num(lows[rows] * grams / 100.0))
    np.add.at(sums.k2_high, where, np.nan_to_num(highs[rows] * grams / 100.0))
    for row, gram in zip(rows, grams, strict=True):
        share = shares[row]
        sums.coverage["measured_g"] += float(gram) * share.measured_g
        sums.coverage["imputed_g"] += float(gram) * share.imputed_g
        sums.coverage["unknown_g"] += float(gram) * share.unknown_g
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
        sums.known[i] = True  # a label's amounts are known (0 where it names none)
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
