"""The parser against the labelled meal phrases (tests/data/meal_phrases.csv,
written by a helper who never saw the parser). Thresholds guard the measured level;
docs/benchmarks.md gives the figures and what is below the issue's 90 % target."""

from __future__ import annotations

import pytest

from meal_scoring import evaluate, load, summary
from vitk2 import FoodDB
from vitk2.intake.meals import MealParser


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def test_labelled_set_is_large_and_valid(db: FoodDB) -> None:
    phrases = load()
    assert len(phrases) >= 150
    items = [item for group in phrases.values() for item in group]
    assert len(items) >= 400
    names = db.names()
    for item in items:
        assert item.foods or item.amounts, item
        assert all(food in names for food in item.foods), item
        assert item.grams is None or item.grams > 0
    splits = {group[0].split for group in phrases.values()}
    assert splits == {"dev", "holdout"}


def test_accuracy_on_labelled_set(parser: MealParser) -> None:
    result = summary(evaluate(parser))
    # Issue 12: the everyday work must not make this set worse than it was before it
    # (89.17 % right, 11 of 471 items silently wrong).
    assert result["accuracy"] >= 0.8917
    assert result["stated_accuracy"] >= 0.90
    # An unresolved item asks the user; a wrong one misleads: keep it rare. (``wrong``
    # counts every resolved wrong item, with or without an assumption shown.) Since
    # issue 12's phase 2 an amount-free item takes FNDDS's "Quantity not specified"
    # portion, with a note, where it used to ask: 9 items this set's labeller
    # estimated otherwise ("grapes" 126 g, FNDDS 75 g) moved from unresolved to wrong
    # with the assumption shown; silently wrong went from 13 items to 11.
    assert result["wrong"] <= 0.08
    assert result["silently_wrong"] <= 11 / 471


def test_accuracy_on_holdout_split(parser: MealParser) -> None:
    result = summary(evaluate(parser, "holdout"))
    assert result["accuracy"] >= 0.83
