"""`vitk2 plan` for seven realistic people (tests/plan_profiles.py), run as a user
runs it (the CLI entry point in process, a real SQLite diary, the shipped food
database): each plan is checked against every constraint it must keep, read from
its JSON and recomputed from the food database, not only that a plan exists."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from cli_runner import InProcessCli
from plan_profiles import PROFILES, build_profile_diary
from vitk2 import FoodDB

# Independent of the planner's own classes: the SR28 groups and the words that make a
# food animal, as a dietitian would read a name.
_ANIMAL_GROUPS = {
    "Dairy and Egg Products", "Poultry Products", "Sausages and Luncheon Meats",
    "Pork Products", "Beef Products", "Lamb, Veal, and Game Products",
    "Finfish and Shellfish Products",
}  # fmt: skip
_PLANT_MILKS = re.compile(r"\b(almond|soy|soymilk|oat|rice|coconut|cashew)\b", re.IGNORECASE)
_DAIRY_WORDS = re.compile(r"\b(milk|cheese|yogurt|butter|cream|whey|kefir)\b", re.IGNORECASE)
_MEAT_FISH_WORDS = re.compile(
    r"\b(beef|pork|chicken|turkey|ham|fish|salmon|tuna|sardines?|liver|bacon|sausage)\b",
    re.IGNORECASE,
)
_EGG_WORDS = re.compile(r"\beggs?\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def db() -> FoodDB:
    return FoodDB.default()


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory, db: FoodDB) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("plans")
    out = {}
    for name, person in PROFILES.items():
        cli = InProcessCli(build_profile_diary(folder / f"{name}.sqlite", name, db))
        out[name] = cli.json("plan", *person.options)
    return out


def _food(db: FoodDB, ref: str) -> Any:
    return db.get(ref)


def _added(plan: dict[str, Any], key: str) -> float:
    return sum(a["per_day"].get(key) or 0.0 for a in plan["additions"])


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_plan_meets_its_aims_within_the_upper_limits(
    plans: dict[str, dict[str, Any]], name: str
) -> None:
    plan = plans[name]
    assert plan["feasible"], plan["explanation"]
    assert plan["additions"], name
    ref = plan["reference"]
    for key in ("vitd_ug", "calcium_mg"):
        aim, ul = ref[key]["value"], ref[key]["ul"]
        after = plan["after"][key]
        assert after >= aim - 1e-6, (key, after, aim)
        assert after <= ul + 1e-6, (key, after, ul)
        # after = before + what the additions bring (no double counting, nothing lost)
        assert math.isclose(
            after, (plan["before"][key] or 0.0) + _added(plan, key), rel_tol=1e-3, abs_tol=1e-3
        )
        assert plan["met"][key] is True
    k2 = ref["k2"]
    if "--target-k2" in PROFILES[name].options:
        assert k2 is not None
        key = k2["compared_with"]
        assert plan["after"][key] >= k2["value_ug_per_day"] - 1e-6
        assert plan["met"]["k2_reference_point"] is True
        assert k2["source"] in plan["sources"]
        # the uncertainty shows: K2 at the low and high ends bracket the central value
        assert plan["after_low"]["k2_ug"] <= plan["after"]["k2_ug"] <= plan["after_high"]["k2_ug"]
    else:
        assert k2 is None
        assert any("--target-k2" in line for line in plan["explanation"])


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_plan_keeps_budgets_portion_caps_and_supplement_rules(
    plans: dict[str, dict[str, Any]], name: str, db: FoodDB
) -> None:
    plan = plans[name]
    budgets = plan["reference"]["budgets"]
    for key in ("energy_kcal", "fat_sat_g", "sodium_mg"):
        assert _added(plan, key) <= budgets[key] + 1e-6, key
    kinds = set()
    for item in plan["additions"]:
        if item["kind"] == "supplement":
            assert "--allow-supplements" in PROFILES[name].options
            continue
        cap = item["portion_cap"]
        assert item["grams_per_day"] <= cap["grams_per_day"] + 0.05, item
        assert item["units_per_occasion"] <= cap["max_units_per_day"]
        assert item["times_per_week"] in (1, 2, 3, 4, 5, 7)
        # what it adds is the food database's value at that amount
        food = _food(db, item["ref"])
        calcium = food.nutrient("calcium_mg").value
        if calcium is not None:
            expected = calcium * item["grams_per_day"] / 100
            assert math.isclose(item["per_day"]["calcium_mg"], expected, rel_tol=2e-3), item
        assert item["ref"] not in kinds
        kinds.add(item["ref"])


@pytest.mark.parametrize("name", ["vegetarian", "vegan", "dairy-free"])
def test_plan_respects_the_diet_pattern(
    plans: dict[str, dict[str, Any]], name: str, db: FoodDB
) -> None:
    for item in plans[name]["additions"]:
        if item["kind"] != "food":
            continue
        food = _food(db, item["ref"])
        text = food.name
        if name in ("vegetarian", "vegan"):
            assert food.group not in _ANIMAL_GROUPS - {"Dairy and Egg Products"}, text
            assert not _MEAT_FISH_WORDS.search(text), text
        if name in ("vegan", "dairy-free"):
            assert food.group != "Dairy and Egg Products" or text.startswith("Egg"), text
            assert not _DAIRY_WORDS.search(text) or _PLANT_MILKS.search(text), text
        if name == "vegan":
            assert not _EGG_WORDS.search(text), text
    if name == "dairy-free":  # --exclude natto
        assert all("natto" not in a["name"].lower() for a in plans[name]["additions"])


def test_warfarin_plan_never_adds_vitamin_k_and_keeps_the_band(
    plans: dict[str, dict[str, Any]],
) -> None:
    plan = plans["warfarin"]
    band = plan["reference"]["vka_band"]
    assert band is not None and band["drugs"] == ["warfarin"]
    for item in plan["additions"]:
        assert item["kind"] == "food" or not any(
            item["per_day"].get(k) for k in ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug")
        ), item
        k1 = item["per_day"].get("k1_ug") or 0.0
        occasion = k1 * 7 / item["times_per_week"]
        assert occasion < band["k1_per_occasion_max_ug"], item
    assert _added(plan, "k1_ug") <= band["k1_added_max_ug_per_day"] + 0.05
    assert _added(plan, "mk7_ug") <= band["mk7_added_max_ug_per_day"] + 0.05
    # the band is a share of the safety findings' weekly consistency band
    assert band["k1_added_max_ug_per_day"] <= band["band"]["k1_change_ug"] * band["share_used"]
    assert all(f.get("status") != "new" or "vka" not in f["id"] for f in plan["findings"])


def test_pregnant_plan_suggests_no_k2_supplement(plans: dict[str, dict[str, Any]]) -> None:
    for item in plans["pregnant"]["additions"]:
        assert item["kind"] == "food" or not item["per_day"].get("mk7_ug"), item


def test_plan_prefers_foods_already_eaten_and_measured_k2(
    plans: dict[str, dict[str, Any]],
) -> None:
    """Where K2 is aimed at, the food that brings most of it has a measured K2 value,
    or the person already eats it."""
    for name, plan in plans.items():
        k2 = plan["reference"]["k2"]
        if k2 is None:
            continue
        key = k2["compared_with"]
        main = max(plan["additions"], key=lambda a: a["per_day"].get(key) or 0.0)
        if main["kind"] == "food" and (main["per_day"].get(key) or 0) > 0:
            assert main["k2_basis"] == "measured" or main["already_eaten"], (name, main["name"])


def test_plan_with_fermented_food_has_a_ramp_up(
    plans: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    fermented = [
        (name, item)
        for name, plan in plans.items()
        for item in plan["additions"]
        if item["fermented"]
    ]
    assert fermented  # natto for at least one profile
    for name, item in fermented:
        days = [d for d in plans[name]["ramp_up"] if d["ref"] == item["ref"]]
        weeks = sorted({d["week"] for d in days})
        assert weeks == [1, 2, 3]  # the default --weeks 3
        shares = [d["share_of_planned"] for d in days]
        assert shares == sorted(shares) and shares[-1] == 1.0
        assert days[-1]["grams"] == pytest.approx(item["grams_per_occasion"], abs=0.5)
        per_week = {w: sum(1 for d in days if d["week"] == w) for w in weeks}
        assert set(per_week.values()) == {item["times_per_week"]}
