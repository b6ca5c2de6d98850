"""The K2 imputation rules for single SR28 foods, checked on the shipped database:
families (data/k2_families.csv) recomputed from their donors, the no-menaquinone-source
rule, fermented soy foods and dairy from the literature rows, and the build errors of
the family table."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import statistics
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from vitk2.foods.build import sr28
from vitk2.foods.build.families import read_families
from vitk2.foods.build.imputation import OTHER_GROUPS
from vitk2.foods.build.sr28 import BuildError
from vitk2.foods.build.vitamin_k import build_vitamin_k, read_csv

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
SHIPPED_DB = REPO / "src" / "vitk2" / "data" / "fooddb.sqlite"
F = 100_000_000
SR28_ONLY = "ndb < 10000000"


@dataclass(frozen=True)
class Row:
    name: str
    group: str
    value: float | None
    low: float | None
    high: float | None
    basis: str
    method: str


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{SHIPPED_DB}?mode=ro", uri=True)) as connection:
        yield connection


@pytest.fixture(scope="module")
def k2(conn: sqlite3.Connection) -> dict[int, Row]:
    rows = conn.execute(
        "SELECT v.ndb, f.name, f.group_code, v.value, v.low, v.high, v.basis, v.method "
        "FROM nutrient_value v JOIN food f ON f.ndb = v.ndb "
        f"WHERE v.nutrient = 'k2_ug' AND v.{SR28_ONLY}"
    )
    return {ndb: Row(*rest) for ndb, *rest in rows}


@pytest.fixture(scope="module")
def amounts(conn: sqlite3.Connection) -> dict[str, dict[int, float]]:
    table: dict[str, dict[int, float]] = {}
    for key, scale in (
        ("fat_g", "fat"),
        ("protein_g", "protein"),
        ("cholesterol_mg", "cholesterol"),
    ):
        rows = conn.execute(
            f"SELECT ndb, value FROM nutrient_value WHERE nutrient = ? AND {SR28_ONLY}", (key,)
        )
        table[scale] = dict(rows.fetchall())
    return table


@pytest.fixture(scope="module")
def donors(conn: sqlite3.Connection) -> dict[int, tuple[str, list[int]]]:
    """Per family-imputed food: its family and the donors its provenance note names."""
    found = {}
    for ndb, note in conn.execute(
        "SELECT vs.ndb, vs.note FROM value_source vs JOIN nutrient n ON n.id = vs.nutrient_id "
        "WHERE n.key = 'k2_ug' AND vs.note LIKE 'rule family %'"
    ):
        match = re.match(r"rule family (\w+); donors: (.+)$", note)
        assert match, note
        found[ndb] = (match[1], [int(d.removeprefix("usda:")) for d in match[2].split(", ")])
    return found


def test_every_family_value_is_the_median_of_its_donors(
    k2: dict[int, Row],
    amounts: dict[str, dict[int, float]],
    donors: dict[int, tuple[str, list[int]]],
) -> None:
    families = {f.name: f for f in read_families(DATA_DIR)}
    assert len(donors) > 3000
    for ndb, (name, listed) in donors.items():
        family, row = families[name], k2[ndb]
        assert row.basis == "imputed" and row.method.startswith(f"imputed (family {name}): ")

        def per_unit(donor: int, figure: float | None, family_scale: str = family.scale) -> float:
            value = k2[donor].value if figure is None else figure
            assert value is not None
            return value if family_scale == "none" else value / amounts[family_scale][donor]

        unit = 1.0 if family.scale == "none" else amounts[family.scale][ndb]
        central = statistics.median(per_unit(d, k2[d].value) for d in listed) * unit
        if "Raised to" in row.method:  # the food's own menaquinones are higher
            assert (row.value or 0.0) > central
            continue
        assert row.value == pytest.approx(central, abs=2e-3), (ndb, row)
        low = min(per_unit(d, k2[d].low) for d in listed) * unit
        high = max(per_unit(d, k2[d].high) for d in listed) * unit
        if row.low is None:
            assert low == pytest.approx(high, abs=2e-3), ndb
        else:
            assert (row.low, row.high) == pytest.approx((low, high), abs=2e-3), ndb
            assert row.low <= (row.value or 0.0) <= row.high


def test_family_donors_have_their_own_values(
    k2: dict[int, Row], donors: dict[int, tuple[str, list[int]]]
) -> None:
    for family, listed in donors.values():
        for donor in listed:
            assert k2[donor].value is not None, (family, donor)
            assert not k2[donor].method.startswith("imputed (family "), (family, donor)


def test_mixed_foods_scale_with_cholesterol(
    k2: dict[int, Row],
    amounts: dict[str, dict[int, float]],
    donors: dict[int, tuple[str, list[int]]],
) -> None:
    """In one cholesterol family, K2 per mg cholesterol is the same for every member."""
    by_family: dict[str, set[float]] = {}
    for ndb, (family, _) in donors.items():
        if not family.endswith("_in_food") or "Raised to" in k2[ndb].method:
            continue
        cholesterol = amounts["cholesterol"][ndb]
        if cholesterol > 0:
            by_family.setdefault(family, set()).add(round((k2[ndb].value or 0) / cholesterol, 2))
        else:
            assert k2[ndb].value == 0.0, ndb  # no cholesterol: none of the animal food
    assert {"cheese_in_food", "meat_in_food", "egg_in_food"} <= by_family.keys()
    for family, ratios in by_family.items():
        assert max(ratios) - min(ratios) <= 0.02, family


@pytest.mark.parametrize(
    ("ndb", "family"),
    [
        (5064, "chicken_breast"),  # roasted breast meat, from the measured breasts
        (5000, "chicken_breast"),  # rotisserie breast meat
        (5096, "chicken_leg"),  # thigh meat only, from legs, thighs, drumsticks
        (5334, "chicken_leg"),  # rotisserie thigh
        (1129, "egg_whole"),  # hard-boiled egg, from the raw whole egg
        (1293, "yogurt"),  # Greek yogurt, whole milk
        (1035, "cheese_ripened"),  # provolone
        (1036, "milk_cream"),  # ricotta: acid-set, no culture
        (23578, "beef"),  # broiled ground-beef patty
        (21300, "cheese_in_food"),  # fast-food cheese pizza
    ],
)
def test_family_examples(
    k2: dict[int, Row], donors: dict[int, tuple[str, list[int]]], ndb: int, family: str
) -> None:
    assert donors[ndb][0] == family
    row = k2[ndb]
    assert row.value is not None and row.value > 0
    assert row.low is not None and row.high is not None and row.low < row.high


def test_no_k2_source_rule(conn: sqlite3.Connection, k2: dict[int, Row]) -> None:
    excluded = re.compile(
        r"\b(beer|wines?|cocoa|chocolate\w*|honey|gelatin|whey|olives?|sourdough)\b"
    )
    cholesterol = dict(
        conn.execute(
            "SELECT ndb, value FROM nutrient_value "
            f"WHERE nutrient = 'cholesterol_mg' AND {SR28_ONLY}"
        ).fetchall()
    )
    zeros = [n for n, r in k2.items() if r.method.startswith("imputed (no_k2_source)")]
    assert len(zeros) > 1000
    for ndb in zeros:
        row = k2[ndb]
        assert row.group in OTHER_GROUPS, row.name
        assert cholesterol[ndb] == 0.0, row.name
        plain = re.sub(r"\b(root|birch|ginger) beer\b", "", row.name.lower())
        assert not excluded.search(plain), row.name
        assert (row.value, row.low, row.high) == (0.0, None, None)
    names = {k2[n].name for n in zeros}
    assert "Beverages, water, tap, drinking" in names
    assert "Beverages, coffee, brewed, prepared with tap water" in names
    assert "Beverages, carbonated, root beer" in names
    for ndb in (14003, 14096, 19296):  # beer, red wine, honey: unknown
        assert k2[ndb].basis == "unknown"


@pytest.mark.parametrize(
    ("ndb", "value"),
    [(16112, 6.9), (16114, 5.9), (16123, 11.5), (11118, 1.9)],  # miso, tempeh, shoyu, kimchi
)
def test_fermented_soy_and_kimchi_from_the_literature(
    conn: sqlite3.Connection, k2: dict[int, Row], ndb: int, value: float
) -> None:
    assert (k2[ndb].value, k2[ndb].basis) == (value, "measured")
    sources = conn.execute(
        "SELECT s.key, s.reliability FROM value_source vs JOIN source s ON s.id = vs.source_id "
        "JOIN nutrient n ON n.id = vs.nutrient_id WHERE n.key = 'k2_ug' AND vs.ndb = ?",
        (ndb,),
    ).fetchall()
    assert sources == [("k2viewer2026", "secondary")]


def test_dairy_from_the_literature(k2: dict[int, Row]) -> None:
    # cottage cheese (4 %), cream cheese, process American cheese, sour cream: K2viewer totals,
    # raised to the sum of the food's own menaquinones where those are higher.
    for ndb, total in ((1012, 23.5), (1017, 44.8), (1042, 40.8), (1056, 13.5)):
        row = k2[ndb]
        assert row.basis == "measured"
        assert (row.value or 0.0) >= total
        assert row.low == total


def test_every_literature_mapping_row_is_checked() -> None:
    rows = read_csv(DATA_DIR / "k2_mapping.csv")
    literature = read_csv(DATA_DIR / "k2_foods_literature.csv")
    assert len(rows) == len(literature) == 277
    used = [r for r in rows if r["use"] == "yes"]
    assert sum(r["source_key"] == "k2viewer2026" for r in used) == 66
    for row in used:
        assert row["ndb"] and row["k2_total_from"] in {"total", "sum", "none"}, row
    # Every K2viewer row is decided (issue 17): mapped, or not, with its reason.
    assert not [r for r in rows if "issue 17" in r["reason"]]
    # A K2viewer total that repeats NEVO's (the same Maastricht data) is not a second
    # estimate of the total: those rows give homologues only.
    for row in used:
        if "repeats NEVO" in row["reason"]:
            assert row["k2_total_from"] == "none", row


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("fndds", "nhanes"))
    return target


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("scale", "volume", "family egg_whole: unknown scale 'volume'"),
        ("include", "(", "family egg_whole: missing"),
        ("donors", "14003", "family egg_whole: donor 14003 has no K2"),
    ],
)
def test_family_table_errors_name_the_family(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    data = _copy_data(tmp_path)
    path = data / "k2_families.csv"
    rows = read_csv(path)
    egg = next(r for r in rows if r["family"] == "egg_whole")
    egg[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sr_dir = sr28.fetch_sr28(REPO / ".cache" / "sr28")
    foods, values = sr28.read_foods(sr_dir), list(sr28.read_values(sr_dir))
    fat = {v.ndb: v.value for v in values if v.nutr_no == "204"}
    with pytest.raises(BuildError, match=re.escape(message)):
        build_vitamin_k(foods, values, fat, data)
