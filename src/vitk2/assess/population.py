"""A group's usual-intake distribution with standard errors, and the share of the group
below or above a cut-point (NumPy only).

`usual_distribution` fits the usual-intake model (`vitk2.assess.usual`) to a group's
recalls with the survey weights, and again with each set of replicate weights
(`vitk2.assess.survey`) for standard errors. It reports the mean, the percentiles
`PERCENTILES`, the 1st … 99th percentiles for plots, and the prevalence of usual
intakes below a person's EAR (the cut-point method) or above their AI or UL. Each
person has their own cut-point (a group may span life stages), so a prevalence is
``Σ w_i P(T < c_i) / Σ w_i`` over the persons who have one.

>>> rng = np.random.default_rng(3)
>>> person = np.repeat(np.arange(400), 2)
>>> amount = np.exp(rng.normal(5.0, 0.4, 400))[person] * np.exp(rng.normal(-0.08, 0.4, 800))
>>> recalls = Recalls(person, np.tile([False, True], 400), amount, np.ones(400))
>>> result = usual_distribution(recalls, cuts={"below EAR": (np.full(400, 150.0), "below")})
>>> round(result.percentile(50).value, -1), result.prevalence["below EAR"].value < 0.5
(150.0, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from vitk2.assess.survey import ReplicatePlan, replicate_weights, standard_error
from vitk2.assess.usual import Recalls, UsualFit, fit_usual, usual_mean, usual_sample
from vitk2.errors import InvalidOptionError

__all__ = [
    "PERCENTILES",
    "PLOT_PERCENTILES",
    "Direction",
    "Estimate",
    "UsualDistribution",
    "usual_distribution",
]

FloatArray = npt.NDArray[np.float64]
Direction = Literal["below", "above"]
#: The percentiles reported in tables.
PERCENTILES: Final[tuple[int, ...]] = (1, 5, 10, 25, 50, 75, 90, 95, 99)
#: The percentiles kept for plots (1 … 99).
PLOT_PERCENTILES: Final[tuple[int, ...]] = tuple(range(1, 100))


@dataclass(frozen=True, slots=True)
class Estimate:
    """A statistic and its replicate standard error (None when not computed)."""

    value: float | None
    se: float | None = None


@dataclass(frozen=True, slots=True)
class UsualDistribution:
    """A group's usual-intake distribution. ``prevalence`` maps a cut-point's name to
    the share (0 … 1) of the group beyond it, over ``cut_persons[name]`` persons with
    that cut-point; ``curve`` holds the 1st … 99th percentiles; ``failed_replicates``
    counts replicates whose model could not be fitted (their SE is then None)."""

    fit: UsualFit
    mean: Estimate
    percentiles: Mapping[int, Estimate]
    prevalence: Mapping[str, Estimate]
    cut_persons: Mapping[str, int]
    curve: tuple[float, ...] = field(repr=False)
    replicates: int = 0
    failed_replicates: int = 0

    def percentile(self, p: int) -> Estimate:
        return self.percentiles[p]


Cuts = Mapping[str, tuple[FloatArray, Direction]]


def _statistics(sample: FloatArray, fit: UsualFit, weight: FloatArray, cuts: Cuts) -> FloatArray:
    """[mean, the table percentiles, the prevalences in ``cuts`` order]."""
    m = len(sample)
    positions = (np.arange(m) + 0.5) / m
    quantiles = np.interp(np.array(PERCENTILES) / 100.0, positions, sample)
    shares = []
    for values, direction in cuts.values():
        has = np.isfinite(values) & (weight > 0)
        if not has.any():
            shares.append(np.nan)
            continue
        below = np.searchsorted(sample, values[has], side="left") / m
        beyond = below if direction == "below" else 1.0 - np.searchsorted(
            sample, values[has], side="right"
        ) / m  # fmt: skip
        shares.append(float(np.average(beyond, weights=weight[has])))
    return np.array([usual_mean(fit, sample), *quantiles, *shares])


def usual_distribution(
    recalls: Recalls,
    *,
    cuts: Cuts | None = None,
    plan: ReplicatePlan | None = None,
    episodic: bool | None = None,
) -> UsualDistribution:
    """Fit and summarise one group. ``cuts`` maps a name to (one cut-point per person,
    NaN where a person has none; "below" or "above"); ``plan`` gives replicate weights
    for standard errors (default: none). Raises `InvalidOptionError` when the model
    cannot be fitted on the full sample."""
    cuts = dict(cuts or {})
    plan = plan or replicate_weights(recalls.weight, method="none")
    fit = fit_usual(recalls, episodic=episodic)
    sample = usual_sample(fit)
    estimate = _statistics(sample, fit, recalls.weight, cuts)
    rows = []
    failed = 0
    for weights in plan.weights:
        try:
            refit = fit_usual(
                recalls.reweighted(weights), episodic=fit.kind == "episodic", lam=fit.lam,
                start=fit,
            )  # fmt: skip
            rows.append(_statistics(usual_sample(refit), refit, weights, cuts))
        except (InvalidOptionError, FloatingPointError, ValueError, np.linalg.LinAlgError):
            failed += 1
            rows.append(np.full(len(estimate), np.nan))
    table = np.array(rows).reshape(plan.count, len(estimate))

    def at(i: int) -> Estimate:
        value = float(estimate[i])
        if not np.isfinite(value):
            return Estimate(None)
        se = standard_error(plan, value, table[:, i]) if plan.count else None
        return Estimate(value, se)

    names = list(cuts)
    offset = 1 + len(PERCENTILES)
    m = len(sample)
    curve = np.interp(np.array(PLOT_PERCENTILES) / 100.0, (np.arange(m) + 0.5) / m, sample)
    return UsualDistribution(
        fit=fit,
        mean=at(0),
        percentiles={p: at(1 + i) for i, p in enumerate(PERCENTILES)},
        prevalence={name: at(offset + i) for i, name in enumerate(names)},
        cut_persons={
            name: int(np.sum(np.isfinite(values) & (recalls.weight > 0)))
            for name, (values, _) in cuts.items()
        },
        curve=tuple(float(v) for v in curve),
        replicates=plan.count,
        failed_replicates=failed,
    )
