"""Intake: what a person ate or took, read from their words.

Owns the date rule (`dates`: which dates vitk2 takes), meal text (`meal_text`:
splitting items, reading amounts), the meal parser (`meals`: `MealParser`, words to
foods and grams), supplements (`supplements`: products and their labels), diary
entries (`diary`) and their import/export (`diary_io`), honest intake totals
(`totals`) and the person's profile (`profile`). Builds on `vitk2.foods`.
"""

__all__ = ["dates", "diary", "diary_io", "meal_text", "meals", "profile", "supplements", "totals"]
