"""Adding up intake honestly: sums per nutrient that know what they do not know.

A food whose value for a nutrient is unknown adds nothing to that nutrient's sum
but marks the sum as incomplete (missing is not zero). For K2 the sum also
carries a low–high range and a coverage block: grams of food whose K2 is
measured, imputed or unknown, and µg that came from supplements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.values import FoodVector

__all__ = [
    "KEYS",
    "Coverage",
    "ItemIntake",
    "Totals",
    "food_intake",
    "sum_intakes",
    "supplement_intake",
]

#: Every nutrient key, in the order of `FoodVector.values`.
KEYS: Final[tuple[str, ...]] = tuple(NUTRIENTS)
_K2: Final = KEYS.index("k2_ug")


@dataclass(frozen=True, slots=True)
class Coverage:
    """Where a K2 total comes from."""

    measured_g: float = 0.0
    imputed_g: float = 0.0
    unknown_g: float = 0.0
    supplement_ug: float = 0.0

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            self.measured_g + other.measured_g,
            self.imputed_g + other.imputed_g,
            self.unknown_g + other.unknown_g,
            self.supplement_ug + other.supplement_ug,
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "measured_g": round(self.measured_g, 3),
            "imputed_g": round(self.imputed_g, 3),
            "unknown_g": round(self.unknown_g, 3),
            "supplement_ug": round(self.supplement_ug, 3),
        }


@dataclass(frozen=True, slots=True)
class ItemIntake:
    """The nutrients of one eaten item: ``amounts`` has every key, None where the
    food's value is unknown (supplements: keys not on the label are 0)."""

    amounts: Mapping[str, float | None] = field(repr=False)
    k2_low: float | None
    k2_high: float | None
    coverage: Coverage


def food_intake(vector: FoodVector, grams: float) -> ItemIntake:
    """The nutrients in ``grams`` of a food."""
    factor = grams / 100.0
    amounts = {
        key: None if value is None else value * factor
        for key, value in zip(KEYS, vector.values, strict=True)
    }
    k2 = vector.values[_K2]
    low = vector.k2_low if vector.k2_low is not None else k2
    high = vector.k2_high if vector.k2_high is not None else k2
    basis = vector.k2_basis if k2 is not None else "unknown"
    coverage = Coverage(
        measured_g=grams if basis == "measured" else 0.0,
        imputed_g=grams if basis == "imputed" else 0.0,
        unknown_g=grams if basis == "unknown" else 0.0,
    )
    return ItemIntake(
        amounts,
        None if low is None else low * factor,
        None if high is None else high * factor,
        coverage,
    )


def supplement_intake(amounts: Mapping[str, float]) -> ItemIntake:
    """The nutrients of a logged supplement (its label amounts; other keys are 0)."""
    full: dict[str, float | None] = {key: float(amounts.get(key, 0.0)) for key in KEYS}
    k2 = float(amounts.get("k2_ug", 0.0))
    return ItemIntake(full, k2, k2, Coverage(supplement_ug=k2))


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums over items. ``values[key]`` adds the known amounts; ``incomplete`` names
    the keys for which at least one item's value is unknown (so the sum is a lower
    bound). ``k2_low``/``k2_high`` add the items' K2 ranges over items with known K2."""

    values: Mapping[str, float]
    incomplete: frozenset[str]
    k2_low: float
    k2_high: float
    coverage: Coverage

    def as_dict(self, *, digits: int = 4) -> dict[str, object]:
        """JSON shape: every key's sum, then ``k2_low_ug``, ``k2_high_ug``,
        ``coverage`` (for K2) and ``incomplete`` (keys with unknown parts)."""
        out: dict[str, object] = {key: round(self.values[key], digits) for key in KEYS}
        out["k2_low_ug"] = round(self.k2_low, digits)
        out["k2_high_ug"] = round(self.k2_high, digits)
        out["coverage"] = {"k2_ug": self.coverage.as_dict()}
        out["incomplete"] = sorted(self.incomplete)
        return out


def sum_intakes(items: Iterable[ItemIntake]) -> Totals:
    """Add items up (an empty list gives zeros, complete)."""
    values = dict.fromkeys(KEYS, 0.0)
    incomplete: set[str] = set()
    low = high = 0.0
    coverage = Coverage()
    for item in items:
        for key, amount in item.amounts.items():
            if amount is None:
                incomplete.add(key)
            else:
                values[key] += amount
        low += item.k2_low or 0.0
        high += item.k2_high or 0.0
        coverage = coverage + item.coverage
    return Totals(values, frozenset(incomplete), low, high, coverage)
