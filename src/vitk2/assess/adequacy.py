"""Is a person's usual intake adequate? The IOM individual assessment against the EAR.

Method (IOM 2000, *Dietary Reference Intakes: Applications in Dietary Assessment*,
National Academies Press): with ``n`` days of intake of mean ``mean``,

    z = (mean − EAR) / sqrt(SD_req² + SD_within² / n)

and the confidence that usual intake meets the person's requirement is Φ(z), the
standard normal distribution function.

* ``SD_req``, the SD of the requirement, comes from the two reference values: IOM
  sets RDA = EAR + 2 SD_req, so SD_req = (RDA − EAR) / 2. Both records are cited.
* ``SD_within``, the day-to-day SD of intake, is a pooled population estimate in the
  IOM method. vitk2's evidence base holds none, so the person's own day-to-day SD of
  the daily totals is used (sample SD, n − 1), and the result's ``note`` says so. At
  least 2 days are needed.
* A nutrient with an AI but no EAR (vitamin K; infants' vitamin D and calcium) cannot
  be assessed this way: intake at or above the AI suggests adequacy; below the AI no
  conclusion can be drawn.

>>> from vitk2.assess.reference import ReferenceValue
>>> refs = [
...     ReferenceValue("calcium_mg", "EAR", 800.0, "mg/day", "iom2011_ca", 171, "19-50 y", None),
...     ReferenceValue("calcium_mg", "RDA", 1000.0, "mg/day", "iom2011_ca", 171, "19-50 y", None),
... ]
>>> assess_adequacy("calcium_mg", [700, 900, 1100, 900], refs).conclusion
'Usual intake is adequate with about 78 % confidence.'
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from vitk2.assess.reference import ReferenceValue
from vitk2.errors import InvalidOptionError

__all__ = ["METHOD", "Adequacy", "assess_adequacy", "normal_cdf"]

METHOD: Final = (
    "IOM 2000, Dietary Reference Intakes: Applications in Dietary Assessment "
    "(individual assessment)"
)
_AI_RULE: Final = (
    "IOM: an AI cannot be used to estimate the probability of adequacy. Usual intake at or "
    "above the AI suggests adequacy; below the AI, no conclusion about adequacy can be drawn."
)


@dataclass(frozen=True, slots=True)
class Adequacy:
    """The result of :func:`assess_adequacy` (intakes in the nutrient key's unit)."""

    key: str
    days: int
    mean: float
    ear: float | None
    rda: float | None
    sd_requirement: float | None
    sd_within: float | None
    z: float | None
    confidence: float | None
    """Probability (0–1) that usual intake meets the requirement; None if not judged."""
    conclusion: str
    method: str
    note: str | None


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal distribution function (via :func:`math.erf`)."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _percent(p: float) -> str:
    if p > 0.995:
        return "more than 99 %"
    return f"about {round(p * 100)} %"


def _first(refs: Sequence[ReferenceValue], typ: str) -> ReferenceValue | None:
    return next((r for r in refs if r.type == typ), None)


def assess_adequacy(
    key: str, daily_totals: Sequence[float], references: Sequence[ReferenceValue]
) -> Adequacy:
    """Assess one nutrient's usual intake against its EAR (see the module docstring).

    ``daily_totals`` are whole-day intakes in the key's unit (µg for vitamins, mg for
    calcium), one per recorded day; ``references`` are the person's reference values
    (from :func:`vitk2.assess.reference.reference_values`; values of other keys are ignored).
    A result that cannot be judged has ``confidence=None`` and says why.
    """
    totals = [float(x) for x in daily_totals]
    if not totals:
        raise InvalidOptionError(f"no daily totals for {key!r}: record at least one day.")
    bad = [x for x in totals if not math.isfinite(x) or x < 0]
    if bad:
        raise InvalidOptionError(
            f"daily totals for {key!r} must be finite and ≥ 0, got {bad[0]!r}; "
            "leave out days whose total is unknown."
        )
    days, mean = len(totals), math.fsum(totals) / len(totals)
    refs = [r for r in references if r.key == key]
    ear, rda, ai = _first(refs, "EAR"), _first(refs, "RDA"), _first(refs, "AI")

    def unjudged(reason: str, note: str | None, sd_req: float | None = None) -> Adequacy:
        return Adequacy(
            key=key,
            days=days,
            mean=mean,
            ear=ear.value if ear else None,
            rda=rda.value if rda else None,
            sd_requirement=sd_req,
            sd_within=None,
            z=None,
            confidence=None,
            conclusion=f"Adequacy cannot be judged: {reason}.",
            method=METHOD,
            note=note,
        )

    if ear is None:
        if ai is not None:
            side = "at or above" if mean >= ai.value else "below"
            reason = (
                f"there is an AI ({ai.value:g} {ai.unit}, {ai.source}) but no EAR; "
                f"mean intake is {side} the AI"
            )
            return unjudged(reason, _AI_RULE)
        other = _first(refs, "AR")
        note = (
            f"EFSA's AR ({other.source}) is not used: this method is implemented for IOM's "
            "EAR and RDA."
            if other
            else None
        )
        return unjudged("there is no EAR for this nutrient and life stage", note)
    if rda is None:
        return unjudged("the SD of the requirement needs both the EAR and the RDA", None)
    sd_req = (rda.value - ear.value) / 2.0
    cited = (
        f"SD of requirement = (RDA − EAR) / 2 = ({rda.value:g} − {ear.value:g}) / 2 "
        f"(IOM: RDA = EAR + 2 SD), with EAR from {ear.source} (record {ear.record}) and RDA "
        f"from {rda.source} (record {rda.record})."
    )
    if days < 2:
        return unjudged(
            "needs at least 2 days of intake", f"needs at least 2 days. {cited}", sd_req
        )
    sd_within = statistics.stdev(totals)
    denominator = math.sqrt(sd_req**2 + sd_within**2 / days)
    if denominator == 0:
        return unjudged("the requirement and intake SDs are both zero", cited, sd_req)
    z = (mean - ear.value) / denominator
    confidence = normal_cdf(z)
    if confidence >= 0.5:
        conclusion = f"Usual intake is adequate with {_percent(confidence)} confidence."
    else:
        conclusion = f"Usual intake is inadequate with {_percent(1.0 - confidence)} confidence."
    note = (
        f"{cited} Day-to-day SD is this person's own SD of {days} daily totals (sample SD, "
        "n − 1): the IOM method uses a pooled population estimate, which vitk2's evidence "
        "base does not hold; with few days this SD is itself uncertain."
    )
    return Adequacy(
        key=key,
        days=days,
        mean=mean,
        ear=ear.value,
        rda=rda.value,
        sd_requirement=sd_req,
        sd_within=sd_within,
        z=z,
        confidence=confidence,
        conclusion=conclusion,
        method=METHOD,
        note=note,
    )
