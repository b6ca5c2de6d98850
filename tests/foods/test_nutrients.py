"""The nutrient vocabulary: keys, units, SR28 numbers and aliases."""

from __future__ import annotations

import pytest

from vitk2 import NUTRIENTS, UnknownNutrientError, resolve_nutrient
from vitk2.foods.nutrients import MENAQUINONE_KEYS, VITAMIN_K_KEYS

UNIT_SUFFIX = {"µg": "_ug", "mg": "_mg", "g": "_g", "kcal": "_kcal", "kJ": "_kj", "IU": "_iu"}


def test_keys_end_in_their_unit() -> None:
    for key, nutrient in NUTRIENTS.items():
        assert key == nutrient.key
        assert key.endswith(UNIT_SUFFIX[nutrient.unit]), key


def test_vitamin_k_vitamers_are_separate_and_sr28_numbers_are_right() -> None:
    assert NUTRIENTS["k1_ug"].sr_number == "430"  # phylloquinone
    assert NUTRIENTS["dk1_ug"].sr_number == "429"  # dihydrophylloquinone
    assert NUTRIENTS["mk4_ug"].sr_number == "428"  # menaquinone-4
    assert tuple(f"mk{n}_ug" for n in range(4, 14)) == MENAQUINONE_KEYS
    for key in MENAQUINONE_KEYS[1:]:
        assert NUTRIENTS[key].sr_number is None
    assert set(VITAMIN_K_KEYS) <= set(NUTRIENTS)
    assert all(NUTRIENTS[k].unit == "µg" for k in VITAMIN_K_KEYS)


def test_sr28_numbers_are_unique_and_vitamin_d_is_in_ug_only() -> None:
    numbers = [n.sr_number for n in NUTRIENTS.values() if n.sr_number]
    assert len(numbers) == len(set(numbers)) == 149
    assert "324" not in numbers  # vitamin D in IU has no key
    assert NUTRIENTS["vitd_ug"].sr_number == "328"
    for key in ("energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sodium_mg",
                "calcium_mg", "phosphorus_mg", "magnesium_mg", "vitd_ug"):  # fmt: skip
        assert key in NUTRIENTS


@pytest.mark.parametrize(
    ("text", "key"),
    [("k2", "k2_ug"), ("MK7", "mk7_ug"), ("mk-9", "mk9_ug"), ("vitd", "vitd_ug"),
     ("calcium", "calcium_mg"), ("Vitamin K", "vitk_ug"), ("protein", "protein_g"),
     ("k1_ug", "k1_ug")],
)  # fmt: skip
def test_aliases(text: str, key: str) -> None:
    assert resolve_nutrient(text).key == key


def test_unknown_nutrient() -> None:
    with pytest.raises(UnknownNutrientError) as caught:
        resolve_nutrient("vitamin_q")
    assert isinstance(caught.value, LookupError)
    assert "vitamin_q" in str(caught.value)
