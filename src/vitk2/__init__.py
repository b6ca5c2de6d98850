"""vitk2: vitamin K2 (per menaquinone), K1, vitamin D and calcium.

The public API::

    from vitk2 import FoodDB
    db = FoodDB.default()
    db.search("gouda")                 # -> [SearchHit(id='usda:01022', ...), ...]
    db.get("usda:01022")               # -> Food with per-100 g NutrientValues
    db.top("mk7", per="serving")       # -> [RankedFood(...), ...]
    MealParser(db).parse("2 slices of gouda and 50 g natto")   # -> ParsedMeal

The packages below are cut by what they own; docs/architecture.md maps them.
"""

from vitk2.errors import (
    DataError,
    EmptyQueryError,
    InvalidOptionError,
    UnknownFoodError,
    UnknownNutrientError,
    Vitk2Error,
)
from vitk2.foods.database import FoodDB
from vitk2.foods.nutrients import NUTRIENTS, Nutrient, resolve_nutrient
from vitk2.foods.values import Food, NutrientValue, Portion, RankedFood, SearchHit
from vitk2.intake.meals import MealParser

__version__ = "0.1.0"

__all__ = [
    "NUTRIENTS",
    "DataError",
    "EmptyQueryError",
    "Food",
    "FoodDB",
    "InvalidOptionError",
    "MealParser",
    "Nutrient",
    "NutrientValue",
    "Portion",
    "RankedFood",
    "SearchHit",
    "UnknownFoodError",
    "UnknownNutrientError",
    "Vitk2Error",
    "__version__",
    "resolve_nutrient",
]
