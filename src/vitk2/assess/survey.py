"""Survey weights and replicate weights for standard errors (NumPy only).

A complex survey (NHANES) samples primary sampling units (PSUs) within design strata.
Standard errors of any statistic come from recomputing it with replicate weights:

* **BRR** (balanced repeated replication, with Fay's factor ``k``; NHANES and NCI use
  ``k = 0.3``): each replicate keeps one PSU of every design stratum at weight ×(2 − k)
  and the other at ×k, the halves chosen by the rows of a Hadamard matrix, so the
  replicates are balanced. It needs exactly two PSUs in every design stratum.
  ``variance = Σ (θ_r − θ)² / (R (1 − k)²)``.
* **Bootstrap** (Rao-Wu rescaling): each replicate draws ``n_h − 1`` of the ``n_h``
  PSUs of a design stratum with replacement and rescales their weights by
  ``n_h / (n_h − 1)`` × the times drawn. Works with any number (≥ 2) of PSUs per
  stratum; without design information every person is a PSU of one stratum.
  ``variance = Σ (θ_r − θ̄)² / R``.

>>> hadamard(4)
array([[ 1,  1,  1,  1],
       [ 1, -1,  1, -1],
       [ 1,  1, -1, -1],
       [ 1, -1, -1,  1]])
>>> plan = replicate_weights(np.ones(4), strata=np.array([1, 1, 2, 2]),
...                          psu=np.array([1, 2, 1, 2]), method="brr")
>>> plan.weights.shape, plan.method, round(plan.factor, 4)
((4, 4), 'brr', 0.5102)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from vitk2.errors import InvalidOptionError

__all__ = [
    "FAY_FACTOR",
    "SE_METHODS",
    "ReplicatePlan",
    "SeMethod",
    "hadamard",
    "replicate_weights",
    "standard_error",
    "weighted_quantiles",
]

FloatArray = npt.NDArray[np.float64]
SeMethod = Literal["brr", "bootstrap", "none"]
SE_METHODS: Final[tuple[SeMethod, ...]] = ("brr", "bootstrap", "none")
#: Fay's factor of NHANES and NCI BRR: the "other" half keeps 30 % of its weight.
FAY_FACTOR: Final = 0.3


def hadamard(order: int) -> npt.NDArray[np.int64]:
    """A Hadamard matrix of ``order`` (a power of two; Sylvester's construction)."""
    if order < 1 or order & (order - 1):
        raise InvalidOptionError(f"a Hadamard matrix order must be a power of 2, got {order}.")
    matrix = np.ones((1, 1), dtype=np.int64)
    while matrix.shape[0] < order:
        matrix = np.block([[matrix, matrix], [matrix, -matrix]])
    return matrix


@dataclass(frozen=True, slots=True)
class ReplicatePlan:
    """Replicate weights (one row per replicate, one column per person) and how their
    spread becomes a variance: ``factor`` × Σ (θ_r − centre)², where the centre is the
    full-sample estimate for BRR and the replicates' mean for the bootstrap."""

    weights: FloatArray
    method: SeMethod
    factor: float

    @property
    def count(self) -> int:
        return int(self.weights.shape[0])


def _codes(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    _, inverse = np.unique(np.asarray(values), return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


def replicate_weights(
    weights: FloatArray,
    *,
    strata: npt.ArrayLike | None = None,
    psu: npt.ArrayLike | None = None,
    method: SeMethod = "bootstrap",
    replicates: int = 32,
    seed: int = 20111,
) -> ReplicatePlan:
    """Replicate weights for persons with survey ``weights``, design ``strata`` and
    ``psu`` (both None: every person is a PSU of one stratum). ``replicates`` is the
    bootstrap's count; BRR uses the smallest Hadamard order ≥ the number of strata."""
    n = len(weights)
    if method == "none":
        return ReplicatePlan(np.zeros((0, n)), "none", 0.0)
    if (strata is None) != (psu is None):
        raise InvalidOptionError("Give both the design strata and the PSUs, or neither.")
    stratum = np.zeros(n, dtype=np.int64) if strata is None else _codes(strata)
    unit = np.arange(n, dtype=np.int64) if psu is None else _codes(psu)
    if method == "brr":
        return _brr(weights, stratum, unit)
    if method == "bootstrap":
        return _bootstrap(weights, stratum, unit, replicates, seed)
    raise InvalidOptionError(f"Unknown --se {method!r}: expected one of {', '.join(SE_METHODS)}.")


def _brr(
    weights: FloatArray, stratum: npt.NDArray[np.int64], unit: npt.NDArray[np.int64]
) -> ReplicatePlan:
    n_strata = int(stratum.max()) + 1 if len(stratum) else 0
    half = np.zeros(len(weights), dtype=np.int64)
    for h in range(n_strata):
        units = np.unique(unit[stratum == h])
        if len(units) != 2:
            raise InvalidOptionError(
                f"BRR needs exactly 2 PSUs in every design stratum; one has {len(units)}. "
                "Use --se bootstrap."
            )
        half[(stratum == h) & (unit == units[1])] = 1
    order = 2  # columns 1 … H of a Hadamard matrix of order > H (column 0 is all ones)
    while order < n_strata + 1:
        order *= 2
    signs = hadamard(order)[:, 1 : n_strata + 1]
    first = signs[:, stratum] == 1  # replicate x person: the PSU kept at full weight
    keep = np.where(half == 0, first, ~first)
    factors = np.where(keep, 2.0 - FAY_FACTOR, FAY_FACTOR)
    return ReplicatePlan(
        factors * weights, "brr", 1.0 / (order * (1.0 - FAY_FACTOR) ** 2)
    )  # fmt: skip


def _bootstrap(
    weights: FloatArray,
    stratum: npt.NDArray[np.int64],
    unit: npt.NDArray[np.int64],
    replicates: int,
    seed: int,
) -> ReplicatePlan:
    if replicates < 2:
        raise InvalidOptionError(f"--replicates must be at least 2, got {replicates}.")
    rng = np.random.default_rng(seed)
    out = np.empty((replicates, len(weights)))
    for h in np.unique(stratum):
        members = np.flatnonzero(stratum == h)
        units, local = np.unique(unit[members], return_inverse=True)
        n_h = len(units)
        if n_h < 2:
            raise InvalidOptionError(
                "A design stratum has a single PSU; its variance cannot be estimated. "
                "Merge it with another stratum or leave out --strata/--psu columns."
            )
        draws = rng.integers(0, n_h, size=(replicates, n_h - 1))
        counts = np.stack([np.bincount(row, minlength=n_h) for row in draws])
        scale = counts * (n_h / (n_h - 1.0))
        out[:, members] = scale[:, local] * weights[members]
    return ReplicatePlan(out, "bootstrap", 1.0 / replicates)


def standard_error(plan: ReplicatePlan, estimate: float, replicates: FloatArray) -> float | None:
    """The standard error of ``estimate`` from its ``replicates`` (None when there are
    no replicates, or a replicate could not be computed)."""
    if plan.count == 0 or not np.all(np.isfinite(replicates)):
        return None
    centre = estimate if plan.method == "brr" else float(np.mean(replicates))
    return float(np.sqrt(plan.factor * np.sum((replicates - centre) ** 2)))


def weighted_quantiles(
    values: FloatArray, weights: FloatArray, probabilities: FloatArray
) -> FloatArray:
    """Quantiles of ``values`` with ``weights`` (midpoint plotting positions, linear
    between them)."""
    order = np.argsort(values, kind="stable")
    x, w = values[order], weights[order]
    total = w.sum()
    positions = (np.cumsum(w) - w / 2.0) / total
    return np.interp(probabilities, positions, x)
