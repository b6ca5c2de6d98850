"""FoodDB against the shipped database: lookups, provenance, rankings, errors."""

from __future__ import annotations

import math

import pytest

from vitk2 import (
    DataError,
    FoodDB,
    InvalidOptionError,
    UnknownFoodError,
    UnknownNutrientError,
    Vitk2Error,
)
from vitk2.foods.nutrients import NUTRIENTS


def test_default_is_cached_and_complete(db: FoodDB) -> None:
    assert FoodDB.default() is db
    assert len(db) == 8789 + 7083  # SR28 foods and FNDDS 2017-2018 foods
    assert "Dairy and Egg Products" in db.groups


def test_cheddar_matches_sr28(db: FoodDB) -> None:
    cheddar = db.get("usda:01009")
    assert cheddar.name == "Cheese, cheddar"
    assert cheddar.group == "Dairy and Egg Products"
    assert cheddar.nutrient("calcium_mg").value == pytest.approx(710.0)
    assert cheddar.nutrient("calcium_mg").sources == ("usda_sr28:301",)
    assert cheddar.nutrient("vitd_ug").value == pytest.approx(0.6)
    assert cheddar.nutrient("k1_ug").value == pytest.approx(2.4)
    # MK-4: FDC Foundation (9.3) is preferred; SR28's 8.6 and K2viewer's 8.5 widen the range.
    mk4 = cheddar.nutrient("mk4_ug")
    assert mk4.value == pytest.approx(9.3)
    assert mk4.low == pytest.approx(8.5)
    assert mk4.high == pytest.approx(9.3)
    assert set(mk4.sources) == {"usda_sr28", "usda_fdc_foundation_2025-04-24", "k2viewer2026"}
    notes = [note for key, note in db.estimates("usda:01009", "mk4") if key == "usda_sr28"]
    assert notes == ["8.6 µg/100 g: SR28 nutrient 428, Src_Cd 1 (analytical)"]


def test_every_nutrient_key_is_present_and_unknown_is_none(db: FoodDB) -> None:
    food = db.get("usda:14003")  # beer: fermented, no K2 value and no rule
    assert list(food.nutrients) == list(NUTRIENTS)
    k2 = food.nutrient("k2_ug")
    assert k2.basis == "unknown"
    assert k2.value is None
    assert food.nutrient("mk7_ug").value is None


def test_ids_accept_bare_ndb_and_keep_leading_zeros(db: FoodDB) -> None:
    assert db.get("01022").id == "usda:01022"
    assert db.get("usda:01022").name == "Cheese, gouda"


@pytest.mark.parametrize("bad", ["usda:99999", "gouda", "usda:", "usda:123456", ""])
def test_unknown_food_ids(db: FoodDB, bad: str) -> None:
    with pytest.raises(UnknownFoodError) as caught:
        db.get(bad)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, Vitk2Error)
    assert repr(bad) in str(caught.value)


def test_unknown_food_by_name_suggests_the_id(db: FoodDB) -> None:
    with pytest.raises(UnknownFoodError, match=r"Did you mean usda:01022 \(Cheese, gouda\)"):
        db.get("gouda")


def test_natto_ranks_first_for_k2_and_mk7(db: FoodDB) -> None:
    for nutrient in ("k2", "k2_ug", "mk7", "mk7_ug"):
        top = db.top(nutrient, limit=3)
        assert top[0].id == "usda:16113", nutrient
        assert top[0].name == "Natto"
    natto = db.top("mk7", limit=1)[0]
    assert natto.unit == "µg"
    assert natto.basis == "measured"
    assert natto.low is not None and natto.high is not None
    assert natto.low <= natto.value <= natto.high


def test_top_never_ranks_unknown_values(db: FoodDB) -> None:
    ranked = db.top("k2", limit=1000)
    assert all(row.value is not None and not math.isnan(row.value) for row in ranked)
    ids = {row.id for row in ranked}
    assert "usda:22916" not in ids  # unknown K2
    values = [row.value for row in ranked]
    assert values == sorted(values, reverse=True)


def test_top_per_serving_uses_first_household_measure(db: FoodDB) -> None:
    per_100g = {r.id: r for r in db.top("calcium", limit=5000)}
    for row in db.top("calcium", per="serving", limit=20):
        assert row.serving is not None
        base = per_100g[row.id].value
        assert row.value == pytest.approx(base * row.serving.grams / 100.0, rel=1e-3)


def test_top_per_100kcal(db: FoodDB) -> None:
    row = db.top("calcium", per="100kcal", limit=1)[0]
    food = db.get(row.id)
    energy = food.nutrient("energy_kcal").value
    calcium = food.nutrient("calcium_mg").value
    assert energy and calcium
    assert row.value == pytest.approx(calcium / energy * 100.0, rel=1e-3)


def test_top_group_filter_and_measured_only(db: FoodDB) -> None:
    rows = db.top("k2", group="vegetables", limit=50)
    assert rows and {r.group for r in rows} == {"Vegetables and Vegetable Products"}
    only = db.top("k2", include_imputed=False, limit=200)
    assert only and all(r.basis == "measured" for r in only)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"nutrient": "vitamin zz"}, UnknownNutrientError),
        ({"nutrient": "k2", "per": "cup"}, InvalidOptionError),
        ({"nutrient": "k2", "group": "nonsense"}, InvalidOptionError),
        ({"nutrient": "k2", "group": "products"}, InvalidOptionError),
        ({"nutrient": "k2", "limit": 0}, InvalidOptionError),
    ],
)
def test_top_rejects_bad_options(db: FoodDB, kwargs: dict[str, object], error: type) -> None:
    nutrient = str(kwargs.pop("nutrient"))
    with pytest.raises(error):
        db.top(nutrient, **kwargs)  # type: ignore[arg-type]


def test_unknown_nutrient_suggests_close_keys() -> None:
    from vitk2 import resolve_nutrient

    with pytest.raises(UnknownNutrientError, match="calcium_mg"):
        resolve_nutrient("calcum")
    assert resolve_nutrient("protein").key == "protein_g"
    assert resolve_nutrient("MK-7").key == "mk7_ug"


def test_missing_or_corrupt_database_is_a_data_error(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    with pytest.raises(DataError, match="not found"):
        FoodDB(folder / "missing.sqlite")
    broken = folder / "broken.sqlite"
    broken.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DataError, match="not a vitk2 food database"):
        FoodDB(broken)


def test_portions_keep_amount_and_grams(db: FoodDB) -> None:
    butter = db.get("usda:01001")
    names = {p.name: p.grams for p in butter.portions}
    assert names["1 tbsp"] == pytest.approx(14.2)
    assert names["1 cup"] == pytest.approx(227.0)
