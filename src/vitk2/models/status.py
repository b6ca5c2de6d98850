"""Status model: predicted % change of dp-ucMGP and ucOC with MK-7 daily dose and duration.

Equation (one fitted parameter per marker and population)::

    change_pct(D, t) = −Emax · D / (ED50 + D) · (1 − exp(−t / τ))

``D`` is the mean MK-7 dose in µg/day, ``t`` the duration in weeks. ``Emax`` is fixed at
100 % (a concentration cannot fall by more than all of it; Dalmeijer 2012's two doses
alone imply 89 % for dp-ucMGP and 97 % for the ucOC:cOC ratio at 12 weeks). ``τ`` is not
identifiable (each duration comes from a different trial), so it is fixed at the approach
to steady state of plasma MK-7 (τ = 68 h / ln 2, record 3, secondary), with an upper value
for the band: the τ that the marker's own trials fit best if the whole gap between short
and long trials were a time effect (never below the lower value). ``ED50`` is fitted by
:func:`scipy.optimize.least_squares`, every trial arm weighted equally. ``low``/``high``
are the envelope of the predictions of the fits to every non-empty subset of the trials
(the full fit, each leave-one-trial-out refit, …), each at τ low and τ high.

Every data point is read from one record of the evidence base (see :data:`USED` and
:func:`data_points`); records not fitted are listed in :data:`EXCLUDED` with the reason.
The model is for MK-7 only.

>>> est = predict("dp_ucmgp", 180, 12)
>>> est.value is not None and est.low <= est.value <= est.high < 0
True
>>> predict("dp_ucmgp", 100, 12).value is None  # below the lowest dose a trial used
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from typing import Final, Literal

import numpy as np

from vitk2.errors import DataError, InvalidOptionError
from vitk2.evidence.records import EvidenceRecord, Reliability, load_evidence
from vitk2.models.parameters import Parameter
from vitk2.models.results import StatusEstimate

__all__ = [
    "EMAX_PCT",
    "EXCLUDED",
    "EXTRAPOLATION_HINT",
    "JSON_KEYS",
    "MARKERS",
    "POPULATIONS",
    "USED",
    "Comparison",
    "DataPoint",
    "Domain",
    "Exclusion",
    "FitReport",
    "Marker",
    "Parameter",
    "Population",
    "TrialRow",
    "Use",
    "change_pct",
    "data_points",
    "fit_report",
    "predict",
    "tau_range_weeks",
]

#: How a refused estimate's note says to extrapolate (the CLI names its option instead).
EXTRAPOLATION_HINT: Final = "pass allow_extrapolation=True to extrapolate"

Marker = Literal["dp_ucmgp", "ucoc"]
Population = Literal["general", "haemodialysis"]
Comparison = Literal["vs_baseline", "vs_placebo", "single_arm", "pre_post"]
MARKERS: Final[tuple[Marker, ...]] = ("dp_ucmgp", "ucoc")
POPULATIONS: Final[tuple[Population, ...]] = ("general", "haemodialysis")
JSON_KEYS: Final[dict[Marker, str]] = {
    "dp_ucmgp": "dp_ucmgp_change_pct",
    "ucoc": "ucoc_change_pct",
}
EMAX_PCT: Final = 100.0  # structural assumption: a fall cannot exceed 100 %
_WEEKS_PER: Final[dict[str, float]] = {"wk": 1.0, "mo": 365.25 / 12 / 7, "y": 365.25 / 7}
_THRICE_WEEKLY: Final = 3 / 7  # three doses a week spread over seven days
_HALF_LIFE_RECORD: Final = (3, "agingwiki_vitk2")  # MK-7 serum half-life, 68 h, secondary


@dataclass(frozen=True, slots=True)
class Use:
    """How one evidence record enters the fit (a judgement, no numbers: those are read
    from the record itself)."""

    index: int
    source_key: str
    marker: Marker
    population: Population
    comparison: Comparison
    note: str


USED: Final[tuple[Use, ...]] = (
    Use(24, "dalmeijer2012", "dp_ucmgp", "general", "vs_baseline", "placebo unchanged"),
    Use(25, "dalmeijer2012", "dp_ucmgp", "general", "vs_baseline", "placebo unchanged"),
    Use(28, "knapen2015", "dp_ucmgp", "general", "vs_placebo", "difference from placebo"),
    Use(26, "dalmeijer2012", "ucoc", "general", "vs_baseline", "ucOC:cOC ratio, not ucOC"),
    Use(27, "dalmeijer2012", "ucoc", "general", "vs_baseline", "ucOC:cOC ratio, not ucOC"),
    Use(29, "knapen2013", "ucoc", "general", "vs_baseline",
        "ucOC itself; MK-7 arm −50 % (value's first figure), placebo +4 %; blog source"),
    Use(30, "caluwe2014", "dp_ucmgp", "haemodialysis", "vs_baseline", "no placebo arm"),
    Use(31, "caluwe2014", "dp_ucmgp", "haemodialysis", "vs_baseline", "no placebo arm"),
    Use(32, "caluwe2014", "dp_ucmgp", "haemodialysis", "vs_baseline", "no placebo arm"),
    Use(33, "hd2011_singlearm", "dp_ucmgp", "haemodialysis", "single_arm", "review table"),
    Use(34, "aoun2017", "dp_ucmgp", "haemodialysis", "pre_post", "review table"),
)  # fmt: skip

_BOTH: Final[tuple[Marker, ...]] = MARKERS
EXCLUDED: Final[tuple[tuple[int, str, tuple[Marker, ...], str], ...]] = (
    (35, "ktx2017_singlearm", ("dp_ucmgp",),
     "kidney transplant recipients: one single-arm trial, too few to fit; shown, not fitted"),
    (36, "kurnatowska2015", _BOTH,
     "dp-ucMGP and OC fell but no % in the abstract; MK-7 combined with vitamin D3; CKD 3-5"),
    (37, "inaba2015", ("ucoc",), "no number ('significant at >=100 ug/d; not at 50 ug/d')"),
    (38, "emaus2010", ("ucoc",), "no number ('ucOC down, cOC up (p<0.001)')"),
    (39, "diederichsen2022", ("dp_ucmgp",),
     "absolute change in pmol/L without a baseline; MK-7 combined with vitamin D"),
    (40, "devries2025", ("dp_ucmgp",), "no number ('significant')"),
    (41, "naiyarakseree2023", ("dp_ucmgp",), "outcome is arterial stiffness, no status marker"),
    (42, "zwakenberg2019", ("dp_ucmgp",), "dp-ucMGP % change not found in the stored excerpt"),
    (43, "ikari2016", _BOTH, "MK-4, and the outcome is coronary calcium"),
    (44, "jiang2014", ("ucoc",), "MK-4 45 mg/d with calcium, not MK-7"),
    (45, "rasekhi2015", ("ucoc",), "vitamin K1, absolute ng/mL"),
    (48, "theuwissen2013", _BOTH, "subjects on acenocoumarol; no number ('not affected')"),
    (204, "cn_mk7_2020", ("ucoc",), "no number ('ratio up (p<0.001)'); one arm with Ca + D3"),
    (205, "knapen2007", _BOTH, "MK-4, and the outcome is bone density"),
    (210, "theuwissen2012", _BOTH, "dose-finding results not found in any stored page"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DataPoint:
    """One trial arm as fitted: the record's figures, dose as a mean µg/day."""

    marker: Marker
    population: Population
    record_index: int
    source_key: str
    dose_ug_per_day: float
    weeks: float
    change_pct: float
    comparison: Comparison
    population_text: str
    n: int | None
    reliability: Reliability
    dose_text: str
    duration_text: str
    note: str


@dataclass(frozen=True, slots=True)
class TrialRow:
    """Observed vs fitted for one arm, and the prediction of the refit without its trial."""

    point: DataPoint
    fitted_pct: float
    residual_pp: float  # observed − fitted
    loto_pct: float
    loto_error_pp: float  # observed − leave-one-trial-out prediction


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An evidence record about the marker that is not fitted, and why."""

    record_index: int
    source_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class Domain:
    """The doses and durations the fitted trials covered (a bounding box)."""

    min_dose_ug_per_day: float
    max_dose_ug_per_day: float
    min_weeks: float
    max_weeks: float

    def describe(self) -> str:
        """The box in words."""
        return (
            f"MK-7 {self.min_dose_ug_per_day:.0f}–{self.max_dose_ug_per_day:.0f} µg/day "
            f"for {self.min_weeks:.0f}–{self.max_weeks:.0f} weeks"
        )


@dataclass(frozen=True, slots=True)
class FitReport:
    """Everything about one fit, for the docs and the CLI."""

    marker: Marker
    population: Population
    equation: str
    parameters: tuple[Parameter, ...]
    rows: tuple[TrialRow, ...]
    rmse_pp: float
    mae_pp: float
    loto_rmse_pp: float
    loto_mae_pp: float
    excluded: tuple[Exclusion, ...]
    domain: Domain
    sources: tuple[str, ...]
    notes: tuple[str, ...]


def _record(index: int, source_key: str) -> EvidenceRecord:
    records = load_evidence()
    if not 0 <= index < len(records) or records[index].source_key != source_key:
        raise DataError(
            f"evidence record {index} is no longer {source_key}: update vitk2.models.status"
        )
    return records[index]


def _first_number(value: object, index: int) -> float:
    if isinstance(value, int | float):
        return float(value)
    match = re.match(r"\s*([+-]?\d+(?:\.\d+)?)\b", str(value))
    if match is None:
        raise DataError(f"evidence record {index}: no number in value {value!r}")
    return float(match.group(1))


def _point(use: Use) -> DataPoint:
    rec = _record(use.index, use.source_key)
    dose = re.match(r"MK-7 (\d+(?:\.\d+)?) ug(/d| thrice weekly)", rec.dose or "")
    span = re.fullmatch(r"(\d+(?:\.\d+)?) (wk|mo|y)", rec.duration or "")
    marker_word = "MGP" if use.marker == "dp_ucmgp" else "ucOC"
    if dose is None or span is None or rec.unit != "%" or marker_word not in rec.claim:
        raise DataError(f"evidence record {use.index} no longer reads as an MK-7 {marker_word} %")
    thrice = dose.group(2) == " thrice weekly"
    per_day = float(dose.group(1)) * (_THRICE_WEEKLY if thrice else 1.0)
    note = use.note + ("; thrice-weekly dose × 3/7 = mean daily dose" if thrice else "")
    return DataPoint(
        marker=use.marker,
        population=use.population,
        record_index=rec.index,
        source_key=rec.source_key,
        dose_ug_per_day=per_day,
        weeks=float(span.group(1)) * _WEEKS_PER[span.group(2)],
        change_pct=_first_number(rec.value, rec.index),
        comparison=use.comparison,
        population_text=rec.population or "",
        n=rec.n,
        reliability=rec.reliability,
        dose_text=rec.dose or "",
        duration_text=rec.duration or "",
        note=note,
    )


@cache
def data_points(marker: Marker, population: Population = "general") -> tuple[DataPoint, ...]:
    """The fitted trial arms of one marker and population, read from their records."""
    return tuple(_point(u) for u in USED if u.marker == marker and u.population == population)


def change_pct(dose_ug_per_day: float, weeks: float, ed50_ug: float, tau_weeks: float) -> float:
    """The model equation (Emax fixed at :data:`EMAX_PCT`)."""
    reach = -math.expm1(-weeks / tau_weeks)
    return -EMAX_PCT * dose_ug_per_day / (ed50_ug + dose_ug_per_day) * reach


def _fit(
    points: tuple[DataPoint, ...], tau_weeks: float, *, free_tau: bool = False
) -> tuple[float, float]:
    """Least-squares ED50 (and τ if ``free_tau``), fitted on log scales; returns (ED50, τ)."""
    from scipy.optimize import least_squares  # type: ignore[import-untyped, unused-ignore]

    dose = np.array([p.dose_ug_per_day for p in points])
    weeks = np.array([p.weeks for p in points])
    observed = np.array([p.change_pct for p in points])

    def residuals(theta: np.ndarray) -> np.ndarray:
        ed50 = np.exp(theta[0])
        tau = np.exp(theta[1]) if free_tau else tau_weeks
        model = -EMAX_PCT * dose / (ed50 + dose) * -np.expm1(-weeks / tau)
        return np.asarray(model - observed, dtype=np.float64)

    lower = [0.0, math.log(tau_weeks)] if free_tau else [0.0]
    upper = [math.log(1e5), math.log(520.0)] if free_tau else [math.log(1e5)]
    starts = [[math.log(200.0), math.log(tau_weeks * f)] for f in (1.01, 8, 50)]
    results = [least_squares(residuals, x0 if free_tau else x0[:1], bounds=(lower, upper))
               for x0 in (starts if free_tau else starts[:1])]  # fmt: skip
    best = min(results, key=lambda r: float(r.cost)).x
    return float(np.exp(best[0])), float(np.exp(best[1])) if free_tau else tau_weeks


@cache
def tau_range_weeks(marker: Marker, population: Population = "general") -> tuple[float, float]:
    """(τ low = central, τ high) in weeks. Low: plasma MK-7's approach to steady state
    (half-life / ln 2). High: the τ this marker's trials fit best with ED50 (all of the gap
    between short and long trials read as time), never below low."""
    _check(marker, population)
    if not data_points(marker, population):
        raise InvalidOptionError(f"no trial measured {marker} in the {population} population")
    half_life = _record(*_HALF_LIFE_RECORD)
    if half_life.unit != "h":
        raise DataError(f"evidence record {half_life.index}: half-life unit is not h")
    half_life_h = _first_number(half_life.value, half_life.index)
    tau_pk = half_life_h / math.log(2) / 168.0
    return tau_pk, _fit(data_points(marker, population), tau_pk, free_tau=True)[1]


def _trials(points: tuple[DataPoint, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.source_key for p in points))


@cache
def _fits(marker: Marker, population: Population) -> tuple[tuple[float, float], ...]:
    """(ED50, τ) of the full fit (first) and of the fit to every other non-empty subset of
    the trials, each at τ low and high: the set whose predictions span low–high."""
    points = data_points(marker, population)
    trials = _trials(points)
    subsets = [
        tuple(p for p in points if p.source_key in chosen)
        for k in range(len(trials), 0, -1)
        for chosen in combinations(trials, k)
    ]
    return tuple(
        (_fit(s, tau)[0], tau)
        for tau in dict.fromkeys(tau_range_weeks(marker, population))
        for s in subsets
    )


def _rms(values: list[float]) -> float:
    return math.sqrt(sum(v * v for v in values) / len(values))


@cache
def fit_report(marker: Marker, population: Population = "general") -> FitReport:
    """The fit of one marker in one population: parameters, per-arm rows with their
    leave-one-trial-out prediction, summary errors, exclusions and domain."""
    _check(marker, population)
    points = data_points(marker, population)
    if not points:
        raise InvalidOptionError(f"no trial measured {marker} in the {population} population")
    tau_low, tau_high = tau_range_weeks(marker, population)
    fits = _fits(marker, population)
    ed50 = fits[0][0]
    rows = []
    for p in points:
        rest = tuple(q for q in points if q.source_key != p.source_key)
        fitted = change_pct(p.dose_ug_per_day, p.weeks, ed50, tau_low)
        loto = change_pct(p.dose_ug_per_day, p.weeks, _fit(rest, tau_low)[0], tau_low)
        rows.append(TrialRow(p, fitted, p.change_pct - fitted, loto, p.change_pct - loto))
    doses = [p.dose_ug_per_day for p in points]
    weeks = [p.weeks for p in points]
    half_life = _record(*_HALF_LIFE_RECORD)
    parameters = (
        Parameter("ED50", ed50, min(f[0] for f in fits), max(f[0] for f in fits), "µg/day",
                  tuple(dict.fromkeys(p.source_key for p in points)), "",
                  "least squares, every arm weighted equally; range = fits to every "
                  "subset of the trials at τ low and high", fitted=True),
        Parameter("Emax", EMAX_PCT, EMAX_PCT, EMAX_PCT, "%", (), "",
                  "assumption: the ceiling of a fall; a free fit runs to this bound or "
                  "puts ED50 below the lowest dose tested"),
        Parameter("tau", tau_low, tau_low, tau_high, "weeks", (half_life.source_key,),
                  half_life.reliability,
                  f"not identifiable; central = {half_life.value} h MK-7 half-life / ln 2 "
                  f"(record {half_life.index}, {half_life.source_key}, "
                  f"{half_life.reliability}); high = τ fitted with ED50 to these arms "
                  "(the gap between short and long trials read as time), never below"),
    )  # fmt: skip
    excluded = [Exclusion(i, key, why) for i, key, ms, why in EXCLUDED if marker in ms]
    for item in excluded:
        _record(item.record_index, item.source_key)  # the list still matches the file
    if population == "general":
        excluded += [
            Exclusion(u.index, u.source_key, "haemodialysis: fitted on its own "
                      "(population='haemodialysis'); far higher baseline dp-ucMGP")
            for u in USED if u.marker == marker and u.population == "haemodialysis"
        ]  # fmt: skip
    notes = (
        "MK-7 only; doses as mean µg/day; low/high = envelope of the fits to every subset "
        "of the trials at τ low and high.",
        "Comparisons mixed: " + ", ".join(sorted({p.comparison for p in points})) + ".",
    )
    return FitReport(
        marker=marker,
        population=population,
        equation="change_pct = -Emax * D / (ED50 + D) * (1 - exp(-t / tau))",
        parameters=parameters,
        rows=tuple(rows),
        rmse_pp=_rms([r.residual_pp for r in rows]),
        mae_pp=sum(abs(r.residual_pp) for r in rows) / len(rows),
        loto_rmse_pp=_rms([r.loto_error_pp for r in rows]),
        loto_mae_pp=sum(abs(r.loto_error_pp) for r in rows) / len(rows),
        excluded=tuple(excluded),
        domain=Domain(min(doses), max(doses), min(weeks), max(weeks)),
        sources=_trials(points),
        notes=notes,
    )


def _check(marker: str, population: str) -> None:
    if marker not in MARKERS:
        raise InvalidOptionError(f"unknown marker {marker!r}: expected one of {MARKERS}")
    if population not in POPULATIONS:
        raise InvalidOptionError(f"unknown population {population!r}: expected {POPULATIONS}")


def predict(
    marker: Marker,
    dose_ug_per_day: float,
    weeks: float,
    *,
    population: Population = "general",
    allow_extrapolation: bool = False,
) -> StatusEstimate:
    """Predicted % change of a marker after ``weeks`` of MK-7 at ``dose_ug_per_day``.

    Outside the doses and durations the fitted trials covered the value is None and the
    note gives the covered range, unless ``allow_extrapolation`` (then the note says
    "extrapolated beyond …"). ``low``/``high`` are numerically ordered (low = larger fall).
    """
    _check(marker, population)
    if not (dose_ug_per_day > 0 and weeks > 0):
        raise InvalidOptionError("dose_ug_per_day and weeks must be positive")
    if not data_points(marker, population):
        return StatusEstimate(None, None, None, f"no trial measured {marker} in {population}")
    report = fit_report(marker, population)
    box, eps = report.domain, 1e-9
    inside = box.min_dose_ug_per_day * (1 - eps) <= dose_ug_per_day <= box.max_dose_ug_per_day * (
        1 + eps
    ) and box.min_weeks * (1 - eps) <= weeks <= box.max_weeks * (1 + eps)
    covered = f"the trials covered: {box.describe()} ({population})"
    if not inside and not allow_extrapolation:
        note = f"outside what {covered}; {EXTRAPOLATION_HINT}"
        return StatusEstimate(None, None, None, note, report.sources)
    values = [change_pct(dose_ug_per_day, weeks, e, tau) for e, tau in _fits(marker, population)]
    tau = report.parameters[2]
    tau_text = f"{tau.low:.1f}" + (f"–{tau.high:.1f}" if tau.high > tau.low * 1.01 else "")
    note = (
        f"MK-7 Emax model fitted to {len(report.rows)} trial arms "
        f"({', '.join(report.sources)}); leave-one-trial-out error {report.loto_rmse_pp:.0f} pp "
        f"RMS; range = fits to every subset of the trials, τ {tau_text} weeks"
    )
    if not inside:
        note = f"extrapolated beyond what {covered}; " + note
    if marker == "ucoc":
        note += "; mixes the ucOC:cOC ratio (dalmeijer2012) with ucOC (knapen2013)"
    if population == "haemodialysis":
        note += "; the haemodialysis trials disagree widely: research use only"
    return StatusEstimate(values[0], min(values), max(values), note, report.sources)
