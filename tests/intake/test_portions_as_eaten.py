"""Issue 12, parser phase 2: amounts of foods as eaten (the shipped database, no stubs).

Counts, containers and sizes are weighed with the food's own measures and say so next
to the item; FNDDS foods the words name equally well are ordered by how often people
report eating them; a size is the food's own size.
"""

from __future__ import annotations

import pytest

from vitk2 import FoodDB
from vitk2.foods.search_priors import REPORTED_PRIOR_MAX, reported_prior
from vitk2.intake.meals import MealParser


@pytest.fixture(scope="module")
def parser(db: FoodDB) -> MealParser:
    return MealParser(db)


def test_a_count_of_dishes_takes_the_dishs_own_measure_and_says_so(
    parser: MealParser, db: FoodDB
) -> None:
    (item,) = parser.parse("2 tacos").items
    assert item.status == "ok" and item.ref is not None and item.ref.startswith("fndds:")
    tacos = [p for p in db.all_portions()[item.ref] if "taco" in p.unit.split(",")[0]]
    assert item.grams in {2 * p.grams / p.amount for p in tacos}
    assert item.notes and "taco" in item.notes[0] and f"{item.grams / 2:g} g" in item.notes[0]


def test_a_named_unit_count_is_said_too(parser: MealParser) -> None:
    """'one is 1 …' even when the words name the measure: its size is the food's."""
    (item,) = parser.parse("a cheeseburger").items
    assert item.status == "ok" and item.ref is not None and item.ref.startswith("fndds:")
    assert any("cheeseburger" in note and f"{item.grams:g} g" in note for note in item.notes)


def test_a_container_says_which_measure_it_is(parser: MealParser, db: FoodDB) -> None:
    (item,) = parser.parse("a bag of crisps").items
    assert item.status == "ok" and item.ref is not None
    # The food's own measures, or those of the FNDDS food the notes name (its twin).
    named = {i for i, (name, _) in db.names().items() if any(f"'{name}'" in n for n in item.notes)}
    portions = [p for food in {item.ref, *named} for p in db.all_portions()[food]]
    bags = [p for p in portions if "bag" in p.unit]
    assert bags and any(f"'1 {p.unit}'" in item.notes[0] for p in bags)


def test_amount_free_single_food_takes_the_survey_portion_and_says_so(
    parser: MealParser, db: FoodDB
) -> None:
    (item,) = parser.parse("some brie").items
    assert item.ref == "usda:01006"  # SR28 brie, whose values are measured
    brie = [p for p in db.all_portions()["fndds:14103020"] if p.unit == "Quantity not specified"]
    assert db.names()["fndds:14103020"][0] == "Cheese, Brie"
    assert [item.grams] == [p.grams for p in brie]
    assert any("no amount given" in note for note in item.notes)
    assert any("FNDDS 'Cheese, Brie'" in note for note in item.notes)


@pytest.mark.parametrize(("size", "order"), [("small", 110.0), ("medium", 145.0), ("large", 180.0)])
def test_a_size_is_the_foods_own_not_the_raw_food_it_is_made_from(
    parser: MealParser, db: FoodDB, size: str, order: float
) -> None:
    """FNDDS fries made from fresh potatoes have "medium, raw, yields" (70 g: the raw
    potato); "medium fries" is a medium order of fries."""
    (item,) = parser.parse(f"{size} fries").items
    assert item.status == "ok" and item.ref is not None
    (measure,) = [
        p for p in db.all_portions()[item.ref] if p.unit.startswith(size) and "yield" not in p.unit
    ]
    assert item.grams == measure.grams == order
    assert any(size in note for note in item.notes)


def test_reported_prior_grows_with_reports_and_is_capped() -> None:
    priors = [reported_prior(n) for n in (0, 1, 10, 100, 1000, 100_000)]
    assert priors[0] == 0.0
    assert priors == sorted(priors) and len(set(priors[:5])) == 5
    assert priors[-1] == priors[-2] == REPORTED_PRIOR_MAX


def test_foods_named_equally_well_go_by_how_often_they_are_eaten(db: FoodDB) -> None:
    """ "Taco or tostada with meat" and "… with fish" match "taco" equally; the one
    the NHANES recalls report more often comes first."""
    hits = db.search("taco", limit=10, source="fndds")
    names = [hit.name for hit in hits]
    assert names.index("Taco or tostada with meat") < names.index("Taco or tostada with fish")
    assert hits[0].name == "Taco or tostada with meat"
