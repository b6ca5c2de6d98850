"""The person-day computation, written once: one SQL text that DuckDB and Spark SQL both
run, over four tables the engine registers:

* ``records(line, person_id, day, ndb, grams)``: food rows (``ndb`` null: a food the
  database does not have, such as an unmatched NHANES code: unknown, never zero);
* ``supplements(line, person_id, day, <key> …)``: supplement rows, their label amounts;
* ``foods(ndb, <key> …, k2_low_ug, k2_high_ug, k2_basis)``: per-gram values
  (`vitk2.cohort.foods`);
* ``persons(person_id, …)``: one row per person.

Amounts are exact decimals (a sum does not depend on the order rows are added in), and
every result column is cast to the same type on both engines, so their outputs are
identical. The sums follow the library's honest rule (`vitk2.intake.totals`): ``<key>``
adds the known amounts and is null when none is known; ``<key>_unknown_g`` is the
grams of food whose value is unknown (above 0: the sum is a lower bound).

>>> print(person_day_sql(["k1_ug"]).splitlines()[0])
WITH food_days AS (
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

__all__ = [
    "AMOUNT_TYPE",
    "COUNT_COLUMNS",
    "GRAMS_TYPE",
    "amount_columns",
    "grams_columns",
    "person_day_sql",
]

#: The SQL type of a summed amount and of summed grams (identical on both engines).
AMOUNT_TYPE: Final = "DECIMAL(38, 11)"
GRAMS_TYPE: Final = "DECIMAL(38, 6)"
#: Count columns of a person-day.
COUNT_COLUMNS: Final = ("food_rows", "unmatched_rows", "supplement_rows")


def amount_columns(keys: Sequence[str]) -> list[str]:
    """The amount columns a person-day has for ``keys`` (foods, then supplements)."""
    return [*keys, "k2_low_ug", "k2_high_ug", *(f"supp_{key}" for key in keys)]


def grams_columns(keys: Sequence[str]) -> list[str]:
    """The grams columns a person-day has for ``keys``."""
    return [
        "food_g", "unmatched_g", *(f"{key}_unknown_g" for key in keys), "k2_measured_g",
        "k2_imputed_g",
    ]  # fmt: skip


def _grams_when(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN r.grams ELSE 0 END)"


def person_day_sql(keys: Sequence[str]) -> str:
    """The SQL text for the nutrient ``keys`` (a person-day per row, ordered by person
    and day; the persons table's columns first)."""
    food_sums = [
        "CAST(COUNT(*) AS BIGINT) AS food_rows",
        "SUM(r.grams) AS food_g",
        "CAST(SUM(CASE WHEN f.ndb IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unmatched_rows",
        f"{_grams_when('f.ndb IS NULL')} AS unmatched_g",
    ]
    for key in keys:
        food_sums += [
            f"SUM(f.{key} * r.grams) AS {key}",
            f"{_grams_when(f'f.{key} IS NULL')} AS {key}_unknown_g",
        ]
    food_sums += [
        "SUM(f.k2_low_ug * r.grams) AS k2_low_ug",
        "SUM(f.k2_high_ug * r.grams) AS k2_high_ug",
        f"{_grams_when('f.k2_basis = 1')} AS k2_measured_g",
        f"{_grams_when('f.k2_basis = 2')} AS k2_imputed_g",
    ]
    supplement_sums = ["CAST(COUNT(*) AS BIGINT) AS supplement_rows"]
    supplement_sums += [f"SUM(s.{key}) AS supp_{key}" for key in keys]
    out = []
    for column in COUNT_COLUMNS:
        source = "sd" if column == "supplement_rows" else "fd"
        out.append(f"CAST(COALESCE({source}.{column}, 0) AS BIGINT) AS {column}")
    for column in grams_columns(keys):
        out.append(f"CAST(COALESCE(fd.{column}, 0) AS {GRAMS_TYPE}) AS {column}")
    for column in amount_columns(keys):
        if column.startswith("supp_"):
            out.append(f"CAST(COALESCE(sd.{column}, 0) AS {AMOUNT_TYPE}) AS {column}")
        else:  # null when no food amount is known: unknown, not zero
            out.append(f"CAST(fd.{column} AS {AMOUNT_TYPE}) AS {column}")
    nl = ",\n    "
    return f"""WITH food_days AS (
  SELECT r.person_id, r.day,
    {nl.join(food_sums)}
  FROM records r LEFT JOIN foods f ON f.ndb = r.ndb
  GROUP BY r.person_id, r.day
), supplement_days AS (
  SELECT s.person_id, s.day,
    {nl.join(supplement_sums)}
  FROM supplements s
  GROUP BY s.person_id, s.day
), days AS (
  SELECT person_id, day FROM food_days
  UNION
  SELECT person_id, day FROM supplement_days
)
SELECT p.*, d.day,
    {nl.join(out)}
FROM days d
JOIN persons p ON p.person_id = d.person_id
LEFT JOIN food_days fd ON fd.person_id = d.person_id AND fd.day = d.day
LEFT JOIN supplement_days sd ON sd.person_id = d.person_id AND sd.day = d.day
ORDER BY d.person_id, d.day
"""
