"""Search latency over >= 1,000 queries, and `foods top` latency for every nutrient.

Usage: python bench/search_latency.py [--rounds N] [--json]

Queries are the labelled set (tests/data/search_queries.csv) repeated `rounds`
times; the first round is cold (spell-correction caches empty). Latency is
measured per query with time.perf_counter on the already-open database; index
construction and database open are reported separately. `top` is timed for every
nutrient key x per (100g, serving, 100kcal), after one warm-up call.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import statistics
import time
from pathlib import Path

from vitk2 import FoodDB
from vitk2.foods.nutrients import NUTRIENTS

QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_queries.csv"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started, cpu_started = time.perf_counter(), time.process_time()
    db = FoodDB(FoodDB.default().path)  # a fresh instance: nothing cached
    opened, cpu_opened = time.perf_counter(), time.process_time()
    db.search("warm up the index")
    indexed, cpu_indexed = time.perf_counter(), time.process_time()

    with QUERIES.open(encoding="utf-8", newline="") as handle:
        queries = [row["query"] for row in csv.DictReader(handle)]
    latencies: list[float] = []
    for _ in range(args.rounds):
        for query in queries:
            t0 = time.perf_counter()
            db.search(query, limit=10)
            latencies.append((time.perf_counter() - t0) * 1000.0)

    top_times: dict[str, float] = {}
    for per in ("100g", "serving", "100kcal"):
        db.top("calcium_mg", per=per)  # warm-up: loads servings / energy once
        for key in NUTRIENTS:
            t0 = time.perf_counter()
            db.top(key, per=per, limit=20)
            top_times[f"{key}/{per}"] = (time.perf_counter() - t0) * 1000.0
    slowest = max(top_times, key=top_times.__getitem__)

    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "foods": len(db),
        "open_ms": (opened - started) * 1000.0,
        "index_build_ms": (indexed - opened) * 1000.0,
        # CPU time of this process: steadier than wall time on a shared machine.
        "open_cpu_ms": (cpu_opened - cpu_started) * 1000.0,
        "index_build_cpu_ms": (cpu_indexed - cpu_opened) * 1000.0,
        "queries": len(latencies),
        "search_median_ms": statistics.median(latencies),
        "search_p99_ms": percentile(latencies, 0.99),
        "search_max_ms": max(latencies),
        "top_calls": len(top_times),
        "top_median_ms": statistics.median(top_times.values()),
        "top_max_ms": top_times[slowest],
        "top_slowest": slowest,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['foods']} foods: open {result['open_ms']:.1f} ms "
        f"(CPU {result['open_cpu_ms']:.0f} ms), search index build "
        f"{result['index_build_ms']:.0f} ms (CPU {result['index_build_cpu_ms']:.0f} ms)"
    )
    print(
        f"search: {result['queries']} queries, median {result['search_median_ms']:.3f} ms, "
        f"p99 {result['search_p99_ms']:.2f} ms, max {result['search_max_ms']:.2f} ms"
    )
    print(
        f"top: {result['top_calls']} calls, median {result['top_median_ms']:.2f} ms, "
        f"max {result['top_max_ms']:.2f} ms ({slowest})"
    )
    print(f"peak RSS {result['max_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
