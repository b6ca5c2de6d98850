"""The vitk2 command line, run as a real process: output shapes, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vitk2", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def run_json(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_search_json_shape() -> None:
    hits = run_json("foods", "search", "cheddar", "--limit", "3")
    assert len(hits) == 3
    assert hits[0] == {
        "id": "usda:01009",
        "name": "Cheese, cheddar",
        "group": "Dairy and Egg Products",
        "score": hits[0]["score"],
    }
    assert set(hits[1]) == {"id", "name", "group", "score"}


def test_show_json_shape_and_values() -> None:
    food = run_json("foods", "show", "usda:01009")
    assert (food["id"], food["name"], food["group"]) == (
        "usda:01009",
        "Cheese, cheddar",
        "Dairy and Egg Products",
    )
    calcium = food["nutrients"]["calcium_mg"]
    assert calcium["value"] == 710.0
    assert calcium["unit"] == "mg"
    assert calcium["basis"] == "measured"
    assert calcium["sources"] == ["usda_sr28:301"]
    for key in ("k1_ug", "dk1_ug", "mk4_ug", "mk7_ug", "mk13_ug", "k2_ug", "vitk_ug"):
        assert set(food["nutrients"][key]) >= {"value", "unit", "low", "high", "basis", "sources"}
        assert food["nutrients"][key]["unit"] == "µg"
    assert food["nutrients"]["mk11_ug"] == {
        "value": None,
        "unit": "µg",
        "low": None,
        "high": None,
        "basis": "unknown",
        "sources": [],
        "method": None,
        "estimates": [],
    }  # no source reports MK-11 for any food: unknown, never 0
    mk7 = food["nutrients"]["mk7_ug"]
    assert mk7["basis"] == "measured" and mk7["sources"] == ["k2viewer2026"]
    mk4 = food["nutrients"]["mk4_ug"]
    assert {e["source"] for e in mk4["estimates"]} == {
        "usda_sr28",
        "usda_fdc_foundation_2025-04-24",
        "k2viewer2026",
    }
    assert "estimates" not in calcium
    assert food["portions"][0] == {"name": "1 cup, diced", "amount": 1.0, "unit": "cup, diced",
                                   "grams": 132.0}  # fmt: skip
    assert all(set(p) >= {"name", "grams"} for p in food["portions"])


def test_top_json_shape_and_natto_first() -> None:
    rows = run_json("foods", "top", "k2", "--limit", "5")
    assert len(rows) == 5
    assert rows[0]["id"] == "usda:16113"
    assert set(rows[0]) >= {"id", "name", "value", "unit", "per", "low", "high", "basis"}
    assert rows[0]["per"] == "100g"
    serving = run_json("foods", "top", "mk7", "--per", "serving", "--limit", "1")
    assert serving[0]["per"] == "serving"
    assert serving[0]["serving"]["grams"] > 0


def test_human_output_mentions_the_food() -> None:
    result = run("foods", "top", "k2", "--limit", "3")
    assert result.returncode == 0
    assert "Natto" in result.stdout
    assert "No authority sets a K2 intake target" in " ".join(result.stdout.split())
    shown = run("foods", "show", "usda:16113")
    assert shown.returncode == 0
    assert "Menaquinone-7" in shown.stdout
    assert "kamao2007" in shown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("foods", "show", "usda:99999"), "Unknown food id 'usda:99999'"),
        (("foods", "top", "vitamin_zz"), "Unknown nutrient 'vitamin_zz'"),
        (("foods", "search", ""), "Empty search query"),
        (("foods", "top", "k2", "--group", "nonsense"), "matches no food group"),
    ],
)
def test_errors_are_one_line_exit_1(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_usage_errors_do_not_trace() -> None:
    result = run("foods", "top", "k2", "--per", "cup")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cup" in result.stderr


def test_nutrients_lists_vitamers() -> None:
    rows = run_json("nutrients")
    keys = {row["key"]: row for row in rows}
    assert keys["mk4_ug"]["sr28"] == "428"
    assert keys["dk1_ug"]["sr28"] == "429"
    assert keys["k1_ug"]["sr28"] == "430"
    assert keys["mk7_ug"]["sr28"] is None


def test_groups() -> None:
    groups = run_json("foods", "groups")
    assert len(groups) == 25
    assert "Dairy and Egg Products" in groups


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("vitk2 ")


def test_show_fndds_food_with_its_recipe() -> None:
    food = run_json("foods", "show", "fndds:27510160")
    assert food["group"] == "Burgers (single code)"
    assert [(i["id"], i["grams"]) for i in food["recipe"]["ingredients"]] == [
        ("usda:18350", 52.0),
        ("usda:13317", 40.0),
        ("usda:02047", 0.2),
        ("fndds:99991400", 21.0),
    ]
    assert food["portions"][0] == {
        "name": "1 cheeseburger", "amount": 1.0, "unit": "cheeseburger", "grams": 115.0,
    }  # fmt: skip
    k2 = food["nutrients"]["k2_ug"]
    assert k2["basis"] == "imputed" and k2["method"].startswith("imputed (recipe)")
    assert [e["source"] for e in k2["estimates"]] == [
        "usda:18350",
        "usda:13317",
        "usda:02047",
        "fndds:99991400",
    ]
    assert run_json("foods", "show", "usda:01009")["recipe"] is None
    shown = run("foods", "show", "fndds:27510160")
    assert shown.returncode == 0
    assert "Recipe (FNDDS)" in shown.stdout
    assert "fndds:99991400 Cheese as ingredient in sandwiches" in shown.stdout


def test_top_leaves_dishes_out_unless_asked() -> None:
    plain = run_json("foods", "top", "k2", "--limit", "30")
    assert all(row["id"].startswith("usda:") for row in plain)
    dishes = run_json("foods", "top", "k2", "--dishes", "--group", "pizza", "--limit", "3")
    assert [row["group"] for row in dishes] == ["Pizza"] * 3
    assert run_json("foods", "groups", "--dishes")[:2] == ["Milk, whole", "Milk, reduced fat"]
