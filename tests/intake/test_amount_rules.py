"""Issue 12, part 5: which portion weighs an item once its food is chosen (the shipped
database, through `MealParser`).

Each test pins one amount rule of `vitk2.intake._weights` / `vitk2.foods.portions`
with the food's real measures, so that a rule that stops applying fails here and
not only in the labelled-set benchmark.
"""

from __future__ import annotations

import pytest

from vitk2 import FoodDB
from vitk2.foods.values import Portion
from vitk2.intake.meals import MealParser

UNSPECIFIED = "Quantity not specified"


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def _portion(db: FoodDB, food: str, unit: str) -> Portion:
    (portion,) = [p for p in db.all_portions()[food] if p.unit == unit]
    return portion


# -- the cooked yield of a pound is no piece ----------------------------------------


def test_the_cooked_yield_of_a_pound_of_meat_is_not_one_piece(
    parser: MealParser, db: FoodDB
) -> None:
    """SR28 top sirloin's only count measure is the cooked yield of 1 lb raw (292 g):
    by id, "1" of it cannot be weighed (vitk2 asks), and "a steak" is the steak as
    eaten, weighed with the survey's portion."""
    sirloin = "usda:13454"
    units = [p.unit for p in db.all_portions()[sirloin]]
    assert any("yield from 1 lb" in unit for unit in units)
    (by_id,) = parser.parse(f"1 {sirloin}").items
    assert by_id.status == "unresolved" and by_id.problem is not None
    assert by_id.problem.startswith("How much")

    (steak,) = parser.parse("a steak").items
    assert steak.status == "ok" and steak.ref is not None and steak.grams is not None
    assert steak.grams == _portion(db, steak.ref, UNSPECIFIED).grams
    assert not any("yield" in note for note in steak.notes)
    assert any("US dietary survey" in note for note in steak.notes)


def test_a_chop_that_yields_one_chop_is_still_one(parser: MealParser) -> None:
    """Only the yield of a pound is refused: "1 chop (yield from 1 raw chop)" is a chop."""
    (chop,) = parser.parse("a pork chop").items
    assert chop.status == "ok" and chop.grams is not None
    assert any("chop" in note for note in chop.notes)


# -- a count of a food whose survey portion is several pieces ------------------------


def test_a_count_is_one_medium_piece_when_the_survey_portion_is_several(
    parser: MealParser, db: FoodDB
) -> None:
    """FNDDS 'Dumpling, plain': small 18, medium 32, large 52 g and 100 g when no
    amount is given (about three): 4 dumplings are 4 medium ones, and the note says
    why the survey's portion was not used."""
    (item,) = parser.parse("4 dumplings").items
    assert item.ref == "fndds:55610300"
    medium = _portion(db, item.ref, "medium")
    unspecified = _portion(db, item.ref, UNSPECIFIED)
    assert unspecified.grams > _portion(db, item.ref, "large").grams
    assert item.grams == 4 * medium.grams
    assert any(
        "1 medium" in note and f"{unspecified.grams:g} g" in note and "several" in note
        for note in item.notes
    )


def test_an_sr28_cookie_counts_medium_cookies_of_its_twin(parser: MealParser, db: FoodDB) -> None:
    """SR28 reduced-fat chocolate chip cookies have no count measure; their FNDDS twin
    has sizes and 60 g when no amount is given (two medium cookies)."""
    (item,) = parser.parse("2 usda:18158").items
    twin = "fndds:53206030"
    assert item.grams == 2 * _portion(db, twin, "medium").grams
    assert any(db.names()[twin][0] in note for note in item.notes)


def test_a_count_whose_survey_portion_is_one_item_keeps_it(parser: MealParser, db: FoodDB) -> None:
    """A latte's survey portion (360 g) is its small size: one latte, not a medium one."""
    (item,) = parser.parse("a latte").items
    assert item.ref is not None and item.ref.startswith("fndds:")
    assert item.grams == _portion(db, item.ref, UNSPECIFIED).grams


# -- containers ----------------------------------------------------------------------


def test_a_bag_is_the_single_serving_bag_of_the_food_as_eaten(
    parser: MealParser, db: FoodDB
) -> None:
    """SR28 potato chips come in a retail "bag (8 oz)"; their FNDDS twin has single
    serving bags (small, medium, large): a bag is the one the survey uses when no
    amount is given (the small one), and the note names it."""
    (item,) = parser.parse("1 bag of usda:19411").items
    assert _portion(db, "usda:19411", "bag (8 oz)").grams == 227.0
    twin = "fndds:71200010"
    small = _portion(db, twin, "small single serving bag")
    assert small.grams == _portion(db, twin, UNSPECIFIED).grams
    assert item.grams == small.grams
    assert any("'1 small single serving bag'" in note for note in item.notes)
    assert any(db.names()[twin][0] in note for note in item.notes)


def test_a_plain_can_of_the_food_itself_is_kept(parser: MealParser, db: FoodDB) -> None:
    """SR28 canned tuna has a plain "can" (165 g); its twin only sized cans (3, 6.5,
    13 oz): the plain can is the can."""
    (item,) = parser.parse("1 can usda:15121").items
    assert item.grams == _portion(db, "usda:15121", "can").grams


# -- a count named by the food's noun, when the food has sizes -----------------------


def test_a_muffin_of_a_food_with_sizes_is_its_medium_size(parser: MealParser, db: FoodDB) -> None:
    """SR28 blueberry muffins "(Includes mini-muffins)" list "muffin" (31 g) next to
    mini, small, medium, large and extra large: one muffin is the medium, and the
    note says that size was taken."""
    muffins = "usda:18274"
    assert _portion(db, muffins, "muffin").grams == 31.0
    medium = _portion(db, muffins, "medium")
    (item,) = parser.parse("1 usda:18274").items
    assert item.ref == muffins and item.grams == medium.grams
    assert any(f"one taken as 1 medium ({medium.grams:g} g)" in n for n in item.notes)


def test_one_pizza_is_the_personal_size(parser: MealParser, db: FoodDB) -> None:
    """FNDDS pizzas list whole pizzas from personal (5-7") to extra large: one pizza
    of no size is one person's, the personal size; "a large pizza" stays large."""
    (one,) = parser.parse("a cheese pizza").items
    assert one.ref is not None and one.ref.startswith("fndds:")
    personal = _portion(db, one.ref, 'personal size pizza (5-7" diameter)')
    assert one.grams == personal.grams
    assert any("personal size pizza" in note for note in one.notes)
    (sized,) = parser.parse("a large cheese pizza").items
    assert sized.ref == one.ref
    assert sized.grams == _portion(db, one.ref, 'large pizza (13-15" diameter)').grams


# -- plurals with no number ----------------------------------------------------------


def test_a_plural_vegetable_is_a_serving_not_two_whole_ones(parser: MealParser, db: FoodDB) -> None:
    """ "hummus and carrots": the carrots are the survey's portion of carrots (60 g),
    not two whole regular carrots (2 x 60 g); "eggs" are still two eggs."""
    *_, carrots = parser.parse("hummus and carrots").items
    assert carrots.ref is not None and carrots.grams is not None
    assert db.names()[carrots.ref][1] == "Vegetables and Vegetable Products"
    assert not any("2 x" in note for note in carrots.notes)
    assert any(
        f"no amount given: {carrots.grams:g} g, the portion the US dietary survey" in note
        for note in carrots.notes
    )
    (eggs,) = parser.parse("eggs").items
    assert eggs.grams == 2 * 50.0
    assert any("taken as 2 x 1 egg" in note for note in eggs.notes)


def test_a_plural_whose_unit_the_words_do_not_name_is_two_whole_ones(
    parser: MealParser, db: FoodDB
) -> None:
    """ "bangers" names no measure of pork sausage; its twin's whole-food unit is a
    75 g piece, and two of them are more than the survey's 60 g."""
    (bangers,) = parser.parse("bangers").items
    assert bangers.ref is not None and bangers.grams is not None
    twin = "fndds:25221405"
    assert any(db.names()[twin][0] in note for note in bangers.notes)
    assert bangers.grams == 2 * _portion(db, twin, "piece").grams
    assert bangers.grams > _portion(db, twin, UNSPECIFIED).grams
    assert any("'bangers' taken as 2 x 1 piece" in note for note in bangers.notes)


def test_a_size_of_a_container_is_no_piece_of_the_food(parser: MealParser, db: FoodDB) -> None:
    """FNDDS bagel chips have a "small or medium single serving bag" and a "large
    single serving bag": neither is one chip, so "chips" is the survey's portion."""
    twin = "fndds:54440010"
    assert _portion(db, twin, "large single serving bag").grams == 85.0
    (chips,) = parser.parse("bagel chips").items
    assert chips.ref == "usda:25046"
    assert chips.grams == _portion(db, twin, UNSPECIFIED).grams


# -- which FNDDS food lends its portions --------------------------------------------


def test_a_hard_boiled_egg_is_weighed_as_a_boiled_egg_not_a_pickled_one(
    parser: MealParser, db: FoodDB
) -> None:
    """FNDDS 'Egg, whole, pickled' is 99 % SR28 hard-boiled egg (its twin by recipe),
    but the note should name the boiled egg FNDDS makes from raw egg."""
    shares = db.main_ingredients()
    assert shares["fndds:31107000"] == ("usda:01129", pytest.approx(0.993))
    (eggs,) = parser.parse("2 boiled eggs").items
    assert eggs.ref == "usda:01129"
    assert eggs.grams == 2 * _portion(db, "fndds:31103010", "egg").grams
    assert any("FNDDS 'Egg, whole, boiled or poached'" in note for note in eggs.notes)
    assert not any("pickled" in note for note in eggs.notes)


def test_a_pure_twin_named_differently_is_kept(parser: MealParser) -> None:
    """SR28 whole-wheat naan's twin is all naan ("Naan, Indian flatbread"): it lends
    its portions although its name has words the SR28 name has not."""
    (naan,) = parser.parse("usda:28287").items
    assert any("FNDDS 'Naan, Indian flatbread'" in note for note in naan.notes)
