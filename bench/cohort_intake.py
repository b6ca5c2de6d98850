"""Cohort person-day intakes at scale: N persons x 2 recall days made by resampling the
real NHANES 2011-2012 recalls (whole persons, both days), then the person-day
computation (`vitk2.cohort.engines.run_person_days`: the join with the food table and
the sums of every nutrient key, K2 bounds and coverage, written to Parquet) on one
engine per process, so each peak memory figure is that engine's own.

Usage:
    python bench/cohort_intake.py --persons 1000000 --engine duckdb [--json]
    python bench/cohort_intake.py --persons 1000000 --engine pandas
    python bench/cohort_intake.py --persons 1000000 --engine spark

``pandas`` is the same join and aggregation written with pandas (float64 per-gram
values, merge, multiply, groupby-sum), for comparison. Timed: the engine step alone
(the resampled tables are built first, not timed). Peak memory: the process's maximum
resident set size (``ru_maxrss``), which includes the NHANES reading and resampling; the resident
size just before the engine step is printed too (the inputs in memory as Arrow
tables).
Needs the shared NHANES folder (``--nhanes``, default /work/shared/data/nhanes/2011_2012).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from vitk2.cohort.engines import run_person_days
from vitk2.cohort.foods import cohort_keys, food_table
from vitk2.cohort.inputs import Staged
from vitk2.cohort.nhanes import read_nhanes
from vitk2.foods.database import FoodDB


def resample(staged: Staged, persons: int, seed: int = 1) -> Staged:
    """``persons`` persons drawn with replacement from those with two recall days."""
    rng = np.random.default_rng(seed)
    records = staged.records
    pid = records["person_id"].to_numpy()
    order = np.argsort(pid, kind="stable")
    pid_sorted = pid[order]
    ids, starts, counts = np.unique(pid_sorted, return_index=True, return_counts=True)
    days = records["day"].to_numpy()[order]
    two = np.array(
        [len(np.unique(days[s : s + c])) == 2 for s, c in zip(starts, counts, strict=True)]
    )
    pool = np.flatnonzero(two)
    chosen = rng.choice(pool, size=persons, replace=True)
    lengths = counts[chosen]
    rows = _rows(starts[chosen], lengths)
    taken = order[rows]
    new_pid = np.repeat(np.arange(1, persons + 1, dtype=np.int64), lengths)
    out = records.take(pa.array(taken)).set_column(1, "person_id", pa.array(new_pid))
    people = staged.persons
    index = {int(v): i for i, v in enumerate(people["person_id"].to_numpy())}
    picked = people.take(pa.array([index[int(ids[c])] for c in chosen]))
    picked = picked.set_column(0, "person_id", pa.array(np.arange(1, persons + 1, dtype=np.int64)))
    return Staged(out, staged.supplements, picked)


def _rows(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The row numbers of consecutive runs (start, length), vectorised."""
    total = int(lengths.sum())
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total) - offsets)


def pandas_person_days(staged: Staged, foods: Any, keys: list[str], out: Path) -> int:
    """The same join and aggregation with pandas (floats, not exact decimals)."""
    import pandas as pd

    records = staged.records.select(["person_id", "day", "ndb", "grams"]).to_pandas()
    records["grams"] = records["grams"].astype("float64")
    table = foods.to_pandas()
    for key in [*keys, "k2_low_ug", "k2_high_ug"]:
        table[key] = table[key].astype("float64")
    merged = records.merge(table, on="ndb", how="left")
    grams = merged["grams"]
    sums = pd.DataFrame({"person_id": merged["person_id"], "day": merged["day"], "food_g": grams})
    for key in [*keys, "k2_low_ug", "k2_high_ug"]:
        sums[key] = merged[key] * grams
        sums[f"{key}_unknown_g"] = grams.where(merged[key].isna(), 0.0)
    sums["k2_measured_g"] = grams.where(merged["k2_basis"] == 1, 0.0)
    sums["k2_imputed_g"] = grams.where(merged["k2_basis"] == 2, 0.0)
    result = sums.groupby(["person_id", "day"], sort=True).sum(min_count=1).reset_index()
    persons = staged.persons.to_pandas()
    result = result.merge(persons, on="person_id", how="left")
    result.to_parquet(out)
    return len(result)


def _rss_mb() -> float:
    """The process's resident set size now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--engine", choices=["duckdb", "spark", "pandas"], default="duckdb")
    parser.add_argument("--nhanes", default="/work/shared/data/nhanes/2011_2012")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    db = FoodDB.default()
    keys = list(cohort_keys(()))
    staged = resample(read_nhanes(Path(args.nhanes), db), args.persons)
    foods = food_table(db, staged.records["ndb"].drop_null().to_pylist(), keys)
    rows = staged.records.num_rows
    before_mb = _rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.parquet"
        start = time.perf_counter()
        if args.engine == "pandas":
            person_days = pandas_person_days(staged, foods, keys, out)
        else:
            person_days = run_person_days(
                staged, foods, keys, engine=args.engine, out=out, metadata={}
            )
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "engine": args.engine, "persons": args.persons, "food_rows": rows,
        "person_days": person_days, "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds), "peak_rss_mb": round(peak_mb),
        "rss_before_engine_mb": round(before_mb),
    }  # fmt: skip
    if args.json:
        print(json.dumps(result))
    else:
        print(", ".join(f"{k} {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
