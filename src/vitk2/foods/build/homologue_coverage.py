"""Coverage of each menaquinone (MK-4 … MK-13): the SR28 foods by where their value
comes from, the FNDDS foods with a value, the grams of the NHANES 2011-2012 day-1
recalls with a value, and the leave-one-out check of the split rule. Markdown for the
generated block of docs/data.md (`vitk2.foods.build.coverage`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from vitk2.foods.build.fndds_coverage import FNDDS_MIN, PLAIN_WATER
from vitk2.foods.build.nhanes import NHANES_FILE, read
from vitk2.foods.build.split_check import loo_table

__all__ = ["homologue_tables"]

_F: Final = 100_000_000
HOMOLOGUE_KEYS: Final = tuple(f"mk{n}_ug" for n in range(4, 14))
_SPLIT: Final = "imputed (split)"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _sr28_table(db: sqlite3.Connection) -> list[str]:
    foods = db.execute(f"SELECT count(*) FROM food WHERE ndb < {FNDDS_MIN}").fetchone()[0]
    lines = [
        "Menaquinones of the SR28 foods: measured (a source's figure, `nd` as a measured 0), "
        "by the split rule (section 4, rule 5), 0 because the food's K2 is 0 by a rule, "
        "otherwise imputed (SR28's calculated MK-4), unknown; and how many values are above 0.",
        "",
        "| homologue | measured | split | 0 by a K2 rule | other imputed | unknown | above 0 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key in HOMOLOGUE_KEYS:
        measured, split, zero, other, positive = db.execute(
            "SELECT sum(basis = 'measured'), "
            f"sum(basis = 'imputed' AND method LIKE '{_SPLIT}%'), "
            f"sum(basis = 'imputed' AND method NOT LIKE '{_SPLIT}%' AND method LIKE 'imputed (%'), "
            "sum(basis = 'imputed' AND method NOT LIKE 'imputed (%'), sum(value > 0) "
            f"FROM nutrient_value WHERE nutrient = ? AND ndb < {FNDDS_MIN}",
            (key,),
        ).fetchone()
        counts = [c or 0 for c in (measured, split, zero, other)]
        unknown = foods - sum(counts)
        lines.append(
            f"| `{key}` | {' | '.join(_n(c) for c in counts)} | {_n(unknown)} | "
            f"{_n(positive or 0)} |"
        )
    return lines


def _known(db: sqlite3.Connection, key: str) -> dict[int, float]:
    """Known values of one nutrient by food key."""
    nid = db.execute("SELECT id FROM nutrient WHERE key = ?", (key,)).fetchone()[0]
    rows = db.execute(
        "SELECT id - ?, v FROM value WHERE id BETWEEN ? AND ? AND v IS NOT NULL",
        (nid * _F, nid * _F, nid * _F + _F - 1),
    )
    return {ndb: v / 1000.0 for ndb, v in rows}


def _fndds_table(db: sqlite3.Connection, data_dir: Path) -> list[str]:
    fndds = db.execute(f"SELECT count(*) FROM food WHERE ndb >= {FNDDS_MIN}").fetchone()[0]
    groups = dict(db.execute(f"SELECT ndb, group_code FROM food WHERE ndb >= {FNDDS_MIN}"))
    eaten = [
        (food.fndds_code, food.grams)
        for food in read(data_dir / NHANES_FILE)
        if food.fndds_code is not None and groups[food.fndds_code] not in PLAIN_WATER
    ]
    grams = sum(g for _, g in eaten)
    lines = [
        f"FNDDS foods (of {_n(fndds)}) whose menaquinone is known by recipe, and the share of "
        "the NHANES 2011-2012 day-1 grams (matched foods, plain water left out, as above) "
        "whose food has it known.",
        "",
        "| homologue | FNDDS foods known | above 0 | NHANES grams known |",
        "|---|---:|---:|---:|",
    ]
    for key in ("k2_ug", *HOMOLOGUE_KEYS):
        known = {k: v for k, v in _known(db, key).items() if k >= FNDDS_MIN}
        with_value = sum(g for code, g in eaten if code in known)
        positive = sum(v > 0 for v in known.values())
        lines.append(
            f"| `{key}` | {_n(len(known))} | {_n(positive)} | {100 * with_value / grams:.1f} % |"
        )
    return lines


def homologue_tables(db: sqlite3.Connection, data_dir: Path) -> list[str]:
    lines = _sr28_table(db)
    lines += ["", *_fndds_table(db, data_dir)]
    lines += [
        "",
        "The split rule left one out (`vitk2.foods.build.split_check`): each measured profile "
        "of a family, split by the pattern of the family's other profiles. *Misplaced*: the "
        "share of the total put on the wrong homologues; *pooled*: the same with every "
        "family's profiles as the pattern; *within range*: measured shares inside the others' "
        "lowest-highest share; per homologue the mean absolute error, in percentage points of "
        "the total.",
        "",
        *loo_table(data_dir),
    ]
    return lines
