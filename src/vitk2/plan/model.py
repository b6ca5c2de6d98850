"""The plan as a mixed-integer linear programme (SciPy `milp`, HiGHS): choose at
most one option per food (an amount in household units and how often a week), at
most one food of each kind and one product per supplement kind, so that every
nutrient bound holds at the lowest cost (docs/plan.md, "The model").

An *option* adds a fixed amount a day (its weekly amount over 7) of every column;
the bounds are on what the chosen options add. Binary variables only: one per option.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
    Bounds,
    LinearConstraint,
    milp,
)

__all__ = ["Bound", "Option", "Problem", "Solution", "solve"]

#: HiGHS stops after this long and keeps its best plan (said in the explanation).
TIME_LIMIT_S: Final = 1.5
#: Relative gap at which HiGHS may stop: the costs are preferences, not money.
MIP_GAP: Final = 1e-3
Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Option:
    """One way to add a food or supplement: ``units`` per occasion, ``times`` a week
    (7 = daily); ``group`` names what at most one option may be chosen of (a food id,
    or a supplement kind), and so does ``family`` (a kind of food: one milk, one
    cheese); ``per_day`` what it adds a day, by column."""

    group: str
    ref: str
    units: int
    times: int
    per_day: Array = field(repr=False)
    cost: float
    family: str | None = None


@dataclass(frozen=True, slots=True)
class Bound:
    """What the chosen options may add a day to one column: at least ``low``, at most
    ``high`` (None: no bound)."""

    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    columns: tuple[str, ...]
    options: tuple[Option, ...]
    bounds: Mapping[str, Bound]

    def matrix(self) -> Array:
        if not self.options:
            return np.zeros((0, len(self.columns)))
        return np.vstack([o.per_day for o in self.options])

    def with_bounds(self, **changes: Bound | None) -> Problem:
        """The problem with some bounds replaced (None drops one)."""
        bounds = dict(self.bounds)
        for key, bound in changes.items():
            if bound is None:
                bounds.pop(key, None)
            else:
                bounds[key] = bound
        return Problem(self.columns, self.options, bounds)

    def without(self, groups: frozenset[str]) -> Problem:
        kept = tuple(o for o in self.options if o.group not in groups)
        return Problem(self.columns, kept, self.bounds)


@dataclass(frozen=True, slots=True)
class Solution:
    """The chosen options (indices into `Problem.options`), what they add a day, and
    whether HiGHS proved the plan optimal (False: stopped at the time limit)."""

    chosen: tuple[int, ...]
    added: Mapping[str, float]
    cost: float
    optimal: bool


def solve(problem: Problem, *, objective: Array | None = None) -> Solution | None:
    """The cheapest choice meeting every bound (or, with ``objective``, the choice
    minimising it), None when no choice meets them."""
    n = len(problem.options)
    a = problem.matrix()
    costs = np.array([o.cost for o in problem.options]) if objective is None else objective
    constraints = []
    rows: list[Array] = []
    lower: list[float] = []
    upper: list[float] = []
    for key, bound in problem.bounds.items():
        column = a[:, problem.columns.index(key)] if n else np.zeros(0)
        if bound.low is None and bound.high is None:
            continue
        if n == 0:
            if (bound.low or 0.0) > 1e-9 or (bound.high is not None and bound.high < -1e-9):
                return None
            continue
        rows.append(column)
        lower.append(-np.inf if bound.low is None else bound.low)
        upper.append(np.inf if bound.high is None else bound.high)
    if n == 0:
        return Solution((), dict.fromkeys(problem.columns, 0.0), 0.0, True)
    groups: dict[str, list[int]] = {}
    for i, option in enumerate(problem.options):
        groups.setdefault(option.group, []).append(i)
        if option.family is not None:
            groups.setdefault(f"family:{option.family}", []).append(i)
    for members in groups.values():
        if len(members) > 1:
            row = np.zeros(n)
            row[members] = 1.0
            rows.append(row)
            lower.append(0.0)
            upper.append(1.0)
    if rows:
        constraints.append(LinearConstraint(np.vstack(rows), np.array(lower), np.array(upper)))
    result = milp(
        costs,
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"time_limit": TIME_LIMIT_S, "mip_rel_gap": MIP_GAP},
    )
    if result.x is None:
        return None
    x = np.round(result.x)
    chosen = tuple(int(i) for i in np.flatnonzero(x > 0.5))
    added = {key: float(a[list(chosen), j].sum()) for j, key in enumerate(problem.columns)}
    return Solution(chosen, added, float(costs @ x), result.status == 0)


def maximum(problem: Problem, key: str) -> float | None:
    """The most the options can add a day of ``key`` under the other bounds (its own
    lower bound dropped), None when even that is infeasible."""
    relaxed = problem.with_bounds(**{key: _upper_only(problem.bounds.get(key))})
    if not relaxed.options:
        return 0.0 if solve(relaxed) is not None else None
    column = relaxed.matrix()[:, relaxed.columns.index(key)]
    found = solve(relaxed, objective=-column)
    return None if found is None else found.added[key]


def _upper_only(bound: Bound | None) -> Bound | None:
    if bound is None or bound.high is None:
        return None
    return Bound(None, bound.high)


def column_sums(problem: Problem, chosen: Sequence[int]) -> dict[str, float]:
    a = problem.matrix()
    return {key: float(a[list(chosen), j].sum()) for j, key in enumerate(problem.columns)}
