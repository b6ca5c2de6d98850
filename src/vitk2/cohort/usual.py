"""Usual-intake distributions of a cohort, per group of persons: reads the person-day
intakes the engine wrote, fits the model of `vitk2.assess.usual` per group and
nutrient (with replicate-weight standard errors, `vitk2.assess.survey`) and compares
each person's usual intake with the reference values of their life stage
(`vitk2.assess.reference`): the share below the EAR (the cut-point method), above the
AI and above the UL.

Intakes are from foods: supplement amounts are kept in the person-day file but not
added here. A day's amount that misses unknown food values is a lower bound, and so is
a usual intake built on such days: ``unknown_share`` says how much of the food's
weight had no value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from vitk2.assess.population import PERCENTILES, Direction, UsualDistribution, usual_distribution
from vitk2.assess.reference import Authority, reference_values
from vitk2.assess.survey import ReplicatePlan, SeMethod, replicate_weights
from vitk2.assess.usual import Recalls
from vitk2.cohort._extras import arrow
from vitk2.cohort.engines import read_parquet
from vitk2.errors import InvalidOptionError, quoted
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.profile import Profile

__all__ = [
    "CUTS",
    "DEFAULT_KEYS",
    "GroupResult",
    "choose_se",
    "cut_points",
    "distribution_table",
    "natural_key",
    "usual_table",
]

#: The nutrients modelled by default (K2's bounds as their own series).
DEFAULT_KEYS: Final = (
    "k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "k2_low_ug", "k2_high_ug", "vitk_ug", "vitd_ug",
    "calcium_mg",
)  # fmt: skip
#: Cut-point name -> (reference value types, direction).
CUTS: Final[dict[str, tuple[tuple[str, ...], Direction]]] = {
    "below_ear": (("EAR", "AR"), "below"),
    "above_ai": (("AI",), "above"),
    "above_ul": (("UL",), "above"),
}
_REFERENCE_DAY: Final = date(2000, 1, 1)
_BASE_KEY: Final = {"k2_low_ug": "k2_ug", "k2_high_ug": "k2_ug"}


def natural_key(label: tuple[str, ...]) -> tuple[tuple[float, str], ...]:
    """Sort key of a group: numbers by value ("2-5" before "12-19", "<2" first)."""
    out = []
    for part in label:
        digits = re.match(r"[<]?(\d+)", part)
        number = float(digits.group(1)) - (0.5 if part.startswith("<") else 0) if digits else -1
        out.append((number, part))
    return tuple(out)


def _unit(key: str) -> str:
    return NUTRIENTS[_BASE_KEY.get(key, key)].unit


@cache
def _references(
    sex: str, months: int, stage: str | None, authority: Authority
) -> dict[str, dict[str, float]]:
    """key -> {type: value} for one life stage."""
    born = _REFERENCE_DAY.year * 12 - months  # months since year 0, January
    birth = date(born // 12, born % 12 + 1, 1)
    profile = Profile(
        sex="female" if sex == "female" else "male", birth_date=birth,
        pregnant=stage == "pregnant", lactating=stage == "lactating",
    )  # fmt: skip
    found = reference_values(profile, on=_REFERENCE_DAY, authority=authority)
    return {key: {v.type: v.value for v in values} for key, values in found.items()}


def cut_points(
    persons: Mapping[str, np.ndarray], key: str, authority: Authority
) -> dict[str, tuple[np.ndarray, Direction]]:
    """Each person's cut-points for ``key`` (NaN where their life stage has none, or
    where it cannot be told: an infant without ``age_months``)."""
    n = len(persons["sex"])
    out = {name: (np.full(n, np.nan), direction) for name, (_, direction) in CUTS.items()}
    for i in range(n):
        months = persons["age_months"][i]
        age = int(persons["age"][i])
        if not np.isfinite(months):
            if age < 1:
                continue
            months = age * 12
        refs = _references(str(persons["sex"][i]), int(months), persons["life_stage"][i], authority)
        values = refs.get(key, {})
        for name, (types, _) in CUTS.items():
            for typ in types:
                if typ in values:
                    out[name][0][i] = values[typ]
    return out


def choose_se(strata: np.ndarray, psu: np.ndarray, method: SeMethod | None) -> SeMethod:
    """BRR when every design stratum has exactly two PSUs, else the bootstrap (an
    explicit ``method`` wins)."""
    if method is not None:
        return method
    if len(strata) and all(s is not None for s in strata) and all(p is not None for p in psu):
        pairs = {(s, p) for s, p in zip(strata, psu, strict=True)}
        per: dict[object, int] = {}
        for s, _ in pairs:
            per[s] = per.get(s, 0) + 1
        if per and all(count == 2 for count in per.values()):
            return "brr"
    return "bootstrap"


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One group's distribution of one nutrient (None: not fitted, ``note`` says why)."""

    group: tuple[str, ...]
    key: str
    distribution: UsualDistribution | None
    persons: int
    weight_total: float
    unknown_share: float
    cut_ranges: Mapping[str, tuple[float, float] | None]
    day1: tuple[float, float, float, float]  # weighted mean, p5, p50, p95 of first recalls
    note: str = ""


def _column(table: Any, name: str) -> np.ndarray:
    column = table[name]
    return np.asarray(column.to_numpy(zero_copy_only=False))


def usual_table(
    path: Path,
    *,
    by: Sequence[str],
    keys: Sequence[str] = DEFAULT_KEYS,
    se: SeMethod | None = None,
    replicates: int = 32,
    authority: Authority = "iom",
    progress: Callable[[str, float], None] | None = None,
) -> tuple[list[GroupResult], dict[str, Any]]:
    """Fit every group (``by`` columns) and nutrient of the person-day file ``path``.
    Returns the results and a description of the run (persons used and left out,
    the standard-error method)."""
    table, meta = read_parquet(path)
    needed = ["person_id", "day", "sex", "age", "survey_weight", "food_g", *by]
    absent = [name for name in [*needed, *keys] if name not in table.column_names]
    if absent:
        raise InvalidOptionError(
            f"{quoted(str(path), 200)} has no column {', '.join(repr(a) for a in absent)}: give "
            "a file written by `vitk2 cohort intake` (with those nutrients: --nutrients) and "
            "group by its columns."
        )
    person_raw = _column(table, "person_id")
    ids, person = np.unique(person_raw, return_inverse=True)
    n = len(ids)
    first_row = np.zeros(n, dtype=np.int64)
    first_row[person[::-1]] = np.arange(len(person))[::-1]
    persons = {
        "sex": _column(table, "sex")[first_row],
        "age": _column(table, "age")[first_row],
        "age_months": _column(table, "age_months")[first_row].astype(float)
        if "age_months" in table.column_names else np.full(n, np.nan),
        "life_stage": _column(table, "life_stage")[first_row]
        if "life_stage" in table.column_names else np.full(n, None),
    }  # fmt: skip
    weight = np.nan_to_num(_column(table, "survey_weight")[first_row].astype(float), nan=0.0)
    strata = (
        _column(table, "strata")[first_row] if "strata" in table.column_names else np.full(n, None)
    )
    psu = _column(table, "psu")[first_row] if "psu" in table.column_names else np.full(n, None)
    method = choose_se(strata, psu, se)
    design = (
        (strata, psu)
        if all(s is not None for s in strata) and all(p is not None for p in psu)
        else (None, None)
    )
    plan = replicate_weights(
        weight, strata=design[0], psu=design[1], method=method, replicates=replicates
    )
    day = _column(table, "day").astype(np.int64)
    first_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_day, person, day)
    repeat = day > first_day[person]
    groups = (
        [
            tuple(str(v) for v in row)
            for row in zip(*(_column(table, b)[first_row] for b in by), strict=True)
        ]
        if by
        else [()] * n
    )
    labels = sorted(set(groups), key=natural_key)
    group_of = np.array([labels.index(g) for g in groups]) if by else np.zeros(n, dtype=np.int64)
    food_g = np.nan_to_num(_column(table, "food_g").astype(float))
    results: list[GroupResult] = []
    total = len(labels) * len(keys)
    for gi, label in enumerate(labels):
        members = np.flatnonzero((group_of == gi) & (weight > 0))
        local = np.full(n, -1)
        local[members] = np.arange(len(members))
        member_persons = {name: values[members] for name, values in persons.items()}
        sub_plan = ReplicatePlan(plan.weights[:, members], plan.method, plan.factor)
        for ki, key in enumerate(keys):
            if progress is not None:
                progress(f"{'/'.join(label) or 'all'} {key}", (gi * len(keys) + ki) / total)
            results.append(
                _one(table, key, label=label, members=members, local=local, person=person,
                     repeat=repeat, weight=weight, food_g=food_g, persons=member_persons,
                     plan=sub_plan, authority=authority)
            )  # fmt: skip
    described = {
        "by": list(by),
        "keys": list(keys),
        "authority": authority,
        "se": plan.method,
        "replicates": plan.count,
        "persons": int(n),
        "persons_weighted": int(np.sum(weight > 0)),
        "persons_without_weight": int(np.sum(weight <= 0)),
        "intake": meta,
    }
    return results, described


def _one(
    table: Any,
    key: str,
    *,
    label: tuple[str, ...],
    members: np.ndarray,
    local: np.ndarray,
    person: np.ndarray,
    repeat: np.ndarray,
    weight: np.ndarray,
    food_g: np.ndarray,
    persons: Mapping[str, np.ndarray],
    plan: ReplicatePlan,
    authority: Authority,
) -> GroupResult:
    values = _column(table, key).astype(float)
    base = _BASE_KEY.get(key, key)
    unknown_col = f"{base}_unknown_g"
    unknown = (
        _column(table, unknown_col).astype(float)
        if unknown_col in table.column_names
        else np.zeros(len(values))
    )
    rows = np.flatnonzero((local[person] >= 0) & np.isfinite(values))
    w_person = weight[members]
    rows_w = weight[person[rows]]
    grams = float(np.sum(rows_w * food_g[rows]))
    unknown_share = float(np.sum(rows_w * unknown[rows]) / grams) if grams > 0 else 0.0
    cuts = cut_points(
        persons, base if base in ("vitk_ug", "k1_ug", "vitd_ug", "calcium_mg") else "", authority
    )
    ranges = {
        name: (float(np.nanmin(v)), float(np.nanmax(v))) if np.isfinite(v).any() else None
        for name, (v, _) in cuts.items()
    }
    first = rows[~repeat[rows]]
    day1: tuple[float, float, float, float] = (float("nan"),) * 4
    if len(first):
        from vitk2.assess.survey import weighted_quantiles

        fw = weight[person[first]]
        q = weighted_quantiles(values[first], fw, np.array([0.05, 0.5, 0.95]))
        day1 = (float(np.average(values[first], weights=fw)), float(q[0]), float(q[1]), float(q[2]))

    def result(distribution: UsualDistribution | None, note: str = "") -> GroupResult:
        return GroupResult(
            label, key, distribution, len(members), float(w_person.sum()), unknown_share,
            ranges, day1, note,
        )  # fmt: skip

    if not len(rows):
        return result(None, "no person-day with a known amount")
    recalls = Recalls(local[person[rows]], repeat[rows], np.maximum(values[rows], 0.0), w_person)
    usable = {name: (v, d) for name, (v, d) in cuts.items() if np.isfinite(v).any()}
    try:
        distribution = usual_distribution(recalls, cuts=usable, plan=plan)
    except InvalidOptionError as error:
        return result(None, f"not fitted: {error}")
    return result(distribution)


def _estimate_columns(name: str, value: float | None, se: float | None) -> dict[str, float | None]:
    return {name: value, f"{name}_se": se}


def distribution_table(results: Sequence[GroupResult], by: Sequence[str]) -> Any:
    """The results as an Arrow table: one row per group and nutrient."""
    pa = arrow()
    rows: list[dict[str, Any]] = []
    for result in results:
        row: dict[str, Any] = dict(zip(by, result.group, strict=True))
        d = result.distribution
        fit = d.fit if d is not None else None
        row |= {
            "nutrient": result.key,
            "unit": _unit(result.key),
            "model": None if fit is None else fit.kind,
            "box_cox_lambda": None if fit is None else fit.lam,
            "persons": result.persons,
            "persons_repeat": None if fit is None else fit.repeats,
            "weight_total": result.weight_total,
            "zero_share": None if fit is None else fit.zero_share,
            "unknown_share": result.unknown_share,
        }
        row |= _estimate_columns("mean", *(d.mean.value, d.mean.se) if d else (None, None))
        for p in PERCENTILES:
            e = d.percentile(p) if d else None
            row |= _estimate_columns(f"p{p:02d}", e.value if e else None, e.se if e else None)
        for name in CUTS:
            e = d.prevalence.get(name) if d else None
            row |= _estimate_columns(name, e.value if e else None, e.se if e else None)
            span = result.cut_ranges.get(name)
            row[f"{name.split('_')[1]}_low"] = span[0] if span else None
            row[f"{name.split('_')[1]}_high"] = span[1] if span else None
        row["day1_mean"], row["day1_p05"], row["day1_p50"], row["day1_p95"] = (
            None if not np.isfinite(v) else v for v in result.day1
        )
        row["replicates"] = d.replicates if d else 0
        row["failed_replicates"] = d.failed_replicates if d else 0
        row["curve"] = list(d.curve) if d else None
        row["note"] = result.note
        rows.append(row)
    if not rows:
        return pa.table({})
    schema = pa.schema(
        [(name, pa.string()) for name in by]
        + [
            (name, pa.list_(pa.float64()) if name == "curve" else
             pa.string() if name in ("nutrient", "unit", "model", "note") else
             pa.int64() if name in ("persons", "persons_repeat", "replicates", "failed_replicates")
             else pa.float64())
            for name in rows[0] if name not in by
        ]
    )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=schema)
