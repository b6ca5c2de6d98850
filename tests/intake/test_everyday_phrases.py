"""The everyday labelled set (tests/data/everyday_phrases.csv, labelled blind), the
non-food phrases, and the scorer's four outcomes. The thresholds guard the level
measured before the FNDDS foods are in the database (docs/benchmarks.md)."""

from __future__ import annotations

import re

import pytest

from meal_scoring import (
    EVERYDAY,
    Expected,
    evaluate,
    load,
    nonfood_phrases,
    score_items,
    summary,
)
from vitk2 import FoodDB
from vitk2.intake.meal_text import read_item
from vitk2.intake.meals import MealItem, MealParser
from vitk2.intake.totals import food_intake


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def test_everyday_set_is_large_varied_and_valid(db: FoodDB) -> None:
    phrases = load(EVERYDAY)
    assert len(phrases) >= 300
    items = [item for group in phrases.values() for item in group]
    names = db.names()
    for item in items:
        assert item.foods, item
        for food in item.foods | item.covered_by:
            assert re.fullmatch(r"usda:\d{5}|fndds:\d{8}", food), food
            assert not food.startswith("usda:") or food in names, food
        assert item.grams_low is not None and item.grams_high is not None
        assert 0 < item.grams_low < item.grams_high, item
        assert item.note, item  # every range says where it comes from
    assert {group[0].split for group in phrases.values()} == {"dev", "holdout"}
    categories = {group[0].category for group in phrases.values()}
    assert {"breakfast", "sandwich", "fastfood", "takeaway", "drink", "snack"} <= categories
    # amount-free first: most items name no amount
    assert sum(not re.search(r"\d", g[0].phrase) for g in phrases.values()) >= 250


def test_no_non_food_resolves(parser: MealParser) -> None:
    """Issue 11: glue is not crab, lego bricks not brick cheese, motor oil not almond
    oil, unicorn meat not bear; each is unresolved and says what to do."""
    for text in nonfood_phrases():
        (item,) = parser.parse(text).items
        assert item.status == "unresolved", (text, item.name)
        assert item.problem and item.suggestions


def test_everyday_set_guard(parser: MealParser) -> None:
    """The issue's bars (≥ 85 % right, ≤ 2 % silently wrong), measured after the
    parser's phase 3 (docs/benchmarks.md): 86.4 % right, 0 % silently wrong."""
    outcomes = evaluate(parser, "all", EVERYDAY)
    result = summary(outcomes)
    assert result["accuracy"] >= 0.85
    assert result["silently_wrong"] <= 0.02
    assert summary(evaluate(parser, "holdout", EVERYDAY))["silently_wrong"] <= 0.02
    # Items with no amount or only a count ("a cheeseburger", "2 tacos", "some brie"):
    # every one the parser resolves says which portion it took.
    for outcome in outcomes:
        item = outcome.item
        if item is not None and item.status == "ok" and read_item(item.text).unit is None:
            assert item.notes, item.text


def _ok(db: FoodDB, ref: str, grams: float, notes: tuple[str, ...] = ()) -> MealItem:
    name = db.names()[ref][0]
    vector = db.vectors([ref])[ref]
    return MealItem(ref, "ok", "food", ref, name, grams, "g", grams, food_intake(vector, grams),
                    notes=notes)  # fmt: skip


def _expected(foods: str, low: float, high: float, covered_by: str = "") -> Expected:
    return Expected(
        "x1", "dev", "phrase", frozenset(foods.split("|")), {}, None, "", low, high,
        frozenset(filter(None, covered_by.split("|"))),
    )  # fmt: skip


def test_scorer_outcomes(db: FoodDB) -> None:
    curry = _expected("usda:22989", 180, 264)
    rice = _expected("usda:20045", 106, 250, covered_by="usda:22989")
    cream = _expected("usda:01050", 10, 40)
    # the rice is inside the curry dish: right without an item of its own
    outcomes = score_items([_ok(db, "usda:22989", 200)], [curry, rice])
    assert [o.result for o in outcomes] == ["right", "right"]
    # grams outside the range: wrong; with a note it is "wrong, shown"
    assert score_items([_ok(db, "usda:01050", 80)], [cream])[0].result == "silently_wrong"
    shown = score_items([_ok(db, "usda:01050", 80, ("assumed",))], [cream])[0]
    assert shown.result == "wrong_shown"
    # a wrong food; an unresolved item; no item at all
    assert score_items([_ok(db, "usda:01056", 20)], [cream])[0].result == "silently_wrong"
    unresolved = MealItem("cream", "unresolved", problem="How much?")
    assert score_items([unresolved], [cream])[0].result == "unresolved"
    assert score_items([], [cream])[0].result == "unresolved"
