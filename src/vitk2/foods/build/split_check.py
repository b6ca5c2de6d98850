"""The split rule checked against the foods whose homologues were measured: leave one out.

For each split family with at least `MIN_DONORS` donors of its own (not a pool of other
families), each donor profile in turn is left out, the pattern of the others splits
that profile's own total, and the prediction is compared with what was measured:

* **misplaced**: the share of the total put on the wrong homologues (half the sum of
  the absolute differences between predicted and measured shares; 0 % is a perfect
  split, 100 % puts everything on homologues the food does not have);
* **within range**: how often a measured share lies between the lowest and highest
  share of the other donors (the range the split rule gives);
* per homologue, the mean absolute error in percentage points of the total;
* **pooled**: the misplaced share when the pattern is instead the mean of every other
  family's donors as well, the baseline that shows whether families matter.

`vitk2.foods.build.coverage` writes the table into docs/data.md; a test checks it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vitk2.foods.build.families import read_families
from vitk2.foods.build.records import load_literature
from vitk2.foods.build.split import (
    PATTERN_HOMOLOGUES,
    Pattern,
    Profile,
    SplitFamily,
    label,
    read_split_families,
)

__all__ = ["MIN_DONORS", "LooResult", "leave_one_out", "loo_table"]

MIN_DONORS: Final = 3


@dataclass(frozen=True, slots=True)
class LooResult:
    """Leave-one-out errors of one family (or, with ``family`` "all", of every family)."""

    family: str
    donors: int
    misplaced_pct: float
    pooled_pct: float
    within_range_pct: float
    abs_error_pp: Mapping[str, float]


def _predict(pattern: Pattern, profile: Profile) -> dict[str, float]:
    """The pattern's shares over the homologues the profile reports, adding up to 1."""
    shares = {key: pattern.mean.get(key, 0.0) for key in profile.values}
    total = sum(shares.values())
    return {k: v / total for k, v in shares.items()} if total > 0 else shares


def _misplaced(predicted: Mapping[str, float], measured: Mapping[str, float]) -> float:
    return 0.5 * sum(abs(predicted[key] - measured[key]) for key in measured)


@dataclass(frozen=True, slots=True)
class _Case:
    family: str
    misplaced: float
    pooled: float
    within: tuple[bool, ...]
    errors: Mapping[str, float]


def _cases(families: Sequence[SplitFamily]) -> list[_Case]:
    own = [f for f in families if not f.pooled and len(f.pattern.donors) >= MIN_DONORS]
    everyone = {d.row: d for f in own for d in f.pattern.donors}
    cases = []
    for family in own:
        for donor in family.pattern.donors:
            others = Pattern.of([d for d in family.pattern.donors if d.row != donor.row])
            pooled = Pattern.of([d for row, d in everyone.items() if row != donor.row])
            measured = donor.shares
            predicted = _predict(others, donor)
            within = tuple(
                others.low[key] - 1e-9 <= share <= others.high[key] + 1e-9
                for key, share in measured.items()
                if key in others.low
            )
            cases.append(
                _Case(
                    family.name,
                    _misplaced(predicted, measured),
                    _misplaced(_predict(pooled, donor), measured),
                    within,
                    {key: abs(predicted[key] - measured[key]) for key in measured},
                )
            )
    return cases


def _result(family: str, cases: Sequence[_Case]) -> LooResult:
    within = [flag for case in cases for flag in case.within]
    errors = {
        key: statistics.fmean(found)
        for key in PATTERN_HOMOLOGUES
        if (found := [case.errors[key] for case in cases if key in case.errors])
    }
    return LooResult(
        family=family,
        donors=len(cases),
        misplaced_pct=100 * statistics.fmean(c.misplaced for c in cases),
        pooled_pct=100 * statistics.fmean(c.pooled for c in cases),
        within_range_pct=100 * sum(within) / len(within) if within else 0.0,
        abs_error_pp={key: 100 * value for key, value in errors.items()},
    )


def leave_one_out(families: Sequence[SplitFamily]) -> list[LooResult]:
    """One result per family with enough donors of its own, then "all" over them."""
    cases = _cases(families)
    names = list(dict.fromkeys(case.family for case in cases))
    results = [_result(name, [c for c in cases if c.family == name]) for name in names]
    return [*results, _result("all", cases)]


def read_families_for_check(data_dir: Path) -> list[SplitFamily]:
    """The split families of ``data_dir``, as the build reads them."""
    names = [family.name for family in read_families(data_dir)]
    return read_split_families(data_dir, load_literature(data_dir), names)


def loo_table(data_dir: Path) -> list[str]:
    """The leave-one-out table as Markdown lines."""
    results = leave_one_out(read_families_for_check(data_dir))
    heads = " | ".join(label(key) for key in PATTERN_HOMOLOGUES)
    lines = [
        f"| family | profiles | misplaced | pooled | within range | {heads} |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(PATTERN_HOMOLOGUES),
    ]
    for r in results:
        name = "**all families**" if r.family == "all" else f"`{r.family}`"
        cells = " | ".join(
            f"{r.abs_error_pp[key]:.1f}" if key in r.abs_error_pp else "–"
            for key in PATTERN_HOMOLOGUES
        )
        lines.append(
            f"| {name} | {r.donors} | {r.misplaced_pct:.1f} % | {r.pooled_pct:.1f} % | "
            f"{r.within_range_pct:.0f} % | {cells} |"
        )
    return lines
