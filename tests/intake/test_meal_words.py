"""How the parser reads words: one dish or two, additions, unknown and foreign words,
food ids, and the portion of an item written without an amount."""

from __future__ import annotations

import pytest

from vitk2 import FoodDB
from vitk2.foods.portions import amount_free_portion
from vitk2.foods.values import Portion
from vitk2.intake.dishes import names_dish
from vitk2.intake.food_words import foreign_words, translate
from vitk2.intake.meals import UNKNOWN_WORD_MIN_SIMILARITY, MealParser


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def _texts(parser: MealParser, text: str) -> list[str]:
    return [item.text for item in parser.parse(text).items]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("mac and cheese", ["mac and cheese"]),
        ("macaroni and cheese, 1 cup peas", ["macaroni and cheese", "1 cup peas"]),
        ("1 cup half and half", ["1 cup half and half"]),
        ("sweet and sour pork", ["sweet and sour pork"]),
        ("spaghetti and meatballs", ["spaghetti and meatballs"]),
        # the vocabulary names no such dish: two items
        ("eggs and toast", ["eggs", "toast"]),
        ("bacon and eggs", ["bacon", "eggs"]),
        ("fish and chips", ["fish", "chips"]),
        ("coffee with cream", ["coffee", "cream"]),
        # an amount on the right is a second item even inside a dish name
        ("2 eggs and 1 slice of toast", ["2 eggs", "1 slice of toast"]),
    ],
)
def test_one_dish_or_two(parser: MealParser, text: str, items: list[str]) -> None:
    assert _texts(parser, text) == items


def test_names_dish_reads_the_name_not_a_list() -> None:
    assert names_dish("ham and cheese sandwich", "Ham and cheese sandwich, with lettuce")
    assert names_dish("chicken curry with rice", "Chicken curry with rice")
    assert names_dish("rice and beans", "Beans and rice, from fast food / restaurant")
    assert not names_dish("eggs and toast", "Bread, egg, toasted")
    assert not names_dish("bacon and eggs", "Bacon and egg sandwich")  # more than asked
    assert not names_dish("bacon and eggs", "Fast foods, biscuit, with egg and bacon")
    assert not names_dish("coffee with cream", "Frozen coffee drink, with whipped cream")
    assert not names_dish("porridge with milk", "Oatmeal, made with milk, NS as to fat")


def test_addition_to_a_drink_is_a_small_amount_said_so(parser: MealParser) -> None:
    coffee, cream, sugar = parser.parse("a cup of coffee with cream and sugar").items
    assert coffee.grams == pytest.approx(237)  # SR28 1 cup (8 fl oz)
    # FNDDS guideline amounts per fl oz of beverage: cream 2.5 g, sugar 1.4 g
    assert cream.ref == "usda:01050"  # SR28's own "coffee cream", not sour cream
    assert cream.grams == pytest.approx(2.5 * 237 / 29.5735)
    assert sugar.grams == pytest.approx(1.4 * 237 / 29.5735)
    assert "guideline" in cream.notes[0] and "12110100" in cream.notes[0]
    # a drink without a weight: the survey's portion (FNDDS tea, 360 g), said; the milk
    # is the guideline amount for that many fl oz
    tea, milk = parser.parse("tea with milk").items
    assert tea.grams == 360.0 and "no amount given" in tea.notes[0]
    assert milk.ref == "usda:01077" and milk.grams == pytest.approx(2.5 * 360 / 29.5735)
    assert "guideline" in milk.notes[0]


def test_addition_to_porridge_and_bread(parser: MealParser) -> None:
    _, milk = parser.parse("porridge with milk").items
    assert milk.grams == pytest.approx(61.0)  # FNDDS per cup of hot cereal
    _, butter = parser.parse("2 slices of toast with butter").items
    assert butter.grams == pytest.approx(14.0)  # FNDDS 7 g per slice of bread
    # a stated amount is read as written, not as an addition
    _, cream = parser.parse("a cup of coffee with 2 tbsp cream").items
    assert cream.unit == "tbsp" and not any("guideline" in n for n in cream.notes)


@pytest.mark.parametrize("text", ["50 g glue", "100 g lego bricks", "1 cup motor oil",
                                  "100 g unicorn meat"])  # fmt: skip
def test_unknown_words_are_not_fuzzily_matched(parser: MealParser, text: str) -> None:
    (item,) = parser.parse(text).items
    assert item.status == "unresolved" and item.ref is None
    assert item.suggestions[-1].startswith("or look it up: vitk2 foods search")


def test_typos_close_to_a_food_word_still_resolve(parser: MealParser) -> None:
    assert UNKNOWN_WORD_MIN_SIMILARITY == 0.92  # docs/benchmarks.md: the curve
    (item,) = parser.parse("30 g chedar").items
    assert item.ref == "usda:01009"
    (walnuts,) = parser.parse("10 walnut halves").items  # a form word, not a food word
    assert walnuts.status == "ok"


def test_foreign_food_words(parser: MealParser) -> None:
    (kaese,) = parser.parse("200 g Käse").items
    assert kaese.name is not None and kaese.name.startswith("Cheese,")  # not kale
    assert kaese.grams == 200 and "Käse read as cheese" in kaese.notes
    (creme,) = parser.parse("100 g crème fraîche").items
    assert creme.ref == "usda:01056"  # sour cream, not creme de menthe
    assert any("neither SR28 nor FNDDS" in note for note in creme.notes)
    roll, butter = parser.parse("ein Brötchen mit Butter").items
    assert roll.name is not None and roll.name.startswith("Rolls, hard")
    assert butter.grams == pytest.approx(7.0)  # "mit" is "with": an addition to bread
    # words the vocabulary knows are left alone
    assert translate("chili con carne", known=lambda word: True) == ("chili con carne", {})


#: The dictionary's languages (ISO 639-1): German, French, Spanish, Dutch, Italian, and
#: the names of dishes from Polish, Hindi and Greek kitchens; English rows name dishes
#: neither table holds.
_LANGUAGES = frozenset({"de", "fr", "es", "nl", "it", "pl", "hi", "el", "en"})


def test_dictionary_rows_are_complete() -> None:
    rows = foreign_words()
    assert len(rows) >= 40
    for row in rows:
        assert row.words and row.means and row.language in _LANGUAGES
        # English rows are dishes neither table holds: each says which it stands for
        assert row.language != "en" or row.note
        assert row.kind in {"food", "grammar"}


def test_foods_by_id(parser: MealParser) -> None:
    (cheddar,) = parser.parse("30 g usda:01009").items
    assert (cheddar.ref, cheddar.grams) == ("usda:01009", 30.0)
    (slices,) = parser.parse("2 slices usda:01009").items
    assert slices.status == "ok" and slices.grams == pytest.approx(2 * 28.0)
    (missing,) = parser.parse("100 g fndds:12345678").items
    assert missing.status == "unresolved" and "No food has the id" in (missing.problem or "")


def test_amount_free_portion_prefers_the_survey_portion() -> None:
    unspecified = Portion(1.0, "Quantity not specified", 165.0)
    medium = Portion(1.0, "medium", 182.0)
    assert amount_free_portion([Portion(1.0, "cup", 240.0), unspecified]) == unspecified
    assert amount_free_portion([medium, unspecified]) == unspecified
    assert amount_free_portion([Portion(1.0, "cup", 240.0), medium]) == medium
    assert amount_free_portion([Portion(1.0, "cup", 240.0)]) is None


def test_count_without_a_named_measure_says_which_size(parser: MealParser) -> None:
    (apple,) = parser.parse("an apple").items
    assert apple.grams == pytest.approx(182) and "1 medium" in apple.notes[0]
    (breast,) = parser.parse("1 chicken breast").items  # the words name the measure
    assert not any(note.startswith("one taken as") for note in breast.notes)
