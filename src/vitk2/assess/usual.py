"""Usual intake: the long-run average daily intake, from a few 24-hour recalls per person
(a measurement-error model of the NCI type, on NumPy/SciPy arrays only).

One day's intake is a noisy measure of a person's usual intake: the spread of single
days across a population is wider than the spread of usual intakes. With at least two
recalls for some persons the within-person (day-to-day) variance can be separated from
the between-person variance, and the distribution of usual intake recovered:

1. **Transformation.** Amounts are divided by their weighted median (units do not
   matter) and Box-Cox transformed, ``t = (x^λ − 1)/λ`` (``log x`` at λ = 0), with λ
   chosen on a grid 0, 0.02 … 1 to make the first recalls' transformed amounts closest
   to normal (the largest weighted normal probability-plot correlation).
2. **Amount-only model** (nutrients eaten nearly every day: fewer than
   `EPISODIC_ZERO_SHARE` zero days; a zero is replaced by half the smallest positive
   amount): ``t_ij = μ + δ·repeat_ij + u_i + e_ij``, ``u ~ N(0, σb²)``,
   ``e ~ N(0, σw²)``. ``δ`` is the shift of repeat recalls against the first (NHANES:
   day 2 by telephone after day 1 in person); usual intake refers to the first.
   Survey-weighted method-of-moments estimates: δ from the persons' repeat-minus-first
   differences, σw² from the within-person deviations, σb² = variance of the person
   means − mean σw²/k.
3. **Two-part model** for episodically eaten components (natto's MK-7): the
   probability of eating it on a day, ``logit p = a0 + a1·repeat + u1``, and the
   transformed amount on eating days, ``t = m0 + m1·repeat + u2 + e``, with person
   effects ``(u1, u2)`` bivariate normal (σ1, σ2, correlation ρ). Survey-weighted
   maximum (pseudo-)likelihood; ``u2`` is integrated out in closed form given ``u1``,
   and ``u1`` by Gauss-Hermite quadrature.
4. **Usual intake** of a person with effects u is the expected daily intake on the
   original scale, integrating the within-person error (Gauss-Hermite):
   ``T(u) = E_e[g⁻¹(μ + u + e)]`` (amount-only), ``T = p(u1) × E_e[g⁻¹(m0 + u2 + e)]``
   (two-part). Its distribution is represented by a sample: the quantile grid of u for
   the amount-only model (T is monotone in u), Monte Carlo draws with a fixed seed for
   the two-part model.

The method and its validation on simulated cohorts are in ``docs/cohort.md``.

>>> rng = np.random.default_rng(1)
>>> person = np.repeat(np.arange(500), 2)
>>> usual = np.exp(rng.normal(4.0, 0.3, 500))
>>> amount = usual[person] * np.exp(rng.normal(-0.18, 0.6, 1000))
>>> fit = fit_usual(Recalls(person, np.tile([False, True], 500), amount, np.ones(500)))
>>> fit.kind, 0.25 < fit.sigma_between < 0.35
('amount', True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats  # type: ignore[import-untyped, unused-ignore]

from vitk2.errors import InvalidOptionError

__all__ = [
    "EPISODIC_ZERO_SHARE",
    "MIN_CONSUMERS",
    "MIN_REPEATS",
    "ModelKind",
    "Recalls",
    "UsualFit",
    "box_cox",
    "choose_lambda",
    "fit_usual",
    "inverse_box_cox",
    "usual_mean",
    "usual_sample",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ModelKind = Literal["amount", "episodic", "zero"]

#: A nutrient with more than this weighted share of zero days gets the two-part model.
EPISODIC_ZERO_SHARE: Final = 0.10
#: Persons with a repeat recall needed to separate within- from between-person variance.
MIN_REPEATS: Final = 10
#: Persons eating an episodic component at least once, needed for the two-part model.
MIN_CONSUMERS: Final = 20
_LAMBDAS: Final = np.round(np.arange(0.0, 1.0001, 0.02), 2)
_GH_NODES: Final = 20
_SAMPLE_SIZE: Final = 4000
_DRAWS: Final = 40_000
_SEED: Final = 15


@dataclass(frozen=True, slots=True)
class Recalls:
    """One nutrient's recalls in one group of persons. ``person`` indexes 0 … n−1 (one
    entry per recall), ``repeat`` is True for a person's second or later recall,
    ``amount`` is the day's intake (≥ 0, its unit is the caller's) and ``weight`` the
    survey weight of each of the n persons."""

    person: IntArray
    repeat: BoolArray
    amount: FloatArray
    weight: FloatArray

    def __post_init__(self) -> None:
        if not len(self.person) == len(self.repeat) == len(self.amount):
            raise InvalidOptionError("person, repeat and amount must have one entry per recall.")
        if len(self.amount) and (np.any(self.amount < 0) or not np.all(np.isfinite(self.amount))):
            raise InvalidOptionError("recall amounts must be finite and at least 0.")

    @property
    def persons(self) -> int:
        return len(self.weight)

    def reweighted(self, weight: FloatArray) -> Recalls:
        return replace(self, weight=weight)


@dataclass(frozen=True, slots=True)
class UsualFit:
    """A fitted usual-intake model. ``scale`` undoes the division by the median; for the
    amount-only model ``mu``, ``sigma_between``, ``sigma_within``, ``repeat_shift``
    are on the transformed scale; the two-part model adds the probability part
    (``logit_intercept``, ``logit_repeat``, ``sigma_probability``) and the correlation
    ``rho`` of the two person effects. ``kind`` "zero": nobody ate any."""

    kind: ModelKind
    lam: float
    scale: float
    mu: float = 0.0
    sigma_between: float = 0.0
    sigma_within: float = 0.0
    repeat_shift: float = 0.0
    logit_intercept: float = 0.0
    logit_repeat: float = 0.0
    sigma_probability: float = 0.0
    rho: float = 0.0
    zero_share: float = 0.0
    persons: int = 0
    repeats: int = 0


def box_cox(x: FloatArray, lam: float) -> FloatArray:
    """``(x^λ − 1)/λ``, ``log x`` at λ = 0 (x > 0)."""
    return np.log(x) if lam == 0 else (np.power(x, lam) - 1.0) / lam


def inverse_box_cox(t: FloatArray, lam: float) -> FloatArray:
    """The inverse of `box_cox`; a value below the transformation's range gives 0."""
    if lam == 0:
        return np.exp(t)
    return np.power(np.maximum(lam * t + 1.0, 0.0), 1.0 / lam)


def choose_lambda(x: FloatArray, weight: FloatArray) -> float:
    """The λ of the grid 0, 0.02 … 1 whose transform of ``x`` (> 0) is closest to
    normal: the largest weighted correlation with normal scores."""
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], weight[order]
    positions = (np.cumsum(ws) - ws / 2.0) / ws.sum()
    scores = stats.norm.ppf(positions)
    best, best_r = 1.0, -np.inf
    for lam in _LAMBDAS:
        t = box_cox(xs, float(lam))
        r = _weighted_correlation(t, scores, ws)
        if r > best_r + 1e-12:
            best, best_r = float(lam), r
    return best


def _weighted_correlation(a: FloatArray, b: FloatArray, w: FloatArray) -> float:
    wa, wb = np.average(a, weights=w), np.average(b, weights=w)
    cov = np.average((a - wa) * (b - wb), weights=w)
    var = np.average((a - wa) ** 2, weights=w) * np.average((b - wb) ** 2, weights=w)
    return float(cov / np.sqrt(var)) if var > 0 else -np.inf


def _weighted_median(x: FloatArray, w: FloatArray) -> float:
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cum, cum[-1] / 2.0)])


def _recall_weights(recalls: Recalls) -> FloatArray:
    """Each recall weighted by its person's weight over the person's number of recalls."""
    counts = np.bincount(recalls.person, minlength=recalls.persons)
    return recalls.weight[recalls.person] / np.maximum(counts[recalls.person], 1)


def fit_usual(
    recalls: Recalls,
    *,
    episodic: bool | None = None,
    lam: float | None = None,
    start: UsualFit | None = None,
) -> UsualFit:
    """Fit the usual-intake model. ``episodic`` forces the two-part model (True) or the
    amount-only one (False); by default it is chosen by the share of zero days.
    ``lam`` fixes the Box-Cox λ (the replicates reuse the full sample's), ``start``
    warm-starts the two-part fit. Raises `InvalidOptionError` when the recalls cannot
    separate within- from between-person variation."""
    weight_r = _recall_weights(recalls)
    positive = recalls.amount > 0
    first = ~recalls.repeat
    with_repeat = np.unique(recalls.person[recalls.repeat & (recalls.weight[recalls.person] > 0)])
    common = {"persons": recalls.persons, "repeats": len(with_repeat)}
    zero_share = float(weight_r[~positive].sum() / weight_r.sum()) if weight_r.sum() else 0.0
    if not positive.any():
        return UsualFit("zero", 1.0, 1.0, zero_share=1.0, **common)
    if len(with_repeat) < MIN_REPEATS:
        raise InvalidOptionError(
            f"only {len(with_repeat)} persons have a repeat recall (at least {MIN_REPEATS} "
            "are needed to separate day-to-day from between-person variation)."
        )
    scale = _weighted_median(recalls.amount[positive], weight_r[positive])
    x = recalls.amount / scale
    if lam is None:
        chosen = positive & first if (positive & first).sum() >= 10 else positive
        lam = choose_lambda(x[chosen], weight_r[chosen])
    if episodic is None:
        episodic = zero_share > EPISODIC_ZERO_SHARE
    if not episodic:
        floor = x[positive].min() / 2.0
        t = box_cox(np.where(positive, x, floor), lam)
        return _fit_amount(recalls, t, lam, scale, zero_share, **common)
    consumers = np.unique(recalls.person[positive])
    if len(consumers) < MIN_CONSUMERS:
        raise InvalidOptionError(
            f"only {len(consumers)} persons ate it on a recall day (at least {MIN_CONSUMERS} "
            "are needed for the two-part model)."
        )
    t = np.where(positive, box_cox(np.where(positive, x, 1.0), lam), 0.0)
    return _fit_episodic(
        recalls, t, positive, lam=lam, scale=scale, zero_share=zero_share, start=start, **common
    )


def _fit_amount(
    recalls: Recalls,
    t: FloatArray,
    lam: float,
    scale: float,
    zero_share: float,
    *,
    persons: int,
    repeats: int,
) -> UsualFit:
    n, person, w = recalls.persons, recalls.person, recalls.weight
    counts = np.bincount(person, minlength=n).astype(float)
    n_rep = np.bincount(person, weights=recalls.repeat.astype(float), minlength=n)
    first_sum = np.bincount(person, weights=np.where(recalls.repeat, 0.0, t), minlength=n)
    n_first = counts - n_rep
    rep_sum = np.bincount(person, weights=np.where(recalls.repeat, t, 0.0), minlength=n)
    both = (n_rep > 0) & (n_first > 0) & (w > 0)
    diff = rep_sum[both] / n_rep[both] - first_sum[both] / n_first[both]
    shift = float(np.average(diff, weights=w[both]))
    adjusted = t - np.where(recalls.repeat, shift, 0.0)
    means = np.bincount(person, weights=adjusted, minlength=n) / np.maximum(counts, 1)
    deviation = adjusted - means[person]
    within_ss = np.bincount(person, weights=deviation**2, minlength=n)
    several = (counts > 1) & (w > 0)
    var_within = float(
        np.sum(w[several] * within_ss[several]) / np.sum(w[several] * (counts[several] - 1))
    )
    has = (counts > 0) & (w > 0)
    mu = float(np.average(means[has], weights=w[has]))
    var_means = float(np.average((means[has] - mu) ** 2, weights=w[has]))
    var_between = var_means - float(np.average(var_within / counts[has], weights=w[has]))
    var_between = max(var_between, 1e-4 * var_within)
    return UsualFit(
        "amount", lam, scale, mu=mu, sigma_between=float(np.sqrt(var_between)),
        sigma_within=float(np.sqrt(var_within)), repeat_shift=shift,
        zero_share=zero_share, persons=persons, repeats=repeats,
    )  # fmt: skip


# -- the two-part model ----------------------------------------------------------------------

_NODES, _NODE_WEIGHTS = np.polynomial.hermite_e.hermegauss(_GH_NODES)
_NODE_WEIGHTS = _NODE_WEIGHTS / _NODE_WEIGHTS.sum()
_LOG_NODE_WEIGHTS = np.log(_NODE_WEIGHTS)


@dataclass(frozen=True, slots=True)
class _Episodes:
    """What the two-part likelihood needs per person: the pattern of eaten and repeat
    recalls (an index into ``patterns``) and sums of the transformed amounts."""

    patterns: FloatArray  # distinct patterns x K x 2: (eaten 1/0/nan, repeat 1/0)
    pattern: IntArray  # each person's pattern
    k: FloatArray  # positive recalls per person
    k_rep: FloatArray  # of which repeats
    s1: FloatArray  # sum of t on positive recalls
    s1_rep: FloatArray  # sum of t on positive repeat recalls
    s2: FloatArray  # sum of t² on positive recalls
    s2_rep: FloatArray  # sum of t² on positive repeat recalls
    weight: FloatArray


def _episodes(recalls: Recalls, t: FloatArray, positive: BoolArray) -> _Episodes:
    n, person = recalls.persons, recalls.person
    order = np.lexsort((recalls.repeat, person))
    slot = np.zeros(len(person), dtype=np.int64)
    sorted_person = person[order]
    slot[order] = np.arange(len(person)) - np.searchsorted(sorted_person, sorted_person)
    width = int(slot.max()) + 1 if len(slot) else 1
    grid = np.full((n, width, 2), np.nan)
    grid[person, slot, 0] = positive.astype(float)
    grid[person, slot, 1] = recalls.repeat.astype(float)
    flat = np.nan_to_num(grid, nan=-1.0).reshape(n, -1)
    unique, pattern = np.unique(flat, axis=0, return_inverse=True)
    patterns = unique.reshape(-1, width, 2)
    patterns[patterns == -1.0] = np.nan
    pos = positive.astype(float)
    rep = (positive & recalls.repeat).astype(float)

    def total(values: FloatArray) -> FloatArray:
        return np.bincount(person, weights=values, minlength=n).astype(np.float64)

    return _Episodes(
        patterns, np.asarray(pattern, dtype=np.int64).reshape(-1), total(pos), total(rep),
        total(pos * t), total(rep * t), total(pos * t * t), total(rep * t * t),
        recalls.weight / recalls.weight.mean(),
    )  # fmt: skip


def _log_likelihood(theta: FloatArray, e: _Episodes) -> float:
    a0, a1, log_s1, m0, m1, log_s2, log_se, z_rho = theta
    s1, s2, se, rho = np.exp(log_s1), np.exp(log_s2), np.exp(log_se), np.tanh(z_rho)
    v = _NODES[None, :]  # standard-normal nodes of u1 / s1
    # Probability part, per pattern of eaten/repeat recalls: sum of log Bernoulli.
    eaten, repeat = e.patterns[:, :, 0, None], e.patterns[:, :, 1, None]
    eta = a0 + a1 * np.nan_to_num(repeat) + s1 * v[:, None, :]
    log_p = np.where(eaten == 1, -np.logaddexp(0, -eta), -np.logaddexp(0, eta))
    log_prob = np.where(np.isnan(eaten), 0.0, log_p).sum(axis=1)[e.pattern]
    # Amount part: residuals r_j = t_j - m0 - m1 rep_j - c v, equicorrelated N(0, se² I + τ² J).
    c, tau2, se2 = rho * s2, s2 * s2 * (1 - rho * rho), se * se
    k = e.k[:, None]
    centred = e.s1 - m0 * e.k - m1 * e.k_rep
    r1 = centred[:, None] - k * c * v
    base2 = (
        e.s2 - 2 * m0 * e.s1 - 2 * m1 * e.s1_rep + m0 * m0 * e.k + 2 * m0 * m1 * e.k_rep
        + m1 * m1 * e.k_rep
    )  # fmt: skip
    r2 = base2[:, None] - 2 * c * v * centred[:, None] + k * c * c * v * v
    denominator = se2 + k * tau2
    quad = (r2 - tau2 / denominator * r1 * r1) / se2
    log_det = (k - 1) * np.log(se2) + np.log(denominator)
    log_amount = np.where(k > 0, -0.5 * (quad + log_det + k * np.log(2 * np.pi)), 0.0)
    terms = log_prob + log_amount + _LOG_NODE_WEIGHTS[None, :]
    top = terms.max(axis=1)
    per_person = top + np.log(np.exp(terms - top[:, None]).sum(axis=1))
    return float(e.weight @ per_person)


def _fit_episodic(
    recalls: Recalls,
    t: FloatArray,
    positive: BoolArray,
    *,
    lam: float,
    scale: float,
    zero_share: float,
    start: UsualFit | None,
    persons: int,
    repeats: int,
) -> UsualFit:
    data = _episodes(recalls, t, positive)
    if start is not None and start.kind == "episodic":
        theta0 = np.array([
            start.logit_intercept, start.logit_repeat, np.log(start.sigma_probability),
            start.mu, start.repeat_shift, np.log(start.sigma_between),
            np.log(start.sigma_within), np.arctanh(start.rho),
        ])  # fmt: skip
    else:
        share = min(max(1.0 - zero_share, 0.01), 0.99)
        spread = float(np.std(t[positive])) or 1.0
        theta0 = np.array([
            np.log(share / (1 - share)), 0.0, 0.0, float(np.mean(t[positive])), 0.0,
            np.log(spread / 1.5), np.log(spread / 1.5), 0.0,
        ])  # fmt: skip
    bounds = [
        (-20, 20),
        (-5, 5),
        (-5, 2.5),
        (None, None),
        (None, None),
        (-8, 3),
        (-8, 3),
        (-2.5, 2.5),
    ]
    result = optimize.minimize(
        lambda theta: -_log_likelihood(theta, data), theta0, method="L-BFGS-B", bounds=bounds,
        options={"maxiter": 500},
    )  # fmt: skip
    a0, a1, log_s1, m0, m1, log_s2, log_se, z_rho = (float(v) for v in result.x)
    return UsualFit(
        "episodic", lam, scale, mu=m0, sigma_between=float(np.exp(log_s2)),
        sigma_within=float(np.exp(log_se)), repeat_shift=m1, logit_intercept=a0,
        logit_repeat=a1, sigma_probability=float(np.exp(log_s1)), rho=float(np.tanh(z_rho)),
        zero_share=zero_share, persons=persons, repeats=repeats,
    )  # fmt: skip


# -- usual intake ----------------------------------------------------------------------------


def _expected_amount(fit: UsualFit, u: FloatArray) -> FloatArray:
    """E over the within-person error of the back-transformed amount, for person
    effects ``u`` (original units)."""
    t = fit.mu + u[:, None] + fit.sigma_within * _NODES[None, :]
    return fit.scale * (inverse_box_cox(t, fit.lam) @ _NODE_WEIGHTS)


def usual_sample(fit: UsualFit, *, size: int | None = None, seed: int = _SEED) -> FloatArray:
    """Sorted usual intakes representing the fitted distribution: for the amount-only
    model T(u) at the ``size`` (default 4,000) midpoint quantiles of u; for the
    two-part model ``size`` (default 40,000) Monte Carlo draws (fixed ``seed``)."""
    if fit.kind == "zero":
        return np.zeros(size or 1)
    if fit.kind == "amount":
        m = size or _SAMPLE_SIZE
        u = fit.sigma_between * stats.norm.ppf((np.arange(m) + 0.5) / m)
        return np.sort(_expected_amount(fit, u))
    m = size or _DRAWS
    rng = np.random.default_rng(seed)
    v1, v2 = rng.standard_normal(m), rng.standard_normal(m)
    u1 = fit.sigma_probability * v1
    u2 = fit.sigma_between * (fit.rho * v1 + np.sqrt(1 - fit.rho**2) * v2)
    probability = special.expit(fit.logit_intercept + u1)
    return np.sort(probability * _expected_amount(fit, u2))


def usual_mean(fit: UsualFit, sample: FloatArray) -> float:
    """The mean usual intake: by Gauss-Hermite quadrature over u for the amount-only
    model (exact tails), the sample mean for the two-part model."""
    if fit.kind == "amount":
        nodes, weights = np.polynomial.hermite_e.hermegauss(60)
        values = _expected_amount(fit, fit.sigma_between * nodes)
        return float(values @ (weights / weights.sum()))
    return float(np.mean(sample))
