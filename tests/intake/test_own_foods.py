"""Your own foods and recipes in the domain: label rules (unknown is never 0, the
vitamin K rule), recipe values from the real food database (with a Hypothesis
property: per-100 g × weight = Σ ingredient contributions, and servings scale
linearly), and finding and weighing them in meal text."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vitk2 import FoodDB
from vitk2.errors import InvalidOptionError
from vitk2.foods.amounts import MAX_ITEM_GRAMS
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.intake.meals import MealParser
from vitk2.intake.own_foods import (
    Ingredient,
    check_own_name,
    label_amounts,
    label_food,
    read_serving,
    recipe_food,
)
from vitk2.intake.own_values import DiaryFoods
from vitk2.intake.totals import KEYS, food_intake, sum_intakes

# Real foods with known and unknown values: cheddar (K2 measured), beef (K2 unknown in
# SR28), kale (K1, K2 by rule), white bread, whole milk, natto (MK-7 measured).
FOODS = ["usda:01009", "usda:23220", "usda:11233", "usda:18069", "usda:01077", "usda:16113"]
CHECKED = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg", "energy_kcal")


def bar(**label: str) -> object:
    return label_food("MyBar", "1 bar", grams=40, label=label or {"calcium": "200mg"})


# -- labels ----------------------------------------------------------------------------------


def test_a_label_states_what_it_states_and_nothing_else() -> None:
    food = label_food(
        "MyBar", "1 bar (40 g)", grams=None,
        label={"calcium": "200 mg", "vitd": "80 IU", "energy": "753 kJ", "sugars": "0g"},
    )  # fmt: skip
    assert food.serving is not None and food.serving.grams == 40.0
    full = label_amounts(food)
    assert full["vitd_ug"] == 2.0  # 40 IU = 1 µg
    assert full["energy_kj"] == 753.0
    assert math.isclose(full["energy_kcal"], 753 / 4.184)
    assert full["sugars_g"] == 0.0  # the label says none: a known 0, not unknown
    vector = DiaryFoods(FoodDB.default(), [food]).vectors([food.ref])[food.ref]
    values = dict(zip(KEYS, vector.values, strict=True))
    assert values["calcium_mg"] == 500.0  # per 100 g
    assert values["k1_ug"] is None and values["k2_ug"] is None and values["protein_g"] is None
    assert vector.k2_basis == "unknown"


def test_a_labels_vitamin_k_is_all_vitamin_k_and_k2_follows_the_menaquinones() -> None:
    plain = label_amounts(bar(vitk="30ug"))  # type: ignore[arg-type]
    assert plain == {"vitk_ug": 30.0}  # neither K1 nor K2: the label does not say
    named = label_amounts(bar(mk7="10ug", mk4="2ug"))  # type: ignore[arg-type]
    assert named["k2_ug"] == 12.0 and "vitk_ug" not in named and "k1_ug" not in named
    both = label_amounts(bar(k1="5ug", mk7="10ug"))  # type: ignore[arg-type]
    assert both["vitk_ug"] == 15.0
    with pytest.raises(InvalidOptionError, match="less than the sum of its parts"):
        bar(mk7="10ug", k2="5ug")
    with pytest.raises(InvalidOptionError, match="IU is defined for vitamin D only"):
        bar(k1="100IU")


@pytest.mark.parametrize(
    ("per", "grams", "expected"),
    [
        ("1 bar", 40, (1.0, "bar", 40.0)),
        ("2 biscuits", 25, (2.0, "biscuit", 25.0)),
        ("100g", None, (100.0, "g", 100.0)),
        ("3.5 oz", None, (3.5, "oz", 3.5 * 28.349523125)),
        ("250 ml", 258, (250.0, "ml", 258.0)),
        ("1 pot (125 g)", None, (1.0, "pot", 125.0)),
        ("slice", 30, (1.0, "slice", 30.0)),
    ],
)
def test_the_labels_serving(per: str, grams: float | None, expected: tuple[object, ...]) -> None:
    serving = read_serving(per, grams)
    assert (serving.quantity, serving.unit) == expected[:2]
    assert math.isclose(serving.grams, float(expected[2]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "match"),
    [("2 eggs", "start with a letter"), ("a,b", "contains ','"), ("x (y)", r"contains '\('"),
     ("my:0000abcd", "contains ':'"), ("", "needs a name"), ("x" * 61, "at most 60")],
)  # fmt: skip
def test_names_meal_text_could_not_name_are_refused(name: str, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        check_own_name(name)
    assert check_own_name("  Oma's  Linsen-Eintopf ") == "Oma's Linsen-Eintopf"


# -- recipes ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(FOODS), st.floats(1, 1000, allow_nan=False)),
        min_size=1,
        max_size=5,
    ),
    serves=st.integers(1, 12),
    cooked=st.one_of(st.none(), st.floats(0.5, 3.0)),
    servings=st.floats(0.25, 4.0),
)
def test_recipe_values_are_the_sum_of_their_ingredients(
    parts: list[tuple[str, float]], serves: int, cooked: float | None, servings: float
) -> None:
    db = FoodDB.default()
    ingredients = [Ingredient(ref, ref, grams, f"{grams} g {ref}") for ref, grams in parts]
    raw = math.fsum(grams for _, grams in parts)
    yield_g = None if cooked is None else raw * cooked
    # One serving weighs at most what one logged item may (a larger one is refused, as
    # test_impossible_recipes_are_refused checks).
    assume((yield_g or raw) / serves <= MAX_ITEM_GRAMS)
    recipe = recipe_food("dish", ingredients, serves=serves, yield_g=yield_g, ref="my:0000d15e")
    foods = DiaryFoods(db, [recipe])
    vector = foods.vectors([recipe.ref])[recipe.ref]
    # What each ingredient brings, summed the way a meal is summed.
    summed = sum_intakes(food_intake(db.vectors([ref])[ref], grams) for ref, grams in parts)
    for key in CHECKED:
        value = vector.values[KEYS.index(key)]
        total = summed.total(key)
        if total.value is None:
            assert value is None, key
            continue
        assert value is not None
        assert math.isclose(value * recipe.total_g / 100, total.value, rel_tol=1e-9, abs_tol=1e-9)
        assert (key in vector.partial) == total.lower_bound, key
    # The whole dish's K2 coverage is its ingredients' grams, by basis.
    whole = food_intake(vector, recipe.total_g)
    assert math.isclose(whole.coverage.unknown_g / recipe.total_g, summed.coverage.unknown_g / raw)
    # Servings scale linearly, and so do the lower bounds.
    one = food_intake(vector, recipe.serving_g)
    many = food_intake(vector, recipe.serving_g * servings)
    for key in CHECKED:
        a, b = one.amounts[key], many.amounts[key]
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert math.isclose(b, a * servings, rel_tol=1e-9, abs_tol=1e-12)
    assert many.incomplete == one.incomplete


def test_a_recipe_needs_sane_servings_and_cooked_weight() -> None:
    ingredients = [Ingredient("usda:01009", "Cheese, cheddar", 200, "200 g cheddar")]
    with pytest.raises(InvalidOptionError, match="--serves must be above 0"):
        recipe_food("x", ingredients, serves=0)
    with pytest.raises(InvalidOptionError, match="less than a tenth"):
        recipe_food("x", ingredients, serves=1, yield_g=10)
    with pytest.raises(InvalidOptionError, match="more than 2,000 g"):
        recipe_food("x", ingredients, serves=1, yield_g=2001)
    heavy = [Ingredient("usda:01009", "Cheese, cheddar", 5000, "5 kg cheddar")] * 2
    with pytest.raises(InvalidOptionError, match=r"one serving would weigh 10\.0 kg"):
        recipe_food("x", heavy, serves=1)


# -- meal text -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    toast = recipe_food(
        "cheese toast",
        [Ingredient("usda:01009", "Cheese, cheddar", 30, "30 g cheddar"),
         Ingredient("usda:18029", "Bread, french or vienna (includes sourdough)", 60,
                    "60 g sourdough bread")],
        serves=2, ref="my:00000001",
    )  # fmt: skip
    mybar = label_food("MyBar", "1 bar", grams=40, label={"calcium": "200mg"}, ref="my:00000002")
    yog = label_food("MyYog", "100 g", grams=None, label={"calcium": "120mg"}, ref="my:00000003")
    kefir = label_food(
        "MyKefir", "250 ml", grams=258, label={"calcium": "300mg"}, ref="my:00000004"
    )
    chili = recipe_food(
        "chili and rice", [Ingredient("usda:01009", "Cheese, cheddar", 10, "10 g cheddar")],
        serves=1, ref="my:00000005",
    )  # fmt: skip
    return MealParser(db, own_foods=[toast, mybar, yog, kefir, chili])


@pytest.mark.parametrize(
    ("text", "ref", "grams", "unit"),
    [
        ("1 serving cheese toast (my recipe)", "my:00000001", 45.0, "serving"),
        ("2 servings of cheese toast", "my:00000001", 90.0, "serving"),
        ("half a serving of Cheese Toast", "my:00000001", 22.5, "serving"),
        ("150 g cheese toast", "my:00000001", 150.0, "g"),
        ("my cheese toast", "my:00000001", 45.0, "serving"),
        ("2 cheese toasts", "my:00000001", 90.0, "serving"),
        ("100 g my:00000001", "my:00000001", 100.0, "g"),
        ("1 bar MyBar", "my:00000002", 40.0, "bar"),
        ("2 MyBars", "my:00000002", 80.0, "bar"),
        ("2 bars of mybar (my food)", "my:00000002", 80.0, "bar"),
        ("MyBar", "my:00000002", 40.0, "bar"),
        ("1 serving MyBar", "my:00000002", 40.0, "serving"),
        ("150 g MyYog", "my:00000003", 150.0, "g"),
        ("200 ml MyKefir", "my:00000004", 206.4, "ml"),
        ("chili and rice", "my:00000005", 10.0, "serving"),
    ],
)
def test_your_foods_in_meal_text(
    parser: MealParser, text: str, ref: str, grams: float, unit: str
) -> None:
    (item,) = parser.parse(text).items
    assert (item.status, item.ref, item.unit) == ("ok", ref, unit), item.problem
    assert item.grams is not None and math.isclose(item.grams, grams)
    assert any(note.startswith("your ") for note in item.notes)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 cup cheese toast", "has no 'cup' measure"),
        ("MyYog", "How much MyYog (my food)? Its label is per 100 g"),
        ("1 serving MyYog", "How much MyYog"),
        ("2 slices MyBar", "has no 'slice' measure"),
        ("100 g my:0000ffff", "None of your own foods has the id"),
    ],
)
def test_what_cannot_be_weighed_is_unresolved(parser: MealParser, text: str, problem: str) -> None:
    (item,) = parser.parse(text).items
    assert item.status == "unresolved"
    assert item.problem is not None and problem in item.problem


def test_a_recipe_with_an_unknown_part_is_a_lower_bound_in_a_meal(parser: MealParser) -> None:
    meal = parser.parse("1 serving cheese toast, 30 g cheddar")
    # Sourdough bread has no K2 value: the toast's K2 (cheddar's) is a lower bound.
    toast, cheddar = meal.items
    assert toast.intake is not None and "k2_ug" in toast.intake.incomplete
    assert toast.as_dict()["incomplete"] and cheddar.as_dict()["incomplete"] == []
    assert meal.totals.total("k2_ug").lower_bound
    unknown_g = meal.totals.coverage.unknown_g
    assert math.isclose(unknown_g, 45.0 * 60 / 90)  # the bread's share of the serving
    assert NUTRIENTS["k2_ug"].unit == "µg"
