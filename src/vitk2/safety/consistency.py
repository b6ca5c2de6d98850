"""Vitamin K consistency for people on a vitamin K antagonist: weekly and rolling
seven-day intake of K1 and MK-7 against the person's own baseline, with INR
readings alongside.

A *window* is a calendar week (Monday to Sunday, clipped to the period) or the
seven days ending on a logged day (rolling). Its intake is the mean over its
logged days: an unlogged day is missing, not zero, so a window needs
``min_window_days`` logged days to be assessed. Its *baseline* is the mean over
the logged days of the ``baseline_days`` before the window (or of a period the
user chooses), and needs ``min_baseline_days`` logged days.

A window *departs* from the baseline when the change reaches a threshold. The
thresholds and their sources live in ``data/findings.toml`` (rule
``vka-k1-consistency`` and ``vka-mk7-consistency``); see docs/findings.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from vitk2.intake.dates import shift_day

__all__ = [
    "SERIES_KEYS",
    "Consistency",
    "Departure",
    "Thresholds",
    "Window",
    "weekly_consistency",
]

#: The intakes shown per window; K1 and MK-7 are the ones checked.
SERIES_KEYS: Final[tuple[str, ...]] = ("k1_ug", "mk7_ug", "k2_ug", "vitk_ug")
CHECKED_KEYS: Final[tuple[str, ...]] = ("k1_ug", "mk7_ug")
_EPS: Final = 1e-9
WindowStatus = Literal["assessed", "too_few_days", "no_baseline"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a window departs from its baseline (µg/day of the window mean)."""

    k1_change_ug: float
    k1_ratio_high: float
    k1_ratio_low: float
    k1_min_change_ug: float
    mk7_change_ug: float
    min_window_days: int
    baseline_days: int
    min_baseline_days: int


@dataclass(frozen=True, slots=True)
class Departure:
    """One checked intake of a window that departs from its baseline."""

    key: str
    mean_ug: float
    baseline_ug: float
    change_ug: float
    ratio: float | None
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "mean_ug": round(self.mean_ug, 1),
            "baseline_ug": round(self.baseline_ug, 1),
            "change_ug": round(self.change_ug, 1),
            "ratio": None if self.ratio is None else round(self.ratio, 2),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Window:
    """A week or a rolling seven-day window."""

    start: date
    end: date
    logged_days: int
    mean: Mapping[str, float | None]
    incomplete_days: Mapping[str, int]
    baseline: Mapping[str, float | None]
    baseline_days: int
    status: WindowStatus
    departures: tuple[Departure, ...] = ()
    inr: tuple[tuple[date, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "logged_days": self.logged_days,
            "status": self.status,
            "mean_ug": {k: _round(v) for k, v in self.mean.items()},
            "incomplete_days": dict(self.incomplete_days),
            "baseline_ug": {k: _round(v) for k, v in self.baseline.items()},
            "baseline_days": self.baseline_days,
            "departs": [d.key for d in self.departures],
            "departures": [d.as_dict() for d in self.departures],
            "inr": [{"date": d.isoformat(), "inr": v} for d, v in self.inr],
        }


@dataclass(frozen=True, slots=True)
class Consistency:
    """Weekly and rolling windows over a period, with the rules that made them."""

    start: date
    end: date
    thresholds: Thresholds
    baseline_period: tuple[date, date] | None
    weeks: tuple[Window, ...]
    rolling: tuple[Window, ...] = field(repr=False)

    @property
    def departing_weeks(self) -> tuple[Window, ...]:
        return tuple(w for w in self.weeks if w.departures)

    def as_dict(self) -> dict[str, Any]:
        t = self.thresholds
        period = self.baseline_period
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "baseline": (
                {
                    "kind": "trailing",
                    "days": t.baseline_days,
                    "text": f"mean of the logged days in the {t.baseline_days} days before "
                    "each window",
                }
                if period is None
                else {
                    "kind": "fixed",
                    "from": period[0].isoformat(),
                    "to": period[1].isoformat(),
                    "text": f"mean of the logged days from {period[0]} to {period[1]}",
                }
            ),
            "thresholds": {
                "k1_change_ug": t.k1_change_ug,
                "k1_ratio_high": t.k1_ratio_high,
                "k1_ratio_low": t.k1_ratio_low,
                "k1_min_change_ug": t.k1_min_change_ug,
                "mk7_change_ug": t.mk7_change_ug,
                "min_window_days": t.min_window_days,
                "min_baseline_days": t.min_baseline_days,
            },
            "weeks": [w.as_dict() for w in self.weeks],
            "rolling": [w.as_dict() for w in self.rolling],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class _Series:
    """Daily totals of the series keys on logged days, looked up by date."""

    def __init__(
        self,
        days: Sequence[date],
        daily: Mapping[str, Sequence[float]],
        incomplete: Mapping[str, Sequence[bool]],
    ) -> None:
        self.days = tuple(days)
        self.values = {day: {k: float(daily[k][i]) for k in SERIES_KEYS} for i, day in
                       enumerate(self.days)}  # fmt: skip
        self.incomplete = {
            day: {k: bool(incomplete[k][i]) for k in SERIES_KEYS} for i, day in enumerate(days)
        }

    def logged(self, first: date, last: date) -> list[date]:
        return [d for d in self.days if first <= d <= last]

    def mean(self, days: Sequence[date]) -> dict[str, float | None]:
        if not days:
            return dict.fromkeys(SERIES_KEYS)
        return {k: sum(self.values[d][k] for d in days) / len(days) for k in SERIES_KEYS}


def _departure(key: str, mean: float, baseline: float, t: Thresholds) -> Departure | None:
    change = mean - baseline
    ratio = mean / baseline if baseline > 0 else None
    reasons: list[str] = []
    size = abs(change) + _EPS  # sums of floats: 5 x 20 g of a food is 5 times 20 g
    if key == "k1_ug":
        if size >= t.k1_change_ug:
            reasons.append(f"changed by {t.k1_change_ug:g} µg/day or more")
        if size >= t.k1_min_change_ug:
            if ratio is None or ratio + _EPS >= t.k1_ratio_high:
                reasons.append(f"{t.k1_ratio_high:g} times the baseline or more")
            elif ratio - _EPS <= t.k1_ratio_low:
                reasons.append(f"{t.k1_ratio_low:g} times the baseline or less")
    elif key == "mk7_ug" and size >= t.mk7_change_ug:
        reasons.append(f"changed by {t.mk7_change_ug:g} µg/day or more")
    if not reasons:
        return None
    return Departure(key, mean, baseline, change, ratio, tuple(reasons))


def _window(
    series: _Series,
    first: date,
    last: date,
    *,
    baseline_span: tuple[date, date],
    t: Thresholds,
    inr: Sequence[tuple[date, float]],
) -> Window:
    days = series.logged(first, last)
    base_days = series.logged(*baseline_span)
    mean = series.mean(days)
    baseline = series.mean(base_days)
    incomplete = {k: sum(series.incomplete[d][k] for d in days) for k in SERIES_KEYS}
    readings = tuple((d, v) for d, v in inr if first <= d <= last)
    status: WindowStatus = "assessed"
    if len(days) < t.min_window_days:
        status = "too_few_days"
    elif len(base_days) < t.min_baseline_days:
        status = "no_baseline"
    departures: list[Departure] = []
    if status == "assessed":
        for key in CHECKED_KEYS:
            m, b = mean[key], baseline[key]
            assert m is not None and b is not None
            found = _departure(key, m, b, t)
            if found is not None:
                departures.append(found)
    return Window(
        first, last, len(days), mean, incomplete, baseline, len(base_days), status,
        tuple(departures), readings,
    )  # fmt: skip


def weekly_consistency(
    days: Sequence[date],
    daily: Mapping[str, Sequence[float]],
    incomplete: Mapping[str, Sequence[bool]],
    *,
    start: date,
    end: date,
    thresholds: Thresholds,
    baseline_period: tuple[date, date] | None = None,
    inr: Sequence[tuple[date, float]] = (),
) -> Consistency:
    """Weekly and rolling windows between ``start`` and ``end``.

    ``days``/``daily``/``incomplete`` are the logged days with their totals (and
    whether each total misses unknown values) per key of `SERIES_KEYS`; they
    should reach back ``thresholds.baseline_days`` before ``start`` so the first
    windows have a baseline. ``baseline_period`` fixes one baseline for every window.
    """
    series = _Series(days, daily, incomplete)

    def span(first: date) -> tuple[date, date]:
        if baseline_period is not None:
            return baseline_period
        return shift_day(first, -thresholds.baseline_days), shift_day(first, -1)

    weeks = []
    monday = shift_day(start, -start.weekday())
    while monday <= end:
        first, last = max(monday, start), min(shift_day(monday, 6), end)
        weeks.append(_window(series, first, last, baseline_span=span(first), t=thresholds, inr=inr))
        if last >= end:
            break
        monday = shift_day(monday, 7)
    rolling = []
    for day in series.logged(start, end):
        first = shift_day(day, -6)
        window = _window(series, first, day, baseline_span=span(first), t=thresholds, inr=inr)
        rolling.append(window)
    return Consistency(start, end, thresholds, baseline_period, tuple(weeks), tuple(rolling))
