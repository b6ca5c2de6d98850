"""Cohort use cases: person-day intakes of a whole study (`cohort_intake`), usual-intake
distributions (`cohort_usual`) and their summary. The cohort engine needs the extras
DuckDB, PyArrow or PySpark: they are imported when used. No presentation logic here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vitk2 import __version__
from vitk2.errors import InvalidOptionError, quoted
from vitk2.foods.database import FoodDB


@dataclass(frozen=True, slots=True)
class CohortIntakeRun:
    """What `cohort_intake` wrote: the file, its person-days, the counts of rows read,
    skipped and matched (the file's metadata says the same), and notes."""

    out: Path
    engine: str
    keys: tuple[str, ...]
    person_days: int
    counts: dict[str, float]
    skipped: tuple[str, ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out), "engine": self.engine, "nutrients": list(self.keys),
            "person_days": self.person_days, "counts": self.counts,
            "skipped": list(self.skipped), "notes": list(self.notes),
        }  # fmt: skip


def cohort_intake(
    records: Path,
    *,
    out: Path,
    persons: Path | None = None,
    engine: str = "duckdb",
    fmt: str = "long",
    skip_bad: bool = False,
    nutrients: Sequence[str] = (),
    db: FoodDB | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> CohortIntakeRun:
    """Person-day intakes of a cohort's records (``fmt`` "long" with a ``persons``
    file, or "nhanes": the folder of one NHANES cycle) on ``engine``, written to
    ``out`` (Parquet). Nothing is written when a file has bad rows, unless
    ``skip_bad`` (then they are left out and counted)."""
    from vitk2.cohort.engines import check_engine, run_person_days
    from vitk2.cohort.foods import cohort_keys, fingerprint, food_table
    from vitk2.cohort.inputs import read_long
    from vitk2.cohort.nhanes import read_nhanes

    engine_name = check_engine(engine)
    db = db or FoodDB.default()
    keys = cohort_keys(nutrients)
    if progress is not None:
        progress("Reading", 0.0)
    if fmt == "nhanes":
        if persons is not None:
            raise InvalidOptionError(
                "--format nhanes reads the persons from the folder: leave out --persons."
            )
        staged = read_nhanes(records, db, skip_bad=skip_bad)
    elif fmt == "long":
        if persons is None:
            raise InvalidOptionError(
                "--persons FILE is needed with --format long (the sex and age of each person)."
            )
        staged = read_long(records, persons, db, keys, skip_bad=skip_bad)
    else:
        raise InvalidOptionError(f"Unknown --format {quoted(fmt)}: expected long or nhanes.")
    if progress is not None:
        progress("Food values", 0.0)
    foods = food_table(db, staged.records["ndb"].drop_null().to_pylist(), keys)
    metadata = {
        "vitk2": __version__, "engine": engine_name, "format": fmt, "nutrients": list(keys),
        "food_database": fingerprint(db), "counts": dict(staged.counts),
        "skipped": list(staged.skipped), "notes": list(staged.notes),
    }  # fmt: skip
    person_days = run_person_days(
        staged, foods, list(keys), engine=engine_name, out=out, metadata=metadata,
        progress=progress,
    )  # fmt: skip
    return CohortIntakeRun(
        out, engine_name, keys, person_days, dict(staged.counts), staged.skipped, staged.notes
    )
