"""One model parameter type for every model (pharmacokinetics and status).

Both models report their parameters the same way, so there is one type: a central
value with its low–high range and unit, the evidence records it rests on (source
keys and their weakest reliability flag), how it was obtained (which record, which
calculation, which assumption), and whether it was fitted to trial data or read
from a record or fixed by an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Parameter"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One model parameter: central value, range, unit, where it comes from."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    sources: tuple[str, ...]
    reliability: str
    how: str
    fitted: bool = False
