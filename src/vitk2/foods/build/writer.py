"""Write the compact food database (one SQLite file) from SR28, FNDDS and the K2 tables.

Schema (``SCHEMA_VERSION``):

* ``meta(key, value)``: schema version and sha256 of every build input.
* ``food_group(code, name)``: the SR28 food groups and the FNDDS WWEIA categories
  (``wweia:NNNN``); ``food(ndb, name, group_code, survey, common_names, manufacturer)``
  and ``portion(ndb, seq, amount, unit, grams)``: SR28 foods (``ndb`` the NDB number)
  and FNDDS foods (``ndb`` the 8-digit food code; common names = FNDDS's additional
  description).
* ``nutrient(id, key, name, unit, sr_number, sort)``.
* ``source(id, key, kind, reliability, licence, citation, read_at)``.
* ``value(id, v, basis, src_cd)``: one row per (nutrient, food), per 100 g edible
  portion. ``id = nutrient_id * 100000000 + ndb`` (`rows.ID_FACTOR`). ``v`` is an
  integer in thousandths of the nutrient's unit (SR28 has at most three decimals);
  ``basis`` 1 measured, 2 imputed, 0 unknown (``v`` NULL); ``src_cd`` is SR28's
  source code.
* ``value_detail(id, lo, hi, method_id)``: the low-high range (SR28 Min/Max or the
  spread of literature estimates), and for vitamin K how the value was obtained
  (``method(id, text)`` holds each distinct sentence once).
* The view ``nutrient_value`` joins it all back into readable REAL values.
* ``value_source(nutrient_id, ndb, seq, source_id, note)``: every estimate behind a
  vitamin K value of an SR28 food.
* ``recipe``, ``recipe_food``, ``recipe_value``, ``special_code``: FNDDS recipes and
  the recipe calculation (`vitk2.foods.build.fndds_tables`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from vitk2.foods.build import sr28
from vitk2.foods.build.fndds import FNDDS_INPUTS, Fndds, read_fndds
from vitk2.foods.build.fndds_tables import insert_fndds
from vitk2.foods.build.recipe import (
    RecipeResult,
    calculate_recipes,
    special_leaves,
    sr28_leaves,
)
from vitk2.foods.build.rows import Row, insert_values, milli, value_id
from vitk2.foods.build.vitamin_k import (
    IMPUTED,
    MEASURED,
    VitKRecord,
    build_vitamin_k,
    read_csv,
)
from vitk2.foods.nutrients import NUTRIENTS

SCHEMA_VERSION = "2"
FDC_FILE = "fdc_foundation_mk4.csv"
BASIS_CODES = {"unknown": 0, MEASURED: 1, IMPUTED: 2}
DATA_INPUTS = (
    "k2_foods_literature.csv",
    "k2_mapping.csv",
    "k2_imputation.csv",
    "k2_families.csv",
    "k2_split.csv",
    "fdc_foundation_mk4.csv",
    "fdc_mapping.csv",
    "sources.csv",
    "fndds_special_codes.csv",
)

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE food_group(code TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE food(
    ndb INTEGER PRIMARY KEY, name TEXT NOT NULL, group_code TEXT NOT NULL,
    survey INTEGER NOT NULL, common_names TEXT NOT NULL, manufacturer TEXT NOT NULL);
CREATE TABLE portion(
    ndb INTEGER NOT NULL, seq INTEGER NOT NULL, amount REAL NOT NULL, unit TEXT NOT NULL,
    grams REAL NOT NULL, PRIMARY KEY (ndb, seq)) WITHOUT ROWID;
CREATE TABLE nutrient(
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, unit TEXT NOT NULL,
    sr_number TEXT, sort INTEGER NOT NULL);
CREATE TABLE source(
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    reliability TEXT NOT NULL, licence TEXT NOT NULL, citation TEXT NOT NULL,
    read_at TEXT NOT NULL);
CREATE TABLE value(
    id INTEGER PRIMARY KEY, v INTEGER, basis INTEGER NOT NULL, src_cd INTEGER);
CREATE TABLE value_detail(id INTEGER PRIMARY KEY, lo INTEGER, hi INTEGER, method_id INTEGER);
CREATE TABLE method(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE VIEW nutrient_value AS
    SELECT value.id % 100000000 AS ndb, food.name AS food, nutrient.key AS nutrient,
           value.v / 1000.0 AS value, value_detail.lo / 1000.0 AS low,
           value_detail.hi / 1000.0 AS high, nutrient.unit AS unit,
           CASE value.basis WHEN 1 THEN 'measured' WHEN 2 THEN 'imputed' ELSE 'unknown' END
               AS basis,
           value.src_cd AS src_cd, method.text AS method
    FROM value
    JOIN food ON food.ndb = value.id % 100000000
    JOIN nutrient ON nutrient.id = value.id / 100000000
    LEFT JOIN value_detail ON value_detail.id = value.id
    LEFT JOIN method ON method.id = value_detail.method_id;
CREATE TABLE value_source(
    nutrient_id INTEGER NOT NULL, ndb INTEGER NOT NULL, seq INTEGER NOT NULL,
    source_id INTEGER NOT NULL, note TEXT NOT NULL,
    PRIMARY KEY (nutrient_id, ndb, seq)) WITHOUT ROWID;
"""


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_nutrient_vocabulary(definitions: dict[str, tuple[str, str]]) -> None:
    """Every SR28 nutrient has a vitk2 key with SR28's unit (324, vitamin D in IU, is
    converted to µg instead); raise `BuildError` when NUTR_DEF and vitk2 disagree."""
    by_number = {n.sr_number: n for n in NUTRIENTS.values() if n.sr_number}
    for number, (unit, description) in definitions.items():
        if number == "324":
            continue
        nutrient = by_number.get(number)
        if nutrient is None:
            raise sr28.BuildError(f"SR28 nutrient {number} ({description}) has no vitk2 key")
        if nutrient.unit != unit:
            raise sr28.BuildError(
                f"SR28 nutrient {number} ({description}) is in {unit}, "
                f"but vitk2 key {nutrient.key} says {nutrient.unit}"
            )
    missing = set(by_number) - set(definitions)
    if missing:
        raise sr28.BuildError(f"vitk2 keys name SR28 nutrients not in NUTR_DEF: {sorted(missing)}")


def build_database(sr_dir: Path, data_dir: Path, output: Path) -> dict[str, int]:
    """Build the database at ``output`` (replaced atomically). Returns row counts."""
    check_nutrient_vocabulary(sr28.read_nutrient_definitions(sr_dir))
    foods = sr28.read_foods(sr_dir)
    groups = sr28.read_food_groups(sr_dir)
    portions = sr28.read_portions(sr_dir)
    values = list(sr28.read_values(sr_dir))
    fat_g = {v.ndb: v.value for v in values if v.nutr_no == "204"}
    vitk = build_vitamin_k(foods, values, fat_g, data_dir)
    fndds = read_fndds(data_dir, {key: n.unit for key, n in NUTRIENTS.items()})
    recipes = recipe_results(fndds, vitk, values, data_dir)

    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    connection = sqlite3.connect(tmp)
    try:
        connection.executescript(_SCHEMA)
        counts = _fill(connection, data_dir, foods, groups, portions, values, vitk)
        counts |= insert_fndds(connection, fndds, recipes, _nutrient_ids())
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    tmp.replace(output)
    return counts


def recipe_results(
    fndds: Fndds, vitk: Sequence[VitKRecord], values: Sequence[sr28.SR28Value], data_dir: Path
) -> dict[int, RecipeResult]:
    """The recipe calculation of every FNDDS food from the SR28 values built here."""
    leaves = sr28_leaves(vitk, values)
    fdc_mk4 = {row["food_id"]: float(row["value"]) for row in read_csv(data_dir / FDC_FILE)}
    return calculate_recipes(fndds, leaves, special_leaves(fndds.special, leaves, fdc_mk4))


def _nutrient_ids() -> dict[str, int]:
    """Nutrient ids follow the order of `NUTRIENTS`, from 1."""
    return {key: index for index, key in enumerate(NUTRIENTS, start=1)}


def _fill(
    connection: sqlite3.Connection,
    data_dir: Path,
    foods: Sequence[sr28.SR28Food],
    groups: dict[str, str],
    portions: Sequence[sr28.SR28Portion],
    values: Sequence[sr28.SR28Value],
    vitk: Sequence[VitKRecord],
) -> dict[str, int]:
    meta = {"schema_version": SCHEMA_VERSION, "sr28_sha256": sr28.SR28_SHA256}
    for name in DATA_INPUTS:
        meta[f"sha256:{name}"] = _file_sha(data_dir / name)
    for path in FNDDS_INPUTS:
        meta[f"sha256:{path.as_posix()}"] = _file_sha(data_dir / path)
    connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    connection.executemany("INSERT INTO food_group VALUES (?, ?)", sorted(groups.items()))
    connection.executemany(
        "INSERT INTO food VALUES (?, ?, ?, ?, ?, ?)",
        (
            (int(f.ndb), f.name, f.group_code, int(f.survey), f.common_names, f.manufacturer)
            for f in foods
        ),
    )
    connection.executemany(
        "INSERT INTO portion VALUES (?, ?, ?, ?, ?)",
        ((int(p.ndb), p.seq, p.amount, p.unit, p.grams) for p in portions),
    )
    nutrient_ids = _nutrient_ids()
    for key, index in nutrient_ids.items():
        nutrient = NUTRIENTS[key]
        connection.execute(
            "INSERT INTO nutrient VALUES (?, ?, ?, ?, ?, ?)",
            (index, nutrient.key, nutrient.name, nutrient.unit, nutrient.sr_number, nutrient.sort),
        )
    source_ids = _insert_sources(connection, data_dir)
    count_values = _insert_sr28_values(connection, values, nutrient_ids)
    count_vitk, count_links = _insert_vitk(connection, vitk, nutrient_ids, source_ids)
    return {
        "foods": len(foods),
        "portions": len(portions),
        "sr28_values": count_values,
        "vitamin_k_values": count_vitk,
        "vitamin_k_sources": count_links,
        "sources": len(source_ids),
    }


def _insert_sources(connection: sqlite3.Connection, data_dir: Path) -> dict[str, int]:
    ids: dict[str, int] = {}
    for index, row in enumerate(read_csv(data_dir / "sources.csv"), start=1):
        ids[row["key"]] = index
        connection.execute(
            "INSERT INTO source VALUES (?, ?, ?, ?, ?, ?, ?)",
            (index, row["key"], row["kind"], row["reliability"], row["licence"],
             row["citation"], row["read_at"]),
        )  # fmt: skip
    return ids


def _insert_sr28_values(
    connection: sqlite3.Connection,
    values: Iterable[sr28.SR28Value],
    nutrient_ids: dict[str, int],
) -> int:
    by_number = {n.sr_number: n.key for n in NUTRIENTS.values() if n.sr_number}
    vitamin_k_numbers = {"428", "429", "430"}  # written with provenance by _insert_vitk
    vitd_ug = nutrient_ids["vitd_ug"]
    rows: dict[int, Row] = {}
    iu_fallback: list[sr28.SR28Value] = []
    for v in values:
        if v.nutr_no in vitamin_k_numbers:
            continue
        if v.nutr_no == "324":
            iu_fallback.append(v)
            continue
        key = value_id(nutrient_ids[by_number[v.nutr_no]], int(v.ndb))
        basis = 1 if v.src_cd in sr28.ANALYTICAL_SRC_CODES else 2
        rows[key] = (milli(v.value), basis, int(v.src_cd), milli(v.low), milli(v.high), None)
    for v in iu_fallback:  # vitamin D in IU only: convert, 40 IU = 1 µg
        key = value_id(vitd_ug, int(v.ndb))
        if key not in rows:
            basis = 1 if v.src_cd in sr28.ANALYTICAL_SRC_CODES else 2
            note = "SR28 nutrient 324 (IU) converted at 40 IU = 1 µg"
            rows[key] = (milli(v.value / 40.0), basis, int(v.src_cd), None, None, note)
    insert_values(connection, sorted(rows.items()))
    return len(rows)


def _insert_vitk(
    connection: sqlite3.Connection,
    records: Sequence[VitKRecord],
    nutrient_ids: dict[str, int],
    source_ids: dict[str, int],
) -> tuple[int, int]:
    rows: list[tuple[int, Row]] = []
    links: list[tuple[int, int, int, int, str]] = []
    for record in records:
        nutrient_id = nutrient_ids[f"{record.key}_ug"]
        row = (milli(record.value), BASIS_CODES[record.basis], None, milli(record.low),
               milli(record.high), record.method)  # fmt: skip
        rows.append((value_id(nutrient_id, int(record.ndb)), row))
        for seq, (source_key, note) in enumerate(record.sources, start=1):
            if source_key not in source_ids:
                raise sr28.BuildError(f"source key {source_key!r} is not in data/sources.csv")
            links.append((nutrient_id, int(record.ndb), seq, source_ids[source_key], note))
    insert_values(connection, rows)
    connection.executemany("INSERT INTO value_source VALUES (?, ?, ?, ?, ?)", links)
    return len(records), len(links)
