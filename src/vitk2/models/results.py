"""Values the supplement simulation returns (kept apart from the model so that
plotting and the CLI depend only on these shapes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["FORMS", "Form", "PopulationResult", "SimulationResult", "StatusEstimate"]

Form = Literal["k1", "mk4", "mk7"]
FORMS: Final[tuple[Form, ...]] = ("k1", "mk4", "mk7")
Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class StatusEstimate:
    """A predicted % change of a status marker, with its range; ``value`` is None
    when the dose or duration lies outside what the trials covered (``note`` says
    why) or the form has no fitted model."""

    value: float | None
    low: float | None
    high: float | None
    note: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class SimulationResult:
    """One regimen simulated for a typical person, with a band from the parameter
    ranges. Concentrations are the rise above baseline, in nmol/L."""

    form: Form
    dose_ug: float
    interval_h: float
    days: int
    t_h: Array = field(repr=False)
    conc_nmol_l: Array = field(repr=False)
    low: Array = field(repr=False)
    high: Array = field(repr=False)
    tmax_h: float | None
    steady_state_day: float | None
    accumulation_ratio: float | None
    status: dict[str, StatusEstimate] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    comparison: dict[str, float] | None = None  # e.g. MK-7 vs K1 at the same daily dose


@dataclass(frozen=True, slots=True, eq=False)
class PopulationResult:
    """N virtual subjects: percentiles of the concentration at each time point."""

    form: Form
    subjects: int
    t_h: Array = field(repr=False)
    percentiles: dict[int, Array] = field(repr=False)  # e.g. {5: …, 50: …, 95: …}
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
