"""Unknown is never shown as 0: the one rule for showing a nutrient total."""

from __future__ import annotations

import pytest

from vitk2 import FoodDB
from vitk2.intake.meals import MealParser
from vitk2.intake.totals import Total, sum_intakes, total_text


@pytest.mark.parametrize(
    ("value", "lower_bound", "shown"),
    [(12.0, False, "12"), (12.0, True, "≥ 12"), (None, False, "unknown"), (None, True, "unknown"),
     (0.0, False, "0"), (1234.5, True, "≥ 1,234")],
)  # fmt: skip
def test_total_text(value: float | None, lower_bound: bool, shown: str) -> None:
    assert total_text(value, lower_bound=lower_bound) == shown
    assert Total(value, lower_bound).text() == shown


def test_a_total_with_nothing_known_is_unknown(db: FoodDB) -> None:
    meal = MealParser(db).parse("50 g honey")  # SR28 honey: K2 not known, no rule
    k2 = meal.totals.total("k2_ug")
    assert k2.value is None and k2.text() == "unknown"
    assert meal.totals.k2_range() is None
    data = meal.totals.as_dict()
    assert data["k2_ug"] is None and data["k2_low_ug"] is None and data["k2_high_ug"] is None
    assert "k2_ug" in data["unknown"]  # type: ignore[operator]
    assert data["calcium_mg"] == pytest.approx(0.5 * 6)  # known values stay numbers


def test_a_total_missing_some_values_is_a_lower_bound(db: FoodDB) -> None:
    meal = MealParser(db).parse("50 g natto, 50 g honey")
    k2 = meal.totals.total("k2_ug")
    natto_k2 = db.get("usda:16113").nutrients["k2_ug"].value
    assert natto_k2 is not None and natto_k2 > 500  # measured MK-7 and more, per 100 g
    assert k2.lower_bound and k2.value == pytest.approx(natto_k2 / 2, rel=0.01)
    assert k2.text().startswith("≥ ")
    assert meal.totals.as_dict()["incomplete"] == sorted(meal.totals.incomplete)


def test_nothing_resolved_is_unknown_not_zero() -> None:
    totals = sum_intakes([])
    assert totals.total("calcium_mg").text() == "unknown"
