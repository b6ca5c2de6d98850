"""Cohort use cases: person-day intakes of a whole study (`cohort_intake`), usual-intake
distributions (`cohort_usual`) and their summary. The cohort engine needs the extras
DuckDB, PyArrow or PySpark: they are imported when used. No presentation logic here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vitk2 import __version__
from vitk2.assess.reference import Authority
from vitk2.assess.survey import SE_METHODS, SeMethod
from vitk2.errors import InvalidOptionError, quoted
from vitk2.files import atomic_path, write_text_atomic
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


@dataclass(frozen=True, slots=True)
class CohortUsualRun:
    """What `cohort_usual` wrote: the file, its rows (group × nutrient) and the run's
    description (persons used, the standard-error method)."""

    out: Path
    rows: int
    described: dict[str, Any]

    def as_dict(self) -> dict[str, object]:
        return {"out": str(self.out), "rows": self.rows, **self.described}


def cohort_usual(
    intake: Path,
    *,
    out: Path,
    by: Sequence[str] = ("sex", "age_group"),
    nutrients: Sequence[str] = (),
    se: str | None = None,
    replicates: int = 32,
    authority: Authority = "iom",
    progress: Callable[[str, float], None] | None = None,
) -> CohortUsualRun:
    """Usual-intake distributions per group (``by``) of a person-day file written by
    `cohort_intake`, written to ``out`` (Parquet; its metadata describes the run)."""
    import json

    import pyarrow.parquet as pq

    from vitk2.cohort.engines import METADATA_KEY
    from vitk2.cohort.usual import DEFAULT_KEYS, distribution_table, usual_table

    method = _se_method(se)
    if not 0 <= replicates <= 1000:
        raise InvalidOptionError(
            f"--replicates {replicates} is out of range: give 0 (no standard errors) … 1000."
        )
    keys = tuple(_usual_key(n) for n in nutrients) or DEFAULT_KEYS
    results, described = usual_table(
        intake, by=list(by), keys=keys, se=method, replicates=replicates, authority=authority,
        progress=progress,
    )  # fmt: skip
    table = distribution_table(results, list(by))
    meta = {**(table.schema.metadata or {}), METADATA_KEY: json.dumps({"usual": described})}
    with atomic_path(out) as temporary:
        pq.write_table(table.replace_schema_metadata(meta), temporary)
    return CohortUsualRun(out, table.num_rows, described)


def _se_method(name: str | None) -> SeMethod | None:
    if name is None:
        return None
    for method in SE_METHODS:
        if name == method:
            return method
    raise InvalidOptionError(f"Unknown --se {quoted(name)}: expected brr, bootstrap or none.")


def _usual_key(name: str) -> str:
    """A nutrient for `cohort_usual`: a nutrient key or alias, or K2's bounds."""
    from vitk2.foods.nutrients import resolve_nutrient

    if name in ("k2_low_ug", "k2_high_ug"):
        return name
    return resolve_nutrient(name).key


def cohort_summary(path: Path) -> dict[str, Any]:
    """The distributions of a file written by `cohort_usual`, as one JSON-ready document."""
    from vitk2.cohort.summary import summary_document

    return summary_document(path)


def write_cohort_html(document: Mapping[str, Any], out: Path) -> None:
    """The printable HTML page of a summary document (tables and distribution plots)."""
    from vitk2.cohort.summary import summary_html

    write_text_atomic(out, summary_html(document))
