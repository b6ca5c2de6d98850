"""The meal parser on the real food database: amounts, units, grams, supplements,
unresolved items, honest totals, and additivity of totals (property test)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vitk2 import FoodDB
from vitk2.errors import InvalidOptionError, MealParseError
from vitk2.intake.meal_text import Piece, read_item, split_items, split_pieces
from vitk2.intake.meals import MealParser
from vitk2.intake.supplements import AmbiguousSupplementError, define_product, read_supplement
from vitk2.intake.totals import KEYS


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def test_issue_example(parser: MealParser, db: FoodDB) -> None:
    meal = parser.parse("2 slices of gouda, a boiled egg and 50 g natto; 1 cup whole milk")
    assert [(i.ref, i.status) for i in meal.items] == [
        ("usda:01022", "ok"),
        ("usda:01129", "ok"),
        ("usda:16113", "ok"),
        ("usda:01077", "ok"),
    ]
    egg, natto, milk = meal.items[1:]
    assert egg.grams == 50.0  # SR28: 1 large = 50 g
    assert natto.grams == 50.0
    assert milk.grams == 244.0  # SR28: 1 cup = 244 g
    # Nutrients are the database values scaled by grams.
    natto_food = db.get("usda:16113")
    assert natto.intake is not None
    mk7 = natto_food.nutrient("mk7_ug").value
    assert mk7 is not None
    assert natto.intake.amounts["mk7_ug"] == pytest.approx(mk7 * 0.5)
    calcium = sum(
        (db.get(i.ref).nutrient("calcium_mg").value or 0) * (i.grams or 0) / 100
        for i in meal.items
        if i.ref
    )
    assert meal.totals.values["calcium_mg"] == pytest.approx(calcium)


def test_gouda_slice_is_borrowed_from_other_cheeses_and_says_so(parser: MealParser) -> None:
    item = parser.parse("2 slices of gouda").items[0]
    assert item.status == "ok"
    assert item.grams == pytest.approx(56.0)
    assert any("median 'slice'" in note for note in item.notes)


@pytest.mark.parametrize(
    ("text", "quantity", "unit", "words"),
    [
        ("½ cup rice", 0.5, "cup", "rice"),
        ("1½ cups rice", 1.5, "cup", "rice"),
        ("1 1/2 slices bread", 1.5, "slice", "bread"),
        ("half a cup of rice", 0.5, "cup", "rice"),
        ("two large eggs", 2, "large", "eggs"),
        ("3 fl. oz. milk", 3, "fl oz", "milk"),
        ("natto 50g", 50, "g", "natto"),
        ("gouda (2 slices)", 2, "slice", "gouda"),
        ("1.5 kg potatoes", 1.5, "kg", "potatoes"),
        ("a pat of butter", 1, "pat", "butter"),
        ("2 tablespoons olive oil", 2, "tbsp", "olive oil"),
        ("toast", None, None, "toast"),
        ("a 5 oz cod fillet", 5, "oz", "cod fillet"),
        ("a small pot of natural yoghurt (125 g)", 125, "g", "natural yoghurt"),
        ("feta 1/2 cup crumbled", 0.5, "cup", "feta  crumbled"),
        ("onigiri x2", 2, None, "onigiri"),
        ("- 1 serving pork sausage", 1, "serving", "pork sausage"),
    ],
)
def test_read_item(text: str, quantity: float | None, unit: str | None, words: str) -> None:
    item = read_item(text)
    assert (item.quantity, item.unit, item.words) == (quantity, unit, words)


def test_separators() -> None:
    text = "gouda, brie; 1 egg\n2 cups milk + toast & jam and tea with lemon plus honey"
    assert split_items(text) == [
        "gouda", "brie", "1 egg", "2 cups milk", "toast", "jam", "tea", "lemon", "honey"
    ]  # fmt: skip
    # Splitting knows words, not foods: the parser joins dish names back.
    assert split_pieces("macaroni and cheese, 1 cup peas") == [
        Piece("macaroni"), Piece("cheese", "and"), Piece("1 cup peas")
    ]  # fmt: skip
    # headings, dish titles, "made with", "on"/"in" before an amount, a lone amount
    assert split_items("Breakfast: 2 eggs scrambled in 1 tsp butter\nLunch:\n- kefir, 250 ml") == [
        "2 eggs scrambled", "1 tsp butter", "kefir 250 ml"
    ]  # fmt: skip
    assert split_items("liver and onions - 100 g beef liver, 1 onion") == [
        "100 g beef liver", "1 onion"
    ]  # fmt: skip
    assert split_items("porridge made with 40g oats on 2 slices of toast") == [
        "40g oats", "2 slices of toast"
    ]  # fmt: skip
    assert split_items("2 eggs - 1 cup milk") == ["2 eggs", "1 cup milk"]


def test_units_convert_through_the_food(parser: MealParser) -> None:
    items = parser.parse("1 tbsp butter, 2 oz cheddar, 1 lb potatoes, 200 ml whole milk").items
    butter, cheddar, potatoes, milk = items
    assert butter.grams == pytest.approx(14.2)  # SR28 butter 1 tbsp = 14.2 g
    assert cheddar.grams == pytest.approx(2 * 28.3495, rel=1e-4)
    assert potatoes.grams == pytest.approx(453.592, rel=1e-4)
    # 200 ml through milk's own cup (244 g per 236.6 ml), not water.
    assert milk.grams == pytest.approx(200 * 244 / 236.588, rel=1e-3)
    assert any("own measure" in note for note in milk.notes)


def test_volume_of_a_solid_without_volume_measure_is_unresolved(parser: MealParser) -> None:
    item = parser.parse("1 cup croissant").items[0]  # SR28 and FNDDS: no volume measure
    assert item.status == "unresolved"
    assert item.ref == "usda:18239"
    assert "no volume measure" in (item.problem or "")


def test_volume_of_a_solid_borrows_the_measure_of_its_food_as_eaten(
    parser: MealParser, db: FoodDB
) -> None:
    """SR28 gouda has no volume measure (1 oz, 1 package); FNDDS's "Cheese, Gouda or
    Edam", the same cheese as eaten, has a cup: the item is SR28 gouda by that cup, and
    says whose measure it is."""
    item = parser.parse("1 cup gouda").items[0]
    assert item.status == "ok" and item.ref == "usda:01022"
    cups = {p.grams for p in db.all_portions()["fndds:14105010"] if p.unit.startswith("cup")}
    assert item.grams in cups
    assert any("FNDDS 'Cheese, Gouda or Edam'" in note for note in item.notes)


def test_drink_without_volume_measure_uses_water_density_and_says_so(
    parser: MealParser,
) -> None:
    item = parser.parse("250 ml kefir").items[0]
    assert item.status == "ok"
    assert item.grams == pytest.approx(250.0)
    assert "1 ml taken as 1 g" in item.notes[0]


def test_unknown_unit_for_the_food_is_unresolved_with_suggestions(parser: MealParser) -> None:
    item = parser.parse("a wedge of brie").items[0]
    assert item.status == "unresolved"
    assert item.ref == "usda:01006"
    assert "wedge" in (item.problem or "")
    assert any("1 oz = 28.35 g" in s for s in item.suggestions)


def test_a_glass_is_the_foods_serving_or_cup_and_says_so(parser: MealParser) -> None:
    wine, milk = parser.parse("a glass of red wine, a glass of milk").items
    assert wine.grams == pytest.approx(147.0)  # SR28 wine: 1 serving (5 fl oz) = 147 g
    assert milk.grams == pytest.approx(244.0)  # SR28 milk: 1 cup = 244 g
    assert "a glass taken as" in wine.notes[0] and "a glass taken as" in milk.notes[0]


def test_weak_match_is_unresolved(parser: MealParser) -> None:
    meal = parser.parse("100 g xyzzy plumbus, 1 cup milk")
    assert [i.status for i in meal.items] == ["unresolved", "ok"]
    assert meal.items[0].ref is None
    assert meal.unresolved == (meal.items[0],)


def test_no_amount_takes_the_survey_portion_and_says_so(parser: MealParser, db: FoodDB) -> None:
    """Issue 12: an item with no amount takes FNDDS's "Quantity not specified" portion
    (the one the national survey uses), of the food or of its FNDDS twin, and says so."""
    banana = parser.parse("banana").items[0]
    assert banana.status == "ok" and banana.ref == "usda:09040"
    (twin,) = [k for k, (name, _) in db.names().items() if name == "Banana, raw"]
    (survey,) = [p for p in db.all_portions()[twin] if p.unit == "Quantity not specified"]
    assert banana.grams == survey.grams
    assert "no amount given" in banana.notes[0] and "FNDDS 'Banana, raw'" in banana.notes[-1]
    butter = parser.parse("butter").items[0]
    assert butter.status == "ok" and any("no amount given" in n for n in butter.notes)


@pytest.mark.parametrize("text", ["", "  ", ", ;", "\n"])
def test_empty_text_is_an_error(parser: MealParser, text: str) -> None:
    with pytest.raises(MealParseError, match="Nothing to parse"):
        parser.parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3 g butter", "above 0"),
        ("0 g butter", "above 0"),
        ("10000 cups milk", "at most 5 kg"),
        ("100 capsules MK-7 90 µg", "at most 50"),
        ("1/0 cup milk", "Cannot read"),
    ],
)
def test_impossible_amounts(parser: MealParser, text: str, message: str) -> None:
    with pytest.raises(MealParseError, match=message):
        parser.parse(text)


@pytest.mark.parametrize(
    ("text", "key", "amount"),
    [
        ("1 capsule MK-7 90 µg", "mk7_ug", 90),
        ("MK-7 180 mcg", "mk7_ug", 180),
        ("180 µg MK-7", "mk7_ug", 180),
        ("a D3 1000 IU softgel", "vitd_ug", 25),
        ("2000 IU vitamin D", "vitd_ug", 50),
        ("2 tablets calcium carbonate 500 mg", "calcium_mg", 1000),
        ("one MK-4 15 mg capsule", "mk4_ug", 15000),
        ("K1 100 mcg", "k1_ug", 100),
    ],
)
def test_supplements(parser: MealParser, text: str, key: str, amount: float) -> None:
    item = parser.parse(text).items[0]
    assert item.kind == "supplement"
    assert item.intake is not None
    assert item.intake.amounts[key] == pytest.approx(amount)
    if key.startswith("mk"):  # menaquinones count in K2 and in vitamin K
        assert item.intake.amounts["k2_ug"] == pytest.approx(amount)
        assert item.intake.amounts["vitk_ug"] == pytest.approx(amount)
        assert item.intake.coverage.supplement_ug == pytest.approx(amount)


def test_supplement_without_dose_is_unresolved_with_builtin_suggestions(
    parser: MealParser,
) -> None:
    item = parser.parse("1 capsule MK-7").items[0]
    assert item.status == "unresolved"
    assert "MK-7 90 µg" in item.suggestions
    with pytest.raises(AmbiguousSupplementError):
        read_supplement("1 capsule vitamin K2 100 mcg", ())


def test_user_product(db: FoodDB) -> None:
    product = define_product("MyK2", "capsule", {"mk7": "100ug", "vitd": "1000IU"})
    assert product.amounts == {"mk7_ug": 100, "vitd_ug": 25, "k2_ug": 100, "vitk_ug": 100}
    parser = MealParser(db, [product])
    item = parser.parse("2 capsules myk2").items[0]
    assert (item.kind, item.ref, item.quantity) == ("supplement", "MyK2", 2)
    assert item.intake is not None
    assert item.intake.amounts["mk7_ug"] == 200
    wrong_form = parser.parse("1 scoop MyK2").items[0]
    assert wrong_form.status == "unresolved"
    assert "counted in capsules" in (wrong_form.problem or "")
    with pytest.raises(InvalidOptionError, match="less than the sum of its parts"):
        define_product("Odd", "capsule", {"mk7": "100ug", "k2": "50ug"})


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("vitamin K2", "MK-7 90 µg"),
        ("D3", "D3 25 µg (1000 IU)"),
        ("vitamin D", "D3 25 µg (1000 IU)"),
        ("calcium", "Calcium carbonate 500 mg"),
        ("MK-7 100 IU", None),
    ],
)
def test_supplement_named_without_a_usable_dose_is_unresolved(
    parser: MealParser, text: str, suggestion: str | None
) -> None:
    item = parser.parse(text).items[0]
    assert item.status == "unresolved" and item.kind is None
    if suggestion is not None:
        assert suggestion in item.suggestions


def test_foods_that_mention_a_vitamin_stay_foods(parser: MealParser) -> None:
    (item,) = parser.parse("1 cup milk with added vitamin D").items
    assert item.status == "ok" and item.kind == "food" and item.ref == "usda:01077"


def test_dry_milk_is_not_weighed_as_water(parser: MealParser) -> None:
    item = parser.parse("1 cup nonfat dry milk calcium reduced").items[0]
    assert item.status == "unresolved"
    assert "no volume measure" in (item.problem or "")


def test_decimal_comma_and_one_and_a_half(parser: MealParser) -> None:
    potatoes = parser.parse("1,5 kg potatoes").items
    assert len(potatoes) == 1 and potatoes[0].grams == pytest.approx(1500)
    milk = parser.parse("one and a half cups milk").items
    assert len(milk) == 1 and milk[0].grams == pytest.approx(1.5 * 244)


def test_unknown_k2_is_not_zero(parser: MealParser) -> None:
    meal = parser.parse("50 g honey, 50 g natto")  # honey: no K2 value and no rule
    honey = meal.items[0]
    assert honey.intake is not None
    assert honey.intake.amounts["k2_ug"] is None
    assert "k2_ug" in meal.totals.incomplete
    assert meal.totals.coverage.unknown_g == pytest.approx(50.0)
    data = meal.as_dict()
    assert data["items"][0]["nutrients"]["k2_ug"] is None
    totals = data["totals"]
    assert isinstance(totals, dict)
    assert totals["coverage"] == {
        "k2_ug": {"measured_g": 50.0, "imputed_g": 0.0, "unknown_g": 50.0, "supplement_ug": 0.0}
    }
    assert totals["k2_low_ug"] <= totals["k2_ug"] <= totals["k2_high_ug"]


def test_json_shape(parser: MealParser) -> None:
    data = parser.parse("1 cup whole milk, 100 g qwxzv").as_dict()
    assert set(data) == {"items", "totals"}
    ok, bad = data["items"]  # type: ignore[misc]
    assert set(ok) >= {"text", "food", "quantity", "unit", "grams", "nutrients", "status",
                       "suggestions"}  # fmt: skip
    assert ok["food"] == {"id": "usda:01077", "name": ok["food"]["name"], "kind": "food"}
    assert set(ok["nutrients"]) == set(KEYS)
    assert bad["status"] == "unresolved" and bad["food"] is None


ITEMS = [
    "2 slices of gouda", "a boiled egg", "50 g natto", "1 cup whole milk", "1 tbsp butter",
    "3 oz salmon", "1 cup cooked rice", "1/2 cup broccoli", "1 banana", "2 pats butter",
    "1 capsule MK-7 90 µg", "1000 IU vitamin D3", "100 g sauerkraut", "1 cup spinach",
    "25 g parmesan", "1 slice white bread", "200 ml orange juice",
]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    a=st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4),
    b=st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4),
    sep=st.sampled_from([", ", "; ", " and ", "\n", " + ", " with "]),
)
def test_totals_are_additive(parser: MealParser, a: list[str], b: list[str], sep: str) -> None:
    left = parser.parse(", ".join(a)).totals
    right = parser.parse(", ".join(b)).totals
    both = parser.parse(", ".join(a) + sep + ", ".join(b)).totals
    for key in KEYS:
        assert math.isclose(
            both.values[key], left.values[key] + right.values[key], rel_tol=1e-9, abs_tol=1e-9
        ), key
    assert both.incomplete == left.incomplete | right.incomplete
    assert both.k2_low == pytest.approx(left.k2_low + right.k2_low)
    assert both.k2_high == pytest.approx(left.k2_high + right.k2_high)
    expected = left.coverage + right.coverage
    assert both.coverage.measured_g == pytest.approx(expected.measured_g)
    assert both.coverage.unknown_g == pytest.approx(expected.unknown_g)
    assert both.coverage.supplement_ug == pytest.approx(expected.supplement_ug)


def test_raw_vegetable_assumed_says_so(parser: MealParser) -> None:
    raw, cooked, fruit = parser.parse("1 cup broccoli, 1 cup cooked broccoli, 1 apple").items
    assert raw.ref == "usda:11090" and "raw assumed" in raw.notes[-1]
    assert cooked.ref == "usda:11091" and cooked.grams == pytest.approx(156.0)
    assert not any("raw assumed" in note for note in cooked.notes + fruit.notes)


def test_no_amount_plural_or_container_is_not_one_piece(parser: MealParser) -> None:
    grapes, cream_cheese, cucumber = parser.parse(
        "grapes; cream cheese; four slices of cucumber"
    ).items
    # Not one grape, not one "package, small (3 oz)": the survey's portion, said.
    for item in (grapes, cream_cheese):
        assert item.status == "ok" and "no amount given" in item.notes[0]
    assert grapes.grams == 75.0 and cream_cheese.grams == 30.0
    # a slice is not "1/2 cup slices": FNDDS's "1 piece/slice" of cucumber, said
    assert cucumber.grams == 4 * 10.0 and "piece/slice" in cucumber.notes[0]
