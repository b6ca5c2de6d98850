"""Realistic people for the planner's tests and its dietitian review (docs/plan.md): a
profile, what they eat on a usual day (three meals, the same each day, for two weeks;
six weeks for the warfarin user, so the consistency check has a baseline) and the
options they give `vitk2 plan`. Built with the real parser into a real SQLite diary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from vitk2 import FoodDB
from vitk2.intake.meals import MealParser
from vitk2.intake.profile import Profile
from vitk2.store import DiaryStore

__all__ = ["FIRST_DAY", "PROFILES", "PlanProfile", "build_profile_diary"]

FIRST_DAY = date(2026, 9, 1)


@dataclass(frozen=True)
class PlanProfile:
    profile: Profile
    meals: tuple[str, ...]
    options: tuple[str, ...]
    days: int = 14


PROFILES: dict[str, PlanProfile] = {
    "omnivore": PlanProfile(
        Profile(sex="female", birth_date=date(1971, 6, 15), weight_kg=68),
        (
            "1 cup coffee with milk, 2 slices whole wheat toast, 1 tbsp butter",
            "turkey sandwich, 1 apple",
            "4 oz roasted chicken breast, 1 cup cooked rice, 1 cup green salad, 1 tbsp olive oil",
        ),
        ("--target-k2", "knapen2015"),
    ),
    "vegetarian": PlanProfile(
        Profile(sex="female", birth_date=date(1985, 2, 10), weight_kg=60),
        (
            "1 cup oatmeal, 1/2 cup whole milk, 1 banana",
            "grilled cheese sandwich, 1 cup tomato soup",
            "2 cups spaghetti, 1/2 cup marinara sauce, 1 cup cooked spinach",
        ),
        ("--diet", "vegetarian", "--target-k2", "gast2009"),
    ),
    "vegan": PlanProfile(
        Profile(sex="male", birth_date=date(1994, 8, 3), weight_kg=75),
        (
            "1 cup oatmeal, 1 banana, 1 tbsp peanut butter",
            "2 slices whole wheat bread, 2 tbsp hummus, 1 cup lentil soup",
            "1 cup cooked brown rice, 1 cup black beans, 1 cup broccoli",
        ),
        ("--diet", "vegan", "--target-k2", "cn_mk7_2020:90", "--dishes"),
    ),
    "dairy-free": PlanProfile(
        Profile(sex="female", birth_date=date(1990, 11, 20), weight_kg=58),
        (
            "2 scrambled eggs, 1 slice whole wheat toast, 1 cup orange juice",
            "grilled chicken salad",
            "4 oz baked salmon, 1 cup cooked quinoa, 1 cup green beans",
        ),
        ("--diet", "dairy-free", "--exclude", "natto", "--target-k2", "gast2009"),
    ),
    "warfarin": PlanProfile(
        Profile(
            sex="male", birth_date=date(1958, 4, 2), weight_kg=82, medications=("warfarin 5 mg",)
        ),
        (
            "1 cup corn flakes, 1 cup 2% milk, 1 cup coffee",
            "ham sandwich, 1 cup vegetable soup",
            "4 oz pork chop, 1 baked potato, 1/2 cup broccoli",
        ),
        ("--allow-supplements",),
        days=42,
    ),
    "pregnant": PlanProfile(
        Profile(sex="female", birth_date=date(1996, 5, 5), weight_kg=66, pregnant=True),
        (
            "1 cup plain yogurt, 1/2 cup granola",
            "turkey sandwich, 1 orange",
            "3 oz roast beef, 1 cup cooked pasta, 1 cup green salad",
        ),
        ("--allow-supplements", "--target-k2", "gast2009"),
    ),
    "man-over-70": PlanProfile(
        Profile(sex="male", birth_date=date(1950, 1, 20), weight_kg=77),
        (
            "1 slice white toast, 1 tbsp margarine, 1 cup tea",
            "1 cup chicken noodle soup, 4 saltine crackers",
            "3 oz meatloaf, 1/2 cup mashed potatoes, 1/2 cup peas",
        ),
        ("--allow-supplements", "--target-k2", "knapen2015"),
    ),
}


def build_profile_diary(path: Path, name: str, db: FoodDB) -> Path:
    """A real SQLite diary at ``path`` for the profile ``name``."""
    person = PROFILES[name]
    parser = MealParser(db, ())
    meals = []
    for text, meal in zip(person.meals, ("breakfast", "lunch", "dinner"), strict=True):
        parsed = parser.parse(text)
        assert not parsed.unresolved, (name, text, [i.text for i in parsed.unresolved])
        meals.append((parsed, meal))
    with DiaryStore(str(path)) as store:
        store.set_profile(person.profile)
        entries = [
            entry
            for day in range(person.days)
            for parsed, meal in meals
            for entry in parsed.entries(FIRST_DAY + timedelta(days=day), meal=meal)
        ]
        store.add_entries(entries)
    return path
