"""Intake: what a person ate or took, read from their words.

Owns the date rule (`dates`: which dates vitk2 takes), meal text (`meal_text`:
splitting items, reading amounts), the meal parser (`meals`: `MealParser`, words to
foods and grams; `meal_items`: the items and meal it returns), what it reads words
with (`dishes`: is "ham and cheese sandwich" one dish; `food_words`: foreign food
words; `additions`: the cream in "coffee with cream"), supplements (`supplements`:
products and their labels), your own foods from a label and your recipes
(`own_foods`: the values, their rules and versions; `own_values`: their nutrients
with provenance, and `DiaryFoods`, the food database with them; `own_items`: naming
and weighing them in meal text; `own_records`: their JSON documents), diary entries
(`diary`) and their import/export (`diary_io`), honest intake totals (`totals`) and
the person's profile (`profile`).
Builds on `vitk2.foods`.
"""

__all__ = [
    "additions",
    "dates",
    "diary",
    "diary_io",
    "dishes",
    "food_words",
    "meal_items",
    "meal_text",
    "meals",
    "own_foods",
    "own_items",
    "own_records",
    "own_values",
    "profile",
    "supplements",
    "totals",
]
