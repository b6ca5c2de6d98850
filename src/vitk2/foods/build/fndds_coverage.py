"""Coverage of the FNDDS foods and of what Americans eat (NHANES 2011-2012 day 1), and
the check of the recipe method against FNDDS's own K1, vitamin D and calcium: the
Markdown tables that `vitk2.foods.build.coverage` writes into docs/data.md.

Everything is read from the shipped database and ``data/nhanes/`` (`NHANES_FILE`), so
a test can check that the tables in docs/data.md are current.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from vitk2.foods.build.nhanes import NHANES_FILE, read

_F: Final = 100_000_000
FNDDS_MIN: Final = 10_000_000
PLAIN_WATER: Final = frozenset({"wweia:7702", "wweia:7704"})  # tap and bottled water
# WWEIA category numbers by major group (USDA's What We Eat in America food categories).
MAJOR_GROUPS: Final = (
    (1000, 1999, "Milk and dairy"),
    (2000, 2999, "Protein foods"),
    (3000, 3999, "Mixed dishes"),
    (4000, 4999, "Grains"),
    (5000, 5999, "Snacks and sweets"),
    (6000, 6399, "Fruit"),
    (6400, 6999, "Vegetables"),
    (7000, 7499, "Beverages"),
    (7500, 7599, "Alcoholic beverages"),
    (7700, 7899, "Water"),
    (8000, 8399, "Fats and oils"),
    (8400, 8799, "Condiments and sauces"),
    (8800, 8999, "Sugars"),
    (9000, 9699, "Infant formula and baby food"),
    (9700, 9999, "Other"),
)
# An ingredient that makes a dish one "with cheese, meat, egg or milk": an SR28 food of
# the dairy-and-egg or meat groups, or one whose name says so (pizza, cheese sauce).
ANIMAL_GROUPS: Final = frozenset({"0100", "0500", "0700", "1000", "1300", "1700"})
ANIMAL_WORDS: Final = re.compile(
    r"\b(cheese\w*|pizza|beef|pork|chicken|turkey|ham|bacon|sausage\w*|egg|eggs|milk|"
    r"cream|butter|meat\w*|pepperoni|frankfurter\w*)\b"
)
ROUNDING: Final = 0.05  # FNDDS publishes K1 and vitamin D to 0.1 µg


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f} %" if whole else "–"


def major_group(category: str) -> str:
    number = int(category.removeprefix("wweia:"))
    for low, high, name in MAJOR_GROUPS:
        if low <= number <= high:
            return name
    return "Other"


@dataclass(frozen=True, slots=True)
class _Db:
    names: dict[int, str]
    groups: dict[int, str]
    k2_known: dict[int, bool]
    recipes: dict[int, list[tuple[int, float]]]
    special: dict[int, int | None]


def _load(db: sqlite3.Connection) -> _Db:
    k2_id = db.execute("SELECT id FROM nutrient WHERE key = 'k2_ug'").fetchone()[0]
    k2 = {
        i % _F: basis != 0
        for i, basis in db.execute(
            "SELECT id, basis FROM value WHERE id BETWEEN ? AND ?",
            (k2_id * _F, k2_id * _F + _F - 1),
        )
    }
    names, groups = {}, {}
    for key, name, group in db.execute("SELECT ndb, name, group_code FROM food"):
        names[key], groups[key] = name, group
    recipes: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for food, ingredient, grams in db.execute(
        "SELECT ndb, ingredient, grams FROM recipe ORDER BY ndb, seq"
    ):
        recipes[food].append((ingredient, grams))
    special = dict(db.execute("SELECT code, ndb FROM special_code").fetchall())
    return _Db(names, groups, k2, recipes, special)


def _leaves(data: _Db, code: int, seen: set[int] | None = None) -> set[int]:
    """SR28 foods (and unmapped special codes) in an FNDDS recipe, sub-recipes expanded."""
    found: set[int] = set()
    for ingredient, _ in data.recipes[code]:
        if ingredient >= FNDDS_MIN:
            found |= _leaves(data, ingredient)
        elif ingredient in data.special:
            mapped = data.special[ingredient]
            if mapped is not None:  # else a fortificant or an FDC food with its own K2
                found.add(mapped)
        else:
            found.add(ingredient)
    return found


def _has_animal(data: _Db, code: int) -> bool:
    for leaf in _leaves(data, code):
        if data.groups.get(leaf) in ANIMAL_GROUPS:
            return True
        if ANIMAL_WORDS.search(data.names.get(leaf, "").lower()):
            return True
    return False


def fndds_tables(db: sqlite3.Connection, data_dir: Path) -> list[str]:
    data = _load(db)
    lines = _nutrient_table(db)
    lines += ["", *_nhanes_tables(data, data_dir)]
    lines += ["", *_animal_dishes(data)]
    lines += ["", *_recipe_check(db, data)]
    return lines


def basis_rows(db: sqlite3.Connection, keys: Sequence[str], where: str, foods: int) -> list[str]:
    """Markdown rows: foods measured, imputed and unknown per nutrient key, among the
    ``foods`` foods the SQL condition ``where`` selects (a food with no row is unknown)."""
    lines = []
    for key in keys:
        measured, imputed = db.execute(
            "SELECT sum(basis = 'measured'), sum(basis = 'imputed') FROM nutrient_value "
            f"WHERE nutrient = ? AND {where}",
            (key,),
        ).fetchone()
        measured, imputed = measured or 0, imputed or 0
        lines.append(
            f"| `{key}` | {_n(measured)} | {_n(imputed)} | {_n(foods - measured - imputed)} |"
        )
    return lines


def _nutrient_table(db: sqlite3.Connection) -> list[str]:
    foods = db.execute(f"SELECT count(*) FROM food WHERE ndb >= {FNDDS_MIN}").fetchone()[0]
    lines = [
        f"{_n(foods)} FNDDS 2017-2018 foods. K1, vitamin D and calcium are FNDDS's own values "
        "(basis imputed: USDA calculated them from the recipes); dihydro-K1 and the "
        "menaquinones come from the recipe and are known only when every ingredient's is.",
        "",
        "| nutrient | measured | imputed | unknown |",
        "|---|---:|---:|---:|",
    ]
    keys = ("k2_ug", "mk4_ug", "mk7_ug", "k1_ug", "dk1_ug", "vitk_ug", "vitd_ug", "calcium_mg")
    lines += basis_rows(db, keys, f"ndb >= {FNDDS_MIN}", foods)
    return lines


def _nhanes_tables(data: _Db, data_dir: Path) -> list[str]:
    eaten = read(data_dir / NHANES_FILE)
    rows = sum(f.rows for f in eaten)
    grams = sum(f.grams for f in eaten)
    by_match: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    water = [0.0, 0.0]
    groups: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # grams, K2-known grams
    for food in eaten:
        by_match[food.match][0] += food.rows
        by_match[food.match][1] += food.grams
        if food.fndds_code is None:
            continue
        category = data.groups[food.fndds_code]
        if category in PLAIN_WATER:
            water[0] += food.rows
            water[1] += food.grams
            continue
        group = groups[major_group(category)]
        group[0] += food.grams
        group[1] += food.grams if data.k2_known.get(food.fndds_code) else 0.0
    mapped = by_match["code"][1] + by_match["description"][1] - water[1]
    known = sum(g[1] for g in groups.values())
    lines = [
        f"NHANES 2011-2012 day-1 recalls, reliable recalls only (`DR1DRSTZ` = 1): "
        f"{_n(rows)} foods eaten, {_n(grams / 1000)} kg (`{NHANES_FILE.as_posix()}`, made by "
        "`python -m vitk2.foods.build.nhanes`).",
        "",
        "| food code | rows | share of rows | grams | share of grams |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "code": "in FNDDS 2017-2018",
        "description": "matched by description",
        "none": "not matched (left out)",
    }
    for match in ("code", "description", "none"):
        count, weight = by_match[match]
        lines.append(
            f"| {labels[match]} | {_n(count)} | {_pct(count, rows)} | {_n(weight)} | "
            f"{_pct(weight, grams)} |"
        )
    lines += [
        f"| of the matched: plain water (left out) | {_n(water[0])} | {_pct(water[0], rows)} | "
        f"{_n(water[1])} | {_pct(water[1], grams)} |",
        "",
        f"**K2 known (measured or imputed, with the rule's range) for "
        f"{_pct(known, mapped)} of the grams** of the matched foods other than plain water "
        f"({_n(known)} of {_n(mapped)} g). By WWEIA major group:",
        "",
        "| group | grams | share of all | K2 known |",
        "|---|---:|---:|---:|",
    ]
    for _, _, name in MAJOR_GROUPS:
        if name in groups:
            weight, found = groups[name][0], groups[name][1]
            lines.append(
                f"| {name} | {_n(weight)} | {_pct(weight, mapped)} | {_pct(found, weight)} |"
            )
    return lines


def _animal_dishes(data: _Db) -> list[str]:
    dishes = [c for c in data.recipes if _has_animal(data, c)]
    unknown = [c for c in dishes if not data.k2_known.get(c)]
    blockers: dict[int, int] = defaultdict(int)
    for code in unknown:
        for leaf in _leaves(data, code):
            if not data.k2_known.get(leaf):
                blockers[leaf] += 1
    lines = [
        f"FNDDS foods with cheese, meat, egg or milk (an ingredient from the SR28 dairy-and-egg "
        f"or meat groups, or named so): {_n(len(dishes))}; K2 known for "
        f"{_n(len(dishes) - len(unknown))} ({_pct(len(dishes) - len(unknown), len(dishes))}). "
        "The ingredients whose unknown K2 keeps the rest unknown, by the number of such "
        "foods:",
        "",
        "| ingredient | foods |",
        "|---|---:|",
    ]
    for leaf, count in sorted(blockers.items(), key=lambda item: (-item[1], item[0]))[:12]:
        name = data.names.get(leaf, f"special code {leaf}")
        lines.append(f"| {name} | {count} |")
    return lines


@dataclass(frozen=True, slots=True)
class _Check:
    code: int
    published: float
    recipe: float
    yield_pct: float
    main_share: float


def _checks(db: sqlite3.Connection, key: str) -> list[_Check]:
    nid = db.execute("SELECT id FROM nutrient WHERE key = ?", (key,)).fetchone()[0]
    rows = db.execute(
        "SELECT r.ndb, v.v, r.v, f.yield_pct, f.main_share FROM recipe_value r "
        "JOIN value v ON v.id = r.nutrient_id * ? + r.ndb "
        "JOIN recipe_food f ON f.ndb = r.ndb "
        "WHERE r.nutrient_id = ? AND r.known_permille = 1000",
        (_F, nid),
    ).fetchall()
    return [_Check(c, p / 1000.0, r / 1000.0, y, s) for c, p, r, y, s in rows]


def _errors(checks: Sequence[_Check], *, rounding: float = 0.0, yields: bool = True) -> list[float]:
    errors = []
    for check in checks:
        recipe = check.recipe if yields else check.recipe * check.yield_pct / 100.0
        difference = max(0.0, abs(recipe - check.published) - rounding)
        if difference <= 5e-4:
            errors.append(0.0)
        elif check.published > 0:
            errors.append(difference / check.published)
        else:
            errors.append(float("inf"))
    return errors


def _summary(errors: Sequence[float]) -> str:
    within_10 = sum(e <= 0.10 for e in errors)
    within_2 = sum(e <= 0.02 for e in errors)
    median = statistics.median(errors)
    return f"{median:.2%} | {_pct(within_2, len(errors))} | {_pct(within_10, len(errors))}"


def _recipe_check(db: sqlite3.Connection, data: _Db) -> list[str]:
    sources = dict(
        db.execute("SELECT yield_source, count(*) FROM recipe_food GROUP BY yield_source")
    )
    k1 = _checks(db, "k1_ug")
    lines = [
        "Recipe sums against FNDDS's own values, over the FNDDS foods whose ingredients all have "
        "a value (relative error |recipe - FNDDS| / FNDDS; 'rounding-aware' first allows FNDDS's "
        "rounding to 0.1 µg). Cooked weight from the FNDDS 2019-2020 moisture change of the same "
        f"recipe for {_n(sources.get('fndds_2019_2020_moisture_change', 0))} foods, from the water "
        f"balance for {_n(sources.get('water_balance', 0))}, unchanged for "
        f"{_n(sources.get('none', 0))}.",
        "",
        "| nutrient | foods | median error | within 2 % | within 10 % |",
        "|---|---:|---:|---:|---:|",
        f"| K1 (`k1_ug`), as built | {_n(len(k1))} | {_summary(_errors(k1))} |",
        f"| K1, rounding-aware | {_n(len(k1))} | {_summary(_errors(k1, rounding=ROUNDING))} |",
        f"| K1 without the food's own yield | {_n(len(k1))} | "
        f"{_summary(_errors(k1, yields=False))} |",
    ]
    for key, label, rounding in (("vitd_ug", "vitamin D, rounding-aware", ROUNDING),
                                 ("calcium_mg", "calcium", 0.5)):  # fmt: skip
        checks = _checks(db, key)
        lines.append(
            f"| {label} (`{key}`) | {_n(len(checks))} | "
            f"{_summary(_errors(checks, rounding=rounding))} |"
        )
    far = [c for c, e in zip(k1, _errors(k1, rounding=ROUNDING), strict=True) if e > 0.10]
    single = [c for c in far if c.main_share >= 0.99]
    lines += [
        "",
        f"K1 outside 10 % (rounding-aware): {_n(len(far))} foods. {_n(len(single))} of them are "
        "one SR28 ingredient (≥ 99 % of the grams), so the difference is that ingredient's "
        "value: FNDDS used another value for it than SR28 has. The largest differences:",
        "",
        "| FNDDS food | FNDDS K1 µg/100 g | recipe K1 |",
        "|---|---:|---:|",
    ]
    for check in sorted(far, key=lambda c: -abs(c.recipe - c.published))[:10]:
        name = data.names[check.code]
        lines.append(f"| {check.code} {name} | {check.published:g} | {check.recipe:.1f} |")
    return lines
