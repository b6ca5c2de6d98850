"""Tests of the food database build against the real SR28 files and the shipped database.

Nothing is mocked: the SR28 ASCII files come from the verified cache in ``.cache/sr28``
(``fetch_sr28``), the curated tables from ``data/``, and the database under test is the
shipped ``src/vitk2/data/fooddb.sqlite``. One test rebuilds the database from scratch and
compares it with the shipped file; the ``BuildError`` tests build from corrupted copies of
``data/`` in ``tmp_path``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import sqlite3
import statistics
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from vitk2.foods.build import sr28
from vitk2.foods.build.__main__ import first_difference
from vitk2.foods.build.fndds import FNDDS_INPUTS
from vitk2.foods.build.sr28 import BuildError, SR28Food, SR28Value
from vitk2.foods.build.vitamin_k import build_vitamin_k
from vitk2.foods.build.writer import DATA_INPUTS, SCHEMA_VERSION, build_database
from vitk2.foods.nutrients import NUTRIENTS, VITAMIN_K_KEYS

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SR28_CACHE = REPO / ".cache" / "sr28"
SHIPPED_DB = REPO / "src" / "vitk2" / "data" / "fooddb.sqlite"

TOL = 5e-4  # values are stored as integer thousandths
FNDDS_MIN = 10_000_000  # FNDDS food codes (8 digits); these tests check the SR28 foods
SR28_VITAMIN_K = {"428": "mk4_ug", "429": "dk1_ug", "430": "k1_ug"}
ANALYTICAL = frozenset({"1", "6", "12", "13"})
CHEDDAR, KALE, NATTO, MISO, TEMPEH = 1009, 11233, 16113, 16112, 16114
NOTE_FIGURE = re.compile(r"^(?P<value>[0-9.e+-]+) µg/100 g: (?P<note>.+)$")


# --------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class VK:
    """One row of the ``nutrient_value`` view."""

    value: float | None
    low: float | None
    high: float | None
    basis: str
    method: str | None


@pytest.fixture(scope="module")
def sr_dir() -> Path:
    return sr28.fetch_sr28(SR28_CACHE)


@pytest.fixture(scope="module")
def sr_foods(sr_dir: Path) -> list[SR28Food]:
    return sr28.read_foods(sr_dir)


@pytest.fixture(scope="module")
def sr_values(sr_dir: Path) -> list[SR28Value]:
    return list(sr28.read_values(sr_dir))


@pytest.fixture(scope="module")
def sr_by_number(sr_values: list[SR28Value]) -> dict[str, dict[int, SR28Value]]:
    """SR28 NUT_DATA rows by nutrient number, then by integer NDB number."""
    table: dict[str, dict[int, SR28Value]] = defaultdict(dict)
    for value in sr_values:
        table[value.nutr_no][int(value.ndb)] = value
    return table


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{SHIPPED_DB}?mode=ro", uri=True)) as connection:
        yield connection


@pytest.fixture(scope="module")
def nv(conn: sqlite3.Connection) -> dict[tuple[int, str], VK]:
    """The vitamin K rows (plus fat and cholesterol) of ``nutrient_value``."""
    keys = (*VITAMIN_K_KEYS, "fat_g", "cholesterol_mg")
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        "SELECT ndb, nutrient, value, low, high, basis, method FROM nutrient_value "
        f"WHERE nutrient IN ({marks}) AND ndb < {FNDDS_MIN}",
        keys,
    )
    return {(ndb, key): VK(*rest) for ndb, key, *rest in rows}


@pytest.fixture(scope="module")
def sources(conn: sqlite3.Connection) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """``value_source`` rows per (ndb, nutrient key), in seq order, as (source key, note)."""
    table: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    rows = conn.execute(
        "SELECT vs.ndb, n.key, s.key, vs.note FROM value_source vs "
        "JOIN nutrient n ON n.id = vs.nutrient_id JOIN source s ON s.id = vs.source_id "
        "ORDER BY vs.nutrient_id, vs.ndb, vs.seq"
    )
    for ndb, key, source_key, note in rows:
        table[(ndb, key)].append((source_key, note))
    return table


@pytest.fixture(scope="module")
def food_names(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    return {
        ndb: (name, group)
        for ndb, name, group in conn.execute(
            f"SELECT ndb, name, group_code FROM food WHERE ndb < {FNDDS_MIN}"
        )
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def fdc_mapped_ndbs() -> set[int]:
    return {int(r["ndb"]) for r in read_csv(DATA_DIR / "fdc_mapping.csv") if r["use"] == "yes"}


def num(value: float | None) -> float:
    """A stored value that must be known."""
    assert value is not None
    return value


def sr28_note(value: SR28Value) -> str:
    how = "analytical" if value.src_cd in ANALYTICAL else "calculated"
    return f"{value.value:g} µg/100 g: SR28 nutrient {value.nutr_no}, Src_Cd {value.src_cd} ({how})"


# --------------------------------------------------------------------------- SR28 reader


def test_fetch_sr28_returns_the_verified_cached_release(sr_dir: Path) -> None:
    assert sr_dir == SR28_CACHE / "sr28"
    for name in ("FOOD_DES.txt", "NUT_DATA.txt", "WEIGHT.txt", "FD_GROUP.txt"):
        assert (sr_dir / name).is_file()
    assert sr28.sha256_of(SR28_CACHE / sr28.SR28_SDIST) == sr28.SR28_SHA256


def test_sr28_foods_count_and_survey_flags(sr_foods: list[SR28Food]) -> None:
    assert len(sr_foods) == 8789
    assert len({f.ndb for f in sr_foods}) == 8789
    assert sum(f.survey for f in sr_foods) == 3404
    assert all(re.fullmatch(r"\d{5}", f.ndb) for f in sr_foods)
    cheddar = next(f for f in sr_foods if f.ndb == "01009")
    assert (cheddar.name, cheddar.group_code, cheddar.survey) == ("Cheese, cheddar", "0100", True)


def test_sr28_food_groups(sr_dir: Path) -> None:
    groups = sr28.read_food_groups(sr_dir)
    assert len(groups) == 25
    assert groups["0100"] == "Dairy and Egg Products"
    assert groups["2200"] == "Meals, Entrees, and Side Dishes"


def test_sr28_cheddar_nutrient_data(sr_by_number: dict[str, dict[int, SR28Value]]) -> None:
    expected = {  # nutr_no: (value, src_cd, low, high) as in NUT_DATA.txt
        "204": (33.31, "1", 32.95, 33.82),
        "301": (710.0, "1", 695.0, 717.0),
        "324": (24.0, "4", None, None),
        "328": (0.6, "4", None, None),
        "428": (8.6, "1", 8.6, 8.6),
        "429": (0.0, "1", 0.0, 0.0),
        "430": (2.4, "1", 2.3, 2.4),
    }
    for number, (value, src_cd, low, high) in expected.items():
        row = sr_by_number[number][CHEDDAR]
        assert (row.value, row.src_cd, row.low, row.high) == (value, src_cd, low, high), number


def test_sr28_vitamin_k_row_counts(sr_by_number: dict[str, dict[int, SR28Value]]) -> None:
    assert {n: len(sr_by_number[n]) for n in SR28_VITAMIN_K} == {
        "428": 588,
        "429": 1410,
        "430": 5226,
    }


def test_sr28_cheddar_portions(sr_dir: Path) -> None:
    portions = [p for p in sr28.read_portions(sr_dir) if p.ndb == "01009"]
    assert [(p.seq, p.amount, p.unit, p.grams) for p in portions] == [
        (1, 1.0, "cup, diced", 132.0),
        (2, 1.0, "cup, melted", 244.0),
        (3, 1.0, "cup, shredded", 113.0),
        (4, 1.0, "oz", 28.35),
        (5, 1.0, "cubic inch", 17.0),
        (6, 1.0, "slice (1 oz)", 28.0),
    ]


# --------------------------------------------------------------------------- DB vs SR28


def test_food_table_equals_food_des(conn: sqlite3.Connection, sr_foods: list[SR28Food]) -> None:
    stored = conn.execute(
        "SELECT ndb, name, group_code, survey, common_names, manufacturer FROM food "
        f"WHERE ndb < {FNDDS_MIN} ORDER BY ndb"
    ).fetchall()
    expected = sorted(
        (int(f.ndb), f.name, f.group_code, int(f.survey), f.common_names, f.manufacturer)
        for f in sr_foods
    )
    assert stored == expected


def test_portion_table_equals_weight(conn: sqlite3.Connection, sr_dir: Path) -> None:
    stored = conn.execute(
        f"SELECT ndb, seq, amount, unit, grams FROM portion WHERE ndb < {FNDDS_MIN} "
        "ORDER BY ndb, seq"
    )
    expected = sorted(
        (int(p.ndb), p.seq, p.amount, p.unit, p.grams) for p in sr28.read_portions(sr_dir)
    )
    assert len(expected) == 15438
    assert stored.fetchall() == expected
    assert conn.execute(
        "SELECT unit, grams FROM portion WHERE ndb = ? AND seq = 1", (CHEDDAR,)
    ).fetchone() == ("cup, diced", 132.0)


def test_nutrient_table_matches_vocabulary(conn: sqlite3.Connection) -> None:
    stored = conn.execute("SELECT id, key, name, unit, sr_number, sort FROM nutrient ORDER BY id")
    expected = [
        (i, n.key, n.name, n.unit, n.sr_number, n.sort)
        for i, n in enumerate(NUTRIENTS.values(), start=1)
    ]
    assert stored.fetchall() == expected
    assert len(expected) == 160


def test_vitamin_k_sr28_numbers_are_not_swapped(conn: sqlite3.Connection) -> None:
    # 428 is MK-4, 429 dihydro-K1, 430 phylloquinone (K1); each number maps to exactly one key.
    rows = conn.execute(
        "SELECT key, sr_number FROM nutrient WHERE sr_number IN ('428', '429', '430') ORDER BY key"
    ).fetchall()
    assert rows == [("dk1_ug", "429"), ("k1_ug", "430"), ("mk4_ug", "428")]
    assert {n.key for n in NUTRIENTS.values() if n.sr_number is None} == {
        *(f"mk{i}_ug" for i in range(5, 14)),
        "k2_ug",
        "vitk_ug",
    }


def test_cheddar_values_in_database(conn: sqlite3.Connection) -> None:
    rows = {
        key: rest
        for key, *rest in conn.execute(
            "SELECT nutrient, value, low, high, unit, basis, src_cd FROM nutrient_value "
            "WHERE ndb = ?",
            (CHEDDAR,),
        )
    }
    assert rows["calcium_mg"] == pytest.approx([710.0, 695.0, 717.0, "mg", "measured", 1])
    assert rows["vitd_ug"][0] == pytest.approx(0.6, abs=TOL)
    assert rows["vitd_ug"][1:] == [None, None, "µg", "imputed", 4]
    # k1_ug central is the SR28 430 figure; NEVO's 2.2 and K2viewer's 2.6 widen the range.
    assert rows["k1_ug"] == pytest.approx([2.4, 2.2, 2.6, "µg", "measured", None])
    # mk4_ug central is FDC Foundation's 9.3 (preferred by design); SR28's 8.6 and K2viewer's
    # 8.5 widen the range.
    assert rows["mk4_ug"] == pytest.approx([9.3, 8.5, 9.3, "µg", "measured", None])
    assert rows["dk1_ug"] == pytest.approx([0.0, None, None, "µg", "measured", None])
    # NEVO's total (23.5) is below the food's own menaquinones (9.3 + 1.1 + 0.4 + 0.9 + 4 + 8
    # + 14.3 = 38.0), so K2 is raised to them; K2viewer's 41.7 widens the range.
    assert rows["k2_ug"] == pytest.approx([38.0, 23.5, 41.7, "µg", "measured", None])
    for key, value in (("mk5_ug", 1.1), ("mk8_ug", 4.0), ("mk9_ug", 8.0), ("mk10_ug", 14.3)):
        assert rows[key][0] == pytest.approx(value), key
        assert rows[key][4] == "measured", key
    assert rows["vitk_ug"] == pytest.approx([40.4, 25.7, 44.3, "µg", "measured", None])
    assert rows["protein_g"] == pytest.approx([22.87, 22.54, 24.25, "g", "measured", 1])


def test_cheddar_vitamin_k_provenance(
    sources: dict[tuple[int, str], list[tuple[str, str]]],
) -> None:
    k2viewer = "Cheddar (full fat) (K2viewer compilation) (literature row 199)"
    assert sources[(CHEDDAR, "mk4_ug")] == [
        ("usda_sr28", "8.6 µg/100 g: SR28 nutrient 428, Src_Cd 1 (analytical)"),
        ("usda_fdc_foundation_2025-04-24", "9.3 µg/100 g: Cheese, cheddar (FDC 328637)"),
        ("k2viewer2026", f"8.5 µg/100 g: {k2viewer}"),
    ]
    assert sources[(CHEDDAR, "k1_ug")] == [
        ("usda_sr28", "2.4 µg/100 g: SR28 nutrient 430, Src_Cd 1 (analytical)"),
        ("nevo2025", "2.2 µg/100 g: Cheese Cheddar [NEVO 725: Kaas Cheddar] (literature row 77)"),
        ("k2viewer2026", f"2.6 µg/100 g: {k2viewer}"),
    ]
    assert sources[(CHEDDAR, "mk9_ug")] == [
        ("dunlop2022", "8 µg/100 g: Cheddar cheese (Australia, composite) (literature row 103)"),
        ("k2viewer2026", f"12.7 µg/100 g: {k2viewer}"),
    ]
    # The two totals first, then (K2 raised to its menaquinones) every homologue estimate.
    assert sources[(CHEDDAR, "k2_ug")][:2] == [
        ("nevo2025", "23.5 µg/100 g: Cheese Cheddar [NEVO 725: Kaas Cheddar] (literature row 77)"),
        ("k2viewer2026", f"41.7 µg/100 g: {k2viewer}"),
    ]
    assert len(sources[(CHEDDAR, "k2_ug")]) == 2 + 3 + 2 + 1 + 1 + 2 + 2 + 1
    assert sources[(CHEDDAR, "vitk_ug")] == []


def test_every_ordinary_sr28_value_is_stored_exactly(
    conn: sqlite3.Connection, sr_values: list[SR28Value]
) -> None:
    """All 666,243 non-vitamin-K, non-IU NUT_DATA rows: value, Min/Max, basis, Src_Cd."""
    stored = {
        (number, ndb): rest
        for number, ndb, *rest in conn.execute(
            "SELECT n.sr_number, v.id % 100000000, v.v, d.lo, d.hi, v.basis, v.src_cd "
            "FROM value v JOIN nutrient n ON n.id = v.id / 100000000 "
            "LEFT JOIN value_detail d ON d.id = v.id "
            "WHERE n.sr_number IS NOT NULL AND n.sr_number NOT IN ('428', '429', '430') "
            f"AND v.id % 100000000 < {FNDDS_MIN}"
        )
    }
    checked = 0
    mismatches = []
    for row in sr_values:
        if row.nutr_no in SR28_VITAMIN_K or row.nutr_no == "324":
            continue
        checked += 1
        got = stored.get((row.nutr_no, int(row.ndb)))
        if got is None:
            mismatches.append((row, None))
            continue
        v, lo, hi, basis, src_cd = got
        ok = (
            abs(v / 1000 - row.value) <= TOL
            and (lo is None) == (row.low is None)
            and (hi is None) == (row.high is None)
            and (row.low is None or abs(lo / 1000 - row.low) <= TOL)
            and (row.high is None or abs(hi / 1000 - row.high) <= TOL)
            and basis == (1 if row.src_cd in ANALYTICAL else 2)
            and src_cd == int(row.src_cd)
        )
        if not ok:
            mismatches.append((row, got))
    assert checked == 666_243
    assert mismatches == []
    # Nothing extra: the only non-NUT_DATA rows are the 51 vitamin D IU conversions.
    assert len(stored) == checked + 51


@pytest.mark.parametrize(
    ("key", "number"),
    [("protein_g", "203"), ("fat_g", "204"), ("energy_kcal", "208"), ("calcium_mg", "301")],
)
def test_sample_nutrients_equal_nut_data_through_the_view(
    conn: sqlite3.Connection,
    sr_by_number: dict[str, dict[int, SR28Value]],
    key: str,
    number: str,
) -> None:
    stored = dict(
        conn.execute(
            f"SELECT ndb, value FROM nutrient_value WHERE nutrient = ? AND ndb < {FNDDS_MIN}",
            (key,),
        )
    )
    source = sr_by_number[number]
    assert stored.keys() == source.keys()
    assert all(abs(stored[ndb] - row.value) <= TOL for ndb, row in source.items())


def test_vitamin_d_iu_fallback(
    conn: sqlite3.Connection, sr_by_number: dict[str, dict[int, SR28Value]]
) -> None:
    converted = dict(
        conn.execute(
            "SELECT ndb, value FROM nutrient_value WHERE nutrient = 'vitd_ug' "
            "AND method = 'SR28 nutrient 324 (IU) converted at 40 IU = 1 µg'"
        )
    )
    expected = {
        ndb: row.value / 40
        for ndb, row in sr_by_number["324"].items()
        if ndb not in sr_by_number["328"]
    }
    assert len(converted) == 51
    assert converted.keys() == expected.keys()
    assert all(abs(converted[ndb] - expected[ndb]) <= TOL for ndb in expected)
    assert converted[16613] == pytest.approx(0.25)  # 10 IU
    # Where SR28 has 328 (µg), that figure is used and no conversion happens.
    assert conn.execute(
        "SELECT value, method FROM nutrient_value WHERE ndb = ? AND nutrient = 'vitd_ug'",
        (CHEDDAR,),
    ).fetchone() == (0.6, None)


# --------------------------------------------------------------------------- vitamin K vs SR28


def test_k1_central_is_sr28_430_for_every_food(
    nv: dict[tuple[int, str], VK],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
    sr_by_number: dict[str, dict[int, SR28Value]],
) -> None:
    bad = []
    for ndb, row in sr_by_number["430"].items():
        got = nv[(ndb, "k1_ug")]
        low = row.value if got.low is None else got.low
        high = row.value if got.high is None else got.high
        if got.value is None or abs(got.value - row.value) > TOL:
            bad.append((ndb, row.value, got))
        elif row.low is not None and (low > row.low + TOL or high < row.high - TOL):
            bad.append((ndb, "SR28 Min/Max outside range", got))
        # SR28 is always the central K1 estimate, so its Src_Cd decides the basis, even
        # where literature values widen the range.
        elif got.basis != ("measured" if row.src_cd in ANALYTICAL else "imputed"):
            bad.append((ndb, row.src_cd, got))
        elif sources[(ndb, "k1_ug")][0] != ("usda_sr28", sr28_note(row)):
            bad.append((ndb, "SR28 note is not the first source", sources[(ndb, "k1_ug")]))
    assert bad == []
    # K1 without SR28 430 comes only from the literature, and is measured.
    literature_only = [
        k
        for k, v in nv.items()
        if k[1] == "k1_ug" and v.value is not None and k[0] not in sr_by_number["430"]
    ]
    assert literature_only
    for key in literature_only:
        assert nv[key].basis == "measured"
        assert all(s not in {"usda_sr28", "vitk2_rules"} for s, _ in sources[key]), key


def test_dk1_is_sr28_429_for_every_food(
    nv: dict[tuple[int, str], VK], sr_by_number: dict[str, dict[int, SR28Value]]
) -> None:
    stored = {k[0]: v for k, v in nv.items() if k[1] == "dk1_ug"}
    assert stored.keys() == sr_by_number["429"].keys()
    assert all(
        abs(num(stored[ndb].value) - row.value) <= TOL for ndb, row in sr_by_number["429"].items()
    )


def test_mk4_central_is_sr28_428_where_fdc_has_no_value(
    nv: dict[tuple[int, str], VK], sr_by_number: dict[str, dict[int, SR28Value]]
) -> None:
    fdc = fdc_mapped_ndbs()
    checked = 0
    bad = []
    for ndb, row in sr_by_number["428"].items():
        got = nv[(ndb, "mk4_ug")]
        if ndb in fdc:
            # FDC preferred; the SR28 figure must still lie within the stored range.
            low = num(got.value if got.low is None else got.low)
            high = num(got.value if got.high is None else got.high)
            if not low - TOL <= row.value <= high + TOL:
                bad.append((ndb, row.value, got))
            continue
        checked += 1
        if got.value is None or abs(got.value - row.value) > TOL:
            bad.append((ndb, row.value, got))
    assert bad == []
    assert checked == len(sr_by_number["428"].keys() - fdc) > 500


def test_mk4_central_is_the_fdc_foundation_value_where_mapped(
    nv: dict[tuple[int, str], VK],
) -> None:
    fdc_rows = {r["food_id"]: r for r in read_csv(DATA_DIR / "fdc_foundation_mk4.csv")}
    measurements: dict[int, set[tuple[str, float]]] = defaultdict(set)
    for link in read_csv(DATA_DIR / "fdc_mapping.csv"):
        if link["use"] == "yes":
            row = fdc_rows[link["fdc_id"]]
            measurements[int(link["ndb"])].add((row["description"], float(row["value"])))
    assert measurements
    for ndb, pairs in measurements.items():
        got = nv[(ndb, "mk4_ug")]
        assert got.basis == "measured", ndb
        assert got.value == pytest.approx(statistics.median(v for _, v in pairs), abs=TOL), ndb
    assert nv[(KALE, "mk4_ug")] == VK(
        0.0, None, None, "measured", "single estimate: Kale, raw (FDC 323505)"
    )


def test_sr28_vitamin_k_figures_are_noted_on_the_right_nutrient(
    conn: sqlite3.Connection, sr_values: list[SR28Value]
) -> None:
    """Every SR28 428/429/430 figure appears as a note on mk4/dk1/k1 respectively, and nowhere
    else among those three keys: a 428/430 swap cannot slip through."""
    stored = set(
        conn.execute(
            "SELECT vs.ndb, n.key, vs.note FROM value_source vs "
            "JOIN nutrient n ON n.id = vs.nutrient_id JOIN source s ON s.id = vs.source_id "
            "WHERE s.key = 'usda_sr28' AND n.key IN ('k1_ug', 'dk1_ug', 'mk4_ug') "
            # A value copied from a donor food (rule split) names that donor after its note.
            "AND vs.note NOT LIKE '% (for usda:%)'"
        ).fetchall()
    )
    expected = {
        (int(v.ndb), SR28_VITAMIN_K[v.nutr_no], sr28_note(v))
        for v in sr_values
        if v.nutr_no in SR28_VITAMIN_K
    }
    assert len(expected) == 588 + 1410 + 5226
    assert stored == expected


def test_vitamin_k_ranges_span_every_estimate(
    nv: dict[tuple[int, str], VK],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
) -> None:
    checked = 0
    bad = []
    for (ndb, key), links in sources.items():
        if any(s == "vitk2_rules" for s, _ in links):
            continue  # imputed values carry the donor's or the MK-4 sources, not their own
        if "raised from" in (nv[(ndb, key)].method or ""):
            continue  # a raised K2 total also lists its homologues' figures
        figures = []
        for _, note in links:
            match = NOTE_FIGURE.match(note)
            assert match, note
            figures.append(float(match["value"]))
        got = nv[(ndb, key)]
        low = num(got.value if got.low is None else got.low)
        high = num(got.value if got.high is None else got.high)
        checked += 1
        if not all(low - TOL <= f <= high + TOL for f in figures):
            bad.append((ndb, key, figures, got))
        if len(set(figures)) > 1 and (got.low is None or got.high is None):
            bad.append((ndb, key, "no range", figures, got))
    assert bad == []
    assert checked > 7000


# --------------------------------------------------------------------------- K2 rules


def test_unknown_is_null_never_zero(
    conn: sqlite3.Connection, nv: dict[tuple[int, str], VK]
) -> None:
    assert conn.execute(
        "SELECT count(*) FROM value WHERE (basis = 0) != (v IS NULL)"
    ).fetchone() == (0,)
    assert conn.execute(
        "SELECT count(*) FROM nutrient_value WHERE basis = 'unknown' AND value IS NOT NULL"
    ).fetchone() == (0,)
    # k1, mk4, k2 and vitk have an explicit row for every food.
    for key in ("k1_ug", "mk4_ug", "k2_ug", "vitk_ug"):
        assert sum(1 for k in nv if k[1] == key) == 8789, key
    k2 = [v for k, v in nv.items() if k[1] == "k2_ug"]
    assert sum(v.basis == "unknown" for v in k2) > 500  # K2 stays unknown where no rule fits
    assert all(v.value is None for v in k2 if v.basis == "unknown")
    assert all(v.value is not None for v in k2 if v.basis != "unknown")
    # Unknowns have no provenance rows.
    assert conn.execute(
        "SELECT count(*) FROM value_source vs JOIN value v "
        "ON v.id = vs.nutrient_id * 100000000 + vs.ndb WHERE v.basis = 0"
    ).fetchone() == (0,)


@pytest.mark.parametrize(
    ("ndb", "name", "family"),
    [
        (22401, "Spaghetti with meat sauce, frozen entree", "meat_in_food"),
        (22247, "Macaroni and Cheese, canned entree", "cheese_in_food"),
    ],
)
def test_mixed_dish_k2_comes_from_its_animal_ingredient_by_cholesterol(
    nv: dict[tuple[int, str], VK],
    food_names: dict[int, tuple[str, str]],
    ndb: int,
    name: str,
    family: str,
) -> None:
    assert food_names[ndb] == (name, "2200")
    k2, cholesterol = nv[(ndb, "k2_ug")], nv[(ndb, "cholesterol_mg")].value
    assert k2.basis == "imputed"
    assert (k2.method or "").startswith(f"imputed (family {family}): median of the ")
    assert f"per mg cholesterol x {cholesterol:g} mg" in (k2.method or "")
    assert k2.low is not None and k2.high is not None
    assert 0 < k2.low < (k2.value or 0) < k2.high  # a wide range, as the rule says


@pytest.mark.parametrize(
    ("ndb", "name"),
    [
        (14003, "Alcoholic beverage, beer, regular, all"),
        (19296, "Honey"),
        (16124, "Soy sauce made from soy (tamari)"),
    ],
)
def test_fermented_and_bee_products_stay_unknown(
    nv: dict[tuple[int, str], VK], food_names: dict[int, tuple[str, str]], ndb: int, name: str
) -> None:
    assert food_names[ndb][0] == name
    assert nv[(ndb, "k2_ug")] == VK(
        None, None, None, "unknown", "no measurement and no imputation rule"
    )
    assert nv[(ndb, "vitk_ug")].basis == "unknown"


@pytest.mark.parametrize(
    ("ndb", "name"),
    [
        (KALE, "Kale, raw"),
        # Whole-word matching: "egg" does not exclude eggplant, nor "lard" collards.
        (11209, "Eggplant, raw"),
        (11161, "Collards, raw"),
    ],
)
def test_plant_rule_gives_raw_vegetables_zero_k2(
    nv: dict[tuple[int, str], VK],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
    food_names: dict[int, tuple[str, str]],
    ndb: int,
    name: str,
) -> None:
    assert food_names[ndb] == (name, "1100")
    k2 = nv[(ndb, "k2_ug")]
    assert (k2.value, k2.low, k2.high, k2.basis) == (0.0, None, None, "imputed")
    assert (k2.method or "").startswith("imputed (plant_unfermented): unfermented plant food")
    assert sources[(ndb, "k2_ug")] == [("vitk2_rules", "rule plant_unfermented")]
    assert nv[(ndb, "mk4_ug")].value == 0.0


@pytest.mark.parametrize(
    ("ndb", "expected"),
    [
        (NATTO, (947.9, "measured")),
        (11439, (6.1, "measured")),  # Sauerkraut, canned
        (MISO, (6.9, "measured")),  # K2viewer (secondary)
        (TEMPEH, (5.9, "measured")),  # K2viewer (secondary)
        (16174, (None, "unknown")),  # Tempeh, cooked
        (11118, (1.9, "measured")),  # Cabbage, kimchi: K2viewer (secondary)
    ],
)
def test_fermented_plant_foods_never_get_the_plant_zero(
    nv: dict[tuple[int, str], VK], ndb: int, expected: tuple[float | None, str]
) -> None:
    k2 = nv[(ndb, "k2_ug")]
    assert (k2.value, k2.basis) == expected
    assert "plant_unfermented" not in (k2.method or "")
    assert "plant_unfermented" not in (nv[(ndb, "mk4_ug")].method or "")


def test_plant_zero_only_for_unfermented_plant_groups(
    nv: dict[tuple[int, str], VK],
    food_names: dict[int, tuple[str, str]],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
) -> None:
    # Whole words: "annatto" (a spice) is not natto.
    fermented = re.compile(
        r"\b(natto|miso|tempeh|sauerkraut|kimchi|ferment\w*|soy sauce|"
        r"tamari|vinegar|pickle\w*|cheese\w*|yogurt)\b"
    )
    vinegar = re.compile(r"^vinegar, ")  # vinegar itself: acetic acid bacteria make no MK
    plant_groups = {"0200", "0900", "1100", "1200", "1600", "2000"}
    zeros = [
        k[0]
        for k, v in nv.items()
        if k[1] == "k2_ug" and (v.method or "").startswith("imputed (plant_unfermented)")
    ]
    assert zeros
    for ndb in zeros:
        name, group = food_names[ndb]
        assert group in plant_groups or (group == "0400" and name.startswith("Oil, ")), name
        assert not fermented.search(vinegar.sub("", name.lower())), name
        assert nv[(ndb, "k2_ug")].value == 0.0
        assert sources[(ndb, "k2_ug")] == [("vitk2_rules", "rule plant_unfermented")]
        # The rule never overrides a food's own MK-4 above 0; without one, MK-4 is set to 0.
        mk4 = nv[(ndb, "mk4_ug")]
        assert mk4.value == 0.0, (name, mk4)
        if sources[(ndb, "mk4_ug")] == [("vitk2_rules", "rule plant_unfermented")]:
            assert (mk4.basis, (mk4.method or "")[:27]) == (
                "imputed",
                "imputed (plant_unfermented)",
            )
        else:  # a real MK-4 estimate of 0 (FDC, SR28 or literature)
            assert all(s != "vitk2_rules" for s, _ in sources[(ndb, "mk4_ug")]), name


def test_k2_is_never_below_the_sum_of_the_foods_own_menaquinones(
    nv: dict[tuple[int, str], VK],
) -> None:
    bad = []
    for (ndb, key), k2 in nv.items():
        if key != "k2_ug" or k2.value is None:
            continue
        own = sum(
            nv[(ndb, f"mk{i}_ug")].value or 0.0 for i in range(4, 14) if (ndb, f"mk{i}_ug") in nv
        )
        if own > k2.value + TOL:
            bad.append((ndb, k2.value, own))
    assert bad == []


@pytest.mark.parametrize(
    ("ndb", "mk4"),
    [(20035, 1.1), (4707, 2.0), (11243, 0.3)],  # quinoa, flaxseed oil, grilled portabella
)
def test_plant_rule_yields_to_a_measured_mk4(
    nv: dict[tuple[int, str], VK], ndb: int, mk4: float
) -> None:
    assert nv[(ndb, "mk4_ug")].value == pytest.approx(mk4)
    assert nv[(ndb, "mk4_ug")].basis == "measured"
    # Neither the plant zero nor a family value (cholesterol 0 would give 0) may contradict it.
    assert nv[(ndb, "k2_ug")] == VK(
        None, None, None, "unknown", "no measurement and no imputation rule"
    )


def test_k2_total_raised_to_the_foods_own_mk4(
    nv: dict[tuple[int, str], VK], sources: dict[tuple[int, str], list[tuple[str, str]]]
) -> None:
    # Salted whipped butter: Ciqual and NEVO say 15 µg K2, SR28 analysed 20.9 µg MK-4 (and
    # K2viewer's butter found no MK-5 … MK-9).
    butter = nv[(1002, "k2_ug")]
    assert (butter.value, butter.low, butter.high, butter.basis) == (20.9, 15.0, 20.9, "measured")
    assert (butter.method or "").endswith(
        "raised from 15 to 20.9 µg, the sum of the food's own mk4 + mk5 + mk6 + mk7 + mk8 + mk9 "
        "values, which a K2 total cannot be below"
    )
    assert [s for s, _ in sources[(1002, "k2_ug")]][:3] == ["ciqual2020", "nevo2025", "usda_sr28"]
    assert {s for s, _ in sources[(1002, "k2_ug")][3:]} == {"k2viewer2026"}


@pytest.mark.parametrize(
    "ndb",
    [
        16059,  # Chili with beans, canned (beef; cholesterol 17 mg)
        16008,  # Beans, baked, canned, with franks ("franks" is not "frankfurter")
        20093,  # Pasta, fresh-refrigerated, plain (egg pasta; cholesterol 73 mg)
        11672,  # Potato pancakes (egg; cholesterol 95 mg)
        11414,  # Potato salad, home-prepared (egg, mayonnaise; cholesterol 68 mg)
        11656,  # Corn pudding, home prepared (milk, egg; cholesterol 72 mg)
    ],
)
def test_plant_zero_not_given_to_dishes_with_animal_ingredients(
    nv: dict[tuple[int, str], VK], ndb: int
) -> None:
    assert (nv[(ndb, "cholesterol_mg")].value or 0.0) > 0  # animal ingredient present
    k2 = nv[(ndb, "k2_ug")]
    assert "plant_unfermented" not in (k2.method or "")
    # Their K2 comes from the animal ingredient, scaled by cholesterol, never 0.
    assert (k2.method or "").startswith("imputed (family ")
    assert "per mg cholesterol" in (k2.method or "")
    assert (k2.value or 0.0) > 0


def test_no_plant_zero_where_sr28_reports_cholesterol(nv: dict[tuple[int, str], VK]) -> None:
    zeros = [
        ndb
        for (ndb, key), v in nv.items()
        if key == "k2_ug" and (v.method or "").startswith("imputed (plant_unfermented)")
    ]
    assert zeros
    for ndb in zeros:
        cholesterol = nv.get((ndb, "cholesterol_mg"))
        assert cholesterol is None or (cholesterol.value or 0.0) == 0.0, ndb


def test_k2_from_mk4_rule(
    nv: dict[tuple[int, str], VK],
    food_names: dict[int, tuple[str, str]],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
) -> None:
    animal = {"0500", "0700", "1000", "1300", "1500", "1700"}
    rows = [
        k[0]
        for k, v in nv.items()
        if k[1] == "k2_ug" and (v.method or "").startswith("imputed (k2_from_mk4)")
    ]
    assert rows
    extended = kept = 0
    for ndb in rows:
        name, group = food_names[ndb]
        assert group in animal or (group == "0100" and name.startswith("Egg")), name
        assert not any(w in name.lower() for w in ("salami", "pepperoni", "fermented")), name
        k2, mk4 = nv[(ndb, "k2_ug")], nv[(ndb, "mk4_ug")]
        rule = [*sources[(ndb, "mk4_ug")], ("vitk2_rules", "rule k2_from_mk4")]
        if "(rule split)" not in (k2.method or ""):
            # No family whose main menaquinone is MK-4 (fish, chicken liver): K2 = MK-4,
            # a lower bound, and the longer menaquinones stay unknown.
            assert (k2.value, k2.low, k2.high, k2.basis) == (
                mk4.value, mk4.low, mk4.high, "imputed",
            )  # fmt: skip
            assert "lower bound" in (k2.method or "")
            assert sources[(ndb, "k2_ug")] == rule
            assert (ndb, "mk9_ug") not in nv, name
            kept += 1
            continue
        # The longer menaquinones from the family's ratios to MK-4 (rule split); K2 is the sum.
        longer = [nv[(ndb, f"mk{n}_ug")] for n in range(5, 11) if (ndb, f"mk{n}_ug") in nv]
        assert longer, name
        split = [v for v in longer if v.basis != "measured"]  # measured ones are kept
        assert split, name
        for value in split:
            assert (value.method or "").startswith("imputed (split): MK-4 x the "), name
        assert k2.value == pytest.approx(num(mk4.value) + sum(num(v.value) for v in longer))
        low = num(mk4.value if mk4.low is None else mk4.low)
        # A range that collapses to the value (MK-4 0 and so every ratio x 0) is stored as none.
        k2_low = num(k2.value if k2.low is None else k2.low)
        assert k2_low == pytest.approx(
            low + sum(num(v.value if v.low is None else v.low) for v in longer), abs=2e-3
        )
        assert sources[(ndb, "k2_ug")][:-1] == rule
        assert sources[(ndb, "k2_ug")][-1][1].startswith("rule split ")
        extended += 1
    assert extended > 100 and kept > 10


def test_imputation_table_rows(
    nv: dict[tuple[int, str], VK],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
    sr_by_number: dict[str, dict[int, SR28Value]],
) -> None:
    rows = read_csv(DATA_DIR / "k2_imputation.csv")
    assert len(rows) == 34
    assert sum(r["rule"] == "same_type" for r in rows) == 8
    amounts = {
        "same_type": None,
        "fat_scaled": {ndb: row.value for ndb, row in sr_by_number["204"].items()},
        "protein_scaled": {ndb: row.value for ndb, row in sr_by_number["203"].items()},
    }
    for row in rows:
        rule = row["rule"]
        if rule == "parts":
            continue  # test_whole_egg_is_yolk_plus_white
        ndb, donor = int(row["ndb"]), int(row["donor_ndb"])
        got, source = nv[(ndb, "k2_ug")], nv[(donor, "k2_ug")]
        if rule != "protein_scaled":  # a state change may start from an imputed food
            assert source.basis == "measured", row
        assert got.basis == "imputed", row
        assert got.method is not None
        assert got.method.startswith(f"imputed ({rule}): "), row
        assert f"usda:{row['donor_ndb']}" in got.method
        assert row["reason"] in got.method
        table = amounts[rule]
        factor = 1.0 if table is None else table[ndb] / table[donor]
        for mine, theirs in (
            (got.value, source.value),
            (got.low, source.low),
            (got.high, source.high),
        ):
            if theirs is None:
                assert mine is None, row
            else:
                assert mine == pytest.approx(round(theirs * factor, 3), abs=1e-3), row
        assert sources[(ndb, "k2_ug")] == [
            *sources[(donor, "k2_ug")],
            ("vitk2_rules", f"rule {rule} from usda:{row['donor_ndb']}"),
        ]


def test_whole_egg_is_yolk_plus_white(nv: dict[tuple[int, str], VK], sr_dir: Path) -> None:
    """Rule parts: one large egg = one large yolk + one large white, by SR28's own weights."""
    large = {(int(p.ndb), p.unit): p.grams for p in sr28.read_portions(sr_dir) if p.unit == "large"}
    yolk_g, white_g = large[(1125, "large")], large[(1124, "large")]
    assert (yolk_g, white_g, large[(1123, "large")]) == (17.0, 33.0, 50.0)
    yolk, white, egg = nv[(1125, "k2_ug")], nv[(1124, "k2_ug")], nv[(1123, "k2_ug")]

    def mix(a: float | None, b: float | None) -> float:
        return (num(a) * yolk_g + num(b) * white_g) / (yolk_g + white_g)

    assert egg.value == pytest.approx(mix(yolk.value, white.value), abs=1e-3)
    assert egg.low == pytest.approx(mix(yolk.low, white.value), abs=1e-3)
    assert egg.high == pytest.approx(mix(yolk.high, white.value), abs=1e-3)
    assert egg.basis == "imputed"
    assert (egg.method or "").startswith("imputed (parts): 17 g usda:01125 + 33 g usda:01124")


def test_imputation_worked_examples(nv: dict[tuple[int, str], VK]) -> None:
    # 2 % milk: whole milk's K2 x 1.98 g / 3.25 g fat; Colby copies Cheddar's 23.5.
    whole_milk = nv[(1077, "k2_ug")].value
    assert whole_milk is not None
    assert nv[(1079, "k2_ug")].value == pytest.approx(round(whole_milk * 1.98 / 3.25, 3))
    cheddar = nv[(CHEDDAR, "k2_ug")].value
    assert cheddar == pytest.approx(38.0, abs=TOL)
    assert nv[(1011, "k2_ug")].value == pytest.approx(cheddar, abs=TOL)
    assert nv[(1260, "k2_ug")].value == pytest.approx(cheddar * 20.41 / 33.31, abs=1e-3)
    assert nv[(1265, "k2_ug")].value == 0.0  # nonfat Cheddar: fat 0


def test_natto_has_the_most_k2_and_mk7(nv: dict[tuple[int, str], VK]) -> None:
    for key in ("k2_ug", "mk7_ug"):
        ranked = sorted(
            ((v.value, k[0]) for k, v in nv.items() if k[1] == key and v.value is not None),
            reverse=True,
        )
        assert ranked[0][1] == NATTO, key
        assert ranked[1][0] < 400, key
    # MK-7: the median of Kamao's 939 and Tsukamoto's 775; K2viewer's 672.4 widens the range.
    assert (nv[(NATTO, "mk7_ug")].value, nv[(NATTO, "mk7_ug")].low) == (857.0, 672.4)
    # K2: those MK-7 totals, raised to the food's own menaquinones (K2viewer's natto also
    # holds MK-4 1.3, MK-6 7.2 and MK-8 82.4): 857 + 1.3 + 7.2 + 82.4.
    natto = nv[(NATTO, "k2_ug")]
    assert (natto.value, natto.low, natto.high) == pytest.approx((947.9, 775.0, 947.9))
    assert nv[(NATTO, "mk8_ug")].value == 82.4


# --------------------------------------------------------------------------- provenance, sums


def test_vitamin_k_values_have_sources_and_sources_exist(
    conn: sqlite3.Connection,
    nv: dict[tuple[int, str], VK],
    sources: dict[tuple[int, str], list[tuple[str, str]]],
) -> None:
    missing = [
        k
        for k, v in nv.items()
        if k[1] in VITAMIN_K_KEYS
        and k[1] != "vitk_ug"
        and v.basis != "unknown"
        and not sources.get(k)
    ]
    assert missing == []
    assert not any(sources.get(k) for k in nv if k[1] == "vitk_ug")
    assert conn.execute(
        "SELECT count(*) FROM value_source WHERE source_id NOT IN (SELECT id FROM source)"
    ).fetchone() == (0,)
    assert conn.execute(
        "SELECT count(*) FROM value_source vs WHERE NOT EXISTS "
        "(SELECT 1 FROM value v WHERE v.id = vs.nutrient_id * 100000000 + vs.ndb)"
    ).fetchone() == (0,)
    # Only vitamin K values carry sources, numbered 1..n per value.
    keys = {k for _, k in sources}
    assert keys <= set(VITAMIN_K_KEYS)
    seqs = conn.execute(
        "SELECT nutrient_id, ndb, group_concat(seq) FROM value_source GROUP BY nutrient_id, ndb"
    ).fetchall()
    assert all(s == ",".join(str(i) for i in range(1, s.count(",") + 2)) for _, _, s in seqs)
    # Every source key in data/sources.csv is in the table, and every value_source note is
    # "<figure> µg/100 g: ..." unless it names an imputation rule or is a source of the
    # homologue pattern a split value was made with (that value's rule names the family).
    assert {r[0] for r in conn.execute("SELECT key FROM source")} == {
        r["key"] for r in read_csv(DATA_DIR / "sources.csv")
    }
    for links in sources.values():
        for source_key, note in links:
            if note == "homologue pattern":
                assert any(n.startswith("rule split ") for _, n in links), links
                continue
            assert source_key == "vitk2_rules" or NOTE_FIGURE.match(note), note


def test_vitk_is_k1_plus_k2_plus_dk1(nv: dict[tuple[int, str], VK]) -> None:
    known = 0
    for (ndb, key), vitk in nv.items():
        if key != "vitk_ug":
            continue
        k1, k2, dk1 = nv[(ndb, "k1_ug")], nv[(ndb, "k2_ug")], nv.get((ndb, "dk1_ug"))
        if k1.value is None or k2.value is None:
            assert (vitk.value, vitk.basis) == (None, "unknown"), ndb
            continue
        known += 1
        parts = [k1, k2] + ([dk1] if dk1 is not None else [])
        assert vitk.value == pytest.approx(sum(num(p.value) for p in parts), abs=1e-3), ndb
        bases = {p.basis for p in parts}
        assert vitk.basis == ("imputed" if "imputed" in bases else "measured"), ndb
        if any(p.low is not None for p in parts):
            low = sum(num(p.value if p.low is None else p.low) for p in parts)
            high = sum(num(p.value if p.high is None else p.high) for p in parts)
            assert (vitk.low, vitk.high) == pytest.approx((low, high), abs=1e-3), ndb
        else:
            assert (vitk.low, vitk.high) == (None, None), ndb
    assert known > 1000


# --------------------------------------------------------------------------- file, meta, rebuild


def test_database_size_and_meta(conn: sqlite3.Connection) -> None:
    assert SHIPPED_DB.stat().st_size <= 40_000_000  # the limit for the shipped file
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta.pop("schema_version") == SCHEMA_VERSION == "2"
    assert meta.pop("sr28_sha256") == sr28.SR28_SHA256
    assert {p.name for p in DATA_DIR.glob("*.csv")} == set(DATA_INPUTS)
    inputs = [*DATA_INPUTS, *(p.as_posix() for p in FNDDS_INPUTS)]
    assert meta == {
        f"sha256:{name}": hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest()
        for name in inputs
    }


def test_slow_full_rebuild_equals_shipped_database(
    sr_dir: Path, tmp_path: Path, conn: sqlite3.Connection
) -> None:
    """Rebuild from SR28 and data/ into tmp_path: same logical content as the shipped file."""
    out = tmp_path / "fooddb.sqlite"
    counts = build_database(sr_dir, DATA_DIR, out)

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    vitamin_k_ids = "SELECT id FROM nutrient WHERE key IN ({})".format(
        ",".join(f"'{k}'" for k in VITAMIN_K_KEYS)
    )
    sr28_only = f"id % 100000000 < {FNDDS_MIN}"
    assert counts == {
        "foods": 8789,
        "portions": 15438,
        "sr28_values": 666_243 + 51,
        "vitamin_k_values": count(
            f"SELECT count(*) FROM value WHERE id / 100000000 IN ({vitamin_k_ids}) AND {sr28_only}"
        ),
        "vitamin_k_sources": count("SELECT count(*) FROM value_source"),
        "sources": count("SELECT count(*) FROM source"),
        "fndds_foods": 7083,
        "fndds_portions": count(f"SELECT count(*) FROM portion WHERE ndb >= {FNDDS_MIN}"),
        "fndds_recipe_rows": 24_896,
        "fndds_values": count(f"SELECT count(*) FROM value WHERE NOT {sr28_only}"),
    }
    assert counts["sources"] == len(read_csv(DATA_DIR / "sources.csv"))
    assert not out.with_suffix(".tmp").exists()
    assert first_difference(SHIPPED_DB, out) is None


# --------------------------------------------------------------------------- build errors


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def rewrite_csv(path: Path, change: dict[str, str], where: tuple[str, str]) -> None:
    """Change the cells in ``change`` of the first row whose column where[0] is where[1]."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    row = next(r for r in rows if r[where[0]] == where[1])
    row.update(change)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_build_error_when_mapping_names_the_wrong_literature_food(
    sr_dir: Path, data_copy: Path, tmp_path: Path
) -> None:
    rewrite_csv(data_copy / "k2_mapping.csv", {"lit_food": "Not the roe deer"}, ("lit_row", "1"))
    out = tmp_path / "fooddb.sqlite"
    with pytest.raises(BuildError) as caught:
        build_database(sr_dir, data_copy, out)
    message = str(caught.value)
    assert "k2_mapping.csv row for lit_row 1 names 'Not the roe deer'" in message
    assert "literature row 1 is 'Roe deer (venison), roasted" in message
    assert not out.exists()
    assert not out.with_suffix(".tmp").exists()


def test_build_error_when_imputation_donor_has_no_measured_k2(
    sr_dir: Path, data_copy: Path, tmp_path: Path
) -> None:
    # Beer has no K2 value, so it cannot donate to Colby.
    rewrite_csv(data_copy / "k2_imputation.csv", {"donor_ndb": "14003"}, ("ndb", "01011"))
    out = tmp_path / "fooddb.sqlite"
    with pytest.raises(
        BuildError,
        match=r"^k2_imputation\.csv donor 14003 for 01011 has no "
        r"measured K2$",
    ):
        build_database(sr_dir, data_copy, out)
    assert not out.exists()


@pytest.mark.parametrize(
    ("file", "where", "change", "message"),
    [
        (
            "k2_imputation.csv",
            ("ndb", "01011"),
            {"donor_ndb": "11233"},
            "donor 11233 for 01011 has no measured K2",
        ),  # kale: K2 is only an imputed 0
        (
            "k2_imputation.csv",
            ("ndb", "01011"),
            {"ndb": "01022"},
            "imputes 01022, which has its own K2 value",
        ),  # Gouda is measured
        (
            "k2_imputation.csv",
            ("ndb", "01011"),
            {"donor_ndb": "99999"},
            "row 01011 <- 99999: unknown NDB number",
        ),
        (
            "k2_imputation.csv",
            ("ndb", "01011"),
            {"rule": "guess"},
            "unknown rule 'guess' for 01011",
        ),
        (
            "k2_mapping.csv",
            ("lit_row", "2"),
            {"ndb": "99999"},
            "maps literature row 2 to unknown 99999",
        ),
        ("k2_mapping.csv", ("lit_row", "2"), {"lit_row": "3"}, "row for lit_row 3 names"),
    ],
)
def test_build_errors_name_the_bad_row(
    sr_foods: list[SR28Food],
    sr_values: list[SR28Value],
    data_copy: Path,
    file: str,
    where: tuple[str, str],
    change: dict[str, str],
    message: str,
) -> None:
    rewrite_csv(data_copy / file, change, where)
    fat = {v.ndb: v.value for v in sr_values if v.nutr_no == "204"}
    with pytest.raises(BuildError, match=re.escape(message)):
        build_vitamin_k(sr_foods, sr_values, fat, data_copy)


def test_build_error_when_mapping_has_a_row_missing(
    sr_foods: list[SR28Food], sr_values: list[SR28Value], data_copy: Path
) -> None:
    path = data_copy / "k2_mapping.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(
        BuildError,
        match=r"k2_mapping\.csv has 276 rows but the literature table "
        r"has 277",
    ):
        build_vitamin_k(sr_foods, sr_values, {}, data_copy)


def test_unmodified_copy_of_data_builds_vitamin_k(
    sr_foods: list[SR28Food], sr_values: list[SR28Value], data_copy: Path
) -> None:
    """Control for the error tests: the copy itself is valid, and rewrite_csv is lossless."""
    rewrite_csv(data_copy / "k2_mapping.csv", {}, ("lit_row", "1"))
    rewrite_csv(data_copy / "k2_imputation.csv", {}, ("ndb", "01011"))
    for name in ("k2_mapping.csv", "k2_imputation.csv"):
        assert read_csv(data_copy / name) == read_csv(DATA_DIR / name)
    fat = {v.ndb: v.value for v in sr_values if v.nutr_no == "204"}
    records = build_vitamin_k(sr_foods, sr_values, fat, data_copy)
    assert {(r.ndb, r.key) for r in records} >= {(f.ndb, "k2") for f in sr_foods}
    k2 = {r.ndb: r for r in records if r.key == "k2"}
    assert k2["16113"].value == 947.9
    assert k2["01011"].basis == "imputed"


def test_nutrient_vocabulary_matches_nutr_def(sr_dir: Path) -> None:
    from vitk2.foods.build.sr28 import read_nutrient_definitions
    from vitk2.foods.build.writer import check_nutrient_vocabulary

    definitions = read_nutrient_definitions(sr_dir)
    assert len(definitions) == 150
    assert definitions["428"] == ("µg", "Menaquinone-4")
    assert definitions["430"] == ("µg", "Vitamin K (phylloquinone)")
    check_nutrient_vocabulary(definitions)  # the shipped vocabulary agrees
    wrong_unit = {**definitions, "301": ("g", "Calcium, Ca")}
    with pytest.raises(BuildError, match="301"):
        check_nutrient_vocabulary(wrong_unit)
    unknown = {**definitions, "999": ("mg", "Imaginary nutrient")}
    with pytest.raises(BuildError, match="999"):
        check_nutrient_vocabulary(unknown)
