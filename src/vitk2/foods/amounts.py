"""The amount rule: which amounts vitk2 accepts, for foods, supplements and products.

An amount is written as a plain decimal number (digits with at most one decimal point
or decimal comma; meal text also takes fractions and number words), with at most
`MAX_NUMBER_CHARS` characters. It must be finite, above 0 and at most the maximum of
its unit:

- a food item (meal text, ``diary edit --grams``, an import row): at most
  `MAX_ITEM_GRAMS` g;
- one unit of a supplement (a capsule, a tablet, a label amount of
  ``supplement add``, a dose in meal text): at most `MAX_PER_UNIT` of the nutrient's
  unit: 100,000 µg (100 mg) of a vitamin, 10,000 mg (10 g) of a mineral, 100 g of a
  macronutrient;
- supplement units in one item: at most `MAX_UNITS_PER_ITEM`.

These are sanity limits against typing errors, not safe doses: the upper-limit
checks of the report judge intakes.

``1e309``, ``0x10``, ``-5`` and a 400-digit number are not amounts; ``1,000`` (a
thousands comma or a decimal comma?) is refused as ambiguous.

>>> read_decimal("28.5", what="grams")
28.5
>>> read_decimal("1,5", what="grams")
1.5
>>> check_grams(6000)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
vitk2.errors.InvalidOptionError: grams 6,000 g is more than 5,000 g, the most vitk2 takes; ...
"""

from __future__ import annotations

import math
import re
from typing import Final

from vitk2.errors import InvalidOptionError, quoted

__all__ = [
    "MAX_ITEM_GRAMS",
    "MAX_NUMBER_CHARS",
    "MAX_PER_UNIT",
    "MAX_UNITS_PER_ITEM",
    "check_amount",
    "check_grams",
    "check_number_text",
    "check_per_unit",
    "read_decimal",
]

#: One food item weighing more than this is taken as a typing error.
MAX_ITEM_GRAMS: Final = 5000.0
#: More supplement units (capsules, tablets …) than this in one item is a typing error.
MAX_UNITS_PER_ITEM: Final = 50
#: The most one unit of a supplement may hold, per nutrient unit.
MAX_PER_UNIT: Final[dict[str, float]] = {"µg": 100_000.0, "mg": 10_000.0, "g": 100.0}
#: A number written with more characters than this is a typing error.
MAX_NUMBER_CHARS: Final = 15

_DECIMAL: Final = re.compile(r"^\d+(?:[.,]\d+)?$")
_AMBIGUOUS: Final = re.compile(r"^[1-9]\d{0,2},\d{3}$")
_NOT_DECIMAL: Final = re.compile(r"^[-+−]|^\d+(?:[.,]\d+)?e[-+]?\d|^0x", re.IGNORECASE)


def check_number_text(text: str, *, what: str) -> str:
    """The characters of a number as written, checked: not too long, not ambiguous."""
    cleaned = text.strip()
    if len(cleaned.replace(" ", "")) > MAX_NUMBER_CHARS:
        raise InvalidOptionError(
            f"{what} {quoted(cleaned)} has more than {MAX_NUMBER_CHARS} characters: "
            "check the amount."
        )
    if _AMBIGUOUS.match(cleaned):
        raise InvalidOptionError(
            f"{what} {quoted(cleaned)} is ambiguous (a thousands comma or a decimal "
            f"comma?): write {cleaned.replace(',', '')} or {cleaned.replace(',', '.')}."
        )
    return cleaned


def read_decimal(text: str, *, what: str) -> float:
    """A plain decimal number: digits with at most one decimal point or comma."""
    cleaned = check_number_text(text, what=what)
    if cleaned[:1] in {"-", "−"} and _DECIMAL.match(cleaned[1:].strip()):
        raise InvalidOptionError(f"{what} {quoted(cleaned)} is negative: amounts are above 0.")
    if not _DECIMAL.match(cleaned):
        why = (
            "write amounts as plain decimal numbers, e.g. 28 or 28.5"
            if _NOT_DECIMAL.search(cleaned)
            else "write a number such as 28 or 28.5"
        )
        raise InvalidOptionError(f"{what} {quoted(cleaned)} is not a number vitk2 reads: {why}.")
    return float(cleaned.replace(",", "."))


def check_amount(value: float, *, what: str, unit: str, maximum: float) -> float:
    """``value`` finite, above 0 and at most ``maximum`` (in ``unit``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidOptionError(f"{what} must be a number, got {value!r}.")
    if not math.isfinite(value):
        raise InvalidOptionError(f"{what} must be a finite number, got {value!r}.")
    if not value > 0:
        raise InvalidOptionError(f"{what} must be above 0, got {value:g} {unit}.")
    if value > maximum:
        raise InvalidOptionError(
            f"{what} {_shown(value)} {unit} is more than {maximum:,g} {unit}, the most vitk2 "
            "takes; check the amount."
        )
    return float(value)


def check_grams(grams: float, *, what: str = "grams") -> float:
    """The weight of one food item: above 0 and at most `MAX_ITEM_GRAMS`."""
    return check_amount(grams, what=what, unit="g", maximum=MAX_ITEM_GRAMS)


def check_per_unit(amount: float, unit: str, *, what: str, units: float = 1.0) -> float:
    """The amount of a nutrient measured in ``unit`` (µg, mg or g) in ``units`` units of
    a supplement: above 0 and at most `MAX_PER_UNIT` per unit."""
    maximum = MAX_PER_UNIT.get(unit)
    if maximum is None:
        raise InvalidOptionError(f"{what} is measured in {unit}; a supplement cannot give it.")
    limit = maximum * units
    if isinstance(amount, int | float) and math.isfinite(amount) and amount > limit:
        per = "one unit of a supplement" if units == 1 else f"{units:g} units of a supplement"
        raise InvalidOptionError(
            f"{what} {_shown(amount)} {unit} is more than {limit:,g} {unit}, the most vitk2 "
            f"takes in {per}; check the label."
        )
    return check_amount(amount, what=what, unit=unit, maximum=limit)


def _shown(value: float) -> str:
    return f"{value:,.0f}" if 1000 <= abs(value) < 1e15 else f"{value:.6g}"
