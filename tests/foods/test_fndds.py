"""FNDDS 2017-2018 foods in the shipped database: ids, portions, recipes, the recipe
calculation and its check against FNDDS's own values, and the special ingredient codes.

The database under test is the shipped ``src/vitk2/data/fooddb.sqlite``; the FNDDS files
are the copies in ``data/fndds/`` the build reads.
"""

from __future__ import annotations

import csv
import sqlite3
import statistics
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vitk2 import FoodDB, UnknownFoodError
from vitk2.foods.build.fndds import (
    Fndds,
    FnddsFood,
    Ingredient,
    read_fndds,
    split_portion,
)
from vitk2.foods.build.fndds_coverage import ROUNDING, _checks, _errors
from vitk2.foods.build.recipe import Amount, calculate_recipes
from vitk2.foods.nutrients import NUTRIENTS
from vitk2.foods.values import UNSPECIFIED_PORTION, food_id, parse_food_id

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SHIPPED_DB = REPO / "src" / "vitk2" / "data" / "fooddb.sqlite"
F = 100_000_000
PIZZA, CHEESEBURGER = "fndds:58106230", "fndds:27510160"


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{SHIPPED_DB}?mode=ro", uri=True)) as connection:
        yield connection


@pytest.fixture(scope="module")
def fndds() -> Fndds:
    return read_fndds(DATA_DIR, {key: n.unit for key, n in NUTRIENTS.items()})


def column(conn: sqlite3.Connection, key: str, table: str = "value") -> dict[int, float | None]:
    nid = conn.execute("SELECT id FROM nutrient WHERE key = ?", (key,)).fetchone()[0]
    if table == "recipe_value":
        rows = conn.execute("SELECT ndb, v FROM recipe_value WHERE nutrient_id = ?", (nid,))
        return {ndb: v / 1000.0 for ndb, v in rows}
    rows = conn.execute(
        "SELECT id % ?, v FROM value WHERE id BETWEEN ? AND ?", (F, nid * F, nid * F + F - 1)
    )
    return {ndb: None if v is None else v / 1000.0 for ndb, v in rows}


# --------------------------------------------------------------------------- ids and foods


def test_ids_of_both_kinds() -> None:
    assert food_id(58106230) == PIZZA
    assert food_id(1022) == "usda:01022"
    assert parse_food_id(PIZZA) == parse_food_id("58106230") == 58106230
    assert parse_food_id("FNDDS:27510160") == 27510160
    for bad in ("usda:58106230", "fndds:01022", "00001022", "fndds:123", "1234567"):
        with pytest.raises(UnknownFoodError):
            parse_food_id(bad)


def test_every_fndds_food_is_in_the_database(db: FoodDB, fndds: Fndds) -> None:
    names = db.names()
    assert len(fndds.foods) == 7083
    for food in fndds.foods:
        assert names[food_id(food.code)][0] == food.name
    assert len(db.categories) == len({f.category_code for f in fndds.foods})
    assert "Pizza" in db.categories and "Pizza" not in db.groups


def test_readme_spot_check_cheese_pizza_thick_crust(db: FoodDB) -> None:
    pizza = db.get(PIZZA)
    assert pizza.name == "Pizza, cheese, from restaurant or fast food, thick crust"
    assert pizza.group == "Pizza"
    assert pizza.recipe is not None
    assert [(i.id, i.grams) for i in pizza.recipe.ingredients] == [("usda:21300", 100.0)]
    assert pizza.recipe.ingredients[0].name.startswith('Fast Food, Pizza Chain, 14" pizza')
    portions = {p.name: p.grams for p in pizza.portions}
    assert portions["1 piece, large pizza"] == 132.0
    assert portions[UNSPECIFIED_PORTION] == 264.0  # the survey's own default amount


def test_readme_spot_check_cheeseburger(db: FoodDB) -> None:
    burger = db.get(CHEESEBURGER)
    assert burger.recipe is not None
    assert [(i.id, i.grams) for i in burger.recipe.ingredients] == [
        ("usda:18350", 52.0),  # roll
        ("usda:13317", 40.0),  # beef patty
        ("usda:02047", 0.2),  # salt
        ("fndds:99991400", 21.0),  # cheese as ingredient in sandwiches (a sub-recipe)
    ]
    assert burger.recipe.total_g == pytest.approx(113.2)
    assert burger.portions[0].name == "1 cheeseburger"
    assert burger.portions[0].grams == 115.0
    unspecified = [p for p in burger.portions if p.unspecified]
    assert [(p.name, p.grams) for p in unspecified] == [(UNSPECIFIED_PORTION, 115.0)]


def test_portions_keep_fndds_order_and_skip_missing_weights(
    conn: sqlite3.Connection, fndds: Fndds
) -> None:
    assert fndds.skipped_portions == 174  # -9 (infant formula) and the 0 g human milk
    stored = conn.execute("SELECT count(*) FROM portion WHERE ndb >= 10000000").fetchone()[0]
    assert stored == len(fndds.portions) == 32614 - 174
    assert all(p.grams > 0 for p in fndds.portions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 cheeseburger", (1.0, "cheeseburger")),
        ("1/2 cup", (0.5, "cup")),
        ("1 1/2 cup", (1.5, "cup")),
        ("10 fries", (10.0, "fries")),
        ("1-3 ring thin pretzel", (1.0, "1-3 ring thin pretzel")),
        ("Guideline amount per cup", (1.0, "Guideline amount per cup")),
    ],
)
def test_split_portion(text: str, expected: tuple[float, str]) -> None:
    assert split_portion(text) == expected


def test_values_per_100g_equal_the_fndds_file(conn: sqlite3.Connection, fndds: Fndds) -> None:
    for key in ("energy_kcal", "k1_ug", "vitd_ug", "calcium_mg", "water_g"):
        stored = column(conn, key)
        for code, values in fndds.values.items():
            assert stored[code] == pytest.approx(values[key], abs=5e-4), (code, key)


def test_fndds_k1_is_phylloquinone_never_k2(db: FoodDB) -> None:
    """FNDDS's 'Vitamin K (phylloquinone)' is K1 only: stored as k1_ug, never as K2."""
    kale = db.get("fndds:72119190")
    assert kale.nutrient("k1_ug").value == 390.0
    assert kale.nutrient("k1_ug").sources == ("usda_fndds_2017_2018",)
    k2 = kale.nutrient("k2_ug")
    assert k2.value == 0.0 and "recipe" in (k2.method or "")


# --------------------------------------------------------------------------- the recipe sum


def _one_food(code: int, rows: list[tuple[int, float]], water_g: float = 50.0) -> Fndds:
    foods = (FnddsFood(code, f"food {code}", "", "9999", "test"),)
    recipe = tuple(
        Ingredient(code, seq, ndb, "sr28", "", grams, 0) for seq, (ndb, grams) in enumerate(rows)
    )
    return Fndds(
        foods=foods,
        portions=(),
        values={code: {"water_g": water_g}},
        recipes={code: recipe},
        moisture_1920={},
        special={},
        skipped_portions=0,
    )


amounts = st.tuples(
    st.floats(0.1, 500.0),  # grams
    st.floats(0.0, 100.0),  # per-100 g value
    st.floats(0.0, 1.0),  # low as a fraction of the value
    st.floats(1.0, 3.0),  # high as a multiple of the value
)


@settings(max_examples=60, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=8))
def test_recipe_value_is_the_grams_weighted_sum(
    parts: list[tuple[float, float, float, float]],
) -> None:
    """Without a yield: value = Σ grams × per-100 g value / Σ grams; low ≤ value ≤ high."""
    leaves = {
        ndb: {"k2_ug": Amount(value, value * low, value * high)}
        for ndb, (_, value, low, high) in enumerate(parts, start=1)
    }
    food = _one_food(90000000, [(ndb, grams) for ndb, (grams, *_) in enumerate(parts, start=1)])
    result = calculate_recipes(food, leaves, {})[90000000]
    k2 = result.values["k2_ug"]
    total = sum(g for g, *_ in parts)
    assert result.yield_factor == 1.0  # water of the ingredients unknown: no yield
    assert k2.value == pytest.approx(sum(g * v for g, v, *_ in parts) / total)
    assert k2.low <= k2.value + 1e-9 <= k2.high + 2e-9
    assert k2.complete and k2.known_share == 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(amounts, min_size=2, max_size=8), st.floats(0.01, 100.0))
def test_recipe_is_additive_and_scale_free(
    parts: list[tuple[float, float, float, float]], factor: float
) -> None:
    """Two sub-recipes in a dish give the same value as their ingredients listed directly,
    and multiplying every weight by the same factor changes nothing per 100 g."""
    leaves = {ndb: {"k2_ug": Amount(v, v, v)} for ndb, (_, v, *_) in enumerate(parts, start=1)}
    half = len(parts) // 2
    flat = [(ndb, g) for ndb, (g, *_) in enumerate(parts, start=1)]
    a, b = 91000000, 92000000
    rows_a, rows_b = flat[:half], flat[half:]
    nested = Fndds(
        foods=tuple(FnddsFood(c, "", "", "9999", "") for c in (a, b, 93000000)),
        portions=(),
        values={c: {"water_g": 50.0} for c in (a, b, 93000000)},
        recipes={
            a: tuple(Ingredient(a, i, n, "sr28", "", g, 0) for i, (n, g) in enumerate(rows_a)),
            b: tuple(Ingredient(b, i, n, "sr28", "", g, 0) for i, (n, g) in enumerate(rows_b)),
            93000000: (
                Ingredient(93000000, 1, a, "fndds", "", sum(g for _, g in rows_a), 0),
                Ingredient(93000000, 2, b, "fndds", "", sum(g for _, g in rows_b), 0),
            ),
        },
        moisture_1920={},
        special={},
        skipped_portions=0,
    )
    direct = calculate_recipes(_one_food(94000000, flat), leaves, {})[94000000]
    scaled = _one_food(95000000, [(n, g * factor) for n, g in flat])
    via_parts = calculate_recipes(nested, leaves, {})[93000000]
    expected = direct.values["k2_ug"].value
    assert via_parts.values["k2_ug"].value == pytest.approx(expected)
    result = calculate_recipes(scaled, leaves, {})[95000000]
    assert result.values["k2_ug"].value == pytest.approx(expected)


def test_partly_known_recipe_is_no_value(db: FoodDB, conn: sqlite3.Connection) -> None:
    """A recipe with an ingredient of unknown K2 stores no K2, only its known share."""
    k2 = column(conn, "k2_ug")
    codes = [c for c, v in sorted(k2.items()) if c >= 10_000_000 and v is None][:20]
    unknown = [db.get(food_id(code)) for code in codes]
    assert unknown
    for food in unknown:
        k2 = food.nutrient("k2_ug")
        assert k2.value is None
        assert "Known for" in (k2.method or "")
        assert any(note.endswith(": unknown") for _, note in k2.estimates)


def test_stored_recipe_k2_equals_the_sum_over_stored_ingredients(
    conn: sqlite3.Connection,
) -> None:
    """Recompute every complete FNDDS K2 from the shipped ingredient values."""
    k2 = column(conn, "k2_ug")
    foods = {
        ndb: (total, yield_pct)
        for ndb, total, yield_pct in conn.execute("SELECT ndb, total_g, yield_pct FROM recipe_food")
    }
    special = dict(conn.execute("SELECT code, ndb FROM special_code").fetchall())
    recipes: dict[int, list[tuple[int, float]]] = {}
    for food, ingredient, grams in conn.execute("SELECT ndb, ingredient, grams FROM recipe"):
        recipes.setdefault(food, []).append((ingredient, grams))
    checked = 0
    for code, rows in recipes.items():
        if k2.get(code) is None or any(i in special and special[i] is None for i, _ in rows):
            continue  # unknown, or a fortificant / FDC-only special code
        parts = [(special.get(i, i), g) for i, g in rows]
        total, yield_pct = foods[code]
        expected = sum(g * (k2[i] or 0.0) for i, g in parts) / (total * yield_pct / 100.0)
        # Stored ingredient values are rounded to 0.001; allow for that in the sum.
        assert k2[code] == pytest.approx(expected, abs=2e-3, rel=1e-4), code
        checked += 1
    assert checked > 6000


# --------------------------------------------------------------------------- the K1 check


def test_recipe_k1_against_fndds_meets_the_issue_bar(conn: sqlite3.Connection) -> None:
    """The issue's bar: median error ≤ 2 %; the plain weighted sum gave 0.6 % and 81 %."""
    checks = _checks(conn, "k1_ug")
    assert len(checks) > 7000
    errors = _errors(checks)
    assert statistics.median(errors) <= 0.02
    assert sum(e <= 0.10 for e in errors) / len(errors) > 0.90
    rounding = _errors(checks, rounding=ROUNDING)
    assert sum(e <= 0.10 for e in rounding) / len(rounding) > 0.97
    # The yield is what lifts it: without it, far fewer are within 10 %.
    plain = _errors(checks, yields=False)
    assert sum(e <= 0.10 for e in plain) < sum(e <= 0.10 for e in errors)


def test_published_values_show_the_recipe_sum(db: FoodDB) -> None:
    k1 = db.get(CHEESEBURGER).nutrient("k1_ug")
    assert k1.value == 3.5
    assert k1.basis == "imputed"
    assert "vitk2 recipe sum is 3.468 µg (-0.9%)" in (k1.method or "")
    assert [source for source, _ in k1.estimates] == [
        "usda:18350", "usda:13317", "usda:02047", "fndds:99991400",
    ]  # fmt: skip


def test_yield_from_the_2019_2020_moisture_change(conn: sqlite3.Connection, fndds: Fndds) -> None:
    rows = dict(
        conn.execute(
            "SELECT ndb, yield_pct FROM recipe_food "
            "WHERE yield_source = 'fndds_2019_2020_moisture_change'"
        ).fetchall()
    )
    assert len(rows) == 4582
    for code, yield_pct in rows.items():
        assert yield_pct == pytest.approx(100.0 + fndds.moisture_1920[code][0], abs=1e-3)


# --------------------------------------------------------------------------- special codes


def test_every_special_code_is_mapped(conn: sqlite3.Connection, fndds: Fndds) -> None:
    used = {row.code for rows in fndds.recipes.values() for row in rows if row.kind == "special"}
    assert used == set(fndds.special) and len(used) == 10
    names = dict(conn.execute("SELECT ndb, name FROM food").fetchall())
    for code, special in fndds.special.items():
        if special.rule == "sr28":
            assert int(special.ndb) == code - 900000, code  # 9 + the NDB number
            assert special.description.startswith("REDUCED SODIUM: ")
            assert int(special.ndb) in names


def test_vitamin_d_as_ingredient_is_100_ug_per_gram(fndds: Fndds) -> None:
    """999328: derived from FNDDS's own values in each of the 17 foods that use it."""
    sr28: dict[int, float] = {}
    with (DATA_DIR / "fndds_special_codes.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["code"] == "999328")
    assert row["values"] == "vitd_ug=10000"
    with closing(sqlite3.connect(f"file:{SHIPPED_DB}?mode=ro", uri=True)) as connection:
        sr28 = {k: v or 0.0 for k, v in column(connection, "vitd_ug").items()}
    users = [c for c, rows in fndds.recipes.items() if any(r.code == 999328 for r in rows)]
    assert len(users) == 17
    for code in users:
        rows = fndds.recipes[code]
        total = sum(r.grams for r in rows)
        dose = next(r.grams for r in rows if r.code == 999328)
        others = sum(r.grams * sr28[r.code] / 100 for r in rows if r.code != 999328)
        per_gram = (fndds.values[code]["vitd_ug"] * total / 100 - others) / dose
        assert per_gram == pytest.approx(100.0, rel=0.015), code


def test_special_codes_in_dishes(db: FoodDB) -> None:
    bologna = db.get("fndds:25220435")  # reduced-sodium bologna = 100 g of 907971
    assert bologna.recipe is not None
    assert bologna.recipe.ingredients[0].id == "special:907971"
    assert "usda:07971" in bologna.recipe.ingredients[0].note
    assert bologna.nutrient("k2_ug").value == db.get("usda:07971").nutrient("k2_ug").value
    chorizo = db.get("fndds:25220710")  # 100 g of the FDC chorizo 100173
    assert chorizo.nutrient("mk4_ug").value == 16.8
    assert chorizo.nutrient("k2_ug").value == 16.8
    yogurt = db.get("fndds:11411100")  # whole-milk yogurt + 0.011 g vitamin D preparation
    assert yogurt.nutrient("k2_ug").value == pytest.approx(
        db.get("usda:01116").nutrient("k2_ug").value or 0.0, abs=0.01
    )


# --------------------------------------------------------------------------- search, top


def test_single_foods_stay_on_sr28_and_dishes_find_fndds(db: FoodDB) -> None:
    assert db.search("tahini", limit=1)[0].id.startswith("usda:")
    assert db.search("brazil nuts", limit=1)[0].id.startswith("usda:")
    assert db.search("chicken curry", limit=1)[0].id.startswith("fndds:")
    assert db.search("pad thai", limit=1)[0].id.startswith("fndds:")


def test_rankings_leave_dishes_out_unless_asked(db: FoodDB) -> None:
    plain = db.top("calcium", limit=50)
    assert all(row.id.startswith("usda:") for row in plain)
    pizzas = db.top("k2", group="pizza", dishes=True, limit=5)
    assert pizzas and all(row.group == "Pizza" for row in pizzas)
    served = db.top("k2", per="serving", dishes=True, group="Burgers", limit=3)
    assert all(row.serving is not None and row.serving.unspecified for row in served)


def test_vectors_for_fndds_ids(db: FoodDB) -> None:
    vectors = db.vectors([CHEESEBURGER, "usda:01009"])
    burger = vectors[CHEESEBURGER]
    assert burger.k2_basis == "imputed"
    assert burger.k2_low is not None and burger.k2_high is not None
    k2 = list(NUTRIENTS).index("k2_ug")
    assert burger.values[k2] == db.get(CHEESEBURGER).nutrient("k2_ug").value
