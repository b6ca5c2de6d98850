"""Adding up intake honestly: sums per nutrient that know what they do not know.

A food whose value for a nutrient is unknown adds nothing to that nutrient's sum
but marks the sum as incomplete (missing is not zero). For K2 the sum also
carries a low–high range and a coverage block: grams of food whose K2 is
measured, imputed or unknown, and µg that came from supplements.

One rule says how such a sum is shown, everywhere (`Total`, `total_text`): a sum
that misses unknown values is a lower bound, "≥ 12"; a sum with nothing known is
"unknown", never 0.

>>> total_text(12.0, lower_bound=True), total_text(None), total_text(0.0)
('≥ 12', 'unknown', '0')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.values import FoodVector

__all__ = [
    "KEYS",
    "UNKNOWN",
    "Coverage",
    "ItemIntake",
    "Total",
    "Totals",
    "food_intake",
    "k2_coverage",
    "number_text",
    "sum_intakes",
    "supplement_intake",
    "total_text",
]

#: Every nutrient key, in the order of `FoodVector.values`.
KEYS: Final[tuple[str, ...]] = tuple(NUTRIENTS)
_K2: Final = KEYS.index("k2_ug")
#: How a total with nothing known is written.
UNKNOWN: Final = "unknown"
#: The mark before a total that misses unknown values (a lower bound).
_AT_LEAST: Final = "≥ "


def number_text(value: float) -> str:
    """A number for a sentence or a table, without false precision:
    1,200 / 15 / 14.8 / 0.73 (the notes, the findings and the HTML pages use it)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def total_text(
    value: float | None,
    *,
    lower_bound: bool = False,
    number: Callable[[float], str] = number_text,
) -> str:
    """The one way a nutrient total is shown: ``number(value)``, marked "≥ " when it
    is a lower bound (some amounts unknown), and "unknown" when nothing is known.
    Terminal tables, the HTML pages and the parse summary all use it."""
    if value is None:
        return UNKNOWN
    return (_AT_LEAST if lower_bound else "") + number(value)


@dataclass(frozen=True, slots=True)
class Total:
    """One nutrient's total: ``value`` adds the known amounts and is None when no
    amount is known; ``lower_bound`` says that some amount was unknown, so the true
    total is higher (a total with nothing known is unknown, not a lower bound)."""

    value: float | None
    lower_bound: bool = False

    def text(self, number: Callable[[float], str] = number_text) -> str:
        return total_text(self.value, lower_bound=self.lower_bound, number=number)


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
    food's value is unknown (supplements: keys not on the label are 0).
    ``incomplete`` names the keys whose amount misses a part of the food whose value
    is unknown (an ingredient of a recipe): that amount is a lower bound."""

    amounts: Mapping[str, float | None] = field(repr=False)
    k2_low: float | None
    k2_high: float | None
    coverage: Coverage
    incomplete: frozenset[str] = frozenset()


def k2_coverage(vector: FoodVector, grams: float) -> Coverage:
    """Grams of ``grams`` of a food whose K2 is measured, imputed or unknown: by the
    food's K2 basis, or split by its parts' shares (a recipe)."""
    if vector.k2_shares is not None:
        measured, imputed, unknown = vector.k2_shares
        return Coverage(grams * measured, grams * imputed, grams * unknown)
    basis = vector.k2_basis if vector.values[_K2] is not None else "unknown"
    return Coverage(
        measured_g=grams if basis == "measured" else 0.0,
        imputed_g=grams if basis == "imputed" else 0.0,
        unknown_g=grams if basis == "unknown" else 0.0,
    )


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
    return ItemIntake(
        amounts,
        None if low is None else low * factor,
        None if high is None else high * factor,
        k2_coverage(vector, grams),
        frozenset(k for k in vector.partial if amounts.get(k) is not None),
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
    bound); ``known`` the keys for which at least one is known (a key outside it
    has an unknown total, not 0). ``k2_low``/``k2_high`` add the items' K2 ranges
    over items with known K2. `total` reads one key the honest way."""

    values: Mapping[str, float]
    incomplete: frozenset[str]
    k2_low: float
    k2_high: float
    coverage: Coverage
    known: frozenset[str] = frozenset(KEYS)

    def total(self, key: str) -> Total:
        """``key``'s total: unknown when no item's amount is known, else the sum of
        the known amounts, a lower bound when some are unknown."""
        if key not in self.known:
            return Total(None)
        return Total(self.values[key], lower_bound=key in self.incomplete)

    def k2_range(self) -> tuple[float, float] | None:
        """The K2 total's low–high range; None when no K2 amount is known."""
        return (self.k2_low, self.k2_high) if "k2_ug" in self.known else None

    def as_dict(self, *, digits: int = 4) -> dict[str, object]:
        """JSON shape: every key's sum (``null`` when nothing is known), then
        ``k2_low_ug``, ``k2_high_ug`` (``null`` likewise), ``coverage`` (for K2),
        ``incomplete`` (keys with an unknown part: a number there is a lower bound) and
        ``unknown`` (keys with nothing known: their sum is ``null``)."""
        out: dict[str, object] = {key: _rounded(self.total(key).value, digits) for key in KEYS}
        k2 = self.k2_range()
        out["k2_low_ug"] = None if k2 is None else round(k2[0], digits)
        out["k2_high_ug"] = None if k2 is None else round(k2[1], digits)
        out["coverage"] = {"k2_ug": self.coverage.as_dict()}
        out["incomplete"] = sorted(self.incomplete)
        out["unknown"] = [key for key in KEYS if key not in self.known]
        return out


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def sum_intakes(items: Iterable[ItemIntake]) -> Totals:
    """Add items up. A key no item knows has an unknown total (so an empty list
    gives unknown totals: nothing was eaten that vitk2 could read)."""
    values = dict.fromkeys(KEYS, 0.0)
    incomplete: set[str] = set()
    known: set[str] = set()
    low = high = 0.0
    coverage = Coverage()
    for item in items:
        for key, amount in item.amounts.items():
            if amount is None:
                incomplete.add(key)
            else:
                values[key] += amount
                known.add(key)
        incomplete |= item.incomplete
        low += item.k2_low or 0.0
        high += item.k2_high or 0.0
        coverage = coverage + item.coverage
    return Totals(values, frozenset(incomplete), low, high, coverage, frozenset(known))
