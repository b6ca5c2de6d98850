"""Pharmacokinetics of oral K1, MK-4 and MK-7: a one-compartment model with
first-order absorption and elimination, parameters read from the evidence file.

For one dose D (nmol) at time 0, the rise of the serum concentration above
baseline is

    C(t) = s · D · ka / (ka − ke) · (e^(−ke·t) − e^(−ka·t))

with ke = ln 2 / t½, ka found from the time to peak (tmax = ln(ka/ke) / (ka − ke))
and s = F/V (1/L), the absorbed fraction over the volume of distribution. Any
regimen is the superposition of its doses; `simulate` steps the two-state system
(gut, serum) exactly from grid point to grid point, so skipped doses, irregular
intervals and a background intake need no special case. Every parameter has a
central value and a low–high range with its sources; the band of a simulation is
the envelope over all corners of those ranges.

>>> result = simulate("mk7", 180, interval_h=24, days=28)
>>> round(result.tmax_h, 1), result.steady_state_day
(4.0, 10.0)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt

from vitk2.errors import InvalidOptionError
from vitk2.evidence.records import EvidenceRecord, load_evidence
from vitk2.models.parameters import Parameter
from vitk2.models.results import FORMS, Form, PopulationResult, SimulationResult, StatusEstimate

__all__ = [
    "MAX_PERSON_DAYS",
    "FormParameters",
    "Parameter",
    "ka_from_tmax",
    "parameters",
    "population",
    "simulate",
    "single_dose_curve",
]

Array = npt.NDArray[np.float64]

#: K1 (phylloquinone, C31H46O2) molar mass, g/mol: chemistry, not an evidence figure.
K1_MOLAR_MASS: Final = 450.7
MAX_DAYS: Final = 3650
MAX_DOSE_UG: Final = 100_000.0
#: `population` simulates at most this many people × days: 10,000 people over 10 years,
#: about 16 s of CPU (8 s on 2 idle cores) and 55 MB (docs/benchmarks.md). A million
#: people over 10 years ran for more than 10 minutes.
MAX_PERSON_DAYS: Final = 36_500_000


@dataclass(frozen=True, slots=True)
class FormParameters:
    form: Form
    molar_mass: Parameter
    half_life_h: Parameter
    tmax_h: Parameter
    scale_per_l: Parameter  # s = F/V
    notes: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[Parameter, ...]:
        return (self.molar_mass, self.half_life_h, self.tmax_h, self.scale_per_l)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for p in self.all for s in p.sources))


def ka_from_tmax(tmax_h: float, ke: float) -> float:
    """The absorption rate constant that puts the single-dose peak at ``tmax_h``:
    solves ln(ka/ke)/(ka − ke) = tmax for ka > ke (the left side falls from 1/ke
    towards 0 as ka grows, so the root is unique when 0 < tmax < 1/ke)."""
    if not 0 < tmax_h < 1 / ke:
        raise InvalidOptionError(f"tmax {tmax_h:g} h is impossible with ke {ke:g}/h.")
    return float(_ka_from_tmax_array(np.array([tmax_h]), np.array([ke]))[0])


def _ka_from_tmax_array(tmax_h: Array, ke: Array) -> Array:
    """`ka_from_tmax` for arrays (vectorised bisection on log ka)."""
    low = np.log(ke) + 1e-9
    high = np.log(ke) + np.log(1e6)
    for _ in range(80):
        middle = (low + high) / 2
        ka = np.exp(middle)
        too_late = np.log(ka / ke) / (ka - ke) > tmax_h
        low = np.where(too_late, middle, low)
        high = np.where(too_late, high, middle)
    return np.asarray(np.exp((low + high) / 2), dtype=np.float64)


def _record(index: int, source: str) -> EvidenceRecord:
    record = load_evidence()[index]
    if record.source_key != source:
        raise InvalidOptionError(f"evidence record {index} is not {source}")
    return record


def _number(record: EvidenceRecord) -> float:
    if isinstance(record.value, int | float):
        return float(record.value)
    raise InvalidOptionError(f"evidence record {record.index} has no single number")


def _single_peak_integral(ka: float, ke: float, hours: float) -> float:
    """∫0^hours ka/(ka−ke)·(e^(−ke t) − e^(−ka t)) dt, per unit dose and unit scale."""
    return ka / (ka - ke) * ((1 - math.exp(-ke * hours)) / ke - (1 - math.exp(-ka * hours)) / ka)


@cache
def _k1() -> FormParameters:
    half = _number(_record(13, "novotny2010"))  # 8.8 h plasma half-time
    tmax = _number(_record(0, "schurgers2007"))  # 4 h, K1 and MK-7
    kale = _record(10, "novotny2010")  # "6-10" h from a kale meal
    kale_high = float(str(kale.value).split("-")[-1])
    auc = _record(15, "garber1999")  # AUC(0-9 h) 27.55 ± 10.08 after a 500 µg tablet
    auc_value = _number(auc)
    auc_sd = float((auc.note or "").split()[1].rstrip(";"))
    dose_nmol = 500 / K1_MOLAR_MASS * 1000
    ke = math.log(2) / half
    shape = _single_peak_integral(ka_from_tmax(tmax, ke), ke, 9.0)
    scale = auc_value / (dose_nmol * shape)
    return FormParameters(
        form="k1",
        molar_mass=Parameter(
            "molar mass", K1_MOLAR_MASS, K1_MOLAR_MASS, K1_MOLAR_MASS, "g/mol", (),
            "chemistry", "C31H46O2",
        ),
        half_life_h=Parameter(
            "half-life", half, half, half, "h", ("novotny2010",), "abstract",
            "plasma half-time of 13C-K1 (record 13); one study, no range given",
        ),
        tmax_h=Parameter(
            "time to peak", tmax, tmax, kale_high, "h", ("schurgers2007", "novotny2010"),
            "abstract",
            "4 h after a supplement (record 0); up to 10 h when eaten in kale (record 10)",
        ),
        scale_per_l=Parameter(
            "F/V", scale, scale * (auc_value - auc_sd) / auc_value,
            scale * (auc_value + auc_sd) / auc_value, "1/L", ("garber1999",), "abstract",
            "fitted so that a 500 µg tablet gives AUC(0–9 h) 27.55 nmol·h/L; range from its "
            "SD 10.08 (record 15)",
        ),
    )  # fmt: skip


@cache
def _mk7() -> FormParameters:
    k1 = _k1()
    sato = _record(5, "sato2012")  # "420 ug MK-7 (647 nmol)"
    mass = _mass_from_dose(sato)
    half = _number(_record(3, "agingwiki_vitk2"))  # 68 h, secondary
    accumulation = _record(1, "schurgers2007")  # 7-8 fold
    fold_low = float(str(accumulation.value).split("-")[0])
    consumer_high = 72.0 if "72 h" in (_record(3, "agingwiki_vitk2").note or "") else half
    tmax = _number(_record(0, "schurgers2007"))
    knapen = _record(17, "knapen2014pk")  # "6 (tablets) vs 2-4 (capsules) h"
    tmax_low = float(str(knapen.value).split("vs")[1].split("-")[0])
    tmax_high = _number(sato)
    vendor = 1.5  # "vendor claims MK-7 absorption 1.5× K1" (record 4 note)
    if "1.5" not in (_record(4, "kinon_vendor").note or ""):
        vendor = 1.0
    return FormParameters(
        form="mk7",
        molar_mass=Parameter(
            "molar mass", mass, mass, mass, "g/mol", ("sato2012",), "abstract",
            "420 µg = 647 nmol (record 5)",
        ),
        half_life_h=Parameter(
            "half-life", half, fold_low * k1.half_life_h.value, consumer_high, "h",
            ("agingwiki_vitk2", "schurgers2007", "novotny2010"), "secondary",
            "68 h from a secondary page attributing it to Schurgers 2007 (record 3; the "
            "primary figure was not found); low end = 7-fold accumulation × K1's 8.8 h "
            "(records 1, 13, assuming equal F/V); high end = 72 h quoted by consumer sites "
            "(record 3 note)",
        ),
        tmax_h=Parameter(
            "time to peak", tmax, tmax_low, tmax_high, "h",
            ("schurgers2007", "knapen2014pk", "sato2012"), "abstract",
            "4 h (record 0); 2–4 h from oil capsules, 6 h from tablets (records 17, 5)",
        ),
        scale_per_l=Parameter(
            "F/V", k1.scale_per_l.value, k1.scale_per_l.low, k1.scale_per_l.high * vendor,
            "1/L", ("schurgers2007", "garber1999", "kinon_vendor"), "assumption",
            "no MK-7 Cmax or AUC was found: taken equal to K1's (both 'absorbed well', "
            "record 0), high end raised by the vendor's claim of 1.5× K1 absorption "
            "(record 4, secondary)",
        ),
        notes=(
            "MK-7's half-life rests on secondary sources: the band shows the range.",
        ),
    )  # fmt: skip


def _mass_from_dose(record: EvidenceRecord) -> float:
    """Molar mass from a dose written as '420 ug MK-7 (647 nmol)'."""
    text = (record.dose or "").replace("(", " ").split()
    micrograms = float(text[0])
    nmol = float(text[text.index("nmol)") - 1]) if "nmol)" in text else None
    if nmol is None:
        raise InvalidOptionError(f"evidence record {record.index} gives no nmol")
    return micrograms / nmol * 1000


@cache
def _mk4() -> FormParameters:
    k1 = _k1()
    single = _record(7, "sato2012")  # 420 µg MK-4 (945 nmol): not detectable
    mass = _mass_from_dose(single)
    week = _record(8, "sato2012")  # 60 µg/d × 7 d: rise 0.0 ng/mL, SD 0.77
    sd = float((week.note or "").split()[1].rstrip(";"))
    daily_nmol = 60 / mass * 1000
    ke = math.log(2) / k1.half_life_h.value
    ka = ka_from_tmax(k1.tmax_h.value, ke)
    # Mean rise over day 7 per unit F/V (when in the day Sato sampled is not known).
    day7 = np.mean(
        [_regimen_rise(ka, ke, 1.0, daily_nmol, tau=24.0, n=7, offset_h=h) for h in range(24)]
    )
    high = float(sd / mass * 1000 / day7)  # F/V that would leave a mean rise of 1 SD on day 7
    return FormParameters(
        form="mk4",
        molar_mass=Parameter(
            "molar mass", mass, mass, mass, "g/mol", ("sato2012",), "abstract",
            "420 µg = 945 nmol (record 7)",
        ),
        half_life_h=Parameter(
            "half-life", k1.half_life_h.value, k1.half_life_h.value, k1.half_life_h.value,
            "h", ("novotny2010",), "assumption",
            "no MK-4 half-life was found: K1's is used to shape the upper bound",
        ),
        tmax_h=Parameter(
            "time to peak", k1.tmax_h.value, k1.tmax_h.value, k1.tmax_h.value, "h",
            ("schurgers2007",), "assumption", "K1's, for the shape of the upper bound",
        ),
        scale_per_l=Parameter(
            "F/V", 0.0, 0.0, high, "1/L", ("sato2012",), "secondary",
            "central 0: MK-4 was not detectable after 420 µg and did not rise after 60 µg/d "
            "for 7 days (records 7, 8); high end = the F/V that would leave a mean rise of "
            "one SD (0.77 ng/mL) over day 7 (sampling time not known)",
        ),
        notes=(
            "MK-4 at nutritional doses gave no measurable rise (Sato 2012): the central "
            "curve is 0 and the band's upper edge is the most the data allow.",
        ),
    )  # fmt: skip


def _regimen_rise(
    ka: float, ke: float, scale: float, dose: float, *, tau: float, n: int, offset_h: float = 0
) -> float:
    """Concentration ``offset_h`` hours after the n-th of n doses given every ``tau``
    hours (offset 0 with t measured from the n-th dose + tau: the trough)."""
    total = 0.0
    for j in range(n):
        t = (n - 1 - j) * tau + offset_h
        if t > 0:
            total += dose * scale * ka / (ka - ke) * (math.exp(-ke * t) - math.exp(-ka * t))
    return total


def parameters(form: str) -> FormParameters:
    """The parameter set of a form (``k1``, ``mk4``, ``mk7``), with sources."""
    builders = {"k1": _k1, "mk4": _mk4, "mk7": _mk7}
    if form not in builders:
        raise InvalidOptionError(f"Unknown form {form!r}: use one of {', '.join(FORMS)}.")
    return builders[form]()


def _rates(half_life_h: float, tmax_h: float) -> tuple[float, float]:
    ke = math.log(2) / half_life_h
    return ka_from_tmax(tmax_h, ke), ke


def _step(ka: Array, ke: Array, scale: Array, doses: Array, *, step_h: float, t_len: int) -> Array:
    """Exact stepping of gut and serum amounts (rows = parameter sets). ``doses`` gives
    the nmol given at each grid point (shape t_len). Returns concentrations (rows x t)."""
    decay_gut = np.exp(-ka * step_h)
    decay_serum = np.exp(-ke * step_h)
    transfer = ka / (ka - ke) * (decay_serum - decay_gut)
    gut = np.zeros_like(ka)
    serum = np.zeros_like(ka)
    out = np.empty((ka.shape[0], t_len))
    for i in range(t_len):
        if doses[i]:
            gut = gut + doses[i]
        out[:, i] = serum
        serum = serum * decay_serum + gut * transfer
        gut = gut * decay_gut
    return out * scale[:, None]


def _grid(days: int, step_h: float) -> Array:
    return np.arange(0.0, days * 24.0 + step_h / 2, step_h)


def _dose_series(
    t_h: Array,
    dose_nmol: float,
    *,
    interval_h: float,
    days: int,
    skip_doses: Iterable[int],
    background_nmol_per_day: float,
    step_h: float,
) -> Array:
    doses = np.zeros(t_h.shape[0])
    skipped = set(skip_doses)
    count = int(days * 24 / interval_h)
    for k in range(count):
        if k in skipped:
            continue
        doses[round(k * interval_h / step_h)] += dose_nmol
    if background_nmol_per_day:
        for day in range(days):
            doses[round((day * 24 + 12) / step_h)] += background_nmol_per_day
    return doses


def _check(dose_ug: float, interval_h: float, days: int, step_h: float) -> None:
    if not 0 < dose_ug <= MAX_DOSE_UG:
        raise InvalidOptionError(
            f"dose must be above 0 and at most {MAX_DOSE_UG:,.0f} µg, got {dose_ug:g} µg."
        )
    if not 1 <= days <= MAX_DAYS:
        raise InvalidOptionError(f"days must be between 1 and {MAX_DAYS}, got {days}.")
    if interval_h <= 0 or interval_h > days * 24:
        raise InvalidOptionError(
            f"the dosing interval must be above 0 h and within the {days} days, got "
            f"{interval_h:g} h."
        )
    if abs(interval_h / step_h - round(interval_h / step_h)) > 1e-9:
        raise InvalidOptionError(
            f"the interval {interval_h:g} h must be a multiple of {step_h:g} h."
        )


def _corners(params: FormParameters) -> list[tuple[float, float, float]]:
    ranges = [
        (params.half_life_h.low, params.half_life_h.high),
        (params.tmax_h.low, params.tmax_h.high),
        (params.scale_per_l.low, params.scale_per_l.high),
    ]
    return [tuple(c) for c in itertools.product(*ranges)]  # type: ignore[misc]


def single_dose_curve(form: str, dose_ug: float, t_h: Sequence[float]) -> Array:
    """The central single-dose curve (nmol/L) at the given hours (analytic)."""
    params = parameters(form)
    ka, ke = _rates(params.half_life_h.value, params.tmax_h.value)
    dose = dose_ug / params.molar_mass.value * 1000
    t = np.asarray(t_h, dtype=float)
    curve = params.scale_per_l.value * dose * ka / (ka - ke) * (np.exp(-ke * t) - np.exp(-ka * t))
    return np.where(t >= 0, curve, 0.0)


def simulate(
    form: str,
    dose_ug: float,
    *,
    interval_h: float = 24.0,
    days: int = 84,
    skip_doses: Iterable[int] = (),
    background_ug_per_day: float = 0.0,
    step_h: float | None = None,
    status: dict[str, StatusEstimate] | None = None,
) -> SimulationResult:
    """Simulate a regimen: ``dose_ug`` every ``interval_h`` hours for ``days`` days,
    leaving out the doses numbered in ``skip_doses`` (0 = the first), with an
    optional daily background intake (given at noon, same form)."""
    params = parameters(form)
    step = step_h if step_h is not None else (0.25 if days <= 28 else 1.0)
    _check(dose_ug, interval_h, days, step)
    t_h = _grid(days, step)
    to_nmol = 1000 / params.molar_mass.value
    doses = _dose_series(
        t_h,
        dose_ug * to_nmol,
        interval_h=interval_h,
        days=days,
        skip_doses=skip_doses,
        background_nmol_per_day=background_ug_per_day * to_nmol,
        step_h=step,
    )
    central = (params.half_life_h.value, params.tmax_h.value, params.scale_per_l.value)
    sets = [central, *_corners(params)]
    rates = [_rates(h, t) for h, t, _ in sets]
    ka = np.array([r[0] for r in rates])
    ke = np.array([r[1] for r in rates])
    scale = np.array([s for _, _, s in sets])
    curves = _step(ka, ke, scale, doses, step_h=step, t_len=t_h.shape[0])
    ka0, ke0 = rates[0]
    tmax = math.log(ka0 / ke0) / (ka0 - ke0)
    ratio = 1 / (1 - math.exp(-ke0 * interval_h))
    doses_to_90 = math.ceil(math.log(10) / (ke0 * interval_h))
    comparison = None
    if form in {"mk7", "k1"}:
        comparison = _compare_mk7_k1(dose_ug * 24 / interval_h)
    notes = list(params.notes)
    if skip_doses or background_ug_per_day:
        notes.append("steady state and accumulation are for the regular regimen")
    return SimulationResult(
        form=params.form,
        dose_ug=dose_ug,
        interval_h=interval_h,
        days=days,
        t_h=t_h,
        conc_nmol_l=curves[0],
        low=curves.min(axis=0),
        high=curves.max(axis=0),
        tmax_h=tmax,
        steady_state_day=doses_to_90 * interval_h / 24,
        accumulation_ratio=ratio,
        status=status or {},
        sources=params.sources,
        notes=tuple(notes),
        comparison=comparison,
    )


def _steady_average(form: str, daily_ug: float) -> float:
    """Mean steady-state rise (nmol/L) on ``daily_ug`` a day: s·D/(ke·τ)."""
    params = parameters(form)
    ke = math.log(2) / params.half_life_h.value
    dose = daily_ug / params.molar_mass.value * 1000
    return params.scale_per_l.value * dose / (ke * 24.0)


def _compare_mk7_k1(daily_ug: float) -> dict[str, float]:
    """Steady-state mean rise on the same daily dose in µg, MK-7 against K1: molar
    and by mass (ng/mL), the unit serum vitamin K levels are usually reported in."""
    mk7 = _steady_average("mk7", daily_ug)
    k1 = _steady_average("k1", daily_ug)
    mk7_ng = mk7 * parameters("mk7").molar_mass.value / 1000
    k1_ng = k1 * parameters("k1").molar_mass.value / 1000
    return {
        "daily_dose_ug": daily_ug,
        "mk7_steady_mean_nmol_l": round(mk7, 4),
        "k1_steady_mean_nmol_l": round(k1, 4),
        "mk7_to_k1_molar_ratio": round(mk7 / k1, 2),
        "mk7_steady_mean_ng_ml": round(mk7_ng, 4),
        "k1_steady_mean_ng_ml": round(k1_ng, 4),
        "mk7_to_k1_mass_ratio": round(mk7_ng / k1_ng, 2),
    }


def population(
    form: str,
    dose_ug: float,
    *,
    interval_h: float = 24.0,
    days: int = 365,
    subjects: int = 1000,
    seed: int = 0,
    percentiles: Sequence[int] = (5, 50, 95),
    step_h: float = 1.0,
) -> PopulationResult:
    """``subjects`` virtual people whose parameters vary: each parameter is
    log-normal with the central value as median and its low–high range as the
    central 95 % (an assumption: the evidence gives ranges, not population spreads).
    Returns the percentiles of the rise at every grid point."""
    params = parameters(form)
    _check(dose_ug, interval_h, days, step_h)
    if not 1 <= subjects <= 1_000_000:
        raise InvalidOptionError(f"subjects must be 1 to 1,000,000, got {subjects}.")
    if subjects * days > MAX_PERSON_DAYS:
        raise InvalidOptionError(
            f"{subjects:,} people over {days:,} days is {subjects * days:,} person-days; "
            f"vitk2 simulates at most {MAX_PERSON_DAYS:,} (such as 10,000 people over 10 "
            "years): give fewer people or fewer days."
        )
    rng = np.random.default_rng(seed)

    def draw(p: Parameter) -> Array:
        if p.value <= 0:  # MK-4's F/V: uniform between 0 and the upper bound
            return rng.uniform(p.low, p.high, subjects)
        sigma = max(math.log(p.high / p.value), math.log(p.value / p.low)) / 1.96
        return p.value * np.exp(rng.normal(0.0, sigma, subjects))

    half = draw(params.half_life_h)
    scale = draw(params.scale_per_l)
    ke = np.log(2) / half
    tmax = np.clip(draw(params.tmax_h), 0.25, 0.99 / ke)
    ka = _ka_from_tmax_array(tmax, ke)
    t_h = _grid(days, step_h)
    doses = _dose_series(
        t_h,
        dose_ug * 1000 / params.molar_mass.value,
        interval_h=interval_h,
        days=days,
        skip_doses=(),
        background_nmol_per_day=0.0,
        step_h=step_h,
    )
    wanted = sorted(set(percentiles))
    result = _population_percentiles(ka, ke, scale, doses, step_h=step_h, wanted=wanted)
    return PopulationResult(
        form=params.form,
        subjects=subjects,
        t_h=t_h,
        percentiles=dict(zip(wanted, result, strict=True)),
        sources=params.sources,
        notes=(
            "each parameter log-normal: median = central value, 95 % within its range "
            "(assumed; the evidence gives ranges, not population spreads)",
            *params.notes,
        ),
    )


def _population_percentiles(
    ka: Array, ke: Array, scale: Array, doses: Array, *, step_h: float, wanted: Sequence[int]
) -> list[Array]:
    """Step all subjects together (float32); the percentiles of each day's block of
    time points are taken on a second thread while the next day is stepped.

    Percentiles are order statistics (the value at rank round(q/100 · (n − 1)),
    NumPy's "nearest" method): exact values of simulated subjects, no interpolation."""
    decay_gut = np.exp(-ka * step_h).astype(np.float32)
    decay_serum = np.exp(-ke * step_h).astype(np.float32)
    transfer = (ka / (ka - ke) * (np.exp(-ke * step_h) - np.exp(-ka * step_h))).astype(np.float32)
    scale32 = scale.astype(np.float32)
    subjects = ka.shape[0]
    ranks = [round(q / 100 * (subjects - 1)) for q in wanted]
    unique_ranks = sorted(set(ranks))
    gut = np.zeros(subjects, dtype=np.float32)
    serum = np.zeros(subjects, dtype=np.float32)
    t_len = doses.shape[0]
    block = max(1, round(24 / step_h))

    def order_statistics(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        return np.partition(values, unique_ranks, axis=1)[:, ranks]

    futures: list[Future[npt.NDArray[np.float32]]] = []
    results: list[npt.NDArray[np.float32]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start in range(0, t_len, block):
            while len(futures) >= 4:  # bounded memory: at most 4 days waiting
                results.append(futures.pop(0).result())
            stop = min(start + block, t_len)
            values = np.empty((stop - start, subjects), dtype=np.float32)
            for i in range(start, stop):
                if doses[i]:
                    gut += np.float32(doses[i])
                np.multiply(serum, scale32, out=values[i - start])
                serum *= decay_serum
                serum += gut * transfer
                gut *= decay_gut
            futures.append(pool.submit(order_statistics, values))
        results.extend(f.result() for f in futures)
    table = np.concatenate(results).astype(np.float64)
    return [table[:, k] for k in range(len(wanted))]
