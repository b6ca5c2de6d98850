"""Units: the unit words people type, and their exact sizes.

Mass and volume factors are the exact legal definitions (US measures, as SR28's
household measures are US measures), checked against pint in the tests.

>>> grams_per("oz")
28.349523125
>>> round(millilitres_per("cup"), 2)
236.59
>>> label_amount("1000 IU", "vitd_ug")
25.0
>>> label_amount("1.5 mg", "mk4_ug")
1500.0
"""

from __future__ import annotations

import re
from typing import Final

from vitk2.errors import InvalidOptionError, quoted
from vitk2.foods.amounts import check_per_unit, read_decimal
from vitk2.foods.nutrients import NUTRIENTS

__all__ = [
    "GRAMS_PER_UNIT",
    "HOUSEHOLD_UNITS",
    "IU_PER_UG_VITAMIN_D",
    "MASS_UNITS",
    "MILLILITRES_PER_UNIT",
    "VOLUME_UNITS",
    "canonical_unit",
    "grams_per",
    "label_amount",
    "millilitres_per",
]

#: Household units understood without looking at the food (the food's own SR28
#: measures add more: "stick", "link", "fillet" …). Values are the singular form.
HOUSEHOLD_UNITS: Final[dict[str, str]] = {
    **{w: w for w in ("slice", "piece", "pat", "serving", "portion", "small", "medium", "large")},
    **{
        w: w
        for w in (
            "stick",
            "link",
            "fillet",
            "can",
            "bar",
            "cube",
            "leaf",
            "stalk",
            "spear",
            "clove",
            "head",
            "bunch",
            "package",
            "packet",
            "container",
            "jar",
            "bottle",
            "scoop",
            "patty",
            "wedge",
            "strip",
            "sheet",
            "chop",
            "steak",
            "breast",
            "thigh",
            "drumstick",
            "wing",
            "item",
            "each",
            "whole",
            "square",
            "glass",
            "mug",
            "bowl",
            "handful",
            "pinch",
            "dash",
            "drop",
            "capsule",
            "tablet",
            "softgel",
            "pill",
            "gummy",
            "chewable",
            "sachet",
            "spray",
            "ear",
            "pack",
        )
    },
    "slices": "slice",
    "pieces": "piece",
    "pats": "pat",
    "servings": "serving",
    "portions": "portion",
    "sticks": "stick",
    "links": "link",
    "fillets": "fillet",
    "filets": "fillet",
    "filet": "fillet",
    "cans": "can",
    "bars": "bar",
    "cubes": "cube",
    "leaves": "leaf",
    "stalks": "stalk",
    "spears": "spear",
    "cloves": "clove",
    "heads": "head",
    "bunches": "bunch",
    "packages": "package",
    "packets": "packet",
    "containers": "container",
    "jars": "jar",
    "bottles": "bottle",
    "scoops": "scoop",
    "patties": "patty",
    "wedges": "wedge",
    "strips": "strip",
    "sheets": "sheet",
    "chops": "chop",
    "steaks": "steak",
    "breasts": "breast",
    "thighs": "thigh",
    "drumsticks": "drumstick",
    "wings": "wing",
    "items": "item",
    "squares": "square",
    "glasses": "glass",
    "mugs": "mug",
    "bowls": "bowl",
    "handfuls": "handful",
    "pinches": "pinch",
    "dashes": "dash",
    "drops": "drop",
    "capsules": "capsule",
    "caps": "capsule",
    "cap": "capsule",
    "tablets": "tablet",
    "tabs": "tablet",
    "tab": "tablet",
    "softgels": "softgel",
    "pills": "pill",
    "gummies": "gummy",
    "chewables": "chewable",
    "sachets": "sachet",
    "sprays": "spray",
    "ears": "ear",
    "packs": "pack",
    "extra-large": "extra large",
    "xl": "extra large",
    "lg": "large",
    "med": "medium",
    "sm": "small",
}
#: 40 IU of vitamin D = 1 µg (vitamin D only; vitamin K has no IU).
IU_PER_UG_VITAMIN_D: Final = 40.0

#: Words people type for a mass, and the pint unit each means.
MASS_UNITS: Final[dict[str, str]] = {
    "g": "gram",
    "gr": "gram",
    "gram": "gram",
    "grams": "gram",
    "gramme": "gram",
    "grammes": "gram",
    "kg": "kilogram",
    "kgs": "kilogram",
    "kilo": "kilogram",
    "kilos": "kilogram",
    "kilogram": "kilogram",
    "kilograms": "kilogram",
    "oz": "avoirdupois_ounce",
    "ounce": "avoirdupois_ounce",
    "ounces": "avoirdupois_ounce",
    "lb": "avoirdupois_pound",
    "lbs": "avoirdupois_pound",
    "pound": "avoirdupois_pound",
    "pounds": "avoirdupois_pound",
}

#: Words people type for a volume, and the pint unit each means (US measures,
#: as SR28's household measures are US measures).
VOLUME_UNITS: Final[dict[str, str]] = {
    "ml": "milliliter",
    "mls": "milliliter",
    "millilitre": "milliliter",
    "millilitres": "milliliter",
    "milliliter": "milliliter",
    "milliliters": "milliliter",
    "cl": "centiliter",
    "dl": "deciliter",
    "l": "liter",
    "litre": "liter",
    "litres": "liter",
    "liter": "liter",
    "liters": "liter",
    "cup": "cup",
    "cups": "cup",
    "tbsp": "tablespoon",
    "tbsps": "tablespoon",
    "tbs": "tablespoon",
    "tablespoon": "tablespoon",
    "tablespoons": "tablespoon",
    "tsp": "teaspoon",
    "tsps": "teaspoon",
    "teaspoon": "teaspoon",
    "teaspoons": "teaspoon",
    "fl oz": "fluid_ounce",
    "floz": "fluid_ounce",
    "fluid ounce": "fluid_ounce",
    "fluid ounces": "fluid_ounce",
    "pint": "pint",
    "pints": "pint",
    "quart": "quart",
    "quarts": "quart",
}

_LABEL = re.compile(
    r"^\s*(.*?)\s*(µg|μg|ug|mcg|microgram|micrograms|mg|milligram|milligrams|g|iu)\s*$",
    re.IGNORECASE,
)
_MASS_FACTORS_UG: Final[dict[str, float]] = {
    "µg": 1.0,
    "μg": 1.0,
    "ug": 1.0,
    "mcg": 1.0,
    "microgram": 1.0,
    "micrograms": 1.0,
    "mg": 1000.0,
    "milligram": 1000.0,
    "milligrams": 1000.0,
    "g": 1_000_000.0,
}


#: Exact definitions: grams per unit (avoirdupois ounce and pound) and millilitres per
#: US measure. `tests/test_units.py` checks every figure against pint's definitions;
#: pint itself is not imported at run time (building its registry takes ~0.5 s, too
#: slow for a command-line call that needs eight constants).
GRAMS_PER_UNIT: Final[dict[str, float]] = {
    "gram": 1.0,
    "kilogram": 1000.0,
    "avoirdupois_ounce": 28.349523125,
    "avoirdupois_pound": 453.59237,
}
MILLILITRES_PER_UNIT: Final[dict[str, float]] = {
    "milliliter": 1.0,
    "centiliter": 10.0,
    "deciliter": 100.0,
    "liter": 1000.0,
    "cup": 236.5882365,
    "tablespoon": 14.78676478125,
    "teaspoon": 4.92892159375,
    "fluid_ounce": 29.5735295625,
    "pint": 473.176473,
    "quart": 946.352946,
}


def grams_per(word: str) -> float:
    """Grams in one ``word`` of mass (``g``, ``kg``, ``oz``, ``lb`` and their spellings)."""
    return GRAMS_PER_UNIT[MASS_UNITS[word.lower()]]


def millilitres_per(word: str) -> float:
    """Millilitres in one ``word`` of volume (``ml``, ``l``, ``cup``, ``tbsp`` …, US measures)."""
    return MILLILITRES_PER_UNIT[VOLUME_UNITS[word.lower()]]


def canonical_unit(word: str) -> str:
    """The short name of a typed mass or volume unit (``tablespoons`` -> ``tbsp``)."""
    lowered = word.lower()
    names = {
        "gram": "g",
        "kilogram": "kg",
        "avoirdupois_ounce": "oz",
        "avoirdupois_pound": "lb",
        "milliliter": "ml",
        "centiliter": "cl",
        "deciliter": "dl",
        "liter": "l",
        "cup": "cup",
        "tablespoon": "tbsp",
        "teaspoon": "tsp",
        "fluid_ounce": "fl oz",
        "pint": "pint",
        "quart": "quart",
    }
    unit = MASS_UNITS.get(lowered) or VOLUME_UNITS.get(lowered)
    return names[unit] if unit is not None else lowered


def label_amount(text: str, key: str) -> float:
    """A label amount such as ``100ug``, ``25 µg``, ``1000 IU`` or ``500mg`` in the unit of
    nutrient ``key`` (µg for vitamins, mg for calcium). IU is accepted for vitamin D only.
    The amount follows the amount rule (`vitk2.foods.amounts`): a plain decimal number,
    above 0 and at most the per-unit maximum."""
    match = _LABEL.match(text)
    nutrient = NUTRIENTS[key]
    if match is None or not match.group(1):
        raise InvalidOptionError(
            f"Cannot read the amount {quoted(text)} for {key}: write a number and a unit, "
            "e.g. '100ug', '25 µg', '500mg' (or '1000IU' for vitamin D)."
        )
    number = read_decimal(match.group(1), what=f"the amount of {key}")
    unit = match.group(2).lower()
    if unit == "iu":
        if not key.startswith("vitd"):
            raise InvalidOptionError(
                f"IU is defined for vitamin D only; give {key} in µg or mg, not {quoted(text)}."
            )
        micrograms = number / IU_PER_UG_VITAMIN_D
    else:
        micrograms = number * _MASS_FACTORS_UG[unit]
    factor = {"µg": 1.0, "mg": 1000.0, "g": 1_000_000.0}.get(nutrient.unit)
    if factor is None:
        raise InvalidOptionError(
            f"{key} is measured in {nutrient.unit}; a label amount cannot be given for it."
        )
    return check_per_unit(micrograms / factor, nutrient.unit, what=key)
