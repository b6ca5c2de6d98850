"""The same person-day computation on Spark gives the same numbers as on DuckDB (one
small cohort; the Spark session is shared by the test session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from cohort_files import write_small_cohort

from vitk2 import FoodDB
from vitk2.services.cohort import cohort_intake


def test_duckdb_and_spark_give_identical_person_days(
    db: FoodDB, tmp_path: Path, spark: Any
) -> None:
    records, persons = write_small_cohort(tmp_path)
    duck = cohort_intake(records, persons=persons, out=tmp_path / "d.parquet", db=db)
    sparked = cohort_intake(
        records, persons=persons, out=tmp_path / "s.parquet", db=db, engine="spark"
    )
    assert (duck.engine, sparked.engine) == ("duckdb", "spark")
    a = pq.read_table(tmp_path / "d.parquet")
    b = pq.read_table(tmp_path / "s.parquet")
    assert a.num_rows == 5
    assert a.schema.remove_metadata() == b.schema.remove_metadata()
    assert a.to_pylist() == b.to_pylist()
