"""A supplement regimen as one document: the simulation, the status estimate and the
parameters behind them, in the JSON shape of ``vitk2 supplement simulate --json``.

The CLI and the web API both build their answer here, so the same regimen gives the
same numbers everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Final, Literal

from vitk2.errors import InvalidOptionError
from vitk2.models.pk import parameters, population, simulate
from vitk2.models.results import PopulationResult, SimulationResult, StatusEstimate
from vitk2.models.status import EXTRAPOLATION_HINT, predict

__all__ = [
    "parse_interval",
    "population_document",
    "simulate_regimen",
    "simulation_document",
]

_INTERVAL: Final = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|d|days?|w|weeks?)\s*$", re.IGNORECASE
)
_STATUS_NAMES: Final[dict[Literal["dp_ucmgp", "ucoc"], str]] = {
    "dp_ucmgp": "dp_ucmgp_change_pct",
    "ucoc": "ucoc_change_pct",
}


def parse_interval(text: str) -> float:
    """'24h', '12 h', '2d', '1w' -> hours.

    >>> parse_interval("2d")
    48.0
    """
    match = _INTERVAL.match(text)
    if match is None:
        raise InvalidOptionError(
            f"--every {text!r}: write a number and h, d or w, e.g. '24h', '12h', '2d' or '1w'."
        )
    factor = {"h": 1.0, "d": 24.0, "w": 168.0}[match.group(2)[0].lower()]
    return float(match.group(1)) * factor


def _rounded(values: Iterable[Any], digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


def _status_json(estimate: StatusEstimate) -> dict[str, Any]:
    note = estimate.note
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "note": None
        if note is None
        else note.replace(EXTRAPOLATION_HINT, "add --allow-extrapolation to extrapolate"),
        "sources": list(estimate.sources),
    }


def _parameters_json(form: str) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name, "value": round(p.value, 6), "low": round(p.low, 6),
            "high": round(p.high, 6), "unit": p.unit, "sources": list(p.sources),
            "reliability": p.reliability, "how": p.how,
        }
        for p in parameters(form).all
    ]  # fmt: skip


def _status(form: str, daily_ug: float, weeks: float, allow: bool) -> dict[str, StatusEstimate]:
    if form != "mk7":
        note = "the status model is fitted to MK-7 trials only"
        return {name: StatusEstimate(None, None, None, note) for name in _STATUS_NAMES.values()}
    return {
        name: predict(marker, daily_ug, weeks, allow_extrapolation=allow)
        for marker, name in _STATUS_NAMES.items()
    }


def simulate_regimen(
    form: str,
    dose_ug: float,
    *,
    interval_h: float = 24.0,
    days: int = 84,
    skip_doses: Iterable[int] = (),
    background_ug_per_day: float = 0.0,
    allow_extrapolation: bool = False,
) -> SimulationResult:
    """The regimen simulated, with the predicted status change attached (MK-7 only;
    other forms get a note). ``skip_doses`` counts from 0."""
    skipped = list(skip_doses)
    if any(n < 0 for n in skipped):
        raise InvalidOptionError("--skip counts doses from 1.")
    plain = simulate(
        form, dose_ug, interval_h=interval_h, days=days, skip_doses=skipped,
        background_ug_per_day=background_ug_per_day,
    )  # fmt: skip
    status = _status(form, dose_ug * 24 / interval_h, days / 7, allow_extrapolation)
    return replace(plain, status=status)


def simulation_document(
    result: SimulationResult, *, background_ug_per_day: float = 0.0
) -> dict[str, Any]:
    """The JSON document of a simulated regimen (`vitk2 supplement simulate --json`)."""
    return {
        "form": result.form,
        "dose_ug": result.dose_ug,
        "interval_h": result.interval_h,
        "days": result.days,
        "t_h": _rounded(result.t_h, 2),
        "conc_nmol_l": _rounded(result.conc_nmol_l),
        "low": _rounded(result.low),
        "high": _rounded(result.high),
        "tmax_h": None if result.tmax_h is None else round(result.tmax_h, 2),
        "steady_state_day": result.steady_state_day,
        "accumulation_ratio": (
            None if result.accumulation_ratio is None else round(result.accumulation_ratio, 3)
        ),
        "status": {name: _status_json(s) for name, s in result.status.items()},
        "comparison": result.comparison,
        "background_ug_per_day": background_ug_per_day,
        "parameters": _parameters_json(result.form),
        "sources": list(
            dict.fromkeys(
                [*result.sources, *(k for st in result.status.values() for k in st.sources)]
            )
        ),
        "notes": list(result.notes),
    }


def population_document(
    form: str,
    dose_ug: float,
    *,
    interval_h: float,
    days: int,
    subjects: int,
    seed: int = 0,
) -> tuple[PopulationResult, dict[str, Any]]:
    """N virtual people on the regimen, and its JSON document
    (`vitk2 supplement simulate --population N --json`)."""
    result = population(
        form, dose_ug, interval_h=interval_h, days=days, subjects=subjects, seed=seed
    )
    document = {
        "form": result.form,
        "dose_ug": dose_ug,
        "interval_h": interval_h,
        "days": days,
        "subjects": result.subjects,
        "t_h": _rounded(result.t_h, 2),
        "percentiles": {str(q): _rounded(v) for q, v in result.percentiles.items()},
        "sources": list(result.sources),
        "notes": list(result.notes),
    }
    return result, document
