"""The parser's rules for everyday dish names (issue 12), through the real parser and
the shipped food database: each test names the rule it holds to."""

from __future__ import annotations

import pytest

from vitk2 import FoodDB
from vitk2.intake.meal_items import MealItem
from vitk2.intake.meal_text import read_item
from vitk2.intake.meals import MealParser


@pytest.fixture(scope="module")
def parser() -> MealParser:
    return MealParser(FoodDB.default())


def _only(parser: MealParser, text: str) -> MealItem:
    items = parser.parse(text).items
    assert len(items) == 1, [item.text for item in items]
    return items[0]


@pytest.mark.parametrize(
    ("text", "dish"),
    [("a fish finger sandwich", "sandwich"), ("a pulled pork sandwich", "sandwich")],
)
def test_a_query_ending_in_a_dish_word_is_that_dish(
    parser: MealParser, text: str, dish: str
) -> None:
    """Not the fish sticks, not the pulled pork in sauce: a sandwich, or nothing."""
    item = _only(parser, text)
    assert item.status == "unresolved" or dish in (item.name or "").lower(), item.name


def test_a_salad_is_no_salad_dressing(parser: MealParser) -> None:
    item = _only(parser, "a caesar salad")
    assert item.status == "ok"
    assert "dressing," not in (item.name or "").lower() and "salad" in (item.name or "").lower()


def test_a_dish_word_after_the_food_is_no_cooking_method(parser: MealParser) -> None:
    """'grilled salmon' is salmon, grilled; 'beef stew' is a stew, not ground beef."""
    hits = parser.db.search("beef stew", limit=1)
    assert "stew" in hits[0].name.lower()
    assert "ground" not in _only(parser, "beef stew").name.lower()  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["chicken nuggets", "a corn dog", "a beef burrito"])
def test_a_packaged_product_does_not_stand_for_the_dish(parser: MealParser, text: str) -> None:
    """SR28's frozen products ('…, frozen, not reheated', '…, frozen, prepared') rank
    with FNDDS's dishes as eaten; the words said no package."""
    item = _only(parser, text)
    assert item.status == "ok"
    assert "frozen" not in (item.name or "").lower().split(", ")[1:], item.name


def test_a_brand_the_words_name_keeps_its_product(parser: MealParser) -> None:
    item = _only(parser, "a whopper")
    assert "whopper" in (item.name or "").lower()


def test_an_unweighable_food_takes_the_food_as_eaten_named_by_its_head(
    parser: MealParser,
) -> None:
    """'porridge' is SR28's cooked oats, which have no portion for an amount-free item:
    FNDDS's oatmeal, the plain one (its 'NS as to …' words cost nothing), stands in."""
    item = _only(parser, "porridge")
    assert item.status == "ok" and item.ref is not None and item.ref.startswith("fndds:")
    assert (item.name or "").startswith("Oatmeal, NS as to")
    assert any("the food as eaten used" in note for note in item.notes)


def test_the_food_as_eaten_is_no_other_product(parser: MealParser) -> None:
    """'Frozen yogurt, vanilla' does not stand in for a vanilla yogurt."""
    item = _only(parser, "a vanilla yogurt")
    assert "frozen" not in (item.name or "").lower()


def test_a_text_in_french_reads_its_articles_as_french(parser: MealParser) -> None:
    """'du' is a French article once 'fromage' shows the text is French, not the 'du'
    of 'Port du Salut'; 'café' is coffee, not a café mocha."""
    cheese = _only(parser, "du fromage")
    assert cheese.name is not None and "salut" not in cheese.name.lower()
    assert cheese.name.startswith("Cheese")
    coffee = parser.parse("un croissant et un café").items[1]
    assert coffee.name is not None and "mocha" not in coffee.name.lower()


def test_a_dish_name_holding_and_is_read_before_the_split(parser: MealParser) -> None:
    item = _only(parser, "steak and kidney pie")
    assert item.name == "Beef pot pie"
    assert any("neither SR28 nor FNDDS" in note for note in item.notes)


def test_an_ampersand_inside_a_word_does_not_split(parser: MealParser) -> None:
    assert len(parser.parse("a packet of m&ms").items) == 1
    assert len(parser.parse("ham & eggs").items) == 2


def test_a_drink_sold_to_be_made_up_is_taken_made_up(parser: MealParser) -> None:
    """'lemonade' is not the frozen concentrate as sold."""
    name = parser.db.search("lemonade", limit=1)[0].name.lower()
    assert "concentrate" not in name or "prepared" in name
    assert "powder" in parser.db.search("cocoa powder", limit=1)[0].name.lower()


@pytest.mark.parametrize(
    ("text", "topping"), [("avocado toast", "Avocado"), ("peanut butter toast", "Peanut butter")]
)
def test_a_topping_before_toast_is_a_topping_on_toast(
    parser: MealParser, text: str, topping: str
) -> None:
    """Two items, the topping and the toast; nothing dropped without a word."""
    first, second = parser.parse(f"2 slices of {text}").items
    assert (first.name or "").startswith(topping)
    assert "toasted" in (second.name or "") and second.quantity == 2


@pytest.mark.parametrize("text", ["french toast", "wholemeal toast", "rye toast", "buttered toast"])
def test_toast_that_a_name_says_stays_one_item(parser: MealParser, text: str) -> None:
    assert len(parser.parse(text).items) == 1


@pytest.mark.parametrize("text", ["whole wheat toast", "whole milk", "whole grain bread"])
def test_whole_without_a_count_is_part_of_the_name(parser: MealParser, text: str) -> None:
    item = _only(parser, text)
    assert item.status == "ok" and item.unit != "whole", (item.name, item.problem)


def test_whole_with_a_count_counts() -> None:
    words = read_item("2 whole apples")
    assert (words.quantity, words.unit, words.words) == (2, "whole", "apples")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("a bowl of ramen", "Noodle soup"),
        ("vietnamese spring rolls", "Roll with meat and/or shrimp"),
        ("a pulled pork sandwich", "Pork barbecue sandwich"),
    ],
)
def test_everyday_dish_names_the_tables_spell_otherwise(
    parser: MealParser, text: str, name: str
) -> None:
    item = _only(parser, text)
    assert item.status == "ok" and (item.name or "").startswith(name), item.name
    assert item.notes, "the reading is said"
