"""Foods: what is in them.

Owns the nutrient vocabulary (`nutrients`), food values with their provenance
(`values`: `Food`, `NutrientValue`, `Portion`, `Recipe`), the shipped food database of
SR28 foods and FNDDS foods as eaten, and its rankings (`database`: `FoodDB`; `bulk`: its
whole-table reads for the planner), fuzzy search (`search`, with how it reads names and
queries in `food_names`, its word lists in `search_words`, and how the database ranks
its foods in `search_priors`), unit definitions (`units`), the amount rule
(`amounts`: which amounts vitk2 takes), household portions (`portions`), which FNDDS
2017-2018 food an older survey food code means (`survey_codes`), and the database build
(`build`, run at development time only).
Imports nothing else of vitk2 but `vitk2.errors`.
"""

__all__ = [
    "amounts", "build", "bulk", "database", "food_names", "nutrients", "portions", "records",
    "search", "search_priors", "search_words", "survey_codes", "units", "values",
]  # fmt: skip
