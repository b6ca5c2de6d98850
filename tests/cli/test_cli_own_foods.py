"""Your recipes and foods from a label, as a user runs them (`vitk2 recipe …`, `vitk2
food …`) on a real SQLite diary with the shipped food database: logged like any food,
counted in every report, and kept for the entries logged with them when edited or
deleted."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from cli_runner import Cli, InProcessCli

LASAGNE = "250 g lasagna pasta, 500 g minced beef, 700 g tomato sauce, 200 g mozzarella"
DAY, NEXT = "2026-11-02", "2026-11-03"


def flat(text: str) -> str:
    """Output text with its line breaks undone (the console may wrap at 80 columns)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cook(tmp_path_factory: pytest.TempPathFactory) -> InProcessCli:
    """A diary with a recipe (lasagne, 6 servings, 1800 g cooked), a food from a label
    (MyBar) and a day eaten with both."""
    cli = InProcessCli(tmp_path_factory.mktemp("own") / "diary.sqlite")
    cli.ok("profile", "set", "--sex", "female", "--birth-date", "1960-05-01")
    cli.ok("recipe", "add", "lasagne", "--serves", "6", "--yield-g", "1800", LASAGNE)
    cli.ok(
        "food", "add", "MyBar", "--per", "1 bar", "--grams", "40", "--calcium", "200mg",
        "--vitd", "80IU", "--vitk", "10ug", "--energy", "180kcal", "--note", "Brand X",
    )  # fmt: skip
    cli.ok("log", "1 serving lasagne (my recipe), 1 bar MyBar", "--date", DAY, "--meal", "lunch")
    return cli


def test_a_recipe_shows_its_ingredients_and_honest_values(cook: InProcessCli) -> None:
    shown = cook.json("recipe", "show", "lasagne")
    assert (shown["kind"], shown["name"], shown["title"]) == (
        "recipe",
        "lasagne",
        "lasagne (my recipe)",
    )
    assert shown["id"].startswith("my:") and shown["version"] == 1 and not shown["retired"]
    assert (shown["serves"], shown["yield_g"], shown["ingredients_g"]) == (6.0, 1800.0, 1650.0)
    assert shown["serving_g"] == 300.0
    ingredients = shown["ingredients"]
    assert [i["grams"] for i in ingredients] == [250.0, 500.0, 700.0, 200.0]
    assert all(i["ref"].startswith("usda:") for i in ingredients)
    k2 = shown["nutrients"]["k2_ug"]
    # Mozzarella is the only ingredient with a K2 value: the sum is a lower bound.
    known = [i["nutrients"]["k2_ug"] for i in ingredients if i["nutrients"]["k2_ug"] is not None]
    assert len(known) == 1 and k2["lower_bound"] is True
    assert math.isclose(k2["value"], known[0] / 1800 * 100, rel_tol=1e-3)
    assert math.isclose(k2["per_serving"], k2["value"] * 3, rel_tol=1e-3)
    assert math.isclose(k2["known_share"], 200 / 1650, rel_tol=1e-3)
    assert math.isclose(shown["k2_coverage"]["unknown_share"], 1450 / 1650, rel_tol=1e-3)
    assert "no cooking losses" in k2["method"] and k2["sources"]
    calcium = shown["nutrients"]["calcium_mg"]
    assert calcium["lower_bound"] is False and calcium["known_share"] == 1.0
    assert shown["nutrients"]["mk9_ug"]["value"] is None  # nothing known: unknown, not 0
    assert shown["used_by"] == {"entries": 1, "recipes": []}
    text = flat(cook.ok("recipe", "show", "lasagne"))
    assert "Serves 6: 300 g a serving" in text and "≥ " in text and "unknown" in text


def test_a_label_food_is_what_its_label_states(cook: InProcessCli) -> None:
    shown = cook.json("food", "show", "mybar")
    assert shown["per"] == {"quantity": 1.0, "unit": "bar", "grams": 40.0}
    assert shown["label"] == {
        "calcium_mg": 200.0, "vitd_ug": 2.0, "vitk_ug": 10.0, "energy_kcal": 180.0,
    }  # fmt: skip
    values = shown["nutrients"]
    assert values["calcium_mg"]["value"] == 500.0 and values["calcium_mg"]["per_serving"] == 200.0
    assert values["calcium_mg"]["sources"] == ["label"]
    assert values["calcium_mg"]["method"] == "from your label: 200 mg per 1 bar (40 g)"
    # A label's "vitamin K" is all vitamin K: neither K1 nor K2 is known from it.
    assert values["vitk_ug"]["per_serving"] == 10.0
    assert values["k1_ug"]["value"] is None and values["k2_ug"]["value"] is None
    assert values["protein_g"] == {**values["protein_g"], "value": None, "basis": "unknown"}
    assert math.isclose(values["energy_kj"]["per_serving"], 180 * 4.184)
    assert shown["note"] == "Brand X"
    listed = cook.json("food", "list")
    assert [(f["name"], f["per_serving"]["calcium_mg"]) for f in listed] == [("MyBar", 200.0)]


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("1 serving lasagne (my recipe)", 300.0),
        ("2 servings of lasagne", 600.0),
        ("150 g lasagne", 150.0),
        ("lasagne", 300.0),
        ("1 bar MyBar", 40.0),
        ("2 MyBars", 80.0),
    ],
)
def test_parse_reads_your_foods_like_any_food(cook: InProcessCli, text: str, grams: float) -> None:
    (item,) = cook.json("parse", text)["items"]
    assert item["status"] == "ok" and item["grams"] == grams
    assert item["food"]["id"].startswith("my:") and item["food"]["kind"] == "food"
    by_id = cook.json("parse", f"{grams:g} g {item['food']['id']}")["items"][0]
    assert by_id["nutrients"] == item["nutrients"]


def test_reports_count_your_foods_with_their_coverage(cook: InProcessCli) -> None:
    report = cook.json("report")
    (day,) = report["days"]
    shown = cook.json("recipe", "show", "lasagne")["nutrients"]
    expected = shown["calcium_mg"]["per_serving"] + 200.0
    assert math.isclose(day["foods"]["calcium_mg"], expected, rel_tol=1e-5)
    assert "k2_ug" in day["incomplete"] and "k1_ug" in day["incomplete"]  # MyBar's K1
    coverage = report["k2"]["coverage"]
    assert math.isclose(
        coverage["measured_g"] + coverage["imputed_g"], 300 * 200 / 1650, rel_tol=1e-3
    )
    assert math.isclose(coverage["unknown_g"], 300 * 1450 / 1650 + 40, rel_tol=1e-3)
    names = {c["name"] for key in ("calcium_mg", "vitd_ug") for c in report["contributors"][key]}
    assert names == {"lasagne (my recipe)", "MyBar (my food)"}
    assert cook.json("findings")["findings"] is not None
    cook.ok("consistency")


def test_whatif_and_diary_edit_take_your_foods(cook: InProcessCli, tmp_path: Path) -> None:
    cli = cook.copied(tmp_path)
    whatif = cli.json("whatif", "--add", "2 MyBars daily")
    (addition,) = whatif["additions"]
    assert addition["ref"].startswith("my:") and addition["grams_per_dose"] == 80.0
    assert addition["per_dose"]["calcium_mg"] == 400.0 and addition["per_dose"]["k1_ug"] is None
    assert whatif["difference"]["calcium_mg"] == 400.0
    lasagne, _ = cli.json("diary", "show")
    edited = cli.json("diary", "edit", str(lasagne["id"]), "--text", "2 servings lasagne")
    assert (edited["ref"], edited["grams"]) == (lasagne["ref"], 600.0)
    regrammed = cli.json("diary", "edit", str(lasagne["id"]), "--grams", "450")
    assert regrammed["text"] == "450 g lasagne (my recipe)"
    assert cli.json("parse", regrammed["text"])["items"][0]["food"]["id"] == lasagne["ref"]
    html = tmp_path / "summary.html"
    summary = cli.json("clinician-summary", str(html))
    assert summary["file"] == str(html) and "Mean daily intake" in html.read_text(encoding="utf-8")


def test_editing_or_deleting_keeps_past_entries_as_eaten(
    cook: InProcessCli, tmp_path: Path
) -> None:
    cli = cook.copied(tmp_path)
    before = cli.ok("report", "--json")
    old = cli.json("recipe", "show", "lasagne")
    saved = flat(cli.ok("recipe", "edit", "lasagne", "--serves", "8"))
    assert f"The earlier version {old['id']} is kept, retired, because it is used" in saved
    assert "by 1 diary entry." in saved
    new = cli.json("recipe", "show", "lasagne")
    assert new["version"] == 2 and new["serving_g"] == 225.0 and new["id"] != old["id"]
    assert cli.ok("report", "--json") == before  # what was eaten stays what was eaten
    cli.ok("log", "1 serving lasagne", "--date", NEXT)
    assert cli.json("diary", "show", "--date", NEXT)[0]["name"] == "lasagne (my recipe v2)"
    assert [(r["version"], r["retired"]) for r in cli.json("recipe", "list", "--all")] == [
        (1, True), (2, False),
    ]  # fmt: skip
    assert [r["version"] for r in cli.json("recipe", "list")] == [2]
    assert cli.json("recipe", "show", old["id"])["retired"] is True
    cli.fails("log", f"100 g {old['id']}", match="earlier version of lasagne")
    # Deleting: kept (retired) for the entries that use it; reports do not change.
    assert "Retired food MyBar" in flat(cli.ok("food", "delete", "MyBar"))
    assert cli.ok("report", "--json", "--to", DAY) == before
    assert cli.json("food", "list") == [] and len(cli.json("food", "list", "--all")) == 1
    cli.fails("parse", "1 bar MyBar", match="unresolved")
    # One nothing uses is removed.
    cli.ok("recipe", "add", "soup", "--serves", "2", "500 g chicken broth")
    assert "Deleted recipe soup" in flat(cli.ok("recipe", "delete", "soup"))


def test_a_recipe_with_an_unresolved_item_stores_nothing(
    cook: InProcessCli, tmp_path: Path
) -> None:
    cli = cook.copied(tmp_path)
    line = cli.fails(
        "recipe",
        "add",
        "pie",
        "--serves",
        "4",
        "200 g flour, 2 handfuls of glue",
        match="Recipe not saved: 1 of 2 ingredient(s) unresolved",
    )
    assert "glue" in line
    assert [r["name"] for r in cli.json("recipe", "list")] == ["lasagne"]


def test_what_the_parser_assumed_is_said(cook: InProcessCli, tmp_path: Path) -> None:
    cli = cook.copied(tmp_path)
    saved = cli.json("recipe", "add", "crumble", "--serves", "2", "an apple, 100 g oats")
    (note,) = saved["notes"]  # the apple's weight was assumed: said, as parse says it
    assert note.startswith("an apple: ") and f"{saved['ingredients'][0]['grams']:g} g" in note
    assert f"* {note}" in flat(cli.ok("recipe", "edit", "crumble", "an apple, 50 g oats"))


def test_recipes_can_hold_your_foods(cook: InProcessCli, tmp_path: Path) -> None:
    cli = cook.copied(tmp_path)
    cli.ok("recipe", "add", "bar crumble", "--serves", "2", "2 bars MyBar, 100 g oats")
    shown = cli.json("recipe", "show", "bar crumble")
    assert shown["ingredients"][0]["ref"] == cli.json("food", "show", "MyBar")["id"]
    assert shown["nutrients"]["calcium_mg"]["per_serving"] > 200.0
    assert cli.json("food", "show", "MyBar")["used_by"]["recipes"] == ["bar crumble"]


def test_diary_export_names_your_foods_and_import_needs_them(
    cook: InProcessCli, tmp_path: Path
) -> None:
    export = tmp_path / "diary.csv"
    cook.ok("diary", "export", str(export))
    with export.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["name"] for row in rows} == {"lasagne (my recipe)", "MyBar (my food)"}
    assert all(row["ref"].startswith("my:") for row in rows)
    other = InProcessCli(tmp_path / "other.sqlite")
    other.fails("diary", "import", str(export), match="which this diary does not have")
    assert "Imported 0 entries" in flat(cook.ok("diary", "import", str(export)))


def test_a_version_1_backup_still_restores(cook: InProcessCli, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    cook.ok("backup", str(backup))
    document = json.loads(backup.read_text(encoding="utf-8"))
    old = {key: value for key, value in document.items() if key != "own_foods"}
    cheddar = {"uid": None, "ref": "usda:01009", "name": "Cheddar", "grams": 30.0, "quantity": 30.0}
    old |= {"version": 1, "entries": [{**e, **cheddar, "unit": "g"} for e in document["entries"]]}
    backup.write_text(json.dumps(old), encoding="utf-8")
    fresh = InProcessCli(tmp_path / "fresh.sqlite")
    counts = fresh.json("restore", str(backup))
    assert counts["own_foods"] == {"added": 0, "unchanged": 0, "retired": 0}
    assert counts["entries"]["added"] == 2


def test_in_a_real_process(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "diary.sqlite")
    saved = cli.ok("recipe", "add", "toast", "--serves", "2", "2 slices white bread, 30 g cheddar")
    assert "Saved toast (my recipe)" in saved and "Per serving" in saved
    cli.ok("log", "1 serving toast", "--date", DAY)
    report = cli.json("report")
    assert report["contributors"]["k2_ug"][0]["name"] == "toast (my recipe)"
    cli.fails("recipe", "add", "toast", "--serves", "2", "30 g cheddar", match="--replace")
